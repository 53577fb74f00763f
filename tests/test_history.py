"""History from commits: following records through renames and moves, versions that do not parse,
renames git cannot see, how changes are put in words; and reading git from a project that is a
folder of a bigger repository."""
from __future__ import annotations

from generator.gitlog import Commit, FileChange, Log, _parse_log
from generator.history import FieldChange, attach, build_history, follow_renames
from generator.index import build_index
from generator.load import Document
from generator.render.changes import describe, describe_field
from story import git


def commit(n: int, subject: str = "") -> Commit:
    return Commit(f"{n:040x}", 1700000000 + n * 86400, f"2024-03-{n:02d}T09:00:00+00:00", subject or f"c{n}", "")


def fc(status, old=None, new=None, old_blob=None, new_blob=None) -> FileChange:
    return FileChange(status, old, new, old_blob, new_blob)


EVENT = {"title": "Talks", "date": {"value": "2024-03", "inferred": False}}
MORE_PRECISE = {"title": "Talks", "date": {"value": "2024-03-01", "inferred": False}}


def index_of(*docs: tuple[str, str, dict]):
    return build_index([Document(path, kind, path.rsplit("/", 1)[1][:-5], data) for path, kind, data in docs])[0]


def test_a_record_is_followed_through_a_move_to_another_kind():
    log = Log([(commit(1), [fc("A", new="content/events/x.yaml", new_blob="a")]),
               (commit(2), [fc("R", "content/events/x.yaml", "content/agreements/x.yaml", "a", "b")])], "h")
    history = build_history(log, {"a": EVENT, "b": {"title": "Talks", "type": "agreement"}})
    (track,) = history.live.values()
    assert track.names == [("event", "x"), ("agreement", "x")]
    moved = track.changes[-1]
    assert moved.renamed_from == ("event", "x") and moved.kind == "agreement"
    assert describe(index_of(), moved)[0] == "Moved from Events to Agreements (was x)"


def test_a_version_that_does_not_parse_is_skipped():
    log = Log([(commit(1), [fc("A", new="content/events/x.yaml", new_blob="a")]),
               (commit(2), [fc("M", "content/events/x.yaml", "content/events/x.yaml", "a", "broken")]),
               (commit(3), [fc("M", "content/events/x.yaml", "content/events/x.yaml", "broken", "c")])], "h")
    history = build_history(log, {"a": EVENT, "broken": None, "c": MORE_PRECISE})
    changes = history.recorded
    assert [(c.action, c.commit.subject) for c in changes] == [("added", "c1"), ("changed", "c3")]
    assert changes[1].fields == (FieldChange("date", EVENT["date"], MORE_PRECISE["date"]),)


def test_a_path_used_again_after_a_removal_starts_a_new_record():
    log = Log([(commit(1), [fc("A", new="content/people/p.yaml", new_blob="a")]),
               (commit(2), [fc("D", "content/people/p.yaml", None, "a", None)]),
               (commit(3), [fc("A", new="content/people/p.yaml", new_blob="b")])], "h")
    history = build_history(log, {"a": {"name": "P"}, "b": {"name": "P again"}})
    assert [c.action for c in history.live["content/people/p.yaml"].changes] == ["added"]
    assert [t.changes[-1].action for t in history.ended] == ["removed"]


def test_source_texts_and_other_files_are_not_records():
    log = Log([(commit(1), [fc("A", new="content/sources/s.txt", new_blob="t"),
                            fc("A", new="content/README.md", new_blob="r"),
                            fc("A", new="content/widgets/w.yaml", new_blob="w")])], "h")
    assert build_history(log, {}).recorded == []


