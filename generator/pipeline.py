"""Checking in order: load → validate → index → provenance; the CLI adds render, write, MkDocs."""
from __future__ import annotations

import gc
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from .addresses import check_addresses, git_tracks, stale_ids
from .cache import RecordCache
from .disputes import check_disputes
from .identity import check_identity
from .index import Index, build_index
from .load import load_content, parse_record_files
from .languages import search_language_problems
from .parallel import Background, deal, fork_map
from .placeholders import placeholder_problems
from .problems import Problem, has_errors
from .provenance import check_provenance
from .siteconfig import read_site_config
from .validate import duplicate_ids, validate_document

SITE_INPUTS = ("mkdocs.yml", "static", "overrides")
"""What a build reads besides content/: the site configuration, hand-written styles and scripts,
and the theme override (`theme.custom_dir`)."""
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


def check(root: Path, cache: RecordCache | bool = False, workers: int = 1) -> Checked:
    """Load, validate, index and verify provenance; report every problem in one pass.

    With `cache` (True, or a RecordCache kept by `serve`), files unchanged since the last run
    are not parsed or schema-checked again: their cached Document and problems are reused.
    Checks across files (duplicate ids, references, provenance) run every time.
    `workers`: processes parsing and schema-checking the files that need it (see parallel.py).
    """
    owned = cache is True  # a cache passed in (by serve) is saved by its owner, not after every run
    if owned:
        cache = RecordCache(root)
    # Loading and indexing make ~100 objects a record and free none: collections only cost time
    # (0.17 s at 10,000 records). What they make lives as long as the index, so it is then kept
    # out of the collector's sight (gc.freeze) rather than scanned by every later collection;
    # reference counting still frees it.
    gc.disable()
    try:
        content = load_content(root, partial(_parse_files, cache or None, root, workers))
        problems = content.problems + duplicate_ids(content.documents)
        if owned:
            cache.save()
        index, ref_problems = build_index(content.documents,
                                          lambda: stale_ids(content.documents, git_tracks(root)))
    finally:
        gc.freeze()
        gc.enable()
    problems += ref_problems
    # the excerpts are checked on the other core meanwhile (on big sites; the result is the same)
    provenance = Background(lambda: check_provenance(content.documents, index, content.source_texts)) \
        if workers > 1 and len(content.documents) >= PARALLEL_MIN_FILES else None
    try:
        problems += check_addresses(content.documents, index)
        problems += check_disputes(content.documents, index)
        problems += check_identity(content.documents, index)
        problems += placeholder_problems(content.documents, index)
        site = read_site_config(root)
        problems += search_language_problems(content.documents, site.search_lang, site.search_lang_at)
        problems += provenance.result() if provenance else check_provenance(content.documents, index,
                                                                            content.source_texts)
    finally:
        if provenance:
            provenance.close()
    return Checked(index, sorted(set(problems)))


PARSE_CHUNKS_PER_WORKER = 4
"""Tasks per worker process: enough for the cores to finish together."""
PARALLEL_MIN_FILES = 400
"""Fewer files to parse than this are parsed in this process: forking would cost more."""


def _parse_files(cache: RecordCache | None, root: Path, workers: int,
                 entries: list[tuple[str, str, str]]) -> list[tuple]:
    """Parse and schema-check record files, reusing cached results of unchanged files."""
    results: list = [None] * len(entries)
    todo: list[int] = []
    stats: dict[int, os.stat_result] = {}
    for i, (path, rel, _kind) in enumerate(entries):
        if cache is not None:
            st = stats[i] = os.stat(path)
            hit = cache.get(rel, st)
            if hit is not None:
                results[i] = hit
                continue
        todo.append(i)

    def parse_chunk(chunk: list[int]) -> list[tuple]:
        out = []
        for (doc, problems) in parse_record_files(root, [entries[i] for i in chunk]):
            out.append((doc, problems + validate_document(doc)))
        return out

    n = workers if len(todo) >= PARALLEL_MIN_FILES else 1
    chunks = deal(todo, n * PARSE_CHUNKS_PER_WORKER)
    for chunk, parsed in zip(chunks, fork_map(parse_chunk, chunks, n)):
        for i, (doc, problems) in zip(chunk, parsed):
            results[i] = (doc, problems)
            if cache is not None:
                cache.put(entries[i][1], stats[i], doc, problems)
    return results


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


def copy_site_inputs(template: Path, out: Path, config: Path | None = None) -> None:
    """Copy SITE_INPUTS from `template` into `out` (the projects of tests and benchmarks);
    `config`: another mkdocs.yml to copy instead of the template's."""
    import shutil

    for name in SITE_INPUTS:
        src = config if name == "mkdocs.yml" and config is not None else template / name
        if src.is_dir() and not (out / name).exists():
            shutil.copytree(src, out / name)
        elif src.is_file():
            shutil.copyfile(src, out / name)
