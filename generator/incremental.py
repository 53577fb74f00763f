"""Which pages an edit changes: each page's inputs reduced to a key, so that a build renders only
the pages whose key changed and keeps the others as they are in site_src/.

A page's key is a digest of everything its renderer reads: the generator's code version, and
for each record it shows, that record's token (its kind, file, fields, the listing page it is
shown on, and its history). Which records a page shows is worked out here, next to the renderers
(`record_page_deps`, `listing_deps`), as a superset of what they read:

- a record's own page (and its diagram file): the record; every record it refers to and every
  record referring to it (facts, citations, "Referenced by", quotes and assessments about it);
  what those quotes and assessments refer to (their speakers, authors and subjects); the far
  ends of its diagram (through a demand or outcome next to it, that record's other parties and
  addressee; an organization's parent: what those records refer to); the records its history names;
- a page of a kind's listing: the records on it and what they refer to, the number of listing
  pages, and on its first page the number of records of the kind.

- a page of the timeline: its entries in order, what they refer to, and the organizations their
  parties belong to; its number and the number of pages;
- the names the timeline's filter offers: the same of every entry;
- a kind's data files (JSON and CSV): the records of the kind.

Every other page (home, brief, the whole dataset, What's new, feed, removal notices, redirects,
the bigger diagram) is made of many records and is rendered every time; writing leaves it
untouched when its text did not change.

After an edit only the record pages' keys it may change are worked out again (`page_keys` with
the last build's keys): a changed id (a record added, edited or removed; a gone record's last
title) is either among a page's dependencies before the edit (each page's `watch`, stored) or
among them after it (`_reached_by`, the dependencies read backwards in the new index); any other
page's dependencies and their tokens are the same as before, so is its key. Listing and family
keys are always worked out (a few hundred).

`tests/test_publish.py` edits every record of the fixture stories in turn and asserts that each
page whose key stayed the same renders the same text, and that the keys worked out from the last
build's equal the keys worked out anew; random edits followed by incremental builds must equal
clean builds.
"""
from __future__ import annotations

import hashlib
import marshal
import pickle
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from .cache import CACHE_DIR, code_version
from .parallel import load_pickle
from .graph import graph_file
from .history import History
from .index import Index, Record
from .kinds import KINDS
from .markdown import listing_page, page_of

KEYS_FILE = "briefing-page-keys.pickle"
"""In .cache/: the key of each page in site_src/, with the digest of the manifest it describes."""

_THROUGH = {"quote", "assessment", "demand", "agreement", "organization"}
"""Kinds of the records next to a page's record whose own references the page shows: quotes and
assessments (their speaker, author, subjects) and the diagram's far ends (a demand's or outcome's
parties and addressee, an organization's parent; every relation of the diagram is held by one
of its two ends)."""


def _digest(value) -> bytes:
    # Not pickle: its bytes depend on which equal strings are one object (a record parsed anew
    # and one restored from the cache would differ). marshal's version 0 writes neither
    # references nor interning, so equal values give equal bytes, and it is faster than repr;
    # repr serves the values it cannot write (a history's changes).
    try:
        data = b"m" + marshal.dumps(value, 0)
    except ValueError:
        data = b"r" + repr(value).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(data, digest_size=16).digest()


def _history_of(history: History | None, rid: str) -> tuple:
    """What a record page shows of its history: each change (the commit says date and why)."""
    if history is None:
        return ()
    return tuple((c.commit.sha, c.action, c.kind, c.id, c.title, c.fields, c.renamed_from)
                 for c in history.of_record.get(rid, ()))


def record_tokens(index: Index, history: History | None) -> dict[str, bytes]:
    """Each record's token: a digest of all a page can show of it."""
    return {rid: _digest((rec.kind, rec.path, rec.data, getattr(rec, "listing_number", None), _history_of(history, rid)))
            for rid, rec in index.records.items()}


def _named_in(value, into: set[str]) -> None:
    """Every string inside a value (a history's before/after values may name records)."""
    if isinstance(value, str):
        into.add(value)
    elif isinstance(value, dict):
        for v in value.values():
            _named_in(v, into)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _named_in(v, into)


def record_page_deps(index: Index, rec: Record, history: History | None = None,
                     ends: "Ends | None" = None) -> set[str]:
    """Ids of every record whose token goes into the key of `rec`'s page (see the module docstring).
    `ends`: the references of every record both ways (made once for all pages)."""
    ends = ends or Ends(index)
    deps = {rec.id}
    near = ends.out.get(rec.id, ()) + ends.into.get(rec.id, ())
    deps.update(near)
    for rid in near:
        if index.records[rid].kind in _THROUGH:
            deps.update(ends.out.get(rid, ()))
    deps.update(n for n in _named_by_history(history, rec.id) if n in index.records)
    return deps


def _named_by_history(history: History | None, rid: str) -> set[str]:
    """Every string a record's history shows (its before and after values may name records)."""
    named: set[str] = set()
    if history is not None:
        for change in history.of_record.get(rid, ()):
            for fc in change.fields:
                _named_in((fc.before, fc.after), named)
    return named


