#!/usr/bin/env python3
"""Benchmark `briefing` at several sizes against plain MkDocs Material; print a Markdown table.

For each size N it writes a synthetic project (`briefing synth`) and measures, each step in its
own process (wall time; peak memory from os.wait4, i.e. the child's own maximum RSS):

- check:     `briefing --no-cache check --strict` (parse and validate every file)
- generate:  `briefing generate --strict` from cold (no .cache/, no site_src/), check included
- MkDocs:    `mkdocs build --strict` of that site_src/ (not --quiet, as `briefing build` runs it:
             --quiet would hide the warnings --strict counts; the log goes to the .log file)
- baseline:  `mkdocs build --strict` of N trivial one-paragraph pages, same mkdocs.yml (theme,
             features, plugins, extensions, the same small nav)
- no-change: `briefing generate` again with nothing changed; one-edit: after editing one record
- history:   at the largest size, cold `generate` of the same content with a synthetic git history
             (`briefing synth --commits`, one commit per 5 records) and without it (.git moved away)

and the built site's size, its largest HTML page and its search index. At the largest size it
also measures, in Chromium (Playwright), how long the first search result takes to appear after
typing, and with `briefing serve` running, how long an edit of one record takes to show on
the served page (polling it over HTTP) and whether the served search index still covers the site.

    .venv/bin/python bench/run.py                    # 1,000 / 4,000 / 10,000 records
    .venv/bin/python bench/run.py --sizes 1000,4000  # quicker
Results go to bench/results/ (git-ignored): a Markdown report and the raw JSON.
"""
from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
PY = sys.executable
# `python -m generator` would import the generator of the working folder first (sys.path[0]), not
# the snapshot on PYTHONPATH that main() measures: the first entry of sys.path is dropped.
BRIEFING = [PY, "-c", "import runpy, sys; sys.path.pop(0); runpy.run_module('generator', run_name='__main__')"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(REPO)}
CHROMIUM = "/usr/bin/chromium"


class Failed(Exception):
    """A measured command failed."""


