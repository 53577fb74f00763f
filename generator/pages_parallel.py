"""Publish stage, on both cores: a dirty build's changed pages rendered half here, half in a
forked child; then their HTML written half here, half in another child.

MkDocs reads and renders (Markdown to HTML) every changed page one after the other, before it
writes any. `share_pages` is called once the navigation is made: it deals the changed pages by
size into two shares of about equal work and forks a child (`parallel.Background`) that
renders one share the way MkDocs would (`_populate_page`: the page events, read, render). While
the child works, MkDocs' own loop renders the other share and passes over the child's pages;
`take_shared` (at MkDocs' `env` event, right after that loop) waits for the child and gives
each of its pages what rendering would have set: its Markdown, meta, HTML, table of contents,
title, anchors and links to anchors. Warnings the child logged (a broken link) are logged
again here, so `--strict` counts them as in a build on one core.

Once every page is rendered (MkDocs' `env` event), `share_builds` forks a second child that
builds (puts in the theme's template, indexes for search, writes) about half of the changed
pages, while MkDocs' loop builds the rest and passes over the child's. `take_builds` (first at
the `post_build` event, before the search index is written) waits for it, adds the search
entries it made, and logs its warnings again.

The same code renders each page with the same state (a forked copy of this process), so the
site is the same byte for byte. Only when every plugin is one known not to keep state across
pages (`SAFE_PLUGINS`); otherwise, or with little to render, MkDocs renders every page itself.
"""
from __future__ import annotations

import logging
import os
from contextlib import contextmanager

from .parallel import Background, cpu_count

SAFE_PLUGINS = {"search", "material/search", "briefing-capture"}
"""Plugins whose page events keep no state across pages (a page rendered in the child loses
nothing): Material's search reads pages only when writing them."""
MIN_SHARED_BYTES = 150_000
"""Less Markdown than this to render in all is rendered in this process (a fork would cost more)."""
MIN_SHARED_BUILDS = 16
"""Fewer changed pages than this are built in this process (a page's template takes ~4 ms; a
fork, ~20 ms)."""

_PAGE_STATE = ("markdown", "meta", "content", "toc", "_title_from_render", "present_anchor_ids")
"""What `_populate_page` sets on a page (besides `links_to_anchors`, keyed by File)."""


class _Shared:
    child: Background | None = None
    uris: set[str] = set()
    """The pages the child renders (src_uri)."""


class _Built:
    child: Background | None = None
    uris: set[str] = set()
    """The pages the second child builds (src_uri)."""
    entries: list | None = None
    """The search index's entries (the list the search plugin adds to)."""


class _Collect(logging.Handler):
    """The child's log records of MkDocs, kept to be logged again by the parent."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record.name, record.levelno, record.getMessage()))


def _install() -> None:
    """Wrap MkDocs' `_populate_page` and `_build_page` so that they pass over the children's
    pages (this process only)."""
    from mkdocs.commands import build as mkdocs_build

    if getattr(mkdocs_build._populate_page, "_briefing", False):
        return
    populate_page, build_page = mkdocs_build._populate_page, mkdocs_build._build_page

    def populate(page, config, files, dirty=False):
        if _Shared.child is not None and page.file.src_uri in _Shared.uris:
            return  # rendered by the child; taken at the env event (take_shared)
        populate_page(page, config, files, dirty)

    def build(page, config, doc_files, nav, env, dirty=False, excluded=False):
        if _Built.child is not None and page.file.src_uri in _Built.uris:
            return  # built by the second child; taken at the post_build event (take_builds)
        build_page(page, config, doc_files, nav, env, dirty, excluded)

    for wrapper, original in ((populate, populate_page), (build, build_page)):
        wrapper._briefing, wrapper._original = True, original
    mkdocs_build._populate_page, mkdocs_build._build_page = populate, build


def share_pages(changed, config, files) -> None:
    """Fork a child rendering about half of `changed` (the documentation Files MkDocs is about to
    render), if worth it and safe (see the module docstring)."""
    _Shared.child, _Shared.uris = None, set()
    if cpu_count() < 2 or set(config.plugins) - SAFE_PLUGINS:
        return
    sized = sorted(((os.path.getsize(f.abs_src_path), f.src_uri, f) for f in changed), reverse=True)
    if sum(size for size, _, _ in sized) < MIN_SHARED_BYTES:
        return
    _, theirs = _split(sized)
    if not theirs:
        return
    _install()
    _Shared.uris = {f.src_uri for f in theirs}
    _Shared.child = Background(lambda: _render_share(theirs, config, files))


def _split(sized: list[tuple[int, str, object]]) -> tuple[list, list]:
    """(this process's pages, the child's): (size, src_uri, File) biggest first, each to the
    share with less Markdown so far."""
    loads, shares = [0, 0], ([], [])
    for size, _, f in sized:
        lighter = 0 if loads[0] <= loads[1] else 1
        loads[lighter] += size
        shares[lighter].append(f)
    return shares


def _render_share(share, config, files) -> tuple[list[tuple[str, int, str]], dict]:
    """(In the child) render each page of `share` as MkDocs' loop would: the warnings logged and
    each page's state by src_uri (or the error that stopped it)."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.structure.pages import Page

    populate = getattr(mkdocs_build._populate_page, "_original", mkdocs_build._populate_page)
    out: dict[str, dict] = {}
    with _collecting() as records:
        for f in share:
            if f.page is None:
                Page(None, f, config)
            try:
                populate(f.page, config, files, True)
            except Exception as exc:  # noqa: BLE001 - handed to the parent, which stops the build with it
                return records, _error(f, exc)
            state = {name: getattr(f.page, name, None) for name in _PAGE_STATE}
            state["links_to_anchors"] = {target.src_uri: anchors
                                         for target, anchors in (f.page.links_to_anchors or {}).items()}
            out[f.src_uri] = state
    return records, out


