"""Render stage: pure functions from the index to Markdown pages (path -> text).

Nothing here touches the file system; `write.py` puts the result on disk.
"""
from __future__ import annotations

import html
from collections import defaultdict

from .export import DATA_DIR, DATASET, data_files, json_ld_block
from .graph import graph_file, graph_for, home_graph, record_graph, record_graph_svg
from .index import Index, Record
from .kinds import KINDS
from .markdown import (MONTHS, badge, clip, date_key, esc, format_date, front_matter, href, link,
                       listing_page, page_of, ref_link, ref_list, table, url_target)
from .names import also_written
from .parallel import deal, fork_map

OPEN_DEMAND = ("standing", "unchanged", "escalated", "rejected")
"""Demand statuses that mean the demand is still on the table."""
FIELD_LABELS = {
    "role": "Role", "affiliations": "Affiliations", "type": "Type", "parent": "Part of",
    "leader": "Led by", "members": "Members", "party": "Party", "target": "Addressed to",
    "status": "Status", "status_note": "Status in the source's words", "since": "Since",
    "opposed_by": "Opposed by", "parties": "Parties", "mediator": "Mediator", "event": "Event",
    "date": "Date", "location": "Location", "participants": "Participants", "speaker": "Speaker",
    "variant_of": "Other wording", "about": "About", "author": "Author", "subjects": "About",
    "publisher": "Publisher", "url": "Address", "published": "Published", "related": "See also",
}
"""Label of each field in a record's facts table (and of backlinks through it)."""
SEARCH_EXCLUDED = '<div markdown="1" data-search-exclude>'
"""Opens a block Material's search leaves out. Citations, backlinks, facts tables, listings and
the timeline repeat what each record's own page says; indexing them would multiply the search
index (and its download) several times over and bury the record itself among its mentions."""


def _value(page: str, index: Index, name: str, value) -> str:
    """One field's value as inline Markdown."""
    if name in ("date", "since", "published"):
        return format_date(value)
    if name == "status":
        return badge(value)
    if name == "url":
        return f"[{esc(value)}](<{url_target(value)}>)"  # the schema allows only http(s) URLs
    if isinstance(value, list):
        if name in ("aliases",):
            return ", ".join(esc(v) for v in value)
        return ref_list(page, index, value)
    if name in ("parent", "leader", "party", "target", "mediator", "event", "speaker",
                "variant_of", "author"):
        return ref_link(page, index, value)
    return esc(value)


def facts_table(page: str, index: Index, rec: Record, fields: tuple[str, ...]) -> list[str]:
    """A two-column table of the record's fields that are present."""
    rows = [[FIELD_LABELS.get(f, f), _value(page, index, f, rec.data[f])]
            for f in fields if rec.data.get(f) not in (None, [], "")]
    return [SEARCH_EXCLUDED, ""] + table(["Field", "Value"], rows) + ["", "</div>", ""] if rows else []


def citations(page: str, index: Index, rec: Record,
              heading: str = "## Sources {#sources data-search-exclude}") -> list[str]:
    """The record's citations: each excerpt quoted, with a link to its source."""
    cites = rec.data.get("sources") or []
    if not cites:
        return []
    lines = [heading, ""]
    for cite in cites:
        source = index.get(cite["source"])
        where = link(page, source) if source else esc(cite["source"])
        note = f" — {esc(cite['note'])}" if cite.get("note") else ""
        lines.append(f"- “{esc(cite['excerpt'])}” — {where}{note}")
    return lines + [""]


def inferred_block(rec: Record, heading: str = "## Inferred, not stated {#inferred data-search-exclude}") -> list[str]:
    """What the record infers rather than reads in its source, with the basis."""
    items = [f"- {esc(i['what'])} — *basis:* {esc(i['basis'])}" for i in rec.data.get("inferred") or []]
    for key in ("date", "since", "published"):
        date = rec.data.get(key)
        if isinstance(date, dict) and date.get("inferred") and date.get("basis"):
            items.append(f"- {FIELD_LABELS[key]} {esc(date['value'])} — *basis:* {esc(date['basis'])}")
    return [heading, ""] + items + [""] if items else []


