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
    @staticmethod
    def _prepare(texts: list[str]) -> list[str]:
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
            if " " in text:  # prepared text has no other whitespace
                words = [w for w in words if not w.isspace()]
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
    def fit_transform(self, texts: list[str]) -> CSR:
        """Learn the vocabulary and IDF from ``texts`` and return their features."""
        texts = self._prepare(texts)
        n = len(texts)
        rows_parts, id_parts = [], []
        all_char_keys = np.zeros(0, np.int64)
        if self.config.uses_chars:
            char_rows, keys = self._char_keys(texts)
            all_char_keys, inverse = np.unique(keys, return_inverse=True)
            rows_parts.append(char_rows)
            id_parts.append(inverse.astype(np.int64))
        n_char_all = len(all_char_keys)
        all_words: list[str] = []
        if self.config.uses_words:
            flat, lengths = self._word_ngrams(texts)
            seen: dict[str, int] = {}
            first = np.fromiter(map(seen.setdefault, flat, count()), np.int64, len(flat))
            all_words = list(seen)
            remap = np.empty(len(flat), dtype=np.int64)
            remap[np.fromiter(seen.values(), np.int64, len(all_words))] = np.arange(len(all_words))
            rows_parts.append(np.repeat(np.arange(n, dtype=np.int64), lengths))
            id_parts.append(remap[first] + n_char_all)
        rows = np.concatenate(rows_parts) if rows_parts else np.zeros(0, np.int64)
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int64)
        total = n_char_all + len(all_words)
        df = np.bincount(_unique_counts(rows * total + ids)[0] % max(total, 1), minlength=total)
        keep = df >= self.config.min_df
        limit = self.config.max_features
        if limit is not None and keep.sum() > limit:
            frequency = np.bincount(ids, minlength=total)
            frequency[~keep] = -1
            keep = np.zeros(total, dtype=bool)
            keep[np.argsort(-frequency, kind="stable")[:limit]] = True
        kept = np.flatnonzero(keep)
        new_id = np.full(total, -1, dtype=np.int64)
        new_id[kept] = np.arange(len(kept))
        self.char_keys = all_char_keys[kept[kept < n_char_all]]
        self.words = [all_words[i - n_char_all] for i in kept[kept >= n_char_all]]
        self.vocabulary = {w: self.n_char + i for i, w in enumerate(self.words)}
        self.idf = (np.log((1.0 + n) / (1.0 + df[kept])) + 1.0).astype(np.float32)
        return self._weigh(rows, new_id[ids], n)

    def transform(self, texts: list[str]) -> CSR:
        """Features of ``texts`` over the fitted vocabulary (unknown n-grams are dropped)."""
        texts = self._prepare(texts)
        n = len(texts)
        rows_parts, id_parts = [], []
        if self.config.uses_chars and self.n_char:
            char_rows, keys = self._char_keys(texts)
            order = np.argsort(keys)  # sorted needles keep searchsorted cache-friendly
            keys = keys[order]
            pos = np.searchsorted(self.char_keys, keys)
            pos[pos == self.n_char] = 0
            hit = self.char_keys[pos] == keys
            rows_parts.append(char_rows[order][hit])
            id_parts.append(pos[hit])
        if self.config.uses_words and self.words:
            flat, lengths = self._word_ngrams(texts)
            lookup = map(self.vocabulary.get, flat, repeat(-1))
            id_parts.append(np.fromiter(lookup, np.int64, len(flat)))
            rows_parts.append(np.repeat(np.arange(n, dtype=np.int64), lengths))
        rows = np.concatenate(rows_parts) if rows_parts else np.zeros(0, np.int64)
        ids = np.concatenate(id_parts) if id_parts else np.zeros(0, np.int64)
        return self._weigh(rows, ids, n)

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
