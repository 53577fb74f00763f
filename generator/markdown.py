"""Markdown building blocks for the renderers: escaping, links, dates, badges.

Every string that comes from YAML passes through `esc()` before it reaches Markdown, so a
name containing `|`, `*`, `[` or `<script>` renders as text and cannot break a table.
"""
from __future__ import annotations

import html
import posixpath
import re

from .index import Index, Record
from .kinds import KINDS

# Characters Python-Markdown (with the tables extension) honours a backslash escape for.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def esc(text) -> str:
    """Text as inert inline Markdown: one line, Markdown specials escaped, HTML escaped."""
    flat = " ".join(str(text).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False)


def clip(text: str, limit: int = 80) -> str:
    """Shorten text to `limit` characters on a word boundary, adding an ellipsis."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def page_of(rec: Record) -> str:
    """Path of the page (relative to site_src) that shows a record."""
    kind = KINDS[rec.kind]
    return f"{kind.plural}/{rec.id}.md" if kind.has_pages else f"{kind.plural}/index.md"


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one generated page to another (MkDocs checks these)."""
    rel = posixpath.relpath(to_page, posixpath.dirname(from_page) or ".")
    if rel == posixpath.basename(from_page) and anchor:
        rel = ""
    return rel + (f"#{anchor}" if anchor else "")


def link(from_page: str, rec: Record, text: str | None = None) -> str:
    """Markdown link to a record's page (or its anchor on its kind's index)."""
    anchor = "" if KINDS[rec.kind].has_pages else rec.id
    label = text if text is not None else clip(rec.title, 90)
    return f"[{esc(label)}]({href(from_page, page_of(rec), anchor)})"


def ref_link(from_page: str, index: Index, record_id) -> str:
    """Link to the record with this id, or the escaped id if it does not exist."""
    rec = index.get(record_id) if isinstance(record_id, str) else None
    return link(from_page, rec) if rec else esc(record_id)


def ref_list(from_page: str, index: Index, ids) -> str:
    """Comma-separated links to several records."""
    return ", ".join(ref_link(from_page, index, i) for i in ids or [])


def badge(status: str) -> str:
    """A status badge (statuses are schema enum values: a fixed set of slugs)."""
    slug = re.sub(r"[^a-z0-9-]", "", str(status))
    return f'<span class="badge badge-{slug}">{esc(status)}</span>'


def date_key(date) -> str:
    """Sort key for a date object: partial dates sort at the start of their period."""
    return date.get("value", "") if isinstance(date, dict) else ""


def format_date(date, words: bool = True) -> str:
    """`16 May 2025`, `March 2022`, `2015`; with the source's words and an inferred marker."""
    if not isinstance(date, dict):
        return ""
    parts = str(date.get("value", "")).split("-")
    if len(parts) == 3:
        shown = f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    elif len(parts) == 2:
        shown = f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    else:
        shown = parts[0]
    out = esc(shown)
    notes = []
    if words and date.get("words"):
        notes.append(f"“{esc(date['words'])}”")
    if date.get("inferred"):
        notes.append('<span class="inferred" title="worked out, not stated in the source">inferred</span>')
    return out + (f" ({'; '.join(notes)})" if notes else "")


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a Markdown table; cells must already be escaped Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines
