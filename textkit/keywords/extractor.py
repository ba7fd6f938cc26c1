"""Keyword extraction: tf-idf or TextRank over key phrases (default) or single words.

Why phrases: most real keywords are several jieba tokens ("图神经网络", "关键词抽取"), so
candidates are n-grams of up to 4 tokens inside stretches free of punctuation, digits and
stopwords. A phrase must occur at least twice, and a candidate that never occurs outside
one longer candidate is dropped (the longer one says it better). Scores (tfidf):

    tf^0.75 * (sum of the tokens' IDF) / n_tokens^0.25 * (1 + 1/sqrt(1 + first position))
        * min(1, 2 / n_tokens)^2

TextRank replaces tf * IDF by each token's PageRank on the co-occurrence graph. The knobs
were tuned on the first half of the CSL keyword dev set only (see README).

``jieba_compat=True`` instead reproduces ``jieba.analyse.extract_tags`` / ``textrank`` with
their defaults: same keywords, same float weights.
"""

from __future__ import annotations

import heapq
import math
import re
import sys
from collections.abc import Iterable, Sequence
from itertools import accumulate
from operator import itemgetter, sub
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textkit.checks import paths_arg, text_arg, texts_arg
from textkit.errors import ConfigError
from textkit.keywords.candidates import (
    BOUNDARY,
    LENGTH_POWER,
    LONG_PHRASE_POWER,
    LONG_PHRASE_TOKENS,
    MAX_CHARS,
    MAX_TOKENS,
    MIN_PHRASE_TF,
    POSITION_WEIGHT,
    TF_POWER,
    Columns,
    Keywords,
    _is_ascii_word_char,
    columns_of,
    token_code,
)
from textkit.text.idf import IdfTable, load_idf
from textkit.text.tokenizer import Tokenizer

if TYPE_CHECKING:
    from textkit.errors import InputError
    from textkit.io.readers import Unit

METHODS = ("tfidf", "textrank")
DEFAULT_BACKEND = "fast"  # rjieba: same F1 as jieba on the CSL benchmark, ~3x the speed

BATCH_MIN_TEXTS = 32  # extract_many vectorises batches of at least this many texts
# Documents per chunk for `textkit keywords`: numpy's per-call costs spread over more
# documents (1,024 titles per batch run ~15% faster per title than 256).
BATCH_SIZE = 1024
# With worker processes, chunks grow from 256 to 4,096 documents: each chunk's round trip
# to a worker costs a few milliseconds, which 256-title chunks (5 ms of work) could not
# hide (-j 2 on 670,000 titles: 19 s with 256, 14 s with 1,024, 11 s with 4,096; -j 1 19 s).
PARALLEL_BATCH_SIZE = 4096
BATCH_CHARS = 1_000_000  # ... and at most about this many characters per chunk
# --lines input travels as undecoded blocks of lines of these sizes in bytes (first,
# largest): about 1,200 news titles at -j 1; with workers, from 300 titles (every worker
# starts early) up to about 4,800.
BLOCK_BYTES = (64 << 10, 64 << 10)
PARALLEL_BLOCK_BYTES = (16 << 10, 256 << 10)

WINDOW = 5  # TextRank: tokens i < j are linked when j - i < WINDOW (jieba's span)
DAMPING = 0.85
TOLERANCE = 1e-8
ALL_KEYWORDS = 1 << 40  # top_k=0
MAX_ITERATIONS = 1000  # at least; more for a damping near 1 (see KeywordExtractor)

# jieba.analyse's English stop words (jieba/analyse/tfidf.py), used by jieba_compat.
# fmt: off
JIEBA_STOP_WORDS = frozenset((
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as",
    "on", "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have",
    "all", "not", "one", "has", "or",
))
# fmt: on
JIEBA_TEXTRANK_POS = ("ns", "n", "vn", "v")

_SPACE = re.compile(r"\s")  # the same characters as str.isspace()


def _joinable(left: str, right: str) -> bool:
    """English words separated by a space stay one phrase ("machine learning")."""
    return _is_ascii_word_char(left[-1:]) and _is_ascii_word_char(right[:1])


