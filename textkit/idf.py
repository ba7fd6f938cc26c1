"""IDF tables in jieba's ``word idf`` format: read, cache, build from a corpus, write.

jieba's own table (``jieba/analyse/idf.txt``, 6 MB) takes over half a second to parse, so
the parsed default table is cached in the user's private cache directory, keyed by the
source file's path, size and mtime. A cache that cannot be read is rebuilt, never fatal.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import importlib.util
import marshal
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from textkit.errors import DataFormatError, ResourceError

_CACHE_VERSION = 1
# Tokens that never get an IDF of their own: punctuation, symbols, digits, whitespace.
NON_WORD = re.compile(r"^[\W\d_]+$")


@dataclass(frozen=True)
class IdfTable:
    """Word -> IDF, plus the IDF given to words the table does not list.

    ``unknown`` is the median of the table, exactly as jieba.analyse computes it
    (``sorted(values)[len // 2]``), so a new word counts as moderately rare.
    """

    weights: dict[str, float]
    unknown: float

    @classmethod
    def from_weights(cls, weights: dict[str, float]) -> IdfTable:
        values = sorted(weights.values())
        return cls(weights, values[len(values) // 2] if values else 0.0)


def default_idf_path() -> Path:
    """jieba's bundled ``analyse/idf.txt``, found without importing jieba."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise ResourceError("jieba is not installed", hint="pip install jieba")
    return Path(spec.submodule_search_locations[0]) / "analyse" / "idf.txt"


def read_idf(path: str | Path) -> IdfTable:
    """Parse a ``word idf`` file (UTF-8, one pair per line; blank lines are skipped)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResourceError(f"{path}: IDF file not found") from None
    except UnicodeDecodeError:
        raise DataFormatError(f"{path}: IDF file is not UTF-8") from None
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read IDF file: {exc.strerror}") from None
    weights: dict[str, float] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            value = float(parts[1])
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            raise DataFormatError(
                f"{path}:{lineno}: expected 'word idf', got {line.strip()[:60]!r}"
            ) from None
        weights[parts[0]] = value
    if not weights:
        raise DataFormatError(f"{path}: IDF file has no entries")
    return IdfTable.from_weights(weights)


def _cache_file(source: Path) -> Path:
    from textkit.cache import cache_dir

    digest = hashlib.sha1(str(source).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"idf-{digest}.marshal"


def _read_cached(cache: Path, key: tuple[object, ...]) -> IdfTable | None:
    # Keys as one string and values as raw doubles load about 5x faster than a marshalled dict.
    try:
        with open(cache, "rb") as handle:
            stored_key, words, blob, unknown = marshal.load(handle)
        if tuple(stored_key) != key:
            return None
        values = array.array("d")
        values.frombytes(blob)
        keys = words.split("\n")
        if len(keys) != len(values):
            return None
        return IdfTable(dict(zip(keys, values, strict=True)), unknown)
    except (OSError, EOFError, ValueError, TypeError):
        return None  # missing, stale or corrupted: rebuild


def _write_cached(cache: Path, key: tuple[object, ...], table: IdfTable) -> None:
    from textkit.errors import OutputError
    from textkit.outputs import atomic_write

    words = "\n".join(table.weights)
    blob = array.array("d", table.weights.values()).tobytes()
    # A cache we cannot write only costs speed next time.
    with contextlib.suppress(OSError, OutputError), atomic_write(cache, binary=True) as handle:
        marshal.dump((key, words, blob, table.unknown), handle)


def load_idf(path: str | Path | None = None) -> IdfTable:
    """The table in ``path``, or jieba's default table (cached) when ``path`` is None."""
    if path is not None:
        return read_idf(path)
    source = default_idf_path().resolve()
    try:
        info = source.stat()
    except OSError as exc:  # pragma: no cover - part of the jieba install
        raise ResourceError(f"{source}: cannot read jieba's IDF table: {exc.strerror}") from None
    key = (_CACHE_VERSION, str(source), info.st_size, info.st_mtime_ns)
    cache = _cache_file(source)
    table = _read_cached(cache, key)
    if table is None:
        table = read_idf(source)
        _write_cached(cache, key, table)
    return table


def build_idf(documents: Iterable[Iterable[str]], *, min_df: int = 1) -> dict[str, float]:
    """IDF of every word in at least ``min_df`` documents, smoothed like scikit-learn.

    ``idf(w) = ln((1 + N) / (1 + df(w))) + 1`` for N documents: as if one extra document
    held every word once, so no division by zero and a word in every document still gets 1.
    Punctuation, digits and whitespace tokens are left out.
    """
    df: Counter[str] = Counter()
    n_docs = 0
    for tokens in documents:
        n_docs += 1
        df.update({t for t in tokens if not NON_WORD.match(t)})
    return {
        word: math.log((1 + n_docs) / (1 + count)) + 1.0
        for word, count in sorted(df.items())
        if count >= min_df
    }


def write_idf(weights: Mapping[str, float], stream: IO[str]) -> None:
    """Write ``word idf`` lines (what jieba.analyse.set_idf_path reads), rarest words first."""
    for word, value in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        if word and not any(ch.isspace() for ch in word):  # jieba splits lines on a space
            stream.write(f"{word} {value:.9f}\n")