def notes_line(rec: Record) -> list[str]:
    """The editor's note, labelled as such (it is not a fact from the source)."""
    return [f"*Editor's note:* {esc(rec.data['notes'])}", ""] if rec.data.get("notes") else []


def quote_block(page: str, index: Index, rec: Record, with_speaker: bool = True) -> list[str]:
    """A quote as a blockquote with its attribution (or the lack of one)."""
    data = rec.data
    lines = [f"> “{esc(data['text'])}”", ""]
    who = ref_link(page, index, data["speaker"]) if data.get("speaker") else "*not attributed in the source*"
    extra = []
    if data.get("speaker_note"):
        extra.append(esc(data["speaker_note"]))
    if data.get("variant_of") and index.get(data["variant_of"]):
        extra.append("other wording: " + link(page, index.get(data["variant_of"]), "see"))
    tail = f" ({'; '.join(extra)})" if extra else ""
    when = []
    if data.get("event") and index.get(data["event"]):
        when.append("at " + link(page, index.get(data["event"])))
    if data.get("date"):
        when.append(format_date(data["date"]))
    context = f", {', '.join(when)}" if when else ""
    # The attribution sits outside the blockquote so consecutive quotes stay separate blocks.
    lines.append(f"— {who if with_speaker else ''}{context}{tail} · {link(page, rec, 'permalink')}")
    return lines + ["{: .quote-attribution data-search-exclude }", ""]


def author_label(page: str, index: Index, rec: Record) -> str:
    """Who makes an assessment: a link to its author, or the author note (the source's writer)."""
    if rec.data.get("author"):
        return ref_link(page, index, rec.data["author"])
    return esc(rec.data.get("author_note", "the source's writer"))


def has_happened(event: Record) -> bool:
    """True unless the event is only expected or possible (`status` defaults to happened)."""
    return event.data.get("status", "happened") == "happened"


def assessment_block(page: str, index: Index, rec: Record) -> list[str]:
    """An assessment: title, author, judgement."""
    data = rec.data
    who = author_label(page, index, rec)
    return [f"- **{link(page, rec)}** — {who}: {esc(data.get('summary', ''))}", ""]


def backlinks_block(page: str, index: Index, rec: Record) -> list[str]:
    """Every record that links to this one, grouped by kind."""
    grouped: dict[str, list[str]] = defaultdict(list)
    seen = set()
    for ln in index.backlinks.get(rec.id, ()):
        src = index.records[ln.source]
        key = (src.id, ln.field)
        if key in seen or ln.field == "sources":
            continue
        seen.add(key)
        grouped[src.kind].append(f"{link(page, src)} ({FIELD_LABELS.get(ln.field, ln.field).lower()})")
    if not grouped:
        return []
    lines = ["## Referenced by {#referenced-by data-search-exclude}", ""]
    for kind in KINDS:
        if grouped.get(kind):
            lines.append(f"- **{KINDS[kind].label}:** " + "; ".join(grouped[kind]))
    return lines + [""]


RECORD_FIELDS = {
    "person": ("role", "affiliations"),
    "organization": ("type", "parent", "leader", "members"),
    "demand": ("party", "target", "status", "status_note", "since", "opposed_by"),
    "agreement": ("type", "status", "parties", "mediator", "event", "date"),
    "event": ("type", "status", "date", "location", "participants"),
    "source": ("type", "publisher", "url", "published"),
}
"""Fields shown in each kind's facts table, in order."""


