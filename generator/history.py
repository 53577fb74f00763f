"""History stage: every record's meaningful changes, field by field, from the commits of content/.

Each version of a record file is parsed as `check` parses it, and two versions are compared
field by field (a statement per field and value): re-indenting, reordering keys, changing
quote style or editing comments gives the same data, so such commits leave no trace. A record
is followed through renames (git's rename detection, with or without edits in the same commit).

Dates come from commits, never from the clock, so two builds of one commit are identical.
Without git (a tarball of content/), a shallow clone or a repository without commits, the
history is empty and `notice` says why; nothing else changes.
"""
from __future__ import annotations

import gc
import os
import pickle
import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .cache import CACHE_DIR, code_version
from .gitlog import Commit, Log, Unavailable, head, read_blobs, read_log
from .index import Index, ref_fields
from .kinds import BY_PLURAL, EACH, KINDS, schema
from .load import parse_data
from .parallel import Background, load_pickle

IGNORED_FIELDS = ("id",)
"""Fields whose change means nothing to readers (`id` only restates the file name)."""
_RECORD_PATH = re.compile(r"^content/([a-z]+)/([^/]+)\.yaml$")


@dataclass(frozen=True)
class FieldChange:
    """One field of a record that a commit changed."""

    field: str
    """The field's name, e.g. `status`."""
    before: object
    """Its value before (None when the field was absent)."""
    after: object
    """Its value after (None when the field was removed)."""


@dataclass(slots=True)
class Change:
    """One meaningful change to one record in one commit."""

    commit: Commit
    """The commit that made it (its date, and its message: the why)."""
    action: str
    """`added`, `changed` or `removed`."""
    kind: str
    """The record's kind after the change (before it, for a removal)."""
    id: str
    """The record's id after the change (before it, for a removal)."""
    title: str
    """The record's title after the change (its last title, for a removal)."""
    fields: tuple[FieldChange, ...] = ()
    """For `changed`: each field that changed, in schema order."""
    renamed_from: tuple[str, str] | None = None
    """(kind, id) the record had before, when this commit renamed (or moved) its file."""
    data: dict | None = field(default=None, compare=False, repr=False)
    """For `added`, the record's fields; for `removed`, its last fields (shared, not copied)."""

    @property
    def key(self) -> str:
        """What identifies this change for ever: commit, kind and id (a feed entry's id)."""
        return f"{self.commit.sha}/{self.kind}/{self.id}"


@dataclass(slots=True)
class Track:
    """One record followed through its commits (its file may be renamed on the way)."""

    changes: list[Change] = field(default_factory=list)
    """Its meaningful changes, oldest first."""
    names: list[tuple[str, str]] = field(default_factory=list)
    """Every (kind, id) it had, oldest first; the last is the current one."""
    data: dict | None = None
    """Its fields in the last version that could be parsed."""


@dataclass
class History:
    """What changed in the briefing, and when."""

    changes: list[Change] = field(default_factory=list)
    """Every meaningful change, oldest first (renames git could not see joined, see `attach`)."""
    recorded: list[Change] = field(default_factory=list)
    """Every meaningful change as the commits show it, oldest first."""
    of_record: dict[str, list[Change]] = field(default_factory=dict)
    """Changes of each record there is now, by its id, oldest first (through renames)."""
    live: dict[str, Track] = field(default_factory=dict)
    """Each record file in the last commit (path) and its track."""
    ended: list[Track] = field(default_factory=list)
    """Tracks of records whose file was deleted, in the order of deletion."""
    head: str | None = None
    """The commit id of HEAD (None without history)."""
    notice: str | None = None
    """Why there is no history (None when there is)."""
    titles: dict[str, str] = field(default_factory=dict)
    """The last title of every id a record ever had (names records that are gone)."""

    @property
    def updated(self) -> Commit | None:
        """The commit of the latest meaningful change."""
        return self.changes[-1].commit if self.changes else None


