"""TF-IDF text features in plain numpy: word n-grams and character n-grams.

The same code builds training and prediction features, and the fitted state is a handful
of numpy arrays (character n-gram keys, the word vocabulary as UTF-8 bytes, IDF weights),
so a saved model predicts without scikit-learn or scipy.

* character n-grams (n <= 3) of the lower-cased text are int64 keys: each character is its
  code point + 1 in 21 bits, so unigram, bigram and trigram keys never collide; the fitted
  keys are sorted and looked up with ``searchsorted``;
* word n-grams come from textkit's tokenizer (``fast`` = rjieba by default); a bigram is
  ``w1 + "\\x01" + w2``, so it never equals a unigram;
* weights: ``1 + log(tf)`` (sublinear) or raw counts, times smooth IDF
  ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's), then each row is L2-normalised.

A matrix is a CSR triple ``(data, indices, indptr)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from itertools import count, repeat
from operator import add
from typing import Any

import numpy as np

from textkit.errors import ConfigError

FEATURE_SETS = ("word", "char", "word+char")
MAX_CHAR_NGRAM = 3
_WORD = "\x01"
_BITS = 21
_MASK = (1 << _BITS) - 1

CSR = tuple[np.ndarray, np.ndarray, np.ndarray]
# progress(done, total, what): called after each chunk of work (rows featurized, classes
# fitted...), so a caller can show a rate and an ETA.
Progress = Callable[[int, int, str], None]
# Texts are featurized about this many characters at a time: the per-occurrence arrays of
# a chunk (a few int64 per character n-gram) stay near 100 MB however large the data.
CHUNK_CHARS = 1 << 19


@dataclass
class FeatureConfig:
    """How texts become features; stored in the model metadata."""

    features: str = "word+char"
    word_ngram: tuple[int, int] = (1, 2)
    char_ngram: tuple[int, int] = (1, 3)
    min_df: int = 2
    max_features: int | None = None
    sublinear_tf: bool = True
    tokenizer: str = "fast"
    # Traditional texts are read as simplified ones (textkit.text.normalize), so a model
    # trained on either script scores both. (Models saved without it: False.)
    normalize: bool = True

    def __post_init__(self) -> None:
        self.word_ngram = (int(self.word_ngram[0]), int(self.word_ngram[1]))
        self.char_ngram = (int(self.char_ngram[0]), int(self.char_ngram[1]))
        if self.features not in FEATURE_SETS:
            raise ConfigError(f"unknown feature set {self.features!r}")
        for name, (lo, hi) in (("word", self.word_ngram), ("char", self.char_ngram)):
            if not 1 <= lo <= hi:
                raise ConfigError(f"bad {name} n-gram range {lo}-{hi}")
        if self.word_ngram[1] > 2:
            raise ConfigError("word n-grams longer than 2 are not supported")
        if self.char_ngram[1] > MAX_CHAR_NGRAM:
            raise ConfigError(f"character n-grams longer than {MAX_CHAR_NGRAM} are not supported")
        if self.min_df < 1:
            raise ConfigError("min_df must be at least 1")

    @property
    def uses_words(self) -> bool:
        return "word" in self.features

    @property
    def uses_chars(self) -> bool:
        return "char" in self.features

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["word_ngram"] = list(self.word_ngram)
        data["char_ngram"] = list(self.char_ngram)
        return data


def _unique_counts(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sorted unique values and their counts (a sort, faster here than np.unique)."""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered, np.zeros(0, dtype=np.int64)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return ordered[starts], np.diff(np.append(starts, len(ordered)))


def _spans(texts: Sequence[str], groups: Any = None) -> list[tuple[int, int]]:
    """(start, stop) row ranges of about CHUNK_CHARS characters; a group is never split."""
    spans, start, size = [], 0, 0
    for i, text in enumerate(texts):
        if size >= CHUNK_CHARS and (groups is None or groups[i] != groups[i - 1]):
            spans.append((start, i))
            start, size = i, 0
        size += len(text) + 1
    spans.append((start, len(texts)))
    return spans


def _renamed(progress: Progress, what: str) -> Progress:
    """``progress`` reporting under another name."""

    def report(done: int, total: int, _what: str) -> None:
        progress(done, total, what)

    return report


