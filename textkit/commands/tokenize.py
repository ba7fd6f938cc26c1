"""``textkit tokenize``: segment documents into words."""

import itertools
from collections.abc import Callable, Iterable, Iterator
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
    format_by_extension,
    normalize_mode,
    open_output,
    read_options,
    traditional_note,
)
from textkit.io.decoding import AUTO
from textkit.io.sources import DEFAULT_GLOB


class TokenizeFormat(str, Enum):
    text = "text"
    table = "table"
    tsv = "tsv"
    jsonl = "jsonl"
    csv = "csv"


class TokenizeMode(str, Enum):
    accurate = "accurate"
    search = "search"
    all = "all"


def tokenize(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    id_col: IdCol = None,
    mode: Annotated[
        TokenizeMode, typer.Option("--mode", help="Segmentation mode.")
    ] = TokenizeMode.accurate,
    hmm: Annotated[
        bool, typer.Option("--hmm/--no-hmm", help="Guess words missing from the dictionary.")
    ] = True,
    pos: Annotated[
        bool, typer.Option("--pos", help="Append /TAG (jieba POS) to each token.")
    ] = False,
    sep: Annotated[str, typer.Option("--sep", help="Token separator in text/TSV output.")] = " ",
    drop_stopwords: Annotated[
        bool, typer.Option("--drop-stopwords", help="Leave stopwords out of the output.")
    ] = False,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    user_dict: UserDict = None,
    tokenizer: Tokenizer = "jieba",
    normalize: Normalize = None,
    output_script: OutputScriptOpt = OutputScript.original,
    fmt: Annotated[
        TokenizeFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text: one line of tokens per input line; others per document [default: "
            "text, or -o's extension .jsonl or .csv].",
            show_default=False,
        ),
    ] = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
) -> None:
    """Split Chinese text into words.

    Example: textkit tokenize news.txt --pos | head
    """
    from textkit.io.terminal import Reporter, color_enabled
    from textkit.text.tokenizer import Tokenizer as TokenizerClass

    check_backend(tokenizer)
    normalizing = normalize_mode(normalize, output_script)
    if pos and mode is not TokenizeMode.accurate:
        raise typer.BadParameter("--pos works only with --mode accurate", param_hint="--pos")
    from textkit.io.parallel import DEFAULT_CHUNK, chunked, map_chunks
    from textkit.io.readers import iter_documents, iter_units, split_lines
    from textkit.io.writers import RecordWriter
    from textkit.text.stopwords import load_stopwords
    from textkit.text.tokenizer import BLOCK_CHARS, split_blocks

    segmenter = TokenizerClass(mode.value, hmm=hmm, user_dict=user_dict, backend=tokenizer)
    drop: frozenset[str] = frozenset()
    if drop_stopwords or stopwords:
        drop = load_stopwords(stopwords or [], use_default=not no_default_stopwords)
    reporter = Reporter(quiet=quiet)
    note = traditional_note(reporter)

    def needs_normalizing(doc: Any) -> bool:
        if normalizing is None:
            from textkit.text.normalize import looks_traditional

            if looks_traditional(doc.text):
                note(doc.source)
                return True
            return False
        return normalizing

    def render(pairs: list[tuple[str, str | None]]) -> str:
        return sep.join(f"{w}/{t}" if t else w for w, t in pairs)

    count = 0
    with open_output(output, [*(paths or []), *(stopwords or []), user_dict], glob) as stream:
        writer = None
        if fmt is None:  # token lines are no JSON lines or CSV: -o tokens.jsonl writes JSONL
            fmt = TokenizeFormat(format_by_extension(stream, ("jsonl", "csv")) or "text")
        if fmt is not TokenizeFormat.text:
            writer = RecordWriter(
                stream, fmt.value, ["source", "tokens"], header=header, color=color_enabled(stream)
            )
        read = read_options(False, glob, encoding, encoding_errors, data_format, text_col, id_col)
        read.pop("lines")
        read["on_error"] = reporter.input_failed
        # Text output keeps one line per input line, so a whole-file document is cut line
        # by line; the other formats tokenize each document as one text. Very long texts
        # are cut into blocks where jieba would split anyway, so memory stays bounded.
        meter = reporter.input_meter(paths, glob)
        if lines:  # a chunk per block read: lines from a slow pipe come out as they come
            units = iter_units(paths, lines=True, **read)
            if meter is not None:
                units = meter.watch(units)
            chunks = _line_chunks(units, reporter.input_failed, stream.flush, needs_normalizing)
        else:
            by_line = writer is None
            documents = iter_documents(paths, **read)
            if meter is not None:
                documents = meter.watch(documents)
            pieces = (
                (index, doc.source, block, last, convert)
                for index, doc in enumerate(documents)
                for convert in [needs_normalizing(doc)]
                # A row of a tabular file is one line of output, whatever its text holds.
                for piece in (split_lines(doc.text) if by_line and doc.row is None else [doc.text])
                for block, last in split_blocks(piece)
            )
            chunks = chunked(pieces, DEFAULT_CHUNK, _piece_size, BLOCK_CHARS)
        tokenized = map_chunks(
            _tokenize_chunk,
            (segmenter, pos, output_script.value),
            chunks,
            jobs=jobs,
            backend=backend.value,
            scheduler=scheduler,
            weight=lambda chunk: sum(map(_piece_size, chunk)),
        )
        # Consecutive blocks of one document are regrouped for per-document formats; a
        # document ends with its block marked last (not when the next one starts, which
        # would wait on a slow pipe for the next line).
        previous, started, blocks = -1, False, []
        for item in reporter.progress(tokenized, "tokenizing", meter=meter):
            index, source, tokens, last = item
            count += index != previous
            previous = index
            if writer is None:  # text: one output line per input line, written as it comes
                text = render([(w, t) for w, t in tokens if w not in drop])
                if text:
                    stream.write(sep + text if started else text)
                    started = True
                if last:
                    stream.write("\n")
                    started = False
                continue
            blocks.append(item)
            if not last:
                continue
            pairs = [(w, t) for _, _, tokens, _ in blocks for w, t in tokens if w not in drop]
            obj: dict[str, Any] = {"source": source, "tokens": [w for w, _ in pairs]}
            if pos:
                obj["pos"] = [t for _, t in pairs]
            writer.write([(source, render(pairs))], obj)
            blocks = []
    raise typer.Exit(reporter.finish(count))


