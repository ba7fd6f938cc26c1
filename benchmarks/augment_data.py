"""The labeled datasets the augmentation benchmarks read (from ../shared/data)."""

from __future__ import annotations

import csv
import json

from benchmarks.common import DATA

Split = tuple[list[str], list[str]]
WAIMAI = DATA / "waimai_10k" / "waimai_10k.csv"
THUC = DATA / "thucnews"
FEWCLUE = DATA / "fewclue"


def waimai() -> Split:
    """All waimai_10k reviews (label 1 positive, 0 negative), in file order."""
    with open(WAIMAI, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    return [r[1] for r in rows], [r[0] for r in rows]


def thucnews(split: str = "train") -> Split:
    """THUCNews titles of ``split`` (train, dev, test) with their class ids."""
    texts, labels = [], []
    for line in (THUC / f"{split}.txt").read_text(encoding="utf-8").splitlines():
        title, _, label = line.rpartition("\t")
        if title:
            texts.append(title)
            labels.append(label)
    return texts, labels


def fewclue(task: str, split: str) -> Split:
    """A FewCLUE task (``tnews``, ``eprstmt``) split: train_few_all, dev_few_all, test_public."""
    texts, labels = [], []
    path = FEWCLUE / task / f"{split}.json"
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            texts.append(row["sentence"])
            labels.append(str(row.get("label_desc", row["label"])))
    return texts, labels


def available() -> dict[str, bool]:
    """Which datasets are on this machine."""
    return {
        "waimai": WAIMAI.is_file(),
        "thucnews": (THUC / "train.txt").is_file(),
        "tnews": (FEWCLUE / "tnews" / "train_few_all.json").is_file(),
        "eprstmt": (FEWCLUE / "eprstmt" / "train_few_all.json").is_file(),
    }
