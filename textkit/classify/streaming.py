"""Out-of-core training (``train-lr --streaming``): hashed features and SGD over chunks.

For training data larger than memory. The data is never held whole: ``read()`` is called
once per pass and must return a fresh iterator of ``(text, label)`` pairs each time (the
CLI re-opens the files).

1. First pass: document frequency of every hash bucket (see :mod:`textkit.classify.hashing`) and
   the label counts (``partial_fit`` needs every class up front).
2. ``epochs`` passes: rows go through a shuffle buffer of ``shuffle_buffer`` rows (seeded;
   bounded memory), are cut into chunks of ``chunk_size``, featurized (sublinear TF x IDF,
   L2) and fed to ``SGDClassifier(loss="log_loss").partial_fit``. Each chunk is scored
   before the model learns from it: the "progressive" accuracy printed per epoch.
3. Validation (a file, or rows held out by a hash of their row number) is read once more
   and scored with the numpy predictor.

SGD's multiclass scheme is one-vs-rest, so the model is a ``TextClassifier`` in ``ovr``
mode (per-class sigmoids renormalised), exactly scikit-learn's ``predict_proba``. Memory
is the K x 2^hash_bits coefficients plus a few chunks, whatever the size of the data.
"""

from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from textkit.classify.hashing import HashedFeatureConfig, HashedFeaturizer
from textkit.classify.metrics import classification_report
from textkit.classify.model import TextClassifier
from textkit.errors import ConfigError, DataFormatError

Rows = Callable[[], Iterable[tuple[str, str]]]
Progress = Callable[[int, int, str], None]  # (done, total, what); total 0: unknown
_MASK64 = (1 << 64) - 1


@dataclass
class StreamConfig:
    """The model options of ``train-lr --streaming``; stored in the model metadata."""

    epochs: int = 5
    chunk_size: int = 10_000
    alpha: float = 1e-6
    penalty: str = "l2"
    class_weight: str | None = None
    seed: int = 0
    shuffle_buffer: int = 0  # 0 = 5 x chunk_size
    valid_split: float | None = None
    n_jobs: int = 2

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.chunk_size < 1:
            raise ConfigError("epochs and chunk size must be at least 1")
        if self.alpha <= 0:
            raise ConfigError("alpha must be positive")
        if self.penalty not in ("l2", "l1", "elasticnet"):
            raise ConfigError(f"unknown penalty {self.penalty!r}")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(f"unknown class weight {self.class_weight!r}")
        if self.valid_split is not None and not 0 < self.valid_split < 1:
            raise ConfigError("valid_split must be between 0 and 1")
        if self.shuffle_buffer <= 0:
            self.shuffle_buffer = 5 * self.chunk_size


@dataclass
class StreamResult:
    """A fitted model and what happened while fitting it."""

    model: TextClassifier
    n_documents: int
    fit_seconds: float
    epochs: list[dict[str, Any]]
    validation: dict[str, Any] | None = None


def held_out(row: int, fraction: float, seed: int) -> bool:
    """Whether 0-based training row ``row`` belongs to the ``--valid-split`` part: the top
    53 bits of SplitMix64(row + seed * 2^32), as a fraction, below ``fraction``."""
    x = (row + (seed << 32)) & _MASK64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK64
    x ^= x >> 31
    return (x >> 11) / float(1 << 53) < fraction


def _split(rows: Iterable[tuple[str, str]], config: StreamConfig, valid: bool) -> Iterator:
    if config.valid_split is None:
        yield from rows
        return
    for i, row in enumerate(rows):
        if held_out(i, config.valid_split, config.seed) == valid:
            yield row


def _shuffled(items: Iterable[Any], size: int, rng: random.Random) -> Iterator[Any]:
    """Items in a random order, holding at most ``size`` of them at a time."""
    buffer: list[Any] = []
    for item in items:
        if len(buffer) < size:
            buffer.append(item)
            continue
        j = rng.randrange(size)
        yield buffer[j]
        buffer[j] = item
    rng.shuffle(buffer)
    yield from buffer


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def check_labels(counts: Counter[str], n: int, source: str) -> None:
    """The in-memory trainer's sanity checks, on label counts."""
    if n == 0:
        raise DataFormatError(
            f"{source}: no rows left for training",
            hint="a smaller --valid-split leaves some",
        )
    if len(counts) < 2:
        only = next(iter(counts), "")
        raise DataFormatError(
            f"{source}: only one label ({only!r}) in the training data",
            hint="a classifier needs examples of at least two labels",
        )
    if n >= 10 and len(counts) > n / 2:
        raise DataFormatError(
            f"{source}: {len(counts)} distinct labels in {n} rows; "
            "the label column looks like text",
            hint="choose the columns with --text-col and --label-col",
        )


