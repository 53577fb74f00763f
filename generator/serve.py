"""`briefing serve`: a live preview that regenerates on every edit of content/.

One process does everything, so an edit shows quickly even on a big site:

1. `watchfiles` watches content/, static/ and mkdocs.yml (inotify; no polling of 10,000 files);
2. on a change the build loop re-checks the content (unchanged files come from the in-memory
   parse cache), and if it is valid re-renders and syncs site_src/ in place, rewriting only
   the files whose text changed (unchanged ones keep their mtime);
3. MkDocs then rebuilds in dirty mode, which renders only the pages whose Markdown is newer
   than their HTML, and its live-reload server refreshes the browser.

A bad edit prints its problems and leaves site_src/ and the served site as they were.

Dirty builds leave two things stale, and both are handled here:
- Material's search plugin merges the new entries of a dirty build into the previous index by
  dropping the entries whose location *starts with* the first rebuilt page's URL only: other
  rebuilt pages end up in the index twice, and rebuilding `people/index.md` (URL `people/`)
  drops every person's entries. `_merge_search_entries` replaces that merge with an exact one,
  keyed by page, which also drops the entries of deleted pages; so search in the preview covers
  the whole site and only it.
- Pages of deleted records are removed from the served site.
The navigation lists index pages only, so it cannot go stale; it is rebuilt in full when
mkdocs.yml changes (that rebuild is a clean one).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from .cache import RecordCache

log = logging.getLogger("briefing.serve")


class _SearchFix:
    """Exact merge of Material's search entries across dirty builds (see the module docstring)."""

    removed_urls: set[str] = set()
    """URLs of pages deleted since the previous build; their entries are dropped."""
    fresh = True
    """True for a full build: the previous index is ignored."""

    @classmethod
    def install(cls) -> None:
        """Replace `SearchIndex.generate_search_index` in this process (serve only)."""
        from material.plugins.search.plugin import SearchIndex

        def generate_search_index(index, prev):
            if prev is not None and not cls.fresh:
                rebuilt = {e["location"].split("#", 1)[0] for e in index.entries}
                drop = rebuilt | cls.removed_urls
                index.entries = [e for e in prev.entries if e["location"].split("#", 1)[0] not in drop] \
                    + index.entries
            cls.removed_urls = set()
            config = {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}
            return json.dumps({"config": config, "docs": index.entries}, separators=(",", ":"), default=str)

        SearchIndex.generate_search_index = generate_search_index


def _page_output(rel: str, site_dir: str, use_directory_urls: bool) -> tuple[str, str] | None:
    """(URL, built file) of a Markdown page of site_src, or None for other files."""
    if not rel.endswith(".md"):
        return None
    from mkdocs.structure.files import File
    f = File(rel, src_dir="", dest_dir=site_dir, use_directory_urls=use_directory_urls)
    return f.url if f.url != "./" else "", f.abs_dest_path


