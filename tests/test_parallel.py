"""Parsing and rendering on several processes give exactly what one process gives."""
from __future__ import annotations

import os
import re
import signal
import time

import pytest

from conftest import Project
from generator import parallel, pipeline, render
from generator.pipeline import check
from generator.synth import default_template, write_project


def test_deal_covers_everything_once_in_balanced_ordered_shares():
    for n in (0, 1, 5, 17):
        for parts in (1, 2, 3, 8, 40):
            shares = parallel.deal(list(range(n)), parts)
            assert sorted(x for share in shares for x in share) == list(range(n))
            assert all(list(share) == sorted(share) for share in shares)
            assert len(shares) == max(1, min(parts, n))
            assert max(map(len, shares)) - min(map(len, shares)) <= 1
    assert parallel.deal(range(7), 3) == [range(0, 7, 3), range(1, 7, 3), range(2, 7, 3)]


def _slowly(value):
    time.sleep(0.02)  # (so that every process gets items: this one takes them too)
    return value


def test_fork_map_runs_closures_in_other_processes_in_order():
    parent = os.getpid()
    offset = 1000  # a closure's free variable: reaches the workers through fork, not pickling
    got = parallel.fork_map(lambda i: _slowly((i + offset, os.getpid())), list(range(12)), 2)
    assert [value for value, _ in got] == list(range(1000, 1012))
    assert {pid for _, pid in got} - {parent}, "no item ran in a worker process"
    assert parent in {pid for _, pid in got}, "this process took no item"


def test_fork_map_runs_here_the_items_of_a_worker_that_died():
    parent = os.getpid()

    def dies_in_a_worker(i):
        if i == 5 and os.getpid() != parent:
            os._exit(3)  # (as if killed: no result comes back)
        return _slowly((i, os.getpid()))
    got = parallel.fork_map(dies_in_a_worker, list(range(12)), 2)
    assert [i for i, _ in got] == list(range(12))
    assert got[5][1] == parent


def test_fork_map_raises_the_exception_of_the_first_item_that_failed():
    def fail_on_two_and_four(i):
        if i == 2:
            time.sleep(0.3)  # item 4 fails first, in the other process
            raise ValueError("item two")
        if i == 4:
            raise KeyError("item four")
        return _slowly(i)
    with pytest.raises(ValueError, match="item two"):
        parallel.fork_map(fail_on_two_and_four, list(range(10)), 2)


def test_fork_map_with_one_worker_stays_in_this_process():
    assert {pid for pid in parallel.fork_map(lambda _: os.getpid(), [1, 2, 3], 1)} == {os.getpid()}


def test_fork_map_passes_a_workers_exception_on():
    def fail_on_three(i):
        if i == 3:
            raise ValueError("item three")
        return i
    with pytest.raises(ValueError, match="item three"):
        parallel.fork_map(fail_on_three, list(range(6)), 2)


def test_fork_map_workers_end_without_running_this_processs_sigterm_handler(tmp_path):
    # serve installs a SIGTERM handler (raising KeyboardInterrupt): a worker must just end, not
    # run its parent's handler (a multiprocessing pool ended its workers with SIGTERM).
    ran = tmp_path / "ran"

    def handler(signum, frame):
        with open(ran, "a") as f:
            f.write(f"{os.getpid()}\n")
        os._exit(0)

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        got = parallel.fork_map(lambda i: _slowly((i, os.getpid())), list(range(8)), 2)
        with pytest.raises(ZeroDivisionError):  # ended early by an exception, too
            parallel.fork_map(lambda i: 1 // (i - 3), list(range(6)), 2)
    finally:
        signal.signal(signal.SIGTERM, previous)
    assert {pid for _, pid in got} - {os.getpid()}, "no item ran in a worker process"
    assert not ran.exists(), f"workers ran the handler: {ran.read_text().split()}"


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel") / "site"
    write_project(root, 240, default_template(root))
    return root


@pytest.fixture
def always_parallel(monkeypatch):
    """Fork even for small trees (the thresholds exist only because forking costs time)."""
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_FILES", 0)
    monkeypatch.setattr(render, "PARALLEL_MIN_RECORDS", 0)


def test_parallel_render_matches_serial(synthetic, always_parallel):
    index = check(synthetic).index
    serial = render.render_site(index, workers=1)
    assert render.render_site(index, workers=2) == serial
    assert render.render_site(index, workers=3) == serial
    assert any(p.startswith("graphs/") for p in serial) and "index.md" in serial


def test_parallel_check_matches_serial_with_problems(synthetic, always_parallel):
    people = synthetic / "content" / "people"
    broken = sorted(people.glob("*.yaml"))[:4]
    saved = {p: p.read_text(encoding="utf-8") for p in broken}
    try:
        broken[0].write_text(saved[broken[0]] + "role: [unclosed\n", encoding="utf-8")
        broken[1].write_text(saved[broken[1]] + "colour: red\n", encoding="utf-8")
        broken[2].write_text(saved[broken[2]].replace("name:", "name: &a", 1), encoding="utf-8")
        # (the excerpts are checked in a child process while the other checks run)
        broken[3].write_text(saved[broken[3]].replace("excerpt: ", "excerpt: Not in the source ", 1), encoding="utf-8")
        serial, forked = check(synthetic, workers=1), check(synthetic, workers=2)
    finally:
        for path, text in saved.items():
            path.write_text(text, encoding="utf-8")
    assert forked.problems == serial.problems
    assert {p.code for p in serial.problems} >= {"yaml-syntax", "anchor", "excerpt-not-found"}
    assert len({p.path for p in serial.problems}) == 4
    assert sorted(forked.index.records) == sorted(serial.index.records)


def test_cli_generate_with_jobs_writes_the_same_tree(tmp_path, synthetic, always_parallel):
    trees = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        write_project(root, 240, default_template(root))
        result = Project(root).run("--no-cache", "-j", jobs, "generate", "--strict")
        assert result.code == 0, result.err
        out = root / "site_src"
        trees[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert trees["1"] == trees["2"] and len(trees["1"]) > 240


def test_incremental_generate_with_jobs_writes_the_same_tree(tmp_path, always_parallel, monkeypatch):
    """After an edit, pages rendered on both cores (the pages made of many records in a child
    while the keys are worked out, the keyed pages in workers) equal those rendered in one process."""
    monkeypatch.setattr(render, "PARALLEL_MIN_PAGES", 0)
    trees = {}
    for jobs in ("1", "2"):
        root = tmp_path / f"j{jobs}"
        write_project(root, 240, default_template(root))
        project = Project(root)
        assert project.run("-j", jobs, "generate", "--strict").code == 0
        person = sorted((root / "content" / "people").glob("*.yaml"))[5]
        text = person.read_text(encoding="utf-8")
        person.write_text(re.sub(r"^name: .*$", 'name: "Renamed Person"', text, count=1, flags=re.M), encoding="utf-8")
        result = project.run("-j", jobs, "generate")  # (warns: no excerpt names "Renamed Person")
        assert result.code == 0 and " kept" in result.err, result.err
        out = root / "site_src"
        trees[jobs] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert project.run("--no-cache", "generate").code == 0  # every page rendered anew
    trees["all"] = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert trees["1"] == trees["2"] == trees["all"]
    assert any(b"Renamed Person" in text for path, text in trees["2"].items() if path.startswith("data/"))
