"""Run per-document work in worker processes, in bounded chunks, keeping input order.

``map_chunked(work, items, jobs=N)`` cuts ``items`` into chunks, hands them to worker
processes (a few chunks in flight, so memory stays bounded however long the input is) and
yields the results in input order, exactly as ``jobs=1`` would. ``work`` must be a
module-level function taking ``(config, chunk)``; workers keep whatever it loads (a
tokenizer, a model) in :func:`worker_cache`, so resources load once per worker, not once
per chunk. On Linux the workers are forked from this process after its warm-up, so they
start with what it has loaded already (:func:`worker_processes`). A crashed worker becomes
a :class:`~textkit.errors.TextkitError`, not a hang.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from collections.abc import Callable, Hashable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple, TypeVar

from textkit.errors import TextkitError

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_CHUNK = 256
# Seconds of work done in the calling process before worker processes are started: a job
# shorter than this would only be slowed down by them.
WARMUP = 0.3
# After the warm-up, the input is read ahead by this many seconds of work (at the warm-up's
# best rate); if it ends within them, the job finishes here: on two cores a job of a few
# seconds gains nothing from workers (keywords on 33,590 and 134,360 titles, -j 2 against
# -j 1).
HORIZON = 4.0
BACKENDS = ("local", "dask")
SCHEDULER_ENV = "TEXTKIT_DASK_SCHEDULER"
STOP_TIMEOUT = 10.0  # seconds to wait for the pool's thread once its workers are killed

_cache: dict[Hashable, Any] = {}
# What forked workers call and share (see worker_processes): set before they start.
_inherited: tuple[Callable[..., Any], tuple[Any, ...]] | None = None


def worker_cache(key: Hashable, build: Callable[[], T]) -> T:
    """Return the process-wide object for ``key``, building it on first use in this process."""
    value = _cache.get(key)
    if value is None:
        value = _cache[key] = build()
    return value


def chunked(
    items: Iterable[T],
    size: int,
    cost: Callable[[T], int] | None = None,
    budget: int = 0,
    first: int | None = None,
) -> Iterator[list[T]]:
    """Chunks of at most ``size`` items and, with ``cost``, at most about ``budget`` cost
    (a chunk closes once it reaches the budget, so one huge item travels alone). With
    ``first``, chunks start at that many items and double up to ``size``: a short input
    still spreads over the workers, a long one travels in big chunks."""
    limit = min(first or size, size)
    if cost is None:
        iterator = iter(items)
        while chunk := list(itertools.islice(iterator, limit)):
            yield chunk
            limit = min(2 * limit, size)
        return
    chunk: list[T] = []
    spent = 0
    for item in items:
        chunk.append(item)
        spent += cost(item)
        if len(chunk) >= limit or spent >= budget:
            yield chunk
            chunk, spent = [], 0
            limit = min(2 * limit, size)
    if chunk:
        yield chunk


def resolve_jobs(jobs: int) -> int:
    """``0`` or negative means one job per CPU core."""
    return jobs if jobs > 0 else max(1, os.cpu_count() or 1)


def map_chunked(
    work: Callable[[Any, list[T]], list[R]],
    config: Any,
    items: Iterable[T],
    *,
    jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK,
    cost: Callable[[T], int] | None = None,
    budget: int = 0,
    first_chunk: int | None = None,
    backend: str = "local",
    scheduler: str | None = None,
) -> Iterator[R]:
    """Yield ``work(config, chunk)`` results for every chunk of ``items``, in input order.

    ``cost``/``budget`` also bound each chunk by size (e.g. characters), not only by count;
    ``first_chunk``: chunks grow from this size to ``chunk_size`` (see :func:`chunked`).
    """
    chunks = chunked(items, chunk_size, cost, budget, first_chunk)
    weight = None if cost is None else (lambda chunk: sum(map(cost, chunk)))
    return map_chunks(
        work, config, chunks, jobs=jobs, backend=backend, scheduler=scheduler, weight=weight
    )


def map_chunks(
    work: Callable[[Any, list[T]], list[R]],
    config: Any,
    chunks: Iterable[list[T]],
    *,
    jobs: int = 1,
    backend: str = "local",
    scheduler: str | None = None,
    weight: Callable[[list[T]], float] | None = None,
) -> Iterator[R]:
    """:func:`map_chunked` over chunks the caller has already cut. ``weight`` estimates a
    chunk's work (default: its length), to judge whether workers would pay off."""
    jobs = resolve_jobs(jobs)
    chunks = iter(chunks)
    if backend == "local" and jobs == 1:
        try:
            for chunk in chunks:
                yield from work(config, chunk)
        finally:
            # In this process the cache lives only as long as the run: a later run (the
            # library, the test suite) must see edited files, not last run's resources.
            _cache.clear()
        return

    def run(parallel_backend: str | None, n_jobs: int) -> Iterator[R]:
        import joblib

        parallel = joblib.Parallel(
            n_jobs=n_jobs,
            backend=parallel_backend,
            return_as="generator",
            pre_dispatch="2*n_jobs",  # only a few chunks in flight: bounded memory
            batch_size=1,
        )
        for results in parallel(joblib.delayed(work)(config, chunk) for chunk in chunks):
            yield from results

    try:
        if backend == "dask":
            import joblib

            client = _dask_client(scheduler)
            # The backend comes from parallel_config only: naming it in Parallel() too makes
            # joblib 1.6 pass its nesting_level through to Dask's submit (a TypeError).
            with client, joblib.parallel_config(backend="dask"):
                yield from run(None, -1)
        else:
            yield from _run_local(work, config, chunks, jobs, weight or len)
    except TextkitError:
        raise
    except (KeyboardInterrupt, GeneratorExit, BrokenPipeError):
        raise
    except Exception as exc:
        name = type(exc).__name__
        if "TerminatedWorker" in name or "BrokenProcessPool" in name:
            raise TextkitError(
                f"a worker process died ({name})",
                hint="it may have run out of memory; try fewer --jobs",
            ) from None
        raise


