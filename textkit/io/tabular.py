"""Tabular and labeled data: one reader (and matching writers) for TSV, CSV, JSONL and
fastText files.

Every command reads rows through :func:`read_labeled`: ``train-lr``, ``evaluate`` and
``augment`` for texts with labels, and the document readers (``keywords``, ``classify``,
``idf`` ...) for one document per row. Each record keeps its original row, so a row can be
written back in its own format with its text changed (``augment``) or columns added
(``classify``).

Formats:

* ``tsv``: ``text<TAB>label`` (the THUCNews layout); a first line that reads as column
  names (see :func:`_tsv_header`), or columns given by name, makes it a header;
* ``csv``: comma-, semicolon-, tab- or pipe-separated (sniffed from the first lines); a
  header row (``label,review`` in ChineseNlpCorpus) whose columns are found by name, unless
  the first row reads as data (see :func:`_first_row_is_header`): then columns by index;
* ``jsonl``: one object per line with ``text`` and ``label`` (or the usual synonyms); a
  list of labels is several labels;
* ``fasttext``: ``__label__X [__label__Y ...] text``.

A row may carry several labels: several ``__label__`` in fastText, a JSON list, or a TSV/CSV
label field split on ``label_sep``.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from textkit.checks import paths_arg
from textkit.errors import (
    ColumnFallback,
    ConfigError,
    DataFormatError,
    FirstRowAsText,
    InputError,
    JoinedFields,
    MalformedLineError,
    NumericText,
)
from textkit.io.decoding import AUTO, bom_codec, decode_bytes, is_wide
from textkit.io.sources import STDIN, iter_sources, source_name

FORMATS = ("tsv", "csv", "jsonl", "fasttext")
TEXT_NAMES = (
    *("text", "review", "comment", "content", "sentence", "title"),
    *("评论", "内容", "文本", "正文", "句子", "标题"),
)
LABEL_NAMES = ("label", "labels", "category", "class", "sentiment", "标签", "类别", "分类", "情感")
ID_NAMES = ("id",)
FASTTEXT_PREFIX = "__label__"
# .json: datasets such as CLUE's ship JSON lines under that name.
EXTENSIONS = {
    ".tsv": "tsv",
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
}
SAMPLE_ROWS = 50  # rows a headerless file's text column (and a CSV's header) is judged on
CSV_DELIMITERS = (",", ";", "\t", "|")
_SNIFF_CHARS = 65536

# A whole CSV field may be a long document; the csv module's 128 KiB default is too small.
csv.field_size_limit(2**31 - 1)

Key = int | str  # a column: 0-based index or header name (a JSON key)


@dataclass(slots=True)
class LabeledRecord:
    """One row: its text, its labels, its id, and the original row for writing back."""

    source: str
    text: str
    label: str | None  # the first of ``labels``
    row: Any = None  # list[str] (tsv/csv), dict (jsonl) or list of labels (fasttext)
    labels: list[str] = field(default_factory=list)
    id: str | None = None


@dataclass(slots=True)
class Layout:
    """How a file is laid out: its format and where text, label and id live."""

    fmt: str
    text_key: Key = 0
    label_key: Key | None = 1
    header: list[str] | None = None  # also the JSON keys seen, for error messages
    width: int = 0  # fields in the first row of a TSV or CSV without a header
    id_key: Key | None = None
    delimiter: str = ","  # a CSV's field separator
    bom: bool = False  # a CSV that starts with a byte-order mark (Excel's "CSV UTF-8")
    found: set[str] = field(default_factory=set)  # "text", "label": keys some JSON object had
    wide_skipped: int = 0  # rows skipped for having more fields than the header

    def describe(self) -> dict[str, Any]:
        """The columns used, by name where the file has names (for messages and models)."""
        return {
            "format": self.fmt,
            "text": self.column_name(self.text_key),
            "label": self.column_name(self.label_key),
        }

    def column_name(self, key: Key | None) -> Key | None:
        if isinstance(key, int) and self.header is not None and self.fmt in ("tsv", "csv"):
            return self.header[key] if key < len(self.header) else key
        return key


@dataclass
class ReadStats:
    """What a read skipped, for the CLI's summary line."""

    rows: int = 0
    skipped: int = 0
    no_text_field: int = 0  # JSON objects without the text key (also counted in skipped)
    multi_label_rows: int = 0  # rows with more than one label
    layouts: dict[str, Layout] = field(default_factory=dict)


def format_of(name: str) -> str | None:
    """The tabular format a file name implies (``reviews.csv``), or None."""
    return EXTENSIONS.get(Path(name).suffix.lower())


def sniff_format(name: str, head: str) -> str:
    """Guess a labeled-data format from the file extension, then from its first lines."""
    by_name = format_of(name)
    if by_name is not None:
        return by_name
    lines = [line for line in head.splitlines() if line.strip()][:SAMPLE_ROWS]
    first = lines[0] if lines else ""
    if not first:
        return "tsv"  # nothing but blank lines: every format reads no rows from it
    labeled = sum(line.lstrip().startswith(FASTTEXT_PREFIX) for line in lines)
    if first.lstrip().startswith(FASTTEXT_PREFIX) or labeled * 2 > len(lines):
        # most lines labeled: a fastText file whose first line lacks its label
        return "fasttext"
    if first.lstrip().startswith("{"):
        return "jsonl"
    if "\t" in first:
        return "tsv"
    if "," in first and _even_rows(head):
        return "csv"
    raise DataFormatError(
        f"{name}: cannot tell the data format from its first lines (they read as plain "
        "text, not rows of TSV, CSV, JSON lines or fastText)",
        hint="labeled data is one of these; pass --data-format tsv|csv|jsonl|fasttext",
    )


