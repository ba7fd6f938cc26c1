"""The batch path (numpy over many texts) returns exactly what extract() does text by text:
the same keywords, float weights and order, for every option the batch path takes.

Generated texts aim at its corner cases: phrases cut two ways, repeats as strings, English
words joined by spaces (and by other whitespace, which extract() handles), nested
candidates, markup, empty and whitespace-only texts, line ends.
"""

from __future__ import annotations

import csv
import os
import random

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.keywords import batch
from textkit.keywords.extractor import KeywordExtractor

TEXTS = sorted((SAMPLES / "texts").glob("*.txt"))
CSL = SHARED_DATA / "csl_kg" / "dev.tsv"
WAIMAI = SHARED_DATA / "waimai_10k" / "waimai_10k.csv"
TITLES = SHARED_DATA / "thucnews" / "test.txt"
_extractors: dict[str, KeywordExtractor] = {}


def _extractor(**options) -> KeywordExtractor:
    key = repr(sorted(options.items()))
    if key not in _extractors:
        _extractors[key] = KeywordExtractor(**options)
    return _extractors[key]


def _assert_same(texts: list[str], options: dict, ks=(5, 10, 0)) -> None:
    extractor = _extractor(**options)
    for k in ks:
        docs, words, weights = batch.extract_columns(extractor, texts, k)
        found: list[list[tuple[str, float]]] = [[] for _ in texts]
        for d, word, weight in zip(docs, words, weights, strict=True):
            found[d].append((word, weight))
        for text, got in zip(texts, found, strict=True):
            assert got == extractor.extract(text, k), (options, k, text[:80])


def test_extract_many_takes_the_batch_path_for_many_texts(monkeypatch):
    texts = [path.read_text(encoding="utf-8") for path in TEXTS] * 12
    extractor = KeywordExtractor()
    calls = []
    monkeypatch.setattr(batch, "extract_columns", lambda *a: calls.append(a) or ([], [], []))
    extractor.extract_many(texts)
    assert calls, "a batch of 36 texts went text by text"


@pytest.mark.parametrize(
    "options",
    [{}, {"phrases": False}, {"min_len": 1}, {"min_len": 4}, {"default_stopwords": False}],
    ids=repr,
)
def test_samples_identical(options):
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    _assert_same(texts + [line for t in texts for line in t.splitlines()], options)


def test_user_dictionary_stopwords_and_idf_file_identical(tmp_path):
    user = tmp_path / "user.txt"
    user.write_text("外卖小哥 100 n\n太好吃 50\n新能源汽车 n\n送餐速度\n", encoding="utf-8")
    stop = tmp_path / "stop.txt"
    stop.write_text("好吃\n汽车\n", encoding="utf-8")
    idf = tmp_path / "idf.txt"
    idf.write_text("外卖 3.0\n小哥 9.5\n新能源 12.0\n汽车 4.0\n", encoding="utf-8")
    texts = [path.read_text(encoding="utf-8") for path in TEXTS] + [
        "外卖小哥送餐速度很快，太好吃了，外卖小哥人很好。送餐速度快。",
        "新能源汽车销量增长，新能源汽车补贴退坡，汽车市场变化。",
        "外卖小哥送餐速度，新能源汽车外卖小哥送餐速度快，外卖小哥。",  # phrases of user words
    ]
    for options in (
        {"user_dict": user},
        {"stopword_files": [stop]},
        {"idf": idf},
        {"user_dict": user, "idf": idf},  # user words weigh as their pieces in this table
    ):
        _assert_same(texts, options)


