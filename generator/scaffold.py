"""`briefing new <kind> "<Name>"`: write a new record file with the kind's required fields.

The file starts with a yaml-language-server line so editors validate it against its schema
while it is being filled in. Placeholders are quoted `TODO` texts that `briefing check`
rejects, so a half-filled record cannot be published by accident.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from .identity import NAMED, same_name
from .kinds import KINDS, schema
from .validate import ID_RE, PLACEHOLDER, slugify, validator

MAX_ID = 80
"""Longest id the schema accepts (`common.schema.json#/$defs/id`)."""
TODO = PLACEHOLDER


def _quote(text: str) -> str:
    """A YAML double-quoted scalar (JSON string syntax is valid YAML), so nothing is read as a
    number, date, boolean or markup."""
    # JSON leaves DEL, C1 controls and U+2028/9 raw; a YAML reader rejects or folds them
    return re.sub(r"[\x7f-\x9f\u2028\u2029\ufeff]", lambda m: f"\\u{ord(m.group()):04x}",
                  json.dumps(text, ensure_ascii=False))


def _resolve(node: dict) -> dict:
    """The definition a property points to in common.schema.json, merged with its own keys."""
    ref = node.get("$ref", "")
    if "#/$defs/" not in ref:
        return node
    target = schema("common")["$defs"][ref.rsplit("/", 1)[-1]]
    return {**target, **{k: v for k, v in node.items() if k != "$ref"}}


def make_id(name: str) -> str:
    """The id a name makes: its slug, cut at a hyphen to fit the id length limit."""
    slug = slugify(name)
    while len(slug) > MAX_ID and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug


def _field_lines(name: str, node: dict, kind: str, title: str) -> list[str]:
    """YAML lines for one required field, with a placeholder and a comment saying what goes there."""
    node = _resolve(node)
    if name == KINDS[kind].title_field:
        return [f"{name}: {_quote(title)}"]
    if "x-ref" in node:
        return [f"{name}: {_quote(TODO)}  # id of a {' or '.join(node['x-ref'])}"]
    if node.get("type") == "array":
        items = _resolve(node.get("items", {}))
        what = f"ids of {' or '.join(items['x-ref'])} records" if "x-ref" in items else node.get("description", "")
        return [f"{name}:  # {what}", f"  - {_quote(TODO)}"]
    if "enum" in node:
        return [f"{name}: {_quote(TODO)}  # one of: {', '.join(node['enum'])}"]
    if node.get("type") == "object" and "value" in node.get("properties", {}):
        return [f"{name}:",
                f"  value: {_quote(TODO)}  # YYYY, YYYY-MM or YYYY-MM-DD",
                f"  words: {_quote(TODO)}  # the source's own time words, verbatim",
                "  inferred: false  # true when the date is worked out, not stated (then add basis:)"]
    return [f"{name}: {_quote(TODO)}  # {node.get('description', '')}".rstrip()]


def required_fields(kind: str) -> list[str]:
    """Fields a new record of `kind` needs, in schema order.

    Besides `required`, a schema may require fields conditionally (an event needs a date
    unless it is only expected): the record with the fields found so far is validated and
    every field the schema then asks for is added.
    """
    spec = schema(kind)
    names = set(spec.get("required", ()))
    for _ in range(len(spec["properties"])):
        data = {name: {} if _resolve(spec["properties"][name]).get("type") == "object" else TODO for name in names}
        missing = {key for error in validator(kind).iter_errors(data)
                   if error.validator == "required" and not error.absolute_path
                   for key in error.validator_value if key not in data}
        if not missing:
            break
        names |= missing
    return [name for name in spec["properties"] if name in names]


def scaffold(kind: str, title: str) -> str:
    """The text of a new record: schema line, required fields, and a citation stub."""
    spec = schema(kind)
    lines = [f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json"]
    for name in required_fields(kind):
        lines += _field_lines(name, spec["properties"][name], kind, title)
    if "sources" in spec["properties"]:
        lines += ["sources:",
                  f"  - source: {_quote(TODO)}  # id of the source record (content/sources/<id>.yaml)",
                  f"    excerpt: {_quote(TODO)}  # words copied verbatim from content/sources/<id>.txt"]
    return "\n".join(lines) + "\n"


def new_record(root: Path, kind: str, name: str) -> int:
    """Write `content/<plural>/<id>.yaml` for a new record; print its path. Exit code 0 or 1."""
    title = " ".join(name.split())
    record_id = make_id(title)
    if not record_id or not ID_RE.match(record_id):
        print(f"new: '{name}' does not make a safe id (it needs ASCII letters or digits); "
              "write the name in Latin letters, or add the native spelling later as native_name", file=sys.stderr)
        return 1
    plural = KINDS[kind].plural
    path = root / "content" / plural / f"{record_id}.yaml"
    rel = path.relative_to(root).as_posix()
    if path.exists():
        print(f"new: {rel} already exists; not overwriting it", file=sys.stderr)
        return 1
    taken = [p for k in KINDS.values() for p in [root / "content" / k.plural / f"{record_id}.yaml"] if p.exists()]
    if taken:
        print(f"new: id '{record_id}' is already used by {taken[0].relative_to(root).as_posix()}; ids are unique "
              "across all kinds — choose a more specific name", file=sys.stderr)
        return 1
    if kind in NAMED:
        from .pipeline import check  # (the whole content is read only for people and organizations)

        index = check(root, cache=True).index
        twin = same_name(index, kind, [title]) if index is not None else None
        if twin is not None:
            print(f"new: {twin.path} already names this {kind} ('{twin.title}', by name or alias, ignoring case "
                  "and diacritics); not creating a duplicate — add other spellings to its aliases", file=sys.stderr)
            return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(scaffold(kind, title))
    print(rel)
    if kind == "source":
        print(f"new: save the source's text as content/{plural}/{record_id}.txt", file=sys.stderr)
    return 0
