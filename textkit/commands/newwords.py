"""``textkit newwords``: words of a corpus that the dictionary lacks, as a user dictionary."""

from enum import Enum
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    DataFormatOpt,
    Encoding,
    EncodingErrors,
    ErrorMode,
    Glob,
    Header,
    Jobs,
    Lines,
    NoDefaultStopwords,
    Normalize,
    Output,
    Paths,
    Quiet,
    StopwordFiles,
    TextCol,
    Tokenizer,
    UserDict,
    check_backend,
    format_by_extension,
    open_output,
    read_options,
    traditional_note,
)
from textkit.errors import DataFormatError
from textkit.io.decoding import AUTO
from textkit.io.sources import DEFAULT_GLOB
from textkit.newwords.discovery import MAX_LEN, MIN_COHESION, MIN_FREEDOM, MIN_FREQ


class NewWordsFormat(str, Enum):
    dict = "dict"
    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"


def newwords(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    top: Annotated[
        int, typer.Option("--top", "-k", min=0, help="Write the N best words (0 = all).")
    ] = 0,
    min_freq: Annotated[
        int, typer.Option("--min-freq", min=1, help="Leave out words seen fewer times.")
    ] = MIN_FREQ,
    min_cohesion: Annotated[
        float,
        typer.Option(
            "--min-cohesion",
            help="Least PMI (nats) between the two parts of the word's weakest split.",
        ),
    ] = MIN_COHESION,
    min_freedom: Annotated[
        float,
        typer.Option(
            "--min-freedom",
            help="Least entropy (nats) of the characters seen left and right of the word.",
        ),
    ] = MIN_FREEDOM,
    max_len: Annotated[
        int, typer.Option("--max-len", min=2, max=12, help="Longest word, in characters.")
    ] = MAX_LEN,
    compounds: Annotated[
        bool,
        typer.Option(
            "--compounds/--no-compounds",
            help="Also write terms made of dictionary words that the corpus uses as one "
            "unit (质量控制); keywords --user-dict then finds them.",
        ),
    ] = True,
    user_dict: UserDict = None,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    tokenizer: Tokenizer = "fast",
    normalize: Normalize = None,
    fmt: Annotated[
        NewWordsFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="dict: jieba's user dictionary ('word freq nz'); tsv/csv/jsonl: with the "
            "scores [default: -o's extension .tsv, .csv or .jsonl, else dict].",
            show_default=False,
        ),
    ] = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    quiet: Quiet = False,
) -> None:
    """Find words your corpus uses that jieba's dictionary lacks; write a user dictionary.

    A word is a run of 2 to --max-len Han characters seen --min-freq times or more, whose
    parts stick together (--min-cohesion) and whose neighbours vary (--min-freedom), that
    the segmenter does not already cut as one word, and that reads as a term, not a
    phrase. Words are written best first, simplified when the corpus is normalised (see
    --normalize).

    Example: textkit newwords --lines reviews.txt -o words.txt
    """
    from textkit.io.parallel import map_chunked
    from textkit.io.readers import iter_documents
    from textkit.io.terminal import Reporter, color_enabled
    from textkit.io.writers import RecordWriter
    from textkit.newwords.counting import Corpus
    from textkit.newwords.discovery import check_thresholds, find_new_words, user_dict_lines
    from textkit.text.stopwords import load_stopwords
    from textkit.text.tokenizer import Tokenizer as TokenizerClass

    check_backend(tokenizer)
    check_thresholds(min_freq, 2, max_len)
    reporter = Reporter(quiet=quiet)
    note = traditional_note(reporter)
    segmenter = TokenizerClass(user_dict=user_dict, backend=tokenizer)
    drop = load_stopwords(stopwords or [], use_default=not no_default_stopwords)
    read = read_options(lines, glob, encoding, encoding_errors, data_format, text_col)
    documents = iter_documents(paths, on_error=reporter.input_failed, **read)
    count = 0
    with Corpus() as corpus:
        encoded = map_chunked(
            _encode_chunk,
            normalize,
            ((doc.source, doc.text) for doc in documents),
            jobs=jobs,
            cost=lambda item: len(item[1]),
            budget=1 << 22,
        )
        for codes, documents_seen, converted in reporter.progress(encoded, "reading"):
            corpus.append(codes)
            count += documents_seen
            for source in converted:
                note(source)
        words = find_new_words(
            corpus.codes,
            segmenter,
            stopwords=drop,
            top=top or None,
            min_freq=min_freq,
            min_cohesion=min_cohesion,
            min_freedom=min_freedom,
            max_len=max_len,
            compounds=compounds,
        )
    if not words and count:
        reporter.warn(f"no new words found in {count} document(s)")
    if count == 0 and not reporter.failed:
        raise DataFormatError("no documents to read", hint="nothing written")
    with open_output(output, [*(paths or []), user_dict, *(stopwords or [])], glob) as stream:
        if fmt is None:  # as the other commands: -o words.tsv writes TSV
            fmt = NewWordsFormat(format_by_extension(stream, ("tsv", "csv", "jsonl")) or "dict")
        if fmt is NewWordsFormat.dict:
            for line in user_dict_lines(words, segmenter):
                stream.write(line + "\n")
        else:
            columns = ["word", "count", "cohesion", "freedom", "score"]
            writer = RecordWriter(
                stream, fmt.value, columns, header=header, color=color_enabled(stream)
            )
            for w in words:
                row = [w.word, w.count, round(w.cohesion, 4), round(w.freedom, 4)]
                row.append(round(w.score, 4))
                writer.write([row], dict(zip(columns, row, strict=True)))
    raise typer.Exit(reporter.finish(count))


def _encode_chunk(
    normalize_mode: bool | None, items: list[tuple[str, str]]
) -> list[tuple[Any, int, list[str]]]:
    """Worker task: the corpus codes of a chunk of (source, text) documents, how many, and
    the sources of those normalised without --normalize."""
    from textkit.newwords.counting import encode_many
    from textkit.text.normalize import prepare

    texts, converted = [], []
    for source, text in items:
        prepared = prepare(text, normalize_mode)
        if prepared is not None:
            text = prepared.text
            if normalize_mode is None:
                converted.append(source)
        texts.append(text)
    return [(encode_many(texts), len(items), converted)]
