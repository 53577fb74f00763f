"""The project's promises, each tested so that breaking it fails a test.

Written against a list of small breaks that once went unnoticed (an excerpt accepted from a
source it does not cite, a case-insensitive match, a wrong-kind reference through a field that
allows several kinds, the last of two files with one id winning, duplicate keys inside list
items, a cache ignoring the schemas, "Referenced by" cut short, workers that never fork, a swap
that deletes the old site first). Each test says which promise it keeps.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from generator import cache as cache_module
from generator import parallel
from generator.pipeline import check
from generator.render import render_record, render_site
from generator.write import write_tree

BERG = "content/people/berg.yaml"
OLSEN = "content/people/olsen.yaml"
QUOTE = "content/quotes/first-step.yaml"
TALKS = "content/events/geneva-talks.yaml"


def codes(project, rel: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of the problems `check` reports for one file."""
    return [(p["line"], p["column"], p["code"]) for p in project.problems() if p["path"] == rel]


# --- 1, 2: every excerpt, quote text and date phrase is verbatim from the source it cites ---------

def test_an_excerpt_is_checked_against_the_source_it_cites_not_any_source(project):
    # The words are in the report, not in the bulletin the record says they come from.
    project.write(OLSEN, "name: Olsen\nsources:\n  - source: bulletin\n"
                         "    excerpt: said Mr. Olsen, an analyst at the Institute for Peace\n")
    assert codes(project, OLSEN) == [(4, 14, "excerpt-not-found")]
    assert "excerpt not found in source 'bulletin'" in project.problems()[0]["message"]


def test_a_quote_text_is_checked_against_the_sources_the_quote_cites(project):
    text = project.path(QUOTE).read_text(encoding="utf-8")
    # Cite the bulletin (whose text does not hold the quote) instead of the report.
    project.write(QUOTE, text.replace("  - source: report\n    excerpt: Northland's envoy Anna Berg said the talks "
                                      "were \"a first step toward peace.\"",
                                      "  - source: bulletin\n    excerpt: the Geneva talks had been constructive"),
                  dedent=False)
    assert (1, 7, "not-in-source") in codes(project, QUOTE)


def test_date_words_are_checked_against_the_sources_the_record_cites(project):
    text = project.path(TALKS).read_text(encoding="utf-8")
    # "yesterday" is in the report; the bulletin says "on Saturday".
    project.write(TALKS, text.replace("  - source: report\n    excerpt: Delegates from Northland and Southland met "
                                      "in Geneva yesterday for two hours.",
                                      "  - source: bulletin\n    excerpt: the Geneva talks had been constructive"),
                  dedent=False)
    assert [c for c in codes(project, TALKS) if c[2] == "not-in-source"] == [(5, 10, "not-in-source")]


def test_an_excerpt_must_match_in_case_too(project):
    project.write(OLSEN, "name: Olsen\nsources:\n  - source: report\n"
                         "    excerpt: SAID MR. OLSEN, an analyst at the Institute for Peace\n")
    assert codes(project, OLSEN) == [(4, 14, "excerpt-not-found")]


# --- 3, 4: references name a record of an allowed kind; one id, one record ----------------------

@pytest.mark.parametrize("rel, field, old, new", [
    (QUOTE, "speaker", "speaker: berg", "speaker: geneva-talks"),               # person or organization
    (TALKS, "participants", "participants: [northland, southland, berg]",
     "participants: [northland, southland, prisoner-exchange]"),               # people and organizations
])
def test_a_field_that_allows_several_kinds_rejects_the_others(project, rel, field, old, new):
    text = project.path(rel).read_text(encoding="utf-8")
    assert old in text
    project.write(rel, text.replace(old, new), dedent=False)
    found = [p for p in project.problems() if p["path"] == rel and p["code"] == "wrong-kind"]
    assert len(found) == 1 and f"but {field} takes a person or organization" in found[0]["message"]


def test_the_first_file_keeps_a_duplicate_id(project):
    project.write("content/organizations/berg.yaml", "name: Berg Group\ntype: group\nsources:\n"
                  "  - source: report\n    excerpt: Northland's envoy Anna Berg\n")
    index = check(project.root).index
    assert index.get("berg").kind == "person" and index.get("berg").title == "Anna Berg"
    assert [r.id for r in index.by_kind.get("organization", [])] == ["northland", "southland"]


# --- 5: duplicate keys are errors wherever they are ----------------------------------------------

def test_a_duplicate_key_inside_a_list_item_is_an_error(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n    source: report\n"
                        "    excerpt: Northland's envoy Anna Berg\n")
    assert (4, 5, "duplicate-key") in codes(project, BERG)


# --- 7: the cache is dropped when the schemas change ---------------------------------------------

