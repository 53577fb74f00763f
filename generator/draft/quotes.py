"""Quoted passages of a source and who the source says spoke them.

Every passage in quotation marks in the body becomes a quote, except scare quotes: one or two
words that no one is said to have spoken (the “root causes”). The speaker is taken from the
attributing words around the quote — `…,” noted Witold Rodkiewicz`, `…," Ms. Haddad said`,
`Mr. Medinsky indicated that his team was “…”`, `According to the source, …` — and a pronoun
(`He confirmed …`) stands for the person last named before it. A quote with no attributing
words stays unattributed. A second wording of a quote already seen (most of its words in the
same order) is linked to the first as a variant.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Callable

from ..provenance import normalize
from . import gazetteer as gz
from .text import Sentence

_QUOTE = re.compile(r"“([^”]+)”|\"([^\"]+)\"|(?<![\w’'])‘([^’]+(?:’\w+[^’]*)*)’(?!\w)")
_VERBS = "|".join(gz.ATTRIBUTION)
_NAME = r"(?:(?:Mr|Ms|Mrs|Dr|Prof)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,3}"
_AFTER_VERB_NAME = re.compile(rf"^[,.!?]?\s*(?:{_VERBS})\s+({_NAME}|the source)")
_AFTER_NAME_VERB = re.compile(rf"^[,.!?]?\s*({_NAME}|[Hh]e|[Ss]he|[Tt]hey|the source)\s+(?:\w+\s+)?(?:{_VERBS})\b")
_ACCORDING = re.compile(rf"\b[Aa]ccording to ({_NAME}|the source|(?:a|an|the) [\w\s]+?source)\b")
_VERB_IN = re.compile(rf"\b(?:{_VERBS})\b")
_SUBJECT = re.compile(rf"({_NAME}|\b[Hh]e\b|\b[Ss]he\b|\bthe source\b)")

SCARE_WORDS = 2
"""Quotes of this many words or fewer are scare quotes unless someone is said to speak them."""
VARIANT_RATIO = 0.6
"""Share of words two quotes have in the same order from which one is another's wording."""


@dataclass
class Quote:
    """A quoted passage found in a source."""

    text: str
    """The words inside the quotation marks, as printed (a closing comma, and the full stop
    of a quote inside a sentence, left off)."""
    sentence: Sentence
    """The sentence holding it (its excerpt)."""
    speaker: str | None
    """Record id of the speaker, when the source attributes it and the speaker is known."""
    attribution: str | None
    """The attributing words, e.g. `noted Witold Rodkiewicz`."""
    variant_of: int | None = None
    """Position (in the returned list) of the quote this is another wording of."""


def words_of(text: str) -> list[str]:
    """The words of a quote for comparing wordings: folded quotes, lowercase, no punctuation."""
    return re.findall(r"[\w'-]+", normalize(text).lower())


def same_words(a: str, b: str) -> float:
    """How alike two wordings are: the share of words they have in the same order (0–1)."""
    return difflib.SequenceMatcher(None, words_of(a), words_of(b), autojunk=False).ratio()


def _attribution(pre: str, post: str) -> tuple[str, str] | None:
    """(speaker phrase, attributing words) from the text before and after a quote."""
    for pattern in (_AFTER_VERB_NAME, _AFTER_NAME_VERB):
        m = pattern.match(post)
        if m:
            return m.group(1), m.group(0).strip(" ,.!?")
    m = _ACCORDING.search(pre)
    if m:
        return m.group(1), m.group(0)
    verb = _VERB_IN.search(pre)
    if verb:
        subjects = [m for m in _SUBJECT.finditer(pre[:verb.start()])
                    if m.group(1) not in gz.CAPITALIZED_WORDS or m.group(1) in ("He", "She")]
        if subjects:
            return subjects[-1].group(1), pre[subjects[-1].start():verb.end()]
    return None


def find_quotes(text: str, sentences: list[Sentence],
                resolve: Callable[[str, Sentence], str | None]) -> list[Quote]:
    """Every quoted passage of the body, in order, with its speaker's id when the source
    attributes it (`resolve(phrase, sentence)` turns a name, a pronoun or `the source` into a
    record id) and variants linked to the first wording."""
    quotes: list[Quote] = []
    for s in sentences:
        for m in _QUOTE.finditer(s.text):
            inner = next(g for g in m.groups() if g is not None)
            pre, post = s.text[:m.start()], s.text[m.end():]
            found = _attribution(pre, post)
            if len(inner.split()) <= SCARE_WORDS and found is None:
                continue  # a scare quote
            words = inner.strip()
            words = words.rstrip(",")
            if pre.strip() and words.endswith(".") and not words.endswith(".."):
                words = words[:-1]  # the sentence's full stop, printed inside the quote
            speaker = resolve(found[0], s) if found else None
            quote = Quote(words, s, speaker, found[1] if found else None)
            same = [i for i, q in enumerate(quotes) if normalize(q.text) == normalize(words)]
            if same:
                continue  # the same words again: one record
            for i, earlier in enumerate(quotes):
                if len(words.split()) > SCARE_WORDS and same_words(earlier.text, words) >= VARIANT_RATIO:
                    quote.variant_of = i if earlier.variant_of is None else earlier.variant_of
                    break
            quotes.append(quote)
    return quotes
