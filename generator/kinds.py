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


@cache
def schema(name: str) -> dict:
    """Load the JSON Schema of a kind (or `common`) from generator/schemas/."""
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
