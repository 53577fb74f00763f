"""Write stage: the only module that writes files.

Output trees are replaced whole or not at all: a new tree is assembled beside the old one and
swapped in with renames, so a failure leaves the previous `site_src/` and `site/` as they were.
Files whose content did not change are hard-linked from the old tree and keep their mtime.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .problems import Problem, ProblemError

MANIFEST = ".briefing-generated"
"""File in every generated tree listing each output path and the hash of its content."""


@dataclass
class Undo:
    """How to put back the tree that `write_tree(..., keep_previous=True)` replaced.

    `build` keeps the previous site_src/ until MkDocs has built the new one, so a failed
    MkDocs build leaves site_src/ exactly as it was (same files, inodes and mtimes).
    """

    out_dir: Path
    """The tree that was replaced."""
    old_dir: Path | None
    """Where the previous tree waits; None when there was no previous tree."""

    def rollback(self) -> None:
        """Remove the new tree and put the previous one back in its place."""
        failed = self.out_dir.with_name(f".{self.out_dir.name}.failed")
        discard(failed)
        if self.out_dir.exists():
            os.rename(self.out_dir, failed)
        if self.old_dir is not None:
            os.rename(self.old_dir, self.out_dir)
        discard(failed)

    def commit(self) -> None:
        """Keep the new tree: delete the previous one."""
        if self.old_dir is not None:
            discard(self.old_dir)


@dataclass
class WriteStats:
    """What a write did."""

    written: int
    """Files whose content changed or is new."""
    unchanged: int
    """Files kept as they were (same content, same mtime)."""
    removed: int
    """Files of the previous tree no longer generated."""
    written_paths: tuple[str, ...] = ()
    """Paths (relative to the tree) of the files written."""
    removed_paths: tuple[str, ...] = ()
    """Paths of the files removed."""
    undo: Undo | None = None
    """With `keep_previous`, how to restore the replaced tree (None when nothing was replaced)."""


def plan_files(pages: dict[str, str], static: dict[str, Path], root: Path | None = None) -> dict[str, bytes]:
    """Merge generated pages and copied files into one output map, refusing any path twice.

    `root`: the project folder, so problems name hand-written files relative to it.
    """
    out = {path: text.encode("utf-8") for path, text in pages.items()}
    clashes = []
    for rel, src in sorted(static.items()):
        if rel in out:
            where = src.relative_to(root).as_posix() if root else str(src)
            clashes.append(Problem(where, 1, 1, "output-clash",
                                   f"'{rel}' would be written twice (a generated page has that path); "
                                   "rename the hand-written file"))
            continue
        out[rel] = src.read_bytes()
    if clashes:
        raise ProblemError(clashes)
    return out


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _read_manifest(out_dir: Path) -> dict[str, str] | None:
    """The manifest of an existing generated tree; None if the tree was not made by us."""
    try:
        return json.loads((out_dir / MANIFEST).read_bytes())  # (JSON as written here is ASCII)
    except (OSError, ValueError):
        return None


def _guard(out_dir: Path) -> dict[str, str]:
    """Refuse to replace a directory the generator did not make (it may hold hand-written work)."""
    if not out_dir.exists():
        return {}
    manifest = _read_manifest(out_dir)
    if manifest is None:
        if any(out_dir.iterdir()):
            raise ProblemError([Problem(out_dir.name, 1, 1, "foreign-output",
                                        f"{out_dir.name}/ exists but was not made by briefing "
                                        f"(no {MANIFEST}); move it away first")])
        return {}
    return manifest


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def write_tree(files: dict[str, bytes], out_dir: Path, keep_previous: bool = False,
               later: Callable[[dict[str, bytes]], dict[str, bytes]] | None = None) -> WriteStats:
    """Replace `out_dir` with exactly `files` by building a new tree and swapping it in.

    With `keep_previous` the replaced tree is kept aside; the caller must call `undo.commit()`
    or `undo.rollback()` on the returned stats.
    `later`: called with `files`, in a thread while they are written into the new tree, for more
    files to write after them (cli.generate makes the history's pages in it: Python runs while
    the disk writes); anything it raises leaves `out_dir` as it was.
    """
    old = _guard(out_dir)
    new_manifest = {rel: _digest(data) for rel, data in files.items()}
    if later is None and old == new_manifest and all(os.path.isfile(out_dir / rel) for rel in files):
        return WriteStats(0, len(files), 0)  # nothing changed: leave the tree (and every mtime) alone
    tmp_dir = out_dir.with_name(f".{out_dir.name}.new")
    if tmp_dir.exists():
        shutil.rmtree(tmp_dir)
    written = unchanged = 0
    written_paths = []
    made_dirs: set[Path] = set()
    batches = [files]
    pending = _Later(later, files) if later is not None else None
    try:
        for batch in batches:
            for rel, data in batch.items():
                target = tmp_dir / rel
                if target.parent not in made_dirs:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    made_dirs.add(target.parent)
                previous = out_dir / rel
                if old.get(rel) == new_manifest[rel]:
                    try:
                        os.link(previous, target)  # same inode: content and mtime kept
                        unchanged += 1
                        continue
                    except OSError:
                        pass
                target.write_bytes(data)
                written += 1
                written_paths.append(rel)
            if pending is not None and batch is files:
                more = pending.result()
                clash = sorted(set(more) & set(files))
                if clash:
                    raise ValueError(f"written twice: {', '.join(clash[:3])}")
                new_manifest.update({rel: _digest(data) for rel, data in more.items()})
                batches.append(more)
        if later is not None and old == new_manifest and all(os.path.isfile(out_dir / rel) for rel in new_manifest):
            shutil.rmtree(tmp_dir, ignore_errors=True)  # nothing changed after all: keep the tree as it is
            return WriteStats(0, len(new_manifest), 0)
        (tmp_dir / MANIFEST).write_bytes(json.dumps(new_manifest, sort_keys=True).encode())
    except BaseException:
        if pending is not None:
            pending.thread.join()  # (it may still be writing to the terminal)
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    kept = swap_in(tmp_dir, out_dir, keep_previous)
    removed = sorted(set(old) - set(new_manifest))
    undo = Undo(out_dir, kept) if keep_previous else None
    return WriteStats(written, unchanged, len(removed), tuple(written_paths), tuple(removed), undo)


class _Later:
    """`later(files)` run in a thread; `result()` waits and returns it or raises what it raised."""

    def __init__(self, later: Callable[[dict[str, bytes]], dict[str, bytes]], files: dict[str, bytes]):
        self.value: dict[str, bytes] | None = None
        self.error: BaseException | None = None

        def run() -> None:
            try:
                self.value = later(files)
            except BaseException as exc:  # handed to the writer, which raises it
                self.error = exc

        self.thread = threading.Thread(target=run, name="briefing-later", daemon=True)
        self.thread.start()

    def result(self) -> dict[str, bytes]:
        """What `later` returned (waiting for it)."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.value


