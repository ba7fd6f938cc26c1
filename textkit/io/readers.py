"""Reading documents from files, directories, stdin and tabular files.

Every command reads its inputs through :func:`iter_documents` (or :func:`iter_units`):

* a path may be a file or a directory (walked recursively in sorted order, hidden entries
  skipped, each real directory visited once so symlink loops end); ``-`` is stdin;
* plain text: a document is a whole file, or with ``lines=True`` each non-empty line, and
  carries its source id (``path``, ``path:LINE``, ``<stdin>``, ``<stdin>:LINE``);
* tabular files (``.csv``, ``.tsv``, ``.jsonl`` or ``data_format``): a document is a row's
  text column; its source is the row's id column when there is one, else ``path:LINE``,
  and the row itself travels along (:attr:`Document.row`) so results can be joined back;
* ``encoding="auto"`` decodes by BOM, else UTF-8, else GB18030 (see textkit.io.decoding);
* reading is lazy: one file, or one line, in memory at a time (a tabular file is read
  whole: a CSV field may span lines);
* a bad input never stops the batch: it is passed to ``on_error`` and the rest go on.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, BinaryIO, NamedTuple

from textkit.checks import paths_arg
from textkit.errors import BinaryInputError, DecodeError, IdProblem, InputError, LooksTabular
from textkit.io.decoding import (
    AUTO,
    decode_bytes,
    decode_line,
    is_wide,
    library_encoding,
    sniff_line_codec,
)
from textkit.io.sources import (
    DEFAULT_GLOB,
    STDIN,
    ErrorHandler,
    iter_sources,
    read_file,
    source_name,
)
from textkit.io.tabular import FASTTEXT_PREFIX, TEXT_NAMES, format_of, read_labeled
from textkit.io.tabular import FORMATS as TABULAR_FORMATS

TEXT = "text"  # the data format of plain text
DATA_FORMATS = (TEXT, *TABULAR_FORMATS)
# How much of a stream decides its encoding in --lines mode (the rest is decoded line by line).
_SNIFF_BYTES = 1 << 20


class Document(NamedTuple):
    """One unit of text and where it came from. (A named tuple: immutable, and three times
    cheaper to make than a frozen dataclass, which shows when reading millions of lines.)

    ``row``: for a row of a tabular file, ``(record, layout)`` (a
    :class:`~textkit.io.tabular.LabeledRecord` and its file's
    :class:`~textkit.io.tabular.Layout`), so output can carry the row's columns."""

    source: str
    text: str
    row: Any = None


_BLOCK_BYTES = 1 << 20  # lines are read in blocks of about this size


class LineBlock(NamedTuple):
    """Whole lines of one input as raw bytes, the first numbered ``first``. Decoding them
    (:func:`block_documents`) can happen in a worker process, so that with ``-j N`` the
    reading process only moves bytes instead of making every line a Python object."""

    name: str
    first: int
    codec: str
    data: bytes
    errors: str = "replace"
    detected: bool = False  # the codec was detected (a UTF-8 input may then hold GBK lines)


Unit = Document | LineBlock


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n or \\r (the same rule as reading a file line by line)."""
    return [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]


def _stream_units(
    stream: BinaryIO,
    name: str,
    encoding: str,
    errors: str,
    block_bytes: tuple[int, int],
    check: ErrorHandler | None = None,
) -> Iterator[Unit]:
    """A binary stream's lines: LineBlocks of about ``block_bytes[0]`` bytes, doubling up
    to ``block_bytes[1]`` (UTF-16/32 streams: one Document per non-empty line). ``check``
    hears when the first line reads as a table's header."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]  # type: ignore[union-attr]
    codec = sniff_line_codec(head, name, encoding)
    _note_table_header(name, head.decode(codec, "replace"), check)
    if is_wide(codec):
        # UTF-16/32 lines cannot be split on the \n byte: let a text wrapper do it.
        text_stream = io.TextIOWrapper(buffered, encoding=codec, errors=errors, newline="")
        lineno = 0
        try:
            for lineno, line in enumerate(text_stream, 1):  # noqa: B007
                line = line.rstrip("\r\n")
                if line.strip():
                    yield Document(f"{name}:{lineno}", line)
        except UnicodeError as exc:  # also "UTF-16 stream does not start with BOM"
            raise DecodeError(
                f"{name}:{lineno + 1}",
                f"cannot decode as {codec} ({getattr(exc, 'reason', exc)})",
                hint="without a byte-order mark, name the byte order: --encoding utf-16-le",
            ) from None
        return
    # In UTF-8 and GB18030 the byte 0x0A never occurs inside a character, so splitting the
    # bytes on it is safe. read1: what a pipe has now (no waiting for a full block), then
    # the rest of its last line.
    size, largest = block_bytes
    lineno = 0
    while block := buffered.read1(size):  # type: ignore[union-attr]
        if not block.endswith(b"\n"):
            block += buffered.readline()
        yield LineBlock(name, lineno + 1, codec, block, errors, encoding == AUTO)
        # A lone CR ends a line too (old Mac files), as block_documents numbers them.
        lone_cr = block.count(b"\r") - block.count(b"\r\n")
        lineno += block.count(b"\n") + lone_cr + (not block.endswith(b"\n"))
        size = min(2 * size, largest)


