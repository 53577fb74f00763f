"""Random edits of a briefing, each followed by an incremental `briefing build`, compared with a
clean build of the same content: the property of issue 12 (tests/test_publish.py runs a short
sequence, `bench/publish.py` a long one)."""
from __future__ import annotations

import hashlib
import random
import re
import shutil
from pathlib import Path

from conftest import Project, copy_fixture
from story import git

STATUSES = ("standing", "unchanged", "escalated", "rejected", "accepted", "met", "withdrawn")


def tree_bytes(root: Path) -> dict[str, str]:
    """Every file under `root` -> hash of its bytes (mtimes left out: only content must match)."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def empty_dirs(root: Path) -> list[str]:
    """Folders without files under `root` (a clean build has none)."""
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir() and not any(p.iterdir())]


class Editor:
    """Makes random valid edits of a git-tracked copy of the mini project."""

    def __init__(self, project: Project, rng: random.Random):
        self.p, self.rng = project, rng
        self.extras: list[str] = []  # ids of the people this editor added (nothing refers to them)
        self.count = 0
        self.day = 1

    def _sub(self, rel: str, pattern: str, repl: str) -> None:
        path = self.p.path(rel)
        text, n = re.subn(pattern, repl, path.read_text(encoding="utf-8"), count=1, flags=re.M)
        assert n == 1, (rel, pattern)
        path.write_text(text, encoding="utf-8")

    def shown(self) -> str:
        """Rename an organization shown on most pages."""
        self.count += 1
        self._sub("content/organizations/northland.yaml", r"^name: .*$", f"name: Northland {self.count}")
        return "a name shown on many pages"

    def status(self) -> str:
        self._sub("content/demands/troop-withdrawal.yaml", r"^status: .*$", f"status: {self.rng.choice(STATUSES)}")
        return "a status"

    def add(self) -> str:
        self.count += 1
        rid = f"extra-{self.count}"
        self.p.write(f"content/people/{rid}.yaml", f"""\
            name: Extra Person {self.count}
            role: envoy number {self.count}
            affiliations: [{self.rng.choice(['northland', 'southland'])}]
            sources:
              - source: report
                excerpt: Northland's envoy Anna Berg
            """)
        self.extras.append(rid)
        return f"added {rid}"

    def delete(self) -> str:
        if not self.extras:
            return self.add()
        rid = self.extras.pop(self.rng.randrange(len(self.extras)))
        self.p.remove(f"content/people/{rid}.yaml")
        return f"deleted {rid}"

    def rename(self) -> str:
        if not self.extras:
            return self.add()
        i = self.rng.randrange(len(self.extras))
        self.count += 1
        old, new = self.extras[i], f"{self.extras[i].split('-r')[0]}-r{self.count}"
        self.p.path(f"content/people/{old}.yaml").rename(self.p.path(f"content/people/{new}.yaml"))
        self.extras[i] = new
        return f"renamed {old} to {new}"

    def commit(self) -> str:
        self.day += 1
        git(self.p.root, "add", "-A")
        git(self.p.root, "commit", "-q", "--allow-empty", "-m", f"edit {self.day}",
            date=f"2024-04-{self.day:02d}T09:00:00+00:00")
        return "a commit"

    def static(self) -> str:
        self.count += 1
        with open(self.p.path("static/stylesheets/briefing.css"), "a", encoding="utf-8") as f:
            f.write(f"\n/* edit {self.count} */\n")
        return "a static file"

    def config(self) -> str:
        self.count += 1
        self._sub("mkdocs.yml", r"^site_description: .*$", f'site_description: "Edition {self.count}"')
        return "mkdocs.yml"

    EDITS = ("shown", "status", "add", "delete", "rename", "commit", "static", "config")
    WEIGHTS = (3, 3, 3, 2, 2, 3, 1, 1)

    def random_edit(self) -> str:
        """One edit: every kind once first, in a random order (so a short run covers them all),
        then chosen at random (content edits more often than site-wide ones)."""
        if not hasattr(self, "first"):
            self.first = self.rng.sample(self.EDITS, len(self.EDITS))
        name = self.first.pop() if self.first else self.rng.choices(self.EDITS, self.WEIGHTS)[0]
        return getattr(self, name)()


def start(root: Path) -> Project:
    """The mini project in a new git repository, built once."""
    project = copy_fixture(root)
    if not re.search(r"^site_description:", project.path("mkdocs.yml").read_text(encoding="utf-8"), re.M):
        with open(project.path("mkdocs.yml"), "a", encoding="utf-8") as f:
            f.write('site_description: "Edition 0"\n')
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "first", date="2024-04-01T09:00:00+00:00")
    result = project.run("build")
    assert result.code == 0, result.err
    return project


def clean_build(project: Project, dest: Path) -> Project:
    """A copy of the project's inputs (content, site inputs, git history) built from scratch."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in ("content", "static", "overrides", ".git", "mkdocs.yml"):
        src = project.path(name)
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copyfile(src, dest / name)
    clean = Project(dest)
    result = clean.run("build", "--clean")
    assert result.code == 0, result.err
    return clean


def run_steps(root: Path, seed: int, steps: int, log=None) -> list[str]:
    """Edit and build `steps` times; after each build, site/ and site_src/ must equal a clean
    build's. Returns the edits made (and how each build went, when `log` is given)."""
    project = start(root / "project")
    editor = Editor(project, random.Random(seed))
    done = []
    for step in range(steps):
        what = editor.random_edit()
        result = project.run("build")
        assert result.code == 0, (what, result.err)
        done.append(what)
        if log:
            log(step, what, result.err)
        clean = clean_build(project, root / "clean")
        for tree in ("site_src", "site"):
            mine, theirs = tree_bytes(project.path(tree)), tree_bytes(clean.path(tree))
            differ = sorted(k for k in mine.keys() | theirs.keys() if mine.get(k) != theirs.get(k))
            assert not differ, (f"after step {step} ({what}; seed {seed}, edits {done}), {tree}/ differs "
                                f"from a clean build in {differ[:8]}")
        assert not empty_dirs(project.path("site")), empty_dirs(project.path("site"))
    return done