def _repeated(text: str, phrase: str, offset: int) -> bool:
    """Whether ``phrase``, found in ``text`` at ``offset``, also occurs at another offset."""
    return text.find(phrase) < offset or text.find(phrase, offset + 1) >= 0


def _hidden(
    found: dict[str, list[int]], linked: list[bool], width: list[int], pairs_alive: list[bool]
) -> set[str]:
    """Single-token candidates that a pruned n-gram would have dropped as fragments.

    A pruned n-gram Q occurs once, so it only drops a candidate w (its tokens minus the
    first or the last) if w occurs once too: had Q 3+ tokens, w would be a recorded
    multi-token n-gram inside Q besides w's own occurrence. So w is one token, occurs once,
    and Q is w with one neighbour in its run: a two-token n-gram within MAX_CHARS that
    was pruned (its text occurs once).
    """
    limit = 2 * MAX_CHARS
    hidden = set()
    for phrase, (tf, _, a, b) in found.items():
        if tf != 1 or a != b:
            continue
        pruned_before = (
            linked[a] and not pairs_alive[a - 1] and width[a + 1] - width[a - 1] <= limit
        )
        pruned_after = linked[a + 1] and not pairs_alive[a] and width[a + 2] - width[a] <= limit
        if pruned_before or pruned_after:
            hidden.add(phrase)
    return hidden


class _Layout(NamedTuple):
    text: str
    start: list[int]
    end: list[int]
    linked: list[bool]
    order: list[int]
    width: list[int]


