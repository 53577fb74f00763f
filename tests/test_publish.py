"""Publishing an edit: incremental builds equal clean builds, page keys cover what pages show,
and a failed or killed build leaves site/ as the old site or the new one (issue 12)."""
from __future__ import annotations

import copy
import os
import random
import shutil
import subprocess
import sys
from pathlib import Path


from conftest import REPO, Project, copy_fixture, tree_state
from generator.render import listing as render_listing
from generator.addresses import git_tracks, stale_ids
from generator.history import read_history
from generator.index import build_index
from generator.kinds import KINDS
from generator.load import load_content
from generator.pipeline import _parse_files
from generator import pages_parallel, publish
from generator.publish import SPARE, merge_search
from generator.incremental import apply_delta, keys_delta
from generator.render import all_page_keys, render_site
from generator.siteconfig import read_site_config
from generator.write import UNDO_DIR
from publish_steps import Editor, clean_build, run_steps, start, tree_bytes
from story import tell_story

# --- incremental builds equal clean builds ---------------------------------------------------------


def test_random_edits_built_incrementally_equal_clean_builds(tmp_path):
    done = run_steps(tmp_path, seed=12, steps=8)  # every kind of edit once, in a random order
    assert len(done) == 8


def test_an_edit_rebuilds_only_the_pages_that_show_it(tmp_path):
    project = start(tmp_path / "p")  # a clean build, which makes the spare tree too
    before = tree_bytes(project.path("site"))
    Editor(project, random.Random(0)).status()
    result = project.run("build")
    assert result.code == 0, result.err
    assert "only what changed" in result.err
    after = tree_bytes(project.path("site"))
    changed = sorted(k for k in after if after[k] != before.get(k))
    # the demand's page and the pages listing it or linking to it, the search index and sitemap
    assert "demands/troop-withdrawal/index.html" in changed
    assert "search/search_index.json" in changed
    assert "people/berg/index.html" not in changed  # Berg's page does not show the demand
    assert len(changed) < len(after) // 3, changed


def test_build_clean_renders_and_builds_everything(tmp_path):
    project = start(tmp_path / "p")
    result = project.run("build", "--clean")
    assert result.code == 0, result.err
    assert "every page rendered" in result.err and "only what changed" not in result.err


# --- page keys: a page whose key did not change did not change -----------------------------------

def _documents(root: Path):
    content = load_content(root, lambda entries: _parse_files(None, root, 1, entries))
    return content.documents


def _render(root: Path, documents):
    index, problems = build_index(documents, lambda: stale_ids(documents, git_tracks(root)))
    history = read_history(root, index)
    pages = render_site(index, 1, history, read_site_config(root))
    return all_page_keys(index, history), pages


def _perturbations(doc) -> list[tuple[str, dict]]:
    """Edits of one record's fields: its title (which moves it in listings), its summary, and one
    reference dropped from a list of references."""
    title = KINDS[doc.kind].title_field
    data = copy.deepcopy(doc.data)
    data[title] = f"Aaa {data.get(title, '')}"
    if "summary" in data:
        data["summary"] = f"{data['summary']} (edited)"
    out = [("title and summary", data)]
    for field, value in doc.data.items():
        if field not in ("sources", "caveats") and isinstance(value, list) and value and isinstance(value[0], str):
            data = copy.deepcopy(doc.data)
            data[field] = value[1:]
            out.append((f"{field} minus {value[0]}", data))
            break
    return out


def _story_roots(tmp_path: Path) -> list[tuple[Path, int | None, bool]]:
    """(project folder, how many records to perturb (None: all), whether its listings and
    timeline are split into pages of 2-6) for each story."""
    mini = copy_fixture(tmp_path / "mini").root
    story, _ = tell_story(tmp_path / "story")
    nicosia = tmp_path / "nicosia"
    shutil.copytree(REPO / "tests/fixtures/nicosia", nicosia)
    shutil.copytree(REPO / "overrides", nicosia / "overrides")
    return [(mini, None, False), (story.root, None, False), (nicosia, None, False), (REPO, 10, False),
            (REPO, 6, True)]


def _stories(tmp_path: Path, monkeypatch):
    """(project folder, sample size, small pages, documents) of each story of _story_roots, with
    the listings and timeline split into pages of 2-6 where asked (from then on)."""
    for root, sample, small in _story_roots(tmp_path):
        if small:
            for name, value in (("PAGE_MIN", 2), ("PAGE_AVG", 4), ("PAGE_MAX", 6)):
                monkeypatch.setattr(render_listing, name, value)
        yield root, sample, small, _documents(root)


