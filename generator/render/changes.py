"""Pages of a living briefing: each record's history, What's new, the removal notices
(tombstones) at removed records' addresses and the redirect pages at renamed ones.

Changes are described in plain words ("Status: expected → agreed", "Date: May 2025 → 16 May
2025, more precise"), the same words on pages and in the feed (feed.py).
"""
from __future__ import annotations

import html
import posixpath
from collections import defaultdict
from functools import lru_cache
from typing import Callable

from ..addresses import Addresses, Key, Tombstone
from ..gitlog import Commit
from ..history import Change, FieldChange, History
from ..index import Index, Record
from ..kinds import KINDS, display, field_label
from ..markdown import clip, esc, front_matter, href, in_language, link, long_date, page_of
from ..siteconfig import SiteConfig

WHATS_NEW = "whats-new.md"
"""The What's new page."""
WHATS_NEW_LIMIT = 300
"""Most changes on the What's new page (the newest); older ones stay on each record's page."""
RECORD_HISTORY_LIMIT = 25
"""Most changes listed on a record's page (the newest)."""
ACTIONS = {"added": "Added", "changed": "Changed", "removed": "Removed"}
"""Labels of the What's new page's groups, in the order they are shown."""
class Later:
    """The type of LATER."""

    def __repr__(self) -> str:
        return "LATER"


LATER = Later()
"""Passed as the history to render pages before it is read: record pages get markers where
their dateline and history go (filled by `fill_history`), pages made of it are left out."""
DATELINE_MARK = "<!-- briefing: dateline -->"
"""Where a record page's dateline goes when its history comes later."""
HISTORY_MARK = "<!-- briefing: history -->"
"""Where a record page's history goes when it comes later."""


def _title_of(index: Index, rid, titles: dict[str, str]) -> str:
    """The title of a record by id: the record's, else its last title in the history, else the id."""
    rec = index.get(rid) if isinstance(rid, str) else None
    return rec.title if rec else titles.get(rid, str(rid)) if isinstance(rid, str) else str(rid)


def _plain_date(value) -> str:
    """A date value in words, e.g. `16 May 2025 (inferred)`."""
    if not isinstance(value, dict) or not isinstance(value.get("value"), str):
        return str(value)
    return long_date(value["value"]) + (" (inferred)" if value.get("inferred") else "")


def plain_value(index: Index, kind: str, name: str, value, titles: dict[str, str]) -> str:
    """A field's value in plain words (record titles for references, dates in words)."""
    how = display(kind, name)
    if how == "date":
        return _plain_date(value)
    if how == "ref":
        return _title_of(index, value, titles)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(_title_of(index, v, titles) if how == "refs" else clip(v, 60) for v in value)
    if isinstance(value, str):
        return value if how == "badge" else f"“{clip(value, 120)}”"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict) and isinstance(value.get("text"), str):  # a native name
        return f"{value['text']} ({value.get('lang', '?')})"
    if isinstance(value, dict):
        return clip("; ".join(f"{k}: {plain_value(index, kind, name, v, titles)}" for k, v in value.items()), 120)
    return clip(str(value), 120)


def _citations(index: Index, before, after, titles: dict[str, str]) -> str:
    """What changed among a record's citations, by source."""
    def pairs(value):
        return [(c.get("source"), c.get("excerpt")) for c in value or () if isinstance(c, dict)]

    old, new = pairs(before), pairs(after)
    old_sources = {s for s, _ in old}
    new_sources = {s for s, _ in new}
    parts = [f"now also cites {_title_of(index, s, titles)}" for s in dict.fromkeys(s for s, _ in new)
             if s not in old_sources]
    parts += [f"no longer cites {_title_of(index, s, titles)}" for s in dict.fromkeys(s for s, _ in old)
              if s not in new_sources]
    added = sum(1 for p in new if p not in old and p[0] in old_sources)
    removed = sum(1 for p in old if p not in new and p[0] in new_sources)
    if added or removed:
        parts.append("excerpts revised" if added and removed else
                     ("an excerpt added" if added == 1 else f"{added} excerpts added") if added else
                     ("an excerpt removed" if removed == 1 else f"{removed} excerpts removed"))
    return "; ".join(parts) or "revised"


def _disputes(kind: str, before, after) -> str:
    """Which fields the sources now differ on, or no longer do."""
    old, new = before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}
    parts = [f"sources now differ on {field_label(kind, f).lower()}" for f in new if f not in old]
    parts += [f"sources no longer differ on {field_label(kind, f).lower()}" for f in old if f not in new]
    parts += [f"accounts of {field_label(kind, f).lower()} revised" for f in new if f in old and old[f] != new[f]]
    return "; ".join(parts)


