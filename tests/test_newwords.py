"""New-word discovery: counting, scoring, the segmenter's filters and the command."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest

from textkit.newwords import counting
from textkit.newwords.counting import Corpus, count_ngrams, encode, neighbours, strings_at
from textkit.newwords.discovery import discover, user_dict_lines
from textkit.text.tokenizer import Tokenizer, read_user_dict

PLANTED = ["嗜水气单胞菌", "氯雷他定", "四尾栅藻"]
COMMON = [
    "我们", "今天", "发现", "研究", "这种", "方法", "非常", "重要", "结果", "表明", "公司",
    "市场", "学生", "老师", "城市", "经济", "发展", "问题", "可以", "已经", "进行", "分析",
    "技术", "系统", "数据", "影响", "环境", "政府", "社会", "文化", "孩子", "医院",
]  # fmt: skip


def planted_corpus(lines: int = 400, seed: int = 0, planted: list[str] = PLANTED) -> list[str]:
    """Sentences of common dictionary words, a planted word in most of them, each time
    between other words."""
    rng = random.Random(seed)
    texts = []
    for _ in range(lines):
        words = [rng.choice(COMMON) for _ in range(rng.randint(4, 8))]
        if rng.random() < 0.6:
            words.insert(rng.randrange(len(words) + 1), rng.choice(planted))
        cut = rng.randrange(1, len(words))
        texts.append("".join(words[:cut]) + "，" + "".join(words[cut:]) + "。")
    return texts


def brute_counts(texts: list[str], n: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for text in texts:
        for run in "".join(c if "\u4e00" <= c <= "\u9fff" else " " for c in text).split():
            for i in range(len(run) - n + 1):
                counts[run[i : i + n]] = counts.get(run[i : i + n], 0) + 1
    return counts


def test_planted_words_are_found_and_dictionary_words_are_not():
    tokenizer = Tokenizer(backend="fast")
    found = [w.word for w in discover(planted_corpus(), tokenizer)]
    assert set(PLANTED) <= set(found)
    assert not set(found) & set(COMMON)
    # Nothing found is a dictionary word, nor two of them the segmenter keeps apart.
    assert not any(tokenizer.knows(w) for w in found)
    assert "研究方法" not in found


def test_counts_are_exact_and_bounded_passes_agree(monkeypatch):
    texts = planted_corpus(200, seed=1) + ["ABC测试abc测试，测试"]
    codes = np.concatenate([encode(t) for t in texts])
    expected = {n: brute_counts(texts, n) for n in (1, 2, 3)}
    tables = count_ngrams(codes, 3, min_freq=2)
    # Many small passes and chunks give the same tables as one.
    monkeypatch.setattr(counting, "PASS_POSITIONS", 64)
    monkeypatch.setattr(counting, "CHUNK", 50)
    small = count_ngrams(codes, 3, min_freq=2)
    for n in (1, 2, 3):
        words = strings_at(codes, tables[n].first, n)
        got = dict(zip(words, tables[n].counts.tolist(), strict=True))
        assert got == {w: c for w, c in expected[n].items() if c >= 2}
        assert np.array_equal(small[n].keys, tables[n].keys)
        assert np.array_equal(small[n].counts, tables[n].counts)


def test_table_size_is_capped_to_the_most_frequent(monkeypatch):
    texts = ["甲乙" * 5, "丙丁" * 3, "戊己"]
    codes = np.concatenate([encode(t) for t in texts])
    monkeypatch.setattr(counting, "MAX_TABLE", 2)
    table = count_ngrams(codes, 2, min_freq=1)[2]
    assert sorted(strings_at(codes, table.first, 2)) == ["乙甲", "甲乙"]


def test_encode_marks_edges_and_latin_runs():
    codes = encode("测试ABC12试，。测").tolist()
    assert codes == [ord("测"), ord("试"), 1, ord("试"), 0, ord("测"), 2]


def test_neighbour_entropy_counts_edges_as_new_neighbours():
    texts = ["甲乙丙", "丁甲乙丙", "戊甲乙", "甲乙"]
    codes = np.concatenate([encode(t) for t in texts])
    keys = np.sort(count_ngrams(codes, 2, 1)[2].keys)
    target = counting.hashes_at(codes, np.array([0]), 2)  # 甲乙
    around = neighbours(codes, keys, 2, samples=2)
    index = int(np.searchsorted(keys, target[0]))
    # Left of 甲乙: an edge twice, 丁, 戊: four different neighbours, ln 4.
    assert around.left[index] == pytest.approx(np.log(4))
    # Right: 丙 twice, an edge twice: -(1/2 ln 1/2) + 2 * (1/4 ln 4).
    assert around.right[index] == pytest.approx(0.5 * np.log(2) + 0.5 * np.log(4))
    assert sorted(around.positions[index].tolist()) == [0, 5]  # 甲乙丙 + end, then 丁


def test_corpus_file_is_removed():
    with Corpus() as corpus:
        corpus.append(encode("测试"))
        path = corpus.path
        assert len(corpus.codes) == 3
    assert not path.exists()


def test_user_dict_lines_make_the_segmenter_keep_words_whole(tmp_path):
    tokenizer = Tokenizer(backend="fast")
    words = discover(planted_corpus(), tokenizer)
    path = tmp_path / "words.txt"
    path.write_text("\n".join(user_dict_lines(words, tokenizer)) + "\n", encoding="utf-8")
    entries = read_user_dict(path)
    assert {e.word for e in entries} == {w.word for w in words}
    assert all(e.tag == "nz" and e.freq and e.freq >= 1 for e in entries)
    with_dict = Tokenizer(backend="fast", user_dict=path)
    for word in PLANTED:
        assert word in with_dict.cut(f"我们研究{word}的影响")


def test_newwords_command(run, tmp_path):
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(planted_corpus()) + "\n", encoding="utf-8")
    out = tmp_path / "words.txt"
    result = run(["newwords", "--lines", corpus, "-o", out])
    assert result.exit_code == 0, result.stderr
    lines = out.read_text(encoding="utf-8").splitlines()
    assert {line.split()[0] for line in lines} >= set(PLANTED)
    assert all(len(line.split()) == 3 and line.endswith(" nz") for line in lines)
    top = run(["newwords", "--lines", corpus, "--top", "2", "-f", "jsonl"])
    rows = [json.loads(line) for line in top.stdout.splitlines()]
    assert len(rows) == 2 and rows[0]["score"] >= rows[1]["score"]
    assert set(rows[0]) == {"word", "count", "cohesion", "freedom", "score"}
    rare = run(["newwords", "--lines", corpus, "--min-freq", "100000"])
    assert rare.exit_code == 0 and rare.stdout == "" and "no new words" in rare.stderr


def test_newwords_on_traditional_text_writes_simplified_words(run):
    from textkit.text.normalize import normalize

    texts = [normalize(t).text for t in planted_corpus()]  # already simplified: a no-op
    import opencc

    traditional = "\n".join(opencc.OpenCC("s2t").convert(t) for t in texts) + "\n"
    result = run(["newwords", "--lines"], input=traditional)
    assert result.exit_code == 0
    assert "嗜水气单胞菌" in result.stdout.split()
    assert result.stderr.count("looks like traditional Chinese") == 1


def test_newwords_refuses_bad_thresholds_and_empty_input(run):
    assert run(["newwords", "--min-freq", "0"], input="x").exit_code == 2
    assert run(["newwords", "--max-len", "1"], input="x").exit_code == 2
    empty = run(["newwords"], input="")
    assert empty.exit_code == 0 and "no new words" in empty.stderr


def test_neighbours_in_small_batches_agree(monkeypatch):
    from textkit.newwords import discovery

    tokenizer = Tokenizer(backend="fast")
    texts = planted_corpus(300, seed=2)
    whole = discover(texts, tokenizer)
    monkeypatch.setattr(discovery, "NEIGHBOUR_BATCH", 7)
    monkeypatch.setattr(counting, "CHUNK", 200)
    monkeypatch.setattr(counting, "COMPACT", 10)
    assert discover(texts, tokenizer) == whole


@pytest.mark.parametrize(
    ("candidate", "phrase"),
    [
        ("味道还不错", True),  # an adverb inside: an opinion, not a word
        ("时间太长", True),
        ("这家店", True),  # a demonstrative
        ("太湖岸带", False),  # 太 starts a name
        ("宇宙卷饼", False),
        ("吉西他滨", False),  # a drug: 他 is no demonstrative
        ("指标均", True),  # an adverb at the end
        ("高管对政策", True),  # a preposition
        ("蚀刻液中", True),  # a locality word at the end
        ("龈上菌斑", False),  # ... not inside a term
        ("送餐太慢", True),  # a degree word: a clause
        ("电话一直占线", True),  # an adverb of two characters inside
        ("差评差评", True),  # a piece said again
        ("量有点少", True),
        ("电话打不通", True),  # a negation
        ("没放盐", True),
        ("超级快", True),
        ("分量足", True),  # a one-character adjective at the end
        ("不锈钢筋", False),  # 不 starts a word
        ("超声波", False),
    ],
)
def test_phrases_are_not_new_words(candidate, phrase):
    from textkit.newwords.discovery import _is_phrase
    from textkit.text.tokenizer import Tokenizer

    assert _is_phrase(Tokenizer(backend="fast").cut_pos(candidate)) is phrase


def test_a_word_made_of_a_shorter_word_and_dictionary_words_is_a_phrase():
    from textkit.newwords.discovery import NewWord, drop_phrases

    words = [NewWord(w, 3, 4.0, 1.0, 1.0) for w in ("硼浓度", "硼浓度偏差", "找不到", "找不到地方")]
    words.append(NewWord("嗜水气单胞菌", 3, 4.0, 1.0, 1.0))
    words.append(NewWord("定形相变材料", 3, 4.0, 1.0, 1.0))  # dictionary words alone: kept
    kept = [w.word for w in drop_phrases(words, Tokenizer(backend="fast"))]
    assert kept == ["硼浓度", "找不到", "嗜水气单胞菌", "定形相变材料"]


COMPOUNDS = ["质量控制", "急性脑梗死"]  # dictionary words (质量 控制, 急性 脑梗死) used as one


def test_compounds_used_as_one_unit_are_found_unless_refused():
    tokenizer = Tokenizer(backend="fast")
    texts = planted_corpus(planted=PLANTED + COMPOUNDS)
    found = [w.word for w in discover(texts, tokenizer)]
    assert set(PLANTED + COMPOUNDS) <= set(found)
    assert not set(found) & set(COMMON)
    plain = [w.word for w in discover(texts, tokenizer, compounds=False)]
    assert set(PLANTED) <= set(plain) and not set(plain) & set(COMPOUNDS)


@pytest.mark.parametrize(
    ("candidate", "phrase"),
    [
        ("实验结果表明", True),  # a reporting verb
        ("我国上市公司", True),  # a pronoun
        ("能够满足", True),  # a generic word
        ("两个小时", True),  # a generic word after a numeral
        ("提供参考", True),  # a common verb and a verb
        ("禽蛋中胆固醇", True),  # a locality word inside
        ("型矿床", True),  # a suffix at the start
        ("打电话过去", True),  # a time word at the end
        ("表现出", True),  # a verb and its complement
        ("均表现", True),  # a one-character adverb at the start
        ("一杯豆浆", True),  # a count at the start
        ("不怎么好吃", True),  # a negation at the start
        ("呈降低", True),  # a one-character verb before a verb
        ("显著减少", True),  # an adjective before a verb
        ("分为两组", True),  # a numeral at the end
        ("含量显著", True),  # an adjective at the end
        ("质量控制", False),
        ("设计方法", False),  # a generic noun as the head of a term
        ("急性脑梗死", False),
        ("嗜水气单胞菌", False),
        ("三维形貌", False),
        ("抑菌率", False),
    ],
)
def test_pieces_that_read_as_a_phrase(candidate, phrase):
    from textkit.keywords.lexicon import load_tags
    from textkit.newwords.discovery import _reads_as_phrase

    pieces = Tokenizer(backend="fast").cut(candidate)
    assert _reads_as_phrase(pieces, load_tags().get_many(pieces, None)) is phrase


def test_keywords_find_a_compound_said_once_with_the_words_of_newwords(run, tmp_path):
    corpus = tmp_path / "corpus.txt"
    texts = planted_corpus(planted=PLANTED + COMPOUNDS)
    corpus.write_text("\n".join(texts) + "\n", encoding="utf-8")
    words = tmp_path / "words.txt"
    assert run(["newwords", "--lines", corpus, "-o", words]).exit_code == 0
    text = "医院加强了质量控制，药品的检验由专人负责。"
    plain = run(["keywords", "-k", "3", "-f", "jsonl"], input=text)
    with_words = run(["keywords", "-k", "3", "-f", "jsonl", "--user-dict", words], input=text)
    assert "质量控制" not in plain.stdout
    assert "质量控制" in [k["keyword"] for k in json.loads(with_words.stdout)["keywords"]]
    refused = tmp_path / "refused.txt"
    assert run(["newwords", "--lines", corpus, "--no-compounds", "-o", refused]).exit_code == 0
    assert "质量控制" not in refused.read_text(encoding="utf-8").split()
