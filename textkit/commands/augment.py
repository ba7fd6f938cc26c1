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
    index = -1
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
    # unchanged; but when no row has it, the user most likely named the wrong key.
    missing = stats.no_text_field
    if missing and missing == index + 1:
        name, layout = next(reversed(stats.layouts.items()))
        keys = ", ".join(layout.header or []) or "none"
        raise DataFormatError(
            f"{name}: no text field in any row (saw keys: {keys})", hint="name it with --text-col"
        )
    if missing:
        reporter.warn(f"{missing} JSON row(s) without a text field written unchanged")


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
            help="Augmented rows per input row; auto = 16 below 5,000 rows, else 4.",
        ),
    ] = "auto",
    alpha_sr: _alpha("--alpha-sr", "Share of words replaced by a synonym") = 0.2,
    alpha_ri: _alpha("--alpha-ri", "Share of words inserted (synonyms)") = 0.2,
    alpha_rs: _alpha("--alpha-rs", "Share of words swapped") = 0.2,
    p_rd: _alpha("--p-rd", "Probability that a word is deleted") = 0.2,
    ops: Annotated[
        str,
        typer.Option(
            "--ops",
            callback=_ops_value,
            help="Operations, taking turns copy by copy (one named twice gets two turns); "
            "the EDA paper's set is sr,ri,rs,rd.",
        ),
    ] = "sr,ri,rs,rs",  # textkit.augment.eda.DEFAULT_OPS (not imported here: start-up time)
    ops_per_row: Annotated[
        int,
        typer.Option(
            "--ops-per-row",
            min=1,
            help="Operations chained in each copy (1: the EDA paper; 2 was better on dev data).",
        ),
    ] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same output bytes.")] = 0,
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
        typer.Option(
            "--synonyms", help="Own synonyms: Cilin lines, or one space-separated group per line."
        ),
    ] = None,
    synonyms_of: Annotated[
        str | None,
        typer.Option("--synonyms-of", metavar="WORD", help="Print WORD's synonyms and exit."),
    ] = None,
    label_terms: Annotated[
        bool,
        typer.Option(
            "--label-terms/--no-label-terms",
            help="Labeled input: score every word's tie to a label over the whole input "
            "(log-odds z >= 2, in 3+ rows) and never edit each row's strongest such word. "
            "Off by default: it lowered the gain on dev data (see README).",
        ),
    ] = False,
    strict_synonyms: Annotated[
        bool,
        typer.Option(
            "--strict-synonyms",
            help="Default synonyms: only words with one Cilin sense, common (jieba freq "
            ">= 100), 2+ characters.",
        ),
    ] = False,
    protect_negators: Annotated[
        bool,
        typer.Option(
            "--protect-negators/--no-protect-negators",
            help="Never edit negators and contrast words (不 没 无 非 但是 ..., words "
            "starting with 不/没) nor the word right after one.",
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
    """Add EDA copies of each row: synonym replacement, insertion, swap, deletion.

    Labeled files (TSV, CSV, JSONL, fastText) come out in the same format, labels and other
    columns untouched; --plain, --lines or a directory of .txt files means plain text, written
    one text per line. Example: textkit augment train.tsv -n 8 --seed 1 -o train.aug.tsv
    """
    import dataclasses

    from textkit.augment.eda import AugmentConfig, Augmenter, augment_chunk, recommended_num_aug
    from textkit.io.parallel import map_chunked, worker_cache
    from textkit.io.tabular import ReadStats, write_header, write_labeled
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
        strict_synonyms=strict_synonyms,
        ops_per_row=ops_per_row,
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
    fit = label_terms and not is_plain and (num_aug == "auto" or int(num_aug) > 0)
    if num_aug == "auto" or fit:
        # The right number of copies depends on the data size, and label terms on all the
        # labels: read the rows first.
        listed = list(rows)
        if fit:
            labeled = [(text, payload[0].label) for _, text, payload in listed]
            augmenter.fit([t for t, _ in labeled], [label for _, label in labeled])
            found = len(augmenter.config.label_terms)
            reporter.info(f"augment: {found} label terms (words tied to a label)")
        if num_aug == "auto":
            size = sum(1 for _, text, _ in listed if text.strip())
            config = dataclasses.replace(augmenter.config, num_aug=recommended_num_aug(size))
            reporter.info(f"augment: {size} rows, {config.num_aug} augmented copies each (-n auto)")
        config = augmenter.config = dataclasses.replace(
            config, label_terms=augmenter.config.label_terms
        )
        rows = iter(listed)
    # This process's worker reuses the augmenter built above (synonyms are parsed once).
    worker_cache(("augmenter", config), lambda: augmenter)
    count = 0
    first_layout: Any = None
    with open_output(output, reads, glob) as stream:
        results = map_chunked(
            augment_chunk, config, rows, jobs=jobs, backend=backend.value, scheduler=scheduler
        )
        for text, payload, variants in reporter.progress(results, "augmenting"):
            count += 1
            texts = ([text] if keep_original else []) + variants
            if payload is None:
                stream.write("".join(" ".join(t.splitlines()) + "\n" for t in texts))
                continue
            record, layout = payload
            if first_layout is None:
                first_layout = layout
                write_header(stream, layout)
            elif (layout.fmt, layout.header) != (first_layout.fmt, first_layout.header):
                raise DataFormatError(
                    f"{record.source}: a different format or header than the first input",
                    hint="augment files of different layouts one at a time",
                )
            for variant in texts:
                write_labeled(stream, record, variant, layout)
        if first_layout is None and stats.layouts:  # a header without rows stays a header
            write_header(stream, next(iter(stats.layouts.values())))
    raise typer.Exit(reporter.finish(count, "rows"))
