"""Keyword quality: micro F1@5 / F1@10 on the CSL keyword dev set, textkit vs jieba.analyse.

Each line of ``csl_kg/dev.tsv`` is ``title<TAB>abstract<TAB>kw1_kw2_...``; predictions match
gold keywords exactly after case-folding. Micro-averaged (sum of hits over sum of
predictions / of gold keywords), which reproduces jieba's published 0.140 / 0.106. Lines
1-500 chose the defaults; 501-1000 are reported apart as held-out data. textkit's rows score
all 1,000 abstracts in one run, as ``textkit keywords --lines`` does (so with the
collection's IDF, :mod:`textkit.keywords.collection`), and once more with jieba's table only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from benchmarks.common import DATA, print_table

CSL = DATA / "csl_kg" / "dev.tsv"


def load_csl() -> list[tuple[str, list[str]]]:
    """(abstract, gold keywords) per line of the CSL dev file."""
    docs = []
    with open(CSL, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3:
                docs.append((fields[1], [g for g in fields[2].split("_") if g]))
    return docs


def micro_f1(predictions: Sequence[Sequence[str]], golds: Sequence[Sequence[str]], k: int) -> float:
    hits = predicted = relevant = 0
    for pred, gold in zip(predictions, golds, strict=True):
        top = list(dict.fromkeys(p.strip().casefold() for p in pred))[:k]
        wanted = {g.strip().casefold() for g in gold}
        hits += sum(p in wanted for p in top)
        predicted += len(top)
        relevant += len(wanted)
    if not hits:
        return 0.0
    precision, recall = hits / predicted, hits / relevant
    return 2 * precision * recall / (precision + recall)


Lists = Callable[[list[str], int], list[list[str]]]


def systems() -> list[tuple[str, Lists]]:
    import jieba
    import jieba.analyse

    from textkit.keywords.extractor import KeywordExtractor

    jieba.setLogLevel(60)

    def ours(**options: object) -> Lists:
        extractor = KeywordExtractor(**options)  # type: ignore[arg-type]
        return lambda texts, k: [
            [w for w, _ in found] for found in extractor.extract_many(texts, k)
        ]

    def each(extract: Callable[[str, int], list[str]]) -> Lists:
        return lambda texts, k: [extract(text, k) for text in texts]

    # Each system is asked for exactly k keywords (a short text's top-up depends on k).
    return [
        ("jieba.analyse.extract_tags", each(lambda t, k: jieba.analyse.extract_tags(t, topK=k))),
        ("jieba.analyse.textrank", each(lambda t, k: jieba.analyse.textrank(t, topK=k))),
        ("textkit tfidf phrases (default)", ours()),
        ("textkit tfidf phrases, --no-collection-idf", ours(collection_idf=False)),
        ("textkit textrank phrases", ours(method="textrank")),
        ("textkit tfidf words", ours(phrases=False)),
        ("textkit tfidf phrases, --tokenizer jieba", ours(backend="jieba")),
    ]


def main() -> None:
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    docs = load_csl()
    golds = [g for _, g in docs]
    half = len(docs) // 2
    rows = []
    scores = {}
    for name, fn in systems():
        cells = []
        for k in (5, 10):
            preds = fn([text for text, _ in docs], k)
            for part in (slice(None), slice(0, half), slice(half, None)):
                cells.append(micro_f1(preds[part], golds[part], k))
        scores[name] = cells
    anchor = scores["jieba.analyse.extract_tags"]
    for name, cells in scores.items():
        rows.append(
            (
                f"{name}: F1@5, F1@10 (all/1-{half}/{half + 1}-{len(docs)})",
                " / ".join(f"{c:.4f}" for c in cells[:3])
                + ", "
                + " / ".join(f"{c:.4f}" for c in cells[3:]),
                f"{anchor[0]:.4f}; {anchor[3]:.4f} (extract_tags)",
                f"{cells[0] / anchor[0]:.2f}x",
            )
        )
    print_table(rows)


if __name__ == "__main__":
    main()
