"""Training a :class:`~textkit.classify.model.TextClassifier` with scikit-learn.

One-vs-rest (the default) fits one binary logistic regression per class, averaging a fit
on features scaled by the class's naive-Bayes log-count ratio with a plain fit (see
:mod:`textkit.classify.linear`). Multi-label models fit one binary problem per label and
a probability threshold per label (see :mod:`textkit.classify.multilabel`).

Settings left automatic are chosen on the training data (see :func:`train`): C from
:data:`C_GRID`, and with ``augment="auto"`` the number of augmented copies per training
row from :data:`AUTO_COPIES`. Copies are made from the training rows only: noisy copies
(random word swaps, deletions, insertions: :mod:`textkit.classify.noise`) by default, or
:mod:`textkit.augment`'s with ``augment_with="meaning"``. A row and its copies count as one
document for the vocabulary, and with automatic C as one row for the regularisation: C is
divided by 1 + copies.

With ``clean_below`` (a library option, e.g. 0.6) a first fit screens the training rows
and the model is fitted without those it gives less than that probability of their own
label (likely mislabeled). scikit-learn is imported inside the functions, never by
prediction code.
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
from textkit.classify.linear import PENALTIES, BinaryFit, fit_binary_problems
from textkit.classify.metrics import classification_report, multilabel_report
from textkit.classify.model import TextClassifier
from textkit.classify.multilabel import (
    choose_thresholds,
    indicator,
    is_multi_label,
    label_sets,
    several_labels,
)
from textkit.classify.selection import (
    Candidate,
    Selection,
    accuracy_of,
    fold_ids,
    micro_f1_of,
    predicted_classes,
    strata_of,
)
from textkit.errors import ConfigError, DataFormatError

C_GRID = (1.0, 3.0, 10.0, 30.0)  # candidates of the automatic C
DEFAULT_C = 10.0  # C when it is automatic but not searched (see _search_plan)
AUTO_COPIES = (0, 2, 4, 8)  # candidates of augment="auto"
# ... and synonym expansion weights (textkit.classify.expansion; single-label models); an
# automatic C is divided by (1 + weight) ** 2, as the expansion scales rows by about 1 + weight
AUTO_EXPAND = (0.5, 1.0, 2.0)
AUGMENT_KINDS = ("noise", "meaning")  # how copies are made (see augment_with)
# Without validation data, automatic settings are chosen by cross-validation when its
# work (stored matrix values x binary problems x fits, summed) stays under SEARCH_RATIO
# times the final fit's or under SMALL_WORK (a few seconds), else on one held-out fold
# when that does, else not at all (DEFAULT_C). Single-label candidates are fitted like
# the final model when that fits the budget, else without the plain-model average (half
# the work).
SEARCH_RATIO = 2.5
SMALL_WORK = 50_000_000
# augment="auto" asks for a search: it may take up to this much work (a minute or two).
AUGMENT_WORK = 2_000_000_000
# ... and copies are used only when the best augmented setting beats the best plain one by
# more than this many standard errors of the paired difference of held-out scores.
AUGMENT_EVIDENCE = 0.5
MIN_SEARCH_ROWS = 30  # fewer training rows: nothing to hold out; DEFAULT_C
Progress = Callable[[int, int, str], None]


@dataclass
class TrainConfig:
    """The model options of ``train-lr``; stored in the model metadata."""

    penalty: str = "l2"
    C: float | None = None  # None: chosen on the training data (see train)
    class_weight: str | None = None
    max_iter: int = 300
    multi_class: str = "ovr"
    nb: bool = True
    nb_alpha: float = 0.05  # NB smoothing, in units of summed TF-IDF weight
    nb_power: float = 0.5
    seed: int = 0
    n_jobs: int = 2
    nb_average: bool = True  # ovr + nb: average with the unscaled model's coefficients
    tol: float = 0.1  # liblinear's stopping tolerance (its own default)
    clean_below: float = 0.0  # > 0: refit without rows a first fit gives p(own label) < this
    multi_label: bool = False  # one binary model per label, labels over their thresholds
    threshold: float | None = None  # multi-label: one threshold for all labels; None: chosen
    augment: int | str = 0  # augmented copies per training row, or "auto"
    augment_with: str = "noise"  # noisy copies (training only), or textkit.augment's
    folds: int = 5  # cross-validation folds of the search

    def __post_init__(self) -> None:
        if self.penalty not in PENALTIES:
            raise ConfigError(f"unknown penalty {self.penalty!r}")
        if self.multi_class not in ("ovr", "multinomial"):
            raise ConfigError(f"unknown multi-class scheme {self.multi_class!r}")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(f"unknown class weight {self.class_weight!r}")
        if (self.C is not None and not 0 < self.C < float("inf")) or self.max_iter < 1:
            raise ConfigError("C must be positive and max_iter at least 1")
        if not self.tol > 0:
            raise ConfigError("tol must be positive")
        if not 0 < self.nb_alpha < float("inf"):
            raise ConfigError("nb_alpha must be positive")
        if not 0 <= self.clean_below < 1:
            raise ConfigError("clean_below must be at least 0 and below 1")
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            raise ConfigError("threshold must be between 0 and 1")
        if self.multi_label and self.multi_class != "ovr":
            raise ConfigError("a multi-label model is one-vs-rest")
        if self.multi_label and self.clean_below > 0:
            raise ConfigError("clean_below works with single-label models only")
        if self.augment != "auto" and (
            isinstance(self.augment, bool) or not isinstance(self.augment, int) or self.augment < 0
        ):
            raise ConfigError("augment must be a number of copies (0 or more) or 'auto'")
        if self.augment_with not in AUGMENT_KINDS:
            raise ConfigError(f"augment_with must be one of {', '.join(AUGMENT_KINDS)}")
        if self.folds < 2:
            raise ConfigError("folds must be at least 2")

    def solver(self, n_samples: int, n_features: int) -> str:
        """liblinear for one-vs-rest L1/L2, saga for elastic net and large softmax problems."""
        if self.multi_class == "ovr" and self.penalty != "elasticnet":
            return "liblinear"
        if self.penalty == "l2" and n_samples < 10_000:
            return "lbfgs"
        return "saga"

    @property
    def copy_candidates(self) -> tuple[int, ...]:
        return AUTO_COPIES if self.augment == "auto" else (int(self.augment),)

    @property
    def c_candidates(self) -> tuple[float, ...]:
        return C_GRID if self.C is None else (self.C,)


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


# -- targets ----------------------------------------------------------------------------
@dataclass
class Targets:
    """Encoded labels: a class index per row, or a (rows x labels) indicator matrix."""

    classes: list[str]
    y: np.ndarray
    multi_label: bool

    @classmethod
    def encode(cls, labels: Sequence[Any], multi_label: bool) -> Targets:
        if multi_label:
            sets = label_sets(labels)
            classes = sorted({label for labels in sets for label in labels})
            return cls(classes, indicator(sets, classes), True)
        classes = sorted(set(labels))
        index = {c: i for i, c in enumerate(classes)}
        return cls(classes, np.array([index[x] for x in labels], dtype=np.int64), False)

    @classmethod
    def encode_with(cls, labels: Sequence[Any], like: Targets) -> Targets:
        """Labels encoded with ``like``'s classes (unknown ones: -1, or left out of the
        indicator matrix)."""
        if like.multi_label:
            return cls(like.classes, indicator(label_sets(labels), like.classes), True)
        index = {c: i for i, c in enumerate(like.classes)}
        y = np.array([index.get(x, -1) for x in labels], dtype=np.int64)
        return cls(like.classes, y, False)

    def take(self, rows: np.ndarray) -> Targets:
        return Targets(self.classes, self.y[rows], self.multi_label)

    @property
    def n_problems(self) -> int:
        return len(self.classes) if self.multi_label or len(self.classes) > 2 else 1

    def positives(self) -> Any:
        """(rows x problems) sparse indicator of each binary problem's positive rows."""
        from scipy import sparse

        if self.multi_label:
            return sparse.csc_matrix(self.y)
        targets = [1] if len(self.classes) == 2 else list(range(len(self.classes)))
        rows = np.flatnonzero(np.isin(self.y, targets))
        return sparse.csc_matrix(
            (np.ones(len(rows), dtype=bool), (rows, np.searchsorted(targets, self.y[rows]))),
            shape=(len(self.y), len(targets)),
        )

    def sample_weights(self, config: TrainConfig) -> np.ndarray | None:
        """Multiclass 'balanced' weights n / (K * count), also used by each binary fit."""
        if config.class_weight != "balanced" or self.multi_label:
            return None
        counts = np.bincount(self.y, minlength=len(self.classes))
        return (len(self.y) / (len(self.classes) * counts))[self.y]


