"""Keyword extraction: tf-idf or TextRank over key phrases (default) or single words.

One ranked list of candidates (see :mod:`textkit.keywords.candidates`): content words and
noun phrases compete on one score, and the list is cut at k after near-duplicates are
skipped (:mod:`textkit.keywords.diversity`), so a shorter list is always the start of a
longer one. Scores (tfidf):

    tf^0.75 * (sum of the tokens' IDF) * (1 + 1/sqrt(1 + first position))
        * min(1, 2 / n_tokens)  (1 for a name between title marks)

A token missing from the IDF table gets the table's median, except a user-dictionary word
that jieba's dictionary cuts into pieces: it weighs what its pieces weigh as a phrase
(:mod:`textkit.keywords.user_words`). A word the segmenter invented (not in its
dictionary, not ASCII, not a name by :mod:`textkit.keywords.names`, which asks less of a name
in a short text such as a title) that occurs once gets 0, whatever the table says: more often
a broken word (皮薄, 钱付) than a new one, unconfirmed, it is no keyword on its own;
repeated, in the text or in collection.CONFIRM_DOCUMENTS documents of a run, it is a word
(送餐, 微博). In a text of names.SHORT_TEXT characters or fewer, a two-character one that is
no clause piece (lexicon.is_once_piece) gets names.SHORT_ONCE_WEIGHT of the median instead:
in headlines most are words (获批, 早盘), and they come after the words the table knows.
TextRank replaces tf * IDF by each token's PageRank on the co-occurrence graph.

In a run over many long documents (:meth:`KeywordExtractor.extract_many`, ``textkit
keywords`` over lines, rows or files), words the collection itself repeats weigh less
(:mod:`textkit.keywords.collection`): in scientific abstracts 技术 and 系统 are no keyword
of each abstract. Short texts (reviews, titles) keep jieba's table.

``jieba_compat=True`` instead reproduces ``jieba.analyse.extract_tags`` / ``textrank`` with
their defaults: same keywords, same float weights.
"""

from __future__ import annotations

import contextlib
import math
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textkit.checks import paths_arg, text_arg, texts_arg
from textkit.errors import ConfigError, TraditionalText
from textkit.keywords.candidates import (
    LENGTH_POWER,
    LONG_PHRASE_POWER,
    LONG_PHRASE_TOKENS,
    MAX_TOKENS,
    POSITION_WEIGHT,
    TF_POWER,
    Candidate,
    Columns,
    Keywords,
    columns_of,
    double_width,
    gather,
    is_ascii_word_char,
    is_noun,
    name_kind,
    title_spans,
    word_ends,
)
from textkit.keywords.collection import MIN_DOCUMENTS, CollectionIdf
from textkit.keywords.diversity import distinct
from textkit.keywords.lexicon import (
    BOUNDARY,
    HEAD,
    MODIFIER,
    OPINION,
    OPINION_WEIGHT,
    WORD,
    blank_after_numbers,
    invented_class,
    is_clause,
    is_clause_piece,
    is_glued,
    is_once_piece,
    load_tags,
    word_class,
)
from textkit.keywords.markup import blank_markup
from textkit.keywords.names import MARGIN, SHORT_MARGIN, SHORT_ONCE_WEIGHT, SHORT_TEXT
from textkit.keywords.negation import blank_negated, join_negated_opinions, role
from textkit.keywords.occurrences import count_all
from textkit.keywords.user_words import PieceWeights
from textkit.text.idf import IdfTable, load_idf
from textkit.text.normalize import Preparing
from textkit.text.tokenizer import Tokenizer

if TYPE_CHECKING:
    from textkit.errors import InputError
    from textkit.io.readers import Unit

METHODS = ("tfidf", "textrank")
DEFAULT_BACKEND = "fast"  # rjieba: same F1 as jieba on the CSL benchmark, ~3x the speed

