"""Reading a source text for drafting: which lines are the article's body, and its sentences.

Stored texts are copied from web pages, so besides the body they hold the title, photo
captions, sub-headings, bylines, credit lines and site boilerplate (cookie banners, newsletter
sign-ups). None of those are facts: only body sentences are drafted from. A line is body text
when it ends like a sentence; captions and sub-headings are short lines without final
punctuation.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

BOILERPLATE = re.compile(
    r"\b(?:cookies?|newsletters?|subscribe|subscription|sign[ -]?up|opt[ -]?out|privacy policy|"
    r"all rights reserved|terms of (?:use|service)|advertisement|follow us|share this|read more)\b", re.I)
"""Words of site furniture: a line holding one is never a fact."""
CREDIT = re.compile(r"^(?:photos?|images?|pictures?|credits?|captions?|video|illustration|graphic|file photo)\s*[:|/]"
                    r"|\b(?:getty images|via reuters|via afp|via ap|shutterstock)\b", re.I)
"""Photo and image credit lines."""
BYLINE = re.compile(r"^By\s+(?:[A-Z]|a |an |the |our )")
DATELINE = re.compile(r"[A-Z][A-Z .'’-]{2,}(?:, [^.\n]{3,40}?)?\s+[-–—]\s+")
"""`NICOSIA, 14 March 2026 - `: the place and date wire stories open with (not a fact of the sentence)."""
ABBREVIATIONS = {"mr.", "ms.", "mrs.", "dr.", "st.", "u.s.", "u.k.", "e.u.", "u.n.", "gen.", "col.", "lt.", "sen.",
                 "rep.", "gov.", "prof.", "jr.", "sr.", "no.", "vs.", "e.g.", "i.e.", "approx.", "inc.", "co.", "corp."}
"""Words ending in a full stop that do not end a sentence."""
OPENING = "“‘«„\""
CLOSING = "”’»\"')]"


@dataclass(frozen=True)
class Block:
    """One line (paragraph) of the source text and what it is."""

    start: int
    """Offset of its first character in the text."""
    end: int
    """Offset just past its last character."""
    role: str
    """`title`, `body`, `heading` (a sub-heading or photo caption), `credit`, `byline` or `boilerplate`."""


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body, as a slice of the source text (so excerpts are verbatim)."""

    start: int
    """Offset of its first character in the text."""
    end: int
    """Offset just past its last character."""
    text: str
    """The sentence exactly as printed."""
    block: int
    """Index of its paragraph in `blocks()`."""


def ends_like_sentence(line: str) -> bool:
    """True when a line ends with final punctuation (inside closing quotes or brackets too)."""
    stripped = line.rstrip().rstrip(CLOSING + " ")
    return stripped[-1:] in (".", "!", "?", "…", ":") if stripped else False


def classify(line: str, first: bool) -> str:
    """What a non-empty line of a source text is (see `Block.role`)."""
    text = line.strip()
    if BOILERPLATE.search(text):
        return "boilerplate"
    if CREDIT.search(text):
        return "credit"
    if BYLINE.match(text):
        return "byline"
    if first:
        return "title"
    return "body" if ends_like_sentence(text) else "heading"


def blocks(text: str) -> list[Block]:
    """Every non-empty line of `text`, classified."""
    out: list[Block] = []
    for match in re.finditer(r"[^\n]+", text):
        line = match.group()
        if not line.strip():
            continue
        lead = len(line) - len(line.lstrip())
        start, end = match.start() + lead, match.start() + len(line.rstrip())
        out.append(Block(start, end, classify(line, not out)))
    return out


def _split(text: str, offset: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a paragraph; never inside a quotation."""
    spans, start, depth, straight = [], 0, 0, False
    i = 0
    while i < len(text):
        ch = text[i]
        if ch in "“«„":
            depth += 1
        elif ch in "”»":
            depth = max(0, depth - 1)
        elif ch == '"':
            straight = not straight
        elif ch in ".!?" and depth == 0 and not straight:
            j = i + 1
            while j < len(text) and text[j] in CLOSING:
                j += 1
            word = text[:i + 1].rsplit(" ", 1)[-1].lower()
            nxt = text[j:].lstrip()
            if (j < len(text) and text[j] == " " and nxt[:1] and (nxt[0].isupper() or nxt[0] in OPENING)
                    and word not in ABBREVIATIONS and not re.fullmatch(r"[a-z]\.", word)):
                spans.append((start, j))
                start = j + (len(text[j:]) - len(nxt))
                i = start
                continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return [(offset + a, offset + b) for a, b in spans]


def sentences(text: str, parts: list[Block] | None = None) -> list[Sentence]:
    """The body's sentences, in order; a wire dateline opening the body is left out."""
    out: list[Sentence] = []
    parts = blocks(text) if parts is None else parts
    for i, block in enumerate(parts):
        if block.role != "body":
            continue
        start = block.start
        dateline = DATELINE.match(text, start, block.end)
        if dateline and not out:
            start = dateline.end()
        for a, b in _split(text[start:block.end], start):
            out.append(Sentence(a, b, text[a:b], i))
    return out


def not_facts(text: str) -> list[tuple[str, str]]:
    """(role, line) of every line that is not drafted from: title, headings, captions, credits,
    bylines and boilerplate."""
    return [(b.role, text[b.start:b.end]) for b in blocks(text) if b.role != "body"]
