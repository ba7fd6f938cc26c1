"""Key-sentence quality and speed: ``textkit summarize`` against Lead, TextRank4ZH, SnowNLP.

Quality on ``csl_ts/dev.tsv`` (abstracts of Chinese papers, ``to title<TAB>abstract<TAB>
title``): the summary is scored against the title with character-level ROUGE-1/2/L F1
(punctuation and whitespace dropped), at two budgets:

* one sentence: ``-n 1``; the other systems' best sentence;
* the title's length in characters: ``max_chars=len(title)`` for textkit; the other systems'
  best sentence, and the abstract itself for Lead, cut at that length.

Lines 1-500 and 501-1000 are reported apart (the second half as held-out data).
TextRank4ZH and SnowNLP run under another interpreter (TextRank4ZH needs networkx<3): pass it
with ``--anchor-python`` or ``TEXTKIT_ANCHOR_PYTHON``; without it their rows are skipped.

A second kind of text: documents of 6 news titles of one THUCNews class and 2 of two other
classes, shuffled (seeded). The share of best sentences from the main class (P@1) shows
whether the ranking finds what a document is about when position says nothing (any
position-only method scores 0.75 on average).

Speed: documents per second of the whole process (start-up included) on the 1,000
abstracts, one per line: ``textkit summarize --lines -n 1 -f text`` against TextRank4ZH's
script, in turns, median of the per-round ratios.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.common import DATA, ROOT, print_table

CSL = DATA / "csl_ts" / "dev.tsv"
THUCNEWS = DATA / "thucnews" / "test.txt"
ANCHORS = Path(__file__).with_name("summarize_anchors.py")
# Published anchors (held-out test split of the same collection), ROUGE-L F1.
ANCHOR_LEAD1, ANCHOR_TR4ZH, ANCHOR_SNOWNLP, ANCHOR_LEAD_CUT = 19.5, 18.1, 18.1, 33.3
# TextRank4ZH's sentence delimiters (util.sentence_delimiters): Lead-1 cut there.
TR4ZH_DELIMITERS = ("?", "!", ";", "？", "！", "。", "；", "……", "…", "\n")


# -- scoring -----------------------------------------------------------------------------


def scored_chars(text: str) -> list[str]:
    """The characters ROUGE compares: all but punctuation and whitespace."""
    return [c for c in text if not c.isspace() and not unicodedata.category(c).startswith("P")]


def _f1(overlap: int, predicted: int, reference: int) -> float:
    if not overlap:
        return 0.0
    precision, recall = overlap / predicted, overlap / reference
    return 2 * precision * recall / (precision + recall)


def _lcs(a: Sequence[str], b: Sequence[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def rouge(prediction: str, reference: str) -> tuple[float, float, float]:
    """Character-level ROUGE-1, ROUGE-2 and ROUGE-L F1."""
    p, r = scored_chars(prediction), scored_chars(reference)
    scores = []
    for n in (1, 2):
        pn = Counter(tuple(p[i : i + n]) for i in range(len(p) - n + 1))
        rn = Counter(tuple(r[i : i + n]) for i in range(len(r) - n + 1))
        overlap = sum((pn & rn).values())
        scores.append(_f1(overlap, max(len(p) - n + 1, 0), max(len(r) - n + 1, 0)))
    scores.append(_f1(_lcs(p, r), len(p), len(r)))
    return scores[0], scores[1], scores[2]


def mean_rouge(predictions: Sequence[str], references: Sequence[str]) -> tuple[float, ...]:
    """Mean ROUGE-1/2/L F1 in percent."""
    rows = [rouge(p, r) for p, r in zip(predictions, references, strict=True)]
    return tuple(100 * statistics.fmean(row[i] for row in rows) for i in range(3))


# -- data --------------------------------------------------------------------------------


def load_csl() -> list[tuple[str, str]]:
    """(abstract, title) per line of the CSL summary dev file."""
    docs = []
    with open(CSL, encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) == 3:
                docs.append((fields[1], fields[2]))
    return docs


def topic_documents(count: int = 300, seed: int = 1) -> list[tuple[str, list[tuple[int, int]]]]:
    """Documents of 6 THUCNews titles of one class and 2 of two others, shuffled, each
    title ending with 。; with the character span of each main-class title."""
    rng = random.Random(seed)
    by_class: dict[str, list[str]] = defaultdict(list)
    with open(THUCNEWS, encoding="utf-8") as handle:
        for line in handle:
            title, label = line.rstrip("\n").rsplit("\t", 1)
            by_class[label].append(title)
    labels = sorted(by_class)
    documents = []
    for _ in range(count):
        main = rng.choice(labels)
        others = rng.sample([label for label in labels if label != main], 2)
        items = [(t, True) for t in rng.sample(by_class[main], 6)]
        items += [(rng.choice(by_class[o]), False) for o in others]
        rng.shuffle(items)
        text, spans, offset = "", [], 0
        for title, on_topic in items:
            text += title + "。"
            if on_topic:
                spans.append((offset, offset + len(title) + 1))
            offset += len(title) + 1
        documents.append((text, spans))
    return documents


def lead_sentence(text: str) -> str:
    from textkit.text.sentences import split_sentences

    sentences = split_sentences(text)
    return sentences[0].text if sentences else ""


def tr4zh_lead_sentence(text: str) -> str:
    """The first sentence as TextRank4ZH cuts sentences (its delimiters only)."""
    end = len(text)
    for mark in TR4ZH_DELIMITERS:
        found = text.find(mark)
        if found >= 0:
            end = min(end, found)
    return text[:end].strip()


def run_anchor(python: str, which: str, texts: Sequence[str]) -> tuple[list[str], float]:
    """An anchor's best sentence per text (by subprocess), and the process's wall time."""
    data = "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts)
    start = time.perf_counter()
    proc = subprocess.run(
        [python, str(ANCHORS), which],
        input=data.encode("utf-8"),
        capture_output=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    return [json.loads(line) for line in proc.stdout.decode("utf-8").splitlines()], elapsed


def anchor_available(python: str | None) -> dict[str, bool]:
    found = {"tr4zh": False, "snownlp": False}
    if not python:
        return found
    for which, module in (("tr4zh", "textrank4zh"), ("snownlp", "snownlp")):
        probe = subprocess.run([python, "-c", f"import {module}"], capture_output=True, check=False)
        found[which] = probe.returncode == 0
    return found


# -- the benchmark -----------------------------------------------------------------------


def quality(
    docs: Sequence[tuple[str, str]],
    label: str,
    anchors: dict[str, list[str]],
) -> list[tuple[str, ...]]:
    """Result rows for one split: ROUGE-1/2/L at one sentence and at the title's length."""
    from textkit.summarize import Summarizer
    from textkit.summarize.summarizer import join_sentences

    abstracts = [a for a, _ in docs]
    titles = [t for _, t in docs]
    default = Summarizer()
    clause = Summarizer(unit="clause")

    def ours(summarizer: Summarizer, **limits: int) -> Callable[[str, str], str]:
        return lambda text, title: join_sentences(summarizer.summarize(text, **limits))

    def budget(summarizer: Summarizer) -> Callable[[str, str], str]:
        return lambda text, title: join_sentences(summarizer.summarize(text, max_chars=len(title)))

    def cut(sentences: Sequence[str]) -> list[str]:
        return [s[: len(t)] for s, t in zip(sentences, titles, strict=True)]

    rows: list[tuple[str, ...]] = []

    def row(name: str, predictions: Sequence[str], anchor: str = "") -> None:
        r1, r2, rl = mean_rouge(predictions, titles)
        rows.append((f"{label}: {name}", f"{r1:.1f} / {r2:.1f} / {rl:.1f}", anchor))

    lead = [lead_sentence(a) for a in abstracts]
    row("one sentence, Lead-1", lead, f"L {ANCHOR_LEAD1}")
    row(
        "one sentence, Lead-1 at TextRank4ZH's delimiters",
        [tr4zh_lead_sentence(a) for a in abstracts],
    )
    for name, key, published in (
        ("TextRank4ZH", "tr4zh", ANCHOR_TR4ZH),
        ("SnowNLP", "snownlp", ANCHOR_SNOWNLP),
    ):
        if key in anchors:
            row(f"one sentence, {name}", anchors[key], f"L {published}")
    row("one sentence, textkit -n 1", [ours(default, n=1)(a, t) for a, t in docs])
    row("one clause, textkit --unit clause -n 1", [ours(clause, n=1)(a, t) for a, t in docs])
    row("title length, Lead cut", cut(abstracts), f"L {ANCHOR_LEAD_CUT}")
    row("title length, Lead-1 cut", cut(lead))
    for name, key in (("TextRank4ZH", "tr4zh"), ("SnowNLP", "snownlp")):
        if key in anchors:
            row(f"title length, {name} cut", cut(anchors[key]))
    row("title length, textkit --max-chars", [budget(default)(a, t) for a, t in docs])
    row("title length, textkit --unit clause --max-chars", [budget(clause)(a, t) for a, t in docs])
    return rows


