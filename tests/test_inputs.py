"""The document reader: paths, directories, encodings, lines, failures."""

from __future__ import annotations

import os
import sys

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from textkit.errors import (
    BinaryInputError,
    DecodeError,
    InputError,
    LooksTabular,
    MissingInputError,
)
from textkit.io.readers import (
    Document,
    block_documents,
    decode_bytes,
    iter_documents,
    iter_sources,
    iter_units,
    split_lines,
    units_size,
)


def collect(paths, **kwargs):
    failures: list[InputError] = []
    docs = list(iter_documents(paths, on_error=failures.append, **kwargs))
    return docs, failures


def test_file_is_one_document(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("第一行\n第二行\n", encoding="utf-8")
    docs, failures = collect([str(f)])
    assert docs == [Document(str(f), "第一行\n第二行\n")]
    assert failures == []


def test_lines_mode_skips_blank_lines_and_numbers_sources(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes("一\r\n\n  \n二\r三\n".encode())
    docs, _ = collect([str(f)], lines=True)
    assert docs == [Document(f"{f}:1", "一"), Document(f"{f}:4", "二"), Document(f"{f}:5", "三")]


def test_directory_walk_sorted_recursive_hidden_skipped_glob(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "z.txt").write_text("z", encoding="utf-8")
    (tmp_path / "a.txt").write_text("a", encoding="utf-8")
    (tmp_path / "c.md").write_text("c", encoding="utf-8")
    (tmp_path / ".hidden.txt").write_text("h", encoding="utf-8")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "x.txt").write_text("x", encoding="utf-8")
    assert list(iter_sources([str(tmp_path)])) == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b" / "z.txt"),
    ]
    assert list(iter_sources([str(tmp_path)], glob="*.md")) == [str(tmp_path / "c.md")]


def test_symlink_loop_is_walked_once(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "f.txt").write_text("f", encoding="utf-8")
    os.symlink(tmp_path, tmp_path / "d" / "loop")
    sources = list(iter_sources([str(tmp_path)]))
    assert sources == [str(tmp_path / "d" / "f.txt")]


def test_deep_nesting_does_not_recurse(tmp_path):
    deep = tmp_path
    for _ in range(150):
        deep = deep / "d"
        deep.mkdir()
    (deep / "x.txt").write_text("x", encoding="utf-8")
    # With a recursion limit below the depth, only an iterative walk can succeed.
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(120)
    try:
        sources = list(iter_sources([str(tmp_path)]))
    finally:
        sys.setrecursionlimit(limit)
    assert sources == [str(deep / "x.txt")]


def test_missing_path_and_empty_match_are_reported_not_raised(tmp_path):
    (tmp_path / "empty").mkdir()
    good = tmp_path / "g.txt"
    good.write_text("好", encoding="utf-8")
    docs, failures = collect([str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(good)])
    assert [d.text for d in docs] == ["好"]
    assert [type(f) for f in failures] == [MissingInputError, MissingInputError]
    assert "no such file" in str(failures[0])
    assert "no files match '*.txt'" in str(failures[1])


def test_without_handler_first_failure_raises(tmp_path):
    with pytest.raises(MissingInputError):
        list(iter_documents([str(tmp_path / "nope")]))


def test_auto_encoding_gbk_bom_binary_and_invalid():
    assert decode_bytes("中文".encode("gbk"), "x") == "中文"
    assert decode_bytes(b"\xef\xbb\xbf" + "中文".encode(), "x") == "中文"
    assert decode_bytes("中文".encode("utf-16"), "x") == "中文"
    with pytest.raises(BinaryInputError, match="x: binary file"):
        decode_bytes(b"ab\x00cd", "x")
    with pytest.raises(DecodeError, match="neither UTF-8 nor GB18030.*--encoding"):
        decode_bytes(b"ok\n\xff\xff\xff", "x")


