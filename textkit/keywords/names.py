"""Whether a word the segmenter invented reads as a name, by jieba's part-of-speech model.

``jieba.posseg`` tags words missing from its dictionary with a hidden Markov model whose
states are (position in the word, tag) pairs. Asked which tag one invented token would
have as a single word (the likeliest of the paths B, M, ..., E of each tag), it answers
nr (person), ns (place), nt (organisation), nrt, nrfg or j (abbreviation) for 丁雪明, 陈伟霆,
国乒, 黄太吉. When a name tag wins by MARGIN (its path e^MARGIN times likelier than any
other tag's), such a name seen once is still a keyword candidate, where an invented fragment
seen once (钱付, 全凉, 去购) is not: for pieces of a phrase the model often prefers a name tag
too, but by less. A text of at most SHORT_TEXT characters (a title) says each thing once and
is mostly names and terms: there SHORT_MARGIN is enough (麦考林, 穆帅, 广渠路).

The model's tables (jieba's ``posseg/prob_*.p``) are copied once into a SQLite cache in the
user's cache directory, a row of scores per character, looked up only for the characters
met. :meth:`NameModel.are_names` does the same arithmetic with numpy over many words at
once, from a copy of the whole table mapped into memory.
"""

from __future__ import annotations

import contextlib
import math
import pickle
import sqlite3
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textkit.io.resources import jieba_data_path
from textkit.text.idf import LazyTable

NAME_TAGS = frozenset(("nr", "nrt", "nrfg", "ns", "nt", "j"))
MARGIN = 5.0  # natural log: how much likelier the best name tag must be than the rest
SHORT_MARGIN = 1.0  # ... in a short text
SHORT_TEXT = 30  # characters (whitespace aside): nine in ten news titles are this short
# In a short text, an invented two-character word said once that reads as no name (and is
# no clause piece) still counts, at this share of the unknown-word IDF: in headlines most
# are words the dictionary lacks (获批, 早盘, 复牌, 外媒), so they fill a list after the
# words it knows.
SHORT_ONCE_WEIGHT = 0.5
MISSING = -3.14e100  # jieba's score of an emission its tables lack
# What a known character scores in a state its tables lack (谭 咏 麟 as a person's name:
# 咏 is listed inside given names of another name tag only): a little below the rarest
# emission the tables list (-15.8), not MISSING, which rules out the tag whatever the other
# characters say.
UNSEEN = -17.0
_CACHE_VERSION = 1


class LazyEmissions(LazyTable[bytes]):
    """Per character: its emission scores in the states (B, tag), (M, tag), (E, tag) for
    every tag, as packed doubles."""

    TABLE = "emit"
    COLUMN = "scores"


class NameModel:
    """The part of jieba's POS model that scores a token as one word of each tag."""

    def __init__(self, emissions: LazyEmissions, meta: dict[str, Any]) -> None:
        self.emissions = emissions
        self.tags: tuple[str, ...] = tuple(meta["tags"].split())
        n = len(self.tags)
        values = array("d")
        values.frombytes(meta["start_trans"])
        # Per tag: start in B, then B->M, B->E, M->M, M->E.
        self.start = values[:n].tolist()
        self.b_m, self.b_e = values[n : 2 * n].tolist(), values[2 * n : 3 * n].tolist()
        self.m_m, self.m_e = values[3 * n : 4 * n].tolist(), values[4 * n : 5 * n].tolist()
        self.name = [tag in NAME_TAGS for tag in self.tags]
        self._rows: dict[str, list[float] | None] = {}
        self._arrays: tuple[Any, Any] | None = None  # the batch path's copy (_table)

    def _row(self, ch: str) -> list[float] | None:
        if ch not in self._rows:
            blob = self.emissions.get(ch)
            if blob is None:
                self._rows[ch] = None
            else:
                row = array("d")
                row.frombytes(blob)
                self._rows[ch] = row.tolist()
        return self._rows[ch]

    def margin(self, word: str) -> float:
        """How much likelier (natural log) ``word`` as one word is a name than anything
        else: negative when another tag wins, -inf when no name path exists."""
        if len(word) < 2:
            return -math.inf
        n = len(self.tags)
        rows = [self._row(ch) for ch in word]
        missing = [MISSING] * (3 * n)
        rows = [[max(v, UNSEEN) for v in row] if row is not None else missing for row in rows]
        name, other = -math.inf, -math.inf
        last = len(word) - 1
        for t in range(n):
            score = self.start[t] + rows[0][t]
            for i in range(1, last):
                score = score + (self.b_m[t] if i == 1 else self.m_m[t])
                score = score + rows[i][n + t]
            score = score + (self.b_e[t] if last == 1 else self.m_e[t])
            score = score + rows[last][2 * n + t]
            if self.name[t]:
                name = max(name, score)
            else:
                other = max(other, score)
        return name - other if name > MISSING / 2 else -math.inf

    def is_name(self, word: str, margin: float = MARGIN) -> bool:
        """Whether ``word`` (2+ characters) as one word is likeliest a name, by ``margin``."""
        return self.margin(word) >= margin

    def margins(self, words: Sequence[str]) -> list[float]:
        """``[self.margin(w) for w in words]``, with numpy over all words of a length."""
        import numpy as np

        out = [-math.inf] * len(words)
        n = len(self.tags)
        chars, table = self._table()
        start, b_m, b_e, m_m, m_e = (
            np.array(v) for v in (self.start, self.b_m, self.b_e, self.m_m, self.m_e)
        )
        name = np.array(self.name)
        by_length: dict[int, list[int]] = {}
        for j, w in enumerate(words):
            if len(w) >= 2:
                by_length.setdefault(len(w), []).append(j)
        for length, members in by_length.items():
            points = np.frombuffer(
                "".join(words[j] for j in members).encode("utf-32-le", "surrogatepass"),
                np.uint32,
            )
            rows = np.minimum(np.searchsorted(chars, points), len(chars) - 1)
            rows = np.where(chars[rows] == points, rows, len(chars))  # the last: no row
            codes = rows.reshape(len(members), length)
            last = length - 1
            score = start + table[codes[:, 0], :n]
            for i in range(1, last):
                score = score + (b_m if i == 1 else m_m)
                score = score + table[codes[:, i], n : 2 * n]
            score = score + (b_e if last == 1 else m_e)
            score = score + table[codes[:, last], 2 * n :]
            best_name = score[:, name].max(axis=1)
            best_other = score[:, ~name].max(axis=1)
            found = np.where(best_name > MISSING / 2, best_name - best_other, -np.inf)
            for j, value in zip(members, found.tolist(), strict=True):
                out[j] = value
        return out

    def are_names(self, words: Sequence[str], margin: float = MARGIN) -> list[bool]:
        """``[self.is_name(w, margin) for w in words]``."""
        return [value >= margin for value in self.margins(words)]

    def _table(self) -> tuple[Any, Any]:
        """Every character's emission row as arrays: sorted code points, and their rows
        (UNSEEN where a state lacks the character) followed by a row of MISSING (for
        characters without one). Cached beside the SQLite copy, mapped into memory."""
        if self._arrays is None:
            import numpy as np

            from textkit.io.arraycache import load_arrays, save_arrays

            cache = self.emissions.cache
            path = cache.with_name(f"{cache.stem}.arrays")
            arrays = load_arrays(path, self.emissions.key)
            if arrays is None:
                rows = self.emissions.rows()
                rows.sort(key=lambda row: ord(row[0]))
                width = 3 * len(self.tags)
                table = np.full((len(rows) + 1, width), MISSING)
                for i, (_, blob) in enumerate(rows):
                    table[i] = np.frombuffer(blob, np.float64)
                chars = np.array([ord(ch) for ch, _ in rows], np.uint32)
                arrays = {"chars": chars, "table": table}
                save_arrays(path, self.emissions.key, arrays)
            table = np.maximum(arrays["table"], UNSEEN)
            table[-1] = MISSING  # a character without a row: no judgement
            self._arrays = (arrays["chars"], table)
        return self._arrays


