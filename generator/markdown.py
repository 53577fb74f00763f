"""Markdown building blocks for the renderers: escaping, links, dates, badges.

Every string that comes from YAML passes through `esc()` before it reaches Markdown, so a
name containing `|`, `*`, `[` or `<script>` renders as text and cannot break a table.
"""
from __future__ import annotations

import html
import json
import posixpath
import re
from functools import lru_cache
from urllib.parse import quote


from .index import Index, Record
from .kinds import KINDS
from .languages import canonical, direction, tag_error

# Characters Python-Markdown (with the tables extension) honours a backslash escape for.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|])")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def esc(text) -> str:
    """Text as inert inline Markdown: one line, Markdown specials escaped, HTML escaped."""
    flat = " ".join(str(text).split())
    return html.escape(_MD_SPECIAL.sub(r"\\\1", flat), quote=False)


_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters YAML does not allow in a document even inside quotes (JSON leaves them raw)."""


def _yaml_str(text: str) -> str:
    """A YAML double-quoted scalar: JSON's string syntax is a subset of YAML's (and ~20x faster
    to produce than `yaml.dump`), once the characters YAML forbids are escaped too."""
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def front_matter(title, tags: list[str] | None = None, search_exclude: bool = False, robots: str | None = None) -> str:
    """YAML front matter giving a page an HTML-escaped `title:` (ends with a blank line).

    Without it MkDocs takes the title from the page's heading and the theme prints it in
    `<title>` through Jinja's `striptags`, which turns `&lt;` back into `<`: a record named
    `</title><script>…` would become markup. A front-matter title is printed as given.
    `tags` (fixed words such as the record's kind) are shown by Material's search results
    beside each hit, so readers see what kind of record they found. `search_exclude` keeps the
    whole page out of search (MkDocs' and Zensical's); `robots` (e.g. `noindex`) is put in the
    page's head by the theme override.
    """
    flat = " ".join(str(title).split())
    meta = f"title: {_yaml_str(html.escape(flat))}\n"
    if tags:
        meta += f"tags: [{', '.join(_yaml_str(html.escape(str(t))) for t in tags)}]\n"
    if search_exclude:
        meta += "search:\n  exclude: true\n"
    if robots:
        meta += f"robots: {_yaml_str(robots)}\n"
    return f"---\n{meta}---\n\n"


def url_target(url) -> str:
    """An http(s) URL as a Markdown link target: characters outside RFC 3986 percent-encoded.

    `|` or a backtick would otherwise split or swallow a table cell, a backslash escape a `>`.
    """
    return quote(str(url), safe=":/?#[]@!$&'()*+,;=%~")


def clip(text: str, limit: int = 80) -> str:
    """Shorten text to `limit` characters on a word boundary, adding an ellipsis."""
    flat = " ".join(str(text).split())
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + "…"


def listing_page(plural: str, number: int = 1) -> str:
    """Page `number` (from 1) of a kind's listing: `quotes/index.md`, `quotes/page-2.md`, …"""
    return f"{plural}/index.md" if number <= 1 else f"{plural}/page-{number}.md"


def page_of(rec: Record) -> str:
    """Path of the page (relative to site_src) that shows a record.

    Records of kinds without pages of their own sit on their kind's listing, which is split
    into pages on big sites; `render.render_site` sets `listing_number` on those records.
    """
    kind = KINDS[rec.kind]
    if kind.has_pages:
        return f"{kind.plural}/{rec.id}.md"
    return listing_page(kind.plural, getattr(rec, "listing_number", 1))


@lru_cache(maxsize=1 << 16)
def _relpath(to_page: str, from_dir: str) -> str:
    """posixpath.relpath for clean relative paths, without its abspath calls (30 µs a link)."""
    if not from_dir:
        return to_page
    if to_page.startswith(from_dir + "/"):
        return to_page[len(from_dir) + 1:]
    up, to = from_dir.split("/"), to_page.split("/")
    if "" in up or "." in up or ".." in up or "" in to or "." in to or ".." in to:
        return posixpath.relpath(to_page, from_dir)
    common = 0
    while common < min(len(up), len(to) - 1) and up[common] == to[common]:
        common += 1
    return "../" * (len(up) - common) + "/".join(to[common:])


def href(from_page: str, to_page: str, anchor: str = "") -> str:
    """Relative link from one generated page to another (MkDocs checks these)."""
    rel = _relpath(to_page, posixpath.dirname(from_page))
    if rel == posixpath.basename(from_page) and anchor:
        rel = ""
    return rel + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=1 << 16)
