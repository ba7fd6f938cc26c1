"""``textkit evaluate`` and ``textkit info``: score a model, show what a model file holds."""

import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.classify import input_files, load_classifier, remembered_columns
from textkit.commands.options import (
    Encoding,
    EncodingErrors,
    ErrorMode,
    LabelCol,
    LabeledFormatOpt,
    LabelSep,
    ModelOpt,
    Quiet,
    ReportFormat,
    TextCol,
    labeled_format,
    open_output,
    refuse_overwriting,
    require_model,
)
from textkit.errors import DataFormatError
from textkit.io.decoding import AUTO

CHUNK = 1000


def _read_gold(
    data: list[str], model: Any, reader: dict[str, Any], reporter: Any, model_path: str = ""
) -> tuple[list[str], list[list[str]], list[str]]:
    """Texts, gold labels (a list per text) and sources (``path:line``) of the labeled
    files (every file of a directory but the model itself; rows without text or label
    skipped, with a warning); the model's remembered columns fill in options not given."""
    from textkit.io.tabular import ReadStats, format_of, read_labeled

    texts: list[str] = []
    gold: list[list[str]] = []
    sources: list[str] = []
    unlabeled: list[str] = []  # sources of the rows skipped, for the warnings
    empty: list[str] = []
    for path in input_files(data, "*", reporter.input_failed, model_path):
        options = dict(reader)
        fmt = reader["data_format"] or format_of(path)
        remembered = []
        for key, value in remembered_columns(model, reader["data_format"], fmt).items():
            if options[key] is None and value is not None:
                options[key] = value
                if key.endswith("_col"):  # a column named by the model, not by the user
                    remembered.append(key.removesuffix("_col"))
        stats = ReadStats()
        records = read_labeled(
            [path],
            keep_incomplete=True,
            stats=stats,
            on_error=reporter.input_failed,
            remembered=remembered,
            **options,
        )
        for record in records:
            if not record.text.strip():
                empty.append(record.source)
            elif not record.labels:
                unlabeled.append(record.source)
            else:
                texts.append(record.text)
                sources.append(record.source)
                gold.append(list(dict.fromkeys(str(label) for label in record.labels)))
    if not gold:
        raise DataFormatError(
            f"{', '.join(data)}: no labeled rows; evaluate needs the gold label of each text",
            hint="to label new text use `textkit classify`",
        )
    if empty:
        reporter.warn(f"{len(empty)} row(s) with an empty text skipped (first: {empty[0]})")
    if unlabeled:
        reporter.warn(f"{len(unlabeled)} row(s) without a label skipped (first: {unlabeled[0]})")
    return texts, gold, sources


def check_gold_labels(gold: list[str], classes: list[str], model: Any) -> dict[str, int]:
    """The gold labels the model does not know, with their counts; an error when it knows
    none of them (the wrong label column, most likely: scoring would say 0%)."""
    from collections import Counter

    counts = Counter(gold)
    unseen = {label: n for label, n in sorted(counts.items()) if label not in classes}
    if len(unseen) == len(counts):
        trained = (model.metadata.get("data") or {}).get("label")
        seen = ", ".join(repr(_short(label)) for label in list(unseen)[:5])
        if len(unseen) > 5:  # texts in the label column, most likely: say how many
            seen = f"{len(unseen)} distinct values, e.g. {seen}"
        known = ", ".join(repr(_short(label)) for label in classes[:5])
        more = "" if len(classes) <= 5 else f" and {len(classes) - 5} more"
        hint = "wrong --label-col?"
        if trained is not None:
            hint += f" The model was trained with label column {trained!r}"
        raise DataFormatError(
            f"none of the gold labels ({seen}) is a label of the model ({known}{more})",
            hint=hint,
        )
    return unseen