class Ends:
    """The ids each record refers to and is referred to by (from the index's links)."""

    def __init__(self, index: Index):
        self.out: dict[str, tuple[str, ...]] = {rid: tuple(ln.target for ln in links)
                                                for rid, links in index.links.items()}
        """Ids each record refers to."""
        self.into: dict[str, tuple[str, ...]] = {rid: tuple(ln.source for ln in links)
                                                 for rid, links in index.backlinks.items()}
        """Ids of the records referring to each record."""


def _titles_named(index: Index, rec: Record, history: History | None) -> tuple:
    """The last titles of gone records that `rec`'s history names (History.titles)."""
    if history is None or not history.titles:
        return ()
    named = _named_by_history(history, rec.id)
    return tuple(sorted((n, history.titles[n]) for n in named if n not in index.records and n in history.titles))


def listing_deps(index: Index, chunk: list[Record], ends: Ends | None = None) -> set[str]:
    """Ids of the records whose tokens go into the key of a listing page showing `chunk`."""
    ends = ends or Ends(index)
    deps = set()
    for rec in chunk:
        deps.add(rec.id)
        deps.update(ends.out.get(rec.id, ()))
    return deps


@dataclass
class PageKeys:
    """The keys of the pages that are rendered only when their inputs change, and what the next
    build needs to work out only the keys an edit may change (`page_keys(previous=…)`)."""

    keys: dict[str, bytes]
    """Path in site_src -> key."""
    groups: dict[str, tuple[str, ...]]
    """Path of a key's page -> every path rendered with it (a record page and its diagram file)."""
    tokens: dict[str, bytes] = field(default_factory=dict)
    """Each record's token (record_tokens) the keys were made with."""
    watch: dict[str, bytes] = field(default_factory=dict)
    """Path of a record page -> the ids whose change may change its key (its dependencies and
    every string its history shows, as a record with that id may be added later), as positions
    in `ids` packed in an array of 32-bit numbers (thousands of sets are stored and read back
    quickly so)."""
    ids: list[str] = field(default_factory=list)
    """The ids `watch` names (added to, never reordered; started anew by a build from nothing)."""
    gone_titles: dict[str, str] = field(default_factory=dict)
    """The last titles of the records the history knows that are gone (History.titles)."""
    version: str = ""
    """The generator's code version the keys were made with."""

    def watched(self, path: str) -> set[str]:
        """The ids a record page's key watches."""
        return {self.ids[i] for i in array("I", self.watch[path])}


Family = tuple[tuple[str, ...], set[str], str]
"""Pages rendered together from the same records: (their paths, the ids of the records, a name)."""


def _gone_titles(index: Index, history: History | None) -> dict[str, str]:
    if history is None:
        return {}
    return {rid: title for rid, title in history.titles.items() if rid not in index.records}


def _changed_ids(tokens: dict[str, bytes], gone_titles: dict[str, str], previous: PageKeys) -> set[str]:
    """Ids whose token differs from the previous build's (added, edited, removed records) and
    gone records whose last title differs."""
    old = previous.tokens
    changed = {rid for rid, token in tokens.items() if old.get(rid) != token}
    changed.update(rid for rid in old if rid not in tokens)
    was = previous.gone_titles
    changed.update(rid for rid in gone_titles.keys() | was.keys() if gone_titles.get(rid) != was.get(rid))
    return changed


def _reached_by(index: Index, ends: "Ends", changed: set[str]) -> set[str]:
    """Ids of the records whose page may now depend on a changed id (record_page_deps read
    backwards): the record itself, the records next to it, and the records next to a quote,
    assessment, demand, agreement or organization that refers to it."""
    reached: set[str] = set()
    for rid in changed:
        if rid not in index.records:
            continue
        reached.add(rid)
        reached.update(ends.out.get(rid, ()))
        reached.update(ends.into.get(rid, ()))
        for near in ends.into.get(rid, ()):
            if index.records[near].kind in _THROUGH:
                reached.update(ends.out.get(near, ()))
                reached.update(ends.into.get(near, ()))
    return reached


def _again(index: Index, ends: "Ends", tokens: dict[str, bytes], gone_titles: dict[str, str],
           previous: PageKeys) -> set[str]:
    """The record pages whose key an edit may have changed: those watching a changed id, and
    those with a changed id among their dependencies now."""
    changed = _changed_ids(tokens, gone_titles, previous)
    positions = {i for i, rid in enumerate(previous.ids) if rid in changed}
    again = {path for path, packed in previous.watch.items() if not positions.isdisjoint(array("I", packed))}
    again.update(page_of(index.records[rid]) for rid in _reached_by(index, ends, changed)
                 if KINDS[index.records[rid].kind].has_pages)
    return again


