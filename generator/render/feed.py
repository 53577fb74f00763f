"""The Atom 1.0 feed of changes (`feed.xml`): the same changes as the What's new page.

Written with feedgen. Every date is a commit's, never the build's, and an entry's id is a
`tag:` URI made of the commit, the record's kind and its id at the time: a rebuild, or a
later rename of the record, never makes a feed reader show a change twice.
"""
from __future__ import annotations

import html
from datetime import datetime
from urllib.parse import urlsplit

from feedgen.feed import FeedGenerator

from ..addresses import Addresses
from ..history import History
from ..index import Index, Record
from ..kinds import KINDS
from ..markdown import page_of
from ..siteconfig import SiteConfig
from ..validate import slugify
from .changes import WHATS_NEW, change_target, describe, why

FEED = "feed.xml"
"""Where the feed goes in site_src (and the built site)."""
FEED_LIMIT = 50
"""Most entries in the feed (the newest changes)."""
NO_DATE = "1970-01-01T00:00:00+00:00"
"""The feed's `updated` when there is no history: fixed, so builds stay identical."""


def _authority(site: SiteConfig) -> str:
    """The `tag:` URI authority: the site's host, or a reserved name when it has no address."""
    host = urlsplit(site.url).hostname if site.url else None
    return host or "briefing.invalid"


def _url(site: SiteConfig, target) -> str:
    """The address of a record's page or a removal notice, absolute with site_url."""
    if isinstance(target, Record):
        path, anchor = page_of(target), ("" if KINDS[target.kind].has_pages else f"#{target.id}")
    else:
        path, anchor = target or WHATS_NEW, ""
    return site.absolute(site.page_url(path)) + anchor


def render_feed(index: Index, history: History | None, addresses: Addresses, site: SiteConfig) -> str:
    """The feed: one entry per change to one record, newest first, at most FEED_LIMIT."""
    changes = history.changes[::-1][:FEED_LIMIT] if history is not None else []
    authority = _authority(site)
    first = history.changes[0].commit if history is not None and history.changes else None
    fg = FeedGenerator()
    fg.id(f"tag:{authority},{first.day}:{first.sha}/feed" if first else
          f"tag:{authority},2025:{slugify(site.name) or 'briefing'}/feed")
    fg.title(f"{site.name}: what's new")
    if site.description:
        fg.subtitle(site.description)
    fg.author({"name": site.name})
    fg.link(href=site.absolute(FEED), rel="self", type="application/atom+xml")
    fg.link(href=site.absolute(site.page_url(WHATS_NEW)), rel="alternate", type="text/html")
    fg.language(site.language)
    fg.updated(datetime.fromisoformat(changes[0].commit.date if changes else NO_DATE))
    target = change_target(index, history, addresses) if changes else None
    for change in changes:
        entry = fg.add_entry(order="append")
        entry.id(f"tag:{authority},{change.commit.day}:{change.key}")
        entry.title(f"{change.action.capitalize()}: {change.title}")
        entry.link(href=_url(site, target(change)), rel="alternate", type="text/html")
        stamp = datetime.fromisoformat(change.commit.date)
        entry.updated(stamp)
        entry.published(stamp)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in describe(index, change, history.titles))
        reason = f"<p>Why: {html.escape(why(change.commit))}</p>" if why(change.commit) else ""
        entry.content(f"<p>{html.escape(KINDS[change.kind].name.capitalize())}</p><ul>{items}</ul>{reason}",
                      type="html")
    return fg.atom_str(pretty=True).decode("utf-8")

