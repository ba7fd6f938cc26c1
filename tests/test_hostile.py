"""Hostile and unusual input: every case gets a defined result, never a traceback or hang."""

from __future__ import annotations

import builtins
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from textkit.io.sources import STDIN_NAME

WEIRD_TEXTS = [
    "控制\x01字符\x07在\x1b文本中",
    "表情😀🎉👨‍👩‍👧在句子里😀",
    "组合字符 e\u0301 a\u0308 和汉字",
    "עברית ومن العربية 混合 RTL \u202e反转\u202c",
    "字" * 10_000,  # a 10,000-character "word" with no separators
    "，。！？；：" * 100,
]


def _mixed_directory(root):
    """Good files, a binary file, an undecodable file and an unreadable one."""
    (root / "sub").mkdir()
    good = {
        root / "a.txt": "北京欢迎你。新能源汽车发展迅速，新能源汽车销量增长。",
        root / "sub" / "b.txt": "今天天气很好，我们去公园散步。",
        root / "c.txt": "",
    }
    for path, text in good.items():
        path.write_text(text, encoding="utf-8")
    (root / "binary.txt").write_bytes(b"\x00\x01binary\x00")
    (root / "latin1.txt").write_bytes(b"\xe9t\xe9 \xe0 la caf\xe9 cr\xe8me")
    (root / "locked.txt").write_text("秘密", encoding="utf-8")
    failing = {str(root / "binary.txt"), str(root / "latin1.txt"), str(root / "locked.txt")}
    return {str(p) for p in good}, failing


@pytest.fixture
def deny_locked(monkeypatch):
    """Tests run as root, where chmod 000 does not stop a read: refuse the open instead
    (both kinds: open() and the bare descriptors small files are read through)."""

    def guarded(real_open):
        def guarded_open(file, *args, **kwargs):
            if str(file).endswith("locked.txt"):
                raise PermissionError(13, "Permission denied", str(file))
            return real_open(file, *args, **kwargs)

        return guarded_open

    monkeypatch.setattr(builtins, "open", guarded(builtins.open))
    monkeypatch.setattr(os, "open", guarded(os.open))


@pytest.fixture(scope="module")
def review_model(tmp_path_factory):
    from typer.testing import CliRunner

    from textkit.cli import app

    model = tmp_path_factory.mktemp("model") / "reviews.model"
    data = str(Path(__file__).resolve().parent.parent / "samples" / "labeled" / "reviews.tsv")
    assert CliRunner().invoke(app, ["train-lr", data, "-o", str(model), "-q"]).exit_code == 0
    return model


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("command", ["tokenize", "keywords", "classify"])
def test_nothing_lost_over_a_mixed_directory(
    run, tmp_path, deny_locked, review_model, command, jobs
):
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    good, failing = _mixed_directory(inputs)
    model_args = ["-m", review_model] if command == "classify" else []
    result = run([command, *model_args, inputs, "-f", "jsonl", "-j", jobs])
    assert result.exit_code == 1
    out_sources = {json.loads(line)["source"] for line in result.stdout.splitlines()}
    warned = {
        line.removeprefix("Warning: ").split(": ")[0]
        for line in result.stderr.splitlines()
        if line.startswith("Warning: ") and "empty document(s)" not in line
    }
    assert out_sources == good
    assert warned == failing
    assert out_sources | warned == good | failing
    assert "Permission denied" in result.stderr
    assert result.stderr.splitlines()[-1] == "textkit: 3 input(s) failed, 3 documents processed"
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("text", WEIRD_TEXTS, ids=range(len(WEIRD_TEXTS)))
def test_weird_text_tokenize_and_keywords(run, text):
    tok = run(["tokenize", "-f", "jsonl"], input=text)
    assert tok.exit_code == 0, tok.stderr
    tokens = json.loads(tok.stdout)["tokens"]
    assert "".join(tokens) == "".join(ch for ch in text if not ch.isspace())
    kw = run(["keywords", "-f", "jsonl", "-k", "3"], input=text)
    assert kw.exit_code == 0, kw.stderr
    found = json.loads(kw.stdout)
    assert found["source"] == STDIN_NAME
    assert all(
        k["keyword"] in text.replace(" ", "") or " " in k["keyword"] for k in found["keywords"]
    )


