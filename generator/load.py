"""Load stage: read the content tree and parse each YAML file safely, keeping positions.

The parser walks libyaml's event stream itself instead of using a PyYAML loader, so that
anchors, aliases and tags are rejected before anything is constructed, duplicate keys are
caught, and every key and value keeps the line and column it came from.
"""
from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from .kinds import KINDS
from .problems import Problem

MAX_YAML_BYTES = 256 * 1024
"""Largest record file accepted; records are short, a bigger file is a mistake."""
MAX_SOURCE_BYTES = 8 * 1024 * 1024
"""Largest stored source text accepted."""

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_resolver = yaml.resolver.Resolver()
_constructor = yaml.constructor.SafeConstructor()
_STR = "tag:yaml.org,2002:str"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""Control characters (other than tab and line breaks) that double-quoted YAML can smuggle in."""


@dataclass
class Document:
    """One parsed record file."""

    path: str
    """File path relative to the project root, e.g. `content/people/zelensky.yaml`."""
    kind: str
    """Record kind from the directory name, e.g. `person`."""
    id: str
    """Record id: the file name without `.yaml`."""
    data: dict | None
    """Parsed mapping, or None when the file could not be parsed."""
    marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of every value, keyed by its path in `data`."""
    key_marks: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    """1-based (line, column) of every mapping key, keyed by the path of its value."""
    plain: dict[tuple, str] = field(default_factory=dict)
    """Source text of unquoted scalars that YAML read as something other than text."""

    def mark(self, path: tuple, key: bool = False) -> tuple[int, int]:
        """Position of the value (or key) at `path`, falling back to its nearest parent."""
        table = self.key_marks if key else self.marks
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return self.marks.get((), (1, 1))


@dataclass
class Content:
    """Everything read from `content/`."""

    documents: list[Document]
    """Parsed record files, in path order."""
    source_texts: dict[str, str]
    """Stored source texts keyed by source id (from `content/sources/<id>.txt`)."""
    problems: list[Problem]
    """Problems found while reading and parsing."""


