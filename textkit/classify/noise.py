"""Noisy copies of training texts: synonyms of any sense, random insertions and swaps.

The copies exist only inside training (``train(..., config=TrainConfig(augment=N))``): a
model fitted on a text and several noisy versions of it relies less on any single word or
word order, and sees synonyms of its words. They are never written out, so they need not
read well (a synonym may be of another sense); ``textkit augment`` makes copies meant to
be read.

Only editable words change: with ``editable`` given, those it accepts (for training:
Chinese words that are not stopwords, numbers or negators, so 不 and the word after it
stay). Each copy applies one operation, taken in turn from ``operations``: ``synonym``
replaces ``rate`` of the editable words that have synonyms by one of them, ``insert`` puts
a synonym of an editable word (or the word) at a random place, ``swap`` exchanges two
editable words, ``delete`` drops editable words (never all words); each ``rate`` times the
number of editable words, at least once. A text always gets exactly ``copies`` copies
(identical ones included), so every row and its copies weigh the same.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence

OPERATIONS = ("synonym", "insert", "swap", "delete")
DEFAULT_OPERATIONS = ("synonym", "insert", "swap", "swap")
NOISE_RATE = 0.2  # fraction of a text's editable words each copy changes
Cut = Callable[[str], list[str]]
Synonyms = Mapping[str, Sequence[str]]
Items = list[tuple[str, int]]  # (word, index in the original; -1 for a new word)


def _swapped(items: Items, places: list[int], k: int, rng: random.Random) -> Items:
    if len(places) > 1:
        for _ in range(k):
            a, b = rng.sample(places, 2)
            items[a], items[b] = items[b], items[a]
    return items


def _deleted(items: Items, places: list[int], k: int, rng: random.Random) -> Items:
    gone = set(rng.sample(places, min(k, len(places), len(items) - 1)))
    return [item for i, item in enumerate(items) if i not in gone]


def _inserted(
    items: Items, places: list[int], k: int, rng: random.Random, synonyms: Synonyms
) -> Items:
    words = [items[i][0] for i in places]
    for _ in range(k):
        word = rng.choice(words)
        others = synonyms.get(word)
        items.insert(rng.randrange(len(items) + 1), (rng.choice(others) if others else word, -1))
    return items


def _replaced(
    items: Items, places: list[int], k: int, rng: random.Random, synonyms: Synonyms
) -> Items:
    having = [i for i in places if synonyms.get(items[i][0])]
    for i in rng.sample(having, min(k, len(having))):
        items[i] = (rng.choice(synonyms[items[i][0]]), -1)
    return items


def noisy_copy(
    words: Sequence[str],
    operation: str,
    rate: float,
    rng: random.Random,
    synonyms: Synonyms | None = None,
    editable: Callable[[Sequence[str], int], bool] | None = None,
) -> str:
    """One copy of a tokenized text, made by one of :data:`OPERATIONS`; ``editable(words,
    i)`` says whether word ``i`` may change (default: every word)."""
    from textkit.augment.eda import join_tokens

    items = [(w, i) for i, w in enumerate(words)]
    places = [
        i
        for i, w in enumerate(words)
        if not w.isspace() and (editable is None or editable(words, i))
    ]
    if not places:
        return join_tokens(items)
    k = max(1, round(rate * len(places)))
    table = synonyms or {}
    if operation == "swap":
        items = _swapped(items, places, k, rng)
    elif operation == "delete":
        items = _deleted(items, places, k, rng)
    elif operation == "insert":
        items = _inserted(items, places, k, rng, table)
    else:
        items = _replaced(items, places, k, rng, table)
    return join_tokens(items)


def noisy_copies(
    texts: Sequence[str],
    copies: int,
    seed: int,
    cut: Cut,
    *,
    rate: float = NOISE_RATE,
    synonyms: Synonyms | None = None,
    operations: Sequence[str] = DEFAULT_OPERATIONS,
    editable: Callable[[Sequence[str], int], bool] | None = None,
) -> list[list[str]]:
    """``copies`` noisy versions of each text (see the module docstring), the operations
    taken in turn; the seed and a text's position decide its copies. ``cut`` may keep
    whitespace tokens: they stay where they are."""
    made = []
    for i, text in enumerate(texts):
        words = [w for w in cut(text) if w]
        rng = random.Random(f"{seed}:{i}")
        made.append(
            [
                noisy_copy(words, operations[c % len(operations)], rate, rng, synonyms, editable)
                for c in range(copies)
            ]
        )
    return made


def content_words(stopwords: frozenset[str]) -> Callable[[Sequence[str], int], bool]:
    """``editable`` for training copies: a Chinese word that is not a stopword, holds no
    numeral, is not a negator and does not follow one."""
    from textkit.augment.eda import _NUMERAL, is_negator
    from textkit.augment.synonyms import ONLY_CJK

    def editable(words: Sequence[str], i: int) -> bool:
        word = words[i]
        return (
            ONLY_CJK.match(word) is not None
            and word not in stopwords
            and _NUMERAL.search(word) is None
            and not is_negator(word)
            and not (i and is_negator(words[i - 1]))
        )

    return editable


def training_synonyms() -> Synonyms:
    """HIT Cilin's synonyms of every sense; the reviewed list when Cilin is not installed."""
    from textkit.augment.synonyms import cilin_synonyms, default_synonyms
    from textkit.errors import ResourceError

    try:
        return cilin_synonyms()
    except ResourceError:
        return default_synonyms()


def training_copies(
    texts: Sequence[str], copies: int, seed: int, tokenizer: str
) -> list[list[str]]:
    """The copies ``train(..., augment=N)`` fits on: HIT Cilin synonyms (every sense; the
    reviewed list when Cilin is not installed), content words only."""
    from textkit.text.stopwords import load_stopwords
    from textkit.text.tokenizer import Tokenizer

    cut = Tokenizer(backend=tokenizer).cut
    return noisy_copies(
        texts,
        copies,
        seed,
        lambda text: cut(text, keep_spaces=True),
        synonyms=training_synonyms(),
        editable=content_words(load_stopwords()),
    )
