"""Sentence and clause splitting: end marks, quotes, numbers, abbreviations, offsets."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from textkit.errors import ConfigError
from textkit.text.sentences import split_sentences


def texts(text: str, unit: str = "sentence") -> list[str]:
    return [s.text for s in split_sentences(text, unit)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("今天天气很好。我们去公园玩！你去吗？", ["今天天气很好。", "我们去公园玩！", "你去吗？"]),
        ("第一点；第二点;第三点", ["第一点；", "第二点;", "第三点"]),
        # closing quotes and brackets stay with their sentence
        ("他喊道：“快跑！”大家都跑了。", ["他喊道：“快跑！”", "大家都跑了。"]),
        ("（见表1。）下一句。", ["（见表1。）", "下一句。"]),
        ("《红楼梦》很好看。」然后", ["《红楼梦》很好看。」", "然后"]),
        # an attribution right after a quotation is kept with it
        ("“今年经济稳中向好。”他说。下一句。", ["“今年经济稳中向好。”他说。", "下一句。"]),
        ('"Yes." He said. Next.', ['"Yes." He said.', "Next."]),
        # ellipses, and runs of end marks
        ("我想……算了。真的吗？！是的", ["我想……", "算了。", "真的吗？！", "是的"]),
        ("Wait... what? OK.", ["Wait...", "what?", "OK."]),
        # numbers, abbreviations, initials, file and domain names
        ("圆周率约为3.14，很重要。", ["圆周率约为3.14，很重要。"]),
        ("增长了1.2 mm.下一句", ["增长了1.2 mm.", "下一句"]),
        (
            "He met Dr. Smith in the U.S. last year. It was fun! See e.g. example.com now.",
            ["He met Dr. Smith in the U.S. last year.", "It was fun!", "See e.g. example.com now."],
        ),
        (
            "C.J.C Burges的指南。J. K. Rowling写的。",
            ["C.J.C Burges的指南。", "J. K. Rowling写的。"],
        ),
        ("打开a.txt和v1.2版本。", ["打开a.txt和v1.2版本。"]),
        ("网址http://a.com/x?id=3&b=4很好。", ["网址http://a.com/x?id=3&b=4很好。"]),
        ("&amp; 和 &lt; 不断句", ["&amp; 和 &lt; 不断句"]),
        # an ASCII full stop between Chinese sentences (as in many abstracts)
        ("结果显示(P<0.05).结论 有效.A组更好", ["结果显示(P<0.05).", "结论 有效.", "A组更好"]),
        # list numbers do not end a sentence
        ("1. 引言\n2.方法介绍。", ["1. 引言", "2.方法介绍。"]),
        # an ASCII quote after an end mark closes a quote only when one is open
        (
            '他说:"你好."然后离开;"一国两制"的构想',
            ['他说:"你好."', "然后离开;", '"一国两制"的构想'],
        ),
        # line breaks end sentences; whitespace around sentences is dropped
        ("  第一行\n\n第二行没有句号\r\n第三行。 ", ["第一行", "第二行没有句号", "第三行。"]),
        (
            "Hello world. 你好世界。Mixed English and 中文!",
            ["Hello world.", "你好世界。", "Mixed English and 中文!"],
        ),
    ],
)
def test_sentences(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "首先，我们分析数据、建立模型：然后验证。",
            ["首先，", "我们分析数据、", "建立模型：", "然后验证。"],
        ),
        ("价格1,000元，时间10:30，A,B两组", ["价格1,000元，", "时间10:30，", "A,B两组"]),
        ("结果(包括A，B两部分)很好，下一句", ["结果(包括A，B两部分)很好，", "下一句"]),
        ("网址是http://a.com/x，好", ["网址是http://a.com/x，", "好"]),
    ],
)
def test_clauses(text, expected):
    assert texts(text, "clause") == expected


def test_offsets_slice_back():
    text = "  “你好！”他说。\n\nHello. 第二段，有逗号。"
    for unit in ("sentence", "clause"):
        for sentence in split_sentences(text, unit):
            assert text[sentence.start : sentence.end] == sentence.text


def test_empty_and_whitespace():
    assert split_sentences("") == []
    assert split_sentences(" \n\t\u3000") == []


def test_bad_arguments():
    with pytest.raises(ConfigError, match="unknown unit"):
        split_sentences("一句。", unit="word")
    with pytest.raises(ConfigError, match="expected a text"):
        split_sentences(None)  # type: ignore[arg-type]


ALPHABET = st.sampled_from(
    list("中文句子我们他说好的一二三abcXYZ019")
    + list("。！？；…!?;.．，、：,:“”‘’\"'（）()《》【】「」")
    + [" ", "\n", "\r", "\t", "\u3000"]
)


@given(st.text(alphabet=ALPHABET, max_size=80), st.sampled_from(["sentence", "clause"]))
@example('a."b.', "sentence")
@example("“好！”他说。“走。”", "sentence")
def test_nothing_lost_but_whitespace(text, unit):
    sentences = split_sentences(text, unit)
    end = 0
    for sentence in sentences:
        assert sentence.text == text[sentence.start : sentence.end]
        assert sentence.text and sentence.text == sentence.text.strip()
        assert sentence.start >= end
        assert text[end : sentence.start].strip() == ""  # only whitespace between
        end = sentence.end
    assert text[end:].strip() == ""
    kept = "".join(s.text for s in sentences)
    assert "".join(kept.split()) == "".join(text.split())
