"""Relationship graph: who leads or belongs to what, who demands what of whom, who is party to
which outcome — laid out and drawn as SVG at build time.

The drawing is plain SVG (no script, no font, no request to another host), so it works
offline, prints, and follows the light/dark palette through CSS classes. The home page carries
its diagram inline; each person's or organization's diagram is a file of its own
(`graphs/<id>.svg`) that reader.js puts into the page, so MkDocs does not parse its hundreds of
elements per page, and the page keeps the relations as a list for readers without script.

The layout is layered like a Sugiyama drawing, because the relations have a natural direction:
people → delegations → states → the demands and outcomes they are party to. Columns come from
the longest path to a demand or outcome; the order inside a column from barycentre sweeps that
reduce crossings.
Everything is pure Python and linear in the number of records for the per-page graphs, which
show a record's neighbourhood only.
"""
from __future__ import annotations

import html
import posixpath
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from .index import Index, Record
from .kinds import KINDS
from .markdown import clip, esc, front_matter, href, link, page_of

GRAPH_KINDS = ("person", "organization", "demand", "agreement")
"""Kinds drawn as nodes."""
RELATIONS = {
    "leads": "leads", "member": "is a member of", "affiliated": "belongs to", "part-of": "is part of",
    "demands": "demands", "addressed": "is addressed to", "opposes": "opposes",
    "party": "is party to", "mediates": "mediates",
}
"""Relation slug -> the verb used in tooltips and in the text alternative."""
BACKWARD = {"addressed"}
"""Relations drawn against the flow (from a demand back to whom it is addressed to)."""
_MEMBERSHIP_RANK = {"leads": 3, "member": 2, "part-of": 2, "affiliated": 1}
"""When one record is linked to an organization twice (leader and member), keep the stronger."""

HOME_LIMIT = 24
"""Most nodes on the home page diagram (the best-connected ones), so it stays readable."""
FULL_LIMIT = 60
"""Most nodes on the bigger diagram of its own page (CONNECTIONS_PAGE), linked from the home page."""
CONNECTIONS_PAGE = "connections/index.md"
"""The page of the bigger diagram of the whole story (an index.md, so the links in its drawing
are the same in MkDocs and Zensical: both resolve them from the page's folder)."""
NEIGHBOUR_LIMIT = 24
"""Most neighbours on a record's own diagram."""

CHAR_W, LINE_CHARS, BOX_H, LINE_H, GAP, COL_GAP, PAD = 6.6, 22, 22, 13, 8, 64, 12
"""Drawing metrics in px: average glyph width at 12px, characters per label line (two lines at
most; the full title is in the tooltip), box height for one line, extra height per line, least
vertical gap between boxes, gap between columns, outer padding."""


@dataclass(frozen=True)
class Edge:
    """One relation between two records, pointing along the flow of the drawing."""

    source: str
    target: str
    relation: str


@dataclass
class Graph:
    """Nodes (records of GRAPH_KINDS) and the relations between them."""

    nodes: dict[str, Record]
    edges: list[Edge]
    touching: dict[str, list[Edge]] = field(default_factory=dict)
    """Edges of each node, in either direction."""


def build_graph(index: Index) -> Graph:
    """Every relation between people, organizations, demands and agreements, once."""
    nodes = {rid: rec for rid, rec in index.records.items() if rec.kind in GRAPH_KINDS}
    membership: dict[tuple[str, str], str] = {}
    others: list[Edge] = []

    def ok(*ids) -> bool:
        return all(isinstance(i, str) and i in nodes for i in ids) and len(set(ids)) == len(ids)

    def member(source, target, relation):
        if ok(source, target) and nodes[target].kind == "organization":
            old = membership.get((source, target))
            if old is None or _MEMBERSHIP_RANK[relation] > _MEMBERSHIP_RANK[old]:
                membership[(source, target)] = relation

    for rec in nodes.values():
        data = rec.data
        if rec.kind == "person":
            for org in data.get("affiliations") or []:
                member(rec.id, org, "affiliated")
        elif rec.kind == "organization":
            member(data.get("leader"), rec.id, "leads")
            for m in data.get("members") or []:
                member(m, rec.id, "member")
            member(rec.id, data.get("parent"), "part-of")
        elif rec.kind == "demand":
            if ok(data.get("party"), rec.id):
                others.append(Edge(data["party"], rec.id, "demands"))
            if ok(rec.id, data.get("target")):
                others.append(Edge(rec.id, data["target"], "addressed"))
            others += [Edge(o, rec.id, "opposes") for o in data.get("opposed_by") or [] if ok(o, rec.id)]
        elif rec.kind == "agreement":
            others += [Edge(p, rec.id, "party") for p in data.get("parties") or [] if ok(p, rec.id)]
            if ok(data.get("mediator"), rec.id):
                others.append(Edge(data["mediator"], rec.id, "mediates"))
    edges = [Edge(s, t, r) for (s, t), r in membership.items()] + others
    edges.sort(key=lambda e: (e.source, e.target, e.relation))
    touching: dict[str, list[Edge]] = defaultdict(list)
    for e in edges:
        touching[e.source].append(e)
        touching[e.target].append(e)
    return Graph(nodes, edges, dict(touching))


