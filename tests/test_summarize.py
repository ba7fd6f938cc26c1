"""Key sentences: the library (ranking, limits, MMR, PageRank), the CLI and its formats."""

from __future__ import annotations

import json
import math
import random

import pytest
from conftest import SAMPLES

import textkit
from textkit.errors import ConfigError
from textkit.summarize import KeySentence, Summarizer, summarize
from textkit.summarize.similarity import _strongest_edges, overlap_edges
from textkit.summarize.summarizer import join_sentences, pagerank

ARTICLE = SAMPLES / "articles" / "waste.txt"
TEXTS = sorted((SAMPLES / "texts").glob("*.txt"))
# The central sentence (it shares words with every other one) comes last.
CENTRAL_LAST = (
    "新能源汽车销量增长很快。"
    "充电桩建设跟不上需求。"
    "天气晴朗。"
    "新能源汽车的充电桩建设需要加快，以满足销量增长的需求。"
)


def article() -> str:
    return ARTICLE.read_text(encoding="utf-8")


# -- library ------------------------------------------------------------------------------


def test_default_three_sentences_in_document_order():
    found = summarize(article())
    assert len(found) == 3
    assert [s.position for s in found] == sorted(s.position for s in found)
    text = article()
    for s in found:
        assert isinstance(s, KeySentence)
        assert text[s.start : s.end] == s.text
    # The lead sentence of this news text is the best one.
    assert found[0].position == 0
    assert found[0].text.startswith("本市生活垃圾分类工作实施一年来")


def test_by_score_puts_the_best_first():
    ranked = Summarizer().rank(article())
    best = max(ranked, key=lambda s: s.score)
    found = summarize(article(), 4, by_score=True)
    assert found[0] == best
    assert sum(s.score for s in ranked) == pytest.approx(1.0)


def test_centrality_and_position_weight():
    # The sentence linked to all others wins; the position bias (on PageRank's random
    # jumps) raises the early sentences' scores without overruling the graph.
    assert summarize(CENTRAL_LAST, 1, position_weight=0)[0].position == 3
    assert summarize(CENTRAL_LAST, 1)[0].position == 3
    flat = Summarizer(position_weight=0).rank(CENTRAL_LAST)
    biased = Summarizer(position_weight=2).rank(CENTRAL_LAST)
    assert biased[0].score > flat[0].score and biased[3].score < flat[3].score


def test_short_documents_return_themselves_and_empty_ones_nothing():
    one = summarize("只有一句话。")
    assert one == [KeySentence("只有一句话。", 0, 1.0, 0, 6)]
    two = summarize("第一句话。第二句话！")
    assert [s.text for s in two] == ["第一句话。", "第二句话！"]
    assert summarize("") == []
    assert summarize(" \n ") == []
    assert summarize("只有一句话。", max_chars=100) == one


def test_count_ratio_and_max_chars():
    text = article()
    total = len(Summarizer().rank(text))
    assert len(summarize(text, 1)) == 1
    assert len(summarize(text, 5)) == 5
    assert len(summarize(text, ratio=0.5)) == math.floor(0.5 * total)  # at most the share
    assert len(summarize(text, ratio=0.3)) == math.floor(0.3 * total) <= 0.3 * total
    assert len(summarize(text, ratio=0.01)) == 1  # at least one
    assert len(summarize(text, 2, ratio=1.0)) == 2  # every given limit applies
    for budget in (40, 120, 300):
        found = summarize(text, max_chars=budget)
        assert found and len(join_sentences(found)) <= budget
        assert sum(len(s.text) for s in found) <= budget
    # max_chars alone lifts the default of three sentences
    assert len(summarize(text, max_chars=10_000)) == total


def test_max_chars_falls_back_to_a_passage_that_starts_at_a_clause():
    text = "本文提出一种基于图神经网络的中文关键词抽取方法，并在科技文献上验证。实验结果很好。"
    # The best sentence does not fit: its first clause fills two thirds of the budget.
    (clause,) = summarize(text, max_chars=30, position_weight=0)
    assert clause.text == "本文提出一种基于图神经网络的中文关键词抽取方法，"
    assert text[clause.start : clause.end] == clause.text
    # Too short for a clause: cut, ending with an ellipsis.
    (cut,) = summarize(text, max_chars=10, position_weight=0)
    assert cut.text == "本文提出一种基于图…" and len(cut.text) == 10
    assert text[cut.start : cut.end] == "本文提出一种基于图"
    # A cut does not split a number.
    (number,) = summarize("指标从45%提高到82.5%以上并保持稳定。", max_chars=12)
    assert number.text == "指标从45%提高到…"
    assert join_sentences(summarize(article(), max_chars=40)).startswith("本市生活垃圾分类")