BATCH_MIN_TEXTS = 32  # extract_many vectorises batches of at least this many texts
# Documents per chunk for `textkit keywords`.
BATCH_SIZE = 1024
# With worker processes, chunks grow from 256 to 4,096 documents: each chunk's round trip
# to a worker costs a few milliseconds, which 256-title chunks could not hide.
PARALLEL_BATCH_SIZE = 4096
BATCH_CHARS = 1_000_000  # ... and at most about this many characters per chunk
# --lines input travels as undecoded blocks of lines of these sizes in bytes (first,
# largest): about 1,200 news titles at -j 1; with workers, from 300 titles (every worker
# starts early) up to about 4,800.
BLOCK_BYTES = (64 << 10, 64 << 10)
PARALLEL_BLOCK_BYTES = (16 << 10, 256 << 10)
# A document longer than this is tokenized in pieces of about this size, reporting its
# progress after each (``extract(..., progress=...)``).
PROGRESS_CHARS = 100_000

WINDOW = 5  # TextRank: tokens i < j are linked when j - i < WINDOW (jieba's span)
DAMPING = 0.85
TOLERANCE = 1e-8
ALL_KEYWORDS = 1 << 40  # top_k=0
MAX_ITERATIONS = 1000  # at least; more for a damping near 1 (see KeywordExtractor)
MEMO_SIZE = 1_000_000  # distinct tokens whose facts are remembered (then start afresh)

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
_NOT_IN_DICTIONARY = None  # the tag of a token the dictionary does not list


class _Found(NamedTuple):
    """A document's candidates and what scoring them needs."""

    candidates: list[Candidate]
    tokens: list[str]
    weight: dict[str, float]  # each content token's IDF (or TextRank)
    joins: list[str | None]  # what joins each token to the one before (candidates.gather)
    titles: set[tuple[int, int]]  # the token spans between title marks


def _joinable(left: str, right: str) -> bool:
    """English words separated by a space stay one phrase ("machine learning")."""
    return is_ascii_word_char(left[-1:]) and is_ascii_word_char(right[:1])


