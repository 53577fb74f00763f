"""Publish stage: MkDocs' list of files kept from one dirty build to the next.

Every MkDocs build starts by walking `site_src/` and making a `File` for each of its files (and for
each of the theme's), which took 0.2-0.25 s at 10,000 records, though an edit rarely adds or
removes a file. `remember_files` makes a dirty build's `get_files` and `add_files_from_theme`
give what the last dirty build's gave, unpickled, when nothing they depend on changed:

- the paths under `site_src/` (listed, not made into Files: ~10 ms);
- the configuration: `docs_dir`, `site_dir`, `use_directory_urls`, and the site's fingerprint
  (`publish.site_fingerprint`: mkdocs.yml, overrides/, the versions of MkDocs, Material and the
  rest), which also covers the theme's folders.

Otherwise MkDocs makes them, and what it made is saved (before any plugin sees it) for the next
build. The Files are the same either way: `File` objects keep no state beyond their attributes.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from collections.abc import Callable
from pathlib import Path

from .cache import CACHE_DIR
from .parallel import load_pickle
from .write import write_cache

FILES_CACHE = "briefing-mkdocs-files.pickle"
"""In .cache/: (key, the documentation folder's Files, the theme's) of the last dirty build."""
_VERSION = 1
"""Changed when what is saved changes."""


def _key(config, fingerprint: str) -> str:
    """What the Files of `get_files` and `add_files_from_theme` depend on (see the docstring)."""
    docs_dir = config["docs_dir"]
    h = hashlib.blake2b(f"{_VERSION}\0{fingerprint}\0{docs_dir}\0{config['site_dir']}\0"
                        f"{config['use_directory_urls']}\0".encode("utf-8", "surrogatepass"), digest_size=16)
    paths = []
    for dirpath, _, filenames in os.walk(docs_dir, followlinks=True):  # (as get_files walks it)
        rel = os.path.relpath(dirpath, docs_dir)
        paths += [f"{rel}/{name}" for name in filenames]
    paths.sort()
    h.update("\0".join(paths).encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def remember_files(root: Path, config, fingerprint: str, build_module) -> Callable[[], None]:
    """Wrap `build_module.get_files` (MkDocs' build module's) so that this build's Files come
    from the last dirty build's when they would be the same; returns what puts it back."""
    from mkdocs.structure.files import Files

    path = root / CACHE_DIR / FILES_CACHE
    original = build_module.get_files
    key = _key(config, fingerprint)

    def get_files(cfg):
        try:
            with open(path, "rb") as f:
                saved_key, docs, theme = load_pickle(f)
        except (OSError, ValueError, EOFError, pickle.UnpicklingError, AttributeError, TypeError):
            saved_key = None
        if saved_key == key:
            files = Files(docs)

            def add_saved_theme(env, config):
                for file in theme:
                    files.append(file)

            files.add_files_from_theme = add_saved_theme
            return files
        files = original(cfg)
        docs, add_theme = list(files), files.add_files_from_theme

        def add_files_from_theme(env, config):
            add_theme(env, config)
            for file in docs:
                file.url  # (a cached property, worked out once here and saved: every page's is asked)
            try:  # (before any plugin sees them)
                write_cache(path, pickle.dumps((key, docs, list(files)[len(docs):]), pickle.HIGHEST_PROTOCOL))
            except OSError:
                pass  # (the next build makes them again)

        files.add_files_from_theme = add_files_from_theme
        return files

    build_module.get_files = get_files

    def restore() -> None:
        build_module.get_files = original
    return restore
