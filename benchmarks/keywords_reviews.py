"""Keyword quality on product reviews, next to jieba.analyse in the same run: function-word
share, fragment share and near-duplicate lists of the top 5 (``../shared/tools/
keyword_quality.py``) on 2,000 waimai reviews of 30+ characters (shuffled with
random.Random(1); the first 2,000), the prefix check (-k 1 and -k 3 against -k 10), and the
time of one 1,000,000-character document, default against ``--words``.

textkit scores the reviews in one run, as ``textkit keywords --lines`` does (with the
collection's IDF), and once more with jieba's table only (``--no-collection-idf``).

``--quick``: 300 reviews and a 200,000-character document.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import DATA, ROOT, print_table

WAIMAI = DATA / "waimai_10k" / "waimai_10k.csv"
TOOL = ROOT.parent / "shared" / "tools" / "keyword_quality.py"


def reviews(count: int) -> list[str]:
    """The benchmark's reviews: 30+ characters, shuffled with random.Random(1)."""
    with open(WAIMAI, encoding="utf-8") as handle:
        texts = [" ".join(r["review"].split()) for r in csv.DictReader(handle)]
    texts = [t for t in texts if len(t) >= 30]
    random.Random(1).shuffle(texts)
    return texts[:count]


def _quality(docs: Path, lists: list[list[str]]) -> str:
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for words in lists:
            f.write(json.dumps({"keywords": [{"keyword": w} for w in words]}) + "\n")
    out = subprocess.run(
        [sys.executable, str(TOOL), str(docs), f.name], capture_output=True, text=True, check=True
    ).stdout
    Path(f.name).unlink()
    return out.strip().split("; ", 1)[1]


def main() -> None:
    if not WAIMAI.exists() or not TOOL.exists():
        print(f"skipped: {WAIMAI} or {TOOL} not found")
        return
    import jieba
    import jieba.analyse

    from textkit.keywords.extractor import KeywordExtractor

    jieba.setLogLevel(60)
    quick = "--quick" in sys.argv
    texts = reviews(300 if quick else 2000)
    with tempfile.TemporaryDirectory() as folder:
        docs = Path(folder) / "reviews.txt"
        docs.write_text("\n".join(texts) + "\n", encoding="utf-8")
        ours = KeywordExtractor()
        mine = [[w for w, _ in found] for found in ours.extract_many(texts, 5)]
        alone = [[w for w, _ in ours.extract(t, 5)] for t in texts]
        theirs = [jieba.analyse.extract_tags(t, topK=5) for t in texts]
        rows = [
            ("reviews top-5: textkit", _quality(docs, mine), "", ""),
            ("reviews top-5: textkit, --no-collection-idf", _quality(docs, alone), "", ""),
            ("reviews top-5: jieba.analyse.extract_tags", _quality(docs, theirs), "", ""),
        ]
    first = texts[:1000]
    lists = {k: ours.extract_many(first, k) for k in (1, 3, 10)}
    prefix = sum(
        lists[1][i] == lists[10][i][:1] and lists[3][i] == lists[10][i][:3]
        for i in range(len(first))
    )
    rows.append(("-k 1 and -k 3 prefixes of -k 10", f"{prefix} of {min(1000, len(texts))}", "", ""))
    size = 200_000 if quick else 1_000_000
    csl = (DATA / "csl_kg" / "dev.tsv").read_text(encoding="utf-8").splitlines()
    abstracts = "\n".join(line.split("\t")[1] for line in csl if line.count("\t") == 2)
    long_text = (abstracts * (size // len(abstracts) + 1))[:size]
    times = {}
    for name, extractor in (
        ("default", KeywordExtractor()),
        ("--words", KeywordExtractor(phrases=False)),
    ):
        extractor.extract(long_text[:10_000], 10)
        start = time.perf_counter()
        extractor.extract(long_text, 10)
        times[name] = time.perf_counter() - start
    rows.append(
        (
            f"one {size:,}-character document (s)",
            f"{times['default']:.2f}",
            f"{times['--words']:.2f} (--words)",
            f"{times['default'] / times['--words']:.2f}x",
        )
    )
    print_table(rows)


if __name__ == "__main__":
    main()
