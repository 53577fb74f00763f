"""The built site in a real browser: Debian's Chromium driven by Playwright.

The real story (content/, static/, mkdocs.yml of the repository) is built once per session into
a temporary folder and served by a static HTTP server on 127.0.0.1. Screenshots and the printed
brief go to tests/screenshots/ (git-ignored) for people to look at.

Without /usr/bin/chromium these tests are skipped with a loud reason; with CI=true they fail.
"""
from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest


from browsing import material_search as search

SHOTS = Path(__file__).parent / "screenshots"
"""Where screenshots and the printed brief are saved (git-ignored)."""


def shot(page, name: str, full_page: bool = True) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=full_page)


def path_of(url: str) -> str:
    """The path of a result link without the highlight query and fragment."""
    return urlsplit(url).path


# --- home, palettes, no other host -------------------------------------------------------------

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_renders_with_no_console_errors_and_no_other_host(open_page, scheme):
    page, rec = open_page("", scheme)
    assert page.locator("h1").first.inner_text().rstrip("¶") == "Briefing: Russia–Ukraine talks in Istanbul, May 2025"  # site_name
    assert page.locator("#download").count() == 1
    # Open search too: its worker and index must also come from the local server.
    page.locator("label.md-search__icon, .md-search__input").first.click()
    page.locator("input.md-search__input").type("Istanbul")
    page.wait_for_selector(".md-search-result__item")
    page.keyboard.press("Escape")
    page.wait_for_load_state("networkidle")
    shot(page, f"home-{scheme}")
    assert rec.errors == []
    assert rec.foreign() == []
    assert any(u.endswith("search/search_index.json") for u in rec.requests)
    assert any(u.endswith("extra/javascripts/reader.js") for u in rec.requests)
    expected_bg = "rgb(255, 255, 255)" if scheme == "light" else "rgb(30, 33, 41)"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == expected_bg


# --- search knows names ------------------------------------------------------------------------

@pytest.mark.parametrize("query, expected", [
    ("Zelenskyy", "/people/zelensky/"),                # an alias in content/
    ("Volodymyr Zelenskyj", "/people/zelensky/"),      # scholarly romanization, generated (no alias has it)
    ("Зеленський", "/people/zelensky/"),               # Cyrillic, Ukrainian
    ("Мединский", "/people/medinsky/"),                # Cyrillic, Russian
    ("Vladimir Medinskij", "/people/medinsky/"),       # scholarly romanization, generated (no alias has it)
    ("Erdoğan", "/people/erdogan/"),                   # Turkish diacritic
    ("Türkiye", "/organizations/turkey/"),             # the native name (folded spellings: test_stories.py)
])
def test_search_finds_alternative_spellings(open_page, query, expected):
    page, rec = open_page("")
    hits = search(page, query)
    assert hits, f"no result for {query}"
    assert hits[0][0] == expected, hits
    # The hit says what kind of record it is (the page's tag).
    kind = "Person" if expected.startswith("/people/") else "Organization"
    assert page.locator(".md-search-result__item").first.locator(".md-tag").first.inner_text() == kind
    if query == "Зеленський":
        # the results panel has finished fading in
        page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
        shot(page, "search-cyrillic", full_page=False)
    assert rec.errors == []


# --- timeline ----------------------------------------------------------------------------------

def test_timeline_is_in_date_order_and_filters_by_party(open_page):
    page, rec = open_page("timeline/")
    items = page.locator(".tl-item")
    dates = [d for d in items.evaluate_all("els => els.map(e => e.dataset.date)") if d]
    assert len(dates) >= 10
    assert dates == sorted(dates)
    # Year headings in order, partial dates labelled, inferred dates marked.
    years = page.locator("h2[id^=y]").evaluate_all("els => els.map(e => e.id)")
    assert years == sorted(years) and years[0] < years[-1]
    assert page.locator(".tl-partial .tl-precision").count() >= 1
    assert page.locator(".tl-inferred .inferred").count() >= 1
    # Every entry links to its page.
    assert items.count() == page.locator(".tl-item a[href*='/events/'], .tl-item a[href*='/agreements/']")\
        .evaluate_all("els => new Set(els.map(e => e.closest('.tl-item'))).size")
    shot(page, "timeline-light")

    total = items.count()
    page.select_option(".tl-filter select", "medinsky")
    visible = page.locator(".tl-item:visible")
    shown = visible.count()
    assert 0 < shown < total
    for parties in visible.evaluate_all("els => els.map(e => e.dataset.parties)"):
        assert "medinsky" in parties.split()
    assert page.locator(".tl-filter output").inner_text() == f"{shown} of {total} entries"
    # The menu (filled from timeline/parties.json) names each party with its entries, most first.
    assert page.locator(".tl-filter select option:checked").inner_text() == f"Vladimir Medinsky ({shown})"
    counts = [int(t.rsplit("(", 1)[1].rstrip(")")) for t in
              page.locator(".tl-filter select option").all_inner_texts()[1:]]
    assert len(counts) >= 5 and counts == sorted(counts, reverse=True)
    # A year with nothing left is hidden with its heading.
    assert page.locator("h2#y2015").is_hidden()
    shot(page, "timeline-filtered-medinsky")
    page.select_option(".tl-filter select", "")
    assert page.locator(".tl-item:visible").count() == total
    assert rec.errors == []


