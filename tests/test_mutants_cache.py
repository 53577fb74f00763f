"""Parse cache and the "nothing changed" shortcut, the promises mutation testing found unguarded
(see README, "Mutation testing").

A cached record must be the record a fresh parse gives, positions included, and the shortcut may
skip rendering only when it knows the inputs and the output tree are exactly those it recorded.
"""
from __future__ import annotations

import json
import os
import time

import pytest

from generator import cache as cache_module
from generator.cache import CACHE_DIR, OUTPUT_FILE, OutputState, RecordCache, signature
from generator.load import parse_yaml
from generator.write import MANIFEST, write_tree

TEXT = "name: Anna Berg\nrole: no\nnative_name:\n  text: Anna Berg\n  lang: sv\n"


@pytest.fixture
def trusted(monkeypatch):
    """Trust file signatures at once (normally files changed in the last 2 s are not cached)."""
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)


def parsed(tmp_path, text: str = TEXT):
    """A record file under tmp_path (mtime 10 s ago), its stat and its parse."""
    path = tmp_path / "content" / "people" / "berg.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    then = time.time() - 10
    os.utime(path, (then, then))
    problems = []
    doc = parse_yaml(text, "content/people/berg.yaml", problems)
    doc.kind, doc.id = "person", "berg"
    return path.stat(), doc, problems


