"""Multi-label data: label sets, and the probability thresholds that decide them.

A multi-label model is one binary logistic regression per label (see
:mod:`textkit.classify.linear`); a text gets every label whose probability reaches the
label's threshold. Thresholds are chosen on held-out probabilities (validation data, or
out-of-fold probabilities of the training data): one global threshold that maximises the
micro-averaged F1, then, for each label with at least :data:`MIN_POSITIVES` held-out
examples, the threshold that maximises that label's own F1 (rarer labels keep the global
one: an F1 optimum found on a handful of examples is mostly noise).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

MIN_POSITIVES = 10


def is_multi_label(labels: Sequence[Any]) -> bool:
    """Whether ``labels`` holds label lists (one per text) rather than single labels."""
    return any(isinstance(label, (list, tuple)) for label in labels)


def label_sets(labels: Sequence[Any]) -> list[list[str]]:
    """Each text's labels as a list of distinct strings, in their first order."""
    out = []
    for label in labels:
        items = label if isinstance(label, (list, tuple)) else [label]
        out.append(list(dict.fromkeys(str(x) for x in items)))
    return out


def several_labels(labels: Sequence[Any]) -> int:
    """How many texts have more than one distinct label."""
    return sum(len(s) > 1 for s in label_sets(labels))


def indicator(sets: Sequence[Sequence[str]], classes: Sequence[str]) -> np.ndarray:
    """(n, K) boolean matrix: text i has label classes[j]. Unknown labels are ignored."""
    index = {c: j for j, c in enumerate(classes)}
    out = np.zeros((len(sets), len(classes)), dtype=bool)
    for i, labels in enumerate(sets):
        out[i, [index[x] for x in labels if x in index]] = True
    return out


def best_threshold(proba: np.ndarray, truth: np.ndarray) -> tuple[float, float]:
    """(threshold, F1) maximising the F1 of the decisions ``proba >= threshold`` over all
    entries of ``proba`` against ``truth``; the threshold lies halfway between the last
    probability taken and the next one (ties: the higher threshold)."""
    p = np.asarray(proba, dtype=np.float64).ravel()
    t = np.asarray(truth, dtype=bool).ravel()
    positives = int(t.sum())
    if positives == 0 or len(p) == 0:
        return 0.5, 0.0
    order = np.argsort(-p, kind="stable")
    p, t = p[order], t[order]
    # cut after position i (take the i + 1 most probable) only where the next one differs
    last = np.append(p[1:] != p[:-1], True)
    hits = np.cumsum(t)[last]
    taken = np.flatnonzero(last) + 1
    f1 = 2 * hits / (taken + positives)
    best = int(np.argmax(f1))  # first maximum: the fewest entries taken
    cut = taken[best]
    below = p[cut] if cut < len(p) else 0.0
    return float((p[cut - 1] + below) / 2), float(f1[best])


def choose_thresholds(
    proba: np.ndarray, truth: np.ndarray, min_positives: int = MIN_POSITIVES
) -> tuple[np.ndarray, float]:
    """Per-label thresholds from held-out probabilities (n, K) and gold labels (n, K),
    and the global threshold the rarer labels got (see the module docstring)."""
    overall, _ = best_threshold(proba, truth)
    thresholds = np.full(proba.shape[1], overall)
    for j in range(proba.shape[1]):
        if truth[:, j].sum() >= min_positives:
            thresholds[j] = best_threshold(proba[:, j], truth[:, j])[0]
    return thresholds, overall
