"""Counting character n-grams of a large corpus in bounded memory.

The corpus is kept on disk as an array of code points (:class:`Corpus`): Han characters as
they are, a run of ASCII letters and digits as one 1, a run of anything else as one 0, the
end of a document as 2. No n-gram crosses these; as a neighbour, 1 is one symbol, and each
0 or 2 (an edge) is a new one. An n-gram is
known by a 64-bit polynomial hash of its characters. Counting is exact for every n-gram that
reaches the frequency floor, and goes length by length: an n-gram is counted only where
both of its (n-1)-character parts reach the floor (a rarer part makes a rarer whole). Each
length is counted in as many passes over the corpus as it takes to keep the n-grams of one
pass within ``PASS_POSITIONS`` (the passes take the n-grams by hash), and at most
``MAX_TABLE`` n-grams of a length are kept (the most frequent: on a very large corpus the
frequency floor rises), so memory does not grow with the corpus.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

# Hash base: odd, so that multiplying never loses bits modulo 2**64.
_BASE = np.uint64(0x9E3779B97F4A7C15)
CHUNK = 1 << 22  # positions handled at once
PASS_POSITIONS = 1 << 22  # n-gram positions counted in one pass at most
COMPACT = 1 << 20  # neighbour pairs held apart before they are merged
MAX_TABLE = 1 << 21  # n-grams of one length kept at most: the most frequent
HAN_RANGES = ((0x3400, 0x4DC0), (0x4E00, 0xA000))  # CJK extension A, unified ideographs


EDGE, ALNUM, DOCUMENT_END = 0, 1, 2  # the codes of other characters


_SEPARATOR = "\x02"  # joins the documents of encode_many: it becomes DOCUMENT_END


def encode(text: str) -> np.ndarray:
    """The codes of ``text`` (Han code points, 1 for a run of ASCII letters and digits, 0
    for a run of other characters) and a 2 at the end."""
    return encode_many([text])


def encode_many(texts: list[str]) -> np.ndarray:
    """The codes of ``texts``, one after the other, each ended by a 2."""
    joined = _SEPARATOR.join(t.replace(_SEPARATOR, " ") for t in texts) + _SEPARATOR
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype="<u4")
    han = np.zeros(len(codes), dtype=bool)
    for low, high in HAN_RANGES:
        han |= (codes >= low) & (codes < high)
    lower = codes | 0x20  # ASCII letters folded to lower case
    alnum = ((codes >= 0x30) & (codes <= 0x39)) | ((lower >= 0x61) & (lower <= 0x7A))
    mapped = np.where(han, codes, np.where(alnum, ALNUM, EDGE)).astype("<u4")
    ends = codes == ord(_SEPARATOR)
    mapped[ends] = DOCUMENT_END
    # A run of equal non-Han codes is kept as its first one (each document end is kept).
    keep = np.ones(len(mapped), dtype=bool)
    keep[1:] = han[1:] | ends[1:] | (mapped[1:] != mapped[:-1])
    # An edge just before a document's end says nothing more.
    keep[:-1] &= ~((mapped[:-1] == EDGE) & ends[1:])
    return mapped[keep]


class Corpus:
    """Code points appended to a temporary file; read back as a memory map."""

    def __init__(self, directory: str | Path | None = None) -> None:
        handle, name = tempfile.mkstemp(prefix="textkit-newwords-", suffix=".u32", dir=directory)
        self.path = Path(name)
        self._file: Any = os.fdopen(handle, "wb")
        self.size = 0
        self._codes: np.ndarray | None = None

    def append(self, codes: np.ndarray) -> None:
        self._file.write(codes.tobytes())
        self.size += len(codes)

    @property
    def codes(self) -> np.ndarray:
        if self._codes is None:
            self._file.close()
            if self.size == 0:
                self._codes = np.zeros(0, dtype="<u4")
            else:
                self._codes = np.memmap(self.path, dtype="<u4", mode="r")
        return self._codes

    def close(self) -> None:
        self._codes = None
        if not self._file.closed:
            self._file.close()
        self.path.unlink(missing_ok=True)

    def __enter__(self) -> Corpus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Table:
    """The n-grams of one length that reach the floor: sorted hashes, counts, and where
    each occurs first in the corpus."""

    keys: np.ndarray
    counts: np.ndarray
    first: np.ndarray

    def lookup(self, keys: np.ndarray) -> np.ndarray:
        """The count of each of ``keys`` (0 for those not in the table)."""
        if len(self.keys) == 0:
            return np.zeros(len(keys), dtype=np.int64)
        at = np.searchsorted(self.keys, keys)
        at[at == len(self.keys)] = 0
        return np.where(self.keys[at] == keys, self.counts[at], 0)

    def __len__(self) -> int:
        return len(self.keys)


def window_hashes(codes: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Hash and validity (Han characters only) of the n-gram at each of the first
    ``len(codes) - n + 1`` positions of ``codes``."""
    size = len(codes) - n + 1
    if size <= 0:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=bool)
    wide = codes.astype(np.uint64)
    hashes = wide[:size].copy()
    valid = codes[:size] > DOCUMENT_END
    with np.errstate(over="ignore"):
        for j in range(1, n):
            hashes *= _BASE
            hashes += wide[j : j + size]
            valid &= codes[j : j + size] > DOCUMENT_END
    return hashes, valid