def describe_field(index: Index, kind: str, fc: FieldChange, titles: dict[str, str] | None = None) -> str:
    """One field change in words, e.g. `Status: expected → agreed`; `titles`: last titles of
    records that are gone (History.titles)."""
    titles = titles or {}
    label = field_label(kind, fc.field)
    if fc.field == "sources":
        return f"{label}: {_citations(index, fc.before, fc.after, titles)}"
    if fc.field == "disputes":
        return _disputes(kind, fc.before, fc.after).capitalize()
    if fc.field in ("caveats", "inferred"):
        count = len(fc.after or ()) - len(fc.before or ())
        what = "added" if count > 0 else "removed" if count < 0 else "revised"
        return f"{label}: {what}"
    if fc.before is None:
        return f"{label}: {plain_value(index, kind, fc.field, fc.after, titles)} (new)"
    if fc.after is None:
        return f"{label} removed (was {plain_value(index, kind, fc.field, fc.before, titles)})"
    how = display(kind, fc.field)
    if how == "refs" and isinstance(fc.before, list) and isinstance(fc.after, list):
        gained = [_title_of(index, r, titles) for r in fc.after if r not in fc.before]
        lost = [_title_of(index, r, titles) for r in fc.before if r not in fc.after]
        parts = ([f"added {', '.join(gained)}"] if gained else []) + ([f"removed {', '.join(lost)}"] if lost else [])
        return f"{label}: {'; '.join(parts) or 'reordered'}"
    text = (f"{label}: {plain_value(index, kind, fc.field, fc.before, titles)} → "
            f"{plain_value(index, kind, fc.field, fc.after, titles)}")
    if how == "date" and isinstance(fc.before, dict) and isinstance(fc.after, dict):
        old, new = str(fc.before.get("value", "")), str(fc.after.get("value", ""))
        if len(new) > len(old) and new.startswith(old):
            text += ", more precise"
    return text


def describe(index: Index, change: Change, titles: dict[str, str] | None = None) -> list[str]:
    """A change in words: one line per changed field, or what happened to the record."""
    if change.action == "added":
        return ["First recorded"]
    if change.action == "removed":
        return ["Removed"]
    lines = []
    if change.renamed_from:
        kind, old = change.renamed_from
        lines.append(f"Renamed from {old}" if kind == change.kind else
                     f"Moved from {KINDS[kind].label} to {KINDS[change.kind].label} (was {old})")
    return lines + [describe_field(index, change.kind, fc, titles) for fc in change.fields]


def described(index: Index, change: Change, titles: dict[str, str] | None = None) -> str:
    """`describe`'s lines joined and escaped for a page, with native names marked up with their
    language and direction (`Native name: <span lang="ar" dir="rtl">…</span> (ar)`)."""
    text = esc("; ".join(describe(index, change, titles)))
    for fc in change.fields:
        for value in (fc.before, fc.after):
            if isinstance(value, dict) and isinstance(value.get("text"), str) and value.get("lang"):
                text = text.replace(esc(value["text"]), in_language(value["text"], str(value["lang"])))
    return text


def why(commit: Commit) -> str:
    """The reason a commit gives: its message's first line."""
    return commit.subject


@lru_cache(maxsize=4096)
def _commit_label(commit: Commit) -> str:
    """A commit's date, bold (memoized: one commit labels thousands of records' histories)."""
    return f"**{long_date(commit.day)}**"


@lru_cache(maxsize=4096)
def _commit_reason(commit: Commit) -> str:
    """` — *why*` of a commit, escaped (memoized, as `_commit_label`)."""
    return f" — *{esc(why(commit))}*" if why(commit) else ""


@lru_cache(maxsize=4096)
def _added_line(commit: Commit) -> str:
    """The history entry of a record's first version (memoized: a first import adds thousands)."""
    return f"- {_commit_label(commit)} First recorded{_commit_reason(commit)}"


def dateline(changes: list[Change]) -> list[str]:
    """"First recorded … · last changed …", under a record's title."""
    if not changes:
        return []
    first, last = changes[0].commit.day, changes[-1].commit.day
    text = f"First recorded {long_date(first)}"
    if last != first or len(changes) > 1:
        text += f" · last changed {long_date(last)}"
    return [f'<p class="dateline" data-search-exclude>{text} · <a href="#history">history</a></p>', ""]


def history_block(index: Index, changes: list[Change], titles: dict[str, str]) -> list[str]:
    """A record's meaningful changes, newest first, each with its date and why."""
    if not changes:
        return []
    lines = ["## History {#history data-search-exclude}", ""]
    shown = changes[::-1][:RECORD_HISTORY_LIMIT]
    for change in shown:
        if change.action == "added":  # most entries: the same line for every record a commit added
            lines.append(_added_line(change.commit))
            continue
        lines.append(f"- {_commit_label(change.commit)} {described(index, change, titles)}{_commit_reason(change.commit)}")
    if len(changes) > len(shown):
        lines.append(f"- *… and {len(changes) - len(shown)} earlier changes*")
    return lines + [""]


