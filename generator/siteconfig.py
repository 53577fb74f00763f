"""What the generator reads of `mkdocs.yml`: the site's name, address and URL style.

Only for what MkDocs cannot fill in itself: the Atom feed's title and absolute links, and
where redirect pages go. Tags such as `!ENV` or `!!python/name:` are read as empty values.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

CONFIG_FILE = "mkdocs.yml"
"""The site configuration file, at the project root."""


@dataclass(frozen=True)
class SiteConfig:
    """The settings of mkdocs.yml the generator uses."""

    name: str = "Briefing"
    """`site_name`: the feed's title."""
    url: str | None = None
    """`site_url` with a trailing slash, or None: feed links and canonical links are then relative."""
    description: str | None = None
    """`site_description`: the feed's subtitle."""
    directory_urls: bool = True
    """`use_directory_urls`: pages live at `people/x/` (True) or `people/x.html`."""

    def page_url(self, md_path: str) -> str:
        """The URL (relative to the site root) of the page built from `md_path` in site_src."""
        stem = md_path[:-3] if md_path.endswith(".md") else md_path
        if stem == "index" or stem.endswith("/index"):
            return stem[:-5]
        return f"{stem}/" if self.directory_urls else f"{stem}.html"

    def absolute(self, url: str) -> str:
        """A site-relative URL made absolute with site_url (unchanged without one)."""
        return (self.url or "") + url


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml; tags other than YAML's own become empty values."""


_Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_site_config(root: Path) -> SiteConfig:
    """The settings of `root/mkdocs.yml` (defaults when it is missing or unreadable: MkDocs
    itself reports a broken configuration)."""
    try:
        data = yaml.load((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        data = None
    if not isinstance(data, dict):
        return SiteConfig()
    url = data.get("site_url")
    url = url.rstrip("/") + "/" if isinstance(url, str) and url.strip() else None
    name = data.get("site_name")
    desc = data.get("site_description")
    return SiteConfig(name if isinstance(name, str) and name.strip() else "Briefing", url,
                      desc if isinstance(desc, str) else None, data.get("use_directory_urls", True) is not False)
