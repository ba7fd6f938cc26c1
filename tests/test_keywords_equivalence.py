"""The optimised keyword extractor returns exactly what the old one did.

benchmarks/keywords_reference.py is a frozen copy of the extractor before the speed-up
(full n-gram enumeration); every keyword, float weight and position must match it. The
1,000 CSL abstracts are compared by ``python -m benchmarks.keywords_equivalence``; here:
the sample texts, a slice of CSL, and generated texts aimed at the pruning's corner cases
(repeats cut two ways, English phrases, long tokens, stopwords and punctuation).
"""

from __future__ import annotations

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.keywords_reference import ReferenceExtractor
from textkit.keywords import KeywordExtractor

TEXTS = sorted((SAMPLES / "texts").glob("*.txt"))
CSL = SHARED_DATA / "csl_kg" / "dev.tsv"
OPTIONS = [
    {},
    {"phrases": False},
    {"min_len": 1},
    {"min_len": 4},
    {"method": "textrank"},
    {"pos": ("n", "vn", "nz", "eng")},
]
_pairs: dict[str, tuple[KeywordExtractor, ReferenceExtractor]] = {}


def _extractors(options: dict) -> tuple[KeywordExtractor, ReferenceExtractor]:
    key = repr(sorted(options.items()))
    if key not in _pairs:
        _pairs[key] = (KeywordExtractor(**options), ReferenceExtractor(**options))
    return _pairs[key]


def _assert_same(text: str, options: dict, ks=(5, 10, 0)) -> None:
    new, old = _extractors(options)
    for k in ks:
        assert new.extract(text, k) == old.extract(text, k), (options, k, text[:80])


@pytest.mark.parametrize("options", OPTIONS, ids=repr)
def test_samples_identical(options):
    for path in TEXTS:
        _assert_same(path.read_text(encoding="utf-8"), options)


@pytest.mark.skipif(not CSL.exists(), reason="CSL dev set not available")
@pytest.mark.parametrize("options", [{}, {"phrases": False}, {"min_len": 1}], ids=repr)
def test_csl_slice_identical(options):
    with open(CSL, encoding="utf-8") as handle:
        texts = [line.split("\t")[1] for _, line in zip(range(150), handle, strict=False)]
    for text in texts:
        _assert_same(text, options)


# Few distinct characters, so phrases repeat and get cut differently ("神经网络" as one
# token or two); English words, digits, stopwords, punctuation and whitespace mixed in.
PIECES = st.sampled_from(
    [
        "神经网络", "神经", "网络", "图神经网络", "模型", "图", "的", "和", "，", "。",
        "关键词抽取", "关键词", "抽取", "方法", "研究", "machine", "learning", " ", "\n",
        "deep", "3.14", "2024", "-", "超长的专有名词组成的一个非常长的术语", "TextRank",
        "（", "）", "中国人民银行", "银行", "人民", "数据", "数据集", "集上",
    ]
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=60).map("".join), st.integers(min_value=0, max_value=12))
def test_property_generated_texts_identical(text, k):
    for options in ({}, {"min_len": 1}, {"phrases": False}):
        _assert_same(text, options, ks=(k,))


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="机器学习模型数据的了，。 abcAB12-\n", max_size=150))
def test_property_small_alphabet_identical(text):
    _assert_same(text, {}, ks=(3, 0))
    _assert_same(text, {"min_len": 1}, ks=(0,))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200))
def test_property_any_text_identical(text):
    _assert_same(text, {}, ks=(10, 0))


@settings(max_examples=25, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_property_textrank_and_pos_identical(text):
    _assert_same(text, {"method": "textrank"}, ks=(10,))
    _assert_same(text, {"pos": ("n", "vn", "nz", "eng")}, ks=(10,))
