"""Stopword lists: a default Chinese + English list, plus the user's own files."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from textkit.errors import ResourceError


@lru_cache(maxsize=1)
def default_stopwords() -> frozenset[str]:
    """Chinese and English stopwords from the installed ``stopwordsiso`` package."""
    import stopwordsiso  # imported lazily: it parses a JSON file of every language

    return frozenset(stopwordsiso.stopwords(["zh", "en"]))


def read_stopword_file(path: str | Path) -> set[str]:
    """One stopword per line; blank lines and lines starting with ``#`` are ignored."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResourceError(f"{path}: stopword file not found") from None
    except UnicodeDecodeError:
        raise ResourceError(f"{path}: stopword file is not UTF-8") from None
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read stopword file: {exc.strerror}") from None
    words = (line.strip() for line in text.splitlines())
    return {w for w in words if w and not w.startswith("#")}


def load_stopwords(files: Iterable[str | Path] = (), *, use_default: bool = True) -> frozenset[str]:
    """The default list (unless ``use_default`` is false) plus every word in ``files``."""
    words: set[str] = set(default_stopwords()) if use_default else set()
    for path in files:
        words |= read_stopword_file(path)
    return frozenset(words)
