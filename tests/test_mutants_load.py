"""Load stage, the promises mutation testing found unguarded (see README, "Mutation testing").

`parse_data` reads old versions of record files from git. It is only ever called in a forked
history reader, out of sight of the other tests, so it is checked here directly: it must read
exactly what `parse_yaml` reads, and reject (None) everything `parse_yaml` reports.
"""
from __future__ import annotations

import datetime

import pytest

from generator import load
from generator.load import describe, load_content, parse_data, parse_yaml, read_text

ACCEPTED = [
    "name: Anna Berg\nrole: envoy\n",
    "name: A\nsources:\n  - source: report\n    excerpt: words\n  - source: memo\n    excerpt: more\n",
    "a: no\nb: 12:30\nc: 2025-05-16\nd: 'no'\ne: ~\nf: 1.5\ng: [1, two, {three: 3}]\n",
    "nested:\n  deeper:\n    - [a, b]\n    - {c: d}\n  empty_list: []\n  empty_map: {}\n",
    "2025: a number key\ntrue: a boolean key\n",
    "name: first\nrole: envoy\nname: second\n",  # a duplicate key: the first value counts
    "list:\n- a\n- b\nafter: c\n",
    "<<: x\n=: y\n",  # tags SafeConstructor cannot build stay text
    "---\nname: Anna Berg\n...\n",
]

REJECTED = [
    "name: [unclosed\n",  # syntax error
    'name: "unclosed\n',
    "name: &a Anna\nrole: *a\n",  # anchor and alias
    "name: Anna\nrole: *a\n",  # alias alone (a parse error for libyaml)
    "list: &l [a]\n",  # anchor on a sequence
    "map: &m {a: b}\n",  # anchor on a mapping
    "name: !!str Anna\n",  # tags
    "name: !custom Anna\n",
    "map: !!map {a: b}\n",
    "list: !!seq [a]\n",
    "name: A\n---\nname: B\n",  # two documents
    "- a\n- b\n",  # not a mapping
    "just text\n",
    "",
    "~\n",
]


@pytest.mark.parametrize("text", ACCEPTED)
def test_parse_data_reads_what_parse_yaml_reads(text):
    problems = []
    doc = parse_yaml(text, "x.yaml", problems)
    assert [p.code for p in problems if p.code != "duplicate-key" and p.code != "bad-key"] == []
    assert doc.data is not None
    data = parse_data(text)
    assert data == doc.data
    assert type(data) is dict


@pytest.mark.parametrize("text", REJECTED)
def test_parse_data_rejects_what_parse_yaml_reports(text):
    problems = []
    doc = parse_yaml(text, "x.yaml", problems)
    assert problems != [] or doc.data is None
    assert parse_data(text) is None


def test_parse_data_keeps_types_of_plain_scalars_and_text_of_quoted_ones():
    data = parse_data("a: no\nb: 12:30\nc: 2025-05-16\nd: 'no'\ne: \"12:30\"\nf: 3\n")
    assert data == {"a": False, "b": 750, "c": datetime.date(2025, 5, 16), "d": "no", "e": "12:30", "f": 3}
    assert type(data["f"]) is int and type(data["d"]) is str


def test_parse_data_makes_non_text_keys_text():
    data = parse_data("2025: a\ntrue: b\n")
    assert data == {"2025": "a", "True": "b"}
    assert all(type(k) is str for k in data)


def test_parse_data_keeps_the_first_of_duplicate_keys_in_nested_mappings():
    assert parse_data("m:\n  k: first\n  k: second\n  j: other\n") == {"m": {"k": "first", "j": "other"}}


def test_parse_data_keeps_order_of_lists_and_keys():
    data = parse_data("z: 1\na: [3, 1, 2]\nm: {y: 1, b: 2}\n")
    assert list(data) == ["z", "a", "m"]
    assert data["a"] == [3, 1, 2]
    assert list(data["m"]) == ["y", "b"]


def test_read_text_strips_only_a_leading_byte_order_mark(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes("\ufeffname\ufeff\n".encode())
    problems = []
    assert read_text(path, "x.txt", 100, problems) == "name\ufeff\n"
    assert problems == []


def test_read_text_accepts_a_file_of_exactly_the_limit(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"x" * 10)
    problems = []
    assert read_text(path, "x.txt", 10, problems) == "x" * 10
    assert problems == []
    assert read_text(path, "x.txt", 9, problems) is None
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 1, "file-too-large")]
    assert problems[0].message == "file is 10 bytes; the limit is 9 bytes"


