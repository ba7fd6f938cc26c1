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

import math
import sys
from collections.abc import Iterable, Sequence
from operator import itemgetter
from pathlib import Path
from typing import Any

from textkit.idf import NON_WORD, IdfTable, load_idf
from textkit.tokenizer import Tokenizer

METHODS = ("tfidf", "textrank")
DEFAULT_BACKEND = "fast"  # rjieba: same F1 as jieba on the CSL benchmark, ~3x the speed

MAX_TOKENS = 4  # longest phrase, in tokens
MAX_CHARS = 12  # longest phrase, in Chinese characters (English letters count half)
MIN_PHRASE_TF = 2  # a multi-token phrase seen once is more often noise than a keyword
TF_POWER = 0.75
LENGTH_POWER = 0.25
POSITION_WEIGHT = 1.0  # early mentions (title, first sentence) weigh up to 2x
# The IDF sum grows with every token, so long n-grams outscored the two-token phrases most
# keywords are: beyond LONG_PHRASE_TOKENS a phrase's score is scaled by
# (LONG_PHRASE_TOKENS / n_tokens)^LONG_PHRASE_POWER. Long candidates still take part in the
# fragment filter; they are only ranked lower.
LONG_PHRASE_TOKENS = 2
LONG_PHRASE_POWER = 2.0

WINDOW = 5  # TextRank: tokens i < j are linked when j - i < WINDOW (jieba's span)
DAMPING = 0.85
TOLERANCE = 1e-8
MAX_ITERATIONS = 1000  # never reached in practice: PageRank converges geometrically

# jieba.analyse's English stop words (jieba/analyse/tfidf.py), used by jieba_compat.
# fmt: off
JIEBA_STOP_WORDS = frozenset((
    "the", "of", "is", "and", "to", "in", "that", "we", "for", "an", "are", "by", "be", "as",
    "on", "with", "can", "if", "from", "which", "you", "it", "this", "then", "at", "have",
    "all", "not", "one", "has", "or",
))
# fmt: on
JIEBA_TEXTRANK_POS = ("ns", "n", "vn", "v")

Keywords = list[tuple[str, float]]


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _width(phrase: str) -> float:
    """Length for the MAX_CHARS limit: an English letter or digit counts half, a space 0."""
    ascii_chars = sum(_is_ascii_word_char(ch) for ch in phrase)
    return len(phrase) - phrase.count(" ") - ascii_chars / 2


