"""Golden files: the rendered Markdown of the fixture project, page by page.

After an intended change to the output, rewrite them with `make golden`
(UPDATE_GOLDEN=1 pytest tests/test_golden.py) and review the diff.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.pipeline import check
from generator.render import render_site

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
GOLDEN = Path(__file__).parent / "golden" / "mini"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def rendered() -> dict[str, str]:
    result = check(FIXTURE)
    assert result.problems == []
    return render_site(result.index)


PAGES = rendered()


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_matches_golden(page):
    golden = GOLDEN / page
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(PAGES[page], encoding="utf-8")
    assert golden.is_file(), f"no golden file for {page}; run `make golden`"
    assert PAGES[page] == golden.read_text(encoding="utf-8"), f"{page} differs from its golden file; run `make golden` if intended"


def test_no_stale_golden_files():
    if UPDATE:
        for path in GOLDEN.rglob("*"):
            if path.is_file() and path.relative_to(GOLDEN).as_posix() not in PAGES:
                path.unlink()
    on_disk = {p.relative_to(GOLDEN).as_posix() for p in GOLDEN.rglob("*") if p.is_file()}
    assert on_disk == set(PAGES)
