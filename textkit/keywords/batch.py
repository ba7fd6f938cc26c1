"""Key-phrase extraction (tf-idf) for many documents at once, vectorised with numpy.

The result is exactly :meth:`KeywordExtractor.extract`'s, document by document (same
phrases, same float weights, same order: the tests and ``benchmarks.keywords_equivalence``
compare them), but the per-token work runs as array operations over a whole chunk of
documents: n-gram enumeration, counting, the fragment filter and scoring. Python calls the
tokenizer once per chunk, meets each new distinct token once, and then works once per
output keyword (slicing it out of its text, topping up short lists with single words).

Stages: _layout (tokens and their facts), _candidates (n-grams grouped by string, the
fragment filter), _scores, _select (ranking, top-k, top-up). Where only extract() is exact
(a token with a space at an end, a hash clash, a text over HUGE_TEXT characters) the
documents concerned go through it instead.

A candidate is a string, not a token sequence (the same text cut two ways is one
candidate), so n-grams are keyed by two independent 64-bit polynomial hashes of their
characters plus their document. Confusing two strings would take both hashes colliding
inside one document, about 2**-128 per pair.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from textkit.keywords.candidates import (
    BOUNDARY,
    LENGTH_POWER,
    LONG_PHRASE_POWER,
    LONG_PHRASE_TOKENS,
    MAX_CHARS,
    MIN_PHRASE_TF,
    POSITION_WEIGHT,
    TF_POWER,
    Columns,
    Keywords,
    _is_ascii_word_char,
    columns_of,
    token_code,
)
from textkit.text.idf import LazyWeights

# A KeywordExtractor: the extractor calls this module, so this module does not import it.
KeywordExtractor = Any

WHITESPACE = -2  # a token's code when it is whitespace (BOUNDARY: punctuation, stopwords)
BASES = (0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F)  # odd 64-bit multipliers, mod 2**64
DOC_MIX = np.uint64(0xD6E8FEB86659FD93)  # spreads the document number over hash bits
SPACE = np.uint64(ord(" "))
HASHED_IDF_VERSION = 1  # bump when _HashedIdf's file changes
MAX_VOCAB = 1_000_000  # distinct tokens remembered between batches (then start afresh)
CHUNK_CHARS = 200_000  # documents are processed in groups of about this many characters
HUGE_TEXT = 1_000_000  # characters: a longer text goes through extract() (less memory)

_powers: dict[int, tuple[Any, Any]] = {}


def _power_tables(base: int, size: int) -> tuple[Any, Any]:
    """base**i and base**-i mod 2**64 for i < size (at least), as uint64 arrays."""
    tables = _powers.get(base)
    if tables is None or len(tables[0]) < size:
        size = max(size, 2 * len(tables[0]) if tables else 4096)
        tables = tuple(
            np.cumprod(np.concatenate([np.ones(1, np.uint64), np.full(size - 1, b, np.uint64)]))
            for b in (base, pow(base, -1, 1 << 64))
        )
        _powers[base] = tables
    return tables


def _char_hashes(codes: Any, starts: Any, ends: Any, base: int) -> tuple[Any, Any]:
    """Polynomial hashes (first character weighs most) of the substrings [starts, ends)
    of the text whose code points are ``codes``, and base**length (all mod 2**64).

    From prefix sums of c[j] * base**-j: no Python loop over characters or tokens.
    """
    power, inverse = _power_tables(base, len(codes) + 1)
    prefix = np.zeros(len(codes) + 1, np.uint64)
    np.cumsum(codes * inverse[: len(codes)], out=prefix[1:])
    return power[ends - 1] * (prefix[ends] - prefix[starts]), power[ends - starts]


def _scramble(keys: Any) -> Any:
    """A bijection of uint64 (MurmurHash3's finaliser) that spreads every input bit over
    the high bits: short tokens' polynomial hashes are small numbers (one character's is
    its code point), and the callers below index and sort by high bits."""
    keys = keys ^ (keys >> np.uint64(33))
    keys = keys * np.uint64(0xFF51AFD7ED558CCD)
    keys = keys ^ (keys >> np.uint64(33))
    keys = keys * np.uint64(0xC4CEB9FE1A85EC53)
    return keys ^ (keys >> np.uint64(33))


def _group_order(keys: Any) -> Any:
    """An order of ``keys`` (uint64) that puts equal keys next to each other, ascending
    positions within each run: np.argsort's job at np.sort's speed (several times faster
    here), by sorting the keys' high bits with each position packed into the low bits."""
    keys = _scramble(keys)  # equal after scrambling if and only if equal before
    bits = max(1, (len(keys) - 1).bit_length())
    packed = (keys >> np.uint64(bits)) << np.uint64(bits) | np.arange(len(keys), dtype=np.uint64)
    packed.sort()
    order = (packed & np.uint64((1 << bits) - 1)).astype(np.int64)
    high = packed >> np.uint64(bits)
    full = keys[order]
    if ((high[1:] == high[:-1]) & (full[1:] != full[:-1])).any():
        return np.argsort(keys, kind="stable")  # two keys share their high bits: rare
    return order


