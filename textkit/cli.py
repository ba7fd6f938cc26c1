"""The ``textkit`` command line: parse options, call the library, print results.

Heavy modules (jieba, scikit-learn, networkx, rich) are imported inside the commands that
need them, so ``textkit --help`` starts fast.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from typer.core import TyperGroup

from textkit import __version__
from textkit.errors import DataFormatError, OutputError, TextkitError
from textkit.inputs import AUTO, DEFAULT_GLOB, STDIN, check_encoding


class Terminated(BaseException):
    """Raised by the SIGTERM handler so that ``finally`` blocks (temp files) still run."""


class TextkitGroup(TyperGroup):
    """Turns typed errors and interruptions into one stderr line and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TextkitError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("textkit: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Terminated:
            print("textkit: terminated", file=sys.stderr)
            raise typer.Exit(143) from None


app = typer.Typer(
    cls=TextkitGroup,
    name="textkit",
    help="Fast, pipe-friendly Chinese text analysis. Data goes to stdout, messages to stderr.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich costs ~0.1 s of start-up on every call.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"textkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Fast, pipe-friendly Chinese text analysis. Data goes to stdout, messages to stderr."""


# ---------------------------------------------------------------------------------------
# Options shared by every command that reads documents or writes records (defined once).


def _encoding_callback(value: str) -> str:
    try:
        return check_encoding(value)
    except LookupError:
        raise typer.BadParameter(f"unknown encoding {value!r}") from None


class OutputFormat(str, Enum):
    table = "table"
    tsv = "tsv"
    jsonl = "jsonl"
    csv = "csv"


Paths = Annotated[
    list[str] | None,
    typer.Argument(
        help="Files or directories (walked recursively). '-' or nothing reads stdin.",
        show_default=False,
    ),
]
Lines = Annotated[bool, typer.Option("--lines", help="Treat each non-empty line as a document.")]
Glob = Annotated[str, typer.Option("--glob", help="Which files to read inside directories.")]
Encoding = Annotated[
    str,
    typer.Option(
        "--encoding",
        "-e",
        callback=_encoding_callback,
        help="Input encoding; 'auto' = BOM, else UTF-8, else GB18030.",
    ),
]
Format = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: table on a terminal, tsv otherwise].",
        show_default=False,
    ),
]
Header = Annotated[bool, typer.Option("--header", help="Write a header line in TSV output.")]
Output = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Write to FILE (atomically) instead of stdout."),
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="Print nothing but errors on stderr.")]
Tokenizer = Annotated[
    str,
    typer.Option(
        "--tokenizer", help="Tokenizer backend: jieba (reference) or fast (rjieba, Rust)."
    ),
]
Jobs = Annotated[
    int,
    typer.Option(
        "--jobs", "-j", min=0, help="Worker processes (0 = one per core). Output order is kept."
    ),
]


class Backend(str, Enum):
    local = "local"
    dask = "dask"


BackendOption = Annotated[
    Backend,
    typer.Option("--backend", help="Where workers run: local processes or a Dask cluster."),
]
Scheduler = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        envvar="TEXTKIT_DASK_SCHEDULER",
        help="Dask scheduler address (tcp://HOST:PORT) for --backend dask.",
    ),
]
UserDict = Annotated[
    Path | None, typer.Option("--user-dict", help="Extra words, in jieba's user-dict format.")
]
StopwordFiles = Annotated[
    list[Path] | None,
    typer.Option("--stopwords", help="Add the words of FILE (one per line) to the stopwords."),
]
NoDefaultStopwords = Annotated[
    bool,
    typer.Option("--no-default-stopwords", help="Do not use the built-in stopword list."),
]


def _check_backend(name: str) -> str:
    from textkit.tokenizer import BACKENDS

    if name not in BACKENDS:
        raise typer.BadParameter(
            f"unknown tokenizer {name!r}; choose from {', '.join(BACKENDS)}",
            param_hint="--tokenizer",
        )
    return name


@contextlib.contextmanager
def open_output(output: Path | None, inputs: list[str] | None) -> Iterator[IO[str]]:
    """stdout, or an atomically written file that must not be one of the inputs."""
    if output is None:
        yield sys.stdout
        return
    from textkit.outputs import atomic_write, same_file

    for path in inputs or []:
        if path != STDIN and same_file(path, output):
            raise OutputError(
                f"{output}: the output file is also an input", hint="choose another -o path"
            )
    with atomic_write(output) as handle:
        yield handle


def resolve_format(fmt: OutputFormat | None, stream: IO[str]) -> str:
    from textkit.outputs import default_format

    return fmt.value if fmt is not None else default_format(stream)


# ---------------------------------------------------------------------------------------
# textkit tokenize


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


@app.command()
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

    _check_backend(tokenizer)
    if pos and mode is not TokenizeMode.accurate:
        raise typer.BadParameter("--pos works only with --mode accurate", param_hint="--pos")
    from textkit.inputs import iter_documents, split_lines
    from textkit.outputs import RecordWriter
    from textkit.parallel import map_chunked
    from textkit.stopwords import load_stopwords

    segmenter = TokenizerClass(mode.value, hmm=hmm, user_dict=user_dict, backend=tokenizer)
    drop: frozenset[str] = frozenset()
    if drop_stopwords or stopwords:
        drop = load_stopwords(stopwords or [], use_default=not no_default_stopwords)
    reporter = Reporter(quiet=quiet)

    def render(pairs: list[tuple[str, str | None]]) -> str:
        return sep.join(f"{w}/{t}" if t else w for w, t in pairs)

    count = 0
    with open_output(output, paths) as stream:
        writer = None
        if fmt is not TokenizeFormat.text:
            writer = RecordWriter(
                stream, fmt.value, ["source", "tokens"], header=header, color=color_enabled(stream)
            )
        documents = iter_documents(
            paths, lines=lines, glob=glob, encoding=encoding, on_error=reporter.input_failed
        )
        # Text output keeps one line per input line, so a whole-file document is cut line
        # by line; the other formats tokenize each document as one text.
        by_line = writer is None and not lines
        pieces = (
            (index, doc.source, piece)
            for index, doc in enumerate(documents)
            for piece in (split_lines(doc.text) if by_line else [doc.text])
        )
        tokenized = map_chunked(
            _tokenize_chunk,
            (segmenter, pos),
            pieces,
            jobs=jobs,
            backend=backend.value,
            scheduler=scheduler,
        )
        # Consecutive pieces of one document are regrouped for per-document formats.
        for _, group in itertools.groupby(
            reporter.progress(tokenized, "tokenizing"), key=lambda item: item[0]
        ):
            count += 1
            for _, source, tokens in group:
                pairs = [(w, t) for w, t in tokens if w not in drop]
                if writer is None:
                    stream.write(render(pairs) + "\n")
                    continue
                obj: dict[str, Any] = {"source": source, "tokens": [w for w, _ in pairs]}
                if pos:
                    obj["pos"] = [t for _, t in pairs]
                writer.write([(source, render(pairs))], obj)
    raise typer.Exit(reporter.finish(count))


def _tokenize_chunk(config: tuple[Any, bool], items: list[tuple[int, str, str]]) -> list[Any]:
    """Worker task: tokenize (index, source, text) items into (index, source, [(word, tag)])."""
    from textkit.tokenizer import cut_texts

    segmenter, pos = config
    results = cut_texts(segmenter, [text for _, _, text in items], pos)
    if not pos:
        results = [[(w, None) for w in words] for words in results]
    return [(i, src, pairs) for (i, src, _), pairs in zip(items, results, strict=True)]


# ---------------------------------------------------------------------------------------
# textkit keywords / textkit idf


class KeywordMethod(str, Enum):
    tfidf = "tfidf"
    textrank = "textrank"


def _tags(value: str | None) -> list[str] | None:
    return [t.strip() for t in value.split(",") if t.strip()] if value else None


@app.command()
def keywords(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    method: Annotated[
        KeywordMethod, typer.Option("--method", "-m", help="Ranking: tf-idf or TextRank.")
    ] = KeywordMethod.tfidf,
    top: Annotated[
        int, typer.Option("--top", "-k", min=0, help="Keywords per document (0 = all).")
    ] = 10,
    phrases: Annotated[
        bool,
        typer.Option("--phrases/--words", help="Multi-word key phrases, or single words only."),
    ] = True,
    pos: Annotated[
        str | None,
        typer.Option(
            "--pos",
            metavar="TAGS",
            help="Keep keywords whose last word has one of these jieba POS tags (e.g. n,vn,nz).",
        ),
    ] = None,
    min_len: Annotated[
        int, typer.Option("--min-len", min=1, help="Shortest keyword, in characters.")
    ] = 2,
    stopwords: StopwordFiles = None,
    no_default_stopwords: NoDefaultStopwords = False,
    user_dict: UserDict = None,
    idf: Annotated[
        Path | None,
        typer.Option("--idf", help="IDF table ('word idf' lines, e.g. from textkit idf)."),
    ] = None,
    weights: Annotated[
        bool, typer.Option("--weights/--no-weights", help="Show the weight column.")
    ] = True,
    jieba_compat: Annotated[
        bool,
        typer.Option(
            "--jieba-compat",
            help="Exactly jieba.analyse.extract_tags/textrank (single words, jieba tokenizer).",
        ),
    ] = False,
    window: Annotated[
        int, typer.Option("--window", min=2, help="TextRank: link words fewer than N apart.")
    ] = 5,
    damping: Annotated[
        float, typer.Option("--damping", min=0.01, max=0.99, help="TextRank: PageRank damping.")
    ] = 0.85,
    tol: Annotated[
        float,
        typer.Option("--tol", min=1e-12, help="TextRank: PageRank convergence tolerance."),
    ] = 1e-8,
    tokenizer: Annotated[
        str,
        typer.Option(
            "--tokenizer",
            help="fast (rjieba, default here: same quality, ~3x faster) or jieba.",
        ),
    ] = "fast",
    fmt: Format = None,
    header: Header = False,
    output: Output = None,
    jobs: Jobs = 1,
    backend: BackendOption = Backend.local,
    scheduler: Scheduler = None,
    quiet: Quiet = False,
) -> None:
    """Extract keywords (key phrases by default) from each document.

    Example: textkit keywords docs/ -k 5 --format jsonl
    """
    from textkit.inputs import iter_documents
    from textkit.keywords import extract_chunk
    from textkit.outputs import RecordWriter
    from textkit.parallel import map_chunked
    from textkit.terminal import Reporter, color_enabled

    _check_backend(tokenizer)
    options: dict[str, Any] = {
        "method": method.value,
        "top_k": top,
        "phrases": phrases,
        "pos": _tags(pos),
        "min_len": min_len,
        "stopword_files": tuple(stopwords or ()),
        "default_stopwords": not no_default_stopwords,
        "user_dict": user_dict,
        "idf": idf,
        "backend": tokenizer,
        "window": window,
        "damping": damping,
        "tol": tol,
        "jieba_compat": jieba_compat,
    }
    reporter = Reporter(quiet=quiet)
    columns = ["source", "rank", "keyword"] + (["weight"] if weights else [])
    count = 0
    with open_output(output, paths) as stream:
        writer = RecordWriter(
            stream, resolve_format(fmt, stream), columns, header=header, color=color_enabled(stream)
        )
        documents = iter_documents(
            paths, lines=lines, glob=glob, encoding=encoding, on_error=reporter.input_failed
        )
        items = ((i, doc.source, doc.text) for i, doc in enumerate(documents))
        results = map_chunked(
            extract_chunk, options, items, jobs=jobs, backend=backend.value, scheduler=scheduler
        )
        for _, source, found in reporter.progress(results, "keywords"):
            count += 1
            rows = [(source, i, w, s)[: len(columns)] for i, (w, s) in enumerate(found, 1)]
            listed = [{"keyword": w, "weight": s} if weights else {"keyword": w} for w, s in found]
            writer.write(rows, {"source": source, "keywords": listed})
    raise typer.Exit(reporter.finish(count))


@app.command()
def idf(
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    min_df: Annotated[
        int, typer.Option("--min-df", min=1, help="Leave out words in fewer documents.")
    ] = 1,
    user_dict: UserDict = None,
    tokenizer: Annotated[
        str, typer.Option("--tokenizer", help="fast (rjieba, as keywords uses) or jieba.")
    ] = "fast",
    output: Output = None,
    quiet: Quiet = False,
) -> None:
    """Build an IDF table from your corpus, in jieba's 'word idf' format.

    idf = ln((1 + N) / (1 + df)) + 1 for N documents; a word in df of them.
    Example: textkit idf --lines corpus.txt -o idf.txt && textkit keywords --idf idf.txt doc.txt
    """
    from textkit.idf import build_idf, write_idf
    from textkit.inputs import iter_documents
    from textkit.terminal import Reporter
    from textkit.tokenizer import Tokenizer as TokenizerClass

    _check_backend(tokenizer)
    segmenter = TokenizerClass(user_dict=user_dict, backend=tokenizer)
    reporter = Reporter(quiet=quiet)
    documents = iter_documents(
        paths, lines=lines, glob=glob, encoding=encoding, on_error=reporter.input_failed
    )
    count = 0

    def tokenized() -> Iterator[list[str]]:
        nonlocal count
        for doc in reporter.progress(documents, "counting"):
            count += 1
            yield segmenter.cut(doc.text)

    table = build_idf(tokenized(), min_df=min_df)
    if not table:
        raise DataFormatError(
            f"no words in {count} document(s) reach --min-df {min_df}", hint="nothing written"
        )
    with open_output(output, paths) as stream:
        write_idf(table, stream)
    raise typer.Exit(reporter.finish(count))


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    app()