def _joinable(left: str, right: str) -> bool:
    """English words separated by a space stay one phrase ("machine learning")."""
    return _is_ascii_word_char(left[-1:]) and _is_ascii_word_char(right[:1])


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
            raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
        if window < 2 or not 0 < damping < 1 or tol <= 0 or top_k < 0:
            raise ValueError("need window >= 2, 0 < damping < 1, tol > 0 and top_k >= 0")
        from textkit.stopwords import load_stopwords, read_stopword_file

        self.method = method
        self.top_k = top_k
        self.max_tokens = MAX_TOKENS if phrases else 1
        self.pos = frozenset(pos) if pos else None
        self.min_len = min_len
        self.window = window
        self.damping = damping
        self.tol = tol
        self.jieba_compat = jieba_compat
        self.idf: IdfTable = load_idf(idf)
        if jieba_compat:
            self.stopwords = JIEBA_STOP_WORDS.union(*map(read_stopword_file, stopword_files))
            backend = "jieba"
        else:
            self.stopwords = load_stopwords(stopword_files, use_default=default_stopwords)
        self.tokenizer = Tokenizer(user_dict=user_dict, backend=backend)
        self._boundary: dict[str, bool] = {}  # token -> is punctuation/digits/stopword

    # -- tokens ---------------------------------------------------------------------------

    def _is_boundary(self, token: str) -> bool:
        flag = self._boundary.get(token)
        if flag is None:
            flag = bool(NON_WORD.match(token)) or token.lower() in self.stopwords
            if len(self._boundary) < 1_000_000:  # bounded memo: a huge input stays bounded
                self._boundary[token] = flag
        return flag

    def _tokens(self, text: str) -> tuple[list[str], list[str | None], list[bool]]:
        """Tokens without whitespace; the joiner to the previous token ("", " ", or None
        for a break); whether each token may end a candidate (the POS filter)."""
        if self.pos is not None:
            pairs = self.tokenizer.cut_pos(text, keep_spaces=True)
        else:
            pairs = [(w, "") for w in self.tokenizer.cut(text, keep_spaces=True)]
        tokens: list[str] = []
        joins: list[str | None] = []
        heads: list[bool] = []
        space = False
        for word, tag in pairs:
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
            heads.append(self.pos is None or tag in self.pos)
        return tokens, joins, heads

    # -- candidates -----------------------------------------------------------------------

    def _candidates(
        self, tokens: list[str], joins: list[str | None], heads: list[bool], brk: list[bool]
    ) -> dict[str, list[Any]]:
        """phrase -> [tf, first position, its tokens] for every n-gram inside a run."""
        found: dict[str, list[Any]] = {}
        order = 0  # position among non-boundary tokens
        i, count = 0, len(tokens)
        while i < count:
            if brk[i]:
                i += 1
                continue
            j = i + 1  # a run: tokens i..j-1, no boundary token, no break between them
            while j < count and not brk[j] and joins[j] is not None:
                j += 1
            for a in range(i, j):
                phrase = tokens[a]
                for b in range(a, min(a + self.max_tokens, j)):
                    if b > a:
                        phrase += f"{joins[b]}{tokens[b]}"
                    if len(phrase) > MAX_CHARS and _width(phrase) > MAX_CHARS:
                        break
                    if len(phrase) < self.min_len or not heads[b]:
                        continue
                    entry = found.get(phrase)
                    if entry is None:
                        found[phrase] = [1, order, tokens[a : b + 1]]
                    else:
                        entry[0] += 1
                order += 1
            i = j
        return found

    @staticmethod
    def _closed(found: dict[str, list[Any]]) -> list[tuple[str, int, int, list[str]]]:
        """Drop phrases seen once and candidates that only occur inside a longer one."""
        covered: dict[str, int] = {}
        for phrase, (tf, _, parts) in found.items():
            if len(parts) > 1:
                # The candidates one token shorter on either side (a space joining two
                # English words goes with the token).
                left = phrase[len(parts[0]) :].lstrip(" ")
                right = phrase[: len(phrase) - len(parts[-1])].rstrip(" ")
                for sub in (left, right):
                    if covered.get(sub, 0) < tf:
                        covered[sub] = tf
        return [
            (phrase, tf, first, parts)
            for phrase, (tf, first, parts) in found.items()
            if not (len(parts) > 1 and tf < MIN_PHRASE_TF) and covered.get(phrase, 0) < tf
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
        rank = nx.pagerank(
            graph,
            alpha=self.damping,
            personalization={w: idf.get(w, unknown) for w in graph},
            weight="weight",
            tol=self.tol,
            max_iter=MAX_ITERATIONS,
        )
        size = len(rank)  # scale so an average token weighs 1
        return {w: v * size for w, v in rank.items()}

    def extract(self, text: str, top_k: int | None = None) -> Keywords:
        """The ``top_k`` best keywords of ``text`` with their weights, best first."""
        k = self.top_k if top_k is None else top_k
        if self.jieba_compat:
            compat = self._jieba_tfidf if self.method == "tfidf" else self._jieba_textrank
            return compat(text)[:k] if k else compat(text)
        tokens, joins, heads = self._tokens(text)
        brk = [self._is_boundary(t) for t in tokens]
        found = self._candidates(tokens, joins, heads, brk)
        candidates = self._closed(found)
        rank = self._token_rank(tokens, brk) if self.method == "textrank" else {}
        best = self._ranked(candidates, rank)
        best = best[:k] if k else best
        if k and len(best) < k:
            best += self._top_up(found, {p for p, *_ in candidates}, best, rank, k - len(best))
            best.sort(key=lambda kw: -kw[1])  # stable: weights stay in descending order
        return best

    def _ranked(
        self, candidates: Iterable[tuple[str, int, int, list[str]]], rank: dict[str, float]
    ) -> Keywords:
        """Score candidates and sort them best first (ties: earlier, then alphabetical)."""
        idf, unknown = self.idf.weights, self.idf.unknown
        scored = []
        for phrase, tf, first, parts in candidates:
            if self.method == "textrank":
                score = sum(rank.get(t, 0.0) for t in parts)
            else:
                score = tf**TF_POWER * sum(idf.get(t, unknown) for t in parts)
            n = len(parts)
            score *= (1.0 + POSITION_WEIGHT / math.sqrt(1.0 + first)) / n**LENGTH_POWER
            if n > LONG_PHRASE_TOKENS:
                score *= (LONG_PHRASE_TOKENS / n) ** LONG_PHRASE_POWER
            scored.append((-score, first, phrase))
        scored.sort()
        return [(phrase, -neg) for neg, _, phrase in scored]

    def _top_up(
        self,
        found: dict[str, list[Any]],
        kept: set[str],
        best: Keywords,
        rank: dict[str, float],
        missing: int,
    ) -> Keywords:
        """A short text may leave fewer than k phrases: fill up with its best single words
        (not already part of a chosen phrase), so ``-k`` is honoured whenever the text has
        enough words. On CSL this changes F1@5 by -0.0003 and leaves no document short."""
        chosen = [p for p, _ in best]
        singles = [
            (phrase, tf, first, parts)
            for phrase, (tf, first, parts) in found.items()
            if len(parts) == 1 and phrase not in kept
        ]
        extra: Keywords = []
        for phrase, weight in self._ranked(singles, rank):
            if len(extra) == missing:
                break
            if not any(phrase in other for other in chosen):
                extra.append((phrase, weight))
                chosen.append(phrase)
        return extra

    # -- jieba.analyse, reproduced ----------------------------------------------------------

    def _jieba_words(self, text: str) -> list[str]:
        if self.pos is not None:
            return [w for w, tag in self.tokenizer.cut_pos(text) if tag in self.pos]
        if self.tokenizer.user_dict is None:
            from textkit.exactcut import cut

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


def extract_chunk(
    options: dict[str, Any], items: list[tuple[int, str, str]]
) -> list[tuple[int, str, Keywords]]:
    """Worker-pool task: keywords of (index, source, text) items.

    The extractor is built from ``options`` once per process (IDF table, stopwords and
    tokenizer load once per worker, not per chunk) and reused for every later chunk.
    """
    from textkit.parallel import worker_cache

    key = ("keywords", repr(sorted(options.items())))
    extractor = worker_cache(key, lambda: KeywordExtractor(**options))
    return [(index, source, extractor.extract(text)) for index, source, text in items]
