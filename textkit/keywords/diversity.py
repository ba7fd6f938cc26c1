"""Five keywords should be five different things: a candidate that contains, or is
contained in, a better-ranked keyword already chosen is skipped (粮食安全 and 粮食 name one
thing; the better ranked of the two stays).

The choice is greedy in rank order, so the first k keywords chosen never depend on how many
are asked for: ``-k 3`` is always the start of ``-k 10``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator


def distinct(ranked: Iterable[tuple[str, float]], min_len: int = 1) -> Iterator[tuple[str, float]]:
    """``ranked`` (best first) without the keywords that contain an earlier one or are
    contained in one. Each check looks up the candidate's own substrings, so a long list
    costs linear time, not a comparison with every keyword chosen."""
    chosen: set[str] = set()
    inside_chosen: set[str] = set()  # every substring of a chosen keyword
    shortest = max(min_len, 1)
    for phrase, weight in ranked:
        size = len(phrase)
        parts = {phrase[i:j] for i in range(size) for j in range(i + shortest, size + 1)}
        if phrase in inside_chosen or not chosen.isdisjoint(parts):
            continue
        chosen.add(phrase)
        inside_chosen.update(parts)
        yield phrase, weight