def _same_where_keys_are(base_keys, base_pages, keys, pages, what: str) -> int:
    """Assert that every page whose key is the same in both renderings has the same text; how many."""
    checked = 0
    for path, key in keys.keys.items():
        if base_keys.keys.get(path) == key:
            for out in keys.groups[path]:
                assert pages.get(out) == base_pages.get(out), f"{what} changed {out}, but its key did not change"
                checked += 1
    return checked


def test_a_page_whose_key_is_unchanged_is_unchanged(tmp_path, monkeypatch):
    """Every record's fields edited in turn (in all the records of the fixture stories, a sample
    of content/'s best-connected and a random few, again with content/'s listings split into
    pages): each record page, diagram, listing page, timeline page and data file whose key
    stays the same renders to the same text."""
    checked = 0
    for root, sample, small, documents in _stories(tmp_path, monkeypatch):
        base_keys, base_pages = _render(root, documents)
        chosen = list(range(len(documents)))
        if sample is not None:
            index, _ = build_index(documents, lambda: set())
            by_degree = sorted(chosen, key=lambda i: -len(index.backlinks.get(documents[i].id, ())))
            chosen = by_degree[:sample // 2] + random.Random(3).sample(by_degree[sample // 2:], sample // 2)
        for i in chosen:
            doc = documents[i]
            for what, data in _perturbations(doc):
                original, doc.data = doc.data, data
                try:
                    keys, pages = _render(root, documents)
                finally:
                    doc.data = original
                checked += _same_where_keys_are(base_keys, base_pages, keys, pages, f"{root.name}: {doc.path} ({what})")
            if small:  # deleted: the count of its kind and the pages of its listing change
                keys, pages = _render(root, documents[:i] + documents[i + 1:])
                checked += _same_where_keys_are(base_keys, base_pages, keys, pages, f"{root.name}: {doc.path} deleted")
    assert checked > 1000


def test_keys_worked_out_from_the_last_builds_equal_keys_worked_out_anew(tmp_path, monkeypatch):
    """Every record of the fixture stories edited, and a sample of content/'s (also deleted, and
    with the listings in small pages): the keys made from the unedited content's keys, working
    out only those the edit may change, are the keys made from nothing."""
    compared = 0
    for root, sample, small, documents in _stories(tmp_path, monkeypatch):
        histories: list = []  # read from git once per story (HEAD does not move)
        base = _keys(root, documents, None, histories)
        chosen = list(range(len(documents)))
        if sample is not None:
            chosen = random.Random(5).sample(chosen, sample)
        for i in chosen:
            doc = documents[i]
            edits = [(what, documents[:i] + [_with_data(doc, data)] + documents[i + 1:])
                     for what, data in _perturbations(doc)]
            edits.append(("deleted", documents[:i] + documents[i + 1:]))
            for what, edited in edits:
                anew = _keys(root, edited, None, histories)
                again = _keys(root, edited, base, histories)
                where = f"{root.name}: {doc.path} ({what})"
                assert again.keys == anew.keys and again.groups == anew.groups, where
                assert all(again.watched(path) == anew.watched(path) for path in anew.watch), where
                assert again.watch.keys() == anew.watch.keys() and again.tokens == anew.tokens, where
                handed = apply_delta(base, keys_delta(base, again))  # as a child hands them back
                assert (handed.keys, handed.watch, handed.ids) == (again.keys, again.watch, again.ids), where
                # and back: the edit undone, starting from the edited content's keys
                assert _keys(root, documents, again, histories).keys == base.keys, where
                compared += 1
    assert compared > 120


def test_keys_follow_the_last_title_of_a_gone_record_a_history_names(tmp_path):
    """The talks' history names a person who is gone; the person comes back under another name
    and goes again between two builds: no current record changed, but the talks' key shows the
    new last title, as keys worked out anew do."""
    project = start(tmp_path / "p")
    editor = Editor(project, random.Random(0))
    person = "content/people/extra.yaml"
    person_text = """\
        name: {name}
        affiliations: [northland]
        sources:
          - source: report
            excerpt: Northland's envoy Anna Berg
        """
    talks = "content/events/geneva-talks.yaml"
    project.write(person, person_text.format(name="Extra Person"))
    editor.commit()
    editor._sub(talks, r"^participants: \[northland, southland, berg\]$", "participants: [northland, southland, berg, extra]")
    editor.commit()
    editor._sub(talks, r"^participants: .*$", "participants: [northland, southland, berg]")
    editor.commit()
    project.remove(person)
    editor.commit()
    histories: list = []
    before = _keys(project.root, _documents(project.root), None, histories)
    project.write(person, person_text.format(name="Someone Else"))
    editor.commit()
    project.remove(person)
    editor.commit()
    documents, histories = _documents(project.root), []
    anew = _keys(project.root, documents, None, histories)
    assert anew.keys["events/geneva-talks.md"] != before.keys["events/geneva-talks.md"]
    assert _keys(project.root, documents, before, histories).keys == anew.keys


def _with_data(doc, data):
    edited = copy.copy(doc)
    edited.data = data
    return edited


def _keys(root: Path, documents, previous, histories: list):
    index, _ = build_index(documents, lambda: stale_ids(documents, git_tracks(root)))
    history = read_history(root, index, previous=histories[0] if histories else None)
    histories[:] = [history]
    return all_page_keys(index, history, previous)


# --- atomic: a failed build changes nothing ---------------------------------------------------------

def _incremental_ready(tmp_path) -> Project:
    project = start(tmp_path / "p")
    assert project.path(SPARE).is_dir()  # the first (clean) build made the spare
    return project


def test_a_failed_incremental_build_leaves_site_and_site_src_exactly_as_they_were(tmp_path):
    project = _incremental_ready(tmp_path)
    Editor(project, random.Random(0)).shown()
    before_site, before_src = tree_state(project.path("site")), tree_state(project.path("site_src"))
    project.write("content/pages/about.md", "# About\n\nSee [the missing page](missing.md).\n")
    result = project.run("build")
    assert result.code == 1
    assert "site/ left as it was" in result.err and "site_src/ left as it was" in result.err
    assert tree_state(project.path("site")) == before_site
    assert tree_state(project.path("site_src")) == before_src
    assert not project.path(UNDO_DIR).exists()
    project.remove("content/pages/about.md")
    assert project.run("build").code == 0  # the next build repairs the spare it had begun
    clean = clean_build(project, tmp_path / "clean")
    assert tree_bytes(project.path("site")) == tree_bytes(clean.path("site"))


def test_a_hand_written_page_linking_to_a_removed_page_fails_as_a_clean_build_would(tmp_path):
    project = _incremental_ready(tmp_path)
    editor = Editor(project, random.Random(0))
    editor.add()
    project.write("content/pages/about.md", "# About\n\nSee [the extra person](people/extra-1.md).\n")
    assert project.run("build").code == 0
    before = tree_state(project.path("site"))
    editor.delete()  # the page about.md links to is gone; about.md itself did not change
    result = project.run("build")
    assert result.code == 1 and "people/extra-1.md" in result.err
    assert tree_state(project.path("site")) == before


def _on_both_cores(monkeypatch, child_takes_all: bool = False) -> list[set[str]]:
    """Render and build every dirty build's changed pages on both cores, however little there is
    (or all of them in the children); the pages each build's children rendered, then built, as
    they are shared (two sets a build)."""
    shared: list[set[str]] = []
    monkeypatch.setattr(pages_parallel, "MIN_SHARED_BYTES", 0)
    monkeypatch.setattr(pages_parallel, "MIN_SHARED_BUILDS", 0)
    monkeypatch.setattr(pages_parallel, "cpu_count", lambda: 2)
    if child_takes_all:
        monkeypatch.setattr(pages_parallel, "_split", lambda sized: ([], [f for _, _, f in sized]))
    share = pages_parallel.share_pages

    def noting(changed, config, files):
        share(changed, config, files)
        shared.append(set(pages_parallel._Shared.uris))

    monkeypatch.setattr(publish, "share_pages", noting)
    share_builds = pages_parallel.share_builds

    def noting_builds(*args):
        share_builds(*args)
        shared.append(set(pages_parallel._Built.uris))

    monkeypatch.setattr(publish, "share_builds", noting_builds)
    return shared


def test_pages_rendered_on_both_cores_equal_clean_builds(tmp_path, monkeypatch):
    shared = _on_both_cores(monkeypatch)
    run_steps(tmp_path, seed=5, steps=5)
    rendered, built = shared[0::2], shared[1::2]
    assert sum(1 for uris in rendered if uris) >= 3, shared  # the children rendered pages in most builds
    assert sum(1 for uris in built if uris) >= 3, shared  # and built them


def _about_fails_in_a_child(tmp_path, monkeypatch, about: str) -> tuple[list[set[str]], str]:
    """Build with content/pages/about.md written as `about`, every changed page rendered and built
    by the children: the pages each child took in that build (rendered, built) and its stderr.
    Checks that the build failed, left site/ as it was, and that a good about.md then builds."""
    project = _incremental_ready(tmp_path)
    shared = _on_both_cores(monkeypatch, child_takes_all=True)
    before = tree_state(project.path("site"))
    project.write("content/pages/about.md", about)
    result = project.run("build")
    taken = shared[-2:]
    assert result.code == 1, result.err
    assert tree_state(project.path("site")) == before
    project.write("content/pages/about.md", "# About\n\nSee [Berg](people/berg.md).\n")
    assert project.run("build").code == 0
    assert "people/berg/" in project.path("site/about/index.html").read_text(encoding="utf-8")
    return taken, result.err


def test_a_broken_link_on_a_page_the_child_renders_fails_the_build(tmp_path, monkeypatch):
    (rendered, _), err = _about_fails_in_a_child(tmp_path, monkeypatch, "# About\n\nSee [nobody](people/nobody.md).\n")
    assert "about.md" in rendered
    assert "people/nobody.md" in err, err


def test_a_page_the_second_child_cannot_build_fails_the_build(tmp_path, monkeypatch):
    (_, built), err = _about_fails_in_a_child(tmp_path, monkeypatch,
                                              "---\ntemplate: no-such-template.html\n---\n# About\n")
    assert "about.md" in built  # the second child was to build it
    assert "Error building page 'about.md'" in err and "no-such-template.html" in err, err


def test_a_dirty_build_takes_the_last_ones_files_unless_a_file_or_the_site_changed(tmp_path, monkeypatch):
    from mkdocs.commands import build as mkdocs_build
    from generator.files_cache import FILES_CACHE
    project = _incremental_ready(tmp_path)
    editor = Editor(project, random.Random(0))
    made, real = [], mkdocs_build.get_files
    monkeypatch.setattr(mkdocs_build, "get_files", lambda cfg: made.append(1) or real(cfg))

    def build(edit) -> int:
        edit()
        result = project.run("build")
        assert result.code == 0 and "only what changed" in result.err, result.err
        clean = clean_build(project, tmp_path / "clean")
        assert tree_bytes(project.path("site")) == tree_bytes(clean.path("site"))
        return len(made)

    assert build(editor.status) == 1  # no files saved yet: MkDocs makes them
    assert build(editor.shown) == 1  # the same files: the saved ones
    assert build(editor.add) == 2  # a new file: made again (the new page is built)
    assert project.path(f"site/people/{editor.extras[-1]}/index.html").is_file()
    assert build(editor.status) == 2
    project.path(f".cache/{FILES_CACHE}").write_bytes(b"damaged")
    assert build(editor.status) == 3  # unreadable: made again
    assert build(editor.delete) == 4  # a file gone
    assert build(editor.static) == 4  # a file's bytes changed, not its path: the saved files (it is copied)


def test_a_dirty_build_tells_changed_generated_files_by_site_srcs_manifest_not_by_mtimes(tmp_path, monkeypatch):
    import json
    project = _incremental_ready(tmp_path)
    editor = Editor(project, random.Random(0))
    stated: list[str] = []
    real_newer = publish._newer
    monkeypatch.setattr(publish, "_newer", lambda f: stated.append(f.src_uri) or real_newer(f))
    state_file = project.path(f".cache/{publish.TREES_FILE}")
    assert "people/berg.md" in json.loads(state_file.read_text(encoding="utf-8"))["sources"]
    editor.status()
    assert project.run("build").code == 0
    assert stated and not any(uri.endswith(".md") or uri.startswith("extra/") for uri in stated), stated  # theme files only
    # A page made newer without changing is not rebuilt (mtimes would have said it changed)
    berg = project.path("site/people/berg/index.html").stat().st_ino
    os.utime(project.path("site_src/people/berg.md"))
    editor.status()
    assert project.run("build").code == 0
    assert project.path("site/people/berg/index.html").stat().st_ino == berg  # not written again
    # an output the spare's note does not list is built again, though its Markdown did not change
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["outputs"].remove("people/berg/index.html")
    state_file.write_text(json.dumps(state), encoding="utf-8")
    editor.status()
    assert project.run("build").code == 0
    assert project.path("site/people/berg/index.html").stat().st_ino != berg
    # a state without the manifest (an older briefing's): every file told by its mtime, the site still exact
    state = json.loads(state_file.read_text(encoding="utf-8"))
    del state["sources"]
    state_file.write_text(json.dumps(state), encoding="utf-8")
    stated.clear()
    editor.shown()
    assert project.run("build").code == 0
    assert "people/berg.md" in stated
    clean = clean_build(project, tmp_path / "clean")
    assert tree_bytes(project.path("site")) == tree_bytes(clean.path("site"))


KILL_POINTS = {
    # where the build is killed (kill -9): a function that is called, and on which call
    "writing site_src/": ("generator.write", "_write_file", 3),
    "MkDocs writing pages": ("mkdocs.utils", "write_file", 2),
    "swapping the trees": ("generator.publish", "exchange", 1),
}

_KILLER = """
import importlib, os, signal, sys
module, name, nth = sys.argv[1], sys.argv[2], int(sys.argv[3])
mod = importlib.import_module(module)
real, calls = getattr(mod, name), []
def dying(*args, **kwargs):
    calls.append(1)
    if len(calls) == nth:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(*args, **kwargs)
setattr(mod, name, dying)
from generator.cli import main
sys.exit(main(["--root", sys.argv[4], "build"]))
"""


def test_a_build_killed_midway_leaves_the_old_site_or_the_new_and_the_next_build_repairs(tmp_path):
    project = _incremental_ready(tmp_path)
    editor = Editor(project, random.Random(0))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    for point, (module, name, nth) in KILL_POINTS.items():  # one after the other, on one project
        old_site = tree_bytes(project.path("site"))
        editor.shown()
        killed = subprocess.run([sys.executable, "-c", _KILLER, module, name, str(nth), str(project.root)],
                                env=env, capture_output=True, text=True)
        assert killed.returncode == -9, (point, killed.stderr)  # it was killed where meant, not finished
        clean = clean_build(project, tmp_path / "clean")
        new_site = tree_bytes(clean.path("site"))
        assert tree_bytes(project.path("site")) in (old_site, new_site), point
        result = project.run("build")
        assert result.code == 0, (point, result.err)
        assert tree_bytes(project.path("site")) == new_site, point
        assert tree_bytes(project.path("site_src")) == tree_bytes(clean.path("site_src")), point
        leftovers = {".site.new", ".site_src.new", ".site_src.old", UNDO_DIR}
        assert not leftovers & {p.name for p in project.root.iterdir()}, point
        assert project.path(SPARE).is_dir()  # the next edit is built incrementally again


# --- the parts ----------------------------------------------------------------------------------

def test_merge_search_orders_entries_as_a_clean_build_does():
    prev = [{"location": "", "t": 0}, {"location": "a/", "t": 1}, {"location": "a/#x", "t": 2},
            {"location": "b/", "t": 3}, {"location": "gone/", "t": 4}]
    new = [{"location": "a/", "t": 10}, {"location": "c/", "t": 11}]
    merged = merge_search(prev, new, {"a/"}, order=["", "a/", "c/", "b/"])
    assert [e["t"] for e in merged] == [0, 10, 11, 3]
    assert [e["t"] for e in merge_search(prev, new, {"a/"})] == [0, 3, 4, 10, 11]  # serve's: no order


# --- what the dirty build asks MkDocs' files ---------------------------------------------------------

def _file(tmp_path: Path, rel: str):
    from mkdocs.structure.files import File
    return File(rel, str(tmp_path / "docs"), str(tmp_path / "site"), True)


def test_a_file_is_modified_when_its_source_is_newer_than_its_output_or_there_is_no_output_file(tmp_path):
    f = _file(tmp_path, "a.css")
    src, dest = Path(f.abs_src_path), Path(f.abs_dest_path)
    src.parent.mkdir(parents=True)
    src.write_text("a")
    assert publish._newer(f)  # no output yet
    dest.mkdir(parents=True)
    assert publish._newer(f)  # a folder where the output should be
    dest.rmdir()
    dest.write_text("a")
    os.utime(src, (1000, 1000))
    os.utime(dest, (2000, 2000))
    assert not publish._newer(f)
    os.utime(src, (3000, 3000))
    assert publish._newer(f)


def test_the_pages_are_listed_once_and_again_when_a_file_is_added_or_removed(tmp_path):
    from mkdocs.structure.files import Files, InclusionLevel
    files = Files([_file(tmp_path, "a.md"), _file(tmp_path, "b.css")])
    publish._remember_pages(files)
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md"]
    assert [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)] == ["a.md"]
    files.append(_file(tmp_path, "c.md"))
    assert [f.src_uri for f in files.documentation_pages()] == ["a.md", "c.md"]
    files.remove(files.get_file_from_path("a.md"))
    assert [f.src_uri for f in files.documentation_pages()] == ["c.md"]
    listed = files.documentation_pages()
    listed.clear()  # a caller's list is its own
    assert [f.src_uri for f in files.documentation_pages()] == ["c.md"]
