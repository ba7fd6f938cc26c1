"""Worker pools: order, bounded chunks, per-worker resources, crashes, error transport."""

from __future__ import annotations

import os
import pickle
import time

import pytest

from textkit.errors import InputError, TextkitError
from textkit.io import parallel
from textkit.io.parallel import chunked, map_chunked, worker_cache


def square_with_pid(config, chunk):
    offset = worker_cache(("offset", config), lambda: config)
    return [(x * x + offset, os.getpid()) for x in chunk]


def crash(parent, chunk):
    if os.getpid() != parent:  # a worker dies; the calling process works on meanwhile
        os._exit(3)
    return list(chunk)


def fail_typed(config, chunk):
    raise InputError("doc.txt", "bad document")


def test_chunked():
    assert list(chunked(range(5), 2)) == [[0, 1], [2, 3], [4]]


def test_serial_and_parallel_give_the_same_ordered_output():
    serial = [v for v, _ in map_chunked(square_with_pid, 1, range(1000), jobs=1, chunk_size=7)]
    results = list(map_chunked(square_with_pid, 1, range(1000), jobs=2, chunk_size=7))
    assert [v for v, _ in results] == serial == [x * x + 1 for x in range(1000)]
    assert {pid for _, pid in results} - {os.getpid()}  # really ran in workers


def test_a_job_shorter_than_the_warmup_never_starts_workers(monkeypatch):
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 60.0)
    results = list(map_chunked(square_with_pid, 1, range(1000), jobs=2, chunk_size=7))
    assert [v for v, _ in results] == [x * x + 1 for x in range(1000)]
    assert {pid for _, pid in results} == {os.getpid()}


def slow_square_with_pid(config, chunk):
    time.sleep(0.05)
    return square_with_pid(config, chunk)


def test_a_longer_job_moves_from_the_warmup_to_workers_in_order(monkeypatch):
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 0.12)  # a few 0.05 s chunks, then the workers
    monkeypatch.setattr(parallel, "HORIZON", 0.2)  # 1 s of work remains: more than that
    results = list(map_chunked(slow_square_with_pid, 1, range(200), jobs=2, chunk_size=10))
    assert [v for v, _ in results] == [x * x + 1 for x in range(200)]
    pids = [pid for _, pid in results]
    assert pids[:20] == [os.getpid()] * 20  # the warm-up's chunks ran here
    assert set(pids) - {os.getpid()}  # the rest mostly in workers


def test_this_process_works_on_while_the_workers_start(monkeypatch):
    """Starting the workers takes about a second; meanwhile this process does not wait
    idle: it works through the next chunks itself, in order with the workers' results."""
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "HORIZON", 0.0)
    results = list(map_chunked(slow_square_with_pid, 1, range(400), jobs=2, chunk_size=5))
    assert [v for v, _ in results] == [x * x + 1 for x in range(400)]
    pids = [pid for _, pid in results]
    here = [i for i, pid in enumerate(pids) if pid == os.getpid()]
    assert here and here[-1] > 5 * 2 * 2  # beyond the chunks handed to the starting workers
    assert set(pids) - {os.getpid()}


def test_a_job_ending_within_the_horizon_after_the_warmup_stays_here(monkeypatch):
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 0.12)
    monkeypatch.setattr(parallel, "HORIZON", 5.0)  # the 1 s of work left is read ahead
    results = list(map_chunked(slow_square_with_pid, 1, range(200), jobs=2, chunk_size=10))
    assert [v for v, _ in results] == [x * x + 1 for x in range(200)]
    assert {pid for _, pid in results} == {os.getpid()}


def test_read_ahead_is_weighed_by_cost(monkeypatch):
    """The horizon counts work by the chunks' cost, not their length: the same 200 items,
    costing 1 each and then 1,000 each after the warm-up, end up in workers."""
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 0.12)
    monkeypatch.setattr(parallel, "HORIZON", 5.0)
    results = list(
        map_chunked(
            slow_square_with_pid,
            1,
            range(200),
            jobs=2,
            chunk_size=10,
            cost=lambda x: 1 if x < 50 else 1000,
            budget=10**9,
        )
    )
    assert [v for v, _ in results] == [x * x + 1 for x in range(200)]
    assert {pid for _, pid in results} != {os.getpid()}


def test_crashed_worker_is_reported_not_hung():
    with pytest.raises(TextkitError, match="worker process died"):
        list(map_chunked(crash, os.getpid(), range(10), jobs=2, chunk_size=1))


