"""What keeps big sites fast and small: the compiled schema check agrees with jsonschema, big
listings are split into linked pages, repeated blocks stay out of the search index.
(Timings are measured by bench/run.py, not here.)"""
from __future__ import annotations

import copy
import datetime
import json
import posixpath
import random
import re

import pytest

from conftest import FIXTURE, Project
from generator import render
from generator.render import listing as render_listing, timeline as render_timeline
from generator.kinds import KINDS, schema
from generator.load import load_content
from generator.markdown import _relpath, listing_page, page_of
from generator.pipeline import check
from generator.synth import synthesize
from generator.validate import schema_valid, validator

ODD_VALUES = [None, True, False, 0, 1.5, "", " ", "x", "Bad Id", "ok-id", "a" * 20001, "abc\n", [], ["x", "x"],
              [1], ["a b"], {}, {"value": "2025"}, {"value": "2025-13", "inferred": False},
              {"value": "2025-05", "inferred": "yes"}, datetime.date(2025, 5, 1), [{"source": "x"}],
              [{"source": "report", "excerpt": ""}], [{"source": "report", "excerpt": "e", "extra": 1}],
              "https://example.org/a b", "ftp://example.org/"]


def _paths(value, here=()):
    yield here
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, here + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, here + (i,))


def test_fast_schema_check_never_accepts_what_jsonschema_rejects():
    """Mutate valid records at random (1,600 variants); fastjsonschema is only a shortcut for
    'valid', so it must reject everything jsonschema rejects (else a problem would go unreported)."""
    rnd = random.Random(7)
    records, _ = synthesize(60, seed=3)
    docs = [(KINDS_BY_PLURAL[p.split("/")[0]], d) for p, d in records.items()]
    docs += [(d.kind, d.data) for d in load_content(FIXTURE).documents]
    rejected = 0
    for _ in range(1600):
        kind, data = rnd.choice(docs)
        data = copy.deepcopy(data)
        path = rnd.choice([p for p in _paths(data) if p])
        parent = data
        for part in path[:-1]:
            parent = parent[part]
        roll = rnd.random()
        if roll < 0.15 and isinstance(parent, dict):
            del parent[path[-1]]
        elif roll < 0.3 and isinstance(parent, dict):
            parent[rnd.choice(["extra", "titel", "Name", "id"])] = rnd.choice(ODD_VALUES)
        else:
            parent[path[-1]] = rnd.choice(ODD_VALUES)
        valid = not any(True for _ in validator(kind).iter_errors(data))
        rejected += not valid
        if not valid:
            assert not schema_valid(kind, data), (kind, path, data)
        elif schema_valid(kind, data) is False:  # allowed, but only for the known `$` quirk
            assert "\\n" in json.dumps(data, default=str), (kind, path, data)
    assert rejected > 1000  # the mutations really do break records


KINDS_BY_PLURAL = {k.plural: k.name for k in KINDS.values()}


def test_compiling_the_fast_check_leaves_the_schemas_untouched():
    from generator.validate import fast_check
    before = {k: json.dumps(schema(k), sort_keys=True) for k in [*KINDS, "common"]}
    fast_check.cache_clear()
    for kind in KINDS:
        fast_check(kind)
    assert {k: json.dumps(schema(k), sort_keys=True) for k in before} == before


@pytest.mark.parametrize("to_page", ["index.md", "timeline.md", "people/a.md", "people/index.md",
                                     "timeline/page-2.md", "a/b/c.md", "a/b.md", "x/y/z.md"])
@pytest.mark.parametrize("from_dir", ["", "people", "timeline", "a", "a/b", "x/y", "people/sub"])
def test_fast_relpath_matches_posixpath(to_page, from_dir):
    assert _relpath(to_page, from_dir) == posixpath.relpath(to_page, from_dir or ".")


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """A 300-record synthetic site built with tiny page sizes, so every listing is split."""
    root = tmp_path_factory.mktemp("paged") / "site"
    project = Project(root)
    assert project.run("synth", "--records", "300", "--out", str(root)).code == 0
    saved = render_listing.TABLE_ROWS, render_listing.LISTING_SIZE, render_timeline.TIMELINE_ITEMS
    render_listing.TABLE_ROWS, render_listing.LISTING_SIZE = 25, {"quote": 10, "assessment": 10}
    render_timeline.TIMELINE_ITEMS = 40
    try:
        result = project.run("--no-cache", "build", "--strict")  # mkdocs --strict: every link resolves
    finally:
        render_listing.TABLE_ROWS, render_listing.LISTING_SIZE, render_timeline.TIMELINE_ITEMS = saved
    assert result.code == 0, result.out + result.err
    return root