def _short(label: str, width: int = 20) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def evaluate(
    data: Annotated[list[str], typer.Argument(help="Labeled test files ('-' = stdin).")],
    model_path: ModelOpt = None,
    data_format: LabeledFormatOpt = None,
    text_col: TextCol = None,
    label_col: LabelCol = None,
    label_sep: LabelSep = None,
    encoding: Encoding = AUTO,
    encoding_errors: EncodingErrors = ErrorMode.replace,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table: readable; json: every number.")
    ] = ReportFormat.table,
    fasttext_style: Annotated[
        bool, typer.Option("--fasttext-style", help="Print fastText's N, P@k and R@k lines.")
    ] = False,
    top_k: Annotated[int, typer.Option("--top-k", "-k", min=1, help="The k of P@k and R@k.")] = 1,
    errors: Annotated[
        Path | None,
        typer.Option(
            "--errors",
            help="Write misclassified rows to FILE (TSV: source as path:line, text, gold, "
            "predicted, probability).",
        ),
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Score a model on labeled data: accuracy, P/R/F1 per class, confusion matrix.

    The text and label columns default to those the model was trained on. When texts carry
    several labels (or the model is multi-label): exact match, Hamming loss, micro and
    macro P/R/F1, P@k and R@k, every gold label counting in any order.

    Example: textkit evaluate -m news.model test.tsv --errors wrong.tsv
    """
    import json

    from textkit.classify import metrics
    from textkit.io.terminal import Reporter

    model_path = require_model(model_path, data, "evaluate")
    if errors is not None and str(errors) == "-":
        raise typer.BadParameter("the report is on stdout: name a file", param_hint="--errors")
    if errors is not None:
        refuse_overwriting(errors, [*data, model_path], option="--errors")
    reporter = Reporter(quiet=quiet)
    model = load_classifier(model_path, reporter)
    reader = {
        "data_format": labeled_format(data_format, "evaluate"),
        "text_col": text_col,
        "label_col": label_col,
        "label_sep": label_sep,
        "encoding": encoding,
        "errors": encoding_errors.value,
    }
    texts, gold, sources = _read_gold(data, model, reader, reporter, str(model_path))
    unseen = check_gold_labels([label for labels in gold for label in labels], model.classes, model)
    if unseen:
        described = ", ".join(f"{label!r} ({n})" for label, n in unseen.items())
        reporter.warn(f"labels the model never saw, counted as errors: {described}")
    predicted, ranked = _predict(model, texts, max(top_k, 1))
    several = model.multi_label or any(len(labels) > 1 for labels in gold)
    labels = model.classes + list(unseen)
    if several:
        chosen = [[label for label, _ in found] for found in predicted]
        report = metrics.multilabel_report(gold, chosen, labels, ranked, top_k)
    else:
        report = metrics.classification_report(
            [g[0] for g in gold], [found[0][0] for found in predicted], labels
        )
        report.update(metrics.precision_at_k(gold, ranked, top_k))
    report["unseen_labels"] = unseen
    if fasttext_style:
        sys.stdout.write(metrics.format_fasttext_at_k(report))
    elif fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif several:
        sys.stdout.write(metrics.format_multilabel_report(report))
    else:
        sys.stdout.write(metrics.format_report(report))
    if errors is not None:  # after the report: a path that cannot be written loses nothing
        sys.stdout.flush()
        _write_errors(errors, [*data, model_path], sources, texts, gold, predicted)
    raise typer.Exit(reporter.finish(len(gold), "rows"))


def _predict(
    model: Any, texts: list[str], k: int
) -> tuple[list[list[tuple[str, float]]], list[list[str]]]:
    """Each text's predicted (label, probability) list (one label, or a multi-label
    model's labels past their thresholds) and its first ``k`` labels by probability."""
    from textkit.classify.model import labels_from_proba

    predicted: list[list[tuple[str, float]]] = []
    ranked: list[list[str]] = []
    for start in range(0, len(texts), CHUNK):
        proba = model.predict_proba(texts[start : start + CHUNK])
        predicted += labels_from_proba(model, proba, None, None)
        order = proba.argsort(axis=1, kind="stable")[:, ::-1][:, :k]
        ranked += [[model.classes[j] for j in row] for row in order]
    return predicted, ranked


def _write_errors(
    path: Path,
    inputs: list[Any],
    sources: list[str],
    texts: list[str],
    gold: list[list[str]],
    predicted: list[list[tuple[str, float]]],
) -> None:
    """The rows whose predicted labels differ from the gold ones, as TSV (several labels
    comma-joined), each led by where it was read (``path:line``)."""
    from textkit.io.writers import RecordWriter

    with open_output(path, inputs) as handle:
        columns = ["source", "text", "gold", "predicted", "probability"]
        writer = RecordWriter(handle, "tsv", columns, header=True)
        for source, text, want, got in zip(sources, texts, gold, predicted, strict=True):
            if set(want) != {label for label, _ in got}:
                scores = [p for _, p in got]
                probability: Any = (
                    scores[0] if len(scores) == 1 else ",".join(f"{p:.6g}" for p in scores)
                )
                writer.write(
                    [[source, text, ",".join(want), ",".join(lab for lab, _ in got), probability]]
                )


def info(
    model_path: Annotated[
        Path | None, typer.Argument(help="Model file.", show_default=False)
    ] = None,
    model_opt: Annotated[
        Path | None,
        typer.Option("--model", "-m", help="Model file (as for classify and evaluate)."),
    ] = None,
    fmt: Annotated[
        ReportFormat, typer.Option("--format", "-f", help="table: readable lines; json: all.")
    ] = ReportFormat.table,
) -> None:
    """Show what a model file holds (without loading its arrays).

    Example: textkit info news.model --format json
    """
    import json

    from textkit.classify.modelfile import read_metadata

    if (model_path is None) == (model_opt is None):
        raise typer.BadParameter(
            "name one model file, as MODEL or -m MODEL", param_hint="MODEL_PATH"
        )
    metadata = read_metadata(model_path or model_opt)
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps(metadata, ensure_ascii=False, indent=2) + "\n")
        return
    sys.stdout.write("".join(f"{key}: {value}\n" for key, value in describe_model(metadata)))