def test_undecodable_byte_on_a_later_line_is_placed_from_that_lines_start(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"a\nbc\nde\xff\n")
    problems = []
    assert read_text(path, "x.txt", 100, problems) is None
    assert [(p.line, p.column) for p in problems] == [(3, 3)]


def test_undecodable_byte_on_the_first_line_is_placed_exactly(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"ab\xffcd\n")
    problems = []
    assert read_text(path, "x.txt", 100, problems) is None
    assert [(p.path, p.line, p.column, p.code) for p in problems] == [("x.txt", 1, 3, "not-utf8")]
    assert problems[0].message == "byte 0xff is not valid UTF-8; save the file as UTF-8"


@pytest.mark.parametrize("value, said", [
    (None, "nothing (null)"),
    (True, "boolean true"),
    (False, "boolean false"),
    (750, "number 750"),
    (1.5, "number 1.5"),
    ("x", "text 'x'"),
    ([1], "a list"),
    ({"a": 1}, "a mapping"),
    (datetime.date(2025, 5, 16), "date 2025-05-16"),
    (datetime.datetime(2025, 5, 16, 12, 30), "date 2025-05-16T12:30:00"),
    (b"hi", "a bytes (b'hi')"),
])
def test_describe_names_every_yaml_type(value, said):
    assert describe(value) == said


def test_document_mark_falls_back_to_the_root_and_then_to_the_start():
    problems = []
    doc = parse_yaml("\n\nname: A\n", "x.yaml", problems)
    assert doc.mark(("nowhere", 3)) == (3, 1)
    assert doc.mark(("nowhere",), key=True) == (3, 1)
    assert load.Document("x", "", "", None).mark(("a",)) == (1, 1)


def test_messages_of_each_load_problem(project):
    rel = "content/people/berg.yaml"
    cases = {
        "name: Anna Berg\nrole:\tenvoy\n": ("tab", "tab character; indent and separate with spaces"),
        "name: A\n---\nname: B\n": ("multiple-documents",
                                   "a record file holds one YAML document; remove the '---' separator"),
        "name: &n A\n": ("anchor", "anchor '&n' is not allowed; write the value out in full"),
        "name: !!str A\n": ("tag", "tag 'tag:yaml.org,2002:str' is not allowed; records hold plain text, "
                                   "lists and mappings"),
        'name: "A\\x07"\n': ("control-char", "text holds the invisible control character U+0007; "
                                             "remove it (it cannot be shown on a page)"),
        'name: A\nrole: "  "\n': ("empty", "blank text (only spaces); write something or remove the field"),
        "": ("empty-file", "file holds no record; write the record's fields"),
        "- a\n": ("not-a-mapping", "a record is a mapping of field: value; found a list"),
        "name: A\n2025: x\n": ("bad-key", "keys must be text; found number 2025"),
        "name: A\nname: B\n": ("duplicate-key", "duplicate key 'name' (first set on line 1); "
                                                "YAML would silently keep only the last one"),
    }
    for text, (code, msg) in cases.items():
        project.write(rel, text)
        found = [p["message"] for p in project.problems() if p["path"] == rel and p["code"] == code]
        assert found == [msg], (text, found)


def test_syntax_error_at_the_start_of_what_is_unfinished_names_it_once():
    problems = []
    parse_yaml("name: [a, b\n", "x.yaml", problems)
    [p] = problems
    assert p.code == "yaml-syntax" and (p.line, p.column) == (2, 1)
    assert p.message.startswith("YAML syntax error: did not find expected ',' or ']'")
    assert "that starts at line 1, column 7" in p.message


def test_syntax_error_without_context():
    problems = []
    parse_yaml("a: b: c\n", "x.yaml", problems)
    [p] = problems
    assert (p.line, p.column, p.code) == (1, 5, "yaml-syntax")
    assert p.message == "YAML syntax error: mapping values are not allowed in this context"


def test_alias_in_a_list_and_as_a_key_value_is_dropped_with_one_problem():
    problems = []
    doc = parse_yaml("a: &x v\nl: [*x, w]\nm: *x\nn: z\n", "x.yaml", problems)
    assert [(p.line, p.column, p.code) for p in problems] == [(1, 4, "anchor"), (2, 5, "alias"), (3, 4, "alias")]
    assert doc.data == {"a": "v", "l": ["w"], "n": "z"}