def test_a_file_of_utf8_and_gbk_lines_is_read_line_by_line_with_a_notice():
    # two exports put together (cat a.txt b.txt) were refused whole: "neither UTF-8 nor GB18030"
    data = "第一行是UTF-8\n".encode() + "第二行是GBK编码\r\n".encode("gbk") + "第三行\n".encode()
    notices: list[InputError] = []
    assert decode_bytes(data, "x", on_notice=notices.append) == (
        "第一行是UTF-8\n第二行是GBK编码\r\n第三行\n"
    )
    assert [str(n) for n in notices] == [
        "x: lines in UTF-8 and in GB18030/GBK: each line read in its own encoding (the first "
        "GBK one: line 2)"
    ]
    assert not notices[0].is_failure
    # a flawed UTF-8 line is not taken for GBK (its reading has few GB2312 characters)
    cut = "菜很新鲜送餐也快了".encode()
    cut = cut[:13] + cut[14:]  # one byte lost: reads as GB18030 without error
    assert cut.decode("gb18030")
    flawed = "好吃，下次还来。\n".encode() + cut + b"\n"
    with pytest.raises(DecodeError):
        decode_bytes(flawed * 3, "x", errors="strict")
    with pytest.raises(DecodeError, match="cannot decode as utf-8"):
        decode_bytes(data, "x", encoding="utf-8")


def test_forced_encoding():
    assert decode_bytes("中文".encode("big5"), "x", encoding="big5") == "中文"
    with pytest.raises(DecodeError, match=r"x: cannot decode as utf-8 \(line 2"):
        decode_bytes(b"a\n\xff\xfe\xfd", "x", encoding="utf-8")
    with pytest.raises(DecodeError, match=r"x: 1 invalid byte sequence\(s\) for utf-8"):
        decode_bytes(b"a\n\xff", "x", encoding="utf-8", errors="strict")


def test_utf8_with_a_cut_last_character_is_read_with_one_notice(tmp_path):
    """A big UTF-8 file cut in the middle of its last character used to be refused whole
    ("neither UTF-8 nor GB18030"), with a hint at big5."""
    text = "今天天气很好，我们去公园散步。\n" * 20_000
    data = text.encode("utf-8") + "好".encode()[:2]
    f = tmp_path / "cut.txt"
    f.write_bytes(data)
    docs, failures = collect([str(f)])
    assert docs[0].text == text + "\ufffd"
    assert [str(e) for e in failures] == [
        f"{f}: 1 invalid byte sequence(s) for utf-8 replaced with U+FFFD (the first on line 20001)"
    ]
    assert not failures[0].is_failure  # a notice: the run still succeeds
    with pytest.raises(DecodeError, match="--encoding-errors replace"):
        decode_bytes(data, "x", errors="strict")


def test_short_inputs_are_told_apart_too():
    """A two-sentence Big5 file, and a four-character UTF-8 one cut in its last character,
    were read as GB18030 nonsense: too short for the checks."""
    notes: list = []
    cut = "你好世界".encode() + "界".encode()[:2]
    assert decode_bytes(cut, "x", on_notice=notes.append) == "你好世界\ufffd"
    assert len(notes) == 1 and "replaced with U+FFFD" in str(notes[0])
    with pytest.raises(DecodeError, match="--encoding-errors replace"):
        decode_bytes(cut, "x", errors="strict")
    big5 = "這家餐廳的櫃檯服務很好，我們明天再去公園散步吧。"
    assert decode_bytes(big5.encode("big5"), "x") == big5
    for tiny in ("今天天氣很好", "天氣", "好球\t體育"):  # were さぱぱ, ぱ...
        assert decode_bytes(tiny.encode("big5"), "x") == tiny
    for tiny in ("你好", "钱付了", "好", "你好，世界。"):
        assert decode_bytes(tiny.encode("gbk"), "x") == tiny
    simplified = "这家餐厅的服务很好，我们明天再去。"
    assert decode_bytes(simplified.encode("gbk"), "x") == simplified


def test_big5_is_not_read_as_gb18030(tmp_path):
    """Big5 byte pairs are valid GB18030 pairs: Big5 text decoded as nonsense before."""
    text = "這是一個繁體中文的句子，臺灣的櫃檯服務員說話很客氣。\n" * 3
    assert decode_bytes(text.encode("big5"), "x") == text
    f = tmp_path / "big5.txt"
    f.write_bytes(text.encode("big5"))
    docs, _ = collect([str(f)], lines=True)
    assert [d.text for d in docs] == text.splitlines()
    assert decode_bytes("这是简体中文的句子，我们今天去公园散步。".encode("gbk"), "x").startswith(
        "这是"
    )


