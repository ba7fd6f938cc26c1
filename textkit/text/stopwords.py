"""Stopword lists: a default Chinese + English list, plus the user's own files."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from textkit.checks import paths_arg
from textkit.io.resources import read_resource_text

CACHE_NAME = "stopwords-zh-en.txt"


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Chinese and English stopwords from the installed ``stopwordsiso`` package.

    stopwordsiso parses a JSON file of every language (a tenth of a second); the two lists
    used here are cached in the user's cache directory, keyed by that file's size and mtime.
    """
    from textkit.io.cache import read_cached, source_key, write_cached

    source = _stopwordsiso_data()
    key = source_key(source) if source is not None else ""
    if source is not None and (cached := read_cached(CACHE_NAME, key)) is not None:
        return frozenset(cached.split("\n"))
    import stopwordsiso

    words = frozenset(stopwordsiso.stopwords(["zh", "en"]))
    if source is not None:
        write_cached(CACHE_NAME, key, "\n".join(sorted(words)))
    return words


def _stopwordsiso_data() -> Path | None:
    spec = importlib.util.find_spec("stopwordsiso")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(spec.submodule_search_locations[0]) / "stopwords-iso.json"
    return path if path.is_file() else None


def read_stopword_file(path: str | Path, what: str = "stopword") -> set[str]:
    """One word per line; blank lines and lines starting with ``#`` are ignored.

    Also reads other word lists (``augment --protect``); ``what`` names them in errors.
    """
    text = read_resource_text(path, f"{what} file")
    words = (line.strip() for line in text.splitlines())
    return {w for w in words if w and not w.startswith("#")}


def load_stopwords(files: Iterable[str | Path] = (), *, use_default: bool = True) -> frozenset[str]:
    """The default list (unless ``use_default`` is false) plus every word in ``files``."""
    words: set[str] = set(default_stopwords()) if use_default else set()
    for path in paths_arg(files):
        words |= read_stopword_file(path)
    return frozenset(words)
