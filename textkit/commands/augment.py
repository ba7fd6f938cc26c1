"""``textkit augment``: EDA data augmentation for labeled or plain text."""

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    Backend,
    BackendOption,
    DataFormat,
    DataFormatOpt,
    Encoding,
    EncodingErrors,
    ErrorMode,
    Glob,
    Jobs,
    LabelCol,
    NoDefaultStopwords,
    Output,
    Paths,
    Quiet,
    Scheduler,
    StopwordFiles,
    TextCol,
    Tokenizer,
    UserDict,
    check_backend,
    open_output,
    refuse_overwriting,
    rows_format,
)
from textkit.errors import DataFormatError
from textkit.io.decoding import AUTO
from textkit.io.sources import DEFAULT_GLOB, STDIN


def _num_aug_value(value: str) -> str:
    if value != "auto" and not (value.isascii() and value.isdigit()):
        raise typer.BadParameter(f"expected a number (0 or more) or 'auto', got {value!r}")
    return value


def _ops_value(value: str) -> str:
    from textkit.augment.eda import OPS

    ops = [op.strip().lower() for op in value.split(",") if op.strip()]
    unknown = [op for op in ops if op not in OPS]
    if unknown or not ops:
        raise typer.BadParameter(f"choose from {','.join(OPS)}, got {value!r}")
    return ",".join(ops)  # repeats kept: an operation named twice takes two turns


def _not_nan(value: float) -> float:
    if value != value:  # NaN passes any range check: every comparison with it is false
        raise typer.BadParameter("expected a number from 0 to 1, got nan")
    return value


def _alpha(flag: str, what: str) -> Any:
    return Annotated[
        float,
        typer.Option(
            flag,
            min=0.0,
            max=1.0,
            callback=_not_nan,
            help=f"{what} (0-1; 0 turns the operation off).",
        ),
    ]


def _augment_rows(
    paths: list[str] | None,
    plain: bool,
    reader: dict[str, Any],
    reporter: Any,
    stats: Any,
) -> Iterator[tuple[int, str, Any]]:
    """(index, text, payload) of every input row; payload = (record, layout) when labeled.
    ``stats``: the labeled reader's ReadStats, filled as the rows are read."""
    if plain:
        from textkit.io.readers import iter_documents

        documents = iter_documents(paths, on_error=reporter.input_failed, **reader)
        yield from ((i, doc.text, None) for i, doc in enumerate(documents))
        return
    from textkit.io.tabular import read_labeled

    records = read_labeled(
        paths,
        require_label=False,
        keep_incomplete=True,
        stats=stats,
        on_error=reporter.input_failed,
        **reader,
    )
    try:
        for index, record in enumerate(records):
            # The file's layout is known once its first record is read; remember it now,
            # since workers may read ahead into the next file before this row is written.
            yield index, record.text, (record, next(reversed(stats.layouts.values())))
    except DataFormatError as exc:
        if "cannot tell" not in exc.message:
            raise
        hint = "pass --data-format, or --lines for plain text, one text per line"
        raise DataFormatError(exc.message, hint=hint) from None
    # JSON rows without the text field come back with an empty text, so they are written
    # unchanged (a file where no row has it is refused by the reader).
    missing = stats.no_text_field
    if missing:
        reporter.warn(f"{missing} JSON row(s) without a text field written unchanged")


