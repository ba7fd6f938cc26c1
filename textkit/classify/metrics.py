"""Classification metrics in numpy: accuracy, per-class and averaged P/R/F1, confusion."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1), 0.0)


def classification_report(
    gold: Sequence[str], predicted: Sequence[str], labels: Sequence[str]
) -> dict[str, Any]:
    """Every number ``evaluate`` prints, as plain Python data.

    ``labels`` fixes the order of the per-class rows and of the confusion matrix (rows are
    gold labels, columns predicted labels); a label with no support scores 0. Macro
    averages are over the labels that occur in ``gold`` or ``predicted``, as scikit-learn's
    are: a model's other classes do not pull them down on data that lacks them.
    """
    index = {label: i for i, label in enumerate(labels)}
    g = np.array([index[x] for x in gold], dtype=np.int64)
    p = np.array([index[x] for x in predicted], dtype=np.int64)
    k = len(labels)
    confusion = np.bincount(g * k + p, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(float)
    support = confusion.sum(axis=1).astype(float)
    precision = _safe_div(tp, confusion.sum(axis=0).astype(float))
    recall = _safe_div(tp, support)
    f1 = _safe_div(2 * precision * recall, precision + recall)
    n = len(g)
    weights = support / n if n else support
    present = (support > 0) | (confusion.sum(axis=0) > 0)

    def macro(values: np.ndarray) -> float:
        return float(values[present].mean()) if present.any() else 0.0

    per_class = [
        {
            "label": label,
            "precision": float(precision[i]),
            "recall": float(recall[i]),
            "f1": float(f1[i]),
            "support": int(support[i]),
        }
        for i, label in enumerate(labels)
    ]
    return {
        "n": n,
        "accuracy": float(tp.sum() / n) if n else 0.0,
        "macro": {"precision": macro(precision), "recall": macro(recall), "f1": macro(f1)},
        "weighted": {
            "precision": float((precision * weights).sum()),
            "recall": float((recall * weights).sum()),
            "f1": float((f1 * weights).sum()),
        },
        "per_class": per_class,
        "labels": list(labels),
        "confusion": confusion.tolist(),
    }


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters take two, combining
    marks none."""
    import unicodedata

    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _pad(cell: str, width: int, left: bool) -> str:
    fill = " " * max(0, width - display_width(cell))
    return cell + fill if left else fill + cell


def _table(rows: list[list[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces apart, aligned by
    display width (a Chinese label takes two columns a character)."""
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            _pad(cell, w, i == 0) for i, (cell, w) in enumerate(zip(row, widths, strict=True))
        ).rstrip()
        for row in rows
    ]


def format_report(report: dict[str, Any]) -> str:
    """The report as aligned plain-text tables: summary, per-class scores, confusion."""
    lines = [f"N\t{report['n']}", f"accuracy\t{report['accuracy']:.4f}"]
    for avg in ("macro", "weighted"):
        scores = report[avg]
        lines.append(
            f"{avg}\tP {scores['precision']:.4f}  R {scores['recall']:.4f}  F1 {scores['f1']:.4f}"
        )
    lines.append("")
    rows = [["label", "precision", "recall", "f1", "support"]]
    rows += [
        [
            c["label"],
            f"{c['precision']:.4f}",
            f"{c['recall']:.4f}",
            f"{c['f1']:.4f}",
            str(c["support"]),
        ]
        for c in report["per_class"]
    ]
    lines += _table(rows)
    lines += ["", "confusion (rows: gold, columns: predicted)"]
    labels = report["labels"]
    matrix = [["", *labels]]
    matrix += [
        [label, *map(str, row)] for label, row in zip(labels, report["confusion"], strict=True)
    ]
    lines += _table(matrix)
    return "\n".join(lines) + "\n"


def format_fasttext(report: dict[str, Any]) -> str:
    """fastText ``test`` output: N, P@1, R@1 (equal for single-label data)."""
    accuracy = report["accuracy"]
    return f"N\t{report['n']}\nP@1\t{accuracy:.3f}\nR@1\t{accuracy:.3f}\n"
