"""Each kind's listing: a sortable, filterable table, or the quotes and assessments themselves;
split into pages on big sites."""
from __future__ import annotations

import html

from ..export import DATA_DIR
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import clip, date_key, esc, href, link, listing_page, ref_list, table
from .blocks import (SEARCH_EXCLUDED, author_label, caveats_block, citations, count_label, disputes_block,
                     inferred_block, notes_line, quote_block, shown_value)

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
        return f'<time datetime="{html.escape(date_key(value), quote=True)}">{shown_value(page, index, rec, field)}</time>'
    return shown_value(page, index, rec, field)


LISTING_SIZE = {"quote": 200, "assessment": 200}
"""Records per page of a kind's listing; other kinds: TABLE_ROWS. Big listings are split so that
no page passes ~1 MB of HTML at 10,000 records (a quote with its citation is ~1 KB, a row ~0.4 KB)."""
TABLE_ROWS = 500
"""Rows per page of a kind's table (filtering and sorting by reader.js work within a page)."""


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
            lines += quote_block(page, index, q) + notes_line(q) + caveats_block(page, index, q)
            lines += disputes_block(page, index, q, "**Sources differ**")
            lines += [SEARCH_EXCLUDED, ""] + inferred_block(page, index, q, "**Inferred, not stated**")
            lines += citations(page, index, q, "**Source**") + ["</div>", ""]
    elif kind_name == "assessment":
        for a in records:
            who = author_label(page, index, a)
            lines += [f"## {esc(a.title)} {{#{a.id}}}", "", f"*By* {who}", "{: data-search-exclude }", "",
                      esc(a.data.get("summary", "")), ""]
            if a.data.get("subjects"):
                lines += [f"*About:* {ref_list(page, index, a.data['subjects'])}", "{: data-search-exclude }", ""]
            lines += notes_line(a) + [SEARCH_EXCLUDED, ""] + inferred_block(page, index, a, "**Inferred, not stated**")
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
