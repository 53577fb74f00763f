"""Other spellings of names, so readers find a person whatever spelling they type.

From a native-script name this module makes Latin spellings. Russian and Ukrainian names get
the usual romanizations — BGN/PCGN, the Ukrainian national system, the Library of Congress
system, scholarly transliteration and the plain English-press spelling; a name in any other
script (Greek, Arabic, Hebrew, Georgian, Armenian, Chinese, Bulgarian Cyrillic…) gets the
spelling of `anyascii`. It also folds optional diacritics (Erdoğan → Erdogan, Νίκος → Νικος,
Arabic short-vowel marks). The site's search engines (lunr in MkDocs Material, Zensical's)
index page text only and fold nothing, so every variant is written into the page body
("Also written: …").
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_VOWELS = set("аеёиіїоуыэюяєaeiouy")
"""Letters after which (in some systems) Cyrillic е/ё are iotated (written with a leading y)."""
_SIGNS = set("ьъ'’ʼ")

# Base letter tables: Cyrillic lowercase -> Latin. Context rules (word-initial forms,
# adjectival endings) are applied by `_romanize`.
_RU_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ж": "zh", "з": "z", "и": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ъ": "", "ы": "y", "ь": "", "э": "e",
}
_UK_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "'": "", "’": "", "ʼ": "",
}

# Each system: letters -> Latin, or (word-initial, elsewhere); with `after_vowel` a letter after
# a vowel or a soft/hard sign counts as initial (Russian BGN: Andreyev). `ending` replaces the
# adjectival surname ending -ий/-ый at the end of a word (Medinsky, Zelenskiy).
SYSTEMS: dict[str, dict[str, dict]] = {
    "ru": {
        "bgn": {"letters": {**_RU_COMMON, "е": ("ye", "e"), "ё": ("yo", "e"), "й": "y",
                            "ю": "yu", "я": "ya"}, "after_vowel": True},
        "lc": {"letters": {**_RU_COMMON, "е": "e", "ё": "e", "й": "i", "ю": "iu", "я": "ia"}},
        "scholarly": {"letters": {**_RU_COMMON, "е": "e", "ё": "ë", "ж": "ž", "й": "j", "х": "x",
                                  "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "э": "è", "ю": "ju",
                                  "я": "ja"}},
        "simple": {"letters": {**_RU_COMMON, "е": ("ye", "e"), "ё": "yo", "й": "y", "ю": "yu",
                               "я": "ya"}, "ending": "y", "after_vowel": True},
    },
    "uk": {
        "national": {"letters": {**_UK_COMMON, "є": ("ye", "ie"), "ї": ("yi", "i"), "й": ("y", "i"),
                                 "ю": ("yu", "iu"), "я": ("ya", "ia")}},
        "bgn": {"letters": {**_UK_COMMON, "є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}},
        "scholarly": {"letters": {**_UK_COMMON, "є": "je", "ж": "ž", "ї": "ji", "й": "j", "х": "x",
                                  "ц": "c", "ч": "č", "ш": "š", "щ": "šč", "ю": "ju", "я": "ja"}},
        "simple": {"letters": {**_UK_COMMON, "є": ("ye", "e"), "ї": ("yi", "i"), "й": "y",
                               "ю": "yu", "я": "ya"}, "ending": "y"},
        # The Russian-style spelling English wire services long used (Zelenskiy).
        "press": {"letters": {**_UK_COMMON, "є": ("ye", "e"), "ї": ("yi", "i"), "й": "y",
                              "ю": "yu", "я": "ya"}, "ending": "iy"},
    },
}
"""Romanization systems per language (the primary subtag of the native name's BCP 47 tag)."""

_ADJ_ENDING = re.compile(r"(?:ий|ый)$")
_FOLD_EXTRA = {
    "ı": "i", "İ": "I", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
    "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "’": "'", "ʼ": "'",
}
"""Latin letters without a Unicode decomposition, and their usual ASCII spelling; typographic
apostrophes as the one on keyboards (O’Connell → O'Connell)."""


_FOLDED_SCRIPTS = ("LATIN", "GREEK", "ARABIC", "HEBREW", "COMBINING")
"""Scripts whose diacritics readers often leave out (accents, Greek tonos, Arabic harakat, Hebrew
niqqud), and free-standing combining marks such as Cyrillic stress accents. Cyrillic letters
are not folded (й and ё would become other letters), nor are scripts whose marks are vowels."""


def fold(text: str) -> str:
    """`text` without optional diacritics (Erdoğan → Erdogan, Νίκος → Νικος); Cyrillic letters
    and other scripts are left alone."""
    if text.isascii():
        return text
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=4096)
def _fold_char(char: str) -> str:
    """One character folded (memoized: `unicodedata.name` per character was 10% of rendering)."""
    if char in _FOLD_EXTRA:
        return _FOLD_EXTRA[char]
    if unicodedata.name(char, "").startswith(_FOLDED_SCRIPTS):
        form = "NFKD" if unicodedata.name(char).startswith("LATIN") else "NFD"  # ﬁ → fi
        return "".join(c for c in unicodedata.normalize(form, char) if not unicodedata.combining(c))
    return char