def test_awkward_texts_identical():
    texts = [
        "",
        "   ",
        "\n\n",
        "machine learning and deep  learning: machine\tlearning, machine learning",
        "Graph Neural Network 图神经网络 Graph Neural Network\r",
        "新能源汽车产业和新能源汽车消费，新能源|汽车。",
        "见 https://pan.baidu.com/s/1AbCd 与 dev@example.com <b>分词</b>&nbsp;分词工具分词",
        "相变材料的研究。定形相变材料由相变材料和支撑材料组成，相变材料用途广，材料成本低。",
        "粮食生产和粮食储备。粮食安全很重要，粮食安全是基础，粮食价格稳定。",
        "报告1例恶性黑素瘤伴有白癜风样色素减退斑。诊断为恶性黑素瘤伴有白癜风样色素减退斑。",
        "体育课程目标的制定。体育课程目标，体育课程。课程目标的评价，目标管理和课程目标管理。",
        "目的 研究优化设计。方法 选取对照组和观察组。结果表明优化设计有效，对照组患者研究。",
        "哈哈哈哈哈哈哈哈哈哈哈哈",
        "a" * 40 + " " + "b" * 40 + " " + "a" * 40 + " " + "b" * 40,
    ]
    _assert_same(texts, {})
    _assert_same(texts, {"min_len": 1}, ks=(0,))


# Few distinct pieces, so phrases repeat and get cut differently; English words, digits,
# stopwords, punctuation, markup and whitespace mixed in.
PIECES = st.sampled_from(
    [
        "神经网络", "神经", "网络", "图神经网络", "模型", "图", "的", "和", "，", "。",
        "关键词抽取", "关键词", "抽取", "方法", "研究", "machine", "learning", " ", "\n",
        "deep", "3.14", "2024", "-", "超长的专有名词组成的一个非常长的术语", "TextRank",
        "（", "）", "中国人民银行", "银行", "人民", "数据", "数据集", "集上", "  ", "\t",
        "www.example.com", "粮食安全", "粮食", "外卖小哥", "很好吃", "丁雪明",
        "不", "没有", "不是", "太", "很", "新鲜", "好吃", "专业", "退款", "齐秦",
        "《", "》", "〈", "〉", "没", "之前", "原来", "那么", "上次", "绝地", "求生", "之",
        "战地", "王", "2", "送来", "刘玉栋", "不怎么",
    ]
)  # fmt: skip


@settings(max_examples=int(os.environ.get("TEXTKIT_BATCH_EXAMPLES", "60")), deadline=None)
@given(
    st.lists(st.lists(PIECES, max_size=40).map("".join), min_size=1, max_size=12),
    st.integers(min_value=0, max_value=12),
)
def test_property_generated_texts_identical(texts, k):
    _assert_same(texts, {}, ks=(k,))
    _assert_same(texts, {"min_len": 1, "phrases": False}, ks=(k,))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet="机器学习模型数据的了，。 abcAB12-\n\r", max_size=80), max_size=8))
def test_property_small_alphabet_identical(texts):
    _assert_same(texts, {}, ks=(3, 0))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(max_size=120), max_size=6))
def test_property_any_text_identical(texts):
    _assert_same(texts, {}, ks=(10,))


def test_a_huge_text_goes_text_by_text(monkeypatch):
    monkeypatch.setattr(batch, "HUGE_TEXT", 200)
    monkeypatch.setattr(batch, "CHUNK_CHARS", 300)
    texts = [path.read_text(encoding="utf-8") for path in TEXTS]
    _assert_same(texts + ["短文本，新能源汽车。"] * 3, {})


@pytest.mark.skipif(not CSL.exists(), reason="CSL dev set not available")
def test_csl_identical():
    with open(CSL, encoding="utf-8") as handle:
        texts = [line.split("\t")[1] for _, line in zip(range(300), handle, strict=False)]
    _assert_same(texts, {}, ks=(5, 0))
    _assert_same(texts[:100], {"phrases": False}, ks=(10,))


@pytest.mark.skipif(not WAIMAI.exists() or not TITLES.exists(), reason="data not available")
def test_reviews_and_titles_identical():
    with open(WAIMAI, encoding="utf-8") as handle:
        reviews = [row["review"] for row in csv.DictReader(handle)]
    random.Random(3).shuffle(reviews)
    with open(TITLES, encoding="utf-8") as handle:
        titles = [line.split("\t")[0] for line in handle]
    random.Random(3).shuffle(titles)
    _assert_same(reviews[:600], {}, ks=(5, 0))
    _assert_same(titles[:1500], {}, ks=(3, 10))