def _note_table_header(name: str, head: str, on_notice: ErrorHandler | None) -> None:
    """Tell ``on_notice`` when plain text starts as a CSV or TSV table does: a first line
    of column names, one of them a usual text column's (``label,review``), over a line of
    as many fields. Read as plain text, the header becomes a word of the text."""
    if on_notice is None:
        return
    if _tab_columns(head) > 1:
        on_notice(
            LooksTabular(
                name,
                "every line holds the same number of tab-separated columns: read as plain "
                "text, every column part of the text (--data-format tsv reads its rows)",
            )
        )
        return
    lines = head.lstrip("\ufeff").splitlines()[:2]
    if len(lines) < 2:
        return
    for delimiter, fmt in (("\t", "tsv"), (",", "csv")):
        names = [cell.strip().strip('"').lower() for cell in lines[0].split(delimiter)]
        if len(names) < 2 or not set(names) & set(TEXT_NAMES) or not all(map(_a_name, names)):
            continue
        if len(lines[1].split(delimiter)) >= len(names):
            on_notice(
                LooksTabular(
                    name,
                    f"its first line reads as a {fmt.upper()} header naming a text column: "
                    f"read as plain text (--data-format {fmt} reads its rows)",
                )
            )
            return


def _tab_columns(head: str) -> int:
    """The number of tab-separated columns of every one of the first lines, none of them
    blank (at least two lines, the last of ``head`` left out: it may be cut), else 0."""
    lines = [line for line in head[: 1 << 16].splitlines()[:51] if line.strip()][:-1]
    rows = [line.split("\t") for line in lines]
    if len(rows) < 2 or any(not cell.strip() for row in rows for cell in row):
        return 0
    widths = {len(row) for row in rows}
    return widths.pop() if len(widths) == 1 else 0


def _a_name(cell: str) -> bool:
    """Whether a cell could name a column: short, one word, no sentence punctuation."""
    return len(cell) <= 20 and not any(ch.isspace() or ch in "，。！？；、" for ch in cell)


def block_documents(block: LineBlock, on_error: ErrorHandler) -> Iterator[Document]:
    """The documents (non-empty lines) of a LineBlock; a bad line goes to ``on_error``
    alone and the others are still read."""
    data, codec = block.data, block.codec
    # Blocks with no NUL or CR byte that decode cleanly (nearly all input) are decoded at
    # once: a third of the per-line cost.
    text = None
    if b"\0" not in data and b"\r" not in data:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(codec)
    lines: list[Any] = text.split("\n") if text is not None else data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    if text is not None:
        name = block.name
        for number, line in enumerate(lines, block.first):
            if line.strip():
                yield Document(f"{name}:{number}", line)
    else:
        number = block.first
        for raw in lines:
            yield from _line_documents(raw, number, block, on_error)
            # Within a byte line a lone CR still ends a line (old Mac files).
            number += 1 + (raw[:-1] if raw.endswith(b"\r") else raw).count(b"\r")


def _line_documents(
    raw: bytes, number: int, block: LineBlock, on_error: ErrorHandler
) -> Iterator[Document]:
    """The documents of byte line ``number`` (a lone CR splits it into lines numbered
    from there on), or its error reported."""
    source = f"{block.name}:{number}"
    if b"\0" in raw:
        on_error(BinaryInputError(source, "line contains NUL bytes, skipped"))
        return
    gbk_too = block.detected and block.codec == "utf-8"
    line = decode_line(raw, source, block.codec, block.errors, on_error, gbk_too)
    if line is None:
        return
    line = line.rstrip("\r\n")
    parts = split_lines(line) if "\r" in line else [line]
    for offset, part in enumerate(parts):
        if part.strip():
            yield Document(f"{block.name}:{number + offset}", part)


def read_text(
    source: str,
    encoding: str = AUTO,
    errors: str = "replace",
    on_notice: ErrorHandler | None = None,
) -> str:
    """Read one whole file (or ``-`` for stdin) as text. A few undecodable bytes are
    replaced (``on_notice`` hears of it) unless ``errors="strict"``."""
    library_encoding(encoding, errors)
    name = source_name(source)
    try:
        data = sys.stdin.buffer.read() if source == STDIN else read_file(source)
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return decode_bytes(data, name, encoding, errors, on_notice)


