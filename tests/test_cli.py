"""The command line: check's report and exit codes, nothing lost by generate/build, `new`."""
from __future__ import annotations

import json
import shutil

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, Project, copy_fixture, tree_state
from generator.kinds import KINDS, schema
from generator.load import load_content, parse_yaml
from generator.scaffold import scaffold

CITE = "sources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"


# --- the command line's own process ------------------------------------------------------------

@pytest.mark.parametrize("entry", ["module", "script"])
def test_the_command_exits_with_mains_code_and_all_its_output(project, entry):
    """`briefing` ends its process without the interpreter's teardown (cli.exit_now): its exit code
    and every line it printed, to a pipe as to a file, still come out."""
    import os
    import subprocess
    import sys
    from pathlib import Path
    command = ([sys.executable, "-m", "generator"] if entry == "module"
               else [str(Path(sys.executable).with_name("briefing"))])
    project.write("content/people/zed.yaml", "name: Zed\nrloe: envoy\n" + CITE)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # (output to a pipe is then buffered)
    failed = subprocess.run([*command, "--root", str(project.root), "check", "--format", "json"],
                            cwd=REPO, capture_output=True, text=True, env=env)
    assert failed.returncode == 1, failed.stderr
    assert [p["code"] for p in json.loads(failed.stdout)] == ["unknown-key", "name-not-cited"]
    assert failed.stderr.startswith("check failed: 1 error(s)")
    project.remove("content/people/zed.yaml")
    passed = subprocess.run([*command, "--root", str(project.root), "generate"], cwd=REPO, capture_output=True,
                            text=True, env=env)
    assert passed.returncode == 0, passed.stderr
    assert "generated" in passed.stderr.splitlines()[-1]
    assert project.path("site_src/people/berg.md").is_file()


# --- check -------------------------------------------------------------------------------------

def test_check_passes_on_the_fixture(project):
    result = project.run("check")
    assert result.code == 0 and result.out == ""
    assert result.err.strip() == "check passed: 0 error(s), 0 warning(s) (11 records)"


def test_check_reports_every_problem_sorted_in_one_run(project):
    # written in an order that is not the report order
    project.write("content/people/olsen.yaml", "name: Olsen\nrole: no\n" + CITE.replace("Northland's envoy Anna Berg", "said Mr. Olsen"))
    project.write("content/organizations/northland.yaml", "name: Northland\ntype: sate\nleader: zelenskyy\n" + CITE)
    project.write("content/people/berg.yaml", "name: Anna Berg\nrloe: envoy\nname: Anna\n" + CITE)
    result = project.run("check")
    assert result.code == 1
    assert result.lines == [
        "content/organizations/northland.yaml:2:7: [error] type: expected one of state, government, delegation, "
        "alliance, think-tank, agency, news-agency, group, office; found text 'sate' — did you mean 'state'? "
        "(bad-value)",
        "content/organizations/northland.yaml:3:9: [error] unknown person 'zelenskyy' (unknown-ref)",
        "content/people/berg.yaml:2:1: [error] unknown field 'rloe' in a person — did you mean 'role'? (unknown-key)",
        "content/people/berg.yaml:3:1: [error] duplicate key 'name' (first set on line 1); YAML would silently "
        "keep only the last one (duplicate-key)",
        "content/people/olsen.yaml:2:7: [error] role: expected text, found boolean false (YAML 1.1 reads unquoted "
        "no that way) — put it in quotes: 'no' (wrong-type)",
    ]
    assert result.err.strip() == "check failed: 5 error(s), 0 warning(s) (11 records)"


