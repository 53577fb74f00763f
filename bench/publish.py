#!/usr/bin/env python3
"""Benchmark publishing an edit: `briefing build` after one edit against a cold build, at 10,000
records, with the site compared byte for byte with a clean build after each kind of edit; then a long
run of the property test (random edits, an incremental build after each, equal to a clean build).
Each kind of edit is made five times (`--repeat`) and the median build reported; the cold
build is made twice and the faster is the yardstick (the machine's speed varies).

    .venv/bin/python bench/publish.py                      # 10,000 records, 60 random steps
    .venv/bin/python bench/publish.py --records 2000 --steps 10

Each build runs in its own process (wall time, peak memory). The project is a git repository
(one commit of the synthetic content, edits committed as they are made, so the history is read
as editors' builds read it). Results: a Markdown report and the raw JSON in bench/results/.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from run import BRIEFING, ENV, REPO, RESULTS, machine, run  # noqa: E402

GIT = ["git", "-c", "gc.auto=0", "-c", "user.name=Bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false",
       "-c", "init.defaultBranch=main"]


def git(root: Path, *args: str) -> None:
    subprocess.run([*GIT, *args], cwd=root, check=True, capture_output=True)


def tree_bytes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.blake2b(p.read_bytes(), digest_size=16).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def index_of(root: Path):
    """The project's checked index (in this process, from the snapshot of the code)."""
    from generator.pipeline import check
    return check(root, cache=False, workers=2).index


def title_line(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    m = re.search(r"^(name|title): (.*)$", text, re.M)
    return m.group(1), m.group(2)


class Edits:
    """The edits of issue 12, made on a synthetic project."""

    def __init__(self, root: Path):
        self.root = root
        index = index_of(root)
        self.index = index
        referrers = {rid: len({ln.source for ln in index.backlinks.get(rid, ())}) for rid in index.records}
        self.shown = min((r for r in index.records.values() if r.kind in ("person", "organization")),
                         key=lambda r: (abs(referrers[r.id] - 50), r.id))
        self.shown_by = referrers[self.shown.id]
        lonely = [r for r in index.records.values() if referrers[r.id] == 0 and r.kind in ("person", "event")]
        lonely.sort(key=lambda r: r.id)
        self.lonely = lonely  # deleted: the even ones; renamed: the odd ones
        self.demand = sorted(index.by_kind["demand"], key=lambda r: r.id)[0]
        self.person = sorted(index.by_kind["person"], key=lambda r: r.id)[0]

    def _path(self, rec) -> Path:
        return self.root / rec.path

    def shown_field(self, n: int) -> str:
        path = self._path(self.shown)
        field, value = title_line(path)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(f"{field}: {value}", f"{field}: \"Renamed {self.shown.id} {n}\"", 1),
                        encoding="utf-8")
        return f"the {field} of {self.shown.id}, shown on the pages of {self.shown_by} records"

    def status(self, n: int) -> str:
        path = self._path(self.demand)
        text = path.read_text(encoding="utf-8")
        old = re.search(r"^status: (.*)$", text, re.M).group(1).strip().strip('"')
        new = "withdrawn" if old != "withdrawn" else "met"
        path.write_text(re.sub(r"^status: .*$", f"status: {new}", text, count=1, flags=re.M), encoding="utf-8")
        return f"the status of {self.demand.id} (a demand)"

    def add(self, n: int) -> str:
        src = self._path(self.person)
        field, _ = title_line(src)
        text = re.sub(rf"^{field}: .*$", f'{field}: "Added Person Benchmark {n}"', src.read_text(encoding="utf-8"),
                      count=1, flags=re.M)
        (src.parent / f"added-person-benchmark-{n}.yaml").write_text(text, encoding="utf-8")
        return "a person added"

    def delete(self, n: int) -> str:
        self._path(self.lonely[2 * n]).unlink()
        return "a person or event deleted (nothing refers to it)"

    def rename(self, n: int) -> str:
        rec = self.lonely[2 * n + 1]
        self._path(rec).rename(self._path(rec).with_name(f"{rec.id}-renamed.yaml"))
        return "a person or event renamed (a new file name: a new id)"

    def static(self, n: int) -> str:
        with open(self.root / "static/stylesheets/briefing.css", "a", encoding="utf-8") as f:
            f.write(f"\n/* benchmark edit {n} */\n")
        return "static/stylesheets/briefing.css"

    def config(self, n: int) -> str:
        path = self.root / "mkdocs.yml"
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"^site_description: .*$", 'site_description: "An edited description"', text,
                               count=1, flags=re.M), encoding="utf-8")
        return "mkdocs.yml (site_description)"

    ORDER = ("shown_field", "status", "add", "delete", "rename", "static", "config")


