"""Writing results: one writer for every subcommand, and atomic file output.

A command hands the writer, per document, its flat rows (for table/TSV/CSV) and one JSON
object (for JSONL). Output order is the order of the calls, i.e. the input order.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

from textkit.errors import OutputError

FORMATS = ("table", "tsv", "jsonl", "csv")

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_TSV_UNESCAPES = {"\\": "\\", "t": "\t", "n": "\n", "r": "\r"}


# The format an output file's extension asks for (``-o result.csv``).
FORMAT_OF_SUFFIX = {".csv": "csv", ".tsv": "tsv", ".jsonl": "jsonl", ".json": "jsonl"}


def default_format(stream: IO[str]) -> str:
    """The format of ``-o FILE``'s extension (see :func:`atomic_write`), else ``table`` for a
    terminal, ``tsv`` for pipes and other files."""
    by_name = getattr(stream, "textkit_format", None)
    if by_name is not None:
        return str(by_name)
    try:
        return "table" if stream.isatty() else "tsv"
    except (AttributeError, ValueError):
        return "tsv"


def tsv_escape(value: str) -> str:
    """Escape backslash, tab, newline and carriage return so a field stays one TSV cell."""
    return value.translate(_TSV_ESCAPES)


def tsv_unescape(value: str) -> str:
    """Invert :func:`tsv_escape`."""
    if "\\" not in value:
        return value
    out: list[str] = []
    chars = iter(value)
    for ch in chars:
        if ch == "\\":
            nxt = next(chars, "")
            out.append(_TSV_UNESCAPES.get(nxt, "\\" + nxt))
        else:
            out.append(ch)
    return "".join(out)


def format_value(value: Any) -> str:
    """Render a cell: floats with 6 significant digits, everything else with str()."""
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)


_TSV_SPECIAL = re.compile(r"[\\\n\r]")


def _tsv_line(row: Sequence[Any]) -> str:
    """One TSV line. Fast path: join the cells and escape only if a cell needs it (most
    rows are plain words and numbers; this runs once per output row)."""
    cells = [v if type(v) is str else format_value(v) for v in row]
    line = "\t".join(cells)
    if line.count("\t") != len(cells) - 1 or _TSV_SPECIAL.search(line):
        line = "\t".join(map(tsv_escape, cells))
    return line + "\n"


def render(fmt: str, rows: Sequence[Sequence[Any]], obj: dict[str, Any] | None = None) -> str:
    """One document's output in a ``tsv``, ``csv`` or ``jsonl`` stream, as text: what
    :meth:`RecordWriter.write` writes. Workers call it so the writing process only copies."""
    if fmt == "tsv":
        return "".join(map(_tsv_line, rows))
    if fmt == "jsonl":
        return json.dumps(obj, ensure_ascii=False) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(
            [format_value(v) for v in row] for row in rows
        )
        return buffer.getvalue()
    raise ValueError(f"cannot render {fmt!r} ahead of writing")


class RecordWriter:
    """Write per-document results as table, TSV, CSV or JSONL to a text stream."""

    def __init__(
        self,
        stream: IO[str],
        fmt: str,
        columns: Sequence[str],
        *,
        header: bool = False,
        color: bool = False,
    ) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        self.stream = stream
        self.fmt = fmt
        self.columns = list(columns)
        self.color = color
        self._table_started = False
        self._widths: list[int] = []
        self._numbers: list[bool] = []  # columns that held only numbers so far
        # CSV always has a header (it is how CSV readers find columns); TSV only on request.
        if fmt == "csv":
            stream.write(render("csv", [self.columns]))
        elif fmt == "tsv" and header:
            stream.write(render("tsv", [self.columns]))  # escaped like the rows

    def write(self, rows: Sequence[Sequence[Any]], obj: dict[str, Any] | None = None) -> None:
        """Write one document's rows (flat formats) or its object (JSONL)."""
        if self.fmt == "table":
            self._write_table(rows)
        else:
            self.stream.write(render(self.fmt, rows, obj))

    def write_encoded(self, data: bytes) -> None:
        """Write UTF-8 output that :func:`render` made elsewhere (in a worker process):
        straight into the byte stream under a UTF-8 text stream, which saves decoding and
        re-encoding it here."""
        buffer = getattr(self.stream, "buffer", None)
        encoding = getattr(self.stream, "encoding", None)
        if buffer is not None and encoding and codecs.lookup(encoding).name == "utf-8":
            self.stream.flush()
            buffer.write(data)
        else:
            self.stream.write(data.decode("utf-8", "surrogateescape"))

    def _write_table(self, rows: Sequence[Sequence[Any]]) -> None:
        # Imported here: rich is only needed when a person is looking at a terminal.
        # Cells as Text, not markup: a file named notes[draft].txt must show as it is.
        # One header for the whole output, not one per document; bold only with colour
        # (NO_COLOR asks for no styling at all).
        from rich.cells import cell_len
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Column, Table
        from rich.text import Text

        # Each document is its own table, printed as it comes: columns keep the widest
        # width seen so far, so the rows of later documents line up under the header.
        cells = [[format_value(v) for v in row] for row in rows]
        if not self._widths:
            self._widths = [cell_len(name) for name in self.columns]
            self._numbers = [True] * len(self.columns)
        for row in rows:  # a column of numbers only is never cut
            self._numbers = [
                n and isinstance(v, (int, float)) and not isinstance(v, bool)
                for n, v in zip(self._numbers, row, strict=False)
            ]
        for row in cells:
            self._widths = [max(w, cell_len(c)) for w, c in zip(self._widths, row, strict=False)]
        console = Console(file=self.stream, no_color=not self.color, soft_wrap=False)
        # A row is one line: on a terminal too narrow for it, the widest cells are cut, and
        # a cut cell ends with "…" (padding and rules take 3 cells a column, less one).
        room = console.width - 3 * len(self.columns) + 1
        table = Table(
            *(
                Column(escape(name), width=width, no_wrap=True, overflow="ellipsis")
                for name, width in zip(
                    self.columns, fit_widths(self._widths, room, self._numbers), strict=True
                )
            ),
            show_edge=False,
            show_header=not self._table_started,
            header_style="bold" if self.color else "",
        )
        self._table_started = True
        for row in cells:
            table.add_row(*map(Text, row))
        console.print(table)

    def flush(self) -> None:
        self.stream.flush()


