"""Options and helpers shared by the commands (each defined once, as csvkit does)."""

import contextlib
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import Enum
from pathlib import Path
from typing import IO, Annotated, Any

import click
import typer

from textkit.errors import OutputError, TextkitError
from textkit.io.decoding import check_encoding
from textkit.io.sources import STDIN


def _encoding_callback(value: str) -> str:
    try:
        return check_encoding(value)
    except LookupError as exc:  # "unknown encoding: x", or "base64 is not a text encoding"
        raise typer.BadParameter(str(exc)) from None


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
        help="Input encoding; 'auto' = BOM, else UTF-8, else GB18030 or Big5.",
    ),
]
Format = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format [default: -o's extension (.tsv, .csv, .jsonl), else table on a "
        "terminal, tsv otherwise].",
        show_default=False,
    ),
]
Header = Annotated[bool, typer.Option("--header", help="Write a header line in TSV output.")]
Output = Annotated[
    Path | None,
    typer.Option(
        "--output", "-o", help="Write to FILE (atomically) instead of stdout ('-': stdout)."
    ),
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


Normalize = Annotated[
    bool | None,
    typer.Option(
        "--normalize/--no-normalize",
        help="Analyse text as simplified Chinese with half-width forms; results keep the "
        "input's spelling [default: only documents that look traditional].",
        show_default=False,
    ),
]


class OutputScript(str, Enum):
    original = "original"
    simplified = "simplified"


OutputScriptOpt = Annotated[
    OutputScript,
    typer.Option(
        "--output-script",
        help="Spell results as the input does, or as analysed (simplified, half-width; "
        "implies --normalize).",
    ),
]


def normalize_mode(normalize: bool | None, output_script: OutputScript) -> bool | None:
    """The ``normalize_mode`` of textkit.text.normalize.prepare for these two options."""
    if output_script is OutputScript.simplified:
        if normalize is False:
            raise typer.BadParameter(
                "--output-script simplified needs normalization; drop --no-normalize",
                param_hint="--output-script",
            )
        return True
    return normalize


def traditional_note(reporter: Any) -> Callable[[str], None]:
    """Call it with a document's source each time one is normalised without --normalize:
    the reporter says it once a run (a notice, not a failure)."""
    from textkit.errors import TraditionalText

    def note(source: str) -> None:
        reporter.input_failed(TraditionalText(source))

    return note


def given_options(ctx: typer.Context, flags: dict[str, str]) -> list[str]:
    """The ``flags`` (parameter name -> flag as shown) the user typed on the command line."""
    from click.core import ParameterSource

    return [
        flag
        for name, flag in flags.items()
        if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE
    ]


def check_backend(name: str) -> str:
    from textkit.text.tokenizer import BACKENDS

    if name not in BACKENDS:
        raise typer.BadParameter(
            f"unknown tokenizer {name!r}; choose from {', '.join(BACKENDS)}",
            param_hint="--tokenizer",
        )
    return name


@contextlib.contextmanager
def open_output(
    output: Path | None, inputs: Iterable[str | Path | None] | None, glob: str = "*"
) -> Iterator[IO[str]]:
    """stdout, or an atomically written file that must not be one of the inputs (data
    files, and the option files read along: stopwords, user dictionary, ...; None skipped;
    ``glob``: the files a directory input contributes)."""
    if output is None or str(output) == STDIN:  # `-o -`: stdout, as `-` reads stdin
        yield sys.stdout
        return
    from textkit.io.writers import FORMAT_OF_SUFFIX, atomic_write

    refuse_overwriting(output, inputs, glob=glob)
    with atomic_write(output) as handle:
        handle.textkit_format = FORMAT_OF_SUFFIX.get(Path(output).suffix.lower())  # type: ignore[attr-defined]
        yield handle


def refuse_overwriting(
    output: Path,
    inputs: Iterable[str | Path | None] | None,
    option: str = "-o",
    glob: str = "*",
) -> None:
    """Raise before any work when ``output`` names one of the files being read (data,
    validation data, a model, a file of a directory input matching ``glob``): writing it
    would destroy the input. (A second `textkit keywords docs -o docs/kw.txt` would.)"""
    from textkit.io.writers import same_file

    if str(output) == STDIN:  # stdout
        return
    for path in inputs or []:
        if path is None or str(path) == STDIN:
            continue
        if same_file(path, output):
            raise OutputError(
                f"{output}: the output file is also an input",
                hint=f"choose another {option} path",
            )
        if _walked_into(output, Path(path), glob):
            raise OutputError(
                f"{output}: the output file is also an input (it is in {path})",
                hint=f"choose a {option} path outside {path}",
            )


def _walked_into(output: Path, directory: Path, glob: str) -> bool:
    """Whether reading ``directory`` (recursively, hidden entries skipped) reads ``output``."""
    import fnmatch

    if not directory.is_dir() or not output.is_file():
        return False  # an output that does not exist yet is not read: it appears at the end
    try:
        inside = output.resolve().relative_to(directory.resolve())
    except ValueError:
        return False
    hidden = any(part.startswith(".") for part in inside.parts)
    return not hidden and fnmatch.fnmatchcase(inside.name, glob)


def rows_format(fmt: OutputFormat | None, stream: IO[str], input_format: str) -> str:
    """The format rows read from a file are written in: ``--format``, else ``-o``'s
    extension (see open_output), else the input's own format."""
    by_name = getattr(stream, "textkit_format", None)
    return fmt.value if fmt is not None else by_name or input_format


def format_by_extension(stream: IO[str], allowed: tuple[str, ...]) -> str | None:
    """The format ``-o``'s extension names (see open_output), if it is one of ``allowed``."""
    by_name = getattr(stream, "textkit_format", None)
    return by_name if by_name in allowed else None


def resolve_format(fmt: OutputFormat | None, stream: IO[str]) -> str:
    from textkit.io.writers import default_format

    return fmt.value if fmt is not None else default_format(stream)


# Tabular input (every reading command) and labeled data (train-lr, evaluate, augment).


class DataFormat(str, Enum):
    text = "text"
    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"
    fasttext = "fasttext"


class LabeledFormat(str, Enum):
    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"
    fasttext = "fasttext"


class ErrorMode(str, Enum):
    replace = "replace"
    strict = "strict"


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


DataFormatOpt = Annotated[
    DataFormat | None,
    typer.Option(
        "--data-format",
        help="Input format: text, tsv, csv, jsonl or fasttext [default: from the file "
        "extension, else text].",
        show_default=False,
    ),
]
LabeledFormatOpt = Annotated[
    LabeledFormat | None,
    typer.Option(
        "--data-format",
        help="Labeled data: tsv, csv, jsonl or fasttext [default: from the file extension "
        "and first line].",
        show_default=False,
    ),
]
TextCol = Annotated[
    str | None,
    typer.Option(
        "--text-col",
        help="Tabular input: the text column (0-based index or name) [default: the model's "
        "(classify, evaluate), else one named text, review, content, 评论, 内容...].",
    ),
]
IdCol = Annotated[
    str | None,
    typer.Option(
        "--id-col",
        help="Tabular input: the column that names each row in the output [default: id].",
    ),
]
LabelCol = Annotated[
    str | None,
    typer.Option(
        "--label-col",
        help="Tabular input: the label column (0-based index or name) [default: the model's "
        "(evaluate), else one named label, category, class, 标签, 类别...].",
    ),
]
LabelSep = Annotated[
    str | None,
    typer.Option("--label-sep", help="Tabular input: split the label field into several labels."),
]
EncodingErrors = Annotated[
    ErrorMode,
    typer.Option(
        "--encoding-errors",
        help="A few undecodable bytes: replace them (with a warning) or refuse the file.",
    ),
]


def read_options(
    lines: bool = False,
    glob: str = "*.txt",
    encoding: str = "auto",
    encoding_errors: ErrorMode = ErrorMode.replace,
    data_format: DataFormat | None = None,
    text_col: str | None = None,
    id_col: str | None = None,
) -> dict[str, Any]:
    """The reader's keyword arguments (textkit.io.readers.iter_documents) from the shared
    input options, as every command passes them."""
    return {
        "lines": lines,
        "glob": glob,
        "encoding": encoding,
        "errors": encoding_errors.value,
        "data_format": data_format.value if data_format is not None else None,
        "text_col": text_col,
        "id_col": id_col,
    }


def labeled_format(data_format: DataFormat | LabeledFormat | None, command: str) -> str | None:
    """``--data-format`` for commands that need labeled rows: ``text`` has none."""
    if data_format is DataFormat.text:
        raise typer.BadParameter(
            f"{command} needs labeled rows: tsv, csv, jsonl or fasttext", param_hint="--data-format"
        )
    return data_format.value if data_format is not None else None


ModelOpt = Annotated[
    Path | None,
    typer.Option("--model", "-m", help="Model file from train-lr (required).", show_default=False),
]


def require_model(model_path: Path | None, inputs: Sequence[str] | None, command: str) -> Path:
    """The ``-m`` model file. Without one: a usage error that shows the command line to use
    when an input is a model file (``textkit classify news.model titles.txt``)."""
    if model_path is not None:
        return model_path
    from textkit.classify.modelfile import read_metadata

    for path in inputs or []:
        if path == STDIN or not os.path.isfile(path):
            continue
        try:
            read_metadata(path)
        except (TextkitError, OSError):
            continue
        rest = " ".join(p for p in inputs or [] if p != path)
        raise click.UsageError(
            f"Missing option '--model' / '-m': {path} is a model file: "
            f"textkit {command} -m {path} {rest}".rstrip()
        )
    raise click.UsageError("Missing option '--model' / '-m' (a model file from textkit train-lr).")
