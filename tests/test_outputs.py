"""Output writers and atomic file writing."""

from __future__ import annotations

import csv
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textkit.errors import OutputError
from textkit.io.writers import RecordWriter, atomic_write, tsv_escape, tsv_unescape


@given(st.text())
def test_tsv_escape_round_trips_and_stays_one_cell(value):
    escaped = tsv_escape(value)
    assert "\t" not in escaped and "\n" not in escaped and "\r" not in escaped
    assert tsv_unescape(escaped) == value


def write(fmt, rows, obj=None, header=False):
    buf = io.StringIO()
    RecordWriter(buf, fmt, ["source", "value"], header=header).write(rows, obj)
    return buf.getvalue()


def test_tsv_rows_header_and_escaping():
    assert write("tsv", [("a\tb", 0.5)]) == "a\\tb\t0.5\n"
    assert write("tsv", [("a", 1)], header=True) == "source\tvalue\na\t1\n"


@given(st.lists(st.one_of(st.text(), st.integers(), st.floats(allow_nan=False)), min_size=1))
def test_tsv_row_is_one_line_whose_cells_round_trip(row):
    out = write("tsv", [row])
    assert out.endswith("\n") and out.count("\n") == 1 and "\r" not in out
    cells = out[:-1].split("\t")
    assert [tsv_unescape(c) for c in cells] == [
        v if isinstance(v, str) else f"{v:.6g}" if isinstance(v, float) else str(v) for v in row
    ]


def test_csv_has_header_and_quotes():
    out = write("csv", [("a,b", "x\ny")])
    assert list(csv.reader(io.StringIO(out))) == [["source", "value"], ["a,b", "x\ny"]]


def test_jsonl_is_utf8_not_escaped():
    out = write("jsonl", [], {"source": "中文", "n": 1})
    assert out == '{"source": "中文", "n": 1}\n'
    assert json.loads(out) == {"source": "中文", "n": 1}


def test_table_contains_cells():
    out = write("table", [("doc", "词语")])
    assert "doc" in out and "词语" in out and "source" in out


def test_atomic_write_replaces_only_on_success(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as handle:
        handle.write("partial")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]  # temp file cleaned up
    with atomic_write(target) as handle:
        handle.write("new")
    assert target.read_text(encoding="utf-8") == "new"


def test_atomic_write_keeps_a_symlink_and_the_mode(tmp_path):
    real = tmp_path / "real.txt"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    with atomic_write(link) as handle:
        handle.write("new")
    assert link.is_symlink() and real.read_text(encoding="utf-8") == "new"
    assert real.stat().st_mode & 0o777 == 0o640


def test_atomic_write_writes_into_a_fifo(tmp_path):
    import os
    import threading

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    got: list[str] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_text(encoding="utf-8")))
    reader.start()
    with atomic_write(fifo) as handle:
        handle.write("through the pipe")
    reader.join(10)
    assert got == ["through the pipe"]
    assert fifo.is_fifo() and [p.name for p in tmp_path.iterdir()] == ["fifo"]


def test_table_shows_brackets_as_they_are():
    out = write("table", [("notes[draft].txt", "[bold]北京[/bold]")])
    assert "notes[draft].txt" in out and "[bold]北京[/bold]" in out


def test_atomic_write_to_directory_is_an_error(tmp_path):
    with pytest.raises(OutputError, match="is a directory"), atomic_write(tmp_path):
        pass


@pytest.mark.parametrize("fmt", ["tsv", "csv", "jsonl"])
def test_render_is_what_the_writer_writes(fmt):
    from textkit.io.writers import render

    rows = [("a\tb", 1, 0.25), ("中文", 2, "x,y")]
    obj = {"source": "a\tb", "rows": 2}
    buf = io.StringIO()
    writer = RecordWriter(buf, fmt, ["source", "rank", "value"])
    start = len(buf.getvalue())  # the CSV header
    writer.write(rows, obj)
    assert buf.getvalue()[start:] == render(fmt, rows, obj)
    writer.write_encoded(render(fmt, rows, obj).encode())
    assert buf.getvalue()[start:] == 2 * render(fmt, rows, obj)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030"])
def test_write_encoded_keeps_order_and_the_stream_encoding(encoding):
    """UTF-8 bytes from a worker go straight under a UTF-8 stream, after what the text
    layer still holds; any other stream gets them re-encoded."""
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding=encoding, newline="")
    writer = RecordWriter(stream, "tsv", ["source", "word"])
    writer.write([("a", "新闻")])
    writer.write_encoded("b\t汽车\n".encode())
    writer.write([("c", "手机")])
    stream.flush()
    assert raw.getvalue().decode(encoding) == "a\t新闻\nb\t汽车\nc\t手机\n"
    plain = io.StringIO()
    RecordWriter(plain, "tsv", ["source", "word"]).write_encoded("b\t汽车\n".encode())
    assert plain.getvalue() == "b\t汽车\n"


