"""Publish stage: site/ from site_src/ with MkDocs, whole or only what changed, swapped in at once.

Two built trees are kept: `site/` and `.site.spare/`, a copy of it whose files are hard links to
site/'s (no bytes copied). A build after an edit runs MkDocs' dirty build in the spare: it
rebuilds the pages whose Markdown changed since the spare was built, and copies the files that
changed (site_src/'s manifest, noted with the spare, tells which without a stat; theme files,
and every file when the note is missing, by their mtimes). Every file it is about to write is
unlinked from the spare first (MkDocs writes files in place, which would write through the link
into site/). The files of pages that are gone are removed, the search index is merged exactly,
and the two folders are exchanged in one atomic rename (`write.exchange`). The new spare, the
old site, is then levelled with the new site by linking in the files the build wrote. site/ is
at every moment the old site or the new one; a failed or killed build leaves the spare in no
known state, and the next build makes a new one.

The spare is used only when it is known (`.cache/briefing-spare.json`: its folder's inode, its
outputs, site_src/'s manifest it was built from, and the fingerprint of what shapes every page —
mkdocs.yml, overrides/, the versions of MkDocs, Material, Markdown, Jinja and Python).
Otherwise, or with `build --clean`, MkDocs builds a new tree from scratch in its own process, as
`mkdocs build --strict` would.

Search: Material's dirty build writes an index of the rebuilt pages only. `merge_search` (also
used by `serve`) puts back every other page's entries from the spare's index, drops those of
pages that are gone, and orders them as a clean build does (by page), so the file is
byte-identical to a clean build's.
"""
from __future__ import annotations

import gc
import hashlib
import json
import logging
import os
import stat
import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

from .cache import CACHE_DIR
from .files_cache import remember_files
from .gitlog import head_time
from .pages_parallel import share_builds, share_pages, stop_shared, take_builds, take_shared
from .pipeline import static_files
from .write import discard, exchange, link_tree, prune_dirs, read_manifest, write_state

SPARE = ".site.spare"
"""The second built tree, beside site/."""
NEW = ".site.new"
"""Where a clean build puts the new site before it is swapped in."""
TREES_FILE = "briefing-spare.json"
"""In .cache/: the spare's state (its folder's inode, its outputs, the fingerprint it was built with)."""
SEARCH_INDEX = "search/search_index.json"
"""Material's search index, inside the site."""
GC_YOUNG = 7000
"""Objects made (net) between two collections of the youngest generation during a dirty build
(Python's default is 700)."""
PACKAGES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions", "jinja2")
"""Packages whose version shapes every page MkDocs writes."""


