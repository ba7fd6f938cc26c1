"""``textkit train-lr``: fit a classifier (in memory or streaming) and save it."""

import itertools
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    Encoding,
    EncodingErrors,
    ErrorMode,
    LabelCol,
    LabeledFormatOpt,
    LabelSep,
    Quiet,
    TextCol,
    Tokenizer,
    check_backend,
    given_options,
    labeled_format,
    refuse_overwriting,
)
from textkit.errors import DataFormatError
from textkit.io.decoding import AUTO
from textkit.io.sources import STDIN


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
    reader: dict[str, Any],
    reporter: Any,
    what: str = "training",
) -> tuple[list[str], list[str], dict[str, Any]]:
    """Texts, labels and the layout used (format, text and label columns) of labeled
    files; skipped rows and rows with several labels reported."""
    from textkit.io.tabular import ReadStats, read_labeled

    stats = ReadStats()
    records = read_labeled(paths, stats=stats, on_error=_read_error_handler(reporter), **reader)
    texts, labels, first_rows = [], [], []
    json_numbers = True  # every label a JSON integer: classify writes them back as such
    for record in records:
        if record.source.endswith(":1"):
            first_rows.append((len(labels), record.source))
        texts.append(record.text)
        # a row's label list when it has several (see _label_mode), else its label
        labels.append(list(record.labels) if len(record.labels) > 1 else str(record.label))
        json_numbers = json_numbers and _integer_labels(record, stats)
    if stats.skipped:
        reporter.warn(f"{stats.skipped} {what} row(s) without text or label skipped")
    _warn_unnamed_header(_first_labels(labels), first_rows, stats, reporter)
    if not reader.get("label_sep"):
        _warn_label_lists(_first_labels(labels), reporter)
    _warn_lookalike_labels(labels, reporter)
    layout = next(iter(stats.layouts.values()), None)
    used = layout.describe() if layout is not None else {}
    if reader.get("label_sep"):
        used["label_sep"] = reader["label_sep"]
    if json_numbers and labels:
        used["label_type"] = "integer"
    return texts, labels, used


def _integer_labels(record: Any, stats: Any) -> bool:
    """Whether a JSON row's label is an integer (or a list of them), as FewCLUE's are."""
    if not isinstance(record.row, dict):
        return False
    layout = stats.layouts.get(record.source.rsplit(":", 1)[0])
    value = record.row.get(layout.label_key) if layout is not None else None
    values = value if isinstance(value, list) else [value]
    return all(isinstance(v, int) and not isinstance(v, bool) for v in values)


def _first_labels(labels: list[Any]) -> list[str]:
    return [x if isinstance(x, str) else x[0] for x in labels]


def describe_columns(used: dict[str, Any]) -> str:
    """``text: review, label: cat`` (columns by name, or by index in a file without a
    header), as train-lr reports them."""
    if used.get("format") == "fasttext":
        return "fastText labels"

    def name(key: Any) -> str:
        return f"column {key}" if isinstance(key, int) else str(key)

    return f"text: {name(used.get('text'))}, label: {name(used.get('label'))}"


def _read_error_handler(reporter: Any) -> Any:
    """A bad JSONL line is skipped with a warning, like a row without a label; a file that
    cannot be read at all fails the run (no model from part of the data)."""
    from textkit.errors import MalformedLineError

    def handle(error: Any) -> None:
        if isinstance(error, MalformedLineError):
            reporter.warn(str(error))
        else:
            reporter.input_failed(error)

    return handle