class KeywordExtractor:
    """Extract keywords from many documents, loading the IDF table, stopwords and tokenizer once.

    ``method``: ``tfidf`` or ``textrank``. ``phrases``: multi-token candidates (else single
    words). ``pos``: keep only candidates whose last token (the head of a Chinese phrase)
    has one of these jieba POS tags; tagging costs time, so it only happens when asked.
    ``min_len``: shortest keyword in characters. ``idf``: a ``word idf`` file (default:
    jieba's table). ``backend``: ``fast`` (rjieba, default) or ``jieba``.
    ``window``/``damping``/``tol``: TextRank's graph window and PageRank parameters.
    ``jieba_compat``: reproduce jieba.analyse exactly (jieba tokenizer, jieba's stop words
    plus ``stopword_files``, single words; ``phrases``, ``min_len``, the default stopwords
    and ``backend`` are ignored).
    """

    def __init__(
        self,
        method: str = "tfidf",
        *,
        top_k: int = 10,
        phrases: bool = True,
        pos: Iterable[str] | None = None,
        min_len: int = 2,
        stopword_files: Sequence[str | Path] = (),
        default_stopwords: bool = True,
        user_dict: str | Path | None = None,
        idf: str | Path | None = None,
        backend: str = DEFAULT_BACKEND,
        window: int = WINDOW,
        damping: float = DAMPING,
        tol: float = TOLERANCE,
        jieba_compat: bool = False,
    ) -> None:
        if method not in METHODS:
            raise ConfigError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
        if window < 2 or not 0 < damping < 1 or tol <= 0 or top_k < 0:
            raise ConfigError("need window >= 2, 0 < damping < 1, tol > 0 and top_k >= 0")
        from textkit.text.stopwords import load_stopwords, read_stopword_file

        self.method = method
        self.top_k = top_k
        self.max_tokens = MAX_TOKENS if phrases else 1
        if isinstance(pos, str):  # "n,vn" as on the command line, not the letters n , v n
            pos = [tag.strip() for tag in pos.split(",") if tag.strip()]
        self.pos = frozenset(pos) if pos else None
        if min_len < 1:
            raise ConfigError("min_len must be 1 or more")
        stopword_files = paths_arg(stopword_files)
        self.min_len = min_len
        self.window = window
        self.damping = damping
        self.tol = tol
        # PageRank's error shrinks by the damping factor each iteration, from at most 2 to
        # networkx's bound of tol x nodes (>= tol): near 1 it needs thousands of iterations.
        self._max_iter = max(MAX_ITERATIONS, math.ceil(math.log(tol / 2) / math.log(damping)) + 10)
        self.jieba_compat = jieba_compat
        self.idf: IdfTable = load_idf(idf)
        if jieba_compat:
            self.stopwords = JIEBA_STOP_WORDS.union(*map(read_stopword_file, stopword_files))
            backend = "jieba"
        else:
            self.stopwords = load_stopwords(stopword_files, use_default=default_stopwords)
        self.tokenizer = Tokenizer(user_dict=user_dict, backend=backend)
        self._codes: dict[str, int] = {}  # token -> doubled width, or BOUNDARY
        self._spaced: set[str] = set()  # tokens with a space at an end (never seen so far)
        self._idf_memo: dict[str, float] = {}

    # -- tokens ---------------------------------------------------------------------------

    def _is_boundary(self, token: str) -> bool:
        return self._width2(token) == BOUNDARY

    def _width2(self, token: str) -> int:
        """Twice the token's MAX_CHARS width (an int, so spans add up exactly), or BOUNDARY
        for punctuation, digits and stopwords. Memoised: a document repeats its tokens."""
        code = self._codes.get(token)
        if code is None:
            code = token_code(token, self.stopwords)
            if code != BOUNDARY and (token[:1] == " " or token[-1:] == " "):
                # The fragment filter strips spaces at a phrase's ends; the pruning in
                # _candidates assumes tokens have none (the tokenizers never make one).
                self._spaced.add(token)
            if len(self._codes) < 1_000_000:  # bounded memo: a huge input stays bounded
                self._codes[token] = code
        return code

    def _tokens(self, text: str) -> tuple[list[str], list[str | None], list[bool] | None]:
        """Tokens without whitespace; the joiner to the previous token ("", " ", or None
        for a break); whether each token may end a candidate (the POS filter; None: all)."""
        if self.pos is not None:
            return self._tagged_tokens(text)
        words = self.tokenizer.cut(text, keep_spaces=True)
        if _SPACE.search(text) is None:  # tokens are pieces of the text: none is whitespace
            return words, [""] * len(words), None
        spaces = [i for i, word in enumerate(words) if not word or word.isspace()]
        if not spaces:
            return words, [""] * len(words), None
        # Whitespace is rare: copy the stretches between whitespace tokens whole; only the
        # token after a whitespace stretch gets a " " (two English words) or None joiner.
        tokens: list[str] = []
        joins: list[str | None] = []
        begin = 0
        for end in [*spaces, len(words)]:
            if end > begin:
                word = words[begin]
                if begin == 0:
                    joins.append("")
                elif tokens and _joinable(tokens[-1], word):
                    joins.append(" ")
                else:
                    joins.append(None)
                joins.extend([""] * (end - begin - 1))
                tokens.extend(words[begin:end])
            begin = end + 1
        return tokens, joins, None

    def _tagged_tokens(self, text: str) -> tuple[list[str], list[str | None], list[bool]]:
        """_tokens with the POS filter: tag every token, keep whether its tag is allowed."""
        allowed = self.pos or frozenset()
        tokens: list[str] = []
        joins: list[str | None] = []
        heads: list[bool] = []
        space = False
        for word, tag in self.tokenizer.cut_pos(text, keep_spaces=True):
            if word.isspace() or not word:
                space = True
                continue
            if not space:
                joins.append("")
            elif tokens and _joinable(tokens[-1], word):
                joins.append(" ")
            else:
                joins.append(None)
            space = False
            tokens.append(word)
            heads.append(tag in allowed)
        return tokens, joins, heads

    # -- candidates -----------------------------------------------------------------------
    #
    # What the result must be (the definition the equivalence tests pin down): every
    # n-gram of at most max_tokens tokens inside a run (no boundary token, no break), at
    # most MAX_CHARS wide, at least min_len characters long and ending on a POS head, is an
    # occurrence of its string. Per string: tf = its occurrences, first = the position of
    # the earliest one, parts = that one's tokens. A string is kept when it is one token
    # (parts) or has tf >= 2, and no multi-token string whose parts minus the first or the
    # last token spell it has a tf at least as large (the fragment filter).
    #
    # Enumerating every n-gram is most of the work, and most n-grams occur once. So the
    # document's tokens are laid out as one string, and an n-gram is only looked at if both
    # of its (n-1)-gram sub-spans occur at least twice *as text* (a string seen twice as
    # tokens is seen twice as text, and so are its prefix and suffix: the apriori rule
    # holds at the character level even when the tokenizer cuts the same text two ways).
    # A pruned n-gram's string has tf 1 and 2+ tokens: never kept itself, and it can only
    # hide a single-token string that occurs once, right next to it (see _hidden).

    @staticmethod
    def _layout(tokens: list[str], joins: list[str | None], codes: list[int]) -> _Layout:
        """The tokens as one text (joiners kept, a newline for a break) and, per token:
        its start and end offsets there, whether it continues the run of the token before
        it, its position among non-boundary tokens, and the prefix sums of the widths
        (all list operations in C: no Python loop over the tokens)."""
        if joins.count("") == len(joins):
            pieces: list[str] = tokens
        else:
            pieces = [
                t if j == "" else ("\n" if j is None else j) + t
                for t, j in zip(tokens, joins, strict=True)
            ]
        end = list(accumulate(map(len, pieces)))
        start = list(map(sub, end, map(len, tokens)))
        word = [code != BOUNDARY for code in codes]
        # linked[m]: tokens m-1 and m are in one run (linked[len(tokens)] is False).
        linked = [False]
        linked += [
            w0 and w1 and j is not None
            for w0, w1, j in zip(word[:-1], word[1:], joins[1:], strict=True)
        ]
        linked.append(False)
        order = list(accumulate(word, initial=-1))[1:]
        width = list(accumulate(codes, initial=0))
        return _Layout("".join(pieces), start, end, linked, order, width)

    def _candidates(
        self,
        tokens: list[str],
        joins: list[str | None],
        heads: list[bool] | None,
        codes: list[int],
    ) -> tuple[dict[str, list[int]], set[str]]:
        """phrase -> [tf, first position, first token index, last token index] for every
        n-gram that may matter (see above), and the single words hidden by pruned ones."""
        text, start, end, linked, order, width = self._layout(tokens, joins, codes)
        limit = 2 * MAX_CHARS
        min_len = self.min_len
        # Pruning needs every token to end a candidate (no POS filter) and no token with a
        # space at an end; otherwise every n-gram is enumerated, still exactly.
        prune = heads is None and not (self._spaced and any(t in self._spaced for t in tokens))
        find = text.find
        found: dict[str, list[int]] = {}

        # One token: every one is recorded, and may grow if it fits MAX_CHARS.
        starts: list[int] = []
        for m, code in enumerate(codes):
            if not 0 < code <= limit:  # a boundary token, or too wide on its own
                continue
            starts.append(m)
            token = tokens[m]
            if len(token) >= min_len and (heads is None or heads[m]):
                entry = found.get(token)
                if entry is None:
                    found[token] = [1, order[m], m, m]
                else:
                    entry[0] += 1
        alive = [False] * (len(tokens) + 1)
        for m in starts:
            alive[m] = True
        pairs_alive = alive  # the two-token level's, for _hidden (below)
        # Longer n-grams, one token more per round: a span grows only when its two
        # sub-spans one token shorter were alive in the last round and (pruning) its text
        # occurs at another offset too.
        for n in range(2, self.max_tokens + 1):
            next_alive = [False] * (len(tokens) + 1)
            next_starts: list[int] = []
            for a in starts:
                b = a + n - 1
                if not (alive[a + 1] and linked[b]) or width[b + 1] - width[a] > limit:
                    continue
                s, e = start[a], end[b]
                phrase = text[s:e]
                if prune and find(phrase) == s and find(phrase, s + 1) < 0:
                    continue  # its text occurs once: tf 1, see _hidden
                next_alive[a] = True
                next_starts.append(a)
                if e - s >= min_len and (heads is None or heads[b]):
                    entry = found.get(phrase)
                    if entry is None:
                        found[phrase] = [1, order[a], a, b]
                    else:
                        entry[0] += 1
                        if order[a] < entry[1]:  # an earlier occurrence, cut differently
                            entry[1], entry[2], entry[3] = order[a], a, b
            alive, starts = next_alive, next_starts
            if n == 2:
                pairs_alive = alive
        hidden: set[str] = set()
        if prune and self.max_tokens > 1:
            hidden = _hidden(found, linked, width, pairs_alive)
        return found, hidden

    def _closed(
        self, found: dict[str, list[int]], hidden: set[str], tokens: list[str]
    ) -> list[tuple[str, int, int, int, int]]:
        """Drop phrases seen once and candidates that only occur inside a longer one:
        (phrase, tf, first, first token index, last token index) of the rest."""
        covered: dict[str, int] = dict.fromkeys(hidden, 1)
        for phrase, (tf, _, a, b) in found.items():
            if b > a:
                # The candidates one token shorter on either side (a space joining two
                # English words goes with the token).
                left = phrase[len(tokens[a]) :].lstrip(" ")
                right = phrase[: len(phrase) - len(tokens[b])].rstrip(" ")
                if covered.get(left, 0) < tf:
                    covered[left] = tf
                if covered.get(right, 0) < tf:
                    covered[right] = tf
        get = covered.get
        return [
            (phrase, tf, first, a, b)
            for phrase, (tf, first, a, b) in found.items()
            if (a == b or tf >= MIN_PHRASE_TF) and get(phrase, 0) < tf
        ]

    # -- scoring --------------------------------------------------------------------------

    def _token_rank(self, tokens: list[str], brk: list[bool]) -> dict[str, float]:
        """TextRank token weights: PageRank (IDF-personalised) on the co-occurrence graph."""
        import networkx as nx  # only the textrank path pays for networkx

        graph = nx.Graph()
        for i, a in enumerate(tokens):
            if brk[i]:
                continue
            graph.add_node(a)
            for j in range(i + 1, min(i + self.window, len(tokens))):
                b = tokens[j]
                if brk[j] or b == a:
                    continue
                if graph.has_edge(a, b):
                    graph[a][b]["weight"] += 1.0
                else:
                    graph.add_edge(a, b, weight=1.0)
        if not len(graph):
            return {}
        idf, unknown = self.idf.weights, self.idf.unknown
        try:
            rank = nx.pagerank(
                graph,
                alpha=self.damping,
                personalization={w: idf.get(w, unknown) for w in graph},
                weight="weight",
                tol=self.tol,
                max_iter=self._max_iter,
            )
        except nx.PowerIterationFailedConvergence:
            raise ConfigError(
                f"TextRank did not converge in {self._max_iter} iterations",
                hint="lower --damping or raise --tol",
            ) from None
        size = len(rank)  # scale so an average token weighs 1
        return {w: v * size for w, v in rank.items()}

    def extract(self, text: str, top_k: int | None = None) -> Keywords:
        """The ``top_k`` best keywords of ``text`` with their weights, best first."""
        text_arg(text)
        k = self._limit(top_k)
        if self.jieba_compat:
            compat = self._jieba_tfidf if self.method == "tfidf" else self._jieba_textrank
            return compat(text)[:k]
        tokens, joins, heads = self._tokens(text)
        codes = list(map(self._codes.get, tokens))
        if None in codes:
            codes = [self._width2(t) for t in tokens]
        found, hidden = self._candidates(tokens, joins, heads, codes)
        candidates = [
            (phrase, tf, first, tokens[a : b + 1])
            for phrase, tf, first, a, b in self._closed(found, hidden, tokens)
        ]
        rank: dict[str, float] = {}
        if self.method == "textrank":
            rank = self._token_rank(tokens, [code == BOUNDARY for code in codes])
        best = self._ranked(candidates, rank, k)
        if len(best) < k:  # k is never 0 here (see _limit)
            kept = {p for p, *_ in candidates}
            best += self._top_up(found, kept, best, rank, k - len(best))
            best.sort(key=lambda kw: -kw[1])  # stable: weights stay in descending order
        return best

    def extract_many(self, texts: Sequence[str], top_k: int | None = None) -> list[Keywords]:
        """``[self.extract(text, top_k) for text in texts]``: the same keywords, several
        times faster on a batch (numpy over all texts at once, see textkit.keywords.batch).

        Small batches go text by text until numpy is loaded anyway: importing it costs
        more than it saves on a few texts, and start-up matters for short runs.
        """
        texts = texts_arg(texts)
        k = self._limit(top_k)
        if self._batchable(texts):
            from textkit.keywords.batch import extract_batch

            return extract_batch(self, texts, k)
        return [self.extract(text, k) for text in texts]

    def extract_columns(self, texts: Sequence[str], top_k: int | None = None) -> Columns:
        """extract_many's keywords as three columns: document index (into ``texts``),
        keyword, weight; documents in order, each one's keywords best first."""
        texts = texts_arg(texts)
        k = self._limit(top_k)
        if self._batchable(texts):
            from textkit.keywords.batch import extract_columns

            return extract_columns(self, texts, k)
        return columns_of([self.extract(text, k) for text in texts])

    def _limit(self, top_k: int | None) -> int:
        """How many keywords to keep: ``top_k`` (else the extractor's), 0 meaning all."""
        k = self.top_k if top_k is None else top_k
        if not isinstance(k, int) or k < 0:
            raise ConfigError(f"top_k must be 0 (all) or more, got {k!r}")
        # "All" is a k no text reaches, so it goes through the same code as any k: the
        # single-word top-up included (without it, -k 0 gave fewer than -k 5).
        return k or ALL_KEYWORDS

    def _batchable(self, texts: Sequence[str]) -> bool:
        if self.method != "tfidf" or self.pos is not None or self.jieba_compat:
            return False
        return len(texts) >= BATCH_MIN_TEXTS or "numpy" in sys.modules

    def _ranked(
        self,
        candidates: Iterable[tuple[str, int, int, list[str]]],
        rank: dict[str, float],
        k: int = 0,
    ) -> Keywords:
        """Score candidates and sort them best first (ties: earlier, then alphabetical);
        only the best ``k`` when ``k`` > 0 (a heap: most candidates are never sorted)."""
        textrank = self.method == "textrank"
        idf = self._idf_weights
        sqrt = math.sqrt
        scored = []
        for phrase, tf, first, parts in candidates:
            if textrank:
                score = sum([rank.get(t, 0.0) for t in parts])
            else:
                score = tf**TF_POWER * sum([idf(t) for t in parts])
            n = len(parts)
            score *= (1.0 + POSITION_WEIGHT / sqrt(1.0 + first)) / n**LENGTH_POWER
            if n > LONG_PHRASE_TOKENS:
                score *= (LONG_PHRASE_TOKENS / n) ** LONG_PHRASE_POWER
            scored.append((-score, first, phrase))
        if k:
            scored = heapq.nsmallest(k, scored)  # == sorted(scored)[:k]
        else:
            scored.sort()
        return [(phrase, -neg) for neg, _, phrase in scored]

    def _idf_weights(self, token: str) -> float:
        """The token's IDF (the table's lookups go through SQLite at first: memoised)."""
        value = self._idf_memo.get(token)
        if value is None:
            if len(self._idf_memo) >= 1_000_000:  # bounded memo: a huge input stays bounded
                self._idf_memo.clear()
            value = self._idf_memo[token] = self.idf.weights.get(token, self.idf.unknown)
        return value

    def _idf_many(self, tokens: list[str]) -> list[float]:
        """``[self._idf_weights(t) for t in tokens]``, in one go when the table can."""
        get_many = getattr(self.idf.weights, "get_many", None)
        if get_many is None:
            return [self._idf_weights(token) for token in tokens]
        return get_many(tokens, self.idf.unknown)

    def _top_up(
        self,
        found: dict[str, list[int]],
        kept: set[str],
        best: Keywords,
        rank: dict[str, float],
        missing: int,
    ) -> Keywords:
        """A short text may leave fewer than k phrases: fill up with its best single words
        (not already part of a chosen phrase), so ``-k`` is honoured whenever the text has
        enough words. On CSL this changes F1@5 by -0.0003 and leaves no document short."""
        # _ranked's score for a one-token candidate, inlined (this runs for nearly every
        # short text): the same float operations in the same order, so the same weights.
        textrank = self.method == "textrank"
        idf = self._idf_weights
        sqrt = math.sqrt
        scored = []
        for phrase, (tf, first, a, b) in found.items():
            if a == b and phrase not in kept:
                base = rank.get(phrase, 0.0) if textrank else tf**TF_POWER * idf(phrase)
                scored.append(
                    (-(base * (1.0 + POSITION_WEIGHT / sqrt(1.0 + first))), first, phrase)
                )
        scored.sort()
        chosen = [p for p, _ in best]
        extra: Keywords = []
        for neg, _, phrase in scored:
            if len(extra) == missing:
                break
            if not any(phrase in other for other in chosen):
                extra.append((phrase, -neg))
                chosen.append(phrase)
        return extra

    # -- jieba.analyse, reproduced ----------------------------------------------------------

    def _jieba_words(self, text: str) -> list[str]:
        if self.pos is not None:
            return [w for w, tag in self.tokenizer.cut_pos(text) if tag in self.pos]
        if self.tokenizer.user_dict is None:
            from textkit.text.exactcut import cut

            return cut(text)
        return self.tokenizer.cut(text)

    def _jieba_tfidf(self, text: str) -> Keywords:
        """``jieba.analyse.extract_tags(text, topK=None, withWeight=True)``, same arithmetic."""
        stop = self.stopwords
        freq: dict[str, float] = {}
        for w in self._jieba_words(text):
            if len(w.strip()) < 2 or w.lower() in stop:
                continue
            freq[w] = freq.get(w, 0.0) + 1.0
        total = sum(freq.values())
        idf, unknown = self.idf.weights, self.idf.unknown
        for w in freq:
            freq[w] *= idf.get(w, unknown) / total
        return sorted(freq.items(), key=itemgetter(1), reverse=True)

    def _jieba_textrank(self, text: str) -> Keywords:
        """``jieba.analyse.textrank(text, topK=None, withWeight=True)``: 10 Gauss-Seidel
        sweeps over sorted nodes, then jieba's min/max scaling."""
        allowed = self.pos or frozenset(JIEBA_TEXTRANK_POS)
        stop = self.stopwords
        words = self.tokenizer.cut_pos(text, keep_spaces=True)  # spaces count in the span
        keep = [t in allowed and len(w.strip()) >= 2 and w.lower() not in stop for w, t in words]
        pairs: dict[tuple[str, str], int] = {}
        for i in range(len(words)):
            if keep[i]:
                for j in range(i + 1, min(i + WINDOW, len(words))):
                    if keep[j]:
                        key = (words[i][0], words[j][0])
                        pairs[key] = pairs.get(key, 0) + 1
        graph: dict[str, list[tuple[str, int]]] = {}
        for (a, b), w in pairs.items():
            graph.setdefault(a, []).append((b, w))
            graph.setdefault(b, []).append((a, w))
        if not graph:
            return []
        ws = dict.fromkeys(graph, 1.0 / len(graph))
        out_sum = {node: sum((w for _, w in edges), 0.0) for node, edges in graph.items()}
        for _ in range(10):
            for node in sorted(graph):
                s = 0.0
                for other, w in graph[node]:
                    s += w / out_sum[other] * ws[other]
                ws[node] = (1 - 0.85) + 0.85 * s
        low, high = sys.float_info[0], sys.float_info[3]
        for w in ws.values():
            low, high = min(low, w), max(high, w)
        for node, w in ws.items():
            ws[node] = (w - low / 10.0) / (high - low / 10.0)
        return sorted(ws.items(), key=itemgetter(1), reverse=True)