def test_table_has_one_header_and_no_styling_without_colour():
    from textkit.io.writers import RecordWriter

    stream = io.StringIO()
    writer = RecordWriter(stream, "table", ["source", "value"])
    writer.write([("a.txt", "词语")])
    writer.write([("b.txt", "句子")])
    out = stream.getvalue()
    assert out.count("source") == 1 and "a.txt" in out and "b.txt" in out
    assert "\x1b[" not in out  # no bold header codes when colour is off (NO_COLOR)


def test_table_rows_of_later_documents_line_up_under_the_header():
    stream = io.StringIO()
    writer = RecordWriter(stream, "table", ["source", "rank", "keyword"])
    writer.write([("long/path/news.txt", 1, "新能源汽车")])
    writer.write([("a.txt", 1, "充电")])
    lines = stream.getvalue().splitlines()
    bars = {tuple(i for i, ch in enumerate(line) if ch in "┃│╇") for line in lines}
    assert len(bars) == 1, lines  # every line has its column rules at the same places


@given(st.lists(st.integers(1, 300), min_size=1, max_size=8), st.integers(0, 400))
def test_fit_widths_narrows_the_widest_columns_only(widths, room):
    from textkit.io.writers import fit_widths

    fitted = fit_widths(widths, room)
    assert len(fitted) == len(widths) and all(
        1 <= f <= w for f, w in zip(fitted, widths, strict=True)
    )
    if sum(widths) <= room:
        assert fitted == widths
        return
    assert sum(fitted) <= max(room, len(widths))
    cap = max(fitted)
    # A column narrower than the common width stays whole; the cut ones differ by one at most.
    assert all(f == w for f, w in zip(fitted, widths, strict=True) if w < cap - 1)
    cut = [f for f, w in zip(fitted, widths, strict=True) if f < w]
    assert not cut or max(fitted) - min(cut) <= 1


def test_table_cells_cut_to_the_terminal_end_with_an_ellipsis(monkeypatch):
    from rich.cells import cell_len

    monkeypatch.setenv("COLUMNS", "40")
    stream = io.StringIO()
    sentence = "在昨晚结束的联赛焦点战中，主队凭借下半场的两粒进球逆转取胜。"
    RecordWriter(stream, "table", ["source", "rank", "sentence"]).write([("a.txt", 1, sentence)])
    lines = stream.getvalue().splitlines()
    assert all(cell_len(line) <= 40 for line in lines)
    row = [cell.strip() for cell in lines[-1].split("│")]
    assert row[:2] == ["a.txt", "1"]  # narrow columns stay whole
    assert row[2].endswith("…") and sentence.startswith(row[2][:-1].strip())


def test_output_file_extension_chooses_the_format(run, samples, tmp_path):
    """-o out.csv wrote TSV."""
    out = tmp_path / "out.csv"
    assert run(["keywords", samples / "texts" / "news.txt", "-k", "1", "-o", out]).exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[0] == "source,rank,keyword,weight"
    jsonl = tmp_path / "out.jsonl"
    run(["keywords", samples / "texts" / "news.txt", "-k", "1", "-o", jsonl])
    assert json.loads(jsonl.read_text(encoding="utf-8"))["keywords"][0]["keyword"] == "新能源汽车"
    plain = tmp_path / "out.txt"  # any other name: TSV, as on a pipe
    run(["keywords", samples / "texts" / "news.txt", "-k", "1", "-o", plain])
    assert plain.read_text(encoding="utf-8").count("\t") == 3


def test_a_column_of_numbers_is_never_cut_on_a_narrow_terminal(monkeypatch):
    """At 40 columns a score was cut to 0.290… (a number that reads as another)."""
    monkeypatch.setenv("COLUMNS", "40")
    stream = io.StringIO()
    columns = ["source", "rank", "position", "score", "sentence"]
    writer = RecordWriter(stream, "table", columns)
    writer.write([("samples/articles/waste.txt", 1, 0, 0.144112, "本市生活垃圾分类")])
    row = [cell.strip() for cell in stream.getvalue().splitlines()[-1].split("│")]
    assert row[1:4] == ["1", "0", "0.144112"]
    assert row[0].endswith("…") and row[4].endswith("…")


