"""Provenance check (part of validation): every excerpt occurs verbatim in its source text."""
from __future__ import annotations

import difflib

from .index import Index
from .load import Document
from .problems import Problem
from .validate import PLACEHOLDER

_TYPOGRAPHY = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

FACTUAL = ("person", "organization", "demand", "agreement", "event", "quote", "assessment")
"""Kinds whose records state facts and so must cite a source."""


def normalize(text: str) -> str:
    """Fold typographic quotes/apostrophes to ASCII and runs of whitespace to one space."""
    return " ".join(text.translate(_TYPOGRAPHY).split())


def closest_passage(needle: str, haystack: str) -> str:
    """The passage of `haystack` (normalized) most like `needle`, for error messages."""
    words = haystack.split(" ")
    size = max(1, len(needle.split(" ")))
    best, best_ratio = "", 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(needle)
    for start in range(0, max(1, len(words) - size + 1)):
        window = " ".join(words[start:start + size])
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    return best


def _clip(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def citations_in(data: dict):
    """Every citation of a record with its path: `sources`, each caveat's passages, and each
    source's account of a disputed field (an account names its source and excerpt too)."""
    for i, cite in enumerate(data.get("sources") or []):
        yield ("sources", i), cite
    for i, caveat in enumerate(data.get("caveats") or []):
        if isinstance(caveat, dict):
            for j, cite in enumerate(caveat.get("sources") or []):
                yield ("caveats", i, "sources", j), cite
    disputes = data.get("disputes")
    for field, listed in (disputes.items() if isinstance(disputes, dict) else ()):
        for i, account in enumerate(listed if isinstance(listed, list) else ()):
            yield ("disputes", field, i), account


def _time_words(value) -> str | None:
    """The source's own time words of a date value, if any."""
    return value.get("words") if isinstance(value, dict) and isinstance(value.get("words"), str) else None


def check_provenance(documents: list[Document], index: Index, texts: dict[str, str]) -> list[Problem]:
    """Excerpts, quote texts and date words must occur in the cited source text.

    Quote texts and date words are checked against the texts the record's `sources` cite; a
    date given in a source's account of a disputed field, against that account's source.
    Also warns about factual records citing nothing and source records nothing cites.
    """
    problems: list[Problem] = []
    normalized = {sid: normalize(t) for sid, t in texts.items()}
    cited: set[str] = set()
    for source in index.by_kind["source"]:  # (build_index lists every kind)
        if source.id not in texts:
            problems.append(Problem(source.path, 1, 1, "missing-source-text",
                                    f"no stored text for source '{source.id}'; save it as "
                                    f"content/sources/{source.id}.txt"))

    def claim(doc: Document, path: tuple, text: str, what: str, against: list[str]) -> None:
        if against and not any(normalize(text) in t for t in against):
            line, col = doc.mark(path)
            near = closest_passage(normalize(text), against[0])
            problems.append(Problem(doc.path, line, col, "not-in-source",
                                    f"{what} not found in the cited source; closest passage: \"{_clip(near)}\""))

    for doc in documents:
        rec = index.get(doc.id)
        if rec is None or rec.path != doc.path or rec.kind == "source":  # (a duplicate id's second file)
            continue
        if rec.kind in FACTUAL and "sources" not in rec.data:
            problems.append(Problem(doc.path, 1, 1, "no-source",
                                    f"this {rec.kind} cites no source; add sources: with a verbatim excerpt",
                                    "warning"))
        cited_texts = []
        for path, cite in citations_in(rec.data):
            if not isinstance(cite, dict):
                continue
            sid, excerpt = cite.get("source"), cite.get("excerpt")
            if not isinstance(sid, str):
                continue
            cited.add(sid)
            if sid not in normalized or not isinstance(excerpt, str) or excerpt == PLACEHOLDER:
                continue  # (an unknown source is index's to report, a placeholder placeholders.py's)
            if path[0] == "sources":
                cited_texts.append(normalized[sid])
            needle = normalize(excerpt)
            if needle not in normalized[sid]:
                line, col = doc.mark(path + ("excerpt",))
                near = closest_passage(needle, normalized[sid])
                problems.append(Problem(doc.path, line, col, "excerpt-not-found",
                                        f"excerpt not found in source '{sid}'; closest passage: \"{_clip(near)}\""))
            elif path[0] == "disputes" and _time_words(cite.get("value")):
                claim(doc, path + ("value", "words"), _time_words(cite["value"]), "time words", [normalized[sid]])
        # Words that claim to come from the source are checked against what the record cites.
        if rec.kind == "quote" and isinstance(rec.data.get("text"), str):
            claim(doc, ("text",), rec.data["text"], "quote text", cited_texts)
        disputed = rec.data.get("disputes") if isinstance(rec.data.get("disputes"), dict) else {}
        for key in ("date", "since"):
            if _time_words(rec.data.get(key)) and key not in disputed:  # (else checked in its account)
                claim(doc, (key, "words"), _time_words(rec.data[key]), "time words", cited_texts)
    for source in index.by_kind["source"]:  # (build_index lists every kind)
        if source.id not in cited:
            problems.append(Problem(source.path, 1, 1, "uncited-source",
                                    f"no record cites source '{source.id}'", "warning"))
    return problems
