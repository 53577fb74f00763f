"""Data to take away: the dataset as JSON and CSV, and schema.org JSON-LD for record pages.

Pure functions returning text; `render_site` hands the files to the writer like pages, and
MkDocs copies them into the site unchanged. Output is deterministic (no timestamps, sorted
keys) so unchanged content gives byte-identical files that the writer can keep.
"""
from __future__ import annotations

import csv
import io
import json
from typing import Callable

from .index import Index, Record
from .kinds import KINDS, schema
from .markdown import date_key
from .names import also_written

DATA_DIR = "data"
"""Folder of the data files inside site_src (and the built site)."""
DATASET = f"{DATA_DIR}/briefing.json"
"""The whole dataset in one file."""
_CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters spreadsheet programs run as formulas (CSV injection)."""


def _record_json(rec: Record) -> dict:
    """A record's fields with its id and kind first, in schema order."""
    fields = list(schema(rec.kind).get("properties", {}))
    out = {"id": rec.id, "kind": rec.kind}
    out.update({f: rec.data[f] for f in fields if f in rec.data and f != "id"})
    out.update({f: v for f, v in rec.data.items() if f not in out and f != "id"})
    return out


def kind_records(index: Index, kind: str) -> list[dict]:
    """The records of one kind as plain JSON-ready dicts, sorted by id."""
    return [_record_json(r) for r in sorted(index.by_kind.get(kind, []), key=lambda r: r.id)]


def _json_rows(index: Index, kinds=KINDS) -> dict[str, list[str]]:
    """Each kind's records as one line of JSON each (made once for both the dataset and the
    per-kind files)."""
    return {k: [json.dumps(r, ensure_ascii=False) for r in kind_records(index, k)] for k in kinds}


def _rows_of(json_list: str) -> list[str]:
    """The rows of a kind's JSON file (_json_list's output, a newline after it): a row is one
    line, as JSON strings hold no line break unescaped."""
    body = json_list.rstrip("\n")
    return [] if body == "[]" else body[3:-2].split(",\n ")


def _json_list(rows: list[str], indent: str = "") -> str:
    """A JSON list with one record per line: readable, diff-friendly, and fast to write
    (the C encoder is only used without `indent`)."""
    if not rows:
        return "[]"
    joined = f",\n{indent} ".join(rows)
    return f"[\n{indent} {joined}\n{indent}]"


def dataset_json(index: Index, rows: dict[str, list[str]] | None = None) -> str:
    """Every record, grouped by kind (the plural, as in `content/`)."""
    rows = rows or _json_rows(index)
    kinds = ",\n".join(f"  {json.dumps(KINDS[k].plural)}: {_json_list(rows[k], '  ')}" for k in KINDS)
    return '{"kinds": {\n' + kinds + "\n}}\n"


def _columns(kind: str) -> list[str]:
    """CSV columns of a kind: id, then each schema field; dates and native names get two or three."""
    cols = ["id"]
    for name, spec in schema(kind).get("properties", {}).items():
        if name == "id":
            continue
        ref = spec.get("$ref", "")
        if ref.endswith("/date"):
            cols += [name, f"{name}_words", f"{name}_inferred"]
        elif ref.endswith("/native_name"):
            cols += [name, f"{name}_lang"]
        else:
            cols.append(name)
    return cols


def _cell(value) -> str:
    """One CSV cell: lists joined with '; ', objects as JSON, formulas defused."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        text = "; ".join(str(v) for v in value)
    elif isinstance(value, (list, dict)):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    else:
        text = str(value)
    # A leading apostrophe keeps spreadsheets from running "=HYPERLINK(...)" from a hostile record.
    return "'" + text if text.startswith(_CSV_FORMULA) else text


def _row(rec: Record, cols: list[str]) -> list[str]:
    data = rec.data
    row = []
    for col in cols:
        if col == "id":
            row.append(_cell(rec.id))
            continue
        base, _, part = col.rpartition("_")
        if part in ("words", "inferred", "lang") and isinstance(data.get(base), dict):
            value = data[base].get(part)
        elif isinstance(data.get(col), dict) and ("value" in data[col] or "text" in data[col]):
            value = data[col].get("value", data[col].get("text"))
        else:
            value = data.get(col)
        row.append(_cell(value))
    return row


def kind_csv(index: Index, kind: str) -> str:
    """The records of one kind as CSV (UTF-8, header row, LF line ends, quoting as RFC 4180)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")  # LF, like every other generated file
    cols = _columns(kind)
    writer.writerow(cols)
    for rec in sorted(index.by_kind.get(kind, []), key=lambda r: r.id):
        writer.writerow(_row(rec, cols))
    return buf.getvalue()