@given(
    st.lists(st.tuples(st.integers(1, 300), st.booleans()), min_size=1, max_size=8),
    st.integers(0, 400),
)
def test_fit_widths_keeps_whole_columns_whole_when_they_fit(columns, room):
    from textkit.io.writers import fit_widths

    widths = [w for w, _ in columns]
    whole = [k for _, k in columns]
    fitted = fit_widths(widths, room, whole)
    assert all(1 <= f <= w for f, w in zip(fitted, widths, strict=True))
    if sum(w for w, k in columns if k) + whole.count(False) <= room:
        assert all(f == w for f, w, k in zip(fitted, widths, whole, strict=True) if k)
        assert sum(fitted) <= room


def test_newwords_output_file_extension_chooses_the_format(run, tmp_path):
    """-o words.tsv wrote a user dictionary ('word freq nz'), as for any other name."""
    from test_newwords import PLANTED, planted_corpus

    lines = planted_corpus()
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(lines) + "\n", "utf-8")
    tsv, jsonl, plain = tmp_path / "w.tsv", tmp_path / "w.jsonl", tmp_path / "w.txt"
    for out in (tsv, jsonl, plain):
        assert run(["newwords", "--lines", corpus, "-k", "1", "-o", out]).exit_code == 0
    assert tsv.read_text("utf-8").split("\t")[0] in PLANTED
    assert len(tsv.read_text("utf-8").split("\t")) == 5  # word, count, cohesion, freedom, score
    assert json.loads(jsonl.read_text("utf-8"))["word"] in PLANTED
    assert plain.read_text("utf-8").split()[0] in PLANTED
    assert plain.read_text("utf-8").rstrip("\n").endswith(" nz")
    dict_tsv = tmp_path / "d.tsv"  # --format still wins
    run(["newwords", "--lines", corpus, "-k", "1", "-f", "dict", "-o", dict_tsv])
    assert dict_tsv.read_text("utf-8") == plain.read_text("utf-8")


def test_newwords_writes_csv_as_the_other_commands_do(run, tmp_path):
    # -o words.csv wrote 'word freq nz' lines into a .csv; -f csv was a usage error
    from test_newwords import PLANTED, planted_corpus

    corpus = tmp_path / "corpus.txt"
    corpus.write_text("\n".join(planted_corpus()) + "\n", "utf-8")
    out = tmp_path / "w.csv"
    assert run(["newwords", "--lines", corpus, "-k", "1", "-o", out]).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text("utf-8"))))
    assert rows[0] == ["word", "count", "cohesion", "freedom", "score"]
    assert rows[1][0] in PLANTED
    piped = run(["newwords", "--lines", corpus, "-k", "1", "-f", "csv"])
    assert piped.stdout == out.read_text("utf-8")


def test_tokenize_output_file_named_jsonl_or_csv_gets_that_format(run, tmp_path):
    # -o tokens.jsonl held lines of tokens, no JSON; a .txt or .tsv still gets token lines
    data = tmp_path / "a.txt"
    data.write_text("我爱北京\n", encoding="utf-8")
    out = {ext: tmp_path / f"t.{ext}" for ext in ("jsonl", "csv", "txt", "tsv")}
    for path in out.values():
        assert run(["tokenize", data, "-o", path]).exit_code == 0
    assert json.loads(out["jsonl"].read_text("utf-8"))["tokens"] == ["我", "爱", "北京"]
    assert next(csv.reader(io.StringIO(out["csv"].read_text("utf-8")))) == ["source", "tokens"]
    assert out["txt"].read_text("utf-8") == out["tsv"].read_text("utf-8") == "我 爱 北京\n"


@pytest.mark.parametrize("command", [["tokenize"], ["summarize", "-n", "1"]])
def test_dash_output_is_stdout(run, tmp_path, monkeypatch, command):
    """`-o -` wrote a file named `-` in the working directory, and printed nothing."""
    monkeypatch.chdir(tmp_path)
    result = run([*command, "-o", "-"], input="我爱北京天安门。\n")
    assert result.exit_code == 0, result.stderr
    assert "北京" in result.stdout and not (tmp_path / "-").exists()


def test_dash_is_refused_where_stdout_is_taken(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = tmp_path / "d.tsv"
    data.write_text("很好吃\tpos\n太难吃了\tneg\n好吃\tpos\n难吃\tneg\n", encoding="utf-8")
    train = run(["train-lr", data, "-o", "-"])
    assert train.exit_code == 2 and "a model is written to a file" in train.stderr
    assert run(["train-lr", data, "-o", "m.model", "--min-df", "1"]).exit_code == 0
    evaluate = run(["evaluate", "-m", "m.model", data, "--errors", "-"])
    assert evaluate.exit_code == 2 and "the report is on stdout" in evaluate.stderr
    assert not (tmp_path / "-").exists()