_extractors: dict[tuple[Any, ...], KeywordExtractor] = {}


def extract(text: str, top_k: int = 10, **options: Any) -> Keywords:
    """``[(keyword, weight), ...]`` for one text, with a shared extractor per option set.

    ``options`` are :class:`KeywordExtractor`'s (``method="textrank"``, ``phrases=False``...).
    """
    key = tuple(sorted((name, repr(value)) for name, value in options.items()))
    extractor = _extractors.get(key)
    if extractor is None:
        extractor = _extractors[key] = KeywordExtractor(**options)
    return extractor.extract(text, top_k)


def keyword_records(
    source: str, found: Keywords, weights: bool = True
) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """A document's keywords as output rows (source, rank, keyword[, weight]) and as one
    JSON object ({"source", "keywords": [{"keyword"[, "weight"]}]})."""
    if weights:
        rows = [(source, i, w, s) for i, (w, s) in enumerate(found, 1)]
        listed = [{"keyword": w, "weight": s} for w, s in found]
    else:
        rows = [(source, i, w) for i, (w, _) in enumerate(found, 1)]
        listed = [{"keyword": w} for w, _ in found]
    return rows, {"source": source, "keywords": listed}


def render_chunk(spec: tuple[dict[str, Any], str, bool], items: list[tuple[int, str, str]]) -> str:
    """The output text of (index, source, text) items' keywords in format ``spec[1]``
    (``tsv``/``csv``/``jsonl``), with weights when ``spec[2]``. TSV is made by one format
    operation for the whole chunk, not row by row."""
    from textkit.io.writers import render

    options, fmt, weights = spec
    if fmt == "tsv":
        return _tsv(items, _extractor(options).extract_columns([t for _, _, t in items]), weights)
    return "".join(
        render(fmt, *keyword_records(source, found, weights))
        for _, source, found in extract_chunk(options, items)
    )