class _Vocabulary:
    """Facts about every distinct token seen so far, kept across batches: rows of arrays
    indexed by a token id. Tokens are found by their character hash in an open-addressing
    table probed with array operations: no Python string hashing or dict lookup per token
    (that alone cost more than the rest of the batch on CSL abstracts)."""

    FIELDS = {
        "code": np.int64,
        "starts_word": bool,
        "ends_word": bool,
        "spaced": bool,
        "idf": np.float64,
        "check": np.uint64,  # the second hash: two tokens sharing the first are caught
        "key": np.uint64,  # the first hash, to rebuild the table when it grows
    }

    INITIAL_SLOTS = 1 << 14

    def __init__(self) -> None:
        self.size = 0
        self.arrays = {name: np.zeros(0, dtype) for name, dtype in self.FIELDS.items()}
        self._resize(self.INITIAL_SLOTS)

    def _resize(self, slots: int) -> None:
        self.bits = slots.bit_length() - 1
        self.slot_key = np.zeros(slots, np.uint64)
        self.slot_id = np.full(slots, -1, np.int64)  # -1: an empty slot
        if self.size:
            self._insert(self.arrays["key"][: self.size], np.arange(self.size))

    def _find(self, keys: Any) -> Any:
        """The id of each key, -1 where absent (linear probing, all keys at once)."""
        slot = (_scramble(keys) >> np.uint64(64 - self.bits)).astype(np.int64)
        ids = np.full(len(keys), -1, np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            found = self.slot_id[at]
            hit = (found >= 0) & (self.slot_key[at] == keys[pending])
            ids[pending[hit]] = found[hit]
            pending = pending[(found >= 0) & ~hit]  # an occupied slot, another key
            slot[pending] = (slot[pending] + 1) & ((1 << self.bits) - 1)
        return ids

    def _insert(self, keys: Any, ids: Any) -> None:
        """Place new keys (absent so far, distinct) in free slots along their probe paths,
        all keys at once; where several want one slot, the first wins, the rest go on."""
        mask = (1 << self.bits) - 1
        slot = (_scramble(keys) >> np.uint64(64 - self.bits)).astype(np.int64)
        pending = np.arange(len(keys))
        while len(pending):
            at = slot[pending]
            free = self.slot_id[at] < 0
            claimed, winner = np.unique(at[free], return_index=True)
            placed = pending[free][winner]
            self.slot_key[claimed] = keys[placed]
            self.slot_id[claimed] = ids[placed]
            waiting = np.ones(len(keys), bool)
            waiting[placed] = False
            pending = pending[waiting[pending]]
            busy = self.slot_id[slot[pending]] >= 0
            slot[pending[busy]] = (slot[pending[busy]] + 1) & mask

    def lookup(
        self, extractor: KeywordExtractor, keys: tuple[Any, Any], text: str, spans: Any
    ) -> Any:
        """Token ids for tokens with hashes ``keys`` (facts computed for new ones, whose
        strings are ``text[start:end]`` for ``spans``); None on a hash clash."""
        ids = self._find(keys[0])
        missing = np.flatnonzero(ids < 0)
        if len(missing):
            new_keys, first = np.unique(keys[0][missing], return_index=True)
            first = missing[first]  # one position of each new token
            tokens = [text[start:end] for start, end in spans[first].tolist()]
            stop = extractor.stopwords
            rows: dict[str, Any] = {
                "code": [
                    WHITESPACE if not t or t.isspace() else token_code(t, stop) for t in tokens
                ],
                "starts_word": [_is_ascii_word_char(t[:1]) for t in tokens],
                "ends_word": [_is_ascii_word_char(t[-1:]) for t in tokens],
            }
            rows["spaced"] = [
                code > 0 and (t[:1] == " " or t[-1:] == " ")
                for t, code in zip(tokens, rows["code"], strict=True)
            ]
            # IDF of words only (punctuation and stopwords are never scored).
            is_word = np.asarray(rows["code"], np.int64) >= 0
            rows["idf"] = _idf_of(extractor, tokens, is_word, (new_keys, keys[1][first]))
            rows["check"] = keys[1][first]
            rows["key"] = new_keys
            new_ids = np.arange(self.size, self.size + len(new_keys))
            if self.size + len(new_keys) > len(self.arrays["key"]):  # grow by doubling
                room = max(2 * len(self.arrays["key"]), self.size + len(new_keys))
                for name, array in self.arrays.items():
                    self.arrays[name] = np.zeros(room, array.dtype)
                    self.arrays[name][: self.size] = array[: self.size]
            for name, values in rows.items():
                self.arrays[name][new_ids] = values
            self.size += len(new_keys)
            if 2 * self.size > len(self.slot_id):  # keep the table at most half full
                self._resize(1 << (2 * self.size).bit_length())
            else:
                self._insert(new_keys, new_ids)
            ids[missing] = self._find(keys[0][missing])
        if (self.arrays["check"][ids] != keys[1]).any():
            return None
        return ids


class _HashedIdf(NamedTuple):
    """An IDF table as arrays sorted by its words' first character hash, with the second
    hash to confirm a match: a batch's new words get their IDF from one searchsorted over
    the hashes it computes anyway, not from SQLite (about 10 us a word: a fifth of a
    whole run on 1,000 abstracts)."""

    h1: Any
    h2: Any
    idf: Any


def _word_hashes(words: list[str]) -> tuple[Any, Any]:
    """Both character hashes of each word, as _layout computes them for tokens."""
    lengths = np.fromiter(map(len, words), np.int64, len(words))
    ends = np.cumsum(lengths + 1) - 1
    text = "\n".join(words)
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    points = points.astype(np.uint64)
    h1, h2 = (_char_hashes(points, ends - lengths, ends, base)[0] for base in BASES)
    return h1, h2


def _build_hashed_idf(weights: LazyWeights) -> _HashedIdf | None:
    rows = weights.rows()
    h1, h2 = _word_hashes([word for word, _ in rows])
    order = np.argsort(h1, kind="stable")
    h1 = h1[order]
    if (h1[1:] == h1[:-1]).any():
        return None  # two words share a first hash (odds ~1e-9): SQLite it is
    return _HashedIdf(h1, h2[order], np.array([v for _, v in rows], np.float64)[order])


def _hashed_idf(weights: Any) -> _HashedIdf | None:
    """The hashed index of jieba's cached default table (None for other tables): built
    once, cached beside the table's SQLite file and keyed like it (atomic write; a file
    that cannot be read or written only costs the build)."""
    if not isinstance(weights, LazyWeights):
        return None
    index = getattr(weights, "_hashed_index", None)
    if index is not None:
        return index or None
    key = f"{HASHED_IDF_VERSION}|{BASES}|{weights.key}"
    path = weights.cache.with_name(f"{weights.cache.stem}.hashed.npz")
    try:
        with np.load(path, allow_pickle=False) as data:
            if str(data["key"]) == key:
                index = _HashedIdf(data["h1"], data["h2"], data["idf"])
    except (OSError, ValueError, KeyError, EOFError):
        pass  # missing, stale or damaged: built again
    if index is None:
        index = _build_hashed_idf(weights)
        if index is not None:
            _save_npz(path, key=np.array(key), **index._asdict())
    weights._hashed_index = index or False  # type: ignore[attr-defined]
    return index


def _save_npz(path: Path, **arrays: Any) -> None:
    from textkit.errors import OutputError
    from textkit.io.writers import atomic_write

    # A cache that cannot be written only costs the build next time.
    with contextlib.suppress(OSError, OutputError), atomic_write(path, binary=True) as handle:
        np.savez(handle, **arrays)


def _idf_of(
    extractor: KeywordExtractor, tokens: list[str], is_word: Any, hashes: tuple[Any, Any]
) -> Any:
    """The IDF of each of ``tokens`` that is a word (``is_word``), 0 for the others;
    ``hashes``: the tokens' two character hashes."""
    values = np.zeros(len(tokens))
    at = np.flatnonzero(is_word)
    index = _hashed_idf(extractor.idf.weights)
    if index is None or not len(index.h1):
        values[at] = extractor._idf_many([tokens[i] for i in at.tolist()])
        return values
    h1, h2 = hashes[0][at], hashes[1][at]
    spot = np.minimum(np.searchsorted(index.h1, h1), len(index.h1) - 1)
    found = (index.h1[spot] == h1) & (index.h2[spot] == h2)
    values[at] = np.where(found, index.idf[spot], extractor.idf.unknown)
    return values


def _vocabulary(extractor: KeywordExtractor) -> _Vocabulary:
    vocab = getattr(extractor, "_batch_vocabulary", None)
    if vocab is None or vocab.size > MAX_VOCAB:  # bounded: a huge input stays bounded
        vocab = _Vocabulary()
        extractor._batch_vocabulary = vocab  # type: ignore[attr-defined]
    return vocab


def groups_of(texts: Sequence[str], budget: int = CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, stop) ranges of ``texts`` holding about ``budget`` characters each, a text
    of ``budget`` or more alone: the arrays of a group take a few hundred bytes a token."""
    ranges = []
    start, size = 0, 0
    for i, text in enumerate(texts):
        if len(text) >= budget and i > start:
            ranges.append((start, i))
            start, size = i, 0
        size += len(text)
        if size >= budget:
            ranges.append((start, i + 1))
            start, size = i + 1, 0
    if start < len(texts):
        ranges.append((start, len(texts)))
    return ranges


def _table(function: Any, top: int) -> Any:
    """``function(i)`` for i in 0..top, computed by Python's float arithmetic (the same
    pow() the per-document code calls), as an array to index."""
    return np.array([function(i) for i in range(top + 1)], dtype=np.float64)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A batch makes hundreds of thousands of strings, lists and tuples at once, none of
    which can form a reference cycle; the cyclic collector would scan them over and over
    (a third of the time on news titles), so it pauses meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def extract_batch(extractor: KeywordExtractor, texts: Sequence[str], k: int) -> list[Keywords]:
    """``[extractor.extract(text, k) for text in texts]``, computed for all texts at once.

    Only for the default kind of extraction: tf-idf, no POS filter, not jieba_compat.
    """
    with _collector_paused():
        docs, words, weights = extract_columns(extractor, texts, k)
        pairs = list(zip(words, weights, strict=True))
        bounds = np.searchsorted(docs, np.arange(len(texts) + 1)).tolist()
        return [pairs[bounds[d] : bounds[d + 1]] for d in range(len(texts))]


def extract_columns(extractor: KeywordExtractor, texts: Sequence[str], k: int) -> Columns:
    """extract_batch's keywords as three columns (document index, keyword, weight):
    documents in order, each one's keywords best first. Output code formats these whole
    instead of row by row."""
    docs: list[int] = []
    words: list[str] = []
    weights: list[float] = []
    with _collector_paused():
        for start, stop in groups_of(texts, CHUNK_CHARS):
            if stop - start == 1 and len(texts[start]) > HUGE_TEXT:
                # The arrays take ~350 bytes a character; extract() ~40.
                d, w, s = columns_of([extractor.extract(texts[start], k)])
            else:
                d, w, s = _extract_group(extractor, texts[start:stop], k)
            docs += (np.asarray(d, np.int64) + start).tolist()
            words += w
            weights += s
    return docs, words, weights


def _tokens(extractor: KeywordExtractor, texts: Sequence[str], text: str) -> Any:
    """The tokens of ``text`` (the texts joined by newlines) with their spans, and the
    indices of the newline tokens between texts; None if tokens do not spell the texts.

    One tokenizer call for all texts: jieba cuts blocks of word characters separately, so
    a newline between two texts changes no token of either (checked: each separator must
    come back as a token of its own; if not, say a text ending in "\\r", the texts are
    cut one by one)."""
    lengths = np.cumsum([len(t) + 1 for t in texts])
    separators = lengths[:-1] - 1
    for attempt in range(2):
        if attempt == 0:
            tokens = extractor.tokenizer.cut(text, keep_spaces=True)
        else:
            cut = extractor.tokenizer.cut
            tokens = cut(texts[0], keep_spaces=True)
            for part in texts[1:]:
                tokens.append("\n")
                tokens.extend(cut(part, keep_spaces=True))
        ends = np.cumsum(np.fromiter(map(len, tokens), np.int64, len(tokens)))
        if not len(ends) or ends[-1] != len(text):
            continue
        starts = np.concatenate([[0], ends[:-1]])
        at = np.minimum(np.searchsorted(starts, separators), len(starts) - 1)
        if (starts[at] == separators).all() and (ends[at] == separators + 1).all():
            return starts, ends, at
    return None


class _Layout(NamedTuple):
    """The documents' tokens (whitespace dropped) as arrays, one entry per token."""

    texts: Sequence[str]
    doc: Any  # its document
    end: Any  # its end offset in its document's text
    length: Any  # its length in characters
    joined: Any  # a space joins it to the token before (two English words)
    linked: Any  # it continues the run of the token before (no boundary, no break)
    code: Any  # twice its MAX_CHARS width, or BOUNDARY (punctuation, digits, stopwords)
    usable: Any  # it may be part of a candidate (a word within MAX_CHARS)
    order: Any  # its position among its document's words
    idf: Any
    hashes: Any  # (h1, p1, h2, p2): its character hashes and base**length
    points: Any  # the code points of the texts joined by newlines


