"""textkit augment: copies a reader accepts (the issue's examples as regression tests), each
operation's rules, the fluency model, CLI formats, determinism and bad input."""

from __future__ import annotations

import dataclasses
import json
import random

import pytest
from conftest import SAMPLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from textkit.augment import operations
from textkit.augment.eda import (
    AugmentConfig,
    Augmenter,
    eda,
    edit_budget,
    is_negator,
    recommended_num_aug,
)
from textkit.augment.evidence import LabelCounts
from textkit.augment.fluency import CharLM, normalize
from textkit.augment.synonyms import (
    cilin_synonyms,
    default_synonyms,
    lexicon,
    read_synonyms,
)
from textkit.errors import ResourceError

LABELED = SAMPLES / "labeled"
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
_cache: dict[tuple, Augmenter] = {}


def _augmenter(**options) -> Augmenter:
    key = tuple(sorted(options.items()))
    if key not in _cache:
        _cache[key] = Augmenter(AugmentConfig(**options))
    return _cache[key]


def _copies(text: str, seeds: int = 12, **options) -> list:
    """Every copy of ``text`` over several seeds (each an Augmentation with its op)."""
    options.setdefault("num_aug", 8)
    found = []
    for seed in range(seeds):
        augmenter = _augmenter(seed=seed, **options)
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        found.extend(augmenter.augment_tokens(tokens, 0))
    return found


# -- the examples ---------------------------------------------------------------------

HOTEL = [
    "这家酒店位置很方便，房间非常干净，服务热情",
    "酒店的位置不错，房间干净，交通方便，早餐一般",
    "服务非常好，房间很干净，下次还住这家酒店",
    "住了两晚，服务员非常热情，房间干净整洁，位置也方便",
    "前台服务态度非常好，酒店设施有点旧，但是很干净",
    "开车去的，停车方便，泳池不大，房间干净",
    "热水器修好了，服务还算及时，价格不是太好，其他都还不错",
]
NEVER = {
    "干净": ("绝望", "穷", "一干二净", "根本", "到底"),
    "非常": ("要命", "死", "特殊", "异常", "新鲜", "好生"),
    "方便": ("富裕", "便宜", "便当", "近水楼台先得月"),
    "服务": ("劳动", "劳务", "劳"),
    "位置": ("地位", "职位", "岗位", "身价"),
    "酒店": ("酒吧", "酒楼", "酒家", "酒馆"),
    "住": ("人亡政", "停止", "居留", "偃旗息鼓"),
    "开": ("射击", "挖", "打"),
    "修好": ("交好", "亲善"),
    "重": ("敝帚自珍", "重量"),
    "宣传": ("大喊大叫", "鼓吹"),
}


def test_synonyms_of_the_wrong_sense_never_appear():
    copies = [c for text in HOTEL for c in _copies(text)]
    assert len(copies) > 60  # the rows do get copies
    for aug in copies:
        for word, wrong in NEVER.items():
            for bad in wrong:
                assert bad not in aug.text, (word, aug.text)
    # ... while the right synonyms are used: 干净 -> 整洁/洁净, 非常 -> 十分/特别.
    texts = {a.text for a in copies if a.op == "sr"}
    assert any("整洁" in t or "洁净" in t for t in texts if "房间干净" not in t)
    assert any("十分" in t or "特别" in t for t in texts)


def test_default_synonyms_are_common_multi_character_words_not_idioms():
    table, lex = default_synonyms(), lexicon()
    assert len(table) > 300
    assert table["干净"] == ("整洁", "洁净") and "绝望" not in table["干净"]
    for word, synonyms in table.items():
        assert word not in synonyms
        for synonym in synonyms:
            assert len(synonym) >= 2, synonym
            # An idiom or fixed expression only stands for one: 受不了 -> 吃不消.
            idiom = ("i", "l")
            assert lex[synonym].tag not in idiom or lex[word].tag in idiom, synonym
            assert lex[synonym].freq >= 50, synonym
    for word in ("服务", "位置", "酒店", "住", "开", "修好", "宣传"):
        assert word not in table


def test_list_swap_keeps_both_clauses_whole():
    swaps = [a for a in _copies("房间干净，服务热情", ops=("rs",)) if a.op == "rs"]
    assert {a.text for a in swaps} == {"服务热情，房间干净"}
    three = {a.text for a in _copies("位置很方便，房间非常干净，服务热情。", ops=("rs",))}
    assert three == {"房间非常干净，位置很方便，服务热情。", "位置很方便，服务热情，房间非常干净。"}


def test_a_contrast_is_never_scrambled():
    text = "价格不是太好，其他都还不错"
    assert _copies(text, ops=("rs",)) == []  # 其他 points back: the clauses never move
    for aug in _copies(text):
        assert "不是太好" in aug.text and aug.text.endswith("其他都还不错")
    # The old swap moved a word across clauses: 服务比较热情 -> 设施比较热情.
    for aug in _copies("设施一般，服务比较热情，就是有点贵"):
        assert "设施比较热情" not in aug.text and "服务" in aug.text


def test_two_replacements_never_give_the_same_word():
    copies = _copies("考试解析及各地考试分析", ops=("sr",), alpha_sr=1.0)
    assert copies and all(a.text.count("剖析") <= 1 for a in copies)


def test_coordinated_words_swap_and_nothing_else_moves():
    texts = {a.text for a in _copies("服务和环境都很好，下次还会再来", ops=("rs",))}
    assert texts == {"环境和服务都很好，下次还会再来"}
    # A third conjunct would leave the list out of order: no swap.
    assert _copies("服务、环境和早餐都很好", ops=("rs",)) == []
    # A conjunct that is part of a longer noun (咖啡种类, 鸡胗 cut as 鸡 胗): no swap; these
    # gave 咖啡食品和种类种类 and 鸡和鸡心胗.
    assert _copies("咖啡种类和食品种类都太少", ops=("rs",)) == []
    assert _copies("鸡心和鸡胗烤的太老", ops=("rs",)) == []


def test_a_doubled_word_keeps_both_halves():
    """非常非常快 gave 非常特别快."""
    for aug in _copies("送餐非常非常快", ops=("sr",)):
        assert "非常非常" in aug.text, aug.text
    # The rule itself (the fluency check alone may reject such copies): 非常 alone has
    # replacements, doubled it has none.
    augmenter = _augmenter(seed=0, num_aug=8, ops=("sr",))

    def replaced(text: str) -> set[int]:
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        edits = operations.replacements(
            tokens, range(len(tokens)), augmenter.synonyms_of, augmenter.word_class
        )
        return {edit.start for edit in edits}

    assert replaced("送餐非常快") == {1}
    assert replaced("送餐非常非常快") == set()


