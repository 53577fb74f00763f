"""Index stage: references resolve to existing records of the right kind; backlinks are collected."""
from __future__ import annotations

import pytest

from generator.index import link_field, ref_fields
from generator.pipeline import check

CITE = "sources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"
NORTHLAND = "content/organizations/northland.yaml"


def errors(project, rel: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of every error reported for one file."""
    return [(p["line"], p["column"], p["code"]) for p in project.problems()
            if p["path"] == rel and p["level"] == "error"]


def message(project, rel: str, code: str) -> str:
    """Message of the first problem with `code` in file `rel`."""
    return next(p["message"] for p in project.problems() if p["path"] == rel and p["code"] == code)


def test_unknown_person_suggests_the_closest_id(project):
    project.write("content/people/zelensky.yaml", "name: Zelensky\n" + CITE)
    project.write(NORTHLAND, "name: Northland\ntype: state\nleader: zelenskyy\n" + CITE)
    assert errors(project, NORTHLAND) == [(3, 9, "unknown-ref")]
    assert message(project, NORTHLAND, "unknown-ref") == "unknown person 'zelenskyy' — did you mean 'zelensky'?"


def test_unknown_reference_in_a_list_names_every_allowed_kind(project):
    rel = "content/events/geneva-talks.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace("[northland, southland, berg]",
                                                                    "[northland, southland, bergg]")
    project.write(rel, text, dedent=False)
    assert errors(project, rel) == [(9, 38, "unknown-ref")]
    assert message(project, rel, "unknown-ref") == "unknown person or organization 'bergg' — did you mean 'berg'?"


def test_unknown_reference_without_a_close_match(project):
    project.write(NORTHLAND, "name: Northland\ntype: state\nleader: nobody-at-all\n" + CITE)
    assert message(project, NORTHLAND, "unknown-ref") == "unknown person 'nobody-at-all'"


def test_suggestion_comes_from_the_right_kind(project):
    # 'northlandd' is close to the organization 'northland', but leader takes a person
    project.write(NORTHLAND, "name: Northland\ntype: state\nleader: northlandd\n" + CITE)
    assert message(project, NORTHLAND, "unknown-ref") == "unknown person 'northlandd'"


def test_unknown_source_in_a_citation(project):
    rel = "content/people/berg.yaml"
    project.write(rel, "name: Anna Berg\nsources:\n  - source: reprot\n    excerpt: Northland's envoy Anna Berg\n")
    assert errors(project, rel) == [(3, 13, "unknown-ref")]
    assert message(project, rel, "unknown-ref") == "unknown source 'reprot' — did you mean 'report'?"


@pytest.mark.parametrize("rel, text, where, msg", [
    (NORTHLAND, "name: Northland\ntype: state\nleader: southland\n" + CITE, (3, 9),
     "'southland' is an organization, but leader takes a person"),
    ("content/people/berg.yaml", "name: Anna Berg\naffiliations: [northland, olsen]\n" + CITE, (2, 27),
     "'olsen' is a person, but affiliations takes an organization"),
    ("content/people/berg.yaml", "name: Anna Berg\nsources:\n  - source: olsen\n    excerpt: Northland's envoy Anna Berg\n",
     (3, 13), "'olsen' is a person, but sources takes a source"),
], ids=["field", "inside-a-list", "citation"])
def test_reference_to_the_wrong_kind(project, rel, text, where, msg):
    project.write(rel, text)
    assert errors(project, rel) == [(*where, "wrong-kind")]
    assert message(project, rel, "wrong-kind") == msg


def test_reference_to_an_unreadable_file_is_not_reported_twice(project):
    """berg.yaml is broken: that file's own error explains why the quote's speaker is missing."""
    project.write("content/people/berg.yaml", "name: [Anna Berg\n")
    problems = [(p["path"], p["code"]) for p in project.problems() if p["level"] == "error"]
    assert problems == [("content/people/berg.yaml", "yaml-syntax")]


def test_deleted_record_is_reported_where_it_is_referenced(project):
    project.remove("content/people/olsen.yaml")
    problems = [(p["path"], p["line"], p["column"], p["code"]) for p in project.problems()]
    assert problems == [("content/assessments/border-open.yaml", 2, 9, "unknown-ref")]


def test_reference_fields_come_from_the_schema():
    person = dict(ref_fields("person"))
    assert person[("affiliations", "*")] == ("organization",)
    assert person[("sources", "*", "source")] == ("source",)
    assert dict(ref_fields("organization"))[("leader",)] == ("person",)
    assert dict(ref_fields("quote"))[("variant_of",)] == ("quote",)
    assert ("name",) not in person


def test_links_and_backlinks(project):
    index = check(project.root).index
    assert [(ln.field, ln.target) for ln in index.links["first-step"]] == [
        ("speaker", "berg"), ("event", "geneva-talks"), ("sources", "report")]
    assert [r.id for r in index.referrers("berg")] == ["geneva-talks", "first-step"]
    assert [r.id for r in index.referrers("berg", "speaker")] == ["first-step"]
    assert [r.id for r in index.referrers("berg", kind="event")] == ["geneva-talks"]
    cited_by = {ln.source for ln in index.backlinks["report"]}
    assert cited_by == {"berg", "olsen", "northland", "southland", "troop-withdrawal", "prisoner-exchange",
                        "geneva-talks", "first-step", "border-open"}


def test_records_of_a_kind_are_sorted_by_title(project):
    project.write("content/people/aalto.yaml", "name: Zoe Aalto\n" + CITE)
    index = check(project.root).index
    assert [r.title for r in index.by_kind["person"]] == ["Anna Berg", "Olsen", "Zoe Aalto"]


def test_the_field_a_reference_is_shown_under():
    assert link_field(("leader",)) == "leader"
    assert link_field(("affiliations", 0)) == "affiliations"
    assert link_field(("sources", 2, "source")) == "sources"
    assert link_field(("caveats", 0, "sources", 1, "source")) == "sources"
    assert link_field(("disputes", "leader", 1, "value")) == "leader"  # an account's value
    assert link_field(("disputes", "leader", 1, "source")) == "sources"  # the account's source


def _doc(rel: str, kind: str, text: str):
    from pathlib import Path

    from generator.load import parse_yaml
    doc = parse_yaml(text, rel, [])
    doc.kind, doc.id = kind, Path(rel).stem
    return doc


def test_ids_records_no_longer_have_are_asked_for_once_and_only_when_needed():
    from generator.index import build_index
    docs = [_doc("content/people/berg.yaml", "person",
                 "name: Anna Berg\naffiliations: [5, Bad, gone, northland, nowhere, gone]\n"),
            _doc("content/organizations/northland.yaml", "organization", "name: Northland\ntype: state\n")]
    calls = []

    def stale():
        calls.append(1)
        return {"gone": ("renamed-ref", "'gone' was renamed to 'northland'")}

    index, problems = build_index(docs, stale)
    assert calls == [1]
    assert [(p.path, p.line, p.column, p.code, p.message) for p in problems] == [
        ("content/people/berg.yaml", 2, 24, "renamed-ref", "'gone' was renamed to 'northland'"),
        ("content/people/berg.yaml", 2, 41, "unknown-ref", "unknown organization 'nowhere'"),
        ("content/people/berg.yaml", 2, 50, "renamed-ref", "'gone' was renamed to 'northland'")]
    assert [(ln.field, ln.target) for ln in index.links["berg"]] == [("affiliations", "northland")]
    assert build_index(docs[1:], stale)[1] == [] and calls == [1]  # nothing unknown: not asked
    # without a history to ask, an id that is gone is just unknown
    assert [p.code for p in build_index(docs)[1]] == ["unknown-ref"] * 3


def test_a_record_referring_twice_is_one_referrer():
    from generator.index import build_index
    docs = [_doc("content/people/olsen.yaml", "person", "name: Olsen\naffiliations: [northland, northland]\n"),
            _doc("content/organizations/northland.yaml", "organization", "name: Northland\ntype: state\n")]
    index = build_index(docs)[0]
    assert len(index.backlinks["northland"]) == 2
    assert [r.id for r in index.referrers("northland")] == ["olsen"]
