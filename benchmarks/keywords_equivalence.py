"""The optimised keyword extractor (text by text and in batches) against a frozen copy of
the old one, on CSL abstracts.

Every option set below runs over all 1,000 CSL dev abstracts (and the sample texts); each
document's keywords must be identical: same phrases, same float weights, same order.

    .venv/bin/python -m benchmarks.keywords_equivalence [--pos]
"""

from __future__ import annotations

import sys
import time
from typing import Any

from benchmarks.common import ROOT
from benchmarks.keywords_quality import CSL, load_csl
from benchmarks.keywords_reference import ReferenceExtractor
from textkit.keywords.extractor import KeywordExtractor

OPTION_SETS: list[dict[str, Any]] = [
    {},
    {"phrases": False},
    {"min_len": 1},
    {"min_len": 4},
    {"method": "textrank"},
    {"method": "textrank", "phrases": False},
]
POS_OPTION_SETS: list[dict[str, Any]] = [
    {"pos": ("n", "vn", "nz", "eng")},
    {"method": "textrank", "pos": ("n", "v")},
]
TOP_KS = (5, 10, 0)


def compare(texts: list[str], options: dict[str, Any]) -> int:
    """Number of (document, k) pairs whose keywords differ; prints the first few."""
    new, old = KeywordExtractor(**options), ReferenceExtractor(**options)
    bad = 0
    for k in TOP_KS:
        # Both paths: text by text (extract) and in batches (extract_many, the CLI's).
        batch = [
            kw for s in range(0, len(texts), 256) for kw in new.extract_many(texts[s : s + 256], k)
        ]
        for index, text in enumerate(texts):
            want = old.extract(text, k)
            for path, got in (("extract", new.extract(text, k)), ("batch", batch[index])):
                if got != want:
                    bad += 1
                    if bad <= 3:
                        print(f"  DIFF doc {index} k={k} ({path}):\n    new {got}\n    old {want}")
    return bad


def main() -> int:
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return 0
    texts = [text for text, _ in load_csl()]
    texts += [
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "samples" / "texts").glob("*.txt"))
    ]
    option_sets = OPTION_SETS + (POS_OPTION_SETS if "--pos" in sys.argv else [])
    failed = 0
    for options in option_sets:
        start = time.perf_counter()
        bad = compare(texts, options)
        failed += bad
        status = "identical" if not bad else f"{bad} DIFFERENT"
        print(
            f"{options or 'default'}: {len(texts)} docs x k in {TOP_KS}: {status}"
            f" ({time.perf_counter() - start:.1f} s)",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
