"""Hashed TF-IDF features: textkit's own n-grams in a fixed number of buckets.

Like scikit-learn's ``HashingVectorizer``, but with textkit's n-grams and a hash written
here, so a model trained out of core (``train-lr --streaming``) predicts with numpy alone:

* the n-grams are exactly those of :class:`textkit.classify.features.Featurizer` (character
  n-grams as int64 keys below 2^63, word n-grams from the tokenizer, bigrams joined by
  ``\\x01``);
* a word n-gram's 64-bit key is ``2^63 + crc32(its UTF-8 bytes)`` (``zlib.crc32``: the
  same in every process and on every platform, unlike Python's ``hash()``), so word keys
  never equal character keys;
* every key is mixed with SplitMix64's finaliser (xor-shift 30, multiply by
  0xbf58476d1ce4e5b9, xor-shift 27, multiply by 0x94d049bb133111eb, xor-shift 31; a
  bijection on 64-bit integers, vectorised in numpy) and its top ``hash_bits`` bits are
  the bucket (default 2^20 buckets);
* counts per bucket are weighted like the vocabulary model: ``1 + log(tf)`` (sublinear),
  times the smooth IDF of the bucket, then each row is L2-normalised; buckets seen in fewer
  than ``min_df`` training documents get weight 0. No alternate sign.

The fitted state is the IDF array (one float32 per bucket).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np

from textkit.classify.features import _WORD, CSR, FeatureConfig, Featurizer, decode_char_key
from textkit.errors import ConfigError

KIND = "hashed"
DEFAULT_HASH_BITS = 20
_WORD_FLAG = np.uint64(1 << 63)


@dataclass
class HashedFeatureConfig(FeatureConfig):
    """A :class:`FeatureConfig` plus the bucket count; ``kind`` marks hashed models."""

    hash_bits: int = DEFAULT_HASH_BITS
    kind: str = KIND

    def __post_init__(self) -> None:
        super().__post_init__()
        self.hash_bits = int(self.hash_bits)
        if not 8 <= self.hash_bits <= 28:
            raise ConfigError("hash bits must be between 8 and 28")
        if self.kind != KIND:
            raise ConfigError(f"not a hashed feature config: {self.kind!r}")
        self.max_features = None


def mix64(keys: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser on uint64 keys (wrapping arithmetic), vectorised."""
    x = np.asarray(keys, dtype=np.uint64).copy()
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def word_keys(ngrams: list[str]) -> np.ndarray:
    """64-bit keys of word n-grams: 2^63 + crc32 of the UTF-8 bytes."""
    crc = np.fromiter(
        (zlib.crc32(w.encode("utf-8", "surrogatepass")) for w in ngrams), np.uint64, len(ngrams)
    )
    return crc | _WORD_FLAG


def buckets(keys: np.ndarray, bits: int) -> np.ndarray:
    """The bucket (0 .. 2^bits - 1) of each 64-bit key, as int64."""
    return (mix64(keys) >> np.uint64(64 - bits)).astype(np.int64)