# -- fitting ----------------------------------------------------------------------------
def _binary_fit(config: TrainConfig, C: float, average: bool = True) -> BinaryFit:
    return BinaryFit(
        C=C,
        penalty=config.penalty,
        tol=config.tol,
        max_iter=config.max_iter,
        nb=config.nb,
        nb_average=config.nb_average and average,
        nb_alpha=config.nb_alpha,
        nb_power=config.nb_power,
        seed=config.seed,
        n_jobs=config.n_jobs,
    )


def _fit(
    x: Any,
    targets: Targets,
    config: TrainConfig,
    C: float,
    *,
    average: bool = True,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    """Coefficients (problems x features, float32), intercepts and solver iterations."""
    if config.multi_class == "multinomial":
        return _fit_multinomial(x, targets.y, config, C, len(targets.classes))
    fitted = fit_binary_problems(
        x,
        targets.positives(),
        _binary_fit(config, C, average),
        sample_weight=targets.sample_weights(config),
        progress=progress,
    )
    return fitted.coef, fitted.intercept, fitted.iterations


def _fit_multinomial(
    x: Any, y: np.ndarray, config: TrainConfig, C: float, n_classes: int
) -> tuple[np.ndarray, np.ndarray, list[int]]:
    from sklearn.linear_model import LogisticRegression

    solver = config.solver(*x.shape)
    estimator = LogisticRegression(
        C=C,
        l1_ratio=PENALTIES[config.penalty],
        solver=solver,
        max_iter=config.max_iter,
        tol=1e-3 if solver == "saga" else 1e-4,
        class_weight=config.class_weight,
        random_state=config.seed,
    )
    estimator.fit(x, y)
    coef = estimator.coef_.astype(np.float32)
    intercept = estimator.intercept_
    iterations = [int(np.max(estimator.n_iter_))]
    present = estimator.classes_
    if n_classes > 2 and len(present) < n_classes:
        # a cross-validation fold without some class: it gets no weights and a score
        # far below the others
        if len(coef) == 1:  # two classes left: their softmax scores are -/+ half of it
            coef, intercept = np.vstack([-coef / 2, coef / 2]), np.array([-1, 1]) * intercept / 2
        full = np.zeros((n_classes, x.shape[1]), dtype=np.float32)
        bias = np.full(n_classes, float(intercept.min()) - 30.0)
        full[present], bias[present] = coef, intercept
        coef, intercept = full, bias
    return coef, intercept, iterations


def _scores(x: Any, coef: np.ndarray, intercept: np.ndarray) -> np.ndarray:
    return np.asarray(x @ coef.T, dtype=np.float64) + intercept


def _probabilities(scores: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-scores))