def test_undecodable_file_hint_suggests_no_encoding_that_does_not_fit():
    latin1 = ("café déjà vu\n" * 50).encode("latin-1")  # neither UTF-8, GB18030 nor Big5
    with pytest.raises(DecodeError, match="neither UTF-8 nor GB18030") as info:
        decode_bytes(latin1, "x")
    assert "big5" not in str(info.value)
    with pytest.raises(DecodeError, match="may not be a text file"):
        decode_bytes(bytes(range(128, 256)) * 8, "x")


def test_lines_mode_replaces_a_stray_byte_with_a_notice(tmp_path):
    f = tmp_path / "stray.txt"
    f.write_bytes("好的\n".encode() + "也".encode() + b"\xff" + "好\n".encode())
    docs, notices = collect([str(f)], lines=True)
    assert [d.text for d in docs] == ["好的", "也\ufffd好"]
    assert [(n.source, n.is_failure) for n in notices] == [(f"{f}:2", False)]
    docs, failures = collect([str(f)], lines=True, errors="strict")
    assert [d.text for d in docs] == ["好的"]
    assert [(n.source, n.is_failure) for n in failures] == [(f"{f}:2", True)]


def test_lines_mode_reports_bad_line_and_keeps_the_rest(tmp_path):
    f = tmp_path / "mixed.txt"
    f.write_bytes("好的\n".encode() + b"\xff\xfe\xfa\n" + "也好\n".encode())
    docs, failures = collect([str(f)], lines=True)
    assert [d.source for d in docs] == [f"{f}:1", f"{f}:3"]
    assert [f.source for f in failures] == [f"{f}:2"]


def test_lines_mode_utf16_file(tmp_path):
    f = tmp_path / "u16.txt"
    f.write_bytes("甲\n乙\n".encode("utf-16"))
    docs, _ = collect([str(f)], lines=True)
    assert [d.text for d in docs] == ["甲", "乙"]


def test_lines_mode_gbk_file(samples):
    docs, failures = collect([str(samples / "encodings" / "gbk.txt")], lines=True)
    assert failures == []
    assert [d.text for d in docs] == [
        "今天天气很好，我们去公园散步。",
        "公园里的花都开了，游客很多。",
    ]


def test_split_lines_matches_file_line_reading():
    assert split_lines("a\r\nb\rc\n\nd") == ["a", "b", "c", "", "d"]


# Property: whatever the text, encoding it as UTF-8 or GB18030 reads back the same text.
_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200
)


@given(_text)
def test_utf8_round_trip(text):
    assert decode_bytes(text.encode("utf-8"), "x") == text.removeprefix("\ufeff")


