"""A second story, about nothing the first one is about: names in Arabic, Greek and Cyrillic
script, diacritics, an apostrophe and an ampersand, and a title full of Markdown and HTML
specials. Built with MkDocs (`--strict`) and with Zensical, and searched in Chromium on both.

The fixture (tests/fixtures/nicosia) is a fictional article and its records.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from browsing import material_search, serving, zensical_search
from conftest import REPO
from generator.cli import main
from generator.kinds import KINDS
from generator.pipeline import check, copy_site_inputs
from sitecheck import broken_links, parse_page

STORY = Path(__file__).parent / "fixtures" / "nicosia"
"""The second fixture story: content/ and its mkdocs.yml."""

SPECIAL_TITLE = "Cap draws at <50% of the *summer* flow & publish [daily] figures | `no` <b>exceptions</b> #1"
"""The demand whose title is made of Markdown and HTML specials (as in its YAML file)."""


@pytest.fixture(scope="module")
def story(tmp_path_factory) -> Path:
    """The second story built with `briefing build --strict` (MkDocs)."""
    root = tmp_path_factory.mktemp("nicosia")
    shutil.copytree(STORY / "content", root / "content")
    copy_site_inputs(REPO, root, config=STORY / "mkdocs.yml")
    assert main(["--root", str(root), "build", "--strict"]) == 0
    return root


@pytest.fixture(scope="module")
def zensical_site(story, tmp_path_factory) -> Path:
    """The same site_src built by Zensical."""
    root = tmp_path_factory.mktemp("nicosia-zensical")
    shutil.copytree(story / "site_src", root / "site_src")
    copy_site_inputs(REPO, root, config=STORY / "mkdocs.yml")
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run([str(zensical), "build"], cwd=root, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "site"


class Elements(HTMLParser):
    """(tag, attributes, text) of every element of a page, text including its descendants'."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict, list[str]]] = []
        self._open: list[list[str]] = []

    def handle_starttag(self, tag, attrs):
        text: list[str] = []
        self.elements.append((tag, dict(attrs), text))
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):  # void: no end tag
            self._open.append(text)

    def handle_endtag(self, tag):
        if self._open:
            self._open.pop()

    def handle_data(self, data):
        for text in self._open:
            text.append(data)


def elements(page: Path) -> list[tuple[str, dict, str]]:
    """(tag, attributes, text) of every element of a built page."""
    parser = Elements()
    parser.feed(page.read_text(encoding="utf-8"))
    return [(tag, attrs, "".join(text)) for tag, attrs, text in parser.elements]


def h1(page: Path) -> str:
    """The text of a page's heading, without the permalink sign."""
    return next(text for tag, _, text in elements(page) if tag == "h1").rstrip("¶").strip()


def test_the_story_checks_clean_and_every_link_resolves(story):
    assert check(story).problems == []
    assert broken_links(story / "site") == []


def test_nothing_on_the_site_comes_from_the_first_story(story):
    config = yaml.safe_load((STORY / "mkdocs.yml").read_text(encoding="utf-8"))
    site = story / "site"
    assert h1(site / "index.html") == config["site_name"]
    descriptions = [attrs["content"] for tag, attrs, _ in elements(site / "index.html")
                    if tag == "meta" and attrs.get("name") == "description"]
    assert descriptions == [config["site_description"]]
    # The home page's lead is the latest event's summary, from this story's content.
    lead = next(text for tag, attrs, text in elements(site / "index.html") if "lead" in attrs.get("class", "").split())
    assert lead.startswith("Eastland and Westmark held two days of talks")
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for word in ("Istanbul", "Russia", "Ukrain", "Zelensk", "Kremlin"):
            assert word not in text, (page, word)
    feed = (site / "feed.xml").read_text(encoding="utf-8")
    assert "<title>Briefing: the Eastland &amp; Westmark water talks (a fictional test story): what's new</title>" in feed