def test_warnings_pass_unless_strict(project):
    project.write("content/sources/memo.yaml", "title: A memo\n")
    project.write("content/sources/memo.txt", "Nobody cites this.\n")
    result = project.run("check")
    assert result.code == 0
    assert result.lines == ["content/sources/memo.yaml:1:1: [warning] no record cites source 'memo' (uncited-source)"]
    assert "check passed: 0 error(s), 1 warning(s)" in result.err
    strict = project.run("check", "--strict")
    assert strict.code == 1 and strict.lines == result.lines
    assert "check failed: 0 error(s), 1 warning(s)" in strict.err
    assert project.run("generate", "--strict").code == 1
    assert not project.path("site_src").exists()
    assert project.run("generate").code == 0


def test_check_json_format(project):
    project.write("content/people/berg.yaml", "name: Anna Berg\nrole: 12:30\n" + CITE)
    project.write("content/sources/memo.yaml", "title: A memo\n")
    project.write("content/sources/memo.txt", "Nobody cites this.\n")
    result = project.run("check", "--format", "json")
    assert result.code == 1
    assert json.loads(result.out) == [
        {"path": "content/people/berg.yaml", "line": 2, "column": 7, "level": "error", "code": "wrong-type",
         "message": "role: expected text, found number 750 (YAML 1.1 reads unquoted 12:30 that way) — put it in "
                    "quotes: '12:30'"},
        {"path": "content/sources/memo.yaml", "line": 1, "column": 1, "level": "warning", "code": "uncited-source",
         "message": "no record cites source 'memo'"},
    ]


def test_check_json_when_clean_is_an_empty_list(project):
    result = project.run("check", "--format", "json")
    assert (result.code, json.loads(result.out)) == (0, [])


@pytest.mark.parametrize("command", ["generate", "build"])
def test_generate_and_build_check_first(project, command):
    project.write("content/people/berg.yaml", "name: Anna Berg\nrole: yes\n" + CITE)
    result = project.run(command)
    assert result.code == 1
    assert result.lines == ["content/people/berg.yaml:2:7: [error] role: expected text, found boolean true "
                            "(YAML 1.1 reads unquoted yes that way) — put it in quotes: 'yes' (wrong-type)"]
    assert not project.path("site_src").exists() and not project.path("site").exists()


# --- nothing lost ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Project:
    """The fixture project after one successful `briefing build` (copy it before changing it)."""
    project = copy_fixture(tmp_path_factory.mktemp("built") / "project")
    result = project.run("build", "--strict")
    assert result.code == 0, result.err
    return project


@pytest.fixture
def site_project(built, tmp_path) -> Project:
    """A private copy of the built project, mtimes preserved."""
    dest = tmp_path / "project"
    shutil.copytree(built.root, dest, symlinks=True)
    return Project(dest)


def outputs(project: Project) -> dict:
    """Content hash and mtime of every file in site_src/ and site/, and the project's top level."""
    return {"site_src": tree_state(project.path("site_src")), "site": tree_state(project.path("site")),
            "top": sorted(p.name for p in project.root.iterdir() if p.name != ".cache")}


def test_build_made_both_trees(built):
    assert (built.path("site_src") / "people" / "berg.md").is_file()
    assert (built.path("site") / "people" / "berg" / "index.html").is_file()
    assert (built.path("site_src") / ".briefing-generated").is_file()


def test_failed_check_leaves_site_src_and_site_exactly_as_they_were(site_project):
    before = outputs(site_project)
    site_project.write("content/people/berg.yaml", "name: [Anna Berg\n")
    assert site_project.run("build").code == 1
    assert site_project.run("generate").code == 1
    assert outputs(site_project) == before


def test_failed_mkdocs_build_leaves_site_src_and_site_exactly_as_they_were(site_project):
    before = outputs(site_project)
    site_project.write("content/pages/about.md", "# About\n\nSee [the missing page](missing.md).\n")
    result = site_project.run("build")
    assert result.code == 1
    assert "mkdocs build failed; site/ left as it was" in result.err
    assert "site_src/ left as it was" in result.err
    assert outputs(site_project) == before