def test_insertions_are_degree_adverbs_before_an_adjective():
    copies = _copies("房间干净，交通方便", ops=("ri",))
    assert {a.text for a in copies} >= {"房间很干净，交通方便", "房间干净，交通很方便"}
    for aug in copies:
        new = [t for t in aug.tokens if t in operations.INSERTED_ADVERBS]
        assert len(new) == 1
    # Never a second degree adverb, never after a negator.
    for text in ("房间非常干净", "房间不干净", "有点儿慢", "卷饼好遗憾呢"):
        assert _copies(text, ops=("ri",)) == [], text


def test_no_degree_adverb_next_to_another_degree_word():
    """这么脆弱 gave 这么很脆弱: 这么, 那么, 多么 are degree words, and so is the 最 of 最好."""
    for text in ("耳机这么脆弱的东西", "没想到那么好吃", "多么漂亮的颜色", "味道最好，送餐快"):
        assert _copies(text, ops=("ri",)) == [], text
    augmenter = _augmenter(seed=0, num_aug=8, ops=("ri",))
    for text in ("耳机这么脆弱的东西", "越吃越好吃", "这个价位如此好用"):
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        edits = operations.insertions(tokens, set(range(len(tokens))), augmenter.word_class)
        assert edits == [], text
    # Without one there is still an insertion.
    assert {a.text for a in _copies("耳机脆弱", ops=("ri",))} >= {"耳机很脆弱"}


def test_a_word_glued_to_a_suffix_keeps_its_sense():
    """解析力 (resolution) gave 分析力 and 剖析力; 体验者 gave 感受者."""
    assert _copies("解析力过得去", ops=("sr",)) == []
    for aug in _copies("首批体验者深度解析", ops=("sr",)):
        assert "体验者" in aug.text, aug.text
    # The same word on its own is replaced; so is one before the plural 们.
    assert {a.text for a in _copies("音乐解析不明显", ops=("sr",))} >= {"音乐分析不明显"}
    augmenter = _augmenter(seed=0, num_aug=8, ops=("sr",))

    def replaced(text: str) -> set[str]:
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        edits = operations.replacements(
            tokens, range(len(tokens)), augmenter.synonyms_of, augmenter.word_class, augmenter.tag
        )
        return {tokens[edit.start] for edit in edits}

    assert replaced("解析力不够") == set() and replaced("解析不够") == {"解析"}
    assert "孩子" in replaced("孩子们饿坏了")


def test_nouns_around_a_comparison_or_before_de_do_not_swap():
    """音质和同事的一百多元的耳机差不多 gave 同事和音质的...: 和 means "compared with"."""
    row = "煲了一百多小时，音质和同事的一百多元的耳机差不多，1580元买这耳机亏大了。"
    for aug in _copies(row, ops=("rs",)):
        assert "音质和同事的" in aug.text, aug.text
    for text in ("饼跟面皮似的，肉太干", "味道跟餐厅吃差远了", "饭和菜的量都少"):
        assert _copies(text, ops=("rs",)) == [], text
    augmenter = _augmenter(seed=0, num_aug=8, ops=("rs",))
    for text in (row, "粥跟猪吃的一样", "饼跟石头一样硬"):
        tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
        swaps = operations.word_swaps(tokens, set(range(len(tokens))), augmenter.word_class)
        assert swaps == [], text
    # A symmetric comparison of two whole nouns still swaps.
    swapped = {a.text for a in _copies("东西跟图片完全不一样", ops=("rs",))}
    assert swapped == {"图片跟东西完全不一样"}


def test_deletions_take_only_optional_words():
    copies = _copies("味道很好，送餐很及时啊！", ops=("rd",))
    assert {a.text for a in copies} >= {"味道好，送餐很及时啊！", "味道很好，送餐很及时！"}
    for aug in copies:
        augmenter = _augmenter(seed=0, num_aug=8, ops=("rd",))
        before = augmenter.tokenizer.cut("味道很好，送餐很及时啊！", keep_spaces=True)
        gone = list(before)
        for token in aug.tokens:
            gone.remove(token)
        assert gone and set(gone) <= operations.DEGREE_ADVERBS | operations.PARTICLES
    # Nothing optional: no deletion (not the head 好, not the negator).
    assert _copies("不好", ops=("rd",)) == []
    assert _copies("不是很好", ops=("rd",)) == []  # 很 after a negator stays


def test_strong_degree_adverbs_and_hedges_are_neither_deleted_nor_inserted():
    """态度超级好 -> 态度好 says less, 喜欢 -> 比较喜欢 or 好吃 -> 非常好吃 says something
    else: only mild adverbs (很 挺 蛮) come and go."""
    assert _copies("服务态度特别好，超级好吃！", ops=("rd",)) == []
    inserted = {a.text for a in _copies("小米支架自拍杆。好用，喜欢", ops=("ri",))}
    assert inserted and all(("很" in t) != ("挺" in t) for t in inserted)
    assert not any(w in t for t in inserted for w in ("非常", "特别", "比较"))
    mixed = {a.text for a in _copies("好吃,但是吃完就一直拉肚子。。", ops=("ri",))}
    assert "非常好吃,但是吃完就一直拉肚子。。" not in mixed


# -- rules as properties --------------------------------------------------------------------

WORDS = [
    "价格", "实惠", "味道", "不错", "送餐", "很快", "饭菜", "热", "的", "了", "北京", "公司",
    "发布", "新", "手机", "经济", "增长", "，", "。", "！", " ", "iPhone", "12", "GDP", "5.2%",
    "三星", "一起", "好评", "失望", "老板", "热情", "很", "非常", "干净", "房间", "服务", "和",
    "环境", "啊", "不", "没有", "推荐", "但是", "方便", "其他", "都",
]  # fmt: skip
PROTECT = ("北京", "手机", "好评")
texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map("".join)


def _words(tokens: list[str]) -> list[str]:
    return [t for t in tokens if not t.isspace()]


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    it = iter(long)
    return all(token in it for token in short)


