"""The fast backend's engine: a partial dictionary for short inputs, the same words as rjieba."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest
from conftest import SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from textkit.text import fastcut
from textkit.text.fastcut import FastEngine, full_engine

TEXTS = [
    "我们中出了一个叛徒",
    "小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
    "B超检查显示，T恤的价格是99.5元；iPhone 15 Pro Max在北京上市了。",
    "肾虚血瘀型慢性前列腺炎的中医证候研究\r\n水运工程项目全过程管理",
    "赞赞赞赞赞，外卖送得很快，味道不错！！！",
    "",
    "，。！？ ",
]
# Common characters, dictionary words' pieces, Latin, digits and the punctuation that cuts
# runs: enough for words, prefixes, HMM guesses and mixed Han/Latin dictionary entries.
ALPHABET = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动"
    "同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自"
    "二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日"
    "那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变"
    "条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总"
    "次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指"
    "几九区强放决西被干做必战先回则任取据处理府研质北车百社B超T恤iPhone99."
    "5ab，。！？、 \n\r\t·-_%&#+"
)


def _modes(engine: object, text: str) -> list[object]:
    return [
        engine.cut(text),  # type: ignore[attr-defined]
        engine.cut(text, False),  # type: ignore[attr-defined]
        engine.cut_for_search(text),  # type: ignore[attr-defined]
        engine.cut_all(text),  # type: ignore[attr-defined]
        engine.tag(text),  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_partial_dictionary_gives_rjiebas_words_and_tags(text):
    engine = FastEngine()
    assert _modes(engine, text) == _modes(full_engine(), text)
    assert not engine.loaded_fully  # the partial dictionary really did the work


def test_one_engine_grown_over_many_texts_stays_exact():
    # No time budget: on a busy machine the lookups may take longer than a run allows.
    engine = FastEngine(limit=10**9, budget=float("inf"))
    texts = [*TEXTS, *(p.read_text(encoding="utf-8") for p in sorted(SAMPLES.glob("texts/*")))]
    for text in texts:
        assert _modes(engine, text) == _modes(full_engine(), text)
    assert not engine.loaded_fully


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=120))
def test_partial_dictionary_matches_rjieba_on_any_text(text):
    assert _modes(FastEngine(), text) == _modes(full_engine(), text)


def test_long_input_loads_the_full_dictionary():
    engine = FastEngine(limit=20)
    assert engine.cut("我爱北京") == ["我", "爱", "北京"]
    assert not engine.loaded_fully
    long_text = "我爱北京天安门，天安门上太阳升。" * 3
    assert engine.cut(long_text) == full_engine().cut(long_text)
    assert engine.loaded_fully


def test_many_lookups_load_the_full_dictionary(monkeypatch):
    monkeypatch.setattr(fastcut, "BUDGET", 0.0)  # the time spent on lookups is used up
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert engine.loaded_fully


def test_unusable_index_falls_back_to_the_full_dictionary(monkeypatch):
    monkeypatch.setattr(fastcut, "_load_index", lambda extension: None)
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert engine.loaded_fully


def test_index_that_failed_its_check_is_not_used(monkeypatch, tmp_path):
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    monkeypatch.setattr(fastcut, "_agrees_with_rjieba", lambda *args: False)
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert engine.loaded_fully
    (index,) = (tmp_path / "textkit").glob("dict-*.sqlite")
    meta = dict(sqlite3.connect(index).execute("SELECT name, value FROM meta").fetchall())
    assert meta["verified"] == "0"
    assert int(meta["total"]) > 60_000_000  # jieba's dict.txt, every line counted once
    # The verdict is kept: the next run neither uses the index nor builds it again.
    monkeypatch.setattr(fastcut, "_build_index", None)
    again = FastEngine()
    assert again.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert again.loaded_fully


def test_no_index_is_built_without_a_persistent_cache(monkeypatch, tmp_path):
    from textkit.io import cache

    (tmp_path / "not-a-dir").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "not-a-dir"))
    cache.cache_dir.cache_clear()
    assert not cache.cache_is_persistent()  # a temporary stand-in
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert engine.loaded_fully
    assert not list(cache.cache_dir().glob("dict-*"))


def test_engine_pickles_as_configuration():
    import pickle

    engine = FastEngine(limit=123)
    engine.cut("我爱北京")
    copy = pickle.loads(pickle.dumps(engine.cut))
    assert copy("我爱北京") == ["我", "爱", "北京"]
    assert copy.__self__.limit == 123


def test_index_is_checked_against_rjieba_when_built(monkeypatch, tmp_path):
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert not engine.loaded_fully
    (index,) = (tmp_path / "textkit").glob("dict-*.sqlite")
    assert index.stat().st_mode & 0o077 == 0  # in the private cache directory
    meta = dict(sqlite3.connect(index).execute("SELECT name, value FROM meta").fetchall())
    assert meta["verified"] == "1"


def test_corrupted_index_is_rebuilt(monkeypatch, tmp_path):
    from textkit.io import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    FastEngine().cut("我爱北京")
    (index,) = (tmp_path / "textkit").glob("dict-*.sqlite")
    index.write_bytes(b"not a database")
    engine = FastEngine()
    assert engine.cut("我爱北京天安门") == ["我", "爱", "北京", "天安门"]
    assert not engine.loaded_fully


SHORT_RUN = """
import sys
from textkit.cli import app
try:
    app(["keywords", sys.argv[1]])
except SystemExit:
    pass
print(sorted(m for m in sys.modules if m.startswith("rjieba")), file=sys.stderr)
"""


def test_short_keywords_run_does_not_build_the_full_dictionary():
    proc = subprocess.run(
        [sys.executable, "-c", SHORT_RUN, str(SAMPLES / "texts" / "news.txt")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert proc.stdout.count("\n") >= 5  # keywords were printed
    # Only the compiled module: the package's __init__ (which builds the whole dictionary)
    # never ran.
    assert proc.stderr.strip().splitlines()[-1] == "['rjieba.rjieba']"


def test_rjieba_imported_later_reuses_the_loaded_module():
    code = (
        "from textkit.text.fastcut import FastEngine; FastEngine().cut('我爱北京');"
        "import rjieba, sys; assert rjieba.Jieba is sys.modules['rjieba.rjieba'].Jieba;"
        "print(rjieba.cut('我爱北京'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "['我', '爱', '北京']"