def render_record(index: Index, rec: Record) -> str:
    """The page of one person, organization, demand, agreement, event or source."""
    page = page_of(rec)
    kind = KINDS[rec.kind]
    data = rec.data
    # The kind as a tag: Material's search shows it beside every hit.
    lines = [front_matter(rec.title, tags=[kind.name.capitalize()]) + f"# {esc(rec.title)} {{#{rec.id}}}", ""]
    lines += [f'<span class="kind-label" data-search-exclude>{kind.name.capitalize()}</span>', ""]
    if data.get("summary"):
        lines += [esc(data["summary"]), ""]
    # In the body, because search indexes page text only: native script, aliases, folded and
    # romanized spellings (Зеленський, Zelenskyy, Zelenskyi, Erdogan for Erdoğan).
    names = [esc(n) for n in also_written(rec.title, data.get("native_name"), data.get("aliases"))]
    if names:
        lines += [f'<span class="also-written">*Also written:* {" · ".join(names)}</span>', ""]
    lines += facts_table(page, index, rec, RECORD_FIELDS[rec.kind] + ("related",))
    lines += notes_line(rec)  # before the graph, whose section is kept out of the search index
    lines += record_graph(index, rec, page)
    lines += related_sections(page, index, rec)
    lines += inferred_block(rec)
    lines += citations(page, index, rec)
    if rec.kind == "source":
        lines += source_citers(page, index, rec)
    lines += backlinks_block(page, index, rec)
    lines += json_ld_block(index, rec)
    return "\n".join(lines)


def related_sections(page: str, index: Index, rec: Record) -> list[str]:
    """Quotes, demands, outcomes, events and assessments involving the record."""
    lines: list[str] = []
    quotes = index.referrers(rec.id, "speaker", "quote") + [
        q for q in index.referrers(rec.id, "about", "quote") if q.data.get("speaker") != rec.id]
    if quotes:
        lines += ["## Quotes {#quotes data-search-exclude}", ""]
        for q in quotes:
            lines += quote_block(page, index, q)
    by = index.referrers(rec.id, "author", "assessment")
    about = [a for a in index.referrers(rec.id, "subjects", "assessment") if a not in by]
    if by:
        lines += ["## Assessments by this author {#assessments-by data-search-exclude}", ""]
        for a in by:
            lines += assessment_block(page, index, a)
    if about:
        lines += ["## Assessments {#assessments data-search-exclude}", ""]
        for a in about:
            lines += assessment_block(page, index, a)
    return lines


def source_citers(page: str, index: Index, rec: Record) -> list[str]:
    """On a source page: every record citing it, with the excerpts."""
    rows = []
    for ln in index.backlinks.get(rec.id, ()):
        if ln.field != "sources":
            continue
        src = index.records[ln.source]
        for cite in src.data.get("sources", []):
            if cite.get("source") == rec.id:
                rows.append([link(page, src), esc(KINDS[src.kind].label), f"“{esc(clip(cite['excerpt'], 200))}”"])
    if not rows:
        return []
    return ["## Cited by {#cited-by data-search-exclude}", ""] + table(["Record", "Kind", "Excerpt"], rows) + [""]


INDEX_COLUMNS = {
    "person": (("Name", None), ("Role", "role"), ("Affiliations", "affiliations")),
    "organization": (("Name", None), ("Type", "type"), ("Part of", "parent"), ("Led by", "leader")),
    "demand": (("Demand", None), ("Party", "party"), ("Addressed to", "target"), ("Status", "status")),
    "agreement": (("Outcome", None), ("Type", "type"), ("Status", "status"), ("Parties", "parties")),
    "event": (("Date", "date"), ("Event", None), ("Type", "type"), ("Status", "status"),
              ("Participants", "participants")),
    "source": (("Title", None), ("Publisher", "publisher"), ("Published", "published")),
}
"""Columns of each kind's index table: (header, field); None is the linked title."""
FILTER_COLUMNS = {
    "person": ("Affiliations",), "organization": ("Type", "Part of"),
    "demand": ("Party", "Addressed to", "Status"), "agreement": ("Type", "Status", "Parties"),
    "event": ("Type", "Status", "Participants"), "source": ("Publisher",),
}
"""Columns of each index table that readers can filter by (a menu per column, made by reader.js)."""