def kind_data_files(kind: str) -> tuple[str, str]:
    """Paths of a kind's data files: its JSON and its CSV."""
    plural = KINDS[kind].plural
    return f"{DATA_DIR}/{plural}.json", f"{DATA_DIR}/{plural}.csv"


def data_files(index: Index, skip: frozenset[str] = frozenset(),
               kept_text: Callable[[str], str] | None = None) -> dict[str, str]:
    """Every data file: path inside site_src -> text. `skip`: kinds' files not to make (their
    text is known); `kept_text(path)`: the text of such a file, whose rows the whole dataset reuses
    (else they are made again)."""
    rows: dict[str, list[str]] = {}
    for kind in KINDS:
        json_path = kind_data_files(kind)[0]
        if json_path in skip and kept_text is not None:
            try:
                rows[kind] = _rows_of(kept_text(json_path))
            except OSError:
                pass
    rows.update(_json_rows(index, [k for k in KINDS if k not in rows]))
    files = {DATASET: dataset_json(index, rows)}
    for kind in KINDS:
        json_path, csv_path = kind_data_files(kind)
        if json_path not in skip:
            files[json_path] = _json_list(rows[kind]) + "\n"
            files[csv_path] = kind_csv(index, kind)
    return files


# --- schema.org JSON-LD -------------------------------------------------------------------

SCHEMA_TYPES = {"person": "Person", "organization": "Organization", "event": "Event"}
"""Kinds that get JSON-LD, and their schema.org type."""


def _ref(index: Index, rid) -> dict | None:
    """A referenced person or organization as a small schema.org node."""
    rec = index.get(rid) if isinstance(rid, str) else None
    if rec is None or rec.kind not in ("person", "organization"):
        return None
    return {"@type": SCHEMA_TYPES[rec.kind], "name": rec.title}


def json_ld(index: Index, rec: Record) -> dict | None:
    """schema.org data describing a person, organization or event (None for other kinds)."""
    kind = SCHEMA_TYPES.get(rec.kind)
    if kind is None:
        return None
    data = rec.data
    out: dict = {"@context": "https://schema.org", "@type": kind, "name": rec.title}
    if data.get("summary"):
        out["description"] = data["summary"]
    if rec.kind in ("person", "organization"):
        names = also_written(rec.title, data.get("native_name"), data.get("aliases"))
        if names:
            out["alternateName"] = names
    if rec.kind == "person":
        if data.get("role"):
            out["jobTitle"] = data["role"]
        orgs = [o for o in (_ref(index, a) for a in data.get("affiliations") or []) if o]
        if orgs:
            out["affiliation"] = orgs
    elif rec.kind == "organization":
        parent = _ref(index, data.get("parent"))
        if parent:
            out["parentOrganization"] = parent
        members = [m for m in (_ref(index, i) for i in data.get("members") or []) if m]
        if members:
            out["member"] = members
    else:
        date = data.get("date")
        if isinstance(date, dict) and date_key(date):
            out["startDate"] = date_key(date)  # ISO 8601 allows YYYY and YYYY-MM
        if data.get("location"):
            out["location"] = {"@type": "Place", "name": data["location"]}
        attendees = [a for a in (_ref(index, p) for p in data.get("participants") or []) if a]
        if attendees:
            out["attendee"] = attendees
        if data.get("status", "happened") in ("happened", "expected"):
            # schema.org has no "took place"; a held or announced event is a scheduled one.
            out["eventStatus"] = "https://schema.org/EventScheduled"
    return out


def script_json(value) -> str:
    """JSON safe inside an HTML <script>: `<`, `>`, `&` and line separators as \\u escapes.

    A record named `</script><script>…` then cannot end the element early.
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    for char, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escaped)
    return text


def json_ld_block(index: Index, rec: Record) -> list[str]:
    """Markdown lines holding the record's JSON-LD script element (empty for other kinds)."""
    data = json_ld(index, rec)
    if data is None:
        return []
    return [f'<script type="application/ld+json">{script_json(data)}</script>', ""]
