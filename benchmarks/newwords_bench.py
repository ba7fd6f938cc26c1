"""New-word discovery: keyword F1@5 on the CSL abstracts with and without the words found,
the words found on CSL and on waimai reviews, and memory and time on a large corpus.

Keywords: for each half of the 1,000 CSL abstracts (1-500, 501-1000), the words are found
in that half's abstracts, as a user would run ``textkit newwords`` on the documents they
then extract keywords from, and F1@5 (benchmarks.keywords_quality's scorer) is compared
with the same extraction without them; with the default ``--compounds`` (new words and
the terms made of dictionary words that the abstracts use as one unit) and with
``--no-compounds`` (new words only). ``--large MB`` also builds a corpus of that many
megabytes (THUCNews titles and waimai reviews, shuffled and repeated, with random
characters swapped so that it is not only repetition) and runs ``textkit newwords`` on it,
reporting wall time and peak RSS.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import DATA, print_table
from benchmarks.keywords_quality import CSL, load_csl, micro_f1

WAIMAI = DATA / "waimai_10k" / "waimai_10k.csv"
TITLES = DATA / "thucnews" / "train.txt"


def _textkit(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "textkit", *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _f1(part: list[tuple[str, list[str]]], user_dict: Path | None) -> float:
    """Keyword F1@5 on ``part`` (abstract, gold keywords), through extract_many as the
    command runs it."""
    from textkit.keywords.extractor import KeywordExtractor

    extractor = KeywordExtractor(user_dict=user_dict)
    found = extractor.extract_many([text for text, _ in part], 5)
    return micro_f1([[w for w, _ in kw] for kw in found], [gold for _, gold in part], 5)


def f1_rows(folder: Path) -> list[tuple[str, ...]]:
    docs = load_csl()
    half = len(docs) // 2
    rows: list[tuple[str, ...]] = []
    for name, part in (("1-500", docs[:half]), (f"{half + 1}-{len(docs)}", docs[half:])):
        corpus = folder / f"csl-{name}.txt"
        corpus.write_text("".join(text + "\n" for text, _ in part), encoding="utf-8")
        without = _f1(part, None)
        for flag, what in (("--compounds", "new words and terms"), ("--no-compounds", "new words")):
            words = folder / f"words-{name}{flag}.txt"
            _textkit("newwords", "--lines", str(corpus), flag, "-o", str(words))
            found = len(words.read_text(encoding="utf-8").splitlines())
            score = _f1(part, words)
            rows.append(
                (
                    f"CSL {name}: keyword F1@5 with the {found} {what} ({flag}) of these abstracts",
                    f"{score:.4f}",
                    f"{without:.4f} (without)",
                    f"{score - without:+.4f}",
                )
            )
    return rows


def top_words(folder: Path, top: int = 30) -> None:
    """Print the top words found on the CSL abstracts and on the waimai reviews."""
    sources = {"CSL abstracts (1,000)": [text for text, _ in load_csl()]}
    if WAIMAI.exists():
        with open(WAIMAI, encoding="utf-8") as handle:
            sources["waimai reviews (11,987)"] = [row["review"] for row in csv.DictReader(handle)]
    for name, texts in sources.items():
        corpus = folder / "top.txt"
        corpus.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
        words = folder / "top-words.txt"
        _textkit("newwords", "--lines", str(corpus), "--top", str(top), "-o", str(words))
        found = [line.split()[0] for line in words.read_text(encoding="utf-8").splitlines()]
        print(f"top {top} on {name}: {' '.join(found)}")


def large_corpus(path: Path, megabytes: int, seed: int = 0) -> None:
    """THUCNews titles and waimai reviews, shuffled, repeated, one character in 20 swapped
    for a random one of the corpus, written until ``megabytes`` MB."""
    rng = random.Random(seed)
    lines = []
    with open(TITLES, encoding="utf-8") as handle:
        lines += [line.split("\t")[0] for line in handle]
    with open(WAIMAI, encoding="utf-8") as handle:
        lines += [row["review"].replace("\n", " ") for row in csv.DictReader(handle)]
    alphabet = sorted({c for line in lines for c in line})
    limit = megabytes * 1_000_000
    written = 0
    with open(path, "w", encoding="utf-8") as out:
        while written < limit:
            rng.shuffle(lines)
            for line in lines:
                chars = list(line)
                for i in range(len(chars)):
                    if rng.random() < 0.05:
                        chars[i] = rng.choice(alphabet)
                text = "".join(chars) + "\n"
                out.write(text)
                written += len(text.encode("utf-8"))
                if written >= limit:
                    break


def large_rows(folder: Path, megabytes: int) -> list[tuple[str, ...]]:
    corpus = folder / "large.txt"
    large_corpus(corpus, megabytes)
    words = folder / "large-words.txt"
    start = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    _textkit("newwords", "--lines", str(corpus), "-o", str(words))
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KiB -> MiB
    note = "" if peak > before / 1024 else " (an earlier child's peak)"
    size = corpus.stat().st_size / 1e6
    return [
        (
            f"newwords on {size:.0f} MB of generated text: peak RSS (MiB){note}",
            f"{peak:.0f}",
            f"{seconds:.0f} s wall",
            "-",
        )
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=0, metavar="MB", help="large-corpus run")
    parser.add_argument("--top", action="store_true", help="print the top 30 words found")
    args = parser.parse_args(argv if argv is not None else [])
    if not CSL.exists():
        print(f"skipped: {CSL} not found")
        return
    with tempfile.TemporaryDirectory(prefix="textkit-bench-") as tmp:
        folder = Path(tmp)
        rows = f1_rows(folder)
        if args.large and WAIMAI.exists() and TITLES.exists():
            rows += large_rows(folder, args.large)
        print_table(rows)
        if args.top:
            top_words(folder)


if __name__ == "__main__":
    main(sys.argv[1:])