@contextmanager
def _collecting():
    """MkDocs' log records kept (a list, to be logged again by the parent) instead of printed.
    (Put back afterwards: if a child died, the parent runs its work itself, see Background.result.)"""
    collect = _Collect()
    log = logging.getLogger("mkdocs")
    handlers, propagate = log.handlers, log.propagate
    log.handlers, log.propagate = [collect], False
    try:
        yield collect.records
    finally:
        log.handlers, log.propagate = handlers, propagate


def _error(f, exc: Exception) -> dict:
    """What a child hands back when a page stopped it (take_shared/take_builds raise it)."""
    return {"error": (f.src_uri, f"{type(exc).__name__}: {exc}")}


def take_shared(files) -> None:
    """Wait for the child and give its pages what rendering set; log its warnings again.
    Raises if the child could not render a page (the build fails, as on one core)."""
    pages = _taken(_Shared, "reading")
    for uri, state in (pages or {}).items():
        page = files.get_file_from_path(uri).page
        for name in _PAGE_STATE:
            setattr(page, name, state[name])
        page.links_to_anchors = {files.get_file_from_path(target): anchors
                                 for target, anchors in state["links_to_anchors"].items()}


def _search_entries(config) -> list | None:
    """The list of entries Material's search plugin adds each built page's to (None without it)."""
    for plugin in config.plugins.values():
        entries = getattr(getattr(plugin, "search_index", None), "entries", None)
        if isinstance(entries, list):
            return entries
    return None


def share_builds(changed, config, files, nav, env) -> None:
    """Fork a child building about half of `changed` (the pages MkDocs rendered in this build;
    see the module docstring), if worth it and safe."""
    from mkdocs.structure.files import InclusionLevel

    _Built.child, _Built.uris, _Built.entries = None, set(), _search_entries(config)
    if cpu_count() < 2 or set(config.plugins) - SAFE_PLUGINS or len(changed) < MIN_SHARED_BUILDS:
        return
    if _Built.entries is None and any(name.endswith("search") for name in config.plugins):
        return  # a search plugin whose entries this module cannot hand back
    _install()
    sized = sorted(((len(f.page.content or ""), f.src_uri, f) for f in changed if f.page is not None), reverse=True)
    _, theirs = _split(sized)
    if not theirs:
        return
    doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)  # (as MkDocs' loop is given)
    _Built.uris = {f.src_uri for f in theirs}
    _Built.child = Background(lambda: _build_share(theirs, config, doc_files, nav, env))


def _build_share(share, config, doc_files, nav, env) -> tuple[list[tuple[str, int, str]], dict]:
    """(In the child) build each page of `share` as MkDocs' loop would: the warnings logged, and
    the search entries made (or the error that stopped it)."""
    from mkdocs.commands import build as mkdocs_build

    build = getattr(mkdocs_build._build_page, "_original", mkdocs_build._build_page)
    entries = _Built.entries if _Built.entries is not None else []
    start = len(entries)
    with _collecting() as records:
        for f in share:
            try:
                build(f.page, config, doc_files, nav, env, True, excluded=f.inclusion.is_excluded())
            except Exception as exc:  # noqa: BLE001 - handed to the parent, which stops the build with it
                return records, _error(f, exc)
    made = entries[start:]
    # (taken out again: when the child died and this runs in the parent, take_builds adds them)
    del entries[start:]
    return records, {"entries": made}


def take_builds() -> None:
    """Wait for the second child; add the search entries it made; log its warnings again.
    Raises if it could not build a page (the build fails, as on one core)."""
    built = _taken(_Built, "building")
    if built is not None and _Built.entries is not None:
        _Built.entries.extend(built["entries"])  # (merge_search puts them in page order)


def _taken(holder, doing: str) -> dict | None:
    """What the child of `holder` (_Shared, _Built) handed back, once its warnings are logged
    again here (None without a child). Raises MkDocs' BuildError if it stopped at a page."""
    child, holder.child = holder.child, None
    if child is None:
        return None
    from mkdocs.exceptions import BuildError

    records, out = child.result()
    for name, level, message in records:
        logging.getLogger(name).log(level, "%s", message)
    if "error" in out:
        uri, message = out["error"]
        raise BuildError(f"Error {doing} page '{uri}': {message}")
    return out


def stop_shared() -> None:
    """Stop the children if the build ended before their pages were taken (an error elsewhere)."""
    for holder in (_Shared, _Built):
        child, holder.child = holder.child, None
        if child is not None:
            child.close()