def test_the_cache_version_follows_the_schemas(tmp_path, monkeypatch):
    package = tmp_path / "generator"
    shutil.copytree(Path(cache_module.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "__file__", str(package / "cache.py"))
    code_version = cache_module.code_version.__wrapped__  # (memoized for the process)
    before = code_version()
    schema = package / "schemas" / "person.schema.json"
    schema.write_text(schema.read_text(encoding="utf-8").replace("Other spellings", "Other names"), encoding="utf-8")
    assert code_version() != before


# --- 9: "Referenced by" lists every referrer -----------------------------------------------------

def test_referenced_by_lists_every_record_that_links_here(project):
    # Two people and an event, an agreement and a demand all refer to Northland.
    project.write(OLSEN, project.path(OLSEN).read_text(encoding="utf-8").replace(
        "role: analyst at the Institute for Peace\n", "role: analyst at the Institute for Peace\naffiliations: [northland]\n"),
        dedent=False)
    index = check(project.root).index
    page = render_record(index, index.get("northland"))
    block = page.split("## Referenced by", 1)[1]
    for rid in ("berg", "olsen", "geneva-talks", "prisoner-exchange", "troop-withdrawal"):
        assert f"[{index.get(rid).title}]" in block, rid
    people = next(line for line in block.splitlines() if line.startswith("- **People:**"))
    assert "Anna Berg" in people and "Olsen" in people


# --- 10: parsing and rendering use every core ----------------------------------------------------

def test_fork_map_runs_in_other_processes():
    def pid(_):
        time.sleep(0.02)  # (this process takes items too: each takes long enough for both to get some)
        return os.getpid()
    pids = parallel.fork_map(pid, list(range(8)), workers=2)
    assert len(pids) == 8 and set(pids) - {os.getpid()}


def test_check_and_render_hand_work_to_forked_workers(project, monkeypatch):
    calls = []
    real = parallel.fork_map

    def spy(func, items, workers):
        calls.append((workers, len(items)))
        return real(func, items, workers)

    import generator.pipeline
    import generator.render
    for module in (generator.pipeline, generator.render):
        monkeypatch.setattr(module, "fork_map", spy)
    # (Below these sizes one process is quicker; the fixture is tiny.)
    monkeypatch.setattr(generator.pipeline, "PARALLEL_MIN_FILES", 2)
    monkeypatch.setattr(generator.render, "PARALLEL_MIN_RECORDS", 2)
    forked = check(project.root, workers=2)
    assert calls and all(w == 2 and n > 1 for w, n in calls), calls  # the files were parsed by workers
    calls.clear()
    pages = render_site(forked.index, workers=2)
    assert calls and all(w == 2 and n > 1 for w, n in calls), calls  # and the pages rendered by them
    assert pages == render_site(check(project.root).index, workers=1)


# --- 11: a site is replaced whole or not at all --------------------------------------------------

def test_a_failed_swap_leaves_the_previous_tree_in_place(tmp_path, monkeypatch):
    out = tmp_path / "site"
    write_tree({"index.html": b"old"}, out)
    real_rename = os.rename

    def rename(src, dst):
        if Path(src).name == ".site.new":  # the new tree's move into place fails (disk full, a crash)
            raise OSError("no space left on device")
        return real_rename(src, dst)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError):
        write_tree({"index.html": b"new"}, out)
    assert (out / "index.html").read_bytes() == b"old"
    monkeypatch.setattr(os, "rename", real_rename)
    write_tree({"index.html": b"new"}, out)  # the next build repairs any leftovers
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# --- 6: an edit in the preview reaches its search index -------------------------------------------

class _Index:
    """What Material's SearchIndex hands to generate_search_index: entries and a config."""

    def __init__(self, entries):
        self.entries = entries
        self.config = {"lang": ["en"], "separator": "[\\s\\-]+", "pipeline": [], "fields": {}}


def test_a_dirty_rebuild_replaces_the_rebuilt_pages_search_entries(monkeypatch):
    import json

    from material.plugins.search.plugin import SearchIndex

    from generator.serve import _SearchFix

    monkeypatch.setattr(SearchIndex, "generate_search_index", SearchIndex.generate_search_index)
    monkeypatch.setattr(_SearchFix, "fresh", False)
    monkeypatch.setattr(_SearchFix, "removed_urls", {"people/gone/"})
    _SearchFix.install()
    previous = _Index([{"location": "people/berg/", "text": "old summary"},
                       {"location": "people/berg/#sources", "text": "old sources"},
                       {"location": "people/olsen/", "text": "untouched"},
                       {"location": "people/gone/", "text": "deleted page"}])
    rebuilt = _Index([{"location": "people/berg/", "text": "new summary"}])
    docs = json.loads(SearchIndex.generate_search_index(rebuilt, previous))["docs"]
    assert sorted((d["location"], d["text"]) for d in docs) == [
        ("people/berg/", "new summary"), ("people/olsen/", "untouched")]
