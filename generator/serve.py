"""`briefing serve`: a live preview that regenerates on every edit of content/.

One process does everything, so an edit shows quickly even on a big site:

1. `watchfiles` watches content/, static/, overrides/ and mkdocs.yml (inotify; no polling of 10,000 files);
2. on a change the build loop re-checks the content (files not changed come from the in-memory
   parse cache). If it has errors, they are printed and site_src/ and the served site stay as
   they were. If it is valid, the pages of the edited records are rendered at once and written
   into site_src/ (quick pass), MkDocs rebuilds in dirty mode (only pages whose Markdown is
   newer than their HTML) and the live-reload server refreshes the browser;
3. then a background process renders the whole site; when it is done, site_src/ is synced
   with it in place (only files whose text changed are rewritten, unchanged ones keep their
   mtime, pages of deleted records are removed) and MkDocs rebuilds the pages that changed:
   listings, the timeline, pages linking to the edited record, data files.

So the edited page shows after one check and one dirty build, and the rest of the site follows
a full render later; the site served then is exactly what `briefing build` would make.

Dirty builds leave two things stale, and both are handled here:
- Material's search plugin merges the entries of a dirty build into the previous index by
  dropping the entries whose location *starts with* the first rebuilt page's URL only: other
  rebuilt pages end up in the index twice, and rebuilding `people/index.md` (URL `people/`)
  drops every person's entries. `_SearchFix` replaces that merge with an exact one, keyed by
  page, which also drops the entries of deleted pages: search in the preview covers the whole
  site and nothing else.
- Built pages of deleted records are removed from the served site.
The navigation lists index pages only, so it cannot go stale; a change of mkdocs.yml makes a
clean full build.
"""
from __future__ import annotations

import gc
import json
import logging
import os
import pickle
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

        from .publish import merge_search

        def generate_search_index(index, prev):
            if prev is not None and not cls.fresh:
                rebuilt = {e["location"].split("#", 1)[0] for e in index.entries}
                index.entries = merge_search(prev.entries, index.entries, rebuilt | cls.removed_urls)
            cls.removed_urls = set()
            config = {key: index.config[key] for key in ["lang", "separator", "pipeline", "fields"]}
            return json.dumps({"config": config, "docs": index.entries}, separators=(",", ":"), default=str)

        SearchIndex.generate_search_index = generate_search_index


def _reuse_theme_env() -> None:
    """Compile the theme's templates once per session, not once per build.

    MkDocs makes a new Jinja environment for every build, so each dirty rebuild compiled
    Material's ~40 templates again (0.2-0.5 s of a one-page rebuild at 10,000 pages).
    Plugins' on_env hooks still run on it every build.
    """
    from mkdocs.theme import Theme

    original = Theme.get_env
    envs: dict = {}

    def get_env(theme):
        key = (tuple(theme.dirs), str(theme.locale))
        if key not in envs:
            envs[key] = original(theme)
        return envs[key]

    Theme.get_env = get_env