def _label(title: str) -> str:
    """A record title as link text (memoized: a site makes ~10 links per record)."""
    return esc(clip(title, 90))


def link(from_page: str, rec: Record, text: str | None = None) -> str:
    """Markdown link to a record's page (or its anchor on its kind's index)."""
    anchor = "" if KINDS[rec.kind].has_pages else rec.id
    if text is not None:
        return f"[{esc(text)}]({href(from_page, page_of(rec), anchor)})"
    # A record is linked from ~15 pages, most in a few folders: keep its link from each folder on
    # the record itself (records are made anew, listing numbers included, by every check).
    # A link to an anchor also depends on the page it is on (same page: `#id` only) and on
    # which listing page holds the record.
    target = page_of(rec)
    where = (from_page, target) if anchor else from_page.rpartition("/")[0]
    made = rec.__dict__.setdefault("_links", {})
    found = made.get(where)
    if found is None:
        found = made[where] = f"[{_label(rec.title)}]({href(from_page, target, anchor)})"
    return found


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


@lru_cache(maxsize=1 << 12)
def long_date(value: str) -> str:
    """A `YYYY[-MM[-DD]]` date in words: `17 May 2025`, `March 2022`, `2015` (as given when it
    is not such a date)."""
    parts = str(value).split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
        if len(parts) == 2:
            return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        pass
    return str(value)


def _date_tokens(text: str) -> list[str]:
    """The words of a date, lowercased, without punctuation or ordinal endings (12th → 12)."""
    return sorted(re.sub(r"(?<=\d)(st|nd|rd|th)\b", "", w) for w in re.findall(r"\w+", str(text).casefold()))


def same_date_words(words: str, value: str) -> bool:
    """True when the source's words are only the date itself (`12 June 2026`, `June 12th, 2026`,
    `2026-06-12`), so showing them beside the formatted date would say it twice."""
    return words.strip() == str(value) or _date_tokens(words) == _date_tokens(long_date(str(value)))


def format_date(date, words: bool = True) -> str:
    """`16 May 2025`, `March 2022`, `2015`; with the source's words and an inferred marker."""
    if not isinstance(date, dict):
        return ""
    value = date.get("value", "")
    out = esc(long_date(value))
    notes = []
    if words and date.get("words") and not same_date_words(date["words"], value):
        notes.append(f"“{esc(date['words'])}”")
    if date.get("inferred"):
        notes.append('<span class="inferred" title="worked out, not stated in the source">inferred</span>')
    return out + (f" ({'; '.join(notes)})" if notes else "")


def table(header: list[str], rows: list[list[str]]) -> list[str]:
    """Lines of a Markdown table; cells must already be escaped Markdown."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell or " " for cell in row) + " |" for row in rows]
    return lines


def in_language(text: str, tag: str | None) -> str:
    """Escaped `text` marked up with its language (and direction when right-to-left), for Markdown
    and HTML alike: `<span lang="ar" dir="rtl">هالة حداد</span>`."""
    if not tag or tag_error(tag):
        return esc(text)
    rtl = ' dir="rtl"' if direction(text) == "rtl" else ""
    return f'<span lang="{html.escape(canonical(tag), quote=True)}"{rtl}>{esc(text)}</span>'
