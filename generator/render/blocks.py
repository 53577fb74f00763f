"""Building blocks shared by the page renderers: field values, facts tables, citations,
quotes, assessments, notes. Pure functions: records in, Markdown lines out."""
from __future__ import annotations

from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import badge, esc, format_date, link, ref_link, ref_list, table, url_target

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


def count_label(n: int, kind: str) -> str:
    """`1 person`, `3 people`."""
    return f"{n} {kind if n == 1 else KINDS[kind].label.lower()}"
