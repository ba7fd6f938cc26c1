"""``textkit summarize``: the key sentences of each document."""

from enum import Enum
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
    Lines,
    NoDefaultStopwords,
    Normalize,
    Output,
    OutputScript,
    OutputScriptOpt,
    Paths,
    Quiet,
    Scheduler,
    StopwordFiles,
    TextCol,
    Tokenizer,
    UserDict,
    check_backend,
    normalize_mode,
    open_output,
    read_options,
)
from textkit.errors import TraditionalText
from textkit.io.readers import AUTO, DEFAULT_GLOB


class SummaryFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    jsonl = "jsonl"
    csv = "csv"
    text = "text"


class Unit(str, Enum):
    sentence = "sentence"
    clause = "clause"


COLUMNS = ["source", "rank", "position", "score", "sentence"]
CHUNK_DOCUMENTS = 256
CHUNK_CHARS = 200_000  # a chunk of work for a worker holds about this many characters


def summarize(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    id_col: IdCol = None,
    count: Annotated[
        int | None,
        typer.Option(
            "--sentences",
            "-n",
            min=1,
            help="Sentences per summary [default: 3, unless --max-chars or --ratio is given].",
            show_default=False,
        ),
    ] = None,
    max_chars: Annotated[
        int | None,
        typer.Option(
            "--max-chars",
            min=1,
            help="At most N characters: the best sentences that fit, else the passage "
            "richest in the words the document repeats (cut with … if need be).",
        ),
    ] = None,
    ratio: Annotated[
        float | None,
        typer.Option(
            "--ratio",
            help="At most this share of the sentences, above 0 and up to 1 (at least one).",
        ),
    ] = None,
    unit: Annotated[
        Unit,
        typer.Option("--unit", help="Pick sentences, or clauses (also split at ，、：)."),
    ] = Unit.sentence,
    by_score: Annotated[
        bool,
        typer.Option(
            "--by-score",
            help="In the order chosen: best first, one that repeats a chosen one later "
            "(default: document order).",
        ),
    ] = False,
    position_weight: Annotated[
        float,
        typer.Option(
            "--position-weight",
            min=0.0,
            help="How much early sentences are favoured (0 = not at all).",
        ),
    ] = 1.0,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    user_dict: UserDict = None,
    tokenizer: Tokenizer = "fast",
    fmt: Annotated[
        SummaryFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Output format; text = each summary on one line [default: -o's extension "
            "(.tsv, .csv, .jsonl), else table on a terminal, tsv otherwise].",
            show_default=False,
        ),
    ] = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    normalize: Normalize = None,
    output_script: OutputScriptOpt = OutputScript.original,
    quiet: Quiet = False,
) -> None:
    """Key sentences of each document (TextRank, biased toward early sentences).

    Example: textkit summarize news/ -n 2 --format text
    """
    from textkit.io.parallel import map_chunked
    from textkit.io.readers import iter_documents
    from textkit.io.terminal import Reporter, color_enabled
    from textkit.io.writers import RecordWriter, default_format
    from textkit.summarize.summarizer import join_sentences, summarize_chunk, summary_records

    check_backend(tokenizer)
    if ratio is not None and not 0 < ratio <= 1:
        raise typer.BadParameter("must be above 0 and at most 1", param_hint="--ratio")
    options: dict[str, Any] = {
        "unit": unit.value,
        "position_weight": position_weight,
        "stopword_files": tuple(stopwords or ()),
        "default_stopwords": not no_default_stopwords,
        "user_dict": user_dict,
        "backend": tokenizer,
        "normalize": normalize_mode(normalize, output_script),
        "output_script": output_script.value,
    }
    limits = {"n": count, "max_chars": max_chars, "ratio": ratio}
    reporter = Reporter(quiet=quiet)
    read = read_options(lines, glob, encoding, encoding_errors, data_format, text_col, id_col)
    documents = iter_documents(paths, on_error=reporter.input_failed, **read)
    meter = reporter.input_meter(paths, glob)
    if meter is not None:
        documents = meter.watch(documents)
    items = ((i, doc.source, doc.text) for i, doc in enumerate(documents))
    count_done = 0
    with open_output(output, [*(paths or []), *(stopwords or []), user_dict], glob) as stream:
        chosen = fmt.value if fmt is not None else default_format(stream)
        writer = None
        if chosen != "text":
            writer = RecordWriter(
                stream, chosen, COLUMNS, header=header, color=color_enabled(stream)
            )
        found = map_chunked(
            summarize_chunk,
            (options, limits),
            items,
            jobs=jobs,
            chunk_size=CHUNK_DOCUMENTS,
            cost=lambda item: len(item[2]),
            budget=CHUNK_CHARS,
            backend=backend.value,
            scheduler=scheduler,
        )
        for _, source, best_first, converted in reporter.progress(
            found, "summarizing", meter=meter
        ):
            if converted:
                reporter.input_failed(TraditionalText(source))
            count_done += 1
            rows, obj = summary_records(source, best_first, by_score)
            if writer is None:
                stream.write(join_sentences([row[4] for row in rows]) + "\n")
            else:
                writer.write(rows, obj)
    raise typer.Exit(reporter.finish(count_done))
