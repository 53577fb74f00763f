"""Reading git: the only module that runs it. The history of `content/` in one pass.

One `git log --raw` lists every commit that touched `content/` with the blobs each file had
before and after; one `git cat-file --batch` reads the blobs needed; `git ls-files` and
`git diff-files` tell which files in the work tree are the blobs git has, so those are not
read or parsed again. Three or four processes in all, whatever the number of files or commits
(one `git log` per file is the slow path that git-date plugins are known for). history.py
runs them in a child process while the content is checked.
"""
from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

CONTENT = "content"
"""The folder whose history is read (relative to the project root)."""


@dataclass(frozen=True)
class Commit:
    """One commit that touched content/."""

    sha: str
    """Full commit id."""
    time: int
    """Commit time, seconds since the epoch (the committer's, so rebases keep history in order)."""
    date: str
    """Commit time as ISO 8601 with the committer's UTC offset, e.g. `2025-05-17T09:30:00+02:00`."""
    subject: str
    """First line of the commit message."""
    body: str
    """The rest of the message (may be empty)."""

    @property
    def day(self) -> str:
        """The calendar date of the commit where it was made, `YYYY-MM-DD`."""
        return self.date[:10]


@dataclass(frozen=True)
class FileChange:
    """One file changed by a commit, as `git log --raw` reports it."""

    status: str
    """`A` added, `M` modified, `D` deleted, `R` renamed (maybe with edits), `T` type change."""
    old_path: str | None
    """Path before (relative to the project root); None when added."""
    new_path: str | None
    """Path after; None when deleted."""
    old_blob: str | None
    """Blob id before; None when added."""
    new_blob: str | None
    """Blob id after; None when deleted."""


@dataclass
class Log:
    """What git knows about content/."""

    commits: list[tuple[Commit, list[FileChange]]]
    """Every commit touching content/ on the first-parent line of HEAD, oldest first."""
    head: str
    """The commit id of HEAD."""
    clean: dict[str, str] = field(default_factory=dict)
    """Work-tree files (relative paths) that hold exactly the blob git has: path -> blob id."""


class Unavailable(Exception):
    """History cannot be read here; the message says why (shown once, the build goes on)."""


_NULL_BLOB = "0" * 40


def _env() -> dict[str, str]:
    """The environment git runs in: without GIT_* variables (a hook's GIT_DIR would point
    elsewhere), and without taking the index lock (reading only)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env["GIT_OPTIONAL_LOCKS"] = "0"
    return env


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    """Run git in `root`; its stdout, or Unavailable with git's own complaint."""
    try:
        result = subprocess.run(["git", *args], cwd=root, input=stdin, capture_output=True, env=_env())
    except OSError as exc:  # no git installed
        raise Unavailable(f"git cannot run ({exc.strerror})") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Unavailable(message[0] if message else f"git {args[0]} failed")
    return result.stdout


def head(root: Path) -> str | None:
    """The commit id of HEAD, or None outside a repository (cheap: for fingerprints)."""
    try:
        return _git(root, "rev-parse", "--verify", "-q", "HEAD").decode().strip() or None
    except Unavailable:
        return None


def head_time(root: Path) -> int | None:
    """The commit time of HEAD (seconds since the epoch), or None outside a repository: the
    date MkDocs stamps on the site (SOURCE_DATE_EPOCH), so two builds of a commit are identical."""
    try:
        return int(_git(root, "log", "-1", "--format=%ct", "HEAD").decode().strip())
    except (Unavailable, ValueError):
        return None