def _screen(
    x: Any,
    targets: Targets,
    featurizer: Featurizer,
    config: TrainConfig,
    C: float,
) -> np.ndarray:
    """The training rows to fit on: those to which a first fit gives a probability of their
    own label of at least ``config.clean_below``, and every row of a class that would lose
    them all. The first fit skips the plain-model average and stops at liblinear
    tolerance 0.1: a screen needs no more. In-sample misfits at C=10 are mostly mislabeled
    or self-contradicting texts: about 2% of waimai's reviews, 0.5% of THUCNews titles."""
    screening = replace(config, tol=max(config.tol, 0.1))
    coef, intercept, _ = _fit(x, targets, screening, C, average=False)
    screen = TextClassifier(featurizer, coef, intercept, targets.classes, config.multi_class)
    proba = screen.proba_from_scores(_scores(x, coef, intercept))
    y = targets.y
    keep = proba[np.arange(len(y)), y] >= config.clean_below
    for k in range(len(targets.classes)):
        if not keep[y == k].any():
            keep[y == k] = True
    return np.flatnonzero(keep)


# -- choosing settings ------------------------------------------------------------------
@dataclass
class _Data:
    """A featurized training set: original rows, their augmented copies, their targets."""

    x: Any
    targets: Targets  # per matrix row (copies carry their original's labels)
    originals: np.ndarray  # matrix rows of the original training rows
    copies_of: list[np.ndarray]  # matrix rows of each original's copies, in order
    held_x: Any = None  # features of the original rows when held out (None: x's rows)

    def held_rows(self, positions: np.ndarray) -> Any:
        """Features of the originals at ``positions`` as a held-out text has them."""
        if self.held_x is not None:
            return self.held_x[positions]
        return self.x[self.originals[positions]]

    def rows(self, positions: np.ndarray, copies: int) -> np.ndarray:
        """Matrix rows of the originals at ``positions`` and of their first ``copies``
        copies, originals first."""
        chosen = self.originals[positions]
        if copies == 0:
            return chosen
        extra = [self.copies_of[p][:copies] for p in positions.tolist()]
        return np.concatenate([chosen, *extra])

    @property
    def held_targets(self) -> Targets:
        return self.targets.take(self.originals)


def _candidates(config: TrainConfig, copies: Sequence[int] | None = None) -> list[Candidate]:
    """Every (C, copies) pair to try; an automatic C is divided by 1 + copies, so a row
    and its copies weigh as much against the regularisation as the row alone."""
    grid = config.copy_candidates if copies is None else copies
    scale = config.C is None
    return [Candidate(c / (1 + n) if scale else c, n) for n in grid for c in config.c_candidates]


def _search_plan(
    config: TrainConfig,
    data: _Data,
    valid: bool,
    candidates: list[Candidate],
    exact: bool = False,
) -> tuple[str, bool]:
    """How settings are chosen: ("validation", "cv", "holdout" or "none", whether the
    candidates are fitted like the final model, with the plain-model average). The first
    that fits the budget (see SEARCH_RATIO) of: cross-validation with exact candidates,
    with NB-only ones (half the work), one held-out fold likewise, nothing. ``exact``:
    only exact candidates."""
    n = len(data.originals)
    variants = 2 if config.nb and config.nb_average else 1
    per_row = data.x.nnz / max(1, data.x.shape[0]) * data.targets.n_problems
    final = per_row * n * (1 + min(c.copies for c in candidates)) * variants
    rows = sum(n * (1 + c.copies) for c in candidates)
    small = AUGMENT_WORK if any(c.copies or c.expand for c in candidates) else SMALL_WORK
    budget = max(small, SEARCH_RATIO * final)
    kinds = (True,) if exact or variants == 1 else (True, False)
    if valid:
        work = {a: per_row * rows * (variants if a else 1) for a in kinds}
        return "validation", next((a for a in kinds if work[a] <= budget), kinds[-1])
    if n < max(MIN_SEARCH_ROWS, 2 * config.folds):
        return "none", True
    for plan, folds in (("cv", config.folds), ("holdout", 1)):
        for average in kinds:
            fold = per_row * rows * (config.folds - 1) / config.folds
            if fold * folds * (variants if average else 1) <= budget:
                return plan, average
    return "none", True


