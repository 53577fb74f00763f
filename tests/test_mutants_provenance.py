"""Provenance, the promises mutation testing found unguarded (see README, "Mutation testing").

When an excerpt is not in its source, the message quotes the passage most like it: the first of
equally close passages, of the excerpt's length, wherever it sits in the text.
"""
from __future__ import annotations

from generator.provenance import _clip, citations_in, closest_passage, normalize

BERG = "content/people/berg.yaml"


def test_a_one_word_excerpt_gets_a_one_word_passage():
    assert closest_passage("Berg", "Anna Berg met") == "Berg"


def test_nothing_alike_gives_an_empty_passage():
    assert closest_passage("zzz", "abc def") == ""
    assert closest_passage("qq", "") == ""


def test_the_closest_passage_may_open_the_text():
    assert closest_passage("Anna Berg", "Anna Berg met Olsen") == "Anna Berg"


def test_the_closest_passage_may_close_the_text():
    assert closest_passage("met Olsen", "Anna Berg met Olsen") == "met Olsen"
    assert closest_passage("Olsen", "Anna Berg met Olsen") == "Olsen"


def test_the_passage_is_as_long_as_the_excerpt_even_at_the_end():
    # "Olsen" alone is closer to "x Olsen", but a passage has the excerpt's number of words
    assert closest_passage("x Olsen", "Anna Berg Olsen") == "Berg Olsen"


def test_a_source_shorter_than_the_excerpt_is_quoted_whole():
    assert closest_passage("alpha beta gamma", "xxxxxxxxxxxxxxxx alpha") == "xxxxxxxxxxxxxxxx alpha"
    assert closest_passage("alpha beta gamma delta", "zz alpha beta") == "zz alpha beta"


def test_the_first_of_equally_close_passages_is_quoted():
    # "ax" and "ba" are both half like "ab"
    assert closest_passage("ab", "ax ba") == "ax"


def test_a_better_passage_after_a_poor_one_is_still_found():
    # the second window ("mxt qqqq") is too unlike to be worth comparing; the search goes on
    assert closest_passage("Berg met", "Bxrg mxt qqqq zzzz Berg met") == "Berg met"


def test_a_long_excerpt_with_one_changed_word_finds_its_passage():
    excerpt = " ".join(["peace talks"] * 20)  # over 200 characters of few, often repeated letters
    source = "before the meeting " + excerpt.replace("talks", "tolks", 1) + " after the meeting"
    assert closest_passage(excerpt, source) == excerpt.replace("talks", "tolks", 1)


def test_clip_keeps_text_of_exactly_the_limit():
    assert _clip("x" * 160) == "x" * 160
    assert _clip("x" * 161) == "x" * 159 + "…"
    assert _clip("abcdef", 4) == "abc…"


def test_excerpt_not_found_message_quotes_the_passage(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n    excerpt: Both sides agreed to swap 50 prisoners\n")
    [msg] = [p["message"] for p in project.problems() if p["path"] == BERG and p["code"] == "excerpt-not-found"]
    assert msg == ("excerpt not found in source 'report'; closest passage: "
                   "\"Both sides agreed to exchange 50 prisoners\"")


def test_normalize_folds_every_kind_of_quote_and_space():
    folded = normalize("\u2018a\u2019 \u201ab\u201b \u2032c` \u201cd\u201d \u201ee\u201f \u2033f"
                       "\u00a0g\u2009h\u202fi")
    assert folded == "'a' 'b' 'c' \"d\" \"e\" \"f g h i"


def test_accounts_of_a_disputed_field_that_are_not_a_list_are_no_citations():
    # (the schema reports them; the provenance check must still not trip over them)
    data = {"disputes": {"date": 5, "since": "words", "status": [{"source": "a", "excerpt": "b"}]}}
    assert list(citations_in(data)) == [(("disputes", "status", 0), {"source": "a", "excerpt": "b"})]


def test_a_malformed_citation_does_not_hide_the_ones_after_it(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - just text\n  - source: [report]\n    excerpt: x\n"
                        "  - source: report\n    excerpt: Anna Berg resigned\n")
    found = [(p["line"], p["column"], p["code"]) for p in project.problems()
             if p["path"] == BERG and p["code"] == "excerpt-not-found"]
    assert found == [(7, 14, "excerpt-not-found")]


def test_a_duplicate_ids_second_file_is_not_checked_as_the_first(project):
    project.write(BERG, "name: Anna Berg\nsources:\n  - source: report\n    excerpt: Anna Berg resigned\n")
    project.write("content/organizations/berg.yaml", "name: Berg Ltd\ntype: state\n")
    problems = [(p["path"], p["code"]) for p in project.problems()]
    assert problems.count((BERG, "excerpt-not-found")) == 1
    assert [code for path, code in problems if path == "content/organizations/berg.yaml"] == ["duplicate-id"]
