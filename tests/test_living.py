"""A living briefing, built from a story told in commits (tests/story.py): record histories field
by field, What's new, the Atom feed (read with feedparser), redirects at renamed records' old
addresses, tombstones at removed ones, sources that disagree, and the same site from the same
commit. Without git, a shallow clone or a tarball, the site still builds, with one notice."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest

from generator.history import diff
from browsing import serving
from sitecheck import PageParser, broken_links, parse_page
from story import git, tell_story


@pytest.fixture(scope="module")
def story(tmp_path_factory):
    """The story's repository, built once with `briefing build --strict`."""
    story, shas = tell_story(tmp_path_factory.mktemp("story") / "project")
    result = story.run("build", "--strict")
    assert result.code == 0, result.out + result.err
    assert "history unavailable" not in result.err
    story.shas = shas
    return story


def page_text(story, rel: str) -> str:
    """Visible text of a built page's article (not the nav or the table of contents), whitespace collapsed."""
    html = (story.path("site") / rel).read_text(encoding="utf-8")
    article = re.search(r"<article.*?</article>", html, re.DOTALL)
    parser = PageParser()
    parser.feed(article.group(0) if article else html)
    text = " ".join(" ".join(parser.text).split())
    return text.replace("( ", "(").replace(" )", ")")  # (text nodes are joined with spaces)


def md(story, rel: str) -> str:
    """A generated page of site_src/."""
    return story.path(f"site_src/{rel}").read_text(encoding="utf-8")


# --- record histories ----------------------------------------------------------------------------

def test_a_record_page_shows_its_meaningful_changes_field_by_field(story):
    text = page_text(story, "agreements/prisoner-exchange/index.html")
    assert "First recorded 2 March 2024 · last changed 8 March 2024" in text  # not the formatting commit of 11 March
    history = text.split("History", 2)[-1]
    assert ("8 March 2024 Status: agreed → implemented; Sources: now also cites Talks in Geneva, a follow-up "
            "— Second source: the follow-up gives another day and length") in history
    assert "3 March 2024 Status: pending → agreed — Prisoner exchange: agreed, as the report says" in history
    assert "2 March 2024 First recorded — Geneva report: the first briefing" in history
    # newest first
    assert history.index("8 March 2024") < history.index("3 March 2024") < history.index("2 March 2024")
    assert "11 March" not in text and "Tidy YAML formatting" not in text


def test_formatting_only_changes_are_not_history():
    before = {"title": "Exchange", "status": "agreed", "sources": [{"source": "r", "excerpt": "x"}]}
    reordered = {"sources": [{"excerpt": "x", "source": "r"}], "status": "agreed", "title": "Exchange"}
    assert diff("agreement", before, reordered) == ()
    assert [fc.field for fc in diff("agreement", before, {**before, "status": "implemented", "id": "x"})] == ["status"]


def test_a_rename_is_part_of_the_record_history(story):
    text = page_text(story, "people/anna-berg/index.html")
    assert "10 March 2024 Renamed from berg; Role: “Northland's envoy” → “envoy of Northland”" in text
    assert "First recorded 2 March 2024" in text


def test_a_disputed_field_is_history_too(story):
    text = page_text(story, "events/geneva-talks/index.html")
    assert "8 March 2024 Sources now differ on date; sources now differ on summary" in text
    # its participants' reference to berg followed the rename: no change of this event
    assert "last changed 8 March 2024" in text and "10 March" not in text


# --- What's new and the feed ---------------------------------------------------------------------