def _search(
    data: _Data,
    config: TrainConfig,
    plan: str,
    valid: tuple[Any, Targets] | None,
    progress: Progress | None,
    *,
    average: bool,
    candidates: list[Candidate] | None = None,
) -> tuple[Selection, np.ndarray | None]:
    """Score every candidate; returns the selection (with each held-out row's score per
    candidate) and, for multi-label models, the held-out probabilities of the best
    candidate (its thresholds are chosen on them)."""
    candidates = candidates or _candidates(config)
    multi = data.targets.multi_label
    n = len(data.originals)
    if plan == "validation":
        assert valid is not None
        splits: list[tuple[np.ndarray, np.ndarray | None]] = [(np.arange(n), None)]
        gold = valid[1]
    else:
        gold = data.held_targets
        folds = fold_ids(strata_of(gold.y), config.folds, config.seed)
        chosen = range(config.folds) if plan == "cv" else range(1)
        splits = [(np.flatnonzero(folds != f), np.flatnonzero(folds == f)) for f in chosen]
    outputs = {c: np.full((len(gold.y), data.targets.n_problems), np.nan) for c in candidates}
    total, done = len(splits) * len(candidates), 0
    for train_part, held_part in splits:
        x_held = valid[0] if held_part is None else data.held_rows(held_part)
        where: Any = slice(None) if held_part is None else held_part
        for candidate in candidates:
            rows = data.rows(train_part, candidate.copies)
            coef, intercept, _ = _fit(
                data.x[rows], data.targets.take(rows), config, candidate.C, average=average
            )
            scores = _scores(x_held, coef, intercept)
            outputs[candidate][where] = _probabilities(scores) if multi else scores
            done += 1
            if progress is not None:
                progress(done, total, "choosing settings")
    scored = ~np.isnan(outputs[candidates[0]][:, 0])
    method = {"validation": "validation", "cv": f"{config.folds}-fold cross-validation"}
    selection = Selection(
        method.get(plan, f"one held-out fold of {config.folds}")
        + ("" if average or not config.nb_average else ", NB-scaled fits only"),
        "micro-F1" if multi else "accuracy",
    )
    for candidate, out in outputs.items():
        if multi:
            score, threshold = micro_f1_of(out[scored], gold.y[scored], config.threshold)
            per_row = ((out >= threshold) == gold.y).mean(axis=1)  # right label decisions
        else:
            score = accuracy_of(out[scored], gold.y[scored])
            per_row = (predicted_classes(out) == gold.y).astype(np.float64)
        selection.scores[candidate] = score
        selection.rows[candidate] = np.where(scored, per_row, np.nan)
    held_out = outputs[selection.best] if multi else None  # NaN where not held out
    return selection, held_out


def _choose(
    data: _Data,
    config: TrainConfig,
    valid: tuple[Any, Targets] | None,
    progress: Progress | None,
    candidates: list[Candidate] | None = None,
    *,
    force: bool = False,
) -> tuple[Selection | None, np.ndarray | None]:
    """The search for automatic settings, when there is one to make (``force``: also for
    a single candidate, to have its held-out scores). Multi-label thresholds are chosen on
    the search's held-out probabilities, so there the candidates are always fitted like
    the final model."""
    candidates = candidates or _candidates(config)
    multi = data.targets.multi_label
    plan, average = _search_plan(config, data, valid is not None, candidates, exact=multi)
    if (len(candidates) == 1 and not force) or plan == "none":
        return None, None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _search(data, config, plan, valid, progress, average=average, candidates=candidates)


def _merged(
    plain: Selection, augmented: Selection, helps: bool, evidence: dict[str, Any]
) -> Selection:
    """One record of both searches, with the choice between them."""
    merged = Selection(plain.method, plain.metric)
    merged.scores = {**plain.scores, **augmented.scores}
    merged.chosen = augmented.best if helps else plain.best
    merged.notes = {"augmentation": {"used": helps, **evidence}}
    if augmented.method != plain.method:
        merged.method = f"{plain.method} (augmented: {augmented.method})"
    return merged


def _augmentation_helps(augmented: Selection, plain: Selection) -> tuple[bool, dict[str, Any]]:
    """Whether the best augmented candidate beats the best plain one on the rows both
    scored, by more than AUGMENT_EVIDENCE standard errors of the mean paired difference."""
    a, b = augmented.rows[augmented.best], plain.rows[plain.best]
    both = ~np.isnan(a) & ~np.isnan(b)
    difference = a[both] - b[both]
    if len(difference) < 2:
        return False, {"rows": int(len(difference))}
    mean = float(difference.mean())
    error = float(difference.std(ddof=1) / np.sqrt(len(difference)))
    helps = mean > 0 and mean > AUGMENT_EVIDENCE * error
    return helps, {"rows": int(len(difference)), "gain": mean, "standard_error": error}


