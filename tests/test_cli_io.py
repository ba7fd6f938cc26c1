"""The I/O contract every command shares, exercised through `textkit tokenize`."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.conftest import pipe_two_lines
from textkit.io.writers import tsv_unescape

GBK_TOKENS = "今天天气 很 好 ， 我们 去 公园 散步 。\n公园 里 的 花都 开 了 ， 游客 很多 。\n"


def test_file(run, samples):
    result = run(["tokenize", samples / "encodings" / "gbk.txt"])
    assert result.exit_code == 0
    assert result.stdout == GBK_TOKENS
    assert result.stderr == ""


def test_utf8_bom_file(run, samples):
    path = samples / "encodings" / "utf8_bom.txt"
    result = run(["tokenize", path, "-f", "tsv"])
    assert result.exit_code == 0
    assert result.stdout == f"{path}\t带有 字节 顺序 标记 的 文件 也 能 正确 读取 。\n"


def test_directory_nested_and_non_matching(run, tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "b.txt").write_text("北京", encoding="utf-8")
    (tmp_path / "sub" / "deeper" / "a.txt").write_text("上海", encoding="utf-8")
    (tmp_path / "sub" / "notes.md").write_text("广州", encoding="utf-8")
    result = run(["tokenize", tmp_path, "-f", "tsv"])
    assert result.exit_code == 0
    assert result.stdout == (f"{tmp_path}/b.txt\t北京\n{tmp_path}/sub/deeper/a.txt\t上海\n")


def test_stdin_default_and_dash(run):
    assert run(["tokenize"], input="我爱北京").stdout == "我 爱 北京\n"
    result = run(["tokenize", "-", "-f", "jsonl"], input="我爱北京")
    assert json.loads(result.stdout) == {"source": "<stdin>", "tokens": ["我", "爱", "北京"]}


def test_lines_mode_sources(run):
    result = run(["tokenize", "--lines", "-f", "tsv"], input="你好\n\n世界\n")
    assert result.stdout == "<stdin>:1\t你好\n<stdin>:3\t世界\n"


def test_text_format_keeps_line_alignment(run):
    result = run(["tokenize"], input="你好\n\n世界\n")
    assert result.stdout == "你好\n\n世界\n"


def test_empty_file(run, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run(["tokenize", empty, "-f", "jsonl"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"source": str(empty), "tokens": []}


def test_binary_file_skipped_rest_processed(run, tmp_path):
    (tmp_path / "a.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "b.txt").write_text("北京", encoding="utf-8")
    result = run(["tokenize", tmp_path, "-f", "tsv"])
    assert result.exit_code == 1
    assert result.stdout == f"{tmp_path}/b.txt\t北京\n"
    assert result.stderr == (
        f"Warning: {tmp_path}/a.txt: binary file (contains NUL bytes), skipped (if it is "
        "UTF-16 or UTF-32 text without a byte-order mark, pass --encoding utf-16-le, "
        "utf-16-be or the like)\n"
        "textkit: 1 input(s) failed, 1 documents processed\n"
    )


@pytest.mark.parametrize(
    ("head", "said"),
    [
        (b"PK\x03\x04\x14\x00\x06\x00", "a ZIP archive (Excel .xlsx, Word .docx?), not text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", "an Office document (Excel .xls"),
        (b"\x1f\x8b\x08\x00\x00\x00", "gzip-compressed, not text, skipped (decompress it"),
    ],
)
def test_a_workbook_or_archive_is_named_as_such(run, tmp_path, head, said):
    # an Excel workbook was 'binary ... if it is UTF-16 ..., pass --encoding utf-16-le'
    data = tmp_path / "reviews.xlsx"
    data.write_bytes(head + b"rest\x00")
    result = run(["keywords", data])
    assert result.exit_code == 1
    assert said in result.stderr
    assert "UTF-16" not in result.stderr


def test_invalid_bytes_file(run, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"ok\n\xff\xfe\xfd")
    result = run(["tokenize", bad])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == (
        f"Warning: {bad}: neither UTF-8 nor GB18030 (line 2, byte 3) "
        "(it may not be a text file; if it is, pass its --encoding)"
    )
    assert "Traceback" not in result.stderr


def test_forced_encoding_and_unknown_encoding(run, samples):
    gbk = samples / "encodings" / "gbk.txt"
    assert run(["tokenize", gbk, "-e", "gbk"]).stdout == GBK_TOKENS
    result = run(["tokenize", gbk, "-e", "no-such-codec"])
    assert result.exit_code == 2
    assert "unknown encoding: no-such-codec" in result.stderr
    codec = run(["tokenize", gbk, "-e", "rot13"])  # a codec, but not one for bytes -> text
    assert codec.exit_code == 2 and "rot13 is not a text encoding" in codec.stderr


def test_utf16_without_bom_is_a_per_file_warning(run, samples, tmp_path):
    bare = tmp_path / "bare.txt"
    bare.write_bytes("你好\n".encode("utf-16-le"))
    result = run(["tokenize", "-e", "utf-16", "--lines", bare, samples / "texts"])
    assert result.exit_code == 1
    assert (
        f"Warning: {bare}:1: cannot decode as utf-16 (UTF-16 stream does not start with BOM)"
        in (result.stderr)
    )
    assert "Traceback" not in result.stderr


def test_missing_path(run, tmp_path):
    result = run(["tokenize", tmp_path / "nope.txt"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Warning: {tmp_path}/nope.txt: no such file or directory\n"
        "textkit: 1 input(s) failed, 0 documents processed\n"
    )


def test_empty_directory_match(run, tmp_path):
    (tmp_path / "x.md").write_text("x", encoding="utf-8")
    result = run(["tokenize", tmp_path])
    assert result.exit_code == 1
    assert f"{tmp_path}: no files match '*.txt' in this directory (try --glob '*')" in (
        result.stderr
    )


def test_quiet_keeps_only_summary(run, tmp_path):
    result = run(["tokenize", tmp_path / "nope.txt", "-q"])
    assert result.exit_code == 1
    assert result.stderr == "textkit: 1 input(s) failed, 0 documents processed\n"


def test_usage_error_exit_2(run):
    result = run(["tokenize", "--mode", "weird"])
    assert result.exit_code == 2
    result = run(["tokenize", "--pos", "--mode", "search"], input="x")
    assert result.exit_code == 2


def test_jsonl_with_pos_parses(run):
    result = run(["tokenize", "--pos", "-f", "jsonl"], input="我爱北京")
    assert json.loads(result.stdout) == {
        "source": "<stdin>",
        "tokens": ["我", "爱", "北京"],
        "pos": ["r", "v", "ns"],
    }
    assert run(["tokenize", "--pos"], input="我爱北京").stdout == "我/r 爱/v 北京/ns\n"


def test_tsv_escaping_round_trips(run):
    # A document (whole stdin) spanning lines: its TSV cell must stay on one line.
    result = run(["tokenize", "-f", "tsv", "--sep", "\t", "--header"], input="你好\n世界")
    lines = result.stdout.splitlines()
    assert lines[0] == "source\ttokens"
    source, tokens = lines[1].split("\t")
    assert (source, tsv_unescape(tokens)) == ("<stdin>", "你好\t世界")


def test_csv_output_parses(run):
    result = run(["tokenize", "--lines", "-f", "csv"], input="你好,朋友\n")
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [["source", "tokens"], ["<stdin>:1", "你好 , 朋友"]]


def test_table_output(run):
    result = run(["tokenize", "--lines", "-f", "table"], input="你好\n")
    assert result.exit_code == 0
    assert "<stdin>:1" in result.stdout and "你好" in result.stdout


def test_output_file_atomic_and_not_an_input(run, tmp_path):
    src = tmp_path / "in.txt"
    src.write_text("北京", encoding="utf-8")
    out = tmp_path / "out.tsv"
    result = run(["tokenize", src, "-o", out])
    assert result.exit_code == 0 and result.stdout == ""
    assert out.read_text(encoding="utf-8") == "北京\n"
    result = run(["tokenize", src, "-o", src])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {src}: the output file is also an input (choose another -o path)\n"
    )
    assert src.read_text(encoding="utf-8") == "北京"


def test_output_inside_an_input_directory(run, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("北京", encoding="utf-8")
    out = docs / "tokens.txt"
    assert run(["tokenize", docs, "-o", out]).exit_code == 0  # not there yet: not read
    again = run(["tokenize", docs, "-o", out])  # now the walk would read it, then replace it
    assert again.exit_code == 1
    assert again.stderr == (
        f"Error: {out}: the output file is also an input (it is in {docs}) "
        f"(choose a -o path outside {docs})\n"
    )
    assert out.read_text(encoding="utf-8") == "北京\n"
    tsv = docs / "tokens.tsv"  # a name the walk (*.txt) does not read is fine
    assert run(["tokenize", docs, "-o", tsv]).exit_code == 0
    assert run(["tokenize", docs, "-o", tsv]).exit_code == 0


def test_output_not_written_when_failing_midway(run, tmp_path, monkeypatch):
    src = tmp_path / "in.txt"
    src.write_text("北京\n上海\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    out.write_text("previous", encoding="utf-8")
    from textkit.text import tokenizer

    calls = {"n": 0}
    real_cut = tokenizer.Tokenizer.cut

    def failing_cut(self, text):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("disk on fire")
        return real_cut(self, text)

    monkeypatch.setattr(tokenizer.Tokenizer, "cut", failing_cut)
    result = run(["tokenize", src, "--lines", "-o", out])
    assert result.exit_code != 0
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.txt"]


def _textkit(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "textkit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_pipe_closed_early_is_quiet(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("北京欢迎你\n" * 50_000, encoding="utf-8")
    proc = subprocess.run(
        f"{sys.executable} -m textkit tokenize --lines --tokenizer fast {big} | head -1;"
        ' echo "status ${PIPESTATUS[0]}" >&2',
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.stdout == "北京 欢迎 你\n"
    # Quiet, and the status a shell reports for any tool that SIGPIPE ends (not 1).
    assert proc.stderr == "status 141\n"


def test_killed_mid_write_leaves_no_partial_file(tmp_path):  # SIGKILL: no cleanup possible
    big = tmp_path / "big.txt"
    big.write_text("北京欢迎你\n" * 400_000, encoding="utf-8")
    out = tmp_path / "out.txt"
    proc = _textkit("tokenize", "--lines", "--tokenizer", "fast", str(big), "-o", str(out))
    # Wait until the temporary file exists, i.e. the write is under way, then kill hard.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
        p.name.startswith(".out.txt.") for p in tmp_path.iterdir()
    ):
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert not out.exists()


def test_python_dash_m_entry_point():
    proc = subprocess.run(
        [sys.executable, "-m", "textkit", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0 and proc.stdout.startswith("textkit ")


def test_output_is_utf8_whatever_the_locale(tmp_path):
    src = tmp_path / "emoji.txt"
    src.write_text("北京😀", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": "gbk"}  # a GBK locale, say; 😀 is not in GBK
    proc = subprocess.run(
        [sys.executable, "-m", "textkit", "tokenize", str(src)], capture_output=True, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8") == "北京 😀\n"


@pytest.mark.parametrize("fmt", ["text", "jsonl"])
def test_lines_from_a_pipe_come_out_as_they_come(fmt):
    """`tail -f log | textkit tokenize --lines`: each line's output before the next line
    is even written."""
    first, rest = pipe_two_lines(["tokenize", "--lines", "-f", fmt], "北京欢迎你", "上海")
    assert ("北京 欢迎 你" if fmt == "text" else '"tokens": ["北京", "欢迎", "你"]') in first
    assert "上海" in rest


def _wait_for_temp(directory, prefix, proc, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        if any(p.name.startswith(prefix) for p in directory.iterdir()):
            return True
        time.sleep(0.05)
    return False


def _interruptible() -> None:
    """A job a shell starts in the background (a CI runner, ``cmd &``) has SIGINT ignored,
    and its children inherit that: Ctrl-C at a terminal is SIGINT's default action."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_sigterm_and_ctrl_c_leave_old_output_and_exit_codes(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("北京欢迎你\n" * 400_000, encoding="utf-8")
    out = tmp_path / "out.txt"
    for sig, code, word in (
        (signal.SIGTERM, 143, "terminated"),
        (signal.SIGINT, 130, "interrupted"),
    ):
        out.write_text("old", encoding="utf-8")
        proc = _textkit(
            "tokenize", "--lines", "--tokenizer", "fast", str(big), "-o", str(out),
            preexec_fn=_interruptible,
        )  # fmt: skip
        assert _wait_for_temp(tmp_path, ".out.txt.", proc)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
        # Now and then CPython ends the process by SIGINT itself after textkit has cleaned
        # up, printed its line and asked for 130; a shell reports both as status 130.
        assert proc.returncode == code or (sig == signal.SIGINT and proc.returncode == -sig)
        assert stderr.decode().strip() == f"textkit: {word}"
        assert out.read_text(encoding="utf-8") == "old"
        assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out.txt.")]


