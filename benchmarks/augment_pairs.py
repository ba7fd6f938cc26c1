"""Where do synonym pairs that depend on context land? Counts per pair, for reading.

For each watched word (很多, 好多, 有点), on every row of waimai_10k and FewCLUE EPRSTMT
(train, dev and test) that holds one: the replacements ``sr`` may make (after the fluency
check) and those the copies make (``-n 4``, seed 0, every operation), per synonym.
``--show WORD,SYNONYM`` prints each copy's replacement in its context, to be read;
``--anchor REV`` adds the augmenter of a git revision (its eda.py and operations.py).

    python -m benchmarks.augment_pairs --anchor a92dd0f --show 很多,许多
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from collections import Counter
from typing import Any

from benchmarks import augment_data
from benchmarks.augment_quality import anchor_module

WATCHED = ("很多", "好多", "有点")
COPIES = 4


def rows() -> list[tuple[int, str]]:
    """(row number in its file, text) of the rows holding a watched word: the copies are
    those `textkit augment FILE -n 4 --seed 0` writes."""
    have = augment_data.available()
    files = [augment_data.waimai()[0]] if have["waimai"] else []
    if have["eprstmt"]:
        for split in ("train_few_all", "dev_few_all", "test_public"):
            files.append(augment_data.fewclue("eprstmt", split)[0])
    return [(i, t) for texts in files for i, t in enumerate(texts) if any(w in t for w in WATCHED)]


def replacements(module: Any, texts: list[tuple[int, str]]) -> tuple[Counter, Counter, list[tuple]]:
    """(word, synonym) counts of the candidate edits and of the copies' edits, and each
    copy's edit in context: (word, synonym, context)."""
    augmenter = module.Augmenter(module.AugmentConfig(num_aug=COPIES, seed=0))
    candidates: Counter = Counter()
    made: Counter = Counter()
    shown = []
    for index, text in texts:
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        for edit in augmenter.options(tokens).sr:
            if tokens[edit.start] in WATCHED:
                candidates[tokens[edit.start], edit.new[0]] += 1
        for copy in augmenter.augment_tokens(tokens, index):
            match = difflib.SequenceMatcher(a=tokens, b=copy.tokens, autojunk=False)
            for tag, i1, i2, j1, j2 in match.get_opcodes():
                if tag == "replace" and i2 - i1 == 1 and tokens[i1] in WATCHED:
                    new = "".join(copy.tokens[j1:j2])
                    made[tokens[i1], new] += 1
                    left, right = "".join(tokens[max(0, i1 - 4) : i1]), "".join(tokens[i2 : i2 + 4])
                    shown.append((tokens[i1], new, f"{left}[{tokens[i1]}->{new}]{right}"))
    return candidates, made, shown


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.augment_pairs")
    parser.add_argument("--anchor", help="also the augmenter of this git revision")
    parser.add_argument("--show", help="WORD,SYNONYM: print each copy's replacement")
    args = parser.parse_args([] if argv is None else argv)
    texts = rows()
    if not texts:
        print("skipped: no waimai_10k or EPRSTMT data")
        return
    arms: dict[str, Any] = {"textkit": importlib.import_module("textkit.augment.eda")}
    if args.anchor:
        arms[f"anchor {args.anchor}"] = anchor_module(args.anchor, operations=True)
    found = {arm: replacements(module, texts) for arm, module in arms.items()}
    print(f"{len(texts):,} rows holding {', '.join(WATCHED)}; candidates / copies (-n {COPIES})")
    pairs = sorted({pair for c, m, _ in found.values() for pair in (*c, *m)})
    print("".join(arm.rjust(22) for arm in arms) + "  pair")
    for pair in pairs:
        cells = [f"{c[pair]:,} / {m[pair]:,}".rjust(22) for c, m, _ in found.values()]
        print("".join(cells) + f"  {pair[0]} -> {pair[1]}")
    if args.show:
        want = tuple(args.show.split(",", 1))
        for arm, (_, _, shown) in found.items():
            contexts = [ctx for word, new, ctx in shown if (word, new) == want]
            print(f"\n{arm}: {len(contexts)} copies with {want[0]} -> {want[1]}")
            for ctx in contexts:
                print(f"  {ctx}")


if __name__ == "__main__":
    main(sys.argv[1:])
