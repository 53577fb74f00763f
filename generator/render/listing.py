"""Each kind's listing: a sortable, filterable table, or the quotes and assessments themselves;
split into pages on big sites."""
from __future__ import annotations

import html
import zlib

from ..export import DATA_DIR
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import clip, date_key, esc, front_matter, href, link, listing_page, ref_list, table
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


PAGE_MIN, PAGE_AVG, PAGE_MAX = 25, 50, 100
"""Records (or timeline entries) on a page of a split listing: at least PAGE_MIN (but the last),
about PAGE_AVG, at most PAGE_MAX. A listing of up to PAGE_MAX is one page. (A quote with its
citation is ~1 KB of HTML, a table row ~0.6 KB, a timeline entry ~2 KB: pages stay small
enough for phones, and a name shown on many rows makes MkDocs rebuild light pages; pages of
~100 rows made that edit 0.2-0.4 s slower at 10,000 records.)"""


def _ends_page(key: str) -> bool:
    """Whether a page may end after the record with this id: true of about one id in
    PAGE_AVG - PAGE_MIN, decided by the id alone."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % (PAGE_AVG - PAGE_MIN) == 0


def split_pages(records: list[Record]) -> list[list[Record]]:
    """Records in their listing order, split into pages (at least one, maybe empty).

    A page ends after a record whose id says so (_ends_page) once it has PAGE_MIN records, or
    when it has PAGE_MAX; a short last page joins the one before. The breaks go with the
    records, not with their positions: a record added or deleted changes its own page (and
    rarely the next), never every later page, so an edit rebuilds a page or two of a listing.
    """
    if len(records) <= PAGE_MAX:
        return [records]
    pages: list[list[Record]] = [[]]
    for rec in records:
        page = pages[-1]
        page.append(rec)
        if len(page) >= PAGE_MAX or (len(page) >= PAGE_MIN and _ends_page(rec.id)):
            pages.append([])
    if len(pages[-1]) < PAGE_MIN and len(pages) > 1:
        last = pages.pop()
        pages[-1] += last
    return pages


def listing_chunks(index: Index, kind_name: str) -> list[list[Record]]:
    """A kind's records in listing order, split into pages (split_pages)."""
    records = index.by_kind.get(kind_name, [])
    if kind_name == "event":
        records = sorted(records, key=lambda r: (date_key(r.data.get("date")), r.title))
    return split_pages(records)


PAGER_AROUND = 2
"""Pages linked on each side of the current one in a pager (besides the first and the last)."""


def pager_numbers(number: int, total: int) -> list[int | None]:
    """The page numbers a pager shows, None for a gap: every page of a short listing; else the
    first, the last, and PAGER_AROUND on each side of `number`."""
    if total <= 2 * PAGER_AROUND + 5:
        return list(range(1, total + 1))
    shown = sorted({1, total, *range(max(1, number - PAGER_AROUND), min(total, number + PAGER_AROUND) + 1)})
    out: list[int | None] = []
    for n in shown:
        if out and n - out[-1] == 2:
            out.append(n - 1)  # a gap of one page: the page itself, not "…"
        elif out and n - out[-1] > 2:
            out.append(None)
        out.append(n)
    return out


def pager(page: str, pages: list[str], number: int) -> list[str]:
    """Links to the other pages of a split listing (nothing when there is one page)."""
    if len(pages) < 2:
        return []
    items = ["…" if n is None else f"**{n}**" if n == number else f"[{n}]({href(page, pages[n - 1])})"
             for n in pager_numbers(number, len(pages))]
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
    # A table's rows are out of search (each is its record's own page); quotes and assessments,
    # which have no pages, are found on their listing.
    lines = [front_matter(title, search_exclude=True)] if kind.has_pages else []
    lines += [f"# {title} {{#{kind.plural}}}", ""]
    if number == 1:  # (not on every page: a record added or deleted would change them all)
        lines += [f"{count_label(total, kind_name)}.", ""]
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