def test_control_characters_of_every_range_are_found():
    for char in ("\x00", "\x08", "\x0b", "\x0c", "\x0e", "\x1f", "\x7f", "\x9f"):
        problems = []
        parse_yaml(f'name: "A{char.encode("unicode_escape").decode()}"\n', "x.yaml", problems)
        assert [p.code for p in problems] == ["control-char"], repr(char)
    for char in ("\t", "\x20", "\xa0"):
        problems = []
        parse_yaml(f'name: "A{char.encode("unicode_escape").decode()}B"\n', "x.yaml", problems)
        assert problems == [], repr(char)


def test_stray_and_hidden_files_in_every_kind_folder(project):
    project.write("content/sources/notes.md", "to do\n")
    project.write("content/sources/.notes.txt.swp", "editor state\n")
    project.write("content/people/.berg.yaml.swp", "editor state\n")
    project.write("content/people/yaml", "no suffix\n")
    problems = {(p["path"], p["line"], p["column"], p["code"], p["level"], p["message"]) for p in project.problems()}
    assert ("content/sources/notes.md", 1, 1, "stray-file", "warning",
            "'notes.md' is not a record; records are <id>.yaml") in problems
    assert ("content/people/yaml", 1, 1, "stray-file", "warning",
            "'yaml' is not a record; records are <id>.yaml") in problems
    assert not any(".swp" in p[0] for p in problems)


def test_wrong_extension_message(project):
    project.write("content/people/lund.yml", "name: Lund\n")
    [found] = [(p["line"], p["column"], p["code"], p["message"]) for p in project.problems()
               if p["path"] == "content/people/lund.yml"]
    assert found == (1, 1, "wrong-extension", "record files end in .yaml; rename to lund.yaml")


def test_a_folder_named_like_a_record_is_not_a_record(project):
    (project.root / "content/people/folder.yaml").mkdir()
    content = load_content(project.root)
    assert "folder" not in {d.id for d in content.documents}


def test_documents_are_in_path_order_with_kind_and_id(project):
    project.write("content/people/aaron.yaml", "name: Aaron\n")
    content = load_content(project.root)
    people = [(d.path, d.kind, d.id) for d in content.documents if d.kind == "person"]
    assert people == sorted(people)
    assert ("content/people/aaron.yaml", "person", "aaron") in people


def test_unreadable_record_file_is_a_document_without_data(project):
    project.write_bytes("content/people/berg.yaml", b"name: \xff\n")
    content = load_content(project.root)
    berg = next(d for d in content.documents if d.path == "content/people/berg.yaml")
    assert (berg.kind, berg.id, berg.data) == ("person", "berg", None)


def test_a_one_letter_id_is_a_record_and_a_file_named_yaml_is_hidden(project):
    project.write("content/people/a.yaml", "name: A\n")
    project.write("content/people/.yaml", "name: Hidden\n")
    content = load_content(project.root)
    people = [d.path for d in content.documents if d.kind == "person"]
    assert "content/people/a.yaml" in people and "content/people/.yaml" not in people
    assert [p for p in content.problems if p.path.startswith("content/people/")] == []


def test_a_missing_kind_folder_leaves_the_other_kinds_loaded(project):
    import shutil
    shutil.rmtree(project.root / "content/people")  # the first kind
    content = load_content(project.root)
    assert {d.kind for d in content.documents} == {"organization", "demand", "agreement", "event", "quote",
                                                    "assessment", "source"}
    assert content.problems == []


def test_parse_yaml_leaves_kind_and_id_to_its_caller():
    doc = parse_yaml("name: A\n", "content/people/a.yaml", [])
    assert (doc.path, doc.kind, doc.id, doc.data) == ("content/people/a.yaml", "", "", {"name": "A"})


def test_a_line_with_two_tabs_is_reported_once_at_the_first():
    problems = []
    parse_yaml("name: A\nrole: a\tb\tc\n", "x.yaml", problems)
    assert [(p.line, p.column, p.code) for p in problems] == [(2, 8, "tab")]


