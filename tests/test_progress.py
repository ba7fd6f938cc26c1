"""Progress on a terminal: the input meter behind its percentage and time left."""

from __future__ import annotations

from textkit.io.readers import iter_documents, iter_units
from textkit.io.terminal import InputMeter


def test_meter_counts_line_blocks_whole_files_and_rows(tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_text("第一行\n第二行\n" * 1000, encoding="utf-8")
    whole = tmp_path / "whole.txt"
    whole.write_text("一篇文章。", encoding="utf-8")
    rows = tmp_path / "rows.csv"
    rows.write_text("id,text\n1,好吃\n2,难吃\n", encoding="utf-8")
    paths = [str(lines), str(whole), str(rows)]
    meter = InputMeter(paths, "*.txt")
    assert meter.total == sum(p.stat().st_size for p in (lines, whole, rows))
    list(meter.watch(iter_units([str(lines)], lines=True, block_bytes=(1024, 4096))))
    assert meter.done == lines.stat().st_size
    list(meter.watch(iter_documents([str(whole), str(rows)])))
    # Rows count their text as they come; the file's remaining bytes when the next starts.
    assert lines.stat().st_size + whole.stat().st_size < meter.done <= meter.total


def test_meter_has_no_total_for_stdin_or_a_directory_of_nothing(tmp_path):
    assert InputMeter(["-"], "*.txt").total is None
    assert InputMeter([str(tmp_path)], "*.txt").total == 0
