"""Key sentences of a document with TextRank: a graph of sentences, PageRank, then MMR.

Each sentence (or clause) is a node; two sentences are linked by the content words they
share (see :mod:`textkit.summarize.similarity`). PageRank runs on that graph to convergence,
with its random jumps biased toward early sentences: the sentence at position i gets a jump
weight proportional to 1 / (1 + i) ** position_weight (0 = no bias); a sentence linked to
no other gets none, and so a score of 0. The scores are then read in order of maximal
marginal relevance (Carbonell & Goldstein 1998): each next sentence is the one with the best
``(1 - diversity) * score / best score - diversity * redundancy``, where redundancy is its
largest word-set cosine with a sentence already taken, so a summary does not say the same
thing twice; a sentence that repeats one (cosine 0.9 or more) is never taken.

A summary holds at most ``n`` sentences (3 when no other limit is given), at most ``ratio``
of the document's sentences, and at most ``max_chars`` characters: sentences are taken in
that order while they fit. When not even the best sentence fits in ``max_chars``, the summary
is a passage that starts at a clause: the one where the ``max_chars`` characters from its
start (on its line) hold the most of the words the document repeats, each word weighted by
the logarithm of the number of clauses it occurs in, with the same lean toward early
sentences (the weight of the passage times 1 / (1 + i) ** position_weight, i its
sentence's position). The passage is the clauses that follow that start while they fit
(when they fill two thirds of ``max_chars``), else the text cut to fit, ending with "…".
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any, NamedTuple

from textkit.checks import paths_arg, text_arg, texts_arg
from textkit.errors import ConfigError
from textkit.text.idf import NON_WORD
from textkit.text.normalize import Preparing
from textkit.text.sentences import LINE_BREAKS, UNITS, Sentence, split_sentences
from textkit.text.tokenizer import Tokenizer

DEFAULT_COUNT = 3
POSITION_WEIGHT = 1.0
DIVERSITY = 0.5
DAMPING = 0.85
TOLERANCE = 1e-8
MAX_ITERATIONS = 1000  # at least; more for a damping near 1
DENSE_NODES = 1000  # PageRank on a dense matrix up to this many sentences (see pagerank)
MMR_CANDIDATES = 200  # MMR reorders this many best sentences; the rest follow by score
DUPLICATE = 0.9  # word-set cosine at which a sentence repeats one already taken
ELLIPSIS = "…"
_LINE_BREAK = re.compile(f"[{LINE_BREAKS}]")
_WORD_CHAR = re.compile(r"[A-Za-z0-9.%]")
CLAUSE_ENDS = "，、：,:"


class KeySentence(NamedTuple):
    """A sentence of the summary: its text, its index among the document's sentences (or
    clauses with ``unit="clause"``, from 0; a passage has that of the one it starts in), its
    score (PageRank, the document's scores sum to 1; for a passage taken because the best sentence
    does not fit ``max_chars``, its share of the document's repeated-word weight) and its character
    offsets in the document (``text == document[start:end]``, except for a passage cut to
    fit ``max_chars``, which ends with "…")."""

    text: str
    position: int
    score: float
    start: int
    end: int


class Summarizer(Preparing):
    """Pick the key sentences of documents, loading the tokenizer and stopwords once.

    ``unit``: ``sentence`` or ``clause`` (also split at ，、：). ``position_weight``: how much
    PageRank's random jumps favour early sentences (0 = not at all). ``diversity``: MMR's
    weight on not repeating a sentence already taken (0 = by score alone, below 1).
    ``damping``, ``tol``: PageRank's. Words are jieba's (``backend`` ``fast`` = rjieba, or
    ``jieba``), less stopwords (the default list unless ``default_stopwords`` is false, plus
    ``stopword_files``), punctuation and numbers.
    """

    def __init__(
        self,
        *,
        unit: str = "sentence",
        position_weight: float = POSITION_WEIGHT,
        diversity: float = DIVERSITY,
        damping: float = DAMPING,
        tol: float = TOLERANCE,
        stopword_files: Sequence[str | Path] = (),
        default_stopwords: bool = True,
        user_dict: str | Path | None = None,
        backend: str = "fast",
        normalize: bool | None = None,
        output_script: str = "original",
    ) -> None:
        if unit not in UNITS:
            raise ConfigError(f"unknown unit {unit!r}; choose from {', '.join(UNITS)}")
        if not (
            math.isfinite(position_weight)
            and position_weight >= 0
            and 0 <= diversity < 1
            and 0 < damping < 1
            and tol > 0
        ):
            raise ConfigError(
                "need position_weight >= 0, 0 <= diversity < 1, 0 < damping < 1 and tol > 0"
            )
        from textkit.text.stopwords import load_stopwords

        self.unit = unit
        self.position_weight = position_weight
        self.diversity = diversity
        self.damping = damping
        self.tol = tol
        # PageRank's error shrinks by the damping factor each iteration, from at most 2 to
        # networkx's bound of tol x nodes (>= tol): near 1 it needs thousands of iterations.
        self._max_iter = max(MAX_ITERATIONS, math.ceil(math.log(tol / 2) / math.log(damping)) + 10)
        self.stopwords = load_stopwords(paths_arg(stopword_files), use_default=default_stopwords)
        self.tokenizer = Tokenizer(user_dict=user_dict, backend=backend)
        self._content: dict[str, str | None] = {}  # token -> content word, or None
        from textkit.text.normalize import check_output_script

        # Traditional and full-width text is ranked normalised; sentences come back as the
        # document has them (see textkit.text.normalize.prepare).
        self.normalize = normalize
        self.output_script = check_output_script(output_script)
        self.converted = 0  # documents normalised because they looked traditional

    # -- ranking --------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """The content words of a sentence (lower-cased), as the graph compares them."""
        return [w for w in map(self._content_word, self.tokenizer.cut(text)) if w is not None]

    def _content_word(self, token: str) -> str | None:
        """``token`` lower-cased, or None for a stopword, punctuation or a number."""
        word = self._content.get(token, "")
        if word == "":
            lowered = token.lower()
            word = self._content[token] = (
                None if lowered in self.stopwords or NON_WORD.match(lowered) else lowered
            )
        return word

    def rank(self, text: str, unit: str | None = None) -> list[KeySentence]:
        """Every sentence (or clause) of ``text`` with its score, in document order."""
        return self._ranked(text_arg(text), unit or self.unit)[0]

    def _ranked(self, text: str, unit: str) -> tuple[list[KeySentence], list[list[str]]]:
        """The scored sentences of ``text`` and their content words."""
        units = split_sentences(text, unit)
        # One sentence needs no ranking (nor the tokenizer).
        words = [self.words(u.text) for u in units] if len(units) > 1 else [[]] * len(units)
        scores = self._scores(words)
        ranked = [
            KeySentence(u.text, i, score, u.start, u.end)
            for i, (u, score) in enumerate(zip(units, scores, strict=True))
        ]
        return ranked, words

    def _scores(self, words: list[list[str]]) -> list[float]:
        """PageRank of the sentence graph, with jumps biased toward early sentences."""
        n = len(words)
        if n <= 1:
            return [1.0] * n
        import networkx as nx  # only documents of two sentences or more pay for networkx

        from textkit.summarize.similarity import overlap_edges

        graph = nx.Graph()
        graph.add_nodes_from(range(n))
        graph.add_weighted_edges_from(overlap_edges(words))
        # A sentence that shares no word with any other is not central to anything: it
        # gets no random jumps, hence a score of 0 (unless no sentence is linked at all,
        # when the position bias alone orders them).
        linked = [graph.degree(i) > 0 for i in range(n)]
        if not any(linked):
            linked = [True] * n
        jumps = {i: (1.0 + i) ** -self.position_weight * linked[i] for i in range(n)}
        try:
            rank = pagerank(graph, self.damping, jumps, self.tol, self._max_iter)
        except nx.PowerIterationFailedConvergence:
            raise ConfigError(
                f"PageRank did not converge in {self._max_iter} iterations",
                hint="lower the damping or raise the tolerance",
            ) from None
        return [rank[i] for i in range(n)]

    def _mmr_order(self, ranked: list[KeySentence], words: list[list[str]]) -> Iterator[int]:
        """Indices of ``ranked`` in the order MMR takes them (see the module docstring),
        lazily: a summary of k sentences costs k passes over the candidates. A sentence
        that repeats one already taken (word-set cosine >= DUPLICATE) is never taken."""
        from textkit.summarize.similarity import word_set_cosine

        by_score = sorted(range(len(ranked)), key=lambda i: (-ranked[i].score, i))
        candidates = by_score[:MMR_CANDIDATES]
        relevance = {i: ranked[i].score / (ranked[by_score[0]].score or 1.0) for i in candidates}
        sets = {i: set(words[i]) for i in candidates}
        redundancy = dict.fromkeys(candidates, 0.0)
        keep = 1 - self.diversity
        while candidates:
            # max() keeps the first of equals: candidates stay in score order.
            pick = max(
                candidates, key=lambda i: keep * relevance[i] - self.diversity * redundancy[i]
            )
            candidates.remove(pick)
            if redundancy[pick] >= DUPLICATE:
                continue
            yield pick
            for i in candidates:
                redundancy[i] = max(redundancy[i], word_set_cosine(sets[i], sets[pick]))
        yield from by_score[MMR_CANDIDATES:]

    # -- summaries ------------------------------------------------------------------------

    def summarize(
        self,
        text: str,
        n: int | None = None,
        *,
        max_chars: int | None = None,
        ratio: float | None = None,
        by_score: bool = False,
    ) -> list[KeySentence]:
        """The key sentences of ``text``, in document order (``by_score``: best first).

        ``n``: at most this many (default 3 when neither ``max_chars`` nor ``ratio`` is
        given); ``ratio``: at most this share of the sentences (at least one);
        ``max_chars``: at most this many characters in all.
        """
        _check_limits(n, max_chars, ratio)
        prepared = self._prepare(text_arg(text))
        analysed = text if prepared is None else prepared.text
        chosen = self._choose(analysed, self.unit, n, max_chars, ratio)
        if chosen is None:  # not even the best sentence fits in max_chars
            chosen = [self._passage(analysed, max_chars or 0)]
        if prepared is not None and prepared.changed and self.output_script == "original":
            chosen = [_respelled(s, prepared) for s in chosen]
        return chosen if by_score else sorted(chosen, key=lambda s: s.position)

    def summarize_many(
        self,
        texts: Iterable[str],
        n: int | None = None,
        *,
        max_chars: int | None = None,
        ratio: float | None = None,
        by_score: bool = False,
    ) -> list[list[KeySentence]]:
        """:meth:`summarize` for each text."""
        limits = {"max_chars": max_chars, "ratio": ratio, "by_score": by_score}
        return [self.summarize(text, n, **limits) for text in texts_arg(texts)]

    def _choose(
        self,
        text: str,
        unit: str,
        n: int | None,
        max_chars: int | None,
        ratio: float | None,
    ) -> list[KeySentence] | None:
        """The sentences taken, best first; None when ``max_chars`` leaves room for none."""
        ranked, words = self._ranked(text, unit)
        if not ranked:
            return []
        limit = _count_limit(len(ranked), n, max_chars, ratio)
        chosen: list[KeySentence] = []
        used = 0
        for i in self._mmr_order(ranked, words):
            if len(chosen) >= limit:
                break
            sentence = ranked[i]
            # A space may join it to English text (see join_sentences): counted too.
            cost = len(sentence.text) + (bool(chosen) and _ascii_edge(sentence.text))
            if max_chars is not None and used + cost > max_chars:
                break  # the summary keeps to the best sentences: none further down jumps in
            chosen.append(sentence)
            used += cost
        return chosen if chosen else None

    def _passage(self, text: str, max_chars: int) -> KeySentence:
        """At most ``max_chars`` characters of ``text`` from the clause chosen by
        :meth:`_passage_start`: the clauses that follow it on its line while they fit, when
        they fill at least two thirds of ``max_chars`` (or end the line); else the text cut
        to fit, ending with "…"."""
        clauses = split_sentences(text, "clause")
        first, share = self._passage_start(text, clauses, max_chars)
        # Its position is that of the sentence (or clause, as the unit is) it starts in,
        # as for any other summary.
        (position,) = _containing(split_sentences(text, self.unit), [clauses[first].start])
        best = KeySentence(clauses[first].text, position, share, *clauses[first][1:])
        line_end = _LINE_BREAK.search(text, best.start)
        stop = line_end.start() if line_end else len(text)
        end = clauses[first].end
        for clause in clauses[first + 1 :]:
            if clause.start >= stop or clause.end - best.start > max_chars:
                break
            end = clause.end
        if end - best.start <= max_chars and (
            3 * (end - best.start) >= 2 * max_chars or text[end:stop].strip() == ""
        ):
            return best._replace(text=text[best.start : end], end=end)
        if stop - best.start <= max_chars:  # the rest of the line fits
            kept = text[best.start : stop].rstrip()
            return best._replace(text=kept, end=best.start + len(kept))
        if max_chars == 1:
            return best._replace(text=text[best.start], end=best.start + 1)
        cut = best.start + max_chars - 1
        # Not inside an English word or a number (82|.5%), unless it is longer than that.
        back = cut
        while (
            back > best.start and _WORD_CHAR.match(text, back) and _WORD_CHAR.match(text, back - 1)
        ):
            back -= 1
        kept = text[best.start : back if back > best.start else cut].rstrip()
        return best._replace(text=kept + ELLIPSIS, end=best.start + len(kept))

    def _passage_start(
        self, text: str, clauses: Sequence[Sentence], max_chars: int
    ) -> tuple[int, float]:
        """The index of the clause whose next ``max_chars`` characters (on its line) weigh
        most, times 1 / (1 + i) ** position_weight for a clause of the i-th sentence, the
        first of equals; and that passage's share of the document's word weight. A content
        word weighs the logarithm of the number of clauses it occurs in: a word the document
        repeats tells what it is about, a word said once weighs nothing."""
        from bisect import bisect_left, bisect_right

        tokens = [
            (word, a, b)
            for token, a, b in self.tokenizer.cut_spans(text)
            if (word := self._content_word(token)) is not None
        ]
        clause_of = _containing(clauses, [a for _, a, _ in tokens])
        spread: dict[str, set[int]] = {}
        for (word, _, _), clause in zip(tokens, clause_of, strict=True):
            spread.setdefault(word, set()).add(clause)
        weights = [math.log(len(spread[word])) for word, _, _ in tokens]
        total = sum(weights)
        before = [0.0, *accumulate(weights)]  # weight of the tokens before each token
        starts = [a for _, a, _ in tokens]
        ends = [b for _, _, b in tokens]
        sentence_of = _containing(split_sentences(text), [c.start for c in clauses])
        line_ends = [found.start() for found in _LINE_BREAK.finditer(text)] + [len(text)]
        best, best_key, best_weight = 0, -1.0, 0.0
        for i, clause in enumerate(clauses):
            line_end = line_ends[bisect_left(line_ends, clause.start)]
            stop = min(clause.start + max_chars, line_end)
            first, last = bisect_left(starts, clause.start), bisect_right(ends, stop)
            weight = before[last] - before[first] if last > first else 0.0
            key = weight * (1.0 + sentence_of[i]) ** -self.position_weight
            if key > best_key + 1e-9:  # sums of the same weights may differ in rounding
                best, best_key, best_weight = i, key, weight
        return best, (best_weight / total if total else 0.0)


def pagerank(
    graph: Any, damping: float, jumps: dict[int, float], tol: float, max_iter: int
) -> dict[int, float]:
    """``networkx.pagerank(graph, damping, personalization=jumps, weight="weight")``.

    Up to DENSE_NODES nodes, the same power iteration (same start, same stopping rule) runs
    on networkx's dense Google matrix: on a document's few sentences, networkx's sparse
    iteration spends 30 times longer on per-step overhead than on arithmetic.
    """
    import networkx as nx

    n = graph.number_of_nodes()
    if n > DENSE_NODES:
        return nx.pagerank(
            graph,
            alpha=damping,
            personalization=jumps,
            weight="weight",
            tol=tol,
            max_iter=max_iter,
        )
    import numpy as np

    nodes = list(graph)
    google = nx.google_matrix(
        graph, alpha=damping, personalization=jumps, nodelist=nodes, weight="weight"
    )
    x = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        last, x = x, x @ google
        if np.abs(x - last).sum() < n * tol:
            return dict(zip(nodes, x.tolist(), strict=True))
    raise nx.PowerIterationFailedConvergence(max_iter)


def _ascii_edge(text: str) -> bool:
    return text[:1].isascii() or text[-1:].isascii()


def _containing(spans: Sequence[Sentence], offsets: Sequence[int]) -> list[int]:
    """For each of the ascending ``offsets``, the index of the last span starting at or
    before it (0 before the first)."""
    found, i = [], 0
    for offset in offsets:
        while i + 1 < len(spans) and spans[i + 1].start <= offset:
            i += 1
        found.append(i)
    return found


def _check_limits(n: int | None, max_chars: int | None, ratio: float | None) -> None:
    if n is not None and (isinstance(n, bool) or not isinstance(n, int) or n < 1):
        raise ConfigError(f"n must be a whole number of sentences, 1 or more (got {n!r})")
    if max_chars is not None and (
        isinstance(max_chars, bool) or not isinstance(max_chars, int) or max_chars < 1
    ):
        raise ConfigError(f"max_chars must be a whole number, 1 or more (got {max_chars!r})")
    if ratio is not None and not (isinstance(ratio, (int, float)) and 0 < ratio <= 1):
        raise ConfigError(f"ratio must be above 0 and at most 1 (got {ratio!r})")


def _count_limit(total: int, n: int | None, max_chars: int | None, ratio: float | None) -> int:
    """How many sentences at most: ``n``, and ``ratio`` of ``total`` rounded down (at least 1)."""
    limit = total
    if n is None and max_chars is None and ratio is None:
        n = DEFAULT_COUNT
    if n is not None:
        limit = min(limit, n)
    if ratio is not None:
        limit = min(limit, max(1, math.floor(ratio * total + 1e-9)))
    return limit


_summarizers: dict[tuple[Any, ...], Summarizer] = {}


def _respelled(sentence: KeySentence, prepared: Any) -> KeySentence:
    """``sentence`` of a normalised text as the document spells it, at its offsets there
    (a sentence cut to fit keeps its "…")."""
    cut = sentence.text.endswith("…") and sentence.end - sentence.start != len(sentence.text)
    start, end = prepared.span(sentence.start, sentence.end)
    text = prepared.original[start:end] + ("…" if cut else "")
    return sentence._replace(text=text, start=start, end=end)


def summarize(
    text: str,
    n: int | None = None,
    *,
    max_chars: int | None = None,
    ratio: float | None = None,
    by_score: bool = False,
    **options: Any,
) -> list[KeySentence]:
    """The key sentences of ``text`` with a shared :class:`Summarizer` per option set.

    ``options`` are :class:`Summarizer`'s (``unit="clause"``, ``position_weight=0``...).
    """
    key = tuple(sorted((name, repr(value)) for name, value in options.items()))
    summarizer = _summarizers.get(key)
    if summarizer is None:
        summarizer = _summarizers[key] = Summarizer(**options)
    return summarizer.summarize(text, n, max_chars=max_chars, ratio=ratio, by_score=by_score)


def join_sentences(sentences: Sequence[KeySentence | Sentence | str]) -> str:
    """The sentences as one line of text: Chinese sentences side by side, a space between
    two where the first ends and the next begins with ASCII (English); a clause mark
    (，、：) ending the last one is dropped."""
    parts: list[str] = []
    for item in sentences:
        text = item if isinstance(item, str) else item.text
        if parts and parts[-1][-1:].isascii() and text[:1].isascii():
            parts.append(" ")
        parts.append(text)
    return "".join(parts).rstrip(CLAUSE_ENDS)


def summary_records(
    source: str, best_first: Sequence[KeySentence], by_score: bool = False
) -> tuple[list[tuple[Any, ...]], dict[str, Any]]:
    """A document's summary as output rows (source, rank, position, score, sentence), in
    document order (``by_score``: best first), and as one JSON object ({"source",
    "sentences": [{"text", "position", "score"}]}) in the same order."""
    ranked = list(enumerate(best_first, 1))
    if not by_score:
        ranked.sort(key=lambda item: item[1].position)
    rows = [(source, rank, s.position, s.score, s.text) for rank, s in ranked]
    listed = [{"text": s.text, "position": s.position, "score": s.score} for _, s in ranked]
    return rows, {"source": source, "sentences": listed}


def summarize_chunk(
    config: tuple[dict[str, Any], dict[str, Any]], items: list[tuple[int, str, str]]
) -> list[tuple[int, str, list[KeySentence]]]:
    """Worker-pool task: the summaries (best sentence first) of (index, source, text) items."""
    from textkit.io.parallel import worker_cache

    options, limits = config
    key = ("summarizer", repr(sorted(options.items())))
    summarizer = worker_cache(key, lambda: Summarizer(**options))
    found = []
    for index, source, text in items:
        before = summarizer.converted
        sentences = summarizer.summarize(text, **limits, by_score=True)
        found.append((index, source, sentences, summarizer.converted > before))
    return found