def _even_rows(head: str) -> bool:
    """Whether the start of a file reads as CSV rows: most of its first records have as
    many fields as the first (prose with commas has as many as its clauses)."""
    try:
        records = [r for r in itertools.islice(csv.reader(io.StringIO(head)), 21) if r][:-1]
    except csv.Error:
        return False
    if len(records) < 2:
        return False  # one row: prose with commas as much as a row (a file of one row is no data)
    width = len(records[0])
    return sum(len(r) == width for r in records) * 10 >= len(records) * 8


def column_key(key: str | int | None) -> Key | None:
    """A ``--text-col``/``--label-col``/``--id-col`` value: a 0-based index or a name."""
    if key is None or isinstance(key, int):
        return key
    return int(key) if key.isdigit() else key


def _find(
    names: list[str],
    wanted: Key | None,
    known: tuple[str, ...],
    what: str,
    source: str,
    required: bool = True,
) -> int | None:
    """Resolve a column to an index in a header, by index, by name or by the usual names;
    None when it is not required and neither given nor found."""
    lowered = [n.strip().lower() for n in names]
    if isinstance(wanted, int):
        if wanted >= len(names):
            raise DataFormatError(
                f"{source}: no {what} column {wanted}; the file has {len(names)} columns"
            )
        return wanted
    candidates = [wanted.lower()] if wanted else list(known)
    for candidate in candidates:
        if lowered.count(candidate) > 1:
            raise DataFormatError(
                f"{source}: column {candidate!r} appears more than once",
                hint=f"choose one by index with --{what}-col N",
            )
        if candidate in lowered:
            return lowered.index(candidate)
    if not required and not wanted:
        return None
    missing = f"no column {wanted!r}" if wanted else f"no {what} column"
    raise DataFormatError(
        f"{source}: {missing} (saw columns: {', '.join(names) or 'none'})",
        hint=f"name it with --{what}-col",
    )


def _decodes(path: str, codec: str, nul_is_binary: bool) -> bool:
    """Whether the whole file decodes cleanly in ``codec`` (read 1 MiB at a time)."""
    decoder = codecs.getincrementaldecoder(codec)()
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                if nul_is_binary and b"\0" in block:
                    return False
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except (OSError, UnicodeDecodeError):
        return False
    return True


