"""Collection-aware IDF: the words a collection of documents repeats are no keyword of
each document; a few documents, --no-collection-idf and --idf keep the background table."""

from __future__ import annotations

import csv

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.keywords.collection import MIN_DOCUMENTS
from textkit.keywords.extractor import KeywordExtractor

WAIMAI = SHARED_DATA / "waimai_10k" / "waimai_10k.csv"
DISHES = [
    "宫保鸡丁",
    "鱼香肉丝",
    "红烧肉",
    "麻婆豆腐",
    "水煮鱼",
    "糖醋排骨",
    "回锅肉",
    "酸菜鱼",
    "小龙虾",
    "烤鸭",
    "饺子",
    "馄饨",
    "拉面",
    "米线",
    "炒饭",
    "披萨",
    "汉堡",
    "寿司",
    "牛排",
    "火锅",
]
TEMPLATES = (
    "这家的{}很好吃，外卖送得很快，商家还送了饮料",
    "{}分量足，商家包装仔细，外卖小哥态度好",
    "点了外卖{}，味道一般，商家回复很慢",
)
# 60 reviews: every one mentions 外卖 and 商家, each dish is in three.
REVIEWS = [template.format(dish) for template in TEMPLATES for dish in DISHES]


def _words(found: list[list[tuple[str, float]]]) -> list[list[str]]:
    return [[w for w, _ in keywords] for keywords in found]


def test_words_the_whole_collection_repeats_are_no_keywords():
    background = _words(KeywordExtractor(collection_idf=False).extract_many(REVIEWS, 2))
    collection = _words(KeywordExtractor().extract_many(REVIEWS, 2))
    assert sum("外卖" in words for words in background) == 60
    assert sum("外卖" in words for words in collection) == 0
    # The dishes stay: each is in three reviews only.
    dishes = zip(DISHES * 3, collection, strict=True)
    assert all(any(w in dish or dish in w for w in words) for dish, words in dishes)


def test_one_document_or_a_few_keep_the_background_table(run, tmp_path):
    extractor = KeywordExtractor()
    few = REVIEWS[: MIN_DOCUMENTS - 1]
    assert extractor.extract_many(few, 5) == [extractor.extract(t, 5) for t in few]
    single = tmp_path / "one.txt"
    single.write_text("\n".join(REVIEWS) + "\n", encoding="utf-8")  # one document
    result = run(["keywords", single, "-k", "5"])
    off = run(["keywords", single, "-k", "5", "--no-collection-idf"])
    assert result.exit_code == off.exit_code == 0
    assert result.stdout == off.stdout
    assert "外卖" in result.stdout


def _lines(tmp_path):
    corpus = tmp_path / "reviews.txt"
    corpus.write_text("\n".join(REVIEWS) + "\n", encoding="utf-8")
    return corpus


def test_cli_uses_the_collection_and_the_switch_turns_it_off(run, tmp_path):
    corpus = _lines(tmp_path)
    on = run(["keywords", "--lines", corpus, "-k", "2", "--no-weights"])
    off = run(["keywords", "--lines", corpus, "-k", "2", "--no-weights", "--no-collection-idf"])
    assert on.exit_code == off.exit_code == 0
    assert "外卖" not in on.stdout
    background = KeywordExtractor(collection_idf=False)
    expected = "".join(
        f"{corpus}:{i}\t{rank}\t{word}\n"
        for i, text in enumerate(REVIEWS, 1)
        for rank, (word, _) in enumerate(background.extract(text, 2), 1)
    )
    assert off.stdout == expected
    # A table of one's own is used as it is.
    table = tmp_path / "idf.txt"
    table.write_text("外卖 12.0\n商家 12.0\n", encoding="utf-8")
    own = run(["keywords", "--lines", corpus, "-k", "2", "--no-weights", "--idf", table])
    own_off = run(
        [
            "keywords",
            "--lines",
            corpus,
            "-k",
            "2",
            "--no-weights",
            "--idf",
            table,
            "--no-collection-idf",
        ]
    )
    assert own.exit_code == 0 and own.stdout == own_off.stdout


def test_cli_jobs_output_identical_to_serial_with_the_collection(run, tmp_path, monkeypatch):
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 0.0)  # the workers start at once
    monkeypatch.setattr(parallel, "HORIZON", 0.0)
    corpus = tmp_path / "c.txt"
    texts = [
        p.read_text(encoding="utf-8").strip().replace("\n", " ")
        for p in (SAMPLES / "texts").glob("*.txt")
    ]
    corpus.write_text("\n".join(REVIEWS * 20 + texts * 30) + "\n", encoding="utf-8")
    serial = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl"])
    parallel_run = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl", "-j", "2"])
    off = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl", "--no-collection-idf"])
    assert serial.exit_code == parallel_run.exit_code == 0
    assert parallel_run.stdout == serial.stdout
    assert serial.stdout != off.stdout  # the collection changed the lists
    assert len(serial.stdout.splitlines()) == 1200 + 30 * len(texts)


def test_a_learned_table_is_used_for_every_text():
    extractor = KeywordExtractor()
    table = extractor.learn_collection(REVIEWS)
    assert table is not None and "外卖" in table.weights and "宫保鸡丁" not in table.weights
    one = extractor.extract(REVIEWS[0], 3)
    assert "外卖" not in [w for w, _ in one]
    assert extractor.extract_many(REVIEWS, 3) == [extractor.extract(t, 3) for t in REVIEWS]
    assert KeywordExtractor(collection_idf=table).extract(REVIEWS[0], 3) == one


_collection_extractor = KeywordExtractor()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.text(alphabet="外卖商家热水器加热安装师傅专业新能源汽车的了很，。 ab1", max_size=60),
        min_size=MIN_DOCUMENTS,
        max_size=MIN_DOCUMENTS + 10,
    ),
    st.integers(min_value=1, max_value=6),
)
def test_property_top_k_is_a_prefix_with_the_collection(texts, k):
    longer = _collection_extractor.extract_many(texts, 0)
    shorter = _collection_extractor.extract_many(texts, k)
    assert shorter == [found[:k] for found in longer]


@pytest.mark.skipif(not WAIMAI.exists(), reason="shared data not available")
def test_batch_path_equals_extract_with_a_collection_on_real_reviews():
    with open(WAIMAI, encoding="utf-8") as handle:
        texts = [row["review"] for row in csv.DictReader(handle)][:400]
    extractor = KeywordExtractor()
    table = extractor.learn_collection(texts)
    assert table is not None and table.weights
    assert extractor.extract_many(texts, 10) == [extractor.extract(t, 10) for t in texts]
