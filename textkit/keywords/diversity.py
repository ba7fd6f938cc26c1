"""Five keywords should be five different things: a candidate that contains, or is
contained in, a better-ranked keyword already chosen is skipped, unless both are used on
their own in the text.

Both are used on their own when the longer one occurs at least MIN_USES times and the
shorter one at least MIN_USES times outside it (粮食 and 粮食安全 in a text about food
supply and, separately, food security).

The choice is greedy in rank order, so the first k keywords chosen never depend on how many
are asked for: ``-k 3`` is always the start of ``-k 10``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

MIN_USES = 2


def independent(long_uses: int, short_uses: int, inside: int) -> bool:
    """Whether a phrase used ``long_uses`` times and a part of it used ``short_uses`` times
    (``inside`` times within the phrase itself) are each used on their own."""
    return long_uses >= MIN_USES and short_uses - long_uses * inside >= MIN_USES


def distinct(
    ranked: Iterable[tuple[str, float]],
    count: Callable[[str], int],
    min_len: int = 1,
) -> Iterator[tuple[str, float]]:
    """``ranked`` (best first) without the keywords that overlap an earlier one by
    containment, except where both are used on their own (see the module docstring);
    ``count(s)``: the occurrences of the string ``s`` in the text. Each check looks up the
    candidate's own substrings, so a long list costs linear time, not a comparison with
    every keyword chosen."""
    from textkit.keywords.occurrences import count_in

    chosen: set[str] = set()
    containing: dict[str, list[str]] = {}  # substring -> the chosen keywords holding it
    shortest = max(min_len, 1)
    for phrase, weight in ranked:
        size = len(phrase)
        parts = {phrase[i:j] for i in range(size) for j in range(i + shortest, size + 1)}
        parts.discard(phrase)
        inner = chosen.intersection(parts)
        outer = containing.get(phrase, ())
        if inner or outer:
            uses = count(phrase)
            if inner and not all(
                independent(uses, count(part), count_in(phrase, part)) for part in inner
            ):
                continue
            if outer and not all(
                independent(count(whole), uses, count_in(whole, phrase)) for whole in outer
            ):
                continue
        chosen.add(phrase)
        for part in parts:
            containing.setdefault(part, []).append(phrase)
        yield phrase, weight
