"""Do `textkit augment`'s copies help `train-lr` when there is little data?

Each task: `train-lr`'s defaults (textkit.classify.training.train) trained on the original
rows, and on the rows followed by their copies (what ``textkit augment`` writes, ``-n auto``),
accuracy on the dev and the test rows, reported separately (defaults are chosen on dev).

- FewCLUE TNEWS (news titles, 15 classes) and EPRSTMT (product reviews, sentiment):
  train_few_all, dev_few_all, test_public;
- THUCNews: 2,000 titles of train.txt (stratified, one subset per seed), dev.txt, test.txt;
- waimai_10k: 2,000 reviews from the 80% part of a stratified 80/20 split (seed 0), dev =
  a held-out 20% of that part, test = the 20% part.

Copies use augmentation seeds 0, 1, 2 (``--quick``: 0 only); the subsets change with the
seed too. ``--anchor REV`` adds the augmenter of a git revision, ``--variant k=v,...`` an
AugmentConfig variant (repeatable). Also: augmentation speed, input rows per CPU-second.

    python -m benchmarks.augment_fewshot --anchor 287bdfb
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
from typing import Any

from benchmarks import augment_data
from benchmarks.augment_quality import anchor_module, option_value, prepared

Split = augment_data.Split
SUBSET = 2000


def _pick(split: Split, indices: Any) -> Split:
    return [split[0][i] for i in indices], [split[1][i] for i in indices]


def _subset(pool: Split, n: int, seed: int) -> Split:
    from sklearn.model_selection import train_test_split

    x, _, y, _ = train_test_split(
        pool[0], pool[1], train_size=n, stratify=pool[1], random_state=seed
    )
    return list(x), list(y)


def tasks() -> dict[str, Any]:
    """name -> (function of seed -> train split, dev split, test split)."""
    from textkit.classify.training import stratified_split

    have = augment_data.available()
    found: dict[str, Any] = {}
    for task in ("tnews", "eprstmt"):
        if have[task]:
            train = augment_data.fewclue(task, "train_few_all")
            found[task] = (
                lambda seed, t=train: t,
                augment_data.fewclue(task, "dev_few_all"),
                augment_data.fewclue(task, "test_public"),
            )
    if have["thucnews"]:
        pool = augment_data.thucnews("train")
        found["thucnews-2000"] = (
            lambda seed, p=pool: _subset(p, SUBSET, seed),
            augment_data.thucnews("dev"),
            augment_data.thucnews("test"),
        )
    if have["waimai"]:
        data = augment_data.waimai()
        rest_idx, test_idx = stratified_split(data[1], 0.2, seed=0)
        rest = _pick(data, rest_idx)
        pool_idx, dev_idx = stratified_split(rest[1], 0.2, seed=0)
        pool = _pick(rest, pool_idx)
        found["waimai-2000"] = (
            lambda seed, p=pool: _subset(p, SUBSET, seed),
            _pick(rest, dev_idx),
            _pick(data, test_idx),
        )
    return found


def augmented(module: Any, train: Split, seed: int, **options: Any) -> Split:
    """The rows, each followed by its copies (``textkit augment``'s output: label-aware,
    copies balanced across labels, except for an anchor revision's augmenter)."""
    options.setdefault("num_aug", module.recommended_num_aug(len(train[0])))
    balance = options.pop("balance", True)
    augmenter, weak = prepared(module, train[0], train[1], seed=seed, **options)
    copies = [
        [] if weak[index] else augmenter.augment(text, index) for index, text in enumerate(train[0])
    ]
    if balance and not module.__name__.startswith("anchor"):
        from textkit.augment.balance import balance_copies

        copies = balance_copies(copies, train[1], seed)
    texts, labels = [], []
    for text, label, extra in zip(*train, copies, strict=True):
        texts.extend([text, *extra])
        labels.extend([label] * (1 + len(extra)))
    return texts, labels


def accuracy(train: Split, dev: Split, test: Split | None) -> tuple[float, float]:
    from textkit.classify.training import train as fit

    model = fit(*train).model

    def score(split: Split) -> float:
        best = model.predict_proba(split[0]).argmax(axis=1)
        return (
            100
            * sum(model.classes[j] == g for j, g in zip(best, split[1], strict=True))
            / len(split[1])
        )

    return score(dev), score(test) if test else float("nan")


def speed(module: Any, rows: int = 3000) -> float:
    """Input rows per CPU-second with -n 4 on THUCNews titles, tokenization included."""
    titles = augment_data.thucnews("train")[0][:rows]
    augmenter = module.Augmenter(module.AugmentConfig(num_aug=4))
    augmenter.augment(titles[0])  # load everything before timing
    start = time.process_time()
    for index, title in enumerate(titles):
        augmenter.augment(title, index)
    return len(titles) / (time.process_time() - start)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.augment_fewshot")
    parser.add_argument("--quick", action="store_true", help="one seed instead of three")
    parser.add_argument("--anchor", help="also the augmenter of this git revision")
    parser.add_argument("--variant", action="append", default=[], help="k=v,... of AugmentConfig")
    parser.add_argument("--tasks", help="comma-separated task names (default: all found)")
    parser.add_argument("--test", action="store_true", help="also score the test rows")
    args = parser.parse_args(["--quick"] if argv is None else argv)
    found = tasks()
    if args.tasks:
        found = {k: v for k, v in found.items() if k in args.tasks.split(",")}
    if not found:
        print("skipped: no FewCLUE, THUCNews or waimai_10k data")
        return
    eda = importlib.import_module("textkit.augment.eda")
    arms: dict[str, tuple[Any, dict[str, Any]]] = {"textkit": (eda, {})}
    for spec in args.variant:
        options = dict(kv.split("=", 1) for kv in spec.split(","))
        arms[f"textkit {spec}"] = (eda, {k: option_value(v) for k, v in options.items()})
    if args.anchor:
        arms[f"anchor {args.anchor}"] = (anchor_module(args.anchor), {})
    seeds = [0] if args.quick else [0, 1, 2]
    header = ("task", "arm", "dev (plain -> copies)", "test (plain -> copies)")
    print(f"{header[0]:14s} {header[1]:32s} {header[2]:28s} {header[3]}")
    for name, (make_train, dev, test) in found.items():
        results: dict[str, list[tuple[float, float, float, float]]] = {a: [] for a in arms}
        if not args.test:
            test = None
        for seed in seeds:
            train = make_train(seed)
            plain = accuracy(train, dev, test)
            for arm, (module, options) in arms.items():
                aug = accuracy(augmented(module, train, seed, **options), dev, test)
                results[arm].append((*plain, *aug))
                print(
                    f"  {name} seed {seed} {arm}: dev {plain[0]:.2f} -> {aug[0]:.2f}"
                    + (f", test {plain[1]:.2f} -> {aug[1]:.2f}" if args.test else ""),
                    file=sys.stderr,
                    flush=True,
                )
        for arm, values in results.items():
            pd, pt, ad, at = (statistics.mean(v[k] for v in values) for k in range(4))
            tested = f"{pt:6.2f} -> {at:6.2f} ({at - pt:+5.2f})" if args.test else "-"
            print(f"{name:14s} {arm:32s} {pd:6.2f} -> {ad:6.2f} ({ad - pd:+5.2f})   {tested}")
    if augment_data.available()["thucnews"]:
        for arm, (module, _) in arms.items():
            print(f"augment speed, {arm}: {speed(module):,.0f} input rows/s (-n 4, one core)")


if __name__ == "__main__":
    main(sys.argv[1:])