def test_big_listings_are_split_into_linked_pages(paged):
    src = paged / "site_src"
    assert sorted(p.name for p in (src / "people").glob("page-*.md")) == ["page-2.md", "page-3.md"]  # 60 people
    assert len(list((src / "quotes").glob("page-*.md"))) == 4  # 45 quotes, 10 a page
    assert len(list((src / "timeline").glob("page-*.md"))) == 2  # 60 events + 24 outcomes, 40 a page
    second = (src / "people" / "page-2.md").read_text(encoding="utf-8")
    assert second.startswith("# People, page 2 of 3 {#people}")
    assert "[← previous](index.md)" in second and "[next →](page-3.md)" in second
    assert second.count("\n| [") == 25  # one table row per person, 25 a page
    nav = (paged / "mkdocs.yml").read_text(encoding="utf-8")
    assert "page-2" not in nav  # only page 1 of each listing is in the nav


def test_links_to_quotes_point_at_the_page_that_shows_them(paged, monkeypatch):
    index = check(paged).index
    monkeypatch.setattr(render_listing, "LISTING_SIZE", {"quote": 10, "assessment": 10})
    pages = render.render_site(index)
    chunks = render.listing_chunks(index, "quote")
    assert len(chunks) == 5
    for number, chunk in enumerate(chunks, 1):
        for rec in chunk:
            assert page_of(rec) == listing_page("quotes", number)
            html = paged / "site" / "quotes" / ("" if number == 1 else f"page-{number}") / "index.html"
            assert f'id="{rec.id}"' in html.read_text(encoding="utf-8")
    speaker_pages = [p for p in pages if p.startswith("people/")]
    linked = re.findall(r"\(\.\./quotes/(index|page-\d+)\.md#([a-z0-9-]+)\)", "".join(pages[p] for p in speaker_pages))
    assert linked and all(page_of(index.get(rid)) == f"quotes/{name}.md" for name, rid in linked)


def test_repeated_blocks_stay_out_of_the_search_index(paged):
    docs = json.loads((paged / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    anchors = {d["location"].partition("#")[2] for d in docs}
    assert not anchors & {"sources", "referenced-by", "cited-by", "quotes", "assessments", "assessments-by"}
    text = " ".join(d["text"] for d in docs)
    assert "Affiliations" not in text and "Field Value" not in text  # facts tables
    assert not re.search(r"Page \d+ of \d+", text)  # pagers
    index = check(paged).index
    quote = index.by_kind["quote"][0]
    assert any(quote.data["text"] in d["text"] for d in docs if d["location"].startswith("quotes/"))
    person = index.by_kind["person"][0]
    own = [d for d in docs if d["location"].startswith(f"people/{person.id}/")]
    assert own and person.data["summary"] in " ".join(d["text"] for d in own)
    per_record = sum(len(json.dumps(d)) for d in docs) / len(index.records)
    assert per_record < 2048


def test_each_record_is_indexed_about_once(paged):
    """Index entries cost the browser ~50 µs each to build at page load: a record page is one
    entry (title, summary, other spellings), not one per section, and labels repeated on every
    page (the kind, a quote's attribution, an assessment's author) stay out."""
    docs = json.loads((paged / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    index = check(paged).index
    assert len(docs) <= 1.05 * len(index.records) + 40
    anchors = {d["location"].partition("#")[2] for d in docs}
    assert "inferred" not in anchors
    text = " ".join(d["text"] for d in docs)
    assert not re.search(r"\b(Person|Organization|Event|Demand)\b", text)  # kind labels (tags carry the kind)
    assert "permalink" not in text  # quote attributions
    assert not re.search(r"\bBy\b", text) and "About:" not in text  # assessment author and subject lines
    person = index.by_kind["person"][0]
    assert any(d["location"] == f"people/{person.id}/" and "Person" in d.get("tags", []) for d in docs)