def read_text(path: Path, rel: str, limit: int, problems: list[Problem]) -> str | None:
    """Read a UTF-8 file, reporting size, encoding and emptiness problems with positions."""
    size = path.stat().st_size
    if size > limit:
        problems.append(Problem(rel, 1, 1, "file-too-large",
                                f"file is {size:,} bytes; the limit is {limit:,} bytes"))
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[:exc.start]
        line = before.count(b"\n") + 1
        col = exc.start - (before.rfind(b"\n") + 1) + 1
        problems.append(Problem(rel, line, col, "not-utf8",
                                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; save the file as UTF-8"))
        return None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def _scalar(event) -> tuple[object, bool]:
    """Value of a scalar event under YAML 1.1 rules; second item is True if it is not text."""
    if not event.implicit[0]:
        return event.value, False
    return _plain(event.value)


@lru_cache(maxsize=1 << 16)
def _plain(text: str) -> tuple[object, bool]:
    """Value of an unquoted scalar (memoized: keys and ids recur in every file; the values are
    immutable, so sharing them is safe)."""
    tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
    if tag == _STR or tag not in _constructor.yaml_constructors:
        # `<<` (merge) and `=` (value) resolve to tags SafeConstructor cannot build: keep the text
        return text, False
    node = yaml.ScalarNode(tag, text)
    return _constructor.yaml_constructors[tag](_constructor, node), True


def parse_data(text: str) -> dict | None:
    """A record file's fields read exactly as `parse_yaml` reads them, but without positions or
    problems (for old versions from git, about twice as fast); None for anything `parse_yaml`
    would reject: a syntax error, anchors, aliases, tags, several documents, not a mapping."""
    stack: list[list] = []  # [container, pending key]
    root = _NOTHING
    parser = _Loader(text)
    try:
        while True:  # (libyaml's events without yaml.parse's generator around them)
            event = parser.get_event()
            if event is None:
                break
            kind = type(event)
            if kind is yaml.ScalarEvent:
                if event.anchor is not None or event.tag is not None:
                    return None
                value = _scalar(event)[0]
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                if event.anchor is not None or event.tag is not None:
                    return None
                stack.append([{} if kind is yaml.MappingStartEvent else [], _NOTHING])
                continue
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                value = stack.pop()[0]
            elif kind is yaml.AliasEvent:
                return None
            elif kind is yaml.DocumentStartEvent and root is not _NOTHING:
                return None
            else:
                continue
            if not stack:
                root = value
                continue
            frame = stack[-1]
            if isinstance(frame[0], list):
                frame[0].append(value)
            elif frame[1] is _NOTHING:
                frame[1] = value if isinstance(value, str) else str(value)
            else:
                frame[0].setdefault(frame[1], value)  # a duplicate key: the first one counts, as in parse_yaml
                frame[1] = _NOTHING
    except yaml.YAMLError:
        return None
    finally:
        parser.dispose()
    return root if isinstance(root, dict) else None


_NOTHING = object()


def parse_yaml(text: str, rel: str, problems: list[Problem]) -> Document | None:
    """Parse one YAML document into a Document (kind and id left empty), appending problems."""
    doc = Document(rel, "", "", None)
    for lineno, line in enumerate(text.split("\n"), 1):
        col = line.find("\t")
        if col >= 0:
            problems.append(Problem(rel, lineno, col + 1, "tab",
                                    "tab character; indent and separate with spaces"))
    root = None  # (a document of just `~` is as empty as one of nothing)
    # Each frame: [container, path, pending key (or None: keys are always made text), first line
    # of each key, start mark]
    stack: list[list] = []
    documents = 0

    def place(value, line: int, col: int):
        """Put a finished value into its parent; return its path (None for a key)."""
        nonlocal root
        if not stack:
            root = value
            doc.marks[()] = (line, col)
            return ()
        frame = stack[-1]
        container, cpath = frame[0], frame[1]
        if isinstance(container, list):
            path = cpath + (len(container),)
            container.append(value)
            doc.marks[path] = (line, col)
            return path
        if frame[2] is None:
            if not isinstance(value, str):
                problems.append(Problem(rel, line, col, "bad-key",
                                        f"keys must be text; found {describe(value)}"))
                value = str(value)
            if value in frame[3]:
                problems.append(Problem(rel, line, col, "duplicate-key",
                                        f"duplicate key '{value}' (first set on line {frame[3][value]}); "
                                        "YAML would silently keep only the last one"))
            else:
                frame[3][value] = line
            frame[2] = value
            doc.key_marks[cpath + (value,)] = (line, col)
            return None
        path = cpath + (frame[2],)
        if frame[2] not in container:
            container[frame[2]] = value
        doc.marks[path] = (line, col)
        frame[2] = None
        return path

    def pending_path():
        """Path the next value will take (used before a container's children arrive). A list or
        mapping used as a key gets a path ending in None, which no field has."""
        if not stack:
            return ()
        container, cpath, key = stack[-1][0], stack[-1][1], stack[-1][2]
        return cpath + (len(container) if isinstance(container, list) else key,)

    try:
        for event in yaml.parse(text, Loader=_Loader):
            kind = type(event)
            line, col = event.start_mark.line + 1, event.start_mark.column + 1
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    problems.append(Problem(rel, line, col, "multiple-documents",
                                            "a record file holds one YAML document; remove the '---' separator"))
                    break
                continue
            if kind in (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent):
                if event.anchor is not None:
                    problems.append(Problem(rel, line, col, "anchor",
                                            f"anchor '&{event.anchor}' is not allowed; write the value out in full"))
                if event.tag is not None:  # even the non-specific `!`: records need no tags
                    problems.append(Problem(rel, line, col, "tag",
                                            f"tag '{event.tag}' is not allowed; records hold plain text, lists and mappings"))
            if kind is yaml.ScalarEvent:
                value, typed = _scalar(event) if event.tag is None else (event.value, False)
                bad = _CONTROL.search(event.value)
                if bad:
                    problems.append(Problem(rel, line, col, "control-char",
                                            f"text holds the invisible control character U+{ord(bad.group()):04X}; "
                                            "remove it (it cannot be shown on a page)"))
                path = place(value, line, col)
                if typed and path is not None:
                    doc.plain[path] = event.value
                elif path is not None and event.value and not event.value.strip():
                    # the schema's minLength catches '' but not '  ', which would show as nothing
                    problems.append(Problem(rel, line, col, "empty",
                                            "blank text (only spaces); write something or remove the field"))
            elif kind is yaml.AliasEvent:
                problems.append(Problem(rel, line, col, "alias",
                                        f"alias '*{event.anchor}' is not allowed; write the value out in full"))
                frame = stack[-1] if stack else None
                if frame is not None and (isinstance(frame[0], list) or frame[2] is not None):
                    if isinstance(frame[0], dict):
                        frame[2] = None  # drop the key: its value is unknown, and one error is enough
                else:
                    place(None, line, col)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                container = {} if kind is yaml.MappingStartEvent else []
                stack.append([container, pending_path(), None, {}, (line, col)])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                frame = stack.pop()
                place(frame[0], *frame[4])
    except yaml.MarkedYAMLError as exc:  # (libyaml always names the problem and marks it)
        mark, start = exc.problem_mark, exc.context_mark
        what = exc.problem
        if exc.context and (start.line, start.column) != (mark.line, mark.column):
            # say where the unfinished thing began: that is usually where the mistake is
            what += f" ({exc.context} that starts at line {start.line + 1}, column {start.column + 1})"
        elif exc.context:
            what = f"{exc.context}: {what}"
        problems.append(Problem(rel, mark.line + 1, mark.column + 1, "yaml-syntax", f"YAML syntax error: {what}"))
        return doc
    except yaml.reader.ReaderError as exc:  # a control character outside quotes
        before = text.encode("utf-8")[:exc.position].decode("utf-8")  # (libyaml counts bytes)
        line = before.count("\n") + 1
        col = len(before) - (before.rfind("\n") + 1) + 1
        problems.append(Problem(rel, line, col, "control-char",
                                f"text holds the invisible control character U+{exc.character:04X}; "
                                "remove it (it cannot be shown on a page)"))
        return doc
    if root is None:
        problems.append(Problem(rel, 1, 1, "empty-file", "file holds no record; write the record's fields"))
        return doc
    if not isinstance(root, dict):
        problems.append(Problem(rel, 1, 1, "not-a-mapping",
                                f"a record is a mapping of field: value; found {describe(root)}"))
        return doc
    doc.data = root
    return doc


def describe(value) -> str:
    """Name a parsed YAML value's type for messages, e.g. `boolean false`, `number 750`."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value}"
    if isinstance(value, str):
        return f"text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"date {value.isoformat()}"
    return f"a {type(value).__name__} ({value})"


def load_document(root: Path, path: Path, kind: str, problems: list[Problem]) -> Document:
    """Read and parse one record file."""
    rel = path.relative_to(root).as_posix()
    text = read_text(path, rel, MAX_YAML_BYTES, problems)
    if text is None:
        return Document(rel, kind, path.stem, None)
    doc = parse_yaml(text, rel, problems)
    doc.kind, doc.id = kind, path.stem
    return doc


def parse_record_files(root: Path, entries: list[tuple[str, str, str]]) -> list[tuple[Document, list[Problem]]]:
    """Parse record files given as (path, rel, kind): each one's Document and own problems."""
    out = []
    for path, _rel, kind in entries:
        problems: list[Problem] = []
        out.append((load_document(root, Path(path), kind, problems), problems))
    return out


def load_content(root: Path, parse_files=None) -> Content:
    """Read every record file and source text under `root/content`.

    `parse_files(entries)` parses the record files, given as a list of (path, rel, kind) with
    `path` a str, and returns `(Document, that file's problems)` for each, in order (default:
    parse_record_files). The pipeline passes one that reuses cached parses and uses every core.
    """
    content_dir = root / "content"
    problems: list[Problem] = []
    entries: list[tuple[str, str, str]] = []
    texts: dict[str, str] = {}
    for kind in KINDS.values():
        kind_dir = content_dir / kind.plural
        if not kind_dir.is_dir():
            continue
        # os.scandir, not Path.iterdir: pathlib's per-file overhead is ~30 µs, 0.3 s at 10,000 files
        for entry in sorted(os.scandir(kind_dir), key=lambda e: e.name):
            name = entry.name
            rel = f"content/{kind.plural}/{name}"
            # = Path(name).suffix == ".yaml" (a file named just `.yaml` has no suffix: it is hidden)
            if len(name) > 5 and name.endswith(".yaml") and entry.is_file():
                entries.append((entry.path, rel, kind.name))
                continue
            path = Path(entry.path)
            if kind.name == "source" and path.suffix == ".txt":
                text = read_text(path, rel, MAX_SOURCE_BYTES, problems)
                if text is not None:
                    texts[path.stem] = text
            elif path.suffix == ".yml":
                problems.append(Problem(rel, 1, 1, "wrong-extension",
                                        f"record files end in .yaml; rename to {path.stem}.yaml"))
            elif not path.name.startswith("."):
                problems.append(Problem(rel, 1, 1, "stray-file",
                                        f"'{path.name}' is not a record; records are <id>.yaml", "warning"))
    parsed = parse_files(entries) if parse_files else parse_record_files(root, entries)
    documents = [doc for doc, _ in parsed]
    for _, file_problems in parsed:
        problems += file_problems
    return Content(documents, texts, problems)
