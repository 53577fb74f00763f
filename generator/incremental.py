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

`tests/test_incremental_build.py` renders every page of the fixture stories with records that
record what is read, and asserts that each page reads only what its key covers; random edits
followed by incremental builds must equal clean builds (`tests/test_publish.py`).
"""
from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass
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
    # repr, not pickle: pickle's bytes depend on which equal strings are one object (a record
    # parsed anew and one restored from the cache would differ)
    return hashlib.blake2b(repr(value).encode("utf-8", "surrogatepass"), digest_size=16).digest()


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
    """The keys of the pages that are rendered only when their inputs change."""

    keys: dict[str, bytes]
    """Path in site_src -> key."""
    groups: dict[str, tuple[str, ...]]
    """Path of a key's page -> every path rendered with it (a record page and its diagram file)."""


Family = tuple[tuple[str, ...], set[str], str]
"""Pages rendered together from the same records: (their paths, the ids of the records, a name)."""


def page_keys(index: Index, listings: dict[str, list[list[Record]]], history: History | None,
              families: list[Family] = ()) -> PageKeys:
    """The key of every record page (with its diagram file), every listing page, and every
    family of pages the renderers name (the timeline's pages, a kind's data files).

    Call after render.assign_listings (the listing page of each record is part of its token).
    """
    version = code_version().encode()
    tokens = record_tokens(index, history)
    ends = Ends(index)

    def key(deps: set[str], *extra) -> bytes:
        ids = sorted(deps)
        h = hashlib.blake2b(version, digest_size=16)
        h.update(repr(extra).encode("utf-8", "surrogatepass"))
        h.update("\0".join(ids).encode("utf-8", "surrogatepass"))
        h.update(b"".join(tokens[rid] for rid in ids))
        return h.digest()

    keys: dict[str, bytes] = {}
    groups: dict[str, tuple[str, ...]] = {}
    for rec in index.records.values():
        if not KINDS[rec.kind].has_pages:
            continue
        path = page_of(rec)
        # backlinks' order and fields show on the page ("Referenced by", quotes, citers)
        keys[path] = key(record_page_deps(index, rec, history, ends), rec.id,
                         "\0".join(f"{ln.source} {ln.field}" for ln in index.backlinks.get(rec.id, ())),
                         _titles_named(index, rec, history))
        groups[path] = (path, graph_file(rec))
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
    return PageKeys(keys, groups)


def load_keys(root: Path, manifest_digest: str | None) -> dict[str, bytes]:
    """The keys stored by the last generate, if they describe site_src/ as it is now (else none)."""
    if manifest_digest is None:
        return {}
    try:
        with open(root / CACHE_DIR / KEYS_FILE, "rb") as f:
            stored = load_pickle(f)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(stored, dict) or stored.get("manifest") != manifest_digest:
        return {}
    return stored.get("keys") or {}


def keys_payload(keys: dict[str, bytes], manifest_digest: str) -> bytes:
    """What `write.store_keys` saves: the keys with the digest of the manifest they describe."""
    return pickle.dumps({"manifest": manifest_digest, "keys": keys}, protocol=5)