def _warn_label_lists(labels: list[str], reporter: Any) -> None:
    """Labels such as ``sports,正面`` on many rows are likely lists of labels: each
    combination would be learned as a class of its own. Say how to read them as lists."""
    distinct = set(labels)
    for sep in (",", "|", ";"):
        listed = sum(sep in label for label in labels)
        parts = {part.strip() for label in distinct for part in label.split(sep)}
        # fewer parts than combinations, or a part that is also a label on its own
        lists = len(parts) < len(distinct) or any(
            part.strip() in distinct
            for label in distinct
            if sep in label
            for part in label.split(sep)
        )
        if listed >= max(2, len(labels) // 5) and lists:
            example = next(label for label in labels if sep in label)
            reporter.warn(
                f"{listed} of {len(labels)} labels look like lists ({example!r}): each "
                f"combination is a class of its own; --label-sep '{sep}' reads them as "
                "several labels"
            )
            return


def _label_key(label: str) -> str:
    """What two spellings of one label share: case, and the number written (1 and 1.0)."""
    try:
        return repr(float(label))
    except ValueError:
        return label.casefold()


def _warn_lookalike_labels(labels: list[Any], reporter: Any) -> None:
    """Labels that differ only in case or number format (``1`` and ``1.0``, ``Positive``
    and ``positive``, from files put together) are classes of their own: say so."""
    groups: dict[str, list[str]] = {}
    for label in sorted({x for row in labels for x in ([row] if isinstance(row, str) else row)}):
        groups.setdefault(_label_key(label), []).append(label)
    alike = [" and ".join(repr(x) for x in group) for group in groups.values() if len(group) > 1]
    if alike:
        reporter.warn(
            f"labels that differ only in case or number format are classes of their own: "
            f"{'; '.join(alike[:3])}{' ...' if len(alike) > 3 else ''}"
        )


def _warn_unnamed_header(
    labels: list[str], first_rows: list[tuple[int, str]], stats: Any, reporter: Any
) -> None:
    """A TSV or CSV header taken for a row (names textkit does not know): its "label" is
    then a class of one. Say so, since that class would be learned and predicted."""
    from collections import Counter

    if len(labels) < 10:
        return
    counts = Counter(labels)
    for index, source in first_rows:
        layout = stats.layouts.get(source.removesuffix(":1"))
        label = labels[index]
        if (
            layout is not None
            and layout.fmt in ("tsv", "csv")
            and not layout.header
            and counts[label] == 1
        ):
            reporter.warn(
                f"{source}: label {label!r} appears in no other row; if this line is a "
                "header, name the columns (--text-col NAME --label-col NAME)"
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


def train_lr(
    ctx: typer.Context,
    data: Annotated[list[str], typer.Argument(help="Labeled training files ('-' = stdin).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Model file to write.")],
    data_format: LabeledFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    label_sep: LabelSep = None,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
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
            help="Inverse regularisation strength, or 'auto' (chosen on validation data or "
            "by cross-validation).",
        ),
    ] = "auto",
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
    multi_label: Annotated[
        bool | None,
        typer.Option(
            "--multi-label/--single-label",
            help="One binary model per label (default: when some row has several labels).",
            show_default=False,
        ),
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option("--threshold", help="Multi-label: one probability threshold for every label."),
    ] = None,
    augment: Annotated[
        str,
        typer.Option(
            "--augment",
            help="Augmented copies per training row, or 'auto' (chosen like -C auto).",
        ),
    ] = "0",
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

    from textkit.io.terminal import Reporter

    check_backend(tokenizer)
    if class_weight not in (None, "balanced"):
        raise typer.BadParameter("only 'balanced' is supported", param_hint="--class-weight")
    try:
        c_value = None if c.strip().lower() == "auto" else float(c)
    except ValueError:
        raise typer.BadParameter("must be a number or 'auto'", param_hint="-C") from None
    if c_value is not None and not 0 < c_value < float("inf"):
        raise typer.BadParameter("must be positive", param_hint="-C")
    augment_value = _copies(augment)
    if threshold is not None and not 0 <= threshold <= 1:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--threshold")
    if threshold is not None and multi_label is False:
        raise typer.BadParameter("--threshold needs --multi-label")
    if multi_label and multi_class is MultiClass.multinomial:
        raise typer.BadParameter("--multi-label fits one binary model per label (ovr)")
    if valid_split is not None and not 0 < valid_split < 1:
        raise typer.BadParameter("must be between 0 and 1", param_hint="--valid-split")
    if valid and valid_split:
        raise typer.BadParameter("give --valid or --valid-split, not both")
    if tune and not (valid or valid_split):
        raise typer.BadParameter("--tune needs --valid FILE or --valid-split")
    if str(output) == "-":
        raise typer.BadParameter("a model is written to a file: name one", param_hint="-o")
    refuse_overwriting(output, [*data, *(valid or [])])
    _check_paths(output, [*data, *(valid or [])])
    if streaming:  # every option goes along; -C and --max-iter do not apply
        _train_streaming(**locals())
        return
    from collections import Counter

    from textkit.classify.features import FeatureConfig
    from textkit.classify.streaming import check_labels
    from textkit.classify.training import TrainConfig, stratified_split
    from textkit.classify.training import train as train_model
    from textkit.classify.training import tune as tune_model

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
        seed=seed,
        multi_label=bool(multi_label),
        threshold=threshold,
        augment=augment_value,
    )
    reporter = Reporter(quiet=quiet)
    start = time.perf_counter()
    reader = {
        "data_format": labeled_format(data_format, "train-lr"),
        "text_col": text_col,
        "label_col": label_col,
        "label_sep": label_sep,
        "encoding": encoding,
        "errors": encoding_errors.value,
    }
    texts, labels, used = _read_training_data(data, reader, reporter)
    if reporter.failed:
        raise DataFormatError(
            f"cannot read the training data ({reporter.failed[0]}); no model written"
        )
    check_labels(Counter(_first_labels(labels)), len(labels), ", ".join(data))
    config = _label_mode(config, labels, multi_label, threshold, reporter)
    held_out = None
    if valid:
        valid_texts, valid_labels, _ = _read_training_data(valid, reader, reporter, "validation")
        held_out = (valid_texts, valid_labels)
        if reporter.failed:  # scores on part of the validation data would mislead
            raise DataFormatError(
                f"cannot read the validation data ({reporter.failed[0]}); no model written"
            )
    elif valid_split:
        keep, hold = stratified_split(labels, valid_split, seed)
        held_out = ([texts[i] for i in hold], [labels[i] for i in hold])
        texts, labels = [texts[i] for i in keep], [labels[i] for i in keep]
    if tune:
        assert held_out is not None
        result, grid = tune_model(
            texts, labels, held_out, feature_config, config, progress=_progress(reporter)
        )
        score = "micro_f1" if config.multi_label else "accuracy"
        reporter.info(f"features\tC\t{score}\tmacro_f1")
        for row in grid:
            reporter.info(
                f"{row['features']}\t{row['C']:g}\t{row[score]:.4f}\t{row['macro_f1']:.4f}"
            )
    else:
        result = train_model(
            texts, labels, feature_config, config, valid=held_out, progress=_progress(reporter)
        )
    for note in result.warnings:
        reporter.warn(note)
    result.model.metadata["data"] = used
    _save(result.model, result.validation, data, output, reporter, start, len(texts), "features")


