"""Strings as numbers, for the batch path: polynomial character hashes computed with numpy.

A string is keyed by two independent 64-bit polynomial hashes of its code points (first
character weighing most), so two different strings share a key with odds of about 2**-128.
The hash of any substring of a text comes from two prefix sums over the whole text, and a
phrase's hash from its tokens' hashes: no Python loop over characters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)  # odd 64-bit multipliers, mod 2**64
DOC_MIX = np.uint64(0xD6E8FEB86659FD93)  # spreads a document number over the hash bits

_powers: dict[int, tuple[Any, Any]] = {}


def power_tables(base: int, size: int) -> tuple[Any, Any]:
    """base**i and base**-i mod 2**64 for i < size (at least), as uint64 arrays."""
    tables = _powers.get(base)
    if tables is None or len(tables[0]) < size:
        size = max(size, 2 * len(tables[0]) if tables else 4096)
        tables = tuple(
            np.cumprod(np.concatenate([np.ones(1, np.uint64), np.full(size - 1, b, np.uint64)]))
            for b in (base, pow(base, -1, 1 << 64))
        )
        _powers[base] = tables
    return tables


def code_points(text: str) -> Any:
    """The code points of ``text`` as uint64."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32).astype(np.uint64)


class TextHashes:
    """Prefix sums of one text, giving the hash of any of its substrings in O(1) each."""

    def __init__(self, points: Any, base: int) -> None:
        self.power, inverse = power_tables(base, len(points) + 1)
        self.prefix = np.zeros(len(points) + 1, np.uint64)
        np.cumsum(points * inverse[: len(points)], out=self.prefix[1:])

    def of(self, starts: Any, ends: Any) -> Any:
        """The hashes of the substrings [starts, ends) (ends > starts)."""
        return self.power[ends - 1] * (self.prefix[ends] - self.prefix[starts])


def substring_hashes(points: Any, starts: Any, ends: Any) -> list[tuple[Any, Any]]:
    """For each base: the hashes of the substrings [starts, ends) of the text whose code
    points are ``points``, and base**length."""
    out = []
    for base in BASES:
        hashes = TextHashes(points, base)
        out.append((hashes.of(starts, ends), hashes.power[ends - starts]))
    return out


def word_hashes(words: list[str]) -> tuple[Any, Any]:
    """Both hashes of each word (as :func:`substring_hashes` computes them in a text)."""
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    ends = np.cumsum(lengths + 1) - 1
    points = code_points("\n".join(words))
    (h1, _), (h2, _) = substring_hashes(points, ends - lengths, ends)
    return h1, h2


def scramble(keys: Any) -> Any:
    """A bijection of uint64 (MurmurHash3's finaliser) that spreads every input bit over
    the high bits: a one-character string's hash is its code point, a small number, and
    the callers index and sort by high bits."""
    keys = keys ^ (keys >> np.uint64(33))
    keys = keys * np.uint64(0xFF51AFD7ED558CCD)
    keys = keys ^ (keys >> np.uint64(33))
    keys = keys * np.uint64(0xC4CEB9FE1A85EC53)
    return keys ^ (keys >> np.uint64(33))