def _layout(extractor: KeywordExtractor, texts: Sequence[str]) -> _Layout | None:
    """Tokenize ``texts`` and describe the tokens; None where only extract() is exact."""
    text = "\n".join(texts)
    cut = _tokens(extractor, texts, text)
    if cut is None:
        return None
    starts, ends, separators = cut
    separator = np.zeros(len(starts), bool)
    separator[separators] = True
    doc = np.cumsum(separator)
    raw = np.flatnonzero(~separator)
    starts, ends, doc = starts[raw], ends[raw], doc[raw]
    points = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)
    points = points.astype(np.uint64)
    hashes = [_char_hashes(points, starts, ends, base) for base in BASES]
    vocab = _vocabulary(extractor)
    ids = vocab.lookup(extractor, (hashes[0][0], hashes[1][0]), text, np.stack([starts, ends], 1))
    if ids is None:
        return None  # a 128-bit clash
    arrays = vocab.arrays
    if arrays["spaced"][ids].any():
        # A token with a space at an end (no tokenizer makes one): the fragment filter's
        # strip() would not match the sub-n-gram hashes. Rare enough to go the slow way.
        return None
    codes = arrays["code"][ids]
    space = codes == WHITESPACE
    after_space = np.zeros(len(ids), bool)
    after_space[1:] = space[:-1] & (doc[1:] == doc[:-1])

    # From here on, whitespace tokens are gone (as in KeywordExtractor._tokens).
    kept = np.flatnonzero(~space)
    tid, tdoc, codes = ids[kept], doc[kept], codes[kept]
    doc_start = np.concatenate([[0], np.cumsum([len(t) + 1 for t in texts])[:-1]])
    size = len(kept)
    same_doc = np.zeros(size, bool)
    same_doc[1:] = tdoc[1:] == tdoc[:-1]
    after = after_space[kept]
    # The joiner to the token before: "" (none), " " (two English words), or a break.
    joined = np.zeros(size, bool)
    joined[1:] = (
        after[1:]
        & same_doc[1:]
        & arrays["ends_word"][tid[:-1]].astype(bool)
        & arrays["starts_word"][tid[1:]].astype(bool)
    )
    broken = after & ~joined
    word = codes != BOUNDARY
    linked = np.zeros(size, bool)
    linked[1:] = word[:-1] & word[1:] & same_doc[1:] & ~broken[1:]
    word_count = np.cumsum(word)
    doc_first = np.searchsorted(tdoc, np.arange(len(texts)))
    before_doc = np.concatenate([[0], word_count])[doc_first]
    return _Layout(
        texts=texts,
        doc=tdoc,
        end=ends[kept] - doc_start[tdoc],
        length=ends[kept] - starts[kept],
        joined=joined,
        linked=linked,
        code=codes,
        usable=(codes > 0) & (codes <= 2 * MAX_CHARS),
        order=word_count - 1 - before_doc[tdoc],
        idf=arrays["idf"][tid],
        hashes=[x[kept] for pair in hashes for x in pair],
        points=points,
    )