def test_whats_new_groups_changes_by_date_newest_first(story):
    text = page_text(story, "whats-new/index.html")
    days = re.findall(r"\b(\d+) March 2024\b", text)
    headings = [d for d in dict.fromkeys(days)]
    assert headings == ["10", "9", "8", "4", "3", "2"]  # no entry for the formatting-only commit of 11 March
    ninth = text.split("9 March 2024", 1)[1].split("8 March 2024", 1)[0]
    assert "Remove the withdrawal demand: the report asks for a pull-back" in ninth
    assert "Added 1 demand: Southland pulls its troops back from the border" in ninth
    assert "Removed Southland withdraws its troops from the border (demand)" in ninth
    eighth = text.split("8 March 2024", 1)[1].split("4 March 2024", 1)[0]
    assert "Added 1 source: Talks in Geneva, a follow-up" in eighth
    assert "Exchange of 50 prisoners (agreement) — Status: agreed → implemented" in eighth
    assert "Talks in Geneva (event) — Sources now differ on date; sources now differ on summary" in eighth
    site_src = md(story, "whats-new.md")
    assert "(demands/troop-withdrawal.md)" in site_src  # the removed record links to its tombstone
    assert "(agreements/prisoner-exchange.md)" in site_src


def test_whats_new_is_linked_from_the_home_page_and_the_nav(story):
    home = parse_page(story.path("site/index.html"))
    assert "whats-new/" in home.hrefs
    home = page_text(story, "index.html")
    assert "Updated 10 March 2024 · drawing on 3 sources · what's new" in home
    assert "Outcomes ¶ implemented Exchange of 50 prisoners" in home  # the latest state, not the first
    assert "Open demands by party ¶ Northland : Southland pulls its troops back from the border" in home
    nav = " ".join(parse_page(story.path("site/people/anna-berg/index.html")).text)
    assert "What's new" in nav  # the nav, on every page


def test_every_page_advertises_the_feed(story):
    for rel in ("index.html", "people/anna-berg/index.html", "demands/troop-withdrawal/index.html", "404.html",
                "people/berg/index.html"):
        html = story.path(f"site/{rel}").read_text(encoding="utf-8")
        links = re.findall(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
        assert len(links) == 1, rel
        where = story.path("site") / links[0][1:] if links[0].startswith("/") else story.path(f"site/{rel}").parent / links[0]
        assert where.resolve() == story.path("site/feed.xml").resolve(), rel  # (the 404 page links from the root)


def test_the_feed_is_atom_with_one_entry_per_change(story):
    feed = feedparser.parse(story.path("site/feed.xml").read_bytes())
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.updated == "2024-03-10T09:00:00+00:00"  # the last change's commit, not the build's clock
    ids = [e.id for e in feed.entries]
    assert len(ids) == len(set(ids)) and all(i.startswith("tag:briefing.invalid,2024-03-") for i in ids)
    titles = [e.title for e in feed.entries]
    assert titles[0] == "Changed: Anna Berg"  # newest first: the rename (references that follow it are no change)
    assert len(titles) == 20 and "Changed: a first step toward peace." not in titles
    assert "Removed: Southland withdraws its troops from the border" in titles
    assert "Added: Institute for Peace" in titles
    exchange = [e for e in feed.entries if e.title == "Changed: Exchange of 50 prisoners"]
    assert [e.updated for e in exchange] == ["2024-03-08T18:30:00+01:00", "2024-03-03T09:00:00+00:00"]
    assert "Status: agreed → implemented" in exchange[0].content[0].value
    assert "Why: Second source" in exchange[0].content[0].value
    assert exchange[0].link.endswith("agreements/prisoner-exchange/")
    assert not any("Tidy" in e.content[0].value for e in feed.entries)


def test_feed_entry_ids_are_stable_across_builds_and_later_commits(story, tmp_path):
    before = {e.id: e.title for e in feedparser.parse(story.path("site/feed.xml").read_bytes()).entries}
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(story.root), str(clone))
    from conftest import Project
    from generator.pipeline import copy_site_inputs
    copy_site_inputs(story.root, clone)  # (not in git: the repository holds content/ only)
    later = Project(clone)
    later.write("content/people/olsen.yaml", later.path("content/people/olsen.yaml").read_text()
                .replace("role: analyst at the Institute for Peace", "role: an analyst at the Institute for Peace"),
                dedent=False)
    git(clone, "mv", "content/organizations/institute-for-peace.yaml", "content/organizations/peace-institute.yaml")
    git(clone, "commit", "-qam", "Olsen's role as the report words it; the institute's id shortened",
        date="2024-03-12T09:00:00+00:00")
    assert later.run("generate").code == 0
    after = {e.id: e.title for e in feedparser.parse(later.path("site_src/feed.xml").read_bytes()).entries}
    assert set(before) < set(after)  # every earlier entry keeps its id, the renamed record's too
    assert sorted(after[i] for i in set(after) - set(before)) == ["Changed: Institute for Peace", "Changed: Olsen"]