# Every problem parse_yaml reports, checked directly (no project to build): its exact position,
# code and message, and what is left of the data.
PARSE_PROBLEMS = [
    ("name: A\nrole: b\n---\nname: B\n", [(3, 1, "multiple-documents",
      "a record file holds one YAML document; remove the '---' separator")], {"name": "A", "role": "b"}),
    ("name: &a A\n", [(1, 7, "anchor", "anchor '&a' is not allowed; write the value out in full")], {"name": "A"}),
    ("list: &l [a]\n", [(1, 7, "anchor", "anchor '&l' is not allowed; write the value out in full")], {"list": ["a"]}),
    ("name: !!str A\n", [(1, 7, "tag", "tag 'tag:yaml.org,2002:str' is not allowed; records hold plain text, "
                                      "lists and mappings")], {"name": "A"}),
    ("map: !x {a: b}\n", [(1, 6, "tag", "tag '!x' is not allowed; records hold plain text, lists and mappings")],
     {"map": {"a": "b"}}),
    ('name: "A\\x01B"\n', [(1, 7, "control-char", "text holds the invisible control character U+0001; remove it "
                                                  "(it cannot be shown on a page)")], {"name": "A\x01B"}),
    ("name: '  '\n", [(1, 7, "empty", "blank text (only spaces); write something or remove the field")],
     {"name": "  "}),
    ("name: A\nrole: *a\n", [(2, 7, "alias", "alias '*a' is not allowed; write the value out in full")],
     {"name": "A"}),
    ("list: [a, *b]\n", [(1, 11, "alias", "alias '*b' is not allowed; write the value out in full")],
     {"list": ["a"]}),
    ("name: A\n2025: x\n", [(2, 1, "bad-key", "keys must be text; found number 2025")],
     {"name": "A", "2025": "x"}),
    ("name: A\nrole: b\nname: C\n", [(3, 1, "duplicate-key", "duplicate key 'name' (first set on line 1); "
                                                           "YAML would silently keep only the last one")],
     {"name": "A", "role": "b"}),
    ("name: [A\n", [(2, 1, "yaml-syntax", "YAML syntax error: did not find expected ',' or ']' "
                                         "(while parsing a flow sequence that starts at line 1, column 7)")], None),
    ("name: [\n", [(2, 1, "yaml-syntax", "YAML syntax error: while parsing a flow node: did not find expected "
                                         "node content")], None),
    ("name: a\n b: c\n", [(2, 3, "yaml-syntax", "YAML syntax error: mapping values are not allowed in this "
                                               "context")], None),
    # a control character outside quotes is found by libyaml's reader, which counts bytes
    ("name: A\nrole: é\x7fx\n", [(2, 8, "control-char", "text holds the invisible control character U+007F; "
                                                       "remove it (it cannot be shown on a page)")], None),
    ("a: b\nc: d\ne: f\x01\n", [(3, 5, "control-char", "text holds the invisible control character U+0001; "
                                                     "remove it (it cannot be shown on a page)")], None),
    ("", [(1, 1, "empty-file", "file holds no record; write the record's fields")], None),
    ("~\n", [(1, 1, "empty-file", "file holds no record; write the record's fields")], None),
    ("- a\n", [(1, 1, "not-a-mapping", "a record is a mapping of field: value; found a list")], None),
    ("*a\n", [(1, 1, "alias", "alias '*a' is not allowed; write the value out in full"),
              (1, 1, "empty-file", "file holds no record; write the record's fields")], None),
    ("name: A\n? *a\n: b\n", [(2, 3, "alias", "alias '*a' is not allowed; write the value out in full"),
                              (2, 3, "bad-key", "keys must be text; found nothing (null)")],
     {"name": "A", "None": "b"}),
]


@pytest.mark.parametrize("text, found, data", PARSE_PROBLEMS)
def test_each_parse_problem_exactly(text, found, data):
    problems = []
    doc = parse_yaml(text, "content/people/x.yaml", problems)
    assert [(p.path, p.line, p.column, p.code, p.message, p.level) for p in problems] == \
        [("content/people/x.yaml", *f, "error") for f in found]
    assert doc.data == data


def test_a_tagged_scalar_is_kept_as_its_text():
    problems = []
    doc = parse_yaml("x: ! 3\ny: !!int 4\n", "x.yaml", problems)  # (`!` alone leaves the scalar plain)
    assert [p.code for p in problems] == ["tag", "tag"]
    assert doc.data == {"x": "3", "y": "4"} and doc.plain == {}
