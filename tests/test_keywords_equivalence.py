"""The optimised keyword extractor returns exactly what the old one did.

benchmarks/keywords_reference.py is a frozen copy of the extractor before the speed-up
(full n-gram enumeration); every keyword, float weight and position must match it. The
1,000 CSL abstracts are compared by ``python -m benchmarks.keywords_equivalence``; here:
the sample texts, a slice of CSL, and generated texts aimed at the pruning's corner cases
(repeats cut two ways, English phrases, long tokens, stopwords and punctuation).
"""

from __future__ import annotations

import sys

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.keywords_reference import ReferenceExtractor
from textkit.keywords.extractor import ALL_KEYWORDS, KeywordExtractor

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
        # k=0 is "all": the reference (frozen before the single-word top-up applied to it)
        # gets a k no text reaches, which is what 0 now means.
        assert new.extract(text, k) == old.extract(text, k or ALL_KEYWORDS), (options, k, text[:80])


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


# -- the batch path: extract_many / keyword_batch vs extract, text by text -----------------


def _assert_batch_same(texts: list[str], options: dict, ks=(5, 10, 0)) -> None:
    from textkit.keywords.batch import extract_batch

    new, _ = _extractors(options)
    for k in ks:
        batch = extract_batch(new, texts, k or ALL_KEYWORDS)  # as extract_many calls it
        assert batch == [new.extract(t, k) for t in texts], (options, k)


@pytest.mark.parametrize("options", [{}, {"phrases": False}, {"min_len": 1}], ids=repr)
def test_batch_samples_identical(options):
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    _assert_batch_same(texts + [line for t in texts for line in t.splitlines()], options)


@pytest.mark.skipif(not CSL.exists(), reason="CSL dev set not available")
@pytest.mark.parametrize("options", [{}, {"min_len": 4}], ids=repr)
def test_batch_csl_identical(options):
    with open(CSL, encoding="utf-8") as handle:
        texts = [line.split("\t")[1] for line in handle if line.count("\t") == 2]
    _assert_batch_same(texts, options, ks=(10,))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(PIECES, max_size=40).map("".join), max_size=8),
    st.integers(min_value=0, max_value=12),
)
def test_property_batch_generated_identical(texts, k):
    for options in ({}, {"min_len": 1}, {"phrases": False}):
        _assert_batch_same(texts, options, ks=(k,))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.text(alphabet="机器学习模型数据的了，。 abcAB12-\n\t\r", max_size=80), max_size=6)
)
def test_property_batch_small_alphabet_identical(texts):
    _assert_batch_same(texts, {}, ks=(3, 0))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=5))
def test_property_batch_any_text_identical(texts):
    _assert_batch_same(texts, {}, ks=(10,))


def test_extract_many_batches_large_inputs_only():
    """Few texts go one by one (no numpy import for a short run); many go as a batch;
    both give extract's answer, and options the batch does not cover still work."""
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    new = KeywordExtractor()
    assert new.extract_many(texts[:2], 3) == [new.extract(t, 3) for t in texts[:2]]
    if "numpy" not in sys.modules:  # (a test before this one may have imported it)
        assert not hasattr(new, "_batch_vocabulary")  # one by one: the batch never ran
    many = (texts * 40)[:40]
    assert new.extract_many(many) == [new.extract(t) for t in many]
    assert new._batch_vocabulary.size > 0  # the batch code ran
    textrank, _ = _extractors({"method": "textrank"})
    assert textrank.extract_many(many[:3]) == [textrank.extract(t) for t in many[:3]]


def test_batch_groups_bound_their_size():
    from textkit.keywords.batch import groups_of

    assert groups_of(["ab"] * 5, budget=4) == [(0, 2), (2, 4), (4, 5)]
    assert groups_of(["x" * 10, "y"], budget=4) == [(0, 1), (1, 2)]
    assert groups_of(["a", "x" * 10, "y"], budget=4) == [(0, 1), (1, 2), (2, 3)]
    assert groups_of([], budget=4) == []


