"""Stopword lists: a default Chinese + English list, plus the user's own files."""

from __future__ import annotations

import contextlib
import importlib.util
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from textkit.resources import read_resource_text


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Chinese and English stopwords from the installed ``stopwordsiso`` package.

    stopwordsiso parses a JSON file of every language (a tenth of a second); the two lists
    used here are cached in the user's cache directory, keyed by that file's size and mtime.
    """
    source = _stopwordsiso_data()
    key = f"{source}|{source.stat().st_size}|{source.stat().st_mtime_ns}" if source else ""
    cache = None
    if source is not None:
        from textkit.cache import cache_dir

        cache = cache_dir() / "stopwords-zh-en.txt"
        with contextlib.suppress(OSError, UnicodeDecodeError):
            stored_key, _, words = cache.read_text(encoding="utf-8").partition("\n")
            if stored_key == key and words:
                return frozenset(words.split("\n"))
    import stopwordsiso

    words = frozenset(stopwordsiso.stopwords(["zh", "en"]))
    if cache is not None:
        from textkit.errors import OutputError
        from textkit.outputs import atomic_write

        with contextlib.suppress(OSError, OutputError), atomic_write(cache) as handle:
            handle.write(key + "\n" + "\n".join(sorted(words)))
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
    for path in files:
        words |= read_stopword_file(path)
    return frozenset(words)