def test_a_removal_and_an_addition_joined_by_former_ids_are_one_rename():
    log = Log([(commit(1), [fc("A", new="content/people/old.yaml", new_blob="a")]),
               (commit(2), [fc("D", "content/people/old.yaml", None, "a", None),
                            fc("A", new="content/people/new.yaml", new_blob="b")])], "h")
    new = {"name": "New name", "former_ids": ["old"]}
    history = attach(build_history(log, {"a": {"name": "Old name"}, "b": new}),
                     index_of(("content/people/new.yaml", "person", new)))
    assert [(c.action, c.id, c.renamed_from) for c in history.changes] == [
        ("added", "old", None), ("changed", "new", ("person", "old"))]
    assert [c.action for c in history.of_record["new"]] == ["added", "changed"]
    assert describe(index_of(), history.of_record["new"][-1]) == [
        "Renamed from old", "Name: “Old name” → “New name”", "Former ids: old (new)"]


def test_references_that_follow_a_rename_are_no_change():
    data = {"title": "Talks", "participants": ["berg", "olsen"], "disputes": {"participants": [
        {"value": ["berg"], "source": "r", "excerpt": "x"}]}}
    followed = follow_renames("event", data, {"berg": "anna-berg"})
    assert followed["participants"] == ["anna-berg", "olsen"]
    assert data["participants"] == ["berg", "olsen"]  # a copy: the version itself is not changed


def test_changes_in_words():
    index = index_of(("content/sources/wire.yaml", "source", {"title": "Wire report"}),
                     ("content/people/berg.yaml", "person", {"name": "Anna Berg"}))
    assert describe_field(index, "event", FieldChange("date", EVENT["date"], MORE_PRECISE["date"])) == \
        "Date: March 2024 → 1 March 2024, more precise"
    assert describe_field(index, "event", FieldChange("status", "expected", "happened")) == \
        "Status: expected → happened"
    assert describe_field(index, "event", FieldChange("participants", ["olsen"], ["olsen", "berg"])) == \
        "Participants: added Anna Berg"
    assert describe_field(index, "event", FieldChange("location", None, "Geneva")) == "Location: “Geneva” (new)"
    assert describe_field(index, "event", FieldChange("location", "Geneva", None)) == "Location removed (was “Geneva”)"
    before = [{"source": "report", "excerpt": "a"}]
    assert describe_field(index, "event", FieldChange("sources", before, before + [{"source": "wire", "excerpt": "b"}])) \
        == "Sources: now also cites Wire report"
    assert describe_field(index, "demand", FieldChange("target", "gone", "berg"), {"gone": "Old title"}) == \
        "Addressed to: Old title → Anna Berg"


def test_git_log_is_parsed_with_renames_and_odd_file_names():
    raw = ("\x1e" + "a" * 40 + "\x1f1700000000\x1f2024-03-01T09:00:00+00:00\x1fFirst\x1f\x1f\x00\n"
           ":000000 100644 " + "0" * 40 + " " + "1" * 40 + " A\x00people/é x.yaml\x00"
           "\x1e" + "b" * 40 + "\x1f1700086400\x1f2024-03-02T09:00:00+00:00\x1fSecond\x1fWhy it\nmatters\x1f\x00\n"
           ":100644 100644 " + "1" * 40 + " " + "2" * 40 + " R087\x00people/é x.yaml\x00people/y.yaml\x00")
    (first, added), (second, renamed) = _parse_log(raw, "content/")
    assert added == [FileChange("A", None, "content/people/é x.yaml", None, "1" * 40)]
    assert renamed == [FileChange("R", "content/people/é x.yaml", "content/people/y.yaml", "1" * 40, "2" * 40)]
    assert (second.subject, second.body, second.day) == ("Second", "Why it\nmatters", "2024-03-02")


def test_a_project_in_a_folder_of_a_bigger_repository(tmp_path):
    from conftest import copy_fixture
    project = copy_fixture(tmp_path / "repo" / "briefing")
    git(tmp_path / "repo", "init", "-q")
    git(tmp_path / "repo", "add", "-A")
    git(tmp_path / "repo", "commit", "-qm", "Briefing in a folder", date="2024-03-02T09:00:00+00:00")
    result = project.run("generate")
    assert result.code == 0 and "history unavailable" not in result.err
    page = project.path("site_src/people/berg.md").read_text(encoding="utf-8")
    assert "First recorded 2 March 2024" in page