def _run_local(
    work: Callable[[Any, list[T]], list[R]],
    config: Any,
    chunks: Iterator[list[T]],
    jobs: int,
    weight: Callable[[list[T]], float],
) -> Iterator[R]:
    """Ordered map over worker processes with at most ``2 * jobs`` chunks in flight.

    Workers cost time to start (forked ones little; loky's, about a second to import
    numpy and load their resources) and to exchange chunks: more than a small job takes.
    So the first ``WARMUP`` seconds of work run in this process, and a job that ends by
    then never starts them; nor does one whose input, read ahead by ``HORIZON`` seconds of
    work at the warm-up's best rate, ends within them (at most that much input is held).

    While the workers start, this process goes on working through the next chunks itself
    (their results wait their turn), instead of waiting idle for the first worker result.

    Submission is driven by the consumer: a new chunk goes out only when the oldest result
    has been taken, so neither unread input nor unwritten results pile up in memory.
    """
    from collections import deque

    start = time.monotonic()
    rate, chunks_done = 0.0, 0
    warmed = False
    try:
        # Early chunks also load resources (a tokenizer, a model, a bigger dictionary once
        # the input grows), so the rate is the best one seen after the first chunk, and the
        # warm-up lasts for at least three chunks (at most twice WARMUP).
        while (now := time.monotonic()) < start + WARMUP or (
            chunks_done < 3 and now < start + 2 * WARMUP
        ):
            chunk = next(chunks, None)
            if chunk is None:
                return
            yield from work(config, chunk)
            if chunks_done:
                rate = max(rate, weight(chunk) / max(time.monotonic() - now, 1e-6))
            chunks_done += 1
        ahead: list[list[T]] = []
        if rate > 0:
            budget = 0.0  # read ahead while that is less than HORIZON seconds of work
            while budget < rate * HORIZON:
                chunk = next(chunks, None)
                if chunk is None:  # the input ends soon: finish here
                    for chunk in ahead:
                        yield from work(config, chunk)
                    return
                ahead.append(chunk)
                budget += weight(chunk)
        chunks = itertools.chain(ahead, chunks)
        warmed = True
    finally:
        if not warmed:  # the job ended here: what its chunks loaded goes (see map_chunks)
            _cache.clear()

    pending: deque[Any] = deque()  # futures in input order, or _Done results made here
    here = True  # this process works too, until the first worker result comes back
    try:
        with worker_processes(jobs) as executor:
            for chunk in itertools.islice(chunks, 2 * jobs):
                pending.append(executor.submit(work, config, chunk))
            while pending:
                head = pending[0]
                if here and not isinstance(head, _Done) and not head.done():
                    chunk = next(chunks, None)
                    if chunk is not None:
                        pending.append(_Done(work(config, chunk)))
                        continue
                pending.popleft()
                if isinstance(head, _Done):
                    yield from head.results
                    continue
                results = head.result()
                if here:
                    here = False
                    _cache.clear()
                for chunk in itertools.islice(chunks, 1):
                    pending.append(executor.submit(work, config, chunk))
                yield from results
    finally:
        _cache.clear()
        for future in pending:
            if not isinstance(future, _Done):
                future.cancel()


