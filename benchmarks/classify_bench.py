"""train-lr / classify on THUCNews titles and waimai_10k reviews, against fastText in the same run.

THUCNews: train.txt + dev.txt for training, test.txt for testing. waimai_10k: stratified 80/20
split, seed 0. fastText rows appear only when the optional ``fasttext`` package imports.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import DATA, median_wall, print_table

THUC = DATA / "thucnews"
WAIMAI = DATA / "waimai_10k" / "waimai_10k.csv"


def _thuc(name: str) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for line in (THUC / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        texts.append(text)
        labels.append(label)
    return texts, labels


def _waimai() -> tuple[list[str], list[str], list[str], list[str]]:
    from textkit.classify.training import stratified_split

    with open(WAIMAI, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    texts, labels = [r[1] for r in rows], [r[0] for r in rows]
    train, test = stratified_split(labels, 0.2, seed=0)
    return (
        [texts[i] for i in train],
        [labels[i] for i in train],
        [texts[i] for i in test],
        [labels[i] for i in test],
    )


def _textkit(train_x, train_y, test_x, test_y) -> dict[str, float]:
    from textkit.classify.training import train

    start = time.perf_counter()
    result = train(train_x, train_y)
    fit = time.perf_counter() - start
    start = time.perf_counter()
    proba = result.model.predict_proba(test_x)
    predict = time.perf_counter() - start
    predicted = [result.model.classes[i] for i in proba.argmax(axis=1)]
    return {
        **_scores(test_y, predicted),
        "fit": fit,
        "rate": len(test_x) / predict,
        "model": result.model,
    }


def _scores(gold: list[str], predicted: list[str]) -> dict[str, float]:
    from textkit.classify.metrics import classification_report

    report = classification_report(gold, predicted, sorted(set(gold) | set(predicted)))
    return {"accuracy": report["accuracy"], "macro-F1": report["macro"]["f1"]}


def _fasttext(train_x, train_y, test_x, test_y) -> dict[str, float] | None:
    """fastText on characters with bigrams, 25 epochs, one thread per core."""
    try:
        import fasttext
    except ImportError:
        return None

    def prep(text: str) -> str:
        return " ".join(c for c in text.lower().strip() if not c.isspace())

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        path = Path(tmp) / "train.txt"
        path.write_text(
            "".join(f"__label__{y} {prep(x)}\n" for x, y in zip(train_x, train_y, strict=True)),
            encoding="utf-8",
        )
        # One thread per core: fastText's default of 12 threads only slows it down here.
        model = fasttext.train_supervised(
            str(path), epoch=25, wordNgrams=2, verbose=0, thread=os.cpu_count() or 1
        )
        fit = time.perf_counter() - start
    start = time.perf_counter()
    labels = model.predict([prep(x) for x in test_x])[0]
    predict = time.perf_counter() - start
    predicted = [lab[0].removeprefix("__label__") for lab in labels]
    return {**_scores(test_y, predicted), "fit": fit, "rate": len(test_x) / predict}


def _startup(model: object, titles: list[str]) -> float:
    """Median wall time of `textkit classify -m MODEL small.txt` (3 titles)."""
    with tempfile.TemporaryDirectory() as tmp:
        model_path = os.path.join(tmp, "news.model")
        model.save(model_path)  # type: ignore[attr-defined]
        small = os.path.join(tmp, "small.txt")
        Path(small).write_text("\n".join(titles[:3]) + "\n", encoding="utf-8")
        cmd = [sys.executable, "-m", "textkit", "classify", "-m", model_path, "--lines", small]
        subprocess.run(cmd, check=True, capture_output=True)
        return median_wall(cmd, runs=5)


def _rows(name: str, tk: dict, ft: dict | None) -> list[tuple[str, ...]]:
    anchor = "fastText" if ft else "fastText (not installed)"

    def pair(key: str, fmt: str) -> tuple[str, ...]:
        mine = format(tk[key], fmt)
        if not ft:
            return (f"{name} {key}", mine, "-", "-")
        return (
            f"{name} {key}",
            mine,
            f"{format(ft[key], fmt)} ({anchor})",
            f"{tk[key] / ft[key]:.2f}x",
        )

    return [
        pair("accuracy", ".4f"),
        pair("macro-F1", ".4f"),
        pair("fit", ".1f"),
        pair("rate", ",.0f"),
    ]


def main() -> None:
    if not (THUC / "test.txt").exists() or not WAIMAI.exists():
        print(f"skipped: benchmark data not found under {DATA}")
        return
    train_x, train_y = _thuc("train")
    dev_x, dev_y = _thuc("dev")
    test_x, test_y = _thuc("test")
    thuc = (train_x + dev_x, train_y + dev_y, test_x, test_y)
    ft_thuc = _fasttext(*thuc)
    tk_thuc = _textkit(*thuc)
    waimai = _waimai()
    ft_waimai = _fasttext(*waimai)
    tk_waimai = _textkit(*waimai)
    startup = _startup(tk_thuc["model"], test_x)
    rows = _rows("THUCNews", tk_thuc, ft_thuc) + _rows("waimai", tk_waimai, ft_waimai)
    rows.append(("classify start-up, 3 titles (s)", f"{startup:.3f}", "-", "-"))
    print("fit = featurize (incl. tokenizing) + fit, seconds; rate = titles/s predicted")
    print_table(rows)


if __name__ == "__main__":
    main()