def test_batch_is_vectorised_not_a_fallback(monkeypatch):
    """On ordinary text the batch never falls back to extract() (that would hide a bug
    in the array code behind the slow path's right answers)."""
    from textkit.keywords.batch import extract_batch

    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    texts += [line for text in texts for line in text.splitlines()]
    new, _ = _extractors({})
    expected = [new.extract(t, 10) for t in texts]

    def forbidden(*args, **kwargs):
        raise AssertionError("fell back to extract()")

    monkeypatch.setattr(new, "extract", forbidden)
    assert extract_batch(new, texts, 10) == expected


def test_batch_vocabulary_grows_and_probes(monkeypatch):
    """A tiny starting table: every batch rehashes, keys collide and probe; the answers
    stay extract()'s, and a second batch finds the tokens the first one stored."""
    from textkit.keywords import batch as keyword_batch

    monkeypatch.setattr(keyword_batch._Vocabulary, "INITIAL_SLOTS", 4)
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    texts += [line for text in texts for line in text.splitlines()]
    fresh = KeywordExtractor()
    expected = [fresh.extract(t, 10) for t in texts]
    half = len(texts) // 2
    got = keyword_batch.extract_batch(fresh, texts[:half], 10)
    vocabulary = fresh._batch_vocabulary
    assert len(vocabulary.slot_id) > 4 and vocabulary.size > 100
    got += keyword_batch.extract_batch(fresh, texts[half:], 10)
    assert got == expected
    stored = vocabulary.arrays["key"][: vocabulary.size]
    assert vocabulary._find(stored).tolist() == list(range(vocabulary.size))


def test_batch_sends_huge_texts_to_extract(monkeypatch):
    """A text over HUGE_TEXT characters goes through extract() (the arrays would take
    ~350 bytes a character), the others still as a batch: same keywords either way."""
    from textkit.keywords import batch as keyword_batch

    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    new, _ = _extractors({})
    expected = [new.extract(t, 10) for t in texts]
    longest = max(texts, key=len)
    monkeypatch.setattr(keyword_batch, "HUGE_TEXT", len(longest) - 1)
    monkeypatch.setattr(keyword_batch, "CHUNK_CHARS", len(longest) - 1)
    calls = []
    original = new.extract
    monkeypatch.setattr(new, "extract", lambda t, k=None: calls.append(t) or original(t, k))
    assert keyword_batch.extract_batch(new, texts, 10) == expected
    assert longest in calls


def test_batch_idf_comes_from_the_hashed_index(monkeypatch):
    """jieba's cached table gets a hashed index (built once, saved, rebuilt when damaged)
    that answers exactly as the table; a user's own table is looked up as it is."""
    import numpy as np

    from textkit.io.cache import cache_dir
    from textkit.keywords import batch as keyword_batch
    from textkit.text.idf import LazyWeights

    KeywordExtractor()  # the first load ever may parse idf.txt itself; later ones are lazy
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    texts += [line for text in texts for line in text.splitlines()]
    for damaged in (False, True):
        if damaged:
            for index_file in cache_dir().glob("idf-*.hashed.npz"):
                index_file.write_bytes(b"garbage")
        new = KeywordExtractor()
        assert isinstance(new.idf.weights, LazyWeights)
        expected = [new.extract(t, 10) for t in texts]
        monkeypatch.setattr(new, "_idf_many", None)  # the SQLite path would fail now
        assert keyword_batch.extract_batch(new, texts, 10) == expected
        (index_file,) = cache_dir().glob("idf-*.hashed.npz")
        with np.load(index_file) as saved:  # (re)written whole
            assert len(saved["h1"]) > 200_000
    words = ["新能源", "人工智能", "不是一个词", "的"]
    h1, h2 = keyword_batch._word_hashes(words)
    got = keyword_batch._idf_of(new, words, np.ones(4, bool), (h1, h2))
    assert got.tolist() == [new.idf.weights.get(w, new.idf.unknown) for w in words]
    assert keyword_batch._hashed_idf({"新能源": 1.0}) is None
