"""Language tags and scripts: direction, markup, and what the generator reads of mkdocs.yml."""
from __future__ import annotations

import pytest

from generator.languages import canonical, direction, tag_error
from generator.markdown import in_language
from generator.siteconfig import read_site_config


@pytest.mark.parametrize("text, expected", [
    ("هالة حداد", "rtl"),           # Arabic
    ("שרה כהן", "rtl"),             # Hebrew
    ("ދިވެހި", "rtl"),               # Thaana
    ("Νίκος", "ltr"),
    ("Иван", "ltr"),
    ("王小明", "ltr"),
    ("(هالة)", "rtl"),              # neutral characters first: the first letter decides
    ("123", "ltr"),
])
def test_direction_follows_the_first_letter(text, expected):
    assert direction(text) == expected


def test_native_names_are_marked_with_canonical_tags_and_escaped():
    assert in_language("هالة حداد", "ar") == '<span lang="ar" dir="rtl">هالة حداد</span>'
    assert in_language("Νίκος", "EL") == '<span lang="el">Νίκος</span>'
    assert in_language("王小明", "zh-hant") == '<span lang="zh-Hant">王小明</span>'
    # The text is escaped; a tag that is not valid marks nothing up (check reports it).
    assert in_language("<b>A & B</b>", "en") == '<span lang="en">&lt;b&gt;A &amp; B&lt;/b&gt;</span>'
    assert in_language("<b>x</b>", "xx") == "&lt;b&gt;x&lt;/b&gt;"
    assert in_language("x", '"><script>') == "x"


def test_tags_are_checked_against_the_registry():
    assert tag_error("ar") is None and tag_error("sr-Latn-RS") is None
    assert "IANA registry" in tag_error("xx")
    assert tag_error("en_US") is not None  # BCP 47 joins subtags with hyphens
    assert canonical("iw") == "he" and canonical("sr-latn") == "sr-Latn"


def test_site_config_gives_the_site_language_and_the_search_languages(tmp_path):
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Έρευνα\ntheme:\n  name: material\n  language: el\nplugins:\n  - tags\n"
        "  - search:\n      lang:\n        - el\n        - en\n", encoding="utf-8")
    site = read_site_config(tmp_path)
    assert (site.name, site.language, site.search_lang, site.search_lang_at) == ("Έρευνα", "el", ("el", "en"), (9, 9))
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - search:\n      lang: fr\n", encoding="utf-8")
    site = read_site_config(tmp_path)
    assert (site.language, site.search_lang) == ("en", ("fr",))
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - search\n", encoding="utf-8")
    assert read_site_config(tmp_path).search_lang == ()
