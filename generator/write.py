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


def read_manifest(out_dir: Path) -> dict[str, str] | None:
    """The manifest of an existing generated tree; None if the tree was not made by us."""
    try:
        return json.loads((out_dir / MANIFEST).read_bytes())  # (JSON as written here is ASCII)
    except (OSError, ValueError):
        return None


def _guard(out_dir: Path) -> dict[str, str]:
    """Refuse to replace a directory the generator did not make (it may hold hand-written work)."""
    if not out_dir.exists():
        return {}
    manifest = read_manifest(out_dir)
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


UNDO_DIR = ".site_src.undo"
"""Beside site_src/ while update_tree changes it in place: the replaced files and what to undo
(for another tree `.<name>.undo`)."""


def _journal(out_dir: Path) -> Path:
    return out_dir.with_name(f".{out_dir.name}.undo")


@dataclass
class InPlaceUndo:
    """How to put back what `update_tree` changed in place (the same interface as Undo).

    The journal (UNDO_DIR) holds the replaced and removed files (hard links: same inode,
    content and mtime) and the list of files that are new; it exists from before the first
    change until `commit`, so a build killed midway is undone by the next one (`recover`).
    """

    out_dir: Path
    """The tree changed in place."""
    journal: Path
    """The journal folder."""

    def rollback(self) -> None:
        """Put every changed file back as it was."""
        plan = json.loads((self.journal / "plan.json").read_text(encoding="utf-8"))
        for rel in plan["created"]:
            (self.out_dir / rel).unlink(missing_ok=True)
        saved = self.journal / "files"
        for rel in plan["saved"]:
            if (saved / rel).exists():
                _place(saved / rel, self.out_dir / rel)
        prune_dirs(self.out_dir, plan["created"])
        discard(self.journal)

    def commit(self) -> None:
        """Keep the changes: drop the journal."""
        discard(self.journal)


def _place(src: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(src, target)


def prune_dirs(base: Path, rels) -> None:
    """Remove the folders left empty by removing these files (a clean tree has none)."""
    for parent in {(base / rel).parent for rel in rels}:  # (any order: each climbs while empty)
        while parent != base and parent.is_dir() and not any(parent.iterdir()):
            parent.rmdir()
            parent = parent.parent


def recover(out_dir: Path) -> bool:
    """Undo an in-place update that was interrupted (its journal is still there); True if one was."""
    journal = _journal(out_dir)
    if not journal.exists():
        return False
    if (journal / "plan.json").is_file():
        InPlaceUndo(out_dir, journal).rollback()
    discard(journal)  # no plan: nothing had been changed yet
    return True


def manifest_digest(out_dir: Path) -> str | None:
    """A digest of a generated tree's manifest (None without one): which keys describe it."""
    try:
        return _digest((out_dir / MANIFEST).read_bytes())
    except OSError:
        return None


def update_tree(files: dict[str, bytes], keep: set[str], out_dir: Path) -> WriteStats:
    """Make `out_dir` hold `files` and the files of `keep` as they are, changing it in place.

    Only files whose content changed are written (each replaced atomically), files neither in
    `files` nor in `keep` are removed, and every other file keeps its inode and mtime (MkDocs'
    dirty build goes by mtimes). Returns the stats with an InPlaceUndo (None when nothing
    changed): call `commit()` or `rollback()`. Paths of `keep` the tree does not hold are ignored (a record page's diagram
    file that it does not have).
    """
    old = _guard(out_dir)
    if not old:
        raise ValueError(f"{out_dir} has no manifest to update")
    new_manifest = {rel: old[rel] for rel in keep if rel in old and rel not in files}
    new_manifest.update({rel: _digest(data) for rel, data in files.items()})
    changed = [rel for rel in files if old.get(rel) != new_manifest[rel] or not (out_dir / rel).is_file()]
    removed = sorted(set(old) - set(new_manifest))
    if not changed and not removed and new_manifest == old:
        return WriteStats(0, len(new_manifest), 0)  # nothing to do: every mtime stays
    journal = _journal(out_dir)
    discard(journal)
    (journal / "files").mkdir(parents=True)
    saved = [rel for rel in changed if rel in old] + removed
    created = [rel for rel in changed if rel not in old]
    plan = {"created": created, "saved": saved + [MANIFEST]}
    _write_file(journal / "plan.json", json.dumps(plan).encode())
    undo = InPlaceUndo(out_dir, journal)
    try:
        for rel in saved + [MANIFEST]:
            target = journal / "files" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(out_dir / rel, target)
            except FileNotFoundError:
                pass
        for rel in changed:
            _write_file(out_dir / rel, files[rel])
        for rel in removed:
            (out_dir / rel).unlink(missing_ok=True)
        prune_dirs(out_dir, removed)
        _write_file(out_dir / MANIFEST, json.dumps(new_manifest, sort_keys=True).encode("utf-8"))
    except BaseException:
        undo.rollback()
        raise
    return WriteStats(len(changed), len(new_manifest) - len(changed), len(removed), tuple(changed),
                      tuple(removed), undo)


def store_keys(root: Path, payload: bytes) -> None:
    """Save the page keys (incremental.keys_payload) in .cache/."""
    from .cache import CACHE_DIR
    from .incremental import KEYS_FILE
    _write_file(root / CACHE_DIR / KEYS_FILE, payload)


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


_RENAME_EXCHANGE = 2
"""renameat2's flag: swap two paths in one step (Linux 3.15+)."""


def exchange(a: Path, b: Path) -> None:
    """Swap two folders in one atomic step, so that `b` is at every moment one of the two trees
    (Linux renameat2 RENAME_EXCHANGE; elsewhere three renames, with a short moment without `b`).
    `b` may not exist: then `a` is renamed to `b`."""
    if not b.exists():
        os.rename(a, b)
        return
    import ctypes

    try:
        # the symbols this process has loaded (libc among them): find_library would run ldconfig
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        renameat2 = None
    if renameat2 is not None:
        at_fdcwd = -100
        if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
            return
        err = ctypes.get_errno()
        if err not in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: fall back to renames
            raise OSError(err, os.strerror(err), str(a))
    middle = a.with_name(a.name + ".swap")
    os.rename(b, middle)
    os.rename(a, b)
    os.rename(middle, a)


def link_tree(src: Path, dest: Path, rels) -> None:
    """Make each file `rel` of `dest` the same file as in `src` (a hard link: no copy), replacing
    what `dest` had there."""
    made: set[Path] = set()
    for rel in rels:
        target = dest / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        tmp = target.with_name(f".{target.name}.link")
        tmp.unlink(missing_ok=True)
        os.link(src / rel, tmp)
        os.replace(tmp, target)


def write_cache(path: Path, data: bytes) -> None:
    """Save a cache file in .cache/ (replaced atomically)."""
    _write_file(path, data)


def write_state(path: Path, value) -> None:
    """Save a small JSON state file (replaced atomically)."""
    _write_file(path, json.dumps(value, sort_keys=True).encode("utf-8"))


def discard(path: Path) -> None:
    """Remove a temporary tree left by a failed step."""
    shutil.rmtree(path, ignore_errors=True)
