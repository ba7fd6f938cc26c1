"""Helpers shared by the classify benchmarks: FewCLUE data, a plain table, peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

from benchmarks.common import DATA

FEWCLUE = DATA / "fewclue"
Split = tuple[list[str], list[str]]


def fewclue(task: str, name: str) -> Split:
    """Texts and labels of a FewCLUE file (``label_desc`` where it has one)."""
    texts, labels = [], []
    with open(FEWCLUE / task / f"{name}.json", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            texts.append(row["sentence"])
            labels.append(str(row.get("label_desc") or row["label"]))
    return texts, labels


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    """Left-aligned columns, two spaces apart."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    sys.stdout.flush()


def _descendants_pss(root: int) -> int:
    """Proportional set size of all descendants of ``root`` (from /proc): resident bytes,
    pages shared between processes (libraries, memory maps) counted once in all."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as handle:
                    parents[int(entry)] = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
    family, grew = {root}, True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in family and pid not in family:
                family.add(pid)
                grew = True
    total = 0
    for pid in family - {root}:
        try:
            with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except (OSError, ValueError, IndexError):
            continue
    return total


# Runs the command and prints the largest resident size of its process tree's members
# (the kernel's maxrss over waited-for descendants), in KiB.
_PROBE = (
    "import resource, subprocess, sys;"
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode;"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss);"
    "sys.exit(code)"
)


def run_measured(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd``: wall seconds, peak memory of its whole process tree (proportional set
    size, sampled every 50 ms) and peak RSS of its largest single process, in MiB. Fails
    on a non-zero exit code."""
    start = time.perf_counter()
    probe = subprocess.Popen(
        [sys.executable, "-c", _PROBE, *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    peak = 0
    while probe.poll() is None:
        peak = max(peak, _descendants_pss(probe.pid))
        time.sleep(0.05)
    wall = time.perf_counter() - start
    out, err = probe.communicate()
    if probe.returncode != 0:
        message = err.decode("utf-8", "replace").strip()[-500:]
        raise RuntimeError(f"{' '.join(cmd)} failed: {message}")
    largest = int(out.split()[-1]) / 1024
    return {"wall": wall, "tree_mib": peak / 2**20, "process_mib": largest}
