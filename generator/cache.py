"""Parse cache: each record file's parsed Document and its own problems, reused while the file is unchanged.

A file is unchanged when its size, mtime, ctime and inode are the same as when it was parsed
(ctime cannot be set back by tools that preserve mtime, such as `cp -p` or `rsync -t`).
Cached entries carry the file's load and schema problems, so a cache hit reports exactly what a
fresh parse would; checks across files (duplicate ids, references, provenance) always run anew.
The whole cache is dropped when the generator's code or schemas change.
"""
from __future__ import annotations

import hashlib
import json
import os
import pickle
import sys
import time
from functools import cache
from pathlib import Path

from .gitlog import head as git_head
from .load import Document
from .parallel import load_pickle
from .problems import Problem
from .siteconfig import CONFIG_FILE

CACHE_DIR = ".cache"
"""Folder (under the project root, git-ignored) holding the cache file."""
CACHE_FILE = "briefing-records.pickle"
RACY_SECONDS = 2.0
"""Files changed this recently are not cached: a second edit within the file system's timestamp
granularity could otherwise keep the same signature (the "racy git" problem)."""

Signature = tuple[int, int, int, int]


def signature(st: os.stat_result) -> Signature:
    """What identifies one version of a file: size, mtime_ns, ctime_ns, inode."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


@cache
def code_version() -> str:
    """Hash of the generator's source and schemas (and Python's version): a new one empties the cache."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    here = Path(__file__).parent
    for path in sorted([*here.rglob("*.py"), *here.glob("schemas/*.json")]):
        h.update(path.relative_to(here).as_posix().encode())
        h.update(path.read_bytes())
    return h.hexdigest()


class _CachedDocument(Document):
    """A Document restored from the cache. Its positions (most of a record's cached bytes) are
    unpickled only when a problem needs one: loading the cache is then 3x faster."""

    def __init__(self, path: str, kind: str, id: str, data, packed: bytes):
        self.path, self.kind, self.id, self.data = path, kind, id, data
        self._packed = packed

    def __getattr__(self, name: str):  # called only for attributes not yet set
        if name in ("marks", "key_marks", "plain"):
            self.marks, self.key_marks, self.plain = pickle.loads(self._packed)
            return getattr(self, name)
        raise AttributeError(name)


def _pack(doc: Document) -> tuple:
    """What the cache stores of a Document."""
    packed = doc._packed if isinstance(doc, _CachedDocument) and "marks" not in doc.__dict__ else \
        pickle.dumps((doc.marks, doc.key_marks, doc.plain), protocol=pickle.HIGHEST_PROTOCOL)
    return doc.path, doc.kind, doc.id, doc.data, packed