class _Tally:
    """What the run made and wrote, for the summary line on stderr."""

    def __init__(self, num_aug: int, auto: bool, keep_original: bool = True) -> None:
        self.num_aug = num_aug
        self.auto = auto
        self.keep_original = keep_original
        self.rows = 0  # rows with a text
        self.made = 0  # copies made, before balancing
        self.none = 0  # rows with a text that got no copy: nothing to edit
        self.fewer = 0  # rows that got some copies, but fewer than num_aug
        self.weak = 0  # rows whose copies were dropped: their words do not point to their label
        self.written = 0
        self.lowest: tuple[str, float] | None = None  # the label balancing evened out to
        # per label: [rows, rows with nothing to edit, rows whose words do not point to it]
        self.by_label: dict[str, list[int]] = {}

    def count(self, results: Iterator[Any], weak: list[bool]) -> Iterator[Any]:
        """``results``, counted as they pass; the rows ``weak`` marks (if any) lose their
        copies (their words do not clearly point to their label)."""
        for index, (text, payload, variants) in enumerate(results):
            if weak and weak[index] and variants:
                self.weak += 1
                variants = []
            is_weak = bool(weak and weak[index])
            if text.strip():
                self.rows += 1
                self.made += len(variants)
                self.none += not variants and not is_weak
                self.fewer += 0 < len(variants) < self.num_aug
            label = payload[0].label if payload else None
            if label is not None and label != "":
                tally = self.by_label.setdefault(str(label), [0, 0, 0])
                tally[0] += 1
                tally[1] += not variants and not is_weak
                tally[2] += is_weak
            yield text, payload, variants

    def message(self) -> str:
        copies = "copy" if self.written == 1 else "copies"
        line = f"augment: {self.rows:,} row{'s' * (self.rows != 1)}, {self.written:,} {copies}"
        if self.num_aug == 0:
            return f"{line} (-n 0)"
        line += f" written ({'-n auto: ' if self.auto else ''}up to {self.num_aug} a row)"
        short = []
        if self.none:
            short.append(f"{self.none:,} row{'s' * (self.none != 1)} had nothing to edit")
        if self.fewer:
            short.append(f"{self.fewer:,} had room for fewer than {self.num_aug}")
        if self.weak:
            short.append(
                f"{self.weak:,} got none as their words do not clearly point to their label "
                "(--no-label-aware keeps them)"
            )
        why = [", ".join(short)] if short else []
        dropped = self.made - self.written
        if dropped and self.lowest is not None and self.starved() is None:
            label, rate = self.lowest
            why.append(
                f"balancing across labels dropped {dropped:,} (label {label} has {rate:.2f} "
                "copies a row; --no-balance keeps them)"
            )
        return line + (": " + "; ".join(why) if why else "")

    def starved(self) -> str | None:
        """A warning when balancing dropped every copy because one label got none: the
        output is then the input, whatever -n asked for."""
        if self.lowest is None or self.lowest[1] > 0 or self.made == 0 or self.written:
            return None
        label = self.lowest[0]
        rows, none, weak = self.by_label.get(label, [0, 0, 0])
        why = []
        if none:
            why.append(f"{none:,} had nothing to edit")
        if weak:
            why.append(
                f"{weak:,} had words that do not clearly point to it (--no-label-aware keeps them)"
            )
        copies = "the one copy" if self.made == 1 else f"all {self.made:,} copies"
        return (
            f"label {label} got no copies ({rows:,} row{'s' * (rows != 1)}"
            + (": " + ", ".join(why) if why else "")
            + f"), so balancing dropped {copies} of the other labels: "
            + ("the output is the input rows only" if self.keep_original else "nothing written")
            + " (--no-balance keeps them)"
        )


def _balanced(results: list[Any], seed: int, tally: _Tally) -> list[Any]:
    """The rows' copies thinned so that every label gets as many copies per row; the label
    with the fewest goes to ``tally``."""
    from textkit.augment.balance import balance_copies, copy_rates

    labels = [payload[0].label if payload else None for _, payload, _ in results]
    copies = balance_copies([variants for _, _, variants in results], labels, seed)
    rates = copy_rates([len(variants) for _, _, variants in results], labels)
    if len(rates) > 1:
        tally.lowest = min(((str(k), v) for k, v in rates.items()), key=lambda kv: kv[1])
    return [(text, payload, c) for (text, payload, _), c in zip(results, copies, strict=True)]


class _Writer:
    """Rows and their copies, in the input's format or the one ``-o``'s extension names
    (``-o out.jsonl``, as ``classify`` does). Plain text is one text a line, or a column
    named ``text`` in a CSV or JSONL output. The first row's layout is the output's."""

    def __init__(self, stream: Any) -> None:
        self.stream = stream
        self.layout: Any = None
        self.rows: Any = None  # a RowWriter when the output format is not the input's

    def start(self, layout: Any) -> None:
        """Choose how rows of ``layout`` are written; write the header that needs."""
        from textkit.io.tabular import RowWriter, write_header

        self.layout = layout
        fmt = rows_format(None, self.stream, layout.fmt)
        if fmt == layout.fmt:
            write_header(self.stream, layout)
        else:
            self.rows = RowWriter(self.stream, fmt, _converted(layout), [])

    def write(self, record: Any, layout: Any, texts: list[str]) -> None:
        from textkit.io.tabular import write_labeled

        if self.layout is None:
            self.start(layout)
        elif (layout.fmt, layout.header) != (self.layout.fmt, self.layout.header):
            raise DataFormatError(
                f"{record.source}: a different format or header than the first input",
                hint="augment files of different layouts one at a time",
            )
        for text in texts:
            if self.rows is None:
                write_labeled(self.stream, record, text, layout)
            else:
                self.rows.write(_with_text(record, text, layout, self.rows.fmt), [])

    def write_plain(self, texts: list[str]) -> None:
        if self.layout is None:
            from textkit.io.tabular import Layout

            # A headerless TSV of one column (one text a line), named ``text`` elsewhere.
            self.start(Layout("tsv", text_key=0, label_key=None, width=1))
        if self.rows is None:
            self.stream.write("".join(" ".join(t.splitlines()) + "\n" for t in texts))
            return
        from textkit.io.tabular import LabeledRecord

        for text in texts:
            self.rows.write(LabeledRecord("", text, None, [text]), [])


