"""Validate stage: schema problems with positions, expected-vs-found messages and suggestions."""
from __future__ import annotations

import json

import pytest

from conftest import REPO
from generator.kinds import KINDS, schema

BERG = "content/people/berg.yaml"
CITE = "sources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"
"""A valid citation, so the records these tests write differ from valid ones in one way only."""


def errors(project, rel: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of every error reported for one file."""
    return [(p["line"], p["column"], p["code"]) for p in project.problems()
            if p["path"] == rel and p["level"] == "error"]


def message(project, rel: str, code: str) -> str:
    """Message of the first problem with `code` in file `rel`."""
    return next(p["message"] for p in project.problems() if p["path"] == rel and p["code"] == code)


def test_unknown_key_suggests_the_closest_field(project):
    project.write(BERG, "name: Anna Berg\nrloe: envoy\n" + CITE)
    assert errors(project, BERG) == [(2, 1, "unknown-key")]
    assert message(project, BERG, "unknown-key") == "unknown field 'rloe' in a person — did you mean 'role'?"


def test_unknown_key_without_a_close_match_lists_the_allowed_fields(project):
    project.write(BERG, "name: Anna Berg\n" + CITE + "    pages: 3\n")
    assert errors(project, BERG) == [(5, 5, "unknown-key")]
    assert message(project, BERG, "unknown-key") == \
        "unknown field 'pages' in sources[0]; allowed: source, excerpt, note"


def test_unknown_key_in_an_organization_uses_an(project):
    rel = "content/organizations/northland.yaml"
    project.write(rel, "name: Northland\ntype: state\nrole: x\n" + CITE)
    assert errors(project, rel) == [(3, 1, "unknown-key")]
    assert message(project, rel, "unknown-key").startswith("unknown field 'role' in an organization; allowed: ")


def test_missing_required_field(project):
    project.write(BERG, "role: envoy\n" + CITE)
    assert errors(project, BERG) == [(1, 1, "missing-key")]
    assert message(project, BERG, "missing-key") == "a person needs the field 'name'"


def test_missing_required_field_in_a_citation(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n")
    assert errors(project, BERG) == [(3, 5, "missing-key")]
    assert message(project, BERG, "missing-key") == "sources[0] needs the field 'excerpt'"


@pytest.mark.parametrize("line, found", [
    ("aliases: A. Berg", "aliases: expected a list, found text 'A. Berg'"),
    ("native_name: Anna Berg", "native_name: expected a mapping of field: value, found text 'Anna Berg'"),
    ("role: [envoy]", "role: expected text, found a list"),
    ("role: 3", "role: expected text, found number 3 (YAML 1.1 reads unquoted 3 that way) — put it in quotes: '3'"),
])
def test_wrong_type_says_expected_and_found(project, line, found):
    project.write(BERG, "name: Anna Berg\n" + line + "\n" + CITE)
    assert [code for _, _, code in errors(project, BERG)] == ["wrong-type"]
    assert errors(project, BERG)[0][:2] == (2, line.index(":") + 3)
    assert message(project, BERG, "wrong-type") == found


@pytest.mark.parametrize("plain, found", [
    ("no", "boolean false"), ("yes", "boolean true"), ("on", "boolean true"), ("off", "boolean false"),
    ("Off", "boolean false"), ("12:30", "number 750"), ("2025-05-16", "date 2025-05-16"), ("~", "nothing (null)"),
    ("1.5", "number 1.5"), ("0x1F", "number 31"),
])
def test_yaml_1_1_surprises_in_text_say_put_it_in_quotes(project, plain, found):
    project.write(BERG, f"name: Anna Berg\nrole: {plain}\n" + CITE)
    assert errors(project, BERG) == [(2, 7, "wrong-type")]
    assert message(project, BERG, "wrong-type") == (
        f"role: expected text, found {found} (YAML 1.1 reads unquoted {plain} that way) — put it in quotes: '{plain}'")


@pytest.mark.parametrize("quoted", ["'no'", '"12:30"', "'2025-05-16'"])
def test_quoted_surprises_are_text(project, quoted):
    project.write(BERG, f"name: Anna Berg\nrole: {quoted}\n" + CITE)
    assert errors(project, BERG) == []


def test_unquoted_date_value_in_a_date(project):
    rel = "content/events/geneva-talks.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace("value: '2024-03-01'", "value: 2024-03-01")
    project.write(rel, text, dedent=False)
    assert errors(project, rel) == [(4, 10, "wrong-type")]
    assert message(project, rel, "wrong-type") == (
        "date.value: expected text, found date 2024-03-01 (YAML 1.1 reads unquoted 2024-03-01 that way) "
        "— put it in quotes: '2024-03-01'")


def test_badly_formed_date_value(project):
    rel = "content/events/geneva-talks.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace("'2024-03-01'", "'2024-13-01'")
    project.write(rel, text, dedent=False)
    assert errors(project, rel) == [(4, 10, "bad-format")]
    assert message(project, rel, "bad-format").startswith(
        "date.value: expected calendar date as YYYY, YYYY-MM or YYYY-MM-DD")


def test_enum_value_suggests_the_closest_option(project):
    rel = "content/organizations/northland.yaml"
    project.write(rel, "name: Northland\ntype: sate\n" + CITE)
    assert errors(project, rel) == [(2, 7, "bad-value")]
    msg = message(project, rel, "bad-value")
    assert msg.startswith("type: expected one of state, government, ")
    assert msg.endswith("; found text 'sate' — did you mean 'state'?")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "ftp://example.org/x", "//example.org/x", "https://exa mple.org/",
                                 'https://example.org/"onmouseover="x', "https://example.org/<script>"])
def test_only_http_urls_are_accepted(project, url):
    rel = "content/sources/report.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace("url: https://example.org/geneva",
                                                                    f"url: '{url}'")
    project.write(rel, text, dedent=False)
    assert errors(project, rel) == [(4, 6, "bad-format")]
    assert message(project, rel, "bad-format") == (
        f"url: expected an http:// or https:// address (no spaces, quotes or < >); found text '{url}'")


def test_http_and_https_urls_are_accepted(project):
    rel = "content/sources/report.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace(
        "url: https://example.org/geneva", "url: http://example.org/a?b=1&c=(2)#x")
    project.write(rel, text, dedent=False)
    assert errors(project, rel) == []


def test_reference_that_is_not_an_id_suggests_one(project):
    project.write(BERG, "name: Anna Berg\naffiliations: [Northland]\n" + CITE)
    # reported once, as a format problem (not also as an unknown record)
    assert errors(project, BERG) == [(2, 16, "bad-format")]
    assert message(project, BERG, "bad-format").endswith("found text 'Northland' — did you mean 'northland'?")


@pytest.mark.parametrize("line, code, col", [
    ('role: ""', "empty", 7), ("aliases: []", "schema", 10), ("aliases: [A. Berg, A. Berg]", "duplicate-item", 10)])
def test_empty_and_repeated_values(project, line, code, col):
    project.write(BERG, f"name: Anna Berg\n{line}\n" + CITE)
    found = errors(project, BERG)
    if code == "schema":  # an empty alias list is allowed
        assert found == []
    else:
        assert found == [(2, col, code)]


def test_empty_citation_list(project):
    project.write(BERG, "name: Anna Berg\nsources: []\n")
    assert errors(project, BERG) == [(2, 10, "empty")]
    assert message(project, BERG, "empty") == "sources: empty list; add at least one item or remove the field"


def test_text_over_the_length_limit(project):
    project.write(BERG, "name: Anna Berg\nnotes: " + "x" * 20001 + "\n" + CITE)
    assert errors(project, BERG) == [(2, 8, "too-long")]


def test_file_name_that_is_not_a_safe_id(project):
    rel = "content/people/Anna_Berg.yaml"
    project.write(rel, "name: Anna Berg\n" + CITE)
    assert (1, 1, "bad-id") in errors(project, rel)
    assert message(project, rel, "bad-id") == (
        "file name 'Anna_Berg' is not a safe id (lowercase ASCII letters, digits, single hyphens); "
        "rename it to 'anna-berg.yaml'")


@pytest.mark.parametrize("stem", ["berg--two", "-berg", "berg-", "bérg", "berg.v2", "BERG"])
def test_unsafe_file_names(project, stem):
    rel = f"content/people/{stem}.yaml"
    project.write(rel, "name: Anna Berg\n" + CITE)
    assert (1, 1, "bad-id") in errors(project, rel)


def test_id_field_must_match_the_file_name(project):
    project.write(BERG, "id: anna-berg\nname: Anna Berg\n" + CITE)
    assert errors(project, BERG) == [(1, 5, "id-mismatch")]
    assert message(project, BERG, "id-mismatch") == (
        "id 'anna-berg' does not match the file name 'berg.yaml'; remove the id field or rename the file")


def test_id_field_equal_to_the_file_name_is_fine(project):
    project.write(BERG, "id: berg\nname: Anna Berg\n" + CITE)
    assert errors(project, BERG) == []


def test_duplicate_id_across_kinds(project):
    rel = "content/organizations/berg.yaml"
    project.write(rel, "name: Berg Group\ntype: group\n" + CITE)
    assert errors(project, rel) == [(1, 1, "duplicate-id")]
    assert errors(project, BERG) == []
    assert message(project, rel, "duplicate-id") == (
        "id 'berg' is already used by content/people/berg.yaml; ids are unique across all kinds")
    # the first file keeps the id: references to berg still resolve to the person
    assert project.problems() == [p for p in project.problems() if p["path"] == rel]


def test_every_schema_field_has_a_description():
    """Editors see descriptions as hover help; validation messages quote some of them."""
    def properties(node, where):
        for name, sub in node.get("properties", {}).items():
            yield f"{where}.{name}", sub
            yield from properties(sub, f"{where}.{name}")
        for name, sub in node.get("$defs", {}).items():
            yield f"{where}.$defs.{name}", sub
            yield from properties(sub, f"{where}.$defs.{name}")
    fields = [(where, sub) for name in [*KINDS, "common"] for where, sub in properties(schema(name), name)]
    assert len(fields) > 100
    missing = [where for where, sub in fields if not sub.get("description", "").strip()]
    assert missing == []


def test_all_problems_of_a_file_in_one_run(project):
    project.write(BERG, "name: Anna Berg\nrloe: envoy\nrole: no\naliases: A. Berg\nnotes: 12:30\n" + CITE)
    assert errors(project, BERG) == [(2, 1, "unknown-key"), (3, 7, "wrong-type"), (4, 10, "wrong-type"),
                                     (5, 8, "wrong-type")]


# --- editor support ----------------------------------------------------------------------------

def test_vscode_settings_map_every_kind_to_its_schema():
    settings = json.loads((REPO / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    expected = {f"generator/schemas/{k.name}.schema.json": f"content/{k.plural}/*.yaml" for k in KINDS.values()}
    assert settings["yaml.schemas"] == expected
    for path in expected:
        assert (REPO / path).is_file(), path
    assert settings["[yaml]"]["editor.insertSpaces"] is True  # no tabs


def test_modelines_of_the_real_records_name_their_own_kind():
    """A record's `# yaml-language-server: $schema=…` line must point at its kind's schema, or
    the editor would check it against the wrong fields."""
    wrong = []
    for kind in KINDS.values():
        for path in sorted((REPO / "content" / kind.plural).glob("*.yaml")):
            first = path.read_text(encoding="utf-8").split("\n", 1)[0]
            if first.startswith("# yaml-language-server:") and \
                    first != f"# yaml-language-server: $schema=../../generator/schemas/{kind.name}.schema.json":
                wrong.append(path.relative_to(REPO).as_posix())
    assert wrong == []


# --- language tags (BCP 47, checked against the IANA registry) ---------------------------------

@pytest.mark.parametrize("tag", ["ar", "el", "uk", "bg", "zh-Hant", "sr-Latn", "en-GB", "ZH-hant", "yue-HK"])
def test_any_registered_language_tag_is_accepted(project, tag):
    project.write(BERG, f"name: Anna Berg\nnative_name:\n  text: Anna Berg\n  lang: {tag}\n" + CITE)
    assert errors(project, BERG) == []


@pytest.mark.parametrize("tag, code, text", [
    ("xx", "bad-language-tag", "native_name.lang: 'xx' is not a language tag in the IANA registry (BCP 47); "
                               "use a tag such as ar, el, uk, zh-Hant or sr-Latn"),
    ("en-QQQQQ", "bad-language-tag", None),
    ("en_US", "bad-format", "native_name.lang: expected a BCP 47 language tag of the native name, such as ar, "
                            "el, uk, zh-Hant or sr-Latn; found text 'en_US' — did you mean 'en-US'?"),
    ("'ar-'", "bad-format", None),
])
def test_a_bad_language_tag_is_an_error_at_its_line(project, tag, code, text):
    project.write(BERG, f"name: Anna Berg\nnative_name:\n  text: Anna Berg\n  lang: {tag}\n" + CITE)
    assert errors(project, BERG) == [(4, 9, code)]
    if text:
        assert message(project, BERG, code) == text


def test_several_search_languages_warn_when_names_are_in_another_script(project):
    project.write(BERG, "name: Anna Berg\nnative_name:\n  text: Άννα Μπεργκ\n  lang: el\n" + CITE)
    config = project.path("mkdocs.yml")
    config.write_text(config.read_text(encoding="utf-8").replace(
        "plugins:\n  - search\n", "plugins:\n  - search:\n      lang: [en, ru]\n"), encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index("      lang: [en, ru]") + 1
    found = [p for p in project.problems() if p["code"] == "search-languages"]
    assert [(p["path"], p["line"], p["column"], p["level"]) for p in found] == [("mkdocs.yml", line, 13, "warning")]
    assert "names in Greek script (e.g. Άννα Μπεργκ in content/people/berg.yaml) cannot be found" in found[0]["message"]
    # One language (the one the briefing is written in) keeps every word: no warning.
    config.write_text(config.read_text(encoding="utf-8").replace("lang: [en, ru]", "lang: [en]"), encoding="utf-8")
    assert [p for p in project.problems() if p["code"] == "search-languages"] == []