_model: NameModel | None = None


def load_names() -> NameModel:
    """jieba's POS model for names, from its cache (built on first use)."""
    global _model
    if _model is None:
        _model = _load()
    return _model


def _sources() -> list[Path]:
    return [jieba_data_path("posseg", f"prob_{part}.p") for part in ("start", "trans", "emit")]


def _load() -> NameModel:
    from textkit.io.cache import atomic_path, cache_file

    sources = _sources()
    parts = []
    for source in sources:
        info = source.resolve().stat()
        parts.append(f"{source.resolve()}|{info.st_size}|{info.st_mtime_ns}")
    key = f"{_CACHE_VERSION}|" + "|".join(parts)
    cache = cache_file("names", sources[-1].resolve(), ".sqlite")
    for attempt in range(2):
        with contextlib.suppress(sqlite3.Error):
            connection = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
            try:
                meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
                if meta.get("key") == key:
                    return NameModel(LazyEmissions(connection, cache, key), meta)
            except sqlite3.Error:
                pass
            connection.close()
        if attempt == 0:
            # A cache we cannot write only costs speed: then an in-memory copy.
            with contextlib.suppress(OSError, sqlite3.Error), atomic_path(cache) as tmp:
                connection = sqlite3.connect(tmp)
                try:
                    _fill(connection, key, sources)
                finally:
                    connection.close()
    connection = sqlite3.connect(":memory:")
    _fill(connection, key, sources)
    meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
    return NameModel(LazyEmissions(connection, cache, key), meta)


def _fill(connection: sqlite3.Connection, key: str, sources: list[Path]) -> None:
    tables = []
    for source in sources:
        with open(source, "rb") as handle:
            tables.append(pickle.load(handle))  # jieba's own model files
    start, trans, emit = tables
    tags = sorted({tag for _, tag in start})
    values = array("d", [start.get(("B", t), MISSING) for t in tags])
    for a, b in (("B", "M"), ("B", "E"), ("M", "M"), ("M", "E")):
        values.extend(trans.get((a, t), {}).get((b, t), float("-inf")) for t in tags)
    chars = sorted({ch for table in emit.values() for ch in table})
    rows = []
    for ch in chars:
        row = array("d")
        for position in "BME":
            row.extend(emit.get((position, t), {}).get(ch, MISSING) for t in tags)
        rows.append((ch, row.tobytes()))
    with connection:
        connection.execute("CREATE TABLE emit (word TEXT PRIMARY KEY, scores BLOB) WITHOUT ROWID")
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value)")
        connection.executemany("INSERT INTO emit VALUES (?, ?)", rows)
        connection.executemany(
            "INSERT INTO meta VALUES (?, ?)",
            [("key", key), ("tags", " ".join(tags)), ("start_trans", values.tobytes())],
        )
