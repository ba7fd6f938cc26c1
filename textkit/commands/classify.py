"""``textkit classify``: label documents, lines or rows with a model from ``train-lr``."""

import functools
import itertools
import os
import sys
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    Backend,
    BackendOption,
    DataFormatOpt,
    Encoding,
    EncodingErrors,
    ErrorMode,
    Glob,
    Header,
    IdCol,
    Jobs,
    ModelOpt,
    Output,
    OutputFormat,
    Paths,
    Quiet,
    Scheduler,
    TextCol,
    open_output,
    read_options,
    require_model,
    resolve_format,
    rows_format,
)
from textkit.errors import DataFormatError
from textkit.io.decoding import AUTO
from textkit.io.sources import DEFAULT_GLOB, STDIN

CHUNK = 1000
CHUNK_CHARS = 1 << 22  # and about 4M characters, should the documents be long

Format = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: -o's extension (.tsv, .csv, .jsonl), else the rows' own "
        "format for CSV/TSV/JSONL input, else table on a terminal, tsv otherwise].",
        show_default=False,
    ),
]
Unit = Annotated[
    bool | None,
    typer.Option(
        "--lines/--whole-file",
        help="One label per line, or per whole file, of plain text (a CSV/TSV/JSONL file: "
        "per row) [default: per line of a file or stdin, per file of a directory].",
        show_default=False,
    ),
]


def load_classifier(path: Path, reporter: Any) -> Any:
    """The model, its warnings (another scikit-learn version...) said once."""
    from textkit.classify.model import TextClassifier

    model = TextClassifier.load(path)
    for note in model.warnings:
        reporter.warn(note)
    return model


def remembered_columns(model: Any, data_format: str | None, fmt: str) -> dict[str, Any]:
    """The text and label columns the model was trained on, for the user who names none: a
    column's name in any table (CSV, TSV, JSON lines), its number only in the format the
    model was trained on; and the separator of its labels (``a,b``: two labels)."""
    data = model.metadata.get("data") or {}
    found: dict[str, Any] = {"label_sep": data.get("label_sep")}
    same = data.get("format") == fmt and (data_format is None or data_format == fmt)
    for key, column in (("text_col", data.get("text")), ("label_col", data.get("label"))):
        if (isinstance(column, str) and fmt in ("csv", "tsv", "jsonl")) or (
            column is not None and same
        ):
            found[key] = column
    return found


def _stdin_format(model: Any, reporter: Any) -> str | None:
    """stdin is plain text, unless its first line is the header of the table the model
    was trained on (``cat test.csv | textkit classify -m m``): then it is read as that."""
    data = model.metadata.get("data") or {}
    fmt, text = data.get("format"), data.get("text")
    if fmt not in ("csv", "tsv", "jsonl") or not isinstance(text, str):
        return None
    head = _peek_stdin(1 << 16)
    first = head.split(b"\n", 1)[0].decode("utf-8", "replace").strip().lstrip("\ufeff")
    if fmt == "jsonl":
        named = first.startswith("{") and f'"{text}"' in first
    else:
        from textkit.io.tabular import sniff_delimiter

        sep = sniff_delimiter(head.decode("utf-8", "replace"), False) if fmt == "csv" else "\t"
        named = text in [cell.strip().strip('"') for cell in first.split(sep)]
    if not named:
        return None
    reporter.info(
        f"Note: <stdin>: read as {fmt}: its first line names the model's text column "
        f"{text!r} (--data-format text reads it as lines)"
    )
    return fmt


def _training_tsv(source: str, model: Any) -> bool:
    """Whether a file without a table's extension holds the tab-separated rows the model
    was trained on (a THUCNews-style ``.txt`` of ``title<TAB>label``): every one of its
    first lines has a tab, and the model was trained on TSV."""
    from textkit.io.tabular import format_of

    data = model.metadata.get("data") or {}
    if data.get("format") != "tsv" or format_of(source) is not None:
        return False
    return _tab_separated(source)


