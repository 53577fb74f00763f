"""Dates of the events a source tells of, from its time words.

A sentence with time words ("yesterday", "last Monday", "late Wednesday", "in March",
"last year", "a week ago") becomes a dated event. Relative words are counted from the source's
publication date, and the date says how (its `basis`) and that it is `inferred`. A date the
sentence prints in full ("12 March 2026", "March 2022", "in 2015") is stated, not inferred. A
date after "since" dates a state of affairs, not an event, and is left alone.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .gazetteer import DAYS, MONTHS
from .text import Sentence

_DAY = "|".join(DAYS)
_MONTH = "|".join(MONTHS)
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10}
_STATED = [
    re.compile(rf"\b(?:(?:{_DAY}),?\s+)?(\d{{1,2}})\s+({_MONTH})\s+(\d{{4}})\b"),
    re.compile(rf"\b(?:(?:{_DAY}),?\s+)?({_MONTH})\s+(\d{{1,2}}),\s+(\d{{4}})\b"),
    re.compile(rf"\b({_MONTH})\s+(\d{{4}})\b"),
    re.compile(r"\b(?:in|by|to|during|until) ((?:19|20)\d\d)\b(?![,.]?\d)"),
]
"""Dates printed in full: day month year, month day year, month year, a year after a preposition."""
_RELATIVE = re.compile(
    rf"\b(?:(?P<yesterday>yesterday)|(?P<today>today|tonight|this morning)"
    rf"|(?P<weekday>(?:(?:late|early)\s+|on\s+|last\s+|this\s+|next\s+)?(?:{_DAY})(?:\s+(?:night|morning|evening|afternoon))?)"
    rf"|(?P<ago>(?:just\s+)?(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:day|week|month|year)s?\s+ago)"
    rf"|(?P<last>(?:last|next)\s+(?:week(?:end)?|month|year))|(?P<this>this\s+year)"
    rf"|(?P<month>in\s+(?:{_MONTH}))(?!\s+\d)"
    rf"|(?P<coming>in\s+the\s+coming\s+(?:days|weeks))"
    rf")", re.I)
_FUTURE = re.compile(r"\b(?:will|shall|is expected|are expected|is set to|are set to|is due to|in the coming|"
                     r"forthcoming|upcoming)\b", re.I)
"""Words that put a sentence's event in the future (for time words that could go either way)."""


@dataclass
class Dated:
    """The date an event sentence gives."""

    sentence: Sentence
    words: str
    """The time words, verbatim."""
    value: str | None
    """YYYY, YYYY-MM or YYYY-MM-DD; None when the words give no calendar date ("in the coming days")."""
    inferred: bool
    basis: str | None
    expected: bool
    """True for an event still to come."""


