"""Render stage: pure functions from the index to Markdown pages (path -> text).

Nothing here touches the file system; `write.py` puts the result on disk. One module per page
family: `record`, `listing`, `timeline`, `home`; `blocks` holds what they share.
"""
from __future__ import annotations

from typing import Callable

from ..addresses import plan_addresses
from ..export import data_files, kind_data_files
from ..history import History
from ..siteconfig import SiteConfig
from ..graph import CONNECTIONS_PAGE, connections_page, graph_file, graph_for, record_graph_svg
from ..incremental import Family, PageKeys, apply_delta, keys_delta, page_keys
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import listing_page, page_of
from ..parallel import Background, deal, fork_map
from .changes import LATER, WHATS_NEW, address_files, fill_history, render_whats_new
from .feed import FEED, render_feed
from .home import render_brief, render_home
from .listing import listing_chunks, render_kind_index
from .record import render_record
from .timeline import render_timelines, timeline_families

__all__ = ["render_site", "render_changed", "all_page_keys", "render_later", "record_pages", "LATER", "render_pages_of", "render_record", "render_home", "render_brief", "render_kind_index",
           "listing_chunks", "assign_listings"]


def assign_listings(index: Index) -> dict[str, list[list[Record]]]:
    """Split every kind's listing into pages; tell records without pages of their own which
    listing page shows them (`listing_number`, read by page_of()): before any link is made."""
    listings = {kind: listing_chunks(index, kind) for kind in KINDS}
    for kind, chunks in listings.items():
        if not KINDS[kind].has_pages:
            for number, chunk in enumerate(chunks, 1):
                for rec in chunk:
                    rec.listing_number = number
    return listings


def render_pages_of(index: Index, records: list[Record], history: History | None = None) -> dict[str, str]:
    """Just the pages showing these records (their own, or their listing page) and their diagram
    files, exactly as render_site() renders them: `serve` shows an edit with these before
    re-rendering the rest."""
    listings = assign_listings(index)
    pages = _record_files(index, [rec for rec in records if KINDS[rec.kind].has_pages], history)
    for rec in records:
        kind = KINDS[rec.kind]
        if not kind.has_pages:
            chunks = listings[rec.kind]
            number = getattr(rec, "listing_number", 1)
            pages[listing_page(kind.plural, number)] = render_kind_index(index, rec.kind, number,
                                                                         chunks[number - 1], len(chunks))
    return pages


def _record_files(index: Index, records: list[Record], history: History | None) -> dict[str, str]:
    """The pages of these records (kinds with pages) and their diagram files."""
    files = {}
    for rec in records:
        files[page_of(rec)] = render_record(index, rec, history)
        svg = record_graph_svg(index, rec)
        if svg is not None:
            files[graph_file(rec)] = svg
    return files


def _site_pages(index: Index, listings: dict[str, list[list[Record]]], history: History | None,
                site: SiteConfig, skip: frozenset[str] = frozenset(),
                kept_text: Callable[[str], str] | None = None) -> dict[str, str]:
    """Every generated file that is not a record's own page or diagram: home, brief, the bigger
    diagram, timelines, listings, the data downloads, What's new and its feed, removal notices
    and redirects. `skip`: listing, timeline and data pages not to render (their text is known);
    `kept_text(path)`: the text of such a file (export.data_files)."""
    return {**_unkeyed_pages(index, history, site), **_keyed_site_pages(index, listings, skip),
            **data_files(index, skip, kept_text)}


def _unkeyed_pages(index: Index, history: History | None, site: SiteConfig) -> dict[str, str]:
    """The pages made of many records, rendered every time (no key): brief, the bigger diagram,
    and (with the history) home, What's new, the feed, removal notices and redirects."""
    pages = {"brief.md": render_brief(index)}
    bigger = connections_page(index)
    if bigger is not None:
        pages[CONNECTIONS_PAGE] = bigger
    if history is not LATER:
        pages.update(history_pages(index, history, site))
    return pages


def _keyed_site_pages(index: Index, listings: dict[str, list[list[Record]]], skip: frozenset[str],
                      only: str | None = None) -> dict[str, str]:
    """The timeline's and the listings' pages not in `skip` (`only`: "timeline" or a kind's)."""
    pages = render_timelines(index, skip) if only in (None, "timeline") else {}
    for kind in KINDS.values():
        if only not in (None, kind.name):
            continue
        chunks = listings[kind.name]
        for number, chunk in enumerate(chunks, 1):
            path = listing_page(kind.plural, number)
            if path not in skip:
                pages[path] = render_kind_index(index, kind.name, number, chunk, len(chunks))
    return pages


def history_pages(index: Index, history: History | None, site: SiteConfig) -> dict[str, str]:
    """The pages made of the history: the home page (its "updated" line), What's new, the feed,
    the removal notices and redirect pages."""
    addresses = plan_addresses(index, history)
    pages = {"index.md": render_home(index, history, site), WHATS_NEW: render_whats_new(index, history, addresses),
             FEED: render_feed(index, history, addresses, site)}
    pages.update(address_files(index, addresses, site))
    return pages


def record_pages(index: Index) -> set[str]:
    """Paths of the records' own pages: those render_site(…, LATER) leaves waiting for the history."""
    return {page_of(rec) for rec in index.records.values() if KINDS[rec.kind].has_pages}


