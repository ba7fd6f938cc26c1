"""What labeled rows say about their labels, used to make copies that keep them.

A classifier learns a label from the words that go with it (好吃 in positive reviews, 股票 in
finance news). Two things follow for augmentation, both read from the user's rows alone:

- the words that mark a label are kept as they are: a copy that replaces one by a synonym
  the data seldom uses (好吃 -> 可口) or deletes it says the same to a reader but less to a
  model. A word marks a label when it is in clearly more of that label's rows than of the
  other rows: the log-odds ratio of its document frequencies (label vs rest, each count
  smoothed by ``SMOOTHING``) is at least ``min_log_odds`` (the odds of a row having it are
  e times those of the rest or more, however many rows there are), its z-score at least
  ``min_z`` (not by chance), and at least ``min_rows`` of the label's rows have it;
- a row whose words do not clearly point to its label (mixed opinions, a mislabeled row)
  gets no copies: copies of it are the ones a model most easily labels differently, and
  they would repeat a doubtful example. Its words are weighed by the other rows: the sum
  of the log-odds ratios between the row's label and the rest of its words that other rows
  have, counted without the row; below ``DEFAULT_WEAK_BELOW`` (1: the words favour the
  label by odds of less than e to 1, or favour another), the row is weak. A word no other
  row has says nothing, and a row is judged only when its label and the rest each have
  ``MIN_LABEL_ROWS`` other rows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from textkit.augment.synonyms import ONLY_CJK

SMOOTHING = 0.5
DEFAULT_MIN_Z = 2.0
DEFAULT_MIN_ROWS = 2
DEFAULT_MIN_LOG_ODDS = 1.0
DEFAULT_WEAK_BELOW = 1.0
DEFAULT_PER_LABEL: int | None = 20
# Fewer rows than this in a row's label (or in the rest), the row itself not counted: too
# few to weigh its words by.
MIN_LABEL_ROWS = 10


def _log_odds(in_label: float, label_rows: float, in_rest: float, rest_rows: float) -> float:
    a = SMOOTHING
    return math.log((in_label + a) / (label_rows - in_label + a)) - math.log(
        (in_rest + a) / (rest_rows - in_rest + a)
    )


def log_odds_z(in_label: int, label_rows: int, in_rest: int, rest_rows: int) -> float:
    """The z-score of the log-odds ratio of a word being in a row of the label vs the rest
    (document frequencies, every count smoothed by ``SMOOTHING``)."""
    a = SMOOTHING
    counts = (in_label + a, label_rows - in_label + a, in_rest + a, rest_rows - in_rest + a)
    delta = _log_odds(in_label, label_rows, in_rest, rest_rows)
    return delta / math.sqrt(sum(1 / c for c in counts))


def _has_label(label: Hashable) -> bool:
    return label is not None and label != ""


@dataclass
class LabelCounts:
    """How many rows of each label have each Chinese word."""

    rows: list[frozenset[str]]
    labels: list[Hashable]
    per_label: dict[Hashable, Counter[str]]
    total: Counter[str]
    sizes: Counter[Hashable]

    @classmethod
    def count(cls, rows: Iterable[Sequence[str]], labels: Iterable[Hashable]) -> LabelCounts:
        """Count the tokenized ``rows``; rows without a label (None or "") count for nothing."""
        words_of, labels_of = [], []
        per_label: dict[Hashable, Counter[str]] = defaultdict(Counter)
        total: Counter[str] = Counter()
        sizes: Counter[Hashable] = Counter()
        for tokens, label in zip(rows, labels, strict=True):
            words = frozenset(t for t in tokens if ONLY_CJK.match(t))
            words_of.append(words)
            labels_of.append(label)
            if _has_label(label):
                per_label[label].update(words)
                total.update(words)
                sizes[label] += 1
        return cls(words_of, labels_of, per_label, total, sizes)

    def label_words(
        self,
        *,
        min_z: float = DEFAULT_MIN_Z,
        min_rows: int = DEFAULT_MIN_ROWS,
        min_log_odds: float = DEFAULT_MIN_LOG_ODDS,
        per_label: int | None = DEFAULT_PER_LABEL,
    ) -> tuple[str, ...]:
        """The words that mark a label (see the module's docstring), sorted: at most
        ``per_label`` of each label, those with the highest z-scores; none when the rows
        have fewer than two labels."""
        if len(self.sizes) < 2:
            return ()
        n = sum(self.sizes.values())
        found: set[str] = set()
        for label, counts in self.per_label.items():
            size = self.sizes[label]
            marking: list[tuple[float, str]] = []
            for word, k in counts.items():
                if k < min_rows:
                    continue
                rest = self.total[word] - k
                z = log_odds_z(k, size, rest, n - size)
                if _log_odds(k, size, rest, n - size) >= min_log_odds and z >= min_z:
                    marking.append((-z, word))
            found.update(word for _, word in sorted(marking)[:per_label])
        return tuple(sorted(found))

    def row_scores(self) -> list[float | None]:
        """For each row, how strongly the other rows find its words pointing to its own
        label: the sum of its words' log-odds ratios between the label and the rest,
        counted without the row (see the module's docstring); None for a row without a
        label, without a word another row has or whose label or rest has fewer than
        ``MIN_LABEL_ROWS`` other rows."""
        n = sum(self.sizes.values())
        out: list[float | None] = []
        for words, label in zip(self.rows, self.labels, strict=True):
            size = self.sizes[label] - 1 if _has_label(label) else 0
            rest = n - 1 - size
            if min(size, rest) < MIN_LABEL_ROWS:
                out.append(None)
                continue
            counts = self.per_label[label]
            scores = [
                _log_odds(counts[word] - 1, size, self.total[word] - counts[word], rest)
                for word in words
                if self.total[word] > 1
            ]
            out.append(sum(scores) if scores else None)
        return out

    def weak_rows(self, below: float = DEFAULT_WEAK_BELOW) -> list[bool]:
        """For each row, whether its score (:meth:`row_scores`) is below ``below``: the
        other rows do not find its words clearly pointing to its own label."""
        return [score is not None and score < below for score in self.row_scores()]


def label_words(
    rows: Iterable[Sequence[str]],
    labels: Iterable[Hashable],
    *,
    min_z: float = DEFAULT_MIN_Z,
    min_rows: int = DEFAULT_MIN_ROWS,
) -> tuple[str, ...]:
    """The Chinese words of the tokenized ``rows`` that mark one of their ``labels``."""
    return LabelCounts.count(rows, labels).label_words(min_z=min_z, min_rows=min_rows)