@pytest.mark.parametrize("record, text, lang, direction", [
    ("haddad", "هالة حداد", "ar", "rtl"),
    ("papadopoulos", "Νίκος Παπαδόπουλος", "el", None),
    ("petrov", "Иван Петров", "bg-BG", None),       # a tag with a region: no escaping in it
])
def test_native_names_are_marked_with_their_language_and_direction(story, record, text, lang, direction):
    spans = [attrs for tag, attrs, inner in elements(story / "site" / "people" / record / "index.html")
             if tag == "span" and inner == text and "lang" in attrs]
    assert spans == [{"lang": lang, **({"dir": direction} if direction else {})}]


def test_every_native_name_gets_a_latin_spelling_on_its_page(story):
    written = {rec: " ".join(parse_page(story / "site" / "people" / rec / "index.html").text)
               for rec in ("haddad", "papadopoulos")}
    assert "hlh hdd" in written["haddad"]                   # anyascii, Arabic
    assert "Nikos Papadopoylos" in written["papadopoulos"]  # anyascii, Greek
    assert "Νικος Παπαδοπουλος" in written["papadopoulos"]  # Greek without its accents
    oconnell = " ".join(parse_page(story / "site" / "people" / "oconnell" / "index.html").text)
    assert "Sean O'Connell" in oconnell
    levant = " ".join(parse_page(story / "site" / "organizations" / "levant-water-power" / "index.html").text)
    assert "Levant Water and Power Authority" in levant


def test_a_title_of_markdown_and_html_specials_is_shown_as_written(story):
    site = story / "site"
    page = site / "demands" / "summer-flow-cap" / "index.html"
    assert h1(page) == SPECIAL_TITLE
    assert f"<title>{SPECIAL_TITLE.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')} - " in \
        page.read_text(encoding="utf-8")
    # Wherever it is listed, it is one link whose text is the title; no page has a <b> or <em>
    # made from it, and no table is broken by its `|`.
    for listed in (site / "demands" / "index.html", site / "index.html", site / "organizations" / "eastland" / "index.html",
                   site / "organizations" / "westmark" / "index.html"):
        links = [(attrs, text) for tag, attrs, text in elements(listed)
                 if tag == "a" and attrs.get("href", "").rstrip("/").endswith("summer-flow-cap")]
        # A graph node's text is its tooltip (the whole title, then its kind) and its wrapped label.
        found = [("a", text) for attrs, text in links if "g-node" not in attrs.get("class", "")]
        assert all(text.startswith(SPECIAL_TITLE + " (demand") for attrs, text in links
                   if "g-node" in attrs.get("class", ""))
        # (listings clip long titles with an ellipsis)
        assert found and all(text == SPECIAL_TITLE or (text.endswith("…") and SPECIAL_TITLE.startswith(text[:-1]))
                             for _, text in found), (listed, found)
    for html_page in site.rglob("*.html"):
        assert not [text for tag, _, text in elements(html_page) if tag in ("b", "em", "code") and "exceptions" in text]


def test_apostrophes_and_ampersands_in_names(story):
    site = story / "site"
    assert h1(site / "people" / "oconnell" / "index.html") == "Seán O'Connell"
    assert h1(site / "organizations" / "levant-water-power" / "index.html") == "Levant Water & Power Authority"
    people = " ".join(parse_page(site / "people" / "index.html").text)
    assert "Seán O'Connell" in people and "Hélène Lefèvre-Müller" in people
    quote = " ".join(parse_page(site / "people" / "haddad" / "index.html").text)
    assert "We didn't get everything, but the river's future is now something we share" in quote


def test_a_date_is_not_repeated_when_the_source_words_it_the_same_way(story):
    site = story / "site"
    source = " ".join(" ".join(parse_page(site / "sources" / "river-accord" / "index.html").text).split())
    assert "14 March 2026" in source and "“14 March 2026”" not in source
    event = " ".join(" ".join(parse_page(site / "events" / "commission-named" / "index.html").text).split())
    assert "12 June 2026" in event and "“12 June 2026”" not in event
    # Words that say more than the date are kept.
    talks = " ".join(" ".join(parse_page(site / "events" / "nicosia-talks" / "index.html").text).split())
    assert "12 March 2026 (“Thursday, 12 March 2026”)" in talks
    timeline = " ".join(" ".join(parse_page(site / "timeline" / "index.html").text).split())
    assert "“12 June 2026”" not in timeline and "“in May”" in timeline