def edges_among(graph: Graph, nodes: set[str]) -> list[Edge]:
    """The edges with both ends in `nodes`, in graph order.

    Found through each node's own edges, not by scanning the whole graph, so drawing a
    neighbourhood costs its size, not the story's (pages stay linear at 10,000 records).
    Remembered for the last node set: the layout, key and list of one diagram all ask.
    """
    key = frozenset(nodes)
    last = graph.__dict__.get("_last_edges")
    if last is not None and last[0] == key:
        return last[1]
    found = {e for n in nodes for e in graph.touching.get(n, ()) if e.source in nodes and e.target in nodes}
    edges = sorted(found, key=lambda e: (e.source, e.target, e.relation))
    graph.__dict__["_last_edges"] = (key, edges)
    return edges


def graph_for(index: Index) -> Graph:
    """The index's graph, built once and kept on the index (pages of one build share it)."""
    cached = index.__dict__.get("_relation_graph")
    if cached is None:
        cached = index.__dict__["_relation_graph"] = build_graph(index)
    return cached


GRAPH_DIR = "graphs"
"""Folder (inside site_src and the built site) of the record pages' diagrams, one SVG file each."""


def graph_file(rec: Record) -> str:
    """Path of a record's diagram inside site_src: `graphs/<id>.svg`."""
    return f"{GRAPH_DIR}/{rec.id}.svg"


def _record_nodes(index: Index, rec: Record) -> tuple[Graph, set[str]] | None:
    """The graph and the nodes of a record's own diagram; None when it gets none (a kind
    without diagrams, no relation, or nobody to draw it with)."""
    if rec.kind not in ("person", "organization"):
        return None
    graph = graph_for(index)
    if rec.id not in graph.touching:
        return None
    # Kept on the record: its page and its diagram file both need the neighbourhood.
    nodes = rec.__dict__.get("_graph_nodes")
    if nodes is None:
        nodes = rec.__dict__["_graph_nodes"] = neighbourhood(graph, rec.id)
    return (graph, nodes) if len(nodes) >= 2 else None


def record_graph(index: Index, rec: Record, page: str) -> list[str]:
    """The diagram section of a person or organization page (empty for other kinds or no relations).

    The page carries a placeholder only; the SVG is its own file (record_graph_svg), which
    reader.js fetches and puts into the page. Inline, each diagram was two thirds of its page's
    Markdown, and Python-Markdown's raw-HTML parser and the search plugin's HTML parser both
    went through every element of it: a quarter of `mkdocs build`'s Markdown and search time.
    """
    found = _record_nodes(index, rec)
    if found is None:
        return []
    graph, nodes = found
    return graph_section(index, graph, nodes, page, f"graph-{rec.id}", "## Connections {#connections data-search-exclude}",
                         center=rec.id, external=dir_href(page, graph_file(rec)), lay=_record_layout(rec, graph, nodes))


def _record_layout(rec: Record, graph: Graph, nodes: set[str]) -> Layout:
    """A record diagram's layout, worked out once for its page (the size it reserves) and its file."""
    lay = rec.__dict__.get("_graph_layout")
    if lay is None:
        lay = rec.__dict__["_graph_layout"] = layout(graph, nodes)
    return lay


