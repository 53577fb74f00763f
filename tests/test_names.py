"""Other spellings of names: romanization systems, diacritic folding, the "Also written" list."""
from __future__ import annotations

import pytest

from generator.names import also_written, fold, romanize, transliterations
from generator.render import render_record
from generator.pipeline import check
from conftest import FIXTURE


@pytest.mark.parametrize("system, expected", [
    ("national", "Volodymyr Zelenskyi"),   # Ukrainian national system (2010): й → i inside a word
    ("bgn", "Volodymyr Zelenskyy"),        # BGN/PCGN: й → y
    ("scholarly", "Volodymyr Zelenskyj"),  # scholarly: й → j
    ("simple", "Volodymyr Zelensky"),      # English press: -ий → -y
    ("press", "Volodymyr Zelenskiy"),      # wire services' Russian-style ending
])
def test_ukrainian_systems(system, expected):
    assert romanize("Володимир Зеленський", "uk", system) == expected


@pytest.mark.parametrize("system, expected", [
    ("bgn", "Vladimir Medinskiy"),
    ("lc", "Vladimir Medinskii"),          # Library of Congress without diacritics
    ("scholarly", "Vladimir Medinskij"),
    ("simple", "Vladimir Medinsky"),
])
def test_russian_systems(system, expected):
    assert romanize("Владимир Мединский", "ru", system) == expected


def test_context_rules_initial_and_after_vowel():
    # Ukrainian national: є/ю/я/ї are ye/yu/ya/yi only at the start of a word.
    assert romanize("Олександр Краєв", "uk", "national") == "Oleksandr Kraiev"
    assert romanize("Андрій Єрмак", "uk", "national") == "Andrii Yermak"
    assert romanize("Юлія", "uk", "national") == "Yuliia"
    # Russian BGN: е after a vowel is ye; elsewhere e.
    assert romanize("Андреев", "ru", "bgn") == "Andreyev"
    assert romanize("Сергей Лавров", "ru", "lc") == "Sergei Lavrov"
    # Multi-letter results keep the case of the source: Щ → Shch, ЩУКИН → SHCHUKIN.
    assert romanize("Щукин", "ru", "bgn") == "Shchukin"
    assert romanize("ЩУКИН", "ru", "bgn") == "SHCHUKIN"
    # Apostrophes inside Ukrainian words are dropped, punctuation elsewhere kept.
    assert romanize("Мар'яна, Київ", "uk", "national") == "Mariana, Kyiv"


def test_transliterations_are_distinct_and_only_for_cyrillic_languages():
    variants = transliterations("Рустем Умєров", "uk")
    assert variants == ["Rustem Umierov", "Rustem Umyerov", "Rustem Umjerov", "Rustem Umerov"]
    assert transliterations("Recep Tayyip Erdoğan", "tr") == []
    assert transliterations("Владимир Путин", "ru") == ["Vladimir Putin"]


def test_fold_latin_only():
    assert fold("Recep Tayyip Erdoğan") == "Recep Tayyip Erdogan"
    assert fold("Türkiye") == "Turkiye"
    assert fold("Łódź Straße İstanbul") == "Lodz Strasse Istanbul"
    # Cyrillic й and ё decompose in Unicode; they must stay what they are.
    assert fold("Зеленський Соловьёв") == "Зеленський Соловьёв"


def test_also_written_for_zelensky():
    names = also_written("Volodymyr Zelensky", {"text": "Володимир Зеленський", "lang": "uk"},
                         ["Zelenskyy", "Zelenskiy", "Mr. Zelensky"])
    assert names == ["Володимир Зеленський", "Zelenskyy", "Zelenskiy", "Mr. Zelensky",
                     "Volodymyr Zelenskyi", "Volodymyr Zelenskyy", "Volodymyr Zelenskyj", "Volodymyr Zelenskiy"]


def test_also_written_deduplicates_case_insensitively_and_drops_the_name():
    names = also_written("Recep Tayyip Erdogan", {"text": "Recep Tayyip Erdoğan", "lang": "tr"},
                         ["Erdoğan", "ERDOĞAN", "recep tayyip erdogan", "Tayyip  Erdogan"])
    # The folded "Erdoğan" is new ("Erdogan"); everything else is a repeat of the name or another entry.
    assert names == ["Recep Tayyip Erdoğan", "Erdoğan", "Tayyip Erdogan", "Erdogan"]
    assert also_written("Northland") == []
    assert also_written("Anna Berg", {"text": "Anna Berg", "lang": "en"}) == []


def test_person_page_body_lists_the_variants():
    checked = check(FIXTURE)
    page = render_record(checked.index, checked.index.get("berg"))
    body = page.split("---\n", 2)[2]  # after the front matter: search indexes the body only
    assert '<span class="also-written">*Also written:* A\\. Berg</span>' in body
