"""Language tags: which language and direction a piece of text is in.

Native names carry a BCP 47 tag (`ar`, `el`, `uk`, `zh-Hant`, `sr-Latn`), validated against the
IANA subtag registry by `langcodes` rather than from a fixed list. Wherever a native name is
shown it is wrapped in `<span lang=… dir=…>` (`markdown.in_language`), so screen readers
pronounce it in its language and right-to-left scripts are laid out, and isolated from the
English around them, correctly.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .kinds import annotated
from .load import Document
from .problems import Problem

LANGUAGE_TAG = "language-tag"
"""The schemas' `x-format` of a field holding a BCP 47 language tag."""

EXAMPLES = "ar, el, uk, zh-Hant or sr-Latn"
"""Tags quoted in messages, to show the form."""

TAG_SHAPE = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*")
"""What a language tag looks like (the schema's `pattern`); the registry decides the rest."""

_RTL = {"R", "AL"}
"""Bidirectional classes of right-to-left letters (Hebrew; Arabic, Syriac, Thaana…)."""


@lru_cache(maxsize=1024)
def tag_error(tag: str) -> str | None:
    """Why `tag` is not a valid BCP 47 language tag (a message), or None when it is valid."""
    import langcodes  # 50 ms to import: only when a record has a language tag

    if not langcodes.tag_is_valid(tag) or "_" in tag:
        return (f"'{tag}' is not a language tag in the IANA registry (BCP 47); "
                f"use a tag such as {EXAMPLES}")
    return None


@lru_cache(maxsize=1024)
def canonical(tag: str) -> str:
    """The tag in its registered form (`ZH-hant` → `zh-Hant`, `iw` → `he`); unchanged if invalid."""
    import langcodes

    try:
        return langcodes.standardize_tag(tag)
    except ValueError:
        return tag


def tag_hint(text: str) -> str:
    """` — did you mean 'en-US'?` for a tag written with underscores or spaces, or an empty string."""
    fixed = "-".join(text.replace("_", "-").split())
    return f" — did you mean '{canonical(fixed)}'?" if fixed != text and not tag_error(fixed) else ""


def direction(text: str) -> str:
    """`rtl` when the text's first strong letter is right-to-left (Arabic, Hebrew…), else `ltr`."""
    for char in text:
        bidi = unicodedata.bidirectional(char)
        if bidi in _RTL:
            return "rtl"
        if bidi == "L":
            return "ltr"
    return "ltr"


def language_tag_problems(doc: Document) -> list[Problem]:
    """`bad-language-tag` for every field of the record marked as a language tag in its schema
    whose value has the right shape but is not a registered tag (the schema reports bad shapes)."""
    problems: list[Problem] = []
    for path, fmt in annotated(doc.kind, "x-format"):
        if fmt != LANGUAGE_TAG:
            continue
        value: object = doc.data
        for part in path:  # language tags are never inside lists
            value = value.get(part) if isinstance(value, dict) else None
        if isinstance(value, str) and TAG_SHAPE.fullmatch(value) and (message := tag_error(value)):
            line, col = doc.mark(path)
            problems.append(Problem(doc.path, line, col, "bad-language-tag", f"{'.'.join(path)}: {message}"))
    return problems


LUNR_SCRIPTS = {
    "ar": "ARABIC", "he": "HEBREW", "hy": "ARMENIAN", "ru": "CYRILLIC",
    "hi": "DEVANAGARI", "sa": "DEVANAGARI", "ta": "TAMIL", "te": "TELUGU", "kn": "KANNADA",
    "th": "THAI", "ko": "HANGUL", "ja": "CJK HIRAGANA KATAKANA", "jp": "CJK HIRAGANA KATAKANA",
    "zh": "CJK",
}
"""The script whose letters each of lunr's language packs (MkDocs Material's search) counts as
word characters; the others count Latin letters only. Greek is left out: with `el` in a list of
languages, Greek names were still not found (tried in Chromium with Material 9.8)."""

_SCRIPT_NAMES = {"CJK": "Chinese", "HANGUL": "Korean", "HIRAGANA": "Japanese", "KATAKANA": "Japanese"}


def script_of(char: str) -> str:
    """The Unicode script of a letter, as the first word of its name (`ARABIC`, `GREEK`, `CJK`)."""
    return unicodedata.name(char, "UNKNOWN").split()[0]


def search_language_problems(documents: list[Document], site_lang: tuple[str, ...],
                             at: tuple[int, int], config_path: str = "mkdocs.yml") -> list[Problem]:
    """`search-languages`: mkdocs.yml's search `lang` lists several languages (MkDocs Material
    then keeps in its index only words made of those languages' letters) while names in the
    content are written in another script, which readers would then never find."""
    if len(site_lang) < 2:
        return []  # one language (or the theme's): Material keeps every word
    covered = {"LATIN", "DIGIT"} | {s for lang in site_lang for s in LUNR_SCRIPTS.get(lang, "").split()}
    missing: dict[str, str] = {}  # script -> an example "name (file)"
    for doc in documents:
        data = doc.data if isinstance(doc.data, dict) else {}
        native = data.get("native_name") if isinstance(data.get("native_name"), dict) else {}
        for text in [native.get("text"), *(data.get("aliases") or [])]:
            if not isinstance(text, str):
                continue
            for script in {script_of(c) for c in text if c.isalpha()} - covered:
                missing.setdefault(script, f"{text} in {doc.path}")
    if not missing:
        return []
    scripts = sorted({_SCRIPT_NAMES.get(s, s.capitalize()) for s in missing})
    example = next(iter(missing.values()))
    return [Problem(config_path, at[0], at[1], "search-languages",
                    f"plugins.search.lang lists {', '.join(site_lang)}: with several languages MkDocs "
                    f"Material indexes only words written in their alphabets, so names in "
                    f"{' and '.join(scripts)} script (e.g. {example}) cannot be found; list only the "
                    f"language the briefing is written in", "warning")]