# --- addresses that never break ------------------------------------------------------------------

def test_a_renamed_record_old_address_redirects_without_javascript(story):
    html = story.path("site/people/berg/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../anna-berg/">' in html
    assert '<link rel="canonical" href="../anna-berg/">' in html
    assert '<a href="../anna-berg/">Anna Berg</a>' in html
    assert "<script" not in html


def test_a_removed_record_leaves_a_tombstone(story):
    text = page_text(story, "demands/troop-withdrawal/index.html")
    assert "Southland withdraws its troops from the border" in text
    assert "This demand was removed from the briefing on 9 March 2024." in text
    assert ("Reason given: Remove the withdrawal demand: the report asks for a pull-back — "
            "The new record words it as the report does.") in text
    assert "Replaced by: Southland pulls its troops back from the border" in text
    assert "What it said when it was removed: Northland wants Southland's troops away from the border." in text
    page = parse_page(story.path("site/demands/troop-withdrawal/index.html"))
    assert "../border-pullback/" in page.hrefs
    html = story.path("site/demands/troop-withdrawal/index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex">' in html


def test_tombstones_stay_out_of_listings_and_search(story):
    assert "troop-withdrawal" not in story.path("site/demands/index.html").read_text(encoding="utf-8")
    assert "troop-withdrawal" not in [d["id"] for d in json.loads(md(story, "data/demands.json"))]
    docs = json.loads(story.path("site/search/search_index.json").read_text(encoding="utf-8"))["docs"]
    assert not [d for d in docs if d["location"] in ("demands/troop-withdrawal/", "people/berg/")]
    assert not [d for d in docs if d["location"].startswith("whats-new")]


def test_every_link_of_the_living_site_resolves(story):
    assert broken_links(story.path("site")) == []


def test_a_reference_to_a_former_id_names_the_new_one(story, tmp_path):
    clone = tmp_path / "stale"
    shutil.copytree(story.root, clone, ignore=shutil.ignore_patterns("site", "site_src", ".cache"))
    from conftest import Project
    stale = Project(clone)
    stale.write("content/quotes/envoy.yaml", """\
        text: a first step toward peace.
        speaker: berg
        sources:
          - source: report
            excerpt: Anna Berg said the talks were "a first step toward peace."
        """)
    stale.write("content/assessments/pull-out.yaml", """\
        title: Nothing changes until the border opens
        subjects: [troop-withdrawal, institute-for-peace]
        summary: Olsen judges that nothing will change until the border is open.
        sources:
          - source: report
            excerpt: “Nothing will change until the border is open,” said Mr. Olsen
        """)
    problems = stale.problems()
    assert [(p["path"], p["line"], p["code"], p["message"]) for p in problems] == [
        ("content/assessments/pull-out.yaml", 2, "removed-ref",
         "'troop-withdrawal' was replaced by 'border-pullback'; use the new id"),
        ("content/quotes/envoy.yaml", 2, "renamed-ref", "'berg' was renamed to 'anna-berg'; use the new id")]
    stale.remove("content/demands/border-pullback.yaml")  # (and so the replacement too)
    stale.write("content/assessments/border-open.yaml", stale.path("content/assessments/border-open.yaml")
                .read_text().replace("subjects: [border-pullback]", "subjects: [institute-for-peace]"), dedent=False)
    messages = [p["message"] for p in stale.problems() if p["path"] == "content/assessments/pull-out.yaml"]
    assert messages == ["'troop-withdrawal' was removed on 9 March 2024 (Remove the withdrawal demand: the report "
                        "asks for a pull-back); remove the reference or name the record that replaces it"]


# --- sources that disagree -----------------------------------------------------------------------

def test_a_record_shows_both_accounts_side_by_side(story):
    page = story.path("site/events/geneva-talks/index.html").read_text(encoding="utf-8")
    text = page_text(story, "events/geneva-talks/index.html")
    section = text.split("Sources differ", 1)[1] if "Sources differ" in text else ""
    assert "Date Talks in Geneva Talks in Geneva, a follow-up" in section
    assert "Gives 1 March 2024 (“yesterday”; inferred) (shown first) 29 February 2024 (“on Thursday”; inferred)" in section
    assert "In its words “Delegates from Northland and Southland met in Geneva yesterday for two hours.” " \
           "“Delegates from Northland and Southland met in Geneva on Thursday for three hours”" in section
    assert "Delegates of both states met for three hours." in section
    assert 'id="sources-differ"' in page
    facts = text.split("Field Value", 1)[1].strip()
    assert facts.startswith("Type talks Date 1 March 2024 (“yesterday”; inferred) or 29 February 2024 "
                            "(“on Thursday”; inferred) sources differ")


def test_listings_timeline_and_home_show_the_disagreement(story):
    assert "1 March 2024 (inferred) “yesterday” or 29 February 2024 (inferred) sources differ" in \
        page_text(story, "timeline/index.html")
    events = page_text(story, "events/index.html")
    assert "1 March 2024 (“yesterday”; inferred) or 29 February 2024 (“on Thursday”; inferred) sources differ" in events
    home = page_text(story, "index.html")
    assert "1 March 2024 (inferred) or 29 February 2024 (inferred) sources differ Talks in Geneva" in home
    for rel in ("timeline/index.html", "events/index.html", "index.html"):
        assert any(h.endswith("geneva-talks/#sources-differ") for h in parse_page(story.path(f"site/{rel}")).hrefs), rel


def test_a_source_page_lists_what_it_supports(story):
    text = page_text(story, "sources/follow-up/index.html")
    assert "Talks in Geneva Events its account of date" in text
    assert "Exchange of 50 prisoners Agreements the record “The exchange of 50 prisoners was completed on Friday.”" in text


# --- the same site from the same commit; no history without git ----------------------------------

def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_two_builds_of_one_commit_are_identical(story, tmp_path):
    clone = tmp_path / "again"
    git(tmp_path, "clone", "-q", str(story.root), str(clone))
    from conftest import Project
    from generator.pipeline import copy_site_inputs
    copy_site_inputs(story.root, clone)
    assert Project(clone).run("build", "--strict").code == 0
    assert tree_digest(clone / "site") == tree_digest(story.path("site"))  # sitemap.xml.gz included


def test_without_git_the_site_builds_with_one_notice(story, tmp_path):
    tarball = tmp_path / "tarball"
    shutil.copytree(story.root, tarball, ignore=shutil.ignore_patterns(".git", "site", "site_src", ".cache"))
    from conftest import Project
    result = Project(tarball).run("build", "--strict")
    assert result.code == 0, result.err
    assert result.err.count("history unavailable") == 1
    assert "not a git repository" in result.err
    assert not (tarball / "site/demands/troop-withdrawal").exists()  # nothing is known of removed records
    assert "First recorded" not in page_text(Project(tarball), "agreements/prisoner-exchange/index.html")
    assert "No history" in page_text(Project(tarball), "whats-new/index.html")


def test_a_shallow_clone_says_its_history_is_cut_off(story, tmp_path):
    shallow = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{story.root}", str(shallow))
    from conftest import Project
    from generator.pipeline import copy_site_inputs
    copy_site_inputs(story.root, shallow)
    result = Project(shallow).run("generate")
    assert result.code == 0
    assert result.err.count("history unavailable: this is a shallow clone") == 1
    assert "First recorded" not in md(Project(shallow), "agreements/prisoner-exchange.md")


# --- in the builders and in a real browser --------------------------------------------------------

def test_zensical_builds_the_living_site(story, tmp_path):
    """Zensical runs no hooks: redirects, tombstones and the feed link are plain files and the override."""
    import subprocess
    import sys
    shutil.copytree(story.path("site_src"), tmp_path / "site_src")
    from generator.pipeline import copy_site_inputs
    copy_site_inputs(story.root, tmp_path)
    zensical = Path(sys.executable).with_name("zensical")
    result = subprocess.run([str(zensical), "build"], cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    assert broken_links(site) == []
    assert '<meta http-equiv="refresh" content="0; url=../anna-berg/">' in (site / "people/berg/index.html").read_text()
    assert "removed from the briefing on 9 March 2024" in (site / "demands/troop-withdrawal/index.html").read_text()
    assert 'type="application/atom+xml"' in (site / "people/anna-berg/index.html").read_text()
    items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    locations = {i["location"].split("#")[0] for i in items}
    assert "people/anna-berg/" in locations
    assert not locations & {"demands/troop-withdrawal/", "whats-new/", "people/berg/"}


def test_the_old_address_leads_to_the_new_page_in_chromium(story, chromium):
    with serving(story.path("site")) as base:
        for script in (True, False):
            context = chromium.new_context(java_script_enabled=script)
            page = context.new_page()
            page.goto(base + "people/berg/")
            page.wait_for_url(base + "people/anna-berg/", timeout=10_000)
            assert page.locator("h1").inner_text().startswith("Anna Berg")
            page.goto(base + "demands/troop-withdrawal/")
            assert "removed from the briefing on 9 March 2024" in page.locator("article").inner_text()
            context.close()


def test_with_a_site_url_feed_links_are_absolute_and_ids_use_its_host(story):
    from generator.addresses import plan_addresses
    from generator.history import read_history
    from generator.pipeline import check
    from generator.render.feed import render_feed
    from generator.siteconfig import SiteConfig
    index = check(story.root).index
    history = read_history(story.root, index)
    site = SiteConfig(name="Geneva & after", url="https://news.example.org/geneva/")
    feed = feedparser.parse(render_feed(index, history, plan_addresses(index, history), site).encode())
    assert feed.bozo == 0 and feed.feed.title == "Geneva & after: what's new"
    assert feed.feed.id == f"tag:news.example.org,2024-03-02:{story.shas['first']}/feed"
    assert all(e.id.startswith("tag:news.example.org,2024-03-") for e in feed.entries)
    removed = next(e for e in feed.entries if e.title.startswith("Removed:"))
    assert removed.link == "https://news.example.org/geneva/demands/troop-withdrawal/"  # the removal notice
    assert {link.rel: link.href for link in feed.feed.links}["self"] == "https://news.example.org/geneva/feed.xml"


def test_pages_rendered_before_the_history_and_filled_in_are_the_same(story):
    """`generate` renders while git is read, then fills the history in: same pages as at once."""
    from generator.history import read_history
    from generator.pipeline import check
    from generator.render import LATER, render_later, render_site
    from generator.siteconfig import read_site_config
    index, site = check(story.root).index, read_site_config(story.root)
    history = read_history(story.root, index)
    early = render_site(index, 1, LATER, site)
    assert "people/anna-berg.md" in early and "whats-new.md" not in early and "index.md" not in early
    assert "<!-- briefing: history -->" in early["people/anna-berg.md"]
    assert {**early, **render_later(index, early, history, site)} == render_site(index, 1, history, site)
    without = render_site(index, 1, None, site)
    assert {**early, **render_later(index, early, None, site)} == without


def test_a_hand_written_page_on_a_history_page_path_is_refused_and_loses_nothing(story, tmp_path):
    clash = tmp_path / "clash"
    shutil.copytree(story.root, clash, ignore=shutil.ignore_patterns("site", ".cache"))
    from conftest import Project, tree_state
    project = Project(clash)
    before = tree_state(clash / "site_src")
    project.write("content/pages/whats-new.md", "# My own page\n")
    result = project.run("generate")
    assert result.code == 1
    assert "'whats-new.md' would be written twice" in result.err
    assert tree_state(clash / "site_src") == before
