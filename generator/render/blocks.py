"""Building blocks shared by the page renderers: field values, facts tables, citations,
quotes, assessments, notes. Pure functions: records in, Markdown lines out."""
from __future__ import annotations

from ..disputes import accounts, distinct_values
from ..index import Index, Record
from ..kinds import KINDS, display, field_label
from ..markdown import badge, esc, format_date, href, link, page_of, ref_link, ref_list, table, url_target

OPEN_DEMAND = ("standing", "unchanged", "escalated", "rejected")
"""Demand statuses that mean the demand is still on the table."""
SEARCH_EXCLUDED = '<div markdown="1" data-search-exclude>'
"""Opens a block Material's search leaves out. Citations, backlinks, facts tables, listings and
the timeline repeat what each record's own page says; indexing them would multiply the search
index (and its download) several times over and bury the record itself among its mentions."""
DIFFER_ANCHOR = "sources-differ"
"""Anchor of the side-by-side comparison of accounts on a record's page."""


def field_value(page: str, index: Index, kind: str, name: str, value, words: bool = True) -> str:
    """One field's value as inline Markdown, shown as its schema says (a date, a link, a badge…).

    `words`: show a date's own time words (not in the brief's and timeline's short dates).
    """
    how = display(kind, name)
    if how == "date":
        return format_date(value, words=words)
    if how == "badge":
        return badge(value)
    if how == "url":
        return f"[{esc(value)}](<{url_target(value)}>)"  # the schema allows only http(s) URLs
    if how == "ref":
        return ref_link(page, index, value)
    if how == "refs":
        return ref_list(page, index, value)
    if isinstance(value, list):
        return ", ".join(esc(v) for v in value)
    return esc(value)


def differ_link(page: str, rec: Record) -> str:
    """A "sources differ" marker linking to the record's side-by-side comparison."""
    anchor = DIFFER_ANCHOR if KINDS[rec.kind].has_pages else rec.id
    return f'[sources differ]({href(page, page_of(rec), anchor)}){{: .sources-differ }}'


def shown_value(page: str, index: Index, rec: Record, name: str, words: bool = True) -> str:
    """A record's field wherever it is shown: when sources disagree on it, every value they give
    (the record's own first) and a "sources differ" marker — never silently one of them."""
    values = distinct_values(rec.data, name)
    if len(values) < 2:
        return field_value(page, index, rec.kind, name, rec.data.get(name), words)
    shown = " or ".join(field_value(page, index, rec.kind, name, v, words) for v in values)
    return f"{shown} {differ_link(page, rec)}"


def facts_table(page: str, index: Index, rec: Record, fields: tuple[str, ...]) -> list[str]:
    """A two-column table of the record's fields that are present."""
    rows = [[field_label(rec.kind, f), shown_value(page, index, rec, f)]
            for f in fields if rec.data.get(f) not in (None, [], "")]
    return [SEARCH_EXCLUDED, ""] + table(["Field", "Value"], rows) + ["", "</div>", ""] if rows else []


def cite_line(page: str, index: Index, cite: dict) -> str:
    """One citation: the excerpt quoted, a link to its source and the editor's note."""
    source = index.get(cite["source"])
    where = link(page, source) if source else esc(cite["source"])
    note = f" — {esc(cite['note'])}" if cite.get("note") else ""
    return f"“{esc(cite['excerpt'])}” — {where}{note}"


