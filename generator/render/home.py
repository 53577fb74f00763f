"""The home page and the one-page brief: the story at a glance."""
from __future__ import annotations

from collections import defaultdict

from ..export import DATA_DIR, DATASET
from ..graph import home_graph
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import clip, date_key, esc, front_matter, href, link, ref_link, table
from ..disputes import distinct_values
from ..history import History
from ..siteconfig import SiteConfig
from ..markdown import long_date
from .changes import WHATS_NEW
from .blocks import OPEN_DEMAND, count_label, differ_link, has_happened, shown_value

BRIEF_LIMITS = {"events": 7, "outcomes": 6, "parties": 8, "per_party": 3, "people": 14, "next": 5}
"""Most entries per section of the one-page brief, so it stays one page however big the story."""


def _more(page: str, shown: int, total: int, target: str, where: str) -> list[str]:
    """A "… and N more in <where>" line linking to the full list, when a section was cut."""
    return [f"- *… and {total - shown} more in* [{where}]({href(page, target)})"] if total > shown else []


def brief_sections(index: Index, page: str) -> list[str]:
    """The story at a glance — what happened, outcomes, open demands, who's who, what comes next.

    Each section is capped (BRIEF_LIMITS) so the block fits one screen or one A4 page however
    big the story grows; each is wrapped so the home page can lay the sections out in columns.
    """
    cap = BRIEF_LIMITS
    events = sorted(index.by_kind.get("event", []), key=lambda r: date_key(r.data.get("date")))
    happened = [e for e in events if has_happened(e) and date_key(e.data.get("date"))]
    upcoming = [e for e in events if not has_happened(e)]
    outcomes = [a for a in index.by_kind.get("agreement", []) if a.data.get("type") != "earlier-agreement"]
    demands = [d for d in index.by_kind.get("demand", []) if d.data.get("status") in OPEN_DEMAND]
    sections: list[list[str]] = []
    if happened:
        lines = ["## What happened {#what-happened}", ""]
        for e in happened[-cap["events"]:][::-1]:
            lines.append(f"- **{shown_value(page, index, e, 'date', words=False)}** {link(page, e)}")
        sections.append(lines + _more(page, cap["events"], len(happened), "timeline.md", "the timeline"))
    if outcomes:
        lines = ["## Outcomes {#outcomes}", ""]
        lines += [f"- {shown_value(page, index, a, 'status')} {link(page, a)}" for a in outcomes[:cap["outcomes"]]]
        sections.append(lines + _more(page, cap["outcomes"], len(outcomes), "agreements/index.md", "Agreements"))
    pending = [a for a in outcomes if a.data.get("status") == "pending"]
    coming = upcoming + pending
    if coming:
        lines = ["## What comes next {#what-comes-next}", ""]
        lines += [f"- {shown_value(page, index, r, 'status')} {link(page, r)}" for r in coming[:cap["next"]]]
        sections.append(lines + _more(page, cap["next"], len(coming), "timeline.md", "the timeline"))
    if demands:
        lines = ["## Open demands by party {#open-demands}", ""]
        by_party: dict[str, list[Record]] = defaultdict(list)
        for d in demands:
            by_party[d.data["party"]].append(d)
        parties = sorted(by_party, key=lambda p: (-len(by_party[p]), index.get(p).title if index.get(p) else p))
        for party in parties[:cap["parties"]]:
            items = "; ".join(f"{link(page, d)} {shown_value(page, index, d, 'status')}" for d in by_party[party][:cap["per_party"]])
            rest = len(by_party[party]) - cap["per_party"]
            lines.append(f"- **{ref_link(page, index, party)}:** {items}" + (f"; *{rest} more*" if rest > 0 else ""))
        sections.append(lines + _more(page, cap["parties"], len(parties), "demands/index.md", "Demands"))
    people = index.by_kind.get("person", [])
    if people:
        lines = ["## Who's who {#whos-who}", ""]
        lines += [f"- {link(page, p)}" + (f" — {esc(clip(p.data['role'], 60))}" if p.data.get("role") else "")
                  + (f" {differ_link(page, p)}" if len(distinct_values(p.data, "role")) > 1 else "")
                  for p in people[:cap["people"]]]
        sections.append(lines + _more(page, cap["people"], len(people), "people/index.md", "People"))
    out: list[str] = []
    for lines in sections:
        out += ['<div class="brief-section" markdown="1">', ""] + lines + ["", "</div>", ""]
    return out


