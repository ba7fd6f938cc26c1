"""How often each phrase occurs in a text, as a string: the same words cut two ways by the
segmenter (新能源|汽车产业, 新能源|汽车|消费) are still two occurrences of 新能源汽车.

Occurrences may overlap. Short texts ask ``str.find``; a long text is hashed once per
phrase length with numpy (a polynomial hash of every substring of that length, mod 2**64),
so the cost grows linearly with the text, not with text x phrases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LONG_TEXT = 20_000  # characters: from here on, counts come from hashing
BASE = 0x9E3779B97F4A7C15  # an odd 64-bit multiplier
MASK = (1 << 64) - 1


def count_all(text: str, phrases: Sequence[str], long_text: int | None = None) -> list[int]:
    """Occurrences of each phrase in ``text`` (overlapping ones included); hashed from
    ``long_text`` characters on (default LONG_TEXT)."""
    if len(text) < (LONG_TEXT if long_text is None else long_text):
        return [_count(text, phrase) for phrase in phrases]
    return _count_hashed(text, phrases)


def _count(text: str, phrase: str) -> int:
    if 2 * len(phrase) > len(text) + len(phrase) - 1:  # no room for two occurrences
        return int(phrase in text)
    count = text.count(phrase)
    if not count or not _overlaps_itself(phrase):
        return count
    find = text.find
    count, at = 0, find(phrase)
    while at >= 0:
        count += 1
        at = find(phrase, at + 1)
    return count


def _overlaps_itself(phrase: str) -> bool:
    """Whether two occurrences of ``phrase`` can overlap (it starts with one of its ends)."""
    return any(phrase.startswith(phrase[i:]) for i in range(1, len(phrase)))


def _count_hashed(text: str, phrases: Sequence[str]) -> list[int]:
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    n = len(codes)
    # Window hash of text[i:i+L] = sum of c[i+t] * BASE**(L-1-t) = (Q[i+L] - Q[i]) *
    # BASE**(i+L-1), where Q[k] = sum of c[j] * BASE**-j for j < k (BASE is odd, so
    # invertible mod 2**64): one cumulative sum, then one product per length.
    power = _powers(np, BASE, n + 1)
    unpower = _powers(np, pow(BASE, -1, 1 << 64), n)
    sums = np.zeros(n + 1, np.uint64)
    np.cumsum(codes.astype(np.uint64) * unpower, out=sums[1:])
    counts = [0] * len(phrases)
    by_length: dict[int, list[int]] = {}
    for i, phrase in enumerate(phrases):
        if 0 < len(phrase) <= n:
            by_length.setdefault(len(phrase), []).append(i)
    for length, members in by_length.items():
        windows = (sums[length:] - sums[: n + 1 - length]) * power[length - 1 : n]
        # Look each window up among the few phrase hashes (sorted), rather than sorting
        # the windows: n log(phrases) instead of n log n.
        keys = np.array([_hash(phrases[i]) for i in members], np.uint64)
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        at = np.minimum(np.searchsorted(sorted_keys, windows), len(sorted_keys) - 1)
        hit = sorted_keys[at] == windows
        per_key = np.bincount(at[hit], minlength=len(sorted_keys))
        # Equal hashes (a phrase listed twice) share the count of their first sorted slot.
        first = np.searchsorted(sorted_keys, sorted_keys)
        found = np.empty(len(keys), np.int64)
        found[order] = per_key[first]
        for i, value in zip(members, found.tolist(), strict=True):
            counts[i] = value
    return counts


def _hash(phrase: str) -> int:
    """The window hash of ``phrase`` (as _count_hashed computes it for the text)."""
    value = 0
    for ch in phrase.encode("utf-32-le", "surrogatepass").decode("utf-32-le", "surrogatepass"):
        value = (value * BASE + ord(ch)) & MASK
    return value


def _powers(np: Any, base: int, size: int) -> Any:
    """base**k mod 2**64 for k < size (uint64 products wrap around)."""
    values = np.full(size, base, np.uint64)
    values[:1] = 1
    return np.cumprod(values, dtype=np.uint64)
