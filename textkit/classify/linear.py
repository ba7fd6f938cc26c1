"""Many binary logistic regressions on one feature matrix (one-vs-rest, one per label).

Each binary problem is fitted by liblinear (dual coordinate descent) through scikit-learn.
With ``nb`` the problem sees its features scaled by its naive-Bayes log-count ratio (NBSVM,
Wang & Manning 2012), damped to ``sign(r) * |r| ** nb_power``; the ratio is folded back into
the coefficients, so the result is an ordinary linear model on the unscaled features. With
``nb_average`` a plain fit is made too and the two are averaged (the two models' scores
averaged: still one linear model).

Memory stays proportional to the matrix plus one (n_features x problems) float32 result:

* each problem's ratios come from its positive rows' feature sums, when its fit needs them;
* each fit reuses one float64 copy of the matrix values (liblinear's input), refilled with
  the problem's scaled values;
* coefficients go straight into the float32 result, column by column.

Large jobs run in worker processes (forked on Linux, so they share the matrix and the
loaded libraries with this process; elsewhere joblib's loky, the matrix sent as a memory
map): processes, not threads, because liblinear draws its random coordinate order from one
process-wide generator, and fits in threads of one process would draw from it in a racy
order. Each fit seeds that generator, so results do not depend on the number of workers.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import numpy as np

from textkit.errors import ConfigError

PENALTIES = {"l2": 0.0, "l1": 1.0, "elasticnet": 0.5}  # -> scikit-learn's l1_ratio
Progress = Callable[[int, int, str], None]
# Fits run in worker processes only when they are worth the start-up (about a second to
# start a worker and import scikit-learn): the work is estimated as stored values x fits.
PARALLEL_WORK = 30_000_000
# ... and only when each worker's copy of the problem (24 bytes per stored value: the
# float64 values and liblinear's own copy) stays under this, so memory does not double.
PARALLEL_BYTES = 300 * 2**20


@dataclass(frozen=True)
class BinaryFit:
    """How each binary problem is fitted."""

    C: float = 10.0
    penalty: str = "l2"
    tol: float = 0.1
    max_iter: int = 300
    nb: bool = True
    nb_average: bool = True
    nb_alpha: float = 0.05
    nb_power: float = 0.5
    seed: int = 0
    n_jobs: int = 2

    def __post_init__(self) -> None:
        if self.penalty not in PENALTIES:
            raise ConfigError(f"unknown penalty {self.penalty!r}")
        if not 0 < self.C < float("inf") or self.max_iter < 1 or not self.tol > 0:
            raise ConfigError("C and tol must be positive and max_iter at least 1")
        if not 0 < self.nb_alpha < float("inf"):
            raise ConfigError("nb_alpha must be positive")

    @property
    def variants(self) -> tuple[bool, ...]:
        """The fits of each problem: True on NB-scaled features, False on plain ones."""
        if not self.nb:
            return (False,)
        return (True, False) if self.nb_average else (True,)


@dataclass
class LinearFit:
    """Coefficients (n_features x problems, float32), intercepts and solver iterations."""

    weights: np.ndarray
    intercept: np.ndarray
    iterations: list[int]

    @property
    def coef(self) -> np.ndarray:
        """(problems x n_features), a view."""
        return self.weights.T


class ProblemCounts:
    """The feature sums of all rows; with a problem's target, its naive-Bayes log-count
    ratio, computed when its fit needs it (no per-problem table is kept).

    The "counts" are sums of the TF-IDF values, so one occurrence weighs about 0.1-0.3 in
    a short text; ``alpha`` smooths in those units."""

    def __init__(self, x: Any) -> None:
        self.total = np.asarray(x.sum(axis=0, dtype=np.float64)).ravel()

    def ratio(self, x: Any, target: np.ndarray, alpha: float, power: float) -> np.ndarray:
        positive = x.T @ target.astype(np.float64)  # sums of the positive rows
        p = alpha + positive
        q = alpha + self.total - positive
        ratio = np.log((p / p.sum()) / (q / q.sum()))
        return np.sign(ratio) * np.abs(ratio) ** power


def fit_binary_problems(
    x: Any,
    positives: Any,
    fit: BinaryFit,
    *,
    sample_weight: np.ndarray | None = None,
    progress: Progress | None = None,
) -> LinearFit:
    """Fit one binary problem per column of ``positives`` (a sparse n x problems matrix,
    nonzero where a row is a positive example) on the CSR matrix ``x``."""
    from scipy import sparse

    x = sparse.csr_matrix(x)
    if not x.has_canonical_format:
        # each fit's matrix shares x's index arrays, which scikit-learn would sort in place
        # (leaving x's values in the old order)
        x = x.copy()
        x.sum_duplicates()
    if x.indices.dtype != np.int32:  # liblinear's index type
        x.indices = x.indices.astype(np.int32)
    positives = sparse.csc_matrix(positives, dtype=bool)
    n_problems = positives.shape[1]
    counts = ProblemCounts(x) if fit.nb else None
    weights = np.zeros((x.shape[1], n_problems), dtype=np.float32)
    intercept = np.zeros(n_problems, dtype=np.float64)
    iterations = [0] * n_problems
    shared = (x, positives, counts, fit, sample_weight)
    jobs = _workers(fit.n_jobs, x.nnz, n_problems * len(fit.variants))
    with ExitStack() as stack:
        if jobs == 1:
            batches: Any = (fit_problems(*shared, [p]) for p in range(n_problems))
        else:
            batches = _in_workers(stack, shared, n_problems, jobs)
        done = 0
        for batch in batches:
            for problem, coef, bias, n_iter in batch:
                weights[:, problem] = coef
                intercept[problem] = bias
                iterations[problem] = n_iter
            done += len(batch)
            if progress is not None:
                progress(done, n_problems, "fitting")
    return LinearFit(weights, intercept, iterations)


def _in_workers(stack: ExitStack, shared: tuple[Any, ...], n_problems: int, jobs: int) -> Any:
    """The problems' results from ``jobs`` worker processes, in groups as they end."""
    from concurrent.futures import as_completed

    from textkit.io.parallel import call_inherited, forks, worker_processes

    if forks():
        # imported here once, for the workers to share, not once in each of them
        import sklearn.linear_model  # noqa: F401

        # The workers inherit the matrix, so a task is just its problem: one at a time,
        # each worker holds only one problem's copy of the values and coefficients.
        executor = stack.enter_context(worker_processes(jobs, (fit_problems, shared)))
        futures = [executor.submit(call_inherited, [p]) for p in range(n_problems)]
        return (future.result() for future in as_completed(futures))
    from joblib import Parallel, delayed

    # loky sends the matrix (as a memory map, which joblib.Parallel cleans up) with each
    # task: interleaved groups, a few per worker, similar work each
    n_groups = min(n_problems, 4 * jobs)
    groups = [list(range(start, n_problems, n_groups)) for start in range(n_groups)]
    return Parallel(n_jobs=jobs, backend="loky", return_as="generator")(
        delayed(fit_problems)(*shared, group) for group in groups
    )