def record_graph_svg(index: Index, rec: Record) -> str | None:
    """The SVG file of a record's diagram (None when its page has no diagram).

    Links in it are relative to the file itself, so it works opened on its own; reader.js
    resolves them against the file's URL when it moves the drawing into the page.
    """
    found = _record_nodes(index, rec)
    if found is None:
        return None
    graph, nodes = found
    return render_svg(graph, nodes, graph_file(rec), f"graph-{rec.id}", center=rec.id,
                      caption=f"Connections of {rec.title}", key=True, lay=_record_layout(rec, graph, nodes)) + "\n"


HOME_CAPTION = "Who leads or belongs to what, who demands what of whom, who is party to which outcome"
"""What the story's diagrams show (their accessible title)."""


def home_graph(index: Index, page: str = "index.md") -> list[str]:
    """The home page diagram of the whole story: its HOME_LIMIT best-connected records, and a
    link to the bigger diagram when there are more."""
    graph = graph_for(index)
    lines = graph_section(index, graph, home_nodes(graph), page, "graph-home",
                          "## Who stands where {#connections}", caption=HOME_CAPTION)
    connected = len(graph.touching)
    if lines and connected > HOME_LIMIT:
        lines += [f"The {HOME_LIMIT} best-connected of {connected} records. "
                  f"[The bigger diagram, {min(FULL_LIMIT, connected)} records]({href(page, CONNECTIONS_PAGE)})",
                  "{: .graph-more data-search-exclude }", ""]
    return lines


def connections_page(index: Index) -> str | None:
    """The page of the bigger diagram (FULL_LIMIT records), or None when the home page's shows
    every connected record already."""
    graph = graph_for(index)
    if len(graph.touching) <= HOME_LIMIT:
        return None
    page = CONNECTIONS_PAGE
    lines = [front_matter("Who stands where: the bigger diagram"), "# Who stands where {#who-stands-where}", "",
             f"The {min(FULL_LIMIT, len(graph.touching))} best-connected of {len(graph.touching)} records; "
             "each record's page has its own diagram.", ""]
    lines += graph_section(index, graph, home_nodes(graph, FULL_LIMIT), page, "graph-all",
                           "## The diagram {#diagram}", caption=HOME_CAPTION)
    return "\n".join(lines)


def home_nodes(graph: Graph, limit: int = HOME_LIMIT) -> set[str]:
    """The best-connected nodes (at most `limit`), skipping records with no relation at all;
    among equally connected ones, people and organizations (who stand where) come first."""
    actor = {"person": 0, "organization": 0}
    ranked = sorted(graph.touching, key=lambda n: (-len(graph.touching[n]), actor.get(graph.nodes[n].kind, 1), n))
    return set(ranked[:limit])


def neighbourhood(graph: Graph, center: str, limit: int = NEIGHBOUR_LIMIT) -> set[str]:
    """The record, the records it is directly related to (at most `limit`), and their far ends.

    Through a demand or outcome next to the record its other parties and addressee are added,
    and a delegation's state, so the diagram answers "who demands what of whom" (at most
    `limit // 2` records more).
    """
    def others(n: str) -> list[str]:
        found = []
        for e in graph.touching.get(n, []):
            other = e.target if e.source == n else e.source
            if other != n and other not in found:
                found.append(other)
        return sorted(found, key=lambda m: (GRAPH_KINDS.index(graph.nodes[m].kind), graph.nodes[m].title.casefold(), m))

    chosen = {center, *others(center)[:limit]}
    room = limit // 2
    for n in sorted(chosen - {center}):
        far = []
        if graph.nodes[n].kind in ("demand", "agreement"):
            far = others(n)
        elif graph.nodes[n].kind == "organization":
            far = [e.target for e in graph.touching.get(n, []) if e.relation == "part-of" and e.source == n]
        for m in far:
            if room and m not in chosen:
                chosen.add(m)
                room -= 1
    return chosen


@dataclass
class Layout:
    """Where each node sits, and the route of each edge through the columns it crosses."""

    columns: list[list[str]]
    """Node ids per column, top to bottom (ids starting with `~` are bends of long edges)."""
    x: dict[str, float]
    """Left edge of each node's box."""
    y: dict[str, float]
    """Vertical centre of each node (and bend)."""
    width: dict[str, float]
    height: dict[str, float]
    col_x: list[tuple[float, float]]
    """Left and right edge of each column."""
    chains: list[tuple[Edge, list[str]]]
    """Each drawn edge with the nodes and bends it passes, source first."""
    size: tuple[float, float]
    col_of: dict[str, int] = field(default_factory=dict)
    """Column of each node and bend."""


