"""Write stage: whole-tree swaps, manifests, unchanged files kept, nothing foreign overwritten."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import tree_state
from generator.problems import ProblemError
from generator.write import (MANIFEST, UNDO_DIR, exchange, link_tree, manifest_digest, plan_files, recover,
                             sync_tree, update_tree, write_tree)


def files(**pages: str) -> dict[str, bytes]:
    """An output map from keyword arguments (`a__b_md` -> `a/b.md`)."""
    return {name.replace("__", "/").replace("_md", ".md"): text.encode() for name, text in pages.items()}


def test_write_tree_writes_exactly_the_files_and_a_manifest(tmp_path):
    out = tmp_path / "site_src"
    stats = write_tree(files(index_md="home", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (2, 0, 0)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        MANIFEST, "index.md", "people/a.md"]
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest) == {"index.md", "people/a.md"}
    assert not (tmp_path / ".site_src.new").exists() and not (tmp_path / ".site_src.old").exists()


def test_unchanged_files_keep_inode_and_mtime(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    os.utime(out / "people/a.md", ns=(1_000_000_000, 1_000_000_000))  # an old mtime, to see it kept
    before = {p: (out / p).stat() for p in ("index.md", "people/a.md")}
    stats = write_tree(files(index_md="home v2", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    assert stats.written_paths == ("index.md",) and stats.removed_paths == ("people/b.md",)
    kept = (out / "people/a.md").stat()
    assert (kept.st_ino, kept.st_mtime_ns) == (before["people/a.md"].st_ino, 1_000_000_000)
    assert (out / "index.md").read_text() == "home v2"
    assert not (out / "people/b.md").exists()  # the page of a deleted record is gone


def test_identical_rewrite_touches_nothing(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before = tree_state(out)
    stats = write_tree(files(index_md="home", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert tree_state(out) == before


def test_foreign_output_folder_is_refused(tmp_path):
    out = tmp_path / "site_src"
    out.mkdir()
    (out / "notes.md").write_text("hand-written work")
    with pytest.raises(ProblemError) as caught:
        write_tree(files(index_md="home"), out)
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.column, problem.code) == ("site_src", 1, 1, "foreign-output")
    assert "was not made by briefing" in problem.message
    assert (out / "notes.md").read_text() == "hand-written work" and not (out / "index.md").exists()
    with pytest.raises(ProblemError):
        sync_tree(files(index_md="home"), out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.md"]


def test_empty_output_folder_is_adopted(tmp_path):
    out = tmp_path / "site_src"
    out.mkdir()
    write_tree(files(index_md="home"), out)
    assert (out / "index.md").read_text() == "home"


def test_failure_while_writing_leaves_the_old_tree(tmp_path, monkeypatch):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before = tree_state(out)
    real = Path.write_bytes

    def disk_full(self, data):
        if self.name == "b.md":
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    with pytest.raises(OSError):
        write_tree(files(index_md="home v2", people__a_md="A", people__b_md="B"), out)
    assert tree_state(out) == before
    assert not (tmp_path / ".site_src.new").exists()


def test_keep_previous_then_rollback_restores_the_exact_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before, dir_inode = tree_state(out), out.stat().st_ino
    stats = write_tree(files(index_md="home v2", people__b_md="B"), out, keep_previous=True)
    assert (out / "index.md").read_text() == "home v2"
    stats.undo.rollback()
    assert tree_state(out) == before and out.stat().st_ino == dir_inode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_keep_previous_then_commit_drops_the_old_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home"), out)
    stats = write_tree(files(index_md="home v2"), out, keep_previous=True)
    stats.undo.commit()
    assert (out / "index.md").read_text() == "home v2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_rollback_of_a_first_write_removes_it(tmp_path):
    out = tmp_path / "site_src"
    stats = write_tree(files(index_md="home"), out, keep_previous=True)
    stats.undo.rollback()
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_sync_tree_updates_in_place(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    inode = out.stat().st_ino
    a_before = (out / "people/a.md").stat()
    stats = sync_tree(files(index_md="home v2", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1)
    assert out.stat().st_ino == inode  # same folder: a file watcher keeps watching it
    assert (out / "people/a.md").stat().st_mtime_ns == a_before.st_mtime_ns
    assert not (out / "people/b.md").exists()
    assert set(json.loads((out / MANIFEST).read_text())) == {"index.md", "people/a.md"}


def test_plan_files_refuses_a_hand_written_file_on_a_generated_path(tmp_path):
    page = tmp_path / "content" / "pages" / "index.md"
    page.parent.mkdir(parents=True)
    page.write_text("# My home page")
    about = page.with_name("about.md")
    about.write_text("# About")
    with pytest.raises(ProblemError) as caught:
        plan_files({"index.md": "# Briefing"}, {"index.md": page, "about.md": about}, tmp_path)
    assert [(p.path, p.line, p.column, p.code) for p in caught.value.problems] == [
        ("content/pages/index.md", 1, 1, "output-clash")]
    assert "'index.md' would be written twice" in caught.value.problems[0].message


def test_plan_files_merges_pages_and_copied_files(tmp_path):
    css = tmp_path / "static" / "site.css"
    css.parent.mkdir()
    css.write_bytes(b"body{}")
    assert plan_files({"index.md": "# B"}, {"extra/site.css": css}) == {"index.md": b"# B", "extra/site.css": b"body{}"}



def test_a_later_batch_is_written_into_the_same_new_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    seen = []

    def later(written):
        seen.append(sorted(written))
        return files(people__a_md="A with its history")

    stats = write_tree(files(index_md="home"), out, later=later)
    assert seen == [["index.md"]]
    assert (out / "people/a.md").read_text() == "A with its history"
    assert set(json.loads((out / MANIFEST).read_text())) == {"index.md", "people/a.md"}
    assert (stats.written, stats.unchanged, stats.removed) == (1, 1, 1) and stats.removed_paths == ("people/b.md",)


@pytest.mark.parametrize("later", [
    lambda written: (_ for _ in ()).throw(ProblemError([])),  # fails, e.g. a clash with a hand-written page
    lambda written: files(index_md="twice"),  # names a path of the first batch again
])
def test_a_failing_later_batch_leaves_the_old_tree(tmp_path, later):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before = tree_state(out)
    with pytest.raises((ProblemError, ValueError)):
        write_tree(files(index_md="home v2"), out, later=later)
    assert tree_state(out) == before
    assert not (tmp_path / ".site_src.new").exists()


def test_identical_output_through_a_later_batch_touches_nothing(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before = tree_state(out)
    stats = write_tree(files(index_md="home"), out, later=lambda written: files(people__a_md="A"))
    assert (stats.written, stats.unchanged) == (0, 2)
    assert tree_state(out) == before


# --- in-place updates (incremental builds) ---------------------------------------------------------

def _two_folders(tmp_path: Path) -> None:
    """Folders `a` and `b`, each with a file `f` holding its name."""
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "f").write_text(name)


def test_exchange_swaps_two_folders(tmp_path):
    _two_folders(tmp_path)
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b" and (tmp_path / "b" / "f").read_text() == "a"
    exchange(tmp_path / "a", tmp_path / "c")  # no `c` yet: a rename
    assert (tmp_path / "c" / "f").read_text() == "b" and not (tmp_path / "a").exists()


def test_update_tree_changes_only_what_changed_and_rolls_back_exactly(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"a.md": b"a", "b.md": b"b", "d/c.md": b"c"}, out)
    before = tree_state(out)
    stats = update_tree({"a.md": b"A", "n/new.md": b"new"}, {"b.md", "gone.svg"}, out)
    assert sorted(stats.written_paths) == ["a.md", "n/new.md"] and stats.removed_paths == ("d/c.md",)
    assert (out / "a.md").read_bytes() == b"A" and not (out / "d").exists()
    assert tree_state(out)["b.md"] == before["b.md"]  # kept: same inode content and mtime
    assert json.loads((out / ".briefing-generated").read_text()).keys() == {"a.md", "b.md", "n/new.md"}
    stats.undo.rollback()
    assert tree_state(out) == before
    assert not (tmp_path / UNDO_DIR).exists()


def test_update_tree_with_nothing_changed_touches_nothing(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"a.md": b"a", "b.md": b"b"}, out)
    before = tree_state(out)
    stats = update_tree({"a.md": b"a"}, {"b.md"}, out)
    assert (stats.written, stats.unchanged, stats.removed, stats.undo) == (0, 2, 0, None)
    assert tree_state(out) == before and not (tmp_path / UNDO_DIR).exists()


def test_update_tree_rewrites_a_kept_file_that_is_gone_and_commit_drops_the_journal(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"a.md": b"a", "b.md": b"b"}, out)
    (out / "a.md").unlink()  # deleted by hand: the manifest still lists it
    stats = update_tree({"a.md": b"a"}, {"b.md"}, out)
    assert stats.written_paths == ("a.md",) and (out / "a.md").read_bytes() == b"a"
    assert (tmp_path / UNDO_DIR).is_dir()
    stats.undo.commit()
    assert not (tmp_path / UNDO_DIR).exists()


def test_update_tree_refuses_a_tree_without_manifest(tmp_path):
    with pytest.raises(ValueError):
        update_tree({"a.md": b"a"}, set(), tmp_path / "site_src")


def test_recover_undoes_an_update_that_was_interrupted(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"a.md": b"a", "gone.md": b"g", "d/c.md": b"c"}, out)
    before = tree_state(out)
    update_tree({"a.md": b"A", "new/n.md": b"n"}, {"d/c.md"}, out)  # journal left: as if killed before commit
    assert not recover(tmp_path / "elsewhere")
    assert recover(out)
    assert tree_state(out) == before and not (out / "new").exists()
    assert not (tmp_path / UNDO_DIR).exists() and not recover(out)


def test_recover_with_a_journal_but_no_plan_changes_nothing(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"a.md": b"a"}, out)
    before = tree_state(out)
    (tmp_path / UNDO_DIR / "files").mkdir(parents=True)  # killed before the plan was written
    assert recover(out)
    assert tree_state(out) == before and not (tmp_path / UNDO_DIR).exists()


def test_manifest_digest_names_a_tree_s_manifest(tmp_path):
    out = tmp_path / "site_src"
    assert manifest_digest(out) is None
    write_tree({"a.md": b"a"}, out)
    first = manifest_digest(out)
    write_tree({"a.md": b"b"}, out)
    assert first and manifest_digest(out) not in (None, first)


def test_link_tree_makes_the_same_files_without_copying(tmp_path):
    src, dest = tmp_path / "site", tmp_path / "spare"
    (src / "p").mkdir(parents=True)
    (src / "p" / "index.html").write_text("new")
    (dest / "p").mkdir(parents=True)
    (dest / "p" / "index.html").write_text("old")
    link_tree(src, dest, ["p/index.html"])
    assert (dest / "p" / "index.html").read_text() == "new"
    assert os.stat(dest / "p" / "index.html").st_ino == os.stat(src / "p" / "index.html").st_ino
    assert sorted(p.name for p in (dest / "p").iterdir()) == ["index.html"]


def test_exchange_falls_back_to_renames_without_renameat2(tmp_path, monkeypatch):
    import ctypes
    _two_folders(tmp_path)
    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: (_ for _ in ()).throw(OSError("no libc")))
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b" and (tmp_path / "b" / "f").read_text() == "a"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a", "b"]


def test_exchange_is_one_atomic_step_on_linux(tmp_path, monkeypatch):
    _two_folders(tmp_path)

    def no_rename(*args):
        raise AssertionError("renamed in steps: there was a moment without the folder")

    monkeypatch.setattr(os, "rename", no_rename)
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b" and (tmp_path / "b" / "f").read_text() == "a"


def test_exchange_of_a_missing_folder_fails_and_leaves_the_other(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "f").write_text("b")
    with pytest.raises(OSError) as raised:
        exchange(tmp_path / "missing", tmp_path / "b")
    assert raised.value.errno == 2 and raised.value.filename == str(tmp_path / "missing")
    assert "No such file or directory" in str(raised.value)
    assert (tmp_path / "b" / "f").read_text() == "b" and not (tmp_path / "missing").exists()


def test_write_state_writes_sorted_json_in_place_of_the_old(tmp_path):
    from generator.write import write_state
    path = tmp_path / "state.json"
    write_state(path, {"b": 1, "a": "é"})
    assert path.read_bytes() == '{"a": "\\u00e9", "b": 1}'.encode()
    write_state(path, {"c": 2})
    assert json.loads(path.read_text()) == {"c": 2}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["state.json"]  # no temporary file left


def test_update_tree_counts_and_writes_a_sorted_manifest(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"b.md": b"b", "gone.md": b"g", "keep.md": b"k"}, out)
    stats = update_tree({"z.md": b"z", "a.md": b"a", "b.md": b"B"}, {"keep.md"}, out)
    assert (stats.written, stats.unchanged, stats.removed) == (3, 1, 1)
    manifest = json.loads((out / MANIFEST).read_text())
    assert (out / MANIFEST).read_bytes() == json.dumps(manifest, sort_keys=True).encode()
    assert list(manifest) == ["a.md", "b.md", "keep.md", "z.md"]


def test_update_tree_and_rollback_with_deep_folders_and_files_deleted_by_hand(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"x/y/old.md": b"o", "x/y/z/gone.md": b"g", "p/q/r.md": b"r", "hand.md": b"h"}, out)
    before = tree_state(out)
    (tmp_path / UNDO_DIR / "files" / "stale").mkdir(parents=True)  # a journal left by a crash
    (out / "hand.md").unlink()  # deleted by hand; no longer generated either
    with pytest.raises(ValueError, match="has no manifest"):
        update_tree({}, set(), tmp_path / "other")
    stats = update_tree({"x/y/old.md": b"O", "n/e/w/new.md": b"n"}, set(), out)
    assert not (out / "x" / "y" / "z").exists() and not (out / "p").exists()
    assert (out / "n/e/w/new.md").read_bytes() == b"n"
    assert not (tmp_path / UNDO_DIR / "files" / "stale").exists()
    (out / "n/e/w/new.md").unlink()  # a new file gone again before the rollback
    stats.undo.rollback()
    del before["hand.md"]
    assert tree_state(out) == before and not (out / "n").exists()


def test_link_tree_makes_the_folders_it_needs(tmp_path):
    src, dest = tmp_path / "site", tmp_path / "spare"
    for rel in ("a/b/c/index.html", "a/b/d/index.html", "e/index.html"):
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        (src / rel).write_text(rel)
    link_tree(src, dest, ["a/b/c/index.html", "a/b/d/index.html", "e/index.html"])
    assert {p.relative_to(dest).as_posix() for p in dest.rglob("*") if p.is_file()} == {
        "a/b/c/index.html", "a/b/d/index.html", "e/index.html"}


@pytest.mark.parametrize("errno", [22, 38, 95])  # EINVAL, ENOSYS, EOPNOTSUPP: a file system or kernel without it
def test_exchange_falls_back_to_renames_when_renameat2_cannot_exchange(tmp_path, monkeypatch, errno):
    import ctypes

    class Libc:
        def renameat2(self, *args):
            ctypes.set_errno(errno)
            return -1

    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: Libc())
    _two_folders(tmp_path)
    exchange(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "f").read_text() == "b" and (tmp_path / "b" / "f").read_text() == "a"