def hashes_at(codes: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Hashes of the n-grams at ``starts`` (as :func:`window_hashes` makes them)."""
    hashes = np.zeros(len(starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(n):
            hashes *= _BASE
            hashes += codes[starts + j].astype(np.uint64)
    return hashes


def _chunks(total: int, n: int) -> Iterator[tuple[int, int]]:
    """(start, stop) of each chunk of n-gram positions, overlapping by n - 1 codes."""
    for start in range(0, max(total - n + 1, 0), CHUNK):
        yield start, min(start + CHUNK, total - n + 1)


def _reduce(keys: np.ndarray, counts: np.ndarray, first: np.ndarray) -> Table:
    """Sum the counts (and keep the first position) of equal keys."""
    if len(keys) == 0:
        return Table(keys, counts, first)
    order = np.argsort(keys, kind="stable")
    keys, counts, first = keys[order], counts[order], first[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return Table(keys[starts], np.add.reduceat(counts, starts), np.minimum.reduceat(first, starts))


def count_length(codes: np.ndarray, n: int, shorter: Table | None, min_freq: int) -> Table:
    """The n-grams of ``codes`` that occur at least ``min_freq`` times, counting only those
    whose two (n-1)-character parts are in ``shorter``."""
    total = len(codes)
    passes = max(1, -(-max(total - n + 1, 0) // PASS_POSITIONS))
    found: list[Table] = []
    for part in range(passes):
        pieces: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        for start, stop in _chunks(total, n):
            window = np.asarray(codes[start : stop + n - 1])
            hashes, valid = window_hashes(window, n)
            if shorter is not None:
                inner, _ = window_hashes(window, n - 1)
                valid &= shorter.lookup(inner[:-1]) > 0
                valid &= shorter.lookup(inner[1:]) > 0
            if passes > 1:
                valid &= (hashes >> np.uint64(40)) % np.uint64(passes) == part
            where = np.flatnonzero(valid)
            if len(where) == 0:
                continue
            keys, index, counts = np.unique(hashes[where], return_index=True, return_counts=True)
            pieces.append((keys, counts, (where[index] + start).astype(np.int64)))
        if not pieces:
            continue
        table = _reduce(*(np.concatenate(column) for column in zip(*pieces, strict=True)))
        keep = table.counts >= min_freq
        found.append(Table(table.keys[keep], table.counts[keep], table.first[keep]))
    if not found:
        empty = np.zeros(0, dtype=np.uint64)
        return Table(empty, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    if len(found) == 1:
        return _most_frequent(found[0])
    # The passes hold different n-grams: merging them only sorts.
    columns = zip(*[(t.keys, t.counts, t.first) for t in found], strict=True)
    return _most_frequent(_reduce(*(np.concatenate(column) for column in columns)))


def _most_frequent(table: Table) -> Table:
    """``table`` cut to its MAX_TABLE most frequent n-grams (kept in key order)."""
    if len(table) <= MAX_TABLE:
        return table
    keep = np.sort(np.argpartition(-table.counts, MAX_TABLE)[:MAX_TABLE])
    return Table(table.keys[keep], table.counts[keep], table.first[keep])


def count_ngrams(codes: np.ndarray, max_len: int, min_freq: int) -> list[Table]:
    """Tables of the n-grams of 1 to ``max_len`` characters that occur ``min_freq`` times
    or more (index n holds length n; index 0 is empty)."""
    tables: list[Table] = [
        _reduce(*(np.zeros(0, dtype=t) for t in (np.uint64, np.int64, np.int64)))
    ]
    shorter = None
    for n in range(1, max_len + 1):
        shorter = count_length(codes, n, shorter, min_freq)
        tables.append(shorter)
    return tables


def strings_at(codes: np.ndarray, starts: np.ndarray, n: int) -> list[str]:
    """The n-character strings at ``starts``."""
    if len(starts) == 0:
        return []
    grid = np.ascontiguousarray(codes[starts[:, None] + np.arange(n)], dtype="<u4")
    return [str(s) for s in grid.view(f"<U{n}").ravel()]


@dataclass
class Neighbours:
    """What surrounds each n-gram of a set: left and right neighbour entropy (nats), and
    some of its positions (-1 past the last)."""

    left: np.ndarray
    right: np.ndarray
    positions: np.ndarray


def neighbours(codes: np.ndarray, keys: np.ndarray, n: int, samples: int = 0) -> Neighbours:
    """The :class:`Neighbours` of each n-gram of ``keys`` (sorted hashes), with up to
    ``samples`` positions each.

    An edge (code 0) counts as a neighbour seen once, each time: a word that often starts
    a sentence is free on its left."""
    total = len(codes)
    pairs: dict[str, list[tuple[np.ndarray, np.ndarray]]] = {"left": [], "right": []}
    occurrences = np.zeros(len(keys), dtype=np.int64)
    positions = np.full((len(keys), samples), -1, dtype=np.int64)
    taken = np.zeros(len(keys), dtype=np.int64)
    if len(keys) == 0:
        empty = np.zeros(0)
        return Neighbours(empty, empty, positions)
    for start, stop in _chunks(total, n):
        window = np.asarray(codes[start : stop + n - 1])
        hashes, valid = window_hashes(window, n)
        at = np.searchsorted(keys, hashes)
        at[at == len(keys)] = 0
        match = np.flatnonzero(valid & (keys[at] == hashes))
        if len(match) == 0:
            continue
        found = at[match]
        occurrences += np.bincount(found, minlength=len(keys))
        absolute = match + start
        if samples:
            _take_samples(positions, taken, found, absolute)
        left = np.where(absolute > 0, codes[np.maximum(absolute - 1, 0)], EDGE)
        right_index = np.minimum(absolute + n, total - 1)
        right = np.where(absolute + n < total, codes[right_index], EDGE)
        ids = found.astype(np.uint64)
        for side, other in (("left", left), ("right", right)):
            combined = (ids << np.uint64(32)) | other.astype(np.uint64)
            unique, counts = np.unique(combined, return_counts=True)
            pairs[side].append((unique, counts))
            pairs[side] = _compacted(pairs[side])
    entropies = []
    for side in ("left", "right"):
        if not pairs[side]:
            entropies.append(np.zeros(len(keys)))
            continue
        table = _reduce(
            np.concatenate([u for u, _ in pairs[side]]),
            np.concatenate([c for _, c in pairs[side]]),
            np.zeros(sum(len(u) for u, _ in pairs[side]), dtype=np.int64),
        )
        ids = (table.keys >> np.uint64(32)).astype(np.int64)
        chars = table.keys & np.uint64(0xFFFFFFFF)
        total_of = occurrences[ids].astype(float)
        share = table.counts / total_of
        # An edge seen k times is k different neighbours, each seen once.
        edge = (chars == EDGE) | (chars == DOCUMENT_END)
        terms = np.where(edge, share * np.log(total_of), -share * np.log(share))
        entropies.append(np.bincount(ids, weights=terms, minlength=len(keys)))
    return Neighbours(entropies[0], entropies[1], positions)


def _compacted(
    pieces: list[tuple[np.ndarray, np.ndarray]],
) -> list[tuple[np.ndarray, np.ndarray]]:
    """``pieces`` of (sorted keys, counts), merged into one when the later ones together
    outgrow the first (so memory stays near the number of distinct keys)."""
    if len(pieces) < 2 or sum(len(u) for u, _ in pieces[1:]) < max(len(pieces[0][0]), COMPACT):
        return pieces
    keys = np.concatenate([u for u, _ in pieces])
    counts = np.concatenate([c for _, c in pieces])
    table = _reduce(keys, counts, np.zeros(len(keys), dtype=np.int64))
    return [(table.keys, table.counts)]


def _take_samples(
    positions: np.ndarray, taken: np.ndarray, ids: np.ndarray, absolute: np.ndarray
) -> None:
    """Add the first positions of each id (in corpus order) until each has its samples."""
    order = np.argsort(ids, kind="stable")
    ids, absolute = ids[order], absolute[order]
    first = np.searchsorted(ids, ids)  # where each id's run starts
    slot = np.arange(len(ids)) - first + taken[ids]
    keep = slot < positions.shape[1]
    positions[ids[keep], slot[keep]] = absolute[keep]
    np.add.at(taken, ids, 1)