def forks() -> bool:
    """Whether worker processes are forked from this one (Linux): they then start in
    milliseconds and share, copy-on-write, what this process has loaded."""
    return sys.platform.startswith("linux")


@contextmanager
def worker_processes(
    jobs: int, inherited: tuple[Callable[..., Any], tuple[Any, ...]] | None = None
) -> Iterator[Any]:
    """A pool of ``jobs`` worker processes (a ``concurrent.futures`` executor).

    On Linux the workers are forked from this process when the first task is submitted,
    so they inherit its loaded resources (a tokenizer, a dictionary, a training matrix)
    instead of loading or receiving them again; ``inherited`` = ``(function, args)`` is
    what :func:`call_inherited` calls in them. Elsewhere they are joblib's loky workers
    (started fresh; :func:`call_inherited` is then not available). On an error or an
    interrupt the workers are stopped at once."""
    global _inherited
    if not forks():
        # joblib's own factory for loky's reusable pool
        from joblib.executor import get_memmapping_executor

        yield get_memmapping_executor(jobs)
        return
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    executor = ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_started
    )
    _inherited = inherited
    # Objects made so far are left out of garbage collections while the workers live, in
    # them and here: a collection writes to every object it visits, which would copy each
    # page that holds one (the workers fork at the first submit).
    gc.freeze()
    _release_free_memory()
    try:
        yield executor
    except BaseException:
        for process in list(getattr(executor, "_processes", {}).values()):
            process.kill()  # nothing of theirs is kept: no need to let them clean up
        # A worker killed while sending a result leaves half a message in the result pipe,
        # and the pool's thread waits for the rest forever (and the interpreter, at exit,
        # for that thread). Closing this process's end for writing lets that read end once
        # the workers' ends are gone with them.
        writer = getattr(getattr(executor, "_result_queue", None), "_writer", None)
        if writer is not None:
            writer.close()
        # The pool's thread now finds the pool broken and fails the futures left: let it
        # finish before they are cancelled here (it cannot fail a cancelled future).
        manager = getattr(executor, "_executor_manager_thread", None)
        if manager is not None:
            manager.join(STOP_TIMEOUT)
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    else:
        executor.shutdown(wait=True)
    finally:
        _inherited = None
        gc.unfreeze()


def call_inherited(item: Any) -> Any:
    """In a forked worker: ``function(*args, item)`` with what :func:`worker_processes`
    was given, inherited from the parent process rather than sent."""
    assert _inherited is not None, "call_inherited runs only in forked workers"
    function, args = _inherited
    return function(*args, item)


def _release_free_memory() -> None:
    """Give memory freed so far back to the system (glibc keeps it otherwise), so the
    workers do not start with its pages."""
    import contextlib
    import ctypes

    with contextlib.suppress(OSError, AttributeError):  # AttributeError: not glibc
        ctypes.CDLL(None).malloc_trim(0)


def _worker_started() -> None:
    """In each worker: Ctrl-C is the parent's to handle (it stops the workers), and
    SIGTERM ends the worker at once, whatever handler it inherited from the parent."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Done(NamedTuple):
    """Results of a chunk worked through in this process, waiting their turn."""

    results: list[Any]


def _dask_client(scheduler: str | None) -> Any:
    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if not address:
        raise TextkitError(
            "--backend dask needs a scheduler address",
            hint=f"pass --scheduler tcp://HOST:PORT or set {SCHEDULER_ENV}",
        )
    try:
        from distributed import Client
    except ImportError:
        raise TextkitError(
            "the dask backend needs the dask extra", hint="pip install 'textkit[dask]'"
        ) from None
    try:
        return Client(address, timeout="10s")
    except OSError as exc:
        raise TextkitError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    except ValueError as exc:  # "missing port number in address 'bogus'" and the like
        raise TextkitError(
            f"not a Dask scheduler address: {address!r} ({exc})",
            hint="pass --scheduler tcp://HOST:PORT",
        ) from None