def _reads_as_utf8(data: bytes) -> bool:
    """UTF-8, or UTF-8 text with a Chinese (3-byte) character cut in its last character:
    what auto-detection tries before GB18030."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        cut = exc.reason == "unexpected end of data" and exc.end == len(data)
        return cut and max(data[: exc.start].decode("utf-8"), default="\0") >= "\u0800"
    return True


# The Han characters of GB2312: what simplified Chinese text is written with (99%+ of its
# letters). A short run of rare characters (一一一一蓋覢) reads as Big5 by design.
_GB2312_HAN = [
    bytes([lead, trail]).decode("gb2312")
    for lead in range(0xB0, 0xF8)
    for trail in range(0xA1, 0xFF)
    if not (lead == 0xD7 and trail >= 0xFA)  # D7FA-D7FE hold no character
]


@given(st.text(st.sampled_from(_GB2312_HAN), min_size=1, max_size=200))
@example("一鎬")  # D2 BB E6 82: UTF-8 һ and a cut character, or GB18030 一鎬
def test_gb18030_round_trip_of_chinese(text):
    data = text.encode("gb18030")
    # A very short GBK text can also be UTF-8, whole or cut in its last character (鎬份 =
    # E6 82 B7 DD = 怷 and a cut character); auto picks UTF-8 then, by the documented
    # order. Every other GB18030 text must round-trip.
    assume(not _reads_as_utf8(data))
    assert decode_bytes(data, "x") == text


@given(_text)
def test_gb18030_forced_round_trip(text):
    assert decode_bytes(text.encode("gb18030"), "x", encoding="gb18030") == text.removeprefix(
        "\ufeff"
    )


_line = _text.filter(lambda t: "\n" not in t and "\r" not in t and not t.startswith("\ufeff"))


@given(st.lists(_line, max_size=20))
def test_lines_round_trip(tmp_path_factory, lines):
    # A .txt that starts with __label__ is fastText data by the documented rule.
    assume(not "\n".join(lines).lstrip().startswith("__label__"))
    f = tmp_path_factory.mktemp("lines") / "l.txt"
    f.write_bytes("\n".join(lines).encode("utf-8"))
    docs, failures = collect([str(f)], lines=True)
    assert [f for f in failures if not isinstance(f, LooksTabular)] == []  # a note may say tabs
    expected = [(i, t) for i, t in enumerate(lines, 1) if t.strip()]
    assert [(int(d.source.rsplit(":", 1)[1]), d.text) for d in docs] == expected


def _reference_lines(data: bytes, name: str, codec: str = "utf-8"):
    """Line by line, as the reader did before it read blocks: (documents, failures). A
    lone CR ends a line too: the lines after it are numbered on."""
    docs, failures = [], []
    raws = data.split(b"\n")
    if data.endswith(b"\n"):
        raws.pop()  # what iterating a binary file yields, without the newlines
    lineno = 1
    for raw in raws:
        first, lineno = lineno, lineno + 1 + raw.removesuffix(b"\r").count(b"\r")
        if b"\0" in raw:
            failures.append(f"{name}:{first}")
            continue
        try:
            line = raw.decode(codec)
        except UnicodeDecodeError:
            failures.append(f"{name}:{first}")
            continue
        line = line.rstrip("\r\n")
        for offset, part in enumerate(split_lines(line) if "\r" in line else [line]):
            if part.strip():
                docs.append((f"{name}:{first + offset}", part))
    return docs, failures


_pieces = st.sampled_from(
    [b"\xe6\x88\x91", b"ab", b" ", b"\n", b"\r", b"\r\n", b"\0", b"\xff", b"\xe6", b"\t", b"x"]
)


@pytest.mark.parametrize("block", [1, 3, 16, 1 << 20])
@given(data=st.lists(_pieces, min_size=1, max_size=40).map(b"".join))
def test_lines_read_in_blocks_as_line_by_line(tmp_path_factory, block, data):
    """Blocks decoded whole, or line by line when one has a NUL, a CR or a bad byte:
    the same documents, line numbers and failures as reading one line at a time."""
    assume(not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")))
    f = tmp_path_factory.mktemp("blocks") / "b.txt"
    f.write_bytes(data)
    failures: list = []
    # Blocks growing from `block` bytes, decoded as a worker process decodes them.
    units = iter_units(
        [str(f)], lines=True, encoding="utf-8", errors="strict", block_bytes=(block, 4 * block)
    )
    docs = [doc for unit in units for doc in block_documents(unit, failures.append)]
    want_docs, want_failures = _reference_lines(data, str(f))
    assert [(d.source, d.text) for d in docs] == want_docs
    assert [failure.source for failure in failures] == want_failures


def test_lines_of_an_old_mac_file_are_numbered_one_by_one(tmp_path):
    f = tmp_path / "mac.txt"
    f.write_bytes("第一行\r\r第三行\r\n第四行\n第五行\r第六行".encode())
    units = iter_units([str(f)], lines=True, block_bytes=(4, 8))
    docs = [doc for unit in units for doc in block_documents(unit, print)]
    name = str(f)
    assert [(d.source, d.text) for d in docs] == [
        (f"{name}:1", "第一行"),
        (f"{name}:3", "第三行"),
        (f"{name}:4", "第四行"),
        (f"{name}:5", "第五行"),
        (f"{name}:6", "第六行"),
    ]


@pytest.mark.parametrize("size", [0, 1, (1 << 16) - 1, 1 << 16, (1 << 16) + 1, 300_000])
def test_read_file_small_and_big(tmp_path, size):
    """Small files take the two-read path, larger ones the whole-file read: same bytes."""
    from textkit.io.sources import read_file as _read_file

    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    f = tmp_path / "f.bin"
    f.write_bytes(data)
    assert _read_file(str(f)) == data


def test_read_text_from_a_named_pipe(tmp_path):
    """A FIFO (what `<(zcat ...)` gives) delivers in pieces: read to its end."""
    import threading

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    text = "新能源汽车销量增长。\n" * 20_000  # several pipe buffers' worth

    def feed() -> None:
        with open(fifo, "wb") as pipe:
            data = text.encode()
            for start in range(0, len(data), 10_000):
                pipe.write(data[start : start + 10_000])
                pipe.flush()

    writer = threading.Thread(target=feed)
    writer.start()
    docs, failures = collect([str(fifo)])
    writer.join()
    assert failures == [] and [d.text for d in docs] == [text]


def test_units_size_counts_characters_of_documents_and_bytes_of_blocks(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("第一行\n第二行\n", encoding="utf-8")
    assert units_size(list(iter_units([str(f)]))) == len("第一行\n第二行\n")
    blocks = list(iter_units([str(f)], lines=True))
    assert units_size(blocks) == len("第一行\n第二行\n".encode()) == 20


def test_one_path_as_a_string_is_one_path(tmp_path):
    from textkit import iter_documents, load_stopwords

    doc = tmp_path / "doc.txt"
    doc.write_text("北京\n上海\n", encoding="utf-8")
    assert [d.text for d in iter_documents(str(doc), lines=True)] == ["北京", "上海"]
    assert load_stopwords(str(doc), use_default=False) == frozenset({"北京", "上海"})


def test_library_unknown_encoding_is_a_typed_error(tmp_path):
    from textkit import iter_documents, read_text
    from textkit.errors import ConfigError

    doc = tmp_path / "doc.txt"
    doc.write_text("北京", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown encoding: nosuch"):
        read_text(str(doc), encoding="nosuch")
    with pytest.raises(ConfigError, match="rot13 is not a text encoding"):
        list(iter_documents([str(doc)], encoding="rot13"))


def test_data_files_the_glob_leaves_out_are_named_not_silently_skipped(tmp_path, run):
    (tmp_path / "a.txt").write_text("这款热水器加热很快", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,label\n很好,1\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.jsonl").write_text('{"text": "好"}\n', encoding="utf-8")
    (tmp_path / "notes.md").write_text("x", encoding="utf-8")  # not data: no word about it
    notices: list[InputError] = []
    assert list(iter_sources([str(tmp_path)], on_error=notices.append)) == [str(tmp_path / "a.txt")]
    assert [type(n).__name__ for n in notices] == ["SkippedTables"]
    assert not notices[0].is_failure
    result = run(["keywords", tmp_path, "-k", "1"])
    assert result.exit_code == 0 and "a.txt" in result.stdout
    assert "2 .csv, .jsonl file(s) left out: --glob '*.txt'" in result.stderr
    assert "left out" not in run(["keywords", tmp_path, "-k", "1", "--glob", "*"]).stderr


def test_a_directory_of_data_files_only_says_what_it_holds(tmp_path):
    (tmp_path / "a.csv").write_text("text,label\n好,1\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"text": "好"}\n', encoding="utf-8")
    failures: list[InputError] = []
    assert list(iter_sources([str(tmp_path)], on_error=failures.append)) == []
    assert [str(f) for f in failures] == [
        f"{tmp_path}: no files match '*.txt' in this directory; it holds 2 .csv, .jsonl "
        "file(s) (try --glob '*')"
    ]


def test_reading_a_terminal_says_how_to_end_it(monkeypatch):
    import io

    from textkit.errors import TerminalInput
    from textkit.io.sources import iter_sources

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    notes: list = []
    monkeypatch.setattr("sys.stdin", Terminal("你好"))
    assert list(iter_sources(None, on_error=notes.append)) == ["-"]
    assert len(notes) == 1 and isinstance(notes[0], TerminalInput)
    assert not notes[0].is_failure and "Ctrl-D" in str(notes[0])
    assert list(iter_sources(None)) == ["-"]  # the default handler: no notice, no error
    monkeypatch.setattr("sys.stdin", io.StringIO("你好"))  # a pipe: nothing to say
    notes.clear()
    assert list(iter_sources(["-"], on_error=notes.append)) == ["-"] and not notes