def _check_groups(groups: Any, n: int) -> np.ndarray | None:
    """Group numbers as an array; each group's rows must be next to each other."""
    if groups is None:
        return None
    ids = np.asarray(groups, dtype=np.int64)
    if ids.shape != (n,):
        raise ConfigError(f"{len(ids)} group numbers for {n} texts")
    changes = np.flatnonzero(ids[1:] != ids[:-1]) + 1
    starts = ids[np.concatenate([[0], changes])] if n else ids
    if len(np.unique(starts)) != len(starts):
        raise ConfigError("the texts of a group must be next to each other")
    return ids


def _doc_counts(
    docs: np.ndarray, keys: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The distinct ``keys`` (sorted), in how many distinct ``docs`` each occurs, how often
    in all, and the index in the distinct keys of each key."""
    distinct, local = np.unique(keys, return_inverse=True)
    width = int(docs.max()) + 1 if len(docs) else 1
    pairs, counts = _unique_counts(local.astype(np.int64) * width + docs)
    owner = pairs // width
    df = np.bincount(owner, minlength=len(distinct))
    tf = np.bincount(owner, weights=counts, minlength=len(distinct)).astype(np.int64)
    return distinct, df, tf, local


def _merge_counts(
    keys: np.ndarray, df: np.ndarray, tf: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sum ``df`` and ``tf`` over equal keys; keys come out sorted and distinct."""
    order = np.argsort(keys, kind="stable")
    keys = keys[order]
    if len(keys) == 0:
        return keys, df, tf
    first = np.empty(len(keys), dtype=bool)
    first[0] = True
    np.not_equal(keys[1:], keys[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    return keys[starts], np.add.reduceat(df[order], starts), np.add.reduceat(tf[order], starts)


class _KeyCounter:
    """Document and total counts of int64 keys, added a chunk at a time (merged when the
    pending chunks outgrow the merged counts, so the work stays n log n)."""

    def __init__(self) -> None:
        empty = np.zeros(0, dtype=np.int64)
        self._merged = (empty, empty, empty)
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._size = 0

    def add(self, keys: np.ndarray, df: np.ndarray, tf: np.ndarray) -> None:
        self._pending.append((keys, df, tf))
        self._size += len(keys)
        if self._size >= len(self._merged[0]):
            self._merge()

    def _merge(self) -> None:
        parts = [self._merged, *self._pending]
        self._merged = _merge_counts(*(np.concatenate([p[i] for p in parts]) for i in range(3)))
        self._pending, self._size = [], 0

    def result(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(keys sorted, document counts, total counts)."""
        if self._pending:
            self._merge()
        return self._merged


def _word_ids(seen: dict[str, int], flat: list[str]) -> np.ndarray:
    """The id of each word n-gram in ``seen``; new ones are added in order of first
    occurrence, numbered on from ``len(seen)``."""
    base = len(seen)
    # New words get base + their position in ``flat`` (a C-level pass over the list); the
    # few new ones are then renumbered consecutively.
    ids = np.fromiter(map(seen.setdefault, flat, count(base)), np.int64, len(flat))
    new = ids >= base
    if new.any():
        positions = np.unique(ids[new]) - base
        for number, position in enumerate(positions.tolist(), start=base):
            seen[flat[position]] = number
        ids[new] = base + np.searchsorted(positions, ids[new] - base)
    return ids


def _stack(parts: list[CSR]) -> CSR:
    """Rows of CSR parts one after another."""
    offsets = np.cumsum([0] + [len(p[0]) for p in parts])
    indptr = np.concatenate(
        [np.zeros(1, np.int64)] + [p[2][1:] + off for p, off in zip(parts, offsets, strict=False)]
    )
    data = np.concatenate([p[0] for p in parts])
    indices = np.concatenate([p[1] for p in parts])
    return data, indices, indptr


def decode_char_key(key: int) -> str:
    """The character n-gram behind an int64 key."""
    chars = []
    key = int(key)
    while key:
        chars.append(chr((key & _MASK) - 1))
        key >>= _BITS
    return "".join(reversed(chars))


class Featurizer:
    """Fit a vocabulary and IDF weights; turn texts into L2-normalised TF-IDF CSR rows."""

    def __init__(self, config: FeatureConfig | None = None) -> None:
        self.config = config or FeatureConfig()
        self.char_keys = np.zeros(0, dtype=np.int64)  # sorted; column j is char_keys[j]
        self.words: list[str] = []  # column n_char + i is words[i]
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self._cut: Any = None

    @property
    def n_char(self) -> int:
        return len(self.char_keys)

    @property
    def n_features(self) -> int:
        return self.n_char + len(self.words)

    # -- raw features -----------------------------------------------------------------
    def _prepare(self, texts: list[str]) -> list[str]:
        if self.config.normalize:
            from textkit.text.normalize import prepare

            texts = [p.text if (p := prepare(t)) is not None else t for t in texts]
        # NUL separates texts and \x01 joins word bigrams; runs of whitespace become one space.
        return [" ".join(t.replace("\x00", " ").replace(_WORD, " ").lower().split()) for t in texts]

    def _char_keys(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """(row, key) for every character n-gram occurrence, vectorised over the batch."""
        lo, hi = self.config.char_ngram
        joined = "\x00".join(texts).encode("utf-32-le", "surrogatepass")
        c = np.frombuffer(joined, dtype=np.uint32).astype(np.int64) + 1
        c[c == 1] = 0  # the separator
        c = np.append(c, 0)
        sep = c == 0
        row = np.cumsum(sep) - sep  # a separator belongs to the row it ends
        rows, keys = [], []
        for n in range(lo, hi + 1):
            if len(c) < n:
                continue
            key = c[: len(c) - n + 1].copy()
            valid = key > 0
            for k in range(1, n):
                nxt = c[k : len(c) - n + 1 + k]
                valid &= nxt > 0
                key = (key << _BITS) | nxt
            rows.append(row[: len(c) - n + 1][valid])
            keys.append(key[valid])
        if not keys:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(rows), np.concatenate(keys)

    def _tokenizer(self) -> Any:
        """A cut function; whitespace tokens are dropped by the caller."""
        if self._cut is None:
            if self.config.tokenizer == "fast":
                # rjieba's default engine directly: the same words as
                # Tokenizer(backend="fast").cut, without a second pass over the tokens.
                from textkit.text.fastcut import default_engine

                self._cut = default_engine().cut
            else:
                from textkit.text.tokenizer import Tokenizer

                self._cut = Tokenizer(backend=self.config.tokenizer).cut
        return self._cut

    def _word_ngrams(self, texts: list[str]) -> tuple[list[str], np.ndarray]:
        """All word n-gram strings in one flat list, and how many each text has."""
        cut = self._tokenizer()
        lo, hi = self.config.word_ngram
        joiner = repeat(_WORD)
        flat: list[str] = []
        lengths = []
        for text in texts:
            words = cut(text)
            if " " in text:  # prepared text has single spaces and no other whitespace
                words = list(filter(" ".__ne__, words))
            before = len(flat)
            if lo <= 1:
                flat.extend(words)
            if hi >= 2:
                flat.extend(map(add, map(add, words, joiner), words[1:]))
            lengths.append(len(flat) - before)
        return flat, np.asarray(lengths, dtype=np.int64)

    # -- weighting --------------------------------------------------------------------
    def _weigh(self, rows: np.ndarray, ids: np.ndarray, n: int) -> CSR:
        """TF-IDF CSR rows from one (row, column) pair per occurrence; ids < 0 are unknown."""
        known = ids >= 0
        if not known.all():
            rows, ids = rows[known], ids[known]
        width = max(self.n_features, 1)
        key, counts = _unique_counts(rows * width + ids)  # sorted by (row, column)
        r = key // width
        col = key - r * width
        tf = counts.astype(np.float32)
        if self.config.sublinear_tf:
            tf = 1 + np.log(tf)
        values = tf * self.idf[col]
        norm = np.sqrt(np.bincount(r, weights=values * values, minlength=n)).astype(np.float32)
        norm[norm == 0] = 1
        values = (values / norm[r]).astype(np.float32)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(r, minlength=n), out=indptr[1:])
        return values, col.astype(np.int32), indptr

    # -- public -----------------------------------------------------------------------
    def fit(
        self,
        texts: list[str],
        *,
        groups: Sequence[int] | np.ndarray | None = None,
        progress: Progress | None = None,
    ) -> Featurizer:
        """Learn the vocabulary and IDF from ``texts``, a chunk of texts at a time.

        ``groups`` (one number per text, equal numbers next to each other) makes the texts
        of a group count as one document for ``min_df`` and IDF: augmented copies of a text,
        placed after it, then add rows but not evidence that an n-gram is common.
        """
        self._fit(texts, groups, progress, keep_last=False)
        return self

    def fit_transform(
        self,
        texts: list[str],
        *,
        groups: Sequence[int] | np.ndarray | None = None,
        progress: Progress | None = None,
    ) -> CSR:
        """Learn the vocabulary and IDF from ``texts`` and return their features.

        Data of one chunk is read once; larger data twice ("counting n-grams", then
        "featurizing"), so memory holds one chunk's n-gram occurrences, not all of them."""
        n = len(texts)
        spans = _spans(texts, groups)
        if len(spans) == 1:
            rows, columns = self._fit(texts, groups, None, keep_last=True)
            matrix = self._weigh(rows, columns, n)
            if progress is not None:
                progress(n, n, "featurizing")
            return matrix
        counting = None if progress is None else _renamed(progress, "counting n-grams")
        self._fit(texts, groups, counting, keep_last=False)
        return self.transform(texts, progress=progress)

    def transform(self, texts: list[str], *, progress: Progress | None = None) -> CSR:
        """Features of ``texts`` over the fitted vocabulary (unknown n-grams are dropped),
        computed a chunk of texts at a time."""
        parts = []
        for lo, hi in _spans(texts):
            chunk = self._prepare(texts[lo:hi])
            char_rows, keys, word_rows, flat = self._occurrences(chunk)
            word_ids = np.fromiter(map(self.vocabulary.get, flat, repeat(-1)), np.int64, len(flat))
            parts.append(self._weigh(*self._columns(char_rows, keys, word_rows, word_ids), hi - lo))
            if progress is not None:
                progress(hi, len(texts), "featurizing")
        return parts[0] if len(parts) == 1 else _stack(parts)

    # -- fitting in chunks ------------------------------------------------------------
    def _occurrences(
        self, chunk: list[str]
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
        """(row, key) of every character n-gram and (row, string) of every word n-gram of
        prepared texts."""
        empty = np.zeros(0, np.int64)
        char_rows, keys = self._char_keys(chunk) if self.config.uses_chars else (empty, empty)
        flat: list[str] = []
        word_rows = empty
        if self.config.uses_words:
            flat, lengths = self._word_ngrams(chunk)
            word_rows = np.repeat(np.arange(len(chunk), dtype=np.int64), lengths)
        return char_rows, keys, word_rows, flat

    def _columns(
        self, char_rows: np.ndarray, keys: np.ndarray, word_rows: np.ndarray, word_cols: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """(row, column) per occurrence, characters first; column -1 for n-grams outside
        the vocabulary."""
        char_cols = np.full(len(keys), -1, dtype=np.int64)
        if self.n_char and len(keys):
            # look up each distinct key once, in sorted order (cache-friendly)
            distinct, local = np.unique(keys, return_inverse=True)
            pos = np.searchsorted(self.char_keys, distinct)
            pos[pos == self.n_char] = 0
            hit = self.char_keys[pos] == distinct
            char_cols = np.where(hit, pos, -1)[local]
        return np.concatenate([char_rows, word_rows]), np.concatenate([char_cols, word_cols])

    def _fit(
        self, texts: list[str], groups: Any, progress: Progress | None, keep_last: bool
    ) -> Any:
        """Count document frequencies chunk by chunk and set the vocabulary; with
        ``keep_last``, return the last chunk's occurrences for :meth:`_columns`."""
        group_ids = _check_groups(groups, len(texts))
        chars = _KeyCounter()
        seen: dict[str, int] = {}
        word_df = word_tf = np.zeros(0, dtype=np.int64)
        n_docs = 0
        last: Any = None
        for lo, hi in _spans(texts, group_ids):
            char_rows, keys, word_rows, flat = self._occurrences(self._prepare(texts[lo:hi]))
            # the documents of this chunk: its rows, or the groups they belong to
            doc = np.arange(hi - lo, dtype=np.int64)
            if group_ids is not None:
                doc = np.unique(group_ids[lo:hi], return_inverse=True)[1].astype(np.int64)
            n_docs += int(doc.max()) + 1 if hi > lo else 0
            local = np.zeros(0, np.int64)
            if len(keys):
                distinct, df, tf, local = _doc_counts(doc[char_rows], keys)
                chars.add(distinct, df, tf)
                keys = distinct  # with ``local``, what the last chunk keeps
            word_ids = _word_ids(seen, flat)
            if len(seen) > len(word_df):
                grow = np.zeros(len(seen) - len(word_df), np.int64)
                word_df, word_tf = np.append(word_df, grow), np.append(word_tf, grow)
            if len(word_ids):
                distinct, df, tf, _ = _doc_counts(doc[word_rows], word_ids)
                word_df[distinct] += df
                word_tf[distinct] += tf
            if keep_last:
                last = (char_rows, keys, local, word_rows, word_ids)
            if progress is not None:
                progress(hi, len(texts), "featurizing")
        keys, char_df, char_tf = chars.result()
        kept_words = self._set_vocabulary(
            keys, char_df, char_tf, list(seen), word_df, word_tf, n_docs
        )
        if keep_last:
            # the last chunk's columns: characters through their distinct keys (far fewer
            # than their occurrences), words through the kept-word table
            char_rows, distinct, local, word_rows, word_ids = last
            rows, columns = self._columns(char_rows[:0], distinct, word_rows, kept_words[word_ids])
            return np.concatenate([char_rows, word_rows]), np.concatenate(
                [columns[: len(distinct)][local], columns[len(distinct) :]]
            )
        return None

    def _set_vocabulary(
        self,
        keys: np.ndarray,
        char_df: np.ndarray,
        char_tf: np.ndarray,
        words: list[str],
        word_df: np.ndarray,
        word_tf: np.ndarray,
        n_docs: int,
    ) -> np.ndarray:
        """Keep the n-grams in at least ``min_df`` documents (the ``max_features`` most
        frequent of them); characters first (sorted keys), then words in order of first
        occurrence. Returns each word id's column (-1: dropped)."""
        df = np.concatenate([char_df, word_df])
        keep = df >= self.config.min_df
        limit = self.config.max_features
        if limit is not None and keep.sum() > limit:
            frequency = np.concatenate([char_tf, word_tf])
            frequency[~keep] = -1
            keep = np.zeros(len(df), dtype=bool)
            keep[np.argsort(-frequency, kind="stable")[:limit]] = True
        n_char_all = len(keys)
        kept = np.flatnonzero(keep)
        self.char_keys = keys[kept[kept < n_char_all]]
        kept_words = kept[kept >= n_char_all] - n_char_all
        self.words = [words[i] for i in kept_words.tolist()]
        self.vocabulary = {w: self.n_char + i for i, w in enumerate(self.words)}
        self.idf = (np.log((1.0 + n_docs) / (1.0 + df[kept])) + 1.0).astype(np.float32)
        columns = np.full(len(words), -1, dtype=np.int64)
        columns[kept_words] = self.n_char + np.arange(len(kept_words))
        return columns

    def feature_name(self, column: int) -> str:
        """A readable name for a column: the character n-gram as it is, word n-grams in
        brackets (``[北京]``, ``[北京 大学]``)."""
        if column < self.n_char:
            return decode_char_key(self.char_keys[column])
        return "[" + self.words[column - self.n_char].replace(_WORD, " ") + "]"

    # -- plain-array state ------------------------------------------------------------
    def to_arrays(self) -> dict[str, np.ndarray]:
        """The fitted state as numeric arrays (no objects), for the model file."""
        vocab = "\x00".join(self.words).encode("utf-8")
        return {
            "char_keys": self.char_keys.astype(np.int64),
            "words_utf8": np.frombuffer(vocab, dtype=np.uint8),
            "idf": self.idf.astype(np.float32),
        }

    @classmethod
    def from_arrays(cls, config: FeatureConfig, arrays: dict[str, np.ndarray]) -> Featurizer:
        """Rebuild a fitted featurizer from :meth:`to_arrays` output."""
        featurizer = cls(config)
        featurizer.char_keys = np.asarray(arrays["char_keys"], dtype=np.int64)
        raw = np.asarray(arrays["words_utf8"], dtype=np.uint8).tobytes().decode("utf-8")
        featurizer.words = raw.split("\x00") if raw else []
        first = featurizer.n_char
        featurizer.vocabulary = dict(
            zip(featurizer.words, range(first, first + len(featurizer.words)), strict=True)
        )
        featurizer.idf = np.asarray(arrays["idf"], dtype=np.float32)
        if len(featurizer.idf) != featurizer.n_features:
            raise ConfigError("vocabulary and IDF sizes differ")
        return featurizer
