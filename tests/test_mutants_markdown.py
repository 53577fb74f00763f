"""Markdown building blocks, the promises mutation testing found unguarded (see README, "Mutation
testing"): dates in words, links between pages, tables, front matter and link targets, as units
(the pages they make are checked whole by the slower site tests)."""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.markdown import (_relpath, _yaml_str, badge, clip, date_key, format_date, front_matter, href,
                                in_language, link, listing_page, long_date, page_of, ref_link, ref_list,
                                same_date_words, table, url_target)
from generator.index import Record
from generator.pipeline import check

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
INFERRED = '<span class="inferred" title="worked out, not stated in the source">inferred</span>'


@pytest.fixture(scope="module")
def index():
    return check(FIXTURE).index


@pytest.mark.parametrize("value, words", [
    ("2025-05-17", "17 May 2025"), ("2025-01-09", "9 January 2025"), ("2025-12-31", "31 December 2025"),
    ("2022-03", "March 2022"), ("2022-01", "January 2022"), ("2022-12", "December 2022"), ("2015", "2015"),
    ("2025-13-01", "2025-13-01"), ("2025-13", "2025-13"), ("x-y", "x-y"), ("a-b-c", "a-b-c"), ("", ""),
])
def test_long_date(value, words):
    assert long_date(value) == words


def test_format_date_with_words_and_inferred():
    date = {"value": "2025-05-17", "words": "yesterday", "inferred": True}
    assert format_date(date) == f"17 May 2025 (“yesterday”; {INFERRED})"
    assert format_date(date, words=False) == f"17 May 2025 ({INFERRED})"
    assert format_date({"value": "2025-05-17", "words": "yesterday"}) == "17 May 2025 (“yesterday”)"
    assert format_date({"value": "2025-05-17", "words": "17 May 2025"}) == "17 May 2025"
    assert format_date({"value": "2025-05"}) == "May 2025"
    assert format_date({}) == "" and format_date("2025") == ""
    assert format_date({"value": "2025", "words": "a *bold* year"}) == "2025 (“a \\*bold\\* year”)"


@pytest.mark.parametrize("words, value, same", [
    ("June 12th, 2026", "2026-06-12", True), (" 2026-06-12 ", "2026-06-12", True), ("12 June", "2026-06-12", False),
    ("1st March 2022", "2022-03-01", True), ("2nd and 3rd March 2022", "2022-03-02", False),
    ("March 2022", "2022-03", True), ("in March 2022", "2022-03", False), ("2015", "2015", True),
])
def test_same_date_words(words, value, same):
    assert same_date_words(words, value) is same


def test_date_key():
    assert date_key({"value": "2025-05"}) == "2025-05"
    assert date_key({}) == "" and date_key("2025") == ""


def test_table():
    assert table(["A", "B"], [["x", ""], ["y", "z"]]) == ["| A | B |", "|---|---|", "| x |   |", "| y | z |"]
    assert table(["Only"], []) == ["| Only |", "|---|"]


def test_front_matter():
    assert front_matter("  a <b>\n &c ") == '---\ntitle: "a &lt;b&gt; &amp;c"\n---\n\n'
    assert front_matter("T", tags=["person", "x<y"], search_exclude=True, robots="noindex") == (
        '---\ntitle: "T"\ntags: ["person", "x&lt;y"]\nsearch:\n  exclude: true\nrobots: "noindex"\n---\n\n')
    assert front_matter("T", tags=[], robots=None) == '---\ntitle: "T"\n---\n\n'


def test_yaml_strings_escape_what_yaml_forbids():
    assert _yaml_str("a\x85b\ud800\ufffe\uffff\x7f") == '"a\\u0085b\\ud800\\ufffe\\uffff\\u007f"'
    assert _yaml_str('say "hi"') == '"say \\"hi\\""'


def test_url_target():
    assert url_target("https://ex.org/a b|c`d\\e>f?q=1&r=[2]#h~%20") == \
        "https://ex.org/a%20b%7Cc%60d%5Ce%3Ef?q=1&r=[2]#h~%20"
    assert url_target("https://ex.org/p;x=1,y=2/@me!$'()*+") == "https://ex.org/p;x=1,y=2/@me!$'()*+"


def test_clip():
    assert clip("one two three four", 9) == "one two…"
    assert clip("one two", 7) == "one two"
    assert clip(" a  b ") == "a b"
    assert clip("word " * 20) == ("word " * 16).strip() + "…"


def test_listing_pages():
    assert listing_page("quotes") == "quotes/index.md"
    assert listing_page("quotes", 2) == "quotes/page-2.md"