def _open_stream(path: str, encoding: str) -> IO[str] | None:
    """A regular file decoded incrementally, in the codec :func:`decode_bytes` would pick,
    once a first scan has shown that it decodes cleanly; None sends the file down the
    whole-file path (which also words any error exactly as before)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4)
    except OSError:
        return None
    bom = bom_codec(head) if encoding == AUTO else None
    if encoding != AUTO:
        candidates, nul_is_binary = [encoding], not is_wide(encoding)
    elif bom is not None:
        candidates, nul_is_binary = [bom], False
    else:
        candidates, nul_is_binary = ["utf-8", "gb18030"], True
    for codec in candidates:
        if _decodes(path, codec, nul_is_binary):
            handle = open(path, encoding=codec, newline="")  # noqa: SIM115 - returned open
            if handle.read(1) != "\ufeff":  # decode_bytes drops a leading BOM character
                handle.seek(0)
            return handle
    return None


def _open_text(
    source: str,
    encoding: str,
    errors: str = "replace",
    on_notice: Callable[[InputError], None] | None = None,
    stream: bool = False,
) -> tuple[str, IO[str]]:
    """Open a labeled file as text, deciding the encoding like the document reader.
    ``stream``: decode a regular file incrementally instead of holding it whole."""
    name = source_name(source)
    if stream and source != STDIN and Path(source).is_file():
        handle = _open_stream(source, encoding)
        if handle is not None:
            return name, handle
    try:
        raw = sys.stdin.buffer.read() if source == STDIN else Path(source).read_bytes()
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    # Labeled files are read whole: training needs every row anyway, and a CSV field may
    # span lines, so the file cannot be decoded line by line.
    text = decode_bytes(raw, name, encoding, errors, on_notice)
    return name, io.StringIO(text, newline="")


def _split_labels(value: str | None, sep: str | None) -> list[str]:
    if value is None:
        return []
    parts = value.split(sep) if sep else [value]
    return [part.strip() for part in parts if part.strip()]


@dataclass(slots=True)
class _Columns:
    """What the caller asked for: the columns (None: found by the usual names), whether a
    label column must exist, and how a label field holds several labels."""

    text: Key | None
    label: Key | None
    id: Key | None
    need_label: bool  # rows without a label are incomplete; a CSV must have the column
    find_label: bool  # use a label column if there is one (headerless TSV: column 1)
    label_sep: str | None
    remembered: frozenset[str] = frozenset()  # "text", "label": names from a model
    on_notice: Callable[[InputError], None] | None = None  # hears of a ColumnFallback

    def user_named(self) -> bool:
        """Whether the user named a column (a header must then exist)."""
        keys = (("text", self.text), ("label", self.label), ("id", self.id))
        return any(isinstance(key, str) and what not in self.remembered for what, key in keys)


def _records_tsv(
    name: str, handle: IO[str], layout: Layout, stats: ReadStats, cols: _Columns
) -> Iterator[LabeledRecord]:
    lines = _lf_lines(handle)
    first = next(lines, None)
    if first is None:
        return
    first_fields = first.rstrip("\r\n").split("\t")
    lowered = {f.strip().lower() for f in first_fields}
    named = cols.user_named() or bool(lowered & _remembered_names(cols))
    sample = list(itertools.islice(lines, SAMPLE_ROWS))
    rows = [line.rstrip("\r\n").split("\t") for line in sample if line.strip()]
    start = 1
    if named or _tsv_header(first_fields, rows):
        _headed_layout(layout, first_fields, cols, name)
        start = 2
        lines = itertools.chain(sample, lines)
    else:
        _headerless_layout(layout, [first_fields, *rows], len(first_fields), cols, name)
        lines = itertools.chain([first], sample, lines)
    _say_numbers_as_text(layout, rows, cols, name)
    width = len(first_fields)
    for lineno, line in enumerate(lines, start):
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) > width and any(f.strip() for f in fields[width:]):
            fields = _wide_row(name, lineno, fields, width, layout, cols)
            if not fields:
                continue
        yield _make(name, lineno, fields, layout, cols.label_sep)
    _wide_rows_counted(name, layout, cols)


def _tsv_header(first: list[str], rows: list[list[str]]) -> bool:
    """Whether a TSV's first line names its columns (a TSV has none unless it shows one):
    it holds a usual column name, or a cell that is not a number heads a column of numbers
    (``stars`` over 5 and 1), or its cells are all ASCII names over a column of Chinese
    text (``comment_text`` over reviews)."""
    cells = [cell.strip() for cell in first]
    if {cell.lower() for cell in cells} & {*TEXT_NAMES, *LABEL_NAMES, *ID_NAMES}:
        return True
    if len(cells) < 2 or not all(cells) or len(rows) < 2:
        return False
    columns = [
        [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        for i in range(len(cells))
    ]
    for cell, column in zip(cells, columns, strict=True):
        if len(column) >= 2 and not _is_number(cell) and all(map(_is_number, column)):
            return True
    names = all(cell.isascii() and not _is_number(cell) for cell in cells)
    return names and any(column and not any(map(str.isascii, column)) for column in columns)


def _remembered_names(cols: _Columns) -> set[str]:
    """The column names a model remembered, lowercased."""
    keys = (("text", cols.text), ("label", cols.label))
    return {k.lower() for what, k in keys if isinstance(k, str) and what in cols.remembered}


def _headed_layout(layout: Layout, header: list[str], cols: _Columns, name: str) -> None:
    """Columns found in a header row, by name or index."""
    layout.header = header
    layout.text_key = _find_column(header, cols, "text", TEXT_NAMES, name)  # type: ignore[assignment]
    layout.label_key = (
        _find_column(header, cols, "label", LABEL_NAMES, name, cols.need_label)
        if cols.find_label
        else None
    )
    layout.id_key = _find(header, cols.id, ID_NAMES, "id", name, False)
    _text_is_not_label(layout, name)
    if cols.text is None:
        _say_other_text_columns(header, layout.text_key, cols, name)


def _say_numbers_as_text(layout: Layout, rows: list[list[str]], cols: _Columns, name: str) -> None:
    """Warn when the text column's first rows hold only numbers: a label or id column
    named as the text (``--text-col 0`` on ``label,review``) would give empty documents."""
    key = layout.text_key
    if cols.on_notice is None or not isinstance(key, int):
        return
    values = [row[key].strip() for row in rows if key < len(row) and row[key].strip()]
    if len(values) >= 2 and all(map(_is_number, values)):
        column = repr(layout.header[key]) if layout.header is not None else key
        cols.on_notice(
            NumericText(
                name,
                f"its text column {column} holds only numbers in its first rows: a label or "
                "id column? (--text-col names the text column)",
            )
        )


def _say_other_text_columns(header: list[str], used: Key, cols: _Columns, name: str) -> None:
    """Note a choice among several usual text columns (title and content of news)."""
    names = [h for h in header if h.strip().lower() in TEXT_NAMES]
    if len(names) > 1 and cols.on_notice is not None and isinstance(used, int):
        cols.on_notice(
            ColumnFallback(
                name,
                f"several text columns ({', '.join(names)}): using {header[used]!r} "
                "(--text-col names another)",
            )
        )


def _find_column(
    header: list[str],
    cols: _Columns,
    what: str,
    known: tuple[str, ...],
    name: str,
    required: bool = True,
) -> int | None:
    """:func:`_find` for the text or label column; a column a model remembered that the
    header lacks is found by the usual names instead (``cols.on_notice`` hears which)."""
    wanted = getattr(cols, what)
    lowered = [h.strip().lower() for h in header]
    if what in cols.remembered and isinstance(wanted, int):
        # a model trained without a header remembers an index; a header naming the column
        # says more (label<TAB>text has its text in column 1, not the model's 0)
        found = _find(header, None, known, what, name, required=False)
        if found is not None and found != wanted:
            if cols.on_notice is not None:
                cols.on_notice(
                    ColumnFallback(
                        name,
                        f"its header names the {what} column {header[found]!r}: used instead "
                        f"of the model's column {wanted} (--{what}-col names another)",
                    )
                )
            return found
    if what not in cols.remembered or not isinstance(wanted, str) or wanted.lower() in lowered:
        return _find(header, wanted, known, what, name, required)
    found = _find(header, None, known, what, name, required=False)
    if found is None:
        if not required:
            return None
        raise DataFormatError(
            f"{name}: no column {wanted!r} (the model's {what} column) and no usual {what} "
            f"column (saw columns: {', '.join(header) or 'none'})",
            hint=f"name it with --{what}-col",
        )
    _fell_back(cols, name, what, wanted, header[found])
    return found


def _fell_back(cols: _Columns, name: str, what: str, wanted: str, used: str) -> None:
    if cols.on_notice is not None:
        cols.on_notice(
            ColumnFallback(
                name,
                f"no column {wanted!r} (the model's {what} column): using {used!r} "
                f"(--{what}-col names another)",
            )
        )


def _headerless_layout(
    layout: Layout, rows: list[list[str]], width: int, cols: _Columns, name: str
) -> None:
    """Columns of a file without a header: by index, else the text column judged on its
    first ``rows`` and the label next to it."""
    if isinstance(cols.text, int):
        layout.text_key = _remembered_text_column(rows, cols, name)
    else:
        layout.text_key = _headerless_text_column(rows, exclude=cols.label)
    if isinstance(cols.label, int):
        layout.label_key = cols.label
    elif cols.find_label and width > 1:
        # text<TAB>label (THUCNews) or label,text: the label sits next to the text
        layout.label_key = 1 if layout.text_key == 0 else 0
    else:
        layout.label_key = None
    layout.id_key = cols.id if isinstance(cols.id, int) else None
    layout.width = width
    _text_is_not_label(layout, name)
    for what, key in (("text", cols.text), ("label", cols.label)):
        if isinstance(key, int) and key >= width:  # as _find says it for headers
            raise DataFormatError(
                f"{name}: no {what} column {key}; the file has {width} columns",
                hint=f"columns count from 0: --{what}-col 0 to {width - 1}",
            )


def _remembered_text_column(rows: list[list[str]], cols: _Columns, name: str) -> int:
    """The text column given by index; one a model remembered yields, with a notice, to
    another column when it holds no Chinese in this file's first rows (``date<TAB>text``
    where the model read ``text<TAB>label``): classifying dates would be no error, only
    wrong."""
    wanted = int(cols.text)  # type: ignore[arg-type]
    if "text" not in cols.remembered:
        return wanted
    column = [row[wanted] for row in rows if wanted < len(row) and row[wanted].strip()]
    if not all(map(str.isascii, column)):
        return wanted
    exclude = cols.label if isinstance(cols.label, int) else None
    found = _headerless_text_column(rows, exclude=exclude if exclude != wanted else None)
    if found == wanted or any(found < len(row) and row[found].isascii() for row in rows):
        return wanted
    if cols.on_notice is not None:
        cols.on_notice(
            ColumnFallback(
                name,
                f"its column {wanted} (the model's text column) holds no Chinese text: "
                f"using column {found} (--text-col names another)",
            )
        )
    return found


def _text_is_not_label(layout: Layout, name: str) -> None:
    """Refuse a text column that is also the label column (--text-col label): every text
    would be its own label, and a score on that means nothing."""
    if layout.label_key is not None and layout.text_key == layout.label_key:
        raise DataFormatError(
            f"{name}: the text and the label are the same column ({layout.text_key!r})",
            hint="choose another --text-col or --label-col",
        )


def _lf_lines(handle: IO[str]) -> Iterator[str]:
    """The lines of a line-based file (TSV, JSONL, fastText), ended by LF or CRLF: a lone
    CR inside a field (pasted text) does not end its row, unless the file has no LF at all
    (then CR ends its lines)."""
    pending: list[str] = []
    seen_lf = False
    for piece in handle:
        if piece.endswith("\r"):  # CRLF arrives whole, so this CR stands alone
            pending.append(piece)
            continue
        seen_lf = True
        yield "".join(pending) + piece
        pending = []
    if seen_lf:
        if pending:
            yield "".join(pending)
    else:  # no LF at all: an old Mac file, whose lines end with CR
        yield from pending


def _headerless_text_column(rows: list[list[str]], exclude: Key | None) -> int:
    """The text column of a file without a header, from its first rows: the first
    column (text<TAB>label), unless it holds only ASCII labels (1, pos, "to title") next to
    a Chinese column, or another Chinese column's cells are at least twice as long
    (体育<TAB>text): then the longest column with non-ASCII text."""
    width = max((len(r) for r in rows), default=1)
    totals = [0] * width
    ascii_only = [True] * width
    for row in rows:
        for i, cell in enumerate(row):
            totals[i] += len(cell)
            ascii_only[i] = ascii_only[i] and cell.isascii()
    candidates = [i for i in range(width) if i != exclude] or [0]
    first = candidates[0]
    wide = [i for i in candidates if not ascii_only[i]]
    if not wide:
        return first
    best = max(wide, key=lambda i: (totals[i], -i))
    if best != first and (ascii_only[first] or totals[best] >= 2 * totals[first]):
        return best
    return first


def _field(fields: list[str], key: Key | None) -> str | None:
    if key is None:
        return None
    index = int(key)
    return fields[index] if index < len(fields) else None


def _make(
    name: str, lineno: int, fields: list[str], layout: Layout, label_sep: str | None
) -> LabeledRecord:
    text = _field(fields, layout.text_key) or ""
    labels = _split_labels(_field(fields, layout.label_key), label_sep)
    ident = _field(fields, layout.id_key)
    return LabeledRecord(
        f"{name}:{lineno}", text, labels[0] if labels else None, fields, labels, ident
    )


def _starting_lines(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it starts on (a quoted field may span lines; the
    reader's ``line_num`` is where a record ends)."""
    end = 0
    for fields in reader:
        start, end = end + 1, reader.line_num
        yield start, fields


