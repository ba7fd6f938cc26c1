"""Five keywords should be five different things: a candidate that contains, or is
contained in, a better-ranked keyword already chosen is skipped (粮食安全 and 粮食 name one
thing; the better ranked of the two stays). So is a phrase that overlaps a chosen one, the
end of one being the start of the other, a whole word or more (黑素瘤伴有白癜风样 and
伴有白癜风样色素): two windows on the same stretch of text.

The choice is greedy in rank order, so the first k keywords chosen never depend on how many
are asked for: ``-k 3`` is always the start of ``-k 10``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

# A phrase's word-aligned ends: (its first 1, 2, ... words; its last 1, 2, ... words), each
# shorter than the phrase.
Ends = tuple[list[str], list[str]]


def distinct(
    ranked: Iterable[tuple[str, float]],
    min_len: int = 1,
    ends: Callable[[str], Ends] | None = None,
) -> Iterator[tuple[str, float]]:
    """``ranked`` (best first) without the keywords that contain an earlier one or are
    contained in one, and, given ``ends``, without those whose start is the end of an
    earlier one or whose end is its start. Each check looks up the candidate's own
    substrings and ends, so a long list costs linear time, not a comparison with every
    keyword chosen."""
    chosen: set[str] = set()
    inside_chosen: set[str] = set()  # every substring of a chosen keyword
    starts: set[str] = set()  # the word-aligned starts of chosen keywords ...
    finals: set[str] = set()  # ... and their word-aligned ends
    shortest = max(min_len, 1)
    for phrase, weight in ranked:
        size = len(phrase)
        parts = {phrase[i:j] for i in range(size) for j in range(i + shortest, size + 1)}
        if phrase in inside_chosen or not chosen.isdisjoint(parts):
            continue
        if ends is not None:
            heads, tails = ends(phrase)
            if not finals.isdisjoint(heads) or not starts.isdisjoint(tails):
                continue
            starts.update(heads)
            finals.update(tails)
        chosen.add(phrase)
        inside_chosen.update(parts)
        yield phrase, weight