def data_table(lines: list[str], filters: tuple[str, ...] = ()) -> list[str]:
    """Wrap a Markdown table so reader.js makes it sortable and filterable.

    Without JavaScript it stays the plain table it is.
    """
    attr = html.escape(",".join(filters), quote=True)
    return [f'<div class="data-table" data-filters="{attr}" data-search-exclude markdown="1">', ""] + lines + ["", "</div>", ""]


def _cell(page: str, index: Index, rec: Record, field: str | None) -> str:
    """One index table cell; dates carry a machine-readable `<time>` for sorting."""
    if field is None:
        return link(page, rec)
    value = rec.data.get(field)
    if value in (None, []):
        return ""
    if isinstance(value, dict) and date_key(value):
        return f'<time datetime="{html.escape(date_key(value), quote=True)}">{_value(page, index, field, value)}</time>'
    return _value(page, index, field, value)


LISTING_SIZE = {"quote": 200, "assessment": 200}
"""Records per page of a kind's listing; other kinds: TABLE_ROWS. Big listings are split so that
no page passes ~1 MB of HTML at 10,000 records (a quote with its citation is ~1 KB, a row ~0.4 KB)."""
TABLE_ROWS = 500
"""Rows per page of a kind's table (filtering and sorting by reader.js work within a page)."""
TIMELINE_ITEMS = 500
"""Entries per page of the timeline."""


def listing_chunks(index: Index, kind_name: str) -> list[list[Record]]:
    """A kind's records in listing order, split into pages (at least one, maybe empty)."""
    records = index.by_kind.get(kind_name, [])
    if kind_name == "event":
        records = sorted(records, key=lambda r: (date_key(r.data.get("date")), r.title))
    size = LISTING_SIZE.get(kind_name, TABLE_ROWS)
    return [records[i:i + size] for i in range(0, len(records), size)] or [[]]


def pager(page: str, pages: list[str], number: int) -> list[str]:
    """Links to the other pages of a split listing (nothing when there is one page)."""
    if len(pages) < 2:
        return []
    items = [f"**{n}**" if n == number else f"[{n}]({href(page, target)})" for n, target in enumerate(pages, 1)]
    if number > 1:
        items.insert(0, f"[← previous]({href(page, pages[number - 2])})")
    if number < len(pages):
        items.append(f"[next →]({href(page, pages[number])})")
    return [f"Page {number} of {len(pages)}: " + " · ".join(items), "{: .pager data-search-exclude }", ""]


