"""Keyword speed: documents/s over the 1,000 CSL abstracts and 10,000 THUCNews titles,
textkit vs a jieba.analyse loop, with rjieba tokenizing alone as the ceiling.

One process, resources loaded before timing, systems alternated over 5 rounds (the machine
is shared): the median docs/s of each is reported.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from benchmarks.common import DATA, ROOT, median_wall, print_table
from benchmarks.keywords_quality import CSL, load_csl


def main() -> None:
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    import jieba
    import jieba.analyse

    from textkit.keywords.extractor import BATCH_SIZE, KeywordExtractor

    jieba.setLogLevel(60)
    csl = [text for text, _ in load_csl()]
    corpora = {"CSL abstracts": csl}
    titles = DATA / "thucnews" / "train.txt"
    if titles.exists():
        with open(titles, encoding="utf-8") as handle:
            corpora["THUCNews titles"] = [line.split("\t")[0] for line in handle][:10_000]
    default = KeywordExtractor(top_k=20)
    compat = KeywordExtractor(top_k=20, jieba_compat=True)

    def each(fn: Callable[[str], object]) -> Callable[[list[str]], object]:
        return lambda texts: [fn(text) for text in texts]

    def batches(texts: list[str]) -> None:
        # What `textkit keywords` does: chunks of BATCH_SIZE documents, each a batch.
        for start in range(0, len(texts), BATCH_SIZE):
            default.extract_many(texts[start : start + BATCH_SIZE])

    systems: dict[str, Callable[[list[str]], object]] = {
        "jieba": each(lambda t: jieba.analyse.extract_tags(t, topK=20, withWeight=True)),
        "default": batches,
        "one by one": each(default.extract),
        "compat": each(compat.extract),
        # Tokenizing alone, nothing else: a ceiling on what any keyword code on this
        # tokenizer can reach against the anchor.
        "cut": each(lambda t: default.tokenizer.cut(t, keep_spaces=True)),
    }
    for fn in systems.values():  # warm up: dictionaries, IDF table, caches
        fn(csl[:300])
    rows = []
    for corpus, texts in corpora.items():
        rates: dict[str, list[float]] = {name: [] for name in systems}
        for _ in range(5):
            for name, fn in systems.items():
                start = time.perf_counter()
                fn(texts)
                rates[name].append(len(texts) / (time.perf_counter() - start))
        jieba_rate = statistics.median(rates["jieba"])
        for name, label, target in (
            ("default", "keywords default (phrases, fast; batches)", ">= 10x"),
            ("one by one", "keywords default, extract() text by text", "-"),
            ("compat", "keywords --jieba-compat", ">= 1.5x"),
            ("cut", "rjieba tokenizing alone (the ceiling)", "-"),
        ):
            rate = statistics.median(rates[name])
            rows.append(
                (
                    f"{corpus}: {label} (docs/s)",
                    f"{rate:.0f}",
                    f"{jieba_rate:.0f} (extract_tags loop)",
                    f"{rate / jieba_rate:.2f}x",
                    target,
                )
            )
    small = ROOT / "benchmarks" / ".small.txt"
    small.write_text("\n".join(csl[:3]) + "\n", encoding="utf-8")
    wall = median_wall([sys.executable, "-m", "textkit", "keywords", str(small)], runs=5)
    small.unlink()
    rows.append(
        ("textkit keywords small.txt, 3 abstracts (s)", f"{wall:.3f}", "-", "-", "<= 0.35 s")
    )
    print_table(rows)


if __name__ == "__main__":
    main()