def train_streaming(
    read: Rows,
    features: HashedFeatureConfig | None = None,
    config: StreamConfig | None = None,
    *,
    valid: Rows | None = None,
    progress: Progress | None = None,
    source: str = "training data",
) -> StreamResult:
    """Fit a hashed-feature SGD logistic regression, reading ``read()`` once per pass.

    ``progress(done, total, what)`` follows the rows: "counting" in the first pass (total
    unknown: 0), then "training" over all epochs. Each epoch's progressive accuracy is in the
    result's ``epochs``."""
    from scipy import sparse
    from sklearn.linear_model import SGDClassifier

    features = features or HashedFeatureConfig()
    config = config or StreamConfig()
    say = progress or (lambda _done, _total, _what: None)
    start = time.perf_counter()
    featurizer = HashedFeaturizer(features)
    width = featurizer.n_features

    # Pass 1: bucket document frequencies and labels.
    df = np.zeros(width, dtype=np.int64)
    counts: Counter[str] = Counter()
    for chunk in _chunks(_split(read(), config, valid=False), config.chunk_size):
        df += featurizer.document_frequency([text for text, _ in chunk])
        counts.update(label for _, label in chunk)
        say(sum(counts.values()), 0, "counting")
    n = sum(counts.values())
    check_labels(counts, n, source)
    featurizer.set_idf(df, n)
    del df
    if not (featurizer.idf > 0).any():
        raise DataFormatError(
            f"{source}: no feature occurs in --min-df {features.min_df} documents",
            hint="lower --min-df, or give more (or longer) texts",
        )
    classes = sorted(counts)
    index = {c: i for i, c in enumerate(classes)}

    class_weight = None
    if config.class_weight == "balanced":
        class_weight = {i: n / (len(classes) * counts[c]) for i, c in enumerate(classes)}
    estimator = SGDClassifier(
        loss="log_loss",
        penalty=config.penalty,
        alpha=config.alpha,
        class_weight=class_weight,
        random_state=config.seed,
        n_jobs=config.n_jobs,
    )
    labels = np.arange(len(classes))
    history = []
    for epoch in range(config.epochs):
        began = time.perf_counter()
        rng = random.Random(config.seed * 1_000_003 + epoch)
        rows = _shuffled(_split(read(), config, valid=False), config.shuffle_buffer, rng)
        seen = scored = right = 0
        for chunk in _chunks(rows, config.chunk_size):
            x = sparse.csr_matrix(
                featurizer.transform([text for text, _ in chunk]), shape=(len(chunk), width)
            )
            y = np.fromiter((index[label] for _, label in chunk), np.int64, len(chunk))
            if hasattr(estimator, "coef_"):  # progressive validation: score before learning
                right += int((estimator.predict(x) == y).sum())
                scored += len(chunk)
            estimator.partial_fit(x, y, classes=labels)
            seen += len(chunk)
            say(epoch * n + seen, config.epochs * n, "training")
        elapsed = time.perf_counter() - began
        accuracy = right / scored if scored else None
        history.append(
            {
                "epoch": epoch + 1,
                "documents": seen,
                "progressive_accuracy": accuracy,
                "seconds": round(elapsed, 3),
            }
        )
    fit_seconds = time.perf_counter() - start

    model = TextClassifier(
        featurizer, estimator.coef_, estimator.intercept_, classes, "ovr", metadata={}
    )
    model.metadata.update(
        labels=[{"label": c, "count": counts[c]} for c in classes],
        parameters={
            **asdict(config),
            "streaming": True,
            "loss": "log_loss",
            "estimator": "SGDClassifier",
            "features": features.to_dict(),
        },
        n_documents=n,
        epochs=history,
    )
    result = StreamResult(model, n, fit_seconds, history)
    if valid is not None or config.valid_split is not None:
        rows = valid() if valid is not None else _split(read(), config, valid=True)
        result.validation = evaluate_rows(model, rows, config.chunk_size)
    return result


def evaluate_rows(
    model: TextClassifier, rows: Iterable[tuple[str, str]], chunk_size: int = 10_000
) -> dict[str, Any]:
    """:func:`textkit.classify.training.evaluate` over an iterator, a chunk at a time."""
    gold: list[str] = []
    predicted: list[str] = []
    for chunk in _chunks(rows, chunk_size):
        best = model.predict_proba([text for text, _ in chunk]).argmax(axis=1)
        predicted += [model.classes[i] for i in best]
        gold += [sys.intern(label) for _, label in chunk]  # one string per label
    extra = sorted(set(gold) - set(model.classes))
    return classification_report(gold, predicted, model.classes + extra)
