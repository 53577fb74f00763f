"""What the browser tests share: Debian's Chromium (one per test session), a static server."""
from __future__ import annotations

import contextlib
import functools
import http.server
import io
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from generator.cli import main
from generator.pipeline import copy_site_inputs

REPO = Path(__file__).resolve().parent.parent
"""The repository root (its content/ is the real site the browser tests build)."""
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--disable-sync"]


def require_chromium() -> None:
    """Skip (loudly) without Chromium; fail instead on CI, where it must be installed."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    reason = (f"BROWSER TESTS NOT RUN: {CHROMIUM} is missing (apt-get install -y chromium); "
              "the search, timeline, graph, table, link, redirect and print checks did not happen")
    if os.environ.get("CI") == "true":
        pytest.fail(reason + " — CI=true, so this is an error", pytrace=False)
    pytest.skip(reason)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that keeps pytest's output clean."""

    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(folder: Path):
    """http://127.0.0.1:<random port>/ serving `folder` while the block runs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def chromium():
    """One Chromium for the whole test session (Playwright's sync API allows one at a time)."""
    require_chromium()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The real site, built once into a temporary project folder."""
    require_chromium()
    if not (REPO / "content" / "people").is_dir():
        pytest.fail("the repository has no content/ to build")
    root = tmp_path_factory.mktemp("browser-site")
    shutil.copytree(REPO / "content", root / "content")
    copy_site_inputs(REPO, root)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "build"])
    assert code == 0, f"build failed:\n{out.getvalue()}\n{err.getvalue()}"
    return root / "site"


@pytest.fixture(scope="session")
def base_url(site) -> str:
    """http://127.0.0.1:<random port>/ serving the built site."""
    with serving(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium, base_url):
    """The session's Chromium (conftest), once the site is served."""
    return chromium


class Recorder:
    """Every request and console error of a browser context."""

    def __init__(self):
        self.requests: list[str] = []
        self.errors: list[str] = []

    def attach(self, context, page):
        context.on("request", lambda r: self.requests.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def foreign(self) -> list[str]:
        """Requests to anything but the local server (data: and blob: URLs stay in the page)."""
        return [u for u in self.requests
                if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).hostname != "127.0.0.1"]


@pytest.fixture
def open_page(browser, base_url):
    """open_page(path, scheme='light', **context options) -> (page, recorder); closed after the test."""
    contexts = []

    def opener(path: str, scheme: str = "light", **options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, "color_scheme": scheme, **options})
        contexts.append(context)
        page = context.new_page()
        recorder = Recorder()
        recorder.attach(context, page)
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        return page, recorder

    yield opener
    for context in contexts:
        context.close()



def material_search(page, query: str) -> list[tuple[str, str]]:
    """Type a query into Material's search (MkDocs build); (result path, result text) of each
    hit, best first."""
    page.locator(".md-search__input").first.click()
    box = page.locator("input.md-search__input")
    if box.input_value():  # an earlier query's results: clear them, so they cannot be read as these
        box.fill("")
        page.keyboard.press("End")
        page.wait_for_function(
            "() => !/matching/.test(document.querySelector('.md-search-result__meta').textContent)")
    # The whole query at once, then one keyup (Material reads the query on keyup), so exactly
    # one search runs and the results cannot change under the test.
    box.fill(query)
    page.keyboard.press("End")
    return material_hits(page)


def material_hits(page) -> list[tuple[str, str]]:
    """(result path, result text) of each hit of Material's search once its results have
    settled: the count is shown and the hits it counts are drawn, the same over two polls one
    frame apart (the list is drawn after the count: read at once, it was once empty under load;
    typed key by key, each key starts a search that redraws the list)."""
    page.evaluate("window.__briefingHits = null")
    hits = page.wait_for_function(
        """() => {
            const meta = document.querySelector('.md-search-result__meta').textContent;
            const hits = [...document.querySelectorAll('.md-search-result__item > a')].map(
                e => [e.getAttribute('href'), e.innerText]);
            const done = /^no matching/i.test(meta.trim()) || (/matching/.test(meta) && hits.length > 0);
            const seen = done ? JSON.stringify(hits) : null;
            const same = seen !== null && seen === window.__briefingHits;
            window.__briefingHits = seen;
            return same ? hits : false;
        }""", polling="raf").json_value()
    return [(urlsplit(href).path, text) for href, text in hits]


def zensical_search(page, query: str) -> list[tuple[str, str]]:
    """Type a query into Zensical's search dialog (in a shadow root, which Playwright's locators
    pierce); (result path, result title) of each hit, best first."""
    box = page.locator("input[role=combobox]")
    if not box.is_visible():
        page.locator("button.md-search__button").first.click()
    box.fill(query)
    # Done when the results are this query's (each link carries it as ?h=) or there are none, and
    # the list stays the same over two polls, one frame apart (it is redrawn in steps: links can
    # carry the new query a moment before their titles change). The hits are read in the same
    # check. (Not an async predicate: its promise is truthy at once, so the wait would end on the
    # first poll with whatever the promise later gave, `false` included.)
    page.evaluate("window.__briefingHits = null")
    hits = page.wait_for_function(
        """q => {
            const host = [...document.querySelectorAll('*')].find(
                e => e.shadowRoot && e.shadowRoot.querySelector('input[role=combobox]'));
            const root = host.shadowRoot;
            const hits = [...root.querySelectorAll('ol[role=listbox] a[role=option]')].map(
                e => [e.getAttribute('href'), (e.querySelector('h2') || {}).textContent || '']);
            const done = hits.length
                ? hits.every(([href]) => new URL(href, location.href).searchParams.get('h') === q)
                : /^no /i.test(root.querySelector('[role=status][aria-live]').textContent.trim());
            const seen = done ? JSON.stringify([q, hits]) : null;
            const same = seen !== null && seen === window.__briefingHits;
            window.__briefingHits = seen;
            return same ? hits : false;
        }""", arg=query, polling="raf").json_value()
    return [(urlsplit(href).path, text) for href, text in hits]
