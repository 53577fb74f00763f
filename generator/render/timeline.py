"""The timeline: every event and outcome in date order, filterable by party."""
from __future__ import annotations

import html
import json

from ..graph import dir_href
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import MONTHS, badge, clip, date_key, esc, format_date, front_matter, link, ref_list, same_date_words
from ..disputes import distinct_values
from .blocks import differ_link, shown_value
from .listing import pager, split_pages

TIMELINE_PARTIES = "timeline/parties.json"
"""The name of every party the timeline's filter offers (id -> title), for reader.js: one file,
so that a party renamed changes it and the pages naming the party, not every page's menu."""


PRECISION = {4: "year only", 7: "month only"}
"""How a partial date is labelled on the timeline (by the length of its YYYY[-MM[-DD]] value)."""


def _timeline_parties(index: Index, rec: Record) -> list[str]:
    """Ids of the parties of an event or outcome, with the organizations they belong to.

    So filtering by Russia also shows what Putin or the Russian delegation did.
    """
    direct = list(rec.data.get(PARTY_FIELDS[0]) or rec.data.get(PARTY_FIELDS[1]) or [])
    if rec.data.get(PARTY_FIELDS[2]):
        direct.append(rec.data[PARTY_FIELDS[2]])
    out: list[str] = []
    for rid in direct:
        party = index.get(rid) if isinstance(rid, str) else None
        if party is None or party.kind not in ("person", "organization"):
            continue
        out.append(rid)
        wider = party.data.get("affiliations") or [] if party.kind == "person" else [party.data.get("parent")]
        out += [w for w in wider if isinstance(w, str) and index.get(w)]
    return list(dict.fromkeys(out))


def _timeline_item(page: str, index: Index, rec: Record, parties: list[str]) -> list[str]:
    """One entry of the timeline: date, kind, linked title, status, summary, parties."""
    data = rec.data
    date = data.get("date") if isinstance(data.get("date"), dict) else {}
    value = date_key(date)
    classes = ["tl-item", f"tl-{rec.kind}"]
    if len(value) in PRECISION:
        classes.append("tl-partial")
    if date.get("inferred"):
        classes.append("tl-inferred")
    if data.get("status") in ("expected", "possible", "pending"):
        classes.append("tl-future")
    attrs = (f'class="{" ".join(classes)}" data-parties="{html.escape(" ".join(parties), quote=True)}" '
             f'data-date="{html.escape(value, quote=True)}"')
    when = (f'<time class="tl-date" datetime="{html.escape(value, quote=True)}">{format_date(date, words=False)}</time>'
            if value else '<span class="tl-date">date not known</span>')
    if len(value) in PRECISION:
        when += f' <span class="tl-precision">{PRECISION[len(value)]}</span>'
    if date.get("words") and not same_date_words(date["words"], value):
        when += f' <span class="tl-words">“{esc(date["words"])}”</span>'
    others = distinct_values(data, "date")[1:]
    if others:  # the entry sits at the record's own date; the other sources' dates are named beside it
        alt = " or ".join(format_date(d, words=False) for d in others if isinstance(d, dict))
        when += f' <span class="tl-alt">or {alt}</span> {differ_link(page, rec)}'
    label = esc(str(data.get("type", KINDS[rec.kind].name)).replace("-", " ").capitalize())
    status = ""
    if len(distinct_values(data, "status")) > 1:
        status = f" {shown_value(page, index, rec, 'status')}"
    elif data.get("status") and data.get("status") != "happened":
        status = f" {badge(data['status'])}"
    lines = [f"<div {attrs} markdown=\"1\">", "", when, "",
             f'<span class="kind-label">{label}</span> **{link(page, rec)}**{status}', ""]
    if data.get("summary"):
        differ = f" {differ_link(page, rec)}" if len(distinct_values(data, "summary")) > 1 else ""
        lines += [esc(clip(data["summary"], 240)) + differ, ""]
    shown = [p for p in (data.get("participants") or data.get("parties") or []) if index.get(p)]
    if shown:
        lines += [f'<span class="tl-parties">With {ref_list(page, index, shown)}</span>', ""]
    return lines + ["</div>", ""]


def _party_filter(page: str) -> list[str]:
    """A menu of parties to filter the timeline by (hidden without JavaScript). reader.js fills
    it with the parties of the page's entries, named from TIMELINE_PARTIES, most entries first."""
    names = html.escape(dir_href(page, TIMELINE_PARTIES), quote=True)
    return ['<form class="tl-filter" hidden data-search-exclude><label>Show the timeline of '
            f'<select name="party" data-names="{names}"><option value="">all parties</option></select></label> '
            '<output class="tl-count" aria-live="polite"></output></form>', ""]


def timeline_page(number: int = 1) -> str:
    """Page `number` of the timeline: `timeline.md`, `timeline/page-2.md`, …"""
    return "timeline.md" if number <= 1 else f"timeline/page-{number}.md"


