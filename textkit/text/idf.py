"""IDF tables in jieba's ``word idf`` format: read, cache, build from a corpus, write.

jieba's own table (``jieba/analyse/idf.txt``, 6 MB) takes over half a second to parse, so
the default table is cached as a SQLite file in the user's private cache directory, keyed
by the source file's path, size and mtime, and looked up lazily (a short run reads only
the words it meets). A cache that cannot be read is rebuilt, never fatal.
"""

from __future__ import annotations

import contextlib
import math
import re
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from textkit.errors import DataFormatError, ResourceError
from textkit.io.resources import jieba_data_path, read_resource_text

_CACHE_VERSION = 1
V = TypeVar("V")
# Tokens that never get an IDF of their own: punctuation, symbols, digits, whitespace.
NON_WORD = re.compile(r"^[\W\d_]+$")


@dataclass(frozen=True)
class IdfTable:
    """Word -> IDF, plus the IDF given to words the table does not list.

    ``unknown`` is the median of the table, exactly as jieba.analyse computes it
    (``sorted(values)[len // 2]``), so a new word counts as moderately rare.
    """

    weights: Mapping[str, float]
    unknown: float

    @classmethod
    def from_weights(cls, weights: dict[str, float]) -> IdfTable:
        values = sorted(weights.values())
        return cls(weights, values[len(values) // 2] if values else 0.0)


def default_idf_path() -> Path:
    """jieba's bundled ``analyse/idf.txt``, found without importing jieba."""
    return jieba_data_path("analyse", "idf.txt")


def read_idf(path: str | Path) -> IdfTable:
    """Parse a ``word idf`` file (UTF-8, one pair per line; blank lines are skipped)."""
    text = read_resource_text(path, "IDF file")
    weights: dict[str, float] = {}
    for lineno, line in enumerate(text.splitlines(), 1):
        parts = line.split()
        if not parts:
            continue
        try:
            if len(parts) != 2:
                raise ValueError
            value = float(parts[1])
            if not math.isfinite(value) or value < 0:  # an IDF is ln(N/df) + c >= 0
                raise ValueError
        except ValueError:
            raise DataFormatError(
                f"{path}:{lineno}: expected 'word idf' (idf a number >= 0), "
                f"got {line.strip()[:60]!r}"
            ) from None
        weights[parts[0]] = value
    if not weights:
        raise DataFormatError(f"{path}: IDF file has no entries")
    return IdfTable.from_weights(weights)


def _cache_file(source: Path) -> Path:
    from textkit.io.cache import cache_file

    return cache_file("idf", source, ".sqlite")


class LazyTable(Mapping[str, V]):
    """A word-keyed SQLite table (``TABLE`` with columns ``word`` and ``COLUMN``) looked up
    lazily instead of loaded whole.

    Loading a few hundred thousand entries costs more than a short run's whole job; a run
    that looks up few words pays only for those. After ``SWITCH`` distinct words the whole
    table is loaded into a dict, so long batches run at dict speed: a lookup costs ~25 us,
    a full load ~15,000 lookups' worth, so switching early wastes little on a big batch.
    """

    TABLE = "idf"
    COLUMN = "idf"
    SWITCH = 2_000
    MANY_SWITCH = 100_000  # get_many loads the whole table beyond this many words
    _MISSING: object = None  # stored for words the table lacks (never a table value)

    def __init__(self, connection: sqlite3.Connection, cache: Path, key: str) -> None:
        self._connection: sqlite3.Connection | None = connection
        self._memo: dict[str, Any] = {}
        self._full: dict[str, V] | None = None
        self.cache, self.key = cache, key  # where the table lives, and its source's key

    def rows(self) -> list[tuple[str, V]]:
        """Every (word, value), without keeping them (for indexes built from the table)."""
        if self._full is not None:
            return list(self._full.items())
        assert self._connection is not None
        return self._connection.execute(f"SELECT word, {self.COLUMN} FROM {self.TABLE}").fetchall()

    def _load_all(self) -> dict[str, V]:
        if self._full is None:
            assert self._connection is not None
            rows = self._connection.execute(f"SELECT word, {self.COLUMN} FROM {self.TABLE}")
            self._full = dict(rows.fetchall())
            self._connection.close()
            self._connection = None
            self._memo = {}
        return self._full

    def get(self, word: str, default: Any = None) -> Any:
        if self._full is not None:
            return self._full.get(word, default)
        value = self._memo.get(word, self)  # self: not looked up yet
        if value is self:
            if len(self._memo) >= self.SWITCH:
                return self._load_all().get(word, default)
            assert self._connection is not None
            row = self._connection.execute(
                f"SELECT {self.COLUMN} FROM {self.TABLE} WHERE word = ?", (word,)
            ).fetchone()
            value = self._memo[word] = row[0] if row else self._MISSING
        return default if value is self._MISSING else value

    def get_many(self, words: list[str], default: Any) -> list[Any]:
        """``[self.get(w, default) for w in words]``, looking the new ones up in SQLite
        in batches (a few microseconds a word instead of ~25): a batch of documents
        with tens of thousands of distinct words never needs the whole table."""
        if self._full is None:
            new = [w for w in dict.fromkeys(words) if w not in self._memo]
            if len(self._memo) + len(new) > self.MANY_SWITCH:
                self._load_all()
            else:
                assert self._connection is not None
                for start in range(0, len(new), 500):
                    part = new[start : start + 500]
                    marks = ",".join("?" * len(part))
                    query = f"SELECT word, {self.COLUMN} FROM {self.TABLE} WHERE word IN ({marks})"
                    self._memo.update(dict.fromkeys(part, self._MISSING))
                    self._memo.update(self._connection.execute(query, part).fetchall())
        if self._full is not None:
            return [self._full.get(w, default) for w in words]
        missing = self._MISSING
        return [default if v is missing else v for v in map(self._memo.__getitem__, words)]

    def __getitem__(self, word: str) -> V:
        value = self.get(word, self)
        if value is self:
            raise KeyError(word)
        return value  # type: ignore[no-any-return]

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.get(word, self) is not self

    def __iter__(self) -> Iterator[str]:
        return iter(self._load_all())

    def __len__(self) -> int:
        return len(self._load_all())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    __hash__ = None  # type: ignore[assignment]


class LazyWeights(LazyTable[float]):
    """jieba's IDF table in its SQLite cache (table ``idf``: word, idf)."""


def _open_cached(cache: Path, key: str) -> IdfTable | None:
    try:
        connection = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
        try:
            stored = dict(connection.execute("SELECT name, value FROM meta").fetchall())
            if stored.get("key") != key:
                connection.close()
                return None
            weights = LazyWeights(connection, cache, key)
            return IdfTable(weights, float(stored["unknown"]))  # type: ignore[arg-type]
        except (sqlite3.Error, KeyError, ValueError):
            connection.close()
            return None
    except sqlite3.Error:
        return None  # missing, stale or corrupted: rebuild


def _write_cached(cache: Path, key: str, table: IdfTable) -> None:
    from textkit.io.cache import atomic_path

    # A cache we cannot write only costs speed next time.
    with contextlib.suppress(OSError, sqlite3.Error), atomic_path(cache) as tmp:
        _fill_cache(tmp, key, table)


def _fill_cache(path: Path, key: str, table: IdfTable) -> None:
    connection = sqlite3.connect(path)
    try:
        with connection:
            connection.execute("CREATE TABLE idf (word TEXT PRIMARY KEY, idf REAL) WITHOUT ROWID")
            connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
            connection.executemany("INSERT INTO idf VALUES (?, ?)", table.weights.items())
            connection.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("key", key), ("unknown", repr(table.unknown))]
            )
    finally:
        connection.close()