def page_keys(index: Index, listings: dict[str, list[list[Record]]], history: History | None,
              families: list[Family] = (), previous: PageKeys | None = None) -> PageKeys:
    """The key of every record page (with its diagram file), every listing page, and every
    family of pages the renderers name (the timeline's pages, a kind's data files).

    `previous`: the keys of the last build (load_keys). A record page's key can change only if
    the token of an id it watches changed (its dependencies before the edit) or a changed id is
    among its dependencies after it (`_reached_by`): only those record pages' keys are worked
    out again, the others are kept. Listing and family keys are always worked out.

    Call after render.assign_listings (the listing page of each record is part of its token).
    """
    version_text = code_version()
    version = version_text.encode()
    tokens = record_tokens(index, history)
    ends = Ends(index)
    gone_titles = _gone_titles(index, history)

    def key(deps: set[str], *extra) -> bytes:
        ids = sorted(deps)
        h = hashlib.blake2b(version, digest_size=16)
        h.update(repr(extra).encode("utf-8", "surrogatepass"))
        h.update("\0".join(ids).encode("utf-8", "surrogatepass"))
        h.update(b"".join(map(tokens.__getitem__, ids)))
        return h.digest()

    usable = previous is not None and previous.version == version_text and bool(previous.tokens) \
        and len(previous.ids) < 4 * len(index.records) + 1000  # (else start the ids anew)
    again = _again(index, ends, tokens, gone_titles, previous) if usable else None
    ids = list(previous.ids) if usable else []
    position = {rid: i for i, rid in enumerate(ids)}

    def packed(watched: set[str]) -> bytes:
        for rid in watched:
            if rid not in position:
                position[rid] = len(ids)
                ids.append(rid)
        return array("I", sorted(map(position.__getitem__, watched))).tobytes()

    keys: dict[str, bytes] = {}
    groups: dict[str, tuple[str, ...]] = {}
    watch: dict[str, bytes] = {}
    for rec in index.records.values():
        if not KINDS[rec.kind].has_pages:
            continue
        path = page_of(rec)
        groups[path] = (path, graph_file(rec))
        if again is not None and path not in again and path in previous.watch:
            keys[path], watch[path] = previous.keys[path], previous.watch[path]
            continue
        deps = record_page_deps(index, rec, history, ends)
        # backlinks' order and fields show on the page ("Referenced by", quotes, citers)
        keys[path] = key(deps, rec.id, "\0".join(f"{ln.source} {ln.field}" for ln in index.backlinks.get(rec.id, ())),
                         _titles_named(index, rec, history))
        watch[path] = packed(deps | _named_by_history(history, rec.id))
    for kind, chunks in listings.items():
        plural, total = KINDS[kind].plural, len(index.by_kind.get(kind, []))
        for number, chunk in enumerate(chunks, 1):
            path = listing_page(plural, number)
            keys[path] = key(listing_deps(index, chunk, ends), kind, number, len(chunks),
                             total if number == 1 else None, "\0".join(rec.id for rec in chunk))
            groups[path] = (path,)
    for paths, deps, name in families:
        keys[paths[0]] = key(deps, name, "\0".join(paths))
        groups[paths[0]] = paths
    return PageKeys(keys, groups, tokens, watch, ids, gone_titles, version_text)


_DELTA_FIELDS = ("keys", "groups", "tokens", "watch")


def keys_delta(previous: PageKeys | None, keys: PageKeys):
    """What `keys` adds to `previous` and takes from it: a child working out the keys hands
    back only this (pickling every key back took longer than working out the changed ones)."""
    if previous is None or keys.ids[:len(previous.ids)] != previous.ids:
        return keys
    delta = {"ids": keys.ids[len(previous.ids):], "gone_titles": keys.gone_titles, "version": keys.version}
    for name in _DELTA_FIELDS:
        old, new = getattr(previous, name), getattr(keys, name)
        delta[name] = ({k: v for k, v in new.items() if old.get(k, _NONE) is not v and old.get(k, _NONE) != v},
                       [k for k in old if k not in new])
    return delta


_NONE = object()


def apply_delta(previous: PageKeys | None, delta) -> PageKeys:
    """The keys `keys_delta(previous, keys)` describes: `keys`, equal in every field."""
    if isinstance(delta, PageKeys):
        return delta
    merged = {}
    for name in _DELTA_FIELDS:
        added, removed = delta[name]
        value = dict(getattr(previous, name))
        for k in removed:
            del value[k]
        value.update(added)
        merged[name] = value
    return PageKeys(ids=previous.ids + delta["ids"], gone_titles=delta["gone_titles"], version=delta["version"], **merged)


def load_keys(root: Path, manifest_digest: str | None) -> PageKeys | None:
    """The keys stored by the last generate, if they describe site_src/ as it is now (else None)."""
    if manifest_digest is None:
        return None
    try:
        with open(root / CACHE_DIR / KEYS_FILE, "rb") as f:
            stored = load_pickle(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        return None
    if not isinstance(stored, dict) or stored.get("manifest") != manifest_digest \
            or stored.get("version") != code_version() or not isinstance(stored.get("keys"), PageKeys):
        return None  # (keys of another version of this code may not even be of this form)
    return stored["keys"]


def keys_payload(keys: PageKeys, manifest_digest: str) -> bytes:
    """What `write.store_keys` saves: the keys with the digest of the manifest they describe."""
    return pickle.dumps({"manifest": manifest_digest, "version": keys.version, "keys": keys},
                        protocol=pickle.HIGHEST_PROTOCOL)
