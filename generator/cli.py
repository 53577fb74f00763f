"""The `briefing` command line: check, generate, build, serve, new."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .kinds import KINDS
from .pipeline import Checked, check, static_files
from .problems import Problem, ProblemError
from .render import render_site
from .write import discard, plan_files, swap_in, sync_tree, write_tree


def report(problems: list[Problem], fmt: str = "text", stream=sys.stdout) -> None:
    """Print problems, one per line (text) or as a JSON list."""
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


def run_check(root: Path, strict: bool, fmt: str = "text") -> Checked | None:
    """Check the content tree; print problems; return the result if it may be built."""
    checked = check(root)
    report(checked.problems, fmt)
    failed = not checked.ok or (strict and checked.problems)
    if checked.problems or fmt == "text":
        print(("check failed: " if failed else "check passed: ") + _summary(checked.problems)
              + (f" ({len(checked.index.records)} records)" if checked.index else ""), file=sys.stderr)
    return None if failed else checked


def generate(root: Path, checked: Checked, in_place: bool = False) -> None:
    """Render every page and write site_src/ (swapped in whole, or synced in place)."""
    started = time.perf_counter()
    files = plan_files(render_site(checked.index), static_files(root))
    out_dir = root / "site_src"
    stats = (sync_tree if in_place else write_tree)(files, out_dir)
    print(f"generated {len(files)} files into site_src/ ({stats.written} written, {stats.unchanged} unchanged, "
          f"{stats.removed} removed) in {time.perf_counter() - started:.2f} s", file=sys.stderr)


def mkdocs_build(root: Path) -> int:
    """Build site/ with `mkdocs build --strict` into a temporary folder; swap it in on success."""
    new_site = root / ".site.new"
    discard(new_site)
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "--site-dir", str(new_site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(cmd, cwd=root, env=env)
    if result.returncode != 0:
        discard(new_site)
        print("mkdocs build failed; site/ left as it was", file=sys.stderr)
        return 1
    swap_in(new_site, root / "site")
    print("built site/", file=sys.stderr)
    return 0


def cmd_check(args) -> int:
    return 0 if run_check(args.root, args.strict, args.format) else 1


def cmd_generate(args) -> int:
    checked = run_check(args.root, args.strict)
    if not checked:
        return 1
    generate(args.root, checked)
    return 0


def cmd_build(args) -> int:
    if cmd_generate(args):
        return 1
    return mkdocs_build(args.root)


def cmd_serve(args) -> int:
    from .serve import serve
    return serve(args.root, args.strict, args.port)


def cmd_new(args) -> int:
    from .scaffold import new_record
    return new_record(args.root, args.kind, args.name)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `briefing` console script."""
    parser = argparse.ArgumentParser(prog="briefing", description="Build a sourced fact-sheet site from YAML records.")
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="project folder (default: current folder)")
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
    add("build", cmd_build, "check, generate, then mkdocs build --strict into site/")
    serve_parser = add("serve", cmd_serve, "generate and preview, regenerating when content/ changes")
    serve_parser.add_argument("--port", type=int, default=8000)
    new = add("new", cmd_new, "scaffold a new record", strict=False)
    new.add_argument("kind", choices=sorted(KINDS))
    new.add_argument("name", help="the record's name or title; the id is made from it")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    try:
        return args.func(args)
    except ProblemError as exc:
        report(exc.problems, stream=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
