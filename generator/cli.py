"""The `briefing` command line: check, generate, build, serve, new, draft, accept, find."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import NoReturn

from .cache import OutputState, inputs_fingerprint
from .history import PendingHistory, read_history
from .kinds import KINDS
from .parallel import cpu_count
from .pipeline import Checked, check, static_files
from .publish import build_site
from .problems import Problem, ProblemError
from .incremental import PageKeys, keys_payload, load_keys
from .render import LATER, all_page_keys, record_pages, render_changed, render_later, render_site
from .siteconfig import read_site_config
from .write import (MANIFEST, WriteStats, manifest_digest, plan_files, read_manifest, recover, store_keys,
                    update_tree, write_tree)


def report(problems: list[Problem], fmt: str = "text", stream=None) -> None:
    """Print problems, one per line (text) or as a JSON list (to stdout unless `stream` is given)."""
    stream = stream or sys.stdout  # looked up at call time, so redirected stdout is honoured
    if fmt == "json":
        json.dump([p.as_dict() for p in problems], stream, indent=1, ensure_ascii=False)
        stream.write("\n")
        return
    for p in problems:
        print(p.format(), file=stream)


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.level == "error" for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error(s), {warnings} warning(s)"


def run_check(root: Path, strict: bool, fmt: str = "text", cache=True, workers: int = 1) -> Checked | None:
    """Check the content tree; print problems; return the result if it may be built.

    `cache`: reuse parses of unchanged files from `.cache/` (True), a RecordCache, or False.
    `workers`: processes parsing files at once.
    """
    checked = check(root, cache, workers)
    report(checked.problems, fmt)
    failed = not checked.ok or (strict and checked.problems)
    if checked.problems or fmt == "text":
        print(("check failed: " if failed else "check passed: ") + _summary(checked.problems)
              + (f" ({len(checked.index.records)} records)" if checked.index else ""), file=sys.stderr)
    return None if failed else checked


def generate(root: Path, checked: Checked, inputs: str | None = None, keep_previous: bool = False,
             workers: int = 1, pending: PendingHistory | None = None, incremental: bool = True) -> WriteStats:
    """Render the pages and write site_src/: only the pages an edit changed when the last
    generate's page keys describe site_src/ (incremental.py), else every page into a new tree.

    `inputs`: fingerprint of the inputs taken before checking (cache.inputs_fingerprint), stored
    so the next run can tell that nothing changed (see check_and_generate).
    `keep_previous`: keep what the write replaced so `build` can put it back (`stats.undo`).
    `workers`: processes rendering at once.
    `pending`: the history, being read since before checking (history.PendingHistory).
    `incremental`: False renders every page (`build --clean`).
    Returns the write's stats.
    """
    started = time.perf_counter()
    out_dir = root / "site_src"
    previous = load_keys(root, manifest_digest(out_dir)) if incremental else None
    if previous is not None:
        history = read_history(root, checked.index, workers, pending=pending)
        site = read_site_config(root)
        had, base = read_manifest(out_dir) or {}, f"{out_dir}{os.sep}"
        pages, kept, keys = render_changed(checked.index, history, site, previous, workers,
                                           intact=lambda rel: rel not in had or os.path.isfile(base + rel),
                                           kept_text=lambda rel: Path(base + rel).read_text(encoding="utf-8"))
        stats = update_tree(plan_files(pages, static_files(root), root), kept, out_dir)
        how = f"{len(pages)} rendered, {len(kept)} kept"
        if stats.undo and not keep_previous:
            stats.undo.commit()
    else:
        stats, keys = _generate_all(root, checked, keep_previous, workers, pending)
        how = "every page rendered"
    store_keys(root, keys_payload(keys, manifest_digest(out_dir)))
    OutputState(root, MANIFEST).store(inputs, out_dir)
    print(f"generated {stats.written + stats.unchanged} files into site_src/ ({how}: {stats.written} written, "
          f"{stats.unchanged} unchanged, {stats.removed} removed) in {time.perf_counter() - started:.2f} s",
          file=sys.stderr)
    return stats


def _generate_all(root: Path, checked: Checked, keep_previous: bool, workers: int,
                  pending: PendingHistory | None) -> tuple[WriteStats, PageKeys]:
    """Render every page and write them as a new site_src/ (swapped in whole): the stats and the keys.

    The pages that do not show the history are rendered and written while git is still being
    read (in a child process, on whatever core the rendering and the disk leave free); then the
    history is filled into the record pages, and the pages made of it are written too.
    """
    site, static = read_site_config(root), static_files(root)
    early = render_site(checked.index, workers, LATER, site)
    waiting = record_pages(checked.index)
    files = plan_files({path: text for path, text in early.items() if path not in waiting}, static, root)
    keys: list[PageKeys] = []

    def with_history(_written) -> dict[str, bytes]:
        history = read_history(root, checked.index, workers, pending=pending)
        if history.notice:
            print(history.notice, file=sys.stderr)
        pages = render_later(checked.index, early, history, site)
        keys.append(all_page_keys(checked.index, history))
        return plan_files(pages, {path: src for path, src in static.items() if path in pages}, root)

    stats = write_tree(files, root / "site_src", keep_previous, later=with_history)
    return stats, keys[0]


def cmd_check(args) -> int:
    return 0 if run_check(args.root, args.strict, args.format, not args.no_cache, args.jobs) else 1


def check_and_generate(args, keep_previous: bool = False) -> tuple[bool, WriteStats | None]:
    """Check, then generate site_src/ if the check passed: (passed, stats of the write or None).

    When the inputs' fingerprint matches the last successful generate's and site_src/ is intact,
    rendering would give the same files: only checking runs (every problem is still reported).
    """
    started = time.perf_counter()
    if recover(args.root / "site_src"):
        print("site_src/: an interrupted update was undone", file=sys.stderr)
    inputs = None if args.no_cache else inputs_fingerprint(args.root, static_files(args.root))
    current = inputs is not None and not getattr(args, "clean", False) \
        and OutputState(args.root, MANIFEST).current(inputs, args.root / "site_src")
    # the history is read while the content is checked (unless nothing changed since the last generate)
    pending = None if current else PendingHistory(args.root, args.jobs, cache=not args.no_cache)
    try:
        checked = run_check(args.root, args.strict, cache=not args.no_cache, workers=args.jobs)
        if not checked:
            return False, None
        if current:
            print(f"site_src/ is up to date: no input changed since the last generate "
                  f"({time.perf_counter() - started:.2f} s)", file=sys.stderr)
            return True, None
        return True, generate(args.root, checked, inputs=inputs, keep_previous=keep_previous, workers=args.jobs,
                              pending=pending, incremental=not (args.no_cache or getattr(args, "clean", False)))
    finally:
        if pending is not None:
            pending.close()


def cmd_generate(args) -> int:
    return 0 if check_and_generate(args)[0] else 1


def cmd_build(args) -> int:
    passed, stats = check_and_generate(args, keep_previous=True)
    if not passed:
        return 1
    undo = stats.undo if stats else None
    built = False
    try:
        built = build_site(args.root, clean=args.clean) == 0
    finally:  # (also when interrupted) a site_src/ that did not build is replaced by the previous one
        if undo and built:
            undo.commit()
        elif undo:
            undo.rollback()
            print("site_src/ left as it was", file=sys.stderr)
    return 0 if built else 1


def cmd_serve(args) -> int:
    from .serve import serve
    return serve(args.root, args.strict, args.port)


def cmd_new(args) -> int:
    from .scaffold import new_record
    return new_record(args.root, args.kind, args.name)


def cmd_draft(args) -> int:
    from .draft import make_draft
    from .draft.store import write_drafts
    from .index import Index

    sid = args.source_id
    text_path = args.root / "content" / "sources" / f"{sid}.txt"
    checked = check(args.root, cache=not args.no_cache)
    index = checked.index if checked.index is not None else Index({}, {})
    source = index.get(sid)
    if source is None or source.kind != "source" or not text_path.is_file():
        print(f"draft: no source '{sid}': it needs content/sources/{sid}.yaml and its text "
              f"content/sources/{sid}.txt", file=sys.stderr)
        return 1
    draft = make_draft(sid, text_path.read_text(encoding="utf-8"), source.data, index)
    try:
        write_drafts(args.root, draft)
    except FileExistsError as exc:
        print(f"draft: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{draft.count(kind)} {KINDS[kind].plural if draft.count(kind) != 1 else kind}"
                       for kind in ("person", "organization", "quote", "event"))
    print(f"drafts/{sid}/: {counts}; {len(draft.mentions)} mention(s) of existing records "
          f"(drafts/{sid}/mentions.yaml)")
    if draft.already:
        print(f"draft: {len(draft.already)} quote(s) and event(s) already in content/ left out", file=sys.stderr)
    if draft.not_facts:
        print(f"draft: {len(draft.not_facts)} line(s) not drafted from (title, headings and captions, credits, "
              "boilerplate)", file=sys.stderr)
    if draft.undated:
        print(f"draft: {len(draft.undated)} time word(s) not dated: source '{sid}' gives no publication day "
              "(add published: to its record)", file=sys.stderr)
    print(f"draft: review the files, then `briefing accept {sid}`", file=sys.stderr)
    return 0


def cmd_accept(args) -> int:
    from .draft.store import accept_drafts

    moved, clashes = accept_drafts(args.root, args.source_id)
    for clash in clashes:
        print(f"accept: {clash}; nothing moved — rename the draft (and its references) or merge it by hand",
              file=sys.stderr)
    if clashes:
        return 1
    if not moved:
        print(f"accept: no drafts in drafts/{args.source_id}/", file=sys.stderr)
        return 1
    for path in moved:
        print(path)
    return 0 if run_check(args.root, args.strict, cache=not args.no_cache, workers=args.jobs) else 1


def cmd_find(args) -> int:
    from .find import find_passages, source_texts
    from .scaffold import _quote

    passages = find_passages(source_texts(args.root), " ".join(args.words))
    for passage in passages:
        print(f"{passage.source}: {_quote(' '.join(passage.text.split()))}")
    if passages and not passages[0].exact:
        print("find: no exact match; closest passages shown (small typos tolerated)", file=sys.stderr)
    if not passages:
        print("find: no passage of content/sources/*.txt matches", file=sys.stderr)
    return 0 if passages else 1


def cmd_synth(args) -> int:
    from .synth import default_template, write_project
    try:
        n = write_project(args.out.resolve(), args.records, default_template(args.root), args.seed, args.commits)
    except (FileExistsError, ValueError) as exc:
        print(f"synth: {exc}", file=sys.stderr)
        return 1
    history = f", a git repository of {args.commits} commits" if args.commits else ""
    print(f"wrote {n} files ({args.records} records) into {args.out}/content{history}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `briefing` console script."""
    parser = argparse.ArgumentParser(prog="briefing", description="Build a sourced fact-sheet site from YAML records.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
    parser.add_argument("--no-cache", action="store_true",
                        help="parse every record file anew instead of reusing .cache/ for unchanged files")
    parser.add_argument("-j", "--jobs", type=int, default=cpu_count(), metavar="N",
                        help="processes parsing and rendering at once (default: one per core, here %(default)s)")
    sub = parser.add_subparsers(dest="command", required=True)

    def add(name, func, help_text, strict=True):
        p = sub.add_parser(name, help=help_text)
        if strict:
            p.add_argument("--strict", action="store_true", help="treat warnings as errors")
        p.set_defaults(func=func)
        return p

    add("check", cmd_check, "validate content/ and report every problem").add_argument(
        "--format", choices=("text", "json"), default="text", help="output format")
    add("generate", cmd_generate, "check, then write Markdown into site_src/")
    add("build", cmd_build, "check, generate, then mkdocs build --strict into site/ (only what changed)").add_argument(
        "--clean", action="store_true", help="render every page and build the whole site from scratch")
    serve_parser = add("serve", cmd_serve, "generate and preview, regenerating when content/ changes")
    serve_parser.add_argument("--port", type=int, default=8000, help="0: any free port (the one chosen is printed)")
    new = add("new", cmd_new, "scaffold a new record", strict=False)
    new.add_argument("kind", choices=sorted(KINDS))
    new.add_argument("name", help="the record's name or title; the id is made from it")
    draft = add("draft", cmd_draft, "propose records from a source's text into drafts/<source-id>/", strict=False)
    draft.add_argument("source_id", help="id of a source in content/sources/")
    accept = add("accept", cmd_accept, "move drafts/<source-id>/ into content/ (never overwriting), then check")
    accept.add_argument("source_id", help="id of the source whose drafts to accept")
    find = add("find", cmd_find, "print the passages of the sources that match some words", strict=False)
    find.add_argument("words", nargs="+", help="the words to find (quote style, spacing, case and small typos ignored)")
    synth = add("synth", cmd_synth, "write a synthetic content tree (for benchmarks)", strict=False)
    synth.add_argument("--records", type=int, default=1000, help="number of records (default 1000)")
    synth.add_argument("--out", type=Path, required=True, help="folder to create the project in")
    synth.add_argument("--seed", type=int, default=1, help="random seed (same seed, same tree)")
    synth.add_argument("--commits", type=int, default=0, metavar="M",
                       help="make the folder a git repository of M commits of edits ending in the content (history)")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except ProblemError as exc:
        report(exc.problems, stream=sys.stderr)
        return 1


def exit_now(code) -> NoReturn:
    """End this process with `main()`'s code once its output is out, skipping the interpreter's
    teardown: freeing one by one the objects of a 10,000-record index and of MkDocs' pages took
    0.1-0.2 s of every build. For the command line only (tests call main() and go on)."""
    logging.shutdown()  # (what the interpreter's exit would do for logging's handlers)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`briefing find … | head`)
            pass
    os._exit(code if isinstance(code, int) else 0 if code is None else 1)


def command() -> NoReturn:
    """The `briefing` command (pyproject.toml's entry point; `python -m generator` too)."""
    exit_now(main())


if __name__ == "__main__":  # pragma: no cover
    command()