def label_lines(rec: Record) -> list[str]:
    """The title broken into at most two short lines (clipped with an ellipsis)."""
    return _label_lines(rec.title)


@lru_cache(maxsize=1 << 14)
def _label_lines(title: str) -> list[str]:
    """label_lines by title (memoized: a record is drawn in every neighbour's diagram)."""
    words, lines, line = title.split(), [], ""
    for word in words:
        if len(word) > LINE_CHARS:
            word = word[:LINE_CHARS - 1] + "…"
        if line and len(line) + 1 + len(word) > LINE_CHARS:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    if len(lines) > 2:
        lines = [lines[0], clip(lines[1] + " " + " ".join(lines[2:]), LINE_CHARS - 1)]
        if not lines[1].endswith("…"):
            lines[1] += "…"
    return lines


def _columns(graph: Graph, nodes: set[str], edges: list[Edge]) -> list[list[str]]:
    """Assign columns: demands and outcomes rightmost, everything else by longest path to them."""
    flow: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        if e.relation not in BACKWARD:
            flow[e.source].append(e.target)
    depth: dict[str, int] = {}
    on_stack: set[str] = set()

    def visit(n: str) -> int:
        # Recursion depth is the length of a membership chain (person → delegation → state → …).
        if n in depth:
            return depth[n]
        if graph.nodes[n].kind in ("demand", "agreement"):
            depth[n] = 0
            return 0
        on_stack.add(n)
        d = 1
        for t in flow.get(n, ()):
            if t not in on_stack:  # a membership cycle: ignore the edge that closes it
                d = max(d, visit(t) + 1)
        on_stack.discard(n)
        depth[n] = d
        return d

    for n in sorted(nodes):
        visit(n)
    used = sorted(set(depth.values()), reverse=True)
    col_of = {d: i for i, d in enumerate(used)}
    columns: list[list[str]] = [[] for _ in used]
    kind_order = {k: i for i, k in enumerate(GRAPH_KINDS)}
    for n in sorted(nodes, key=lambda n: (kind_order[graph.nodes[n].kind], graph.nodes[n].title.casefold(), n)):
        columns[col_of[depth[n]]].append(n)
    return columns


def _place(order: list[str], want: dict[str, float], half: dict[str, float]) -> dict[str, float]:
    """Centres as close to `want` as the order and the minimum gaps allow (both-ways average)."""
    if len(order) == 1:
        return want
    down, up = [], []
    for i, n in enumerate(order):
        low = down[-1] + half[order[i - 1]] + half[n] + GAP if i else float("-inf")
        down.append(max(want[n], low))
    for i in range(len(order) - 1, -1, -1):
        n = order[i]
        high = up[0] - half[order[i + 1]] - half[n] - GAP if i < len(order) - 1 else float("inf")
        up.insert(0, min(want[n], high))
    return {n: (d + u) / 2 for n, d, u in zip(order, down, up)}


