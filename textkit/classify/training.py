"""Training a :class:`~textkit.classify.model.TextClassifier` with scikit-learn.

One-vs-rest (the default) fits one binary logistic regression per class, two at a time in
worker processes (reproducible, unlike threads sharing liblinear's random generator). With
``nb=True`` each binary problem sees its features scaled by the class's naive-Bayes
log-count ratio (NBSVM, Wang & Manning 2012); the ratio is folded into the saved
coefficients, so prediction is unchanged. With ``nb_average`` (the default) a plain fit on
the unscaled features is made too and the two coefficient matrices are averaged: the two
models' scores averaged, still one linear model. ``C=None`` picks C from :data:`C_GRID`
on a stratified 10% of the training data, then refits on all of it. With ``clean_below``
(opt-in, e.g. 0.6) a first fit screens the training rows and the model is fitted without
those it gives less than that probability of their own label (likely mislabeled).
scikit-learn is imported inside the functions, never by prediction code.
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from textkit.checks import texts_arg
from textkit.classify.features import FeatureConfig, Featurizer
from textkit.classify.metrics import classification_report
from textkit.classify.model import TextClassifier
from textkit.errors import ConfigError, DataFormatError

PENALTIES = {"l2": 0.0, "l1": 1.0, "elasticnet": 0.5}  # -> scikit-learn's l1_ratio
C_GRID = (3.0, 10.0, 30.0)  # candidates of the automatic C
AUTO_C_FRACTION = 0.1  # held out, stratified, to choose C
AUTO_C_MIN_VALID = 100  # fewer held-out documents than this: no choice, the middle C
Progress = Callable[[str], None]


@dataclass
class TrainConfig:
    """The model options of ``train-lr``; stored in the model metadata."""

    penalty: str = "l2"
    C: float | None = 10.0  # None: chosen from C_GRID on held-out training data
    class_weight: str | None = None
    max_iter: int = 300
    multi_class: str = "ovr"
    nb: bool = True
    nb_alpha: float = 0.05  # NB smoothing, in units of summed TF-IDF weight (see _nb_ratios)
    nb_power: float = 0.5
    seed: int = 0
    n_jobs: int = 2
    nb_average: bool = True  # ovr + nb: average with the unscaled model's coefficients
    tol: float = 1e-2  # liblinear's stopping tolerance (its own command-line default is 0.1)
    clean_below: float = 0.0  # > 0: refit without rows a first fit gives p(own label) < this

    def __post_init__(self) -> None:
        if self.penalty not in PENALTIES:
            raise ConfigError(f"unknown penalty {self.penalty!r}")
        if self.multi_class not in ("ovr", "multinomial"):
            raise ConfigError(f"unknown multi-class scheme {self.multi_class!r}")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(f"unknown class weight {self.class_weight!r}")
        if (self.C is not None and self.C <= 0) or self.max_iter < 1 or self.tol <= 0:
            raise ConfigError("C must be positive and max_iter at least 1")
        if not 0 < self.nb_alpha < float("inf"):
            raise ConfigError("nb_alpha must be positive")
        if not 0 <= self.clean_below < 1:
            raise ConfigError("clean_below must be at least 0 and below 1")

    def solver(self, n_samples: int, n_features: int) -> str:
        """liblinear for one-vs-rest L1/L2, saga for elastic net and large softmax problems."""
        if self.multi_class == "ovr" and self.penalty != "elasticnet":
            return "liblinear"
        if self.penalty == "l2" and n_samples < 10_000:
            return "lbfgs"
        return "saga"


@dataclass
class TrainResult:
    """A fitted model and what happened while fitting it."""

    model: TextClassifier
    solver: str
    n_iter: int
    featurize_seconds: float
    fit_seconds: float
    warnings: list[str] = field(default_factory=list)
    validation: dict[str, Any] | None = None


def _estimator(config: TrainConfig, solver: str, dual: bool) -> Any:
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(
        C=config.C if config.C is not None else C_GRID[1],
        l1_ratio=PENALTIES[config.penalty],
        solver=solver,
        dual=dual,
        max_iter=config.max_iter,
        tol={"liblinear": config.tol, "saga": 1e-3}.get(solver, 1e-4),
        class_weight=config.class_weight if config.multi_class == "multinomial" else None,
        random_state=config.seed,
    )


def _sample_weights(y: np.ndarray, n_classes: int, config: TrainConfig) -> np.ndarray | None:
    """Multiclass 'balanced' weights n / (K * count), also used by each binary fit."""
    if config.class_weight != "balanced":
        return None
    counts = np.bincount(y, minlength=n_classes)
    return (len(y) / (n_classes * counts))[y]


def _nb_ratios(x: Any, y: np.ndarray, n_classes: int, alpha: float, power: float) -> np.ndarray:
    """Log-count ratio r_c of every feature for every class, shape (n_classes, n_features),
    damped to sign(r) * |r| ** power (power 0.5 validated better than 1 on news titles).

    The "counts" are sums of the L2-normalised TF-IDF values, so one occurrence weighs
    about 0.1-0.3 in a short text: ``alpha`` 1 smoothed a rare n-gram as if it had been
    seen in several more documents of every class. 0.05 (about a third of an occurrence)
    scored better on validation data (THUCNews dev 0.8984 -> 0.9026; waimai CV 0.8986 ->
    0.8998), and anything from 0.01 to 0.2 scored within noise of it."""
    from scipy import sparse

    onehot = sparse.csr_matrix((np.ones(len(y)), (y, np.arange(len(y)))), shape=(n_classes, len(y)))
    per_class = np.asarray((onehot @ x).todense(), dtype=np.float64)
    rest = per_class.sum(axis=0) - per_class
    p = alpha + per_class
    q = alpha + rest
    ratio = np.log((p / p.sum(axis=1, keepdims=True)) / (q / q.sum(axis=1, keepdims=True)))
    return np.sign(ratio) * np.abs(ratio) ** power


def _fit_binary(
    x: Any,
    target: np.ndarray,
    ratio: np.ndarray | None,
    weights: np.ndarray | None,
    config: TrainConfig,
    solver: str,
    dual: bool,
) -> tuple[np.ndarray, float, int]:
    """One binary fit; with ``ratio``, on NB-scaled features (folded back into the coef)."""
    from scipy import sparse

    if ratio is not None:
        x = sparse.csr_matrix((x.data * ratio[x.indices], x.indices, x.indptr), x.shape)
    estimator = _estimator(config, solver, dual)
    with warnings.catch_warnings():
        # Also here: a worker process does not inherit the caller's filters, and
        # non-convergence is reported once, from n_iter_, by fit_features.
        warnings.simplefilter("ignore")
        estimator.fit(x, target, sample_weight=weights)
    coef = estimator.coef_.ravel()
    if ratio is not None:
        coef = coef * ratio
    return coef, float(estimator.intercept_[0]), int(np.max(estimator.n_iter_))


def _fit_ovr(
    x: Any, y: np.ndarray, n_classes: int, config: TrainConfig, solver: str
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    from joblib import Parallel, delayed

    targets = [1] if n_classes == 2 else list(range(n_classes))
    ratios = _nb_ratios(x, y, n_classes, config.nb_alpha, config.nb_power) if config.nb else None
    variants = [True] if ratios is not None else [False]  # True: on NB-scaled features
    if ratios is not None and config.nb_average:
        variants.append(False)
    weights = _sample_weights(y, n_classes, config)
    dual = config.penalty == "l2" and x.shape[1] > x.shape[0]
    jobs = [
        (
            x,
            (y == k).astype(np.int64),
            ratios[k] if scaled and ratios is not None else None,
            weights,
            config,
            solver,
            dual,
        )
        for k in targets
        for scaled in variants
    ]
    n_jobs = max(1, min(config.n_jobs, len(jobs)))
    # Processes, not threads: liblinear shuffles with one process-wide random generator, so
    # two fits in threads of one process draw from it in a racy order (not reproducible).
    backend = "loky" if n_jobs > 1 else "sequential"
    fitted = Parallel(n_jobs=n_jobs, backend=backend)(delayed(_fit_binary)(*job) for job in jobs)
    # jobs are grouped by class: average each class's variants (scores averaged = one model)
    m = len(variants)
    coef = np.vstack(
        [np.mean([c for c, _, _ in fitted[i : i + m]], axis=0) for i in range(0, len(fitted), m)]
    )
    intercept = np.array(
        [np.mean([b for _, b, _ in fitted[i : i + m]]) for i in range(0, len(fitted), m)]
    )
    return coef, intercept, [it for _, _, it in fitted]


def _choose_c(
    x: Any, y: np.ndarray, n_classes: int, config: TrainConfig, solver: str
) -> tuple[float, dict[str, float]]:
    """The C of C_GRID with the best accuracy on a stratified AUTO_C_FRACTION of the
    training rows (ties: the smaller C), and each candidate's accuracy. Candidates are
    fitted without the plain-model average, which roughly halves the cost."""
    keep, hold = _split_indices(y, AUTO_C_FRACTION, config.seed)
    if len(hold) < AUTO_C_MIN_VALID:
        return C_GRID[1], {}
    x_fit, x_hold = x[keep], x[hold]
    scores: dict[str, float] = {}
    best_c, best = C_GRID[1], -1.0
    for c in C_GRID:
        trial = replace(config, C=c, nb_average=False)
        fit = _fit_ovr if config.multi_class == "ovr" else _fit_multinomial
        coef, intercept, _ = fit(x_fit, y[keep], n_classes, trial, solver)
        decision = np.asarray(x_hold @ coef.T) + intercept
        predicted = decision.argmax(axis=1) if decision.shape[1] > 1 else decision[:, 0] > 0
        accuracy = float(np.mean(predicted == y[hold]))
        scores[f"{c:g}"] = accuracy
        if accuracy > best:
            best_c, best = c, accuracy
    return best_c, scores


def _screen(
    x: Any,
    y: np.ndarray,
    featurizer: Featurizer,
    classes: list[str],
    config: TrainConfig,
    solver: str,
) -> np.ndarray:
    """The training rows to fit on: those to which a first fit gives a probability of their
    own label of at least ``config.clean_below``, and every row of a class that would lose
    them all. The first fit skips the plain-model average and stops at liblinear tolerance
    0.1: a screen needs no more (both validated as good as the full fit). In-sample misfits
    at C=10 are mostly mislabeled or self-contradicting texts: about 2% of waimai's
    reviews, 0.5% of THUCNews titles (see benchmarks/waimai_dev.py)."""
    fit = _fit_ovr if config.multi_class == "ovr" else _fit_multinomial
    screening = replace(config, nb_average=False, tol=max(config.tol, 0.1))
    coef, intercept, _ = fit(x, y, len(classes), screening, solver)
    screen = TextClassifier(featurizer, coef, intercept, classes, config.multi_class)
    proba = screen.proba_from_scores(np.asarray(x @ coef.T) + intercept)
    keep = proba[np.arange(len(y)), y] >= config.clean_below
    for k in range(len(classes)):
        if not keep[y == k].any():
            keep[y == k] = True
    return np.flatnonzero(keep)


def _fit_multinomial(
    x: Any, y: np.ndarray, n_classes: int, config: TrainConfig, solver: str
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    estimator = _estimator(config, solver, dual=False)
    estimator.fit(x, y)
    return estimator.coef_, estimator.intercept_, [int(np.max(estimator.n_iter_))]


def _encode(labels: Sequence[str]) -> tuple[list[str], np.ndarray]:
    classes = sorted(set(labels))
    index = {c: i for i, c in enumerate(classes)}
    return classes, np.array([index[x] for x in labels], dtype=np.int64)


def _split_indices(y: np.ndarray, fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    train_parts, valid_parts = [], []
    for k in range(int(y.max()) + 1 if len(y) else 0):
        members = rng.permutation(np.flatnonzero(y == k))
        n_valid = min(int(round(fraction * len(members))), len(members) - 1)
        valid_parts.append(members[:n_valid])
        train_parts.append(members[n_valid:])
    return np.sort(np.concatenate(train_parts)), np.sort(np.concatenate(valid_parts))


def evaluate(model: TextClassifier, texts: list[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro/weighted P/R/F1 and the confusion matrix of ``model`` on ``texts``."""
    predicted = [model.classes[i] for i in model.predict_proba(texts).argmax(axis=1)]
    extra = sorted(set(labels) - set(model.classes))
    return classification_report(labels, predicted, model.classes + extra)