def sniff_delimiter(head: str, complete: bool) -> str:
    """A CSV's field separator, from its first lines (``head``; ``complete``: the whole
    file): the first of comma, semicolon, tab and pipe that splits the first row in two
    or more fields and nearly every other row in as many; else the one that splits the
    first row most, comma on a tie."""
    lines = head.splitlines(keepends=True)
    if not complete and len(lines) > 1:
        lines.pop()  # cut off mid-line
    text = "".join(lines[: SAMPLE_ROWS + 1])
    widths = {}
    for delimiter in CSV_DELIMITERS:
        try:
            rows = [r for r in csv.reader(io.StringIO(text), delimiter=delimiter) if r]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        same = sum(len(r) == len(rows[0]) for r in rows)
        if same >= 0.9 * len(rows):
            return delimiter
        widths[delimiter] = len(rows[0])
    return max(widths, key=lambda d: widths[d], default=",")


_SENTENCE_MARKS = frozenset("，。！？；、…!?")


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _is_code(cell: str) -> bool:
    """A small whole number (a label or row number; a year is no code)."""
    return cell.isascii() and cell.isdigit() and len(cell) <= 3


def _is_sentence(cell: str) -> bool:
    """Chinese text with sentence punctuation, or longer than a column name would be
    (more than 10 Chinese characters)."""
    chinese = sum("\u4e00" <= ch <= "\u9fff" for ch in cell)
    return chinese > 10 or (chinese > 0 and not _SENTENCE_MARKS.isdisjoint(cell))


