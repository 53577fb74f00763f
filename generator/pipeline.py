"""Checking in order: load → validate → index → provenance; the CLI adds render, write, MkDocs."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .index import Index, build_index
from .load import load_content
from .problems import Problem, has_errors
from .provenance import check_provenance
from .validate import validate_documents

STATIC_DIRS = {"content/pages": "", "static": "extra/"}
"""Hand-written files copied into site_src: repo folder -> prefix inside site_src."""


@dataclass
class Checked:
    """The outcome of checking the content tree."""

    index: Index | None
    """The resolved records (None when nothing could be parsed)."""
    problems: list[Problem]
    """Every problem found, sorted by path, line and column."""

    @property
    def ok(self) -> bool:
        """True when there are no errors (warnings allowed)."""
        return not has_errors(self.problems)


def check(root: Path) -> Checked:
    """Load, validate, index and verify provenance; report every problem in one pass."""
    content = load_content(root)
    problems = content.problems + validate_documents(content.documents)
    index, ref_problems = build_index(content.documents)
    problems += ref_problems
    problems += check_provenance(content.documents, index, content.source_texts)
    return Checked(index, sorted(set(problems)))


def static_files(root: Path) -> dict[str, Path]:
    """Hand-written pages and assets to copy into site_src, by output path."""
    out: dict[str, Path] = {}
    for folder, prefix in STATIC_DIRS.items():
        base = root / folder
        if base.is_dir():
            for path in sorted(base.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    out[prefix + path.relative_to(base).as_posix()] = path
    return out