def test_the_passage_starts_where_the_words_the_document_repeats_are_densest():
    text = (
        "会上大家都说，充电桩，这是一个老问题了，可惜至今没有解决。"
        "新能源汽车销量增长很快，充电桩数量增长慢，新能源汽车车主抱怨不断。"
    )
    # No sentence fits in 22 characters. 充电桩数量增长慢 is the most central clause, but
    # the 22 characters from the clause before it hold more of the repeated words
    # (新能源汽车, 增长, 充电桩) than those from it (which end with 车主抱怨不断).
    (passage,) = summarize(text, max_chars=22, position_weight=0)
    assert passage.text == "新能源汽车销量增长很快，充电桩数量增长慢，"
    # Its position is the sentence it starts in (the second), as for a whole sentence.
    assert passage.position == 1 and text[passage.start : passage.end] == passage.text
    (cut,) = summarize(text, max_chars=8, position_weight=0)
    (clause_unit,) = summarize(text, max_chars=8, position_weight=0, unit="clause")
    assert cut.text == clause_unit.text == "充电桩数量增长…"
    assert (cut.position, clause_unit.position) == (1, 5)  # with clauses, the clause's
    assert passage.score == pytest.approx(0.625)  # its share of the repeated-word weight
    # A strong lean toward early sentences keeps the passage in the first one.
    (early,) = summarize(text, max_chars=22, position_weight=3)
    assert early.position == 0 and early.text.startswith("会上大家都说，充电桩，")
    # When no word is repeated, no passage stands out: the document's start is taken.
    (start,) = summarize(
        "今天上午，会议在市政府大楼召开。多个部门负责人参加，并先后发言。", max_chars=8
    )
    assert start.text == "今天上午，会议…" and start.score == 0.0


def test_mmr_avoids_saying_the_same_thing_twice():
    text = (
        "城市交通拥堵问题严重，会议讨论了治理方案。"
        "会议讨论了城市交通拥堵问题的治理方案和资金来源。"
        "城市将调整公交线路，地铁增加班次，缓解交通拥堵。"
        "天气很好。"
    )
    # The second sentence scores next best but mostly repeats the first one.
    assert [s.position for s in summarize(text, 2, diversity=0)] == [0, 1]
    assert [s.position for s in summarize(text, 2)] == [0, 2]


def test_a_repeated_sentence_is_taken_once():
    text = "会议认为交通拥堵需要综合治理。今天的会议讨论了交通拥堵。会议认为交通拥堵需要综合治理。"
    for diversity in (0, 0.5):
        found = summarize(text, 3, diversity=diversity)
        assert len({s.text for s in found}) == len(found) == 2
    assert [s.text for s in summarize("同一句话。同一句话。")] == ["同一句话。"]


def test_clause_unit():
    found = summarize(article(), 2, unit="clause", by_score=True)
    assert all("。" not in s.text[:-1] and "，" not in s.text[:-1] for s in found)


def test_summarize_many_and_the_top_level_export():
    texts = [article(), "", "一句。"]
    many = Summarizer().summarize_many(texts, 2)
    assert many == [summarize(t, 2) for t in texts]
    assert textkit.summarize(texts[0], 2) == summarize(texts[0], 2)
    assert textkit.Summarizer is Summarizer
    assert [s.text for s in textkit.split_sentences("一。二。")] == ["一。", "二。"]


def test_join_sentences():
    assert join_sentences(["第一句。", "第二句。"]) == "第一句。第二句。"
    assert join_sentences(["First one.", "Second one."]) == "First one. Second one."
    assert join_sentences(["前一分句，", "后一分句，"]) == "前一分句，后一分句"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: summarize("一。", 0), "n must be"),
        (lambda: summarize("一。", max_chars=0), "max_chars must be"),
        (lambda: summarize("一。", ratio=0), "ratio must be"),
        (lambda: summarize("一。", ratio=1.5), "ratio must be"),
        (lambda: summarize(None), "expected a text"),  # type: ignore[arg-type]
        (lambda: Summarizer(unit="word"), "unknown unit"),
        (lambda: Summarizer(diversity=1), "diversity"),
        (lambda: Summarizer(position_weight=-1), "position_weight"),
        (lambda: Summarizer().summarize_many("一句。"), "one string"),
    ],
)
def test_bad_arguments(call, message):
    with pytest.raises(ConfigError, match=message):
        call()


# -- graph and PageRank -------------------------------------------------------------------


def test_overlap_edges_follow_textrank4zh():
    words = [["a", "b", "c"], ["a", "b", "d", "d"], ["e"], ["e"]]
    edges = overlap_edges(words)
    # shared distinct words / (log len_i + log len_j); two one-word sentences: no edge
    assert edges == [(0, 1, pytest.approx(2 / (math.log(3) + math.log(4))))]


