"""Choosing settings on the training data itself: folds and held-out scores.

Settings (C, the number of augmented copies) are compared by held-out scores, either on
validation data or by k-fold cross-validation over the training rows. Folds are made of
original rows: a row's augmented copies always go with it (never into the fold that
scores it), and only original rows are scored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Candidate:
    """One setting to try."""

    C: float
    copies: int = 0
    expand: float = 0.0  # weight of the synonym expansion (textkit.classify.expansion)

    def describe(self) -> dict[str, Any]:
        return {
            "C": self.C,
            "copies": self.copies,
            **({"expand": self.expand} if self.expand else {}),
        }


@dataclass
class Selection:
    """What was tried, how it scored (overall, and per held-out row), and the winner."""

    method: str  # "validation", "5-fold cross-validation"...
    metric: str  # "accuracy" or "micro-F1"
    scores: dict[Candidate, float] = field(default_factory=dict)
    rows: dict[Candidate, np.ndarray] = field(default_factory=dict)  # NaN: not held out
    chosen: Candidate | None = None  # overrides the best score
    notes: dict[str, Any] = field(default_factory=dict)

    @property
    def best(self) -> Candidate:
        """The chosen candidate, else the best score; ties go to fewer copies, then to less
        expansion, then to the smaller C (stronger regularisation)."""
        if self.chosen is not None:
            return self.chosen
        return max(self.scores, key=lambda c: (self.scores[c], -c.copies, -c.expand, -c.C))

    def joined(self, other: Selection) -> Selection:
        """One selection over both's candidates (scored on the same held-out rows)."""
        joined = Selection(self.method, self.metric)
        joined.scores = {**self.scores, **other.scores}
        joined.rows = {**self.rows, **other.rows}
        return joined

    def to_dict(self) -> dict[str, Any]:
        best = self.best
        return {
            **best.describe(),
            "method": self.method,
            "metric": self.metric,
            "scores": [
                {**c.describe(), self.metric: round(score, 6)} for c, score in self.scores.items()
            ],
            **self.notes,
        }


def predicted_classes(scores: np.ndarray) -> np.ndarray:
    """Class indices from one-vs-rest decision scores (one column: the second class's)."""
    return (scores[:, 0] > 0).astype(np.int64) if scores.shape[1] == 1 else scores.argmax(1)


def fold_ids(strata: np.ndarray, n_folds: int, seed: int) -> np.ndarray:
    """A fold number (0 .. n_folds-1) per row, stratified: each stratum's rows are shuffled
    and dealt round-robin, continuing where the previous stratum stopped."""
    rng = np.random.default_rng(seed)
    folds = np.empty(len(strata), dtype=np.int64)
    position = 0
    for value in np.unique(strata):
        members = rng.permutation(np.flatnonzero(strata == value))
        folds[members] = (position + np.arange(len(members))) % n_folds
        position += len(members)
    return folds


def strata_of(y: np.ndarray) -> np.ndarray:
    """Stratification key per row: the class (single-label), or the row's rarest label
    (multi-label, a boolean indicator matrix; rows without labels form their own group)."""
    if y.ndim == 1:
        return y
    frequency = y.sum(axis=0)
    masked = np.where(y, frequency[None, :], np.iinfo(np.int64).max)
    rarest = masked.argmin(axis=1)
    return np.where(y.any(axis=1), rarest, -1)


def accuracy_of(scores: np.ndarray, y: np.ndarray) -> float:
    """Accuracy of one-vs-rest decision scores (one column: the second class's score)."""
    return float(np.mean(predicted_classes(scores) == y))


def micro_f1_of(
    proba: np.ndarray, truth: np.ndarray, threshold: float | None
) -> tuple[float, float]:
    """(micro-F1, threshold): at ``threshold``, or at the best global one when None."""
    from textkit.classify.multilabel import best_threshold

    if threshold is None:
        threshold, _ = best_threshold(proba, truth)
    predicted = proba >= threshold
    tp = float((predicted & truth).sum())
    denominator = float(predicted.sum() + truth.sum())
    return (2 * tp / denominator if denominator else 0.0), threshold