def layout(graph: Graph, nodes: set[str]) -> Layout:
    """Columns, crossing-reducing order and coordinates; long edges get a bend per column crossed."""
    edges = edges_among(graph, nodes)
    columns = _columns(graph, nodes, edges)
    col_of = {n: i for i, col in enumerate(columns) for n in col}
    chains: list[tuple[Edge, list[str]]] = []
    adjacent: dict[str, list[str]] = defaultdict(list)
    for k, e in enumerate(edges):
        a, b = col_of[e.source], col_of[e.target]
        chain = [e.source]
        step = 1 if b > a else -1
        for c in range(a + step, b, step) if a != b else ():
            bend = f"~{k}~{c}"
            columns[c].append(bend)
            col_of[bend] = c
            chain.append(bend)
        chain.append(e.target)
        chains.append((e, chain))
        for u, v in zip(chain, chain[1:]):
            if col_of[u] != col_of[v]:
                adjacent[u].append(v)
                adjacent[v].append(u)

    # Order inside columns: barycentre sweeps, alternately left to right and right to left,
    # until a whole sweep changes nothing.
    pos = {n: i / len(col) for col in columns for i, n in enumerate(col)}
    for sweep in range(8):
        changed = False
        for c in (range(len(columns)) if sweep % 2 == 0 else range(len(columns) - 1, -1, -1)):
            def bary(n):
                near = adjacent[n]
                return (sum(pos[m] for m in near) / len(near) if near else pos[n], pos[n])
            order = sorted(columns[c], key=bary)
            if order != columns[c]:
                changed = True
                columns[c] = order
                pos.update((n, i / len(order)) for i, n in enumerate(order))
        if not changed:
            break

    lines = {n: label_lines(graph.nodes[n]) for n in nodes}
    width = {n: (max(len(s) for s in lines[n]) * CHAR_W + 16 if n in nodes else 0.0) for n in col_of}
    height = {n: (BOX_H + LINE_H * (len(lines[n]) - 1) if n in nodes else 0.0) for n in col_of}
    half = {n: (height[n] / 2 if n in nodes else 1.0) for n in col_of}

    # Vertical centres: stack, then pull each node towards its neighbours a few times.
    y: dict[str, float] = {}
    for col in columns:
        top = 0.0
        for n in col:
            y[n] = top + half[n]
            top += 2 * half[n] + GAP
    for sweep in range(6):
        moved = 0.0
        for c in (range(len(columns)) if sweep % 2 == 0 else range(len(columns) - 1, -1, -1)):
            want = {n: (sum(y[m] for m in adjacent[n]) / len(adjacent[n]) if adjacent[n] else y[n]) for n in columns[c]}
            placed = _place(columns[c], want, half)
            moved = max([moved] + [abs(placed[n] - y[n]) for n in placed])
            y.update(placed)
        if moved < 0.5:  # settled
            break
    top = min((y[n] - half[n] for n in y), default=0.0)
    y = {n: v - top + PAD for n, v in y.items()}

    x: dict[str, float] = {}
    col_x: list[tuple[float, float]] = []
    left = PAD
    for col in columns:
        w = max((width[n] for n in col), default=0.0)
        for n in col:
            x[n] = left + (w - width[n]) / 2
        col_x.append((left, left + w))
        left += w + COL_GAP
    bottom = max((y[n] + half[n] for n in y), default=0.0)
    return Layout(columns, x, y, width, height, col_x, chains, (left - COL_GAP + PAD, bottom + PAD), col_of)


def dir_href(from_page: str, to_page: str) -> str:
    """Relative URL from one page (or file) to a page or file as MkDocs serves them
    (`use_directory_urls`).

    Links inside raw HTML are not rewritten by MkDocs, so the SVG needs final URLs:
    `people/zelensky.md` is served at `people/zelensky/`, `index.md` at the site root, and any
    other file (`graphs/zelensky.svg`) as it is; a link from a file starts from its folder.
    (Zensical, unlike MkDocs, rewrites raw HTML links of a page as if relative to its Markdown
    file: only links from the site root, and from files it copies, are the same in both.)
    """
    def url(page: str, base: bool) -> str:
        if not page.endswith(".md"):  # a copied file: links start from its folder
            return (posixpath.dirname(page) + "/").lstrip("/") if base else page
        stem = page[:-3]
        if stem == "index" or stem.endswith("/index"):
            stem = stem[:-5]
        return stem.strip("/") + "/" if stem.strip("/") else ""
    here, there = url(from_page, True), url(to_page, False)
    # Up to the site root, then down: always valid, and cheaper than posixpath.relpath.
    return "./" if here == there else "../" * here.count("/") + there


def _attr(text: str) -> str:
    return html.escape(str(text), quote=True)


