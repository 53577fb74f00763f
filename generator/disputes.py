"""Where sources disagree: each disputed field keeps every source's account (statement model).

A record's `disputes` maps a field to the accounts of it, one per source: the value that source
gives, with the source's id and a verbatim excerpt. The field itself keeps the value the
briefing leads with (used for sorting, placing on the timeline and drawing), which must be
one of the accounts; pages, listings, the timeline and the home brief show every account.

This module holds the rules across an account list that a schema cannot state, and the
lookups renderers use. Excerpts are checked by provenance.py like every other citation.
"""
from __future__ import annotations

from .index import Index
from .load import Document, describe
from .problems import Problem


def accounts(data: dict, field: str) -> list[dict]:
    """The accounts of a disputed field, the one matching the record's own value first;
    an empty list when sources do not disagree on it."""
    found = [a for a in ((data.get("disputes") or {}).get(field) or []) if isinstance(a, dict)]
    lead = data.get(field)
    return sorted(found, key=lambda a: a.get("value") != lead)


def distinct_values(data: dict, field: str) -> list:
    """The different values sources give for a field, the record's own first ([] if undisputed)."""
    out: list = []
    for account in accounts(data, field):
        if account.get("value") not in out:
            out.append(account.get("value"))
    return out


def check_disputes(documents: list[Document], index: Index) -> list[Problem]:
    """The record's own value must be one of its accounts, and the accounts must differ."""
    problems: list[Problem] = []
    for doc in documents:
        rec = index.get(doc.id)
        if rec is None or rec.path != doc.path:
            continue
        for field, listed in (rec.data.get("disputes") or {}).items():
            if not isinstance(listed, list):
                continue
            values = [a.get("value") for a in listed if isinstance(a, dict)]
            line, col = doc.mark(("disputes", field), key=True)
            if field not in rec.data:
                problems.append(Problem(doc.path, line, col, "dispute-without-value",
                                        f"'{field}' is disputed but the record has no '{field}'; give it the "
                                        "value of the account the briefing leads with"))
            elif rec.data[field] not in values:
                line, col = doc.mark((field,))
                problems.append(Problem(doc.path, line, col, "dispute-lead",
                                        f"{field} is {describe(rec.data[field])}, which none of the accounts in "
                                        f"disputes.{field} gives; the record's own value must be one of them"))
            if len(values) >= 2 and all(v == values[0] for v in values):
                problems.append(Problem(doc.path, line, col, "no-disagreement",
                                        f"every account in disputes.{field} gives the same value; cite the "
                                        "sources under sources: instead", "warning"))
    return problems
