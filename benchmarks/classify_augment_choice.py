"""What `train-lr --augment auto` could choose from, and how well its rule chooses: on
development rows only (the test files are never read).

For each task and seed (the tasks and subsets of ``benchmarks.classify_augment``), every
candidate setting is fitted on the training rows and scored on each development row
(FewCLUE ``dev_few_all``; THUCNews and waimai: 2,000 other rows). Candidates, each with C in
1, 3, 10, 30 divided as ``auto`` divides it:

* ``plain``: no augmentation; ``balanced``: class-balanced row weights;
* ``copies``: 2, 4, 8 noisy training-only copies (``textkit.classify.noise``);
* ``expansion``: synonym expansion weights 0.5, 1, 2 (``textkit.classify.expansion``);
  ``expansion+``: also 0.25, 3, 4;
* ``label-aware``: 2 or 4 copies as ``textkit augment`` makes them for labeled rows
  (label words kept, weak rows without copies, copies balanced across labels), each
  row's copies counted with it as one document, C divided by 1 + copies;
* ``copies+expansion``: 2 or 4 copies, the expansion (0.5, 1) on originals and copies.

Per family of candidates: "best" = the best candidate's development accuracy minus the
best plain one's (chosen and scored on the same rows: optimistic). "Split halves": the
development rows split at random in two (300 times per seed); on one half the best plain
and the best augmented candidate are chosen and the augmented one is kept when it beats
the plain one by more than k standard errors of the paired difference; the gain of what
was kept over the plain choice is scored on the other half, and the other way round.
Reported per k: that gain (points, mean) and how often augmentation was kept.

    python -m benchmarks.classify_augment_choice            # FewCLUE, 3 seeds
    python -m benchmarks.classify_augment_choice --all      # also THUCNews and waimai
    python -m benchmarks.classify_augment_choice --quick    # EPRSTMT, seed 0
"""

from __future__ import annotations

import importlib
import sys
import warnings
from typing import Any

import numpy as np

from benchmarks.classify_augment import tasks
from benchmarks.classify_common import table

GRID = (1.0, 3.0, 10.0, 30.0)
EVIDENCE = (0.0, 0.5, 1.0)
SPLITS = 300
COPIES = ("copies2", "copies4", "copies8")
EXPANSION = ("exp0.5", "exp1", "exp2")
FAMILIES = {
    "auto's candidates: copies and expansion": COPIES + EXPANSION,
    "copies only": COPIES,
    "expansion only": EXPANSION,
    "auto's + expansion 0.25, 3, 4": COPIES + EXPANSION + ("exp0.25", "exp3", "exp4"),
    "label-aware copies only": ("aware2", "aware4"),
    "auto's + label-aware copies": COPIES + EXPANSION + ("aware2", "aware4"),
    "class-balanced only": ("balanced",),
    "auto's + class-balanced": COPIES + EXPANSION + ("balanced",),
    "copies+expansion only": ("copies2exp0.5", "copies4exp0.5", "copies2exp1", "copies4exp1"),
}


