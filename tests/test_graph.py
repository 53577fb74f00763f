"""The relationship graph: relations, neighbourhoods, layout geometry and safe SVG."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from conftest import FIXTURE
from generator.graph import (BOX_H, GAP, NEIGHBOUR_LIMIT, Edge, build_graph, dir_href, home_nodes,
                             label_lines, layout, neighbourhood, render_svg)
from generator.graph import record_graph_svg as render_record_graph_file
from generator.index import build_index
from generator.load import Document
from generator.pipeline import check
from generator.render import render_home, render_pages_of, render_record, render_site

SVG = "{http://www.w3.org/2000/svg}"
XHTML = "{http://www.w3.org/1999/xhtml}"
CITE = [{"source": "s", "excerpt": "words"}]


def make_index(records: list[tuple[str, str, dict]]):
    """An index of (kind, id, data) records plus one source; fails on any reference problem."""
    plural = {"person": "people", "organization": "organizations", "demand": "demands",
              "agreement": "agreements", "event": "events", "source": "sources"}
    docs = [Document(f"content/{plural[k]}/{i}.yaml", k, i, d) for k, i, d in records]
    docs.append(Document("content/sources/s.yaml", "source", "s", {"title": "Src"}))
    index, problems = build_index(docs)
    assert problems == []
    return index


def test_fixture_relations():
    graph = build_graph(check(FIXTURE).index)
    assert graph.edges == [
        Edge("berg", "northland", "affiliated"),
        Edge("northland", "prisoner-exchange", "party"),
        Edge("northland", "troop-withdrawal", "demands"),
        Edge("southland", "prisoner-exchange", "party"),
        Edge("troop-withdrawal", "southland", "addressed"),
    ]
    # Olsen has no relation, so he is not on the home diagram.
    assert home_nodes(graph) == {"berg", "northland", "southland", "prisoner-exchange", "troop-withdrawal"}


def test_membership_keeps_the_strongest_relation():
    index = make_index([
        ("person", "lead", {"name": "Lead", "affiliations": ["del"]}),
        ("person", "aide", {"name": "Aide", "affiliations": ["del"]}),
        ("organization", "del", {"name": "Delegation", "type": "delegation", "leader": "lead",
                                 "members": ["lead", "aide"], "parent": "state"}),
        ("organization", "state", {"name": "State", "type": "state"}),
        ("demand", "d", {"title": "D", "party": "state", "target": "state", "status": "standing",
                         "opposed_by": ["aide"]}),
        ("agreement", "a", {"title": "A", "type": "agreement", "status": "agreed", "parties": ["state"],
                            "mediator": "lead"}),
    ])
    graph = build_graph(index)
    assert sorted((e.source, e.target, e.relation) for e in graph.edges) == [
        ("aide", "d", "opposes"), ("aide", "del", "member"), ("d", "state", "addressed"),
        ("del", "state", "part-of"), ("lead", "a", "mediates"), ("lead", "del", "leads"),
        ("state", "a", "party"), ("state", "d", "demands"),
    ]
    lay = layout(graph, set(graph.nodes))
    # People, then the delegation, then the state, then demands and outcomes.
    assert [sorted(c) for c in lay.columns if not all(n.startswith("~") for n in c)][0] == ["aide", "lead"]
    column = {n: i for i, col in enumerate(lay.columns) for n in col}
    assert column["lead"] < column["del"] < column["state"] < column["d"] == column["a"]


def star(n_demands: int):
    """A hub state making many demands of many targets (for limits and geometry)."""
    records = [("organization", "hub", {"name": "Hub", "type": "state"})]
    for i in range(n_demands):
        records.append(("organization", f"t{i}", {"name": f"Target state number {i}", "type": "state"}))
        records.append(("demand", f"d{i}", {"title": f"Demand {i} with a rather long title that must wrap",
                                            "party": "hub", "target": f"t{i}", "status": "standing"}))
        records.append(("person", f"p{i}", {"name": f"Person {i}", "affiliations": ["hub", f"t{i}"]}))
    return make_index(records)


def test_neighbourhood_is_bounded():
    graph = build_graph(star(200))
    near = neighbourhood(graph, "hub")
    assert "hub" in near
    assert len(near) <= 1 + NEIGHBOUR_LIMIT + NEIGHBOUR_LIMIT // 2
    # Through a demand next to the hub, its addressee is shown too (who demands what of whom).
    small = neighbourhood(build_graph(star(3)), "hub")
    assert {"d0", "t0", "p0"} <= small
    assert len(home_nodes(graph, limit=60)) == 60


def test_layout_boxes_do_not_overlap_and_fit():
    graph = build_graph(star(12))
    lay = layout(graph, set(graph.touching))
    width, height = lay.size
    for col in lay.columns:
        boxes = sorted((lay.y[n] - lay.height[n] / 2, lay.y[n] + lay.height[n] / 2) for n in col if not n.startswith("~"))
        for (_, bottom), (top, _) in zip(boxes, boxes[1:]):
            assert top - bottom >= GAP - 0.01
    for n in graph.touching:
        assert 0 <= lay.x[n] and lay.x[n] + lay.width[n] <= width
        assert 0 <= lay.y[n] - lay.height[n] / 2 and lay.y[n] + lay.height[n] / 2 <= height
    # A long title wraps onto two lines, clipped with an ellipsis; the box grows to hold both.
    rec = graph.nodes["d0"]
    assert label_lines(rec) == ["Demand 0 with a rather", "long title that must…"]
    assert lay.height["d0"] > BOX_H


def test_long_edges_bend_through_the_columns_they_cross():
    graph = build_graph(star(2))
    lay = layout(graph, set(graph.touching))
    column = {n: i for i, col in enumerate(lay.columns) for n in col}
    for edge, chain in lay.chains:
        assert chain[0] == edge.source and chain[-1] == edge.target
        cols = [column[n] for n in chain]
        assert all(abs(a - b) == 1 for a, b in zip(cols, cols[1:]))


def test_svg_escapes_every_text_and_parses_as_xml():
    hostile = '</text><script>alert(1)</script> & "quotes" <b>'
    index = make_index([
        ("person", "p", {"name": hostile, "affiliations": ["o"]}),
        ("organization", "o", {"name": "O & <i>", "type": "state"}),
        ("demand", "d", {"title": hostile, "party": "o", "status": "standing"}),
    ])
    graph = build_graph(index)
    svg = render_svg(graph, set(graph.nodes), "people/p.md", "g1", center="p")
    root = ET.fromstring(svg)  # well-formed: nothing broke out of an attribute or element
    assert root.tag == SVG + "svg"
    assert not [el for el in root.iter() if el.tag.endswith("script") or el.tag.endswith("}b")]
    titles = [el.text for el in root.iter(SVG + "title")]
    assert f"{hostile} belongs to O & <i>" in titles
    labels = [[span.text or "" for span in t.iter(SVG + "tspan")] for t in root.iter(SVG + "text")]
    assert ['</text><script>alert(…', '& "quotes" <b>'] in labels
    assert ["O & <i>", ""] in labels
    links = [a.get("href") for a in root.iter(SVG + "a")]
    assert sorted(links) == ["../../demands/d/", "../../organizations/o/", "./"]


@pytest.mark.parametrize("from_page, to_page, expected", [
    ("index.md", "people/zelensky.md", "people/zelensky/"),
    ("people/zelensky.md", "organizations/ukraine.md", "../../organizations/ukraine/"),
    ("people/zelensky.md", "people/zelensky.md", "./"),
    ("people/zelensky.md", "index.md", "../../"),
    ("timeline.md", "people/index.md", "../people/"),
    # A record's diagram file, and links from it: they start from its folder.
    ("people/zelensky.md", "graphs/zelensky.svg", "../../graphs/zelensky.svg"),
    ("graphs/zelensky.svg", "organizations/ukraine.md", "../organizations/ukraine/"),
    ("graphs/zelensky.svg", "index.md", "../"),
])
def test_dir_href_matches_directory_urls(from_page, to_page, expected):
    assert dir_href(from_page, to_page) == expected


def test_record_pages_carry_a_placeholder_and_the_relations_as_a_list():
    index = check(FIXTURE).index
    berg = render_record(index, index.get("berg"))
    assert "## Connections {#connections data-search-exclude}" in berg
    # The drawing is fetched by reader.js: the page holds an empty placeholder of its size (so
    # nothing moves when it comes) and its key, and no node of it.
    svg_file = render_record_graph_file(index, index.get("berg"))
    width, height = re.search(r'<svg [^>]*width="(\d+)" height="(\d+)"', svg_file).groups()
    assert ('<div class="rel-graph-wrap" data-graph="../../graphs/berg.svg" data-search-exclude>'
            f'<svg class="rel-graph rel-graph-placeholder" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" aria-hidden="true" focusable="false"></svg></div>') in berg
    assert berg.count("<svg") == 1 and "g-node" not in berg and berg.count('<p class="g-legend"') == 1
    # For readers without JavaScript: the relations as a list of ordinary Markdown links, which
    # MkDocs checks; one item per record arrows start from, the page's own first, in bold.
    assert "- **Anna Berg** belongs to [Northland](../organizations/northland.md)" in berg
    northland = render_record(index, index.get("northland"))
    relations = northland[northland.index('<details class="rel-graph-list"'):northland.index("</details>")]
    assert re.findall(r"^- .*", relations, re.M) == [
        "- **Northland** is party to [Exchange of 50 prisoners](../agreements/prisoner-exchange.md); demands "
        "[Southland withdraws its troops from the border](../demands/troop-withdrawal.md)",
        "- [Anna Berg](../people/berg.md) belongs to **Northland**",
        "- [Southland](southland.md) is party to [Exchange of 50 prisoners](../agreements/prisoner-exchange.md)",
        "- [Southland withdraws its troops from the border](../demands/troop-withdrawal.md) is addressed to "
        "[Southland](southland.md)",
    ]
    # Olsen has no relation: no empty diagram, and no file.
    assert "rel-graph" not in render_record(index, index.get("olsen"))
    # Demands get no diagram of their own.
    assert "rel-graph" not in render_record(index, index.get("troop-withdrawal"))
    assert sorted(p for p in render_site(index) if p.startswith("graphs/")) == [
        "graphs/berg.svg", "graphs/northland.svg", "graphs/southland.svg"]
    # The home page keeps its diagram inline, with its key.
    home = render_home(index)
    assert '<svg class="rel-graph" id="graph-home"' in home
    assert home.count("<svg") == 1 and home.count('<p class="g-legend" data-search-exclude>') == 1


def test_diagram_file_links_from_its_own_folder_and_carries_its_key():
    index = check(FIXTURE).index
    svg = render_site(index)["graphs/northland.svg"]
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg" and root.get("id") == "graph-northland"
    # Relative to graphs/northland.svg: resolved there, they are the pages' final URLs.
    links = {urljoin("https://site.example/graphs/northland.svg", a.get("href")) for a in root.iter(SVG + "a")}
    assert links == {"https://site.example/" + path for path in (
        "organizations/northland/", "organizations/southland/", "people/berg/", "agreements/prisoner-exchange/",
        "demands/troop-withdrawal/")}
    assert [a.get("href") for a in root.iter(SVG + "a") if "g-center" in a.get("class")] == [
        "../organizations/northland/"]
    # The key, as XHTML inside <metadata>: only what this drawing shows.
    key = root.find(f"{SVG}metadata/{XHTML}p")
    assert key.get("class") == "g-legend"
    assert [span.tail for span in key.iter(XHTML + "span") if span.get("class", "").startswith("g-key-")] == [
        "person", "organization", "demand", "outcome", "member of / part of", "demands", "addressed to", "party to"]
    # An arrowhead for each relation drawn, no more.
    assert sorted(m.get("id") for m in root.iter(SVG + "marker")) == [
        "graph-northland-arrow-addressed", "graph-northland-arrow-affiliated", "graph-northland-arrow-demands",
        "graph-northland-arrow-party"]


def test_pages_of_an_edited_record_include_its_diagram_file():
    index = check(FIXTURE).index
    pages = render_pages_of(index, [index.get("berg"), index.get("troop-withdrawal")])
    assert sorted(pages) == ["demands/troop-withdrawal.md", "graphs/berg.svg", "people/berg.md"]
    assert pages["graphs/berg.svg"] == render_site(index)["graphs/berg.svg"]
