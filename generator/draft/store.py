"""Writing drafts to `drafts/<source-id>/` and accepting them into `content/`.

The only code of `draft` that writes files. Drafts never go into `content/` (so `check` never
reads them) and no file is ever overwritten: `draft` refuses a source whose drafts folder
already has files, and `accept` moves nothing when any draft would replace a record.
"""
from __future__ import annotations

import os
from pathlib import Path

from ..kinds import BY_PLURAL, KINDS
from ..scaffold import _quote
from . import Draft

DRAFTS = "drafts"
MENTIONS = "mentions.yaml"
_MODELINE = "# yaml-language-server: $schema={up}generator/schemas/{kind}.schema.json"


def _value(value, indent: int) -> list[str]:
    """YAML lines for a value under a key (a scalar is returned as one item to append)."""
    pad = " " * indent
    if isinstance(value, dict):
        lines: list[str] = []
        for k, v in value.items():
            sub = _value(v, indent + 2)
            if isinstance(v, (dict, list)):
                lines += [f"{pad}{k}:", *sub]
            else:
                lines.append(f"{pad}{k}: {sub[0]}")
        return lines
    if isinstance(value, list):
        lines = []
        for item in value:
            if isinstance(item, dict):
                sub = _value(item, indent + 2)
                lines.append(f"{pad}- {sub[0].lstrip()}")
                lines += sub[1:]
            else:
                lines.append(f"{pad}- {_value(item, 0)[0]}")
        return lines
    if isinstance(value, bool):
        return ["true" if value else "false"]
    return [_quote(str(value))]


def record_yaml(kind: str, data: dict, depth: int) -> str:
    """A record's file text: the schema line for a file `depth` folders below the project
    root, then its fields (every text double-quoted, so YAML reads nothing as a date, number
    or boolean)."""
    return "\n".join([_MODELINE.format(up="../" * depth, kind=kind), *_value(data, 0)]) + "\n"


def mentions_yaml(draft: Draft) -> str:
    """The mentions file: which existing records the source mentions, with the citation to add."""
    lines = [f"# Records of content/ that source '{draft.source_id}' mentions. Not a record file:",
             "# to cite the source on a record, copy its `add:` citation into that record's sources.",
             "# (cites_source: true when the record already cites this source, maybe with another excerpt.)"]
    items = [{"record": m.path, "name": m.name, "cites_source": m.cites_source,
              "add": {"source": draft.source_id, "excerpt": m.excerpt}} for m in draft.mentions]
    return "\n".join(lines + (_value(items, 0) if items else ["[]"])) + "\n"


def write_drafts(root: Path, draft: Draft) -> list[str]:
    """Write the proposals to `drafts/<source-id>/<kind plural>/<id>.yaml` and the mentions to
    `drafts/<source-id>/mentions.yaml`; return the paths written (relative to `root`).

    Raises FileExistsError when the source's drafts folder already holds files: earlier drafts
    are the editor's to review or delete, never to be replaced.
    """
    folder = root / DRAFTS / draft.source_id
    if folder.exists() and any(p.is_file() for p in folder.rglob("*")):
        raise FileExistsError(f"{folder.relative_to(root).as_posix()}/ already holds drafts; review and accept "
                              "or delete them first (nothing is overwritten)")
    written = []
    files = [(f"{p.path}", record_yaml(p.kind, p.data, 3)) for p in draft.proposals]
    files.append((MENTIONS, mentions_yaml(draft)))
    for rel, text in files:
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
            out.write(text)
        written.append(path.relative_to(root).as_posix())
    return written


def accept_drafts(root: Path, source_id: str) -> tuple[list[str], list[str]]:
    """Move `drafts/<source-id>/<kind plural>/*.yaml` into `content/<kind plural>/`.

    Returns (moved, clashes) as paths relative to `root`. When any draft would replace a file of
    content/ or take an id another kind already uses, nothing is moved and `clashes` says
    which. The schema line is rewritten for the new place; the mentions file stays behind.
    """
    folder = root / DRAFTS / source_id
    moves: list[tuple[Path, Path, str]] = []
    clashes: list[str] = []
    taken = {p.stem: p for kind in KINDS.values() for p in (root / "content" / kind.plural).glob("*.yaml")}
    for plural_dir in sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []:
        kind = BY_PLURAL.get(plural_dir.name)
        if kind is None:
            continue
        for draft in sorted(plural_dir.glob("*.yaml")):
            target = root / "content" / kind.plural / draft.name
            if target.exists() or draft.stem in taken:
                other = target if target.exists() else taken[draft.stem]
                clashes.append(f"{draft.relative_to(root).as_posix()}: {other.relative_to(root).as_posix()} "
                               "already exists")
            moves.append((draft, target, kind.name))
    if clashes:
        return [], clashes
    moved = []
    for draft, target, kind in moves:
        text = draft.read_text(encoding="utf-8")
        modeline = _MODELINE.format(up="../../../", kind=kind)
        if text.startswith(modeline):
            text = _MODELINE.format(up="../../", kind=kind) + text[len(modeline):]
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:
            out.write(text)
        draft.unlink()
        moved.append(target.relative_to(root).as_posix())
    for plural_dir in [p for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []:
        if not any(plural_dir.iterdir()):
            os.rmdir(plural_dir)
    return moved, clashes
