"""Options and helpers shared by the commands (each defined once, as csvkit does)."""

import contextlib
import sys
from collections.abc import Iterable, Iterator
from enum import Enum
from pathlib import Path
from typing import IO, Annotated

import typer

from textkit.errors import OutputError
from textkit.inputs import STDIN, check_encoding


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
        "--tokenizer",
        envvar="TEXTKIT_TOKENIZER",
        help="Tokenizer backend: jieba (reference) or fast (rjieba, Rust).",
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


def check_backend(name: str) -> str:
    from textkit.tokenizer import BACKENDS

    if name not in BACKENDS:
        raise typer.BadParameter(
            f"unknown tokenizer {name!r}; choose from {', '.join(BACKENDS)}",
            param_hint="--tokenizer",
        )
    return name


@contextlib.contextmanager
def open_output(
    output: Path | None, inputs: Iterable[str | Path | None] | None
) -> Iterator[IO[str]]:
    """stdout, or an atomically written file that must not be one of the inputs (data
    files, and the option files read along: stopwords, user dictionary, ...; None skipped)."""
    if output is None:
        yield sys.stdout
        return
    from textkit.outputs import atomic_write

    refuse_overwriting(output, inputs)
    with atomic_write(output) as handle:
        yield handle


def refuse_overwriting(
    output: Path, inputs: Iterable[str | Path | None] | None, option: str = "-o"
) -> None:
    """Raise before any work when ``output`` names one of the files being read (data,
    validation data, a model): writing it would destroy the input."""
    from textkit.outputs import same_file

    for path in inputs or []:
        if path is not None and str(path) != STDIN and same_file(path, output):
            raise OutputError(
                f"{output}: the output file is also an input",
                hint=f"choose another {option} path",
            )


def resolve_format(fmt: OutputFormat | None, stream: IO[str]) -> str:
    from textkit.outputs import default_format

    return fmt.value if fmt is not None else default_format(stream)


# Labeled data (train-lr, evaluate, augment) and models.


class DataFormat(str, Enum):
    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"
    fasttext = "fasttext"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


DataFormatOpt = Annotated[
    DataFormat | None,
    typer.Option("--data-format", help="Labeled data format [default: from extension/content]."),
]
TextCol = Annotated[
    str | None, typer.Option("--text-col", help="Text column: 0-based index or header name.")
]
LabelCol = Annotated[
    str | None, typer.Option("--label-col", help="Label column: 0-based index or header name.")
]
ModelOpt = Annotated[Path, typer.Option("--model", "-m", help="Model file from train-lr.")]
