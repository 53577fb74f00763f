"""Provenance: excerpts, quote texts and date words must occur in the cited source text."""
from __future__ import annotations

import pytest

from generator.provenance import closest_passage, normalize

BERG = "content/people/berg.yaml"
QUOTE = "content/quotes/first-step.yaml"
EVENT = "content/events/geneva-talks.yaml"


def problems_of(project, rel: str) -> list[tuple[int, int, str, str]]:
    """(line, column, code, level) of every problem reported for one file."""
    return [(p["line"], p["column"], p["code"], p["level"]) for p in project.problems()
            if p["path"] == rel and p["code"] != "name-not-cited"]  # (these excerpts need not name Berg)


def message(project, rel: str, code: str) -> str:
    """Message of the first problem with `code` in file `rel`."""
    return next(p["message"] for p in project.problems() if p["path"] == rel and p["code"] == code)


def berg(excerpt: str) -> str:
    """berg.yaml citing the report with this excerpt (as a YAML double-quoted string)."""
    escaped = excerpt.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return f'name: Anna Berg\nsources:\n  - source: report\n    excerpt: "{escaped}"\n'


@pytest.mark.parametrize("text, expected", [
    ("“Nothing will change,” he said", '"Nothing will change," he said'),
    ("Northland’s  envoy\n\n Anna\u00a0Berg", "Northland's envoy Anna Berg"),
    ("‘single’ „low“ ‟high” `tick´", "'single' \"low\" \"high\" 'tick´"),
    ("  a\tb\r\nc  ", "a b c"),
])
def test_normalize_folds_typography_and_whitespace(text, expected):
    assert normalize(text) == expected


def test_closest_passage_finds_the_nearest_words():
    text = normalize("Talks in Geneva. Both sides agreed to exchange 50 prisoners next week. Nothing else.")
    assert closest_passage(normalize("Both sides agreed to swap 50 prisoners"), text) == \
        "Both sides agreed to exchange 50 prisoners"


def test_fixture_excerpts_with_other_quotes_and_apostrophes_verify(project):
    # the fixture's excerpts use straight quotes where the source has curly ones, and vice versa
    assert "Northland’s envoy" in project.path("content/sources/report.txt").read_text(encoding="utf-8")
    assert "Northland's envoy" in project.path(QUOTE).read_text(encoding="utf-8")
    assert project.problems() == []


@pytest.mark.parametrize("excerpt", [
    "Northland's envoy Anna Berg",
    "Northland’s envoy Anna Berg",
    "Northland's\n   envoy  Anna\tBerg",
    "said the talks were “a first step toward peace.”",
    'said the talks were "a first step toward peace."',
])
def test_excerpt_matches_with_whitespace_and_quotes_normalized(project, excerpt):
    project.write(BERG, berg(excerpt))
    assert problems_of(project, BERG) == []


def test_excerpt_not_in_source_quotes_the_closest_passage(project):
    project.write(BERG, berg("Northland's envoy Anna Borg"))
    assert problems_of(project, BERG) == [(4, 14, "excerpt-not-found", "error")]
    assert message(project, BERG, "excerpt-not-found") == (
        "excerpt not found in source 'report'; closest passage: \"Northland's envoy Anna Berg\"")


def test_excerpt_that_changes_a_word_is_not_accepted(project):
    project.write(BERG, berg("Both sides agreed to swap 50 prisoners next week."))
    assert problems_of(project, BERG) == [(4, 14, "excerpt-not-found", "error")]
    assert message(project, BERG, "excerpt-not-found").endswith(
        'closest passage: "Both sides agreed to exchange 50 prisoners next week."')


def test_long_closest_passage_is_clipped(project):
    long = "Northland demands that Southland withdraw its troops from the border, a demand unchanged since 2019. " * 3
    project.write(BERG, berg(long))
    msg = message(project, BERG, "excerpt-not-found")
    passage = msg.split("closest passage: ", 1)[1]
    assert len(passage) == 162 and passage.endswith('…"')


def test_position_of_the_second_citation(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n    excerpt: Northland's envoy Anna Berg\n"
                        "  - source: report\n    excerpt: Anna Berg is the envoy\n")
    assert problems_of(project, BERG) == [(6, 14, "excerpt-not-found", "error")]


def test_quote_text_must_occur_in_a_cited_source(project):
    text = project.path(QUOTE).read_text(encoding="utf-8").replace("text: a first step toward peace.",
                                                                      "text: a first step towards peace.")
    project.write(QUOTE, text, dedent=False)
    assert problems_of(project, QUOTE) == [(1, 7, "not-in-source", "error")]
    assert message(project, QUOTE, "not-in-source").startswith("quote text not found in the cited source; closest")


def test_date_words_must_occur_in_a_cited_source(project):
    text = project.path(EVENT).read_text(encoding="utf-8").replace("words: yesterday", "words: last Friday")
    project.write(EVENT, text, dedent=False)
    assert problems_of(project, EVENT) == [(5, 10, "not-in-source", "error")]
    assert message(project, EVENT, "not-in-source").startswith("time words not found in the cited source")


def test_since_words_must_occur_in_a_cited_source(project):
    rel = "content/demands/troop-withdrawal.yaml"
    text = project.path(rel).read_text(encoding="utf-8").replace(
        "  value: '2019'\n", "  value: '2019'\n  words: since the spring of 2019\n")
    project.write(rel, text, dedent=False)
    assert problems_of(project, rel) == [(8, 10, "not-in-source", "error")]


def test_factual_record_without_sources_is_a_warning(project):
    project.write(BERG, "name: Anna Berg\nrole: Northland's envoy\n")
    assert problems_of(project, BERG) == [(1, 1, "no-source", "warning")]
    assert message(project, BERG, "no-source") == \
        "this person cites no source; add sources: with a verbatim excerpt"
    assert project.run("check").code == 0
    strict = project.run("check", "--strict")
    assert strict.code == 1
    assert strict.lines == ["content/people/berg.yaml:1:1: [warning] this person cites no source; "
                            "add sources: with a verbatim excerpt (no-source)"]


def test_source_nothing_cites_is_a_warning(project):
    project.write("content/sources/memo.yaml", "title: A memo\ntype: other\n")
    project.write("content/sources/memo.txt", "Nothing in this memo is cited.\n")
    assert problems_of(project, "content/sources/memo.yaml") == [(1, 1, "uncited-source", "warning")]
    assert message(project, "content/sources/memo.yaml", "uncited-source") == "no record cites source 'memo'"


def test_source_without_stored_text_is_an_error(project):
    project.remove("content/sources/report.txt")
    problems = [(p["path"], p["line"], p["column"], p["code"]) for p in project.problems()]
    # one error at the source; citing records are not flooded with excerpt errors
    assert problems == [("content/sources/report.yaml", 1, 1, "missing-source-text")]
    assert message(project, "content/sources/report.yaml", "missing-source-text") == (
        "no stored text for source 'report'; save it as content/sources/report.txt")