@SETTINGS
@given(texts, st.integers(0, 10_000))
def test_each_operation_keeps_to_its_rules(text, index):
    augmenter = _augmenter(num_aug=6, seed=11, protect=PROTECT, alpha_sr=0.3)
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    editable = set(augmenter.editable_positions(tokens))
    for aug in augmenter.augment_tokens(tokens, index):
        n = edit_budget(augmenter.config.alpha(aug.op), len(editable))
        out = aug.tokens
        if aug.op == "sr":  # at most n words replaced in place, each by a listed synonym
            assert len(out) == len(tokens)
            changed = [i for i, (a, b) in enumerate(zip(tokens, out, strict=True)) if a != b]
            assert 1 <= len(changed) <= n
            assert all(i in editable and out[i] in default_synonyms()[tokens[i]] for i in changed)
        elif aug.op == "rs":  # the same words in another order
            assert sorted(out) == sorted(tokens) and out != tokens
        elif aug.op == "ri":
            assert 1 <= len(_words(out)) - len(_words(tokens)) <= n
        elif aug.op == "rd":
            assert 1 <= len(_words(tokens)) - len(_words(out)) <= n
        else:  # several operations: within their budgets together
            ops = aug.op.split("+")
            assert len(ops) == len(set(ops)) >= 2 and set(ops) <= {"sr", "ri", "rs", "rd"}
            grow = len(_words(out)) - len(_words(tokens))
            budget = {op: edit_budget(augmenter.config.alpha(op), len(editable)) for op in ops}
            assert -budget.get("rd", 0) <= grow <= budget.get("ri", 0)
        # Only editable words change: the others keep their order.
        fixed = [t for i, t in enumerate(tokens) if i not in editable and not t.isspace()]
        assert _is_subsequence(fixed, _words(out)) or "rs" in aug.op
        for term in PROTECT:
            assert aug.text.count(term) >= text.count(term)
        # Negators and the word after one stay, in place.
        pairs = [(a, b) for a, b in zip(tokens, tokens[1:], strict=False) if is_negator(a)]
        joined = "".join(out)
        for a, b in pairs:
            assert joined.count(a + b) >= text.count(a + b)


@SETTINGS
@given(texts, st.integers(0, 10_000))
def test_numbers_latin_and_global_random_state_survive(text, index):
    state = random.getstate()
    results = _augmenter(num_aug=6, seed=3).augment(text, index)
    assert random.getstate() == state
    assert len(set(results)) == len(results) and text not in results
    for out in results:
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
    tails = {tuple(o[1:]) for o in originals}
    assert all(tuple(row[1:]) in tails for row in out)
    assert [r for r in out if r in originals] == originals


def test_negators_off_lets_the_word_after_one_change():
    text = "不很干净"
    on = {a.text for a in _copies(text, ops=("rd",))}
    off = {a.text for a in _copies(text, ops=("rd",), protect_negators=False)}
    assert on == set() and "不干净" in off


# -- the fluency model -------------------------------------------------------------------------

LINES = ["房间很干净", "服务很热情", "房间干净整洁", "位置很方便", "早餐很好吃"] * 20


def test_char_lm_prefers_what_it_has_seen():
    lm = CharLM.build(LINES, order=3)
    seen, scrambled = lm.logprob(["房间很干净", "净干很间房"])
    assert seen > scrambled + 5
    assert lm.per_char(["房间很干净"])[0] == pytest.approx(seen / 6)
    # Saved arrays give back the same model.
    again = CharLM(lm.arrays())
    assert again.logprob(["服务很方便"]) == pytest.approx(lm.logprob(["服务很方便"]))


@settings(max_examples=60, deadline=None)
@given(
    st.text(alphabet="房间很干净服务热情位置方便早餐好吃不，", min_size=1, max_size=12),
    st.data(),
)
def test_edit_delta_is_the_whole_text_difference(text, data):
    lm = CharLM.build(LINES, order=3)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    new = data.draw(st.text(alphabet="很非常挺好吃了", max_size=3))
    edited = text[:start] + new + text[end:]
    whole = lm.logprob([edited])[0] - lm.logprob([text])[0]
    assert lm.edit_deltas(text, [(start, end, new)])[0] == pytest.approx(whole, abs=1e-6)


def test_normalize_folds_digits_latin_and_width():
    assert normalize("iPhone 12，１２ＡＢ") == "aaaaaa 00,00aa"


def test_background_model_is_cached(tmp_path, monkeypatch):
    from textkit.augment import fluency
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    monkeypatch.setattr(fluency, "_corpus_lines", lambda path: LINES)
    fluency.background_lm.cache_clear()
    try:
        first = fluency.background_lm()
        assert (tmp_path / "textkit" / "fluency-charlm.npz").is_file()
        fluency.background_lm.cache_clear()
        second = fluency.background_lm()
        assert second.logprob(["房间很干净"]) == pytest.approx(first.logprob(["房间很干净"]))
    finally:
        fluency.background_lm.cache_clear()
        cache.cache_dir.cache_clear()


def test_fluency_check_rejects_a_misfit():
    # 小时 -> 钟头 reads wrong after 一 (一钟头); both edits are in the synonym list.
    augmenter = _augmenter(num_aug=8, ops=("sr",))
    tokens = augmenter.tokenizer.cut("竟然提前一小时送来", keep_spaces=True)
    assert "钟头" in augmenter.synonyms_of("小时")
    assert all("钟头" not in "".join(e.new) for e in augmenter.options(tokens).sr)
    free = _augmenter(num_aug=8, ops=("sr",), max_drop=None)
    assert any("钟头" in "".join(e.new) for e in free.options(tokens).sr)


# -- CLI -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "ft.txt"])
def test_each_format_keeps_labels_and_layout(run, fmt):
    args = ["-n", "3", "--seed", "1", "--no-balance"]
    tsv = run(["augment", LABELED / "reviews.tsv", *args])
    result = run(["augment", LABELED / f"reviews.{fmt}", *args])
    assert tsv.exit_code == result.exit_code == 0, result.stderr
    pairs = [line.split("\t") for line in tsv.stdout.splitlines()]
    assert len(pairs) > 8  # copies were made
    if fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert [[r["text"], r["label"]] for r in rows] == pairs
    elif fmt == "ft.txt":
        assert result.stdout.splitlines() == [f"__label__{y} {t}" for t, y in pairs]
    else:
        numeric = {"positive": "1", "negative": "0"}
        assert result.stdout.splitlines() == ["label,review"] + [
            f"{numeric[y]},{t}" for t, y in pairs
        ]


