"""`briefing synth`: deterministic synthetic projects in realistic proportions that check and build."""
from __future__ import annotations

import json

import pytest

from conftest import Project
from generator.kinds import KINDS
from generator.pipeline import check
from generator.synth import PER_THOUSAND, counts, synthesize


def test_counts_follow_the_proportions():
    assert counts(1000) == PER_THOUSAND
    assert counts(10_000) == {k: v * 10 for k, v in PER_THOUSAND.items()}
    small = counts(200)
    assert sum(small.values()) == 200 and small["person"] == 40 and small["source"] == 8
    assert sum(counts(37).values()) == 37 and min(counts(8).values()) == 1
    with pytest.raises(ValueError):
        counts(7)


def test_same_seed_same_tree_other_seed_other_tree():
    assert synthesize(120, seed=5) == synthesize(120, seed=5)
    assert synthesize(120, seed=5) != synthesize(120, seed=6)


def test_records_refer_to_each_other():
    records, texts = synthesize(200)
    assert len(records) == 200 and len(texts) == 8
    people = [d for p, d in records.items() if p.startswith("people/")]
    assert all(d["affiliations"] for d in people)
    quotes = [d for p, d in records.items() if p.startswith("quotes/")]
    assert sum("speaker" in q for q in quotes) > len(quotes) // 2
    for q in quotes:  # each quote's text is in the paragraph it cites
        cite = q["sources"][0]
        assert q["text"] in texts[f"sources/{cite['source']}.txt"]


@pytest.fixture(scope="module")
def synth_project(tmp_path_factory) -> Project:
    root = tmp_path_factory.mktemp("synth") / "big"
    project = Project(root)
    result = project.run("synth", "--records", "200", "--out", str(root))
    assert result.code == 0, result.err
    return project


def test_synthetic_project_checks_clean_in_strict_mode(synth_project):
    result = synth_project.run("check", "--strict", "--format", "json")
    assert result.code == 0 and json.loads(result.out) == []
    index = check(synth_project.root).index
    assert {k: len(index.by_kind[k]) for k in KINDS} == counts(200)
    assert sum(len(v) for v in index.backlinks.values()) > 400  # plenty of cross-references


def test_synthetic_project_builds(synth_project):
    result = synth_project.run("build", "--strict")
    assert result.code == 0, result.err
    site = synth_project.root / "site"
    index = check(synth_project.root).index
    for rec in index.by_kind["event"]:
        assert (site / "events" / rec.id / "index.html").is_file()
    assert (site / "search" / "search_index.json").is_file()


def test_synth_refuses_to_overwrite_content(synth_project):
    result = synth_project.run("synth", "--records", "50", "--out", str(synth_project.root))
    assert result.code == 1 and "exists" in result.err
