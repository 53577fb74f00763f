"""Addresses that never break: a renamed record's old address redirects to its page, and a
removed record's address keeps a tombstone (removed on <date>, its last title and summary,
the reason from the commit message, and what replaced it).

Renames come from git (a file renamed, with or without edits in the same commit) and from
records' `former_ids` (renames git cannot see, or history that is not there). Removals come
from git only: without history, nothing is known of records that are gone. A reference to a
former id is an error that names the new id (`check` reports it; see `stale_ids`).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .history import Change, History, build_history
from .index import Index
from .load import Document
from .markdown import long_date
from .problems import Problem

Key = tuple[str, str]
"""(kind, id): what a record's address is made of."""


@dataclass
class Tombstone:
    """What the address of a removed record shows."""

    kind: str
    """The removed record's kind."""
    id: str
    """Its id (the address's last part)."""
    title: str
    """Its last title."""
    summary: str | None
    """Its last summary."""
    removal: Change
    """The change that removed it (date and reason)."""
    replaced_by: list[str] = field(default_factory=list)
    """Ids of the records that name it in `replaces`."""


@dataclass
class Addresses:
    """Every address that was once a record's and is not one now."""

    redirects: dict[Key, Key] = field(default_factory=dict)
    """Old address -> the address it moved to (a record's, or a tombstone's)."""
    tombstones: dict[Key, Tombstone] = field(default_factory=dict)
    """Address of a removed record -> its tombstone."""


def check_addresses(documents: list[Document], index: Index) -> list[Problem]:
    """`former_ids` and `replaces` must name ids no record has now, and no two records may
    claim the same former id."""
    problems: list[Problem] = []
    claimed: dict[Key, str] = {}
    for doc in documents:
        rec = index.get(doc.id)
        if rec is None or rec.path != doc.path:
            continue
        for name in ("former_ids", "replaces"):
            for i, old in enumerate(rec.data.get(name) or ()):
                line, col = doc.mark((name, i))
                live = index.get(old)
                if live is not None:
                    problems.append(Problem(doc.path, line, col, "id-in-use",
                                            f"'{old}' is the id of {live.path}; {name} names ids no record "
                                            "has any more"))
                elif name == "former_ids" and (rec.kind, old) in claimed:
                    problems.append(Problem(doc.path, line, col, "former-id-taken",
                                            f"'{old}' is already a former id of {claimed[(rec.kind, old)]}; "
                                            "an old address can lead to one record only"))
                elif name == "former_ids":
                    claimed[(rec.kind, old)] = rec.path
    return problems


def plan_addresses(index: Index, history: History | None) -> Addresses:
    """Where each old address leads: renames (git and `former_ids`) and removals (git)."""
    live: set[Key] = {(rec.kind, rec.id) for rec in index.records.values()}
    moved: dict[Key, Key] = {}
    gone: dict[Key, Change] = {}
    if history is not None:
        by_path = {rec.path: rec for rec in index.records.values()}
        for path, track in history.live.items():
            rec = by_path.get(path)
            for old in track.names[:-1]:
                if rec is not None:
                    moved[old] = (rec.kind, rec.id)
        for track in history.ended:  # in the order of removal: a later removal wins
            last = track.names[-1]
            gone[last] = track.changes[-1]
            for old in track.names[:-1]:
                moved[old] = last
    for rec in index.records.values():
        for old in rec.data.get("former_ids") or ():
            moved[(rec.kind, old)] = (rec.kind, rec.id)
    out = Addresses()
    for key, removal in gone.items():
        if key not in live and key not in moved:
            summary = (removal.data or {}).get("summary")
            out.tombstones[key] = Tombstone(*key, removal.title, summary if isinstance(summary, str) else None, removal)
    for key in moved:
        if key in live:
            continue  # the address is a record's again
        target, seen = moved[key], {key}
        while target not in live and target not in out.tombstones and target in moved and target not in seen:
            seen.add(target)
            target = moved[target]
        if target in live or target in out.tombstones:
            out.redirects[key] = target
    by_id: dict[str, list[Tombstone]] = {}
    for stone in out.tombstones.values():
        by_id.setdefault(stone.id, []).append(stone)
    for rec in index.records.values():
        for old in rec.data.get("replaces") or ():
            for stone in by_id.get(old, ()):
                stone.replaced_by.append(rec.id)
    return out


def stale_ids(documents: list[Document], history: History | None) -> dict[str, tuple[str, str]]:
    """Ids no record has any more -> (code, message) for a reference to one: renamed (to the
    id to use) or removed (when, and why, from the commit)."""
    present = {doc.id: doc for doc in documents if doc.data is not None}
    out: dict[str, tuple[str, str]] = {}
    if history is not None:
        for track in history.ended:
            rid = track.names[-1][1]
            removal = track.changes[-1].commit if track.changes else None
            if rid not in present and removal is not None:
                why = f" ({removal.subject})" if removal.subject else ""
                out[rid] = ("removed-ref", f"'{rid}' was removed on {long_date(removal.day)}{why}; remove the reference "
                                           "or name the record that replaces it")
        by_path = {doc.path: doc.id for doc in present.values()}
        for path, track in history.live.items():
            for _, old in track.names[:-1]:
                if path in by_path and old not in present:
                    out[old] = ("renamed-ref", f"'{old}' was renamed to '{by_path[path]}'; use the new id")
    for doc in present.values():
        for name, code, verb in (("replaces", "removed-ref", "replaced by"), ("former_ids", "renamed-ref", "renamed to")):
            for old in doc.data.get(name) or ():
                if isinstance(old, str) and old not in present:
                    out[old] = (code, f"'{old}' was {verb} '{doc.id}'; use the new id")
    return out


def git_tracks(root) -> History | None:
    """Renames and removals from git, without reading any file's content (for `check`'s
    messages on stale references); None without history."""
    from .gitlog import Unavailable, read_log
    try:
        return build_history(read_log(root), {})
    except Unavailable:
        return None
