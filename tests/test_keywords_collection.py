"""Collection-aware IDF: the words a collection of long documents repeats are no keyword
of each document; short texts, a few documents, --no-collection-idf and --idf keep the
background table."""

from __future__ import annotations

import csv

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.keywords.collection import MIN_DOCUMENTS, MIN_MEDIAN_CHARS
from textkit.keywords.extractor import KeywordExtractor

WAIMAI = SHARED_DATA / "waimai_10k" / "waimai_10k.csv"
CSL = SHARED_DATA / "csl_kg" / "dev.tsv"
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
# 60 long documents (reports on a restaurant's delivery), built the same way.
LONG_TEMPLATES = (
    "这份报告记录了本月的订单情况。这家的{0}很好吃，外卖送得很快，商家还送了饮料。"
    "顾客认为{0}分量足，商家包装仔细，外卖小哥态度好。也有顾客说{0}味道一般，"
    "商家回复很慢，外卖有时晚到半小时。",
    "关于{0}的调查：商家准备{0}用了二十分钟，订餐软件显示配送距离三公里。"
    "大多数顾客满意，商家表示会继续改进包装，外卖骑手也更熟悉这条路线，"
    "{0}的销量因此上升。",
    "每周总结：{0}仍是商家的招牌，外卖订单比上周多。商家在网上调整了"
    "{0}的价格，并增加了夜间营业时间，顾客对{0}的评价整体不错。",
)
DOCUMENTS = [
    (LONG_TEMPLATES[i] + LONG_TEMPLATES[(i + 1) % 3]).format(dish)
    for i in range(3)
    for dish in DISHES
]


def _words(found: list[list[tuple[str, float]]]) -> list[list[str]]:
    return [[w for w, _ in keywords] for keywords in found]


def test_words_the_whole_collection_repeats_weigh_less():
    assert min(map(len, DOCUMENTS)) >= MIN_MEDIAN_CHARS
    background = KeywordExtractor(collection_idf=False).extract_many(DOCUMENTS, 0)
    collection = KeywordExtractor().extract_many(DOCUMENTS, 0)
    for dish, before, after in zip(DISHES * 3, background, collection, strict=True):
        weight_before, weight_after = dict(before), dict(after)
        for word in ("外卖", "商家"):  # in every document
            assert weight_after[word] < 0.5 * weight_before[word]
        # The dish stays first: it is in three documents only.
        assert before[0][0] == after[0][0] == dish


def test_short_texts_keep_the_background_table():
    """A review's words its collection repeats are mostly its topic (外卖, 商家)."""
    extractor = KeywordExtractor()
    assert extractor.learn_collection(REVIEWS) is None  # 送得 (送 and a particle): glued
    assert extractor.extract_many(REVIEWS, 2) == [extractor.extract(t, 2) for t in REVIEWS]
    assert sum("外卖" in words for words in _words(extractor.extract_many(REVIEWS, 2))) == 60


def test_the_median_length_decides():
    from textkit.keywords.collection import long_documents

    long, short = "长" * MIN_MEDIAN_CHARS, "短" * (MIN_MEDIAN_CHARS - 1)
    assert long_documents([long, long, short])
    assert not long_documents([long, short, short])
    assert not long_documents([])


def test_one_document_or_a_few_keep_the_background_table(run, tmp_path):
    extractor = KeywordExtractor()
    few = DOCUMENTS[: MIN_DOCUMENTS - 1]
    assert extractor.extract_many(few, 5) == [extractor.extract(t, 5) for t in few]
    single = tmp_path / "one.txt"
    single.write_text("\n".join(REVIEWS) + "\n", encoding="utf-8")  # one document
    result = run(["keywords", single, "-k", "5"])
    off = run(["keywords", single, "-k", "5", "--no-collection-idf"])
    assert result.exit_code == off.exit_code == 0
    assert result.stdout == off.stdout
    assert "外卖" in result.stdout


def _lines(tmp_path):
    corpus = tmp_path / "reports.txt"
    corpus.write_text("\n".join(DOCUMENTS) + "\n", encoding="utf-8")
    return corpus