def _settle_memory() -> None:
    """Collect garbage now, while idle, and freeze what survives (gc.freeze): the index, the
    parse cache and MkDocs' state are then no longer traversed by every collection during the
    next quick rebuild, which otherwise spends a good part of its time in the collector."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


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
        self.lock = threading.Lock()
        self.full_build = True
        """True until the first MkDocs build, and again after mkdocs.yml changes (a clean build)."""
        self.content_changed = False
        """Set by the watcher: the next build checks the content again."""
        self.generation = 0
        """Counts checks that passed; a background render of an older one is thrown away."""
        self.rendered = None
        """(generation, files) of a finished background render waiting to be synced."""
        self.server = None
        self.child: int | None = None
        """Process id of a background render still running."""
        self.history = None
        """The history read by the last check (read anew only when HEAD moves)."""

    def regenerate(self):
        """Check and render everything, sync site_src/ in place: the WriteStats, or None on errors."""
        checked = self.check()
        if checked is None:
            return None
        return self.sync(self.render_all(checked.index))

    def check(self):
        """Check the content (printing problems); the Checked result, or None when it has errors."""
        from .cli import run_check

        self.cache.missed = []
        checked = run_check(self.root, self.strict, cache=self.cache)
        if checked is None:
            print("site_src/ left as it was; fix the problems above and save again", file=sys.stderr)
        else:
            from .history import read_history
            first = self.history is None
            self.history = read_history(self.root, checked.index, previous=self.history, cache=True)
            if first and self.history.notice:
                print(self.history.notice, file=sys.stderr)
        return checked

    def render_all(self, index):
        """Every output file (pages, data, copied static files), or the problems of a clash."""
        from .pipeline import static_files
        from .problems import ProblemError
        from .render import render_site
        from .siteconfig import read_site_config
        from .write import plan_files

        try:
            return plan_files(render_site(index, history=self.history, site=read_site_config(self.root)),
                              static_files(self.root))
        except ProblemError as exc:
            return exc.problems

    def sync(self, files):
        """Make site_src/ hold exactly `files` (rewriting only what changed); None after a clash."""
        from .cli import report
        from .write import sync_tree

        if isinstance(files, list):  # problems: two files would have the same output path
            report(files, stream=sys.stderr)
            print("site_src/ left as it was", file=sys.stderr)
            return None
        started = time.perf_counter()
        stats = sync_tree(files, self.root / "site_src")
        print(f"site_src/ synced in {time.perf_counter() - started:.2f} s: {stats.written} written, "
              f"{stats.removed} removed", file=sys.stderr)
        return stats

    def quick_pass(self, index):
        """Render and write just the pages of the records parsed anew by the last check."""
        from .render import render_pages_of
        from .write import sync_tree

        changed = set(self.cache.missed)
        records = [rec for rec in index.records.values() if rec.path in changed]
        pages = render_pages_of(index, records, self.history)
        stats = sync_tree({rel: text.encode("utf-8") for rel, text in pages.items()}, self.root / "site_src",
                          prune=False)
        print(f"quick pass: {stats.written} page(s) of {len(records)} edited record(s) written", file=sys.stderr)
        return stats

    def render_in_background(self, index, generation: int) -> None:
        """Render the whole site apart from the build loop; hand the result over when done.

        In a forked process where there is fork: rendering 10,000 records takes seconds of CPU,
        and in a thread it would hold the GIL against MkDocs' next dirty build and the HTTP
        server (each file operation waiting up to a switch interval for the GIL), making the
        next edit's quick pass several times slower. The child only renders and pickles the
        result to a temporary file; all writing to site_src/ stays in this process.
        """
        self.stop_render()
        started = time.perf_counter()

        def deliver(result) -> None:
            if result is None or generation != self.generation:
                return  # killed, failed, or superseded by a newer edit
            print(f"whole site rendered in {time.perf_counter() - started:.2f} s", file=sys.stderr)
            self.rendered = (generation, result)
            if self.server is not None:
                _request_rebuild(self.server)

        if not hasattr(os, "fork"):
            threading.Thread(target=lambda: deliver(self.render_all(index)), daemon=True).start()
            return
        # The result goes through a temporary file: unpickling from a file streams it, where a
        # pipe's bytes would sit in memory beside the unpickled pages (~100 MB at 10,000 records).
        fd, result_path = tempfile.mkstemp(prefix="briefing-render-", suffix=".pickle")
        pid = os.fork()
        if pid == 0:  # the child: render, save, exit (no printing: stdio locks may be held)
            code = 1
            try:
                with os.fdopen(fd, "wb") as out:
                    pickle.dump(self.render_all(index), out, protocol=pickle.HIGHEST_PROTOCOL)
                code = 0
            finally:
                os._exit(code)
        os.close(fd)
        self.child = pid

        def receive() -> None:
            _, status = os.waitpid(pid, 0)
            if self.child == pid:
                self.child = None
            result = None
            try:
                if os.waitstatus_to_exitcode(status) == 0 and generation == self.generation:
                    with open(result_path, "rb") as f:
                        result = pickle.load(f)
            finally:
                os.unlink(result_path)
            deliver(result)

        threading.Thread(target=receive, daemon=True, name="briefing-render").start()

    def stop_render(self) -> None:
        """Kill a background render still running (its result would be out of date)."""
        pid, self.child = self.child, None
        if pid:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    def config(self):
        """MkDocs' configuration for the preview (loaded anew each build, as `mkdocs serve` does)."""
        from mkdocs.config import load_config
        from mkdocs.livereload import _serve_url

        config = load_config(config_file=str(self.root / "mkdocs.yml"), site_dir=self.site_dir,
                             dev_addr=f"127.0.0.1:{self.port}")
        config.site_url = _serve_url("127.0.0.1", self.port, "/")
        return config

    def build(self, stats=None) -> None:
        """The live-reload server's builder (see the module docstring for the two passes).

        `stats`: the result of a full regeneration already done (the first build).
        """
        with self.lock:
            full = self.full_build
            pending = None
            if stats is None and self.content_changed:
                self.content_changed = False
                checked = self.check()
                if checked is None:
                    return
                self.stop_render()
                self.generation += 1
                self.rendered = None
                stats = self.quick_pass(checked.index)
                pending = checked.index
            elif stats is None and self.rendered is not None and self.rendered[0] == self.generation:
                files, self.rendered = self.rendered[1], None
                stats = self.sync(files)
            if stats is not None and (full or stats.written or stats.removed):
                self.full_build = False
                self.mkdocs(stats, full)
            if pending is not None:  # after the quick pass is built, so it does not slow it down
                self.render_in_background(pending, self.generation)
            elif stats is not None:  # the whole site is in line: a good moment to tidy memory
                _settle_memory()

    def mkdocs(self, stats, full: bool) -> None:
        """Build with MkDocs: clean and whole when `full`, else only the changed pages (dirty)."""
        from mkdocs.commands.build import build

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
        print(f"mkdocs {'built the site' if full else 'rebuilt changed pages'} in "
              f"{time.perf_counter() - started:.2f} s", file=sys.stderr)