def input_format(source: str, data_format: str | None) -> str:
    """How a source is read: ``text`` or a tabular format (by ``data_format``, else by its
    file extension, else ``fasttext`` for a file that starts with ``__label__``; stdin is
    plain text unless a format is named)."""
    if data_format is not None:
        return data_format
    if source == STDIN:
        return TEXT
    return format_of(source) or (FASTTEXT if _starts_with_label(source) else TEXT)


FASTTEXT = "fasttext"


def _starts_with_label(path: str) -> bool:
    """Whether a text file is fastText data (``__label__X text`` lines): read as one row a
    line without its labels, or `keywords` would rank "label" first."""
    if not os.path.isfile(path):
        return False  # a pipe can be read once only; directories are walked before this
    try:
        with open(path, "rb") as handle:
            head = handle.read(64)
    except OSError:
        return False  # reported where the file is read
    return head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(FASTTEXT_PREFIX.encode())


def _row_documents(
    source: str,
    fmt: str,
    columns: dict[str, Any],
    encoding: str,
    errors: str,
    handler: ErrorHandler,
) -> Iterator[Document]:
    """The rows of a tabular source as documents (empty texts kept, so outputs line up)."""
    from textkit.io.tabular import ReadStats

    stats = ReadStats()
    records = read_labeled(
        [source],
        data_format=fmt,
        encoding=encoding,
        errors=errors,
        require_label=False,
        with_labels=False,
        keep_incomplete=True,
        stats=stats,
        on_error=handler,
        stream=True,  # a large CSV export is decoded as it is read, not held whole
        **columns,
    )
    layout = None
    ids = _IdCheck(columns.get("id_col"))
    for record in records:
        if layout is None:
            layout = stats.layouts[source_name(source)]
        yield Document(ids.source(record), record.text, (record, layout))
    for problem in ids.problems(source_name(source)):
        handler(problem)


class _IdCheck:
    """The rows' names in one tabular file: the id column named by ``--id-col``, else
    ``path:LINE`` for a row where it is missing or empty; what went wrong, for notices
    that name the file."""

    _MOST = 1_000_000  # ids remembered to find repeats (memory stays bounded)

    def __init__(self, id_col: Any) -> None:
        self.named = id_col is not None
        self.id_col = id_col
        self.seen: set[str] = set()
        self.missing = self.repeated = 0
        self.first_missing = self.first_repeat = ""

    def source(self, record: Any) -> str:
        ident = record.id
        if ident is None or not ident.strip():
            if self.named and not self.missing:
                self.first_missing = record.source
            self.missing += self.named
            return record.source
        if self.named and len(self.seen) < self._MOST:
            if ident in self.seen:
                if not self.repeated:
                    self.first_repeat = f"{ident!r} again at {record.source}"
                self.repeated += 1
            else:
                self.seen.add(ident)
        return ident

    def problems(self, name: str) -> Iterator[IdProblem]:
        column = f"--id-col {self.id_col}"
        if self.missing and not self.seen:
            yield IdProblem(name, f"no row has a value in {column}: rows named path:LINE")
        elif self.missing:
            yield IdProblem(
                name,
                f"{self.missing:,} row(s) without a value in {column} (first "
                f"{self.first_missing}): named path:LINE",
            )
        if self.repeated:
            yield IdProblem(
                name,
                f"{self.repeated:,} row(s) repeat an id of an earlier row in {column} "
                f"({self.first_repeat}): their results cannot be told apart by id",
            )


