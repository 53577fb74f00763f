"""Helpers for tests that inspect a built site: parse pages, collect links and anchors."""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class PageParser(HTMLParser):
    """Collects element ids, link targets and visible text of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("name"):
            self.ids.add(attrs["name"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse_page(path: Path) -> PageParser:
    """Parse one built HTML page."""
    parser = PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """Every internal link (page or #anchor) in the built site that does not resolve."""
    pages = {p.relative_to(site).as_posix(): parse_page(p) for p in site.rglob("*.html")}
    broken = []
    for rel, page in pages.items():
        for href in page.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or (rel == "404.html" and href.startswith("/")):
                continue  # the 404 page links from the site root on purpose
            target = rel
            if parts.path:
                target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), unquote(parts.path)))
                if href.endswith("/") or (site / target).is_dir():
                    target = posixpath.join(target, "index.html")
            if target not in pages:
                if not (site / target).is_file():
                    broken.append(f"{rel}: {href}")
                continue
            if parts.fragment and unquote(parts.fragment) not in pages[target].ids:
                broken.append(f"{rel}: {href} (no anchor)")
    return broken