def _route(lay: Layout, chain: list[str]) -> str:
    """SVG path data of an edge: curves between columns, straight runs through crossed columns."""
    col_of = lay.col_of
    first, last = chain[0], chain[-1]
    if len(chain) == 2 and col_of[first] == col_of[last]:
        # Same column (a membership cycle broken by the layering): a loop on the right.
        x1, x2 = lay.x[first] + lay.width[first], lay.x[last] + lay.width[last]
        out = max(x1, x2) + 36
        return (f"M{x1:.1f},{lay.y[first]:.1f} C{out:.1f},{lay.y[first]:.1f} "
                f"{out:.1f},{lay.y[last]:.1f} {x2:.1f},{lay.y[last]:.1f}")
    right = col_of[last] > col_of[first]

    def ends(n: str) -> tuple[float, float]:
        """Where the edge enters and leaves this node or bend, in drawing direction."""
        if n.startswith("~"):
            lo, hi = lay.col_x[col_of[n]]
            return (lo, hi) if right else (hi, lo)
        lo, hi = lay.x[n], lay.x[n] + lay.width[n]
        return (lo, hi) if right else (hi, lo)

    x0 = ends(first)[1]
    parts = [f"M{x0:.1f},{lay.y[first]:.1f}"]
    prev_x, prev_y = x0, lay.y[first]
    for n in chain[1:]:
        enter, leave = ends(n)
        bend = (enter - prev_x) / 2
        parts.append(f"C{prev_x + bend:.1f},{prev_y:.1f} {enter - bend:.1f},{lay.y[n]:.1f} {enter:.1f},{lay.y[n]:.1f}")
        if n.startswith("~"):
            parts.append(f"L{leave:.1f},{lay.y[n]:.1f}")
        prev_x, prev_y = leave, lay.y[n]
    return " ".join(parts)


def render_svg(graph: Graph, nodes: set[str], from_page: str, graph_id: str, center: str | None = None,
               caption: str = "", key: bool = False, lay: Layout | None = None) -> str:
    """The diagram as one SVG element, every text escaped, nodes linking to their pages
    (`key`: with its legend as XHTML in <metadata>, for a diagram in a file of its own;
    `lay`: its layout, when already worked out)."""
    lay = lay or layout(graph, nodes)
    w, h = lay.size
    gid = _attr(graph_id)
    out = [f'<svg class="rel-graph" id="{gid}" xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
           f'viewBox="0 0 {w:.0f} {h:.0f}" role="group" aria-labelledby="{gid}-title">',
           f'<title id="{gid}-title">{_attr(caption or "Relationship diagram")}</title>']
    if key:
        out.append(f"<metadata>{legend(graph, nodes, xhtml=True)}</metadata>")
    out.append("<defs>")
    drawn = {e.relation for e, _ in lay.chains}
    for rel in (r for r in RELATIONS if r in drawn):  # an arrowhead per relation drawn
        out.append(f'<marker id="{gid}-arrow-{rel}" class="g-arrow g-{rel}" viewBox="0 0 10 10" refX="9" refY="5" '
                   'markerUnits="userSpaceOnUse" markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
                   '<path d="M0,0 L10,5 L0,10 z"/></marker>')
    out.append("</defs>")
    for e, chain in lay.chains:
        verb = f"{graph.nodes[e.source].title} {RELATIONS[e.relation]} {graph.nodes[e.target].title}"
        out.append(f'<path class="g-edge g-{e.relation}" d="{_route(lay, chain)}" '
                   f'marker-end="url(#{gid}-arrow-{e.relation})"><title>{_attr(verb)}</title></path>')
    for col in lay.columns:
        for n in col:
            if n.startswith("~"):
                continue
            rec = graph.nodes[n]
            cls = f"g-node g-{rec.kind}" + (" g-center" if n == center else "")
            status = rec.data.get("status")
            if isinstance(status, str):
                cls += " g-status-" + "".join(ch for ch in status if ch.isalnum() or ch == "-")
            x, bw, bh = lay.x[n], lay.width[n], lay.height[n]
            top = lay.y[n] - bh / 2
            tip = f"{rec.title} ({KINDS[rec.kind].name}{', ' + status if isinstance(status, str) else ''})"
            radius = bh / 2 if rec.kind == "person" else 4
            box = f'x="{x:.1f}" y="{top:.1f}" width="{bw:.1f}" height="{bh:.1f}" rx="{radius:.1f}"'
            texts = label_lines(rec)
            first = lay.y[n] + 4 - LINE_H * (len(texts) - 1) / 2
            cx = f"{x + bw / 2:.1f}"
            # Always two tspans (the second may be empty): the markup does not depend on the text.
            spans = "".join(f'<tspan x="{cx}" y="{first + i * LINE_H:.1f}">{_attr(t)}</tspan>'
                            for i, t in enumerate((texts + [""])[:2]))
            label = f'<text text-anchor="middle">{spans}</text>'
            out.append(f'<a class="{cls}" href="{_attr(dir_href(from_page, page_of(rec)))}">'
                       f'<title>{_attr(tip)}</title><rect class="g-bg" {box}/><rect class="g-box" {box}/>{label}</a>')
    out.append("</svg>")
    return "\n".join(out)


