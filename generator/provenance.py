"""Provenance check (part of validation): every excerpt occurs verbatim in its source text."""
from __future__ import annotations

import difflib

from .index import Index
from .load import Document
from .problems import Problem

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


def check_provenance(documents: list[Document], index: Index, texts: dict[str, str]) -> list[Problem]:
    """Excerpts, quote texts and date words must occur in the cited source text.

    Also warns about factual records citing nothing and source records nothing cites.
    """
    problems: list[Problem] = []
    normalized = {sid: normalize(t) for sid, t in texts.items()}
    cited: set[str] = set()
    for source in index.by_kind.get("source", []):
        if source.id not in texts:
            problems.append(Problem(source.path, 1, 1, "missing-source-text",
                                    f"no stored text for source '{source.id}'; save it as "
                                    f"content/sources/{source.id}.txt"))
    for doc in documents:
        rec = index.get(doc.id)
        if rec is None or rec.path != doc.path or rec.kind == "source":  # (a duplicate id's second file)
            continue
        citations = [c for c in rec.data.get("sources") or [] if isinstance(c, dict)]
        if rec.kind in FACTUAL and "sources" not in rec.data:
            problems.append(Problem(doc.path, 1, 1, "no-source",
                                    f"this {rec.kind} cites no source; add sources: with a verbatim excerpt",
                                    "warning"))
        cited_texts = []
        for i, cite in enumerate(citations):
            sid, excerpt = cite.get("source"), cite.get("excerpt")
            if not isinstance(sid, str):
                continue
            cited.add(sid)
            if sid not in normalized or not isinstance(excerpt, str):
                continue
            cited_texts.append(normalized[sid])
            needle = normalize(excerpt)
            if needle not in normalized[sid]:
                line, col = doc.mark(("sources", i, "excerpt"))
                near = closest_passage(needle, normalized[sid])
                problems.append(Problem(doc.path, line, col, "excerpt-not-found",
                                        f"excerpt not found in source '{sid}'; closest passage: \"{_clip(near)}\""))
        # Words that claim to come from the source are checked against what the record cites.
        claims = []
        if rec.kind == "quote" and isinstance(rec.data.get("text"), str):
            claims.append((("text",), rec.data["text"], "quote text"))
        for key in ("date", "since"):
            words = (rec.data.get(key) or {}).get("words") if isinstance(rec.data.get(key), dict) else None
            if isinstance(words, str):
                claims.append(((key, "words"), words, "time words"))
        for path, claim, what in claims:
            if cited_texts and not any(normalize(claim) in t for t in cited_texts):
                line, col = doc.mark(path)
                near = closest_passage(normalize(claim), cited_texts[0])
                problems.append(Problem(doc.path, line, col, "not-in-source",
                                        f"{what} not found in the cited source; closest passage: \"{_clip(near)}\""))
    for source in index.by_kind.get("source", []):
        if source.id not in cited:
            problems.append(Problem(source.path, 1, 1, "uncited-source",
                                    f"no record cites source '{source.id}'", "warning"))
    return problems