def _save(
    model: Any,
    scores: dict[str, Any] | None,
    data: list[str],
    output: Path,
    reporter: Any,
    start: float,
    n_documents: int,
    what: str,
) -> None:
    """Record provenance and validation scores in the model, save it, print the summary."""
    import time
    from datetime import datetime, timezone

    from textkit.io.sources import iter_sources

    # a directory stands for the files read from it (read_labeled reads every one)
    files = iter_sources(data, glob="*", on_error=lambda error: None)
    model.metadata.update(
        created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        training_files=[{"path": p, "sha256": _sha256(p)} for p in files],
    )
    if scores is not None:
        model.metadata["validation"] = {
            "n": scores["n"],
            "accuracy": scores["accuracy"],
            "macro_f1": scores["macro"]["f1"],
        }
    model.save(output)
    elapsed = time.perf_counter() - start
    columns = describe_columns(model.metadata.get("data") or {})
    reporter.info(
        f"{n_documents} documents ({columns}), {len(model.classes)} "
        f"{'labels' if model.multi_label else 'classes'}, "
        f"{model.featurizer.n_features} {what}, {elapsed:.1f} s -> {output}"
    )
    if scores is not None:
        reporter.info(
            f"validation: {scores['n']} documents, accuracy "
            f"{scores['accuracy']:.4f}, macro-F1 {scores['macro']['f1']:.4f}"
        )