class _Candidates(NamedTuple):
    """Distinct candidate strings ("groups"), one entry per string and document."""

    start: Any  # the first token of its earliest occurrence
    size: Any  # that occurrence's number of tokens
    tf: Any
    keep: Any  # a keyword candidate: one token, or repeated and not a fragment


def _candidates(extractor: KeywordExtractor, tokens: _Layout) -> _Candidates | None:
    """Every n-gram of up to max_tokens usable, linked tokens within MAX_CHARS and at
    least min_len characters, counted per string; then the fragment filter (_closed)."""
    n_tokens = len(tokens.doc)
    limit = 2 * MAX_CHARS
    width = np.concatenate([[0], np.cumsum(np.where(tokens.code != BOUNDARY, tokens.code, 0))])
    chars = np.concatenate([[0], np.cumsum(tokens.length)])
    spaces = np.concatenate([[0], np.cumsum(tokens.joined)])
    mix = tokens.doc.astype(np.uint64) * DOC_MIX
    h1, p1, h2, p2 = tokens.hashes
    # A token's hash and power inside an n-gram, where a joining space comes with it.
    base1, base2 = (np.uint64(b) for b in BASES)
    joined = tokens.joined
    h1j, p1j = np.where(joined, SPACE * p1 + h1, h1), np.where(joined, p1 * base1, p1)
    h2j, p2j = np.where(joined, SPACE * p2 + h2, h2), np.where(joined, p2 * base2, p2)
    levels = [(tokens.usable, h1, h2)]  # per n: valid[a], hashes of tokens a..a+n-1
    # Occurrences, level after level; where[n - 1][a]: the occurrence of the n-gram at a.
    occ_start, occ_n, occ_h1, occ_h2, where = [], [], [], [], []
    count = 0
    for n in range(1, extractor.max_tokens + 1):
        m = n_tokens - n + 1
        if m <= 0:
            break
        if n > 1:
            valid, g1, g2 = levels[-1]
            valid = (
                valid[:m]
                & tokens.usable[n - 1 :]
                & tokens.linked[n - 1 :]
                & (width[n:] - width[:m] <= limit)
            )
            g1 = g1[:m] * p1j[n - 1 :] + h1j[n - 1 :]
            g2 = g2[:m] * p2j[n - 1 :] + h2j[n - 1 :]
            levels.append((valid, g1, g2))
        valid, g1, g2 = levels[-1]
        length = chars[n : n + m] - chars[:m] + spaces[n : n + m] - spaces[1 : m + 1]
        found = np.flatnonzero(valid & (length >= extractor.min_len))
        index = np.full(m + 1, -1, np.int64)  # one spare: a + 1 may be m
        index[found] = np.arange(count, count + len(found))
        count += len(found)
        where.append(index)
        occ_start.append(found)
        occ_n.append(np.full(len(found), n, np.int64))
        occ_h1.append(g1[found] ^ mix[found])
        occ_h2.append(g2[found])
    if not count:
        return _Candidates(*(np.zeros(0, np.int64) for _ in range(3)), np.zeros(0, bool))
    occ_a = np.concatenate(occ_start)
    occ_k1, occ_k2 = np.concatenate(occ_h1), np.concatenate(occ_h2)
    # Group the occurrences by string. Per group: tf, and the earliest occurrence, which
    # gives the first position and the parts (a start's n-gram is unique: min of a*8+n).
    by_key = _group_order(occ_k1)
    k1 = occ_k1[by_key]
    new_group = np.ones(count, bool)
    new_group[1:] = k1[1:] != k1[:-1]
    k2 = occ_k2[by_key]
    if (k2[1:] != k2[:-1])[~new_group[1:]].any():
        return None  # a 64-bit clash
    heads = np.flatnonzero(new_group)
    tf = np.diff(np.append(heads, count))
    earliest = np.minimum.reduceat((occ_a * 8 + np.concatenate(occ_n))[by_key], heads)
    start, size = earliest >> 3, earliest & 7
    group_of = np.empty(count, np.int64)
    group_of[by_key] = np.cumsum(new_group) - 1
    # The fragment filter: a multi-token string covers itself minus its first or its
    # last token (as first cut) with its tf.
    covered = np.zeros(len(heads), np.int64)
    for n in range(2, extractor.max_tokens + 1):
        pick = np.flatnonzero(size == n)
        if not len(pick):  # (where[] stops at the longest n-gram the tokens allow)
            continue
        a = start[pick]
        for sub in (where[n - 2][a + 1], where[n - 2][a]):
            hit = sub >= 0
            np.maximum.at(covered, group_of[sub[hit]], tf[pick[hit]])
    keep = ((size == 1) | (tf >= MIN_PHRASE_TF)) & (covered < tf)
    return _Candidates(start, size, tf, keep)


