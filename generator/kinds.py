"""The registry of record kinds: directory names, title fields, schemas."""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SCHEMA_DIR = Path(__file__).parent / "schemas"


@dataclass(frozen=True)
class Kind:
    """A record kind and where its files and pages live."""

    name: str
    """Singular name used in schemas and references, e.g. `person`."""
    plural: str
    """Directory under `content/` and URL section of the site, e.g. `people`."""
    label: str
    """Title of the kind's index page, e.g. `People`."""
    title_field: str
    """Field that names a record in links and headings."""
    has_pages: bool = True
    """False for kinds shown only inside other pages and their index (quotes, assessments)."""


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("person", "people", "People", "name"),
    Kind("organization", "organizations", "Organizations", "name"),
    Kind("demand", "demands", "Demands", "title"),
    Kind("agreement", "agreements", "Agreements", "title"),
    Kind("event", "events", "Events", "title"),
    Kind("quote", "quotes", "Quotes", "text", has_pages=False),
    Kind("assessment", "assessments", "Assessments", "title", has_pages=False),
    Kind("source", "sources", "Sources", "title"),
)}
"""Every kind, in the order the site lists them."""

BY_PLURAL: dict[str, Kind] = {k.plural: k for k in KINDS.values()}
"""Kinds keyed by their content directory name."""

EACH = "*"
"""In a field path, stands for every item of a list (`sources.*.id`)."""


@cache
def schema(name: str) -> dict:
    """Load the JSON Schema of a kind (or `common`) from generator/schemas/."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@cache
def field_label(kind: str, field: str) -> str:
    """A field's label on pages (its schema `title`), e.g. `Addressed to` for a demand's target."""
    prop = schema(kind).get("properties", {}).get(field, {})
    return prop.get("title", field.replace("_", " ").capitalize())


@cache
def disputable(kind: str) -> tuple[str, ...]:
    """Fields of a kind that sources may disagree on (those its schema's `disputes` lists)."""
    return tuple(schema(kind).get("properties", {}).get("disputes", {}).get("properties", {}))


@cache
def display(kind: str, field: str) -> str:
    """How a field's value is shown, from its schema: `date`, `url`, `ref` (a link), `refs`
    (links), `texts` (a list of texts), `badge` (the schema's `x-display`) or `text`."""
    prop = schema(kind).get("properties", {}).get(field, {})
    if "x-display" in prop:
        return prop["x-display"]
    ref = prop.get("$ref", "")
    if ref.endswith("/$defs/date"):
        return "date"
    if ref.endswith("/$defs/url"):
        return "url"
    if "x-ref" in prop:
        return "ref"
    if prop.get("type") == "array" or ref.endswith("/$defs/ids"):
        return "refs" if "x-ref" in prop.get("items", {}) else "texts"
    return "text"


def _resolve(node: dict, base: dict) -> tuple[dict, dict]:
    """Follow a `$ref` (into this schema or common.schema.json); return (target, its schema)."""
    ref = node.get("$ref")
    if not ref:
        return node, base
    file, _, pointer = ref.partition("#")
    base = schema("common") if file == "common.schema.json" else base
    target = base
    for part in pointer.strip("/").split("/"):
        target = target[part]
    return target, base


@cache
def annotated(kind: str, key: str) -> tuple[tuple[tuple[str, ...], object], ...]:
    """(path, value) of every field of a kind whose schema carries the annotation `key`
    (`x-ref`, `x-format`), following `$ref` and `allOf`; `*` in a path stands for list items."""
    out = []

    def walk(node: dict, path: tuple, base: dict):
        if key in node:
            out.append((path, node[key]))
            return
        node, base = _resolve(node, base)
        if key in node:  # a `$ref` to an annotated field, e.g. a disputed field's accounts
            out.append((path, node[key]))
            return
        for sub in node.get("allOf", ()):
            walk(sub, path, base)
        for name, sub in node.get("properties", {}).items():
            walk(sub, path + (name,), base)
        if "items" in node:
            walk(node["items"], path + (EACH,), base)

    walk(schema(kind), (), schema(kind))
    return tuple(out)