TIMELINE_KINDS = ("event", "agreement")
"""Kinds the timeline shows."""
PARTY_FIELDS = ("participants", "parties", "mediator")
"""The fields naming an entry's parties."""


def _entries(index: Index) -> tuple[list[list[Record]], list[Record]]:
    """The timeline's dated entries in date order split into pages (listing.split_pages), and
    its undated expected events (on the last page)."""
    records = [r for kind in TIMELINE_KINDS for r in index.by_kind.get(kind, [])]
    dated = sorted((r for r in records if date_key(r.data.get("date"))),
                   key=lambda r: (date_key(r.data["date"]), r.kind != "event", r.title.casefold(), r.id))
    undated = [r for r in records if not date_key(r.data.get("date")) and r.kind == "event"]
    return split_pages(dated), undated


def _page_deps(index: Index, entries: list[Record]) -> set[str]:
    """Ids of every record timeline entries show something of: the entries, their parties, and
    what those parties belong to (see _timeline_parties)."""
    shown = {r.id for r in entries}
    parties = {ln.target for rid in shown for ln in index.links.get(rid, ()) if ln.field in PARTY_FIELDS}
    wider = {ln.target for rid in parties for ln in index.links.get(rid, ())}
    return shown | parties | wider


def timeline_families(index: Index) -> list[tuple[tuple[str, ...], set[str], str]]:
    """The timeline's files keyed one by one (incremental.Family): each page, with the records
    its entries show, its number, the number of pages and its entries in order; and the names
    its filter offers, with every entry's records."""
    chunks, undated = _entries(index)
    families = []
    for number, chunk in enumerate(chunks, 1):
        entries = chunk + (undated if number == len(chunks) else [])
        families.append(((timeline_page(number),), _page_deps(index, entries),
                         f"timeline {number}/{len(chunks)} " + " ".join(r.id for r in entries)))
    every = [r for chunk in chunks for r in chunk] + undated
    families.append(((TIMELINE_PARTIES,), _page_deps(index, every), "timeline parties"))
    return families


def render_timelines(index: Index, skip: frozenset[str] = frozenset()) -> dict[str, str]:
    """The timeline's pages (split on big sites), and the names its filter offers (`skip`: files
    not to render, their text being known)."""
    chunks, undated = _entries(index)
    pages = {timeline_page(n): render_timeline(index, n, chunks, undated)
             for n in range(1, len(chunks) + 1) if timeline_page(n) not in skip}
    if TIMELINE_PARTIES not in skip:
        parties = {p for r in [*undated, *(r for chunk in chunks for r in chunk)] for p in _timeline_parties(index, r)}
        names = {p: index.get(p).title for p in sorted(parties)}
        pages[TIMELINE_PARTIES] = json.dumps(names, ensure_ascii=False, indent=0) + "\n"
    return pages


def render_timeline(index: Index, number: int, chunks: list[list[Record]], undated: list[Record]) -> str:
    """Page `number` of the timeline: its share of every event and outcome, in date order,
    filterable by party (`chunks`, `undated`: see _entries).

    Partial dates (a month, a year) sit at the start of their period and are labelled; inferred
    dates are marked; undated expected events close the last page.
    """
    pages = len(chunks)
    page = timeline_page(number)
    dated = chunks[number - 1]
    undated = undated if number == pages else []
    parties = {r.id: _timeline_parties(index, r) for r in dated + undated}
    title = "Timeline" if pages < 2 else f"Timeline, page {number} of {pages}"
    # out of search: every entry is its record's own page, which search finds
    lines = [front_matter(title, search_exclude=True), f"# {title} {{#timeline}}", "",
             "Events and outcomes in date order. A date the source gives only as a month or a year is placed "
             "at the start of that period and drawn with a hollow marker; dates marked *inferred* are worked "
             "out from the source's own time words, shown in quotes.", ""]
    targets = [timeline_page(n) for n in range(1, pages + 1)]
    lines += pager(page, targets, number)
    lines += _party_filter(page)
    year = month = None
    for r in dated:
        value = date_key(r.data["date"])
        if value[:4] != year:
            if year is not None:
                lines += ["</div>", ""]
            year, month = value[:4], None
            lines += [f"## {year} {{#y{year} data-search-exclude}}", "", '<div class="timeline" markdown="1">', ""]
        if len(value) >= 7 and value[:7] != month:
            month = value[:7]
            lines += [f'<div class="tl-month">{MONTHS[int(month[5:]) - 1]} {year}</div>', ""]
        lines += _timeline_item(page, index, r, parties[r.id])
    if year is not None:
        lines += ["</div>", ""]
    if undated:
        lines += ["## Not yet dated {#undated data-search-exclude}", "", '<div class="timeline" markdown="1">', ""]
        for r in undated:
            lines += _timeline_item(page, index, r, parties[r.id])
        lines += ["</div>", ""]
    lines += pager(page, targets, number)
    return "\n".join(lines)