def test_jobs_output_identical_to_serial(run, tmp_path):
    corpus = tmp_path / "c.txt"
    corpus.write_text("".join(f"第{i}行文本，北京欢迎你\n\n" for i in range(600)), encoding="utf-8")
    serial = run(["tokenize", corpus, "--lines", "-f", "jsonl"])
    parallel = run(["tokenize", corpus, "--lines", "-f", "jsonl", "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) == 600
    text_serial = run(["tokenize", corpus])
    assert run(["tokenize", corpus, "-j", "2"]).stdout == text_serial.stdout
    assert len(text_serial.stdout.splitlines()) == 1200  # blank lines kept, aligned with input


def test_repeated_identical_lines_stay_separate_documents(run):
    result = run(["tokenize", "--lines", "-f", "tsv"], input="好\r好\n")
    assert result.stdout == "<stdin>:1\t好\n<stdin>:2\t好\n"


def test_tokenizer_default_from_environment(run, monkeypatch):
    text = "赞赞赞赞赞"  # rjieba's HMM splits this differently from jieba's
    jieba_out = run(["tokenize", "--tokenizer", "jieba"], input=text).stdout
    fast_out = run(["tokenize", "--tokenizer", "fast"], input=text).stdout
    assert jieba_out != fast_out  # the two backends segment this sentence differently
    monkeypatch.setenv("TEXTKIT_TOKENIZER", "fast")
    assert run(["tokenize"], input=text).stdout == fast_out
    assert run(["tokenize", "--tokenizer", "jieba"], input=text).stdout == jieba_out


def test_lines_of_utf8_and_gbk_in_one_file_are_each_read_once_noted(run, tmp_path):
    # with --lines the GBK lines were skipped, one warning each, exit 1
    data = tmp_path / "both.txt"
    data.write_bytes("北京欢迎你\n".encode() + "上海欢迎你\n".encode("gbk") * 2)
    result = run(["tokenize", "--lines", data])
    assert result.exit_code == 0
    assert result.stdout == "北京 欢迎 你\n上海 欢迎 你\n上海 欢迎 你\n"
    assert result.stderr == (
        f"Note: {data}: lines in UTF-8 and in GB18030/GBK: each line read in its own encoding\n"
    )
    forced = run(["tokenize", "--lines", "--encoding", "utf-8", data])
    assert forced.exit_code == 1
    assert forced.stdout == "北京 欢迎 你\n"


@pytest.mark.parametrize("lines", [[], ["--lines"]])
def test_tab_separated_lines_read_as_plain_text_are_noted(run, tmp_path, lines):
    """A THUCNews-style .txt (title<TAB>label) was tokenized, summarized, counted with each
    line's label as part of its text, and nothing said so."""
    data = tmp_path / "titles.txt"
    data.write_text("国足主帅赛后表示\t体育\n央行宣布降准\t财经\n新款手机发布\t科技\n", "utf-8")
    result = run(["tokenize", *lines, data])
    assert result.exit_code == 0 and result.stdout.splitlines()[0].endswith(" 体育")
    assert result.stderr == (
        f"Note: {data}: every line holds the same number of tab-separated columns: read as "
        "plain text, every column part of the text (--data-format tsv reads its rows)\n"
    )
    assert run(["tokenize", *lines, "--data-format", "text", data]).stderr == ""
    ragged = "第一行\t有制表符\n第二行没有\n第三行\t也有\n第四行\n"  # tabs in prose
    assert run(["tokenize", *lines], input=ragged).stderr == ""


@pytest.mark.parametrize("lines", [[], ["--lines"]])
def test_a_table_read_as_plain_text_is_noted(run, tmp_path, lines):
    # cat reviews.csv | textkit keywords: one document, its header a keyword, without a word
    table = "label,review\n1,送餐很快\n0,太难吃了\n"
    result = run(["tokenize", *lines], input=table)
    assert result.exit_code == 0
    assert result.stderr == (
        "Note: <stdin>: its first line reads as a CSV header naming a text column: read as "
        "plain text (--data-format csv reads its rows)\n"
    )
    assert run(["tokenize", "--data-format", "text"], input=table).stderr == ""
    prose = "评论, 内容 我们都喜欢\n第二行, 还是文本\n"  # commas in prose, no column names
    assert run(["tokenize"], input=prose).stderr == ""