def run(cmd: list[str], cwd: Path, log: Path) -> dict:
    """Run a command; its wall time (s) and peak RSS (MB). Output goes to `log`."""
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        started = time.perf_counter()
        proc = subprocess.Popen([str(c) for c in cmd], cwd=cwd, env=ENV, stdout=out, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise Failed(f"{' '.join(map(str, cmd))} exited with {proc.returncode}; see {log}")
    return {"seconds": round(seconds, 3), "peak_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 3)}


def tree_size(path: Path) -> tuple[int, int, str]:
    """Total bytes of the files under `path`, and the largest .html file (bytes, name)."""
    total, biggest, name = 0, 0, ""
    for p in path.rglob("*"):
        if p.is_file():
            size = p.stat().st_size
            total += size
            if p.suffix == ".html" and size > biggest:
                biggest, name = size, p.relative_to(path).as_posix()
    return total, biggest, name


def edit_record(path: Path, marker: str, field: str = "summary") -> None:
    """Set a field of a record to `marker` (rewrites the file in place)."""
    text = path.read_text(encoding="utf-8")
    text, n = re.subn(rf"^{field}: .*$", f"{field}: {marker}", text, count=1, flags=re.M)
    if not n:
        text += f"{field}: {marker}\n"
    path.write_text(text, encoding="utf-8")


def first_person(root: Path) -> tuple[Path, str]:
    """The first person record of a project and its name."""
    path = sorted((root / "content" / "people").glob("*.yaml"))[0]
    name = re.search(r"^name: (.*)$", path.read_text(encoding="utf-8"), re.M).group(1)
    return path, name


def bench_briefing(n: int, work: Path, log: Path) -> dict:
    """Synthesize, check, generate (cold, unchanged, one edit) and build a project of n records."""
    root = work / f"briefing-{n}"
    shutil.rmtree(root, ignore_errors=True)
    run(BRIEFING + ["synth", "--records", n, "--out", root], REPO, log)
    time.sleep(2.2)  # past the cache's "changed too recently to trust" window
    out = {"records": n}
    out["check"] = run(BRIEFING + ["--root", root, "--no-cache", "check", "--strict"], REPO, log)
    out["generate"] = run(BRIEFING + ["--root", root, "generate", "--strict"], REPO, log)
    time.sleep(2.2)
    out["generate_unchanged"] = run(BRIEFING + ["--root", root, "generate", "--strict"], REPO, log)
    out["mkdocs"] = run([PY, "-m", "mkdocs", "build", "--strict", "--site-dir", root / "site"], root, log)
    out["pages"] = sum(1 for _ in (root / "site_src").rglob("*.md"))
    total, biggest, name = tree_size(root / "site")
    index = root / "site" / "search" / "search_index.json"
    out.update(site_bytes=total, biggest_page_bytes=biggest, biggest_page=name,
               search_index_bytes=index.stat().st_size,
               search_entries=len(json.loads(index.read_text(encoding="utf-8"))["docs"]))
    path, _ = first_person(root)
    original = path.read_text(encoding="utf-8")
    edit_record(path, "An edited summary for the benchmark.")
    out["generate_one_edit"] = run(BRIEFING + ["--root", root, "generate", "--strict"], REPO, log)
    path.write_text(original, encoding="utf-8")
    out["root"] = str(root)
    return out


def bench_history(n: int, commits: int, work: Path, log: Path, runs: int = 3) -> dict:
    """Cold `generate` of a project whose content/ has `commits` commits of history, with its
    history read from git and without (the same tree with .git moved away), alternating, `runs`
    times each: what reading the history adds."""
    root = work / f"history-{n}"
    shutil.rmtree(root, ignore_errors=True)
    out: dict = {"records": n, "commits": commits,
                 "synth": run(BRIEFING + ["synth", "--records", n, "--commits", commits, "--out", root], REPO, log)}
    with_history, without, cpu_with, cpu_without = [], [], [], []
    for _ in range(runs):
        for timings, cpu, hidden in ((without, cpu_without, True), (with_history, cpu_with, False)):
            # (the last run's output is measured below)
            # The previous output is deleted, and the disk left to settle, before the clock starts:
            # writing 12,000 files right after deleting as many takes twice as long on this disk.
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(root / "site_src", ignore_errors=True)
            os.sync()
            time.sleep(3)
            if hidden:
                (root / ".git").rename(root / ".git-hidden")
            try:
                measured = run(BRIEFING + ["--root", root, "generate", "--strict"], REPO, log)
                timings.append(measured["seconds"])
                cpu.append(measured["cpu_seconds"])
            finally:
                if hidden:
                    (root / ".git-hidden").rename(root / ".git")
    src = root / "site_src"
    out.update(with_history=with_history, without_history=without, cpu_with=cpu_with, cpu_without=cpu_without,
               median_with=statistics.median(with_history), median_without=statistics.median(without),
               cpu_added=round(statistics.median(cpu_with) / statistics.median(cpu_without) - 1, 3),
               whats_new_bytes=(src / "whats-new.md").stat().st_size, feed_bytes=(src / "feed.xml").stat().st_size,
               redirects=sum(1 for _ in src.rglob("index.html")),
               tombstones=sum(1 for p in src.rglob("*.md") if "removed from the briefing" in p.read_text("utf-8")))
    out["added"] = round(out["median_with"] / out["median_without"] - 1, 3)
    shutil.rmtree(root, ignore_errors=True)
    return out


def bench_baseline(n: int, work: Path, log: Path) -> dict:
    """Plain MkDocs Material: n trivial one-paragraph pages, the project's mkdocs.yml and small nav."""
    root = work / f"baseline-{n}"
    shutil.rmtree(root, ignore_errors=True)
    docs = root / "docs"
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^docs_dir: .*$", "docs_dir: docs", config, flags=re.M)
    root.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    if (REPO / "static").is_dir():  # extra_css / extra_javascript, as site_src/extra/ has them
        shutil.copytree(REPO / "static", docs / "extra")
    if (REPO / "overrides").is_dir():  # the same theme, override included
        shutil.copytree(REPO / "overrides", root / "overrides")
    nav_pages = re.findall(r"^\s*-\s*[^:]+:\s*(\S+\.md)\s*$", config, flags=re.M)
    folders = sorted({p.split("/")[0] for p in nav_pages if "/" in p}) or ["pages"]
    for page in nav_pages:
        (docs / page).parent.mkdir(parents=True, exist_ok=True)
        (docs / page).write_text(f"# {page}\n\nAn index page.\n", encoding="utf-8")
    for i in range(n):
        folder = docs / folders[i % len(folders)]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page-{i}.md").write_text(
            f"# Page {i}\n\nA trivial page number {i}, one short paragraph of text like a stub record.\n",
            encoding="utf-8")
    out = {"records": n, "mkdocs": run([PY, "-m", "mkdocs", "build", "--strict"], root, log)}
    total, biggest, _ = tree_size(root / "site")
    out.update(site_bytes=total, search_index_bytes=(root / "site" / "search" / "search_index.json").stat().st_size)
    shutil.rmtree(root, ignore_errors=True)
    return out


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_search(site: Path, query: str, runs: int = 5) -> dict:
    """Seconds from typing `query` into Material's search to the first result, in Chromium.

    Each run is a fresh browser that types right after the page loaded, so the index download
    and build are included; `first_query` is the median of `runs`, `first_query_max` the worst.
    `second_query` is a later query on the last run's page (the index already built).
    """
    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict = {"load_average_before": round(os.getloadavg()[0], 2)}
    firsts = []
    try:
        with sync_playwright() as p:
            for run_number in range(runs):
                browser = p.chromium.launch(executable_path=CHROMIUM,
                                            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
                page = browser.new_page()
                page.goto(url, wait_until="load")
                box = page.locator("input.md-search__input")
                queries = [query] + ([query.split()[-1][:6]] if run_number == runs - 1 else [])
                for text in queries:
                    box.click()
                    box.fill("")
                    page.wait_for_selector(".md-search-result__item", state="detached", timeout=10_000)
                    started = time.perf_counter()
                    page.keyboard.type(text)
                    page.wait_for_selector(".md-search-result__item", timeout=120_000)
                    seconds = round(time.perf_counter() - started, 3)
                    if text == query:
                        firsts.append(seconds)
                        out["first_query_results"] = page.locator(".md-search-result__meta").first.inner_text()
                    else:
                        out["second_query"] = seconds
                        out["second_query_results"] = page.locator(".md-search-result__meta").first.inner_text()
                browser.close()
    finally:
        server.shutdown()
    out.update(first_query=round(statistics.median(firsts), 3), first_query_max=max(firsts), first_query_runs=firsts)
    return out


def http_get(url: str, timeout: float = 60) -> str:
    """A page's text ('' on any error)."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.read().decode("utf-8", "replace")
    except Exception:
        return ""


def bench_serve(root: Path, log: Path, edits: int = 3) -> dict:
    """Start `briefing serve`, edit one record `edits` times, time each edit until the page shows it."""
    port = free_port()
    with open(log, "ab") as out_log:
        out_log.write(b"\n$ briefing serve\n")
        out_log.flush()
        started = time.perf_counter()
        proc = subprocess.Popen(BRIEFING + ["--root", str(root), "serve", "--port", str(port)], cwd=REPO, env=ENV,
                                stdout=out_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    out: dict = {}
    path, _ = first_person(root)
    original = path.read_text(encoding="utf-8")
    try:
        while not http_get(base, timeout=5):
            if proc.poll() is not None or time.perf_counter() - started > 1800:
                raise Failed(f"briefing serve did not start; see {log}")
            time.sleep(0.5)
        out["startup_seconds"] = round(time.perf_counter() - started, 1)
        url = base + f"people/{path.stem}/"
        listing = base + "people/"  # the first person is on the first page of the listing
        entries_before = len(json.loads(http_get(base + "search/search_index.json"))["docs"])
        latencies, whole = [], []

        def wait(page: str, marker: str, since: float) -> float:
            while marker not in http_get(page):
                if time.perf_counter() - since > 300:
                    raise Failed(f"'{marker}' did not show on {page} within 300 s; see {log}")
                time.sleep(0.05)
            return round(time.perf_counter() - since, 3)

        for i in range(edits):
            marker = f"Benchmark role {i} {int(time.time())}"
            time.sleep(1.0)
            edited = time.perf_counter()
            edit_record(path, marker, "role")  # the role shows on the record's page and the listing
            latencies.append(wait(url, marker, edited))
            whole.append(wait(listing, marker, edited))
        index = json.loads(http_get(base + "search/search_index.json"))["docs"]
        out.update(edit_to_page_seconds=latencies, median=statistics.median(latencies), worst=max(latencies),
                   edit_to_listing_seconds=whole, listing_median=statistics.median(whole),
                   search_entries_before=entries_before, search_entries_after=len(index),
                   search_has_edit=any(marker in d["text"] for d in index))
    finally:
        path.write_text(original, encoding="utf-8")
        proc.send_signal(signal.SIGTERM)
        _, _, usage = os.wait4(proc.pid, 0)
        out["peak_mb"] = round(usage.ru_maxrss / 1024, 1)
    return out


def machine() -> dict:
    """Where the benchmark ran."""
    model = ""
    try:
        model = re.search(r"Model name:\s*(.+)", subprocess.run(["lscpu"], capture_output=True, text=True).stdout).group(1)
    except Exception:
        pass
    import mkdocs
    from importlib.metadata import version
    return {"cpu": model.strip(), "cores": os.cpu_count(), "python": platform.python_version(),
            "mkdocs": mkdocs.__version__, "material": version("mkdocs-material"),
            "date": time.strftime("%Y-%m-%d %H:%M"), "load_before": os.getloadavg()[0]}


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def report(results: dict) -> str:
    """The Markdown report: the main table, then the edit loop, search and machine."""
    m = results["machine"]
    lines = [f"Machine: {m['cpu']}, {m['cores']} cores; Python {m['python']}, MkDocs {m['mkdocs']}, "
             f"Material {m['material']}; {m['date']} (load average before: {m['load_before']:.2f}).", "",
             "| records | pages | check | generate | MkDocs build | total | baseline (N trivial pages) | ratio "
             "| peak memory generate / MkDocs | site size | largest page | search index | per record "
             "| generate, nothing changed | generate, one record edited |",
             "|" + "---:|" * 15]
    for r in results["sizes"]:
        b = results["baseline"].get(str(r["records"]))
        total = r["generate"]["seconds"] + r["mkdocs"]["seconds"]
        base = f"{b['mkdocs']['seconds']:.1f} s" if b else "–"
        ratio = f"{total / b['mkdocs']['seconds']:.2f}×" if b else "–"
        lines.append(
            f"| {r['records']:,} | {r['pages']:,} | {r['check']['seconds']:.2f} s | {r['generate']['seconds']:.2f} s "
            f"| {r['mkdocs']['seconds']:.1f} s | {total:.1f} s | {base} | {ratio} "
            f"| {r['generate']['peak_mb']:.0f} / {r['mkdocs']['peak_mb']:.0f} MB | {mb(r['site_bytes'])} "
            f"| {r['biggest_page_bytes'] / 1e3:.0f} KB | {mb(r['search_index_bytes'])} "
            f"| {r['search_index_bytes'] / r['records'] / 1024:.2f} KB "
            f"| {r['generate_unchanged']['seconds']:.2f} s | {r['generate_one_edit']['seconds']:.2f} s |")
    sizes = results["sizes"]
    for a, b in zip(sizes, sizes[1:]):
        ta = a["generate"]["seconds"] + a["mkdocs"]["seconds"]
        tb = b["generate"]["seconds"] + b["mkdocs"]["seconds"]
        lines.append("")
        lines.append(f"Growth {a['records']:,} → {b['records']:,} records ({b['records'] / a['records']:.1f}×): "
                     f"total time {tb / ta:.2f}×, generate {b['generate']['seconds'] / a['generate']['seconds']:.2f}×, "
                     f"MkDocs {b['mkdocs']['seconds'] / a['mkdocs']['seconds']:.2f}×.")
    if results.get("history"):
        h = results["history"]
        lines += ["", f"History at {h['records']:,} records and {h['commits']:,} commits: cold `generate` "
                      f"{h['median_with']:.2f} s with the history read from git, {h['median_without']:.2f} s without "
                      f"(medians of {len(h['with_history'])}, alternating: "
                      f"{', '.join(f'{x:.2f}' for x in h['with_history'])} / "
                      f"{', '.join(f'{x:.2f}' for x in h['without_history'])}): +{h['added'] * 100:.0f} % "
                      f"(CPU time, workers and git included: +{h['cpu_added'] * 100:.0f} %). "
                      f"{h['redirects']} redirect pages, {h['tombstones']} tombstones, What's new "
                      f"{h['whats_new_bytes'] / 1e3:.0f} KB of Markdown, feed {h['feed_bytes'] / 1e3:.0f} KB; "
                      f"writing the repository took {h['synth']['seconds']:.1f} s."]
    if results.get("search"):
        s = results["search"]
        lines += ["", f"Search in Chromium at {s['records']:,} records: first result {s['first_query']:.2f} s "
                      f"(median of {len(s['first_query_runs'])} fresh browsers; worst {s['first_query_max']:.2f} s; "
                      f"load average before: {s['load_average_before']}) after typing right after the page loaded "
                      f"(index download and build included); {s['second_query']:.2f} s for a second query."]
    if results.get("serve"):
        s = results["serve"]
        lines += ["", f"`briefing serve` at {s['records']:,} records: started in {s['startup_seconds']} s; "
                      f"edit of one record → changed page served: median {s['median']:.2f} s, worst {s['worst']:.2f} s "
                      f"({', '.join(f'{x:.2f}' for x in s['edit_to_page_seconds'])}); the rest of the site "
                      f"(here the people listing) followed after a median {s['listing_median']:.2f} s; search index entries "
                      f"{s['search_entries_before']:,} before, {s['search_entries_after']:,} after the edits, "
                      f"edited text {'found' if s['search_has_edit'] else 'NOT found'} in it; peak memory {s['peak_mb']:.0f} MB."]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,4000,10000", help="comma-separated record counts")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-search", action="store_true", help="skip the Chromium search timing")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve edit-to-page timing")
    parser.add_argument("--no-history", action="store_true", help="skip the history timing")
    parser.add_argument("--commits", type=int, default=0,
                        help="commits of the synthetic history (default: one per 5 records of the largest size)")
    parser.add_argument("--keep", action="store_true", help="keep the generated projects in bench/results/work/")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    RESULTS.mkdir(parents=True, exist_ok=True)
    work = RESULTS / "work"
    work.mkdir(exist_ok=True)
    # Measure a snapshot of the code: editing generator/ while the benchmark runs would change the
    # code's version, so the cache and the "nothing changed" shortcut would rightly not apply.
    snapshot = work / "code"
    shutil.rmtree(snapshot, ignore_errors=True)
    shutil.copytree(REPO / "generator", snapshot / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    ENV["PYTHONPATH"] = str(snapshot)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    log = RESULTS / f"bench-{stamp}.log"
    results: dict = {"machine": machine(), "sizes": [], "baseline": {}}
    for n in sizes:
        print(f"· {n:,} records: briefing …", file=sys.stderr, flush=True)
        results["sizes"].append(bench_briefing(n, work, log))
        if not args.no_baseline:
            print(f"· {n:,} records: baseline …", file=sys.stderr, flush=True)
            results["baseline"][str(n)] = bench_baseline(n, work, log)
    largest = results["sizes"][-1]
    root = Path(largest["root"])
    if not args.no_history:
        commits = args.commits or largest["records"] // 5
        print(f"· history: {largest['records']:,} records, {commits:,} commits …", file=sys.stderr, flush=True)
        results["history"] = bench_history(largest["records"], commits, work, log)
    if not args.no_search and Path(CHROMIUM).exists():
        print("· search in Chromium …", file=sys.stderr, flush=True)
        _, name = first_person(root)
        results["search"] = {"records": largest["records"], "query": name, **bench_search(root / "site", name)}
    if not args.no_serve:
        print("· serve: edit → page …", file=sys.stderr, flush=True)
        results["serve"] = {"records": largest["records"], **bench_serve(root, log)}
    text = report(results)
    (RESULTS / f"bench-{stamp}.json").write_text(json.dumps(results, indent=1), encoding="utf-8")
    (RESULTS / f"bench-{stamp}.md").write_text(text, encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    print(text)
    print(f"saved bench/results/bench-{stamp}.md (and .json, .log)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
