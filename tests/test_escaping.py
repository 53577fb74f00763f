"""Output safety: no text from YAML reaches the HTML as markup.

Three layers: `esc()` and friends as units; a property test (hypothesis) rendering random
text through the same Python-Markdown extensions MkDocs uses; and one full `briefing build`
of a project whose every text field, in every kind, holds a hostile string.
"""
from __future__ import annotations

import copy
import functools
import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from conftest import copy_fixture
from generator.index import build_index
from generator.kinds import KINDS, _resolve, schema  # (the schemas' $ref resolver, shared with index)
from generator.load import _CONTROL as CONTROL
from generator.load import Document
from generator.markdown import esc, front_matter, table, url_target
from generator.pipeline import check
from generator.render import render_record, render_site

MKDOCS = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini" / "mkdocs.yml").read_text(encoding="utf-8"))
EXTENSIONS = [e if isinstance(e, str) else next(iter(e)) for e in MKDOCS["markdown_extensions"]]
EXTENSION_CONFIGS = {next(iter(e)): next(iter(e.values())) for e in MKDOCS["markdown_extensions"]
                     if isinstance(e, dict)}
SITE_NAME = MKDOCS["site_name"]

HOSTILE = (
    "<script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "a | b | c",
    "*star* _under_ **strong** __dunder__",
    "[x](javascript:alert(1))",
    "{#id} {: .cls onclick=alert(1) }",
    "&amp; &lt;b&gt; &#60;i&#62;",
    "`code` ``two``",
    "# heading",
    "1. item",
    "> quote",
    "- item",
    "<!-- comment",
    "<img src=x onerror=alert(1)>",
    "back\\slash\\",
    "<https://evil.example/>",
    "![img](https://evil.example/x.png)",
    "{{ config }} {% raw %}",
    "[[wiki]] [^1] ~~strike~~ ==mark==",
    "line one\n\n# line two\n| c | d |",
)
"""Strings that would become markup if any text reached the HTML unescaped."""
PLAIN = "Plain words"
"""A harmless string: its group of records is the structural baseline for the hostile ones."""
URL = "https://example.org/p|q*r_s`t`(u)[v]{w}&x=1'y\\z"
"""A URL the schema accepts that is full of Markdown specials."""


def collapse(text: str) -> str:
    """Whitespace runs folded to one space (as `esc()` and HTML rendering do)."""
    return " ".join(text.split())


def md_to_html(text: str) -> str:
    """Markdown to HTML with the extensions and settings of mkdocs.yml."""
    return markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS)


WRAPPED = {"text", "tspan"}
"""SVG elements repeated once per line of a wrapped label."""


