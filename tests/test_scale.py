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
from generator.render import listing as render_listing
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


SMALL_PAGES = (5, 10, 20)
"""(PAGE_MIN, PAGE_AVG, PAGE_MAX) of the paged site: every listing of more than 20 is split."""


def small_pages(monkeypatch) -> None:
    monkeypatch.setattr(render_listing, "PAGE_MIN", SMALL_PAGES[0])
    monkeypatch.setattr(render_listing, "PAGE_AVG", SMALL_PAGES[1])
    monkeypatch.setattr(render_listing, "PAGE_MAX", SMALL_PAGES[2])


@pytest.fixture(scope="module")
def paged(tmp_path_factory):
    """A 300-record synthetic site built with tiny pages (SMALL_PAGES), so every listing is split."""
    root = tmp_path_factory.mktemp("paged") / "site"
    project = Project(root)
    assert project.run("synth", "--records", "300", "--out", str(root)).code == 0
    with pytest.MonkeyPatch.context() as mp:
        small_pages(mp)
        result = project.run("--no-cache", "build", "--strict")  # mkdocs --strict: every link resolves
    assert result.code == 0, result.out + result.err
    return root


def test_big_listings_are_split_into_linked_pages(paged):
    src = paged / "site_src"
    index = check(paged).index
    low, _, high = SMALL_PAGES
    for folder, kind in (("people", "person"), ("quotes", "quote"), ("events", "event")):
        pages = [src / folder / "index.md", *sorted((src / folder).glob("page-*.md"),
                                                    key=lambda p: int(p.stem.split("-")[1]))]
        assert len(pages) >= 3, folder
        anchors = [shown_ids(p.read_text(encoding="utf-8"), kind) for p in pages]
        shown = [rid for page in anchors for rid in page]
        assert sorted(shown) == sorted(r.id for r in index.by_kind[kind]), folder  # each record once
        assert all(low <= len(a) <= high + low for a in anchors), [len(a) for a in anchors]
    second = (src / "people" / "page-2.md").read_text(encoding="utf-8")
    assert re.search(r"^# People, page 2 of \d+ \{#people\}$", second, re.M)
    assert "[← previous](index.md)" in second and "[next →](page-3.md)" in second
    assert "people." not in second.split("Page 2 of", 1)[0]  # the count is on the first page only
    assert re.search(r"^\d+ people\.$", (src / "people" / "index.md").read_text(encoding="utf-8"), re.M)
    assert len(list((src / "timeline").glob("page-*.md"))) >= 3
    nav = (paged / "mkdocs.yml").read_text(encoding="utf-8")
    assert "page-2" not in nav  # only page 1 of each listing is in the nav


def test_a_long_pager_links_the_first_the_last_and_the_pages_around_and_reaches_every_page(paged):
    src = paged / "site_src"
    pages = {"timeline.md", *(f"timeline/{p.name}" for p in (src / "timeline").glob("page-*.md"))}
    last = len(pages)
    assert last > 2 * render_listing.PAGER_AROUND + 5  # long enough for the pager to skip pages

    def pager_of(page: str) -> str:
        return next(line for line in (src / page).read_text(encoding="utf-8").splitlines() if line.startswith("Page "))

    seen, todo = set(), ["timeline.md"]
    while todo:  # follow the pagers' links from the first page
        page = todo.pop()
        if page not in seen:
            seen.add(page)
            todo += [posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
                     for target in re.findall(r"\]\(([^)]+\.md)\)", pager_of(page))]
    assert seen == pages
    middle = last // 2
    pager = pager_of(f"timeline/page-{middle}.md")
    assert "[1](../timeline.md)" in pager and f"[{last}](page-{last}.md)" in pager and f"**{middle}**" in pager
    shown = [int(n) for n in re.findall(r"(?:\[|\*\*)(\d+)(?:\]|\*\*)", pager)]
    assert "…" in pager and len(shown) < last and shown == [n for n in render_listing.pager_numbers(middle, last) if n]
    assert render_listing.pager_numbers(1, 9) == list(range(1, 10))  # short listings: every page
    assert render_listing.pager_numbers(4, 30) == [1, 2, 3, 4, 5, 6, None, 30]  # (a gap of one is the page)
    assert render_listing.pager_numbers(18, 54) == [1, None, 16, 17, 18, 19, 20, None, 54]


def shown_ids(text: str, kind: str) -> list[str]:
    """Ids of the records a listing page shows: its quotes' anchors, or its table rows' links."""
    if kind == "quote":
        return re.findall(r"^## .* \{#([a-z0-9-]+)\}$", text, re.M)
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| Name")
            and not line.startswith("| Date")]
    return [re.search(r"\]\(([a-z0-9-]+)\.md\)", row).group(1) for row in rows]


class _Rec:
    def __init__(self, rid: str):
        self.id = rid


def test_a_record_added_or_deleted_changes_its_own_page_and_rarely_the_next():
    """Page breaks go with the records (split_pages): an edit does not shift every later page."""
    rng = random.Random(5)
    records = [_Rec(f"r{rng.getrandbits(40):x}") for _ in range(3000)]
    pages = render_listing.split_pages(records)
    sizes = [len(p) for p in pages]
    assert all(render_listing.PAGE_MIN <= n <= render_listing.PAGE_MAX + render_listing.PAGE_MIN for n in sizes)
    assert 0.7 * render_listing.PAGE_AVG <= sum(sizes) / len(sizes) <= 1.1 * render_listing.PAGE_AVG
    assert [r for p in pages for r in p] == records
    before = [[r.id for r in p] for p in pages]
    changed_pages = []
    for _ in range(60):
        at = rng.randrange(len(records) + 1)
        added = [*records[:at], _Rec(f"new{rng.getrandbits(40):x}"), *records[at:]]
        deleted = records[:at] + records[at + 1:]
        for edited in (added, deleted):
            after = [[r.id for r in p] for p in render_listing.split_pages(edited)]
            changed_pages.append(len(set(map(tuple, after)) ^ set(map(tuple, before))) // 2)
    # Fixed-size pages would change every page after the edit (about half of them, on average).
    assert max(changed_pages) <= 4 and sum(changed_pages) / len(changed_pages) <= 1.5, changed_pages
    assert render_listing.split_pages(records[:render_listing.PAGE_MAX]) == [records[:render_listing.PAGE_MAX]]
    assert render_listing.split_pages([]) == [[]]


def test_links_to_quotes_point_at_the_page_that_shows_them(paged, monkeypatch):
    index = check(paged).index
    small_pages(monkeypatch)
    pages = render.render_site(index)
    chunks = render.listing_chunks(index, "quote")
    assert len(chunks) >= 3
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
