"""Noisy copies of training texts: random word swaps, deletions, insertions, synonyms.

The copies exist only inside training (``train(..., config=TrainConfig(augment=N))``): a
model fitted on a text and several noisy versions of it relies less on any single word or
word order, as with word dropout, and sees synonyms of its words. They are never written
out, so they need not read well; ``textkit augment`` makes copies meant to be read.

Each copy applies one operation, in turn: swap ``rate`` of the words pairwise (at least
one swap), delete ``rate`` of the words (at least one, never all), insert ``rate`` of the
words again (or a synonym of them) at random places, and, given a synonym table, replace
``rate`` of the words that have synonyms by one of them. A text always gets exactly
``copies`` copies (identical ones included), so every row and its copies weigh the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

NOISE_RATE = 0.1  # fraction of a text's words each copy changes
Cut = Callable[[str], list[str]]
Synonyms = Mapping[str, Sequence[str]]


def _swapped(words: list[str], k: int, rng: random.Random) -> list[tuple[str, int]]:
    order = list(range(len(words)))
    if len(words) > 1:
        for _ in range(k):
            a, b = rng.sample(range(len(words)), 2)
            order[a], order[b] = order[b], order[a]
    return [(words[i], i) for i in order]


def _deleted(words: list[str], k: int, rng: random.Random) -> list[tuple[str, int]]:
    gone = set(rng.sample(range(len(words)), min(k, len(words) - 1)))
    return [(w, i) for i, w in enumerate(words) if i not in gone]


def _inserted(
    words: list[str], k: int, rng: random.Random, synonyms: Synonyms
) -> list[tuple[str, int]]:
    items = [(w, i) for i, w in enumerate(words)]
    for _ in range(k):
        word = words[rng.randrange(len(words))]
        others = synonyms.get(word)
        items.insert(rng.randrange(len(items) + 1), (rng.choice(others) if others else word, -1))
    return items


def _replaced(
    words: list[str], k: int, rng: random.Random, synonyms: Synonyms
) -> list[tuple[str, int]]:
    items = [(w, i) for i, w in enumerate(words)]
    places = [i for i, w in enumerate(words) if synonyms.get(w)]
    for i in rng.sample(places, min(k, len(places))):
        items[i] = (rng.choice(synonyms[words[i]]), -1)
    return items


def noisy_copy(
    words: Sequence[str],
    operation: int,
    rate: float,
    rng: random.Random,
    synonyms: Synonyms | None = None,
) -> str:
    """One copy of a tokenized text: operation 0 swaps, 1 deletes, 2 inserts, 3 replaces
    words by synonyms."""
    from textkit.augment.eda import join_tokens

    words = list(words)
    if not words:
        return ""
    k = max(1, round(rate * len(words)))
    table = synonyms or {}
    if operation == 0:
        items = _swapped(words, k, rng)
    elif operation == 1:
        items = _deleted(words, k, rng)
    elif operation == 2:
        items = _inserted(words, k, rng, table)
    else:
        items = _replaced(words, k, rng, table)
    return join_tokens(items)


def noisy_copies(
    texts: Sequence[str],
    copies: int,
    seed: int,
    cut: Cut,
    rate: float = NOISE_RATE,
    synonyms: Synonyms | None = None,
) -> list[list[str]]:
    """``copies`` noisy versions of each text (see the module docstring); the seed and a
    text's position decide its copies."""
    operations = 4 if synonyms else 3
    made = []
    for i, text in enumerate(texts):
        words = [w for w in cut(text) if not w.isspace()]
        rng = random.Random(f"{seed}:{i}")
        made.append([noisy_copy(words, c % operations, rate, rng, synonyms) for c in range(copies)])
    return made