class Parsed(HTMLParser):
    """Elements, visible text, scripts, comments, title and tables of an HTML document."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict, str]] = []
        self.comments: list[str] = []
        self.title = ""
        self.h1 = ""
        self.tables: list[list[int]] = []
        self._stack: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "script":
            self.scripts.append((attrs, ""))
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append(0)
        elif tag in ("td", "th"):
            self.tables[-1][-1] += 1
        if tag not in ("meta", "link", "input", "path", "br", "hr", "img"):
            self._stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self._stack:
            while self._stack.pop() != tag:
                pass

    def handle_data(self, data):
        where = self._stack[-1] if self._stack else ""
        if where == "script":
            self.scripts[-1] = (self.scripts[-1][0], self.scripts[-1][1] + data)
        elif where == "title" and "head" in self._stack:
            self.title += data
        elif where != "style":
            self.text.append(data)
            if "h1" in self._stack:
                self.h1 += data

    def handle_comment(self, data):
        self.comments.append(data)

    @property
    def visible(self) -> str:
        """Body text, whitespace-collapsed."""
        return collapse(" ".join(self.text))

    def tags(self) -> Counter:
        """How often each element occurs."""
        return Counter(tag for tag, _ in self.elements)

    def skeleton(self) -> Counter:
        """Elements with their attribute names and classes: the page's structure without its text.

        SVG `<text>` lines count once: a graph wraps a long name over more lines. Only the first
        class counts: `badge badge-agreed` is a `badge` (which records a truncated list shows
        depends on how titles sort, and so does the mix of statuses).
        """
        out = Counter((tag, tuple(sorted(attrs)), (attrs.get("class") or "").split(" ")[0])
                      for tag, attrs in self.elements)
        for key in out:
            if key[0] in WRAPPED:
                out[key] = 1
        return out


# --- units -------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", HOSTILE)
def test_esc_renders_as_the_same_text_in_a_paragraph(text):
    out = md_to_html(esc(text))
    page = Parsed(out)
    assert [tag for tag, _ in page.elements] == ["p"], out
    assert page.visible == collapse(text)


@pytest.mark.parametrize("text", HOSTILE)
def test_esc_keeps_table_columns(text):
    out = md_to_html("\n".join(table(["A", "B", "C"], [[esc(text), esc(text), "x"]])))
    page = Parsed(out)
    assert page.tables == [[3, 3]], out
    assert page.tags() == Counter({"td": 3, "th": 3, "tr": 2, "table": 1, "thead": 1, "tbody": 1})
    assert page.visible.count(collapse(text)) == 2


@pytest.mark.parametrize("text", HOSTILE)
def test_esc_in_a_heading_keeps_the_given_id(text):
    out = md_to_html(f"## {esc(text)} {{#given}}")
    page = Parsed(out)
    assert [tag for tag, _ in page.elements] == ["h2", "a"]
    assert page.elements[0][1] == {"id": "given"}
    assert collapse(text) in page.visible


def test_esc_escapes_html_and_markdown_specials():
    assert esc("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert esc("a|b*c_d[e](f)") == r"a\|b\*c\_d\[e\]\(f\)"
    assert esc("  two\n\nlines ") == "two lines"


def test_url_target_percent_encodes_what_would_break_a_table():
    assert url_target(URL) == "https://example.org/p%7Cq*r_s%60t%60(u)[v]%7Bw%7D&x=1'y%5Cz"
    out = md_to_html("\n".join(table(["Field", "Value"], [["Address", f"[{esc(URL)}](<{url_target(URL)}>)"]])))
    page = Parsed(out)
    assert page.tables == [[2, 2]], out
    links = [attrs for tag, attrs in page.elements if tag == "a"]
    assert links == [{"href": "https://example.org/p%7Cq*r_s%60t%60(u)[v]%7Bw%7D&x=1'y%5Cz"}]
    assert URL in page.visible


@pytest.mark.parametrize("text", HOSTILE + ("yes", "12:30", "---", "a: b", "'\"", "x" * 300))
def test_front_matter_title_is_html_escaped_and_round_trips(text):
    body, meta = get_data(front_matter(text) + "# Heading\n")
    assert body == "# Heading\n"
    assert meta["title"] == html.escape(collapse(text))


# --- property test -----------------------------------------------------------------------------

def person_page(name: str, role: str, summary: str) -> str:
    """The rendered Markdown page of a person with these texts (plus a fixed organization and source)."""
    docs = [
        Document("content/people/p.yaml", "person", "p", {
            "name": name, "role": role, "summary": summary, "affiliations": ["o"],
            "sources": [{"source": "s", "excerpt": "words"}]}),
        Document("content/organizations/o.yaml", "organization", "o", {"name": "Org", "type": "state"}),
        Document("content/sources/s.yaml", "source", "s", {"title": "Src"}),
    ]
    index, problems = build_index(docs)
    assert problems == []
    return render_record(index, index.get("p"))


@functools.cache
def baselines() -> tuple:
    """The skeletons of harmless persons: an ASCII name, and one with accents, which adds an "also
    written" line (its folded spelling, for search). Made when first asked for, not at import: a
    module that fails to import fails no test (mutmut then takes a broken renderer for a timeout)."""
    found = tuple(Parsed(md_to_html(get_data(person_page(name, "Role", "Summary"))[0])).skeleton()
                  for name in ("Name", "Nämé"))
    assert found[0] != found[1]
    return found


# Any text `check` lets through: it rejects control characters (control-char) and blank text
# (empty), and Python-Markdown would drop STX/ETX, its own placeholder markers, anyway.
checked_text = st.text().map(lambda s: CONTROL.sub("", s)).filter(lambda s: s.strip())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(checked_text, checked_text, checked_text)
def test_random_text_never_becomes_markup(name, role, summary):
    body, meta = get_data(person_page(name, role, summary))
    assert meta["title"] == html.escape(collapse(name))
    page = Parsed(md_to_html(body))
    # The elements, attribute names and classes of a harmless person: nothing came from the text.
    # (Attribute values may differ: a graph's width follows the length of the name.)
    assert page.skeleton() in baselines()
    assert not [attrs for tag, attrs in page.elements if tag == "a" and attrs.get("href", "").startswith("java")]
    for text in (name, role, summary):
        assert collapse(text) in page.visible


# --- one full build with hostile strings in every text field of every kind ---------------------

def rid(kind: str, group: int) -> str:
    """Id of the record of `kind` in hostile group `group`."""
    return f"{kind}-{group}"


def tagged(text: str, where: str) -> str:
    """The hostile text marked with the field it was put in, to tell which field shows it."""
    return f"{text} ‹{where}›"


def fill(node: dict, base: dict, text: str, group: int, where: str, alt: bool = False):
    """A value for a schema node with `text` (tagged with its field) in every free-text string.

    Walks the schema, so a text field added later is covered without touching this test.
    `alt`: a different value of the same field (a second source's account of it).
    """
    while "$ref" in node and "x-ref" not in node:
        node, base = _resolve(node, base)
    if "x-ref" in node:
        other = node["x-ref"] != ["source"] and alt  # an account's excerpt is in its own group's source
        return rid(node["x-ref"][0], (group + 1) % len(GROUPS) if other else group)
    if "allOf" in node:  # an account: its value is the disputed field's
        merged = {}
        for sub in node["allOf"]:
            sub, sub_base = _resolve(sub, base)
            merged.update({name: (prop, sub_base) for name, prop in sub.get("properties", {}).items()})
        return {name: fill(prop, b, text, group, f"{where}.{name}", alt) for name, (prop, b) in merged.items()}
    kind = node.get("type")
    if kind == "object":
        return {name: fill(sub, base, text, group, f"{where}.{name}", alt) for name, sub in node["properties"].items()}
    if kind == "array":
        return [fill(node["items"], base, text, group, where, alt or i > 0) for i in range(node.get("minItems", 1))]
    if kind == "boolean":
        return True
    if "enum" in node:
        return node["enum"][-1 if alt else 0]
    if node.get("x-format") == "language-tag":
        return "ar-SA" if alt else "el"
    pattern = node.get("pattern", "")
    if pattern.startswith("^https?"):
        return URL
    if pattern.startswith("^[0-9]{4}"):
        return "2025-05-15" if alt else "2025-05-16"
    if pattern.startswith("^[a-z0-9]"):  # ids of records no longer there (former ids, replaced records)
        return f"{where.rsplit('.', 1)[-1].replace('_', '-')}-{where.split('.')[0]}-{group}"
    assert kind == "string" and not pattern, f"no filler for {node}"
    return tagged(text, where + (" (another account)" if alt else ""))


def hostile_record(kind: str, text: str, group: int) -> dict:
    """A record of `kind` with every field filled, citing its group's source; every field that
    can be disputed is, by two accounts (the first giving the record's own value)."""
    root = schema(kind)
    data = {name: fill(sub, root, text, group, f"{kind}.{name}") for name, sub in root["properties"].items()
            if name != "id"}
    if "sources" in data:
        excerpt = tagged(text, f"{kind}.sources.excerpt")
        if kind in ("person", "organization"):  # an excerpt names its person or organization (name-not-cited)
            excerpt += " " + data["name"]
        data["sources"] = [{"source": rid("source", group), "excerpt": excerpt,
                            "note": tagged(text, f"{kind}.sources.note")}]
    for field, listed in data.get("disputes", {}).items():
        listed[0]["value"] = copy.deepcopy(data[field])  # (shared objects would be dumped as YAML anchors)
    return data


def text_fields(data, path=()) -> list[str]:
    """Every free-text value of a record filled by `hostile_record`."""
    if isinstance(data, dict):
        return [t for key, value in data.items() for t in text_fields(value, path + (key,))]
    if isinstance(data, list):
        return [t for value in data for t in text_fields(value, path)]
    return [data] if isinstance(data, str) and "‹" in data else []


GROUPS = HOSTILE + (PLAIN,)
BASE_GROUP = len(HOSTILE)


def add_groups(project, texts) -> None:
    """Add one record of every kind per text (group i uses texts[i]) to the project."""
    for group, text in enumerate(texts):
        records = {kind: hostile_record(kind, text, group) for kind in KINDS}
        # the source text holds every string, so excerpts, quote texts and date words verify
        quoted = "\n\n".join(t for data in records.values() for t in text_fields(data))
        project.write(f"content/sources/{rid('source', group)}.txt", f"Opening words.\n\n{quoted}\n\nClosing words.\n",
                      dedent=False)
        for kind, data in records.items():
            project.write(f"content/{KINDS[kind].plural}/{rid(kind, group)}.yaml",
                          yaml.safe_dump(data, allow_unicode=True, sort_keys=False), dedent=False)


@pytest.fixture(scope="module")
def hostile_project(tmp_path_factory):
    """Build once: the mini fixture plus one record of every kind per hostile string."""
    project = copy_fixture(tmp_path_factory.mktemp("hostile") / "project")
    add_groups(project, GROUPS)
    result = project.run("build", "--strict")
    assert result.code == 0, result.out + result.err
    return project


@pytest.fixture(scope="module")
def hostile_site(hostile_project):
    """The built site/ of the hostile project."""
    return hostile_project.root / "site"


def page_of(site: Path, kind: str, group: int) -> Path:
    """Built HTML page showing the record (its own page or its kind's index)."""
    k = KINDS[kind]
    return site / k.plural / (f"{rid(kind, group)}/index.html" if k.has_pages else "index.html")


# Elements the hostile strings would create if they reached the HTML as markup; neither the
# theme nor the renderer uses them. (Structure is compared exactly in the tests further down.)
FORBIDDEN_TAGS = {"img", "b", "i", "code", "pre", "iframe", "object", "embed", "del", "mark", "sup", "hr", "h4",
                  "h5", "h6", "br"}
MATERIAL_INLINE_SCRIPTS = ("__md_scope=", "var palette=", "var target=document.getElementById")


def test_hostile_build_has_only_theme_and_renderer_elements(hostile_site):
    pages = sorted(hostile_site.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        page = Parsed(path.read_text(encoding="utf-8"))
        tags = page.tags()
        assert not set(tags) & FORBIDDEN_TAGS, (path, set(tags) & FORBIDDEN_TAGS)
        assert all(re.fullmatch(r"[a-z][a-z0-9]*", tag) for tag in tags), (path, sorted(tags))  # no `<https:…>`
        assert tags.get("h1", 0) <= 1, path
        assert [tag for tag, _ in page.elements].index("title") < [tag for tag, _ in page.elements].index("body")
        for tag, attrs in page.elements:
            assert not any(name.startswith("on") for name in attrs), (path, tag, attrs)
            for name in ("href", "src"):
                assert not (attrs.get(name) or "").lower().startswith(("javascript:", "data:")), (path, attrs)
            assert "alert(1)" not in "".join(str(v) for k, v in attrs.items() if k not in ("aria-label", "title")), \
                (path, tag, attrs)
        for attrs, code in page.scripts:
            if "src" in attrs:
                assert re.fullmatch(r"/?(\.\./)*assets/javascripts/bundle\.[0-9a-f]+\.min\.js", attrs["src"]), attrs
            elif attrs.get("type") in ("application/json", "application/ld+json"):
                json.loads(code)  # data, not code (Material's config, structured data)
                assert "<" not in code, (path, code[:80])  # so no `</script>` can end it early
            else:
                assert code.startswith(MATERIAL_INLINE_SCRIPTS) and "alert" not in code, (path, code[:80])
        assert page.comments == [], (path, page.comments)
        for rows in page.tables:
            assert len(set(rows)) == 1, (path, rows)


def test_every_hostile_page_has_the_structure_of_its_plain_twin(hostile_project, tmp_path):
    """Each generated page, hostile strings replaced by plain words, yields the same elements,
    attribute names and classes (compared without order: records sort by their titles).

    Not the home page and the brief: their capped sections show the first records by title, so
    the hostile titles pick other records (disputed ones or not) than the plain ones do; the
    build test above checks every element of them."""
    twin = copy_fixture(tmp_path / "twin")
    add_groups(twin, [PLAIN] * len(GROUPS))
    hostile, plain = check(hostile_project.root), check(twin.root)
    assert hostile.ok and plain.ok
    hostile_pages, plain_pages = render_site(hostile.index), render_site(plain.index)
    assert set(hostile_pages) == set(plain_pages)
    compared = 0
    for path in sorted(hostile_pages):
        if path.endswith(".md") and path not in ("index.md", "brief.md"):
            got = Parsed(md_to_html(get_data(hostile_pages[path])[0])).skeleton()
            assert got == Parsed(md_to_html(get_data(plain_pages[path])[0])).skeleton(), path
            compared += 1
    assert compared > 100


@pytest.mark.parametrize("kind", [k for k in KINDS if KINDS[k].has_pages])
def test_hostile_record_pages_have_the_structure_of_a_plain_one(hostile_site, kind):
    base = Parsed(page_of(hostile_site, kind, BASE_GROUP).read_text(encoding="utf-8"))
    for group, text in enumerate(HOSTILE):
        page = Parsed(page_of(hostile_site, kind, group).read_text(encoding="utf-8"))
        assert page.skeleton() == base.skeleton(), (kind, text)


NOT_SHOWN = {"assessment.author_note"}
"""Fields the renderer may leave out: `author_note` is shown only when there is no `author`."""


@pytest.mark.parametrize("kind", list(KINDS))
def test_hostile_text_of_every_field_is_shown_literally(hostile_site, kind):
    for group, text in enumerate(HOSTILE):
        path = page_of(hostile_site, kind, group)
        raw = path.read_text(encoding="utf-8")
        page = Parsed(raw)
        data = yaml.safe_load((hostile_site.parent / "content" / KINDS[kind].plural / f"{rid(kind, group)}.yaml")
                              .read_text(encoding="utf-8"))
        fields = text_fields(data)
        assert len(fields) >= 4
        missing = {value.split("‹")[1].rstrip("›") for value in fields if collapse(value) not in page.visible}
        assert missing <= NOT_SHOWN, (path, missing - NOT_SHOWN)
        if KINDS[kind].has_pages:
            title = collapse(data[KINDS[kind].title_field])
            assert collapse(page.title) == f"{title} - {SITE_NAME}"
            header = re.search(r'data-md-component="header-topic">\s*<span class="md-ellipsis">(.*?)</span>', raw,
                               re.DOTALL)
            assert html.unescape(collapse(header.group(1))) == title
            assert collapse(page.h1).removesuffix("¶").strip() == title


def test_hostile_title_is_escaped_in_raw_html(hostile_site):
    raw = page_of(hostile_site, "person", HOSTILE.index("</title><script>alert(1)</script>")).read_text(
        encoding="utf-8")
    assert "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; ‹person.name› - " in raw
    assert raw.count("<script>alert(1)") == 0
    raw = page_of(hostile_site, "person", HOSTILE.index("&amp; &lt;b&gt; &#60;i&#62;")).read_text(encoding="utf-8")
    # shown as typed, not decoded
    assert "<title>&amp;amp; &amp;lt;b&amp;gt; &amp;#60;i&amp;#62; ‹person.name› - " in raw


def test_hostile_index_tables_have_one_row_per_record(hostile_site):
    for kind in ("person", "organization", "demand", "agreement", "event", "source"):
        page = Parsed((hostile_site / KINDS[kind].plural / "index.html").read_text(encoding="utf-8"))
        assert len(page.tables) == 1
        records = len(GROUPS) + len(list((Path(__file__).parent / "fixtures/mini/content" / KINDS[kind].plural)
                                         .glob("*.yaml")))
        assert len(page.tables[0]) == records + 1, kind


def test_hostile_url_is_encoded_and_keeps_the_table(hostile_site):
    page = Parsed(page_of(hostile_site, "source", 0).read_text(encoding="utf-8"))
    hrefs = [attrs["href"] for tag, attrs in page.elements if tag == "a" and "example.org" in attrs.get("href", "")]
    assert hrefs == ["https://example.org/p%7Cq*r_s%60t%60(u)[v]%7Bw%7D&x=1'y%5Cz"]
    assert URL in page.visible


def test_hostile_search_index_holds_no_markup_from_input(hostile_site):
    """Material shows search titles and texts as HTML, so they must be escaped HTML too."""
    docs = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    titles = set()
    for doc in docs:
        for field in ("title", "text"):
            parsed = Parsed(doc[field])
            assert set(parsed.tags()) <= {"p", "ul", "li", "ol", "blockquote", "table", "tr", "td", "th"}, doc
            assert all(not attrs for _, attrs in parsed.elements), doc
        titles.add(collapse(Parsed(doc["title"]).visible))
    for text in HOSTILE:
        assert collapse(tagged(text, "person.name")) in titles, text
