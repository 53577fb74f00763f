"""Render stage: pure functions from the index to Markdown pages (path -> text).

Nothing here touches the file system; `write.py` puts the result on disk.
"""
from __future__ import annotations

from collections import defaultdict

from .index import Index, Record
from .kinds import KINDS
from .markdown import (badge, clip, date_key, esc, format_date, href, link, page_of, ref_link,
                       ref_list, table)

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


def _value(page: str, index: Index, name: str, value) -> str:
    """One field's value as inline Markdown."""
    if name in ("date", "since", "published"):
        return format_date(value)
    if name == "status":
        return badge(value)
    if name == "url":
        return f"[{esc(value)}](<{value}>)"  # the schema allows no spaces, < > or " in a URL
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
    return table(["Field", "Value"], rows) + [""] if rows else []


def citations(page: str, index: Index, rec: Record, heading: str = "## Sources {#sources}") -> list[str]:
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


def inferred_block(rec: Record) -> list[str]:
    """What the record infers rather than reads in its source, with the basis."""
    items = rec.data.get("inferred") or []
    lines = []
    if items:
        lines += ["## Inferred, not stated {#inferred}", ""]
        lines += [f"- {esc(i['what'])} — *basis:* {esc(i['basis'])}" for i in items]
        lines.append("")
    for key in ("date", "since", "published"):
        date = rec.data.get(key)
        if isinstance(date, dict) and date.get("inferred") and date.get("basis"):
            if not items and not lines:
                lines += ["## Inferred, not stated {#inferred}", ""]
            lines.append(f"- {FIELD_LABELS[key]} {esc(date['value'])} — *basis:* {esc(date['basis'])}")
    return lines + ([""] if lines and lines[-1] else [])


def quote_block(page: str, index: Index, rec: Record, with_speaker: bool = True) -> list[str]:
    """A quote as a blockquote with its attribution (or the lack of one)."""
    data = rec.data
    lines = [f"> “{esc(data['text'])}”", ">"]
    who = ref_link(page, index, data["speaker"]) if data.get("speaker") else "*not attributed in the source*"
    extra = []
    if data.get("speaker_note"):
        extra.append(esc(data["speaker_note"]))
    if data.get("variant_of") and index.get(data["variant_of"]):
        extra.append("other wording: " + link(page, index.get(data["variant_of"]), "see"))
    tail = f" ({'; '.join(extra)})" if extra else ""
    lines.append(f"> — {who if with_speaker else ''}{tail} · {link(page, rec, 'permalink')}")
    return lines + [""]


def assessment_block(page: str, index: Index, rec: Record) -> list[str]:
    """An assessment: title, author, judgement."""
    data = rec.data
    who = ref_link(page, index, data["author"]) if data.get("author") else esc(data.get("author_note", "the source's writer"))
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
    lines = ["## Referenced by {#referenced-by}", ""]
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
    lines = [f"# {esc(rec.title)} {{#{rec.id}}}", ""]
    lines += [f'<span class="kind-label">{kind.name.capitalize()}</span>', ""]
    if data.get("summary"):
        lines += [esc(data["summary"]), ""]
    names = []
    if data.get("native_name") and data["native_name"].get("text") != rec.title:
        names.append(esc(data["native_name"]["text"]))
    names += [esc(a) for a in data.get("aliases") or []]
    if names:
        lines += [f"*Also written:* {' · '.join(names)}", ""]
    lines += facts_table(page, index, rec, RECORD_FIELDS[rec.kind] + ("related",))
    if data.get("notes"):
        lines += [f"*Editor's note:* {esc(data['notes'])}", ""]
    lines += related_sections(page, index, rec)
    lines += inferred_block(rec)
    lines += citations(page, index, rec)
    if rec.kind == "source":
        lines += source_citers(page, index, rec)
    lines += backlinks_block(page, index, rec)
    return "\n".join(lines)


def related_sections(page: str, index: Index, rec: Record) -> list[str]:
    """Quotes, demands, outcomes, events and assessments involving the record."""
    lines: list[str] = []
    quotes = index.referrers(rec.id, "speaker", "quote") + [
        q for q in index.referrers(rec.id, "about", "quote") if q.data.get("speaker") != rec.id]
    if quotes:
        lines += ["## Quotes {#quotes}", ""]
        for q in quotes:
            lines += quote_block(page, index, q)
    by = index.referrers(rec.id, "author", "assessment")
    about = [a for a in index.referrers(rec.id, "subjects", "assessment") if a not in by]
    if by:
        lines += ["## Assessments by this author {#assessments-by}", ""]
        for a in by:
            lines += assessment_block(page, index, a)
    if about:
        lines += ["## Assessments {#assessments}", ""]
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
    return ["## Cited by {#cited-by}", ""] + table(["Record", "Kind", "Excerpt"], rows) + [""]


INDEX_COLUMNS = {
    "person": (("Name", None), ("Role", "role"), ("Affiliations", "affiliations")),
    "organization": (("Name", None), ("Type", "type"), ("Part of", "parent"), ("Led by", "leader")),
    "demand": (("Demand", None), ("Party", "party"), ("Addressed to", "target"), ("Status", "status")),
    "agreement": (("Outcome", None), ("Type", "type"), ("Status", "status"), ("Parties", "parties")),
    "event": (("Date", "date"), ("Event", None), ("Participants", "participants")),
    "source": (("Title", None), ("Publisher", "publisher"), ("Published", "published")),
}
"""Columns of each kind's index table: (header, field); None is the linked title."""


