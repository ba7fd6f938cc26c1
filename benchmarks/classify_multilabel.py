"""Multi-label classification: `train-lr --multi-label` against one single-label model per
label family, scikit-learn's one-vs-rest LogisticRegression and fastText's one-vs-all
loss, in the same run.

Data: every text is a THUCNews title and a waimai_10k review joined by "，" (in a seeded
random order), labeled with the title's news category (10 labels) and the review's
sentiment (正面/负面): two label families, each label assigned by the people who labeled
its source, independent of each other by construction. Training: waimai's stratified
80% (classify_bench's split, seed 0), each review with a random title of THUCNews
train.txt; test: waimai's other 20%, each with a random title of test.txt.

Arms: textkit's multi-label model (one binary model per label, thresholds chosen by
cross-validation on the training data), and the same with one fixed threshold of 0.5;
two textkit single-label models, one per family (each text gets the best label of each:
the arm that knows the label structure);
scikit-learn's OneVsRestClassifier(LogisticRegression(solver="liblinear")) on textkit's
word+char TF-IDF features, C chosen by micro-F1 in 5-fold cross-validation on the training
data, labels with probability 0.5 or more; fastText `-loss ova` on characters with
bigrams, 25 epochs, threshold 0.5 (only when the optional ``fasttext`` package imports).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.classify_bench import THUC, WAIMAI, _thuc, _waimai
from benchmarks.classify_common import table

SENTIMENT = {"1": "正面", "0": "负面"}


def _categories() -> list[str]:
    return (THUC / "class.txt").read_text(encoding="utf-8").split()


def dataset() -> tuple[list[str], list[list[str]], list[str], list[list[str]]]:
    """(train texts, train label lists, test texts, test label lists)."""
    names = _categories()
    train_x, train_y, test_x, test_y = _waimai()
    rng = random.Random(0)

    def pair(reviews: list[str], sentiments: list[str], split: str) -> tuple[list, list]:
        titles, categories = _thuc(split)
        texts, labels = [], []
        for review, sentiment in zip(reviews, sentiments, strict=True):
            j = rng.randrange(len(titles))
            parts = [titles[j], review]
            if rng.random() < 0.5:
                parts.reverse()
            texts.append("，".join(parts))
            labels.append([names[int(categories[j])], SENTIMENT[sentiment]])
        return texts, labels

    return (*pair(train_x, train_y, "train"), *pair(test_x, test_y, "test"))


def _scores(gold: list[list[str]], predicted: list[list[str]], ranked: list[list[str]]) -> dict:
    from textkit.classify.metrics import multilabel_report

    labels = sorted({x for g in gold for x in g} | {x for p in predicted for x in p})
    report = multilabel_report(gold, predicted, labels, ranked, k=2)
    return {
        "micro-F1": report["micro"]["f1"],
        "macro-F1": report["macro"]["f1"],
        "exact match": report["exact_match"],
        "Hamming loss": report["hamming_loss"],
        "P@2": report["precision_at_k"],
        "R@2": report["recall_at_k"],
    }


def multi_label(train_x, train_y, test_x, test_y, threshold: float | None = None) -> dict:
    from textkit.classify.training import TrainConfig, train

    start = time.perf_counter()
    config = TrainConfig(multi_label=True, threshold=threshold)
    model = train(train_x, train_y, config=config).model
    seconds = time.perf_counter() - start
    predicted = [[x for x, _ in row] for row in model.predict_labels(test_x)]
    ranked = [[x for x, _ in row] for row in model.predict(test_x, top_k=len(model.classes))]
    return {**_scores(test_y, predicted, ranked), "train (s)": seconds}


def per_family(train_x, train_y, test_x, test_y) -> dict:
    from textkit.classify.training import train

    start = time.perf_counter()
    models = [train(train_x, [labels[f] for labels in train_y]).model for f in (0, 1)]
    seconds = time.perf_counter() - start
    best = [model.predict(test_x, top_k=1) for model in models]
    predicted, ranked = [], []
    for first, second in zip(*best, strict=True):
        pairs = sorted(first + second, key=lambda p: -p[1])
        predicted.append([x for x, _ in pairs])
        ranked.append([x for x, _ in pairs])
    return {**_scores(test_y, predicted, ranked), "train (s)": seconds}


def sklearn_ovr(train_x, train_y, test_x, test_y) -> dict:
    import warnings

    import numpy as np
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import KFold
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    from textkit.classify.features import Featurizer

    start = time.perf_counter()
    featurizer = Featurizer()
    x = sparse.csr_matrix(featurizer.fit_transform(train_x))
    binarizer = MultiLabelBinarizer()
    y = binarizer.fit_transform(train_y)

    def model(c: float) -> OneVsRestClassifier:
        return OneVsRestClassifier(LogisticRegression(C=c, solver="liblinear"))

    cv = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        folds = list(KFold(5, shuffle=True, random_state=0).split(x))
        for c in (1.0, 3.0, 10.0, 30.0, 100.0):
            predicted = np.zeros_like(y)
            for a, b in folds:
                predicted[b] = model(c).fit(x[a], y[a]).predict(x[b])
            cv[c] = f1_score(y, predicted, average="micro")
        best = max(cv, key=lambda c: (cv[c], -c))
        fitted = model(best).fit(x, y)
    seconds = time.perf_counter() - start
    test = sparse.csr_matrix(featurizer.transform(test_x), shape=(len(test_x), x.shape[1]))
    proba = fitted.predict_proba(test)
    classes = list(binarizer.classes_)
    predicted = [[classes[j] for j in np.flatnonzero(row >= 0.5)] for row in proba]
    ranked = [[classes[j] for j in np.argsort(-row, kind="stable")] for row in proba]
    return {**_scores(test_y, predicted, ranked), "train (s)": seconds, "C": best}


def fasttext_ova(train_x, train_y, test_x, test_y) -> dict | None:
    try:
        import fasttext
    except ImportError:
        return None

    def prep(text: str) -> str:
        return " ".join(c for c in text.lower() if not c.isspace())

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "train.txt"
        lines = (
            " ".join(f"__label__{x}" for x in labels) + f" {prep(text)}\n"
            for text, labels in zip(train_x, train_y, strict=True)
        )
        path.write_text("".join(lines), encoding="utf-8")
        start = time.perf_counter()
        model = fasttext.train_supervised(
            str(path), loss="ova", epoch=25, wordNgrams=2, verbose=0, thread=os.cpu_count() or 1
        )
        seconds = time.perf_counter() - start
    prepared = [prep(t) for t in test_x]
    chosen = model.predict(prepared, k=-1, threshold=0.5)[0]
    ranked = model.predict(prepared, k=-1, threshold=0.0)[0]
    strip = len("__label__")
    predicted = [[x[strip:] for x in row] for row in chosen]
    ranked = [[x[strip:] for x in row] for row in ranked]
    return {**_scores(test_y, predicted, ranked), "train (s)": seconds}


def main(argv: list[str] | None = None) -> None:
    del argv
    if not (THUC / "test.txt").exists() or not WAIMAI.exists():
        print("skipped: THUCNews or waimai_10k not found")
        return
    data = dataset()
    print(f"{len(data[0])} training texts, {len(data[2])} test texts, 2 labels each")
    arms = {
        "textkit --multi-label": multi_label(*data),
        "textkit --multi-label --threshold 0.5": multi_label(*data, threshold=0.5),
        "textkit, one model per family": per_family(*data),
    }
    ovr = sklearn_ovr(*data)
    arms[f"scikit-learn one-vs-rest LR (C={ovr.pop('C'):g})"] = ovr
    fast = fasttext_ova(*data)
    arms["fastText -loss ova" if fast else "fastText (not installed)"] = fast or {}
    rows = []
    for figure in arms["textkit --multi-label"]:
        cells = []
        for scores in arms.values():
            value = scores.get(figure)
            cells.append(
                "-" if value is None else f"{value:.1f}" if "(s)" in figure else f"{value:.4f}"
            )
        rows.append((figure, *cells))
    table(("figure", *arms), rows)
    print("train (s): featurizing, choosing C or thresholds, and fitting")


if __name__ == "__main__":
    main(sys.argv[1:])
