"""Labeled data: one reader (and a matching writer) for TSV, CSV, JSONL and fastText files.

Used by ``train-lr``, ``evaluate`` and ``augment``. Each record keeps its original row, so
``augment`` can write the row back in the same format with only the text changed.

Formats:

* ``tsv``: ``text<TAB>label`` (the THUCNews layout); a first line naming a known text and
  label column, or ``--text-col``/``--label-col`` given as names, makes it a header;
* ``csv``: a header row (``label,review`` in ChineseNlpCorpus), columns found by name;
* ``jsonl``: one object per line with ``text`` and ``label`` (or the usual synonyms);
* ``fasttext``: ``__label__X [__label__Y ...] text``.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from textkit.checks import paths_arg
from textkit.errors import ConfigError, DataFormatError, InputError, MalformedLineError
from textkit.io.readers import AUTO, STDIN, STDIN_NAME, _bom_codec, _is_wide, decode_bytes

FORMATS = ("tsv", "csv", "jsonl", "fasttext")
TEXT_NAMES = ("text", "review", "content", "sentence", "title")
LABEL_NAMES = ("label", "labels", "category", "class")
FASTTEXT_PREFIX = "__label__"
_EXTENSIONS = {".tsv": "tsv", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}

# A whole CSV field may be a long document; the csv module's 128 KiB default is too small.
csv.field_size_limit(2**31 - 1)


@dataclass(slots=True)
class LabeledRecord:
    """One row: its text, its label(s) and the original row for writing back."""

    source: str
    text: str
    label: str | None
    row: Any = None  # list[str] (tsv/csv), dict (jsonl) or list of labels (fasttext)
    labels: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Layout:
    """How a file is laid out: its format and where text and label live."""

    fmt: str
    text_key: int | str = 0
    label_key: int | str | None = 1
    header: list[str] | None = None  # also the JSON keys seen, for error messages
    width: int = 0  # fields in the first row of a TSV without a header


@dataclass
class ReadStats:
    """What a read skipped, for the CLI's summary line."""

    rows: int = 0
    skipped: int = 0
    no_text_field: int = 0  # JSON objects without the text key (also counted in skipped)
    layouts: dict[str, Layout] = field(default_factory=dict)


def sniff_format(name: str, head: str) -> str:
    """Guess a labeled-data format from the file extension, then from its first line."""
    ext = Path(name).suffix.lower()
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    first = next((line for line in head.splitlines() if line.strip()), "")
    if not first:
        return "tsv"  # nothing but blank lines: every format reads no rows from it
    if first.lstrip().startswith(FASTTEXT_PREFIX):
        return "fasttext"
    if first.lstrip().startswith("{"):
        return "jsonl"
    if "\t" in first:
        return "tsv"
    if "," in first:
        return "csv"
    raise DataFormatError(
        f"{name}: cannot tell the data format from its first line",
        hint="pass --data-format tsv|csv|jsonl|fasttext",
    )


def _column(key: str | None) -> int | str | None:
    """A ``--text-col``/``--label-col`` value: a 0-based index or a column name."""
    if key is None:
        return None
    return int(key) if key.isdigit() else key