def _long(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _since(text: str, start: int) -> bool:
    """True when the date at `start` follows "since" (a state of affairs, not an event)."""
    return bool(re.search(r"\bsince\s+$", text[:start]))


def _stated(s: Sentence, published: dt.date | None) -> Dated | None:
    """A date printed in full in the sentence."""
    for n, pattern in enumerate(_STATED):
        for m in pattern.finditer(s.text):
            if _since(s.text, m.start()):
                continue
            if n == 0:
                value = f"{m.group(3)}-{MONTHS.index(m.group(2)) + 1:02d}-{int(m.group(1)):02d}"
            elif n == 1:
                value = f"{m.group(3)}-{MONTHS.index(m.group(1)) + 1:02d}-{int(m.group(2)):02d}"
            elif n == 2:
                value = f"{m.group(2)}-{MONTHS.index(m.group(1)) + 1:02d}"
            else:
                value = m.group(1)
            later = published is not None and value > published.isoformat()[:len(value)]
            words = m.group(1) if n == 3 else m.group()
            return Dated(s, words, value, False, None, later)
    return None


def _relative(s: Sentence, m: re.Match, published: dt.date, pub_note: str) -> Dated | None:
    """The calendar date of relative time words, counted from the publication date."""
    words = m.group()
    low = words.lower()
    future = bool(_FUTURE.search(s.text))
    basis = None
    value: str | None
    counted = f"counted from the source's publication date, {_long(published)}{pub_note}"
    if m.group("yesterday"):
        day = published - dt.timedelta(days=1)
        value, basis = day.isoformat(), f"'{words}' is the day before the publication date: {_long(day)}, {counted}."
    elif m.group("today"):
        value, basis = published.isoformat(), f"'{words}' is the publication date, {counted}."
    elif m.group("weekday"):
        name = next(d for d in DAYS if d.lower() in low)
        back = (published.weekday() - DAYS.index(name)) % 7
        if low.startswith("last") and back == 0:
            back = 7
        if low.startswith("next") or (future and not low.startswith("last")):
            ahead = (DAYS.index(name) - published.weekday()) % 7 or 7
            day, how = published + dt.timedelta(days=ahead), "the next"
        else:
            day, how = published - dt.timedelta(days=back), "the latest"
        value = day.isoformat()
        when = "after" if how == "the next" else "before" if low.startswith("last") else "on or before"
        basis = f"'{words}' is read as {how} {name} {when} " \
                f"the publication date: {_long(day)}, {counted}."
    elif m.group("ago"):
        parts = low.replace("just", "").split()
        number, unit = _NUMBERS.get(parts[0], None) or int(parts[0]), parts[1].rstrip("s")
        if unit in ("day", "week"):
            day = published - dt.timedelta(days=number * (7 if unit == "week" else 1))
            value = day.isoformat()
        elif unit == "month":
            months = published.year * 12 + published.month - 1 - number
            value = f"{months // 12}-{months % 12 + 1:02d}"
        else:
            value = str(published.year - number)
        basis = f"'{words}' is counted back from the publication date: {value}, {counted}; the day is approximate."
    elif m.group("last"):
        sign = -1 if low.startswith("last") else 1
        unit = low.split()[1]
        if unit.startswith("week"):
            day = published + dt.timedelta(days=7 * sign)
            if unit == "weekend":  # the Saturday of that weekend
                day = published - dt.timedelta(days=(published.weekday() - 5) % 7 or 7)
            value = day.isoformat() if unit == "weekend" else day.isoformat()[:7]
        elif unit == "month":
            months = published.year * 12 + published.month - 1 + sign
            value = f"{months // 12}-{months % 12 + 1:02d}"
        else:
            value = str(published.year + sign)
        basis = f"'{words}' is read as {value}, {counted}."
    elif m.group("this"):
        value, basis = str(published.year), f"'{words}' is the publication year, {counted}."
    elif m.group("month"):
        month = next(i for i, name in enumerate(MONTHS, 1) if name.lower() in low)
        year = published.year
        if future and month < published.month:
            year += 1
        elif not future and month > published.month:
            year -= 1
        value = f"{year}-{month:02d}"
        basis = (f"'{words}' gives no year; read as the {'next' if future else 'latest'} {MONTHS[month - 1]} "
                 f"{'from' if future else 'up to'} the publication date: {MONTHS[month - 1]} {year}, {counted}.")
    else:
        value = None
    if value is None:
        return Dated(s, words, None, True, None, True)
    expected = value > published.isoformat()[:len(value)] or low.startswith("next")
    return Dated(s, words, value, True, basis, expected)


def find_dates(sentences: list[Sentence], published: dt.date | None, pub_inferred: bool) -> list[Dated]:
    """One date for each sentence with time words: a stated date first, else the first relative
    time words (None for those when there is no publication day to count from)."""
    pub_note = " (itself inferred: see the source record)" if pub_inferred else ""
    out: list[Dated] = []
    for s in sentences:
        stated = _stated(s, published)
        if stated is not None:
            out.append(stated)
            continue
        for m in _RELATIVE.finditer(s.text):
            if _since(s.text, m.start()):
                continue
            if published is None:
                out.append(Dated(s, m.group(), None, True, None, False))
            else:
                found = _relative(s, m, published, pub_note)
                if found is not None:
                    out.append(found)
            break
    return out


def publication_date(source: dict) -> tuple[dt.date | None, bool]:
    """(publication day, whether it is inferred) from a source record's `published`; no day
    when the record gives none or only a month or year."""
    published = source.get("published") if isinstance(source.get("published"), dict) else {}
    value = published.get("value")
    try:
        day = dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else None
    except ValueError:
        day = None
    return day, bool(published.get("inferred"))