def load_idf(path: str | Path | None = None) -> IdfTable:
    """The table in ``path``, or jieba's default table (cached) when ``path`` is None."""
    if path is not None:
        return read_idf(path)
    source = default_idf_path().resolve()
    try:
        info = source.stat()
    except OSError as exc:  # pragma: no cover - part of the jieba install
        raise ResourceError(f"{source}: cannot read jieba's IDF table: {exc.strerror}") from None
    key = f"{_CACHE_VERSION}|{source}|{info.st_size}|{info.st_mtime_ns}"
    cache = _cache_file(source)
    table = _open_cached(cache, key)
    if table is None:
        table = read_idf(source)
        _write_cached(cache, key, table)
    return table


# How many documents the background table counts as, when blended with a corpus: a corpus
# of this size and the background weigh the same; a smaller one leans on the background.
PRIOR_DOCUMENTS = 1000


def build_idf(
    documents: Iterable[Iterable[str]],
    *,
    min_df: int = 1,
    background: IdfTable | None = None,
    prior_documents: float = PRIOR_DOCUMENTS,
    keep: Callable[[list[str]], list[bool]] | None = None,
) -> dict[str, float]:
    """IDF of every word in at least ``min_df`` documents.

    Without ``background``, smoothed like scikit-learn: ``idf(w) = ln((1 + N) / (1 +
    df(w))) + 1`` for N documents. With it, a Bayesian blend: the background's IDF b(w)
    says w is in a share exp(-b(w)) of documents, worth ``prior_documents`` documents of
    evidence, so ``idf(w) = -ln((df(w) + m * exp(-b(w))) / (N + m))`` (b(w): the
    background's IDF for unknown words when it lacks w). A small corpus's chance counts
    move its words little; a large corpus's own counts dominate.
    Punctuation, digits and whitespace tokens are left out, and so are the words for which
    ``keep`` (called with all distinct words at once) says False.
    """
    df: Counter[str] = Counter()
    n_docs = 0
    for tokens in documents:
        n_docs += 1
        df.update({t for t in tokens if not NON_WORD.match(t)})
    words = sorted(w for w, count in df.items() if count >= min_df)
    if keep is not None:
        words = [w for w, kept in zip(words, keep(words), strict=True) if kept]
    if background is None:
        return {w: math.log((1 + n_docs) / (1 + df[w])) + 1.0 for w in words}
    get = background.weights.get
    unknown = background.unknown
    return {w: blended_idf(df[w], n_docs, get(w, unknown) or 0.0, prior_documents) for w in words}


def blended_idf(df: float, n_docs: float, background_idf: float, prior_documents: float) -> float:
    """``-ln((df + m * exp(-b)) / (N + m))``: a word in ``df`` of ``N`` documents, whose
    background IDF b says it is in a share exp(-b) of documents, that share worth
    ``prior_documents`` (m) documents of evidence (see :func:`build_idf`)."""
    m = prior_documents
    return -math.log((df + m * math.exp(-background_idf)) / (n_docs + m))


def write_idf(weights: Mapping[str, float], stream: IO[str]) -> None:
    """Write ``word idf`` lines (what jieba.analyse.set_idf_path reads), rarest words first."""
    for word, value in sorted(weights.items(), key=lambda item: (-item[1], item[0])):
        if word and not any(ch.isspace() for ch in word):  # jieba splits lines on a space
            stream.write(f"{word} {value:.9f}\n")