def render_kind_index(index: Index, kind_name: str, number: int = 1,
                      chunk: list[Record] | None = None, pages: int = 1) -> str:
    """Page `number` of `pages` of a kind's listing (the records of `chunk`, default all):
    a table of key fields, or the quotes/assessments themselves."""
    kind = KINDS[kind_name]
    page = listing_page(kind.plural, number)
    total = len(index.by_kind.get(kind_name, []))
    records = index.by_kind.get(kind_name, []) if chunk is None else chunk
    targets = [listing_page(kind.plural, n) for n in range(1, pages + 1)]
    title = kind.label if pages < 2 else f"{kind.label}, page {number} of {pages}"
    lines = [f"# {title} {{#{kind.plural}}}", "", f"{count_label(total, kind_name)}.", ""]
    lines += pager(page, targets, number)
    if kind_name == "quote":
        for q in records:
            lines += [f"## “{esc(clip(q.data['text'], 70))}” {{#{q.id}}}", ""]
            lines += quote_block(page, index, q) + notes_line(q)
            lines += [SEARCH_EXCLUDED, ""] + inferred_block(q, "**Inferred, not stated**")
            lines += citations(page, index, q, "**Source**") + ["</div>", ""]
    elif kind_name == "assessment":
        for a in records:
            who = author_label(page, index, a)
            lines += [f"## {esc(a.title)} {{#{a.id}}}", "", f"*By* {who}", "{: data-search-exclude }", "",
                      esc(a.data.get("summary", "")), ""]
            if a.data.get("subjects"):
                lines += [f"*About:* {ref_list(page, index, a.data['subjects'])}", "{: data-search-exclude }", ""]
            lines += notes_line(a) + [SEARCH_EXCLUDED, ""] + inferred_block(a, "**Inferred, not stated**")
            lines += citations(page, index, a, "**Source**") + ["</div>", ""]
    else:
        if kind_name == "event":
            records = sorted(records, key=lambda r: (date_key(r.data.get("date")), r.title))
        columns = INDEX_COLUMNS[kind_name]
        rows = [[_cell(page, index, r, field) for _, field in columns] for r in records]
        lines += data_table(table([h for h, _ in columns], rows), FILTER_COLUMNS.get(kind_name, ()))
        lines += [f"Download: [JSON]({href(page, f'{DATA_DIR}/{kind.plural}.json')}) · "
                  f"[CSV]({href(page, f'{DATA_DIR}/{kind.plural}.csv')})", ""]
    lines += pager(page, targets, number)
    return "\n".join(lines)


PRECISION = {4: "year only", 7: "month only"}
"""How a partial date is labelled on the timeline (by the length of its YYYY[-MM[-DD]] value)."""


def _timeline_parties(index: Index, rec: Record) -> list[str]:
    """Ids of the parties of an event or outcome, with the organizations they belong to.

    So filtering by Russia also shows what Putin or the Russian delegation did.
    """
    direct = list(rec.data.get("participants") or rec.data.get("parties") or [])
    if rec.data.get("mediator"):
        direct.append(rec.data["mediator"])
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
    if date.get("words") and esc(date["words"]) != format_date({"value": value}, words=False):
        when += f' <span class="tl-words">“{esc(date["words"])}”</span>'
    label = esc(str(data.get("type", KINDS[rec.kind].name)).replace("-", " ").capitalize())
    status = f" {badge(data['status'])}" if data.get("status") and data.get("status") != "happened" else ""
    lines = [f"<div {attrs} markdown=\"1\">", "", when, "",
             f'<span class="kind-label">{label}</span> **{link(page, rec)}**{status}', ""]
    if data.get("summary"):
        lines += [esc(clip(data["summary"], 240)), ""]
    shown = [p for p in (data.get("participants") or data.get("parties") or []) if index.get(p)]
    if shown:
        lines += [f'<span class="tl-parties">With {ref_list(page, index, shown)}</span>', ""]
    return lines + ["</div>", ""]


def _party_filter(index: Index, counts: dict[str, int]) -> list[str]:
    """A menu of parties for reader.js to filter the timeline by (hidden without JavaScript)."""
    ranked = sorted(counts, key=lambda p: (-counts[p], index.get(p).title.casefold(), p))
    options = "".join(f'<option value="{html.escape(p, quote=True)}">{html.escape(index.get(p).title)} ({counts[p]})</option>'
                      for p in ranked)
    return ['<form class="tl-filter" hidden data-search-exclude><label>Show the timeline of '
            f'<select name="party"><option value="">all parties</option>{options}</select></label> '
            '<output class="tl-count" aria-live="polite"></output></form>', ""]


def timeline_page(number: int = 1) -> str:
    """Page `number` of the timeline: `timeline.md`, `timeline/page-2.md`, …"""
    return "timeline.md" if number <= 1 else f"timeline/page-{number}.md"


