"""Does `textkit augment` help train-lr on small training sets? The EDA paper's protocol.

THUCNews: stratified subsets of N titles of train.txt (one per seed), C chosen on dev.txt,
accuracy on test.txt. waimai_10k: stratified 80/20 split (seed 0); subsets come from 80% of
the 80% part, C is chosen on the other 20% of it, accuracy on the 20% test part. Both arms
(plain subset, subset + augmentations) use textkit's own train-lr features and model, each at
its own best C on the same wide grid: augmented copies weaken regularisation at a fixed C, so
a shared C would overstate the gain. Also: augmentation speed (input rows/s, ``-n 4``, one
core, tokenization included) against the 5,000 rows/s target.

``python -m benchmarks.augment_gain`` runs 3 seeds (about an hour on 2 busy cores);
``--quick`` (what ``make bench`` runs) one seed; ``--minimal`` adds the minimal-EDA arm
(alpha 0.1, 16 augmentations) for comparison. Skips cleanly when the data is missing.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from typing import Any

from benchmarks.classify_bench import THUC, _thuc
from benchmarks.common import DATA, print_table

WAIMAI = DATA / "waimai_10k" / "waimai_10k.csv"
# Wide enough that neither arm picks an end of it (the augmented arm often wants C=100+).
GRID = (0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
TARGETS = {("THUCNews", 500): 1.0, ("THUCNews", 2000): 1.5}
SPEED_TARGET = 5000

Split = tuple[list[str], list[str]]


def _say(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)


def _pick(split: Split, indices: Any) -> Split:
    return [split[0][i] for i in indices], [split[1][i] for i in indices]


def _waimai() -> tuple[Split, Split, Split]:
    """(pool, held-out dev, test): 80/20 split, then the 80% split 80/20 again (seed 0)."""
    from textkit.classify.training import stratified_split

    with open(WAIMAI, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    data = ([r[1] for r in rows], [r[0] for r in rows])
    train, test = stratified_split(data[1], 0.2, seed=0)
    rest = _pick(data, train)
    pool, dev = stratified_split(rest[1], 0.2, seed=0)
    return _pick(rest, pool), _pick(rest, dev), _pick(data, test)


def _subset(pool: Split, n: int, seed: int) -> Split:
    from sklearn.model_selection import train_test_split

    x, _, y, _ = train_test_split(
        pool[0], pool[1], train_size=n, stratify=pool[1], random_state=seed
    )
    return list(x), list(y)


def _augmented(train: Split, seed: int, **options: Any) -> Split:
    """The training rows, each followed by its augmentations (what `textkit augment` writes)."""
    from textkit.augment.eda import AugmentConfig, Augmenter, recommended_num_aug

    options.setdefault("num_aug", recommended_num_aug(len(train[0])))
    label_terms = options.pop("label_terms", False)
    augmenter = Augmenter(AugmentConfig(seed=seed, **options))
    if label_terms:  # what --label-terms does: learn them from the subset's labels
        augmenter.fit(*train)
    texts, labels = [], []
    for index, (text, label) in enumerate(zip(*train, strict=True)):
        for variant in [text, *augmenter.augment(text, index)]:
            texts.append(variant)
            labels.append(label)
    return texts, labels


def _accuracy(model: Any, matrix: Any, gold: list[str]) -> float:
    # Through probabilities: a two-class model has a single score column.
    best = model.proba_from_scores(model.decision(matrix)).argmax(axis=1)
    return 100.0 * sum(model.classes[j] == g for j, g in zip(best, gold, strict=True)) / len(gold)


def _best_c(
    train: Split, dev: Split, test: Split, grid: tuple[float, ...] = GRID, **options: Any
) -> dict[str, float]:
    """Fit train-lr's model (default, or with TrainConfig ``options``) for every C of the
    grid; test accuracy at the best dev C."""
    from textkit.classify.features import FeatureConfig, Featurizer
    from textkit.classify.training import TrainConfig, fit_features

    featurizer = Featurizer(FeatureConfig())
    matrix = featurizer.fit_transform(train[0])
    dev_x, test_x = featurizer.transform(dev[0]), featurizer.transform(test[0])
    best: dict[str, float] | None = None
    for c in grid:
        model, *_ = fit_features(featurizer, matrix, train[1], TrainConfig(C=c, **options))
        dev_acc = _accuracy(model, dev_x, dev[1])
        if best is None or dev_acc > best["dev"]:
            best = {"C": c, "dev": dev_acc, "test": _accuracy(model, test_x, test[1])}
    assert best is not None
    best["rows"] = len(train[0])
    return best


def _datasets() -> list[tuple[str, Split, Split, Split]]:
    found = []
    if all((THUC / f"{n}.txt").is_file() for n in ("train", "dev", "test")):
        found.append(("THUCNews", _thuc("train"), _thuc("dev"), _thuc("test")))
    if WAIMAI.is_file():
        found.append(("waimai", *_waimai()))
    return found


def _gain_cell(gains: list[float]) -> str:
    spread = f" ± {statistics.stdev(gains):.2f}" if len(gains) > 1 else ""
    seeds = ", ".join(f"{g:+.2f}" for g in gains)
    return f"{statistics.mean(gains):+.2f}{spread} ({seeds})"


def speed(rows: int = 20000, label_terms: bool = False) -> float:
    """Input rows per CPU-second with -n 4 on THUCNews titles, tokenization included (and
    learning the label terms, with ``label_terms``)."""
    from textkit.augment.eda import AugmentConfig, Augmenter

    titles, labels = (column[:rows] for column in _thuc("train"))
    augmenter = Augmenter(AugmentConfig(num_aug=4))
    augmenter.augment(titles[0])  # load the tokenizer before timing
    start = time.process_time()
    if label_terms:
        augmenter.fit(titles, labels)
    for index, title in enumerate(titles):
        augmenter.augment(title, index)
    return len(titles) / (time.process_time() - start)


def main(argv: list[str] | None = None) -> None:
    # Called without arguments (by `make bench`): the quick run.
    parser = argparse.ArgumentParser(prog="python -m benchmarks.augment_gain")
    parser.add_argument("--quick", action="store_true", help="one seed instead of three")
    parser.add_argument("--minimal", action="store_true", help="also the minimal-EDA arm")
    parser.add_argument("--dataset", choices=["THUCNews", "waimai"], help="only this one")
    parser.add_argument("--sizes", default="500,2000", help="training set sizes N")
    args = parser.parse_args(["--quick"] if argv is None else argv)
    datasets = [d for d in _datasets() if args.dataset in (None, d[0])]
    if not datasets:
        print(f"skipped: no THUCNews or waimai_10k data under {DATA}")
        return
    seeds = [0] if args.quick else [0, 1, 2]
    arms = {"textkit augment": {}}
    if args.minimal:
        # The paper's four operations, at its alpha: what the minimal EDA did.
        arms["minimal EDA (a=0.1, n=16)"] = {"num_aug": 16, "alpha_sr": 0.1, "alpha_ri": 0.1,
                                             "alpha_rs": 0.1, "p_rd": 0.1,
                                             "ops": ("sr", "ri", "rs", "rd")}  # fmt: skip
    table = []
    for name, pool, dev, test in datasets:
        for n in map(int, args.sizes.split(",")):
            gains: dict[str, list[float]] = {arm: [] for arm in arms}
            for seed in seeds:
                train = _subset(pool, n, seed)
                plain = _best_c(train, dev, test)
                for arm, options in arms.items():
                    aug = _best_c(_augmented(train, seed, **options), dev, test)
                    gains[arm].append(aug["test"] - plain["test"])
                    _say(
                        f"{name} N={n} seed={seed} {arm}: test {plain['test']:.2f} -> "
                        f"{aug['test']:.2f}, dev {plain['dev']:.2f} -> {aug['dev']:.2f}, "
                        f"C {plain['C']:g}/{aug['C']:g}, rows {aug['rows']:.0f}"
                    )
            target = TARGETS.get((name, n))
            for arm, values in gains.items():
                table.append(
                    (
                        f"{name} N={n} gain, {arm} (points)",
                        _gain_cell(values),
                        "",
                        "",
                        f">= +{target:.1f}" if target and arm == "textkit augment" else ">= 0",
                    )
                )
    if datasets[0][0] == "THUCNews":
        rate = speed()
        table.append(
            (
                "augment rows/s (-n 4, 1 core)",
                f"{rate:,.0f}",
                f"{SPEED_TARGET:,}",
                f"{rate / SPEED_TARGET:.1f}x",
                f">= {SPEED_TARGET:,}",
            )
        )
    print_table(table)


if __name__ == "__main__":
    main(sys.argv[1:])