@lru_cache(maxsize=None)
def record_key(path: str | None) -> tuple[str, str] | None:
    """(kind, id) of a record file's path, or None for other files (source texts, pages)."""
    m = _RECORD_PATH.match(path or "")
    if m is None or m.group(1) not in BY_PLURAL:
        return None
    return BY_PLURAL[m.group(1)].name, m.group(2)


def title_of(kind: str, rid: str, data: dict | None) -> str:
    """A record's title in one version (its id when it has none)."""
    value = (data or {}).get(KINDS[kind].title_field)
    return " ".join(value.split()) if isinstance(value, str) and value.strip() else rid


def diff(kind: str, before: dict, after: dict) -> tuple[FieldChange, ...]:
    """The fields whose values differ between two versions of a record, in schema order."""
    order = list(schema(kind).get("properties", {}))
    names = [f for f in order if f in before or f in after]
    names += sorted((set(before) | set(after)) - set(order))
    return tuple(FieldChange(f, before.get(f), after.get(f)) for f in names
                 if f not in IGNORED_FIELDS and before.get(f) != after.get(f))


@lru_cache(maxsize=None)
def _ref_tops(kind: str) -> frozenset[str]:
    """The top-level fields of a kind that hold references (somewhere inside)."""
    return frozenset(path[0] for path, _ in ref_fields(kind))


def follow_renames(kind: str, data: dict, renames: dict[str, str]) -> dict:
    """`data` with every reference to a renamed record replaced by the record's new id (a
    reference updated because its target was renamed is not a change of this record). Only the
    containers on the way to a replaced reference are copied; `data` itself is left as it is."""
    for path, _ in ref_fields(kind) if renames else ():
        data = _replace(data, path, renames)
    return data


def _replace(node, path: tuple, renames: dict[str, str]):
    """`node` with the references at `path` renamed (the same object when none is)."""
    def leaf(value):
        return renames.get(value, value) if isinstance(value, str) else value

    head, rest = path[0], path[1:]
    if head == EACH:
        if not isinstance(node, list):
            return node
        items = [_replace(x, rest, renames) if rest else leaf(x) for x in node]
        return items if any(a is not b for a, b in zip(items, node)) else node
    if not isinstance(node, dict) or head not in node:
        return node
    child = node[head]
    new = _replace(child, rest, renames) if rest else leaf(child)
    return node if new is child else {**node, head: new}


HISTORY_CACHE = "briefing-history.pickle"
"""File in .cache/ keeping the log and the parsed older versions: commits never change, so the
next build reads only newer commits and versions."""


class PendingHistory:
    """The history read from git in a child process while the content is checked: the log and
    the parsed older versions of the records (the current ones come from the check). Start it
    before checking; `read_history` takes its result; `close` it if it is not needed.

    With `cache`, what the last build read is kept in .cache/ and only what is new is read."""

    def __init__(self, root: Path, workers: int = 2, cache: bool = False):
        self.root = root
        self.cache = root / CACHE_DIR / HISTORY_CACHE if cache else None
        # at the lowest priority: it runs on what checking, rendering and writing leave free
        self.job = Background(lambda: self._read(in_child=True), nice=19) if workers > 1 else None

    def _load(self) -> tuple[Log, dict] | None:
        """What the cache file holds, if it is there and of this code's version."""
        if self.cache is None:
            return None
        try:
            with open(self.cache, "rb") as f:
                version, log, versions = load_pickle(f)
            return (log, versions) if version == code_version() else None
        except Exception:  # missing, old or damaged: read everything
            return None

    def _read(self, in_child: bool = False) -> tuple[Log, dict[str, dict | None]] | None:
        """Read what is new since the cached reading, and keep it in the cache (in the child,
        so the parent does not wait for the writing); None when the cache file holds it (it is
        then read from there instead of being pickled a second time)."""
        cached = self._load()
        log, versions = _read_old(self.root, cached)
        if self.cache is not None and (cached is None or cached[0].head != log.head
                                       or versions.keys() != cached[1].keys()):
            if self._save(log, versions) and in_child:
                return None
        return log, versions

    def result(self) -> tuple[Log, dict[str, dict | None]]:
        """(the log, parsed older versions by blob id); raises Unavailable."""
        found = self.job.result() if self.job is not None else self._read()
        return found if found is not None else self._load()

    def _save(self, log: Log, versions: dict) -> bool:
        """Write the cache file; False when it cannot be written (a read-only project)."""
        tmp = self.cache.with_name(f".{self.cache.name}.{os.getpid()}.tmp")
        try:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            with open(tmp, "wb") as f:
                pickle.dump((code_version(), log, versions), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.cache)
            return True
        except OSError:
            tmp.unlink(missing_ok=True)
            return False

    def close(self) -> None:
        """Stop the child if it is still running."""
        if self.job is not None:
            self.job.close()