def group_order(keys: Any) -> Any:
    """An order of ``keys`` (uint64) that puts equal keys next to each other, ascending
    positions within each run: np.argsort's job at np.sort's speed (several times faster
    here), by sorting the keys' high bits with each position packed into the low bits."""
    if not len(keys):
        return np.zeros(0, np.int64)
    keys = scramble(keys)  # equal after scrambling if and only if equal before
    bits = max(1, (len(keys) - 1).bit_length())
    packed = (keys >> np.uint64(bits)) << np.uint64(bits) | np.arange(len(keys), dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    high = packed >> np.uint64(bits)
    full = keys[order]
    if ((high[1:] == high[:-1]) & (full[1:] != full[:-1])).any():
        return np.argsort(keys, kind="stable")  # two keys share their high bits: rare
    return order


def find_sorted(table: Any, keys: Any) -> Any:
    """The index of each of ``keys`` in the sorted array ``table``, -1 where absent."""
    if not len(table):
        return np.full(len(keys), -1, np.int64)
    spot = np.minimum(np.searchsorted(table, keys), len(table) - 1)
    return np.where(table[spot] == keys, spot, -1)


class Vocabulary:
    """Facts about every distinct string met so far, kept across batches: rows of arrays
    indexed by an id. Strings are found by their first hash in an open-addressing table
    probed with array operations (no Python string hashing or dict lookup per token); the
    second hash is kept to catch two strings sharing the first.

    ``fields`` names the facts and their dtypes; ``facts(strings, hashes, spans)`` computes
    them for new strings (a dict of sequences, one per field).
    """

    INITIAL_SLOTS = 1 << 14

    def __init__(
        self, fields: dict[str, Any], facts: Callable[[list[str], Any, Any], dict[str, Any]]
    ) -> None:
        self.fields = {**fields, "check": np.uint64, "key": np.uint64}
        self.facts = facts
        self.size = 0
        self.arrays = {name: np.zeros(0, dtype) for name, dtype in self.fields.items()}
        self._resize(self.INITIAL_SLOTS)

    def _resize(self, slots: int) -> None:
        self.bits = slots.bit_length() - 1
        self.slot_key = np.zeros(slots, np.uint64)
        self.slot_id = np.full(slots, -1, np.int64)  # -1: an empty slot
        if self.size:
            self._insert(self.arrays["key"][: self.size], np.arange(self.size))

    def _find(self, keys: Any) -> Any:
        """The id of each key, -1 where absent (linear probing, all keys at once)."""
        slot = (scramble(keys) >> np.uint64(64 - self.bits)).astype(np.int64)
        ids = np.full(len(keys), -1, np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            found = self.slot_id[at]
            hit = (found >= 0) & (self.slot_key[at] == keys[pending])
            ids[pending[hit]] = found[hit]
            pending = pending[(found >= 0) & ~hit]  # an occupied slot, another key
            slot[pending] = (slot[pending] + 1) & ((1 << self.bits) - 1)
        return ids

    def _insert(self, keys: Any, ids: Any) -> None:
        """Place new keys (absent so far, distinct) in free slots along their probe paths,
        all keys at once; where several want one slot, the first wins, the rest go on."""
        mask = (1 << self.bits) - 1
        slot = (scramble(keys) >> np.uint64(64 - self.bits)).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            free = self.slot_id[at] < 0
            claimed, winner = np.unique(at[free], return_index=True)
            placed = pending[free][winner]
            self.slot_key[claimed] = keys[placed]
            self.slot_id[claimed] = ids[placed]
            waiting = np.ones(len(keys), bool)
            waiting[placed] = False
            pending = pending[waiting[pending]]
            busy = self.slot_id[slot[pending]] >= 0
            slot[pending[busy]] = (slot[pending[busy]] + 1) & mask

    def lookup(self, keys: tuple[Any, Any], text: str, spans: Any) -> Any:
        """Ids of the strings with hashes ``keys`` (facts computed for new ones, whose
        strings are ``text[start:end]`` for ``spans``); None on a hash clash."""
        ids = self._find(keys[0])
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            new_keys, first = np.unique(keys[0][missing], return_index=True)
            first = missing[first]  # one position of each new string
            strings = [text[start:end] for start, end in spans[first].tolist()]
            rows = self.facts(strings, (new_keys, keys[1][first]), spans[first])
            rows["check"] = keys[1][first]
            rows["key"] = new_keys
            new_ids = np.arange(self.size, self.size + len(new_keys))
            if self.size + len(new_keys) > len(self.arrays["key"]):  # grow by doubling
                room = max(2 * len(self.arrays["key"]), self.size + len(new_keys))
                for name, array in self.arrays.items():
                    self.arrays[name] = np.zeros(room, array.dtype)
                    self.arrays[name][: self.size] = array[: self.size]
            for name, values in rows.items():
                self.arrays[name][new_ids] = values
            self.size += len(new_keys)
            if 2 * self.size > len(self.slot_id):  # keep the table at most half full
                self._resize(1 << (2 * self.size).bit_length())
            else:
                self._insert(new_keys, new_ids)
            ids[missing] = self._find(keys[0][missing])
        if (self.arrays["check"][ids] != keys[1]).any():
            return None
        return ids
