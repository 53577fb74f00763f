"""Placeholders `briefing new` leaves for the editor (`"TODO"`), reported as "fill in …" with what
belongs there: the ids of the records that exist, the allowed values, or what to copy."""
from __future__ import annotations

from .index import Index, ref_fields
from .kinds import EACH, KINDS, schema
from .load import Document
from .problems import Problem
from .validate import PLACEHOLDER

SHOWN_IDS = 12
"""Most ids listed in one message."""


def _found(data, path: tuple = ()):
    """(path, value) of every placeholder in a record's data."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _found(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _found(value, path + (i,))
    elif data == PLACEHOLDER:
        yield path, data


def _generic(path: tuple) -> tuple:
    """A data path with list positions as `*`, as in the schemas' field paths."""
    return tuple(EACH if isinstance(p, int) else p for p in path)


def _what(index: Index, kind: str, path: tuple, data: dict) -> str:
    """What belongs at `path`: ids that exist, allowed values, or the field's description."""
    generic = _generic(path)
    for ref_path, kinds in ref_fields(kind):
        if ref_path == generic:
            ids = sorted(r.id for k in kinds for r in index.by_kind.get(k, []))
            names = " or ".join(KINDS[k].name for k in kinds)
            if not ids:
                return f"the id of a {names} (there is none yet: add one first)"
            more = f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else ""
            return f"the id of a {names}: {', '.join(ids[:SHOWN_IDS])}{more}"
    if path[-1] == "excerpt" and len(path) >= 2:
        cite = data
        for part in path[:-1]:
            cite = cite[part]
        source = cite.get("source") if isinstance(cite, dict) else None
        where = f"content/sources/{source}.txt" if isinstance(source, str) and source != PLACEHOLDER else "the source's text"
        return f"words copied verbatim from {where}"
    prop = schema(kind).get("properties", {}).get(path[0], {}) if len(path) == 1 else {}
    if "enum" in prop:
        return f"one of: {', '.join(prop['enum'])}"
    description = prop.get("description", "").rstrip(".")
    return description[:1].lower() + description[1:] if description else "a value"


def placeholder_problems(documents: list[Document], index: Index) -> list[Problem]:
    """`placeholder`: every `"TODO"` left in a record, with what to fill in."""
    problems: list[Problem] = []
    for doc in documents:
        if not isinstance(doc.data, dict):
            continue
        for path, _ in _found(doc.data):
            line, col = doc.mark(path)
            field = ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
            problems.append(Problem(doc.path, line, col, "placeholder",
                                    f"{field}: fill in {_what(index, doc.kind, path, doc.data)}"))
    return problems
