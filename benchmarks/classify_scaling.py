"""train-lr as classes and rows grow: fit time against scikit-learn's LinearSVC on the same
features, and the peak memory of whole `textkit train-lr` runs.

Data, for timing and memory only (its labels are a synthetic relabelling, no accuracy is
claimed on it): documents of 12 THUCNews titles joined by "。" (about 250 characters, the
length of an app description), drawn from 119 "sub-topics" = THUCNews class x a hash
bucket of a title's first word; 3,024 documents, the shape of FewCLUE's IFLYTEK task
(119 classes). Fewer classes merge sub-topics (sub-topic number modulo 2 or 15). More rows:
each document plus 3 or 15 copies from textkit.augment (4x and 16x rows), written to the
training file (what `textkit augment` then `train-lr` does); 16x also as `train-lr --augment
15` on the 1x file (copies made inside training, counted with their original for the
vocabulary).

Fit time: the same process featurizes once, then fits LinearSVC() (its defaults) and
train-lr's model at a fixed C (C=10, the fit `-C 10` makes) in turns; the ratio is the
median over rounds (3 at 1x rows, 1 at 4x and 16x). Whole runs (`textkit train-lr FILE -o
M -q`, with `-C 10` and with the default `-C auto`) report wall time and peak memory: of
the whole process tree (proportional set size, sampled every 50 ms; worker processes
included) and the peak RSS of its largest single process.

    python -m benchmarks.classify_scaling            # classes 2/15/119 at 1x, rows 1x/4x/16x
    python -m benchmarks.classify_scaling --quick    # 1x only, one round
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
import zlib
from pathlib import Path

from benchmarks.classify_bench import THUC
from benchmarks.classify_common import run_measured, table

DOCS = 3024
TITLES_PER_DOC = 12
BUCKETS = 12
SUBTOPICS = 119

TIMER = """
import statistics, sys, time, warnings
import numpy as np
from scipy import sparse
from sklearn.svm import LinearSVC
from textkit.classify.features import Featurizer
from textkit.classify.training import TrainConfig, fit_features
path, rounds = sys.argv[1], int(sys.argv[2])
rows = [line.rstrip("\\n").rsplit("\\t", 1) for line in open(path, encoding="utf-8")]
texts, labels = [r[0] for r in rows], [r[1] for r in rows]
featurizer = Featurizer()
matrix = featurizer.fit_transform(texts)
x = sparse.csr_matrix(matrix, shape=(len(texts), featurizer.n_features))
svc, tk = [], []
warnings.simplefilter("ignore")
for _ in range(rounds):
    start = time.perf_counter(); LinearSVC().fit(x, labels); svc.append(time.perf_counter() - start)
    start = time.perf_counter(); fit_features(featurizer, matrix, labels, TrainConfig(C=10))
    tk.append(time.perf_counter() - start)