def fit_features(
    featurizer: Featurizer,
    x_csr: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: Sequence[str],
    config: TrainConfig,
) -> tuple[TextClassifier, str, int, list[str]]:
    """Fit the linear model on already computed features. With ``config.C`` None, C is
    chosen first (see :func:`_choose_c`); the model's metadata ``auto_C`` then holds the
    chosen C and every candidate's held-out accuracy. With ``config.clean_below`` > 0 the
    rows a first fit misfits are left out (see :func:`_screen`); the metadata's
    ``cleaned`` says how many."""
    from scipy import sparse

    classes, y = _encode(labels)
    x = sparse.csr_matrix(x_csr, shape=(len(y), featurizer.n_features))
    solver = config.solver(*x.shape)
    fit = _fit_ovr if config.multi_class == "ovr" else _fit_multinomial
    auto: dict[str, Any] | None = None
    with warnings.catch_warnings():
        # Non-convergence is detected from n_iter_ and reported by the caller, not printed.
        warnings.simplefilter("ignore")
        if config.C is None:
            chosen, scores = _choose_c(x, y, len(classes), config, solver)
            auto = {"C": chosen, "held_out_accuracy": scores}
            config = replace(config, C=chosen)
        keep = np.arange(len(y))
        if config.clean_below > 0:
            keep = _screen(x, y, featurizer, classes, config, solver)
        fit_x, fit_y = (x, y) if len(keep) == len(y) else (x[keep], y[keep])
        coef, intercept, iterations = fit(fit_x, fit_y, len(classes), config, solver)
    notes = []
    if max(iterations) >= config.max_iter:
        notes.append(
            f"the {solver} solver did not converge in {config.max_iter} iterations "
            "(raise --max-iter, or lower -C)"
        )
    model = TextClassifier(featurizer, coef, intercept, classes, config.multi_class)
    if auto is not None:
        model.metadata["auto_C"] = auto
    if config.clean_below > 0:
        model.metadata["cleaned"] = {"below": config.clean_below, "dropped": len(y) - len(keep)}
    return model, solver, max(iterations), notes


