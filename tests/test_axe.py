"""axe-core (WCAG 2.1 A and AA) on every kind of page, in the light and the dark scheme.

(Its own file so that a parallel test run can give it its own worker: it is the longest browser test.)"""
from __future__ import annotations

import pytest

from browsing import material_search
from test_a11y import PAGES, visit

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
"""The rules axe-core runs: WCAG 2.1, levels A and AA."""
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
"""The WCAG 2.1 A/AA rules whose result depends on colours: the only ones a colour scheme can change
(the dark scheme changes the palette's colours, never the markup, names or roles)."""


def serious_violations(page, rules: list[str] | None = None) -> dict[str, list[str]]:
    """axe-core's serious and critical violations on the page as it is: rule -> the elements.
    All of WCAG 2.1 A and AA, or only `rules`."""
    from axe_playwright_python.sync_playwright import Axe

    only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    result = Axe().run(page, options={"runOnly": only})
    return {v["id"]: [" ".join(map(str, n["target"])) for n in v["nodes"]]
            for v in result.response["violations"] if v["impact"] in ("serious", "critical")}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation_on_any_kind_of_page(open_page, base_url, scheme):
    """Every rule in the light scheme; in the dark one, the rules about colours (the rest see the
    same markup in both, so running them twice would test nothing new)."""
    rules = COLOUR_RULES if scheme == "dark" else None
    page, rec = open_page("", scheme)
    found = {}
    for path in PAGES:
        visit(page, base_url + path)
        if violations := serious_violations(page, rules):
            found[path or "/"] = violations
    # The search dialog, open, with results (once it has faded in: colours mid-fade are not its own).
    material_search(page, "Medinsky")
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    if violations := serious_violations(page, rules):
        found["search dialog"] = violations
    assert found == {}
    assert rec.errors == []


