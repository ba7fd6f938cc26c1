"""Shared benchmark helpers: data location, timing, the result table."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"


def median_wall(cmd: list[str], runs: int = 7, stdin: bytes | None = None) -> float:
    """Median wall time of a whole process, in seconds (one warm-up run first).

    A failing command raises: its (short) time would otherwise pass for a fast one.
    """

    def once() -> None:
        subprocess.run(
            cmd, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True
        )

    once()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        once()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def median_ratio(first: list[str], second: list[str], runs: int = 5) -> tuple[float, float, float]:
    """Median wall times of two commands run in turns, and the median of the per-round
    ratios first/second: on a shared machine whose speed drifts, each ratio compares runs
    made seconds apart."""
    times: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(runs):
        for which, cmd in enumerate((first, second)):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
            times[which].append(time.perf_counter() - start)
    ratios = [a / b for a, b in zip(times[0], times[1], strict=True)]
    return statistics.median(times[0]), statistics.median(times[1]), statistics.median(ratios)


def print_table(rows: list[tuple[str, ...]]) -> None:
    """Rows of (figure, textkit, anchor, ratio[, note]), aligned in columns."""
    header: tuple[str, ...] = ("figure", "textkit", "anchor", "ratio", "note")
    size = max(len(r) for r in rows) if rows else 4
    header = header[:size]
    rows = [(*r, *[""] * (size - len(r))) for r in rows]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(size)]
    for row in [header, *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    sys.stdout.flush()