def record_history(history: History | None, rec: Record) -> list[Change]:
    """The changes of one record there is now (none without history)."""
    return history.of_record.get(rec.id, []) if history is not None else []


def _current(history: History) -> dict[int, str]:
    """id() of each change -> the id of the record it belongs to now (live records only)."""
    return {id(c): rid for rid, changes in history.of_record.items() for c in changes}


def change_target(index: Index, history: History,
                  addresses: Addresses) -> Callable[[Change], Record | str | None]:
    """A function giving what a change links to: the record there is now, the removal notice
    at its address (a path in site_src), or None."""
    now = _current(history)

    def target(change: Change) -> Record | str | None:
        rid = now.get(id(change))
        if rid is not None and index.get(rid):
            return index.get(rid)
        key: Key = (change.kind, change.id)
        seen = set()
        while key in addresses.redirects and key not in seen:
            seen.add(key)
            key = addresses.redirects[key]
        if key in addresses.tombstones and KINDS[key[0]].has_pages:
            return tombstone_page(key)
        live = index.get(key[1])
        return live if live is not None and live.kind == key[0] else None

    return target


ADDED_SHOWN = 20
"""Most records named per kind in one commit's "Added" line (a first import adds thousands)."""


def _commit_block(page: str, index: Index, commit: Commit, changes: list[Change],
                  target: Callable[[Change], Record | str | None], titles: dict[str, str]) -> list[str]:
    """One commit's changes: its why, then what it added, changed and removed."""
    def named(change: Change) -> str:
        where = target(change)
        if isinstance(where, Record):
            return link(page, where)
        name = esc(clip(change.title, 90))
        return f"[{name}]({href(page, where)})" if where else name

    lines = [f"*{esc(why(commit))}*" if why(commit) else "*No reason given*", "{: .why }", ""]
    added: dict[str, list[Change]] = defaultdict(list)
    for change in changes:
        if change.action == "added":
            added[change.kind].append(change)
    for kind in KINDS:
        group = added.get(kind)
        if group:
            count = f"{len(group)} {KINDS[kind].name if len(group) == 1 else KINDS[kind].label.lower()}"
            more = f" and {len(group) - ADDED_SHOWN} more" if len(group) > ADDED_SHOWN else ""
            lines += [f"**Added {count}:** " + ", ".join(named(c) for c in group[:ADDED_SHOWN]) + more, ""]
    for action in ("changed", "removed"):
        group = [c for c in changes if c.action == action]
        if group:
            lines += [f"**{ACTIONS[action]}**", ""]
            for change in group:
                words = " — " + described(index, change, titles) if action == "changed" else ""
                lines.append(f"- {named(change)} ({KINDS[change.kind].name}){words}")
            lines.append("")
    return lines


def render_whats_new(index: Index, history: History | None, addresses: Addresses) -> str:
    """Every meaningful change, newest first, by date, then by commit (its why once): the
    records added, changed (before → after) and removed."""
    page = WHATS_NEW
    lines = [front_matter("What's new", search_exclude=True), "# What's new {#whats-new}", "",
             "Every change to the briefing, newest first, dated by the commit that made it, with the reason "
             "its message gives. Follow the changes in a feed reader: [Atom feed](feed.xml).", ""]
    if history is None or not history.changes:
        reason = history.notice if history is not None and history.notice else "no change is recorded yet"
        return "\n".join(lines + [f"*No history: {esc(reason)}.*", ""])
    changes = history.changes[::-1][:WHATS_NEW_LIMIT]
    target = change_target(index, history, addresses)
    by_commit: dict[Commit, list[Change]] = defaultdict(list)
    for change in changes:
        by_commit[change.commit].append(change)
    day = None
    for commit, group in by_commit.items():  # newest first
        if commit.day != day:
            day = commit.day
            lines += [f"## {long_date(day)} {{#d{day}}}", ""]
        lines += _commit_block(page, index, commit, group[::-1], target, history.titles)
    if len(history.changes) > len(changes):
        lines += [f"*{len(history.changes) - len(changes)} older changes are listed on the pages of their "
                  "records.*", ""]
    return "\n".join(lines)


def tombstone_page(key: Key) -> str:
    """Where the removal notice of a removed record goes in site_src (its old page's path)."""
    kind, rid = key
    return f"{KINDS[kind].plural}/{rid}.md"


