"""What the generator reads of `mkdocs.yml`: the site's name, address and URL style.

Only for what MkDocs cannot fill in itself: the home page's heading, the Atom feed's title,
language and absolute links, and where redirect pages go. Tags such as `!ENV` or `!!python/name:` are read as empty values.
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
    """`site_name`: the home page's heading and the feed's title."""
    url: str | None = None
    """`site_url` with a trailing slash, or None: feed links and canonical links are then relative."""
    description: str | None = None
    """`site_description`: the feed's subtitle."""
    directory_urls: bool = True
    """`use_directory_urls`: pages live at `people/x/` (True) or `people/x.html`."""
    language: str = "en"
    """`theme.language`: the language the site's own text is in (the feed's and redirect pages'
    `lang`)."""
    search_lang: tuple[str, ...] = ()
    """The search plugin's `lang` list, when mkdocs.yml sets one (else the theme's language)."""
    search_lang_at: tuple[int, int] = (1, 1)
    """(line, column) of that `lang` setting in mkdocs.yml, for problems about it."""

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
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    language = theme.get("language")
    search_lang, search_lang_at = _search_lang(root)
    return SiteConfig(name if isinstance(name, str) and name.strip() else "Briefing", url,
                      desc if isinstance(desc, str) else None, data.get("use_directory_urls", True) is not False,
                      language if isinstance(language, str) and language.strip() else "en",
                      search_lang, search_lang_at)


def _search_lang(root: Path) -> tuple[tuple[str, ...], tuple[int, int]]:
    """`plugins: - search: lang:` of mkdocs.yml (a language or a list) and where it is written."""
    try:
        node = yaml.compose((root / CONFIG_FILE).read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return (), (1, 1)

    def get(mapping, key):
        if isinstance(mapping, yaml.MappingNode):
            for k, v in mapping.value:
                if isinstance(k, yaml.ScalarNode) and k.value == key:
                    return v
        return None

    plugins = get(node, "plugins")
    items = plugins.value if isinstance(plugins, yaml.SequenceNode) else []
    for item in items:
        lang = get(get(item, "search"), "lang")
        if lang is None:
            continue
        values = lang.value if isinstance(lang, yaml.SequenceNode) else [lang]
        langs = tuple(v.value for v in values if isinstance(v, yaml.ScalarNode) and isinstance(v.value, str))
        return langs, (lang.start_mark.line + 1, lang.start_mark.column + 1)
    return (), (1, 1)
