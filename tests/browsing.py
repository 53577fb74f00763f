"""What the browser tests share: Debian's Chromium (one per test session), a static server."""
from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from pathlib import Path

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