def _pairs(value: Any) -> str:
    """A dict as ``key value, key value`` (nested dicts in brackets), a list comma-joined."""
    import json

    if isinstance(value, dict):
        return ", ".join(
            f"{k} {_pairs(v) if not isinstance(v, dict) else '(' + _pairs(v) + ')'}"
            for k, v in value.items()
        )
    if isinstance(value, list):
        return ", ".join(
            json.dumps(v, ensure_ascii=False) if isinstance(v, dict) else str(v) for v in value
        )
    return "null" if value is None else str(value)


def describe_model(metadata: dict[str, Any]) -> list[tuple[str, str]]:
    """The lines ``textkit info`` prints: what a person asks of a model first, each once."""
    lines: list[tuple[str, str]] = []
    shown = set()

    def add(key: str, value: Any) -> None:
        shown.add(key)
        if value is not None:
            lines.append((key, value if isinstance(value, str) else _pairs(value)))

    add("kind", f"{metadata.get('kind')} ({metadata.get('mode')})")
    shown.add("mode")
    labels = metadata.get("labels")
    if isinstance(labels, list):
        add("labels", ", ".join(f"{x.get('label')} ({x.get('count')})" for x in labels))
    else:
        add("classes", metadata.get("classes"))
    shown.add("classes")
    data = metadata.get("data")
    if isinstance(data, dict):
        add("data", data)
    add("n_documents", metadata.get("n_documents"))
    add("n_features", metadata.get("n_features"))
    parameters = dict(metadata.get("parameters") or {})
    features = parameters.pop("features", None) or metadata.get("features")
    if isinstance(features, dict) and isinstance(features.get("features"), str):
        # {"features": "word+char", "word_ngram": ...}: the kind leads, not named again
        rest = {k: v for k, v in features.items() if k != "features"}
        features = f"{features['features']}, {_pairs(rest)}" if rest else features["features"]
    add("features", features)
    add("parameters", parameters or None)
    for key, value in metadata.items():
        if key not in shown and key != "features":
            add(key, value)
    return lines
