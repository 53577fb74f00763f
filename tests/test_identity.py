"""Safety nets for hand edits: one record per person or organization, excerpts that name the
record, and placeholders that say what to fill in."""
from __future__ import annotations

CITE = "sources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"


def found(project, code: str) -> list[tuple[str, int, int, str, str]]:
    """(path, line, column, level, message) of the problems with one code."""
    return [(p["path"], p["line"], p["column"], p["level"], p["message"]) for p in project.problems()
            if p["code"] == code]


def test_new_refuses_a_second_record_for_the_same_person(project):
    before = sorted(p.name for p in project.path("content/people").iterdir())
    for name in ("Anna Berg", "ANNA  BÉRG", "A. Berg"):  # the name, its case and accents, an alias
        result = project.run("new", "person", name)
        assert result.code == 1
        assert result.err.startswith("new: content/people/berg.yaml already names this person ('Anna Berg'")
    assert sorted(p.name for p in project.path("content/people").iterdir()) == before
    # Another kind may share the name; another name is a new record.
    assert project.run("new", "organization", "Anna Berg Foundation").code == 0
    assert project.run("new", "person", "Erik Lund").code == 0


def test_check_warns_about_two_records_with_one_name(project):
    project.write("content/people/anna-berg.yaml", "name: Anna Bérg\n" + CITE)
    assert found(project, "same-name") == [(
        "content/people/anna-berg.yaml", 1, 1, "warning",
        "'Anna Bérg' also names content/people/berg.yaml; if it is the same person, keep one record "
        "and add the other's spellings as aliases")]


def test_check_warns_when_no_excerpt_names_the_record(project):
    project.write("content/people/yermak.yaml", "name: Andriy Yermak\nsources:\n  - source: report\n"
                  "    excerpt: Delegates from Northland and Southland met in Geneva\n")
    assert found(project, "name-not-cited") == [(
        "content/people/yermak.yaml", 4, 14, "warning",
        "no excerpt of this person mentions 'Andriy Yermak', 'Yermak' or an alias; cite a passage about them, "
        "or add the name the source uses as an alias")]
    # The surname alone is enough ("said Mr. Olsen"), and so is an alias the source uses.
    project.write("content/people/yermak.yaml", "name: Andriy Yermak\naliases: [Northland]\nsources:\n"
                  "  - source: report\n    excerpt: Delegates from Northland and Southland met in Geneva\n")
    assert found(project, "name-not-cited") == []


def test_a_placeholder_says_what_to_fill_in(project):
    assert project.run("new", "organization", "Institute for Peace").code == 0
    rel = "content/organizations/institute-for-peace.yaml"
    assert [(line, col, message) for path, line, col, level, message in found(project, "placeholder")
            if path == rel] == [
        (3, 7, "type: fill in one of: state, government, delegation, alliance, think-tank, agency, "
               "news-agency, group, office"),
        (5, 13, "sources[0].source: fill in the id of a source: bulletin, report"),
        (6, 14, "sources[0].excerpt: fill in words copied verbatim from the source's text"),
    ]
    # Nothing else is said about those values: no "did you mean 'todo'?", no excerpt search.
    others = [p for p in project.problems() if p["path"] == rel and p["code"] != "placeholder"]
    assert others == [] and "todo" not in project.run("check").out.replace("TODO", "")