def render_later(index: Index, pages: dict[str, str], history: History | None, site: SiteConfig) -> dict[str, str]:
    """What render_site(…, LATER) left for the history: the record pages filled in, and the
    pages made of the history. With those, `pages` is what render_site gives with the history."""
    return {**fill_history(index, pages, history), **history_pages(index, history, site)}


RENDER_TASKS_PER_WORKER = 4
"""Shares of the record pages per worker process: enough for the cores to finish together."""
PARALLEL_MIN_RECORDS = 400
"""Sites smaller than this are rendered in this process: forking would cost more than it saves."""
PARALLEL_MIN_PAGES = 20
"""Fewer pages than this to render after an edit (keyed pages: records', listings', the
timeline's) are rendered in this process."""


def render_site(index: Index, workers: int = 1, history: History | None = None,
                site: SiteConfig | None = None) -> dict[str, str]:
    """Every generated page: path relative to site_src -> Markdown text (and the data, diagram,
    feed and redirect files MkDocs copies as they are).

    `workers`: processes rendering at once (see parallel.py); the result is the same.
    `history`: the records' history (history.py), None without, or LATER: then the record pages
    carry markers for it and the pages made of it are left out (see render_later).
    `site`: mkdocs.yml's settings.
    """
    site = site or SiteConfig()
    listings = assign_listings(index)
    records = [rec for kind in KINDS.values() if kind.has_pages for rec in index.by_kind.get(kind.name, [])]
    n = workers if len(index.records) >= PARALLEL_MIN_RECORDS else 1
    graph_for(index)  # built once here, not once in each worker
    # Task None is the site-wide pages; the others are shares of the record pages.
    tasks = [None, *deal(range(len(records)), n * RENDER_TASKS_PER_WORKER)]

    def render_task(task: range | None) -> dict[str, str]:
        if task is None:
            return _site_pages(index, listings, history, site)
        return _record_files(index, [records[i] for i in task], history)

    pages: dict[str, str] = {}
    for part in fork_map(render_task, tasks, n):
        pages.update(part)
    return pages


def _families(index: Index) -> list[Family]:
    """The pages keyed besides record and listing pages (see incremental.py): the timeline's
    pages and names, and each kind's data files."""
    families = timeline_families(index)
    for kind in KINDS:
        families.append((kind_data_files(kind), {r.id for r in index.by_kind.get(kind, [])}, f"data {kind}"))
    return families


def all_page_keys(index: Index, history: History | None, previous: PageKeys | None = None) -> PageKeys:
    """Every keyed page's key (incremental.page_keys with the families above; `previous`: the
    last build's keys, of which only those an edit may change are worked out again)."""
    return page_keys(index, assign_listings(index), history, _families(index), previous)


def render_changed(index: Index, history: History | None, site: SiteConfig, previous: PageKeys,
                   workers: int = 1, intact: Callable[[str], bool] = lambda path: True,
                   kept_text: Callable[[str], str] | None = None) -> tuple[dict[str, str], set[str], PageKeys]:
    """The pages an edit changed: (pages rendered, paths kept as they are, every page's key).

    `previous`: the keys of the pages in site_src/ (incremental.load_keys); only the keys an
    edit may change are worked out again. Record pages and listing pages whose key is unchanged
    are not rendered (incremental.py says what a key covers); every other page is. The rendered
    pages and the kept ones together are what render_site(index, history=history) gives.
    `intact(path)`: False for a file site_src/ should have and does not (deleted by hand): its
    page is rendered again. `kept_text(path)`: the text of a kept file in site_src/ (the whole
    dataset reuses the rows of the kinds' kept data files).
    """
    listings = assign_listings(index)
    n = workers if len(index.records) >= PARALLEL_MIN_RECORDS else 1
    # A child works out the keys while this process renders the pages made of many records
    # (which need no key) and builds the diagrams' graph the record pages need; it hands back
    # only what changed (keys_delta).
    def work_out() -> PageKeys:
        return page_keys(index, listings, history, _families(index), previous)

    keyed = Background(lambda: keys_delta(previous, work_out())) if n > 1 else None
    try:
        pages = _unkeyed_pages(index, history, site)
        graph_for(index)  # built once here, not once in each worker
        keys = apply_delta(previous, keyed.result()) if keyed else work_out()
    finally:
        if keyed:
            keyed.close()
    kept = {path for path, key in keys.keys.items()
            if previous.keys.get(path) == key and all(intact(out) for out in keys.groups[path])}
    kept_files = frozenset(out for path in kept for out in keys.groups[path])
    records = [rec for kind in KINDS.values() if kind.has_pages for rec in index.by_kind.get(kind.name, [])
               if page_of(rec) not in kept]
    # (a few pages are rendered here: forking the workers would cost what it saves)
    workers_now = n if len(keys.keys) - len(kept) >= PARALLEL_MIN_PAGES else 1
    tasks = ["timeline", "data", *KINDS, *deal(range(len(records)), n * RENDER_TASKS_PER_WORKER)]

    def render_task(task: range | str) -> dict[str, str]:
        if task == "data":
            return data_files(index, kept_files, kept_text)
        if isinstance(task, str):
            return _keyed_site_pages(index, listings, kept_files, task)
        return _record_files(index, [records[i] for i in task], history)

    for part in fork_map(render_task, tasks, workers_now):
        pages.update(part)
    return pages, set(kept_files), keys