# (document index, source, text, ends a line, normalise first)
Piece = tuple[int, str, str, bool, bool]


def _piece_size(piece: Piece) -> int:
    return len(piece[2])


def _line_chunks(
    units: Iterable[Any],
    on_error: Any,
    flush: Callable[[], None],
    needs_normalizing: Callable[[Any], bool],
) -> Iterator[list[Piece]]:
    """The pieces of ``--lines`` input, chunked as :func:`textkit.io.readers.chunk_lines` does
    (nothing waits for a line the pipe does not have yet)."""
    from textkit.io.parallel import DEFAULT_CHUNK, chunked
    from textkit.io.readers import chunk_lines
    from textkit.text.tokenizer import BLOCK_CHARS, split_blocks

    index = itertools.count()
    for documents in chunk_lines(units, on_error, flush, DEFAULT_CHUNK, BLOCK_CHARS):
        pieces = (
            (i, doc.source, text, last, convert)
            for doc in documents
            for i, convert in [(next(index), needs_normalizing(doc))]
            for text, last in split_blocks(doc.text)
        )
        yield from chunked(pieces, DEFAULT_CHUNK, _piece_size, BLOCK_CHARS)


def _tokenize_chunk(
    config: tuple[Any, bool, str], items: list[Piece]
) -> list[tuple[int, str, list[tuple[str, str | None]], bool]]:
    """Worker task: tokenize (index, source, text, ends-line, normalise) items into
    [(word, tag)]."""
    from textkit.text.tokenizer import cut_texts

    segmenter, pos, script = config
    results: list[list[Any]] = [[] for _ in items]
    for convert in (False, True):
        which = [i for i, item in enumerate(items) if item[4] is convert]
        if not which:
            continue
        texts = [items[i][2] for i in which]
        if convert:
            from textkit.text.normalize import cut_texts_normalized

            found = cut_texts_normalized(segmenter, texts, pos, script)
        else:
            found = cut_texts(segmenter, texts, pos)
        for i, words in zip(which, found, strict=True):
            results[i] = words if pos else [(w, None) for w in words]
    return [
        (index, source, pairs, last)
        for (index, source, _, last, _), pairs in zip(items, results, strict=True)
    ]


# ---------------------------------------------------------------------------------------
# textkit train-lr / classify / evaluate / info
