"""What the browser tests share: Debian's Chromium (one per test session), a static server."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

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
    page.wait_for_function(
        "() => /matching/.test(document.querySelector('.md-search-result__meta').textContent)")
    hits = page.locator(".md-search-result__item > a").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), e.innerText])")
    return [(urlsplit(href).path, text) for href, text in hits]


def zensical_search(page, query: str) -> list[tuple[str, str]]:
    """Type a query into Zensical's search dialog (in a shadow root, which Playwright's locators
    pierce); (result path, result title) of each hit, best first."""
    box = page.locator("input[role=combobox]")
    if not box.is_visible():
        page.locator("button.md-search__button").first.click()
    box.fill(query)
    # Done when the results are this query's (each link carries it as ?h=) or there are none.
    page.wait_for_function(
        """q => {
            const host = [...document.querySelectorAll('*')].find(
                e => e.shadowRoot && e.shadowRoot.querySelector('input[role=combobox]'));
            const root = host.shadowRoot, first = root.querySelector('ol[role=listbox] a[role=option]');
            const status = root.querySelector('[role=status][aria-live]').textContent;
            return first ? new URL(first.href).searchParams.get('h') === q : /^no /i.test(status.trim());
        }""", arg=query)
    hits = page.locator("ol[role=listbox] a[role=option]").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), e.querySelector('h2').textContent])")
    return [(urlsplit(href).path, text) for href, text in hits]