def _dev_rows(train: Any, dev: Any, seed: int) -> dict[tuple[str, float], np.ndarray]:
    """(candidate, C) -> 1 where the development row is classified right."""
    from scipy import sparse

    from benchmarks.augment_quality import prepared
    from textkit.augment.balance import balance_copies
    from textkit.classify import training as t
    from textkit.classify.expansion import expansion_matrix, synonym_groups
    from textkit.classify.features import FeatureConfig

    texts, labels = list(train[0]), list(train[1])
    features, config = FeatureConfig(), t.TrainConfig(seed=seed)
    out: dict[tuple[str, float], np.ndarray] = {}

    def score(name, featurizer, x, targets, scale=1.0, cfg=config):
        held = featurizer.transform(dev[0])
        held = sparse.csr_matrix(held, shape=(len(dev[0]), featurizer.n_features))
        gold = t.Targets.encode_with(dev[1], targets).y
        for c in GRID:
            coef, intercept, _ = t._fit(x, targets, cfg, c / scale)
            right = t.predicted_classes(t._scores(held, coef, intercept)) == gold
            out[(name, c)] = right.astype(np.int8)

    featurizer, data = t._featurize(texts, labels, None, 0, features, False, None)
    score("plain", featurizer, data.x, data.targets)
    balanced = t.TrainConfig(seed=seed, class_weight="balanced")
    score("balanced", featurizer, data.x, data.targets, cfg=balanced)
    extra = expansion_matrix(synonym_groups(texts, features.tokenizer), featurizer)
    for w in (0.25, 0.5, 1.0, 2.0, 3.0, 4.0):
        x = (data.x + w * extra).astype(np.float32).tocsr()
        score(f"exp{w:g}", featurizer, x, data.targets, (1 + w) ** 2)
    made = t._augmentations(texts, 8, config, features, None)
    noisy, noisy_data = t._featurize(texts, labels, made, 8, features, False, None)
    everything = np.arange(len(noisy_data.originals))
    all_texts = t._layout(texts, labels, made, 8)[0]
    noisy_extra = expansion_matrix(synonym_groups(all_texts, features.tokenizer), noisy)
    for n in (2, 4, 8):
        rows = noisy_data.rows(everything, n)
        targets = noisy_data.targets.take(rows)
        score(f"copies{n}", noisy, noisy_data.x[rows], targets, 1 + n)
        for w in (0.5, 1.0) if n < 8 else ():
            x = (noisy_data.x + w * noisy_extra).astype(np.float32).tocsr()[rows]
            score(f"copies{n}exp{w:g}", noisy, x, targets, (1 + n) * (1 + w) ** 2)
    module = importlib.import_module("textkit.augment.eda")
    for n in (2, 4):
        augmenter, weak = prepared(module, texts, labels, seed=seed, num_aug=n)
        made = [[] if weak[i] else augmenter.augment(x, i) for i, x in enumerate(texts)]
        made = balance_copies(made, labels, seed)
        aware, aware_data = t._featurize(texts, labels, made, n, features, False, None)
        score(f"aware{n}", aware, aware_data.x, aware_data.targets, 1 + n)
    return out


def _kept(runs: list[dict], family: tuple[str, ...], k: float) -> tuple[float, float]:
    """(gain in points, share of choices that kept augmentation) over split halves."""
    gains, kept = [], []
    for run in runs:
        plain = np.array([run[("plain", c)] for c in GRID], float)
        aug = np.array([run[(v, c)] for v in family for c in GRID], float)
        n = plain.shape[1]
        rng = np.random.default_rng(0)
        for _ in range(SPLITS):
            order = rng.permutation(n)
            halves = order[: n // 2], order[n // 2 :]
            for chosen_on, scored_on in (halves, halves[::-1]):
                p = int(np.argmax(plain[:, chosen_on].mean(1)))
                a = int(np.argmax(aug[:, chosen_on].mean(1)))
                difference = aug[a, chosen_on] - plain[p, chosen_on]
                error = difference.std(ddof=1) / np.sqrt(len(difference))
                helps = difference.mean() > max(0.0, k * error)
                final = aug[a] if helps else plain[p]
                gains.append(100 * (final[scored_on].mean() - plain[p, scored_on].mean()))
                kept.append(helps)
    return float(np.mean(gains)), float(np.mean(kept))


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args
    found = tasks("--all" not in args)
    if quick:
        found = [(name, make) for name, make in found if "EPRSTMT" in name]
    if not found:
        print("skipped: no benchmark data found")
        return
    seeds = [0] if quick else [0, 1, 2]
    rows = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, make in found:
            runs = []
            for seed in seeds:
                train, _, dev, _ = make(seed)
                runs.append(_dev_rows(train, dev, seed))
            for family, members in FAMILIES.items():
                best = np.mean(
                    [
                        100
                        * (
                            max(run[(v, c)].mean() for v in members for c in GRID)
                            - max(run[("plain", c)].mean() for c in GRID)
                        )
                        for run in runs
                    ]
                )
                halves = [_kept(runs, members, k) for k in EVIDENCE]
                rows.append(
                    (
                        name,
                        family,
                        f"{best:+.2f}",
                        *(f"{g:+.2f} ({100 * used:.0f}%)" for g, used in halves),
                    )
                )
    table(
        (
            "data",
            "candidates",
            "best",
            *(f"split halves, k={k:g} (kept)" for k in EVIDENCE),
        ),
        rows,
    )


if __name__ == "__main__":
    main()