def _label_mode(
    config: Any, labels: list[Any], asked: bool | None, threshold: float | None, reporter: Any
) -> Any:
    """A multi-label model when asked, or when some row has several labels (said)."""
    from dataclasses import replace

    from textkit.classify.multilabel import several_labels

    if asked is None:
        several = several_labels(labels)
        if several:
            reporter.info(
                f"{several} row(s) have several labels: training a multi-label model "
                "(--single-label keeps the first label of each)"
            )
            config = replace(config, multi_label=True)
    if threshold is not None and not config.multi_label:
        raise typer.BadParameter("--threshold needs --multi-label (rows with several labels)")
    return config


def _copies(value: str) -> int | str:
    """--augment: a number of copies (0 or more) or 'auto'."""
    if value.strip().lower() == "auto":
        return "auto"
    try:
        copies = int(value)
    except ValueError:
        copies = -1
    if copies < 0:
        raise typer.BadParameter("must be a number of copies or 'auto'", param_hint="--augment")
    return copies


class _Progress:
    """Training progress on stderr: a line when a phase starts; on a terminal, also a live
    line with the rate and the time left."""

    def __init__(self, reporter: Any) -> None:
        from textkit.io.terminal import stream_is_terminal

        self.reporter = reporter
        self.live = not reporter.quiet and stream_is_terminal(sys.stderr)
        self.what = ""
        self.start = self.shown = 0.0

    def __call__(self, done: int, total: int, what: str) -> None:
        import time

        now = time.monotonic()
        if what != self.what:
            self._clear()
            self.what, self.start, self.shown = what, now, now
            unit = _UNITS.get(what.split()[0], "documents")
            if total == 1:
                unit = _SINGULAR.get(unit, unit)
            self.reporter.info(f"{what}: {total} {unit}" if total > 0 else f"{what}...")
        finished = 0 < total <= done
        if not self.live or now - self.shown < 0.5 or finished:
            if finished:
                self._clear()
            return
        self.shown = now
        rate = done / max(now - self.start, 1e-9)
        if total > 0:
            left = (total - done) / rate if rate > 0 else float("inf")
            line = f"{what} {done}/{total} ({rate:.1f}/s, {left:.0f} s left)"
        else:
            line = f"{what} {done} ({rate:.1f}/s)"
        sys.stderr.write(f"\r{line}\x1b[K")
        sys.stderr.flush()

    def _clear(self) -> None:
        if self.live:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


_UNITS = {
    "choosing": "fits",
    "fitting": "binary problems",
    "tuning": "fits",
    "training": "rows (all epochs)",
}
_SINGULAR = {"fits": "fit", "binary problems": "binary problem", "documents": "document"}


def _progress(reporter: Any) -> Any:
    return _Progress(reporter)


def _is_stream(path: str) -> bool:
    """A FIFO or character device (``<(zcat ...)``, /dev/stdin on a pipe): readable once."""
    import stat

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False  # reported as unreadable where it is read
    return stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)


def _warn_not_applying(ctx: typer.Context, quiet: bool) -> None:
    """Say which given options --streaming leaves aside (they belong to the in-memory fit)."""
    from textkit.io.terminal import Reporter

    given = given_options(
        ctx,
        {
            "c": "-C",
            "max_iter": "--max-iter",
        },
    )
    if given:
        Reporter(quiet=quiet).warn(f"--streaming ignores {', '.join(given)} (see --alpha)")


def _check_paths(output: Path, inputs: list[str]) -> None:
    """Fail before training, not after it, when an input is missing or the model cannot
    be written where asked (a streaming fit may take hours)."""
    from textkit.errors import OutputError

    for path in inputs:
        if path != STDIN and not os.path.exists(path):
            raise DataFormatError(
                f"cannot read {path}: no such file or directory; no model written"
            )
    if output.is_dir():
        raise DataFormatError(f"{output}: is a directory", hint="give a model file path")
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{output}: no such directory: {folder}", hint="create it first")
    if _holds_other_data(output):
        raise OutputError(
            f"{output}: exists and is not a model file; training would overwrite it",
            hint="choose another -o path, or remove the file first",
        )