def read_history(root: Path, index: Index, workers: int = 1, previous: History | None = None,
                 pending: PendingHistory | None = None, cache: bool = False) -> History:
    """The history of every record from git; an empty History with a notice when unavailable.

    `previous`: a history read earlier in this process (by `serve`): reused when HEAD has not
    moved, since commits never change; only its attachment to the records is made anew.
    `pending`: the reading started before checking (PendingHistory), else it is done now
    (with `cache`: keeping what it read in .cache/).
    """
    if previous is not None and previous.head is not None and previous.head == head(root):
        if pending is not None:
            pending.close()
        return attach(previous, index)
    try:
        log, old = (pending or PendingHistory(root, 1, cache)).result()
    except Unavailable as exc:
        return History(notice=f"history unavailable: {exc}; pages show no dates of change")
    except Exception as exc:  # a history git serves in a way not foreseen must not stop the build
        return History(notice=f"history unavailable: git's history could not be read ({type(exc).__name__}: "
                              f"{exc}); pages show no dates of change")
    by_path = {rec.path: rec for rec in index.records.values()}
    # a blob that is a record's current file is that record's data, already checked
    versions = {**old, **{blob: by_path[path].data for path, blob in log.clean.items() if path in by_path}}
    gc.disable()  # thousands of small objects, none of them garbage: collections only cost time
    try:
        return attach(build_history(log, versions), index)
    finally:
        gc.enable()


def _read_old(root: Path, cached: tuple[Log, dict] | None = None) -> tuple[Log, dict[str, dict | None]]:
    """The log, and every version of a record file it names that is not in the work tree,
    read in one batch and parsed as `check` parses record files (None if it does not parse).
    `cached`: what an earlier build read; only newer commits and versions are read."""
    log = read_log(root, cached[0] if cached else None)
    known = cached[1] if cached else {}
    current = set(log.clean.values())
    needed = {blob for _, files in log.commits for fc in files
              for blob, path in ((fc.old_blob, fc.old_path), (fc.new_blob, fc.new_path))
              if blob and blob not in current and record_key(path)}
    versions: dict[str, dict | None] = {blob: known[blob] for blob in needed if blob in known}
    for blob, data in read_blobs(root, sorted(needed - set(versions))).items():
        try:
            versions[blob] = parse_data(data.decode("utf-8"))
        except UnicodeDecodeError:
            versions[blob] = None
    return log, versions