def _may_be_name(cell: str) -> bool:
    """A short cell without sentence punctuation: it could name a column."""
    return 0 < len(cell.strip()) <= 8 and _SENTENCE_MARKS.isdisjoint(cell)


def _first_row_is_header(first: list[str], rows: list[list[str]], cols: _Columns) -> bool:
    """Whether a CSV's first row names its columns, judged against the rows after it.

    A header when a column is named (``--text-col review``) or a cell is one of the usual
    names, or when a cell that is not a number heads a column of numbers (``label`` over
    0 and 1). Otherwise data when a cell is a value its column takes again below (a
    label: ``1``, ``体育``), a small number heading a column of small numbers (labels, row
    numbers), or reads as a Chinese sentence; a header when none of these. Names a model
    remembered count as names when the row has them."""
    if cols.user_named():
        return True
    cells = [cell.strip() for cell in first]
    remembered = {str(key).lower() for key in (cols.text, cols.label) if isinstance(key, str)}
    if {cell.lower() for cell in cells} & {*TEXT_NAMES, *LABEL_NAMES, *ID_NAMES, *remembered}:
        return True
    if len(cells) == 1:
        # the only column is the text: its first row names it only when it reads as a
        # name over the texts below (``Review`` over Chinese rows)
        below = [row[0].strip() for row in rows if row and row[0].strip()]
        return cells[0].isascii() and not _is_number(cells[0]) and not all(map(str.isascii, below))
    data = False
    for i, cell in enumerate(cells):
        if not cell:
            continue
        column = [row[i].strip() for row in rows if i < len(row) and row[i].strip()]
        if len(column) >= 2 and not _is_number(cell) and all(map(_is_number, column)):
            return True
        codes = _is_code(cell) and bool(column) and all(map(_is_code, column))
        data = data or cell in column or codes or _is_sentence(cell)
    return not data


def _records_csv(
    name: str, handle: IO[str], layout: Layout, stats: ReadStats, cols: _Columns
) -> Iterator[LabeledRecord]:
    head = handle.read(_SNIFF_CHARS)
    handle.seek(0)
    layout.delimiter = sniff_delimiter(head, len(head) < _SNIFF_CHARS)
    reader = csv.reader(handle, delimiter=layout.delimiter, strict=True)
    rows_at = _starting_lines(reader)
    try:
        first_line, first = next(rows_at, (0, None))
        if first is None:
            return
        if first and first[0].startswith("\ufeff"):
            layout.bom = True
            first = [first[0].removeprefix("\ufeff"), *first[1:]]
        sample: list[tuple[int, list[str]]] = []
        for lineno, fields in rows_at:
            if fields:
                sample.append((lineno, fields))
                if len(sample) == SAMPLE_ROWS:
                    break
        rows = [fields for _, fields in sample]
        if _first_row_is_header(first, rows, cols):
            _headed_layout(layout, first, cols, name)
            _say_numbers_as_text(layout, rows, cols, name)
        else:
            _headerless_layout(layout, [first, *rows], len(first), cols, name)
            _say_numbers_as_text(layout, [first, *rows], cols, name)
            if len(first) == 1 and cols.on_notice is not None and _may_be_name(first[0]):
                cols.on_notice(
                    FirstRowAsText(
                        name,
                        f"one column without a usual name: its first row ({first[0]!r}) is "
                        "read as a text (--text-col NAME reads it as a header)",
                    )
                )
            if first:
                yield _make(name, first_line, first, layout, cols.label_sep)
        width = len(layout.header) if layout.header is not None else len(first)
        for lineno, fields in itertools.chain(sample, rows_at):
            if len(fields) > width and any(f.strip() for f in fields[width:]):
                fields = _wide_row(name, lineno, fields, width, layout, cols)
            if fields:
                yield _make(name, lineno, fields, layout, cols.label_sep)
        _wide_rows_counted(name, layout, cols)
    except csv.Error as exc:
        raise DataFormatError(
            f"{name}:{reader.line_num}: malformed CSV ({exc})",
            hint="check the quoting (an unterminated quote runs to the end of the file)",
        ) from None


def _wide_row(
    name: str, lineno: int, fields: list[str], width: int, layout: Layout, cols: _Columns
) -> list[str]:
    """A TSV or CSV row with more fields than the header (or first row): a tab in its
    text, or a comma left unquoted, split it. When the text is the last column, the extra
    fields are joined back to it (noted once); otherwise no column can be trusted, and the
    row is skipped as a failure (``[]``) rather than read with its label shifted."""
    source = f"{name}:{lineno}"
    if layout.text_key == width - 1 and layout.label_key != width - 1:
        if cols.on_notice is not None:
            cols.on_notice(
                JoinedFields(
                    source,
                    f"rows with more fields than the {_row_names(layout)}: the extra ones "
                    "are read as part of the text, its last column",
                )
            )
        delimiter = "\t" if layout.fmt == "tsv" else layout.delimiter
        return [*fields[: width - 1], delimiter.join(fields[width - 1 :])]
    layout.wide_skipped += 1
    if cols.on_notice is not None and layout.wide_skipped <= _WIDE_SAID:
        cols.on_notice(
            MalformedLineError(
                source,
                f"{len(fields)} fields where the {_row_names(layout)} has {width}: row "
                + (
                    "skipped (a tab in a text splits it: replace it by a space)"
                    if layout.fmt == "tsv"
                    else 'skipped (quote a text that holds the delimiter: "好吃,便宜")'
                ),
            )
        )
    return []