def fit_widths(widths: Sequence[int], room: int, whole: Sequence[bool] | None = None) -> list[int]:
    """Column widths that add up to at most ``room``: the widest columns are narrowed to a
    common width, so that narrow columns (a rank, a score) stay whole, and so do the
    columns ``whole`` marks (numbers: a cut number reads as another number) unless the
    room cannot hold them. Each keeps at least one cell."""
    widths = list(widths)
    if sum(widths) <= room:
        return widths
    keep = list(whole) if whole is not None else [False] * len(widths)
    if sum(w for w, k in zip(widths, keep, strict=True) if k) + keep.count(False) > room:
        keep = [False] * len(widths)
    cap = max(widths)

    def total(cap: int) -> int:
        return sum(w if k else min(w, cap) for w, k in zip(widths, keep, strict=True))

    while cap > 1 and total(cap) > room:
        cap -= 1
    fitted = [w if k else min(w, cap) for w, k in zip(widths, keep, strict=True)]
    spare = room - sum(fitted)
    for i in reversed(range(len(fitted))):  # what is left, to the last capped columns
        if spare <= 0:
            break
        if widths[i] > cap and not keep[i]:
            fitted[i] += 1
            spare -= 1
    return fitted


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when both paths name one existing file."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextlib.contextmanager
def atomic_write(path: str | Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; rename it over ``path`` only on success.

    A symlink keeps pointing at the (replaced) file it names; a path that is not a regular
    file (a device, a FIFO, ``/dev/fd/N``) is written to directly.

    An exception, Ctrl-C or kill during the write leaves the previous file (or none)
    untouched, never a half-written one.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{target}: is a directory", hint="give a file path")
    mode = "wb" if binary else "w"
    kwargs: dict[str, Any] = {} if binary else {"encoding": "utf-8", "newline": ""}
    try:
        existing: os.stat_result | None = target.stat()  # of the file a symlink names
    except OSError:
        existing = None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        # /dev/null, a FIFO, /dev/fd/N from >(...): nothing to replace, so write to it.
        try:
            handle = open(target, mode, **kwargs)  # noqa: SIM115 - closed below
        except OSError as exc:
            raise OutputError(f"{target}: cannot write: {exc.strerror}") from None
        with handle:
            yield handle
        return
    if target.is_symlink():  # replace the file the link names; the link stays a link
        target = Path(os.path.realpath(target))
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise OutputError(f"{target}: cannot write: {exc.strerror}") from None
    try:
        # mkstemp creates 0600; keep a replaced file's permissions, else give the new one
        # those a plain open() would.
        if existing is not None:
            os.chmod(tmp_name, stat.S_IMODE(existing.st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp_name, 0o666 & ~umask)
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