def render_tombstone(index: Index, stone: Tombstone) -> str:
    """The removal notice at a removed record's address: when, why, what it was, what replaced it."""
    page = tombstone_page((stone.kind, stone.id))
    kind = KINDS[stone.kind]
    commit = stone.removal.commit
    lines = [front_matter(f"Removed: {stone.title}", search_exclude=True, robots="noindex"),
             f"# {esc(stone.title)} {{#{stone.id}}}", "",
             f'<span class="kind-label removed-label">Removed {kind.name}</span>', "",
             f"**This {kind.name} was removed from the briefing on {long_date(commit.day)}.**", "{: .tombstone }", ""]
    if commit.subject:
        reason = commit.subject + (f" — {commit.body}" if commit.body else "")
        lines += [f"*Reason given:* {esc(reason)}", ""]
    live = [index.get(rid) for rid in stone.replaced_by if index.get(rid)]
    if live:
        lines += ["*Replaced by:* " + ", ".join(link(page, rec) for rec in live), ""]
    if stone.summary:
        lines += [f"*What it said when it was removed:* {esc(stone.summary)}", ""]
    lines += [f"See [what's new]({href(page, WHATS_NEW)}) for every change, or the "
              f"[{kind.label.lower()}]({href(page, f'{kind.plural}/index.md')}) there are now.", ""]
    return "\n".join(lines)


def redirect_html(site: SiteConfig, old: Key, target_page: str, title: str) -> tuple[str, str]:
    """(path in site_src, HTML) of the page at a renamed record's old address: a meta refresh
    and a canonical link to its new page, and a plain link for readers whose browser stays."""
    kind, rid = old
    old_url = site.page_url(f"{KINDS[kind].plural}/{rid}.md")
    path = old_url + "index.html" if old_url.endswith("/") else old_url
    base = old_url if old_url.endswith("/") else old_url.rsplit("/", 1)[0] + "/"
    def address(url: str) -> str:  # absolute with site_url, else relative to the old address
        if site.url:
            return html.escape(site.absolute(url), quote=True)
        relative = posixpath.relpath(url.rstrip("/") or ".", base.rstrip("/") or ".")
        return html.escape(relative + ("/" if url.endswith("/") or not url else ""), quote=True)

    to = address(site.page_url(target_page))
    shown = html.escape(" ".join(title.split()))
    text = (f'<!doctype html>\n<html lang="{html.escape(site.language, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
            f'<title>Moved: {shown}</title>\n<meta name="robots" content="noindex">\n'
            f'<link rel="canonical" href="{to}">\n<meta http-equiv="refresh" content="0; url={to}">\n'
            f'<link rel="alternate" type="application/atom+xml" title="What\'s new" href="{address("feed.xml")}">\n'
            f'</head>\n<body>\n<p>This page has moved to <a href="{to}">{shown}</a>.</p>\n</body>\n</html>\n')
    return path, text


def address_files(index: Index, addresses: Addresses, site: SiteConfig) -> dict[str, str]:
    """The removal notices and redirect pages of every old address (kinds with pages only)."""
    files: dict[str, str] = {}
    for key, stone in sorted(addresses.tombstones.items()):
        if KINDS[key[0]].has_pages:
            files[tombstone_page(key)] = render_tombstone(index, stone)
    for old, new in sorted(addresses.redirects.items()):
        if not KINDS[old[0]].has_pages:
            continue
        if new in addresses.tombstones:
            if KINDS[new[0]].has_pages:
                path, text = redirect_html(site, old, tombstone_page(new), addresses.tombstones[new].title)
                files[path] = text
            continue
        rec = index.get(new[1])
        if rec is not None and KINDS[rec.kind].has_pages:
            path, text = redirect_html(site, old, page_of(rec), rec.title)
            files[path] = text
    return files


def fill_history(index: Index, pages: dict[str, str], history: History | None) -> dict[str, str]:
    """The record pages of `pages` (rendered with LATER) with their datelines and histories:
    the same text render_record gives with the history at hand."""
    titles = history.titles if history is not None else {}
    out = {}
    for rec in index.records.values():
        path = page_of(rec)
        if KINDS[rec.kind].has_pages and path in pages:
            changes = record_history(history, rec)
            text = _fill(pages[path], DATELINE_MARK, dateline(changes))
            out[path] = _fill(text, HISTORY_MARK, history_block(index, changes, titles))
    return out


def _fill(text: str, mark: str, lines: list[str]) -> str:
    """`text` with the line `mark` and the blank line after it (`[mark, ""]` in the page's lines)
    replaced by `lines` (which end with a blank line, or are none)."""
    if lines:
        return text.replace(f"{mark}\n", "\n".join(lines), 1)
    return text.replace(f"\n{mark}\n", "", 1)
