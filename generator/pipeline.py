"""Checking in order: load → validate → index → provenance; the CLI adds render, write, MkDocs."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .cache import RecordCache
from .index import Index, build_index
from .load import load_content, load_document
from .problems import Problem, has_errors
from .provenance import check_provenance
from .validate import duplicate_ids, validate_document, validate_documents

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


def check(root: Path, cache: RecordCache | bool = False) -> Checked:
    """Load, validate, index and verify provenance; report every problem in one pass.

    With `cache` (True, or a RecordCache kept by `serve`), files unchanged since the last run
    are not parsed or schema-checked again: their cached Document and problems are reused.
    Checks across files (duplicate ids, references, provenance) run every time.
    """
    owned = cache is True  # a cache passed in (by serve) is saved by its owner, not after every run
    if owned:
        cache = RecordCache(root)
    gc.disable()  # loading makes ~100 objects a record and frees none: collections only cost time
    try:
        if cache:
            content = load_content(root, partial(_parse_cached, cache, root))
            problems = content.problems + duplicate_ids(content.documents)
            if owned:
                cache.save()
        else:
            content = load_content(root)
            problems = content.problems + validate_documents(content.documents)
    finally:
        gc.enable()
    index, ref_problems = build_index(content.documents)
    problems += ref_problems
    problems += check_provenance(content.documents, index, content.source_texts)
    return Checked(index, sorted(set(problems)))


def _parse_cached(cache: RecordCache, root: Path, path: str, rel: str, kind: str):
    """Parse and schema-check one record file, or reuse the cached result if it is unchanged."""
    st = os.stat(path)
    hit = cache.get(rel, st)
    if hit is not None:
        return hit
    problems: list[Problem] = []
    doc = load_document(root, Path(path), kind, problems)
    problems += validate_document(doc)
    cache.put(rel, st, doc, problems)
    return doc, problems


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