def _find(
    names: list[str], wanted: int | str | None, known: tuple[str, ...], what: str, source: str
) -> int:
    """Resolve a column to an index in a header, by index, by name or by the usual names."""
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
    raise DataFormatError(
        f"{source}: no {what} column (saw columns: {', '.join(names) or 'none'})",
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
    bom = _bom_codec(head) if encoding == AUTO else None
    if encoding != AUTO:
        candidates, nul_is_binary = [encoding], not _is_wide(encoding)
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


def _open_text(source: str, encoding: str, stream: bool = False) -> tuple[str, IO[str]]:
    """Open a labeled file as text, deciding the encoding like the document reader.
    ``stream``: decode a regular file incrementally instead of holding it whole."""
    name = STDIN_NAME if source == STDIN else source
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
    text = decode_bytes(raw, name, encoding)
    return name, io.StringIO(text, newline="")


def _records_tsv(
    name: str,
    handle: IO[str],
    layout: Layout,
    stats: ReadStats,
    text_col: int | str | None,
    label_col: int | str | None,
) -> Iterator[LabeledRecord]:
    lines = iter(handle)
    first = next(lines, None)
    if first is None:
        return
    first_fields = first.rstrip("\r\n").split("\t")
    lowered = {f.strip().lower() for f in first_fields}
    named = isinstance(text_col, str) or isinstance(label_col, str)
    has_header = named or (lowered & set(TEXT_NAMES) and lowered & set(LABEL_NAMES))
    start = 1
    if has_header:
        layout.header = first_fields
        layout.text_key = _find(first_fields, text_col, TEXT_NAMES, "text", name)
        layout.label_key = _find(first_fields, label_col, LABEL_NAMES, "label", name)
        start = 2
    else:
        layout.text_key = text_col if isinstance(text_col, int) else 0
        layout.label_key = label_col if isinstance(label_col, int) else 1
        layout.width = len(first_fields)
        lines = _prepend(first, lines)
    for lineno, line in enumerate(lines, start):
        fields = line.rstrip("\r\n").split("\t")
        yield _make(name, lineno, fields, layout, stats)


def _prepend(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def _make(
    name: str, lineno: int, fields: list[str], layout: Layout, stats: ReadStats
) -> LabeledRecord:
    tk, lk = int(layout.text_key), layout.label_key
    text = fields[tk] if tk < len(fields) else ""
    label = fields[int(lk)].strip() if lk is not None and int(lk) < len(fields) else None
    return LabeledRecord(f"{name}:{lineno}", text, label or None, fields)


def _records_csv(
    name: str,
    handle: IO[str],
    layout: Layout,
    stats: ReadStats,
    text_col: int | str | None,
    label_col: int | str | None,
) -> Iterator[LabeledRecord]:
    reader = csv.reader(handle, strict=True)
    try:
        header = next(reader, None)
        if header is None:
            return
        header = [h.removeprefix("\ufeff") for h in header]
        layout.header = header
        layout.text_key = _find(header, text_col, TEXT_NAMES, "text", name)
        layout.label_key = _find(header, label_col, LABEL_NAMES, "label", name)
        for fields in reader:
            if not fields:
                continue
            yield _make(name, reader.line_num, fields, layout, stats)
    except csv.Error as exc:
        raise DataFormatError(
            f"{name}:{reader.line_num}: malformed CSV ({exc})",
            hint="check the quoting (an unterminated quote runs to the end of the file)",
        ) from None


def _records_jsonl(
    name: str,
    handle: IO[str],
    layout: Layout,
    stats: ReadStats,
    text_col: int | str | None,
    label_col: int | str | None,
    on_error: Callable[[InputError], None],
) -> Iterator[LabeledRecord]:
    text_keys = [str(text_col)] if text_col is not None else list(TEXT_NAMES)
    label_keys = [str(label_col)] if label_col is not None else list(LABEL_NAMES)
    seen: dict[str, None] = {}  # the keys of the objects, in order, for error messages
    for lineno, line in enumerate(handle, 1):
        if not line.strip():
            continue
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
        if tkey is None:  # given back with an empty text: augment writes it unchanged
            stats.no_text_field += 1
            yield LabeledRecord(source, "", None, obj)
            continue
        layout.text_key, layout.label_key = tkey, lkey
        text = obj[tkey]
        label = obj.get(lkey) if lkey else None
        if isinstance(label, list):
            label = label[0] if label else None
        yield LabeledRecord(
            source,
            text if isinstance(text, str) else "" if text is None else str(text),
            None if label is None or label == "" else str(label),
            obj,
        )


# A label token and the one blank after it; fastText splits on tabs as on spaces.
_FASTTEXT_LABEL = re.compile(r"[ \t\v\f]*__label__(\S*)(?:[ \t\v\f]|$)")


def _records_fasttext(
    name: str, handle: IO[str], layout: Layout, stats: ReadStats
) -> Iterator[LabeledRecord]:
    for lineno, line in enumerate(handle, 1):
        line = line.rstrip("\r\n")
        labels, pos = [], 0
        while match := _FASTTEXT_LABEL.match(line, pos):
            labels.append(match.group(1))
            pos = match.end()
        text = line[pos:]
        if not text.strip() and not labels:
            continue
        yield LabeledRecord(f"{name}:{lineno}", text, labels[0] if labels else None, labels, labels)


def read_labeled(
    paths: Iterable[str] | None,
    *,
    data_format: str | None = None,
    text_col: str | int | None = None,
    label_col: str | int | None = None,
    encoding: str = AUTO,
    require_label: bool = True,
    keep_incomplete: bool = False,
    stats: ReadStats | None = None,
    on_error: Callable[[InputError], None] | None = None,
    stream: bool = False,
) -> Iterator[LabeledRecord]:
    """Yield the labeled records of ``paths`` in order.

    Files are read whole, unless ``stream``: then a regular file is scanned once for its
    encoding and decoded incrementally, so memory does not grow with its size (for
    ``train-lr --streaming``; CSV fields spanning lines still work).

    Rows with an empty text, or without a label when ``require_label``, are counted in
    ``stats.skipped`` and left out (or yielded as they are with ``keep_incomplete``, for
    ``augment``). A bad line of a JSONL file goes to ``on_error``; the rest are read.
    """
    if data_format is not None and data_format not in FORMATS:
        raise ConfigError(f"unknown data format {data_format!r}")
    stats = stats if stats is not None else ReadStats()

    def fail(error: InputError) -> None:
        if on_error is None:
            raise error
        on_error(error)

    text_key = _column(text_col) if isinstance(text_col, str) else text_col
    label_key = _column(label_col) if isinstance(label_col, str) else label_col
    from textkit.io.readers import iter_sources

    for source in iter_sources(paths_arg(paths), glob="*", on_error=fail):
        try:
            name, handle = _open_text(source, encoding, stream)
        except InputError as exc:
            fail(exc)
            continue
        fmt = data_format or sniff_format(name, handle.read(65536))
        handle.seek(0)
        layout = Layout(fmt)
        stats.layouts[name] = layout
        if fmt == "tsv":
            records = _records_tsv(name, handle, layout, stats, text_key, label_key)
        elif fmt == "csv":
            records = _records_csv(name, handle, layout, stats, text_key, label_key)
        elif fmt == "jsonl":
            records = _records_jsonl(name, handle, layout, stats, text_key, label_key, fail)
        else:
            records = _records_fasttext(name, handle, layout, stats)
        usable = 0
        for record in records:
            if not record.text.strip() or (require_label and record.label is None):
                stats.skipped += 1
                if keep_incomplete:
                    yield record
                continue
            usable += 1
            stats.rows += 1
            yield record
        handle.close()
        if usable == 0 and not keep_incomplete:
            raise DataFormatError(
                f"{name}: no usable rows ({_describe(layout)})",
                hint="check --data-format, --text-col and --label-col",
            )


def _describe(layout: Layout) -> str:
    """The columns a file showed, for the "no usable rows" error."""
    if layout.fmt == "jsonl":
        return f"keys seen: {', '.join(layout.header or []) or 'none'}"
    if layout.header:
        return f"columns seen: {', '.join(layout.header)}"
    if layout.fmt == "tsv" and not layout.width:
        return "the input is empty"
    if layout.fmt == "tsv":
        return (
            f"{layout.width} tab-separated column(s) in the first row, no header; "
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
            csv.writer(handle, lineterminator="\n").writerow(fields)
        else:
            handle.write("\t".join(f.replace("\t", " ").replace("\n", " ") for f in fields) + "\n")


def write_header(handle: IO[str], layout: Layout) -> None:
    """Write the header row of a CSV (or headed TSV) before any record."""
    if layout.header is None or layout.fmt not in ("csv", "tsv"):
        return
    if layout.fmt == "csv":
        csv.writer(handle, lineterminator="\n").writerow(layout.header)
    else:
        handle.write("\t".join(layout.header) + "\n")
