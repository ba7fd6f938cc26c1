"""train-lr --streaming on THUCNews: accuracy against the in-memory default, flat memory.

`textkit train-lr` processes in the same run, each reporting its own peak RSS
(``resource.getrusage``): the in-memory default and ``--streaming`` (default settings) on
train.txt + dev.txt, both scored on test.txt; then ``--streaming --epochs 1`` on the same
rows and on them repeated 10 times, for memory (every pass holds the same buffers, so one
epoch shows the peak and keeps the 10x run short). Skipped when the data is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import DATA, print_table

THUC = DATA / "thucnews"
SCALE = 10

PROBE = """
import resource, sys
from textkit.cli import app
try:
    app(sys.argv[1:])
except SystemExit as exc:
    code = exc.code or 0
else:
    code = 0
print("maxrss_kib", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
sys.exit(code)
"""


def _train(args: list[str]) -> dict[str, float]:
    """Run `textkit train-lr ARGS` in a fresh process: wall time and peak RSS (MiB)."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, "train-lr", *args, "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"train-lr {' '.join(args)} failed: {proc.stderr.strip()}")
    rss = int(proc.stderr.strip().splitlines()[-1].split()[-1])
    return {"wall": wall, "rss": rss / 1024}


def _accuracy(model_path: Path) -> float:
    from textkit.classify.model import TextClassifier

    model = TextClassifier.load(model_path)
    texts, gold = [], []
    for line in (THUC / "test.txt").read_text(encoding="utf-8").splitlines():
        text, _, label = line.rpartition("\t")
        texts.append(text)
        gold.append(label)
    proba = model.predict_proba(texts)
    right = sum(model.classes[i] == g for i, g in zip(proba.argmax(axis=1), gold, strict=True))
    return right / len(gold)


def main() -> None:
    if not all((THUC / f"{name}.txt").exists() for name in ("train", "dev", "test")):
        print(f"skipped: THUCNews not found under {THUC}")
        return
    train = [str(THUC / "train.txt"), str(THUC / "dev.txt")]
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / f"train_x{SCALE}.tsv"
        rows = "".join(Path(p).read_text(encoding="utf-8") for p in train)
        big.write_text(rows * SCALE, encoding="utf-8")
        del rows
        memory_model, stream_model = Path(tmp) / "memory.model", Path(tmp) / "stream.model"
        memory = _train([*train, "-o", str(memory_model)])
        stream = _train([*train, "-o", str(stream_model), "--streaming"])
        one = ["--streaming", "--epochs", "1", "-o", os.path.join(tmp, "one.model")]
        stream_one = _train([*train, *one])
        stream_big = _train([str(big), *one])
        memory["accuracy"] = _accuracy(memory_model)
        stream["accuracy"] = _accuracy(stream_model)
        size = stream_model.stat().st_size / 2**20
    gap = stream["accuracy"] - memory["accuracy"]
    rss_ratio = stream_big["rss"] / stream_one["rss"]
    print_table(
        [
            (
                "THUCNews test accuracy, --streaming vs in-memory default",
                f"{stream['accuracy']:.4f}",
                f"{memory['accuracy']:.4f}",
                f"{gap * 100:+.2f} pt",
            ),
            (
                "train-lr wall time, whole process (s)",
                f"{stream['wall']:.1f}",
                f"{memory['wall']:.1f}",
                f"{stream['wall'] / memory['wall']:.2f}x",
            ),
            (
                f"peak RSS (MiB), --streaming --epochs 1, 1x vs {SCALE}x data",
                f"{stream_one['rss']:.0f} / {stream_big['rss']:.0f}",
                f"{memory['rss']:.0f} (in-memory 1x)",
                f"{rss_ratio:.2f}x",
            ),
            (
                f"--streaming --epochs 1 wall time, 1x vs {SCALE}x data (s)",
                f"{stream_one['wall']:.1f} / {stream_big['wall']:.1f}",
                "-",
                f"{stream_big['wall'] / stream_one['wall']:.1f}x",
            ),
            (
                "peak RSS (MiB), --streaming default (5 epochs) 1x",
                f"{stream['rss']:.0f}",
                "-",
                "-",
            ),
            ("--streaming model file (MiB)", f"{size:.1f}", "-", "-"),
        ]
    )


if __name__ == "__main__":
    main()
