"""Sources that disagree and caveats: the checks (with positions) and how every page shows them."""
from __future__ import annotations

from generator.kinds import KINDS, disputable, schema
from generator.pipeline import check
from generator.render import render_site

EVENT = "content/events/geneva-talks.yaml"
SECOND = "Delegates from Northland and Southland met in Geneva on Thursday for three hours."


def add_second_source(project) -> None:
    """A second source whose text disagrees with the report on the day and length of the talks."""
    project.write("content/sources/follow-up.txt", f"Follow-up\n\n{SECOND}\n")
    project.write("content/sources/follow-up.yaml", "title: Follow-up\n")


def disputed_event(status_lead: str = "happened", second: str = "expected", excerpt: str = "on Thursday") -> str:
    return f"""\
        title: Talks in Geneva
        type: talks
        status: {status_lead}
        date:
          value: '2024-03-01'
          words: yesterday
          inferred: true
          basis: the article is dated 2 March 2024
        summary: Delegates of both states met for two hours.
        sources:
          - source: report
            excerpt: Delegates from Northland and Southland met in Geneva yesterday for two hours.
        disputes:
          status:
            - value: happened
              source: report
              excerpt: met in Geneva yesterday
            - value: {second}
              source: follow-up
              excerpt: {excerpt}
        """


def problems(project) -> list[tuple[str, int, int, str]]:
    return [(p["path"], p["line"], p["column"], p["code"]) for p in project.problems()]


def test_a_valid_dispute_checks_clean(project):
    add_second_source(project)
    project.write(EVENT, disputed_event())
    assert problems(project) == []


def test_the_record_value_must_be_one_of_the_accounts(project):
    add_second_source(project)
    project.write(EVENT, disputed_event(status_lead="possible"))
    found = project.problems()
    assert [(p["line"], p["column"], p["code"]) for p in found] == [(3, 9, "dispute-lead")]
    assert found[0]["message"] == ("status is text 'possible', which none of the accounts in disputes.status "
                                   "gives; the record's own value must be one of them")


def test_accounts_that_agree_are_a_warning(project):
    add_second_source(project)
    project.write(EVENT, disputed_event(second="happened"))
    assert [(p["line"], p["code"], p["level"]) for p in project.problems()] == [(14, "no-disagreement", "warning")]
    assert project.run("check", "--strict").code == 1


def test_an_account_excerpt_must_be_in_its_own_source(project):
    add_second_source(project)
    project.write(EVENT, disputed_event(excerpt="yesterday for two hours"))  # in the report, not the follow-up
    found = project.problems()
    assert [(p["line"], p["column"], p["code"]) for p in found] == [(20, 16, "excerpt-not-found")]
    assert "excerpt not found in source 'follow-up'" in found[0]["message"]


def test_a_disputed_value_is_checked_against_the_field_schema(project):
    add_second_source(project)
    project.write(EVENT, disputed_event(second="postponed"))
    found = project.problems()
    assert [(p["line"], p["column"], p["code"]) for p in found] == [(18, 14, "bad-value")]
    assert found[0]["message"].startswith("disputes.status[1].value: expected one of happened, expected, possible")


def test_an_account_of_a_reference_field_is_a_reference(project):
    add_second_source(project)
    project.write("content/quotes/first-step.yaml", """\
        text: a first step toward peace.
        speaker: berg
        sources:
          - source: report
            excerpt: Northland's envoy Anna Berg said the talks were "a first step toward peace."
        disputes:
          speaker:
            - value: berg
              source: report
              excerpt: Northland's envoy Anna Berg said
            - value: olsn
              source: follow-up
              excerpt: Delegates from Northland
        """)
    found = project.problems()
    assert [(p["line"], p["code"]) for p in found] == [(11, "unknown-ref")]
    assert found[0]["message"] == "unknown person or organization 'olsn' — did you mean 'olsen'?"


def test_time_words_of_an_account_are_checked_against_its_source(project):
    add_second_source(project)
    text = disputed_event().replace("disputes:\n", """disputes:
          date:
            - value: {value: '2024-03-01', words: yesterday, inferred: true, basis: the article is dated 2 March 2024}
              source: report
              excerpt: met in Geneva yesterday
            - value: {value: '2024-02-29', words: last Thursday, inferred: true}
              source: follow-up
              excerpt: on Thursday
""")
    project.write(EVENT, text)
    assert [(p["line"], p["column"], p["code"]) for p in project.problems()] == [(18, 43, "not-in-source")]
    assert project.problems()[0]["message"].startswith("time words not found in the cited source; closest passage:")