def _scores(extractor: KeywordExtractor, tokens: _Layout, found: _Candidates) -> Any:
    """Each candidate's tf-idf weight: KeywordExtractor._ranked's float operations, in
    the same order (so the same float, bit for bit)."""
    start, size, tf = found.start, found.size, found.tf
    total = tokens.idf[start]
    for j in range(1, extractor.max_tokens):
        more = np.flatnonzero(size > j)
        total[more] = total[more] + tokens.idf[start[more] + j]
    top = extractor.max_tokens
    score = _table(lambda t: t**TF_POWER, int(tf.max(initial=0)))[tf] * total
    score = score * (
        (1.0 + POSITION_WEIGHT / np.sqrt(1.0 + tokens.order[start]))
        / _table(lambda n: n**LENGTH_POWER, top)[size]
    )
    long = np.flatnonzero(size > LONG_PHRASE_TOKENS)
    if len(long):
        penalty = _table(lambda n: (LONG_PHRASE_TOKENS / max(n, 1)) ** LONG_PHRASE_POWER, top)
        score[long] = score[long] * penalty[size[long]]
    return score


def _extract_group(extractor: KeywordExtractor, texts: Sequence[str], k: int) -> Columns:
    tokens = _layout(extractor, texts)
    found = None if tokens is None else _candidates(extractor, tokens)
    if tokens is None or found is None:  # see where None comes from
        return columns_of([extractor.extract(text, k) for text in texts])
    return _select(extractor, tokens, found, _scores(extractor, tokens, found), k)