def test_cli_uses_the_collection_and_the_switch_turns_it_off(run, tmp_path):
    corpus = _lines(tmp_path)
    on = run(["keywords", "--lines", corpus, "-k", "2", "--no-weights"])
    off = run(["keywords", "--lines", corpus, "-k", "2", "--no-weights", "--no-collection-idf"])
    assert on.exit_code == off.exit_code == 0
    assert on.stdout.count("\t外卖\n") < off.stdout.count("\t外卖\n") / 2
    background = KeywordExtractor(collection_idf=False)
    expected = "".join(
        f"{corpus}:{i}\t{rank}\t{word}\n"
        for i, text in enumerate(DOCUMENTS, 1)
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
    corpus.write_text("\n".join(DOCUMENTS * 20 + texts * 30) + "\n", encoding="utf-8")
    serial = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl"])
    parallel_run = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl", "-j", "2"])
    off = run(["keywords", "--lines", corpus, "-k", "3", "-f", "jsonl", "--no-collection-idf"])
    assert serial.exit_code == parallel_run.exit_code == 0
    assert parallel_run.stdout == serial.stdout
    assert serial.stdout != off.stdout  # the collection changed the lists
    assert len(serial.stdout.splitlines()) == 1200 + 30 * len(texts)


def test_a_learned_table_is_used_for_every_text():
    extractor = KeywordExtractor()
    table = extractor.learn_collection(DOCUMENTS)
    assert table is not None and "外卖" in table.weights and "宫保鸡丁" not in table.weights
    one = extractor.extract(DOCUMENTS[0], 3)
    assert "外卖" not in [w for w, _ in one]
    assert extractor.extract_many(DOCUMENTS, 3) == [extractor.extract(t, 3) for t in DOCUMENTS]
    assert KeywordExtractor(collection_idf=table).extract(DOCUMENTS[0], 3) == one


_collection_extractor = KeywordExtractor()


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        # Long enough for the collection: a short text, repeated.
        st.text(
            alphabet="外卖商家热水器加热安装师傅专业新能源汽车的了很，。 ab1",
            min_size=1,
            max_size=60,
        ).map(lambda text: text * (MIN_MEDIAN_CHARS // len(text) + 1)),
        min_size=MIN_DOCUMENTS,
        max_size=MIN_DOCUMENTS + 10,
    ),
    st.integers(min_value=1, max_value=6),
)
def test_property_top_k_is_a_prefix_with_the_collection(texts, k):
    longer = _collection_extractor.extract_many(texts, 0)
    shorter = _collection_extractor.extract_many(texts, k)
    assert shorter == [found[:k] for found in longer]


@pytest.mark.skipif(not CSL.exists(), reason="shared data not available")
def test_batch_path_equals_extract_with_a_collection_on_real_abstracts():
    with open(CSL, encoding="utf-8") as handle:
        texts = [line.split("\t")[1] for line in handle][:300]
    extractor = KeywordExtractor()
    table = extractor.learn_collection(texts)
    assert table is not None and table.weights
    assert extractor.extract_many(texts, 10) == [extractor.extract(t, 10) for t in texts]


@pytest.mark.skipif(not WAIMAI.exists(), reason="shared data not available")
def test_real_reviews_keep_the_background_table():
    with open(WAIMAI, encoding="utf-8") as handle:
        texts = [row["review"] for row in csv.DictReader(handle)][:400]
    table = KeywordExtractor().learn_collection(texts)
    # Only the invented words the reviews confirm (送餐, 微辣), no dictionary word, weigh
    # other than in jieba's table.
    assert table is not None and "送餐" in table.confirmed
    assert set(table.weights) <= table.confirmed


# 60 short reviews, 10 of them about the delivery (送餐, a word jieba's dictionary lacks).
# Over 30 characters: in a shorter text a new word said once counts anyway (after the rest).
DELIVERY = [
    f"{dish}送餐太慢了，等了一个小时，饭菜都凉了，下次真的不会再点这家了" for dish in DISHES[1:11]
]
MIXED = REVIEWS[:50] + DELIVERY


def test_an_invented_word_the_collection_repeats_is_a_word():
    alone = KeywordExtractor().extract(DELIVERY[0], 0)
    assert "送餐" not in [w for w, _ in alone]  # said once: unconfirmed
    extractor = KeywordExtractor()
    table = extractor.learn_collection(MIXED)
    assert table is not None and "送餐" in table.confirmed and "宫保鸡丁" not in table.confirmed
    # In 10 of 60 reviews: it weighs the blend of that share with an unknown word's IDF.
    assert table.weights["送餐"] < extractor.idf.unknown
    found = extractor.extract_many(MIXED, 0)
    assert all("送餐" in [w for w, _ in words] for words in found[50:])
    assert found == [extractor.extract(t, 0) for t in MIXED]  # both paths agree
    assert KeywordExtractor().extract_many(MIXED, 0) == found


def test_an_invented_word_in_a_few_documents_stays_unconfirmed():
    few = REVIEWS[:56] + DELIVERY[:4]  # in 4 documents
    extractor = KeywordExtractor()
    assert extractor.learn_collection(few) is None
    assert "送餐" not in [w for words in extractor.extract_many(few, 0) for w, _ in words]


def test_cli_confirms_words_over_lines(run, tmp_path):
    corpus = tmp_path / "reviews.txt"
    corpus.write_text("\n".join(MIXED) + "\n", encoding="utf-8")
    on = run(["keywords", "--lines", corpus, "-k", "0", "--no-weights"])
    off = run(["keywords", "--lines", corpus, "-k", "0", "--no-weights", "--no-collection-idf"])
    assert on.exit_code == off.exit_code == 0
    assert on.stdout.count("\t送餐\n") == 10 and "\t送餐\n" not in off.stdout


def test_a_clause_the_collection_repeats_is_no_word():
    spilled = [f"{dish}汤洒了一半，量少，送餐太慢，差评" for dish in DISHES[1:11]]
    table = KeywordExtractor().learn_collection(REVIEWS[:50] + spilled)
    assert table is not None and table.confirmed == {"送餐", "差评"}  # not 汤洒, 量少
