"""A frozen copy of the keyword extractor as of commit 2849bcf, before the speed-up.

Only the equivalence checks use it (tests/test_keywords_equivalence.py and
``python -m benchmarks.keywords_equivalence``): the optimised extractor in
textkit/keywords/extractor.py must return exactly what this one returns -- same keywords, same float
weights, same order. Do not edit it to follow later changes of the library.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from textkit.keywords.extractor import (
    LENGTH_POWER,
    LONG_PHRASE_POWER,
    LONG_PHRASE_TOKENS,
    MAX_CHARS,
    MAX_ITERATIONS,
    MIN_PHRASE_TF,
    POSITION_WEIGHT,
    TF_POWER,
    KeywordExtractor,
    Keywords,
)
from textkit.text.idf import NON_WORD


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _width(phrase: str) -> float:
    """Length for the MAX_CHARS limit: an English letter or digit counts half, a space 0."""
    ascii_chars = sum(_is_ascii_word_char(ch) for ch in phrase)
    return len(phrase) - phrase.count(" ") - ascii_chars / 2


def _joinable(left: str, right: str) -> bool:
    """English words separated by a space stay one phrase ("machine learning")."""
    return _is_ascii_word_char(left[-1:]) and _is_ascii_word_char(right[:1])


class ReferenceExtractor(KeywordExtractor):
    """The old algorithm; jieba_compat and __init__ are inherited unchanged."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._ref_boundary: dict[str, bool] = {}

    def _is_boundary(self, token: str) -> bool:
        flag = self._ref_boundary.get(token)
        if flag is None:
            flag = bool(NON_WORD.match(token)) or token.lower() in self.stopwords
            if len(self._ref_boundary) < 1_000_000:  # bounded memo: a huge input stays bounded
                self._ref_boundary[token] = flag
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
