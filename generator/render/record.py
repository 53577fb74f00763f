"""The page of one record (person, organization, demand, agreement, event, source)."""
from __future__ import annotations

from collections import defaultdict

from ..disputes import distinct_values
from ..export import json_ld_block
from ..graph import record_graph
from ..index import Index, Record
from ..kinds import KINDS, field_label
from ..markdown import clip, esc, front_matter, in_language, link, page_of, table
from ..names import also_written
from ..provenance import citations_in
from ..history import History
from .blocks import (assessment_block, caveats_block, citations, differ_link, disputes_block, facts_table,
                     inferred_block, notes_line, quote_block)
from .changes import DATELINE_MARK, HISTORY_MARK, LATER, dateline, history_block, record_history


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
        grouped[src.kind].append(f"{link(page, src)} ({field_label(src.kind, ln.field).lower()})")
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


def render_record(index: Index, rec: Record, history: History | None = None) -> str:
    """The page of one person, organization, demand, agreement, event or source."""
    page = page_of(rec)
    kind = KINDS[rec.kind]
    data = rec.data
    # The kind as a tag: Material's search shows it beside every hit.
    lines = [front_matter(rec.title, tags=[kind.name.capitalize()]) + f"# {esc(rec.title)} {{#{rec.id}}}", ""]
    lines += [f'<span class="kind-label" data-search-exclude>{kind.name.capitalize()}</span>', ""]
    changes = record_history(history, rec) if history is not LATER else []
    lines += [DATELINE_MARK, ""] if history is LATER else dateline(changes)
    if data.get("summary"):
        differ = f" {differ_link(page, rec)}" if len(distinct_values(data, "summary")) > 1 else ""
        lines += [esc(data["summary"]) + differ, ""]
    lines += caveats_block(page, index, rec)
    # In the body, because search indexes page text only: native script, aliases, folded and
    # romanized spellings (Зеленський, Zelenskyy, Zelenskyi, Erdogan for Erdoğan).
    native = data.get("native_name") or {}
    native_text = " ".join(native.get("text", "").split())  # as also_written gives it
    names = [in_language(n, native["lang"]) if n == native_text else esc(n)
             for n in also_written(rec.title, native, data.get("aliases"), spell_and=kind.title_field == "name")]
    if names:
        lines += [f'<span class="also-written">*Also written:* {" · ".join(names)}</span>', ""]
    lines += facts_table(page, index, rec, RECORD_FIELDS[rec.kind] + ("related",))
    lines += notes_line(rec)  # before the graph, whose section is kept out of the search index
    lines += record_graph(index, rec, page)
    lines += disputes_block(page, index, rec)
    lines += related_sections(page, index, rec)
    lines += inferred_block(page, index, rec)
    lines += citations(page, index, rec)
    if rec.kind == "source":
        lines += source_citers(page, index, rec)
    if history is LATER:
        lines += [HISTORY_MARK, ""]
    else:
        lines += history_block(index, changes, history.titles if history is not None else {})
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
    """On a source page: every record citing it, with the excerpts and what each supports
    (the record, a caveat, or the source's account of a field the sources disagree on)."""
    rows = []
    seen: set[str] = set()
    for ln in index.backlinks.get(rec.id, ()):
        if ln.field != "sources" or ln.source in seen:
            continue
        seen.add(ln.source)
        src = index.records[ln.source]
        for path, cite in citations_in(src.data):
            if cite.get("source") == rec.id:
                what = {"sources": "the record", "caveats": "a caveat"}.get(path[0]) or \
                    f"its account of {field_label(src.kind, path[1]).lower()}"
                rows.append([link(page, src), esc(KINDS[src.kind].label), what,
                             f"“{esc(clip(cite['excerpt'], 200))}”"])
    if not rows:
        return []
    return ["## Cited by {#cited-by data-search-exclude}", ""] + table(["Record", "Kind", "Supports", "Excerpt"], rows) + [""]
