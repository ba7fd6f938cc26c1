"""``textkit classify``, ``evaluate`` and ``info``: use a saved model."""

import itertools
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

from textkit.commands.options import (
    Backend,
    BackendOption,
    DataFormatOpt,
    Encoding,
    Format,
    Glob,
    Header,
    Jobs,
    LabelCol,
    Lines,
    ModelOpt,
    Output,
    Paths,
    Quiet,
    ReportFormat,
    Scheduler,
    TextCol,
    open_output,
    refuse_overwriting,
    resolve_format,
)
from textkit.errors import DataFormatError
from textkit.io.readers import AUTO, DEFAULT_GLOB

CHUNK = 1000
CHUNK_CHARS = 1 << 22  # and about 4M characters, should the documents be long


def _load_classifier(path: Path, reporter: Any) -> Any:
    from textkit.classify.model import TextClassifier

    model = TextClassifier.load(path)
    for note in model.warnings:
        reporter.warn(note)
    return model


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
    from textkit.classify.model import ClassifyRequest, classify_chunk, preload
    from textkit.io.parallel import chunked, map_chunks
    from textkit.io.readers import chunk_lines, iter_documents, iter_units
    from textkit.io.terminal import Reporter, color_enabled
    from textkit.io.writers import RecordWriter

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
    with open_output(output, [*(paths or []), model_path], glob) as stream:
        writer = RecordWriter(
            stream,
            resolve_format(fmt, stream),
            columns,
            header=header,
            color=color_enabled(stream),
        )
        read = {"glob": glob, "encoding": encoding, "on_error": reporter.input_failed}
        # Chunks of 1,000 documents: memory stays flat however long the input is. --lines
        # chunks never wait for a line a pipe does not have yet (see chunk_lines).
        chunks = (
            chunk_lines(
                iter_units(paths, lines=True, **read),
                reporter.input_failed,
                stream.flush,
                CHUNK,
                CHUNK_CHARS,
            )
            if lines
            else chunked(iter_documents(paths, **read), CHUNK)
        )
        index, empty = itertools.count(), 0

        def items(documents: list[Any]) -> list[tuple[int, str, str]]:
            nonlocal empty
            empty += sum(not doc.text.strip() for doc in documents)
            return [(next(index), doc.source, doc.text) for doc in documents]

        results = map_chunks(
            classify_chunk,
            request,
            map(items, chunks),
            jobs=jobs,
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
                    # Space-separated: a space inside an n-gram shows as ␣ (JSONL keeps it).
                    flat.append(" ".join(f"{_visible(f)}={w:+.3f}" for f, w in why))
                obj["explain"] = [{"feature": f, "weight": w} for f, w in result.reasons[0]]
            writer.write(rows, obj)
    if empty:  # still one row each, so outputs line up with inputs; but say so
        reporter.warn(
            f"{empty} empty document(s): labeled by the model's intercepts alone (no features)"
        )
    raise typer.Exit(reporter.finish(count))


def _visible(feature: str) -> str:
    return feature.replace(" ", "\u2423") if " " in feature else feature


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

    from textkit.classify.metrics import classification_report, format_fasttext, format_report
    from textkit.io.tabular import ReadStats, read_labeled
    from textkit.io.terminal import Reporter
    from textkit.io.writers import RecordWriter

    if errors is not None:
        refuse_overwriting(errors, [*data, model_path], option="--errors")
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
    texts, gold, unlabeled, empty = [], [], 0, 0
    for record in records:
        if not record.text.strip():
            empty += 1
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
    if empty:
        reporter.warn(f"{empty} row(s) with an empty text skipped")
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
        with open_output(errors, [*data, model_path]) as handle:
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

    from textkit.classify.modelfile import read_metadata

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
