"""Incremental generation: unchanged pages keep their mtime, removed records lose their pages, and
the parse cache and the "nothing changed" shortcut never hide a problem or a change."""
from __future__ import annotations

import os
import time

import pytest

from conftest import tree_state
from generator import cache as cache_module
from generator.cache import RecordCache, inputs_fingerprint
from generator.pipeline import check, static_files

OLSEN = """\
name: Olsen
role: analyst at the Institute for Peace
notes: The source gives only his surname.
sources:
  - source: report
    excerpt: said Mr. Olsen, an analyst at the Institute for Peace
"""


@pytest.fixture
def trusted(monkeypatch):
    """Trust file signatures at once (normally files changed in the last 2 s are not cached)."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)


def age(project, seconds: float = 10.0) -> None:
    """Make every content file look `seconds` old (mtime), as after an editor's earlier save."""
    then = time.time() - seconds
    for path in (project.root / "content").rglob("*"):
        if path.is_file():
            os.utime(path, (then, then))


def test_second_generate_rewrites_nothing_and_keeps_every_mtime(project):
    assert project.run("generate").code == 0
    before = tree_state(project.root / "site_src")
    result = project.run("generate")
    assert result.code == 0
    assert tree_state(project.root / "site_src") == before


def test_an_edit_rewrites_only_the_pages_that_show_it(project, trusted):
    assert project.run("--no-cache", "generate").code == 0
    before = tree_state(project.root / "site_src")
    project.write("content/people/olsen.yaml", OLSEN.replace("role: analyst", "role: senior analyst"))
    result = project.run("generate")
    assert result.code == 0, result.err
    after = tree_state(project.root / "site_src")
    changed = {rel for rel in after if before.get(rel) != after[rel]}
    assert "people/olsen.md" in changed
    assert "organizations/northland.md" not in changed and "sources/report.md" not in changed
    for rel in set(after) - changed:
        assert after[rel] == before[rel]  # same bytes and the same mtime


def test_removing_a_record_deletes_its_page(project):
    project.write("content/people/extra.yaml", OLSEN.replace("name: Olsen", "name: Extra Person"))
    assert project.run("generate").code == 0
    assert (project.root / "site_src/people/extra.md").is_file()
    project.remove("content/people/extra.yaml")
    assert project.run("generate").code == 0
    assert not (project.root / "site_src/people/extra.md").exists()
    assert "extra" not in (project.root / "site_src/people/index.md").read_text(encoding="utf-8")


def test_cached_records_report_the_same_problems(project, trusted):
    """A file with problems is cached with them: the second run (a cache hit) reports them again."""
    project.write("content/people/olsen.yaml", OLSEN.replace("role:", "rol:"))
    age(project)
    first_cache = RecordCache(project.root)
    first = check(project.root, first_cache)
    first_cache.save()
    assert first_cache.misses == 11 and first_cache.hits == 0
    second_cache = RecordCache(project.root)
    second = check(project.root, second_cache)
    assert second_cache.hits == 11 and second_cache.misses == 0
    assert second.problems == first.problems == check(project.root).problems
    assert [(p.path, p.line, p.column, p.code) for p in second.problems] == [
        ("content/people/olsen.yaml", 2, 1, "unknown-key")]


def test_checks_across_files_run_on_cached_records(project, trusted):
    age(project)
    cache = RecordCache(project.root)
    assert check(project.root, cache).problems == []
    cache.save()  # `check` saves only a cache it opened itself
    project.remove("content/people/olsen.yaml")  # border-open.yaml (cached, unchanged) names olsen as author
    cache = RecordCache(project.root)
    problems = check(project.root, cache).problems
    assert cache.hits == 10
    assert [(p.path, p.line, p.column, p.code) for p in problems] == [
        ("content/assessments/border-open.yaml", 2, 9, "unknown-ref")]  # its position comes from the cache
    assert problems == check(project.root).problems


def test_a_changed_file_is_parsed_again_even_with_its_old_size_and_mtime(project, trusted):
    path = project.root / "content/people/olsen.yaml"
    age(project)
    cache = RecordCache(project.root)
    check(project.root, cache)
    cache.save()
    old = path.stat()
    path.write_text(OLSEN.replace("role: analyst", "rolx: analyst"), encoding="utf-8")  # same size
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))  # and the old mtime, as `cp -p` would leave
    assert path.stat().st_size == old.st_size
    cache = RecordCache(project.root)
    problems = check(project.root, cache).problems
    assert cache.misses == 1
    assert [(p.path, p.code) for p in problems] == [("content/people/olsen.yaml", "unknown-key")]


