"""Normalisation: conversion speed, the cost of detecting traditional text, and how
tokens and keywords of traditional text compare with those of the simplified original.

The traditional texts are OpenCC's conversions of the 1,000 CSL abstracts (s2t: OpenCC's
standard forms, s2tw: Taiwan, s2hk: Hong Kong). Tokens: an abstract counts as the same
when the normalised traditional text, tokenized and mapped back, is cut at the same places
as the simplified original, normalised too (OpenCC keeps every character in place; the
figure in brackets compares with the original as it is, whose full-width forms are not
folded). Keywords: micro F1@5 with the gold keywords converted the same way (a keyword in
traditional spelling matches its gold one).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from benchmarks.common import DATA, print_table
from benchmarks.keywords_quality import CSL, load_csl, micro_f1

SOURCES = ("s2t", "s2tw", "s2hk")


def _corpora() -> dict[str, list[str]]:
    corpora = {"CSL abstracts": [text for text, _ in load_csl()]}
    titles = DATA / "thucnews" / "test.txt"
    if titles.exists():
        with open(titles, encoding="utf-8") as handle:
            corpora["THUCNews titles"] = [line.split("\t")[0] for line in handle][:10_000]
    return corpora


def speed_rows(rounds: int) -> list[tuple[str, ...]]:
    """Conversion and detection speed, against tokenizing and extracting keywords."""
    import opencc

    from textkit.keywords.extractor import BATCH_SIZE, KeywordExtractor
    from textkit.text.normalize import looks_traditional, normalize

    rows: list[tuple[str, ...]] = []
    extractor = KeywordExtractor()
    plain_t2s = opencc.OpenCC("t2s").convert
    to_traditional = opencc.OpenCC("s2t").convert

    def keywords(texts: list[str]) -> None:  # what `textkit keywords` does, in batches
        for start in range(0, len(texts), BATCH_SIZE):
            extractor.extract_many(texts[start : start + BATCH_SIZE])

    for corpus, texts in _corpora().items():
        traditional = [to_traditional(t) for t in texts]
        systems: dict[str, Callable[[], object]] = {
            "normalize": lambda ts=traditional: [normalize(t) for t in ts],
            "t2s": lambda ts=traditional: [plain_t2s(t) for t in ts],
            "cut": lambda ts=texts: [extractor.tokenizer.cut(t) for t in ts],
            "detect": lambda ts=texts: [looks_traditional(t) for t in ts],
            "keywords": lambda ts=texts: keywords(ts),
        }
        for fn in systems.values():
            fn()  # warm up: dictionaries, IDF table, caches
        times: dict[str, list[float]] = {name: [] for name in systems}
        for _ in range(rounds):
            for name, fn in systems.items():
                start = time.perf_counter()
                fn()
                times[name].append(time.perf_counter() - start)
        chars = sum(map(len, texts))
        speed = {name: chars / statistics.median(ts) for name, ts in times.items()}
        cost = statistics.median(
            d / k for d, k in zip(times["detect"], times["keywords"], strict=True)
        )
        rows += [
            (
                f"{corpus}: normalize() of the traditional text (chars/s)",
                f"{speed['normalize']:.3g}",
                f"{speed['t2s']:.3g} (OpenCC t2s alone)",
                f"{speed['normalize'] / speed['t2s']:.2f}x",
            ),
            (
                f"{corpus}: normalize() vs rjieba tokenizing (chars/s)",
                f"{speed['normalize']:.3g}",
                f"{speed['cut']:.3g} (cut)",
                f"{speed['normalize'] / speed['cut']:.2f}x",
            ),
            (
                f"{corpus}: detecting traditional text on simplified input, share of a "
                "keywords run",
                f"{cost:.2%}",
                f"{chars / statistics.median(times['keywords']):.3g} chars/s (keywords)",
                "-",
            ),
        ]
    return rows


def quality_rows() -> list[tuple[str, ...]]:
    """Same tokens and keyword F1@5 on the traditional conversions of the CSL abstracts."""
    import opencc

    from textkit.keywords.extractor import KeywordExtractor
    from textkit.text.normalize import normalize, normalized_results
    from textkit.text.tokenizer import Tokenizer

    docs = load_csl()
    texts = [text for text, _ in docs]
    golds = [gold for _, gold in docs]
    tokenizer = Tokenizer(backend="fast")
    extractor = KeywordExtractor()

    def extract(text: str) -> list[str]:
        return [w for w, _ in extractor.extract(text, 5)]

    def cuts(text: str) -> list[int]:
        return [len(w) for w in tokenizer.cut(text)]

    # The simplified original as it is, and normalised too (full-width forms folded).
    plain_cuts = [cuts(t) for t in texts]
    folded_cuts = [cuts(normalize(t).text) for t in texts]
    simplified_f1 = micro_f1([extract(t) for t in texts], golds, 5)
    rows: list[tuple[str, ...]] = []
    for source in SOURCES:
        convert = opencc.OpenCC(source).convert
        same = same_plain = 0
        for text, plain, folded in zip(texts, plain_cuts, folded_cuts, strict=True):
            traditional = convert(text)
            prepared = normalize(traditional)
            mapped = [
                len(prepared.original_span(a, b))
                for w, a, b in tokenizer.cut_spans(prepared.text)
                if not w.isspace()
            ]
            # OpenCC converts character for character: the same words are the same cuts.
            same += mapped == folded and len(traditional) == len(text)
            same_plain += mapped == plain and len(traditional) == len(text)
        traditional_texts = [convert(t) for t in texts]
        traditional_golds = [[convert(g) for g in gold] for gold in golds]
        predictions = [
            normalized_results(extract, t, normalize_mode=True)[0] for t in traditional_texts
        ]
        f1 = micro_f1(predictions, traditional_golds, 5)
        raw = micro_f1([extract(t) for t in traditional_texts], traditional_golds, 5)
        share = same / len(texts)
        rows += [
            (
                f"CSL {source}: abstracts tokenized the same (normalised, mapped back) as "
                "the normalised simplified original (as it is)",
                f"{share:.1%} ({same_plain / len(texts):.1%})",
                f"{len(texts)} abstracts",
                "-",
            ),
            (
                f"CSL {source}: keyword F1@5, normalised (not normalised)",
                f"{f1:.4f} ({raw:.4f})",
                f"{simplified_f1:.4f} (simplified original)",
                f"{f1 - simplified_f1:+.4f}",
            ),
        ]
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer timing rounds")
    args = parser.parse_args(argv if argv is not None else [])
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    print_table(speed_rows(3 if args.quick else 7) + quality_rows())


if __name__ == "__main__":
    import sys

    main(sys.argv[1:])