def clean_copy(root: Path, dest: Path, log: Path) -> dict:
    """Build a copy of the project's inputs from scratch (`build --clean`, no .cache/)."""
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    for name in ("content", "static", "overrides", ".git", "mkdocs.yml"):
        src = root / name
        if src.is_dir():
            shutil.copytree(src, dest / name)
        elif src.is_file():
            shutil.copyfile(src, dest / name)
    return run(BRIEFING + ["--root", dest, "build", "--clean"], REPO, log)


def last_line(log: Path, prefix: str) -> str:
    lines = [ln for ln in log.read_text(encoding="utf-8").splitlines() if ln.startswith(prefix)]
    return lines[-1] if lines else ""


def timed_build(root: Path, log: Path, *args: str) -> dict:
    """`briefing build` in its own process, once the disk has written what came before (the
    clean build that checked the previous edit leaves ~300 MB to write back, which would
    otherwise be timed with this build)."""
    os.sync()
    return run(BRIEFING + ["--root", root, "build", *args], REPO, log)


def bench_edits(n: int, work: Path, log: Path, verify: bool, repeat: int) -> dict:
    """Cold builds (the faster of two is the yardstick), then each kind of edit `repeat` times (an
    edit to mkdocs.yml once: it rebuilds everything), each followed by a timed `briefing build`;
    after the last of each kind, site/ and site_src/ compared with a clean build's."""
    root = work / f"publish-{n}"
    shutil.rmtree(root, ignore_errors=True)
    run(BRIEFING + ["synth", "--records", n, "--out", root], REPO, log)
    # what an editor's repository leaves out (else every commit would carry .cache/'s pickles)
    (root / ".gitignore").write_text("site/\nsite_src/\n.cache/\n.site*\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "synthetic content")
    time.sleep(2.2)  # past the parse cache's "changed too recently to trust" window
    out: dict = {"records": n, "colds": []}
    for _ in range(2):  # the machine's speed varies: two cold builds, from nothing each time
        for name in ("site", "site_src", ".cache", ".site.spare"):
            shutil.rmtree(root / name, ignore_errors=True)
        out["colds"].append(timed_build(root, log, "--clean"))
    out["cold"] = min(out["colds"], key=lambda c: c["seconds"])
    out["second"] = run(BRIEFING + ["--root", root, "build"], REPO, log)  # makes the spare tree
    edits = Edits(root)
    out["steps"] = []
    for name in Edits.ORDER:
        builds = []
        for i in range(1 if name == "config" else repeat):
            what = getattr(edits, name)(i)
            git(root, "add", "-A")
            git(root, "commit", "-q", "-m", f"benchmark: {name} {i}")
            builds.append(timed_build(root, log))
        seconds = sorted(b["seconds"] for b in builds)
        step = {"edit": name, "what": what, "builds": builds, "seconds": seconds[len(seconds) // 2],
                "peak_mb": max(b["peak_mb"] for b in builds),
                "generated": last_line(log, "generated"), "built": last_line(log, "built")}
        if verify:
            step["clean"] = clean_copy(root, work / f"publish-{n}-clean", log)
            differ = [k for k, (a, b) in _pairs(tree_bytes(root / "site"), tree_bytes(work / f"publish-{n}-clean" / "site"))
                      if a != b]
            differ_src = [k for k, (a, b) in _pairs(tree_bytes(root / "site_src"),
                                                   tree_bytes(work / f"publish-{n}-clean" / "site_src")) if a != b]
            step["site_differs"], step["site_src_differs"] = differ[:20], differ_src[:20]
        step["ratio"] = round(step["seconds"] / out["cold"]["seconds"], 4)
        out["steps"].append(step)
        print(f"  {name}: {step['seconds']:.2f} s median of {len(builds)} ({', '.join(f'{s:.2f}' for s in seconds)}; "
              f"{100 * step['ratio']:.1f} % of cold)"
              + ("" if not verify else f", site identical: {not step['site_differs'] and not step['site_src_differs']}"),
              file=sys.stderr, flush=True)
    return out


def _pairs(a: dict, b: dict):
    for k in sorted(a.keys() | b.keys()):
        yield k, (a.get(k), b.get(k))


def bench_property(work: Path, seed: int, steps: int) -> dict:
    from publish_steps import run_steps
    root = work / "property"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    done = run_steps(root, seed, steps)
    return {"seed": seed, "steps": steps, "edits": done, "seconds": round(time.perf_counter() - started, 1)}


def report(results: dict) -> str:
    lines = [f"# Publishing an edit — {results['date']}", "", "Machine: " + ", ".join(f"{k} {v}" for k, v in results["machine"].items()), ""]
    e = results["edits"]
    colds = " and ".join(f"{c['seconds']:.1f} s" for c in e["colds"])
    lines += [f"{e['records']:,} records. Cold builds (`briefing build --clean`, no .cache/): {colds}, peak "
              f"{max(c['peak_mb'] for c in e['colds']):.0f} MB; the faster is the yardstick.", "",
              "| edit | build (median) | each build | % of cold | peak memory | identical to a clean build | what the last build did |",
              "|---|---:|---|---:|---:|---|---|"]
    for s in e["steps"]:
        same = "—" if "site_differs" not in s else ("yes" if not s["site_differs"] and not s["site_src_differs"]
                                                       else f"NO: {s['site_differs'][:3]} {s['site_src_differs'][:3]}")
        did = s["built"].replace("built site/", "").strip(" ()") or "whole site"
        each = ", ".join(f"{b['seconds']:.2f}" for b in s["builds"])
        lines.append(f"| {s['what']} | {s['seconds']:.2f} s | {each} | {100 * s['ratio']:.1f} % | "
                     f"{s['peak_mb']:.0f} MB | {same} | {did} |")
    if "property" in results:
        p = results["property"]
        lines += ["", f"Property test: {p['steps']} random edits (seed {p['seed']}), an incremental build after "
                  f"each equal to a clean build: passed in {p['seconds']:.0f} s."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10000)
    parser.add_argument("--steps", type=int, default=60, help="random edits of the property test (0: skip)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-verify", action="store_true", help="skip the clean build after each kind of edit")
    parser.add_argument("--repeat", type=int, default=5, help="builds per kind of edit (the median is reported)")
    args = parser.parse_args()
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = RESULTS / "work"
    work.mkdir(exist_ok=True)
    snapshot = work / "code-publish"  # the code measured, fixed while the benchmark runs (see run.py)
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(REPO / "generator", snapshot / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = str(snapshot)
    sys.path.insert(0, str(snapshot))
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log = RESULTS / f"publish-{stamp}.log"
    results = {"machine": machine(), "date": time.strftime("%Y-%m-%d")}
    print(f"· {args.records:,} records: two cold builds, then {args.repeat} builds per kind of edit …",
          file=sys.stderr, flush=True)
    results["edits"] = bench_edits(args.records, work, log, not args.no_verify, args.repeat)
    if args.steps:
        print(f"· property test: {args.steps} random edits …", file=sys.stderr, flush=True)
        results["property"] = bench_property(work, args.seed, args.steps)
    (RESULTS / f"publish-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    text = report(results)
    (RESULTS / f"publish-{stamp}.md").write_text(text, encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