def _fit_model(
    featurizer: Featurizer,
    data: _Data,
    config: TrainConfig,
    selection: Selection | None,
    *,
    valid: tuple[Any, Targets] | None = None,
    held_out: np.ndarray | None = None,
    progress: Progress | None = None,
) -> tuple[TextClassifier, str, int, list[str]]:
    """Fit the final model on ``data`` with the chosen (or given) settings; choose the
    multi-label thresholds."""
    targets = data.targets
    fixed = config.augment if isinstance(config.augment, int) else 0
    copies = selection.best.copies if selection is not None else fixed
    C = selection.best.C if selection is not None else (config.C or DEFAULT_C / (1 + copies))
    rows = data.rows(np.arange(len(data.originals)), copies)
    solver = config.solver(len(rows), data.x.shape[1])
    with warnings.catch_warnings():
        # Non-convergence is detected from n_iter_ and reported by the caller, not printed.
        warnings.simplefilter("ignore")
        if len(rows) == data.x.shape[0]:  # every row: the matrix as it is, no copy
            x, fit_targets = data.x, targets
        else:
            x, fit_targets = data.x[rows], targets.take(rows)
        keep = np.arange(len(rows))
        if config.clean_below > 0:
            keep = _screen(x, fit_targets, featurizer, config, C)
            x, fit_targets = x[keep], fit_targets.take(keep)
        coef, intercept, iterations = _fit(x, fit_targets, config, C, progress=progress)
        thresholds, chosen_on = None, None
        if targets.multi_label:
            thresholds, chosen_on = _thresholds(
                data, config, C, copies, valid, held_out, coef, intercept
            )
    notes = []
    if max(iterations) >= config.max_iter:
        notes.append(
            f"the {solver} solver did not converge in {config.max_iter} iterations "
            "(raise --max-iter, or lower -C)"
        )
    mode = "multilabel" if targets.multi_label else config.multi_class
    model = TextClassifier(
        featurizer, coef, intercept, targets.classes, mode, thresholds=thresholds
    )
    model.metadata["C"] = C
    if selection is not None:
        model.metadata["auto"] = selection.to_dict()
    elif config.C is None:
        reason = "too few rows" if len(data.originals) < MIN_SEARCH_ROWS else "too costly"
        model.metadata["auto"] = {"C": C, "method": f"default ({reason})"}
    if chosen_on is not None:
        if chosen_on == "search" and selection is not None:
            chosen_on = selection.method
        model.metadata["thresholds_chosen_on"] = chosen_on
    if config.clean_below > 0:
        model.metadata["cleaned"] = {"below": config.clean_below, "dropped": len(rows) - len(keep)}
    return model, solver, max(iterations), notes


def _thresholds(
    data: _Data,
    config: TrainConfig,
    C: float,
    copies: int,
    valid: tuple[Any, Targets] | None,
    held_out: np.ndarray | None,
    coef: np.ndarray,
    intercept: np.ndarray,
) -> tuple[np.ndarray, str]:
    """Per-label thresholds (or the fixed one) and what they were chosen on: validation
    data, else held-out probabilities of the search, else of a search made for them."""
    n_labels = len(data.targets.classes)
    if config.threshold is not None:
        return np.full(n_labels, config.threshold), "fixed"
    if valid is not None:
        proba = _probabilities(_scores(valid[0], coef, intercept))
        return choose_thresholds(proba, valid[1].y)[0], "validation"
    method = "search"
    if held_out is None:
        single = replace(config, C=C, augment=copies)
        plan, _ = _search_plan(single, data, False, _candidates(single), exact=True)
        if plan == "none":
            return np.full(n_labels, 0.5), "default (too few rows to choose on)"
        selection, held_out = _search(data, single, plan, None, None, average=True)
        method = selection.method
    assert held_out is not None
    scored = ~np.isnan(held_out[:, 0])
    gold = data.held_targets.y[scored]
    return choose_thresholds(held_out[scored], gold)[0], method


# -- data -------------------------------------------------------------------------------
def _labels(labels: Any, config: TrainConfig, what: str) -> tuple[list[Any], list[str]]:
    """Labels as strings, or as label lists for a multi-label model; a single-label model
    given several labels per row keeps the first of each, with a warning."""
    labels = list(labels)
    notes = []
    if config.multi_label:
        return label_sets(labels), notes
    if is_multi_label(labels):
        several = several_labels(labels)
        sets = label_sets(labels)
        if any(not s for s in sets):
            raise DataFormatError(f"{what} rows without a label", hint="leave unlabeled rows out")
        if several:
            notes.append(
                f"{several} {what} row(s) have several labels; a single-label model learns "
                "only the first label of each (train a multi-label model to learn them all)"
            )
        labels = [s[0] for s in sets]
    return labels, notes


