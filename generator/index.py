"""Index stage: resolve every reference between records and collect backlinks.

Which fields are references, and to which kinds, is read from the `x-ref` annotations of
the JSON Schemas, so the schema stays the single place where fields are declared.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from typing import Callable

from .kinds import EACH, KINDS, annotated
from .load import Document
from .problems import Problem
from .validate import ID_RE, article, suggest


@dataclass
class Record:
    """A valid record, ready to render."""

    kind: str
    """Kind name, e.g. `person`."""
    id: str
    """Record id (unique across kinds)."""
    path: str
    """Source file path relative to the project root."""
    data: dict
    """Parsed fields."""

    @property
    def title(self) -> str:
        """The record's display name (its kind's title field)."""
        return str(self.data.get(KINDS[self.kind].title_field, self.id))


@dataclass(frozen=True)
class Link:
    """One reference from a record's field to another record."""

    source: str
    """Id of the record holding the reference."""
    field: str
    """Field name holding it, e.g. `party` or `sources` (see `link_field`)."""
    target: str
    """Id of the referenced record."""


@dataclass
class Index:
    """All records with their references resolved both ways."""

    records: dict[str, Record]
    """Every record by id."""
    by_kind: dict[str, list[Record]]
    """Records of each kind, sorted by title."""
    links: dict[str, list[Link]] = field(default_factory=dict)
    """Outgoing references of each record, in field order."""
    backlinks: dict[str, list[Link]] = field(default_factory=dict)
    """Incoming references of each record."""

    def get(self, record_id: str) -> Record | None:
        """The record with this id, if any."""
        return self.records.get(record_id)

    def referrers(self, record_id: str, field_name: str | None = None, kind: str | None = None) -> list[Record]:
        """Records referring to `record_id`, optionally only through one field or of one kind."""
        seen, out = set(), []
        for link in self.backlinks.get(record_id, ()):
            rec = self.records[link.source]
            if (field_name and link.field != field_name) or (kind and rec.kind != kind) or rec.id in seen:
                continue
            seen.add(rec.id)
            out.append(rec)
        return out


@cache
def ref_fields(kind: str) -> tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]:
    """(path, allowed kinds) of every reference field of a kind, from `x-ref` annotations."""
    return tuple((path, tuple(kinds)) for path, kinds in annotated(kind, "x-ref"))


def _values(data, path: tuple) -> list[tuple[tuple, object]]:
    """(full path, value) of every value at a field path with `*` standing for list items, in
    document order (one step of the path at a time: ten thousand records' references are read
    on every build)."""
    found: list[tuple[tuple, object]] = [((), data)]
    for head in path:
        if head == EACH:
            found = [(here + (i,), item) for here, value in found if isinstance(value, list)
                     for i, item in enumerate(value)]
        else:
            found = [(here + (head,), value[head]) for here, value in found
                     if isinstance(value, dict) and head in value]
        if not found:
            break
    return found


def link_field(path: tuple) -> str:
    """The field a reference at `path` is shown under: `sources` for every citation (in `sources`,
    a caveat or a source's account), the disputed field for an account's value, else the field."""
    if path[-1] == "source":
        return "sources"
    return path[1] if path[0] == "disputes" else path[0]


def _kinds_phrase(kinds) -> str:
    return " or ".join(kinds)


def build_index(documents: list[Document],
                stale: Callable[[], dict[str, tuple[str, str]]] | None = None) -> tuple[Index, list[Problem]]:
    """Resolve references of valid documents; report missing records and wrong kinds.

    `stale`: called (once, and only if a reference is unknown) for the ids records no longer
    have -> (code, message) saying what became of them (renamed to…, removed on…).
    """
    known: list[dict[str, tuple[str, str]]] = []
    # With an id used twice the first file keeps it (validate reports the second as duplicate-id).
    docs: dict[str, Document] = {}
    for d in documents:
        if d.data is not None:
            docs.setdefault(d.id, d)
    records = {rid: Record(d.kind, d.id, d.path, d.data) for rid, d in docs.items()}
    unreadable = {d.id for d in documents if d.data is None} - set(records)
    problems: list[Problem] = []
    links: dict[str, list[Link]] = defaultdict(list)
    backlinks: dict[str, list[Link]] = defaultdict(list)
    for rid, rec in records.items():
        doc = docs[rid]
        for path, kinds in ref_fields(rec.kind):
            for full, target in _values(rec.data, path):
                if not isinstance(target, str) or not ID_RE.match(target) or target in unreadable:
                    continue  # the schema check, or the target file's own problem, says what is wrong
                hit = records.get(target)
                if hit is None or hit.kind not in kinds:
                    line, col = doc.mark(full)
                    if hit is None and stale is not None and not known:
                        known.append(stale())
                    if hit is None and known and target in known[0]:
                        problems.append(Problem(rec.path, line, col, *known[0][target]))
                    elif hit is None:
                        same_kind = [r for r, v in records.items() if v.kind in kinds]
                        msg = f"unknown {_kinds_phrase(kinds)} '{target}'{suggest(target, same_kind)}"
                        problems.append(Problem(rec.path, line, col, "unknown-ref", msg))
                    else:
                        problems.append(Problem(rec.path, line, col, "wrong-kind",
                                                f"'{target}' is {article(hit.kind)}, but {link_field(full)} takes "
                                                f"{article(_kinds_phrase(kinds))}"))
                    continue
                link = Link(rid, link_field(full), target)
                links[rid].append(link)
                backlinks[target].append(link)
    by_kind = {k: sorted((r for r in records.values() if r.kind == k), key=lambda r: (r.title.casefold(), r.id))
               for k in KINDS}
    return Index(records, by_kind, dict(links), dict(backlinks)), problems