def _workers(n_jobs: int, stored: int, n_fits: int) -> int:
    """How many processes to fit in: 1 (this one) for small work or a large matrix."""
    if n_jobs <= 1 or stored * n_fits < PARALLEL_WORK or 24 * stored > PARALLEL_BYTES:
        return 1
    return min(n_jobs, n_fits)


def _target(positives: Any, problem: int) -> np.ndarray:
    target = np.zeros(positives.shape[0], dtype=np.int64)
    target[positives.indices[positives.indptr[problem] : positives.indptr[problem + 1]]] = 1
    return target


def fit_problems(
    x: Any,
    positives: Any,
    counts: ProblemCounts | None,
    fit: BinaryFit,
    sample_weight: np.ndarray | None,
    problems: Sequence[int],
) -> list[tuple[int, np.ndarray, float, int]]:
    """Fit ``problems`` one after another: (problem, float32 coefficients, intercept,
    iterations) each. Also the worker-process task."""
    from scipy import sparse

    values = np.empty(len(x.data), dtype=np.float64)  # liblinear's input, refilled per fit
    problem_x = sparse.csr_matrix((values, x.indices, x.indptr), shape=x.shape, copy=False)
    results = []
    for problem in problems:
        target = _target(positives, problem)
        positive = int(target.sum())
        if positive in (0, len(target)):
            # nothing to separate (a label on every row, or on none of a fold's rows): no
            # weights, and the smoothed log-odds of the label as the intercept
            odds = np.log((positive + 0.5) / (len(target) - positive + 0.5))
            results.append((problem, np.zeros(x.shape[1], np.float32), float(odds), 0))
            continue
        total, bias, n_iter = None, 0.0, 0
        for scaled in fit.variants:
            ratio = None
            if scaled and counts is not None:
                ratio = counts.ratio(x, target, fit.nb_alpha, fit.nb_power)
                np.take(ratio, x.indices, out=values)
                values *= x.data
            else:
                values[:] = x.data
            coef, b, iters = _liblinear(problem_x, target, fit, sample_weight)
            if ratio is not None:
                coef *= ratio
            total = coef if total is None else total + coef
            bias += b
            n_iter = max(n_iter, iters)
        m = len(fit.variants)
        assert total is not None
        results.append((problem, (total / m).astype(np.float32), bias / m, n_iter))
    return results


def _liblinear(
    x: Any, target: np.ndarray, fit: BinaryFit, sample_weight: np.ndarray | None
) -> tuple[np.ndarray, float, int]:
    from sklearn.linear_model import LogisticRegression

    estimator = LogisticRegression(
        C=fit.C,
        l1_ratio=PENALTIES[fit.penalty],
        solver="liblinear",
        dual=fit.penalty == "l2" and x.shape[1] > x.shape[0],
        max_iter=fit.max_iter,
        tol=fit.tol,
        random_state=fit.seed,
    )
    with warnings.catch_warnings():
        # A worker process does not inherit the caller's filters; non-convergence is
        # reported once, from the iterations, by the caller.
        warnings.simplefilter("ignore")
        estimator.fit(x, target, sample_weight=sample_weight)
    return (
        estimator.coef_.ravel().copy(),
        float(estimator.intercept_[0]),
        int(max(estimator.n_iter_)),
    )
