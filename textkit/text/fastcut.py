"""The ``fast`` backend's rjieba engine, quick to start on short inputs.

Importing rjieba builds its whole 349,046-word dictionary: about 0.13 s, a third of a short
``textkit keywords`` run. Yet segmenting a text only ever reads the dictionary entries that
are substrings of that text, plus the dictionary's total frequency. So for short inputs
this module starts from an empty rjieba engine and adds only those entries, found in an
index of jieba's ``dict.txt`` (the same file rjieba embeds) cached in the user's cache
directory, plus one placeholder entry that no text can reach, whose frequency makes the
engine's total equal the full dictionary's. The words and tags are then exactly the full
engine's. Once the input seen passes ``LIMIT`` characters, or its lookups have taken
``BUDGET`` seconds, the full engine is loaded.

The index is built once (about 3 s) and checked against the full engine when it is built;
if anything about it is off (no cache, another rjieba, a failed check), the full engine is
used, so the only cost of a problem here is start-up time.
"""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import json
import sqlite3
import sys
import threading
import time
from pathlib import Path
from typing import Any

LIMIT = 8_000  # characters: beyond this the lookups cost more than loading everything
# Seconds of lookups (many short texts cost ~0.3 ms each) after which loading everything
# (~0.13 s) is the better bet. Either way the words are the same; only speed differs.
BUDGET = 0.05
_INDEX_VERSION = 2
# rjieba consults its dictionary only inside runs of Han characters, letters and digits
# (and for tags, on tokens cut from them), so an entry of two noncharacters is never read:
# it only carries frequency, to make the engine's total the full dictionary's.
_PLACEHOLDER = "\U0010fffd\U0010fffd"
_PREFIX = -1  # the ``freq`` of an index row that is only the prefix of longer words
_FIRST_ROUND = 4  # substrings up to this long go in one query: most words are no longer

_lock = threading.RLock()
_default: FastEngine | None = None


def default_engine() -> FastEngine:
    """The process's shared engine over rjieba's default dictionary."""
    global _default
    with _lock:
        if _default is None:
            _default = FastEngine()
        return _default


def full_engine() -> Any:
    """rjieba's own default engine, with its whole dictionary (loaded on first call)."""
    import rjieba

    return rjieba._DEFAULT_JIEBA


def _rjieba_extension() -> Any:
    """rjieba's compiled module, loaded without running the package's ``__init__`` (which
    builds the full default engine)."""
    loaded = sys.modules.get("rjieba.rjieba")
    if loaded is not None:
        return loaded
    spec = importlib.util.find_spec("rjieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("rjieba is not installed")
    folder = Path(spec.submodule_search_locations[0])
    for suffix in importlib.machinery.EXTENSION_SUFFIXES:
        path = folder / f"rjieba{suffix}"
        if path.is_file():
            break
    else:
        raise ImportError(f"no compiled rjieba module in {folder}")
    loader = importlib.machinery.ExtensionFileLoader("rjieba.rjieba", str(path))
    module_spec = importlib.util.spec_from_file_location("rjieba.rjieba", path, loader=loader)
    assert module_spec is not None
    module = importlib.util.module_from_spec(module_spec)
    # Registered under its real name: a later ``import rjieba`` reuses it, not a second copy.
    sys.modules["rjieba.rjieba"] = module
    loader.exec_module(module)
    return module


def _read_dict(path: Path) -> dict[str, tuple[int, str]]:
    """jieba's ``word freq tag`` lines. A repeated word takes its last frequency and keeps
    its first tag, as rjieba's loader does."""
    entries: dict[str, tuple[int, str]] = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) >= 2:
                tag = parts[2] if len(parts) > 2 else ""
                entries[parts[0]] = (int(parts[1]), entries.get(parts[0], (0, tag))[1])
    return entries


class _Index:
    """Dictionary entries and word prefixes, looked up in SQLite a few thousand at a time."""

    def __init__(self, connection: sqlite3.Connection, total: int, verified: bool) -> None:
        self.connection = connection
        self.total = total
        self.verified = verified  # whether it passed the check against rjieba when built

    def lookup(self, keys: list[str]) -> list[tuple[str, int, str]]:
        # One JSON parameter instead of one ``?`` per key: no limit on the number of keys.
        query = "SELECT key, freq, tag FROM entries WHERE key IN (SELECT value FROM json_each(?))"
        return self.connection.execute(query, (json.dumps(keys, ensure_ascii=False),)).fetchall()


