"""train-lr's default against scikit-learn's LogisticRegression and LinearSVC with C chosen
by 5-fold cross-validation on the training data, on the same word+char TF-IDF features.

Data and protocol (the test files are read once, at the end):

* THUCNews: train.txt + dev.txt -> test.txt;
* waimai_10k: stratified 80/20 split, seed 0 (classify_bench's);
* FewCLUE TNEWS and EPRSTMT: train_few_all -> test_public; every system chooses C on
  dev_few_all (textkit as ``train-lr --valid`` does), none trains on it.

The baselines' features are textkit's (FeatureConfig defaults) fitted on the training data
once; their C grids: LinearSVC 0.03-3, LogisticRegression 1-100 (liblinear, one-vs-rest
for more than two classes). "best baseline" is the one with the higher cross-validation
(or validation) accuracy.
"""

from __future__ import annotations

import sys
import time
import warnings
from typing import Any

import numpy as np

from benchmarks.classify_bench import THUC, WAIMAI, _thuc, _waimai
from benchmarks.classify_common import FEWCLUE, Split, fewclue, table
from benchmarks.common import DATA

GRIDS = {
    "LinearSVC": (0.03, 0.1, 0.3, 1.0, 3.0),
    "LogisticRegression": (1.0, 3.0, 10.0, 30.0, 100.0),
}


def datasets() -> list[tuple[str, Split, Split | None, Split]]:
    """(name, train, validation for textkit or None, test)."""
    out = []
    if (THUC / "test.txt").exists():
        train, dev = _thuc("train"), _thuc("dev")
        out.append(("THUCNews", (train[0] + dev[0], train[1] + dev[1]), None, _thuc("test")))
    if WAIMAI.exists():
        tx, ty, vx, vy = _waimai()
        out.append(("waimai", (tx, ty), None, (vx, vy)))
    for task in ("tnews", "eprstmt"):
        if (FEWCLUE / task / "test_public.json").exists():
            out.append(
                (
                    f"FewCLUE {task.upper()}",
                    fewclue(task, "train_few_all"),
                    fewclue(task, "dev_few_all"),
                    fewclue(task, "test_public"),
                )
            )
    return out


def _estimator(kind: str, c: float, classes: int) -> Any:
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.svm import LinearSVC

    if kind == "LinearSVC":
        return LinearSVC(C=c)
    model = LogisticRegression(C=c, solver="liblinear")
    return model if classes == 2 else OneVsRestClassifier(model)


def baseline(kind: str, train: Split, valid: Split | None, test: Split) -> dict[str, Any]:
    """C by stratified 5-fold cross-validation on ``train`` (by accuracy on ``valid`` when
    given, as textkit gets it), then refit on ``train`` and test."""
    from scipy import sparse
    from sklearn.model_selection import StratifiedKFold

    from textkit.classify.features import Featurizer

    start = time.perf_counter()
    featurizer = Featurizer()
    x = sparse.csr_matrix(featurizer.fit_transform(train[0]))
    y = np.array(train[1])
    cv: dict[float, float] = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folds = list(StratifiedKFold(5, shuffle=True, random_state=0).split(x, y))
        for c in GRIDS[kind]:
            if valid is not None:
                model = _estimator(kind, c, len(set(y))).fit(x, y)
                held = sparse.csr_matrix(
                    featurizer.transform(valid[0]), shape=(len(valid[0]), x.shape[1])
                )
                cv[c] = float(np.mean(model.predict(held) == np.array(valid[1])))
                continue
            right = 0
            for a, b in folds:
                model = _estimator(kind, c, len(set(y))).fit(x[a], y[a])
                right += int(np.sum(model.predict(x[b]) == y[b]))
            cv[c] = right / len(y)
        best = max(cv, key=lambda c: (cv[c], -c))
        model = _estimator(kind, best, len(set(y))).fit(x, y)
    test_x = sparse.csr_matrix(featurizer.transform(test[0]), shape=(len(test[0]), x.shape[1]))
    seconds = time.perf_counter() - start
    return {
        **_scores(test[1], list(model.predict(test_x))),
        "C": best,
        "cv": cv[best],
        "on": "CV" if valid is None else "validation",
        "seconds": seconds,
    }


def _scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    from textkit.classify.metrics import classification_report

    report = classification_report(gold, predicted, sorted(set(gold) | set(predicted)))
    return {"accuracy": report["accuracy"], "macro-F1": report["macro"]["f1"]}


def textkit_default(train: Split, valid: Split | None, test: Split) -> dict[str, Any]:
    from textkit.classify.training import train as fit

    start = time.perf_counter()
    model = fit(*train, valid=valid).model
    seconds = time.perf_counter() - start
    auto = model.metadata.get("auto", {})
    proba = model.predict_proba(test[0])
    return {
        **_scores(test[1], [model.classes[i] for i in proba.argmax(axis=1)]),
        "C": model.metadata["parameters"]["C"],
        "method": auto.get("method", "-"),
        "seconds": seconds,
    }


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    names = {a.lower() for a in args}
    found = [d for d in datasets() if not names or d[0].split()[-1].lower() in names]
    if not found:
        print(f"skipped: no benchmark data under {DATA}")
        return
    rows: list[tuple[str, ...]] = []
    for name, train, valid, test in found:
        print(f"{name}: {len(train[0])} training rows, {len(test[0])} test rows", flush=True)
        mine = textkit_default(train, valid, test)
        anchors = {kind: baseline(kind, train, valid, test) for kind in GRIDS}
        best_kind = max(anchors, key=lambda k: anchors[k]["cv"])
        best = anchors[best_kind]
        gap = mine["accuracy"] - best["accuracy"]
        rows.append(
            (
                name,
                f"{mine['accuracy']:.4f} / {mine['macro-F1']:.4f} (C={mine['C']:g}, "
                f"{mine['method']}, {mine['seconds']:.0f} s)",
                *(
                    f"{a['accuracy']:.4f} / {a['macro-F1']:.4f} (C={a['C']:g}, "
                    f"{a['on']} {a['cv']:.4f}, {a['seconds']:.0f} s)"
                    for a in anchors.values()
                ),
                f"{best_kind}: {gap:+.4f}",
            )
        )
        print(rows[-1], flush=True)
    table(("data", "textkit default", *GRIDS, "accuracy: textkit - best baseline"), rows)
    print(
        "cells: test accuracy / macro-F1 (C; how textkit chose it, or the baseline's CV or "
        "validation accuracy at it; "
        "seconds: featurizing, choosing C and fitting)"
    )


if __name__ == "__main__":
    main()
