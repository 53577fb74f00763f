"""Validate stage: check each parsed record against its kind's JSON Schema and id rules.

Schema errors are turned into messages that say what was expected, what was found and,
where possible, how to fix it (a close field name, the quoted form of a YAML 1.1 surprise).
"""
from __future__ import annotations

import copy
import difflib
import re
from functools import cache

import fastjsonschema

from .kinds import KINDS, schema
from .languages import LANGUAGE_TAG, language_tag_problems, tag_hint
from .load import Document, describe
from .problems import Problem

PLACEHOLDER = "TODO"
"""What `briefing new` writes where the editor must fill something in; a value left as it is is
reported by `placeholders.py` ("fill in …"), not as a wrong value."""

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
"""A safe record id (same rule as `common.schema.json#/$defs/id`)."""

_TYPE_NAMES = {"string": "text", "array": "a list", "object": "a mapping of field: value",
               "boolean": "true or false", "integer": "a whole number", "number": "a number"}


@cache
def validator(kind: str):
    """A JSON Schema validator for one kind, with `common.schema.json` resolvable.

    jsonschema reports every error with its path, which the messages need, but it is slow
    (about 0.5 ms a record) and slow to import: it only runs on records `fast_check` rejects.
    """
    from jsonschema import Draft202012Validator
    from referencing import Registry, Resource

    common = schema("common")
    registry = Registry().with_resource(common["$id"], Resource.from_contents(common))
    return Draft202012Validator(schema(kind), registry=registry)


def _common_handler(uri: str) -> dict:
    """Resolve `common.schema.json` references for fastjsonschema (no network, ever)."""
    common = schema("common")
    if uri.split("#")[0] != common["$id"]:
        raise ValueError(f"schema reference outside briefing's schemas: {uri}")
    return copy.deepcopy(common)  # fastjsonschema edits the schemas it is given


@cache
def fast_check(kind: str):
    """A compiled yes/no validator for one kind (about 20 µs a record): raises on any error.

    The same schemas compiled to Python by fastjsonschema; tests/test_scale.py checks that it
    never accepts what jsonschema rejects. `use_default=False`: it must never fill in data.
    """
    return fastjsonschema.compile(copy.deepcopy(schema(kind)), handlers={"https": _common_handler}, use_default=False,
                                  use_formats=False, detailed_exceptions=False)


def schema_valid(kind: str, data) -> bool:
    """True when `data` satisfies the kind's schema."""
    try:
        fast_check(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def suggest(word: str, choices) -> str:
    """` — did you mean 'x'?` for the closest choice, or an empty string."""
    match = difflib.get_close_matches(str(word), list(choices))  # (best first)
    return f" — did you mean '{match[0]}'?" if match else ""


def slugify(text: str) -> str:
    """Turn a name into a safe id: ASCII lowercase words joined by hyphens."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def article(noun: str) -> str:
    """`a person`, `an organization`."""
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _field(path) -> str:
    """Dotted field name for messages, e.g. `sources[0].excerpt`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "record"


def _schema_problem(doc: Document, error) -> list[Problem]:
    """Translate one jsonschema error into problems with positions and helpful text."""
    path = tuple(error.absolute_path)
    rel, kind = doc.path, KINDS[doc.kind]
    where = _field(path)
    check = error.validator
    if check == "additionalProperties":
        allowed = error.schema.get("properties", {})
        out = []
        for key in error.instance:
            if key not in allowed:
                line, col = doc.mark(path + (key,), key=True)
                hint = suggest(key, allowed) or f"; allowed: {', '.join(allowed)}"
                scope = article(kind.name) if not path else where
                out.append(Problem(rel, line, col, "unknown-key", f"unknown field '{key}' in {scope}{hint}"))
        return out
    if error.instance == PLACEHOLDER:
        return []  # a placeholder left in place: placeholders.py says what to fill in
    line, col = doc.mark(path)
    if check == "required":
        missing = [k for k in error.validator_value if k not in error.instance]
        scope = article(kind.name) if not path else where
        return [Problem(rel, line, col, "missing-key", f"{scope} needs the field '{k}'") for k in missing]
    found = describe(error.instance)
    if check == "type":
        expected = _TYPE_NAMES.get(error.validator_value, str(error.validator_value))
        plain = doc.plain.get(path)
        hint = ""
        if plain is not None and error.validator_value == "string":
            hint = f" (YAML 1.1 reads unquoted {plain} that way) — put it in quotes: '{plain}'"
        return [Problem(rel, line, col, "wrong-type", f"{where}: expected {expected}, found {found}{hint}")]
    if check == "enum":
        options = error.validator_value
        return [Problem(rel, line, col, "bad-value",
                        f"{where}: expected one of {', '.join(options)}; found {found}{suggest(error.instance, options)}")]
    if check == "pattern":
        desc = error.schema.get("description", "").rstrip(".")
        expected = desc[:1].lower() + desc[1:]
        hint = ""
        if error.validator_value.startswith("^https?"):
            expected = "an http:// or https:// address (no spaces, quotes or < >)"
        elif error.schema.get("x-format") == LANGUAGE_TAG and isinstance(error.instance, str):
            hint = tag_hint(error.instance)
        elif "id" in desc and isinstance(error.instance, str):
            hint = f" — did you mean '{slugify(error.instance)}'?" if slugify(error.instance) else ""
        return [Problem(rel, line, col, "bad-format", f"{where}: expected {expected}; found {found}{hint}")]
    if check == "minLength":
        return [Problem(rel, line, col, "empty", f"{where}: empty text; write something or remove the field")]
    if check == "minItems":
        return [Problem(rel, line, col, "empty", f"{where}: empty list; add at least one item or remove the field")]
    if check == "uniqueItems":
        return [Problem(rel, line, col, "duplicate-item", f"{where}: the list holds the same item twice")]
    if check == "maxLength":
        return [Problem(rel, line, col, "too-long", f"{where}: text is longer than {error.validator_value} characters")]
    return [Problem(rel, line, col, "schema", f"{where}: {error.message}")]


def validate_document(doc: Document) -> list[Problem]:
    """All schema and id problems of one parsed record."""
    problems: list[Problem] = []
    if not ID_RE.match(doc.id):
        hint = f"; rename it to '{slugify(doc.id)}.yaml'" if slugify(doc.id) else ""
        problems.append(Problem(doc.path, 1, 1, "bad-id",
                                f"file name '{doc.id}' is not a safe id (lowercase ASCII letters, digits, "
                                f"single hyphens){hint}"))
    if doc.data is None:
        return problems
    if not schema_valid(doc.kind, doc.data):
        for error in validator(doc.kind).iter_errors(doc.data):
            problems.extend(_schema_problem(doc, error))
    problems += language_tag_problems(doc)
    given = doc.data.get("id")
    if isinstance(given, str) and given != doc.id:
        line, col = doc.mark(("id",))
        problems.append(Problem(doc.path, line, col, "id-mismatch",
                                f"id '{given}' does not match the file name '{doc.id}.yaml'; "
                                "remove the id field or rename the file"))
    return problems


def duplicate_ids(documents: list[Document]) -> list[Problem]:
    """Ids used by two records (ids are unique across kinds): a check across files, never cached."""
    problems: list[Problem] = []
    first: dict[str, Document] = {}
    for doc in documents:
        if doc.id in first:
            problems.append(Problem(doc.path, 1, 1, "duplicate-id",
                                    f"id '{doc.id}' is already used by {first[doc.id].path}; ids are unique "
                                    "across all kinds"))
        else:
            first[doc.id] = doc
    return problems
