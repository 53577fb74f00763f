"""Validate stage, the promises mutation testing found unguarded (see README, "Mutation testing")."""
from __future__ import annotations

import pytest

from generator.validate import _common_handler, _field, article, schema_valid, slugify, suggest

BERG = "content/people/berg.yaml"
CITE = "sources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"


def test_schemas_never_reach_outside_briefing():
    with pytest.raises(ValueError) as caught:
        _common_handler("https://example.org/schemas/other.schema.json")
    assert str(caught.value) == ("schema reference outside briefing's schemas: "
                                 "https://example.org/schemas/other.schema.json")


def test_field_names_in_messages():
    assert _field(()) == "record"
    assert _field(("sources", 0, "excerpt")) == "sources[0].excerpt"
    assert _field(("native_name", "lang")) == "native_name.lang"
    assert _field((0,)) == "[0]"


@pytest.mark.parametrize("noun, said", [("person", "a person"), ("organization", "an organization"),
                                        ("event", "an event"), ("quote", "a quote"), ("", "an ")])
def test_article(noun, said):
    assert article(noun) == said


def test_suggest_names_only_the_closest_choice():
    assert suggest("nmae", ["name", "names", "nam"]) == " — did you mean 'name'?"
    assert suggest("xyz", ["name"]) == ""
    assert suggest(2025, ["2024"]) == " — did you mean '2024'?"


@pytest.mark.parametrize("text, slug", [("Anna Berg", "anna-berg"), ("Zoë  O'Neil", "zoe-o-neil"),
                                        ("---", ""), ("Ørsted 2", "rsted-2")])
def test_slugify(text, slug):
    assert slugify(text) == slug


def problems_of(project, rel):
    return [(p["line"], p["column"], p["code"], p["message"]) for p in project.problems()
            if p["path"] == rel and p["level"] == "error"]


def test_unknown_field_in_a_nested_mapping_names_where(project):
    project.write(BERG, "name: Anna Berg\nnative_name:\n  text: Anna Berg\n  lagn: sv\n" + CITE)
    found = problems_of(project, BERG)
    assert (4, 3, "unknown-key", "unknown field 'lagn' in native_name — did you mean 'lang'?") in found


def test_missing_field_of_a_nested_mapping_names_where(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n")
    assert problems_of(project, BERG) == [(3, 5, "missing-key", "sources[0] needs the field 'excerpt'")]


def test_blank_file_name_slug_gives_no_rename_hint(project):
    rel = "content/people/---.yaml"
    project.write(rel, "name: Anna Berg\n" + CITE)
    [msg] = [m for _, _, code, m in problems_of(project, rel) if code == "bad-id"]
    assert msg == "file name '---' is not a safe id (lowercase ASCII letters, digits, single hyphens)"


def test_unreadable_record_gets_only_its_id_checked(project):
    rel = "content/people/Bad_Name.yaml"
    project.write_bytes(rel, b"name: \xff\n")
    codes = [code for _, _, code, _ in problems_of(project, rel)]
    assert sorted(codes) == ["bad-id", "not-utf8"]


def test_reference_without_any_id_in_it_gets_no_suggestion(project):
    project.write(BERG, "name: Anna Berg\naffiliations: ['!!!']\n" + CITE)
    assert problems_of(project, BERG) == [(2, 16, "bad-format", (
        "affiliations[0]: expected a record id: lowercase ASCII letters, digits and single hyphens "
        "(the file name without .yaml); found text '!!!'"))]


def test_badly_formed_date_gets_no_id_suggestion(project):
    rel = "content/events/geneva-talks.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace("'2024-03-01'", "'2024-13-01'")
    project.write(rel, text, dedent=False)
    assert problems_of(project, rel) == [(4, 10, "bad-format", (
        "date.value: expected calendar date as YYYY, YYYY-MM or YYYY-MM-DD; the length is the precision. "
        "Quote it: '2025-05-16'; found text '2024-13-01'"))]


def test_empty_text_message(project):
    project.write(BERG, "name: Anna Berg\nrole: ''\n" + CITE)
    assert problems_of(project, BERG) == [(2, 7, "empty", "role: empty text; write something or remove the field")]


@pytest.mark.parametrize("line, problem", [
    ("disputes: {}", (2, 11, "schema", "disputes: {} should be non-empty")),
    ("aliases: [A, A]", (2, 10, "duplicate-item", "aliases: the list holds the same item twice")),
    ("notes: " + "x" * 20001, (2, 8, "too-long", "notes: text is longer than 20000 characters")),
])
def test_other_schema_problems_say_where_and_what(project, line, problem):
    project.write(BERG, f"name: Anna Berg\n{line}\n" + CITE)
    assert problems_of(project, BERG) == [problem]
    assert {p["path"] for p in project.problems() if p["code"] == problem[2]} == {BERG}


def test_schema_valid_says_whether_a_record_satisfies_its_schema():
    northland = {"name": "Northland", "type": "state", "sources": [{"source": "report", "excerpt": "words"}]}
    assert schema_valid("organization", northland) is True
    assert schema_valid("organization", {**northland, "type": "planet"}) is False
    assert schema_valid("organization", {**northland, "motto": "x"}) is False


def test_a_valid_record_never_reaches_the_slow_validator(monkeypatch):
    # jsonschema (0.5 ms a record) only runs on what the compiled check rejects
    from generator import validate
    from generator.load import parse_yaml
    monkeypatch.setattr(validate, "validator", lambda kind: pytest.fail("jsonschema ran on a valid record"))
    doc = parse_yaml("name: Northland\ntype: state\n" + CITE, "content/organizations/northland.yaml", [])
    doc.kind, doc.id = "organization", "northland"
    assert validate.validate_document(doc) == []


def test_duplicate_ids_reports_each_later_file_against_the_first():
    from generator.load import Document
    from generator.validate import duplicate_ids
    docs = [Document("content/people/x.yaml", "person", "x", {}),
            Document("content/events/y.yaml", "event", "y", {}),
            Document("content/organizations/x.yaml", "organization", "x", {}),
            Document("content/sources/x.yaml", "source", "x", None)]
    message = "id 'x' is already used by content/people/x.yaml; ids are unique across all kinds"
    assert [(p.path, p.line, p.column, p.code, p.message, p.level) for p in duplicate_ids(docs)] == [
        ("content/organizations/x.yaml", 1, 1, "duplicate-id", message, "error"),
        ("content/sources/x.yaml", 1, 1, "duplicate-id", message, "error")]