def _describe(
    model: TextClassifier, labels: Sequence[str], config: TrainConfig, solver: str
) -> None:
    """Record the training labels and parameters in the model's metadata."""
    counts = Counter(labels)
    auto = model.metadata.get("auto_C")
    model.metadata.update(
        labels=[{"label": c, "count": counts[c]} for c in model.classes],
        parameters={
            **asdict(config),
            "C": auto["C"] if auto else config.C,
            "C_auto": config.C is None,
            "solver": solver,
            "features": model.featurizer.config.to_dict(),
        },
        n_documents=len(labels),
    )


def train(
    texts: list[str],
    labels: Sequence[str],
    features: FeatureConfig | None = None,
    config: TrainConfig | None = None,
    *,
    valid: tuple[list[str], Sequence[str]] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Fit features and model on ``texts``/``labels``; score ``valid`` when given."""
    texts, labels = check_data(texts, labels, "training", classes=2)
    if valid is not None:
        valid = check_data(*valid, "validation")
    features = features or FeatureConfig()
    config = config or TrainConfig()
    say = progress or (lambda _message: None)
    say(f"featurizing {len(texts)} documents")
    start = time.perf_counter()
    featurizer = Featurizer(features)
    matrix = featurizer.fit_transform(texts)
    check_features(featurizer, features)
    featurized = time.perf_counter()
    say(f"fitting on {featurizer.n_features} features")
    model, solver, n_iter, notes = fit_features(featurizer, matrix, labels, config)
    fitted = time.perf_counter()
    _describe(model, labels, config, solver)
    result = TrainResult(
        model, solver, n_iter, featurized - start, fitted - featurized, notes, None
    )
    if valid is not None:
        say(f"scoring {len(valid[0])} validation documents")
        result.validation = evaluate(model, *valid)
    return result


def check_data(texts: Any, labels: Any, what: str, classes: int = 1) -> tuple[list[str], list[str]]:
    """``texts`` and ``labels`` as lists, labels as strings (as a saved model gives them
    back); data a model cannot be fitted on or scored with is refused before any work:
    the errors numpy or scikit-learn would give deep inside say nothing of the cause."""
    texts = texts_arg(texts, f"{what} texts")
    labels = list(labels)
    if len(texts) != len(labels):
        raise DataFormatError(f"{len(texts)} {what} texts but {len(labels)} labels")
    if any(label is None for label in labels):
        raise DataFormatError(f"{what} labels include None", hint="leave unlabeled rows out")
    distinct = {str(label) for label in labels}
    if len(distinct) < classes:
        found = f"only one label ({next(iter(distinct))!r})" if distinct else "no rows"
        raise DataFormatError(
            f"{found} in the {what} data",
            hint=f"a classifier needs examples of at least {classes} labels",
        )
    return texts, [str(label) for label in labels]


def check_features(featurizer: Featurizer, features: FeatureConfig) -> None:
    """A vocabulary with nothing in it cannot be fitted on (scikit-learn's error would
    speak of arrays with 0 features)."""
    if featurizer.n_features == 0:
        raise DataFormatError(
            f"no feature occurs in --min-df {features.min_df} documents",
            hint="lower --min-df, or give more (or longer) texts",
        )


def stratified_split(
    labels: Sequence[str], fraction: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, valid): ``fraction`` of each class to validation, at least one
    example of each class left for training."""
    _, y = _encode(labels)
    return _split_indices(y, fraction, seed)


def tune(
    texts: list[str],
    labels: Sequence[str],
    valid: tuple[list[str], Sequence[str]],
    features: FeatureConfig,
    config: TrainConfig,
    *,
    progress: Progress | None = None,
) -> tuple[TrainResult, list[dict[str, Any]]]:
    """Try C in {C/3, C, 3C} (C_GRID when C is automatic) with the chosen feature set and its
    alternative (char only, or word+char); keep the model with the best validation accuracy.
    Returns it and the grid."""
    texts, labels = check_data(texts, labels, "training", classes=2)
    valid = check_data(*valid, "validation")
    say = progress or (lambda _message: None)
    other = "char" if features.features != "char" else "word+char"
    grid: list[dict[str, Any]] = []
    best: TrainResult | None = None
    for feature_set in (features.features, other):
        candidate = FeatureConfig(**{**features.to_dict(), "features": feature_set})
        start = time.perf_counter()
        featurizer = Featurizer(candidate)
        matrix = featurizer.fit_transform(texts)
        check_features(featurizer, candidate)
        featurize_seconds = time.perf_counter() - start
        grid_c = C_GRID if config.C is None else (config.C / 3, config.C, config.C * 3)
        for c in grid_c:
            say(f"tuning: features={feature_set} C={c:g}")
            trial = TrainConfig(**{**asdict(config), "C": c})
            start = time.perf_counter()
            model, solver, n_iter, notes = fit_features(featurizer, matrix, labels, trial)
            fit_seconds = time.perf_counter() - start
            scores = evaluate(model, *valid)
            grid.append(
                {
                    "features": feature_set,
                    "C": c,
                    "accuracy": scores["accuracy"],
                    "macro_f1": scores["macro"]["f1"],
                }
            )
            if best is None or scores["accuracy"] > best.validation["accuracy"]:  # type: ignore[index]
                _describe(model, labels, trial, solver)
                best = TrainResult(
                    model, solver, n_iter, featurize_seconds, fit_seconds, notes, scores
                )
    assert best is not None
    return best, grid


train_classifier = train  # the name ``textkit`` exports
