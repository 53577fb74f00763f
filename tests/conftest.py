"""Shared fixtures: a writable copy of the mini project and an in-process CLI runner."""
from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.pipeline import copy_site_inputs

from browsing import base_url, browser, chromium, open_page, site  # noqa: F401  (fixtures of the browser tests)

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
"""The tiny fixture project every test copies."""
REPO = Path(__file__).resolve().parent.parent
"""The repository root (holds the real `static/` folder)."""


@dataclass
class Result:
    """Outcome of one in-process `briefing` run."""

    code: int
    """Exit code."""
    out: str
    """Everything printed to stdout."""
    err: str
    """Everything printed to stderr."""

    @property
    def lines(self) -> list[str]:
        """Non-empty stdout lines (one per problem in text format)."""
        return [line for line in self.out.splitlines() if line]


class Project:
    """A throwaway copy of the fixture project under a temporary folder."""

    def __init__(self, root: Path):
        self.root = root

    def path(self, rel: str) -> Path:
        """Absolute path of a file in the project."""
        return self.root / rel

    def write(self, rel: str, text: str, dedent: bool = True) -> Path:
        """Write a (dedented) text file, creating folders; returns its path."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text) if dedent else text, encoding="utf-8")
        return path

    def write_bytes(self, rel: str, data: bytes) -> Path:
        """Write raw bytes (for encoding tests)."""
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return path

    def remove(self, rel: str) -> None:
        """Delete a file of the project."""
        (self.root / rel).unlink()

    def run(self, *args: str) -> Result:
        """Run `briefing --root <project> <args>` in this process, capturing its output."""
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(["--root", str(self.root), *args])
            except SystemExit as exc:  # argparse rejects the arguments
                code = exc.code
        return Result(code, out.getvalue(), err.getvalue())

    def problems(self, *args: str) -> list[dict]:
        """Problems reported by `briefing check --format json` (plus any extra args)."""
        result = self.run("check", "--format", "json", *args)
        return json.loads(result.out)

    def codes(self) -> list[tuple[str, int, int, str]]:
        """(path, line, column, code) of every problem `check` reports, in report order."""
        return [(p["path"], p["line"], p["column"], p["code"]) for p in self.problems()]


def copy_fixture(dest: Path) -> Project:
    """Copy the mini fixture (content, its mkdocs.yml, the repository's static/ and overrides/) into `dest`,
    without built output."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copytree(FIXTURE / "content", dest / "content")
    copy_site_inputs(REPO, dest, config=FIXTURE / "mkdocs.yml")
    return Project(dest)


@pytest.fixture
def project(tmp_path) -> Project:
    """A fresh, valid copy of the mini fixture project."""
    return copy_fixture(tmp_path / "project")


def tree_state(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under `root` (hidden ones included) -> (content hash, mtime in ns).

    Two equal states mean the tree is byte-for-byte and mtime identical.
    """
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*")) if p.is_file()}


LONGEST_FILES = ["test_publish.py", "test_browser.py", "test_axe.py", "test_a11y.py", "test_escaping.py",
                 "test_stories.py", "test_living.py"]
"""The test files that take longest (20–60 s each), longest first: `make test`'s workers take
files in this order (`--no-loadscope-reorder`), so that the two finish together."""


def pytest_collection_modifyitems(config, items):
    """On `make test`'s workers, the longest files first (LONGEST_FILES). Under `make mutate`,
    a mutant's tests fastest first, stopping at the first failure (-x).

    mutmut's fork server hands the tests over in no particular order (its plain fork runner sorts
    them by the durations of its stats run); a mutant that one quick test kills then often waited
    for a hundred slower ones first.
    """
    if os.environ.get("PYTEST_XDIST_WORKER"):
        rank = {name: i for i, name in enumerate(LONGEST_FILES)}
        items.sort(key=lambda item: rank.get(item.path.name, len(rank)))  # stable: files stay whole
        return
    if not os.environ.get("MUTANT_UNDER_TEST"):
        return
    try:
        durations = json.loads((config.rootpath / "mutmut-stats.json").read_text())["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return
    items.sort(key=lambda item: durations.get(item.nodeid, 0.0))