def render_kind_index(index: Index, kind_name: str) -> str:
    """The index page of a kind: a table of key fields, or the quotes/assessments themselves."""
    kind = KINDS[kind_name]
    page = f"{kind.plural}/index.md"
    records = index.by_kind.get(kind_name, [])
    lines = [f"# {kind.label} {{#{kind.plural}}}", "", f"{count_label(len(records), kind_name)}.", ""]
    if kind_name == "quote":
        for q in records:
            lines += [f"## “{esc(clip(q.data['text'], 70))}” {{#{q.id}}}", ""]
            lines += quote_block(page, index, q)
            lines += citations(page, index, q, "**Source**")
    elif kind_name == "assessment":
        for a in records:
            who = ref_link(page, index, a.data["author"]) if a.data.get("author") else esc(a.data.get("author_note", "the source's writer"))
            lines += [f"## {esc(a.title)} {{#{a.id}}}", "", f"*By* {who}", "", esc(a.data.get("summary", "")), ""]
            if a.data.get("subjects"):
                lines += [f"*About:* {ref_list(page, index, a.data['subjects'])}", ""]
            lines += citations(page, index, a, "**Source**")
    else:
        if kind_name == "event":
            records = sorted(records, key=lambda r: (date_key(r.data.get("date")), r.title))
        columns = INDEX_COLUMNS[kind_name]
        rows = [[link(page, r) if field is None else _value(page, index, field, r.data[field])
                 if r.data.get(field) not in (None, []) else "" for _, field in columns] for r in records]
        lines += table([h for h, _ in columns], rows) + [""]
    return "\n".join(lines)


def render_timeline(index: Index) -> str:
    """Every dated event, demand and agreement in date order, partial dates first in their period."""
    page = "timeline.md"
    dated = [r for kind in ("event", "agreement") for r in index.by_kind.get(kind, []) if r.data.get("date")]
    dated.sort(key=lambda r: (date_key(r.data["date"]), r.kind != "event", r.title))
    lines = ["# Timeline {#timeline}", "", "Events and outcomes in date order. Dates marked *inferred* "
             "are worked out from the source's own time words, shown in quotes.", ""]
    year = None
    for r in dated:
        y = r.data["date"]["value"][:4]
        if y != year:
            lines += [f"## {y} {{#y{y}}}", ""]
            year = y
        summary = f" — {esc(clip(r.data['summary'], 200))}" if r.data.get("summary") else ""
        status = f" {badge(r.data['status'])}" if r.data.get("status") and r.data.get("status") != "happened" else ""
        lines.append(f"- **{format_date(r.data['date'])}** — {link(page, r)}{status}{summary}")
    return "\n".join(lines + [""])


def count_label(n: int, kind: str) -> str:
    """`1 person`, `3 people`."""
    return f"{n} {kind if n == 1 else KINDS[kind].label.lower()}"


def render_home(index: Index) -> str:
    """The home page: the story in one screen."""
    page = "index.md"
    events = sorted(index.by_kind.get("event", []), key=lambda r: date_key(r.data.get("date")))
    happened = [e for e in events if e.data.get("status", "happened") == "happened"]
    upcoming = [e for e in events if e.data.get("status", "happened") != "happened"]
    lines = ["# Briefing {#briefing}", ""]
    counts = " · ".join(f"[{count_label(len(index.by_kind.get(k, [])), k)}]({KINDS[k].plural}/index.md)"
                        for k in KINDS)
    lines += [counts, ""]
    if happened:
        lines += ["## What happened {#what-happened}", ""]
        for e in happened[-5:][::-1]:
            summary = f" — {esc(e.data['summary'])}" if e.data.get("summary") else ""
            lines.append(f"- **{format_date(e.data['date'], words=False)}** {link(page, e)}{summary}")
        lines += ["", "[Full timeline](timeline.md)", ""]
    outcomes = [a for a in index.by_kind.get("agreement", []) if a.data.get("type") != "earlier-agreement"]
    if outcomes:
        lines += ["## Outcomes {#outcomes}", ""]
        lines += [f"- {badge(a.data['status'])} {link(page, a)} ({esc(a.data['type'])})" for a in outcomes]
        lines.append("")
    demands = [d for d in index.by_kind.get("demand", []) if d.data.get("status") in OPEN_DEMAND]
    if demands:
        lines += ["## Open demands by party {#open-demands}", ""]
        by_party: dict[str, list[Record]] = defaultdict(list)
        for d in demands:
            by_party[d.data["party"]].append(d)
        for party in sorted(by_party, key=lambda p: index.get(p).title if index.get(p) else p):
            lines.append(f"**{ref_link(page, index, party)}**")
            lines.append("")
            lines += [f"- {badge(d.data['status'])} {link(page, d)}" for d in by_party[party]]
            lines.append("")
    people = index.by_kind.get("person", [])
    if people:
        lines += ["## Who's who {#whos-who}", ""]
        lines += table(["Person", "Role"], [[link(page, p), esc(p.data.get("role", ""))] for p in people]) + [""]
    pending = [a for a in outcomes if a.data.get("status") == "pending"]
    if upcoming or pending:
        lines += ["## What comes next {#what-comes-next}", ""]
        for e in upcoming:
            summary = f" — {esc(e.data['summary'])}" if e.data.get("summary") else ""
            lines.append(f"- {badge(e.data['status'])} {link(page, e)}{summary}")
        lines += [f"- {badge('pending')} {link(page, a)}" for a in pending]
        lines.append("")
    return "\n".join(lines)


def render_site(index: Index) -> dict[str, str]:
    """Every generated page: path relative to site_src -> Markdown text."""
    pages = {"index.md": render_home(index), "timeline.md": render_timeline(index)}
    for kind in KINDS.values():
        pages[f"{kind.plural}/index.md"] = render_kind_index(index, kind.name)
        if kind.has_pages:
            for rec in index.by_kind.get(kind.name, []):
                pages[page_of(rec)] = render_record(index, rec)
    return pages