class KeywordExtractor(Preparing):
    """Extract keywords from many documents, loading the IDF table, stopwords and tokenizer once.

    ``method``: ``tfidf`` or ``textrank``. ``phrases``: multi-token candidates (else single
    words). ``pos``: keep only candidates whose last token (the head of a Chinese phrase)
    has one of these jieba POS tags (the text is then tagged as a whole).
    ``min_len``: shortest keyword in characters. ``idf``: a ``word idf`` file (default:
    jieba's table). ``backend``: ``fast`` (rjieba, default) or ``jieba``.
    ``window``/``damping``/``tol``: TextRank's graph window and PageRank parameters.
    ``jieba_compat``: reproduce jieba.analyse exactly (jieba tokenizer, jieba's stop words
    plus ``stopword_files``, single words; ``phrases``, ``min_len``, the default stopwords
    and ``backend`` are ignored).
    ``collection_idf``: True (default): :meth:`extract_many` over at least
    collection.MIN_DOCUMENTS long texts (a median of collection.MIN_MEDIAN_CHARS characters
    or more) lowers the IDF of the words those texts repeat
    (counted on the first ones; see :mod:`textkit.keywords.collection`);
    False: jieba's table only; a :class:`CollectionIdf` (from :meth:`learn_collection`):
    that table, for every text. With ``idf`` (the user's own table) or ``jieba_compat``,
    True means False: the given table is used as it is.
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
        normalize: bool | None = None,
        output_script: str = "original",
        collection_idf: bool | CollectionIdf = True,
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
        self._user_tags = {w.word: w.tag or "n" for w in self.tokenizer._user_words}
        self._user_weights = PieceWeights(self._user_tags, self.idf, backend)
        # user-dictionary words met that count as several tokens (see user_words)
        self._pieces: dict[str, int] = {}
        self._tags: Any = None  # jieba's dictionary tags, opened on first use
        # token -> (word class, double width, IDF or None when the table lacks it, how
        # sure it is a word: inf for a dictionary or ASCII word, else its name margin,
        # its role after a negator)
        self._facts: dict[str, tuple[int, int, float | None, float, int]] = {}
        from textkit.text.normalize import check_output_script

        # Traditional and full-width text is analysed normalised, keywords respelled as in
        # the text (see textkit.text.normalize.prepare); jieba_compat, only when asked.
        self.normalize = False if jieba_compat and normalize is None else normalize
        self.output_script = check_output_script(output_script)
        self.converted = 0  # documents normalised because they looked traditional
        self.last_converted: list[int] = []  # which texts of the last batch were
        if collection_idf is True and (idf is not None or jieba_compat):
            collection_idf = False
        if not isinstance(collection_idf, (bool, CollectionIdf)):
            raise ConfigError("collection_idf must be True, False or a CollectionIdf")
        self.collection_idf: bool | CollectionIdf = collection_idf
        # Words whose IDF the collection lowered (see textkit.keywords.collection).
        self._collection: Any = (
            collection_idf.weights if isinstance(collection_idf, CollectionIdf) else None
        )
        # Invented words the collection confirmed: words, not pieces.
        self._confirmed: frozenset[str] = (
            collection_idf.confirmed if isinstance(collection_idf, CollectionIdf) else frozenset()
        )
        # Tokens of texts learn_collection cut, until the batch path meets them.
        self._cut_cache: dict[str, list[str]] = {}

    # -- tokens ---------------------------------------------------------------------------

    def _tokens(self, text: str) -> tuple[list[str], list[str | None], list[str] | None]:
        """Tokens without whitespace; the joiner to the previous token ("", " ", or None
        for a break); with ``pos``, each token's tag from tagging the whole text."""
        tags: list[str] | None = None
        if self.pos is not None:
            pairs = self.tokenizer.cut_pos(text, keep_spaces=True)
            words = [w for w, _ in pairs]
            tags = [t for _, t in pairs]
        else:
            words = self.cut(text)
        if _SPACE.search(text) is None:  # tokens are pieces of the text: none is whitespace
            return words, [""] * len(words), tags
        tokens: list[str] = []
        joins: list[str | None] = []
        kept_tags: list[str] = []
        space = False
        for i, word in enumerate(words):
            if not word or word.isspace():
                space = True
                continue
            if not space:
                joins.append("")
            elif tokens and _joinable(tokens[-1], word) and word.strip() == word:
                joins.append(" ")
            else:
                joins.append(None)
            space = False
            tokens.append(word)
            if tags is not None:
                kept_tags.append(tags[i])
        return tokens, joins, kept_tags if tags is not None else None

    def cut(self, text: str) -> list[str]:
        """The tokens keywords are made of (whitespace kept): the tokenizer's, with each 不
        and the opinion word after it one complaint (negation.join_negated_opinions; by
        jieba's tags, as lexicon.is_opinion classes the joined word)."""
        if self._tags is None:
            self._tags = load_tags()
        tags = self._tags
        tokens = self.tokenizer.cut(text, keep_spaces=True)
        return join_negated_opinions(tokens, lambda words: tags.get_many(list(words), None))

    def _learn(self, tokens: Iterable[str]) -> None:
        """Compute the facts of tokens not met before (one dictionary query for all)."""
        facts = self._facts
        new = [t for t in dict.fromkeys(tokens) if t not in facts]
        if not new:
            return
        if len(facts) + len(new) > MEMO_SIZE:  # bounded memo: a huge input stays bounded
            facts.clear()
        if self._tags is None:
            self._tags = load_tags()
        tags = self._tags.get_many(new, _NOT_IN_DICTIONARY)
        user = self._user_tags
        if user:
            tags = [user.get(t, tag) for t, tag in zip(new, tags, strict=True)]
        # Invented Chinese words: the tags of their first and last characters.
        invented = [t for t, tag in zip(new, tags, strict=True) if tag is None and not t.isascii()]
        ends = self._tags.get_many([t[0] for t in invented] + [t[-1] for t in invented], None)
        stop = self.stopwords
        # Their classes: glued (太咸了), a complaint (超慢), or as a word's.
        invented_kind = {
            t: invented_class(t, first, last, stop)
            for t, first, last in zip(invented, ends, ends[len(invented) :], strict=False)
        }
        idf = self.idf.weights
        get_many = getattr(idf, "get_many", None)
        values = get_many(new, None) if get_many else [idf.get(t) for t in new]
        unsure = []  # invented content words without an IDF: names?
        for token, tag, value in zip(new, tags, values, strict=True):
            if value is None and self._user_weights:
                weight = self._user_weights.of(token)
                if weight is not None:
                    value, self._pieces[token] = weight
            kind = invented_kind.get(token)
            if kind is None:
                kind = word_class(token, tag, stop)
            known = (
                tag is not None or token.isascii() or token in self._confirmed or kind == OPINION
            )
            sure = math.inf if known else -math.inf
            facts[token] = (kind, double_width(token), value, sure, role(token, tag))
            if not known and kind != BOUNDARY:
                unsure.append(token)
        if unsure:
            from textkit.keywords.names import load_names

            names = load_names()
            pairs = [t for t in unsure if len(t) == 2]
            ends = self._tags.get_many([t[0] for t in pairs] + [t[1] for t in pairs], None)
            pieces: set[str] = set()  # no name
            once_pieces: set[str] = set()  # no word said once either, unless a name
            for t, first, last in zip(pairs, ends, ends[len(pairs) :], strict=False):
                if is_clause_piece(t, first, last):
                    pieces.add(t)
                elif is_once_piece(t, first, last):
                    once_pieces.add(t)
            for token in unsure:
                if token not in pieces:
                    margin = names.margin(token)
                    if token in once_pieces and margin < SHORT_MARGIN:
                        margin = -math.inf  # no name, and no word said once either
                    kind, width, value, _, token_role = facts[token]
                    facts[token] = (kind, width, value, margin, token_role)

    def _word_tags(self, words: Sequence[str]) -> list[str | None]:
        """The dictionary tags of a few words (a user dictionary's first), looked up one
        by one rather than kept for every token met."""
        if self._tags is None:
            self._tags = load_tags()
        tags = self._tags.get_many(list(words), None)
        user = self._user_tags
        if user:
            tags = [user.get(w, t) for w, t in zip(words, tags, strict=True)]
        return tags

    # -- scoring --------------------------------------------------------------------------

    def _token_idf(
        self, tokens: Sequence[str], titled: set[str] | frozenset[str] = frozenset()
    ) -> dict[str, float]:
        """IDF of each distinct content token of a document (see the module docstring);
        ``titled``: the tokens between title marks, which are words however often said."""
        facts = self._facts
        unknown = self.idf.unknown
        idf: dict[str, float] = {}
        counts: Counter[str] | None = None
        bar = MARGIN
        for token in dict.fromkeys(tokens):
            kind, _, value, sure, _ = facts[token]
            if kind == BOUNDARY:
                continue
            if value is None:
                value = unknown
            if sure < MARGIN:
                if counts is None:
                    counts = Counter(tokens)
                    if sum(map(len, counts.elements())) <= SHORT_TEXT:
                        bar = SHORT_MARGIN
                if counts[token] < 2 and sure < bar and token not in titled:
                    weak = bar == SHORT_MARGIN and len(token) == 2 and sure > -math.inf
                    value = unknown * SHORT_ONCE_WEIGHT if weak else 0.0
            idf[token] = value
        return idf

    def _scored(
        self,
        candidates: list[Candidate],
        tokens: list[str],
        weight: dict[str, float],
        titles: set[tuple[int, int]] | frozenset[tuple[int, int]] = frozenset(),
    ) -> list[tuple[str, float]]:
        """Candidates with a score above 0, best first (ties: earlier, then alphabetical).
        A name between title marks (``titles``, where it first occurs) is one name however
        many words it has: no length penalty."""
        textrank = self.method == "textrank"
        sqrt = math.sqrt
        pieces = self._pieces
        # A single word the collection repeats weighs its collection IDF; in a phrase it
        # keeps its own (the phrase names something more specific).
        collection = None if textrank else self._collection
        scored = []
        for phrase, tf, first, a, b in candidates:
            parts = tokens[a : b + 1]
            base = sum([weight.get(t, 0.0) for t in parts])
            if collection is not None and a == b and base > 0.0:
                base = collection.get(parts[0], base)
            if a == b and not textrank and self._facts[parts[0]][0] == OPINION:
                base *= OPINION_WEIGHT  # a complaint alone: after every content word
            score = base if textrank else tf**TF_POWER * base
            n = sum([pieces.get(t, 1) for t in parts]) if pieces else b - a + 1
            score *= (1.0 + POSITION_WEIGHT / sqrt(1.0 + first)) / n**LENGTH_POWER
            if n > LONG_PHRASE_TOKENS and (a, b) not in titles:
                score *= (LONG_PHRASE_TOKENS / n) ** LONG_PHRASE_POWER
            if score > 0.0:
                scored.append((-score, first, phrase))
        scored.sort()
        return [(phrase, -neg) for neg, _, phrase in scored]

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
        idf = self._token_idf(tokens)
        personal = {w: idf[w] for w in graph}
        if not any(personal.values()):
            return {}  # only unconfirmed words: nothing to rank
        try:
            rank = nx.pagerank(
                graph,
                alpha=self.damping,
                personalization=personal,
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

    def extract(
        self,
        text: str,
        top_k: int | None = None,
        *,
        progress: Callable[[int], None] | None = None,
    ) -> Keywords:
        """The ``top_k`` best keywords of ``text`` with their weights, best first.

        ``progress``, if given, is called with the number of characters done so far while
        a long text is tokenized (every PROGRESS_CHARS characters or so).
        """
        prepared = self._prepare(text_arg(text))
        if prepared is None:
            return self._extract(text, top_k, progress)
        found = self._extract(prepared.text, top_k, progress)
        return [(self._respell(prepared, word), weight) for word, weight in found]

    def _respell(self, prepared: Any, keyword: str) -> str:
        if self.output_script == "simplified" or not prepared.changed:
            return keyword
        return prepared.respell(keyword)

    def _extract(
        self, text: str, top_k: int | None, progress: Callable[[int], None] | None
    ) -> Keywords:
        k = self._limit(top_k)
        if progress is None and _long_text_progress is not None and len(text) > PROGRESS_CHARS:
            report, size = _long_text_progress, len(text)
            progress = lambda done: report(done, size)  # noqa: E731
        if self.jieba_compat:
            compat = self._jieba_tfidf if self.method == "tfidf" else self._jieba_textrank
            return compat(text)[:k]
        found = self._candidates(text, progress)
        if found is None:
            return []
        candidates, tokens, weight, joins, titles = found
        spans = {c.phrase: (c.start, c.end) for c in candidates}

        def ends(phrase: str) -> tuple[list[str], list[str]]:
            a, b = spans[phrase]
            return word_ends(tokens, joins, a, b)

        best: Keywords = []
        scored = self._scored(candidates, tokens, weight, titles)
        for item in distinct(scored, self.min_len, ends):
            best.append(item)
            if len(best) == k:
                break
        return best

    def terms(self, text: str) -> dict[str, int]:
        """The keyword candidates of ``text`` that score above 0, with their occurrences
        (what ``by_label`` counts)."""
        prepared = self._prepare(text_arg(text))
        if prepared is not None:
            counted = self._terms_of(prepared.text)
            return {self._respell(prepared, term): n for term, n in counted.items()}
        return self._terms_of(text)

    def _terms_of(self, text: str) -> dict[str, int]:
        """:meth:`terms` of a text as it is (not normalised)."""
        found = self._candidates(text, None)
        if found is None:
            return {}
        candidates, tokens, weight, _, _ = found
        if self.method == "textrank":
            weight = self._token_idf(tokens)
        return {
            c.phrase: c.tf
            for c in candidates
            if any(weight.get(t, 0.0) > 0.0 for t in tokens[c.start : c.end + 1])
        }

    def _candidates(self, text: str, progress: Callable[[int], None] | None) -> _Found | None:
        """The candidates of ``text`` and what scoring them needs (_Found); None when there
        is no candidate."""
        text = blank_markup(text)
        if progress is not None and len(text) > PROGRESS_CHARS:
            tokens, joins, tags = self._long_tokens(text, progress)
        else:
            tokens, joins, tags = self._tokens(text)
        self._learn(tokens)
        facts = self._facts
        classes = [facts[t][0] for t in tokens]
        widths = [facts[t][1] for t in tokens]
        if tags is not None:  # --pos: only a word with an allowed tag ends a keyword
            allowed = self.pos or frozenset()
            classes = [
                HEAD if c >= WORD and tag in allowed else min(c, MODIFIER)
                for c, tag in zip(classes, tags, strict=True)
            ]
        classes = blank_negated(tokens, classes, lambda i: facts[tokens[i]][4], self._word_tags)
        classes = blank_after_numbers(tokens, joins, classes)
        titles = title_spans(tokens)
        idf = self._token_idf(tokens, {t for a, b in titles for t in tokens[a : b + 1]})

        def noun_at(i: int, last: bool) -> bool:
            """A confirmed noun, which may pair once (candidates._pairs_said_once): a
            dictionary noun, a name or an English word with an IDF above 0."""
            t = tokens[i]
            return (
                classes[i] == HEAD
                and idf.get(t, 0.0) > 0.0
                and is_noun(t, facts[t][4], facts[t][3], last)
            )

        def name_at(i: int) -> int:
            """Token i's candidates.name_kind (asked of a few tokens only)."""
            t = tokens[i]
            return name_kind(self._word_tags([t])[0], facts[t][3])

        candidates = gather(
            tokens,
            joins,
            classes,
            widths,
            max_tokens=self.max_tokens,
            min_len=self.min_len,
            count=lambda phrases: count_all(text, phrases),
            noun_at=noun_at,
            name_at=name_at,
            titles=titles,
        )
        if not candidates:
            return None
        if self.method == "textrank":
            weight = self._token_rank(tokens, [c == BOUNDARY for c in classes])
        else:
            weight = idf
        return _Found(candidates, tokens, weight, joins, set(titles))

    def _long_tokens(
        self, text: str, progress: Callable[[int], None]
    ) -> tuple[list[str], list[str | None], list[str] | None]:
        """_tokens of a long text, a piece at a time (cut where the tokenizer would cut
        anyway: at a line end), reporting the characters done after each piece."""
        tokens: list[str] = []
        joins: list[str | None] = []
        tags: list[str] | None = [] if self.pos is not None else None
        done = 0
        while done < len(text):
            cut = text.find("\n", done + PROGRESS_CHARS)
            end = len(text) if cut < 0 else cut + 1
            piece_tokens, piece_joins, piece_tags = self._tokens(text[done:end])
            if piece_joins and tokens:
                piece_joins[0] = None  # a line end separates the pieces
            tokens += piece_tokens
            joins += piece_joins
            if tags is not None and piece_tags is not None:
                tags += piece_tags
            done = end
            progress(done)
        return tokens, joins, tags

    def extract_many(self, texts: Sequence[str], top_k: int | None = None) -> list[Keywords]:
        """``[self.extract(text, top_k) for text in texts]``, several times faster on a
        batch (numpy over all texts at once, see :mod:`textkit.keywords.batch`)."""
        texts = texts_arg(texts)
        docs, words, weights = self.extract_columns(texts, top_k)
        found: list[Keywords] = [[] for _ in texts]
        for d, word, weight in zip(docs, words, weights, strict=True):
            found[d].append((word, weight))
        return found

    def extract_columns(self, texts: Sequence[str], top_k: int | None = None) -> Columns:
        """extract_many's keywords as three columns: document index (into ``texts``),
        keyword, weight; documents in order, each one's keywords best first."""
        texts = texts_arg(texts)
        if self.collection_idf is True and len(texts) >= MIN_DOCUMENTS:
            self._learn_collection(texts)  # for this call only
            try:
                return self._normalized_columns(texts, top_k)
            finally:
                self._use_collection(None)
        return self._normalized_columns(texts, top_k)

    def learn_collection(self, texts: Sequence[str]) -> CollectionIdf | None:
        """Count the collection IDF on the start of ``texts`` (collection.WINDOW of them,
        at most collection.WINDOW_CHARS characters) and use it from now on, for every
        text (None, and jieba's table only, for fewer than collection.MIN_DOCUMENTS texts
        or short ones). ``textkit keywords`` calls it on the start of its input."""
        table = self._learn_collection(texts)
        self.collection_idf = table if table is not None else False
        return table

    def _learn_collection(self, texts: Sequence[str]) -> CollectionIdf | None:
        """learn_collection's table, used until _use_collection changes it."""
        from textkit.keywords.collection import collection_idf, long_documents, window_size
        from textkit.text.normalize import prepare

        self._use_collection(None)
        texts = texts_arg(texts)
        window = texts[: window_size(texts)]
        analysed = []
        for text in window:
            prepared = prepare(text, self.normalize)
            analysed.append(blank_markup(text if prepared is None else prepared.text))
        tokens = [self.cut(text) for text in analysed]
        if self._tags is None:
            self._tags = load_tags()
        tags = self._tags

        def invented(words: list[str]) -> list[bool]:
            """Whether each word is one the segmenter invented, neither glued nor a
            clause (lexicon.is_glued, is_clause)."""
            found = self._word_tags(words)  # a user dictionary's words have a tag
            ends = tags.get_many([w[0] for w in words] + [w[-1] for w in words], None)
            return [
                tag is None
                and not word.isascii()
                and not is_glued(word, first, last)
                and not is_clause(word, first, last)
                for word, tag, first, last in zip(
                    words, found, ends, ends[len(words) :], strict=False
                )
            ]

        table = collection_idf(tokens, self.idf, invented=invented, long=long_documents(window))
        self._use_collection(table)
        if table is not None:
            self._cut_cache = dict(zip(analysed, tokens, strict=True))
        return table

    def _use_collection(self, table: CollectionIdf | None) -> None:
        """Score with ``table`` from now on (None: jieba's table only): token facts
        remembered with the previous table are forgotten."""
        self._collection = table.weights if table is not None else None
        self._confirmed = table.confirmed if table is not None else frozenset()
        self._facts.clear()
        batch = getattr(self, "_batch", None)
        if batch is not None:
            batch.forget()
        self._cut_cache = {}

    def _normalized_columns(self, texts: Sequence[str], top_k: int | None) -> Columns:
        """extract_columns with the IDF table as it is."""
        if self.normalize is False:
            return self._extract_columns(texts, top_k)
        prepared = [self._prepare(text) for text in texts]
        if self.normalize is None:
            self.last_converted = [i for i, p in enumerate(prepared) if p is not None]
        if not any(prepared):
            return self._extract_columns(texts, top_k)
        analysed = [p.text if p is not None else t for p, t in zip(prepared, texts, strict=True)]
        docs, words, weights = self._extract_columns(analysed, top_k)
        words = [
            w if prepared[d] is None else self._respell(prepared[d], w)
            for d, w in zip(docs, words, strict=True)
        ]
        return docs, words, weights

    def _extract_columns(self, texts: Sequence[str], top_k: int | None) -> Columns:
        k = self._limit(top_k)
        if not self._batchable(texts):
            return columns_of([self._extract(text, k, None) for text in texts])
        from textkit.keywords.batch import extract_columns

        return extract_columns(self, texts, 0 if k == ALL_KEYWORDS else k)

    def _batchable(self, texts: Sequence[str]) -> bool:
        """Whether ``texts`` go the batch path: tf-idf without a POS filter, and enough
        texts to pay for loading numpy (a short run goes text by text)."""
        return (
            self.method == "tfidf"
            and self.pos is None
            and not self.jieba_compat
            and (len(texts) >= BATCH_MIN_TEXTS or "numpy" in sys.modules)
        )

    def _limit(self, top_k: int | None) -> int:
        """How many keywords to keep: ``top_k`` (else the extractor's), 0 meaning all."""
        k = self.top_k if top_k is None else top_k
        if not isinstance(k, int) or k < 0:
            raise ConfigError(f"top_k must be 0 (all) or more, got {k!r}")
        return k or ALL_KEYWORDS

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
# Called with (characters done, characters in all) while this process works through a
# long text, when set by reporting_long_texts.
_long_text_progress: Callable[[int, int], None] | None = None


@contextlib.contextmanager
def reporting_long_texts(callback: Callable[[int, int], None]) -> Iterator[None]:
    """Within the block, every extractor of this process reports its progress through a
    text longer than PROGRESS_CHARS to ``callback(done, total)`` (characters)."""
    global _long_text_progress
    previous, _long_text_progress = _long_text_progress, callback
    try:
        yield
    finally:
        _long_text_progress = previous


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


def render_chunk(
    spec: tuple[dict[str, Any], str, bool], items: list[tuple[int, str, str]]
) -> tuple[str, int]:
    """The output text of (index, source, text) items' keywords in format ``spec[1]``
    (``tsv``/``csv``/``jsonl``), with weights when ``spec[2]``, and how many items got no
    keyword. TSV is made by one format operation for the whole chunk, not row by row."""
    from textkit.io.writers import render

    options, fmt, weights = spec
    if fmt == "tsv":
        columns = _extractor(options).extract_columns([t for _, _, t in items])
        return _tsv(items, columns, weights), len(items) - len(set(columns[0]))
    found = extract_chunk(options, items)
    text = "".join(
        render(fmt, *keyword_records(source, keywords, weights)) for _, source, keywords, _ in found
    )
    return text, sum(1 for _, _, keywords, _ in found if not keywords)


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
) -> list[tuple[int, bytes, list[InputError], int]]:
    """Worker-pool task behind file and pipe output: ``[(documents, UTF-8 text,
    failures, documents without a keyword)]`` for a chunk of documents and line blocks,
    rendered as :func:`render_chunk` renders them. The blocks are decoded here, so the
    reading process never handles single lines."""
    from textkit.io.readers import documents_of

    failures: list[InputError] = []
    items = [(0, doc.source, doc.text) for doc in documents_of(units, failures.append)]
    text, empty = render_chunk(spec, items) if items else ("", 0)
    converted = _extractor(spec[0]).last_converted if items else []
    if converted:  # a notice, not a failure: the CLI says it once
        failures.append(TraditionalText(items[converted[0]][1]))
    # Sent back as UTF-8 (what pickle would send anyway): the writer stores it as it is.
    return [(len(items), text.encode("utf-8", "surrogateescape"), failures, empty)]