def _tsv(
    items: list[tuple[int, str, str]],
    columns: Columns,
    weights: bool,
) -> str:
    """``render("tsv", rows)`` of the chunk's keyword rows (source, rank, keyword[, weight])
    joined, as one %-format over all rows (row-by-row rendering cost as much as the
    extraction on news titles)."""
    from textkit.io.writers import render

    docs, words, values = columns
    n = len(docs)
    ranks = []
    previous, rank = -1, 0
    for d in docs:
        rank = rank + 1 if d == previous else 1
        previous = d
        ranks.append(rank)
    fields: list[Any] = [None] * ((4 if weights else 3) * n)
    step = 4 if weights else 3
    fields[0::step] = [items[d][1] for d in docs]
    fields[1::step] = ranks
    fields[2::step] = words
    if weights:
        fields[3::step] = values
    text = (("%s\t%d\t%s\t%.6g\n" if weights else "%s\t%d\t%s\n") * n) % tuple(fields)
    tabs, lines = text.count("\t"), text.count("\n")
    if tabs == (step - 1) * n and lines == n and "\r" not in text and "\\" not in text:
        return text
    # Something needs escaping (a tab or newline in a file name...): the general renderer.
    rows = [
        (items[d][1], r, w, s) if weights else (items[d][1], r, w)
        for d, r, w, s in zip(docs, ranks, words, values, strict=True)
    ]
    return render("tsv", rows)


