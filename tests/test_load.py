"""Load stage: every way a record file can be unreadable is reported with its position.

Each test writes one broken file into a copy of the mini project and asserts the exact
(path, line, column, code) that `briefing check` reports for it.
"""
from __future__ import annotations

import tracemalloc

import pytest

from generator import load
from generator.load import load_content, parse_yaml

BERG = "content/people/berg.yaml"


def at(project, rel: str) -> list[tuple[int, int, str]]:
    """(line, column, code) of every error `check` reports for one file (warnings such as
    `no-source` for the cut-down records these tests write are left out)."""
    return [(p["line"], p["column"], p["code"]) for p in project.problems()
            if p["path"] == rel and p["level"] == "error"]


def message(project, rel: str, code: str) -> str:
    """The message of the first problem with `code` in file `rel`."""
    return next(p["message"] for p in project.problems() if p["path"] == rel and p["code"] == code)


def test_fixture_loads_without_problems(project):
    content = load_content(project.root)
    assert content.problems == []
    assert len(content.documents) == 11
    assert set(content.source_texts) == {"report", "bulletin"}


def test_yaml_syntax_error_has_position_and_says_where_the_list_began(project):
    project.write(BERG, "name: Anna Berg\nrole: [envoy, diplomat\naffiliations: [northland]\n")
    assert at(project, BERG) == [(3, 13, "yaml-syntax")]
    msg = message(project, BERG, "yaml-syntax")
    assert "did not find expected ',' or ']'" in msg
    assert "starts at line 2, column 7" in msg


def test_unclosed_quote_is_a_syntax_error(project):
    project.write(BERG, 'name: "Anna Berg\nrole: envoy\n')
    assert at(project, BERG) == [(3, 1, "yaml-syntax")]
    assert "quoted scalar that starts at line 1, column 7" in message(project, BERG, "yaml-syntax")


def test_bad_indentation_is_a_syntax_error(project):
    project.write(BERG, "name: Anna Berg\n  role: envoy\n")
    assert at(project, BERG) == [(2, 7, "yaml-syntax")]


def test_duplicate_key_is_rejected_not_silently_overwritten(project):
    project.write(BERG, "name: Anna Berg\nrole: envoy\nname: Olga Berg\n")
    assert at(project, BERG) == [(3, 1, "duplicate-key")]
    msg = message(project, BERG, "duplicate-key")
    assert "duplicate key 'name' (first set on line 1)" in msg
    # the first value is kept, so nothing downstream silently uses the last one
    doc = next(d for d in load_content(project.root).documents if d.id == "berg")
    assert doc.data["name"] == "Anna Berg"


def test_duplicate_key_in_a_nested_mapping(project):
    project.write(BERG, "name: Anna Berg\nnative_name:\n  text: Anna Berg\n  text: A. Berg\n  lang: en\n")
    assert (4, 3, "duplicate-key") in at(project, BERG)


def test_tab_is_reported_at_its_column(project):
    project.write(BERG, "name: Anna Berg\nrole:\tenvoy\n")
    assert at(project, BERG) == [(2, 6, "tab")]


def test_tab_indentation_is_reported_as_tab_and_syntax_error(project):
    project.write(BERG, "name: Anna Berg\naliases:\n\t- A. Berg\n")
    assert (3, 1, "tab") in at(project, BERG)
    assert any(code == "yaml-syntax" for _, _, code in at(project, BERG))


def test_bytes_that_are_not_utf8_are_reported_at_their_position(project):
    project.write_bytes(BERG, "name: Anna Berg\nrole: envoy in Gen".encode() + b"\xe8ve\n")
    assert at(project, BERG) == [(2, 19, "not-utf8")]
    assert "byte 0xe8 is not valid UTF-8" in message(project, BERG, "not-utf8")


def test_latin1_source_text_is_reported(project):
    project.write_bytes("content/sources/report.txt", b"Talks in Gen\xe8ve\n")
    assert at(project, "content/sources/report.txt") == [(1, 13, "not-utf8")]


def test_utf8_byte_order_mark_is_accepted(project):
    project.write_bytes(BERG, "\ufeffname: Anna Berg\nrole: Northland's envoy\n".encode())
    assert at(project, BERG) == []


@pytest.mark.parametrize("text", ["", "\n\n", "# just a comment\n", "~\n", "---\n...\n"])
def test_empty_file(project, text):
    project.write(BERG, text)
    assert at(project, BERG) == [(1, 1, "empty-file")]


@pytest.mark.parametrize("text, found", [("- Anna Berg\n- envoy\n", "a list"), ("Anna Berg\n", "text 'Anna Berg'")])
def test_record_must_be_a_mapping(project, text, found):
    project.write(BERG, text)
    assert at(project, BERG) == [(1, 1, "not-a-mapping")]
    assert message(project, BERG, "not-a-mapping").endswith(f"found {found}")


def test_second_document_is_rejected(project):
    project.write(BERG, "name: Anna Berg\n---\nname: Olga Berg\n")
    assert at(project, BERG) == [(2, 1, "multiple-documents")]


def test_anchor_and_alias_are_rejected(project):
    project.write(BERG, "name: &n Anna Berg\nrole: *n\n")
    assert at(project, BERG) == [(1, 7, "anchor"), (2, 7, "alias")]
    assert "alias '*n' is not allowed" in message(project, BERG, "alias")


def test_merge_key_with_alias_is_rejected_without_crashing(project):
    project.write(BERG, "base: &b {role: envoy}\nname: Anna Berg\n<<: *b\n")
    codes = at(project, BERG)
    assert (1, 7, "anchor") in codes and (3, 5, "alias") in codes


