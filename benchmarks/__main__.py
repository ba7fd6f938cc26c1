"""``make bench``: run every benchmark module that exists and print its table."""

from __future__ import annotations

import importlib
import sys

MODULES = [
    "benchmarks.performance",
    "benchmarks.keywords_quality",
    "benchmarks.keywords_speed",
    "benchmarks.keywords_reviews",
    "benchmarks.summarize_bench",
    "benchmarks.classify_bench",
    "benchmarks.classify_quality",
    "benchmarks.classify_multilabel",
    "benchmarks.classify_augment",
    "benchmarks.classify_augment_choice",
    "benchmarks.classify_scaling",
    "benchmarks.augment_quality",
    "benchmarks.augment_fewshot",
    "benchmarks.augment_synonyms",
    "benchmarks.augment_pairs",
    "benchmarks.streaming_bench",
    "benchmarks.normalize_bench",
    "benchmarks.newwords_bench",
]


def main() -> int:
    for name in MODULES:
        print(f"== {name}", flush=True)
        importlib.import_module(name).main()
    return 0


if __name__ == "__main__":
    sys.exit(main())
