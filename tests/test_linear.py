"""One-vs-rest fits: the same coefficients however many processes fit them."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import sparse

from textkit.classify import linear
from textkit.io import parallel


def _problems(seed: int = 0):
    rng = np.random.default_rng(seed)
    x = sparse.random(300, 400, density=0.05, format="csr", random_state=seed)
    labels = rng.integers(0, 5, size=300)
    positives = sparse.csc_matrix((np.ones(300, bool), (np.arange(300), labels)), shape=(300, 5))
    return x, positives


@pytest.mark.parametrize("forked", [True, False])
def test_worker_processes_fit_the_same_coefficients_as_one_process(monkeypatch, forked):
    if forked and not parallel.forks():
        pytest.skip("workers are forked on Linux only")
    x, positives = _problems()
    serial = linear.fit_binary_problems(x, positives, linear.BinaryFit(n_jobs=1))
    monkeypatch.setattr(linear, "PARALLEL_WORK", 0)  # a tiny job goes to workers too
    monkeypatch.setattr(parallel, "forks", lambda: forked)
    seen: list[int] = []
    fitted = linear.fit_binary_problems(
        x, positives, linear.BinaryFit(n_jobs=2), progress=lambda done, total, _: seen.append(done)
    )
    assert np.array_equal(fitted.weights, serial.weights)
    assert np.array_equal(fitted.intercept, serial.intercept)
    assert fitted.iterations == serial.iterations
    assert seen[-1] == 5 and seen == sorted(seen)


def test_a_matrix_with_unsorted_indices_fits_like_its_sorted_form():
    """Each fit's matrix shared the index arrays of the caller's; scikit-learn sorted them
    in place, so the next problem's naive-Bayes ratios read values in the wrong columns
    (NaN: 'Input X contains NaN')."""
    x, positives = _problems()
    shuffled = x.copy()
    for row in range(x.shape[0]):  # each row's entries in reverse column order
        lo, hi = x.indptr[row], x.indptr[row + 1]
        shuffled.indices[lo:hi] = x.indices[lo:hi][::-1]
        shuffled.data[lo:hi] = x.data[lo:hi][::-1]
    shuffled.has_sorted_indices = False
    assert (shuffled != x).nnz == 0
    sorted_fit = linear.fit_binary_problems(x, positives, linear.BinaryFit(n_jobs=1))
    unsorted_fit = linear.fit_binary_problems(shuffled, positives, linear.BinaryFit(n_jobs=1))
    assert np.allclose(unsorted_fit.weights, sorted_fit.weights, atol=1e-6)
    assert not shuffled.has_sorted_indices  # the caller's matrix is left as it was
