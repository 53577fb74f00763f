"""Write stage, the promises mutation testing found unguarded (see README, "Mutation testing").

`sync_tree` is what `serve` writes with (its own tests build real sites and are too slow to run
for every mutant), so its contract is checked here directly.
"""
from __future__ import annotations

import json
import os

import pytest

from conftest import tree_state
from generator.write import MANIFEST, Undo, _guard, sync_tree, write_tree


def files(**pages: str) -> dict[str, bytes]:
    """An output map from keyword arguments (`a__b_md` -> `a/b.md`)."""
    return {name.replace("__", "/").replace("_md", ".md"): text.encode() for name, text in pages.items()}


def manifest_of(out) -> dict[str, str]:
    return json.loads((out / MANIFEST).read_text(encoding="utf-8"))


def test_sync_tree_reports_what_it_wrote_and_removed(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B", people__c_md="C"), out)
    stats = sync_tree(files(index_md="home", people__a_md="A v2", people__d_md="D", people__b_md="B"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (2, 2, 1)
    assert stats.written_paths == ("people/a.md", "people/d.md")
    assert stats.removed_paths == ("people/c.md",)
    assert stats.undo is None


def test_sync_tree_writes_into_new_nested_folders(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home"), out)
    stats = sync_tree(files(index_md="home", a__b__c_md="deep"), out)
    assert (out / "a/b/c.md").read_text() == "deep"
    assert stats.written_paths == ("a/b/c.md",)


def test_sync_tree_into_a_missing_folder_creates_it(tmp_path):
    out = tmp_path / "site_src"
    stats = sync_tree(files(index_md="home", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (2, 0, 0)
    assert set(manifest_of(out)) == {"index.md", "people/a.md"}


def test_sync_tree_rewrites_an_unchanged_file_that_was_deleted(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    (out / "people/a.md").unlink()
    stats = sync_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    assert stats.written_paths == ("people/a.md",)
    assert (out / "people/a.md").read_text() == "A"
    assert (stats.unchanged, stats.removed) == (2, 0)


def test_sync_tree_without_prune_leaves_other_files_and_remembers_them(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    stats = sync_tree(files(people__a_md="A v2"), out, prune=False)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 0, 0)
    assert stats.removed_paths == ()
    assert (out / "index.md").read_text() == "home" and (out / "people/b.md").read_text() == "B"
    assert set(manifest_of(out)) == {"index.md", "people/a.md", "people/b.md"}
    # the next full sync still knows the files the partial one did not mention
    stats = sync_tree(files(index_md="home", people__a_md="A v2"), out)
    assert stats.removed_paths == ("people/b.md",) and not (out / "people/b.md").exists()


def test_sync_tree_forgets_a_stale_file_already_deleted_by_hand(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    (out / "people/a.md").unlink()
    stats = sync_tree(files(index_md="home"), out)
    assert stats.removed_paths == ("people/a.md",)
    assert set(manifest_of(out)) == {"index.md"}


def test_sync_tree_that_changes_nothing_touches_nothing(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    before = tree_state(out)
    stats = sync_tree(files(index_md="home", people__a_md="A"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert tree_state(out) == before


def test_manifests_list_paths_in_order_whatever_order_the_files_come_in(tmp_path):
    given = {"z.md": b"z", "a/b.md": b"b", "m.md": b"m"}
    write_tree(given, tmp_path / "one")
    sync_tree(given, tmp_path / "two")
    sync_tree({"z.md": b"z", "a/b.md": b"b"}, tmp_path / "three")
    sync_tree({"m.md": b"m"}, tmp_path / "three", prune=False)
    texts = [(tmp_path / name / MANIFEST).read_text(encoding="utf-8") for name in ("one", "two", "three")]
    assert list(json.loads(texts[0])) == ["a/b.md", "m.md", "z.md"]
    assert texts[0] == texts[1] == texts[2]


def test_rollback_clears_a_failed_tree_left_by_an_earlier_crash(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="old"), out)
    before = tree_state(out)
    stats = write_tree(files(index_md="new"), out, keep_previous=True)
    leftover = tmp_path / ".site_src.failed"
    (leftover / "people").mkdir(parents=True)
    (leftover / "people/x.md").write_text("from a crash")
    stats.undo.rollback()
    assert tree_state(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_rollback_without_a_new_tree_puts_the_old_one_back(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="old"), out)
    os.rename(out, tmp_path / ".site_src.old")
    Undo(out, tmp_path / ".site_src.old").rollback()
    assert (out / "index.md").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_commit_without_a_previous_tree_keeps_the_new_one(tmp_path):
    out = tmp_path / "site_src"
    stats = write_tree(files(index_md="new"), out, keep_previous=True)
    assert stats.undo.old_dir is None
    stats.undo.commit()
    assert (out / "index.md").read_text() == "new"


def test_a_damaged_manifest_makes_the_tree_foreign(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home"), out)
    (out / MANIFEST).write_text("{not json", encoding="utf-8")
    from generator.problems import ProblemError
    with pytest.raises(ProblemError) as caught:
        _guard(out)
    [problem] = caught.value.problems
    assert (problem.path, problem.code) == ("site_src", "foreign-output")
    assert problem.message == f"site_src/ exists but was not made by briefing (no {MANIFEST}); move it away first"


def test_a_manifest_with_non_ascii_paths_is_read_back(tmp_path):
    out = tmp_path / "site_src"
    write_tree({"people/zoë.md": "Zoë".encode()}, out)
    stats = write_tree({"people/zoë.md": "Zoë".encode()}, out)
    assert (stats.written, stats.unchanged) == (0, 1)


def test_write_tree_replaces_a_leftover_new_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="old"), out)
    leftover = tmp_path / ".site_src.new"
    (leftover / "people").mkdir(parents=True)
    (leftover / "people/x.md").write_text("from a crash")
    write_tree(files(index_md="new"), out)
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [MANIFEST, "index.md"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_plan_files_reports_every_clash_with_its_message(tmp_path):
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    for name in ("a.md", "b.md"):
        (pages / name).write_text("hand-written")
    from generator.problems import ProblemError
    from generator.write import plan_files
    with pytest.raises(ProblemError) as caught:
        plan_files({"a.md": "A", "b.md": "B"}, {"b.md": pages / "b.md", "a.md": pages / "a.md"}, tmp_path)
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("content/pages/a.md", "'a.md' would be written twice (a generated page has that path); "
                               "rename the hand-written file"),
        ("content/pages/b.md", "'b.md' would be written twice (a generated page has that path); "
                               "rename the hand-written file")]
    # without the project folder, problems name the file as given
    with pytest.raises(ProblemError) as caught:
        plan_files({"a.md": "A"}, {"a.md": pages / "a.md"})
    assert [p.path for p in caught.value.problems] == [str(pages / "a.md")]


def test_swap_in_replaces_the_tree_and_keeps_nothing_aside(tmp_path):
    from generator.write import swap_in
    out = tmp_path / "site"
    (out / "old").mkdir(parents=True)
    (tmp_path / ".site.old" / "leftover").mkdir(parents=True)  # from an earlier crash
    new = tmp_path / ".site.new"
    (new / "new").mkdir(parents=True)
    assert swap_in(new, out) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert [p.name for p in out.iterdir()] == ["new"]


def test_write_tree_over_a_leftover_old_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="old"), out)
    (tmp_path / ".site_src.old" / "people").mkdir(parents=True)
    stats = write_tree(files(index_md="new"), out, keep_previous=True)
    assert sorted(p.relative_to(stats.undo.old_dir).as_posix()
                  for p in stats.undo.old_dir.rglob("*") if p.is_file()) == [MANIFEST, "index.md"]
    stats.undo.commit()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]


def test_write_tree_into_a_folder_whose_parent_it_made_for_an_earlier_file(tmp_path):
    out = tmp_path / "site_src"
    stats = write_tree({"a/b/c.md": b"c", "a/d.md": b"d", "e.md": b"e"}, out)
    assert (stats.written, stats.unchanged, stats.removed) == (3, 0, 0)
    assert (out / "a/d.md").read_text() == "d" and (out / "a/b/c.md").read_text() == "c"


def test_write_tree_counts_every_unchanged_file(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A", people__b_md="B"), out)
    stats = write_tree(files(index_md="home v2", people__a_md="A", people__b_md="B"), out)
    assert (stats.written, stats.unchanged, stats.removed) == (1, 2, 0)
    assert stats.undo is None


def test_a_later_batch_naming_first_batch_paths_names_three_of_them(tmp_path):
    out = tmp_path / "site_src"
    first = {f"p{i}.md": b"x" for i in range(5)}
    with pytest.raises(ValueError) as caught:
        write_tree(first, out, later=lambda written: {f"p{i}.md": b"y" for i in range(4, -1, -1)})
    assert str(caught.value) == "written twice: p0.md, p1.md, p2.md"
    assert list(tmp_path.iterdir()) == []


def test_identical_output_through_a_later_batch_leaves_no_new_tree(tmp_path):
    out = tmp_path / "site_src"
    write_tree(files(index_md="home", people__a_md="A"), out)
    stats = write_tree(files(index_md="home"), out, later=lambda written: files(people__a_md="A"))
    assert (stats.written, stats.unchanged, stats.removed) == (0, 2, 0)
    assert (stats.written_paths, stats.removed_paths, stats.undo) == ((), (), None)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site_src"]