def _case_like(source: str, latin: str, next_upper: bool) -> str:
    """Give a romanized letter group the case of the Cyrillic letter it came from."""
    if not source.isupper() or not latin:
        return latin
    return latin.upper() if next_upper else latin[0].upper() + latin[1:]


def _romanize_word(word: str, system: dict) -> str:
    """Romanize one word (a run of letters) with one system."""
    letters, ending = system["letters"], system.get("ending")
    lower = word.lower()
    tail = ""
    if ending and len(lower) > 3 and _ADJ_ENDING.search(lower):
        tail = _case_like(word[-2], ending, word[-1].isupper())
        word, lower = word[:-2], lower[:-2]
    out = []
    for i, (char, low) in enumerate(zip(word, lower)):
        rule = letters.get(low)
        if rule is None:
            out.append(char)
            continue
        if isinstance(rule, tuple):
            initial = i == 0 or (system.get("after_vowel", False) and lower[i - 1] in _VOWELS | _SIGNS)
            rule = rule[0] if initial else rule[1]
        next_upper = i + 1 < len(word) and word[i + 1].isupper()
        out.append(_case_like(char, rule, next_upper))
    return "".join(out) + tail


def romanize(text: str, lang: str, system: str) -> str:
    """`text` in one romanization system of `lang` (`romanize("Зеленський", "uk", "bgn")`)."""
    rules = SYSTEMS[lang][system]
    return re.sub(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", lambda m: _romanize_word(m.group(0), rules), text)


def transliterations(text: str, lang: str) -> list[str]:
    """Latin spellings of a native-script name, without repeats: each romanization system of
    its language (`lang` is a BCP 47 tag: `uk`, `ru-RU`), or for languages without systems the
    spelling of `anyascii`, which covers every script (Νίκος Παπαδόπουλος → Nikos Papadopoylos)."""
    from anyascii import anyascii

    primary = lang.split("-")[0].lower()
    seen: list[str] = []
    if primary in SYSTEMS:
        variants = [romanize(text, primary, system) for system in SYSTEMS[primary]]
    else:
        variants = [" ".join(anyascii(text).split())]
    for variant in variants:
        if variant != text and variant and variant not in seen:
            seen.append(variant)
    return seen


def also_written(name: str, native_name: dict | None = None, aliases=(), spell_and: bool = False) -> list[str]:
    """Spellings to show under a name: native name, aliases (the editor's, so first), folded and
    romanized variants.

    `spell_and`: also "A and B" for "A & B" (for names of people and organizations).
    Duplicates are dropped case-insensitively, and so is the name itself, so the list only
    holds spellings a reader would not already see in the heading.
    """
    candidates: list[str] = []
    native = (native_name or {}).get("text")
    lang = (native_name or {}).get("lang", "")
    if native:
        candidates.append(native)
    candidates += [str(a) for a in aliases or ()]
    candidates += [fold(t) for t in [name] + candidates]
    if spell_and:  # in names, readers type "and" for "&" (which search engines index as `&amp;`)
        candidates += [re.sub(r"\s*&\s*", " and ", t) for t in [name] + candidates if "&" in t]
    if native:
        candidates += transliterations(native, lang)
    out, seen = [], {" ".join(name.split()).casefold()}
    for cand in candidates:
        key = " ".join(cand.split()).casefold()
        if key and key not in seen:
            seen.add(key)
            out.append(" ".join(cand.split()))
    return out