def disputes_block(page: str, index: Index, rec: Record,
                   heading: str = f"## Sources differ {{#{DIFFER_ANCHOR} data-search-exclude}}") -> list[str]:
    """Each disputed field side by side: one column per source's account, with its words."""
    fields = [f for f in (rec.data.get("disputes") or {}) if len(distinct_values(rec.data, f)) >= 2]
    if not fields:
        return []
    lines = [heading, "", SEARCH_EXCLUDED, ""]
    for name in fields:
        listed = accounts(rec.data, name)
        header = [f"**{esc(field_label(rec.kind, name))}**"] + [
            link(page, index.get(a["source"])) if index.get(a["source"]) else esc(a["source"]) for a in listed]
        gives = ["Gives"] + [field_value(page, index, rec.kind, name, a["value"])
                             + (" *(shown first)*" if i == 0 else "") for i, a in enumerate(listed)]
        words = ["In its words"] + [f"“{esc(a['excerpt'])}”" for a in listed]
        rows = [gives, words]
        if any(a.get("note") for a in listed):
            rows.append(["Note"] + [esc(a.get("note", "")) for a in listed])
        lines += ['<div class="accounts" markdown="1">', ""] + table(header, rows) + ["", "</div>", ""]
    return lines + ["</div>", ""]


def caveats_block(page: str, index: Index, rec: Record) -> list[str]:
    """The editor's caveats: discrepancies inside the cited text, with the passages at odds."""
    lines: list[str] = []
    for caveat in rec.data.get("caveats") or []:
        lines += ['<div class="caveat" role="note" markdown="1" data-search-exclude>', "",
                  f"**Caveat:** {esc(caveat['what'])}", ""]
        lines += [f"- {cite_line(page, index, c)}" for c in caveat.get("sources") or []]
        lines += ["", "</div>", ""]
    return lines


def citations(page: str, index: Index, rec: Record,
              heading: str = "## Sources {#sources data-search-exclude}") -> list[str]:
    """The record's citations: each excerpt quoted, with a link to its source."""
    cites = rec.data.get("sources") or []
    if not cites:
        return []
    return [heading, ""] + [f"- {cite_line(page, index, cite)}" for cite in cites] + [""]


def inferred_block(page: str, index: Index, rec: Record,
                   heading: str = "## Inferred, not stated {#inferred data-search-exclude}") -> list[str]:
    """What the record infers rather than reads in its source, with the basis (inferred dates
    in sources' accounts of a disputed date included)."""
    items = [f"- {esc(i['what'])} — *basis:* {esc(i['basis'])}" for i in rec.data.get("inferred") or []]
    for key, date in rec.data.items():
        if display(rec.kind, key) == "date" and isinstance(date, dict) and date.get("inferred") and date.get("basis"):
            items.append(f"- {field_label(rec.kind, key)} {esc(date['value'])} — *basis:* {esc(date['basis'])}")
    for key in rec.data.get("disputes") or {}:
        for account in accounts(rec.data, key) if display(rec.kind, key) == "date" else ():
            date = account["value"]
            if date != rec.data.get(key) and date.get("inferred") and date.get("basis"):
                source = index.get(account["source"])
                who = link(page, source) if source else esc(account["source"])
                items.append(f"- {field_label(rec.kind, key)} {esc(date['value'])}, as {who} gives it "
                             f"— *basis:* {esc(date['basis'])}")
    return [heading, ""] + items + [""] if items else []


def notes_line(rec: Record) -> list[str]:
    """The editor's note, labelled as such (it is not a fact from the source)."""
    return [f"*Editor's note:* {esc(rec.data['notes'])}", ""] if rec.data.get("notes") else []


def quote_block(page: str, index: Index, rec: Record, with_speaker: bool = True) -> list[str]:
    """A quote as a blockquote with its attribution (or the lack of one)."""
    data = rec.data
    lines = [f"> “{esc(data['text'])}”", ""]
    who = shown_value(page, index, rec, "speaker") if data.get("speaker") else "*not attributed in the source*"
    extra = []
    if data.get("speaker_note"):
        extra.append(esc(data["speaker_note"]))
    if data.get("variant_of") and index.get(data["variant_of"]):
        extra.append("other wording: " + link(page, index.get(data["variant_of"]), "see"))
    tail = f" ({'; '.join(extra)})" if extra else ""
    when = []
    if data.get("event") and index.get(data["event"]):
        when.append("at " + shown_value(page, index, rec, "event"))
    if data.get("date"):
        when.append(shown_value(page, index, rec, "date"))
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