def comparisons(rows: list[tuple[str, ...]], label: str) -> list[tuple[str, ...]]:
    """ROUGE-L of textkit's defaults next to the anchors, for one split."""

    def rouge_l(name: str) -> float | None:
        for row in rows:
            if row[0] == f"{label}: {name}":
                return float(row[1].split(" / ")[2])
        return None

    pairs = [
        ("one sentence", "textkit -n 1", "published Lead-1", ANCHOR_LEAD1),
        (
            "one sentence",
            "textkit -n 1",
            "TextRank4ZH, same run",
            rouge_l("one sentence, TextRank4ZH"),
        ),
        ("one sentence", "textkit -n 1", "SnowNLP, same run", rouge_l("one sentence, SnowNLP")),
        ("one sentence", "textkit -n 1", "Lead-1, same run", rouge_l("one sentence, Lead-1")),
        ("title length", "textkit --max-chars", "published Lead cut", ANCHOR_LEAD_CUT),
        (
            "title length",
            "textkit --max-chars",
            "Lead cut, same run",
            rouge_l("title length, Lead cut"),
        ),
    ]
    out: list[tuple[str, ...]] = []
    for budget, ours, name, anchor in pairs:
        value = rouge_l(f"{budget}, {ours}")
        if value is None or anchor is None:
            continue
        out.append(
            (
                f"{label}: ROUGE-L {budget}, vs {name}",
                f"{value:.1f}",
                f"{anchor:.1f}",
                f"{value - anchor:+.1f}",
            )
        )
    return out