def test_typed_errors_cross_process_boundaries():
    with pytest.raises(InputError) as info:
        list(map_chunked(fail_typed, None, range(4), jobs=2, chunk_size=2))
    assert str(info.value) == "doc.txt: bad document"
    assert info.value.source == "doc.txt"


def test_errors_pickle_round_trip():
    error = InputError("a.txt", "broken", hint="fix it")
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), str(copy), copy.source, copy.hint) == (
        InputError,
        "a.txt: broken (fix it)",
        "a.txt",
        "fix it",
    )


def test_chunks_bounded_by_cost():
    chunks = list(chunked(["a" * 5, "b", "c", "d" * 10, "e"], 100, cost=len, budget=6))
    assert chunks == [["aaaaa", "b"], ["c", "d" * 10], ["e"]]


def test_chunks_grow_from_first_to_size():
    from textkit.io.parallel import chunked

    sizes = [len(c) for c in chunked(range(30), 8, first=2)]
    assert sizes == [2, 4, 8, 8, 8]
    assert [len(c) for c in chunked(range(30), 8, cost=lambda _: 1, budget=100, first=2)] == sizes
    # the character budget still closes a chunk early
    assert [len(c) for c in chunked(range(10), 8, cost=lambda _: 3, budget=6, first=4)] == [
        2, 2, 2, 2, 2
    ]  # fmt: skip
    assert [list(c) for c in chunked(range(5), 8, first=16)] == [[0, 1, 2, 3, 4]]


def add_offset(offset, item):
    return item + offset.value


class _Unpicklable:
    """Stands for a loaded resource that cannot (or should not) be sent to a worker."""

    def __init__(self, value):
        self.value = value

    def __reduce__(self):
        raise TypeError("not picklable")


@pytest.mark.skipif(not parallel.forks(), reason="workers are forked on Linux only")
def test_forked_workers_inherit_what_they_are_given_instead_of_receiving_it():
    shared = (add_offset, (_Unpicklable(100),))
    with parallel.worker_processes(2, shared) as executor:
        futures = [executor.submit(parallel.call_inherited, i) for i in range(6)]
        assert [f.result() for f in futures] == [100, 101, 102, 103, 104, 105]


@pytest.mark.skipif(not parallel.forks(), reason="workers are forked on Linux only")
def test_an_error_in_the_caller_stops_the_workers_at_once():
    with pytest.raises(KeyboardInterrupt), parallel.worker_processes(2) as executor:
        executor.submit(time.sleep, 60)
        processes = list(executor._processes.values())
        raise KeyboardInterrupt
    # Process.join would race with the pool's own thread to reap them: watch /proc instead
    deadline = time.monotonic() + 10
    while any(_running(p.pid) for p in processes) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(p.pid) for p in processes)


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a zombie has ended)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not parallel.forks(), reason="workers are forked on Linux only")
def test_a_worker_ends_on_sigterm_whatever_handler_it_inherited():
    """Forked under the CLI's SIGTERM handler (it raises, and a worker catches what its
    task raises), a worker lived on after SIGTERM."""
    import signal

    from textkit import cli

    previous = signal.signal(signal.SIGTERM, cli._on_sigterm)  # as `textkit` runs
    try:
        with parallel.worker_processes(1) as executor:
            pid = executor.submit(os.getpid).result()  # the worker is up
            executor.submit(time.sleep, 60)
            time.sleep(0.2)  # in its task
            os.kill(pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while _running(pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not _running(pid)
    except Exception as exc:  # the pool notices its worker died: that is expected
        assert "BrokenProcessPool" in type(exc).__name__
    finally:
        signal.signal(signal.SIGTERM, previous)


_STOP_WHILE_SENDING = """
import sys
from textkit.io import parallel

parallel.WARMUP = 0.0


def big(config, chunk):
    return ["x" * 200_000 for _ in chunk]  # results larger than a pipe holds


results = parallel.map_chunked(big, None, range(10**6), jobs=2, chunk_size=20)
for n, _ in enumerate(results):
    if n == 200:
        break  # as a closed pipe (| head) stops the CLI
results.close()
print("stopped")
"""


@pytest.mark.skipif(not parallel.forks(), reason="workers are forked on Linux only")
def test_stopping_while_workers_send_results_does_not_hang_at_exit():
    """A worker killed halfway through sending a result left the pool's thread waiting for
    the rest of it, and the interpreter waiting for that thread at exit."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", _STOP_WHILE_SENDING],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": os.getcwd()},
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "stopped\n", "")
