"""The Tokenizer: modes, HMM, POS, user dictionaries, stopwords, cache location."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit import Tokenizer, tokenize
from textkit.errors import ResourceError
from textkit.text.stopwords import load_stopwords


def test_modes():
    text = "中华人民共和国成立了"
    assert Tokenizer().cut(text) == ["中华人民共和国", "成立", "了"]
    assert "中华" in Tokenizer("search").cut(text)
    assert "人民" in Tokenizer("all").cut(text)


def test_hmm_toggle_changes_unknown_words():
    text = "他来到了网易杭研大厦"
    assert "杭研" in Tokenizer(hmm=True).cut(text)
    assert "杭研" not in Tokenizer(hmm=False).cut(text)


def test_pos_tags_and_whitespace_dropped():
    assert Tokenizer().cut_pos("我爱 北京") == [("我", "r"), ("爱", "v"), ("北京", "ns")]
    with pytest.raises(ValueError, match="accurate"):
        Tokenizer("search").cut_pos("我")


def test_user_dict_is_private_to_its_instance(tmp_path):
    user = tmp_path / "user.txt"
    user.write_text("云计算平台 10 n\n", encoding="utf-8")
    text = "我们搭建了云计算平台"
    with_dict = Tokenizer(user_dict=user)
    assert "云计算平台" in with_dict.cut(text)
    assert ("云计算平台", "n") in with_dict.cut_pos(text)
    assert "云计算平台" not in Tokenizer().cut(text)
    import jieba

    assert "云计算平台" not in jieba.lcut(text)


def test_user_dict_errors(tmp_path):
    with pytest.raises(ResourceError, match="user dictionary not found"):
        Tokenizer(user_dict=tmp_path / "missing.txt")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ResourceError, match="user dictionary is not UTF-8"):
        Tokenizer(user_dict=bad)


def test_fast_backend_agrees_on_plain_text():
    text = "我来到北京清华大学"
    assert Tokenizer(backend="fast").cut(text) == Tokenizer().cut(text)


def test_tokenize_function():
    assert tokenize("我爱北京") == ["我", "爱", "北京"]
    assert tokenize("我爱北京", pos=True) == [("我", "r"), ("爱", "v"), ("北京", "ns")]


def test_jieba_cache_in_private_user_cache(tmp_path, monkeypatch):
    from textkit.io import cache
    from textkit.text import tokenizer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    monkeypatch.setattr(tokenizer, "_jieba_base", None)
    Tokenizer().cut("你好")
    directory = tmp_path / "textkit"
    assert (directory / "jieba.cache").is_file()
    assert directory.stat().st_mode & 0o777 == 0o700


def test_corrupted_cache_is_rebuilt(tmp_path, monkeypatch):
    from textkit.io import cache
    from textkit.text import tokenizer

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    (tmp_path / "textkit").mkdir(mode=0o700)
    (tmp_path / "textkit" / "jieba.cache").write_bytes(b"garbage")
    monkeypatch.setattr(tokenizer, "_jieba_base", None)
    assert Tokenizer().cut("我爱北京") == ["我", "爱", "北京"]


def test_stopwords(tmp_path):
    extra = tmp_path / "stop.txt"
    extra.write_text("# comment\n北京\n", encoding="utf-8")
    words = load_stopwords([extra])
    assert {"的", "the", "北京"} <= words
    assert load_stopwords([extra], use_default=False) == {"北京"}


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_tokens_are_nonblank_substrings_in_order(text):
    tokens = Tokenizer().cut(text)
    position = 0
    for token in tokens:
        assert token and not token.isspace()
        found = text.find(token, position)
        assert found >= 0
        position = found + len(token)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=80))
def test_accurate_mode_loses_only_whitespace(text):
    assert "".join(Tokenizer().cut(text)) == "".join(ch for ch in text if not ch.isspace())


def test_default_stopwords_cached_and_equal_to_source():
    import stopwordsiso

    from textkit.io.cache import cache_dir
    from textkit.text.stopwords import default_stopwords

    expected = frozenset(stopwordsiso.stopwords(["zh", "en"]))
    default_stopwords.cache_clear()
    assert default_stopwords() == expected
    cached = cache_dir() / "stopwords-zh-en.txt"
    assert cached.is_file()
    default_stopwords.cache_clear()
    assert default_stopwords() == expected  # read back from the cache
    cached.write_text("stale-key\nfoo", encoding="utf-8")
    default_stopwords.cache_clear()
    assert default_stopwords() == expected  # a stale cache is rebuilt


@settings(max_examples=80, deadline=None)
@given(st.text(alphabet="北京大学生活动中心ab1，。 \n", max_size=300), st.integers(1, 40))
def test_blocks_give_the_same_tokens_as_the_whole_text(text, size):
    from textkit.text.tokenizer import _JIEBA_BLOCK_CHAR, split_blocks

    blocks = list(split_blocks(text, size))
    assert "".join(b for b, _ in blocks) == text
    assert [last for _, last in blocks] == [False] * (len(blocks) - 1) + [True]
    assert all(len(b) <= size for b, last in blocks if not last)
    # Where every cut fell on a character jieba splits on, the tokens are unchanged.
    if all(not _JIEBA_BLOCK_CHAR.match(b[-1]) for b, last in blocks if not last):
        tk = Tokenizer()
        assert [t for b, _ in blocks for t in tk.cut(b)] == tk.cut(text)


def test_two_processes_building_the_caches_at_once(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "textkit", "keywords", "--tokenizer", "jieba", "-f", "tsv"]
    procs = [
        subprocess.Popen(
            command,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for _ in range(3)
    ]
    outputs = [
        p.communicate("新能源汽车销量增长，新能源汽车充电".encode(), timeout=300) for p in procs
    ]
    assert [p.returncode for p in procs] == [0, 0, 0]
    assert len({out for out, _ in outputs}) == 1 and outputs[0][0]
    cache = tmp_path / "textkit"
    assert (cache / "jieba.cache").is_file() and list(cache.glob("idf-*.sqlite"))
    assert not [p for p in cache.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


def test_library_tokenize_reads_traditional_text_as_the_command_does():
    from textkit import tokenize

    assert tokenize("這家餐廳的櫃檯服務很好") == ["這家", "餐廳", "的", "櫃檯", "服務", "很", "好"]
    assert tokenize("這家餐廳的櫃檯", normalize=False)[-2:] == ["櫃", "檯"]


def test_newwords_tables_as_user_dictionary(run, tmp_path):
    """`newwords -o words.tsv` writes a table (word, count, scores): given as --user-dict,
    each whole line became one "word" and no word was added, without a word said; CSV and
    JSON lines did the same."""
    table = tmp_path / "words.tsv"
    table.write_text(
        "word\tcount\tcohesion\tfreedom\tscore\n百度外卖\t52\t5.16\t3.26\t66.5\n送餐员\t89\t3.7\t3.6\t60.9\n",
        encoding="utf-8",
    )
    result = run(["tokenize", "--user-dict", table], input="百度外卖送餐员很快\n")
    assert result.exit_code == 0 and result.stdout == "百度外卖 送餐员 很快\n"
    for name, content in (("w.csv", "word,count\n百度外卖,52\n"), ("w.jsonl", '{"word": "a"}\n')):
        other = tmp_path / name
        other.write_text(content, encoding="utf-8")
        refused = run(["tokenize", "--user-dict", other], input="百度外卖\n")
        assert refused.exit_code == 1
        assert "not a user dictionary" in refused.stderr and "newwords -o words.txt" in (
            refused.stderr
        )