# --- relationship graph ------------------------------------------------------------------------

def test_graph_renders_as_svg_and_links_to_pages(open_page, base_url):
    page, rec = open_page("")
    svg = page.locator("svg.rel-graph#graph-home")
    assert svg.count() == 1
    box = svg.bounding_box()
    assert box["width"] > 400 and box["height"] > 200
    assert page.locator("#graph-home a.g-node").count() >= 20
    assert page.locator("#graph-home path.g-edge").count() >= 20
    assert page.locator("#graph-home a.g-node", has_text="Volodymyr Zelensky").count() == 1
    SHOTS.mkdir(exist_ok=True)
    svg.screenshot(path=str(SHOTS / "graph-home.png"))

    # A record page's diagram is a file of its own, which reader.js puts into the page: as SVG
    # elements (not an image), so its links work and the palette's CSS colours it.
    page2, rec2 = open_page("people/medinsky/", "dark")
    assert any(u.endswith("/graphs/medinsky.svg") for u in rec2.requests)
    svg = page2.locator(".rel-graph-wrap > svg.rel-graph#graph-medinsky")
    svg.wait_for()
    assert svg.bounding_box()["width"] > 200
    center = svg.locator("a.g-center")
    assert center.locator("text").text_content() == "Vladimir Medinsky"
    assert center.get_attribute("href") == "/people/medinsky/"
    # Dark palette: the boxes are filled with the page's own (slate) background colour.
    assert svg.locator("rect.g-bg").first.evaluate("r => getComputedStyle(r).fill") == "rgb(30, 33, 41)"
    # Its key came with it and sits under the drawing.
    key = page2.locator(".rel-graph-wrap + p.g-legend")
    assert key.is_visible() and "person" in key.inner_text()
    assert page2.locator("details.rel-graph-list").get_attribute("open") is None
    svg.screenshot(path=str(SHOTS / "graph-person-dark.png"))
    svg.locator("a.g-organization[href$='/russian-delegation/']").click()
    page2.wait_for_load_state()
    assert path_of(page2.url) == "/organizations/russian-delegation/"
    page2.locator(".rel-graph-wrap > svg.rel-graph#graph-russian-delegation").wait_for()
    shot(page2, "organization-dark")
    assert rec.errors == [] and rec2.errors == []


def test_graph_relations_are_a_list_without_javascript(open_page):
    page, rec = open_page("people/medinsky/", java_script_enabled=False)
    # Neither the drawing's empty box nor a key to a drawing that is not there.
    assert not page.locator(".rel-graph-wrap").is_visible()
    assert not page.locator("p.g-legend").is_visible()
    items = page.locator("details.rel-graph-list li")
    assert items.count() >= 2
    assert items.first.locator("strong").text_content() == "Vladimir Medinsky"
    page.locator("details.rel-graph-list summary").click()
    page.locator("details.rel-graph-list a[href$='/russian-delegation/']").first.click()
    page.wait_for_load_state()
    assert path_of(page.url) == "/organizations/russian-delegation/"
    assert rec.errors == []


def test_graph_falls_back_to_the_list_when_its_file_cannot_be_had(browser, base_url):
    context = browser.new_context()
    try:
        context.route("**/graphs/*.svg", lambda route: route.abort())
        page = context.new_page()
        page.goto(base_url + "people/medinsky/")
        page.wait_for_function("() => document.querySelector('details.rel-graph-list').open")
        assert page.locator(".rel-graph-wrap svg:not(.rel-graph-placeholder)").count() == 0
        assert page.locator("details.rel-graph-list li").first.is_visible()
    finally:
        context.close()


def test_person_page_in_both_palettes(open_page):
    for scheme in ("light", "dark"):
        page, rec = open_page("people/zelensky/", scheme)
        body = page.locator("article").inner_text()
        assert "Also written:" in body and "Зеленський" in body and "Zelenskyi" in body
        data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
        assert data["@type"] == "Person" and data["name"] == "Volodymyr Zelensky"
        assert "Володимир Зеленський" in data["alternateName"]
        shot(page, f"person-{scheme}")
        assert rec.errors == []


# --- tables ------------------------------------------------------------------------------------

def column(page, header: str) -> list[str]:
    """Texts of one column's visible cells, top to bottom."""
    headers = page.locator(".data-table table thead th").all_inner_texts()
    i = [h.replace("↕", "").replace("▲", "").replace("▼", "").strip() for h in headers].index(header)
    return page.locator(".data-table table tbody tr:visible").evaluate_all(
        f"rows => rows.map(r => r.cells[{i}].textContent.trim())")


