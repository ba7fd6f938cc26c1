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
    from textkit.tokenizer import BLOCK_CHARS, split_blocks

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


class DataFormat(str, Enum):
    tsv = "tsv"
    csv = "csv"
    jsonl = "jsonl"
    fasttext = "fasttext"


class FeatureSet(str, Enum):
    word = "word"
    char = "char"
    word_char = "word+char"


class Penalty(str, Enum):
    l2 = "l2"
    l1 = "l1"
    elasticnet = "elasticnet"


class MultiClass(str, Enum):
    ovr = "ovr"
    multinomial = "multinomial"


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


def _ngram_range(value: str) -> tuple[int, int]:
    """'1-3', '1,3' or '2' -> (min, max)."""
    parts = value.replace(",", "-").split("-")
    try:
        lo, hi = (int(parts[0]), int(parts[-1])) if len(parts) <= 2 else (0, 0)
    except ValueError:
        lo = hi = 0
    if not 1 <= lo <= hi:
        raise typer.BadParameter(f"expected MIN-MAX like 1-3, got {value!r}")
    return lo, hi


def _read_training_data(
    paths: list[str],
    data_format: DataFormat | None,
    text_col: str | None,
    label_col: str | None,
    encoding: str,
    reporter: Any,
) -> tuple[list[str], list[str]]:
    """Texts and labels of labeled files; skipped rows reported as one warning."""
    from textkit.labeled import ReadStats, read_labeled

    stats = ReadStats()
    records = read_labeled(
        paths,
        data_format=data_format.value if data_format else None,
        text_col=text_col,
        label_col=label_col,
        encoding=encoding,
        stats=stats,
        on_error=reporter.input_failed,
    )
    texts, labels = [], []
    for record in records:
        texts.append(record.text)
        labels.append(str(record.label))
    if stats.skipped:
        reporter.warn(f"{stats.skipped} row(s) without text or label skipped")
    return texts, labels


def _check_labels(labels: list[str], source: str) -> None:
    """Refuse data a classifier cannot learn from, with a hint."""
    from textkit.errors import DataFormatError

    distinct = set(labels)
    if len(distinct) < 2:
        only = next(iter(distinct), "")
        raise DataFormatError(
            f"{source}: only one label ({only!r}) in the training data",
            hint="a classifier needs examples of at least two labels",
        )
    if len(labels) >= 10 and len(distinct) > len(labels) / 2:
        raise DataFormatError(
            f"{source}: {len(distinct)} distinct labels in {len(labels)} rows; "
            "the label column looks like text",
            hint="choose the columns with --text-col and --label-col",
        )