def _converted(layout: Any) -> Any:
    """``layout``, or for fastText lines an equivalent with ``text`` and ``label`` columns."""
    if layout.fmt != "fasttext":
        return layout
    from textkit.io.tabular import Layout

    return Layout("jsonl", text_key="text", label_key="label", header=["text", "label"])


def _with_text(record: Any, text: str, layout: Any, out_fmt: str) -> Any:
    """A copy of ``record`` whose row holds ``text`` in place of its text (a fastText line's
    labels: one, a JSON list, or joined by "," in a TSV or CSV, read with --label-sep ,)."""
    import dataclasses

    if layout.fmt == "fasttext":
        labels: Any = record.labels[0] if len(record.labels) == 1 else list(record.labels)
        if isinstance(labels, list) and out_fmt != "jsonl":
            labels = ",".join(labels)
        return dataclasses.replace(record, text=text, row={"text": text, "label": labels})
    if text == record.text:  # an original is written as it was (a JSON null, a number...)
        return record
    if isinstance(record.row, dict):
        row: Any = {**record.row, str(layout.text_key): text}
    else:
        row = list(record.row)
        if int(layout.text_key) < len(row):  # else a short row, written as it was
            row[int(layout.text_key)] = text
    return dataclasses.replace(record, text=text, row=row)


