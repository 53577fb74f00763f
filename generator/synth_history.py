"""A synthetic history for benchmarks: the synthetic content as a git repository of many commits.

The first commit adds every record; each later one makes a few edits of the kinds editors make
(a status changed, a summary rewritten, a record added, removed or renamed, a file re-indented),
so the history has every kind of change and the last commit is valid content. Written with one
`git fast-import` (thousands of commits in seconds), then checked out.
"""
from __future__ import annotations

import copy
import os
import random
import subprocess
from pathlib import Path

import yaml

from .kinds import KINDS

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
START = 1735722000
"""Time of the first commit (2025-01-01 09:00 UTC); each next one is an hour later."""
STATUSES = {
    "demands": ("standing", "unchanged", "escalated", "rejected", "accepted", "met", "withdrawn"),
    "agreements": ("agreed", "acknowledged", "stated", "implemented", "pending", "violated"),
    "events": ("happened", "expected", "possible"),
}
"""Values a synthetic edit may move a record's status between."""


def record_text(rel: str, data: dict, indent: int = 2) -> str:
    """A record file: the schema modeline and the fields as YAML."""
    kind = next(k.name for k in KINDS.values() if rel.startswith(k.plural + "/"))
    head = f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json\n"
    return head + yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1000, indent=indent)


def _blob(path: str, text: str) -> bytes:
    data = text.encode("utf-8")
    return f"M 100644 inline {path}\ndata {len(data)}\n".encode() + data + b"\n"


def _commit(n: int, message: str, ops: list[bytes]) -> bytes:
    when = f"{START + n * 3600} +0000"
    msg = message.encode("utf-8")
    head = (f"commit refs/heads/main\ncommitter Synth <synth@example.org> {when}\n"
            f"data {len(msg)}\n").encode() + msg + b"\n"
    return head + b"".join(ops) + b"\n"


def write_history(out: Path, records: dict[str, dict], texts: dict[str, str], commits: int, seed: int = 1) -> None:
    """Make `out` a git repository whose `commits` commits end with `records` and `texts` edited
    (records added by the history included), and check the last one out into `out/content/`."""
    rnd = random.Random(seed)
    records = copy.deepcopy(records)
    stream = [_commit(0, f"Synthetic briefing: {len(records)} records",
                      [_blob(f"content/{rel}", record_text(rel, data)) for rel, data in records.items()]
                      + [_blob(f"content/{rel}", text) for rel, text in texts.items()])]
    with_status = sorted(rel for rel, data in records.items() if rel.split("/")[0] in STATUSES and "status" in data)
    with_summary = sorted(rel for rel, data in records.items() if "summary" in data and not rel.startswith("sources/"))
    people = sorted(rel for rel in records if rel.startswith("people/"))
    added: list[str] = []  # records the history added (nothing refers to them: safe to remove or rename)
    made = 0
    for n in range(1, commits):
        ops, words = [], []
        for _ in range(rnd.randint(1, 4)):
            edit = rnd.random()
            if edit < 0.35:
                rel = rnd.choice(with_status)
                choices = [s for s in STATUSES[rel.split("/")[0]] if s != records[rel]["status"]]
                records[rel]["status"] = rnd.choice(choices)
                if records[rel]["status"] == "happened" and "date" not in records[rel]:
                    records[rel]["status"] = "expected"
                words.append(f"status of {rel}")
            elif edit < 0.65:
                rel = rnd.choice(with_summary)
                records[rel]["summary"] = records[rel]["summary"].rstrip(".") + f", as of edit {n}."
                words.append(f"summary of {rel}")
            elif edit < 0.8:
                template = records[rnd.choice(people)]
                made += 1
                rel = f"people/synth-added-{made}.yaml"
                records[rel] = {**copy.deepcopy(template), "name": f"Added Person {made}"}
                records[rel].pop("former_ids", None)
                added.append(rel)
                words.append(f"new {rel}")
            elif edit < 0.88 and added:
                rel = added.pop(rnd.randrange(len(added)))
                del records[rel]
                ops.append(f"D content/{rel}\n".encode())
                words.append(f"removed {rel}")
                continue
            elif edit < 0.95 and added:
                old = added.pop(rnd.randrange(len(added)))
                rel = old.replace("synth-added-", "synth-renamed-")
                records[rel] = records.pop(old)
                ops.append(f"D content/{old}\n".encode())
                added.append(rel)
                words.append(f"renamed {old}")
            else:
                rel = rnd.choice(with_summary)
                ops.append(_blob(f"content/{rel}", record_text(rel, records[rel], indent=4)))
                words.append(f"re-indented {rel}")
                continue
            ops.append(_blob(f"content/{rel}", record_text(rel, records[rel])))
        stream.append(_commit(n, "Edit: " + "; ".join(words), ops))
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    run = {"cwd": out, "env": env, "check": True, "capture_output": True}
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", "-b", "main"], **run)
    subprocess.run(["git", "fast-import", "--quiet"], input=b"".join(stream), **run)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], **run)
