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