ratio = statistics.median(a / b for a, b in zip(tk, svc))
print(statistics.median(svc), statistics.median(tk), ratio, featurizer.n_features, x.nnz)
"""


def documents() -> tuple[list[str], list[int]]:
    """The 1x documents and their sub-topic numbers (0 .. 118)."""
    pools: dict[int, list[str]] = {}
    from textkit.text.fastcut import default_engine

    cut = default_engine().cut
    for name in ("train", "dev", "test"):
        for line in (THUC / f"{name}.txt").read_text(encoding="utf-8").splitlines():
            title, _, label = line.rpartition("\t")
            words = [w for w in cut(title) if w.strip()]
            bucket = zlib.crc32(words[0].encode("utf-8")) % BUCKETS if words else 0
            pools.setdefault(int(label) * BUCKETS + bucket, []).append(title)
    subtopics = sorted(pools)[:SUBTOPICS]
    rng = random.Random(0)
    texts, topics = [], []
    for i in range(DOCS):
        topic = i % SUBTOPICS
        texts.append("。".join(rng.sample(pools[subtopics[topic]], TITLES_PER_DOC)))
        topics.append(topic)
    return texts, topics


def write(path: Path, texts: list[str], labels: list[str], copies: int) -> None:
    from textkit.augment.eda import AugmentConfig, Augmenter

    augmenter = Augmenter(AugmentConfig(num_aug=copies, seed=0)) if copies else None
    with open(path, "w", encoding="utf-8") as handle:
        for i, (text, label) in enumerate(zip(texts, labels, strict=True)):
            made = augmenter.augment(text, i) if augmenter else []
            for row in [text, *made]:
                handle.write(f"{' '.join(row.split())}\t{label}\n")


def fit_times(path: Path, rounds: int) -> dict[str, float]:
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", TIMER, str(path), str(rounds)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    svc, tk, ratio, features, nnz = map(float, out)
    return {"svc": svc, "textkit": tk, "ratio": ratio, "features": features, "nnz": nnz}


def train_run(data: Path, model: Path, *extra: str) -> dict[str, float]:
    cmd = [sys.executable, "-m", "textkit", "train-lr", str(data), "-o", str(model), "-q"]
    return run_measured([*cmd, *extra])


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    quick = "--quick" in args
    if not (THUC / "test.txt").exists():
        print(f"skipped: THUCNews not found under {THUC}")
        return
    texts, topics = documents()
    cells = [(2, 0), (15, 0), (119, 0)] + ([] if quick else [(119, 3), (119, 15)])
    rows: list[tuple[str, ...]] = []
    done = 0
    with tempfile.TemporaryDirectory() as tmp:
        for classes, copies in cells:
            labels = [f"t{t % classes}" for t in topics]
            data = Path(tmp) / f"c{classes}x{copies}.tsv"
            write(data, texts, labels, copies)
            model = Path(tmp) / "m.model"
            started = time.perf_counter()
            timing = fit_times(data, 1 if quick or copies else 3)
            fixed = train_run(data, model, "-C", "10")
            auto = train_run(data, model)
            name = f"{classes} classes, {DOCS * (1 + copies):,} rows ({1 + copies}x)"
            rows.append(_row(name, timing, fixed, auto))
            if copies == 15:
                small = Path(tmp) / f"c{classes}x0.tsv"
                write(small, texts, labels, 0)
                inside = train_run(small, model, "-C", "10", "--augment", "15")
                rows.append(
                    ("  same, --augment 15 -C 10 on the 1x file", "-", "-", "-", *_run(inside), "-")
                )
            print(f"  {name}: {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
            for row in rows[done:]:  # the table comes at the end: each row as it is measured
                print("  " + " | ".join(row), file=sys.stderr, flush=True)
            done = len(rows)
    table(
        (
            "data",
            "LinearSVC fit (s)",
            "textkit fit, C=10 (s)",
            "ratio (median)",
            "train-lr -C 10: wall (s)",
            "peak tree / process (MiB)",
            "train-lr default: wall (s) / peak tree (MiB)",
        ),
        rows,
    )
    print(
        "fit = model fit on the same features in the same process (featurizing excluded); "
        "train-lr = the whole command (reading, featurizing, fitting, saving)"
    )


def _run(measured: dict[str, float]) -> tuple[str, str]:
    return (
        f"{measured['wall']:.1f}",
        f"{measured['tree_mib']:.0f} / {measured['process_mib']:.0f}",
    )


def _row(
    name: str, timing: dict[str, float], fixed: dict[str, float], auto: dict[str, float]
) -> tuple[str, ...]:
    return (
        f"{name}, {timing['features']:,.0f} features",
        f"{timing['svc']:.1f}",
        f"{timing['textkit']:.1f}",
        f"{timing['ratio']:.2f}x",
        *_run(fixed),
        f"{auto['wall']:.1f} / {auto['tree_mib']:.0f}",
    )


if __name__ == "__main__":
    main()
