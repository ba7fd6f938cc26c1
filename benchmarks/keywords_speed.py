"""Keyword speed next to a jieba.analyse.extract_tags loop, in the same run.

Whole process: ``textkit keywords --lines FILE`` (the default: key phrases, rjieba) and a
Python process running ``jieba.analyse.extract_tags`` over the same lines, alternated over
rounds (the machine is shared): median wall time and CPU time of each, and the median of
the per-round ratios. On 1,000 CSL abstracts and 10,000 THUCNews titles.

In one process, resources loaded before timing: documents/s of the batch path
(the collection IDF learned on the start of the input, then ``extract_columns`` over chunks
of BATCH_SIZE: what the command does), of ``extract()``
text by text, of ``--jieba-compat``, and of rjieba tokenizing alone (a ceiling for any
keyword code on this tokenizer), against the extract_tags loop.

Then ``-j 2`` against ``-j 1`` on a job of about 15 s (THUCNews titles, repeated), wall
time, alternated; and a run on 3 abstracts (start-up).

``--quick``: fewer rounds, no ``-j`` job.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.common import DATA, median_wall, print_table
from benchmarks.keywords_quality import CSL, load_csl

TITLES = DATA / "thucnews" / "train.txt"
JIEBA_LOOP = """
import sys, jieba, jieba.analyse
jieba.setLogLevel(60)
for line in open(sys.argv[1], encoding="utf-8"):
    jieba.analyse.extract_tags(line.strip(), topK=10, withWeight=True)
"""
TEXTKIT = [sys.executable, "-m", "textkit", "keywords", "--lines", "-q"]


def _timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds (children's user + system) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _alternated(
    commands: dict[str, list[str]], rounds: int
) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU) of each command per round, the commands run in turns."""
    for cmd in commands.values():  # warm up: caches, .pyc files, the page cache
        _timed(cmd)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, cmd in commands.items():
            times[name].append(_timed(cmd))
    return times


def _median_ratio(anchor: list[float], other: list[float]) -> float:
    return statistics.median(a / b for a, b in zip(anchor, other, strict=True))


def whole_process(corpora: dict[str, Path], rounds: int, folder: Path) -> list[tuple[str, ...]]:
    loop = folder / "jieba_loop.py"
    loop.write_text(JIEBA_LOOP, encoding="utf-8")
    rows = []
    for corpus, path in corpora.items():
        times = _alternated(
            {"textkit": [*TEXTKIT, str(path)], "jieba": [sys.executable, str(loop), str(path)]},
            rounds,
        )
        for what, i in (("wall", 0), ("CPU", 1)):
            ours = [t[i] for t in times["textkit"]]
            theirs = [t[i] for t in times["jieba"]]
            rows.append(
                (
                    f"{corpus}: whole process, {what} (s)",
                    f"{statistics.median(ours):.2f}",
                    f"{statistics.median(theirs):.2f} (extract_tags loop)",
                    f"{_median_ratio(theirs, ours):.2f}x",
                )
            )
    return rows


def in_process(texts_of: dict[str, list[str]], rounds: int) -> list[tuple[str, ...]]:
    import jieba
    import jieba.analyse

    from textkit.keywords.extractor import BATCH_SIZE, KeywordExtractor

    jieba.setLogLevel(60)
    default = KeywordExtractor()
    compat = KeywordExtractor(jieba_compat=True)

    def each(fn: Callable[[str], object]) -> Callable[[list[str]], object]:
        return lambda texts: [fn(text) for text in texts]

    command = KeywordExtractor()

    def batches(texts: list[str]) -> None:
        command.learn_collection(texts)  # the collection IDF, from the start of the input
        for start in range(0, len(texts), BATCH_SIZE):
            command.extract_columns(texts[start : start + BATCH_SIZE])

    systems: dict[str, Callable[[list[str]], object]] = {
        "jieba": each(lambda t: jieba.analyse.extract_tags(t, topK=10, withWeight=True)),
        "batch": batches,
        "one by one": each(default.extract),
        "compat": each(compat.extract),
        "cut": each(lambda t: default.tokenizer.cut(t, keep_spaces=True)),
    }
    first = next(iter(texts_of.values()))
    for fn in systems.values():  # warm up: dictionaries, tables, caches
        fn(first[:300])
    rows = []
    for corpus, texts in texts_of.items():
        rates: dict[str, list[float]] = {name: [] for name in systems}
        for _ in range(rounds):
            for name, fn in systems.items():
                start = time.process_time()
                fn(texts)
                rates[name].append(len(texts) / max(time.process_time() - start, 1e-9))
        for name, label in (
            ("batch", "in one process, batches as the command runs them"),
            ("one by one", "in one process, extract() text by text"),
            ("compat", "in one process, --jieba-compat"),
            ("cut", "in one process, rjieba tokenizing alone"),
        ):
            rows.append(
                (
                    f"{corpus}: {label} (docs/CPU s)",
                    f"{statistics.median(rates[name]):.0f}",
                    f"{statistics.median(rates['jieba']):.0f} (extract_tags loop)",
                    f"{_median_ratio(rates[name], rates['jieba']):.2f}x",
                )
            )
    return rows


def parallel(titles: list[str], folder: Path) -> list[tuple[str, ...]]:
    big = folder / "titles_big.txt"
    big.write_text("\n".join(titles * 12) + "\n", encoding="utf-8")
    times = _alternated(
        {"1": [*TEXTKIT, "-j", "1", str(big)], "2": [*TEXTKIT, "-j", "2", str(big)]}, 2
    )
    one = [t[0] for t in times["1"]]
    two = [t[0] for t in times["2"]]
    return [
        (
            f"{len(titles) * 12:,} titles: -j 2 against -j 1, wall (s)",
            f"{statistics.median(two):.1f}",
            f"{statistics.median(one):.1f} (-j 1)",
            f"{_median_ratio(one, two):.2f}x",
        )
    ]


def main() -> None:
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    quick = "--quick" in sys.argv
    rounds = 3 if quick else 7
    abstracts = [" ".join(text.split()) for text, _ in load_csl()]
    texts_of = {"1,000 CSL abstracts": abstracts}
    titles: list[str] = []
    if TITLES.exists():
        with open(TITLES, encoding="utf-8") as handle:
            titles = [line.split("\t")[0] for line in handle]
        texts_of["10,000 THUCNews titles"] = titles[:10_000]
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)  # start-up as users have it: with .pyc
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        corpora = {}
        for corpus, texts in texts_of.items():
            path = folder / f"{len(corpora)}.txt"
            path.write_text("\n".join(texts) + "\n", encoding="utf-8")
            corpora[corpus] = path
        rows = whole_process(corpora, rounds, folder)
        rows += in_process(texts_of, rounds)
        if titles and not quick:
            rows += parallel(titles[:25_000], folder)
        small = folder / "small.txt"
        small.write_text("\n".join(abstracts[:3]) + "\n", encoding="utf-8")
        wall = median_wall([sys.executable, "-m", "textkit", "keywords", str(small)], runs=5)
        rows.append(("textkit keywords small.txt, 3 abstracts (s)", f"{wall:.3f}", "-", "-"))
    print_table(rows)


if __name__ == "__main__":
    main()