def legend(graph: Graph, nodes: set[str], xhtml: bool = False) -> str:
    """A small HTML key to the node colours and line styles that appear in this diagram.

    `xhtml`: in the XHTML namespace, to ride inside an SVG file's <metadata> (reader.js moves
    it into the page beside the drawing).
    """
    kinds = {graph.nodes[n].kind for n in nodes}
    relations = {e.relation for e in edges_among(graph, nodes)}
    items = [("g-leads", "leads", {"leads"}), ("g-member", "member of / part of", {"member", "affiliated", "part-of"}),
             ("g-demands", "demands", {"demands"}), ("g-addressed", "addressed to", {"addressed"}),
             ("g-opposes", "opposes", {"opposes"}), ("g-party", "party to", {"party"}),
             ("g-mediates", "mediates", {"mediates"})]
    labels = {"person": "person", "organization": "organization", "demand": "demand", "agreement": "outcome"}
    boxes = "".join(f'<span class="g-key"><span class="g-key-box g-{k}"></span>{label}</span>'
                    for k, label in labels.items() if k in kinds)
    lines = "".join(f'<span class="g-key"><span class="g-key-line {cls}"></span>{label}</span>'
                    for cls, label, rels in items if rels & relations)
    where = ' xmlns="http://www.w3.org/1999/xhtml"' if xhtml else " data-search-exclude"
    return f'<p class="g-legend"{where}>{boxes}{lines}</p>'


def as_list(graph: Graph, nodes: set[str], page: str, center: str | None = None) -> list[str]:
    """The drawn relations as a Markdown list with ordinary links (the text alternative of the
    drawing, and what readers without JavaScript get; checked by MkDocs).

    One item per record arrows start from: `center` (the page's own record) first and in bold,
    not as a link to the page itself. Fewer links than one item per arrow: each costs
    `mkdocs build` ~100 µs, and this list was a third of a person's or organization's.
    """
    starts: dict[str, list[Edge]] = {}
    for e in edges_among(graph, nodes):
        starts.setdefault(e.source, []).append(e)

    def name(n: str) -> str:
        return f"**{esc(clip(graph.nodes[n].title, 90))}**" if n == center else link(page, graph.nodes[n])

    return [f"- {name(source)} " + "; ".join(f"{esc(RELATIONS[e.relation])} {name(e.target)}" for e in edges)
            for source, edges in sorted(starts.items(), key=lambda item: item[0] != center)]


def graph_section(index: Index, graph: Graph, nodes: set[str], page: str, graph_id: str,
                  heading: str, center: str | None = None, caption: str = "", external: str = "",
                  lay: Layout | None = None) -> list[str]:
    """Markdown lines of a diagram section: heading, SVG, key and the relations as a list.

    With `external` (the URL of the diagram's SVG file, relative to the page) the page gets a
    placeholder of the drawing's size (an empty SVG, so the page does not move when it comes)
    that reader.js fills with the drawing (record_graph_svg); readers without JavaScript, and
    printouts without it, have the list.
    """
    if len(nodes) < 2:
        return []
    if external:
        w, h = (lay or layout(graph, nodes)).size
        placeholder = (f'<svg class="rel-graph rel-graph-placeholder" width="{w:.0f}" height="{h:.0f}" '
                       f'viewBox="0 0 {w:.0f} {h:.0f}" aria-hidden="true" focusable="false"></svg>')
        lines = [heading, "", f'<div class="rel-graph-wrap" data-graph="{_attr(external)}" data-search-exclude>'
                 f'{placeholder}</div>', "", legend(graph, nodes), ""]
    else:
        svg = render_svg(graph, nodes, page, graph_id, center, caption)
        lines = [heading, "", f'<div class="rel-graph-wrap" data-search-exclude>\n{svg}\n</div>', "",
                 legend(graph, nodes), ""]
    relations = as_list(graph, nodes, page, center)
    if relations:
        lines += ['<details class="rel-graph-list" markdown="1" data-search-exclude>',
                  "<summary>The same relations as a list</summary>", ""] + relations + ["", "</details>", ""]
    return lines
