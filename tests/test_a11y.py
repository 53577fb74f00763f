"""Every reader, in Chromium: phones at 360 px, the keyboard alone, a diagram that does not move
the page, and print on A4 (axe-core in both colour schemes: test_axe.py)."""
from __future__ import annotations

import re

import pytest

from browsing import material_hits


PAGES = [
    "", "timeline/", "brief/", "whats-new/", "connections/",
    "people/", "organizations/", "demands/", "agreements/", "events/", "quotes/", "assessments/", "sources/",
    "people/zelensky/", "organizations/russia/", "demands/ukraine-30-day-ceasefire/",
    "agreements/prisoner-exchange-1000/", "events/istanbul-meeting/", "sources/istanbul-talks/",
]
"""Every kind of page: home, timeline, brief, What's new, the bigger diagram, every listing, one
record of each kind that has pages (quotes and assessments are shown in their listings), and a
source page."""


def visit(page, url: str) -> None:
    """Open a page and wait until it is complete: loaded, and its diagram (if any) in place."""
    page.goto(url, wait_until="load")
    page.wait_for_function("() => [...document.querySelectorAll('.rel-graph-wrap[data-graph]')]"
                           ".every(w => w.querySelector('svg.rel-graph:not(.rel-graph-placeholder)'))")


def test_no_page_scrolls_sideways_on_a_phone(open_page, base_url):
    page, _ = open_page("", viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True)
    base = base_url
    wide = {}
    for path in PAGES:
        visit(page, base + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            wide[path or "/"] = width
    assert wide == {}
    # Wide content scrolls inside its own box: the record's diagram, and tables.
    page.goto(base + "people/zelensky/")
    page.wait_for_selector(".rel-graph-wrap svg.rel-graph:not(.rel-graph-placeholder)")
    box = page.locator(".rel-graph-wrap")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX === 'auto'")
    # The home page briefs in a few phone screens: its capped sections end within five.
    page.goto(base)
    bottom = page.evaluate("document.querySelector('.home-brief').getBoundingClientRect().bottom")
    assert bottom < 5 * 740


def focus_ring(page) -> tuple[str, str, float, bool]:
    """(tag, text, outline width in px, whether it is in the page's content) of the focused
    element; the width is 0 when it shows no outline."""
    return page.evaluate("""() => {
        const e = document.activeElement, s = getComputedStyle(e);
        const width = s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth);
        return [e.tagName, (e.textContent || '').trim().slice(0, 40), width, !!e.closest('.md-content')];
    }""")


def tab_until(page, selector: str, limit: int = 200) -> list[tuple[str, str, float, bool]]:
    """Press Tab until the focused element matches `selector`; every stop on the way."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stops.append(focus_ring(page))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return stops
    raise AssertionError(f"{selector} not reached with Tab; stops: {stops[-10:]}")


def test_the_listing_controls_work_from_the_keyboard_with_a_visible_focus(open_page):
    page, rec = open_page("people/")
    rows = page.locator(".data-table tbody tr:visible")
    total = rows.count()
    stops = tab_until(page, ".data-table-controls input")
    page.keyboard.type("Medinsky")
    page.wait_for_function("() => document.querySelectorAll('.data-table tbody tr:not([hidden])').length === 1")
    for _ in range(len("Medinsky")):
        page.keyboard.press("Backspace")
    page.wait_for_function(f"() => document.querySelectorAll('.data-table tbody tr:not([hidden])').length === {total}")
    stops += tab_until(page, ".sort-button")
    header = page.locator("th", has=page.locator(".sort-button:focus"))
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "ascending"
    page.keyboard.press("Enter")
    assert header.get_attribute("aria-sort") == "descending"
    # Every stop inside the page's content (links, the filters, the sort buttons) shows a focus ring.
    content = [s for s in stops if s[3]]
    assert {tag for tag, *_ in content} >= {"A", "INPUT", "SELECT", "BUTTON"}, content
    assert all(width >= 1 for _, _, width, _ in content), content
    assert rec.errors == []


def test_the_timeline_filter_and_the_diagram_work_from_the_keyboard(open_page):
    page, _ = open_page("timeline/")
    tab_until(page, "form.tl-filter select")
    assert focus_ring(page)[2] >= 2
    shown = page.locator(".tl-item:visible").count()
    page.keyboard.press("ArrowDown")  # the first party in the list
    page.wait_for_function(f"() => [...document.querySelectorAll('.tl-item')].filter(e => e.offsetParent).length < {shown}")
    page, _ = open_page("people/medinsky/")
    page.wait_for_selector(".rel-graph-wrap svg.rel-graph:not(.rel-graph-placeholder)")
    tab_until(page, ".rel-graph a.g-node")
    assert focus_ring(page)[2] >= 2
    target = page.evaluate("document.activeElement.getAttribute('href')")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(target)


def test_search_works_from_the_keyboard(open_page):
    page, _ = open_page("")
    page.keyboard.press("/")  # Material's shortcut to the search box
    assert page.evaluate("document.activeElement.matches('input.md-search__input')")
    page.keyboard.type("Hakan Fidan")
    material_hits(page)  # the last key's results drawn (an earlier key's list is replaced, focus and all)
    page.keyboard.press("ArrowDown")  # to the first result
    focused = page.evaluate("document.activeElement.getAttribute('href') || ''")
    assert "/people/fidan/" in focused
    # The selected result shows it: a background or a focus ring.
    assert page.evaluate("getComputedStyle(document.activeElement).backgroundColor") != "rgba(0, 0, 0, 0)" \
        or focus_ring(page)[2] >= 1
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/people/fidan/" in page.url


def test_the_diagram_reserves_its_space_before_it_loads(browser, base_url):
    """Cumulative layout shift on a record page with a diagram stays at or below 0.1."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        context.add_init_script("""
            window.__shift = 0;
            new PerformanceObserver(list => {
                for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
            }).observe({type: 'layout-shift', buffered: true});
        """)
        page = context.new_page()
        page.goto(base_url + "organizations/russia/")
        page.wait_for_selector(".rel-graph-wrap svg.rel-graph:not(.rel-graph-placeholder)")
        # Two frames after the drawing came, every shift it caused has been reported.
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        assert page.evaluate("window.__shift") <= 0.1
        # The placeholder had the drawing's own size.
        size = page.evaluate("() => { const s = document.querySelector('.rel-graph-wrap svg'); "
                             "return [s.getAttribute('width'), s.getAttribute('height')]; }")
        html = page.context.request.get(base_url + "organizations/russia/").text()
        assert f'class="rel-graph rel-graph-placeholder" width="{size[0]}" height="{size[1]}"' in html
    finally:
        context.close()


def hidden_in_print(page, selectors: list[str]) -> list[str]:
    """The selectors whose elements are displayed in print media (there should be none)."""
    return [s for s in selectors if page.evaluate(
        "s => [...document.querySelectorAll(s)].some(e => getComputedStyle(e).display !== 'none')", s)]


CHROME = [".md-header", ".md-tabs", ".md-sidebar", ".md-footer", ".md-search"]
"""What a printed page leaves out: header, tabs, navigation, footer, search."""


@pytest.mark.parametrize("javascript", [True, False])
def test_record_pages_print_on_a4_without_chrome_and_with_the_diagram_or_its_list(open_page, javascript):
    page, _ = open_page("people/medinsky/", java_script_enabled=javascript)
    if javascript:
        page.wait_for_selector(".rel-graph-wrap svg.rel-graph:not(.rel-graph-placeholder)")
    page.emulate_media(media="print")
    assert hidden_in_print(page, CHROME) == []
    if javascript:
        assert page.locator(".rel-graph-wrap svg.rel-graph").is_visible()
    else:
        assert not page.locator(".rel-graph-wrap").is_visible()
        assert page.locator("details.rel-graph-list li").first.is_visible()
    # Nothing is wider than an A4 sheet's printable width (210 mm less 2 × 13 mm margins).
    printable = (210 - 26) / 25.4 * 96
    page.set_viewport_size({"width": int(printable), "height": 1100})
    assert page.evaluate("document.documentElement.scrollWidth") <= int(printable) + 1
    pdf = page.pdf(format="A4", prefer_css_page_size=True)
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pdf.startswith(b"%PDF") and 1 <= sheets <= 6