def test_hundred_thousand_tiny_files(run, tmp_path):
    root = tmp_path / "many"
    root.mkdir()
    for i in range(100_000):
        (root / f"{i:06d}.txt").write_bytes(b"x")
    result = run(["tokenize", root, "-f", "tsv", "--tokenizer", "fast"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) == 100_000
    assert lines[0] == f"{root}/000000.txt\tx" and lines[-1] == f"{root}/099999.txt\tx"


def test_stdin_cut_mid_character(run):
    data = "完整的行\n被截断的".encode()[:-1]  # the producer stopped inside a character
    result = run(["tokenize", "--lines", "-f", "tsv"], input=data)
    assert result.exit_code == 0
    assert result.stdout == "<stdin>:1\t完整 的 行\n<stdin>:2\t被 截断 \ufffd\n"
    assert "<stdin>:2: 1 invalid byte sequence(s) replaced with U+FFFD" in result.stderr
    strict = run(["tokenize", "--lines", "-f", "tsv", "--encoding-errors", "strict"], input=data)
    assert strict.exit_code == 1 and strict.stdout == "<stdin>:1\t完整 的 行\n"
    assert "<stdin>:2: cannot decode as utf-8" in strict.stderr


def test_stdin_closed_immediately():
    proc = subprocess.run(
        [sys.executable, "-m", "textkit", "keywords", "-f", "jsonl"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"source": "<stdin>", "keywords": []}


def test_large_single_line_document(run, tmp_path):
    # 8 MB on one line (the 100 MB case is run by hand: see README, Reliability).
    big = tmp_path / "big.txt"
    sentence = "新能源汽车销量持续增长，充电桩建设加快。"
    big.write_text(sentence * 140_000, encoding="utf-8")
    result = run(["keywords", big, "-k", "3", "--no-weights"])
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    # Two phrases cover the sentence's words (新能源汽车销量持续增长, 充电桩建设).
    assert len(rows) >= 2
    assert [r[:2] for r in rows] == [[str(big), str(rank)] for rank in range(1, len(rows) + 1)]
    words = [r[2] for r in rows]
    assert all(w in sentence for w in words)
    assert not [(a, b) for a in words for b in words if a != b and a in b]  # distinct


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_in_a_directory_is_not_read(run, tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")  # opening it would block forever
    (tmp_path / "ok.txt").write_text("好", encoding="utf-8")
    result = run(["tokenize", tmp_path, "-f", "tsv"])
    assert result.stdout == f"{tmp_path}/ok.txt\t好\n"


def test_long_line_is_tokenized_in_blocks_with_the_same_output(run, tmp_path, monkeypatch):
    from textkit.text import tokenizer

    text = "新能源汽车销量持续增长，充电桩建设加快。" * 300
    whole = run(["tokenize"], input=text).stdout
    monkeypatch.setattr(tokenizer, "BLOCK_CHARS", 100)
    monkeypatch.setattr(tokenizer.split_blocks, "__defaults__", (100,))
    blocked = run(["tokenize"], input=text)
    assert blocked.stdout == whole
    assert blocked.stdout.count("\n") == 1


def test_labels_with_tabs_and_newlines_round_trip(run, tmp_path):
    import csv

    data = tmp_path / "odd.csv"
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "label"])
        for i in range(6):
            writer.writerow([f"好吃好吃{i}", "good\tfood"])
            writer.writerow([f"难吃难吃{i}", "bad\nfood"])
    model = tmp_path / "m.model"
    assert run(["train-lr", data, "-o", model, "-q"]).exit_code == 0
    result = run(["classify", "-m", model, "--lines", "-f", "tsv"], input="好吃好吃\n难吃难吃\n")
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [(r[0], r[1]) for r in rows] == [
        ("<stdin>:1", "good\\tfood"),
        ("<stdin>:2", "bad\\nfood"),
    ]
    as_json = run(["classify", "-m", model, "-f", "jsonl"], input="难吃难吃")
    assert json.loads(as_json.stdout)["label"] == "bad\nfood"
    evaluated = run(["evaluate", "-m", model, data, "--format", "json"])
    assert evaluated.exit_code == 0
    assert json.loads(evaluated.stdout)["accuracy"] == 1.0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_nothing_lost_augment(run, tmp_path, deny_locked, jobs):
    # Plain-text augment output has no source column: with -n 0 each readable document is
    # written back once, in input order, so the lines must be exactly the good documents.
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    good, failing = _mixed_directory(inputs)
    result = run(["augment", inputs, "-n", "0", "-j", jobs])
    assert result.exit_code == 1
    expected = [Path(p).read_text(encoding="utf-8") for p in sorted(good)]
    assert result.stdout.split("\n")[:-1] == expected
    warned = {
        line.removeprefix("Warning: ").split(": ")[0]
        for line in result.stderr.splitlines()
        if line.startswith("Warning: ") and "empty document(s)" not in line
    }
    assert warned == failing