def check_data(
    texts: Any, labels: Any, what: str, classes: int = 1, multi_label: bool = False
) -> tuple[list[str], list[Any]]:
    """``texts`` and ``labels`` as lists, labels as strings (label lists for multi-label
    data); data a model cannot be fitted on or scored with is refused before any work:
    the errors numpy or scikit-learn would give deep inside say nothing of the cause."""
    texts = texts_arg(texts, f"{what} texts")
    labels = list(labels)
    if len(texts) != len(labels):
        raise DataFormatError(f"{len(texts)} {what} texts but {len(labels)} labels")
    if any(label is None for label in labels):
        raise DataFormatError(f"{what} labels include None", hint="leave unlabeled rows out")
    if multi_label:
        sets = label_sets(labels)
        seen = {label for s in sets for label in s}
        if classes > 1 and (not seen or all(set(s) == seen for s in sets)):
            raise DataFormatError(
                f"every {what} row has the same labels",
                hint="a multi-label model needs rows with and rows without each label",
            )
        return texts, sets
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
    labels: Sequence[Any], fraction: float, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices (train, valid): ``fraction`` of each class to validation, at least one
    example of each class left for training (label lists: by their first label)."""
    firsts = [s[0] if s else "" for s in label_sets(labels)]
    classes = sorted(set(firsts))
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[x] for x in firsts], dtype=np.int64)
    rng = np.random.default_rng(seed)
    train_parts, valid_parts = [], []
    for k in range(len(classes)):
        members = rng.permutation(np.flatnonzero(y == k))
        n_valid = min(int(round(fraction * len(members))), len(members) - 1)
        valid_parts.append(members[:n_valid])
        train_parts.append(members[n_valid:])
    empty = [np.zeros(0, np.int64)]
    return np.sort(np.concatenate(train_parts + empty)), np.sort(
        np.concatenate(valid_parts + empty)
    )


def _augmentations(
    texts: list[str],
    copies: int,
    config: TrainConfig,
    features: FeatureConfig,
    progress: Progress | None,
) -> list[list[str]]:
    """``copies`` noisy versions of each text (textkit.classify.noise), or up to ``copies``
    made by textkit.augment with its defaults (``augment_with="meaning"``)."""
    if config.augment_with == "noise":
        from textkit.classify.noise import training_copies

        if progress is not None:
            progress(0, len(texts), "augmenting")
        made = training_copies(texts, copies, config.seed, features.tokenizer)
        if progress is not None:
            progress(len(texts), len(texts), "augmenting")
        return made
    from textkit.augment.eda import AugmentConfig, Augmenter

    augmenter = Augmenter(AugmentConfig(num_aug=copies, seed=config.seed))
    made = []
    for i, text in enumerate(texts):
        made.append(augmenter.augment(text, i))
        if progress is not None and ((i + 1) % 200 == 0 or i + 1 == len(texts)):
            progress(i + 1, len(texts), "augmenting")
    return made


def _expansions(
    texts: list[str],
    featurizer: Featurizer,
    data: _Data,
    config: TrainConfig,
    valid: tuple[Any, Targets] | None,
    progress: Progress | None,
) -> tuple[Selection | None, dict[float, _Data]]:
    """The synonym expansion's candidates (AUTO_EXPAND x the C grid) scored like the other
    settings, and the expanded training data per weight."""
    from textkit.classify.expansion import expansion_matrix, synonym_groups

    extra = expansion_matrix(synonym_groups(texts, featurizer.config.tokenizer), featurizer)
    found: Selection | None = None
    expanded: dict[float, _Data] = {}
    for weight in AUTO_EXPAND:
        x = (data.x + weight * extra).astype(np.float32).tocsr()
        expanded[weight] = _Data(x, data.targets, data.originals, data.copies_of, held_x=data.x)
        scale = (1 + weight) ** 2 if config.C is None else 1.0
        candidates = [Candidate(c / scale, 0, weight) for c in config.c_candidates]
        selection, _ = _choose(expanded[weight], config, valid, progress, candidates, force=True)
        if selection is None:
            return None, {}
        found = selection if found is None else found.joined(selection)
    return found, expanded


def _layout(
    texts: list[str], labels: list[Any], made: list[list[str]] | None, copies: int
) -> tuple[list[str], list[Any], np.ndarray | None, np.ndarray, list[np.ndarray]]:
    """Texts with each one's first ``copies`` augmented versions right after it: (texts,
    labels, group per row, rows of the originals, rows of each original's copies)."""
    n = len(texts)
    if made is None or copies == 0:
        return texts, labels, None, np.arange(n), [np.zeros(0, np.int64)] * n
    out_texts: list[str] = []
    out_labels: list[Any] = []
    groups, originals, copies_of = [], [], []
    for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
        extra = made[i][:copies]
        originals.append(len(out_texts))
        copies_of.append(np.arange(len(out_texts) + 1, len(out_texts) + 1 + len(extra)))
        out_texts += [text, *extra]
        out_labels += [label] * (1 + len(extra))
        groups += [i] * (1 + len(extra))
    return out_texts, out_labels, np.array(groups), np.array(originals), copies_of