def test_long_documents_keep_the_strongest_edges():
    rng = random.Random(0)
    words = [[rng.choice("abcdefghijklmnop") for _ in range(rng.randint(1, 8))] for _ in range(80)]
    logs = [math.log(len(w)) for w in words]
    assert _strongest_edges(words, logs, 79) == overlap_edges(words, neighbours=100)
    kept = overlap_edges(words, neighbours=5)
    full = {(a, b): w for a, b, w in overlap_edges(words, neighbours=100)}
    assert len(kept) < len(full)
    for a, b, w in kept:
        assert full[(a, b)] == w


def test_pagerank_is_networkx_pagerank():
    import networkx as nx

    rng = random.Random(1)
    for n in (2, 7, 40):
        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        for i in range(n):
            for j in range(i + 1, n):
                if rng.random() < 0.3:
                    graph.add_edge(i, j, weight=rng.random())
        jumps = {i: 1 / (1 + i) for i in range(n)}
        ours = pagerank(graph, 0.85, jumps, 1e-10, 1000)
        theirs = nx.pagerank(graph, alpha=0.85, personalization=jumps, tol=1e-10, max_iter=1000)
        assert ours == pytest.approx(theirs, abs=1e-9)


def test_long_document_runs():
    sentences = [f"第{i}句讲到主题{i % 7}和话题{i % 11}。" for i in range(300)]
    found = summarize("".join(sentences), 3)
    assert len(found) == 3


# -- CLI ----------------------------------------------------------------------------------


GOLDEN_TSV = (
    "samples/texts/news.txt\t2\t0\t0.284876\t本市今天召开新能源汽车产业发展大会，多家整车企业和电池厂商参加。\n"
    "samples/texts/news.txt\t1\t2\t0.474201\t业内人士认为，充电基础设施的完善将进一步带动新能源汽车消费。\n"
    "samples/texts/review.txt\t1\t0\t0.545455\t这家店的牛肉面味道很正，汤头浓郁，分量也足。\n"
    "samples/texts/review.txt\t2\t1\t0.272727\t就是送餐有点慢，等了快一个小时，到的时候面已经有点坨了。\n"
    "samples/texts/sports.txt\t1\t0\t0.666667\t在昨晚结束的联赛焦点战中，主队凭借下半场的两粒进球逆转取胜，继续领跑积分榜。\n"
    "samples/texts/sports.txt\t2\t1\t0.333333\t主教练赛后表示，球队的防守还有提升空间，接下来的客场比赛将更加艰难。\n"
    "samples/texts/tech.txt\t1\t0\t0.422461\t本文提出一种基于图神经网络的中文关键词抽取方法。\n"
    "samples/texts/tech.txt\t2\t1\t0.382836\t该方法首先利用分词结果构建词共现图，然后通过注意力机制学习节点表示，最后结合词频与位置特征对候选关键词排序。\n"
)  # fmt: skip