_WIDE_SAID = 3  # skipped rows named one by one in a file; the rest are counted


def _wide_rows_counted(name: str, layout: Layout, cols: _Columns) -> None:
    """Say how many more rows were skipped than were named."""
    more = layout.wide_skipped - _WIDE_SAID
    if more > 0 and cols.on_notice is not None:
        error = MalformedLineError(
            name,
            f"{more} more row(s) with too many fields skipped ({layout.wide_skipped} in all)",
        )
        error.count = more
        cols.on_notice(error)


def _row_names(layout: Layout) -> str:
    return "header" if layout.header is not None else "first row"


def _json_labels(value: Any, sep: str | None) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return _split_labels(str(value), sep)


def _records_jsonl(
    name: str,
    handle: IO[str],
    layout: Layout,
    stats: ReadStats,
    cols: _Columns,
    on_error: Callable[[InputError], None],
) -> Iterator[LabeledRecord]:
    text_keys = _json_keys(cols, "text", TEXT_NAMES)
    label_keys = _json_keys(cols, "label", LABEL_NAMES)
    noted: set[str] = set()  # the remembered keys a fallback was said for
    id_keys = [str(cols.id)] if cols.id is not None else list(ID_NAMES)
    seen: dict[str, None] = {}  # the keys of the objects, in order, for error messages
    started = False
    for lineno, line in enumerate(_lf_lines(handle), 1):
        if not line.strip():
            continue
        if not started and line.lstrip().removeprefix("\ufeff").startswith("["):
            raise DataFormatError(
                f"{name}: a JSON array; textkit reads JSON Lines (one object per line)",
                hint="convert it, e.g. `jq -c '.[]' FILE > FILE.jsonl`",
            )
        started = True
        source = f"{name}:{lineno}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            on_error(MalformedLineError(source, f"not valid JSON ({exc.msg}), line skipped"))
            continue
        if not isinstance(obj, dict):
            on_error(MalformedLineError(source, "not a JSON object, line skipped"))
            continue
        if len(seen) < 30 and not obj.keys() <= seen.keys():
            seen.update(dict.fromkeys(obj))
            layout.header = list(seen)
        tkey = next((k for k in text_keys if k in obj), None)
        lkey = next((k for k in label_keys if k in obj), None)
        ikey = next((k for k in id_keys if k in obj), None)
        ident = None if ikey is None or obj[ikey] is None else str(obj[ikey])
        if tkey is None:  # given back with an empty text: augment writes it unchanged
            stats.no_text_field += 1
            yield LabeledRecord(source, "", None, obj, [], ident)
            continue
        layout.text_key, layout.label_key = tkey, lkey
        layout.found.update(("text", *(("label",) if lkey is not None else ())))
        _text_is_not_label(layout, name)
        for what, key in (("text", tkey), ("label", lkey)):
            wanted = getattr(cols, what)
            fell_back = key is not None and key != wanted and what in cols.remembered
            if fell_back and what not in noted:
                noted.add(what)
                _fell_back(cols, name, what, str(wanted), str(key))
        if ikey is not None:
            layout.id_key = ikey
        text = obj[tkey]
        labels = _json_labels(obj.get(lkey) if lkey else None, cols.label_sep)
        yield LabeledRecord(
            source,
            _json_text(text),
            labels[0] if labels else None,
            obj,
            labels,
            ident,
        )


def _json_text(value: Any) -> str:
    """A JSON text field as text: a list of strings (paragraphs) one a line, a number as
    written, other values as JSON (Python's ``str`` of a list is no text of the file)."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    return json.dumps(value, ensure_ascii=False)


def _json_keys(cols: _Columns, what: str, known: tuple[str, ...]) -> list[str]:
    """The keys that may hold a JSON object's text or label, in order of preference: the
    one named, then (when a model named it) the usual names."""
    wanted = getattr(cols, what)
    if wanted is None:
        return list(known)
    if what in cols.remembered:
        return [str(wanted), *(k for k in known if k != wanted)]
    return [str(wanted)]


# A label token and the one blank after it; fastText splits on tabs as on spaces.
_FASTTEXT_LABEL = re.compile(r"[ \t\v\f]*__label__(\S*)(?:[ \t\v\f]|$)")


def fasttext_split(line: str) -> tuple[list[str], str]:
    """A fastText line's labels and its text."""
    labels, pos = [], 0
    while match := _FASTTEXT_LABEL.match(line, pos):
        labels.append(match.group(1))
        pos = match.end()
    return labels, line[pos:]


def _records_fasttext(
    name: str, handle: IO[str], layout: Layout, stats: ReadStats
) -> Iterator[LabeledRecord]:
    layout.text_key, layout.label_key = "text", "__label__"
    for lineno, line in enumerate(_lf_lines(handle), 1):
        labels, text = fasttext_split(line.rstrip("\r\n"))
        if not text.strip() and not labels:
            continue
        yield LabeledRecord(f"{name}:{lineno}", text, labels[0] if labels else None, labels, labels)