def extract_chunk(
    options: dict[str, Any], items: list[tuple[int, str, str]]
) -> list[tuple[int, str, Keywords]]:
    """Worker-pool task: keywords of (index, source, text) items, and the source of the
    first one analysed normalised because it looked traditional (or None)."""
    extractor = _extractor(options)
    extractor.last_converted = []
    found = extractor.extract_many([text for _, _, text in items])
    converted = extractor.last_converted
    first = items[converted[0]][1] if converted else None
    return [
        (index, source, kw, first if i == 0 else None)
        for i, ((index, source, _), kw) in enumerate(zip(items, found, strict=True))
    ]


def _extractor(options: dict[str, Any]) -> KeywordExtractor:
    """The extractor for ``options``, built once per process (IDF table, stopwords and
    tokenizer load once per worker, not per chunk) and reused for every later chunk."""
    from textkit.io.parallel import worker_cache

    return worker_cache(_extractor_key(options), lambda: KeywordExtractor(**options))


def _extractor_key(options: dict[str, Any]) -> tuple[str, str]:
    return ("keywords", repr(sorted(options.items())))


def learned_options(options: dict[str, Any], texts: Sequence[str]) -> dict[str, Any]:
    """``options`` (with ``collection_idf=True``) for a run whose input starts with
    ``texts``: the collection table learned from them in its place (False for too few).
    The extractor that learned it serves this process's chunks (it has their tokens)."""
    from textkit.io.parallel import worker_cache

    extractor = KeywordExtractor(**options)
    extractor.learn_collection(texts)
    learned = {**options, "collection_idf": extractor.collection_idf}
    worker_cache(_extractor_key(learned), lambda: extractor)
    return learned