def _featurize(
    texts: list[str],
    labels: list[Any],
    made: list[list[str]] | None,
    copies: int,
    features: FeatureConfig,
    multi_label: bool,
    progress: Progress | None,
) -> tuple[Featurizer, _Data]:
    from scipy import sparse

    all_texts, all_labels, groups, originals, copies_of = _layout(texts, labels, made, copies)
    featurizer = Featurizer(features)
    matrix = featurizer.fit_transform(all_texts, groups=groups, progress=progress)
    check_features(featurizer, features)
    x = sparse.csr_matrix(matrix, shape=(len(all_texts), featurizer.n_features))
    return featurizer, _Data(x, Targets.encode(all_labels, multi_label), originals, copies_of)


def _describe(
    model: TextClassifier,
    labels: Sequence[Any],
    config: TrainConfig,
    solver: str,
    copies: int,
    expand: float = 0.0,
) -> None:
    """Record the training labels and parameters in the model's metadata."""
    counts = Counter(x for s in label_sets(labels) for x in s)
    model.metadata.update(
        labels=[{"label": c, "count": counts[c]} for c in model.classes],
        parameters={
            **asdict(config),
            "C": model.metadata.pop("C"),
            "C_auto": config.C is None,
            "augment": copies,
            "expand": expand,
            "augment_auto": config.augment == "auto",
            "solver": solver,
            "features": model.featurizer.config.to_dict(),
        },
        n_documents=len(labels),
    )


def evaluate(model: TextClassifier, texts: list[str], labels: Sequence[Any]) -> dict[str, Any]:
    """The scores ``textkit evaluate`` prints: accuracy, macro/weighted P/R/F1 and the
    confusion matrix; for a multi-label model (``labels`` then holds label lists) those of
    :func:`~textkit.classify.metrics.multilabel_report` (with fastText's P@1 and R@1)."""
    proba = model.predict_proba(texts)
    if model.multi_label:
        from textkit.classify.model import labels_from_proba

        gold = label_sets(labels)
        predicted = [[x for x, _ in row] for row in labels_from_proba(model, proba, None, None)]
        order = np.argsort(-proba, axis=1, kind="stable")
        ranked = [[model.classes[j] for j in row] for row in order]
        extra = sorted({x for g in gold for x in g} - set(model.classes))
        return multilabel_report(gold, predicted, model.classes + extra, ranked, k=1)
    predicted = [model.classes[i] for i in proba.argmax(axis=1)]
    extra = sorted(set(labels) - set(model.classes))
    return classification_report(labels, predicted, model.classes + extra)


def fit_features(
    featurizer: Featurizer,
    x_csr: tuple[np.ndarray, np.ndarray, np.ndarray],
    labels: Sequence[Any],
    config: TrainConfig,
    *,
    progress: Progress | None = None,
) -> tuple[TextClassifier, str, int, list[str]]:
    """Fit the linear model on already computed features (no augmentation; automatic C
    chosen as in :func:`train`, by cross-validation). Returns the model, the solver, its
    iterations and warnings."""
    from scipy import sparse

    if config.augment != 0:
        raise ConfigError("fit_features fits given features; augmentation needs train()")
    x = sparse.csr_matrix(x_csr, shape=(len(labels), featurizer.n_features))
    targets = Targets.encode(labels, config.multi_label)
    n = len(labels)
    data = _Data(x, targets, np.arange(n), [np.zeros(0, np.int64)] * n)
    selection, held_out = _choose(data, config, None, progress)
    return _fit_model(featurizer, data, config, selection, held_out=held_out, progress=progress)