def sync_tree(files: dict[str, bytes], out_dir: Path, prune: bool = True) -> WriteStats:
    """Update `out_dir` in place: rewrite changed files and, with `prune`, delete files no
    longer generated (without it, every other file is left alone).

    Used by `serve`, whose file watcher must keep watching the same directory; each file is
    replaced atomically, and only after the whole site has validated and rendered. `serve`
    first writes just an edited record's pages (prune=False), then the whole output.
    """
    old = _guard(out_dir)
    new_manifest = {rel: _digest(data) for rel, data in files.items()}
    written_paths = []
    for rel, data in files.items():
        target = out_dir / rel
        if old.get(rel) == new_manifest[rel] and target.exists():
            continue
        _write_file(target, data)
        written_paths.append(rel)
    stale = sorted(set(old) - set(files)) if prune else []
    for rel in stale:
        (out_dir / rel).unlink(missing_ok=True)
    manifest = new_manifest if prune else {**old, **new_manifest}
    if manifest != old:
        _write_file(out_dir / MANIFEST, json.dumps(manifest, sort_keys=True).encode())
    return WriteStats(len(written_paths), len(files) - len(written_paths), len(stale),
                      tuple(written_paths), tuple(stale))


def swap_in(new_dir: Path, out_dir: Path, keep_previous: bool = False) -> Path | None:
    """Put `new_dir` in the place of `out_dir` (which may not exist) and remove the old tree.

    With `keep_previous` the old tree is left at `.<name>.old` and that path is returned
    (None when there was no old tree).
    """
    old_dir = out_dir.with_name(f".{out_dir.name}.old")
    if old_dir.exists():
        shutil.rmtree(old_dir)
    had_old = out_dir.exists()
    if had_old:
        os.rename(out_dir, old_dir)
    try:
        os.rename(new_dir, out_dir)
    except BaseException:
        if had_old:  # put the previous tree back: a failed swap changes nothing
            os.rename(old_dir, out_dir)
        raise
    if keep_previous:
        return old_dir if had_old else None
    shutil.rmtree(old_dir, ignore_errors=True)
    return None


def discard(path: Path) -> None:
    """Remove a temporary tree left by a failed step."""
    shutil.rmtree(path, ignore_errors=True)