def test_zensical_builds_the_story(story, zensical_site):
    assert broken_links(zensical_site) == []
    index = check(story).index
    for kind in KINDS.values():
        for rec in index.by_kind.get(kind.name, []) if kind.has_pages else []:
            assert (zensical_site / kind.plural / rec.id / "index.html").is_file(), rec.id
    assert h1(zensical_site / "demands" / "summer-flow-cap" / "index.html") == SPECIAL_TITLE


# --- search, in a real browser, on both builds ----------------------------------------------------

QUERIES = [
    ("هالة حداد", "/people/haddad/"),                        # Arabic script
    ("Νίκος Παπαδόπουλος", "/people/papadopoulos/"),         # Greek script
    ("Νικος Παπαδοπουλος", "/people/papadopoulos/"),         # Greek typed without accents
    ("Иван Петров", "/people/petrov/"),                      # Cyrillic (Bulgarian)
    ("Hala Haddad", "/people/haddad/"),                      # Latin name
    ("Nikos Papadopoulos", "/people/papadopoulos/"),         # Latin name
    ("Helene Lefevre-Muller", "/people/lefevre-muller/"),    # without diacritics
    ("Sean O'Connell", "/people/oconnell/"),                 # without diacritics, with an apostrophe
    ("Hala al-Haddad", "/people/haddad/"),                   # an alias
    ("LWPA", "/organizations/levant-water-power/"),          # an alias
    ("Levant Water and Power", "/organizations/levant-water-power/"),  # "and" for "&", generated
    ("Nikos Papadopoylos", "/people/papadopoulos/"),         # generated from the Greek (anyascii)
]


@pytest.fixture(scope="module")
def story_urls(story, zensical_site):
    """Base URLs of the MkDocs and the Zensical build of the story, served while the tests run."""
    with serving(story / "site") as mkdocs_url, serving(zensical_site) as zensical_url:
        yield {"mkdocs": mkdocs_url, "zensical": zensical_url}


@pytest.fixture(scope="module")
def search_pages(chromium, story_urls):
    """The home page of each build, open for the whole module: each search replaces the last.
    One context each: a page in the background of a shared one has its timers slowed down."""
    contexts, pages = [], {}
    for builder, url in story_urls.items():
        contexts.append(chromium.new_context(viewport={"width": 1280, "height": 900}))
        pages[builder] = contexts[-1].new_page()
        pages[builder].goto(url)
        pages[builder].wait_for_load_state("networkidle")
    yield pages
    for context in contexts:
        context.close()


def searched(pages, builder: str, query: str) -> list[tuple[str, str]]:
    """The hits for `query` on one build."""
    return (material_search if builder == "mkdocs" else zensical_search)(pages[builder], query)


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
@pytest.mark.parametrize("query, expected", QUERIES)
def test_search_finds_the_record_first(search_pages, builder, query, expected):
    hits = searched(search_pages, builder, query)
    assert hits, f"no result for {query!r} on the {builder} build"
    assert hits[0][0] == expected, hits[:3]


@pytest.mark.parametrize("builder", ["mkdocs", "zensical"])
def test_an_unknown_name_finds_nothing(search_pages, builder):
    assert searched(search_pages, builder, "Шевченко") == []


def test_pages_with_names_in_other_scripts_pass_axe(search_pages, story_urls):
    """axe-core's language rules (valid-lang among them) and the rest of WCAG 2.1 A/AA, on the
    pages with Arabic, Greek and Cyrillic names and the title of specials."""
    from test_a11y import visit
    from test_axe import serious_violations

    page = search_pages["mkdocs"]
    found = {}
    for path in ("people/haddad/", "people/papadopoulos/", "people/petrov/", "demands/summer-flow-cap/", ""):
        visit(page, story_urls["mkdocs"] + path)
        if violations := serious_violations(page):
            found[path] = violations
    assert found == {}
