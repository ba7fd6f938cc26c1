"""A logistic-regression text classifier whose saved form is plain arrays.

Prediction is textkit's own featurizer plus a sparse dot product in numpy, so
:meth:`TextClassifier.load` and everything after it never import scikit-learn or scipy.
Training (:func:`textkit.classify.training.train`) uses scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from textkit.checks import text_arg, texts_arg
from textkit.classify.features import CSR, FeatureConfig, Featurizer
from textkit.errors import ConfigError, ModelError

MODEL_KIND = "textkit.logistic-regression"
MODES = ("ovr", "multinomial", "multilabel")


def _sigmoid(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-scores))


class TextClassifier:
    """Linear model over TF-IDF features.

    ``coef`` is (K', n_features) and ``intercept`` (K',), with K' = 1 for two classes (the
    score of ``classes[1]``), else K' = K. ``mode`` ``ovr`` turns scores into probabilities
    with per-class sigmoids renormalised to sum to 1 (as scikit-learn's OneVsRestClassifier),
    ``multinomial`` with a softmax. ``multilabel``: one independent sigmoid per label (K' = K
    always), and a text gets every label whose probability reaches that label's threshold
    (``thresholds``, one per label).
    """

    def __init__(
        self,
        featurizer: Featurizer,
        coef: np.ndarray,
        intercept: np.ndarray,
        classes: list[str],
        mode: str = "ovr",
        metadata: dict[str, Any] | None = None,
        thresholds: np.ndarray | Sequence[float] | None = None,
    ) -> None:
        if mode not in MODES:
            raise ConfigError(f"unknown mode {mode!r}")
        coef = np.asarray(coef, dtype=np.float32)
        expected = 1 if len(classes) == 2 and mode != "multilabel" else len(classes)
        if coef.shape != (expected, featurizer.n_features) or len(intercept) != expected:
            raise ConfigError("coefficient shape does not match classes and features")
        if mode == "multilabel":
            thresholds = np.full(len(classes), 0.5) if thresholds is None else thresholds
            thresholds = np.asarray(thresholds, dtype=np.float64)
            if thresholds.shape != (len(classes),) or not np.all(
                (thresholds >= 0) & (thresholds <= 1)
            ):
                raise ConfigError("one threshold between 0 and 1 per label is needed")
        elif thresholds is not None:
            raise ConfigError("thresholds belong to multi-label models")
        self.featurizer = featurizer
        self.weights = np.ascontiguousarray(coef.T)  # (n_features, K'): rows gathered per feature
        self.intercept = np.asarray(intercept, dtype=np.float32)
        self.classes = list(classes)
        self.mode = mode
        self.metadata = metadata or {}
        self.thresholds: np.ndarray | None = thresholds
        self.warnings: list[str] = []

    @property
    def coef(self) -> np.ndarray:
        return self.weights.T

    @property
    def multi_label(self) -> bool:
        return self.mode == "multilabel"

    # -- scores -----------------------------------------------------------------------
    def decision(self, matrix: CSR) -> np.ndarray:
        """Raw scores (n, K') of a CSR feature matrix."""
        data, indices, indptr = matrix
        n = len(indptr) - 1
        out = np.zeros((n, self.weights.shape[1]), dtype=np.float32)
        if len(data):
            contributions = self.weights[indices] * data[:, None]
            nonempty = indptr[1:] > indptr[:-1]
            out[nonempty] = np.add.reduceat(contributions, indptr[:-1][nonempty], axis=0)
        return out + self.intercept

    def proba_from_scores(self, scores: np.ndarray) -> np.ndarray:
        """Class probabilities (n, K) from raw scores."""
        scores = scores.astype(np.float64)
        if self.mode == "multilabel":
            return _sigmoid(scores)
        if scores.shape[1] == 1:
            positive = _sigmoid(scores)
            return np.hstack([1 - positive, positive])
        if self.mode == "ovr":
            p = _sigmoid(scores)
            return p / p.sum(axis=1, keepdims=True)
        scores = scores - scores.max(axis=1, keepdims=True)
        e = np.exp(scores)
        return e / e.sum(axis=1, keepdims=True)

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Probabilities (n, K), columns in the order of ``classes``; they sum to 1 per row
        except for multi-label models (one independent probability per label)."""
        texts = texts_arg(texts)  # one string would be classified character by character
        return self.proba_from_scores(self.decision(self.featurizer.transform(texts)))

    def predict(self, texts: list[str], top_k: int = 1) -> list[list[tuple[str, float]]]:
        """The ``top_k`` (label, probability) pairs of each text, best first."""
        proba = self.predict_proba(texts)
        k = max(1, min(top_k, len(self.classes)))
        order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
        return [
            [(self.classes[j], float(row[j])) for j in idx]
            for row, idx in zip(proba, order, strict=True)
        ]

    def predict_labels(
        self, texts: list[str], *, threshold: float | None = None, top_k: int | None = None
    ) -> list[list[tuple[str, float]]]:
        """The labels of each text with their probabilities, best first (fastText's
        ``predict`` with ``-k`` and a threshold).

        Multi-label models give every label whose probability reaches its threshold (the
        model's own per label, or ``threshold`` for all), at most ``top_k``; the list may
        be empty. Other models give the ``top_k`` best labels (1 when not given) among
        those reaching ``threshold`` (no bound when not given)."""
        return labels_from_proba(self, self.predict_proba(texts), threshold, top_k)

    def explain(self, text: str, n: int = 5, label: str | None = None) -> list[tuple[str, float]]:
        """The ``n`` features that pushed ``text`` towards ``label`` (default: the predicted
        one) most: weight x feature value, largest first."""
        data, indices, _ = self.featurizer.transform([text_arg(text)])
        if label is None:
            label = self.predict([text])[0][0][0]
        if label not in self.classes:
            raise ConfigError(
                f"unknown label {label!r}; the model's labels: {', '.join(map(str, self.classes))}"
            )
        k = self.classes.index(label)
        if self.weights.shape[1] == 1:
            sign = 1.0 if k == 1 else -1.0
            contributions = sign * self.weights[indices, 0] * data
        else:
            contributions = self.weights[indices, k] * data
        order = np.argsort(-contributions, kind="stable")[:n]
        return [
            (self.featurizer.feature_name(int(indices[i])), float(contributions[i])) for i in order
        ]

    # -- model file -------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write the model atomically as plain arrays and metadata (see .modelfile)."""
        from textkit.classify.modelfile import save_model

        metadata = {
            **self.metadata,
            "kind": MODEL_KIND,
            "mode": self.mode,
            "classes": self.classes,
            "features": self.featurizer.config.to_dict(),
            "n_features": self.featurizer.n_features,
        }
        if self.thresholds is not None:
            metadata["thresholds"] = {
                c: float(t) for c, t in zip(self.classes, self.thresholds, strict=True)
            }
        arrays = {
            **self.featurizer.to_arrays(),
            "coef": self.coef,  # a float32 view: written without a copy
            "intercept": self.intercept.astype(np.float32),
        }
        if self.thresholds is not None:
            arrays["thresholds"] = self.thresholds.astype(np.float64)
        if hasattr(self.featurizer, "compact"):  # hashed features: keep the used buckets only
            arrays = self.featurizer.compact(arrays)
        save_model(path, metadata, arrays)

    @classmethod
    def load(cls, path: str | Path) -> TextClassifier:
        """Load a model written by :meth:`save`; ModelError with a one-line reason otherwise."""
        from textkit.classify.modelfile import load_model

        model_file = load_model(path)
        metadata = model_file.metadata
        if metadata.get("kind") != MODEL_KIND:
            raise ModelError(f"{path}: a textkit model file, but not a text classifier")
        try:
            kinds: tuple[type[FeatureConfig], type[Featurizer]] = (FeatureConfig, Featurizer)
            if metadata["features"].get("kind") == "hashed":  # train-lr --streaming
                from textkit.classify.hashing import HashedFeatureConfig, HashedFeaturizer

                kinds = (HashedFeatureConfig, HashedFeaturizer)
            config = kinds[0](**{"normalize": False, **metadata["features"]})
            featurizer = kinds[1].from_arrays(config, model_file.arrays)
            coef = model_file.arrays["coef"]
            if hasattr(featurizer, "expand"):
                coef = featurizer.expand(model_file.arrays)
            model = cls(
                featurizer,
                coef,
                model_file.arrays["intercept"],
                [str(c) for c in metadata["classes"]],
                metadata["mode"],
                metadata,
                model_file.arrays.get("thresholds"),
            )
        except (AttributeError, KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
            raise ModelError(f"{path}: corrupted classifier ({exc})") from None
        model.warnings = list(model_file.warnings)
        return model


def labels_from_proba(
    model: TextClassifier, proba: np.ndarray, threshold: float | None, top_k: int | None
) -> list[list[tuple[str, float]]]:
    """(label, probability) lists from a probability matrix; see
    :meth:`TextClassifier.predict_labels`."""
    if top_k is not None and top_k < 1:
        raise ConfigError("top_k must be at least 1")
    if threshold is not None and not 0 <= threshold <= 1:
        raise ConfigError("threshold must be between 0 and 1")
    if model.multi_label:
        assert model.thresholds is not None
        bound = model.thresholds if threshold is None else np.full(len(model.classes), threshold)
        k = len(model.classes) if top_k is None else min(top_k, len(model.classes))
    else:
        bound = np.full(len(model.classes), 0.0 if threshold is None else threshold)
        k = min(1 if top_k is None else top_k, len(model.classes))
    order = np.argsort(-proba, axis=1, kind="stable")[:, :k]
    return [
        [(model.classes[j], float(row[j])) for j in best if row[j] >= bound[j]]
        for row, best in zip(proba, order, strict=True)
    ]


@dataclass(frozen=True)
class ClassifyRequest:
    """What a worker needs to classify chunks: the model file and the output options
    (``top_k`` and ``threshold`` as in :meth:`TextClassifier.predict_labels`)."""

    model_path: str
    top_k: int | None = 1
    proba: bool = False
    explain: int = 0
    threshold: float | None = None


@dataclass
class Classified:
    """One document's result: ranked labels, all probabilities (if asked), explanations."""

    index: int
    source: str
    ranked: list[tuple[str, float]]
    proba: list[float]
    reasons: list[list[tuple[str, float]]]
    featureless: bool = False  # no feature of the text is known to the model


def classify_chunk(request: ClassifyRequest, items: list[tuple[int, str, str]]) -> list[Classified]:
    """Worker-pool task: classify (index, source, text) items with the model of ``request``.

    The model loads once per worker process (keyed by path, size and mtime) and serves
    every later chunk.
    """
    from textkit.io.parallel import worker_cache

    model = worker_cache(
        _model_key(request.model_path), lambda: TextClassifier.load(request.model_path)
    )
    matrix = model.featurizer.transform(texts_arg([text for _, _, text in items]))
    proba = model.proba_from_scores(model.decision(matrix))
    labels = labels_from_proba(model, proba, request.threshold, request.top_k)
    indptr = matrix[2]
    results = []
    for i, ((index, source, text), row, ranked) in enumerate(
        zip(items, proba, labels, strict=True)
    ):
        reasons = (
            [model.explain(text, request.explain, label) for label, _ in ranked]
            if request.explain
            else []
        )
        probs = [float(p) for p in row] if request.proba else []
        featureless = bool(indptr[i + 1] == indptr[i])
        results.append(Classified(index, source, ranked, probs, reasons, featureless))
    return results


def _model_key(path: str) -> tuple[str, str, int, int]:
    info = Path(path).stat()
    return ("classifier", str(Path(path).resolve()), info.st_size, info.st_mtime_ns)


def preload(model: TextClassifier, path: str) -> None:
    """Let :func:`classify_chunk` in this process reuse an already loaded model."""
    from textkit.io.parallel import worker_cache

    worker_cache(_model_key(path), lambda: model)
