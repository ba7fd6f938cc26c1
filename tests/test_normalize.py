"""Normalisation: traditional -> simplified, folded forms, spans mapped back to the original."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textkit.text import normalize as norm
from textkit.text.normalize import (
    NormalizedText,
    fold_forms,
    looks_traditional,
    normalize,
    normalized_results,
    prepare,
    script_tables,
    standard_forms_table,
)
from textkit.text.tokenizer import Tokenizer

TRADITIONAL = "這家餐廳的櫃檯服務很好，環境也不錯，我們還會再來。"
SIMPLIFIED = "这家餐厅的柜台服务很好，环境也不错，我们还会再来。"


def test_traditional_becomes_simplified_character_for_character():
    prepared = normalize(TRADITIONAL)
    assert prepared.text == SIMPLIFIED
    assert len(prepared.text) == len(TRADITIONAL)
    assert prepared.original_span(5, 7) == "櫃檯"
    assert prepared.respell("柜台") == "櫃檯"


def test_taiwan_and_hong_kong_forms_are_read():
    assert normalize("他看著我們，接著說").text == "他看着我们，接着说"  # Taiwan 著
    assert normalize("保衞環境，敍述").text == "保卫环境，叙述"  # Hong Kong 衞 敍


def test_simplified_words_are_not_changed():
    text = "实验组显著高于对照组，著名学者乾隆年间"
    assert normalize(text).text == text
    assert not looks_traditional("实验组的结果显著高于对照组")


def test_full_width_forms_fold_but_chinese_clause_punctuation_stays():
    text = "ｉＰｈｏｎｅ１５（新款）售价５９９９元，好用！真的？"
    assert fold_forms(text) == "iPhone15(新款)售价5999元，好用！真的？"
    assert fold_forms("⼀個") == "一個"  # a Kangxi radical is the usual ideograph
    assert fold_forms("①②m²½") == "①②m²½"  # forms that carry meaning are left alone


@given(
    st.text(alphabet=st.sampled_from(list(TRADITIONAL + "ｉＰｈｏｎｅ１５ 𝐀⼀abc")), max_size=40)
)
def test_every_span_maps_back_into_the_original(text):
    prepared = normalize(text)
    for start in range(len(prepared.text)):
        for end in range(start, min(len(prepared.text), start + 4) + 1):
            begin, stop = prepared.span(start, end)
            assert 0 <= begin <= stop <= len(text)
            assert normalize(text[begin:stop]).text == prepared.text[start:end]


def test_a_conversion_that_changes_length_is_still_aligned(monkeypatch):
    class Lengthening:
        @staticmethod
        def convert(text):
            return text.replace("網際網路", "互联网").replace("資", "资")

    monkeypatch.setitem(norm._converters, "traditional", Lengthening)
    prepared = normalize("用網際網路查資料", traditional=True)
    assert prepared.text == "用互联网查资料"
    # Each normalised character points into the run it came from.
    assert prepared.original_span(0, 1) == "用"
    assert prepared.original_span(prepared.text.index("查"), len(prepared.text)) == "查資料"
    assert prepared.respell("资料") == "資料"


def test_respell_leaves_what_is_not_in_the_text():
    prepared = normalize(TRADITIONAL)
    assert prepared.respell("不在里面") == "不在里面"


def test_detection():
    assert looks_traditional(TRADITIONAL)
    assert not looks_traditional(SIMPLIFIED)
    assert not looks_traditional("hello world 123")
    assert prepare(SIMPLIFIED) is None
    assert prepare(SIMPLIFIED, True).text == SIMPLIFIED
    assert prepare(TRADITIONAL, False) is None
    assert prepare(TRADITIONAL).text == SIMPLIFIED


def test_shipped_script_tables_are_what_opencc_gives():
    traditional, simplified = script_tables()
    shipped = norm._SCRIPT_DATA.read_text(encoding="utf-8")
    assert shipped == f"traditional\t{traditional}\nsimplified\t{simplified}\n"


def test_shipped_standard_forms_are_what_the_dictionary_gives():
    shipped = norm._STANDARD_DATA.read_text(encoding="utf-8")
    table = standard_forms_table()
    assert shipped == "".join(f"{wrong}\t{right}\n" for wrong, right in table.items())
    assert table["座标"] == "坐标"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("直角座標系中的點", "直角坐标系中的点"),  # OpenCC: 座标, not mainland 坐标
        ("他的論著很多", "他的论著很多"),  # the Taiwan 著 -> 着 rule, not in 论著
        ("對於單組數據", "对于单组数据"),  # the name 於單 matched across two words
        ("由於戲曲是一門藝術", "由于戏曲是一门艺术"),
        ("乾隆皇帝下江南", "乾隆皇帝下江南"),  # a kept character that is right
        ("我們討論著問題", "我们讨论着问题"),  # 论着 -> 论著 is no word here
    ],
)
def test_traditional_text_comes_back_in_mainland_forms(traditional: str, simplified: str):
    prepared = normalize(traditional, traditional=True)
    assert prepared.text == simplified
    assert prepared.original_span(0, len(simplified)) == traditional


def test_simplified_text_keeps_its_own_forms():
    # The repairs belong to converting traditional text: a simplified 想像 stays.
    assert normalize("想像力和座标", traditional=False).text == "想像力和座标"


def test_keywords_of_traditional_text_are_pieces_of_it():
    from textkit.keywords.extractor import KeywordExtractor

    text = (
        "櫃檯人員服務態度很好，餐廳環境乾淨。這家餐廳的招牌菜是紅燒牛肉麵，"
        "紅燒牛肉麵的湯頭濃郁，麵條有嚼勁。櫃檯結帳很快，下次還會再來吃紅燒牛肉麵。"
    )
    extractor = KeywordExtractor()
    found, converted = normalized_results(lambda t: extractor.extract(t, 5), text)
    assert converted
    words = [w for w, _ in found]
    assert words and all(w in text for w in words)
    assert any("牛肉麵" in w for w in words)
    simplified, _ = normalized_results(
        lambda t: extractor.extract(t, 5), text, output_script="simplified"
    )
    assert any("牛肉面" in w for w, _ in simplified)


def test_normalized_results_takes_any_result_shape():
    def extract(text):
        return [{"sentence": text[:4]}]

    found, converted = normalized_results(
        extract,
        TRADITIONAL,
        spelling=lambda r: r["sentence"],
        respelled=lambda r, s: {**r, "sentence": s},
    )
    assert converted and found == [{"sentence": TRADITIONAL[:4]}]
    plain, converted = normalized_results(lambda t: [t[:2]], SIMPLIFIED)
    assert not converted and plain == [SIMPLIFIED[:2]]


def test_cut_spans_cover_the_text_in_every_mode():
    text = "我买了ｉＰｈｏｎｅ１５，中国科学院的研究生"
    for mode in ("accurate", "search", "all"):
        for backend in ("jieba", "fast"):
            tokenizer = Tokenizer(mode, backend=backend)
            spans = tokenizer.cut_spans(text)
            assert all(text[a:b] == w for w, a, b in spans)
            assert [w for w, _, _ in spans if not w.isspace()] == tokenizer.cut(text)


@pytest.mark.parametrize("backend", ["jieba", "fast"])
def test_full_width_latin_is_one_token_without_any_option(backend):
    tokenizer = Tokenizer(backend=backend)
    assert "ｉＰｈｏｎｅ１５" in tokenizer.cut("新款ｉＰｈｏｎｅ１５发布了")
    assert ("ｉＰｈｏｎｅ１５", "eng") in tokenizer.cut_pos("新款ｉＰｈｏｎｅ１５发布了")


def test_keywords_never_fragment_full_width_latin(run):
    from textkit.keywords.extractor import KeywordExtractor

    text = (
        "新款ｉＰｈｏｎｅ１５发布，ｉＰｈｏｎｅ１５的价格比ｉＰｈｏｎｅ１４更高，"
        "ｉＰｈｏｎｅ１５销量很好。"
    )
    result = run(["keywords", "-f", "jsonl", "-k", "5"], input=text)
    assert result.exit_code == 0, result.stderr
    words = [k["keyword"] for k in json.loads(result.stdout)["keywords"]]
    extractor = KeywordExtractor()
    for script in ("original", "simplified"):
        found, _ = normalized_results(
            lambda t: extractor.extract(t, 5), text, normalize_mode=True, output_script=script
        )
        words += [w for w, _ in found]
    assert "ｉＰｈｏｎｅ１５" in words and "iPhone15" in words
    fragments = [w for w in words if w in "ｉＰｈｏｎｅ１５iPhone15" and len(w) < 8]
    assert not fragments


def test_tokenize_keeps_the_input_spelling(run):
    result = run(["tokenize"], input=TRADITIONAL + "\n")
    assert result.exit_code == 0
    assert "櫃檯" in result.stdout.split()
    assert "".join(result.stdout.split()) == TRADITIONAL
    assert result.stderr.count("looks like traditional Chinese") == 1
    assert "Note: " in result.stderr and "Warning" not in result.stderr


def test_tokenize_notes_traditional_input_once(run):
    result = run(["tokenize", "--lines"], input=f"{TRADITIONAL}\n{TRADITIONAL}\n{SIMPLIFIED}\n")
    assert result.exit_code == 0
    assert result.stderr.count("looks like traditional Chinese") == 1
    lines = result.stdout.splitlines()
    assert "櫃檯" in lines[0].split() and "柜台" in lines[2].split()


def test_tokenize_options(run):
    plain = run(["tokenize", "--no-normalize"], input=TRADITIONAL + "\n")
    assert "櫃檯" not in plain.stdout.split() and not plain.stderr
    simplified = run(["tokenize", "--output-script", "simplified"], input=TRADITIONAL + "\n")
    assert "柜台" in simplified.stdout.split()
    forced = run(
        ["tokenize", "--normalize", "-f", "jsonl", "--pos"], input="ｉＰｈｏｎｅ１５很好\n"
    )
    assert json.loads(forced.stdout)["tokens"][0] == "ｉＰｈｏｎｅ１５"
    clash = run(["tokenize", "--no-normalize", "--output-script", "simplified"], input="x")
    assert clash.exit_code == 2


def test_tokenize_search_mode_and_workers_map_back(run):
    text = "\n".join([TRADITIONAL] * 3) + "\n"
    result = run(["tokenize", "--mode", "search", "--lines", "-j", "2"], input=text)
    assert result.exit_code == 0
    for line in result.stdout.splitlines():
        assert all(word in TRADITIONAL for word in line.split())


def test_normalized_text_without_origin_is_identity():
    prepared = NormalizedText("abc", "abc")
    assert prepared.span(1, 3) == (1, 3) and not prepared.changed


TRADITIONAL_NEWS = (
    "本市今天召開新能源汽車產業發展大會，多家整車企業參加。會議提出，到明年底全市將新建"
    "充電樁兩萬個。業內人士認為，充電基礎設施的完善將帶動新能源汽車消費。"
)


def test_keywords_of_traditional_text_are_spelled_as_the_text(run):
    result = run(["keywords", "-k", "5", "--no-weights", "-f", "jsonl"], TRADITIONAL_NEWS)
    found = [k["keyword"] for k in json.loads(result.stdout)["keywords"]]
    assert "新能源汽車" in found  # found at all: only as simplified text does jieba know it
    assert all(k in TRADITIONAL_NEWS for k in found)
    assert result.stderr.count("looks like traditional Chinese") == 1
    plain = run(
        ["keywords", "-k", "5", "-f", "jsonl", "--output-script", "simplified"], TRADITIONAL_NEWS
    )
    assert "新能源汽车" in [k["keyword"] for k in json.loads(plain.stdout)["keywords"]]


def test_keyword_batches_normalise_like_single_texts():
    from textkit.keywords import KeywordExtractor

    texts = [TRADITIONAL_NEWS, "新能源汽车消费增长。新能源汽车充电桩增加。"] * 20
    extractor = KeywordExtractor(top_k=5)
    assert extractor.extract_many(texts) == [extractor.extract(t) for t in texts]
    assert all(k in texts[0] for k, _ in extractor.extract_many(texts)[0])


def test_summary_of_traditional_text_keeps_its_sentences(run):
    result = run(["summarize", "-n", "1", "-f", "jsonl"], TRADITIONAL_NEWS)
    (sentence,) = json.loads(result.stdout)["sentences"]
    assert sentence["text"] in TRADITIONAL_NEWS and "汽車" in sentence["text"]
    simplified = run(
        ["summarize", "-n", "1", "-f", "text", "--output-script", "simplified"], TRADITIONAL_NEWS
    )
    assert "汽车" in simplified.stdout