class Preview:
    """The state of one `briefing serve` session."""

    def __init__(self, root: Path, strict: bool, port: int):
        self.root = root
        self.strict = strict
        self.port = port
        self.cache = RecordCache(root)
        self.site_dir = tempfile.mkdtemp(prefix="briefing-serve-")
        self.full_build = True
        """True until the first MkDocs build, and again after mkdocs.yml changes."""
        self.lock = threading.Lock()

    def regenerate(self):
        """Check and write site_src/ in place; the WriteStats, or None when the content has errors."""
        from .cli import run_check
        from .pipeline import static_files
        from .problems import ProblemError
        from .render import render_site
        from .write import plan_files, sync_tree

        started = time.perf_counter()
        checked = run_check(self.root, self.strict, cache=self.cache)
        if checked is None:
            print("site_src/ left as it was; fix the problems above and save again", file=sys.stderr)
            return None
        try:
            files = plan_files(render_site(checked.index), static_files(self.root))
            stats = sync_tree(files, self.root / "site_src")
        except ProblemError as exc:
            from .cli import report
            report(exc.problems, stream=sys.stderr)
            return None
        print(f"regenerated in {time.perf_counter() - started:.2f} s: {stats.written} written, "
              f"{stats.removed} removed", file=sys.stderr)
        return stats

    def config(self):
        """MkDocs' configuration for the preview (loaded anew each build, as `mkdocs serve` does)."""
        from mkdocs.config import load_config
        from mkdocs.livereload import _serve_url

        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=self.site_dir,
                             dev_addr=f"127.0.0.1:{self.port}")
        config.site_url = _serve_url("127.0.0.1", self.port, "/")
        return config

    def build(self, stats=None) -> None:
        """The live-reload server's builder: regenerate, then a (dirty) MkDocs build if anything changed.

        `stats`: the result of a regeneration already done (the first build).
        """
        from mkdocs.commands.build import build

        with self.lock:
            full, self.full_build = self.full_build, False
            stats = stats or self.regenerate()
            if stats is None:
                self.full_build = self.full_build or full
                return
            if not (full or stats.written or stats.removed):
                return
            config = self.config()
            for rel in stats.removed_paths:
                out = _page_output(rel, self.site_dir, config.use_directory_urls)
                if out:
                    _SearchFix.removed_urls.add(out[0])
                    Path(out[1]).unlink(missing_ok=True)
                else:
                    (Path(self.site_dir) / rel).unlink(missing_ok=True)
            started = time.perf_counter()
            if full:
                shutil.rmtree(self.site_dir, ignore_errors=True)
                os.makedirs(self.site_dir, exist_ok=True)
            _SearchFix.fresh = full
            build(config, serve_url=config.site_url, dirty=not full)
            print(f"mkdocs {'built' if full else 'rebuilt changed pages'} in "
                  f"{time.perf_counter() - started:.2f} s", file=sys.stderr)


def _request_rebuild(server) -> None:
    """Ask MkDocs' live-reload server to run its builder (what its own file watcher does)."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def _watch(preview: Preview, server, stop: threading.Event) -> None:
    """Watch the project's inputs; request a rebuild for each batch of changes."""
    import watchfiles

    config_file = preview.root / "mkdocs.yml"
    paths = [p for p in (preview.root / "content", preview.root / "static", config_file) if p.exists()]
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=400, step=30,
                                    raise_interrupt=False):
        if any(Path(path) == config_file for _, path in changes):
            preview.full_build = True
        _request_rebuild(server)


def _quiet(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that dirty builds may leave nav and search stale (handled here) and
    its list of pages not in the nav (every record page, by design) on each rebuild."""
    message = record.getMessage()
    return "dirty' build" not in message and "not included in the \"nav\"" not in message


def serve(root: Path, strict: bool, port: int) -> int:
    """Run the preview on http://127.0.0.1:port until interrupted; the exit code."""
    from mkdocs.livereload import LiveReloadServer

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_quiet)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    preview = Preview(root, strict, port)
    _SearchFix.install()
    first = preview.regenerate()
    if first is None and not (root / "site_src").is_dir():
        shutil.rmtree(preview.site_dir, ignore_errors=True)
        return 1
    config = preview.config()
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=preview.build, host="127.0.0.1", port=port, root=preview.site_dir)
    server.error_handler = lambda code: (Path(preview.site_dir) / f"{code}.html").read_bytes() \
        if (Path(preview.site_dir) / f"{code}.html").is_file() else None
    stop = threading.Event()

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        if first is None:  # serve the last good site_src/ until the problems are fixed
            from .write import WriteStats
            first = WriteStats(0, 0, 0)
        preview.build(first)
        # Without a watched path the server starts no file observer; ours is watchfiles.
        watcher = threading.Thread(target=_watch, args=(preview, server, stop), daemon=True)
        watcher.start()
        print(f"serving on http://127.0.0.1:{port}/ — watching content/ (Ctrl+C stops)", file=sys.stderr)
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            server.shutdown()
    except OSError as exc:
        print(f"serve: {exc}", file=sys.stderr)
        return 1
    finally:
        config.plugins.on_shutdown()
        preview.cache.save()
        shutil.rmtree(preview.site_dir, ignore_errors=True)
    return 0