def test_every_factual_kind_but_assessments_can_be_disputed():
    assert {k for k in KINDS if disputable(k)} == {"person", "organization", "demand", "agreement", "event", "quote"}
    for kind in KINDS:
        props = schema(kind)["properties"]
        for name in disputable(kind):
            assert name in props, (kind, name)
            items = props["disputes"]["properties"][name]["items"]["allOf"]
            assert items[1]["properties"]["value"] == {"$ref": f"#/properties/{name}"}, (kind, name)


def test_every_page_that_shows_a_disputed_field_shows_every_value(project):
    add_second_source(project)
    project.write(EVENT, disputed_event())
    result = check(project.root)
    assert result.ok, result.problems
    pages = render_site(result.index)
    record = pages["events/geneva-talks.md"]
    assert '<span class="badge badge-happened">happened</span> or <span class="badge badge-expected">expected</span> ' \
           "[sources differ](#sources-differ){: .sources-differ }" in record
    assert "## Sources differ {#sources-differ data-search-exclude}" in record
    assert "| Gives | <span class=\"badge badge-happened\">happened</span> *(shown first)* | " \
           "<span class=\"badge badge-expected\">expected</span> |" in record
    assert "| In its words | “met in Geneva yesterday” | “on Thursday” |" in record
    marker = "[sources differ](geneva-talks.md#sources-differ){: .sources-differ }"
    assert marker in pages["events/index.md"]
    assert "[sources differ](events/geneva-talks.md#sources-differ)" in pages["timeline.md"]
    assert "[sources differ](events/geneva-talks.md#sources-differ)" in pages["index.md"]  # the lead
    # the source page says what the follow-up supports
    assert "| [Talks in Geneva](../events/geneva-talks.md) | Events | its account of status | “on Thursday” |" \
        in pages["sources/follow-up.md"]


def test_a_caveat_is_shown_on_the_record_with_its_passages(project):
    project.write(EVENT, disputed_event().split("        disputes:")[0].replace("sources:\n", """caveats:
          - what: The report says both "yesterday" and "two hours" but dates nothing else.
            sources:
              - source: report
                excerpt: met in Geneva yesterday
              - source: report
                excerpt: for two hours
        sources:
""", 1))
    result = check(project.root)
    assert result.ok, result.problems
    page = render_site(result.index)["events/geneva-talks.md"]
    assert '<div class="caveat" role="note" markdown="1" data-search-exclude>' in page
    assert "**Caveat:** The report says both \"yesterday\" and \"two hours\" but dates nothing else\\." in page
    assert "- “for two hours” — [Talks in Geneva](../sources/report.md)" in page


def test_a_caveat_excerpt_must_be_in_its_source(project):
    project.write(EVENT, disputed_event().split("        disputes:")[0].replace("sources:\n", """caveats:
          - what: Something does not add up.
            sources:
              - source: report
                excerpt: met in Geneva on Sunday
        sources:
""", 1))
    assert [(p["line"], p["code"]) for p in project.problems()] == [(14, "excerpt-not-found")]


def test_the_time_words_of_a_disputed_date_are_checked_only_in_its_accounts(project):
    # the record gives the follow-up's date, in its words, which the report it cites does not hold
    add_second_source(project)
    lead = "date:\n          value: '2024-03-01'\n          words: yesterday\n          inferred: true\n" \
           "          basis: the article is dated 2 March 2024\n"
    assert lead in disputed_event()
    text = disputed_event().replace(lead, "date: {value: '2024-02-29', words: on Thursday, inferred: true}\n"
                                    ).replace("disputes:\n", """disputes:
          date:
            - value: {value: '2024-03-01', words: yesterday, inferred: true}
              source: report
              excerpt: met in Geneva yesterday
            - value: {value: '2024-02-29', words: on Thursday, inferred: true}
              source: follow-up
              excerpt: on Thursday
""")
    project.write(EVENT, text)
    assert project.problems() == []
