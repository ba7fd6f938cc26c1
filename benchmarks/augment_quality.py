"""How good are `textkit augment`'s copies? Label preservation and a fluency proxy.

Label preservation: a `train-lr` model (library defaults) is trained on every row of a
dataset but 300 held out (stratified, seed 0); the 300 are augmented with ``-n 4``, and a
copy counts as flipped when the model's label for it differs from its label for the
original (also counted: flips away from the gold label, and flips of originals the model
labels with probability 0.8 or more). waimai_10k (sentiment) and THUCNews train.txt
(topics). A copy made by several operations counts for each of them.

Fluency proxy: the change in per-character log-likelihood (copy minus original, natural
log) under a character trigram model trained on the dataset's other rows (not the model
textkit uses to check its edits); per operation.

``--anchor REV`` runs the same on the augmenter of a git revision (its
``textkit/augment/eda.py``) in the same run.

    python -m benchmarks.augment_quality --anchor 287bdfb
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks import augment_data
from benchmarks.common import ROOT

HELD_OUT = 300
COPIES = 4
show = False


def option_value(text: str) -> Any:
    """A ``--variant`` value: a number, None, a bool, a tuple (``a+b``) or a string."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    if text in ("None", "none", "False", "True"):
        return {"None": None, "none": None, "False": False, "True": True}[text]
    return tuple(text.split("+")) if "+" in text else text


