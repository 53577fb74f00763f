"""Full builds of the real content/ in tmp_path: every record has its page, links resolve, search knows names."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.kinds import KINDS
from generator.pipeline import check, copy_site_inputs

from sitecheck import broken_links, parse_page

REPO = Path(__file__).resolve().parents[1]


def copy_project(dest: Path) -> Path:
    """Copy what a build reads (content, mkdocs.yml, static, overrides) into `dest`."""
    shutil.copytree(REPO / "content", dest / "content")
    copy_site_inputs(REPO, dest)
    return dest


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The real content built once with `briefing build --strict`."""
    root = copy_project(tmp_path_factory.mktemp("site"))
    assert main(["--root", str(root), "build", "--strict"]) == 0
    return root


@pytest.fixture(scope="module")
def records(built):
    """The checked index of the real content."""
    return check(built).index


def test_content_checks_clean_in_strict_mode():
    result = check(REPO)
    assert result.problems == []
    assert len(result.index.by_kind["person"]) >= 10


def test_every_record_has_its_page(built, records):
    site = built / "site"
    for kind in KINDS.values():
        assert (site / kind.plural / "index.html").is_file()
        for rec in records.by_kind[kind.name]:
            if kind.has_pages:
                assert (site / kind.plural / rec.id / "index.html").is_file(), rec.id
            else:
                assert rec.id in parse_page(site / kind.plural / "index.html").ids, rec.id


def test_every_internal_link_resolves(built):
    assert broken_links(built / "site") == []


def test_search_index_contains_every_person(built, records):
    index = json.loads((built / "site" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["title"] + " " + doc["text"] for doc in index["docs"])
    for person in records.by_kind["person"]:
        assert person.data["name"] in text, person.id


def test_every_page_lists_what_links_to_it(built, records):
    zelensky = parse_page(built / "site" / "people" / "zelensky" / "index.html")
    assert "referenced-by" in zelensky.ids
    for link in records.backlinks["zelensky"]:
        if link.field != "sources":
            assert records.records[link.source].title.split()[0] in " ".join(zelensky.text)


def test_site_makes_no_request_to_other_hosts(built):
    for page in (built / "site").rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, page


def test_zensical_builds_the_same_site_src(built, tmp_path):
    """Zensical reads the same mkdocs.yml and builds every record page from site_src/."""
    shutil.copytree(built / "site_src", tmp_path / "site_src")
    copy_site_inputs(built, tmp_path)
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run([str(zensical), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert broken_links(site) == []
    for rec in check(built).index.by_kind["person"]:
        page = site / "people" / rec.id / "index.html"
        assert page.is_file(), rec.id
        assert rec.data["name"] in " ".join(parse_page(page).text)