def site_fingerprint(root: Path) -> str:
    """A digest of everything that shapes every built page besides its Markdown."""
    h = hashlib.blake2b(sys.version.encode(), digest_size=16)
    for name in PACKAGES:
        try:
            h.update(f"{name}={metadata.version(name)};".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{name}=none;".encode())
    h.update((root / "mkdocs.yml").read_bytes())
    overrides = root / "overrides"
    if overrides.is_dir():
        for path in sorted(overrides.rglob("*")):
            if path.is_file():
                h.update(path.relative_to(overrides).as_posix().encode() + b"\0" + path.read_bytes())
    return h.hexdigest()


def merge_search(prev: list[dict], new: list[dict], drop: set[str], order: list[str] | None = None) -> list[dict]:
    """The search entries after a dirty build: `prev` without those of the pages in `drop`
    (rebuilt or removed), then `new`. With `order` (every page's URL in build order), entries
    of pages not in it are dropped too, and the entries are put in a clean build's order."""
    kept = [e for e in prev if _page_url(e) not in drop]
    merged = kept + new
    if order is None:
        return merged
    rank = {url: i for i, url in enumerate(order)}
    merged = [e for e in merged if _page_url(e) in rank]
    merged.sort(key=lambda e: rank[_page_url(e)])  # stable: a page's entries keep their order
    return merged


def _page_url(entry: dict) -> str:
    return entry["location"].split("#", 1)[0]


def page_url(url: str) -> str:
    """A page's URL as search entries give it (the home page's is empty)."""
    return "" if url == "./" else url


class _Dirty:
    """What one in-process dirty build needs to merge its search index (see merge_search)."""

    prev: list[dict] = []
    order: list[str] = []
    rebuilt: set[str] = set()
    dests: set[str] = set()
    """Every output of a file MkDocs knows (pages, copied files, theme assets)."""
    written: set[str] = set()
    """The outputs of the files MkDocs rebuilds or copies in this build."""
    changed: list = []
    """The documentation Files MkDocs renders in this build."""
    outputs: set[str] = set()
    """Every file the spare held before the build."""
    spare: Path = Path()
    hand_written: set[str] = set()
    """Pages of content/pages (their paths in site_src)."""
    sources: dict[str, str] | None = None
    """site_src's manifest now (path -> hash of the content), if the spare's state has the one
    it was built from."""
    built: dict[str, str] = {}
    """site_src's manifest when the spare was built."""
    active = False

    @classmethod
    def install(cls) -> None:
        """Wrap Material's SearchIndex.generate_search_index (this process only)."""
        from material.plugins.search.plugin import SearchIndex
        if getattr(SearchIndex.generate_search_index, "_briefing", False):
            return
        original = SearchIndex.generate_search_index

        def generate_search_index(index, prev):
            if cls.active:
                index.entries = merge_search(cls.prev, index.entries, cls.rebuilt, cls.order)
                prev = None
            return original(index, prev)

        generate_search_index._briefing = True
        SearchIndex.generate_search_index = generate_search_index


class _Capture:
    """A plugin added to the configuration in this process only (never to mkdocs.yml): it notes
    the pages in build order, which ones will be rebuilt, and every file's output; it hands half the
    rendering and half the building of the changed pages to children (pages_parallel)."""

    def on_files(self, files, config):
        _Dirty.order = [page_url(f.url) for f in files.documentation_pages()]
        _Dirty.dests, _Dirty.written, _Dirty.rebuilt = set(), set(), set()
        _Dirty.changed = []
        docs_dir, sources, built, outputs = config["docs_dir"], _Dirty.sources, _Dirty.built, _Dirty.outputs
        for f in files:
            dest = f.dest_uri
            _Dirty.dests.add(dest)
            if sources is not None and f.src_dir == docs_dir and f.src_uri in sources:
                # a generated file: changed since the spare was built, or never built (no stats)
                modified = sources[f.src_uri] != built.get(f.src_uri) or dest not in outputs
            else:
                modified = _newer(f)
            # hand-written pages are rebuilt every time, so MkDocs checks their links to pages
            # that changed or are gone, as a clean build would (generated pages' links are kept
            # right by their keys)
            modified = modified or f.src_uri in _Dirty.hand_written
            f.is_modified = (lambda: True) if modified else (lambda: False)  # asked once a file
            if modified:
                _Dirty.written.add(dest)
                if f.is_documentation_page():
                    _Dirty.rebuilt.add(page_url(f.url))
                    _Dirty.changed.append(f)
        # The spare shares its files with site/ (hard links): MkDocs writes in place, so every
        # file it is about to write is unlinked first, and site/ keeps its own.
        for rel in _Dirty.written | (_Dirty.outputs - _Dirty.dests):
            (_Dirty.spare / rel).unlink(missing_ok=True)
        _remember_pages(files)
        return files

    def on_nav(self, nav, config, files):
        self.nav = nav
        share_pages(_Dirty.changed, config, files)
        return nav

    def on_env(self, env, config, files):
        take_shared(files)
        share_builds(_Dirty.changed, config, files, self.nav, env)
        return env

    def on_post_build(self, config):
        take_builds()  # before the search plugin writes its index

    on_post_build.mkdocs_priority = 100


def _newer(f) -> bool:
    """MkDocs' `File.is_modified` in two stats rather than three: the source is newer than its
    output, or the output is not a file."""
    if f._content is not None or f.abs_src_path is None:
        return f.is_modified()
    try:
        built = os.stat(f.abs_dest_path)
    except OSError:
        return True
    return not stat.S_ISREG(built.st_mode) or built.st_mtime < os.stat(f.abs_src_path).st_mtime


def _remember_pages(files) -> None:
    """Make this build's `files.documentation_pages()` list its pages once, not on each of the
    seven times MkDocs and its plugins ask (each went through 11,000 files at 10,000 records).
    The list is made again once a file is added or removed."""
    cls, made = type(files), {}

    def documentation_pages(**kwargs):
        key = (id(files.src_uris), *sorted(kwargs.items()))  # (the mapping is new if `_files` is set)
        if key not in made:
            made[key] = cls.documentation_pages(files, **kwargs)
        return list(made[key])

    def changing(method):
        def change(file):
            made.clear()
            return method(files, file)
        return change

    files.documentation_pages = documentation_pages
    files.append, files.remove = changing(cls.append), changing(cls.remove)


_TEMPLATES: list[Path] = [Path()]
"""Where the compiled templates of the project being built go."""


def _cache_templates(root: Path) -> None:
    """Keep the theme's compiled templates in .cache/ (Jinja's bytecode cache, checked against
    each template's source): compiling Material's templates was a fifth of a dirty build."""
    from jinja2 import FileSystemBytecodeCache
    from mkdocs.theme import Theme

    _TEMPLATES[0] = root / CACHE_DIR / "templates"  # this build's project (tests build several in one process)
    if getattr(Theme.get_env, "_briefing", False):
        return
    original = Theme.get_env

    def get_env(theme):
        env = original(theme)
        _TEMPLATES[0].mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = FileSystemBytecodeCache(str(_TEMPLATES[0]))
        return env

    get_env._briefing = True
    Theme.get_env = get_env


class _NotDirty(logging.Filter):
    """Drops MkDocs' warning that a dirty build may be inexact (this one is made exact), which
    --strict would count as a failure."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "dirty' build" not in record.getMessage()


def _tree_key(path: Path) -> str | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"{st.st_dev}:{st.st_ino}"


def _spare_state(root: Path) -> dict | None:
    """The spare's state, if the spare is the tree it describes."""
    try:
        state = json.loads((root / CACHE_DIR / TREES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(state, dict) or state.get("tree") != _tree_key(root / SPARE):
        return None
    return state


def _forget_spare(root: Path) -> None:
    """From now on the spare is in no known state (it is about to change)."""
    (root / CACHE_DIR / TREES_FILE).unlink(missing_ok=True)


def _keep_spare(root: Path, fingerprint: str, outputs, sources: dict[str, str] | None) -> None:
    """Note the spare's state: what it is, what shaped it and what it holds. `sources`: site_src's
    manifest it was built from (None: unknown, its files are then told changed by their mtimes)."""
    write_state(root / CACHE_DIR / TREES_FILE,
                {"tree": _tree_key(root / SPARE), "fingerprint": fingerprint, "outputs": sorted(outputs),
                 "sources": sources})


def build_site(root: Path, clean: bool = False) -> int:
    """Build site/ from site_src/ (MkDocs, --strict): 0 on success, else 1 with site/ as it was."""
    discard(root / NEW)
    fingerprint = site_fingerprint(root)
    state = _spare_state(root)
    if not clean and state and state.get("fingerprint") == fingerprint and (root / "site").is_dir():
        return _dirty_build(root, state, fingerprint)
    return _clean_build(root, fingerprint)


def _outputs(tree: Path) -> list[str]:
    base = len(str(tree)) + 1
    return sorted(os.path.join(d, f)[base:] for d, _, names in os.walk(tree) for f in names)


def _clean_build(root: Path, fingerprint: str) -> int:
    """MkDocs in its own process, into a new tree swapped in; then the spare made its copy."""
    new_site = root / NEW
    # Not --quiet: it silences warnings before --strict can count them, so broken links would pass.
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(new_site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    stamp = head_time(root)
    if stamp is not None:  # the sitemap's dates: the commit's, not the clock's (reproducible builds)
        env.setdefault("SOURCE_DATE_EPOCH", str(stamp))
    result = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True)
    for line in (result.stderr + result.stdout).splitlines():
        if line.startswith(("WARNING", "ERROR", "Error", "Aborted", "Traceback")):
            print(line, file=sys.stderr)  # INFO lines (the page list, timings) are noise here
    if result.returncode != 0:
        discard(new_site)
        print("mkdocs build failed; site/ left as it was", file=sys.stderr)
        return 1
    outputs = _outputs(new_site)
    sources = read_manifest(root / "site_src")  # (what MkDocs built from: nothing writes it meanwhile)
    _forget_spare(root)
    exchange(new_site, root / "site")
    discard(new_site)  # (the old site, if there was one)
    discard(root / SPARE)
    link_tree(root / "site", root / SPARE, outputs)
    _keep_spare(root, fingerprint, outputs, sources)
    print("built site/", file=sys.stderr)
    return 0


def _dirty_build(root: Path, state: dict, fingerprint: str) -> int:
    """MkDocs in this process, in dirty mode, into the spare; the spare and site/ exchanged; the
    new spare (the old site) brought level by linking in what the build wrote."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    spare, site = root / SPARE, root / "site"
    started = time.perf_counter()
    try:
        prev = json.loads((spare / SEARCH_INDEX).read_text(encoding="utf-8"))["docs"]
    except (OSError, ValueError, KeyError):
        discard(spare)
        return _clean_build(root, fingerprint)
    _forget_spare(root)
    _Dirty.prev, _Dirty.spare, _Dirty.outputs = prev, spare, set(state.get("outputs", ()))
    built, sources = state.get("sources"), read_manifest(root / "site_src")
    _Dirty.built = built if isinstance(built, dict) else {}
    _Dirty.sources = sources if isinstance(built, dict) else None
    _Dirty.hand_written = {rel for rel in static_files(root) if rel.endswith(".md")}
    env_before = os.environ.get("SOURCE_DATE_EPOCH")
    stamp = head_time(root)
    if stamp is not None and env_before is None:
        os.environ["SOURCE_DATE_EPOCH"] = str(stamp)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    mkdocs_log, build_log, quiet = logging.getLogger("mkdocs"), logging.getLogger("mkdocs.commands.build"), _NotDirty()
    mkdocs_log.addHandler(handler)
    build_log.addFilter(quiet)
    _Dirty.install()
    _cache_templates(root)
    _Dirty.active = True
    from mkdocs.structure import pages as mkdocs_pages
    build_date = mkdocs_pages.get_build_date
    day = build_date()  # (asked by every page MkDocs makes, 7,700 times at 10,000 records)
    mkdocs_pages.get_build_date = lambda: day
    # What checking and rendering made lives as long as this build: kept out of the collector's
    # sight, so that collections scan only what MkDocs makes (one full collection took 0.1 s at
    # 10,000 records), and less often (MkDocs makes tens of thousands of objects a build).
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG, *thresholds[1:])
    try:
        config = load_config(config_file=str(root / "mkdocs.yml"), site_dir=str(spare), strict=True)
        config.plugins["briefing-capture"] = _Capture()
        config.plugins.on_startup(command="build", dirty=True)
        restore_get_files = remember_files(root, config, fingerprint, mkdocs_build)
        try:
            mkdocs_build.build(config, dirty=True)
        finally:
            restore_get_files()
            config.plugins.on_shutdown()
    except Exception as exc:  # noqa: BLE001 - any failure (an MkDocs error, a full disk) leaves site/ as it was
        print(f"mkdocs build failed: {exc}; site/ left as it was", file=sys.stderr)
        discard(spare)
        return 1
    finally:
        stop_shared()
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        mkdocs_pages.get_build_date = build_date
        _Dirty.active = False
        mkdocs_log.removeHandler(handler)
        build_log.removeFilter(quiet)
        if stamp is not None and env_before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
    # What the build wrote (every file it was to write was unlinked first), and what is gone:
    # the outputs that no file makes any more and that MkDocs did not write again.
    written = {rel for rel in _Dirty.written | (_Dirty.outputs - _Dirty.dests) if os.path.isfile(spare / rel)}
    stale = sorted(rel for rel in _Dirty.outputs - _Dirty.dests if rel not in written)
    prune_dirs(spare, stale)
    outputs = (_Dirty.outputs - set(stale)) | written
    exchange(spare, site)
    # the old site is the spare now: level it with the new one (the same files, linked)
    for rel in stale:
        (spare / rel).unlink(missing_ok=True)
    prune_dirs(spare, stale)
    link_tree(site, spare, sorted(written))
    _keep_spare(root, fingerprint, outputs, sources)
    print(f"built site/ (only what changed: {len(_Dirty.rebuilt)} page(s) rebuilt, {len(stale)} file(s) "
          f"removed, in {time.perf_counter() - started:.2f} s)", file=sys.stderr)
    return 0
