"""Addresses that never break without git: `former_ids` redirect, and the checks on former and
replaced ids; the redirect pages themselves."""
from __future__ import annotations

from generator.addresses import Addresses, plan_addresses
from generator.pipeline import check
from generator.render.changes import address_files, redirect_html
from generator.siteconfig import SiteConfig

BERG = "content/people/berg.yaml"
BERG_TEXT = """\
    name: Anna Berg
    role: Northland's envoy
    affiliations: [northland]
    former_ids: [{former}]
    sources:
      - source: report
        excerpt: Northland's envoy Anna Berg
    """


def test_former_ids_redirect_without_git(project):
    project.write(BERG, BERG_TEXT.format(former="anna"))
    result = project.run("generate")
    assert result.code == 0, result.err
    assert result.err.count("history unavailable") == 1
    html = project.path("site_src/people/anna/index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../berg/">' in html
    assert '<link rel="canonical" href="../berg/">' in html
    assert "<title>Moved: Anna Berg</title>" in html


def test_a_reference_to_a_former_id_is_an_error_naming_the_new_id(project):
    project.write(BERG, BERG_TEXT.format(former="anna"))
    project.write("content/quotes/first-step.yaml", """\
        text: a first step toward peace.
        speaker: anna
        sources:
          - source: report
            excerpt: Northland's envoy Anna Berg said the talks were "a first step toward peace."
        """)
    found = project.problems()
    assert [(p["path"], p["line"], p["column"], p["code"]) for p in found] == [
        ("content/quotes/first-step.yaml", 2, 10, "renamed-ref")]
    assert found[0]["message"] == "'anna' was renamed to 'berg'; use the new id"


def test_a_former_id_must_not_be_in_use(project):
    project.write(BERG, BERG_TEXT.format(former="olsen"))
    found = project.problems()
    assert [(p["line"], p["column"], p["code"]) for p in found] == [(4, 14, "id-in-use")]
    assert found[0]["message"] == "'olsen' is the id of content/people/olsen.yaml; former_ids names ids no record has any more"


def test_two_records_cannot_share_a_former_id(project):
    project.write(BERG, BERG_TEXT.format(former="envoy"))
    project.write("content/people/olsen.yaml", """\
        name: Olsen
        former_ids: [envoy]
        sources:
          - source: report
            excerpt: said Mr. Olsen, an analyst at the Institute for Peace
        """)
    found = project.problems()
    assert [(p["path"], p["code"]) for p in found] == [("content/people/olsen.yaml", "former-id-taken")]
    assert "already a former id of content/people/berg.yaml" in found[0]["message"]


def test_replaces_names_removed_records_only(project):
    project.write(BERG, BERG_TEXT.replace("former_ids: [{former}]", "replaces: [olsen]"))
    assert [(p["line"], p["code"]) for p in project.problems()] == [(4, "id-in-use")]


def test_redirect_pages_follow_the_url_style_and_site_url():
    path, text = redirect_html(SiteConfig(directory_urls=False), ("person", "old"), "people/new.md", "A & B")
    assert path == "people/old.html"
    assert 'content="0; url=new.html"' in text and "<title>Moved: A &amp; B</title>" in text
    path, text = redirect_html(SiteConfig(url="https://example.org/brief/"), ("event", "old"), "agreements/new.md", "X")
    assert path == "events/old/index.html"
    assert '<link rel="canonical" href="https://example.org/brief/agreements/new/">' in text


def test_a_title_with_markup_stays_text_in_a_redirect_page(project):
    project.write(BERG, BERG_TEXT.format(former="anna").replace("name: Anna Berg", "name: '</title><script>x()</script>'"))
    result = check(project.root)
    assert result.ok, result.problems
    files = address_files(result.index, plan_addresses(result.index, None), SiteConfig())
    html = files["people/anna/index.html"]
    assert "<script>" not in html and "&lt;/title&gt;&lt;script&gt;x()&lt;/script&gt;" in html


def test_no_old_address_without_history_or_former_ids(project):
    result = check(project.root)
    assert plan_addresses(result.index, None) == Addresses()


def test_a_rename_git_cannot_see_redirects_and_keeps_the_history(tmp_path):
    from story import Story, git
    from conftest import copy_fixture
    story = Story(copy_fixture(tmp_path / "p").root)
    git(story.root, "init", "-q")
    story.commit("First briefing", "2024-03-02T09:00:00+00:00")
    story.remove(BERG)
    story.edit("content/quotes/first-step.yaml", "speaker: berg", "speaker: olsen")
    story.edit("content/events/geneva-talks.yaml", "[northland, southland, berg]", "[northland, southland]")
    story.commit("Drop Berg for now", "2024-03-03T09:00:00+00:00")
    story.write("content/people/anna-berg.yaml", BERG_TEXT.format(former="berg"))
    story.commit("Anna Berg again, under her full name", "2024-03-04T09:00:00+00:00")
    assert story.run("generate").code == 0
    src = story.path("site_src")
    assert not (src / "people/berg.md").exists()  # no removal notice: the address moved
    assert 'url=../anna-berg/' in (src / "people/berg/index.html").read_text(encoding="utf-8")
    page = (src / "people/anna-berg.md").read_text(encoding="utf-8")
    assert "First recorded 2 March 2024 · last changed 4 March 2024" in page
    assert "**3 March 2024**" not in page  # the removal is not part of the record's story
    assert ("- **4 March 2024** Renamed from berg; Native name removed \\(was <span lang=\"en\">Anna Berg</span> \\(en\\)\\); Other spellings "
            "removed \\(was A\\. Berg\\); Former ids: berg \\(new\\) — *Anna Berg again, under her full name*") in page
    assert "- **2 March 2024** First recorded — *First briefing*" in page
