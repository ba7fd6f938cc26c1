"""``textkit tokenize``: segment documents into words."""

import itertools
from enum import Enum
from typing import Annotated, Any

import typer

from textkit.commands.common import (
    Backend,
    BackendOption,
    Encoding,
    Glob,
    Header,
    Jobs,
    Lines,
    NoDefaultStopwords,
    Output,
    Paths,
    Quiet,
    Scheduler,
    StopwordFiles,
    Tokenizer,
    UserDict,
    check_backend,
    open_output,
)
from textkit.inputs import AUTO, DEFAULT_GLOB


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
    fmt: Annotated[
        TokenizeFormat,
        typer.Option(
            "--format", "-f", help="text: one line of tokens per input line; others per document."
        ),
    ] = TokenizeFormat.text,
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
    from textkit.terminal import Reporter, color_enabled
    from textkit.tokenizer import Tokenizer as TokenizerClass

    check_backend(tokenizer)
    if pos and mode is not TokenizeMode.accurate:
        raise typer.BadParameter("--pos works only with --mode accurate", param_hint="--pos")
    from textkit.inputs import iter_documents, split_lines
    from textkit.outputs import RecordWriter
    from textkit.parallel import map_chunked
    from textkit.stopwords import load_stopwords
    from textkit.tokenizer import BLOCK_CHARS, split_blocks

    segmenter = TokenizerClass(mode.value, hmm=hmm, user_dict=user_dict, backend=tokenizer)
    drop: frozenset[str] = frozenset()
    if drop_stopwords or stopwords:
        drop = load_stopwords(stopwords or [], use_default=not no_default_stopwords)
    reporter = Reporter(quiet=quiet)

    def render(pairs: list[tuple[str, str | None]]) -> str:
        return sep.join(f"{w}/{t}" if t else w for w, t in pairs)

    count = 0
    with open_output(output, [*(paths or []), *(stopwords or []), user_dict], glob) as stream:
        writer = None
        if fmt is not TokenizeFormat.text:
            writer = RecordWriter(
                stream, fmt.value, ["source", "tokens"], header=header, color=color_enabled(stream)
            )
        documents = iter_documents(
            paths, lines=lines, glob=glob, encoding=encoding, on_error=reporter.input_failed
        )
        # Text output keeps one line per input line, so a whole-file document is cut line
        # by line; the other formats tokenize each document as one text. Very long texts
        # are cut into blocks where jieba would split anyway, so memory stays bounded.
        by_line = writer is None and not lines
        pieces = (
            (index, doc.source, block, last)
            for index, doc in enumerate(documents)
            for piece in (split_lines(doc.text) if by_line else [doc.text])
            for block, last in split_blocks(piece)
        )
        tokenized = map_chunked(
            _tokenize_chunk,
            (segmenter, pos),
            pieces,
            jobs=jobs,
            cost=lambda item: len(item[2]),
            budget=BLOCK_CHARS,
            backend=backend.value,
            scheduler=scheduler,
        )
        # Consecutive blocks of one document are regrouped for per-document formats.
        for _, group in itertools.groupby(
            reporter.progress(tokenized, "tokenizing"), key=lambda item: item[0]
        ):
            count += 1
            if writer is None:
                started = False  # whether the current output line has tokens yet
                for _, _, tokens, last in group:
                    text = render([(w, t) for w, t in tokens if w not in drop])
                    if text:
                        stream.write(sep + text if started else text)
                        started = True
                    if last:
                        stream.write("\n")
                        started = False
                continue
            blocks = list(group)
            source = blocks[0][1]
            pairs = [(w, t) for _, _, tokens, _ in blocks for w, t in tokens if w not in drop]
            obj: dict[str, Any] = {"source": source, "tokens": [w for w, _ in pairs]}
            if pos:
                obj["pos"] = [t for _, t in pairs]
            writer.write([(source, render(pairs))], obj)
    raise typer.Exit(reporter.finish(count))


def _tokenize_chunk(
    config: tuple[Any, bool], items: list[tuple[int, str, str, bool]]
) -> list[tuple[int, str, list[tuple[str, str | None]], bool]]:
    """Worker task: tokenize (index, source, text, ends-line) items into [(word, tag)]."""
    from textkit.tokenizer import cut_texts

    segmenter, pos = config
    results = cut_texts(segmenter, [text for _, _, text, _ in items], pos)
    if not pos:
        results = [[(w, None) for w in words] for words in results]
    return [
        (index, source, pairs, last)
        for (index, source, _, last), pairs in zip(items, results, strict=True)
    ]


# ---------------------------------------------------------------------------------------
# textkit train-lr / classify / evaluate / info