def render_timelines(index: Index) -> dict[str, str]:
    """The timeline, split into pages of TIMELINE_ITEMS entries on big sites."""
    records = [r for kind in ("event", "agreement") for r in index.by_kind.get(kind, [])]
    dated = sum(1 for r in records if date_key(r.data.get("date")))
    pages = max(1, -(-dated // TIMELINE_ITEMS))
    return {timeline_page(n): render_timeline(index, n, pages) for n in range(1, pages + 1)}


def render_timeline(index: Index, number: int = 1, pages: int = 1) -> str:
    """Every event and outcome on a vertical timeline, in date order, filterable by party
    (page `number` of `pages`: TIMELINE_ITEMS dated entries each).

    Partial dates (a month, a year) sit at the start of their period and are labelled; inferred
    dates are marked; undated expected events close the last page.
    """
    page = timeline_page(number)
    records = [r for kind in ("event", "agreement") for r in index.by_kind.get(kind, [])]
    dated = sorted((r for r in records if date_key(r.data.get("date"))),
                   key=lambda r: (date_key(r.data["date"]), r.kind != "event", r.title.casefold(), r.id))
    undated = [r for r in records if not date_key(r.data.get("date")) and r.kind == "event"]
    if pages > 1:
        dated = dated[(number - 1) * TIMELINE_ITEMS:number * TIMELINE_ITEMS]
        undated = undated if number == pages else []
    parties = {r.id: _timeline_parties(index, r) for r in dated + undated}
    counts: dict[str, int] = defaultdict(int)
    for ids in parties.values():
        for p in ids:
            counts[p] += 1
    title = "Timeline" if pages < 2 else f"Timeline, page {number} of {pages}"
    lines = [front_matter(title), f"# {title} {{#timeline}}", "",
             "Events and outcomes in date order. A date the source gives only as a month or a year is placed "
             "at the start of that period and drawn with a hollow marker; dates marked *inferred* are worked "
             "out from the source's own time words, shown in quotes.", ""]
    targets = [timeline_page(n) for n in range(1, pages + 1)]
    lines += pager(page, targets, number)
    lines += _party_filter(index, counts)
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


BRIEF_LIMITS = {"events": 7, "outcomes": 6, "parties": 8, "per_party": 3, "people": 14, "next": 5}
"""Most entries per section of the one-page brief, so it stays one page however big the story."""


def _more(page: str, shown: int, total: int, target: str, where: str) -> list[str]:
    """A "… and N more in <where>" line linking to the full list, when a section was cut."""
    return [f"- *… and {total - shown} more in* [{where}]({href(page, target)})"] if total > shown else []


def brief_sections(index: Index, page: str) -> list[str]:
    """The story at a glance — what happened, outcomes, open demands, who's who, what comes next.

    Each section is capped (BRIEF_LIMITS) so the block fits one screen or one A4 page however
    big the story grows; each is wrapped so the home page can lay the sections out in columns.
    """
    cap = BRIEF_LIMITS
    events = sorted(index.by_kind.get("event", []), key=lambda r: date_key(r.data.get("date")))
    happened = [e for e in events if has_happened(e) and date_key(e.data.get("date"))]
    upcoming = [e for e in events if not has_happened(e)]
    outcomes = [a for a in index.by_kind.get("agreement", []) if a.data.get("type") != "earlier-agreement"]
    demands = [d for d in index.by_kind.get("demand", []) if d.data.get("status") in OPEN_DEMAND]
    sections: list[list[str]] = []
    if happened:
        lines = ["## What happened {#what-happened}", ""]
        for e in happened[-cap["events"]:][::-1]:
            lines.append(f"- **{format_date(e.data['date'], words=False)}** {link(page, e)}")
        sections.append(lines + _more(page, cap["events"], len(happened), "timeline.md", "the timeline"))
    if outcomes:
        lines = ["## Outcomes {#outcomes}", ""]
        lines += [f"- {badge(a.data['status'])} {link(page, a)}" for a in outcomes[:cap["outcomes"]]]
        sections.append(lines + _more(page, cap["outcomes"], len(outcomes), "agreements/index.md", "Agreements"))
    pending = [a for a in outcomes if a.data.get("status") == "pending"]
    coming = [(e.data["status"], e) for e in upcoming] + [("pending", a) for a in pending]
    if coming:
        lines = ["## What comes next {#what-comes-next}", ""]
        lines += [f"- {badge(status)} {link(page, r)}" for status, r in coming[:cap["next"]]]
        sections.append(lines + _more(page, cap["next"], len(coming), "timeline.md", "the timeline"))
    if demands:
        lines = ["## Open demands by party {#open-demands}", ""]
        by_party: dict[str, list[Record]] = defaultdict(list)
        for d in demands:
            by_party[d.data["party"]].append(d)
        parties = sorted(by_party, key=lambda p: (-len(by_party[p]), index.get(p).title if index.get(p) else p))
        for party in parties[:cap["parties"]]:
            items = "; ".join(f"{link(page, d)} {badge(d.data['status'])}" for d in by_party[party][:cap["per_party"]])
            rest = len(by_party[party]) - cap["per_party"]
            lines.append(f"- **{ref_link(page, index, party)}:** {items}" + (f"; *{rest} more*" if rest > 0 else ""))
        sections.append(lines + _more(page, cap["parties"], len(parties), "demands/index.md", "Demands"))
    people = index.by_kind.get("person", [])
    if people:
        lines = ["## Who's who {#whos-who}", ""]
        lines += [f"- {link(page, p)}" + (f" — {esc(clip(p.data['role'], 60))}" if p.data.get("role") else "")
                  for p in people[:cap["people"]]]
        sections.append(lines + _more(page, cap["people"], len(people), "people/index.md", "People"))
    out: list[str] = []
    for lines in sections:
        out += ['<div class="brief-section" markdown="1">', ""] + lines + ["", "</div>", ""]
    return out


def render_brief(index: Index) -> str:
    """A one-page printable brief: the home page's summary sections, laid out for A4."""
    page = "brief.md"
    lines = [front_matter("One-page brief"), "# One-page brief {#brief}", "",
             '<div class="brief" markdown="1">', "",
             f'<p class="brief-note" data-search-exclude>Made for printing on one A4 page '
             f'(<kbd>Ctrl</kbd>+<kbd>P</kbd>). {len(index.records)} sourced records; every line links '
             'to its record and sources.</p>', ""]
    return "\n".join(lines + brief_sections(index, page) + ["</div>", ""])


def count_label(n: int, kind: str) -> str:
    """`1 person`, `3 people`."""
    return f"{n} {kind if n == 1 else KINDS[kind].label.lower()}"


def render_home(index: Index) -> str:
    """The home page: the story in one screen, then the relationship graph and the data."""
    page = "index.md"
    counts = " · ".join(f"[{count_label(len(index.by_kind.get(k, [])), k)}]({KINDS[k].plural}/index.md)"
                        for k in KINDS)
    # Navigation and table of contents are hidden so the summary sections get the full width.
    lines = ["---", "hide:", "  - navigation", "  - toc", "---", "", "# Briefing {#briefing}", ""]
    latest = [e for e in index.by_kind.get("event", [])
              if has_happened(e) and e.data.get("summary") and e.data.get("date")]
    if latest:  # the lead: the most recent event, in full
        lead = max(latest, key=lambda e: (date_key(e.data["date"]), len(index.backlinks.get(e.id, ()))))
        lines += [f"{esc(lead.data['summary'])} {link(page, lead, 'More…')}", "{: .lead }", ""]
    lines += [counts, "", '<div class="home-brief" markdown="1">', ""]
    lines += brief_sections(index, page) + ["</div>", ""]
    lines += home_graph(index, page)
    lines += downloads(page)
    return "\n".join(lines)


def downloads(page: str) -> list[str]:
    """The "Download the data" section: the whole dataset, and each kind as JSON and CSV."""
    lines = ["## Download the data {#download}", "",
             f"Every record with its sources, as published here: [everything as one JSON file]({href(page, DATASET)}).",
             ""]
    rows = [[esc(k.label), f"[JSON]({href(page, f'{DATA_DIR}/{k.plural}.json')})",
             f"[CSV]({href(page, f'{DATA_DIR}/{k.plural}.csv')})"] for k in KINDS.values()]
    return lines + table(["Records", "JSON", "CSV"], rows) + [""]


def assign_listings(index: Index) -> dict[str, list[list[Record]]]:
    """Split every kind's listing into pages; tell records without pages of their own which
    listing page shows them (`listing_number`, read by page_of()): before any link is made."""
    listings = {kind: listing_chunks(index, kind) for kind in KINDS}
    for kind, chunks in listings.items():
        if not KINDS[kind].has_pages:
            for number, chunk in enumerate(chunks, 1):
                for rec in chunk:
                    rec.listing_number = number
    return listings


def render_pages_of(index: Index, records: list[Record]) -> dict[str, str]:
    """Just the pages showing these records (their own, or their listing page) and their diagram
    files, exactly as render_site() renders them: `serve` shows an edit with these before
    re-rendering the rest."""
    listings = assign_listings(index)
    pages = _record_files(index, [rec for rec in records if KINDS[rec.kind].has_pages])
    for rec in records:
        kind = KINDS[rec.kind]
        if not kind.has_pages:
            chunks = listings[rec.kind]
            number = getattr(rec, "listing_number", 1)
            pages[listing_page(kind.plural, number)] = render_kind_index(index, rec.kind, number,
                                                                         chunks[number - 1], len(chunks))
    return pages


def _record_files(index: Index, records: list[Record]) -> dict[str, str]:
    """The pages of these records (kinds with pages) and their diagram files."""
    files = {}
    for rec in records:
        files[page_of(rec)] = render_record(index, rec)
        svg = record_graph_svg(index, rec)
        if svg is not None:
            files[graph_file(rec)] = svg
    return files


def _site_pages(index: Index, listings: dict[str, list[list[Record]]]) -> dict[str, str]:
    """Every generated file that is not a record's own page or diagram: home, brief, timelines,
    listings and the data downloads."""
    pages = {"index.md": render_home(index), "brief.md": render_brief(index)}
    pages.update(render_timelines(index))
    for kind in KINDS.values():
        chunks = listings[kind.name]
        for number, chunk in enumerate(chunks, 1):
            pages[listing_page(kind.plural, number)] = render_kind_index(index, kind.name, number, chunk, len(chunks))
    pages.update(data_files(index))
    return pages


RENDER_TASKS_PER_WORKER = 4
"""Shares of the record pages per worker process: enough for the cores to finish together."""
PARALLEL_MIN_RECORDS = 400
"""Sites smaller than this are rendered in this process: forking would cost more than it saves."""


def render_site(index: Index, workers: int = 1) -> dict[str, str]:
    """Every generated page: path relative to site_src -> Markdown text (and the data and
    diagram files MkDocs copies as they are).

    `workers`: processes rendering at once (see parallel.py); the result is the same.
    """
    listings = assign_listings(index)
    records = [rec for kind in KINDS.values() if kind.has_pages for rec in index.by_kind.get(kind.name, [])]
    n = workers if len(index.records) >= PARALLEL_MIN_RECORDS else 1
    graph_for(index)  # built once here, not once in each worker
    # Task None is the site-wide pages; the others are shares of the record pages.
    tasks = [None, *deal(range(len(records)), n * RENDER_TASKS_PER_WORKER)]

    def render_task(task: range | None) -> dict[str, str]:
        if task is None:
            return _site_pages(index, listings)
        return _record_files(index, [records[i] for i in task])

    pages: dict[str, str] = {}
    for part in fork_map(render_task, tasks, n):
        pages.update(part)
    return pages