@functools.lru_cache(maxsize=1024)
def _tab_separated(source: str) -> bool:
    """Whether every one of a regular file's first lines holds a tab (asked once a file,
    when the output mode is chosen and when the file is read)."""
    if not os.path.isfile(source):
        return False
    try:
        with open(source, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return False  # reported where the file is read
    from textkit.io.decoding import bom_codec

    # decoded: in UTF-16 (Excel's "Unicode text" export) a line's bytes end with NUL
    text = head.decode(bom_codec(head) or "utf-8", "replace").lstrip("\ufeff")
    lines = [line for line in text.split("\n")[:50] if line.strip()]
    return bool(lines) and all("\t" in line.strip() for line in lines)


def _peek_stdin(size: int) -> bytes:
    """The first bytes of stdin, left to be read again."""
    stream = sys.stdin.buffer
    try:
        if hasattr(stream, "peek"):
            return stream.peek(size)[:size]
        if stream.seekable():  # a test runner's in-memory stdin
            where = stream.tell()
            head = stream.read(size)
            stream.seek(where)
            return head
    except (OSError, ValueError):
        pass
    return b""


SINGLE, STACK, FLAT = "single", "stack", "flat"


def input_files(paths: list[str], glob: str, on_error: Any, model_path: str) -> Any:
    """The input files, as the reader expands them, without the model file itself (a
    model saved in the folder it classifies or evaluates)."""
    from textkit.io.sources import iter_sources
    from textkit.io.writers import same_file

    for source in iter_sources(paths, glob, on_error):
        if source != STDIN and same_file(source, model_path):
            continue
        yield source


def output_mode(
    paths: list[str],
    read: dict[str, Any],
    stdin_format: str | None,
    model_path: str = "",
    model: Any = None,
) -> str:
    """How results are written. One input (a file or stdin): its rows with the new columns
    (tabular), or ``source label probability`` records (text) -- ``single``. Several inputs
    (several paths, or a directory), each row then led by its ``path:line``: the rows
    stacked (``stack``) when every file has one tabular format, else records (``flat``:
    files of several formats, or plain text)."""
    from textkit.io.readers import FASTTEXT, TEXT
    from textkit.io.tabular import format_of

    if len(paths) <= 1 and not any(os.path.isdir(path) for path in paths):
        return SINGLE
    kinds = set()
    for source in input_files(paths, read["glob"], lambda error: None, model_path):
        if read["data_format"] is not None:
            kind = read["data_format"]
        elif source == STDIN:
            kind = stdin_format or TEXT
        else:  # as _document_chunks reads it: fastText lines as text
            kind = format_of(source) or TEXT
            if kind == TEXT and model is not None and _training_tsv(source, model):
                kind = "tsv"
        kinds.add(TEXT if kind == FASTTEXT and read["data_format"] is None else kind)
        if len(kinds) > 1:
            return FLAT
    return STACK if kinds and kinds != {TEXT} else FLAT


def _document_chunks(
    paths: list[str],
    lines: bool | None,
    read: dict[str, Any],
    model: Any,
    stdin_format: str | None,
    flush: Any,
    model_path: str = "",
    note: Any = None,
) -> Iterator[list[Any]]:
    """Chunks of documents: per file (named, or found in a directory), the rows of a
    tabular file, else the lines of a named file or stdin and the whole text of a file in
    a directory. Line chunks never wait for a line a pipe does not have yet (see
    chunk_lines), so `tail -f log | textkit classify` answers as lines come."""
    from textkit.io.parallel import chunked
    from textkit.io.readers import (
        FASTTEXT,
        TEXT,
        chunk_lines,
        input_format,
        iter_documents,
        iter_units,
    )

    said = False
    for path in paths or [STDIN]:
        per_line = lines if lines is not None else not os.path.isdir(path)
        # A directory is expanded here so that each of its files is read by its own format,
        # as the reader does for every other command.
        for source in input_files([path], read["glob"], read["on_error"], model_path):
            options = dict(read)
            if source == STDIN and options["data_format"] is None:
                options["data_format"] = stdin_format
            fmt = input_format(source, options["data_format"])
            if fmt == FASTTEXT and options["data_format"] is None:
                fmt = TEXT  # a .txt of fastText lines: labels left out (fastText's predict)
            if fmt == TEXT and options["data_format"] is None and _training_tsv(source, model):
                fmt = options["data_format"] = "tsv"
                if note is not None and not said:
                    said = True
                    note(
                        f"Note: {source}: read as tsv, as the model's training data "
                        "(--data-format text classifies its lines whole)"
                    )
            if fmt != TEXT:
                found = remembered_columns(model, read["data_format"], fmt)
                if options["text_col"] is None and found.get("text_col") is not None:
                    options["text_col"] = found["text_col"]
                    options["remembered"] = ("text",)
                yield from chunked(iter_documents([source], **options), CHUNK)
            elif per_line:
                # classify reads fastText lines as text, and leaves their labels out itself
                units = iter_units([source], **{**options, "lines": True, "data_format": TEXT})
                yield from chunk_lines(units, options["on_error"], flush, CHUNK, CHUNK_CHARS)
            else:
                whole = {**options, "lines": False, "data_format": TEXT}
                yield from chunked(iter_documents([source], **whole), CHUNK)


def classify(
    model_path: ModelOpt = None,
    paths: Paths = None,
    lines: Unit = None,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    id_col: IdCol = None,
    top_k: Annotated[
        int | None,
        typer.Option(
            "--top-k",
            "-k",
            min=1,
            help="At most K labels [default: 1; a multi-label model: every label it gives].",
            show_default=False,
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(
            "--threshold",
            min=0.0,
            max=1.0,
            help="Only labels with at least this probability [default: a multi-label "
            "model's own threshold per label].",
            show_default=False,
        ),
    ] = None,
    proba: Annotated[bool, typer.Option("--proba", help="Add every class's probability.")] = False,
    explain: Annotated[
        int, typer.Option("--explain", min=0, help="Show the N features that weighed most.")
    ] = 0,
    fmt: Format = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
) -> None:
    """Label text with a model from train-lr: each line of a file or stdin, each file of a
    directory, each row of a CSV/TSV/JSONL file (written back with label and probability
    added; a CSV keeps its delimiter). Several inputs (paths, or a directory) may mix
    formats: each result is then led by its source (path:line). A multi-label model gives
    each text every label whose probability reaches that label's threshold (none, one or
    several).

    Example: textkit classify -m news.model titles.txt --format jsonl
    """
    from textkit.classify.model import ClassifyRequest, classify_chunk, preload
    from textkit.io.parallel import map_chunks
    from textkit.io.tabular import fasttext_split
    from textkit.io.terminal import Reporter

    reporter = Reporter(quiet=quiet)
    model_path = require_model(model_path, paths, "classify")
    model = load_classifier(model_path, reporter)  # fails early, before any input is read
    preload(model, str(model_path))
    request = ClassifyRequest(
        str(model_path), top_k=top_k, proba=proba, explain=explain, threshold=threshold
    )
    read = read_options(False, glob, encoding, encoding_errors, data_format, text_col, id_col)
    read["on_error"] = reporter.input_failed
    meter = reporter.input_meter(paths, glob)
    count, empty, gold_lines, tabbed, unknown, rows_read = 0, 0, 0, 0, 0, 0
    distinct: set[str] = set()  # the texts of tabular rows, while few
    rows: deque[Any] = deque()  # each pending document's row (None for plain text)
    index = itertools.count()
    stdin_format = None
    if data_format is None and (not paths or STDIN in paths):
        stdin_format = _stdin_format(model, reporter)
    mode = output_mode(paths or [], read, stdin_format, str(model_path), model)
    # Several inputs written as records: a row is named by its file and line (or its
    # --id-col), as a line of text is.
    by_line = mode == FLAT and id_col is None
    with open_output(output, [*(paths or []), model_path], glob) as stream:
        out = _Output(stream, fmt, header, model, top_k, proba, explain, mode)

        def items(documents: list[Any]) -> list[tuple[int, str, str]]:
            nonlocal empty, gold_lines, tabbed, rows_read
            found = []
            if meter is not None:
                documents = list(meter.watch(documents))
            for doc in documents:
                text = doc.text
                if doc.row is None and text.startswith("__label__"):
                    # fastText's predict reads a labeled line's text: so does classify.
                    text = fasttext_split(text)[1]
                    gold_lines += 1
                empty += not text.strip()
                tabbed += doc.row is None and "\t" in text.strip()
                rows.append(doc.row)
                if doc.row is not None:
                    rows_read += 1
                    if len(distinct) <= _FEW_TEXTS:
                        distinct.add(text.strip())
                source = doc.row[0].source if by_line and doc.row is not None else doc.source
                found.append((next(index), source, text))
            return found

        chunks = _document_chunks(
            paths or [],
            lines,
            read,
            model,
            stdin_format,
            stream.flush,
            str(model_path),
            reporter.info,
        )
        results = map_chunks(
            classify_chunk,
            request,
            map(items, chunks),
            jobs=jobs,
            backend=backend.value,
            scheduler=scheduler,
        )
        for result in reporter.progress(results, "classifying", meter=meter):
            count += 1
            unknown += result.featureless
            out.write(result, rows.popleft())
    if empty:  # still one row each, so outputs line up with inputs; but say so
        reporter.warn(
            f"{empty} empty document(s): labeled by the model's intercepts alone (no features)"
        )
    if rows_read >= 20 and len(distinct) * 20 <= rows_read:
        seen = ", ".join(repr(t) for t in sorted(distinct)[:3])
        reporter.warn(
            f"the texts of {rows_read} rows take {len(distinct)} value(s) only ({seen}"
            f"{', ...' if len(distinct) > 3 else ''}): is that the text column? (--text-col)"
        )
    if unknown > empty:  # a text none of whose words or characters the model has seen
        reporter.warn(
            f"{unknown - empty} of {count} document(s) hold no feature the model knows: "
            "labeled by its intercepts alone (the wrong column given as --text-col, or text "
            "unlike the training data?)"
        )
    # text<TAB>label lines in a .txt (THUCNews): the label was read as text, unless the
    # user asked for plain text
    if tabbed and read["data_format"] != "text":
        reporter.warn(
            f"{tabbed} plain-text document(s) hold a tab: classified whole, every column "
            "included (for tab-separated data pass --data-format tsv)"
        )
    if gold_lines:
        reporter.warn(
            f"{gold_lines} line(s) began with __label__: classified without those labels "
            "(textkit evaluate scores a model against them)"
        )
    raise typer.Exit(reporter.finish(count))


_FEW_TEXTS = 1000  # distinct texts counted, to tell a column of labels given as the text


class _Output:
    """Where results go (``mode``: see :func:`output_mode`): records (source, label,
    probability ...) for plain text and for inputs of several formats, or the input's rows
    with the new columns for tabular input (led by their source when several files are
    read)."""

    def __init__(
        self,
        stream: Any,
        fmt: Any,
        header: bool,
        model: Any,
        top_k: int | None,
        proba: bool,
        explain: int,
        mode: str = SINGLE,
    ) -> None:
        self.stream, self.fmt, self.header, self.mode = stream, fmt, header, mode
        self.model, self.top_k, self.proba, self.explain = model, top_k, proba, explain
        # Several labels a text, in one cell: a multi-label model without -k.
        self.several = model.multi_label and top_k is None
        # labels that were JSON integers in training are written as such in JSON (so that
        # `jq 'select(.label == .predicted_label)'` compares like with like)
        data = model.metadata.get("data") or {}
        self.integers = data.get("label_type") == "integer"
        self.records: Any = None
        self.rows: Any = None

    def _record_writer(self) -> Any:
        from textkit.io.terminal import color_enabled
        from textkit.io.writers import RecordWriter

        columns = ["source", "label", "probability"]
        if self.proba:
            columns += self.model.classes
        if self.explain:
            columns.append("explain")
        fmt = resolve_format(self.fmt, self.stream)
        return RecordWriter(
            self.stream, fmt, columns, header=self.header, color=color_enabled(self.stream)
        )

    def _row_writer(self, layout: Any) -> Any:
        from textkit.io.tabular import RowWriter, added_names

        fmt = rows_format(self.fmt, self.stream, layout.fmt)
        if fmt not in ("tsv", "csv", "jsonl"):
            fmt = "tsv"
        if self.several:
            names = ["labels", "probabilities"]
        else:
            names = ["label", "probability"]
            for k in range(2, (self.top_k or 1) + 1):
                names += [f"label_{k}", f"probability_{k}"]
        if self.proba:
            names += [f"p({c})" for c in self.model.classes]
        if self.explain:
            names.append("explain")
        lead = []
        if self.mode == STACK:
            taken = {h.strip().lower() for h in layout.header or []}
            lead.append("input_source" if "source" in taken else "source")
        return RowWriter(self.stream, fmt, layout, added_names(layout, names), lead)

    def write(self, result: Any, row: Any) -> None:
        if row is None or self.mode == FLAT:
            if self.rows is not None:
                raise DataFormatError(
                    f"{result.source}: plain text after tabular rows",
                    hint="classify tabular and plain-text inputs in separate runs",
                )
            if self.records is None:
                self.records = self._record_writer()
            self._write_record(result)
            return
        record, layout = row
        if self.records is not None:
            raise DataFormatError(
                f"{record.source}: tabular rows after plain text",
                hint="classify tabular and plain-text inputs in separate runs",
            )
        if self.rows is None:
            self.rows = self._row_writer(layout)
        elif not self.rows.same_layout(layout) and self.rows.fmt == "jsonl":
            self.rows = self._row_writer(layout)  # each object carries its own keys
        elif not self.rows.same_layout(layout):
            raise DataFormatError(
                f"{record.source}: a different format or header than the first input",
                hint="classify files of different layouts one at a time, or write JSON "
                "lines: -f jsonl",
            )
        values: list[Any] = []
        json = self.rows.fmt == "jsonl"
        if self.several:
            found, scores = [lab for lab, _ in result.ranked], [p for _, p in result.ranked]
            if json:
                values += [[self._json_label(lab) for lab in found], scores]
            else:
                values += [",".join(found), ",".join(f"{p:.6g}" for p in scores)]
        else:
            for lab, p in result.ranked:
                values += [self._json_label(lab) if json else lab, p]
            values += [None, None] * ((self.top_k or 1) - len(result.ranked))
        values += result.proba
        if self.explain:
            values.append(_explained(result.reasons[0]) if result.reasons else None)
        self.rows.write(record, values, [record.source] if self.rows.lead else [])

    def _write_record(self, result: Any) -> None:
        # A text no label reached (a threshold) still gets its row, label empty, so that
        # output lines up with input.
        ranked = result.ranked
        obj: dict[str, Any] = {
            "source": result.source,
            "label": self._json_label(ranked[0][0]) if ranked else None,
            "probability": ranked[0][1] if ranked else None,
        }
        if len(ranked) > 1 or self.several:
            obj["top"] = [{"label": self._json_label(lab), "probability": p} for lab, p in ranked]
        if self.proba:
            obj["proba"] = dict(zip(self.model.classes, result.proba, strict=True))
        rows = [[result.source, lab, p, *result.proba] for lab, p in ranked]
        if not rows:
            rows = [[result.source, "", "", *result.proba]]
        if self.explain:  # each row explains its own label; JSONL the best one
            reasons = result.reasons or [[]]
            for flat, why in zip(rows, reasons, strict=True):
                flat.append(_explained(why))
            obj["explain"] = [{"feature": f, "weight": w} for f, w in reasons[0]]
        self.records.write(rows, obj)

    def _json_label(self, label: str) -> Any:
        return int(label) if self.integers else label


def _explained(reasons: list[tuple[str, float]]) -> str:
    """Space-separated ``feature=+weight``; a space inside an n-gram shows as ␣ (JSONL
    keeps the feature as it is)."""
    return " ".join(f"{_visible(f)}={w:+.3f}" for f, w in reasons)


def _visible(feature: str) -> str:
    return feature.replace(" ", "\u2423") if " " in feature else feature
