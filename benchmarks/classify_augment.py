"""`train-lr --augment auto` against no augmentation, on small training sets.

Both arms are train-lr's defaults otherwise (C chosen automatically); with ``auto`` the
number of noisy copies per training row (0, 2, 4 or 8, made from the training rows only) or
the synonym expansion is chosen together with C. "gain at 1 SE": the gain had augmentation
needed a held-out gain of one standard error (the plain model, the ``none`` arm, where it
fell short); the evidence of each seed is printed after its choice. Accuracy on a
development split and on the test split, mean and standard deviation over 3 seeds (the
seed of the copies, of the cross-validation folds and of the subsets):

* FewCLUE TNEWS and EPRSTMT: train_few_all, chosen on dev_few_all (``--valid``; its
  accuracy is the one settings were chosen on), tested on test_public;
* THUCNews: stratified subsets of 2,000 titles of train.txt (one per seed), chosen by
  cross-validation, scored on 2,000 titles of dev.txt, tested on test.txt;
* waimai_10k: stratified subsets of 2,000 reviews of the 80% training part (classify_bench's
  split), chosen by cross-validation, scored on 2,000 other reviews of that part, tested
  on the 20% test part.

    python -m benchmarks.classify_augment            # 3 seeds
    python -m benchmarks.classify_augment --quick    # 1 seed, FewCLUE only
    python -m benchmarks.classify_augment --dev      # development splits only
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


def _waimai_parts(seed: int) -> tuple[Split, Split, Split]:
    """A training subset, a development sample of the other training rows, the test part."""
    from textkit.classify.training import stratified_split

    tx, ty, vx, vy = _waimai()
    keep, rest = stratified_split(ty, 1 - SUBSET / len(ty), seed)
    dev = np.random.default_rng(100 + seed).permutation(rest)[:SUBSET]
    return (
        ([tx[i] for i in keep], [ty[i] for i in keep]),
        ([tx[i] for i in dev], [ty[i] for i in dev]),
        (vx, vy),
    )


def tasks(quick: bool) -> list[tuple[str, Any]]:
    """(name, function of the seed -> (train, validation or None, development, test))."""
    out: list[tuple[str, Any]] = []
    for task in ("tnews", "eprstmt"):
        if (FEWCLUE / task / "test_public.json").exists():
            train, dev, test = (
                fewclue(task, f) for f in ("train_few_all", "dev_few_all", "test_public")
            )
            out.append((f"FewCLUE {task.upper()}", lambda seed, s=(train, dev, dev, test): s))
    if quick:
        return out
    if (THUC / "test.txt").exists():
        train, dev, test = _thuc("train"), _thuc("dev"), _thuc("test")
        out.append(
            (
                f"THUCNews, {SUBSET} titles",
                lambda seed: (
                    _subset(train, SUBSET, seed),
                    None,
                    _subset(dev, SUBSET, 100 + seed),
                    test,
                ),
            )
        )
    if WAIMAI.exists():

        def waimai(seed: int) -> tuple[Split, None, Split, Split]:
            train, dev, test = _waimai_parts(seed)
            return train, None, dev, test

        out.append((f"waimai, {SUBSET} reviews", waimai))
    return out


def arm(train: Split, valid: Split | None, scored: list[Split], seed: int, augment: Any) -> dict:
    from textkit.classify.training import TrainConfig, evaluate
    from textkit.classify.training import train as fit

    start = time.perf_counter()
    model = fit(*train, config=TrainConfig(seed=seed, augment=augment), valid=valid).model
    parameters = model.metadata["parameters"]
    found = model.metadata.get("auto", {}).get("augmentation", {})
    gain, error = found.get("gain", 0.0), found.get("standard_error", 0.0)
    return {
        # the held-out gain of the best augmented setting in standard errors
        "evidence": gain / error if error else (float("inf") if gain > 0 else 0.0),
        "accuracy": [100 * evaluate(model, *split)["accuracy"] for split in scored],
        "copies": parameters["augment"],
        "expand": parameters.get("expand", 0.0),
        "C": parameters["C"],
        "seconds": time.perf_counter() - start,
    }


def _choice(run: dict) -> str:
    """What auto chose: copies/C, or e<weight>/C for the synonym expansion, and the
    evidence of the best augmented setting in standard errors."""
    kind = f"e{run['expand']:g}" if run["expand"] else str(run["copies"])
    return f"{kind}/{run['C']:.3g}({run['evidence']:.1f})"


def _strict(auto: dict, plain: dict, k: int) -> float:
    """Accuracy ``auto`` would have had with the evidence rule at one standard error: the
    plain model (the same as the ``none`` arm) when its gain was below that."""
    return auto["accuracy"][k] if auto["evidence"] > 1.0 else plain["accuracy"][k]


def _spread(values: list[float]) -> str:
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.2f} ± {sd:.2f}"


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args
    dev_only = "--dev" in args
    seeds = [0] if quick else [0, 1, 2]
    found = tasks(quick)
    if not found:
        print("skipped: no benchmark data found")
        return
    rows = []
    for name, make in found:
        plain, auto = [], []
        for seed in seeds:
            train, valid, dev, test = make(seed)
            scored = [dev] if dev_only else [dev, test]
            plain.append(arm(train, valid, scored, seed, 0))
            auto.append(arm(train, valid, scored, seed, "auto"))
            print(f"  {name}, seed {seed}: {plain[-1]} {auto[-1]}", file=sys.stderr, flush=True)
        columns = []
        for k in range(1 if dev_only else 2):
            p = [r["accuracy"][k] for r in plain]
            a = [r["accuracy"][k] for r in auto]
            gain = statistics.mean(a) - statistics.mean(p)
            strict = statistics.mean(_strict(a_, p_, k) for a_, p_ in zip(auto, plain, strict=True))
            columns += [
                _spread(p),
                _spread(a),
                f"{gain:+.2f}",
                f"{strict - statistics.mean(p):+.2f}",
            ]
        rows.append(
            (
                name,
                *columns,
                " ".join(_choice(a) for a in auto),
                f"{np.mean([a['seconds'] for a in auto]):.0f} / "
                f"{np.mean([p['seconds'] for p in plain]):.0f}",
            )
        )
    header = ["data", "dev: none", "dev: auto", "gain", "gain at 1 SE"]
    if not dev_only:
        header += ["test: none", "test: auto", "gain", "gain at 1 SE"]
    table(
        (*header, "chosen copies (e: expansion)/C per seed", "train s (auto / none)"),
        rows,
    )


if __name__ == "__main__":
    main()
