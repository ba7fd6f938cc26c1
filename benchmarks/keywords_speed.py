"""Keyword speed: documents/s over the 1,000 CSL abstracts, textkit vs a jieba.analyse loop.

One process, resources loaded before timing, systems alternated over 3 rounds (the machine
is shared): the median docs/s of each is reported.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from benchmarks.common import ROOT, median_wall, print_table
from benchmarks.keywords_quality import CSL, load_csl


def main() -> None:
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    import jieba
    import jieba.analyse

    from textkit.keywords import KeywordExtractor

    jieba.setLogLevel(60)
    texts = [text for text, _ in load_csl()]
    default = KeywordExtractor(top_k=20)
    compat = KeywordExtractor(top_k=20, jieba_compat=True)
    systems: dict[str, Callable[[str], object]] = {
        "jieba": lambda t: jieba.analyse.extract_tags(t, topK=20, withWeight=True),
        "default": default.extract,
        "compat": compat.extract,
    }
    for fn in systems.values():  # warm up: dictionaries, IDF table, caches
        fn(texts[0])
    rates: dict[str, list[float]] = {name: [] for name in systems}
    for _ in range(3):
        for name, fn in systems.items():
            start = time.perf_counter()
            for text in texts:
                fn(text)
            rates[name].append(len(texts) / (time.perf_counter() - start))
    jieba_rate = statistics.median(rates["jieba"])
    rows = []
    for name, label, target in (
        ("default", "textkit keywords default (phrases, fast)", ">= 1x (issue 6: 10x)"),
        ("compat", "textkit keywords --jieba-compat", ">= 1.5x"),
    ):
        rate = statistics.median(rates[name])
        rows.append(
            (
                f"{label} (docs/s)",
                f"{rate:.0f}",
                f"{jieba_rate:.0f} (extract_tags loop)",
                f"{rate / jieba_rate:.2f}x",
                target,
            )
        )
    small = ROOT / "benchmarks" / ".small.txt"
    small.write_text("\n".join(texts[:3]) + "\n", encoding="utf-8")
    wall = median_wall([sys.executable, "-m", "textkit", "keywords", str(small)], runs=5)
    small.unlink()
    rows.append(
        ("textkit keywords small.txt, 3 abstracts (s)", f"{wall:.3f}", "-", "-", "<= 0.35 s")
    )
    print_table(rows)


if __name__ == "__main__":
    main()