def test_output_clash_writes_nothing(site_project):
    before = outputs(site_project)
    site_project.write("content/pages/index.md", "# My own home page\n")
    result = site_project.run("build")
    assert result.code == 1
    [line] = [ln for ln in result.err.splitlines() if "(output-clash)" in ln]
    assert line.startswith("content/pages/index.md:1:1: [error] 'index.md' would be written twice")
    assert outputs(site_project) == before


def test_hand_written_page_is_copied_not_overwritten(site_project):
    site_project.write("content/pages/about.md", "# About this briefing\n")
    assert site_project.run("build").code == 0
    assert site_project.path("site_src/about.md").read_text(encoding="utf-8") == "# About this briefing\n"
    assert site_project.path("site/about/index.html").is_file()


def test_deleted_record_page_disappears_and_unchanged_files_keep_their_mtime(site_project):
    before = tree_state(site_project.path("site_src"))
    site_project.remove("content/quotes/first-step.yaml")
    assert site_project.run("generate").code == 0
    after = tree_state(site_project.path("site_src"))
    assert "quotes/first-step.md" not in after  # (quotes have no pages: nothing else must go)
    assert set(before) - set(after) == set()
    changed = {rel for rel in after if after[rel] != before.get(rel)}
    assert "quotes/index.md" in changed and "people/berg.md" in changed  # berg's page listed the quote
    assert "people/olsen.md" not in changed and "sources/report.md" in changed
    for rel in set(after) - changed:
        assert after[rel] == before[rel]  # same bytes, same mtime
    site_project.remove("content/assessments/border-open.yaml")
    site_project.remove("content/people/olsen.yaml")
    assert site_project.run("build").code == 0
    assert not site_project.path("site_src/people/olsen.md").exists()
    assert not site_project.path("site/people/olsen").exists()


def test_site_src_not_made_by_briefing_is_refused(project):
    project.write("site_src/notes.md", "hand-written work\n")
    result = project.run("generate")
    assert result.code == 1
    assert result.err.splitlines()[-1].startswith("site_src:1:1: [error] site_src/ exists but was not made by briefing")
    assert sorted(p.name for p in project.path("site_src").iterdir()) == ["notes.md"]


def test_content_tree_is_never_written(site_project):
    content = site_project.path("content")
    runs = [("check",), ("generate",), ("build",), ("check", "--format", "json")]
    before = tree_state(content)
    for args in runs:
        assert site_project.run(*args).code == 0
    assert tree_state(content) == before
    # failing runs too: a check failure, and a page that makes mkdocs fail
    site_project.write("content/people/olsen.yaml", "name: Olsen\nrole: no\n" + CITE)
    site_project.write("content/pages/broken.md", "# Broken\n\n[x](nowhere.md)\n")
    before = tree_state(content)
    for args in runs:
        assert site_project.run(*args).code == 1
    assert tree_state(content) == before
    site_project.write("content/people/olsen.yaml",
                       "name: Olsen\nsources:\n  - source: report\n    excerpt: said Mr. Olsen\n")
    before = tree_state(content)
    assert site_project.run("build").code == 1  # mkdocs fails on the broken link
    assert tree_state(content) == before
    assert sorted(p.name for p in content.iterdir()) == sorted(
        [k.plural for k in KINDS.values()] + ["pages"])


# --- new ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(KINDS))
def test_new_scaffolds_every_kind(project, kind):
    plural = KINDS[kind].plural
    result = project.run("new", kind, "Anna  Lund")
    assert result.code == 0
    rel = f"content/{plural}/anna-lund.yaml"
    assert result.out.strip() == rel
    text = project.path(rel).read_text(encoding="utf-8")
    assert text.splitlines()[0] == f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json"
    data = yaml.safe_load(text)
    spec = schema(kind)
    assert set(spec["required"]) <= set(data)
    assert data[KINDS[kind].title_field] == "Anna Lund"
    if "sources" in spec["properties"]:
        assert data["sources"] == [{"source": "TODO", "excerpt": "TODO"}]
    # it parses cleanly; only the placeholders are errors, so it cannot be published unfinished
    problems = [p for p in project.problems() if p["path"] == rel]
    assert not {p["code"] for p in problems} & {"yaml-syntax", "tab", "tag", "duplicate-key", "unknown-key",
                                                "missing-key", "bad-id"}
    assert any(p["level"] == "error" for p in problems)