def _select(
    extractor: KeywordExtractor, tokens: _Layout, found: _Candidates, score: Any, k: int
) -> Columns:
    """Each document's best k candidates (all if k is 0), topped up with single words
    when it has fewer (KeywordExtractor.extract)."""
    texts = tokens.texts
    start, end = found.start, found.start + found.size - 1
    doc = tokens.doc[start]
    first = tokens.order[start]
    spaces = np.concatenate([[0], np.cumsum(tokens.joined)])

    def phrases(rows: Any) -> list[str]:
        """The strings of candidates ``rows``: a slice of the text unless a space joins."""
        d, a, b = doc[rows], start[rows], end[rows]
        stop = tokens.end[b]
        begin = tokens.end[a] - tokens.length[a]
        out = [
            texts[i][s:e] for i, s, e in zip(d.tolist(), begin.tolist(), stop.tolist(), strict=True)
        ]
        for r in np.flatnonzero(spaces[b + 1] != spaces[a + 1]).tolist():
            parts = []
            for t in range(int(a[r]), int(b[r]) + 1):
                if t > a[r] and tokens.joined[t]:
                    parts.append(" ")
                parts.append(texts[int(d[r])][tokens.end[t] - tokens.length[t] : tokens.end[t]])
            out[r] = "".join(parts)
        return out

    def ranked(rows: Any) -> Any:
        """``rows`` by document, then best score, then first position (_ranked's order)."""
        return rows[np.lexsort((first[rows], -score[rows], doc[rows]))]

    best = ranked(np.flatnonzero(found.keep))
    best_doc = doc[best]
    # Two candidates of a document tying on score and first position: the phrase decides
    # (_ranked sorts (-score, first, phrase) tuples). Rare: one CSL abstract in a thousand,
    # so those documents' candidates are simply sorted again that way, in Python.
    tied = best_doc[1:][
        (best_doc[1:] == best_doc[:-1])
        & (score[best][1:] == score[best][:-1])
        & (first[best][1:] == first[best][:-1])
    ]
    for d in np.unique(tied).tolist():
        at = np.flatnonzero(best_doc == d)
        rows = best[at]
        keys = zip(
            (-score[rows]).tolist(), first[rows].tolist(), phrases(rows), rows.tolist(), strict=True
        )
        best[at] = [row for *_, row in sorted(keys)]
    kept_count = np.bincount(best_doc, minlength=len(texts))
    if k:
        rank = np.arange(len(best)) - np.searchsorted(best_doc, best_doc)
        best = best[rank < k]
        best_doc = best_doc[rank < k]
    texts_of = phrases(best)
    if k:
        # Short texts: single words that are not candidates (_top_up).
        spare = ranked(np.flatnonzero((found.size == 1) & ~found.keep & (kept_count < k)[doc]))
        word_end = tokens.end[start[spare]]  # offered words are single tokens
        word_start = word_end - tokens.length[start[spare]]
        offers = (doc[spare], word_start, word_end)
        taken, taken_texts = _top_up(k, texts, (best_doc, texts_of), offers)
        if taken:
            # best + extra, then a stable sort by weight (as extract does).
            best = np.concatenate([best, spare[taken]])
            texts_of += taken_texts
            perm = np.lexsort((np.arange(len(best)), -score[best], doc[best]))
            best = best[perm]
            texts_of = [texts_of[i] for i in perm.tolist()]
            best_doc = doc[best]
    return best_doc.tolist(), texts_of, score[best].tolist()