def read_labeled(
    paths: Iterable[str] | None,
    *,
    data_format: str | None = None,
    text_col: str | int | None = None,
    label_col: str | int | None = None,
    id_col: str | int | None = None,
    label_sep: str | None = None,
    encoding: str = AUTO,
    errors: str = "replace",
    require_label: bool = True,
    with_labels: bool = True,
    keep_incomplete: bool = False,
    stats: ReadStats | None = None,
    on_error: Callable[[InputError], None] | None = None,
    stream: bool = False,
    glob: str = "*",
    remembered: Iterable[str] = (),
) -> Iterator[LabeledRecord]:
    """Yield the records of ``paths`` in order.

    Files are read whole, unless ``stream``: then a regular file is scanned once for its
    encoding and decoded incrementally, so memory does not grow with its size (for
    ``train-lr --streaming``; CSV fields spanning lines still work).

    Rows with an empty text, or without a label when ``require_label``, are counted in
    ``stats.skipped`` and left out (or yielded as they are with ``keep_incomplete``, for
    ``augment`` and the document readers). A bad line of a JSONL file goes to ``on_error``;
    the rest are read. Without ``require_label`` a label column is used when there is one;
    with ``with_labels`` false (rows as plain documents), only when one is named.
    ``remembered``: which of ``text``/``label`` name a column a model was trained on, not
    one the user named: a CSV whose first row reads as data is then read without a header.
    """
    if data_format is not None and data_format not in FORMATS:
        raise ConfigError(f"unknown data format {data_format!r}")
    if id_col is not None and data_format == "fasttext":
        raise ConfigError("fastText lines have no id column")
    stats = stats if stats is not None else ReadStats()

    def fail(error: InputError) -> None:
        if on_error is None:
            if not error.is_failure:
                return
            raise error
        on_error(error)

    cols = _Columns(
        column_key(text_col),
        column_key(label_col),
        column_key(id_col),
        require_label,
        require_label or with_labels or label_col is not None,
        label_sep,
        frozenset(remembered),
        fail,
    )
    for source in iter_sources(paths_arg(paths), glob=glob, on_error=fail):
        try:
            name, handle = _open_text(source, encoding, errors, fail, stream)
        except InputError as exc:
            fail(exc)
            continue
        fmt = data_format or sniff_format(name, handle.read(65536))
        handle.seek(0)
        layout = Layout(fmt)
        layout.bom = fmt == "csv" and source != STDIN and _has_utf8_bom(source)
        stats.layouts[name] = layout
        if fmt == "tsv":
            records = _records_tsv(name, handle, layout, stats, cols)
        elif fmt == "csv":
            records = _records_csv(name, handle, layout, stats, cols)
        elif fmt == "jsonl":
            records = _records_jsonl(name, handle, layout, stats, cols, fail)
        else:
            records = _records_fasttext(name, handle, layout, stats)
        if fmt == "jsonl":
            records = _text_key_checked(records, name, layout)
        usable = 0
        for record in records:
            if not record.text.strip() or (require_label and record.label is None):
                stats.skipped += 1
                if keep_incomplete:
                    yield record
                continue
            usable += 1
            stats.rows += 1
            if len(record.labels) > 1:
                stats.multi_label_rows += 1
            yield record
        handle.close()
        if usable == 0 and not keep_incomplete:
            if _no_label_key(layout, require_label):
                raise DataFormatError(
                    f"{name}: no object has a label key ({_describe(layout)})",
                    hint="name it with --label-col",
                )
            raise DataFormatError(
                f"{name}: no usable rows ({_describe(layout)})",
                hint="check --data-format, --text-col and --label-col",
            )


def _text_key_checked(
    records: Iterator[LabeledRecord], name: str, layout: Layout
) -> Iterator[LabeledRecord]:
    """The records of a JSON lines file, refused when no object has the text key (a key
    the user misnamed: every row would be an empty document); objects without it are held
    back until one has it, so nothing is written before the error."""
    held: list[LabeledRecord] = []
    for record in records:
        if "text" in layout.found:
            yield from held
            held.clear()
            yield record
        else:
            held.append(record)
    if held and layout.header:
        raise DataFormatError(
            f"{name}: no object has a text key ({_describe(layout)})",
            hint="name it with --text-col",
        )
    yield from held


def _no_label_key(layout: Layout, require_label: bool) -> bool:
    """Whether a label is needed and no object of a JSON lines file had the label key."""
    return layout.fmt == "jsonl" and require_label and "label" not in layout.found


def _describe(layout: Layout) -> str:
    """The columns a file showed, for the "no usable rows" error."""
    if layout.fmt == "jsonl":
        return f"keys seen: {', '.join(layout.header or []) or 'none'}"
    if layout.header:
        return f"columns seen: {', '.join(layout.header)}"
    if layout.fmt in ("tsv", "csv") and not layout.width:
        return "the input is empty"
    if layout.fmt in ("tsv", "csv"):
        return (
            f"{layout.width} {'tab' if layout.fmt == 'tsv' else repr(layout.delimiter)}-"
            f"separated column(s) in the first row, no header; "
            f"text column {layout.text_key}, label column {layout.label_key}"
        )
    return "fastText lines, none with both a __label__ and a text"


def write_labeled(handle: IO[str], record: LabeledRecord, text: str, layout: Layout) -> None:
    """Write ``record`` back in its own format with ``text`` in place of its text."""
    if layout.fmt == "jsonl":
        obj = record.row
        if text != record.text:  # an original (null, a number...) is written as it was
            obj = dict(obj)
            obj[str(layout.text_key)] = text
        handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
    elif layout.fmt == "fasttext":
        prefix = "".join(f"{FASTTEXT_PREFIX}{label} " for label in record.labels)
        handle.write(prefix + text.replace("\n", " ") + "\n")
    else:
        fields = list(record.row)
        if int(layout.text_key) < len(fields):  # else a short row, written as it was
            fields[int(layout.text_key)] = text
        if layout.fmt == "csv":
            csv.writer(handle, delimiter=layout.delimiter, lineterminator="\n").writerow(fields)
        else:
            handle.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")


