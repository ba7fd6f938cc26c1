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


class _FakeBar:
    """Stands in for rich's progress line: records what it would show."""

    shown: list[str] = []

    def __init__(self, *_args, **_kwargs) -> None:
        pass

    def start(self) -> None:
        pass

    def stop(self) -> None:
        pass

    def add_task(self, description, **_kwargs):
        _FakeBar.shown.append(description)
        return 0

    def update(self, _task, description=None, **_kwargs) -> None:
        _FakeBar.shown.append(description)


def _show_progress(monkeypatch):
    from textkit.io import terminal

    _FakeBar.shown = []
    monkeypatch.setattr(terminal.Reporter, "shows_progress", lambda self: True)
    monkeypatch.setattr(terminal, "_progress_bar", _FakeBar)
    monkeypatch.setattr(terminal, "PROGRESS_DELAY_S", 0.0)


def test_progress_inside_a_long_item_shows_in_the_line(monkeypatch):
    from textkit.io.terminal import Reporter

    _show_progress(monkeypatch)
    reporter = Reporter()

    def work():
        for i in range(2):
            reporter.part_done(250 * (i + 1), 1000)
            yield i

    assert list(reporter.progress(work(), "keywords")) == [0, 1]
    assert "keywords (25% of a long document)" in _FakeBar.shown
    assert "keywords (50% of a long document)" in _FakeBar.shown
    assert _FakeBar.shown[-1] == "keywords"  # back to the plain line after the item
    reporter.part_done(1, 2)  # no loop running: nothing to show, no error


def test_cli_keywords_reports_progress_through_a_long_document(monkeypatch, run):
    from textkit.keywords import batch, extractor

    _show_progress(monkeypatch)
    monkeypatch.setattr(extractor, "PROGRESS_CHARS", 300)
    monkeypatch.setattr(batch, "HUGE_TEXT", 300)
    text = "新能源汽车产业发展迅速，充电设施建设加快。\n" * 200
    result = run(["keywords", "-k", "3"], input=text)
    assert result.exit_code == 0
    parts = [s for s in _FakeBar.shown if s and "% of a long document" in s]
    assert parts and parts[-1] == "keywords (100% of a long document)"


def test_no_progress_line_once_the_whole_input_is_read(monkeypatch, tmp_path):
    """A small file after a slow start: its one document is all there is, so no line
    (it printed over the table on a terminal)."""
    from textkit.io.terminal import InputMeter, Reporter

    _show_progress(monkeypatch)
    small = tmp_path / "small.txt"
    small.write_text("很短的文本", encoding="utf-8")
    meter = InputMeter([str(small)], "*.txt")
    reporter = Reporter()
    documents = meter.watch(iter_documents([str(small)]))
    assert len(list(reporter.progress(documents, "tokenize", meter=meter))) == 1
    assert _FakeBar.shown == []