def _index_file(source: Path) -> Path:
    from textkit.io.cache import cache_file

    return cache_file("dict", source, ".sqlite")


def _index_key(source: Path, extension: Any) -> str:
    from textkit.io.cache import source_key

    return f"{_INDEX_VERSION}|{source_key(source)}|{source_key(Path(extension.__file__))}"


def _open_index(path: Path, key: str) -> _Index | None:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except sqlite3.Error:
        return None
    try:
        meta = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        if meta.get("key") == key:
            return _Index(connection, int(meta["total"]), meta["verified"] == "1")
    except (sqlite3.Error, KeyError, ValueError):
        pass
    connection.close()
    return None


def _subset_engine(extension: Any, entries: dict[str, tuple[int, str]], total: int) -> Any:
    engine = extension.Jieba.empty()
    for word, (freq, tag) in entries.items():
        engine.add_word(word, freq, tag or None)
    engine.add_word(_PLACEHOLDER, total - sum(freq for freq, _ in entries.values()), None)
    return engine


def _agrees_with_rjieba(extension: Any, entries: dict[str, tuple[int, str]], total: int) -> bool:
    """Whether ``dict.txt`` is the dictionary rjieba embeds: the same total, and the same
    words as the full engine on a text built from a sample of entries."""
    full = extension.Jieba()
    words = sorted(entries)[::97]
    probe = "，".join("".join(words[i : i + 7]) for i in range(0, len(words), 7))
    longest = max(map(len, entries))
    spans = (probe[i:j] for i in range(len(probe)) for j in range(i + 1, i + longest + 1))
    subset = {w: entries[w] for w in spans if w in entries}
    engine = _subset_engine(extension, subset, total)
    if engine.cut(probe, True) != full.cut(probe, True) or engine.tag(probe) != full.tag(probe):
        return False
    # suggest_freq(a + b) is about freq(a) * freq(b) / total, so with two huge made-up
    # words it tells totals apart exactly (the segmentation above could miss a few units).
    a, b = "\U0010fffa", "\U0010fffb"
    for each in (engine, full):
        each.add_word(a, 10**12, None)
        each.add_word(b, 10**12 + 7, None)
    return bool(engine.suggest_freq(a + b) == full.suggest_freq(a + b))


def _build_index(path: Path, key: str, source: Path, extension: Any) -> None:
    from textkit.io.cache import atomic_path

    entries = _read_dict(source)
    total = sum(freq for freq, _ in entries.values())
    verified = _agrees_with_rjieba(extension, entries, total)
    prefixes = {w[:i] for w in entries for i in range(1, len(w))}.difference(entries)
    # One transaction, committed and closed before the file is renamed into place.
    with (
        atomic_path(path) as tmp,
        contextlib.closing(sqlite3.connect(tmp)) as connection,
        connection,
    ):
        connection.execute(
            "CREATE TABLE entries (key TEXT PRIMARY KEY, freq INTEGER, tag TEXT) WITHOUT ROWID"
        )
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        connection.executemany(
            "INSERT INTO entries VALUES (?, ?, ?)",
            [(w, freq, tag) for w, (freq, tag) in entries.items()],
        )
        connection.executemany(
            "INSERT INTO entries VALUES (?, ?, '')", [(p, _PREFIX) for p in prefixes]
        )
        meta = {"key": key, "total": str(total), "verified": "1" if verified else "0"}
        connection.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


def _load_index(extension: Any) -> _Index | None:
    """The cached index (built if missing), or None when it cannot be used."""
    from textkit.errors import ResourceError
    from textkit.io.cache import cache_is_persistent
    from textkit.io.resources import jieba_data_path

    try:
        source = jieba_data_path("dict.txt").resolve()
        path = _index_file(source)
        key = _index_key(source, extension)
        index = _open_index(path, key)
        if index is None and cache_is_persistent():  # else it would be rebuilt every run
            _build_index(path, key, source, extension)
            index = _open_index(path, key)
    except (OSError, sqlite3.Error, ValueError, UnicodeDecodeError, ResourceError):
        return None
    if index is not None and not index.verified:
        index.connection.close()  # kept, so that it is not checked again on every run
        return None
    return index