def _sha256(path: str) -> str | None:
    import hashlib

    if path == STDIN:
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@app.command("train-lr")
def train_lr(
    data: Annotated[list[str], typer.Argument(help="Labeled training files ('-' = stdin).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write.")],
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    encoding: Encoding = AUTO,
    features: Annotated[
        FeatureSet, typer.Option("--features", help="Word n-grams, character n-grams or both.")
    ] = FeatureSet.word_char,
    word_ngram: Annotated[str, typer.Option("--word-ngram", help="Word n-gram range.")] = "1-2",
    char_ngram: Annotated[
        str, typer.Option("--char-ngram", help="Character n-gram range (up to 3).")
    ] = "1-3",
    min_df: Annotated[
        int, typer.Option("--min-df", min=1, help="Drop features in fewer documents.")
    ] = 2,
    max_features: Annotated[
        int | None, typer.Option("--max-features", min=1, help="Keep the N most frequent.")
    ] = None,
    sublinear_tf: Annotated[
        bool, typer.Option("--sublinear-tf/--raw-tf", help="1 + log(tf) instead of counts.")
    ] = True,
    tokenizer: Tokenizer = "fast",
    penalty: Annotated[Penalty, typer.Option("--penalty", help="Regularisation.")] = Penalty.l2,
    c: Annotated[
        str,
        typer.Option(
            "-C",
            help="Inverse regularisation strength, or 'auto': the best of 3, 10, 30 on a "
            "stratified 10% of the training data, then refitted on all of it.",
        ),
    ] = "10",
    class_weight: Annotated[
        str | None, typer.Option("--class-weight", help="'balanced' to reweigh rare classes.")
    ] = None,
    max_iter: Annotated[int, typer.Option("--max-iter", min=1, help="Solver iterations.")] = 300,
    multi_class: Annotated[
        MultiClass,
        typer.Option(
            "--multi-class", help="ovr: one binary model per class; multinomial: softmax."
        ),
    ] = MultiClass.ovr,
    nb: Annotated[
        bool,
        typer.Option("--nb/--no-nb", help="Naive-Bayes feature scaling per class (ovr only)."),
    ] = True,
    nb_average: Annotated[
        bool,
        typer.Option(
            "--nb-average/--no-nb-average",
            help="Average the NB-scaled model with a plain one (ovr --nb; still one linear model).",
        ),
    ] = True,
    valid: Annotated[
        list[str] | None, typer.Option("--valid", help="Labeled validation file.")
    ] = None,
    valid_split: Annotated[
        float | None,
        typer.Option(
            "--valid-split",
            help="Hold out this fraction (stratified, seeded) for validation.",
        ),
    ] = None,
    tune: Annotated[
        bool, typer.Option("--tune", help="Try a small grid of C and feature sets on validation.")
    ] = False,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
    streaming: Annotated[
        bool,
        typer.Option(
            "--streaming",
            help="Out of core: hashed features, SGD over chunks, the files re-read each epoch.",
        ),
    ] = False,
    epochs: Annotated[
        int, typer.Option("--epochs", min=1, help="Passes over the data (--streaming).")
    ] = 5,
    hash_bits: Annotated[
        int, typer.Option("--hash-bits", min=8, max=28, help="2^N feature buckets (--streaming).")
    ] = 20,
    chunk_size: Annotated[
        int, typer.Option("--chunk-size", min=1, help="Rows per SGD step (--streaming).")
    ] = 10_000,
    alpha: Annotated[
        float, typer.Option("--alpha", help="SGD regularisation strength (--streaming).")
    ] = 1e-6,
    quiet: Quiet = False,
) -> None:
    """Train a logistic-regression classifier on labeled text.

    Example: textkit train-lr train.tsv -o news.model --valid dev.tsv
    """
    import time
    from datetime import datetime, timezone

    from textkit.errors import DataFormatError
    from textkit.terminal import Reporter

    _check_backend(tokenizer)
    if class_weight not in (None, "balanced"):
        raise typer.BadParameter("only 'balanced' is supported", param_hint="--class-weight")
    try:
        c_value = None if c.strip().lower() == "auto" else float(c)
    except ValueError:
        raise typer.BadParameter("must be a number or 'auto'", param_hint="-C") from None
    if c_value is not None and not 0 < c_value < float("inf"):
        raise typer.BadParameter("must be positive", param_hint="-C")
    if valid_split is not None and not 0 < valid_split < 1:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--valid-split")
    if valid and valid_split:
        raise typer.BadParameter("give --valid or --valid-split, not both")
    if tune and not (valid or valid_split):
        raise typer.BadParameter("--tune needs --valid FILE or --valid-split")
    if streaming:  # every option goes along; -C, --nb and --max-iter do not apply
        _train_streaming(**locals())
        return
    from textkit.features import FeatureConfig
    from textkit.training import TrainConfig, stratified_split
    from textkit.training import train as train_model
    from textkit.training import tune as tune_model

    try:
        feature_config = FeatureConfig(
            features.value,
            _ngram_range(word_ngram),
            _ngram_range(char_ngram),
            min_df,
            max_features,
            sublinear_tf,
            tokenizer,
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    config = TrainConfig(
        penalty.value,
        c_value,
        class_weight,
        max_iter,
        multi_class.value,
        nb,
        seed=seed,
        nb_average=nb_average,
    )
    reporter = Reporter(quiet=quiet)
    if output.is_dir():
        raise DataFormatError(f"{output}: is a directory", hint="give a model file path")
    start = time.perf_counter()
    texts, labels = _read_training_data(data, data_format, text_col, label_col, encoding, reporter)
    if reporter.failed:
        raise DataFormatError("some training inputs could not be read; no model written")
    _check_labels(labels, ", ".join(data))
    held_out = None
    if valid:
        held_out = _read_training_data(valid, data_format, text_col, label_col, encoding, reporter)
    elif valid_split:
        keep, hold = stratified_split(labels, valid_split, seed)
        held_out = ([texts[i] for i in hold], [labels[i] for i in hold])
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    if tune:
        assert held_out is not None
        result, grid = tune_model(
            texts, labels, held_out, feature_config, config, progress=reporter.info
        )
        reporter.info("features\tC\taccuracy\tmacro_f1")
        for row in grid:
            reporter.info(
                f"{row['features']}\t{row['C']:g}\t{row['accuracy']:.4f}\t{row['macro_f1']:.4f}"
            )
    else:
        result = train_model(
            texts, labels, feature_config, config, valid=held_out, progress=reporter.info
        )
    for note in result.warnings:
        reporter.warn(note)
    model = result.model
    model.metadata.update(
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        training_files=[{"path": p, "sha256": _sha256(p)} for p in data],
    )
    if result.validation is not None:
        scores = result.validation
        model.metadata["validation"] = {
            "n": scores["n"],
            "accuracy": scores["accuracy"],
            "macro_f1": scores["macro"]["f1"],
        }
    model.save(output)
    elapsed = time.perf_counter() - start
    reporter.info(
        f"{len(texts)} documents, {len(model.classes)} classes, "
        f"{model.featurizer.n_features} features, {elapsed:.1f} s -> {output}"
    )
    if result.validation is not None:
        reporter.info(
            f"validation: {result.validation['n']} documents, accuracy "
            f"{result.validation['accuracy']:.4f}, macro-F1 {result.validation['macro']['f1']:.4f}"
        )


def _train_streaming(**options: Any) -> None:
    """``train-lr --streaming``: the files are read once per pass, never held whole."""
    import time
    from datetime import datetime, timezone

    from textkit.errors import DataFormatError
    from textkit.hashing import HashedFeatureConfig
    from textkit.labeled import ReadStats, read_labeled
    from textkit.streaming import StreamConfig, train_streaming
    from textkit.terminal import Reporter

    o = options
    data, output = o["data"], o["output"]
    if STDIN in data or (o["valid"] and STDIN in o["valid"]):
        raise typer.BadParameter("--streaming reads the data several times; stdin cannot be")
    for flag, bad in (
        ("--tune", o["tune"]),
        ("--multi-class multinomial", o["multi_class"] is MultiClass.multinomial),
        ("--max-features", o["max_features"] is not None),
    ):
        if bad:
            raise typer.BadParameter(f"{flag} does not work with --streaming")
    if o["alpha"] <= 0:
        raise typer.BadParameter("must be positive", param_hint="--alpha")
    try:
        features = HashedFeatureConfig(
            features=o["features"].value,
            word_ngram=_ngram_range(o["word_ngram"]),
            char_ngram=_ngram_range(o["char_ngram"]),
            min_df=o["min_df"],
            sublinear_tf=o["sublinear_tf"],
            tokenizer=o["tokenizer"],
            hash_bits=o["hash_bits"],
        )
        config = StreamConfig(
            epochs=o["epochs"],
            chunk_size=o["chunk_size"],
            alpha=o["alpha"],
            penalty=o["penalty"].value,
            class_weight=o["class_weight"],
            seed=o["seed"],
            valid_split=o["valid_split"],
        )
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    reporter = Reporter(quiet=o["quiet"])
    if output.is_dir():
        raise DataFormatError(f"{output}: is a directory", hint="give a model file path")
    fmt = o["data_format"].value if o["data_format"] else None

    def rows(paths: list[str]) -> Any:
        passes = itertools.count(1)

        def read() -> Iterator[tuple[str, str]]:
            stats = ReadStats()
            first = next(passes) == 1  # report problems once; later passes read the same
            records = read_labeled(
                paths,
                data_format=fmt,
                text_col=o["text_col"],
                label_col=o["label_col"],
                encoding=o["encoding"],
                stats=stats,
                on_error=reporter.input_failed if first else lambda _error: None,
                stream=True,
            )
            for record in records:
                yield record.text, str(record.label)
            if first:
                if stats.skipped:
                    reporter.warn(f"{stats.skipped} row(s) without text or label skipped")
                if reporter.failed:
                    raise DataFormatError(
                        "some training inputs could not be read; no model written"
                    )

        return read

    start = time.perf_counter()
    result = train_streaming(
        rows(data),
        features,
        config,
        valid=rows(o["valid"]) if o["valid"] else None,
        progress=reporter.info,
        source=", ".join(data),
    )
    model = result.model
    model.metadata.update(
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        training_files=[{"path": p, "sha256": _sha256(p)} for p in data],
    )
    scores = result.validation
    if scores is not None:
        model.metadata["validation"] = {
            "n": scores["n"],
            "accuracy": scores["accuracy"],
            "macro_f1": scores["macro"]["f1"],
        }
    model.save(output)
    elapsed = time.perf_counter() - start
    reporter.info(
        f"{result.n_documents} documents, {len(model.classes)} classes, "
        f"{model.featurizer.n_features} hashed features, {elapsed:.1f} s -> {output}"
    )
    if scores is not None:
        reporter.info(
            f"validation: {scores['n']} documents, accuracy "
            f"{scores['accuracy']:.4f}, macro-F1 {scores['macro']['f1']:.4f}"
        )


CHUNK = 1000


def _load_classifier(path: Path, reporter: Any) -> Any:
    from textkit.classifier import TextClassifier

    model = TextClassifier.load(path)
    for note in model.warnings:
        reporter.warn(note)
    return model


@app.command()
def classify(
    model_path: ModelOpt,
    paths: Paths = None,
    lines: Lines = False,
    glob: Glob = DEFAULT_GLOB,
    encoding: Encoding = AUTO,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, help="The K best labels.")] = 1,
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
    """Label documents with a model from train-lr.

    Example: textkit classify -m news.model --lines titles.txt --format jsonl
    """
    from textkit.classifier import ClassifyRequest, classify_chunk, preload
    from textkit.inputs import iter_documents
    from textkit.outputs import RecordWriter
    from textkit.parallel import map_chunked
    from textkit.terminal import Reporter, color_enabled

    reporter = Reporter(quiet=quiet)
    model = _load_classifier(model_path, reporter)  # fails early, before any input is read
    preload(model, str(model_path))
    request = ClassifyRequest(str(model_path), top_k=top_k, proba=proba, explain=explain)
    columns = ["source", "label", "probability"]
    if proba:
        columns += model.classes
    if explain:
        columns.append("explain")
    count = 0
    with open_output(output, paths) as stream:
        writer = RecordWriter(
            stream,
            resolve_format(fmt, stream),
            columns,
            header=header,
            color=color_enabled(stream),
        )
        documents = iter_documents(
            paths, lines=lines, glob=glob, encoding=encoding, on_error=reporter.input_failed
        )
        items = ((i, doc.source, doc.text) for i, doc in enumerate(documents))
        # Chunks of 1,000 documents: memory stays flat however long the input is.
        results = map_chunked(
            classify_chunk,
            request,
            items,
            jobs=jobs,
            chunk_size=CHUNK,
            backend=backend.value,
            scheduler=scheduler,
        )
        for result in reporter.progress(results, "classifying"):
            count += 1
            ranked = result.ranked
            obj: dict[str, Any] = {
                "source": result.source,
                "label": ranked[0][0],
                "probability": ranked[0][1],
            }
            if len(ranked) > 1:
                obj["top"] = [{"label": lab, "probability": p} for lab, p in ranked]
            if proba:
                obj["proba"] = dict(zip(model.classes, result.proba, strict=True))
            rows = [[result.source, lab, p, *result.proba] for lab, p in ranked]
            if explain:  # each row explains its own label; JSONL the best one
                for flat, why in zip(rows, result.reasons, strict=True):
                    flat.append(" ".join(f"{f}={w:+.3f}" for f, w in why))
                obj["explain"] = [{"feature": f, "weight": w} for f, w in result.reasons[0]]
            writer.write(rows, obj)
    raise typer.Exit(reporter.finish(count))