class HashedFeaturizer(Featurizer):
    """Same interface as :class:`Featurizer` (``transform``, ``feature_name``, arrays), with
    ``2 ** hash_bits`` columns and no vocabulary."""

    def __init__(self, config: HashedFeatureConfig | None = None) -> None:
        super().__init__(config or HashedFeatureConfig())
        self.config: HashedFeatureConfig
        self.idf = np.ones(self.n_features, dtype=np.float32)
        self._names: dict[int, list[str]] = {}

    @property
    def n_char(self) -> int:
        return 0

    @property
    def n_features(self) -> int:
        return 1 << self.config.hash_bits

    def hashed(self, texts: list[str], remember: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(row, bucket) for every n-gram occurrence of ``texts`` (not yet prepared)."""
        texts = self._prepare(texts)
        bits = self.config.hash_bits
        rows_parts, bucket_parts, names = [], [], []
        if self.config.uses_chars:
            char_rows, keys = self._char_keys(texts)
            rows_parts.append(char_rows)
            bucket_parts.append(buckets(keys.astype(np.uint64), bits))
            if remember:
                names += [decode_char_key(k) for k in keys]
        if self.config.uses_words:
            flat, lengths = self._word_ngrams(texts)
            rows_parts.append(np.repeat(np.arange(len(texts), dtype=np.int64), lengths))
            bucket_parts.append(buckets(word_keys(flat), bits))
            if remember:
                names += ["[" + w.replace(_WORD, " ") + "]" for w in flat]
        rows = np.concatenate(rows_parts) if rows_parts else np.zeros(0, np.int64)
        ids = np.concatenate(bucket_parts) if bucket_parts else np.zeros(0, np.int64)
        if remember:
            self._names = {}
            for bucket, name in zip(ids.tolist(), names, strict=True):
                known = self._names.setdefault(bucket, [])
                if name not in known:
                    known.append(name)
        return rows, ids

    def document_frequency(self, texts: list[str]) -> np.ndarray:
        """In how many of ``texts`` each bucket occurs (length ``n_features``)."""
        rows, ids = self.hashed(texts)
        width = self.n_features
        pairs = np.unique(rows * width + ids)
        return np.bincount(pairs % width, minlength=width)

    def set_idf(self, df: np.ndarray, n_documents: int) -> None:
        """Smooth IDF from bucket document frequencies; buckets under ``min_df`` get 0."""
        idf = np.log((1.0 + n_documents) / (1.0 + df)) + 1.0
        idf[df < self.config.min_df] = 0.0
        self.idf = idf.astype(np.float32)

    def transform(self, texts: list[str]) -> CSR:
        """L2-normalised TF-IDF rows over the buckets; zero-weight buckets are left out."""
        # A single text is what `classify --explain` transforms: remember its n-grams so
        # that feature_name can show them instead of a bare bucket number.
        rows, ids = self.hashed(texts, remember=len(texts) == 1)
        ids = np.where(self.idf[ids] > 0, ids, -1)
        return self._weigh(rows, ids, len(texts))

    def fit_transform(self, texts: list[str]) -> CSR:
        """Fit the IDF on ``texts`` (in memory) and return their features."""
        self.set_idf(self.document_frequency(texts), len(texts))
        return self.transform(texts)

    def feature_name(self, column: int) -> str:
        """The n-grams of the last single transformed text in this bucket (``a|b`` when
        several share it), else ``#bucket``."""
        names = self._names.get(int(column))
        return "|".join(names) if names else f"#{int(column)}"

    def to_arrays(self) -> dict[str, np.ndarray]:
        return {"idf": self.idf.astype(np.float32)}

    def compact(self, arrays: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        """Model arrays with only the buckets of non-zero IDF (the only ones a coefficient
        can be learnt for): ``buckets`` (int32), their ``idf`` and ``coef`` columns."""
        used = np.flatnonzero(self.idf > 0)
        return {
            **arrays,
            "buckets": used.astype(np.int32),
            "idf": self.idf[used].astype(np.float32),
            "coef": np.ascontiguousarray(arrays["coef"][:, used], dtype=np.float32),
        }

    def expand(self, arrays: dict[str, Any]) -> np.ndarray:
        """The full (K', 2^hash_bits) coefficients from :meth:`compact`'s arrays (a
        transposed view of a C-ordered (2^hash_bits, K') array, as the predictor wants)."""
        coef = np.asarray(arrays["coef"], dtype=np.float32)
        used = np.asarray(arrays["buckets"], dtype=np.int64)
        if coef.ndim != 2 or coef.shape[1] != len(used):
            raise ConfigError("coefficients do not match the used buckets")
        weights = np.zeros((self.n_features, coef.shape[0]), dtype=np.float32)
        weights[used] = coef.T
        return weights.T

    @classmethod
    def from_arrays(cls, config: FeatureConfig, arrays: dict[str, Any]) -> HashedFeaturizer:
        if not isinstance(config, HashedFeatureConfig):
            raise ConfigError("hashed featurizer needs a hashed feature config")
        featurizer = cls(config)
        used = np.asarray(arrays["buckets"], dtype=np.int64)
        idf = np.asarray(arrays["idf"], dtype=np.float32)
        inside = len(used) == 0 or 0 <= used.min() <= used.max() < featurizer.n_features
        if len(idf) != len(used) or not inside:
            raise ConfigError("IDF and buckets do not match the number of hash buckets")
        featurizer.idf = np.zeros(featurizer.n_features, dtype=np.float32)
        featurizer.idf[used] = idf
        return featurizer