def augment(
    paths: Paths = None,
    plain: Annotated[
        bool, typer.Option("--plain", help="Plain text, each file one document (not labeled).")
    ] = False,
    lines: Annotated[
        bool, typer.Option("--lines", help="Plain text, each non-empty line one document.")
    ] = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    num_aug: Annotated[
        str,
        typer.Option(
            "--num-aug",
            "-n",
            callback=_num_aug_value,
            help="Augmented rows per input row (auto: 2).",
        ),
    ] = "auto",
    alpha_sr: _alpha("--alpha-sr", "Most words replaced, as a share of the row's words") = 0.2,
    alpha_ri: _alpha("--alpha-ri", "Most words inserted, as a share of the row's words") = 0.2,
    alpha_rs: _alpha("--alpha-rs", "Most swaps, as a share of the row's words") = 0.2,
    p_rd: _alpha("--p-rd", "Most words deleted, as a share of the row's words") = 0.2,
    ops: Annotated[
        str,
        typer.Option(
            "--ops",
            callback=_ops_value,
            help="Operations taking turns, one per copy: sr synonym, ri insertion, rs swap, "
            "rd deletion.",
        ),
    ] = "sr,rs,ri,rd",  # textkit.augment.eda.DEFAULT_OPS (not imported here: start-up time)
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same output bytes.")] = 0,
    balance: Annotated[
        bool,
        typer.Option(
            "--balance/--no-balance",
            help="Labeled input: keep each label's share of the rows, by dropping copies "
            "until every label has as many copies a row as the label with the fewest.",
        ),
    ] = True,
    keep_original: Annotated[
        bool,
        typer.Option(
            "--keep-original/--no-keep-original", help="Write each row before its copies."
        ),
    ] = True,
    protect: Annotated[
        Path | None,
        typer.Option("--protect", help="Terms never changed, one per line (names, key words)."),
    ] = None,
    synonyms: Annotated[
        Path | None,
        typer.Option("--synonyms", help="Your own synonyms: one space-separated group per line."),
    ] = None,
    synonyms_of: Annotated[
        str | None,
        typer.Option("--synonyms-of", metavar="WORD", help="Print WORD's synonyms and exit."),
    ] = None,
    label_aware: Annotated[
        bool,
        typer.Option(
            "--label-aware/--no-label-aware",
            help="Labeled input: keep the words that mark a label in these rows, and make no "
            "copies of rows whose words do not clearly point to their label.",
        ),
    ] = True,
    protect_negators: Annotated[
        bool,
        typer.Option(
            "--protect-negators/--no-protect-negators",
            help="Never edit negators (不 没 无 非 但是 ...) nor the word right after one.",
        ),
    ] = True,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    user_dict: UserDict = None,
    tokenizer: Tokenizer = "fast",
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
) -> None:
    """Add copies of each row that keep its meaning: synonyms, insertions, swaps, deletions.

    Labeled files (TSV, CSV, JSONL, fastText) come out in the same format, or in the one
    -o's extension names (.tsv, .csv, .jsonl), labels and other columns untouched; --plain,
    --lines or a directory of .txt files means plain text, written one text per line.

    Example: textkit augment train.tsv --seed 1 -o train.aug.tsv
    """
    import dataclasses

    from textkit.augment.eda import AugmentConfig, Augmenter, augment_chunk, recommended_num_aug
    from textkit.io.parallel import map_chunked, worker_cache
    from textkit.io.tabular import ReadStats
    from textkit.io.terminal import Reporter
    from textkit.text.stopwords import read_stopword_file

    check_backend(tokenizer)
    reads = [*(paths or []), protect, synonyms, *(stopwords or []), user_dict]
    if output is not None:  # before anything is read: -n auto reads the whole input first
        refuse_overwriting(output, reads, glob=glob)
    reporter = Reporter(quiet=quiet)
    config = AugmentConfig(
        num_aug=0 if num_aug == "auto" else int(num_aug),
        alpha_sr=alpha_sr,
        alpha_ri=alpha_ri,
        alpha_rs=alpha_rs,
        p_rd=p_rd,
        ops=tuple(ops.split(",")),
        seed=seed,
        protect=tuple(sorted(read_stopword_file(protect, "protect"))) if protect else (),
        synonyms_file=str(synonyms) if synonyms else None,
        stopword_files=tuple(str(p) for p in stopwords or ()),
        default_stopwords=not no_default_stopwords,
        backend=tokenizer,
        user_dict=str(user_dict) if user_dict else None,
        protect_negators=protect_negators,
    )
    augmenter = Augmenter(config)  # loads synonyms now: a bad --synonyms file fails early
    if synonyms_of is not None:
        found = augmenter.synonyms_of(synonyms_of.strip())
        if not found:
            why = "a stopword" if synonyms_of.strip() in augmenter.stopwords else "not listed"
            reporter.info(f"textkit: no synonyms for {synonyms_of!r} ({why})")
            raise typer.Exit(1)
        sys.stdout.write("".join(f"{word}\n" for word in found))
        return
    is_plain = (
        plain
        or lines
        or data_format is DataFormat.text
        or any(Path(p).is_dir() for p in paths or [] if p != STDIN)
    )
    reader: dict[str, Any] = {"encoding": encoding, "errors": encoding_errors.value}
    if is_plain:
        reader.update(lines=lines, glob=glob)
    else:
        reader.update(
            data_format=data_format.value if data_format is not None else None,
            text_col=text_col,
            label_col=label_col,
        )
    stats = ReadStats()
    rows: Iterator[tuple[int, str, Any]] = _augment_rows(paths, is_plain, reader, reporter, stats)
    weak: list[bool] = []
    label_aware = label_aware and not is_plain
    if num_aug == "auto" or label_aware:
        # Both need every row first: the number of copies depends on the data size, and
        # what marks a label on all the rows.
        listed = list(rows)
        if num_aug == "auto":
            size = sum(1 for _, text, _ in listed if text.strip())
            config = dataclasses.replace(config, num_aug=recommended_num_aug(size))
            augmenter.config = config
        if label_aware:
            # A row with several labels counts for none of them.
            labels = [p[0].label if len(p[0].labels) < 2 else None for _, _, p in listed]
            counts = augmenter.count_labels([text for _, text, _ in listed], labels)
            augmenter.keep(counts.label_words())
            config = augmenter.config
            weak = counts.weak_rows()
        rows = iter(listed)
    tally = _Tally(config.num_aug, auto=num_aug == "auto", keep_original=keep_original)
    # This process's worker reuses the augmenter built above (synonyms are parsed once).
    worker_cache(("augmenter", config), lambda: augmenter)
    count = 0
    with open_output(output, reads, glob) as stream:
        writer = _Writer(stream)
        results = reporter.progress(
            map_chunked(
                augment_chunk, config, rows, jobs=jobs, backend=backend.value, scheduler=scheduler
            ),
            "augmenting",
        )
        results = tally.count(results, weak)
        if balance and not is_plain:
            results = iter(_balanced(list(results), seed, tally))
        for text, payload, variants in results:
            count += 1
            tally.written += len(variants)
            texts = ([text] if keep_original else []) + variants
            if payload is None:
                writer.write_plain(texts)
            else:
                writer.write(*payload, texts)
        if writer.layout is None and stats.layouts:  # a header without rows stays a header
            writer.start(next(iter(stats.layouts.values())))
    reporter.info(tally.message())
    if balance and (starved := tally.starved()):
        reporter.warn(starved)
    raise typer.Exit(reporter.finish(count, "rows"))