def test_plain_merge_key_is_just_an_unknown_key(project):
    project.write(BERG, "name: Anna Berg\n<<: x\n=: y\n")
    assert at(project, BERG) == [(2, 1, "unknown-key"), (3, 1, "unknown-key")]


def test_alias_bomb_is_rejected_without_expanding(project):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    project.write(BERG, "\n".join(lines) + "\nname: Anna Berg\n")  # expanded: 9**9 = 387 million items
    # Expanded, the aliases would take gigabytes: checking takes next to nothing.
    tracemalloc.start()
    try:
        problems = [p for p in project.problems() if p["path"] == BERG and p["level"] == "error"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20
    codes = [p["code"] for p in problems]
    assert codes.count("anchor") == 9 and codes.count("alias") == 72
    assert (1, 4, "anchor") in [(p["line"], p["column"], p["code"]) for p in problems]


PWN = "!!python/object/apply:os.system"


@pytest.mark.parametrize("tagged", [
    f'{PWN} ["touch {{marker}}"]',
    '!!python/object/apply:subprocess.call [["touch", "{marker}"]]',
    '!!python/object/new:builtins.open ["{marker}", "w"]',
    '!!python/name:os.system',
])
def test_python_tags_are_rejected_and_never_constructed(project, tmp_path, tagged):
    marker = tmp_path / "pwned"
    project.write(BERG, "name: Anna Berg\nrole: " + tagged.format(marker=marker) + "\n")
    assert (2, 7, "tag") in at(project, BERG)
    assert project.run("build").code == 1
    assert not marker.exists()


@pytest.mark.parametrize("tagged, tag", [("!!str 12:30", "tag:yaml.org,2002:str"), ("!custom x", "!custom"),
                                         ("! x", "!"), ("!!binary aGk=", "tag:yaml.org,2002:binary")])
def test_tags_of_any_kind_are_rejected(project, tagged, tag):
    project.write(BERG, f"name: Anna Berg\nrole: {tagged}\n")
    assert at(project, BERG) == [(2, 7, "tag")]
    assert message(project, BERG, "tag").startswith(f"tag '{tag}' is not allowed")


def test_tag_on_a_mapping_is_rejected(project):
    project.write(BERG, "name: Anna Berg\nnative_name: !!map {text: Anna Berg, lang: en}\n")
    assert at(project, BERG) == [(2, 14, "tag")]


def test_file_over_the_size_limit_is_not_parsed(project):
    project.write(BERG, "name: Anna Berg\nnotes: " + "x" * load.MAX_YAML_BYTES + "\n")
    assert at(project, BERG) == [(1, 1, "file-too-large")]
    assert f"the limit is {load.MAX_YAML_BYTES:,} bytes" in message(project, BERG, "file-too-large")


def test_source_text_over_the_size_limit(project, monkeypatch):
    monkeypatch.setattr(load, "MAX_SOURCE_BYTES", 100)
    problems = [(p["path"], p["line"], p["column"], p["code"]) for p in project.problems()]
    assert ("content/sources/report.txt", 1, 1, "file-too-large") in problems
    # without its text, the source cannot back any excerpt: that is reported too, not ignored
    assert ("content/sources/report.yaml", 1, 1, "missing-source-text") in problems


def test_control_character_is_rejected(project):
    project.write(BERG, 'name: Anna Berg\nrole: "envoy\\x07"\n')
    assert at(project, BERG) == [(2, 7, "control-char")]
    assert "U+0007" in message(project, BERG, "control-char")


def test_blank_text_is_rejected(project):
    project.write(BERG, 'name: Anna Berg\nrole: "   "\naliases: ["  "]\n')
    assert at(project, BERG) == [(2, 7, "empty"), (3, 11, "empty")]


def test_key_that_is_not_text(project):
    project.write(BERG, "name: Anna Berg\n2025: envoy\n")
    codes = at(project, BERG)
    assert (2, 1, "bad-key") in codes
    assert "keys must be text; found number 2025" in message(project, BERG, "bad-key")


def test_wrong_extension_and_stray_files(project):
    project.write("content/people/lund.yml", "name: Lund\n")
    project.write("content/people/notes.txt", "to do\n")
    project.write("content/people/.hidden", "editor state\n")
    problems = {(p["path"], p["code"], p["level"]) for p in project.problems()}
    assert ("content/people/lund.yml", "wrong-extension", "error") in problems
    assert ("content/people/notes.txt", "stray-file", "warning") in problems
    assert not any(path.endswith(".hidden") for path, _, _ in problems)


def test_positions_of_nested_values_and_keys():
    problems = []
    doc = parse_yaml("name: A\nsources:\n  - source: report\n    excerpt: words\n", "x.yaml", problems)
    assert problems == []
    assert doc.mark(("sources", 0, "excerpt")) == (4, 14)
    assert doc.mark(("sources", 0, "excerpt"), key=True) == (4, 5)
    assert doc.mark(("sources", 0)) == (3, 5)
    # an absent field falls back to its nearest parent
    assert doc.mark(("sources", 0, "note")) == (3, 5)


def test_plain_scalars_read_as_non_text_remember_their_source_text():
    problems = []
    doc = parse_yaml("a: no\nb: 12:30\nc: 2025-05-16\nd: 'no'\n", "x.yaml", problems)
    assert doc.data["a"] is False and doc.data["b"] == 750 and str(doc.data["c"]) == "2025-05-16"
    assert doc.data["d"] == "no"
    assert doc.plain == {("a",): "no", ("b",): "12:30", ("c",): "2025-05-16"}
