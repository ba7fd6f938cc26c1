"""Keeping the labels' proportions: copies dropped so that every label gets as many copies
per row on average.

Rows that are easy to edit get more copies, and what makes a row easy to edit can go with
its label (positive reviews have more adjectives to intensify): left as they are, the
copies would shift a classifier's prior towards that label.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Hashable, Sequence


def _rows_by_label(labels: Sequence[Hashable]) -> dict[Hashable, list[int]]:
    rows: dict[Hashable, list[int]] = defaultdict(list)
    for i, label in enumerate(labels):
        if label is not None and label != "":
            rows[label].append(i)
    return rows


def copy_rates(counts: Sequence[int], labels: Sequence[Hashable]) -> dict[Hashable, float]:
    """Copies per row of each label (``counts``: each row's number of copies); rows
    without a label (None or "") are left out."""
    return {
        label: sum(counts[i] for i in idx) / len(idx)
        for label, idx in _rows_by_label(labels).items()
    }


def balance_copies(
    copies: Sequence[Sequence[str]], labels: Sequence[Hashable], seed: int = 0
) -> list[list[str]]:
    """``copies`` (each row's list) with random copies dropped from the labels that have
    more copies per row than the label with the fewest, down to that rate. Rows without a
    label (None or "") keep theirs. Deterministic for a seed."""
    rows = _rows_by_label(labels)
    out = [list(c) for c in copies]
    if len(rows) < 2:
        return out
    rate = copy_rates([len(c) for c in copies], labels)
    target = min(rate.values())
    for label in sorted(rows, key=str):
        idx = rows[label]
        have = sum(len(copies[i]) for i in idx)
        drop = have - round(target * len(idx))
        if drop <= 0:
            continue
        slots = [(i, k) for i in idx for k in range(len(copies[i]))]
        gone = set(random.Random(f"{seed}:balance:{label}").sample(slots, drop))
        for i in idx:
            out[i] = [c for k, c in enumerate(copies[i]) if (i, k) not in gone]
    return out