def render_units(
    spec: tuple[dict[str, Any], str, bool], units: list[Unit]
) -> list[tuple[int, bytes, list[InputError]]]:
    """Worker-pool task behind file and pipe output: ``[(documents, UTF-8 text,
    failures)]`` for a chunk of documents and line blocks, rendered as
    :func:`render_chunk` renders them. The blocks are decoded here, so the reading process
    never handles single lines."""
    from textkit.io.readers import documents_of

    failures: list[InputError] = []
    items = [(0, doc.source, doc.text) for doc in documents_of(units, failures.append)]
    text = render_chunk(spec, items) if items else ""
    # Sent back as UTF-8 (what pickle would send anyway): the writer stores it as it is.
    return [(len(items), text.encode("utf-8", "surrogateescape"), failures)]


def extract_chunk(
    options: dict[str, Any], items: list[tuple[int, str, str]]
) -> list[tuple[int, str, Keywords]]:
    """Worker-pool task: keywords of (index, source, text) items."""
    found = _extractor(options).extract_many([text for _, _, text in items])
    return [(index, source, kw) for (index, source, _), kw in zip(items, found, strict=True)]


def _extractor(options: dict[str, Any]) -> KeywordExtractor:
    """The extractor for ``options``, built once per process (IDF table, stopwords and
    tokenizer load once per worker, not per chunk) and reused for every later chunk."""
    from textkit.io.parallel import worker_cache

    key = ("keywords", repr(sorted(options.items())))
    return worker_cache(key, lambda: KeywordExtractor(**options))
