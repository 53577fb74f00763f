"""`briefing find "<words>"`: the verbatim passages of the stored source texts that match some
words, ready to paste as an excerpt.

Matching ignores quote style (’ ' “ " …), whitespace and case. When no source holds the words
exactly, the closest passage of each source is offered if it differs only by small typos
(`provenance.closest_passage`, the passage `check` quotes for an excerpt it cannot find).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

from .provenance import _TYPOGRAPHY, closest_passage

TYPO_RATIO = 0.85
"""How alike (difflib ratio, 0–1) a passage must be to the words to count as a match with typos."""


@dataclass(frozen=True)
class Passage:
    """A passage of a source text."""

    source: str
    """The source id."""
    text: str
    """The passage exactly as the source prints it."""
    exact: bool
    """False when it matched with typos."""


def _folded(text: str) -> tuple[str, list[int]]:
    """`text` with quotes folded, whitespace runs as one space and case folded, and for each
    character of the result the offset in `text` it came from."""
    out: list[str] = []
    where: list[int] = []
    space = False
    for i, ch in enumerate(text.translate(_TYPOGRAPHY)):
        if ch.isspace():
            space = bool(out)
            continue
        if space:
            out.append(" ")
            where.append(i - 1)
            space = False
        for c in ch.casefold():
            out.append(c)
            where.append(i)
    return "".join(out), where


def find_passages(texts: dict[str, str], words: str) -> list[Passage]:
    """Every passage of `texts` (source id → text) holding `words`; if none does, the closest
    passage of each source that is at least TYPO_RATIO alike."""
    needle, _ = _folded(words)
    needle = needle.strip()
    if not needle:
        return []
    found: list[Passage] = []
    folded = {sid: _folded(text) for sid, text in sorted(texts.items())}
    for sid, (hay, where) in folded.items():
        start = hay.find(needle)
        while start != -1:
            end = start + len(needle)
            found.append(Passage(sid, texts[sid][where[start]:where[end - 1] + 1], True))
            start = hay.find(needle, end)
    if found:
        return found
    for sid, (hay, where) in folded.items():
        near = closest_passage(needle, hay)
        if not near or difflib.SequenceMatcher(None, needle, near, autojunk=False).ratio() < TYPO_RATIO:
            continue
        start = hay.find(near)
        found.append(Passage(sid, texts[sid][where[start]:where[start + len(near) - 1] + 1], False))
    return found


def source_texts(root: Path) -> dict[str, str]:
    """The stored source texts of a project, by source id (`content/sources/<id>.txt`)."""
    folder = root / "content" / "sources"
    return {p.stem: p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))} \
        if folder.is_dir() else {}