def write_header(handle: IO[str], layout: Layout) -> None:
    """Write the header row of a CSV (or headed TSV) before any record; a CSV that came
    with a byte-order mark gets one back in a file (so Excel reads it as UTF-8)."""
    if layout.fmt == "csv":
        _bom_for_excel(handle, layout)
    if layout.header is None or layout.fmt not in ("csv", "tsv"):
        return
    if layout.fmt == "csv":
        csv.writer(handle, delimiter=layout.delimiter, lineterminator="\n").writerow(layout.header)
    else:
        handle.write("\t".join(layout.header) + "\n")


def _has_utf8_bom(path: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(3) == codecs.BOM_UTF8
    except OSError:
        return False


def _bom_for_excel(handle: IO[str], layout: Layout) -> None:
    """Start a CSV file with a byte-order mark when its input had one: Excel reads a CSV
    without it in the system's code page. Never on stdout, where a pipe's tools would read
    the mark as text."""
    if layout.bom and getattr(handle, "name", "<stdout>") not in ("<stdout>", 1):
        handle.write("\ufeff")


def _headerless_name(layout: Layout, column: int) -> str:
    """The name a column of a TSV or CSV without a header gets in another format: ``text``
    and ``label`` for the columns read as such (so the file reads back the same), else
    ``column_N``."""
    if column == layout.text_key:
        return "text"
    return "label" if column == layout.label_key else f"column_{column}"


def added_names(layout: Layout, names: Sequence[str]) -> list[str]:
    """Names for columns added to rows of ``layout`` (``label``, ``probability``): as given,
    or prefixed with ``predicted_`` when the rows already have a column of that name."""
    taken = {h.strip().lower() for h in layout.header or []}
    if layout.fmt == "fasttext":
        taken |= {"text", "labels"}
    elif layout.header is None and layout.fmt in ("tsv", "csv"):
        taken |= {_headerless_name(layout, i) for i in range(layout.width)}
    if not taken & {n.lower() for n in names}:
        return list(names)
    return [f"predicted_{n}" for n in names]


class RowWriter:
    """Rows of a tabular input written back with columns added (``classify`` adds
    ``label`` and ``probability``), csvkit-style: CSV stays CSV with its own delimiter
    (other input written as CSV is comma-separated), a JSON object gets the new keys, a
    TSV or CSV keeps its header if it had one (JSON objects written as TSV or CSV: their
    keys). ``fmt`` may also name another output format than the input's (``tsv``,
    ``csv``, ``jsonl``). ``lead``: columns (keys) put before the row's own (``source``),
    their values given to :meth:`write`."""

    def __init__(
        self,
        handle: IO[str],
        fmt: str,
        layout: Layout,
        added: Sequence[str],
        lead: Sequence[str] = (),
    ) -> None:
        if fmt not in ("tsv", "csv", "jsonl"):
            raise ConfigError(f"rows can be written as tsv, csv or jsonl, not {fmt!r}")
        self.handle, self.fmt, self.layout = handle, fmt, layout
        if fmt == "csv" and layout.fmt == "csv":
            _bom_for_excel(handle, layout)
        self.added, self.lead = list(added), list(lead)
        delimiter = layout.delimiter if layout.fmt == "csv" else ","
        self._csv = (
            csv.writer(handle, delimiter=delimiter, lineterminator="\n") if fmt == "csv" else None
        )
        self._names = self._column_names()
        headerless_csv = layout.fmt == "csv" and layout.header is None  # stays so
        if (fmt == "csv" and not headerless_csv) or (fmt == "tsv" and layout.header is not None):
            self._write_cells([*self.lead, *self._names, *self.added])

    def _column_names(self) -> list[str]:
        if self.layout.fmt in ("csv", "tsv") and self.layout.header is not None:
            return list(self.layout.header)
        if self.layout.fmt == "jsonl":
            return list(self.layout.header or [])
        if self.layout.fmt in ("tsv", "csv") and self.fmt != self.layout.fmt and self.layout.width:
            # A TSV or CSV without a header written in another format: its columns need names.
            return [_headerless_name(self.layout, i) for i in range(self.layout.width)]
        return []

    def _write_cells(self, cells: Sequence[Any]) -> None:
        text = ["" if c is None else c if isinstance(c, str) else _cell(c) for c in cells]
        if self._csv is not None:
            self._csv.writerow(text)
        else:
            self.handle.write(
                "\t".join(t.replace("\t", " ").replace("\n", " ").replace("\r", " ") for t in text)
            )
            self.handle.write("\n")

    def same_layout(self, layout: Layout) -> bool:
        return (layout.fmt, layout.header) == (self.layout.fmt, self.layout.header)

    def write(self, record: LabeledRecord, values: Sequence[Any], lead: Sequence[Any] = ()) -> None:
        """One row: ``lead`` values, its own fields, then ``values`` for the added columns."""
        row = record.row
        if self.fmt == "jsonl":
            obj = dict(zip(self.lead, lead, strict=True))
            obj.update(row if isinstance(row, dict) else zip(self._names, row, strict=False))
            obj.update(zip(self.added, values, strict=True))
            self.handle.write(json.dumps(obj, ensure_ascii=False) + "\n")
            return
        # JSON rows in a flat format: the keys seen, in order.
        fields = [row.get(n) for n in self._names] if isinstance(row, dict) else list(row)
        if len(fields) < len(self._names):  # a short row: the added columns stay in place
            fields += [""] * (len(self._names) - len(fields))
        self._write_cells([*lead, *fields, *values])


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
