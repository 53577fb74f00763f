"""`briefing find "<words>"`: verbatim passages of the sources, ready to paste as excerpts."""
from __future__ import annotations

import pytest

from generator.find import find_passages

TEXTS = {"talks": "Mr. Medinsky indicated that his team was “ready to continue contacts.”\n\n"
                  "Mr. Rodkiewicz asserted that Washington’s agreement “effectively compromised” the\n"
                  "European stance.",
         "other": "The team was ready to continue contacts, an aide said."}


def test_exact_words_in_every_source():
    found = find_passages(TEXTS, "ready to continue contacts")
    assert [(p.source, p.text, p.exact) for p in found] == [
        ("other", "ready to continue contacts", True), ("talks", "ready to continue contacts", True)]


@pytest.mark.parametrize("words", ["washington's AGREEMENT \"effectively   compromised\" the european",
                                   "Washington’s agreement “effectively compromised” the European"])
def test_quote_style_whitespace_and_case_are_ignored(words):
    (found,) = find_passages(TEXTS, words)
    assert found.source == "talks" and found.exact
    assert found.text == "Washington’s agreement “effectively compromised” the\nEuropean"


def test_small_typos_are_tolerated():
    (found,) = find_passages({"talks": TEXTS["talks"]}, "Washingtons agrement effectivly compromised")
    assert not found.exact and found.text.startswith("Washington’s agreement “effectively compromised”")


def test_nothing_alike_finds_nothing():
    assert find_passages(TEXTS, "the weather in Lisbon was mild") == []
    assert find_passages(TEXTS, "   ") == []


def test_cli_prints_source_and_pasteable_passage(project):
    result = project.run("find", "a first step toward peace")
    assert result.code == 0
    assert result.lines == ['report: "a first step toward peace"']
    result = project.run("find", "Northland's envoy Anna Berg said the talks were \"a first step")
    assert result.lines == ['report: "Northland’s envoy Anna Berg said the talks were “a first step"']


def test_cli_without_a_match_fails(project):
    result = project.run("find", "nothing like this")
    assert result.code == 1 and result.lines == [] and "no passage" in result.err