def render_brief(index: Index) -> str:
    """A one-page printable brief: the home page's summary sections, laid out for A4."""
    page = "brief.md"
    lines = [front_matter("One-page brief"), "# One-page brief {#brief}", "",
             '<div class="brief" markdown="1">', "",
             f'<p class="brief-note" data-search-exclude>Made for printing on one A4 page '
             f'(<kbd>Ctrl</kbd>+<kbd>P</kbd>). {len(index.records)} sourced records; every line links '
             'to its record and sources.</p>', ""]
    return "\n".join(lines + brief_sections(index, page) + ["</div>", ""])


def freshness(index: Index, history: History | None, page: str) -> list[str]:
    """When the briefing was last updated (the latest meaningful commit), how many sources it
    draws on, and a link to what changed."""
    sources = index.by_kind.get("source", [])
    parts = []
    if history is not None and history.updated is not None:
        parts.append(f"Updated {long_date(history.updated.day)}")
    parts.append(f"drawing on [{count_label(len(sources), 'source')}]({href(page, 'sources/index.md')})")
    parts.append(f"[what's new]({href(page, WHATS_NEW)})")
    line = " · ".join(parts)
    return [line[0].upper() + line[1:], "{: .freshness data-search-exclude }", ""]


def render_home(index: Index, history: History | None = None, site: SiteConfig | None = None) -> str:
    """The home page: the story in one screen, then the relationship graph and the data.

    Nothing on it is about one story: its heading is the site's name (mkdocs.yml), its lead the
    summary of the latest event (content)."""
    site = site or SiteConfig()
    page = "index.md"
    counts = " · ".join(f"[{count_label(len(index.by_kind.get(k, [])), k)}]({KINDS[k].plural}/index.md)"
                        for k in KINDS)
    # Navigation and table of contents are hidden so the summary sections get the full width.
    lines = ["---", "hide:", "  - navigation", "  - toc", "---", "", f"# {esc(site.name)} {{#briefing}}", ""]
    latest = [e for e in index.by_kind.get("event", [])
              if has_happened(e) and e.data.get("summary") and e.data.get("date")]
    if latest:  # the lead: the most recent event, in full
        lead = max(latest, key=lambda e: (date_key(e.data["date"]), len(index.backlinks.get(e.id, ()))))
        differ = any(len(distinct_values(lead.data, f)) > 1 for f in ("summary", "date", "status"))
        marker = f" {differ_link(page, lead)}" if differ else ""
        lines += [f"{esc(lead.data['summary'])} {link(page, lead, 'More…')}{marker}", "{: .lead }", ""]
    lines += freshness(index, history, page)
    lines += [counts, "", '<div class="home-brief" markdown="1">', ""]
    lines += brief_sections(index, page) + ["</div>", ""]
    lines += home_graph(index, page)
    lines += downloads(page)
    return "\n".join(lines)


def downloads(page: str) -> list[str]:
    """The "Download the data" section: the whole dataset, and each kind as JSON and CSV."""
    lines = ["## Download the data {#download}", "",
             f"Every record with its sources, as published here: [everything as one JSON file]({href(page, DATASET)}).",
             ""]
    rows = [[esc(k.label), f"[JSON]({href(page, f'{DATA_DIR}/{k.plural}.json')})",
             f"[CSV]({href(page, f'{DATA_DIR}/{k.plural}.csv')})"] for k in KINDS.values()]
    return lines + table(["Records", "JSON", "CSV"], rows) + [""]
