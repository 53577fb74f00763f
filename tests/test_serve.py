"""`briefing serve` on the mini project in a subprocess: edits show on the served page, a bad edit
keeps the last good page, new and deleted records appear and vanish, search covers the whole site."""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import copy_fixture

REPO = Path(__file__).resolve().parents[1]
WAIT = 60.0
"""Longest wait for anything to show (seconds); a healthy run needs about one per edit."""


def get(url: str) -> tuple[int, str]:
    """HTTP status and text of a URL (status 0 when nothing answers)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except OSError:
        return 0, ""


class Output(list):
    """serve's output lines, read by a thread; a waiter wakes at each new line."""

    def __init__(self, proc):
        super().__init__()
        self.changed = threading.Condition()
        self.closed = False
        threading.Thread(target=self._read, args=(proc,), daemon=True).start()

    def _read(self, proc) -> None:
        for line in iter(proc.stdout.readline, ""):
            with self.changed:
                self.append(line)
                self.changed.notify_all()
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def wait_for(condition, what: str, proc, output: Output):
    """`condition()` once it is truthy. It is tried now and after each line serve prints (every
    build ends with one), with no polling; WAIT only stops a hung run from hanging the suite."""
    while True:
        lines = len(output)
        value = condition()
        if value:
            return value
        with output.changed:
            if len(output) == lines and not output.closed:
                output.changed.wait(timeout=WAIT)
            if len(output) == lines:
                assert proc.poll() is None, "serve exited:\n" + "".join(output)
                pytest.fail(f"no sign of {what}; serve printed:\n" + "".join(output))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The mini project served on a port the system picks; yields (project, base URL, process,
    output lines)."""
    project = copy_fixture(tmp_path_factory.mktemp("serve") / "project")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "generator", "--root", str(project.root), "serve",
                             "--port", "0"], cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    output = Output(proc)
    try:
        line = wait_for(lambda: next((ln for ln in output if ln.startswith("serving on http://")), None),
                        "the address", proc, output)
        base = re.match(r"serving on (http://127\.0\.0\.1:\d+/)", line).group(1)
        wait_for(lambda: get(base + "people/berg/")[0] == 200, "the first build", proc, output)
        yield project, base, proc, output
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
    assert proc.returncode == 0, "".join(output)


def search_docs(base: str) -> list[dict]:
    return json.loads(get(base + "search/search_index.json")[1])["docs"]


def test_an_edit_shows_on_the_served_page_and_in_search(served):
    project, base, proc, output = served
    entries = len(search_docs(base))
    text = project.path("content/people/berg.yaml").read_text(encoding="utf-8")
    project.write("content/people/berg.yaml", text.replace("role: Northland's envoy", "role: Northland's chief envoy"),
                  dedent=False)
    wait_for(lambda: "Northland&rsquo;s chief envoy" in get(base + "people/berg/")[1]
             or "Northland's chief envoy" in get(base + "people/berg/")[1], "the edit on the page", proc, output)
    assert "chief envoy" in project.path("site_src/people/berg.md").read_text(encoding="utf-8")
    # the rest of the site follows the background render: the people listing shows the new role too
    wait_for(lambda: "chief envoy" in get(base + "people/")[1], "the edit on the listing", proc, output)
    assert "chief envoy" in project.path("site_src/people/index.md").read_text(encoding="utf-8")
    # Material's own dirty-build merge would duplicate or drop entries; the preview's index stays whole
    docs = search_docs(base)
    assert len(docs) == entries
    assert len({d["location"] for d in docs}) == len(docs)
    assert any(d["location"] == "people/berg/" for d in docs)


def test_a_bad_edit_prints_problems_and_keeps_the_last_good_page(served):
    project, base, proc, output = served
    before_page = get(base + "people/olsen/")[1]
    before_src = project.path("site_src/people/olsen.md").read_bytes()
    good = project.path("content/people/olsen.yaml").read_text(encoding="utf-8")
    seen = len(output)
    project.write("content/people/olsen.yaml", good.replace("role: analyst", "role: [analyst"), dedent=False)
    wait_for(lambda: any("site_src/ left as it was" in line for line in output[seen:]), "the problem report",
             proc, output)
    assert any("content/people/olsen.yaml:" in line and "yaml-syntax" in line for line in output[seen:])
    assert project.path("site_src/people/olsen.md").read_bytes() == before_src
    assert get(base + "people/olsen/")[1] == before_page
    project.write("content/people/olsen.yaml", good, dedent=False)  # fixed again: serving goes on
    wait_for(lambda: any("synced" in line for line in output[seen:]), "the fix", proc, output)


def test_new_and_deleted_records_come_and_go_with_their_search_entries(served):
    project, base, proc, output = served
    project.write("content/people/kaya.yaml", """\
        name: Deniz Kaya
        role: analyst at the Institute for Peace
        sources:
          - source: report
            excerpt: an analyst at the Institute for Peace
        """)
    wait_for(lambda: get(base + "people/kaya/")[0] == 200, "the new page", proc, output)
    assert any(d["location"].startswith("people/kaya/") for d in search_docs(base))
    project.remove("content/people/kaya.yaml")
    wait_for(lambda: get(base + "people/kaya/")[0] == 404, "the page to go", proc, output)
    assert not project.path("site_src/people/kaya.md").exists()
    assert not any(d["location"].startswith("people/kaya/") for d in search_docs(base))
    assert "Deniz Kaya" not in get(base + "people/")[1]
