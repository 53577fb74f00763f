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
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem, ProblemError

MANIFEST = ".briefing-generated"
"""File in every generated tree listing each output path and the hash of its content."""


@dataclass
class WriteStats:
    """What a write did."""

    written: int
    """Files whose content changed or is new."""
    unchanged: int
    """Files kept as they were (same content, same mtime)."""
    removed: int
    """Files of the previous tree no longer generated."""


def plan_files(pages: dict[str, str], static: dict[str, Path]) -> dict[str, bytes]:
    """Merge generated pages and copied files into one output map, refusing any path twice."""
    out = {path: text.encode("utf-8") for path, text in pages.items()}
    clashes = []
    for rel, src in sorted(static.items()):
        if rel in out:
            clashes.append(Problem(str(src), 1, 1, "output-clash",
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
        return json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
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


def write_tree(files: dict[str, bytes], out_dir: Path) -> WriteStats:
    """Replace `out_dir` with exactly `files` by building a new tree and swapping it in."""
    old = _guard(out_dir)
    new_manifest = {rel: _digest(data) for rel, data in files.items()}
    tmp_dir = out_dir.with_name(f".{out_dir.name}.new")
    if tmp_dir.exists():
        shutil.rmtree(tmp_dir)
    written = unchanged = 0
    made_dirs: set[Path] = set()
    try:
        for rel, data in files.items():
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
        (tmp_dir / MANIFEST).write_text(json.dumps(new_manifest, sort_keys=True), encoding="utf-8")
    except BaseException:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    swap_in(tmp_dir, out_dir)
    return WriteStats(written, unchanged, len(set(old) - set(files)))


def sync_tree(files: dict[str, bytes], out_dir: Path) -> WriteStats:
    """Update `out_dir` in place: rewrite changed files, delete files no longer generated.

    Used by `serve`, whose file watcher must keep watching the same directory; each file is
    replaced atomically, and only after the whole site has validated and rendered.
    """
    old = _guard(out_dir)
    new_manifest = {rel: _digest(data) for rel, data in files.items()}
    written = unchanged = 0
    for rel, data in files.items():
        target = out_dir / rel
        if old.get(rel) == new_manifest[rel] and target.exists():
            unchanged += 1
            continue
        _write_file(target, data)
        written += 1
    stale = set(old) - set(files)
    for rel in stale:
        (out_dir / rel).unlink(missing_ok=True)
    _write_file(out_dir / MANIFEST, json.dumps(new_manifest, sort_keys=True).encode())
    return WriteStats(written, unchanged, len(stale))


def swap_in(new_dir: Path, out_dir: Path) -> None:
    """Put `new_dir` in the place of `out_dir` (which may not exist) and remove the old tree."""
    old_dir = out_dir.with_name(f".{out_dir.name}.old")
    if old_dir.exists():
        shutil.rmtree(old_dir)
    if out_dir.exists():
        os.rename(out_dir, old_dir)
    os.rename(new_dir, out_dir)
    shutil.rmtree(old_dir, ignore_errors=True)


def discard(path: Path) -> None:
    """Remove a temporary tree left by a failed step."""
    shutil.rmtree(path, ignore_errors=True)