def train(
    texts: list[str],
    labels: Sequence[Any],
    features: FeatureConfig | None = None,
    config: TrainConfig | None = None,
    *,
    valid: tuple[list[str], Sequence[Any]] | None = None,
    progress: Progress | None = None,
) -> TrainResult:
    """Fit features and model on ``texts``/``labels``; score ``valid`` when given.

    ``labels`` holds one label per text, or a list of labels per text (a multi-label
    model with ``config.multi_label``; otherwise the first label of each, with a warning
    in the result). Settings left automatic (``config.C`` None, ``config.augment``
    "auto") are chosen on ``valid`` when given, else by cross-validation on the training
    rows (one held-out fold, or none, when that would cost too much: see SEARCH_RATIO);
    the model's metadata ``auto`` records what was tried and chosen. ``progress(done,
    total, what)`` is called as featurizing, augmenting, the search and the fit advance.
    """
    config = config or TrainConfig()
    features = features or FeatureConfig()
    labels, notes = _labels(labels, config, "training")
    texts, labels = check_data(texts, labels, "training", 2, config.multi_label)
    valid_texts: list[str] = []
    valid_labels: list[Any] = []
    if valid is not None:
        valid_list, valid_notes = _labels(valid[1], config, "validation")
        valid_texts, valid_labels = check_data(
            valid[0], valid_list, "validation", 1, config.multi_label
        )
        notes += valid_notes
    start = time.perf_counter()
    featurizer, data = _featurize(texts, labels, None, 0, features, config.multi_label, progress)
    featurized = time.perf_counter()

    def validation(fitted: Featurizer) -> tuple[Any, Targets] | None:
        if valid is None:
            return None
        from scipy import sparse

        x = sparse.csr_matrix(
            fitted.transform(valid_texts), shape=(len(valid_texts), fitted.n_features)
        )
        return x, Targets.encode_with(valid_labels, data.targets)

    copies = int(config.augment) if config.augment != "auto" else 0
    expand = 0.0
    made = None
    if config.augment == "auto":
        # the default model's settings first, then the augmented ones: copies are used only
        # when their best setting is clearly better (see _augmentation_helps)
        plain, held_out = _choose(
            data, config, validation(featurizer), progress, _candidates(config, [0]), force=True
        )
        selection = plain
        made = _augmentations(texts, max(AUTO_COPIES), config, features, progress)
        more = [n for n in AUTO_COPIES if n]
        if plain is not None:
            aug_featurizer, aug_data = _featurize(
                texts, labels, made, max(more), features, config.multi_label, progress
            )
            augmented, aug_held = _choose(
                aug_data,
                config,
                validation(aug_featurizer),
                progress,
                _candidates(config, more),
                force=True,
            )
            expanded, expanded_data = None, {}
            if not config.multi_label:
                expanded, expanded_data = _expansions(
                    texts, featurizer, data, config, validation(featurizer), progress
                )
            if augmented is not None and expanded is not None:
                augmented = augmented.joined(expanded)
            if augmented is not None:
                helps, evidence = _augmentation_helps(augmented, plain)
                selection = _merged(plain, augmented, helps, evidence)
                if helps and augmented.best.expand:
                    expand = augmented.best.expand
                    data = expanded_data[expand]
                elif helps:
                    # the final fit uses the features the copies were scored with, so its
                    # validation score is the one that chose it
                    copies, held_out = augmented.best.copies, aug_held
                    featurizer, data = aug_featurizer, aug_data
    else:
        if copies:
            made = _augmentations(texts, copies, config, features, progress)
            featurizer, data = _featurize(
                texts, labels, made, copies, features, config.multi_label, progress
            )
        selection, held_out = _choose(data, config, validation(featurizer), progress)
    if copies and data.x.shape[0] == len(data.originals):  # the rows the model is fitted on
        featurizer, data = _featurize(
            texts, labels, made, copies, features, config.multi_label, progress
        )
    model, solver, n_iter, fit_notes = _fit_model(
        featurizer,
        data,
        config,
        selection,
        valid=validation(featurizer),
        held_out=held_out,
        progress=progress,
    )
    fitted = time.perf_counter()
    _describe(model, labels, config, solver, copies, expand)
    if copies:
        originals = np.arange(len(data.originals))
        model.metadata["augmented_rows"] = int(len(data.rows(originals, copies)) - len(originals))
    result = TrainResult(
        model, solver, n_iter, featurized - start, fitted - featurized, notes + fit_notes, None
    )
    if valid is not None:
        result.validation = evaluate(model, valid_texts, valid_labels)
    return result


def tune(
    texts: list[str],
    labels: Sequence[Any],
    valid: tuple[list[str], Sequence[Any]],
    features: FeatureConfig,
    config: TrainConfig,
    *,
    progress: Progress | None = None,
) -> tuple[TrainResult, list[dict[str, Any]]]:
    """Try C in {C/3, C, 3C} (C_GRID when C is automatic) with the chosen feature set and its
    alternative (char only, or word+char); keep the model with the best validation accuracy
    (micro-F1 for multi-label models). Returns it and the grid."""
    labels, notes = _labels(labels, config, "training")
    texts, labels = check_data(texts, labels, "training", 2, config.multi_label)
    valid_list, _ = _labels(valid[1], config, "validation")
    valid = check_data(valid[0], valid_list, "validation", 1, config.multi_label)
    other = "char" if features.features != "char" else "word+char"
    grid: list[dict[str, Any]] = []
    best: TrainResult | None = None
    grid_c = C_GRID if config.C is None else (config.C / 3, config.C, config.C * 3)
    total = 2 * len(grid_c)
    for feature_set in (features.features, other):
        candidate = FeatureConfig(**{**features.to_dict(), "features": feature_set})
        start = time.perf_counter()
        featurizer = Featurizer(candidate)
        matrix = featurizer.fit_transform(texts)
        check_features(featurizer, candidate)
        featurize_seconds = time.perf_counter() - start
        for c in grid_c:
            trial = replace(config, C=c, augment=0)
            start = time.perf_counter()
            model, solver, n_iter, fit_notes = fit_features(featurizer, matrix, labels, trial)
            fit_seconds = time.perf_counter() - start
            scores = evaluate(model, *valid)
            score = scores["micro"]["f1"] if config.multi_label else scores["accuracy"]
            grid.append(
                {
                    "features": feature_set,
                    "C": c,
                    "accuracy" if not config.multi_label else "micro_f1": score,
                    "macro_f1": scores["macro"]["f1"],
                }
            )
            if progress is not None:
                progress(len(grid), total, "tuning")
            if best is None or score > best.validation["score"]:  # type: ignore[index]
                _describe(model, labels, trial, solver, 0)
                best = TrainResult(
                    model,
                    solver,
                    n_iter,
                    featurize_seconds,
                    fit_seconds,
                    notes + fit_notes,
                    {**scores, "score": score},
                )
    assert best is not None and best.validation is not None
    best.validation.pop("score")
    return best, grid


train_classifier = train  # the name ``textkit`` exports
