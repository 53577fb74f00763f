"""Who is who: the same person or organization recorded twice, and records whose excerpts never
name them.

Names are compared the way a reader would: ignoring case, diacritics (Erdoğan = Erdogan) and
spacing. A record's names are its name, its aliases and its native name.
"""
from __future__ import annotations

import re

from .index import Index, Record
from .load import Document
from .names import fold
from .problems import Problem
from .provenance import normalize
from .validate import PLACEHOLDER

NAMED = ("person", "organization")
"""Kinds whose records are named beings, so two of them can be the same one."""
ORG_WORDS = {"delegation", "government", "office", "ministry", "agency", "group", "alliance", "institute",
             "centre", "center", "republic", "union", "council", "authority", "leaders", "administration"}
"""Words of organizations' names that name no one by themselves (a delegation, a ministry)."""


def name_key(text: str) -> str:
    """A name as compared: folded, case-folded, spaces and dots evened out (`Mr. O’Connell` →
    `mr o'connell`)."""
    return " ".join(re.sub(r"[.\s]+", " ", fold(normalize(text))).casefold().split())


def names_of(data: dict, title: str) -> list[str]:
    """A record's names: its title (name), its aliases and its native name."""
    native = data.get("native_name") if isinstance(data.get("native_name"), dict) else {}
    names = [title, *(a for a in data.get("aliases") or [] if isinstance(a, str))]
    if isinstance(native.get("text"), str):
        names.append(native["text"])
    return names


def same_name(index: Index, kind: str, names: list[str], skip: str | None = None) -> Record | None:
    """The record of `kind` (other than `skip`) that has one of `names`, if any."""
    keys = {name_key(n) for n in names} - {""}
    for rec in index.by_kind.get(kind, []):
        if rec.id != skip and keys & {name_key(n) for n in names_of(rec.data, rec.title)}:
            return rec
    return None


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"  # what the regular expression \\w matches


def _mentions(text: str, word: str, whole: bool = True) -> bool:
    """True when `word` occurs in `text` starting at a word's start (and, with `whole`, ending at
    its end): a plain search, where regular expressions compiled per record cost a third of a
    second at 10,000 records."""
    i = text.find(word)
    while i >= 0:
        end = i + len(word)
        if (i == 0 or not _word_char(text[i - 1])) and (not whole or end == len(text) or not _word_char(text[end])):
            return True
        i = text.find(word, i + 1)
    return False


def check_identity(documents: list[Document], index: Index) -> list[Problem]:
    """`same-name`: two people or two organizations sharing a name or an alias (one of them is
    probably a duplicate); `name-not-cited`: a person or organization none of whose excerpts
    mentions its name, surname or an alias (the excerpt is probably about someone else)."""
    problems: list[Problem] = []
    docs = {d.id: d for d in documents}
    for kind in NAMED:
        owner: dict[str, Record] = {}
        for rec in index.by_kind.get(kind, []):
            for name in names_of(rec.data, rec.title):
                first = owner.setdefault(name_key(name), rec)
                if first is not rec and first.id != rec.id:
                    problems.append(Problem(rec.path, 1, 1, "same-name",
                                            f"'{name}' also names {first.path}; if it is the same {kind}, "
                                            "keep one record and add the other's spellings as aliases", "warning"))
                    break
        for rec in index.by_kind.get(kind, []):
            excerpts = [name_key(c["excerpt"]) for c in rec.data.get("sources") or []
                        if isinstance(c, dict) and isinstance(c.get("excerpt"), str) and c["excerpt"] != PLACEHOLDER]
            if not excerpts:
                continue  # (no-source says so)
            wanted = {name_key(n) for n in names_of(rec.data, rec.title)}
            if kind == "person":
                wanted.add(name_key(rec.title.split()[-1]))  # the surname alone: "Mr. Olsen"
            wanted.discard("")
            words = [(w, True) for w in wanted]
            if kind == "organization":  # or a word of its name, by its stem: Turkish for Turkey
                words += [(w[:max(4, len(w) - 3)], False) for w in name_key(rec.title).split()
                          if len(w) >= 4 and w not in ORG_WORDS]
            if not any(_mentions(e, w, whole) for w, whole in words for e in excerpts):
                doc = docs.get(rec.id)
                line, col = doc.mark(("sources", 0, "excerpt")) if doc is not None else (1, 1)
                problems.append(Problem(rec.path, line, col, "name-not-cited",
                                        f"no excerpt of this {kind} mentions '{rec.title}'"
                                        + (f", '{rec.title.split()[-1]}'" if kind == "person" and " " in rec.title else "")
                                        + " or an alias; cite a passage about them, or add the name the source "
                                          "uses as an alias", "warning"))
    return problems