@pytest.mark.parametrize("kind", list(KINDS))
def test_schema_line_points_at_the_schema_file(project, kind):
    project.run("new", kind, "Anna Lund")
    rel = f"content/{KINDS[kind].plural}/anna-lund.yaml"
    first = project.path(rel).read_text(encoding="utf-8").splitlines()[0]
    # resolved against the record's folder, as yaml-language-server does, in the repository
    target = (REPO / rel).parent / first.split("$schema=", 1)[1]
    assert target.resolve() == (REPO / "generator" / "schemas" / f"{kind}.schema.json").resolve()
    assert target.is_file()


def test_new_person_filled_in_passes_check(project):
    project.run("new", "person", "Erik Olsen")
    rel = "content/people/erik-olsen.yaml"
    text = project.path(rel).read_text(encoding="utf-8")
    text = text.replace('source: "TODO"', "source: report").replace('excerpt: "TODO"', "excerpt: said Mr. Olsen")
    project.write(rel, text, dedent=False)
    assert [p for p in project.problems() if p["path"] == rel] == []


@pytest.mark.parametrize("name", ["Yes", "12:30", "2025-05-16", 'O\'Brien "the" \\ back # not a comment',
                                  "Recep Tayyip Erdoğan", "<script>alert(1)</script> & co"])
def test_new_quotes_the_name_so_yaml_keeps_it_as_text(project, name):
    result = project.run("new", "person", name)
    assert result.code == 0
    rel = result.out.strip()
    [doc] = [d for d in load_content(project.root).documents if d.path == rel]
    assert doc.data["name"] == name


def test_new_refuses_to_overwrite(project):
    before = project.path("content/people/berg.yaml").read_bytes()
    result = project.run("new", "person", "Berg")
    assert result.code == 1 and result.out == ""
    assert "content/people/berg.yaml already exists; not overwriting it" in result.err
    assert project.path("content/people/berg.yaml").read_bytes() == before


def test_new_refuses_an_id_another_kind_uses(project):
    result = project.run("new", "organization", "Olsen")
    assert result.code == 1
    assert "id 'olsen' is already used by content/people/olsen.yaml" in result.err
    assert not project.path("content/organizations/olsen.yaml").exists()


@pytest.mark.parametrize("name", ["!!!", "Володимир Зеленський", "   ", "- - -", "字"])
def test_new_rejects_names_that_make_no_safe_id(project, name):
    before = tree_state(project.path("content"))
    result = project.run("new", "person", name)
    assert result.code == 1 and result.out == ""
    assert "does not make a safe id" in result.err
    assert tree_state(project.path("content")) == before


def test_new_makes_a_safe_id_from_any_latin_name(project):
    assert project.run("new", "person", "Recep Tayyip Erdoğan").out.strip() == \
        "content/people/recep-tayyip-erdogan.yaml"
    assert project.run("new", "event", "Talks (2nd round) — Istanbul, 16 May").out.strip() == \
        "content/events/talks-2nd-round-istanbul-16-may.yaml"
    long = project.run("new", "event", "word " * 40).out.strip()
    stem = long.rsplit("/", 1)[1].removesuffix(".yaml")
    assert len(stem) <= 80 and stem.startswith("word-word") and not stem.endswith("-")


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_scaffold_keeps_any_name_as_its_exact_text(name):
    problems = []
    doc = parse_yaml(scaffold("person", name), "content/people/x.yaml", problems)
    # only problems about the name itself (control characters, blank text) may appear
    assert {p.code for p in problems} <= {"control-char", "empty"}
    assert doc.data["name"] == name