def topic_check(python: str | None, available: dict[str, bool]) -> list[tuple[str, ...]]:
    """P@1: the best sentence comes from the documents' main class."""
    from textkit.summarize import Summarizer

    documents = topic_documents()

    def on_topic(text: str, spans: list[tuple[int, int]], sentence: str) -> bool:
        at = text.find(sentence)
        return any(a <= at < b for a, b in spans)

    rows = []
    systems: list[tuple[str, list[str]]] = [
        ("Lead-1", [lead_sentence(t) for t, _ in documents]),
        ("textkit -n 1", [Summarizer().summarize(t, 1)[0].text for t, _ in documents]),
        (
            "textkit -n 1 --position-weight 0",
            [Summarizer(position_weight=0).summarize(t, 1)[0].text for t, _ in documents],
        ),
    ]
    if python and available["tr4zh"]:
        systems.append(("TextRank4ZH", run_anchor(python, "tr4zh", [t for t, _ in documents])[0]))
    for name, picks in systems:
        share = statistics.fmean(
            on_topic(t, spans, s) for (t, spans), s in zip(documents, picks, strict=True)
        )
        rows.append((f"THUCNews topic documents: P@1, {name}", f"{share:.3f}"))
    return rows


def speed(python: str | None, texts: Sequence[str], rounds: int) -> list[tuple[str, ...]]:
    """Whole-process documents/s, textkit against TextRank4ZH, in turns."""
    if not python:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        lines = Path(tmp) / "docs.txt"
        lines.write_text("".join(t.replace("\n", " ") + "\n" for t in texts), encoding="utf-8")
        jsonl = Path(tmp) / "docs.jsonl"
        jsonl.write_text(
            "".join(json.dumps(t, ensure_ascii=False) + "\n" for t in texts), encoding="utf-8"
        )
        textkit = [
            sys.executable,
            "-m",
            "textkit",
            "summarize",
            "--lines",
            "-n",
            "1",
            "-f",
            "text",
            str(lines),
        ]
        ours, theirs, ratios = [], [], []
        for _ in range(rounds):
            start = time.perf_counter()
            subprocess.run(textkit, stdout=subprocess.DEVNULL, check=True, cwd=ROOT)
            ours.append(time.perf_counter() - start)
            with open(jsonl, "rb") as handle:
                start = time.perf_counter()
                subprocess.run(
                    [python, str(ANCHORS), "tr4zh"],
                    stdin=handle,
                    stdout=subprocess.DEVNULL,
                    check=True,
                )
                theirs.append(time.perf_counter() - start)
            ratios.append(theirs[-1] / ours[-1])
    n = len(texts)
    ratio = statistics.median(ratios)
    return [
        (
            f"documents/s, whole process ({n} abstracts, median of {rounds} rounds)",
            f"{n / statistics.median(ours):.0f}",
            f"{n / statistics.median(theirs):.0f}",
            f"{ratio:.1f}x",
        )
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="200 documents per split, 1 speed round"
    )
    parser.add_argument(
        "--anchor-python",
        default=os.environ.get("TEXTKIT_ANCHOR_PYTHON"),
        help="interpreter with textrank4zh (networkx<3) and snownlp installed",
    )
    args = parser.parse_args(argv if argv is not None else [])
    if not CSL.is_file():
        print(f"skipped: {CSL} not found")
        return
    docs = load_csl()
    python = args.anchor_python
    available = anchor_available(python)
    if python and not any(available.values()):
        print(f"TextRank4ZH and SnowNLP not found under {python}: their rows are skipped")
    size = 200 if args.quick else 500
    splits = [
        (f"lines 1-{size}", docs[:size]),
        (f"lines 501-{500 + size} (held out)", docs[500 : 500 + size]),
    ]
    rows: list[tuple[str, ...]] = []
    summary: list[tuple[str, ...]] = []
    for label, split in splits:
        anchors = {
            which: run_anchor(python, which, [a for a, _ in split])[0]
            for which in ("tr4zh", "snownlp")
            if python and available[which]
        }
        found = quality(split, label, anchors)
        rows += found
        summary += comparisons(found, label)
    print("ROUGE-1 / ROUGE-2 / ROUGE-L F1 (%), characters, against the title")
    print_table([(r[0], r[1], r[2]) for r in rows])
    print()
    if THUCNEWS.is_file():
        print_table(topic_check(python, available))
        print()
    if python and available["tr4zh"]:
        summary += speed(python, [a for a, _ in docs], 1 if args.quick else 3)
    print_table(summary)


if __name__ == "__main__":
    main(sys.argv[1:])