class RecordCache:
    """Parsed record files keyed by path relative to the project root."""

    def __init__(self, root: Path):
        self.path = root / CACHE_DIR / CACHE_FILE
        self.version = code_version()
        self.entries: dict[str, tuple[Signature, tuple, list[Problem]]] = {}
        """Path -> (signature, packed Document, the file's problems)."""
        self.seen: set[str] = set()
        self.ran = False
        """True once a run has looked up files since the last save."""
        self.dirty = False
        self.hits = self.misses = 0
        self.missed: list[str] = []
        """Paths parsed anew (new or changed files) since `missed` was last emptied (serve does)."""
        self._load()

    def _load(self) -> None:
        try:
            with open(self.path, "rb") as f:
                version, entries = load_pickle(f)
            if version == self.version:
                self.entries = entries
        except Exception:  # a missing, old or damaged cache is simply rebuilt
            self.entries = {}

    def get(self, rel: str, st: os.stat_result) -> tuple[Document, list[Problem]] | None:
        """The cached parse of `rel` if the file is unchanged, else None."""
        self.seen.add(rel)
        self.ran = True
        entry = self.entries.get(rel)
        if entry is not None and entry[0] == signature(st):
            self.hits += 1
            return _CachedDocument(*entry[1]), list(entry[2])
        self.misses += 1
        self.missed.append(rel)
        return None

    def put(self, rel: str, st: os.stat_result, doc: Document, problems: list[Problem]) -> None:
        """Remember the parse of `rel` (unless it changed too recently to trust its signature)."""
        self.seen.add(rel)
        self.ran = True
        if time.time() - max(st.st_mtime, st.st_ctime) < RACY_SECONDS:
            if self.entries.pop(rel, None) is not None:
                self.dirty = True
            return
        self.entries[rel] = (signature(st), _pack(doc), list(problems))
        self.dirty = True

    def save(self) -> None:
        """Write the cache (atomically) if anything changed; forget files not seen this run."""
        # Files not seen by the run since the last save are gone from content/: forget them.
        gone = set(self.entries) - self.seen if self.ran else set()
        for rel in gone:
            del self.entries[rel]
        self.seen, self.ran = set(), False
        if not (self.dirty or gone):
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.{os.getpid()}.tmp")
        try:
            with open(tmp, "wb") as f:
                pickle.dump((self.version, self.entries), f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError:  # a read-only project still builds, just without a cache
            tmp.unlink(missing_ok=True)
        self.dirty = False


OUTPUT_FILE = "briefing-output.json"


def inputs_fingerprint(root: Path, static: dict[str, Path]) -> str | None:
    """Hash of the signature of every input of rendering: content/ files, copied static files,
    mkdocs.yml (the feed's title and links), the commit at HEAD (the history) and the code.

    Taken before checking, so an edit made while a build runs changes the next fingerprint.
    None when a file changed too recently for its signature to be trusted (see RACY_SECONDS).
    """
    h = hashlib.blake2b(code_version().encode(), digest_size=16)
    h.update(f"HEAD {git_head(root)}\n".encode())
    now = time.time()
    paths = []
    content = root / "content"
    for dirpath, dirnames, filenames in os.walk(content):
        dirnames.sort()
        paths += [os.path.join(dirpath, name) for name in sorted(filenames)]
    paths += [str(p) for _, p in sorted(static.items())] + [str(root / CONFIG_FILE)]
    for path in paths:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if now - max(st.st_mtime, st.st_ctime) < RACY_SECONDS:
            return None
        h.update(f"{path}\0{signature(st)}\n".encode())
    return h.hexdigest()


class OutputState:
    """What the last successful `generate` wrote: the inputs' fingerprint and site_src's manifest.

    When both still match, rendering would produce the same files, so it is skipped; checking
    (and so every problem report) still runs in full before this is consulted.
    """

    def __init__(self, root: Path, manifest_name: str):
        self.path = root / CACHE_DIR / OUTPUT_FILE
        self.manifest_name = manifest_name

    def _manifest_digest(self, out_dir: Path) -> tuple[str, list[str]] | None:
        try:
            data = (out_dir / self.manifest_name).read_bytes()
            return hashlib.blake2b(data, digest_size=16).hexdigest(), list(json.loads(data))
        except (OSError, ValueError):
            return None

    def current(self, fingerprint: str | None, out_dir: Path) -> bool:
        """True when `out_dir` holds what rendering inputs with this fingerprint gives."""
        if fingerprint is None:
            return False
        try:
            stored = json.loads(self.path.read_bytes())
        except (OSError, ValueError):
            return False
        manifest = self._manifest_digest(out_dir)
        if manifest is None or stored != {"inputs": fingerprint, "manifest": manifest[0]}:
            return False
        base = str(out_dir) + os.sep
        return all(os.path.isfile(base + rel) for rel in manifest[1])

    def store(self, fingerprint: str | None, out_dir: Path) -> None:
        """Record a successful generate (or forget the last one when the fingerprint is unknown)."""
        manifest = self._manifest_digest(out_dir)
        if fingerprint is None or manifest is None:
            self.path.unlink(missing_ok=True)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_bytes(json.dumps({"inputs": fingerprint, "manifest": manifest[0]}).encode())
        except OSError:
            pass