def _request_rebuild(server) -> None:
    """Ask MkDocs' live-reload server to run its builder (what its own file watcher does)."""
    with server._rebuild_cond:
        server._want_rebuild = True
        server._rebuild_cond.notify_all()


def _newest_input(paths: list[Path]) -> float:
    """The latest modification time among the watched inputs (files and folders)."""
    newest = 0.0
    for path in paths:
        for item in [path, *path.rglob("*")] if path.is_dir() else [path]:
            try:
                newest = max(newest, item.stat().st_mtime)
            except OSError:
                pass
    return newest


def _watch(preview: Preview, server, stop: threading.Event, ready: threading.Event, since: float) -> None:
    """Watch the project's inputs; request a rebuild for each batch of changes.

    `ready` is set once the watches are in place; an edit made before that (after `since`, when
    the first build read the inputs) is caught by a look at the files' times then."""
    import watchfiles

    config_file, overrides = preview.root / "mkdocs.yml", preview.root / "overrides"
    paths = [p for p in (preview.root / "content", preview.root / "static", overrides, config_file) if p.exists()]
    # With yield_on_timeout the first (empty) batch comes as soon as the watches are in place.
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=400, step=30, rust_timeout=200,
                                    yield_on_timeout=True, raise_interrupt=False):
        if not ready.is_set():
            ready.set()
            if not changes and _newest_input(paths) >= since:
                changes = {(None, str(p)) for p in paths}  # (which ones is not known: check everything)
        if not changes:
            continue
        # the configuration and the theme override shape every page: a clean full build
        if any(Path(path) == config_file or overrides in Path(path).parents for _, path in changes):
            preview.full_build = True
        preview.content_changed = True
        _request_rebuild(server)


def _quiet(record: logging.LogRecord) -> bool:
    """Drop MkDocs' warning that dirty builds may leave nav and search stale (handled here) and
    its list of pages not in the nav (every record page, by design) on each rebuild."""
    message = record.getMessage()
    return "dirty' build" not in message and "not included in the \"nav\"" not in message


def serve(root: Path, strict: bool, port: int) -> int:
    """Run the preview on http://127.0.0.1:port until interrupted; the exit code."""
    from mkdocs.livereload import LiveReloadServer

    from .write import WriteStats

    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    handler.addFilter(_quiet)
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.setLevel(logging.INFO)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

    preview = Preview(root, strict, port)
    _SearchFix.install()
    _reuse_theme_env()
    started = time.time()  # an input changed after this may be missing from the first build
    first = preview.regenerate()
    if first is None and not (root / "site_src").is_dir():
        shutil.rmtree(preview.site_dir, ignore_errors=True)
        return 1
    config = preview.config()
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=preview.build, host="127.0.0.1", port=port, root=preview.site_dir)
    preview.server = server
    server.error_handler = lambda code: (Path(preview.site_dir) / f"{code}.html").read_bytes() \
        if (Path(preview.site_dir) / f"{code}.html").is_file() else None
    stop = threading.Event()

    def terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        # Bound now, so that with --port 0 the port the system chose can be printed (serve()
        # would bind later).
        server.server_bind()
        port = server.server_address[1]
        server.server_bind = lambda: None
        server.url = f"http://127.0.0.1:{port}/"
        preview.build(first or WriteStats(0, 0, 0))  # with errors: serve the last good site_src/
        # Without a watched path the server starts no file observer of its own; ours is watchfiles.
        ready = threading.Event()
        watcher = threading.Thread(target=_watch, args=(preview, server, stop, ready, started), daemon=True)
        watcher.start()
        ready.wait(timeout=30)  # (edits made before the watches are in place are caught anyway)
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
        preview.stop_render()
        config.plugins.on_shutdown()
        preview.cache.save()
        shutil.rmtree(preview.site_dir, ignore_errors=True)
    return 0