def build_history(log: Log, versions: dict[str, dict | None]) -> History:
    """Follow every record file through the commits and keep its meaningful changes."""
    history = History(head=log.head)
    live = history.live

    def record(track: Track, change: Change) -> None:
        track.changes.append(change)
        history.recorded.append(change)
        history.titles[change.id] = change.title

    renames: dict[str, str] = {}  # every id renamed so far -> the id it became
    for commit, files in log.commits:
        for fc in files:  # first the renames of this commit: references that follow them change nothing
            old, new = record_key(fc.old_path), record_key(fc.new_path)
            if fc.status == "R" and old and new and old[1] != new[1]:
                renames.update({k: new[1] for k, v in renames.items() if v == old[1]})
                renames[old[1]] = new[1]
        for fc in files:
            old, new = record_key(fc.old_path), record_key(fc.new_path)
            track = live.pop(fc.old_path, None) if old and new else None
            if new and track is None:  # added (or moved into a record folder, or first seen)
                track = live[fc.new_path] = Track(names=[new])
                track.data = versions.get(fc.new_blob)
                record(track, Change(commit, "added", *new, title_of(*new, track.data), data=track.data))
            elif new:  # modified, or renamed with or without edits
                live[fc.new_path] = track
                renamed = old if old != new else None
                if renamed:
                    track.names.append(new)
                after = versions.get(fc.new_blob)
                if after is None:  # a version that does not parse: the next is compared with the last good one
                    if renamed:
                        record(track, Change(commit, "changed", *new, title_of(*new, track.data), (), renamed))
                    continue
                fields = diff(new[0], track.data, after) if track.data is not None else ()
                if renames and any(fc.field in _ref_tops(new[0]) for fc in fields):
                    fields = diff(new[0], follow_renames(new[0], track.data, renames), after)
                track.data = after
                if fields or renamed:
                    record(track, Change(commit, "changed", *new, title_of(*new, after), fields, renamed))
            elif old:  # deleted (or moved out of the record folders)
                track = live.pop(fc.old_path, None) or Track(names=[old])
                before = track.data if track.data is not None else versions.get(fc.old_blob)
                record(track, Change(commit, "removed", *old, title_of(*old, before), data=before))
                history.ended.append(track)
    return history


def attach(history: History, index: Index) -> History:
    """A copy of `history` in which each record there is now has its changes: through its
    file's track, and through the tracks of the records it names in `former_ids` (renames git
    could not see).

    The record's addition becomes "renamed from" the former record removed last, with the fields
    that differ; that removal is not part of the record's history, and when it was made in the
    same commit as the addition (a rename with heavy edits), not of What's new either.
    """
    by_path = {rec.path: rec for rec in index.records.values()}
    own: dict[str, Track] = {by_path[path].id: track for path, track in history.live.items() if path in by_path}
    former = {(rec.kind, fid): rec.id for rec in index.records.values() for fid in rec.data.get("former_ids") or ()}
    merged: dict[str, list[Change]] = {rid: list(track.changes) for rid, track in own.items()}
    formers: dict[str, list[Track]] = {}
    for track in history.ended:  # in the order of removal
        if track.names[-1] in former:
            formers.setdefault(former[track.names[-1]], []).append(track)
    replaced: dict[int, Change | None] = {}  # id() of a recorded change -> its stand-in (None: dropped)
    for rid, tracks in formers.items():
        mine = merged.setdefault(rid, [])
        first = mine[0] if mine and mine[0].action == "added" else None
        removal = tracks[-1].changes[-1]
        for track in tracks:
            mine += track.changes[:-1]
        if first is not None:
            fields = diff(first.kind, removal.data, first.data) if removal.data is not None and first.data else ()
            renamed = Change(first.commit, "changed", first.kind, first.id, first.title, fields,
                             (removal.kind, removal.id))
            replaced[id(first)] = renamed
            mine[0] = renamed
            if removal.commit == first.commit:
                replaced[id(removal)] = None
    changes = history.recorded
    if replaced:
        changes = [replaced.get(id(c), c) for c in changes if replaced.get(id(c), c) is not None]
    order = {id(c): i for i, c in enumerate(changes)}
    of_record = {rid: sorted(mine, key=lambda c: order.get(id(c), -1)) for rid, mine in merged.items()}
    return replace(history, changes=changes, of_record=of_record)