def _holds_other_data(path: Path) -> bool:
    """Whether ``path`` is a non-empty file that is no model (every model file starts with
    a pickle protocol byte): ``-o test.csv`` would put a model over someone's data."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1)
    except OSError:
        return False
    return bool(head) and head != b"\x80"


def _train_streaming(**options: Any) -> None:
    """``train-lr --streaming``: the files are read once per pass, never held whole."""
    import time

    from textkit.classify.hashing import HashedFeatureConfig
    from textkit.classify.streaming import StreamConfig, train_streaming
    from textkit.io.tabular import ReadStats, read_labeled
    from textkit.io.terminal import Reporter

    o = options
    data, output = o["data"], o["output"]
    for path in [*data, *(o["valid"] or [])]:
        if path == STDIN or _is_stream(path):
            raise typer.BadParameter(
                f"--streaming reads the data once per pass, and {path} can be read only once "
                "(stdin, a pipe); save it to a file first"
            )
    _warn_not_applying(o["ctx"], o["quiet"])
    for flag, bad in (
        ("--tune", o["tune"]),
        ("--multi-label", o["multi_label"]),
        ("--augment", o["augment"] != "0"),
        ("--multi-class multinomial", o["multi_class"] is MultiClass.multinomial),
        ("--max-features", o["max_features"] is not None),
    ):
        if bad:
            raise typer.BadParameter(f"{flag} does not work with --streaming")
    if not 0 < o["alpha"] < float("inf"):  # NaN fails this too
        raise typer.BadParameter("must be a positive number", param_hint="--alpha")
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
    fmt = labeled_format(o["data_format"], "train-lr")
    used: dict[str, Any] = {}

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
                label_sep=o["label_sep"],
                encoding=o["encoding"],
                errors=o["encoding_errors"].value,
                stats=stats,
                on_error=_read_error_handler(reporter) if first else lambda _error: None,
                stream=True,
            )
            integers, count = True, 0  # every label a JSON integer (see _read_training_data)
            for record in records:
                if first:
                    integers = integers and _integer_labels(record, stats)
                    count += 1
                yield record.text, str(record.label)
            if first:
                layout = next(iter(stats.layouts.values()), None)
                if layout is not None and not used:
                    used.update(layout.describe())
                    if integers and count:
                        used["label_type"] = "integer"
                if stats.multi_label_rows:
                    reporter.warn(
                        f"{stats.multi_label_rows} row(s) have several labels; this "
                        "single-label model learns the first of each"
                    )
                if stats.skipped:
                    reporter.warn(f"{stats.skipped} row(s) without text or label skipped")
                if reporter.failed:
                    raise DataFormatError(f"cannot read {reporter.failed[0]}; no model written")

        return read

    start = time.perf_counter()
    result = train_streaming(
        rows(data),
        features,
        config,
        valid=rows(o["valid"]) if o["valid"] else None,
        progress=_progress(reporter),
        source=", ".join(data),
    )
    idf = result.model.featurizer.idf
    reporter.info(
        f"counted {result.n_documents} documents, {len(result.model.classes)} classes, "
        f"{int((idf > 0).sum())} of {len(idf)} buckets used"
    )
    for epoch in result.epochs:
        accuracy = epoch["progressive_accuracy"]
        shown = f"{accuracy:.4f}" if accuracy is not None else "-"
        # Each row is scored before the model learns from it: unseen rows in the first
        # epoch, rows already learned from in the later ones.
        seen = "on rows before learning them" if epoch["epoch"] == 1 else "on rows seen before"
        reporter.info(
            f"epoch {epoch['epoch']}/{len(result.epochs)}: {epoch['documents']} documents, "
            f"accuracy {shown} ({seen}), {epoch['seconds']:.1f} s"
        )
    result.model.metadata["data"] = used
    _save(
        result.model,
        result.validation,
        data,
        output,
        reporter,
        start,
        result.n_documents,
        "hashed features",
    )