def test_cli_exact_tsv_on_samples(run):
    result = run(["summarize", "samples/texts", "-n", "2"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == GOLDEN_TSV
    header = run(["summarize", "samples/texts/tech.txt", "-n", "1", "--header"])
    assert header.stdout.splitlines()[0] == "source\trank\tposition\tscore\tsentence"


def test_cli_text_jsonl_and_by_score(run):
    text = run(["summarize", "samples/texts", "-n", "1", "-f", "text"])
    assert text.stdout.splitlines() == [
        "业内人士认为，充电基础设施的完善将进一步带动新能源汽车消费。",
        "这家店的牛肉面味道很正，汤头浓郁，分量也足。",
        "在昨晚结束的联赛焦点战中，主队凭借下半场的两粒进球逆转取胜，继续领跑积分榜。",
        "本文提出一种基于图神经网络的中文关键词抽取方法。",
    ]
    lines = run(["summarize", "samples/texts/news.txt", "-f", "jsonl", "--by-score"]).stdout
    obj = json.loads(lines)
    assert obj["source"] == "samples/texts/news.txt"
    assert [s["position"] for s in obj["sentences"]] == [2, 0, 1]
    assert set(obj["sentences"][0]) == {"text", "position", "score"}
    assert obj["sentences"][0]["score"] == pytest.approx(0.4742, abs=1e-4)
    ordered = json.loads(run(["summarize", "samples/texts/news.txt", "-f", "jsonl"]).stdout)
    assert [s["position"] for s in ordered["sentences"]] == [0, 1, 2]


def test_cli_lengths_and_units(run):
    ok = run(["summarize", ARTICLE, "--max-chars", "60", "-f", "text"])
    assert ok.exit_code == 0 and 0 < len(ok.stdout.rstrip("\n")) <= 60
    ratio = run(["summarize", ARTICLE, "--ratio", "0.5", "-f", "tsv"])
    total = len(Summarizer().rank(article()))
    assert len(ratio.stdout.splitlines()) == math.floor(0.5 * total)
    clause = run(["summarize", ARTICLE, "--unit", "clause", "-n", "1", "-f", "jsonl"])
    (only,) = json.loads(clause.stdout)["sentences"]
    assert only["text"].endswith(("，", "。", "：", "、", "；"))
    assert summarize(article(), 1, unit="clause")[0].text == only["text"]


def test_cli_one_sentence_and_empty_documents(run, tmp_path):
    (tmp_path / "a.txt").write_text("只有一句话。", encoding="utf-8")
    (tmp_path / "b.txt").write_text("", encoding="utf-8")
    text = run(["summarize", tmp_path, "-f", "text"])
    assert text.exit_code == 0
    assert text.stdout == "只有一句话。\n\n"  # one line per document, empty or not
    jsonl = run(["summarize", tmp_path, "-f", "jsonl"])
    assert [json.loads(line)["sentences"] for line in jsonl.stdout.splitlines()] == [
        [{"text": "只有一句话。", "position": 0, "score": 1.0}],
        [],
    ]
    tsv = run(["summarize", tmp_path / "b.txt"])
    assert tsv.exit_code == 0 and tsv.stdout == ""
    stdin = run(["summarize", "-f", "text"], input="")
    assert stdin.exit_code == 0 and stdin.stdout == "\n"


def test_cli_table_and_csv(run):
    table = run(["summarize", "samples/texts/tech.txt", "-n", "1", "-f", "table"])
    assert table.exit_code == 0 and "本文提出一种基于图神经" in table.stdout
    csv_out = run(["summarize", "samples/texts/tech.txt", "-n", "1", "-f", "csv"])
    assert csv_out.stdout.splitlines()[0] == "source,rank,position,score,sentence"


@pytest.mark.parametrize("width", [50, 72])
def test_cli_table_on_a_narrow_terminal_cuts_cells_with_an_ellipsis(run, monkeypatch, width):
    """A narrow terminal cut sentences off at its edge, with nothing to show it."""
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", str(width))
    table = run(["summarize", SAMPLES / "texts", "-n", "2", "-f", "table"])
    tsv = run(["summarize", SAMPLES / "texts", "-n", "2"])
    assert table.exit_code == tsv.exit_code == 0
    lines = table.stdout.splitlines()
    assert all(cell_len(line) <= width for line in lines), lines
    full = [row.split("\t")[4] for row in tsv.stdout.splitlines()]  # pipes: never cut
    assert any(cell_len(sentence) > width for sentence in full)
    shown = [line.split("│")[-1].strip() for line in lines[2:]]
    assert len(shown) == len(full)
    for cell, sentence in zip(shown, full, strict=True):
        assert cell == sentence or (cell.endswith("…") and sentence.startswith(cell[:-1].strip()))
    assert any(cell.endswith("…") for cell in shown)


@pytest.mark.parametrize(
    "args",
    [["--ratio", "0"], ["--ratio", "2"], ["-n", "0"], ["--max-chars", "0"], ["--unit", "word"]],
)
def test_cli_usage_errors(run, args):
    result = run(["summarize", "samples/texts/tech.txt", *args])
    assert result.exit_code == 2


def test_cli_jobs_equal_serial(run, tmp_path):
    corpus = tmp_path / "c.txt"
    lines = [p.read_text(encoding="utf-8").strip() for p in TEXTS]
    lines.append("".join(article().split()))
    corpus.write_text("\n".join(lines * 30) + "\n", encoding="utf-8")
    serial = run(["summarize", "--lines", corpus, "-n", "2", "-f", "jsonl"])
    parallel = run(["summarize", "--lines", corpus, "-n", "2", "-f", "jsonl", "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) == 30 * len(lines)


def test_cli_output_file_and_missing_input(run, tmp_path):
    out = tmp_path / "out.tsv"
    result = run(["summarize", "samples/texts", "-n", "2", "-o", out])
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == GOLDEN_TSV
    missing = run(["summarize", tmp_path / "nope.txt"])
    assert missing.exit_code == 1
    assert "nope.txt" in missing.stderr


def test_heavy_modules_only_when_needed():
    from test_imports import modules_after

    one = modules_after("summarize", stdin="只有一句话。")
    # a one-sentence document needs no ranking
    assert not one & {"networkx", "numpy", "scipy", "sklearn"}
    many = modules_after(
        "summarize", stdin="第一句话讲新能源。第二句话讲充电桩。第三句话讲新能源充电桩。"
    )
    assert "networkx" in many  # the probe really ranked
    assert "sklearn" not in many