def _top_up(
    k: int,
    texts: Sequence[str],
    chosen: tuple[Any, list[str]],
    offers: tuple[Any, Any, Any],
) -> tuple[list[int], list[str]]:
    """KeywordExtractor._top_up for short documents: single words, best first, each taken
    unless inside a chosen phrase or a word taken before it, until the document has k
    keywords. ``chosen``: (document, phrase) of the chosen, by document; ``offers``:
    (document, start, end) of the single words, by document, best first. Returns the
    offers taken and their strings (sliced only when looked at: a long text offers
    hundreds of words and needs a few). A Python loop: vectorised variants measured
    slower on news titles, where nearly every offered word is taken."""
    chosen_doc, chosen_text = chosen
    offer_doc, begin, stop = offers
    begin, stop = begin.tolist(), stop.tolist()
    short = np.unique(offer_doc)
    chosen_at = np.searchsorted(chosen_doc, short).tolist()
    chosen_stop = np.searchsorted(chosen_doc, short, "right").tolist()
    offer_at = np.searchsorted(offer_doc, short).tolist()
    offer_stop = np.searchsorted(offer_doc, short, "right").tolist()
    taken: list[int] = []
    taken_texts: list[str] = []
    for d, c0, c1, s0, s1 in zip(
        short.tolist(), chosen_at, chosen_stop, offer_at, offer_stop, strict=True
    ):
        missing = k - (c1 - c0)
        words = "\n".join(chosen_text[c0:c1])  # a word is never across a newline
        source = texts[d]
        for i in range(s0, s1):
            if not missing:
                break
            word = source[begin[i] : stop[i]]
            if word not in words:
                taken.append(i)
                taken_texts.append(word)
                words += "\n" + word
                missing -= 1
    return taken, taken_texts