class FastEngine:
    """rjieba's ``cut``, ``cut_all``, ``cut_for_search`` and ``tag``, over a dictionary that
    holds only what the texts seen so far need, until they pass ``limit`` characters."""

    def __init__(self, limit: int = LIMIT, budget: float | None = None) -> None:
        self.limit = limit
        self.budget = budget  # None: BUDGET
        self._full: Any = None
        self._subset: Any = None
        self._index: _Index | None = None
        self._known: dict[str, tuple[int, str] | None] = {}  # None: neither word nor prefix
        self._added = 0  # total frequency of the words added to the subset engine
        self._seen = 0  # characters segmented with the subset engine
        self._spent = 0.0  # seconds spent growing it
        self._lock = threading.Lock()

    def __reduce__(self) -> tuple[Any, ...]:
        # Sent to worker processes as configuration; each builds its own dictionary.
        return (FastEngine, (self.limit, self.budget))

    @property
    def loaded_fully(self) -> bool:
        """Whether the full dictionary has been loaded."""
        return self._full is not None

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        if self._full is not None:
            return self._full.cut(text, hmm)  # type: ignore[no-any-return]
        with self._lock:
            return self._engine_for(text).cut(text, hmm)  # type: ignore[no-any-return]

    def cut_all(self, text: str) -> list[str]:
        if self._full is not None:
            return self._full.cut_all(text)  # type: ignore[no-any-return]
        with self._lock:
            return self._engine_for(text).cut_all(text)  # type: ignore[no-any-return]

    def cut_for_search(self, text: str, hmm: bool = True) -> list[str]:
        if self._full is not None:
            return self._full.cut_for_search(text, hmm)  # type: ignore[no-any-return]
        with self._lock:
            return self._engine_for(text).cut_for_search(text, hmm)  # type: ignore[no-any-return]

    def tag(self, text: str, hmm: bool = True) -> list[tuple[str, str]]:
        if self._full is not None:
            return self._full.tag(text, hmm)  # type: ignore[no-any-return]
        with self._lock:
            return self._engine_for(text).tag(text, hmm)  # type: ignore[no-any-return]

    def _engine_for(self, text: str) -> Any:
        if (
            self._full is None
            and self._seen + len(text) <= self.limit
            and self._spent < (BUDGET if self.budget is None else self.budget)
        ):
            engine = self._grown_for(text)
            if engine is not None:
                self._seen += len(text)
                return engine
        if self._full is None:
            self._full = full_engine()
            if self._index is not None:
                self._index.connection.close()
            self._subset = self._index = None
            self._known = {}
        return self._full

    def _grown_for(self, text: str) -> Any:
        """The subset engine, with every dictionary entry found in ``text`` added."""
        if self._subset is None:
            try:
                extension = _rjieba_extension()
            except ImportError:
                return None
            self._index = _load_index(extension)
            if self._index is None:
                return None
            self._subset = extension.Jieba.empty()
        assert self._index is not None
        start = time.perf_counter()  # building the index above is a one-off, not counted
        known, n = self._known, len(text)
        added = 0
        # The first query takes every substring of up to FIRST_ROUND characters; after it,
        # level k looks up the k-character substrings that extend a word or prefix found at
        # level k - 1 (a dictionary word has all its prefixes in the index).
        first = {text[p : p + k] for k in range(1, _FIRST_ROUND) for p in range(n - k + 1)}
        alive: list[int] | range = range(n)
        k = _FIRST_ROUND
        while alive:
            grams: dict[str, list[int]] = {}
            for p in alive:
                if p + k <= n:
                    grams.setdefault(text[p : p + k], []).append(p)
            new = [g for g in (*first, *grams) if g not in known]
            first = set()
            if new:
                known.update(dict.fromkeys(new))
                for key, freq, tag in self._index.lookup(new):
                    known[key] = (freq, tag)
                    if freq != _PREFIX:
                        self._subset.add_word(key, freq, tag or None)
                        added += freq
            alive = [p for g, ps in grams.items() if known[g] is not None for p in ps]
            k += 1
        if added or not self._added:
            self._added += added
            # Re-set, not added: rjieba replaces an existing word's frequency and adjusts
            # its total by the difference, which leaves the total at the full dictionary's.
            self._subset.add_word(_PLACEHOLDER, self._index.total - self._added, None)
        self._spent += time.perf_counter() - start
        return self._subset