@pytest.mark.parametrize("from_page, to_page, anchor, link_", [
    ("people/a.md", "people/b.md", "", "b.md"),
    ("people/a.md", "people/a.md", "x", "#x"),
    ("people/a.md", "people/a.md", "", "a.md"),
    ("people/a.md", "index.md", "", "../index.md"),
    ("index.md", "people/a.md", "", "people/a.md"),
    ("a/b/c.md", "a/d/e.md", "k", "../d/e.md#k"),
    ("a/b/c.md", "a/b/d/e.md", "", "d/e.md"),
    ("p/q/s/t/x.md", "p/q/r.md", "", "../../r.md"),
    ("p/q/s/x.md", "p/x.md", "", "../../x.md"),
    ("ab/x.md", "a/y.md", "", "../a/y.md"),
    ("c/x.md", "a/../b.md", "", "../b.md"),
])
def test_href(from_page, to_page, anchor, link_):
    assert href(from_page, to_page, anchor) == link_


def test_relpath_from_the_top():
    assert _relpath("a/b.md", "") == "a/b.md"


def test_links_to_records(index):
    berg, quote = index.get("berg"), index.get("first-step")
    assert page_of(berg) == "people/berg.md" and page_of(quote) == "quotes/index.md"
    assert link("index.md", berg) == "[Anna Berg](people/berg.md)"
    assert link("people/olsen.md", berg) == "[Anna Berg](berg.md)"
    assert link("index.md", berg) == "[Anna Berg](people/berg.md)"  # (remembered per folder)
    assert link("people/berg.md", berg, "A <b>") == "[A &lt;b&gt;](berg.md)"
    assert link("index.md", quote) == "[a first step toward peace\\.](quotes/index.md#first-step)"
    assert link("quotes/index.md", quote) == "[a first step toward peace\\.](#first-step)"
    assert link("people/berg.md", quote) == "[a first step toward peace\\.](../quotes/index.md#first-step)"


def test_references_to_records(index):
    assert ref_link("index.md", index, "berg") == "[Anna Berg](people/berg.md)"
    assert ref_link("index.md", index, "nobody*") == "nobody\\*"
    assert ref_link("index.md", index, 3) == "3"
    assert ref_link("index.md", index, ["berg"]) == "\\['berg'\\]"  # (a list where an id belongs)
    assert ref_list("index.md", index, ["berg", "x"]) == "[Anna Berg](people/berg.md), x"
    assert ref_list("index.md", index, None) == ""


def test_badge():
    assert badge("in-force") == '<span class="badge badge-in-force">in\\-force</span>'
    assert badge("a<b>") == '<span class="badge badge-ab">a&lt;b&gt;</span>'


def test_in_language():
    assert in_language("هالة", "ar") == '<span lang="ar" dir="rtl">هالة</span>'
    assert in_language("Anna", "sv") == '<span lang="sv">Anna</span>'
    assert in_language("<b>", None) == "&lt;b&gt;"
    assert in_language("x", "xx-!!") == "x"


def test_clip_keeps_80_characters_by_default():
    assert clip("x" * 80) == "x" * 80
    assert clip("x" * 81) == "x" * 80 + "…"


def test_a_record_on_a_later_listing_page():
    quote = Record("quote", "q", "content/quotes/q.yaml", {"text": "Q"})
    quote.listing_number = 3  # (render_site numbers the records of split listings)
    assert page_of(quote) == "quotes/page-3.md"
    assert link("people/berg.md", quote) == "[Q](../quotes/page-3.md#q)"


def test_a_link_with_its_own_text_to_a_record_on_a_listing_keeps_the_anchor(index):
    assert link("people/berg.md", index.get("first-step"), "words") == "[words](../quotes/index.md#first-step)"


def test_links_remembered_per_folder_not_per_top_folder():
    berg = Record("person", "berg", "content/people/berg.yaml", {"name": "Anna Berg"})
    assert link("a/b/x.md", berg) == "[Anna Berg](../../people/berg.md)"
    assert link("a/y.md", berg) == "[Anna Berg](../people/berg.md)"
    assert link("a/b/z.md", berg) == "[Anna Berg](../../people/berg.md)"


def test_a_date_of_words_only():
    assert format_date({"words": "late Wednesday"}) == " (“late Wednesday”)"
    assert format_date({"words": "None"}) == " (“None”)"


def test_a_link_to_an_anchor_is_remembered_per_page_not_per_folder():
    quote = Record("quote", "q", "content/quotes/q.yaml", {"text": "Q"})
    assert link("quotes/index.md", quote) == "[Q](#q)"  # on its own listing page
    assert link("quotes/page-2.md", quote) == "[Q](index.md#q)"  # another page of the same folder
