"""`train-lr --augment auto` against no augmentation, on small training sets.

Both arms are train-lr's defaults otherwise (C chosen automatically); with ``auto`` the
number of augmented copies per training row (0, 4 or 16, made by textkit.augment from the
training rows only) is chosen together with C. Mean test accuracy over 3 seeds (the seed
of the copies, of the cross-validation folds and of the subsets), the test files read once
at the end:

* FewCLUE TNEWS and EPRSTMT: train_few_all, chosen on dev_few_all (``--valid``), tested
  on test_public;
* THUCNews: stratified subsets of 2,000 titles of train.txt (one per seed), chosen by
  cross-validation, tested on test.txt;
* waimai_10k: stratified subsets of 2,000 reviews of the 80% training part (classify_bench's
  split), chosen by cross-validation, tested on the 20% test part.

    python -m benchmarks.classify_augment            # 3 seeds
    python -m benchmarks.classify_augment --quick    # 1 seed, FewCLUE only
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

import numpy as np

from benchmarks.classify_bench import THUC, WAIMAI, _thuc, _waimai
from benchmarks.classify_common import FEWCLUE, Split, fewclue, table

SUBSET = 2000


def _subset(split: Split, n: int, seed: int) -> Split:
    from textkit.classify.training import stratified_split

    keep, _ = stratified_split(split[1], 1 - n / len(split[1]), seed)
    return [split[0][i] for i in keep], [split[1][i] for i in keep]


def tasks(quick: bool) -> list[tuple[str, Any]]:
    """(name, function of the seed -> (train, validation or None, test))."""
    out: list[tuple[str, Any]] = []
    for task in ("tnews", "eprstmt"):
        if (FEWCLUE / task / "test_public.json").exists():
            splits = [fewclue(task, f) for f in ("train_few_all", "dev_few_all", "test_public")]
            out.append((f"FewCLUE {task.upper()}", lambda seed, s=splits: tuple(s)))
    if quick:
        return out
    if (THUC / "test.txt").exists():
        train, test = _thuc("train"), _thuc("test")
        out.append(
            (f"THUCNews, {SUBSET} titles", lambda seed: (_subset(train, SUBSET, seed), None, test))
        )
    if WAIMAI.exists():
        tx, ty, vx, vy = _waimai()
        out.append(
            (
                f"waimai, {SUBSET} reviews",
                lambda seed: (_subset((tx, ty), SUBSET, seed), None, (vx, vy)),
            )
        )
    return out


def arm(train: Split, valid: Split | None, test: Split, seed: int, augment: Any) -> dict:
    from textkit.classify.training import TrainConfig, evaluate
    from textkit.classify.training import train as fit

    start = time.perf_counter()
    model = fit(*train, config=TrainConfig(seed=seed, augment=augment), valid=valid).model
    parameters = model.metadata["parameters"]
    return {
        "accuracy": 100 * evaluate(model, *test)["accuracy"],
        "copies": parameters["augment"],
        "C": parameters["C"],
        "seconds": time.perf_counter() - start,
    }


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args
    seeds = [0] if quick else [0, 1, 2]
    found = tasks(quick)
    if not found:
        print("skipped: no benchmark data found")
        return
    rows = []
    for name, make in found:
        plain, auto = [], []
        for seed in seeds:
            train, valid, test = make(seed)
            plain.append(arm(train, valid, test, seed, 0))
            auto.append(arm(train, valid, test, seed, "auto"))
            print(f"  {name}, seed {seed}: {plain[-1]} {auto[-1]}", file=sys.stderr, flush=True)
        gains = [a["accuracy"] - p["accuracy"] for a, p in zip(auto, plain, strict=True)]
        rows.append(
            (
                name,
                " ".join(f"{p['accuracy']:.2f}" for p in plain),
                f"{statistics.mean(p['accuracy'] for p in plain):.2f}",
                " ".join(f"{a['accuracy']:.2f}" for a in auto),
                f"{statistics.mean(a['accuracy'] for a in auto):.2f}",
                f"{np.mean(gains):+.2f}",
                " ".join(f"{a['copies']}/{a['C']:g}" for a in auto),
                f"{np.mean([a['seconds'] for a in auto]):.0f} / "
                f"{np.mean([p['seconds'] for p in plain]):.0f}",
            )
        )
    table(
        (
            "data",
            "no augmentation, per seed",
            "mean",
            "--augment auto, per seed",
            "mean",
            "gain (points)",
            "chosen copies/C",
            "train s (auto / none)",
        ),
        rows,
    )


if __name__ == "__main__":
    main()