def _module_of(rev: str, path: str, name: str) -> Any:
    """The module at ``path`` in git revision ``rev``, imported from a copy as ``name``."""
    source = subprocess.run(
        ["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    copy = Path(tempfile.mkdtemp()) / f"{name}.py"
    copy.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, copy)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def anchor_module(rev: str, operations: bool = False) -> Any:
    """The ``textkit.augment.eda`` module of git revision ``rev``, imported from a copy;
    with ``operations``, on that revision's ``textkit/augment/operations.py`` too (else on
    today's)."""
    if not operations:
        return _module_of(rev, "textkit/augment/eda.py", "anchor_eda")
    import textkit.augment

    key = "textkit.augment.operations"
    today = sys.modules[key]
    old = _module_of(rev, "textkit/augment/operations.py", "anchor_operations")
    sys.modules[key] = textkit.augment.operations = old  # what eda imports, while it does
    try:
        return _module_of(rev, "textkit/augment/eda.py", "anchor_eda")
    finally:
        sys.modules[key] = textkit.augment.operations = today


def held_out_split(labels: list[str], seed: int = 0) -> tuple[list[int], list[int]]:
    from textkit.classify.training import stratified_split

    fraction = HELD_OUT / len(labels)
    train, test = stratified_split(labels, fraction, seed=seed)
    return list(train), list(test)


def prepared(
    module: Any, texts: list[str], labels: list[str], **options: Any
) -> tuple[Any, list[bool]]:
    """``module``'s Augmenter for these rows and, for each row, whether it gets no copies:
    as `textkit augment` does with labeled rows (label words kept, rows whose words point
    to another label without copies) unless ``label_aware=False`` or the module predates
    that. ``lw_*`` options go to ``label_words``, ``weak_below`` to ``weak_rows``."""
    aware = options.pop("label_aware", True)
    find = options.pop("label_words", True)
    skip = options.pop("weak_rows", True)
    below = options.pop("weak_below", None)
    label_options = {k[3:]: options.pop(k) for k in list(options) if k.startswith("lw_")}
    augmenter = module.Augmenter(module.AugmentConfig(**options))
    weak = [False] * len(texts)
    if aware and hasattr(augmenter, "count_labels"):
        counts = augmenter.count_labels(texts, labels)
        if find:
            augmenter.keep(counts.label_words(**label_options))
        if skip:
            weak = counts.weak_rows() if below is None else counts.weak_rows(below)
    return augmenter, weak


def copies_by_op(
    module: Any, texts: list[str], labels: list[str], **options: Any
) -> list[list[tuple[str, str]]]:
    """For each text, its ``(operation, copy)`` pairs from ``module``'s Augmenter, which
    sees the labels as `textkit augment` does (see :func:`prepared`)."""
    augmenter, weak = prepared(module, texts, labels, num_aug=COPIES, **options)
    out = []
    for index, text in enumerate(texts):
        if weak[index]:
            out.append([])
            continue
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        out.append([(a.op, a.text) for a in augmenter.augment_tokens(tokens, index)])
    return out


def measure(
    name: str,
    data: augment_data.Split,
    arms: dict[str, tuple[Any, dict[str, Any]]],
    draw: int = 0,
    judged: augment_data.Split | None = None,
) -> list[tuple[str, ...]]:
    """The table rows of one dataset and held-out draw; with ``judged``, the model trained
    on all of ``data`` judges copies of ``judged``'s first rows (another dataset)."""
    from textkit.augment.fluency import CharLM
    from textkit.classify.training import train

    texts, labels = data
    if judged is None:
        train_idx, test_idx = held_out_split(labels, seed=draw)
        originals = [texts[i] for i in test_idx]
        gold = [labels[i] for i in test_idx]
    else:
        train_idx = list(range(len(texts)))
        originals, gold = judged[0][:HELD_OUT], judged[1][:HELD_OUT]
    model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx]).model
    lm = CharLM.build([texts[i] for i in train_idx], order=3)

    def predict(batch: list[str]) -> tuple[list[str], list[float]]:
        proba = model.predict_proba(batch)
        return [model.classes[j] for j in proba.argmax(axis=1)], list(proba.max(axis=1))

    base, confidence = predict(originals)
    base_fluency = lm.per_char(originals)
    rows = []
    for arm, (module, options) in arms.items():
        made = copies_by_op(module, originals, gold, **options)
        flat = [(i, op, copy) for i, pairs in enumerate(made) for op, copy in pairs]
        predicted = predict([c for _, _, c in flat])[0] if flat else []
        fluency = lm.per_char([c for _, _, c in flat]) if flat else []
        flips: dict[str, list[bool]] = defaultdict(list)
        away: dict[str, int] = defaultdict(int)  # flips from the gold label to another
        sure: dict[str, int] = defaultdict(int)  # flips of originals predicted with p >= 0.8
        drops: dict[str, list[float]] = defaultdict(list)
        for (i, op, copy), label, lp in zip(flat, predicted, fluency, strict=True):
            if label != base[i] and show:
                print(
                    f"  {name} draw {draw} {arm}: flip p={confidence[i]:.2f} {op}: "
                    f"{originals[i]} -> {copy}",
                    file=sys.stderr,
                )
            for key in ("all", *op.split("+")):
                flips[key].append(label != base[i])
                away[key] += label != base[i] and base[i] == gold[i]
                sure[key] += label != base[i] and confidence[i] >= 0.8
                drops[key].append(lp - base_fluency[i])
        for key in ["all", *sorted(k for k in flips if k != "all")]:
            n = len(flips[key])
            rows.append(
                (
                    f"{name}{f' draw {draw}' if draw else ''} {arm} {key}",
                    f"{n} copies",
                    f"{100 * sum(flips[key]) / n:.2f}% flipped ({sum(flips[key])})",
                    f"{away[key]} away from gold, {sure[key]} from p>=0.8",
                    f"fluency {statistics.mean(drops[key]):+.3f}/char",
                )
            )
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.augment_quality")
    parser.add_argument("--anchor", help="also the augmenter of this git revision")
    parser.add_argument("--datasets", default="waimai,thucnews,eprstmt")
    parser.add_argument("--draws", default="0", help="held-out draws (seeds), comma-separated")
    parser.add_argument("--variant", action="append", default=[], help="k=v,... of AugmentConfig")
    parser.add_argument("--show", action="store_true", help="print the flipped copies")
    args = parser.parse_args([] if argv is None else argv)
    global show
    show = args.show
    have = augment_data.available()
    have["eprstmt"] = have["eprstmt"] and have["waimai"]
    names = [d for d in args.datasets.split(",") if have.get(d)]
    if not names:
        print("skipped: no waimai_10k or THUCNews data")
        return
    eda = importlib.import_module("textkit.augment.eda")

    arms: dict[str, tuple[Any, dict[str, Any]]] = {"textkit": (eda, {})}
    for spec in args.variant:
        options = dict(kv.split("=", 1) for kv in spec.split(","))
        arms[f"textkit {spec}"] = (eda, {k: option_value(v) for k, v in options.items()})
    if args.anchor:
        arms[f"anchor {args.anchor}"] = (anchor_module(args.anchor), {})
    loaders = {"waimai": augment_data.waimai, "thucnews": augment_data.thucnews}
    table = [("figure", "copies", "label flips", "of which", "fluency change")]
    for name in names:
        for draw in (int(d) for d in args.draws.split(",")):
            if name == "eprstmt":
                if draw == 0:  # one set of rows: no draws
                    judged = augment_data.fewclue("eprstmt", "train_few_all")
                    table.extend(measure(name, augment_data.waimai(), arms, judged=judged))
                continue
            table.extend(measure(name, loaders[name](), arms, draw))
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    for row in table:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())


if __name__ == "__main__":
    main(sys.argv[1:])
