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


def test_transliterations_are_distinct_and_use_the_careful_systems_where_they_exist():
    variants = transliterations("Рустем Умєров", "uk")
    assert variants == ["Rustem Umierov", "Rustem Umyerov", "Rustem Umjerov", "Rustem Umerov"]
    assert transliterations("Владимир Путин", "ru") == ["Vladimir Putin"]
    assert transliterations("Владимир Путин", "ru-RU") == ["Vladimir Putin"]  # a full BCP 47 tag
    # A Latin-script name has nothing to transliterate (its folded form comes from `fold`).
    assert transliterations("Recep Tayyip Erdoğan", "tr") == ["Recep Tayyip Erdogan"]
    assert transliterations("Anna Berg", "sv") == []


@pytest.mark.parametrize("native, lang, latin", [
    ("Νίκος Παπαδόπουλος", "el", "Nikos Papadopoylos"),    # Greek
    ("هالة حداد", "ar", "hlh hdd"),                        # Arabic: an abjad, so no short vowels
    ("שרה כהן", "he", "srh khhn"),                          # Hebrew
    ("ნინო ბერიძე", "ka", "nino beridze"),                  # Georgian
    ("Արամ Պետրոսյան", "hy", "Aram Petrosyan"),             # Armenian
    ("Иван Петров", "bg", "Ivan Petrov"),                   # Cyrillic without a careful system here
    ("王小明", "zh-Hans", "WangXiaoMing"),                     # Chinese
])
def test_every_script_gets_a_latin_spelling(native, lang, latin):
    assert transliterations(native, lang) == [latin]
    assert latin in also_written("Someone Else", {"text": native, "lang": lang})


def test_fold_drops_optional_diacritics_only():
    assert fold("Recep Tayyip Erdoğan") == "Recep Tayyip Erdogan"
    assert fold("Türkiye") == "Turkiye"
    assert fold("Łódź Straße İstanbul") == "Lodz Strasse Istanbul"
    # Cyrillic й and ё decompose in Unicode; they must stay what they are; stress marks go.
    assert fold("Зеленський Соловьёв") == "Зеленський Соловьёв"
    assert fold("Ива́н") == "Иван"
    assert fold("Νίκος Παπαδόπουλος") == "Νικος Παπαδοπουλος"        # Greek tonos
    assert fold("هَالَة") == "هالة"                                    # Arabic harakat
    assert fold("हिन्दी 김정은") == "हिन्दी 김정은"                       # vowel signs and Hangul stay


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