def test_recently_changed_files_are_not_cached(project, monkeypatch):
    # Files changed within RACY_SECONDS are not trusted; an hour's window holds the fixture's
    # files, copied just now, however slow the machine.
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)
    cache = RecordCache(project.root)
    check(project.root, cache)
    assert cache.entries == {}


def test_a_new_generator_version_empties_the_cache(project, trusted, monkeypatch):
    age(project)
    cache = RecordCache(project.root)
    check(project.root, cache)
    cache.save()
    assert len(RecordCache(project.root).entries) == 11
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    assert RecordCache(project.root).entries == {}


def test_nothing_changed_skips_rendering_but_not_checking(project, trusted):
    age(project)
    assert project.run("generate").code == 0
    again = project.run("generate")
    assert again.code == 0 and "up to date" in again.err and "check passed" in again.err
    # a hand-deleted output file is noticed and written again
    (project.root / "site_src/people/olsen.md").unlink()
    assert "up to date" not in project.run("generate").err
    assert (project.root / "site_src/people/olsen.md").is_file()
    # a problem in an unchanged tree is still reported, and stops generate in strict mode
    project.write("content/people/olsen.yaml", OLSEN.replace("sources:\n  - source: report\n"
                                                             "    excerpt: said Mr. Olsen, an analyst at the "
                                                             "Institute for Peace\n", ""))
    age(project)
    assert project.run("generate").code == 0
    failed = project.run("generate", "--strict")
    assert failed.code == 1 and "no-source" in failed.out


def test_inputs_fingerprint_follows_every_input(project, monkeypatch):
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)  # (as above: the files are recent)
    assert inputs_fingerprint(project.root, static_files(project.root)) is None
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)
    first = inputs_fingerprint(project.root, static_files(project.root))
    project.write("content/people/olsen.yaml", OLSEN.replace("Olsen", "Olssen"))
    second = inputs_fingerprint(project.root, static_files(project.root))
    (project.root / "static/stylesheets/briefing.css").write_text("/* changed */", encoding="utf-8")
    third = inputs_fingerprint(project.root, static_files(project.root))
    assert None not in (first, second, third) and len({first, second, third}) == 3


def test_the_keys_stored_by_a_generate_are_used_only_for_the_site_src_and_code_they_describe(project, monkeypatch):
    from generator import incremental
    from generator.write import manifest_digest
    assert project.run("generate").code == 0
    site_src = project.root / "site_src"
    keys = incremental.load_keys(project.root, manifest_digest(site_src))
    assert keys is not None and "people/olsen.md" in keys.keys
    assert keys.watched("people/olsen.md") >= {"olsen", "report"}  # itself and the source it cites
    assert incremental.load_keys(project.root, "another manifest") is None
    monkeypatch.setattr(incremental, "code_version", lambda: "another version of the code")
    assert incremental.load_keys(project.root, manifest_digest(site_src)) is None
    monkeypatch.undo()
    (project.root / ".cache" / incremental.KEYS_FILE).write_bytes(b"\x80\x05damaged")
    assert incremental.load_keys(project.root, manifest_digest(site_src)) is None
    project.write("content/people/olsen.yaml", OLSEN.replace("role: analyst", "role: senior analyst"))
    result = project.run("generate")  # without keys it renders every page, and stores them again
    assert result.code == 0 and "every page rendered" in result.err
    again = incremental.load_keys(project.root, manifest_digest(site_src))
    assert again.keys["people/berg.md"] == keys.keys["people/berg.md"]
    assert again.keys["people/olsen.md"] != keys.keys["people/olsen.md"]


def test_a_records_token_is_equal_for_equal_values_wherever_they_come_from():
    import datetime
    from generator.incremental import _digest
    spelled = "".join(["Nort", "hland"])  # an equal string that is not the same object
    assert spelled is not "Northland"  # noqa: F632
    value = {"name": "Northland", "aliases": ["North"], "since": 1991, "ok": True}
    same = {"name": spelled, "aliases": ["".join(["No", "rth"])], "since": 1991, "ok": True}
    assert _digest(("organization", "content/x.yaml", value)) == _digest(("organization", "content/x.yaml", same))
    assert _digest({"ok": True}) != _digest({"ok": 1})  # (a bool is not its number)
    assert _digest({"a": 1, "b": 2}) != _digest({"b": 2, "a": 1})  # (order is shown on pages)
    # a value marshal cannot write (a date, a history's changes) is told by its repr
    dated = {"date": datetime.date(2025, 5, 16)}
    assert _digest(dated) == _digest({"date": datetime.date(2025, 5, 16)})
    assert _digest(dated) != _digest({"date": datetime.date(2025, 5, 17)})
    assert _digest(dated) != _digest({"date": "datetime.date(2025, 5, 16)"})