def read_log(root: Path, since: Log | None = None) -> Log:
    """Every commit that touched content/ with its file changes, and which work-tree files are
    clean; raises Unavailable (not a repository, shallow clone, no commits, no git).

    `since`: a log read before (kept in the cache): when its HEAD is on the first-parent line of
    today's, only the newer commits are read and appended to it."""
    prefix, shallow = (_git(root, "rev-parse", "--show-prefix", "--is-shallow-repository").decode()
                       .split("\n") + ["", ""])[:2]
    if shallow.strip() == "true":
        raise Unavailable("this is a shallow clone, whose history is cut off; fetch it whole "
                          "(git fetch --unshallow) for record histories")
    head_sha = head(root)
    if head_sha is None:
        raise Unavailable("the repository has no commits yet")
    known: list[tuple[Commit, list[FileChange]]] = []
    revisions = head_sha
    if since is not None and since.head == head_sha:
        known, revisions = since.commits, None
    elif since is not None and since.head in _git(root, "rev-list", "--first-parent", head_sha).decode().split():
        known, revisions = since.commits, f"{since.head}..{head_sha}"
    new: list[tuple[Commit, list[FileChange]]] = []
    if revisions:
        # --relative, not a pathspec: the same files, for 40 % less of git's time
        raw = _git(root, "-c", "core.quotepath=off", "log", "--first-parent", "--diff-merges=first-parent",
                   "--reverse", "--raw", "-z", "--no-abbrev", "-M", "--no-color",
                   f"--relative={prefix.strip()}{CONTENT}/", "--format=%x1e%H%x1f%ct%x1f%cI%x1f%s%x1f%b%x1f",
                   revisions)
        new = _parse_log(raw.decode("utf-8", "surrogateescape"), f"{CONTENT}/")
    return Log(known + new, head_sha, _clean_files(root, prefix.strip()))


def _strip(path: str, prefix: str) -> str | None:
    """A repository path relative to the project root (None outside it)."""
    return path[len(prefix):] if path.startswith(prefix) else None


def _parse_log(raw: str, content: str) -> list[tuple[Commit, list[FileChange]]]:
    """Parse `git log --raw -z --relative=…content/` output (paths relative to content/, which
    is prepended again) in the format PendingLog asks for."""
    out = []
    for chunk in raw.split("\x1e")[1:]:
        header, _, rest = chunk.partition("\x1f\x00")
        sha, time, date, subject, body = (header.split("\x1f") + [""] * 5)[:5]
        commit = Commit(sha, int(time), date, subject.strip(), body.strip())
        tokens = rest.lstrip("\n").split("\x00")
        changes: list[FileChange] = []
        i = 0
        while i < len(tokens):
            meta = tokens[i]
            if not meta.startswith(":"):
                i += 1
                continue
            parts = meta[1:].split()
            old_blob, new_blob, status = parts[2], parts[3], parts[4][:1]
            paths = 2 if status in "RC" else 1
            names = [content + p for p in tokens[i + 1:i + 1 + paths]]
            i += 1 + paths
            old_path, new_path = (names[0], names[-1])
            changes.append(FileChange(
                status,
                None if status == "A" else old_path,
                None if status == "D" else new_path,
                None if old_blob == _NULL_BLOB else old_blob,
                None if new_blob == _NULL_BLOB else new_blob))
        out.append((commit, changes))
    return out


def _clean_files(root: Path, prefix: str) -> dict[str, str]:
    """Work-tree files of content/ whose content is the blob in git's index: path -> blob id."""
    staged = {}
    for entry in _git(root, "ls-files", "-s", "-z", "--", CONTENT).decode("utf-8", "surrogateescape").split("\x00"):
        meta, _, path = entry.partition("\t")
        if path:  # (ls-files names paths from the current folder, the project root)
            staged[path] = meta.split()[1]
    changed = _git(root, "diff-files", "--name-only", "-z", "--", CONTENT).decode("utf-8", "surrogateescape")
    for path in changed.split("\x00"):
        if path:
            staged.pop(_strip(path, prefix), None)
    return staged


def read_blobs(root: Path, blob_ids: list[str]) -> dict[str, bytes]:
    """The contents of many blobs through one `git cat-file --batch`."""
    if not blob_ids:
        return {}
    out = _git(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blob_ids).encode())
    blobs: dict[str, bytes] = {}
    pos = 0
    while pos < len(out):
        end = out.index(b"\n", pos)
        header = out[pos:end].split()
        pos = end + 1
        if len(header) < 3 or header[1] != b"blob":  # "<id> missing"
            continue
        size = int(header[2])
        blobs[header[0].decode()] = out[pos:pos + size]
        pos += size + 1
    return blobs
