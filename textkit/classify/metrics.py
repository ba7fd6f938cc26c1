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


def multilabel_report(
    gold: Sequence[Sequence[str]],
    predicted: Sequence[Sequence[str]],
    labels: Sequence[str],
    ranked: Sequence[Sequence[str]] | None = None,
    k: int = 1,
) -> dict[str, Any]:
    """Every number ``evaluate`` prints for multi-label data, as plain Python data.

    ``gold`` and ``predicted`` hold each text's labels (any order; repeats count once).
    Micro averages pool the label decisions of all texts; macro averages are over the
    labels that occur in ``gold`` or ``predicted`` (as :func:`classification_report`).
    The exact-match ratio counts texts whose label set is predicted exactly; the Hamming
    loss is the share of wrong (text, label) decisions over ``labels``. With ``ranked``
    (each text's labels best first), fastText's ``P@k`` and ``R@k``: correct labels among
    the first ``k`` of each text, over all such predictions and over all gold labels.
    """
    if len(gold) != len(predicted) or (ranked is not None and len(ranked) != len(gold)):
        raise ValueError("gold and predicted label lists differ in length")
    index = {label: i for i, label in enumerate(labels)}
    n, width = len(gold), len(labels)
    truth = np.zeros((n, width), dtype=bool)
    guess = np.zeros((n, width), dtype=bool)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        truth[i, [index[x] for x in g]] = True
        guess[i, [index[x] for x in p]] = True
    tp = (truth & guess).sum(axis=0).astype(float)
    support = truth.sum(axis=0).astype(float)
    chosen = guess.sum(axis=0).astype(float)
    precision = _safe_div(tp, chosen)
    recall = _safe_div(tp, support)
    f1 = _safe_div(2 * precision * recall, precision + recall)
    present = (support > 0) | (chosen > 0)

    def macro(values: np.ndarray) -> float:
        return float(values[present].mean()) if present.any() else 0.0

    micro_p = float(tp.sum() / chosen.sum()) if chosen.sum() else 0.0
    micro_r = float(tp.sum() / support.sum()) if support.sum() else 0.0
    micro_f = 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0
    report: dict[str, Any] = {
        "n": n,
        "multi_label": True,
        "exact_match": float((truth == guess).all(axis=1).mean()) if n else 0.0,
        "hamming_loss": float((truth != guess).mean()) if n and width else 0.0,
        "micro": {"precision": micro_p, "recall": micro_r, "f1": micro_f},
        "macro": {"precision": macro(precision), "recall": macro(recall), "f1": macro(f1)},
        "per_label": [
            {
                "label": label,
                "precision": float(precision[i]),
                "recall": float(recall[i]),
                "f1": float(f1[i]),
                "support": int(support[i]),
                "predicted": int(chosen[i]),
            }
            for i, label in enumerate(labels)
        ],
        "labels": list(labels),
        "gold_labels": int(support.sum()),
    }
    if ranked is not None:
        report.update(precision_at_k(gold, ranked, k))
    return report


def precision_at_k(
    gold: Sequence[Sequence[str]], ranked: Sequence[Sequence[str]], k: int
) -> dict[str, Any]:
    """fastText ``test``'s numbers: ``k``, ``P@k`` (correct labels among each text's first
    ``k`` over the number of those predictions) and ``R@k`` (over the number of gold
    labels), all gold labels counting, in any order."""
    if k < 1:
        raise ValueError("k must be at least 1")
    hits = predictions = golds = 0
    for g, r in zip(gold, ranked, strict=True):
        wanted = set(g)
        first = list(dict.fromkeys(r))[:k]
        hits += sum(label in wanted for label in first)
        predictions += len(first)
        golds += len(wanted)
    return {
        "k": k,
        "precision_at_k": hits / predictions if predictions else 0.0,
        "recall_at_k": hits / golds if golds else 0.0,
    }


def format_multilabel_report(report: dict[str, Any]) -> str:
    """A multi-label report as aligned plain text: summary lines, then per-label scores."""
    lines = [
        f"N\t{report['n']}",
        f"exact match\t{report['exact_match']:.4f}",
        f"Hamming loss\t{report['hamming_loss']:.4f}",
    ]
    for avg in ("micro", "macro"):
        scores = report[avg]
        lines.append(
            f"{avg}\tP {scores['precision']:.4f}  R {scores['recall']:.4f}  F1 {scores['f1']:.4f}"
        )
    if "precision_at_k" in report:
        k = report["k"]
        lines.append(f"P@{k}\t{report['precision_at_k']:.4f}")
        lines.append(f"R@{k}\t{report['recall_at_k']:.4f}")
    lines.append("")
    rows = [["label", "precision", "recall", "f1", "support", "predicted"]]
    rows += [
        [
            c["label"],
            f"{c['precision']:.4f}",
            f"{c['recall']:.4f}",
            f"{c['f1']:.4f}",
            str(c["support"]),
            str(c["predicted"]),
        ]
        for c in report["per_label"]
    ]
    lines += _table(rows)
    return "\n".join(lines) + "\n"


def format_fasttext_at_k(report: dict[str, Any]) -> str:
    """fastText ``test`` output from :func:`precision_at_k` numbers (with ``n``)."""
    k = report["k"]
    return (
        f"N\t{report['n']}\nP@{k}\t{report['precision_at_k']:.3f}\n"
        f"R@{k}\t{report['recall_at_k']:.3f}\n"
    )