@pytest.mark.parametrize("first", ["marks", "key_marks", "plain"])
def test_a_cached_record_has_the_positions_of_a_fresh_parse(tmp_path, first, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    hit, hit_problems = RecordCache(tmp_path).get("content/people/berg.yaml", st)
    assert getattr(hit, first) == getattr(doc, first)  # whichever is asked for first
    assert (hit.marks, hit.key_marks, hit.plain) == (doc.marks, doc.key_marks, doc.plain)
    assert (hit.path, hit.kind, hit.id, hit.data) == (doc.path, doc.kind, doc.id, doc.data)
    assert hit.plain == {("role",): "no"}
    assert hit.mark(("native_name", "lang"), key=True) == doc.mark(("native_name", "lang"), key=True) == (5, 3)


def test_a_cached_record_has_no_other_attributes(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    hit, _ = cache.get("content/people/berg.yaml", st)
    with pytest.raises(AttributeError, match="listing_number"):
        hit.listing_number  # noqa: B018
    assert getattr(hit, "listing_number", 1) == 1


def test_a_cached_record_cached_again_keeps_its_positions(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    second = RecordCache(tmp_path)
    hit, hit_problems = second.get("content/people/berg.yaml", st)
    second.put("content/people/berg.yaml", st, hit, hit_problems)  # (never unpacked)
    second.save()
    again, _ = RecordCache(tmp_path).get("content/people/berg.yaml", st)
    assert (again.marks, again.key_marks, again.plain) == (doc.marks, doc.key_marks, doc.plain)


def test_problems_of_a_cached_record_are_a_copy(tmp_path, trusted):
    st, doc, _ = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, ["a problem"])
    first, problems = cache.get("content/people/berg.yaml", st)
    problems.append("added by a caller")
    assert cache.get("content/people/berg.yaml", st)[1] == ["a problem"]


def test_a_changed_signature_misses(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    other = os.stat(tmp_path / "content")
    assert signature(other) != signature(st)
    assert cache.get("content/people/berg.yaml", other) is None
    assert (cache.hits, cache.misses, cache.missed) == (0, 1, ["content/people/berg.yaml"])
    assert cache.get("content/people/berg.yaml", st) is not None
    assert (cache.hits, cache.misses) == (1, 1)


def test_a_file_changed_too_recently_is_dropped_from_the_cache(tmp_path, monkeypatch):
    st, doc, problems = parsed(tmp_path)
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 0.0)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    monkeypatch.setattr(cache_module, "RACY_SECONDS", 3600.0)  # the file's ctime is a second old
    path = tmp_path / "content/people/berg.yaml"
    path.write_text(TEXT + "notes: edited\n", encoding="utf-8")  # just now
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", path.stat(), doc, problems)
    assert cache.entries == {} and cache.dirty
    cache.save()
    assert RecordCache(tmp_path).entries == {}


def test_saving_an_unchanged_cache_writes_nothing(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    file = tmp_path / CACHE_DIR / cache_module.CACHE_FILE
    os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    cache = RecordCache(tmp_path)
    cache.get("content/people/berg.yaml", st)
    cache.save()
    assert file.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in file.parent.iterdir()) == [cache_module.CACHE_FILE]


def test_files_not_seen_by_a_run_are_forgotten(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.put("content/people/gone.yaml", st, doc, problems)
    cache.save()
    cache = RecordCache(tmp_path)
    cache.get("content/people/berg.yaml", st)
    cache.save()
    assert set(RecordCache(tmp_path).entries) == {"content/people/berg.yaml"}
    # a cache no run looked up with is saved as it is
    cache = RecordCache(tmp_path)
    cache.save()
    assert set(RecordCache(tmp_path).entries) == {"content/people/berg.yaml"}


def test_a_damaged_cache_is_rebuilt(tmp_path):
    (tmp_path / CACHE_DIR).mkdir()
    (tmp_path / CACHE_DIR / cache_module.CACHE_FILE).write_bytes(b"not a pickle")
    assert RecordCache(tmp_path).entries == {}


def generated(tmp_path):
    """site_src/ written by write_tree, and its OutputState recorded under fingerprint 'f1'."""
    out = tmp_path / "site_src"
    write_tree({"index.md": b"home", "people/a.md": "Zoë".encode()}, out)
    state = OutputState(tmp_path, MANIFEST)
    state.store("f1", out)
    return out, state


def test_output_is_current_only_for_the_recorded_fingerprint(tmp_path):
    out, state = generated(tmp_path)
    assert state.current("f1", out)
    assert not state.current("f2", out)
    assert not state.current(None, out)


def test_output_is_not_current_once_its_manifest_changes(tmp_path):
    out, state = generated(tmp_path)
    write_tree({"index.md": b"home v2", "people/a.md": "Zoë".encode()}, out)
    assert not state.current("f1", out)


def test_output_is_not_current_without_its_manifest_or_a_file(tmp_path):
    out, state = generated(tmp_path)
    (out / "people/a.md").unlink()
    assert not state.current("f1", out)
    (out / MANIFEST).unlink()
    assert not state.current("f1", out)
    assert not state.current("f1", tmp_path / "elsewhere")


def test_output_is_not_current_without_a_record(tmp_path):
    out, state = generated(tmp_path)
    (tmp_path / CACHE_DIR / OUTPUT_FILE).write_text("{damaged", encoding="utf-8")
    assert not state.current("f1", out)
    (tmp_path / CACHE_DIR / OUTPUT_FILE).unlink()
    assert not state.current("f1", out)


def test_storing_an_unknown_fingerprint_forgets_the_record(tmp_path):
    out, state = generated(tmp_path)
    record = tmp_path / CACHE_DIR / OUTPUT_FILE
    assert json.loads(record.read_text(encoding="utf-8"))["inputs"] == "f1"
    state.store(None, out)
    assert not record.exists()
    state.store(None, out)  # (nothing to forget: no error)
    state.store("f1", tmp_path / "elsewhere")  # no manifest there: nothing recorded
    assert not record.exists()


def test_inputs_fingerprint_follows_the_code_the_commit_and_the_site_configuration(project, trusted, monkeypatch):
    from generator.cache import inputs_fingerprint
    from generator.pipeline import static_files
    heads = {project.root: "commit one"}
    monkeypatch.setattr(cache_module, "git_head", lambda root: heads[root])
    static = static_files(project.root)
    first = inputs_fingerprint(project.root, static)
    heads[project.root] = "commit two"
    second = inputs_fingerprint(project.root, static)
    monkeypatch.setattr(cache_module, "code_version", lambda: "another version")
    third = inputs_fingerprint(project.root, static)
    # a copied file gone missing is skipped, and what follows it still counts
    static = {**static, "extra/gone.css": project.root / "static" / "gone.css"}
    fourth = inputs_fingerprint(project.root, static)
    (project.root / "mkdocs.yml").write_text(
        (project.root / "mkdocs.yml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    fifth = inputs_fingerprint(project.root, static)
    assert None not in (first, second, third, fourth, fifth)
    assert len({first, second, third, fifth}) == 4 and fourth == third


def test_a_second_save_without_a_run_in_between_forgets_nothing(tmp_path, trusted):
    # (serve keeps one cache and saves it after each rebuild; a save must not count as a run)
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    cache.save()
    assert set(cache.entries) == {"content/people/berg.yaml"}
    assert set(RecordCache(tmp_path).entries) == {"content/people/berg.yaml"}



def test_a_save_with_nothing_new_since_the_last_save_writes_nothing(tmp_path, trusted):
    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.get("content/people/berg.yaml", st)
    cache.put("content/people/berg.yaml", st, doc, problems)
    cache.save()
    file = tmp_path / CACHE_DIR / cache_module.CACHE_FILE
    os.utime(file, ns=(1_000_000_000, 1_000_000_000))
    assert cache.get("content/people/berg.yaml", st) is not None  # the next run: unchanged
    cache.save()
    assert file.stat().st_mtime_ns == 1_000_000_000


def test_a_cache_that_cannot_be_written_leaves_the_run_going(tmp_path, trusted, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(30, "Read-only file system")

    st, doc, problems = parsed(tmp_path)
    cache = RecordCache(tmp_path)
    cache.put("content/people/berg.yaml", st, doc, problems)
    monkeypatch.setattr(cache_module, "open", read_only, raising=False)  # (the module's open only)
    cache.save()
    monkeypatch.undo()
    assert list((tmp_path / CACHE_DIR).iterdir()) == []