def test_tsv_exact(run):
    result = run(["augment", LABELED / "reviews.tsv", "-n", "2", "--seed", "1", "--no-balance"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "送餐很快，饭菜还是热的，好评\tpositive\n"
        "味道一般，而且分量太少了\tnegative\n"
        "包装很用心，汤一点都没洒\tpositive\n"
        "等了两个小时才送到，菜都凉了\tnegative\n"
        "价格实惠，味道不错，会回购\tpositive\n"
        "价格很实惠，味道不错，会回购\tpositive\n"
        "米饭是夹生的，太失望了\tnegative\n"
        "老板很热情，还送了小菜\tpositive\n"
        "老板热情，还送了小菜\tpositive\n"
        "点的辣子鸡一点都不辣，还很咸\tnegative\n"
    )


def test_plain_lines(run):
    text = "房间干净，服务热情\n\n！！！\niPhone 12 发布，价格很贵\n"
    result = run(["augment", "--lines", "-n", "2", "--seed", "3"], input=text)
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "房间干净，服务热情" and "！！！" in rows
    assert "服务热情，房间干净" in rows or "房间整洁，服务热情" in rows
    assert all(row.startswith("iPhone 12 ") for row in rows[rows.index("！！！") + 1 :])


def test_directory_is_plain_documents(run):
    result = run(["augment", SAMPLES / "texts", "-n", "1"])
    assert result.exit_code == 0, result.stderr
    assert len(result.stdout.splitlines()) >= len(list((SAMPLES / "texts").glob("*.txt")))


def test_csv_other_columns_empty_and_punctuation_rows(run, tmp_path):
    data = tmp_path / "d.csv"
    data.write_text(
        'id,review,label,note\n7,房间干净，服务热情,1,"x, y"\n8,,0,empty\n9,！！。,1,punct\n',
        encoding="utf-8",
    )
    result = run(["augment", data, "-n", "2", "--seed", "1", "--no-balance"])
    assert result.exit_code == 0, result.stderr
    rows = result.stdout.splitlines()
    assert rows[0] == "id,review,label,note" and rows[1] == '7,房间干净，服务热情,1,"x, y"'
    assert rows[-2:] == ["8,,0,empty", "9,！！。,1,punct"]
    copies = rows[2:-2]
    assert len(copies) == 2 and all(c.startswith("7,") and c.endswith(',1,"x, y"') for c in copies)


def test_num_aug_zero_writes_the_originals(run):
    result = run(["augment", LABELED / "reviews.tsv", "-n", "0"])
    assert result.exit_code == 0
    assert result.stdout == (LABELED / "reviews.tsv").read_text(encoding="utf-8")


def test_no_keep_original_and_auto_num_aug(run):
    result = run(["augment", LABELED / "reviews.jsonl", "--no-keep-original", "--no-balance"])
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    # The summary counts the copies written, not the most that were allowed.
    assert f"8 rows, {len(rows)} copies written (-n auto: up to 2 a row)" in result.stderr
    originals = {json.loads(line)["text"] for line in _sample_lines()}
    assert rows and len(rows) == len({r["text"] for r in rows})
    assert not {r["text"] for r in rows} & originals


def _sample_lines() -> list[str]:
    return (LABELED / "reviews.jsonl").read_text(encoding="utf-8").splitlines()


def test_jobs_give_identical_bytes(run, tmp_path):
    data = tmp_path / "many.tsv"
    rows = [*HOTEL, "房间干净，服务热情", "服务和环境都很好"]
    data.write_text("".join(f"{rows[i % 9]}\t{i % 9 % 2}\n" for i in range(600)), "utf-8")
    for aware in ("--label-aware", "--no-label-aware"):
        one = run(["augment", data, "-n", "3", "--seed", "5", "-j", "1", aware])
        two = run(["augment", data, "-n", "3", "--seed", "5", "-j", "2", aware])
        assert one.exit_code == two.exit_code == 0
        assert one.stdout == two.stdout
        # Nine texts repeated: most words mark a label, so fewer places to edit are left.
        assert len(one.stdout.splitlines()) > (800 if aware == "--label-aware" else 1200)


def test_output_file_and_protect(run, tmp_path):
    protect = tmp_path / "protect.txt"
    protect.write_text("干净\n非常\n", encoding="utf-8")
    data = tmp_path / "in.tsv"
    data.write_text("".join(f"{t}\tx\n" for t in HOTEL), encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = run(["augment", data, "--protect", protect, "-n", "8", "-o", out])
    assert result.exit_code == 0 and result.stdout == ""
    rows = out.read_text(encoding="utf-8").splitlines()
    copies = 0
    for row in rows:  # each original row comes first, then its copies
        if row.split("\t")[0] in HOTEL:
            source = row
            continue
        copies += 1
        for term in ("干净", "非常"):
            assert row.count(term) >= source.count(term)
    assert copies > 10


@pytest.mark.parametrize(
    "args",
    [
        ["--alpha-sr", "1.5"],
        ["--p-rd", "-0.1"],
        ["-n", "-1"],
        ["-n", "many"],
        ["--ops", "sr,xx"],
        ["--alpha-sr", "nan"],
        ["-n", "²"],
        ["--label-terms"],
        ["--ops-per-row", "2"],
        ["--strict-synonyms"],
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
    assert "no object has a text key (keys seen: x, label)" in result.stderr


def test_rows_without_anything_to_edit_come_back_unchanged(run):
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
    line = "__label__pos 房间 干净 ， 服务 非常 热情 啊 ！\n"
    result = run(["augment", "-n", "8", "--ops", "rd,ri", "--seed", "4"], input=line)
    assert result.exit_code == 0
    copies = [row.removeprefix("__label__pos ") for row in result.stdout.splitlines()[1:]]
    assert len(copies) >= 2
    for text in copies:
        words = text.split(" ")
        assert "" not in words and text == text.strip()  # no doubled, leading or trailing space
        assert {"房间", "服务", "热情"} <= set(words)
        # Words inserted (degree adverbs) or deleted, each a word of its own.
        assert set(words) ^ set(line.split()[1:]) <= {"很", "挺", "非常", "比较", "特别", "啊"}


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


def test_synonyms_of_and_own_synonyms(run, tmp_path):
    result = run(["augment", "--synonyms-of", "价格"])
    assert result.exit_code == 0
    assert result.stdout == "价位\n价钱\n"
    assert run(["augment", "--synonyms-of", "的"]).exit_code == 1
    syn = tmp_path / "syn.txt"
    syn.write_text("好评 称赞 赞扬\nAa01A01# 好评 差评\n", encoding="utf-8")
    result = run(["augment", "--synonyms", syn, "--synonyms-of", "好评"])
    assert result.stdout == "称赞\n赞扬\n"  # '#' rows are related words, not synonyms
    # Own synonyms are used (and still checked for fluency).
    out = run(["augment", "--lines", "--synonyms", syn, "-n", "4", "--ops", "sr"], "这是好评\n")
    assert out.exit_code == 0 and {"这是称赞", "这是赞扬"} & set(out.stdout.splitlines())


def test_output_that_is_an_input_is_refused_before_reading(run, tmp_path):
    data = tmp_path / "in.tsv"
    data.write_bytes((LABELED / "reviews.tsv").read_bytes())
    result = run(["augment", data, "-o", data])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {data}: the output file is also an input (choose another -o path)\n"
    )
    assert data.read_bytes() == (LABELED / "reviews.tsv").read_bytes()


# -- library -----------------------------------------------------------------------------------


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


def test_cilin_synonyms_are_cached_parsed_and_read_back_the_same(tmp_path, monkeypatch):
    from textkit.augment.synonyms import SYNONYMS_CACHE, cilin_path
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    cilin_synonyms.cache_clear()
    parsed = read_synonyms(cilin_path(), cjk_only=True)
    first = cilin_synonyms()  # parses the thesaurus, writes the cache
    assert (tmp_path / "textkit" / SYNONYMS_CACHE).is_file()
    cilin_synonyms.cache_clear()
    second = cilin_synonyms()  # reads the cache
    assert type(second).__name__ == "_CachedSynonyms"
    assert dict(first) == dict(second.items()) == parsed
    assert parsed["价格"] == ("价钱", "标价", "价", "价位")
    (tmp_path / "textkit" / SYNONYMS_CACHE).write_text("stale\n好\t坏", encoding="utf-8")
    cilin_synonyms.cache_clear()
    assert dict(cilin_synonyms()) == parsed
    cilin_synonyms.cache_clear()
    cache.cache_dir.cache_clear()


def test_eda_function_defaults_and_errors():
    from textkit.errors import ConfigError

    out = eda("房间干净，服务热情，位置方便", num_aug=3, seed=2)
    assert out == eda("房间干净，服务热情，位置方便", num_aug=3, seed=2)
    assert 1 <= len(out) <= 3 and "房间干净，服务热情，位置方便" not in out
    assert eda("", num_aug=3) == [] and eda("。。！", num_aug=3) == []
    assert eda("房间干净，服务热情", ops="sr,rs", seed=1) == eda(
        "房间干净，服务热情", ops=("sr", "rs"), seed=1
    )
    assert recommended_num_aug(500) == recommended_num_aug(50_000) == 2
    assert edit_budget(0.2, 7) == 1 and edit_budget(0.2, 13) == 3 and edit_budget(0, 9) == 0
    with pytest.raises(ConfigError, match="num_aug must be 0 or more"):
        eda("很好吃", num_aug=-1)
    with pytest.raises(ConfigError, match="alpha_sr must be between 0 and 1"):
        eda("很好吃", alpha_sr=float("nan"))
    with pytest.raises(ConfigError, match="expected a text"):
        eda(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="max_drop"):
        AugmentConfig(max_drop=-1)
    config = AugmentConfig()
    assert hash(config) == hash(dataclasses.replace(config))  # workers cache by it


def test_balance_copies_evens_out_the_labels():
    from textkit.augment.balance import balance_copies

    copies = [["a1", "a2", "a3", "a4"], ["b1", "b2"], ["c1"], [], ["x1", "x2"]]
    labels = ["pos", "pos", "neg", "neg", None]
    out = balance_copies(copies, labels, seed=3)
    assert out == balance_copies(copies, labels, seed=3)
    assert sum(map(len, out[:2])) == 1  # neg: 1 copy for 2 rows; pos thinned to the same rate
    assert out[2:] == [["c1"], [], ["x1", "x2"]]  # the rarest label and unlabeled rows keep all
    assert all(set(o) <= set(c) for o, c in zip(out, copies, strict=True))
    assert balance_copies(copies, ["a"] * 5) == copies  # one label: nothing to balance


def test_summary_counts_the_copies_written(run):
    """The summary said "2 rows, 2 augmented copies each" when balancing had dropped them
    all."""
    rows = "味道很好，送餐也快\t5\n太难吃了，再也不点\t1\n"
    args = ["augment", "--data-format", "tsv", "--seed", "1"]
    result = run(args, rows)
    assert result.exit_code == 0 and result.stdout == rows  # no copy written...
    assert result.stderr.startswith("augment: 2 rows, 0 copies written (-n auto: up to 2 a row)")
    assert "1 row had nothing to edit" in result.stderr  # ... and why
    assert "Warning: label 1 got no copies (1 row: 1 had nothing to edit)" in result.stderr
    free = run([*args, "--no-balance"], rows)
    copies = len(free.stdout.splitlines()) - 2
    assert copies > 0
    assert f"2 rows, {copies} cop" in free.stderr and "balancing" not in free.stderr
    quiet = run([*args, "--quiet"], rows)
    assert quiet.stderr == ""


def test_balance_that_drops_every_copy_warns_and_names_the_label(run):
    """One label with no copies made balancing drop every other label's copies: -n 2 gave
    the input back with only an info line; now a warning names the label and why."""
    rows = "房间干净，服务热情，位置方便\tpos\n早餐丰富，床很舒服\tpos\nOK\tneg\n123\tneg\n"
    result = run(["augment", "--data-format", "tsv", "-n", "2", "--seed", "1"], rows)
    assert result.exit_code == 0 and result.stdout == rows
    warning = [line for line in result.stderr.splitlines() if line.startswith("Warning:")]
    assert warning == [
        "Warning: label neg got no copies (2 rows: 2 had nothing to edit), so balancing "
        "dropped all 4 copies of the other labels: the output is the input rows only "
        "(--no-balance keeps them)"
    ]
    free = run(["augment", "--data-format", "tsv", "-n", "2", "--seed", "1", "--no-balance"], rows)
    assert len(free.stdout.splitlines()) == 8 and "Warning" not in free.stderr
    only = run(["augment", "--data-format", "tsv", "-n", "2", "--no-keep-original"], rows)
    assert only.stdout == "" and "of the other labels: nothing written (--no-balance" in (
        only.stderr
    )


def test_starved_label_names_rows_without_label_evidence():
    from textkit.commands.augment import _Tally
    from textkit.io.tabular import LabeledRecord

    def row(label: str) -> tuple:
        return ("text", (LabeledRecord("s", "text", label, None, [label]), None), ["copy"])

    tally = _Tally(2, auto=False)
    rows = list(tally.count(iter([row("a"), row("b"), row("b")]), weak=[False, True, True]))
    assert [variants for _, _, variants in rows] == [["copy"], [], []]
    tally.lowest = ("b", 0.0)
    assert tally.starved() == (
        "label b got no copies (2 rows: 2 had words that do not clearly point to it "
        "(--no-label-aware keeps them)), so balancing dropped the one copy of the other "
        "labels: the output is the input rows only (--no-balance keeps them)"
    )
    tally.written = 1  # a copy written: nothing to warn about
    assert tally.starved() is None


def test_cli_balance_keeps_label_proportions(run):
    rows = "房间干净，服务热情\tpos\n服务和环境都很好\tpos\n很差\tneg\n价格很贵\tneg\n"
    args = ["augment", "--data-format", "tsv", "-n", "3", "--seed", "2"]
    balanced = [line.split("\t")[1] for line in run(args, rows).stdout.splitlines()]
    free = [line.split("\t")[1] for line in run([*args, "--no-balance"], rows).stdout.splitlines()]
    assert balanced.count("pos") == balanced.count("neg") == 3  # 2 rows + 1 copy each
    assert free.count("pos") > free.count("neg")


def test_one_copy_a_row_uses_whichever_operation_can_edit_it():
    """-n 1 tried only sr, rs and ri (three tries, four operations taking turns): a row
    whose one acceptable edit was a deletion got no copy."""
    one, four = _augmenter(num_aug=1), _augmenter(num_aug=4)
    tokens = one.tokenizer.cut("太慢了吧", keep_spaces=True)
    options = one.options(tokens)
    assert options.rd and not (options.sr or options.ri or options.rs)  # deletion only
    assert one.augment("太慢了吧") == ["太慢了"]
    for text in [*HOTEL, "太慢了吧", "挺好的", "好吃", "送餐太慢了", "味道还可以吧"]:
        assert bool(one.augment(text)) == bool(four.augment(text)), text


def test_cli_one_copy_for_a_row_only_a_deletion_can_edit(run):
    rows = "太慢了吧\t0\n挺好的\t1\n"
    result = run(["augment", "--data-format", "tsv", "-n", "1", "--no-balance"], rows)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "太慢了吧\t0\n太慢了\t0\n挺好的\t1\n"
    # The summary names the one row without a copy, and only that one.
    assert "1 row had nothing to edit" in result.stderr


@pytest.mark.parametrize("suffix", ["tsv", "jsonl", "json", "csv", "txt"])
def test_output_extension_chooses_the_format(run, tmp_path, suffix):
    """-o out.tsv wrote the CSV input's format into out.tsv; classify -o already followed
    the extension."""
    data = tmp_path / "in.csv"
    data.write_text('label,review,note\n0,太慢了吧,"a, b"\n1,挺好的,\n', encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    result = run(["augment", data, "-n", "1", "--no-balance", "-o", out])
    assert result.exit_code == 0, result.stderr
    written = out.read_text(encoding="utf-8").splitlines()
    rows = [["0", "太慢了吧", "a, b"], ["0", "太慢了", "a, b"], ["1", "挺好的", ""]]
    if suffix in ("jsonl", "json"):
        assert [json.loads(line) for line in written] == [
            dict(zip(["label", "review", "note"], row, strict=True)) for row in rows
        ]
    elif suffix == "tsv":
        assert written == ["label\treview\tnote", *("\t".join(row) for row in rows)]
    else:  # .csv, and a .txt (no format of its own: the input's, as classify -o does)
        assert written == ["label,review,note", '0,太慢了吧,"a, b"', '0,太慢了,"a, b"', "1,挺好的,"]


def test_output_extension_converts_fasttext_and_plain_lines(run, tmp_path):
    fasttext = tmp_path / "in.txt"
    fasttext.write_text("__label__neg 太慢了吧\n__label__a __label__b 挺好的\n", encoding="utf-8")
    args = ["augment", "-n", "1", "--no-balance", "-o"]
    result = run([*args, tmp_path / "ft.jsonl", fasttext, "--data-format", "fasttext"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "ft.jsonl").read_text(encoding="utf-8").splitlines() == [
        '{"text": "太慢了吧", "label": "neg"}',
        '{"text": "太慢了", "label": "neg"}',
        '{"text": "挺好的", "label": ["a", "b"]}',
    ]
    result = run([*args, tmp_path / "ft.txt", fasttext, "--data-format", "fasttext"])
    assert (tmp_path / "ft.txt").read_text(encoding="utf-8").splitlines() == [
        "__label__neg 太慢了吧",
        "__label__neg 太慢了",
        "__label__a __label__b 挺好的",
    ]
    lines = tmp_path / "lines.txt"
    lines.write_text("太慢了吧\n挺好的\n", encoding="utf-8")
    result = run([*args, tmp_path / "lines.csv", lines, "--lines"])
    assert result.exit_code == 0, result.stderr
    written = (tmp_path / "lines.csv").read_text(encoding="utf-8")
    assert written == "text\n太慢了吧\n太慢了\n挺好的\n"
    result = run([*args, tmp_path / "lines.tsv", lines, "--lines"])
    assert (tmp_path / "lines.tsv").read_text(encoding="utf-8") == "太慢了吧\n太慢了\n挺好的\n"


def _replaced(text: str) -> set[tuple[str, str]]:
    """(word, synonym) of every replacement the rules allow in ``text`` (fluency check off)."""
    augmenter = _augmenter(ops=("sr",), max_drop=None)
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    return {(tokens[e.start], e.new[0]) for e in augmenter.options(tokens).sr}


@pytest.mark.parametrize(
    ("text", "allowed"),
    [
        ("肉很多，味道不错", False),  # the predicate: 肉许多 is not Chinese
        ("肉也很多", False),
        ("米饭给的很多", False),
        ("奶泡本来应该很多", False),  # after a modal verb: still the predicate
        ("很多人都说好吃", True),  # before a noun
        ("很多都漏了", True),  # the subject
        ("粥洒了很多", True),  # after a verb: how much
        ("比店里少很多", True),
    ],
)
def test_xuduo_only_where_it_is_no_predicate(text, allowed):
    """很多 -> 许多 made 肉很多 into 肉许多: 许多 modifies or counts, it is no predicate."""
    pairs = _replaced(text)
    assert ("很多", "不少") in pairs  # the other synonyms stay
    assert (("很多", "许多") in pairs) is allowed


def test_haoduo_after_a_comparison_is_much_better_not_many():
    """比上次那个好多了 (much better) became 比上次那个许多了."""
    for text in ("比上次那个好多了", "比原来好多了", "和上次比好多了"):
        assert not {w for w, _ in _replaced(text)} & {"好多"}, text
    assert ("好多", "许多") in _replaced("跟第一次差好多")  # after an adjective: by how much
    assert ("好多", "不少") in _replaced("肉好多，很实惠")


def test_youdian_with_the_verb_dian_keeps_its_words():
    """有点 -> 有些 where 点 is "to order": 还有点了四份餐, 只有点外卖."""
    for text in ("还有点了四份餐", "只有点外卖了", "这家有点餐的优惠"):
        assert ("有点", "有些") not in _replaced(text), text
    for text in ("送餐有点慢", "味道有点怪", "就是有点贵"):
        assert ("有点", "有些") in _replaced(text), text


def test_youdian_before_a_noun_is_not_the_degree_adverb():
    """还有点菜 = 还 + 有 + 点菜: before a dish or another noun, 有点 is 有 + 点 ("to order",
    "a bit of"), and 有些 changes what is said (第一次有点菜这么快 -> 第一次有些菜这么快)."""
    for text in ("第一次有点菜这么快的", "以前有点菜送错过", "就是有点问题"):
        assert ("有点", "有些") not in _replaced(text), text
    augmenter = _augmenter(ops=("sr",), max_drop=None)
    tokens = ["还", "有点", "菜", "没", "送到"]
    found = operations.replacements(
        tokens, [1], augmenter.synonyms_of, augmenter.word_class, augmenter.tag
    )
    assert found == []
    for text in ("味道有点辣", "就是有点辣"):  # a taste jieba tags as a noun
        assert ("有点", "有些") in _replaced(text), text
    tokens = ["还", "有点", "贵"]
    found = operations.replacements(
        tokens, [1], augmenter.synonyms_of, augmenter.word_class, augmenter.tag
    )
    assert [e.new for e in found] == [("有些",)]


def test_synonyms_a_reader_found_wrong_in_reviews_are_not_offered():
    """以后 as "from now on" is not 之后 (以后不会再点了), 明显是剩菜 is not 显著是剩菜,
    这样子 is not 这模样, 本来 is not 原来 (it turns out), 被告知 is not 被告诉, 想办法 is
    not 想方法, 忘记加了 is not 忘掉加了, 正好 (just right) is not 正巧 (by chance)."""
    from textkit.augment.synonyms import default_synonyms

    table = default_synonyms()
    wrong = {
        "以后": "之后",
        "明显": "显著",
        "样子": "模样",
        "本来": "原来",
        "告知": "告诉",
        "办法": "方法",
        "忘记": "忘掉",
        "正好": "正巧",
    }
    assert all(bad not in table.get(word, ()) for word, bad in wrong.items())
    assert "原本" in table["本来"] and "刚好" in table["正好"]  # the right senses stay


# -- label evidence --------------------------------------------------------------------------

TAILS = "早餐不错 位置很方便 服务热情 交通方便 前台热情 床很舒服 价格实惠 设施齐全 环境安静 风景很好 停车方便 早餐丰富".split()  # noqa: E501, SIM905
CLEAN_ROWS = [(f"房间干净，{tail}，满意", "1") for tail in TAILS] + [
    (f"房间很脏，{tail}，失望", "0") for tail in TAILS
]
MISLABELED = ("房间干净，早餐不错，位置很方便", "0")


def _counts(rows):
    augmenter = _augmenter()
    return augmenter.count_labels([t for t, _ in rows], [y for _, y in rows])


def test_label_words_are_those_of_one_label_only():
    words = _counts(CLEAN_ROWS).label_words()
    assert {"干净", "很脏"} <= set(words)
    assert not {"房间", "早餐", "热情"} & set(words)  # in rows of both labels
    assert _counts([(t, "1") for t, _ in CLEAN_ROWS]).label_words() == ()  # one label


def test_label_words_are_the_strongest_few_of_each_label():
    """Topic labels on thousands of rows made nearly every content word a label word:
    10,000 news titles got 260 copies instead of 1,710."""
    rows = [(f"股票{i % 7}号基金上涨", "财经") for i in range(40)]
    rows += [(f"球队{i % 7}号联赛夺冠", "体育") for i in range(40)]
    counts = _counts(rows)
    everything = counts.label_words(per_label=None)
    capped = counts.label_words(per_label=2)
    assert len(everything) > 4 and len(capped) == 4
    assert set(capped) <= set(everything)


# 24 nouns a label; the i-th is in 60 - 2i of the label's 60 rows, so the more rows a word
# is in, the stronger it marks its label.
FINANCE_WORDS = [
    "股票",
    "基金",
    "银行",
    "利率",
    "汇率",
    "债券",
    "期货",
    "黄金",
    "外汇",
    "保险",
    "证券",
    "贷款",
    "存款",
    "税收",
    "财政",
    "货币",
    "投资",
    "融资",
    "股市",
    "楼市",
    "房价",
    "油价",
    "物价",
    "工资",
]
SPORTS_WORDS = [
    "球队",
    "联赛",
    "冠军",
    "球员",
    "教练",
    "比赛",
    "足球",
    "篮球",
    "排球",
    "网球",
    "赛季",
    "球迷",
    "门将",
    "前锋",
    "后卫",
    "裁判",
    "进球",
    "主场",
    "客场",
    "世界杯",
    "奥运会",
    "选手",
    "跳水",
    "游泳",
]


def test_by_default_each_label_keeps_its_twenty_strongest_words():
    rows = []
    for words, label in ((FINANCE_WORDS, "财经"), (SPORTS_WORDS, "体育")):
        for r in range(60):
            rows.append(("，".join(w for i, w in enumerate(words) if r < 60 - 2 * i), label))
    counts = _counts(rows)
    assert set(counts.label_words(per_label=None)) == {*FINANCE_WORDS, *SPORTS_WORDS}
    assert set(counts.label_words()) == {*FINANCE_WORDS[:20], *SPORTS_WORDS[:20]}


def test_a_row_whose_words_point_to_another_label_is_weak():
    counts = _counts([*CLEAN_ROWS, MISLABELED, ("房间干净", "")])
    weak = counts.weak_rows()
    assert weak[-2] and not any(weak[: len(CLEAN_ROWS)])
    assert counts.row_scores()[-1] is None  # no label: not judged
    # Too few rows of a label to weigh words by: nobody is judged.
    few = _counts([*CLEAN_ROWS[:5], *CLEAN_ROWS[-5:], MISLABELED])
    assert not any(few.weak_rows())


def test_a_duplicate_row_is_no_evidence_for_itself():
    """A mislabeled row that is in the data three times must not vouch for itself: a
    160-row file with a negative review twice, labeled positive, gave both copies the
    score of a clear positive review."""
    positive = [["好吃", "下次"]] * 11 + [["好吃", "太慢"]]
    negative = [["难吃", "太慢"]] * 6 + [["难吃", "太贵"]] * 6
    rows, labels = [*positive, *negative], ["1"] * 12 + ["0"] * 12
    scores = []
    for times in (1, 2, 3):
        counts = LabelCounts.count(
            [*rows, *[["难吃", "太贵", "下次"]] * times], labels + ["1"] * times
        )
        scores.append(counts.row_scores()[-1])
        assert all(counts.weak_rows()[-times:])
    assert scores[0] == pytest.approx(scores[1]) == pytest.approx(scores[2])


def test_a_mixed_row_is_weak():
    """Praise of one thing, complaints about two (好吃 but 太慢 and 太贵): the words favour
    the row's label only a little, and its copies are the ones a model most easily reads
    the other way."""
    positive = [["好吃", "下次"]] * 11 + [["好吃", "太慢"]]
    negative = [["难吃", "太慢"]] * 6 + [["难吃", "太贵"]] * 6
    rows, labels = [*positive, *negative], ["1"] * 12 + ["0"] * 12
    counts = LabelCounts.count([*rows, ["好吃", "太慢", "太贵"]], [*labels, "1"])
    assert 0 < counts.row_scores()[-1] < 3
    assert counts.weak_rows() == [False] * 24 + [True]
    clear = LabelCounts.count([*rows, ["好吃", "太慢"]], [*labels, "1"])
    assert clear.weak_rows() == [False] * 25


def test_kept_words_are_never_replaced_nor_deleted_but_may_take_an_adverb():
    augmenter = Augmenter(AugmentConfig(max_drop=None))
    tokens = augmenter.tokenizer.cut("房间很干净，交通方便", keep_spaces=True)
    before = augmenter.options(tokens)
    assert {tokens[e.start] for e in before.sr} >= {"干净", "方便"}
    assert "很" in {tokens[e.start] for e in before.rd}
    augmenter.keep(["干净", "很"])
    after = augmenter.options(tokens)
    assert "干净" not in {tokens[e.start] for e in after.sr}
    assert "方便" in {tokens[e.start] for e in after.sr}
    assert "很" not in {tokens[e.start] for e in after.rd}
    assert any(tokens[e.start] == "方便" for e in after.ri)  # 交通很方便 still


def test_cli_keeps_label_words_and_gives_weak_rows_no_copies(run, tmp_path):
    data = tmp_path / "hotel.tsv"
    data.write_text("".join(f"{t}\t{y}\n" for t, y in [*CLEAN_ROWS, MISLABELED]), "utf-8")
    args = ["augment", data, "-n", "4", "--seed", "2", "--no-balance", "--no-keep-original"]
    aware = run(args)
    blind = run([*args, "--no-label-aware"])
    assert aware.exit_code == blind.exit_code == 0, aware.stderr
    copies = [line.split("\t") for line in aware.stdout.splitlines()]
    assert copies and all(("干净" in t) == (y == "1") for t, y in copies)  # never 整洁
    assert not any(y == "0" and "干净" in t for t, y in copies)
    assert "1 got none as their words do not clearly point to their label" in aware.stderr
    others = [line.split("\t") for line in blind.stdout.splitlines()]
    assert any("整洁" in t or "洁净" in t for t, _ in others)
    assert any(y == "0" and "位置" in t and "脏" not in t for t, y in others)
    assert run(args).stdout == aware.stdout  # the seed still decides every byte


def _edited(text: str, op: str) -> set[str]:
    """The tokens of ``text`` at which the rules allow an ``op`` edit (fluency check off)."""
    augmenter = _augmenter(ops=(op,), max_drop=None)
    tokens = augmenter.tokenizer.cut(text, keep_spaces=True)
    return {tokens[e.start] for e in getattr(augmenter.options(tokens), op)}


def test_particles_holding_le_are_not_deleted():
    """菜都凉啦 -> 菜都凉: 啦 (了 + 啊) carries the 了 the clause needs."""
    assert "啦" not in _edited("送的太慢，菜都凉啦！", "rd")
    assert "呀" in _edited("送的太慢，菜都凉了呀！", "rd")


def test_no_degree_adverb_before_a_degree_complement():
    """难吃的不能下咽 -> 很难吃的不能下咽: what follows 的 already says how much."""
    assert "难吃" not in _edited("所有饭都难吃的不能下咽！", "ri")
    assert "干净" in _edited("一个干净的房间", "ri") or "干净" in _edited("房间干净的", "ri")


def test_a_word_only_somewhat_more_common_in_a_label_is_no_label_word():
    """Many rows make a small difference certain: 方便 in 60 of 200 positive rows and 40 of
    200 negative ones is no mark of either (its odds are 1.7 times the rest's, not e)."""
    from textkit.augment.evidence import LabelCounts

    rows = [["方便"] if i < 60 else ["房间"] for i in range(200)]
    rows += [["方便"] if i < 40 else ["房间"] for i in range(200)]
    counts = LabelCounts.count(rows, ["1"] * 200 + ["0"] * 200)
    assert "方便" not in counts.label_words()
    assert "方便" in counts.label_words(min_log_odds=0.0)  # significant all the same


def test_no_degree_adverb_before_an_adjective_used_as_an_adverb():
    """味道确实不错 -> 味道很确实不错: 确实 (jieba's "ad") modifies 不错 here."""
    assert "确实" not in _edited("卷饼味道确实不错", "ri")
    assert "认真" in _edited("服务员认真，送餐快", "ri")


def test_balance_help_says_copies_follow_the_label_with_fewest(run):
    # "every label gets as many per row" read as evening out the labels' row counts
    result = run(["augment", "--help"])
    assert "as many copies a row as the label with the fewest" in " ".join(result.stdout.split())