def iter_units(
    paths: Iterable[str] | None = None,
    *,
    lines: bool = False,
    glob: str = DEFAULT_GLOB,
    encoding: str = AUTO,
    errors: str = "replace",
    data_format: str | None = None,
    text_col: str | int | None = None,
    id_col: str | int | None = None,
    label_col: str | int | None = None,
    label_sep: str | None = None,
    remembered: tuple[str, ...] = (),
    on_error: ErrorHandler | None = None,
    block_bytes: tuple[int, int] = (_BLOCK_BYTES, _BLOCK_BYTES),
) -> Iterator[Unit]:
    """:func:`iter_documents`, except that with ``lines=True`` the lines of plain text come
    as undecoded :class:`LineBlock` s (of ``block_bytes``: first size, largest size) for
    :func:`block_documents` to turn into documents, possibly in another process."""
    handler = on_error or _raise_failures
    library_encoding(encoding, errors)
    if data_format is not None and data_format not in DATA_FORMATS:
        from textkit.errors import ConfigError

        raise ConfigError(f"unknown data format {data_format!r}; choose from {DATA_FORMATS}")
    columns = {
        "text_col": text_col,
        "id_col": id_col,
        "label_col": label_col,
        "label_sep": label_sep,
        "remembered": remembered,
    }
    for source in iter_sources(paths_arg(paths), glob, handler):
        name = source_name(source)
        try:
            fmt = input_format(source, data_format)
            # plain text by default (not by --data-format text) that holds a table is said
            check = handler if data_format is None else None
            if fmt != TEXT:
                yield from _row_documents(source, fmt, columns, encoding, errors, handler)
            elif not lines:
                text = read_text(source, encoding, errors, handler)
                _note_table_header(name, text[:_SNIFF_BYTES], check)
                yield Document(name, text)
            elif source == STDIN:
                stdin = sys.stdin.buffer
                yield from _stream_units(stdin, name, encoding, errors, block_bytes, check)
            else:
                with open(source, "rb", buffering=_SNIFF_BYTES) as handle:
                    yield from _stream_units(handle, name, encoding, errors, block_bytes, check)
        except InputError as exc:
            handler(exc)
        except OSError as exc:
            handler(InputError(name, f"cannot read: {exc.strerror or exc}"))


def iter_documents(
    paths: Iterable[str] | None = None,
    *,
    on_error: ErrorHandler | None = None,
    **options: Any,
) -> Iterator[Document]:
    """Yield the documents of ``paths`` lazily, in input order.

    ``options``: ``lines``, ``glob``, ``encoding``, ``errors`` (``replace`` or ``strict``),
    and for tabular input ``data_format``, ``text_col``, ``id_col``, ``remembered`` (see
    :func:`iter_units` and :func:`textkit.io.tabular.read_labeled`). ``on_error`` receives
    each input that fails (missing, binary, undecodable, unreadable) and each notice
    (replaced bytes); without it the first failure is raised and notices are dropped.
    """
    handler = on_error or _raise_failures
    units = iter_units(paths, on_error=handler, **options)
    return documents_of(units, handler)


def _raise_failures(error: InputError) -> None:
    if error.is_failure:
        raise error


def documents_of(units: Iterable[Unit], on_error: ErrorHandler) -> Iterator[Document]:
    """The documents of ``units``: line blocks decoded (bad lines to ``on_error``)."""
    for unit in units:
        if type(unit) is LineBlock:
            yield from block_documents(unit, on_error)
        else:
            yield unit  # type: ignore[misc]


def units_size(units: list[Unit]) -> int:
    """Characters of the documents plus bytes of the line blocks: a rough measure of a
    chunk's work (for :func:`textkit.io.parallel.map_chunks`)."""
    return sum(len(u.data) if type(u) is LineBlock else len(u.text) for u in units)  # type: ignore[union-attr]


def chunk_lines(
    units: Iterable[Unit],
    on_error: ErrorHandler,
    flush: Callable[[], None],
    size: int,
    budget: int,
) -> Iterator[list[Document]]:
    """The documents of ``--lines`` units in chunks that never wait for input the reader
    does not have yet: each LineBlock (what a pipe held, or a block of a file) is cut on
    its own; runs of line Documents (UTF-16/32 input) together. ``flush`` (the output's)
    is called before each read, which may wait, so `tail -f log | textkit ... --lines`
    prints each line as it comes. Chunks hold at most ``size`` documents, about ``budget``
    characters."""
    import itertools

    from textkit.io.parallel import chunked

    def flushed() -> Iterator[Unit]:
        source = iter(units)
        while True:
            flush()
            unit = next(source, None)
            if unit is None:
                return
            yield unit

    def length(doc: Document) -> int:
        return len(doc.text)

    for is_block, run in itertools.groupby(flushed(), key=lambda unit: type(unit) is LineBlock):
        for group in ([block] for block in run) if is_block else [run]:
            yield from chunked(documents_of(group, on_error), size, length, budget)


def chunk_units(
    units: Iterable[Unit], size: int, budget: int, first: int | None = None
) -> Iterator[list[Unit]]:
    """Chunks of work for worker processes: each LineBlock alone (the reader sized it),
    runs of whole-file documents cut as :func:`textkit.io.parallel.chunked` cuts them (at most
    ``size`` documents, about ``budget`` characters, growing from ``first``)."""
    import itertools

    from textkit.io.parallel import chunked

    for is_block, run in itertools.groupby(units, key=lambda unit: type(unit) is LineBlock):
        if is_block:
            for block in run:
                yield [block]
        else:
            yield from chunked(run, size, lambda doc: len(doc.text), budget, first)  # type: ignore[union-attr]