def test_demand_table_sorts_and_filters(open_page):
    page, rec = open_page("demands/")
    rows = page.locator(".data-table tbody tr")
    total = rows.count()
    assert total >= 5
    page.locator("th button", has_text="Status").click()
    ascending = column(page, "Status")
    assert ascending == sorted(ascending, key=str.casefold)
    assert page.locator("th[aria-sort=ascending]").inner_text().startswith("Status")
    page.locator("th button", has_text="Status").click()
    assert column(page, "Status") == sorted(ascending, key=str.casefold, reverse=True)

    page.select_option("select[data-column=Party]", "Russia")
    parties = column(page, "Party")
    assert parties and set(parties) == {"Russia"} and len(parties) < total
    page.select_option("select[data-column=Status]", "unchanged")
    assert set(column(page, "Status")) == {"unchanged"} and set(column(page, "Party")) == {"Russia"}
    shown = len(column(page, "Party"))
    assert page.locator(".data-table-count").inner_text() == f"{shown} of {total} rows"
    page.select_option("select[data-column=Party]", "")
    page.select_option("select[data-column=Status]", "")
    page.fill(".data-table-controls input[type=search]", "ceasefire")
    demands = column(page, "Demand")
    assert demands and all("ceasefire" in d.lower() for d in demands)
    shot(page, "demands-filtered")
    assert rec.errors == []


def test_event_table_sorts_by_date_not_text(open_page):
    page, _ = open_page("events/")
    page.locator("th button", has_text="Date").click()
    page.locator("th button", has_text="Date").click()  # descending
    keys = page.locator(".data-table tbody tr:visible td:first-child time").evaluate_all(
        "els => els.map(e => e.getAttribute('datetime'))")
    assert len(keys) >= 5 and keys == sorted(keys, reverse=True)


def test_tables_are_readable_without_javascript(open_page):
    page, _ = open_page("demands/", java_script_enabled=False)
    assert page.locator(".data-table table tbody tr").count() >= 5
    assert page.locator(".data-table-controls").count() == 0
    assert page.locator("form.tl-filter").count() == 0
    page2, _ = open_page("timeline/", java_script_enabled=False)
    assert page2.locator("form.tl-filter").is_hidden()
    assert page2.locator(".tl-item").first.is_visible()


# --- links -------------------------------------------------------------------------------------

class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attrs[name])
        if attrs.get("data-graph"):  # a diagram reader.js fetches
            self.links.append(attrs["data-graph"])


def test_every_internal_link_resolves(base_url):
    """Crawl the site from the home page over HTTP; every page, file and #anchor must exist,
    and every link inside the diagrams (SVG files, links relative to each file)."""
    pages: dict[str, _Links] = {}
    files: set[str] = set()
    queue, seen, missing = [base_url], {base_url}, []
    wanted_anchors: list[tuple[str, str, str]] = []
    while queue:
        url = queue.pop()
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                kind = response.headers.get_content_type()
                body = response.read()
        except urllib.error.HTTPError as exc:
            missing.append(f"{url} ({exc.code})")
            continue
        if kind not in ("text/html", "image/svg+xml"):
            files.add(url)
            continue
        parser = _Links()
        parser.feed(body.decode("utf-8"))
        if kind == "text/html":
            pages[url] = parser
        else:
            files.add(url)
        for link in parser.links:
            target = urljoin(url, link)
            if urlsplit(target).hostname != "127.0.0.1":
                continue  # external sources are cited, not crawled
            plain, fragment = urldefrag(target)
            plain = plain.split("?")[0]
            if fragment:
                wanted_anchors.append((url, plain, fragment))
            if plain not in seen:
                seen.add(plain)
                queue.append(plain)
    bad_anchors = [f"{src} -> {page}#{frag}" for src, page, frag in wanted_anchors
                   if page in pages and frag not in pages[page].ids]
    assert missing == []
    assert bad_anchors == []
    assert len(pages) >= 60  # every record page was reached
    assert {base_url + "data/briefing.json", base_url + "data/people.csv"} <= files
    assert base_url + "graphs/zelensky.svg" in files
    people = json.loads(urllib.request.urlopen(base_url + "data/people.json", timeout=10).read())
    assert "zelensky" in {p["id"] for p in people}


# --- print -------------------------------------------------------------------------------------

def test_brief_prints_on_one_a4_page(open_page):
    page, rec = open_page("brief/")
    page.emulate_media(media="print")
    SHOTS.mkdir(exist_ok=True)
    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    (SHOTS / "brief.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
    assert pages == 1, f"the brief prints on {pages} pages"
    # What is printed: the brief, without the site's header, tabs or sidebars.
    assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()
    assert page.locator(".brief h2").count() >= 3
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    shot(page, "brief-print")
    assert rec.errors == []