@app.command()
def evaluate(
    model_path: ModelOpt,
    data: Annotated[list[str], typer.Argument(help="Labeled test files ('-' = stdin).")],
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    encoding: Encoding = AUTO,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table: readable; json: every number.")
    ] = ReportFormat.table,
    fasttext_style: Annotated[
        bool, typer.Option("--fasttext-style", help="Print fastText's N, P@1 and R@1 lines.")
    ] = False,
    errors: Annotated[
        Path | None, typer.Option("--errors", help="Write misclassified rows to FILE (TSV).")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Score a model on labeled data: accuracy, P/R/F1 per class, confusion matrix.

    Example: textkit evaluate -m news.model test.tsv --errors wrong.tsv
    """
    import json
    from collections import Counter

    from textkit.errors import DataFormatError
    from textkit.labeled import ReadStats, read_labeled
    from textkit.metrics import classification_report, format_fasttext, format_report
    from textkit.outputs import RecordWriter
    from textkit.terminal import Reporter

    reporter = Reporter(quiet=quiet)
    model = _load_classifier(model_path, reporter)
    stats = ReadStats()
    records = read_labeled(
        data,
        data_format=data_format.value if data_format else None,
        text_col=text_col,
        label_col=label_col,
        encoding=encoding,
        keep_incomplete=True,
        stats=stats,
        on_error=reporter.input_failed,
    )
    texts, gold, unlabeled = [], [], 0
    for record in records:
        if not record.text.strip():
            continue
        if record.label is None:
            unlabeled += 1
            continue
        texts.append(record.text)
        gold.append(str(record.label))
    if not gold:
        raise DataFormatError(
            f"{', '.join(data)}: no labeled rows; evaluate needs the gold label of each text",
            hint="to label new text use `textkit classify`",
        )
    if unlabeled:
        reporter.warn(f"{unlabeled} row(s) without a label skipped")
    predicted, confidence = [], []
    for start in range(0, len(texts), CHUNK):
        proba = model.predict_proba(texts[start : start + CHUNK])
        best = proba.argmax(axis=1)
        predicted += [model.classes[j] for j in best]
        confidence += [float(p) for p in proba[range(len(best)), best]]
    unseen = Counter(g for g in gold if g not in model.classes)
    if unseen:
        described = ", ".join(f"{label!r} ({n})" for label, n in sorted(unseen.items()))
        reporter.warn(f"labels the model never saw, counted as errors: {described}")
    report = classification_report(gold, predicted, model.classes + sorted(unseen))
    report["unseen_labels"] = dict(sorted(unseen.items()))
    if errors is not None:
        with open_output(errors, data) as handle:
            writer = RecordWriter(
                handle, "tsv", ["text", "gold", "predicted", "probability"], header=True
            )
            for row in zip(texts, gold, predicted, confidence, strict=True):
                if row[1] != row[2]:
                    writer.write([row])
    if fasttext_style:
        sys.stdout.write(format_fasttext(report))
    elif fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_report(report))
    raise typer.Exit(reporter.finish(len(gold), "rows"))


@app.command()
def info(
    model_path: Annotated[Path, typer.Argument(help="Model file.")],
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table: readable lines; json: all.")
    ] = ReportFormat.table,
) -> None:
    """Show what a model file holds (without loading its arrays).

    Example: textkit info news.model --format json
    """
    import json

    from textkit.modelfile import read_metadata

    metadata = read_metadata(model_path)
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
        return
    for key, value in metadata.items():
        if key == "labels" and isinstance(value, list):
            value = ", ".join(f"{x.get('label')} ({x.get('count')})" for x in value)
        elif isinstance(value, (dict, list)):
            value = json.dumps(value, ensure_ascii=False)
        sys.stdout.write(f"{key}: {value}\n")


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
            envvar="TEXTKIT_TOKENIZER",
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
        str,
        typer.Option(
            "--tokenizer",
            envvar="TEXTKIT_TOKENIZER",
            help="fast (rjieba, as keywords uses) or jieba.",
        ),
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


# ---------------------------------------------------------------------------------------
# textkit augment


def _num_aug_value(value: str) -> str:
    if value != "auto" and not value.isdigit():
        raise typer.BadParameter(f"expected a number (0 or more) or 'auto', got {value!r}")
    return value


def _ops_value(value: str) -> str:
    from textkit.augment import OPS

    ops = [op.strip().lower() for op in value.split(",") if op.strip()]
    unknown = [op for op in ops if op not in OPS]
    if unknown or not ops:
        raise typer.BadParameter(f"choose from {','.join(OPS)}, got {value!r}")
    return ",".join(dict.fromkeys(ops))


def _alpha(flag: str, what: str) -> Any:
    return Annotated[
        float,
        typer.Option(flag, min=0.0, max=1.0, help=f"{what} (0-1; 0 turns the operation off)."),
    ]


def _augment_rows(
    paths: list[str] | None,
    plain: bool,
    reader: dict[str, Any],
    reporter: Any,
) -> Iterator[tuple[int, str, Any]]:
    """(index, text, payload) of every input row; payload = (record, layout) when labeled."""
    if plain:
        from textkit.inputs import iter_documents

        documents = iter_documents(paths, on_error=reporter.input_failed, **reader)
        yield from ((i, doc.text, None) for i, doc in enumerate(documents))
        return
    from textkit.labeled import ReadStats, read_labeled

    stats = ReadStats()
    records = read_labeled(
        paths,
        require_label=False,
        keep_incomplete=True,
        stats=stats,
        on_error=reporter.input_failed,
        **reader,
    )
    index, empty = -1, 0
    try:
        for index, record in enumerate(records):
            empty += not record.text.strip()
            # The file's layout is known once its first record is read; remember it now,
            # since workers may read ahead into the next file before this row is written.
            yield index, record.text, (record, next(reversed(stats.layouts.values())))
    except DataFormatError as exc:
        if "cannot tell" not in exc.message:
            raise
        hint = "pass --data-format, or --lines for plain text, one text per line"
        raise DataFormatError(exc.message, hint=hint) from None
    # JSON rows without a text field are the only rows the reader cannot give back.
    dropped = stats.skipped - empty
    if dropped and index < 0:
        name, layout = next(reversed(stats.layouts.items()))
        keys = ", ".join(layout.header or []) or "none"
        raise DataFormatError(
            f"{name}: no text field in any row (saw keys: {keys})", hint="name it with --text-col"
        )
    if dropped:
        reporter.warn(f"{dropped} JSON row(s) without a text field left out")


@app.command()
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
    data_format: DataFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    num_aug: Annotated[
        str,
        typer.Option(
            "--num-aug",
            "-n",
            callback=_num_aug_value,
            help="Augmented rows per input row; auto = 4 below 1,000 rows, 16 below 5,000, else 4.",
        ),
    ] = "auto",
    alpha_sr: _alpha("--alpha-sr", "Share of words replaced by a synonym") = 0.2,
    alpha_ri: _alpha("--alpha-ri", "Share of words inserted (synonyms)") = 0.2,
    alpha_rs: _alpha("--alpha-rs", "Share of words swapped") = 0.2,
    p_rd: _alpha("--p-rd", "Probability that a word is deleted") = 0.2,
    ops: Annotated[
        str,
        typer.Option("--ops", callback=_ops_value, help="Operations, taking turns row by row."),
    ] = "sr,ri,rs,rd",
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
    tokenizer: Annotated[
        str,
        typer.Option(
            "--tokenizer", envvar="TEXTKIT_TOKENIZER", help="fast (rjieba, default here) or jieba."
        ),
    ] = "fast",
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

    from textkit.augment import AugmentConfig, Augmenter, augment_chunk, recommended_num_aug
    from textkit.labeled import write_header, write_labeled
    from textkit.parallel import map_chunked, worker_cache
    from textkit.stopwords import read_stopword_file
    from textkit.terminal import Reporter

    _check_backend(tokenizer)
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
    is_plain = plain or lines or any(Path(p).is_dir() for p in paths or [] if p != STDIN)
    reader: dict[str, Any] = {"encoding": encoding}
    if is_plain:
        reader.update(lines=lines, glob=glob)
    else:
        reader.update(
            data_format=data_format.value if data_format else None,
            text_col=text_col,
            label_col=label_col,
        )
    rows: Iterator[tuple[int, str, Any]] = _augment_rows(paths, is_plain, reader, reporter)
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
    with open_output(output, paths) as stream:
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
    raise typer.Exit(reporter.finish(count, "rows"))


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    app()
