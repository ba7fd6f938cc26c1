"""Key-phrase extraction (tf-idf) for many documents at once, vectorised with numpy.

The result is exactly :meth:`KeywordExtractor.extract`'s, document by document (same
keywords, same float weights, same order: the tests compare them), but the per-token work
runs as array operations over a whole group of documents: token facts, candidate n-grams,
their counts as tokens and as strings, the fragment filter, scores, ranking and the
containment and overlap checks of the diversity step. Python calls the tokenizer once per
group, meets each new distinct token once, and then works once per document that has
overlapping candidates and once per output keyword.

Strings are keyed by two 64-bit hashes of their characters plus their document
(:mod:`textkit.keywords.hashing`); where only extract() is exact (a token with a space at
an end, a hash clash, a text over HUGE_TEXT characters, English words joined by other
whitespace than one space) the documents concerned go through it instead.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NamedTuple

import numpy as np

from textkit.keywords.candidates import (
    LENGTH_POWER,
    LONG_PHRASE_POWER,
    LONG_PHRASE_TOKENS,
    MAX_CHARS,
    MAX_TITLE_TOKENS,
    MIN_PHRASE_TF,
    POSITION_WEIGHT,
    TF_POWER,
    TITLE_MARKS,
    Columns,
    is_noun,
    name_kind,
    two_names,
)
from textkit.keywords.hashing import (
    BASES,
    DOC_MIX,
    TextHashes,
    Vocabulary,
    code_points,
    find_sorted,
    group_order,
    scramble,
    word_hashes,
)
from textkit.keywords.lexicon import (
    ALONE,
    BOUNDARY,
    COMMON,
    COUNTED_WORDS,
    ENDS,
    HEAD,
    NUMERAL_CHARS,
    OPINION,
    OPINION_WEIGHT,
    STARTS,
    UNIT_CHARS,
    invented_class,
    is_clause_piece,
    is_once_piece,
    noun_heads,
    word_class,
)
from textkit.keywords.markup import blank_markup
from textkit.keywords.names import MARGIN, SHORT_MARGIN, SHORT_ONCE_WEIGHT, SHORT_TEXT
from textkit.keywords.negation import (
    BETWEEN,
    DEGREE,
    MAX_COMPARED,
    NEGATORS,
    compared,
    reverses,
    role,
)

# A KeywordExtractor: the extractor calls this module, so this module does not import it.
KeywordExtractor = Any

MAX_VOCAB = 1_000_000  # distinct tokens remembered between batches (then start afresh)
CHUNK_CHARS = 200_000  # documents are processed in groups of about this many characters
HUGE_TEXT = 1_000_000  # characters: a longer text goes through extract() (less memory)
FIELDS = {
    "kind": np.int8,  # word class (textkit.keywords.lexicon)
    "width": np.int64,  # twice its width for the MAX_CHARS limit
    "idf": np.float64,  # NaN when the IDF table lacks it
    "collection": np.float64,  # its collection IDF, NaN when the collection left it alone
    "pieces": np.int64,  # tokens it counts as (a user-dictionary word: its pieces)
    "sure": np.float64,  # inf: a dictionary word or ASCII; else its name margin (names)
    "starts_word": bool,  # starts with an ASCII letter or digit
    "ends_word": bool,  # ends with one
    "space": bool,  # whitespace
    "odd": bool,  # whitespace at an end but not only whitespace: extract() handles it
    "negation": np.int8,  # what it negates (textkit.keywords.negation)
    "between": bool,  # a degree word that may stand between a negator and its word
}
_ALONE = np.array(ALONE, bool)
_ENDS = np.array(ENDS, bool)
_STARTS = np.array(STARTS, bool)


_NUMERALS = np.array(sorted(map(ord, NUMERAL_CHARS)), np.uint64)
_UNITS = np.array(sorted(map(ord, UNIT_CHARS)), np.uint64)


def _after_numbers(text: str, points: Any, starts: Any, ends: Any) -> Any:
    """Whether each token (``starts``, ``ends`` in ``text`` and its code ``points``) is
    a two-character word starting with a unit right after a number, not a counted word
    (lexicon.blank_after_numbers)."""
    before = points[np.maximum(starts - 1, 0)]
    hit = (
        (ends - starts == 2)
        & (starts > 0)
        & np.isin(points[starts], _UNITS)
        & np.isin(before, _NUMERALS)
    )
    for i in np.flatnonzero(hit).tolist():  # few: looked at one by one
        if text[starts[i] : ends[i]] in COUNTED_WORDS:
            hit[i] = False
    return hit


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


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A batch makes hundreds of thousands of strings and lists at once, none of which can
    form a reference cycle; the cyclic collector would scan them over and over, so it
    pauses meanwhile."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def extract_columns(extractor: KeywordExtractor, texts: Sequence[str], k: int) -> Columns:
    """``[extractor.extract(text, k) for text in texts]`` as three columns (document index,
    keyword, weight): documents in order, each one's keywords best first."""
    batch = _batch(extractor)
    docs: list[int] = []
    words: list[str] = []
    weights: list[float] = []
    with _collector_paused():
        for start, stop in groups_of(texts):
            if stop - start == 1 and len(texts[start]) > HUGE_TEXT:
                found = extractor.extract(texts[start], k)
                d, w, s = [0] * len(found), [w for w, _ in found], [s for _, s in found]
            else:
                d, w, s = batch.extract(texts[start:stop], k)
            docs += [i + start for i in d]
            words += w
            weights += s
    return docs, words, weights


def _batch(extractor: KeywordExtractor) -> _Batch:
    batch = getattr(extractor, "_batch", None)
    if batch is None or batch.vocabulary.size > MAX_VOCAB:  # a huge input stays bounded
        batch = extractor._batch = _Batch(extractor)
    return batch


class _Layout(NamedTuple):
    """The documents' tokens (whitespace dropped) as arrays, one entry per token."""

    texts: Sequence[str]  # the documents, markup blanked
    offset: Any  # where each document starts in the joined text
    points: Any  # the code points of the texts joined by newlines
    exact: Any  # per document: every phrase is a slice of its text (else extract() it)
    doc: Any  # the token's document
    start: Any  # its start offset in the joined text
    end: Any  # its end offset
    kind: Any  # its word class
    width: Any  # twice its width
    joined: Any  # a space joins it to the token before (two English words)
    linked: Any  # it continues the run of the token before (no boundary, no break)
    order: Any  # its position among its document's content tokens
    idf: Any  # its IDF as scored
    word_idf: Any  # ... as scored when it is a keyword alone (the collection's, if lower)
    pieces: Any  # the tokens it counts as in the score's length terms
    sure: Any  # how sure it is a word (inf: the dictionary's or ASCII; else a name margin)
    title_end: Any  # where a name between title marks that starts here ends (else -1)
    titled: Any  # the first tokens of the titles that make a phrase (_titled_phrases)
    hashes: Any  # (h1, p1, h2, p2): its character hashes and base**length
    text_hashes: tuple[TextHashes, TextHashes]  # the joined text's, for both bases
    cache: dict[str, Any]  # arrays computed once, when first needed


class _Groups(NamedTuple):
    """Distinct candidate strings of each document, one entry per string and document."""

    doc: Any
    start: Any  # the first token of its earliest occurrence
    size: Any  # that occurrence's number of tokens
    tf: Any  # occurrences
    keep: Any  # a keyword candidate: a word, or a repeated phrase not inside a longer one
    h1: Any  # its hashes (without the document)
    h2: Any


class _Batch:
    """The batch path of one extractor: its vocabulary of token facts and its lexicon."""

    def __init__(self, extractor: KeywordExtractor) -> None:
        from textkit.keywords import hashed_lexicon
        from textkit.keywords.lexicon import load_tags
        from textkit.text.idf import LazyWeights, load_idf
        from textkit.text.stopwords import load_stopwords

        self.extractor = extractor
        self.tags = extractor._tags if extractor._tags is not None else load_tags()
        extractor._tags = self.tags
        weights = extractor.idf.weights
        default = isinstance(weights, LazyWeights)
        stopwords = load_stopwords()
        self.lexicon = hashed_lexicon.load(
            self.tags, weights if default else load_idf().weights, stopwords
        )
        self.custom_idf = None if default else weights
        # The lexicon's word classes hold for the default stopwords and no user dictionary.
        self.lexicon_classes = extractor.stopwords == stopwords and not extractor._user_tags
        self.vocabulary = Vocabulary(FIELDS, self._facts)
        self._lowered_table: tuple[Any, tuple[Any, Any, Any]] | None = None

    def forget(self) -> None:
        """Forget the token facts met so far (the extractor's IDF changed)."""
        self.vocabulary = Vocabulary(FIELDS, self._facts)
        self._lowered_table = None

    def _lowered(self) -> tuple[Any, Any, Any] | None:
        """The collection's words as sorted first hashes, second hashes and IDF values
        (None without a collection), to find tokens by their hashes as the lexicon does."""
        collection = self.extractor._collection
        if not collection:
            return None
        if self._lowered_table is None or self._lowered_table[0] is not collection:
            words = sorted(collection)
            h1, h2 = word_hashes(words)
            order = np.argsort(h1, kind="stable")
            values = np.array([collection[w] for w in words], np.float64)
            self._lowered_table = (collection, (h1[order], h2[order], values[order]))
        return self._lowered_table[1]

    # -- token facts ----------------------------------------------------------------------

    def _facts(self, tokens: list[str], hashes: tuple[Any, Any], spans: Any) -> dict[str, Any]:
        """The facts of new tokens (as KeywordExtractor._learn computes them): from the
        lexicon where it has them, else computed here; ``spans``: where each token is in
        the text being laid out (its code points are ``self._points``)."""

        n = len(tokens)
        lexicon = self.lexicon
        facts = _shapes(self._points, spans)
        facts["idf"] = np.full(n, np.nan)
        rows = lexicon.find(hashes) if lexicon is not None else np.full(n, -1, np.int64)
        found = rows >= 0
        tag = np.full(n, -1, np.int64)
        if lexicon is not None:
            at = rows[found]
            tag[found] = lexicon.tag[at]
            facts["idf"][found] = lexicon.idf[at]
            facts["kind"][found] = lexicon.kind[at]
        if self.custom_idf is not None:
            get = self.custom_idf.get
            facts["idf"] = np.array([get(t, np.nan) for t in tokens], np.float64)
        elif lexicon is None:
            get = self.extractor.idf.weights.get
            facts["idf"] = np.array([get(t, np.nan) for t in tokens], np.float64)
        facts["pieces"] = np.ones(n, np.int64)
        facts["negation"] = np.array([NEGATORS.get(t, 0) for t in tokens], np.int8)
        facts["between"] = np.array([t in BETWEEN for t in tokens], bool)
        self._user_weights(tokens, facts)
        facts["collection"] = np.full(n, np.nan)
        lowered = self._lowered()
        if lowered is not None:  # the words the collection repeats (KeywordExtractor._scored)
            first_hash, second_hash, values = lowered
            at = find_sorted(first_hash, hashes[0])
            hit = at >= 0
            hit[hit] = second_hash[at[hit]] == hashes[1][hit]
            facts["collection"][hit] = values[at[hit]]
        rest = np.flatnonzero(~found) if self.lexicon_classes else np.arange(n)
        tags = self._tags_of(tokens, tag, rest)
        known = facts["ascii"].copy()
        known[rest] |= np.array([t is not None for t in tags], bool)
        if lexicon is not None:
            known[found] |= tag[found] >= 0
        confirmed = self.extractor._confirmed  # invented words the collection confirmed
        if confirmed:
            known |= np.array([t in confirmed for t in tokens], bool)
        facts["sure"] = np.where(known, np.inf, -np.inf)
        if len(rest):
            self._classes(tokens, rest, tags, facts)
        opinion = facts["kind"] == OPINION  # a complaint (超慢): a word, not a name
        facts["sure"][opinion] = np.inf
        # Invented content words: how sure the name model is that each is a name.
        unsure = np.flatnonzero(~known & ~opinion & (facts["kind"] != BOUNDARY))
        if len(unsure):
            from textkit.keywords.names import load_names

            words = [tokens[i] for i in unsure.tolist()]
            margins = load_names().margins(words)
            # A clause piece is no name, and no word said once in a short text either.
            pairs = [j for j, w in enumerate(words) if len(w) == 2]
            if pairs:
                ends = self._char_tags([words[j][0] for j in pairs] + [words[j][1] for j in pairs])
                for j, first, last in zip(pairs, ends, ends[len(pairs) :], strict=False):
                    if is_clause_piece(words[j], first, last) or (
                        margins[j] < SHORT_MARGIN and is_once_piece(words[j], first, last)
                    ):
                        margins[j] = -np.inf
            facts["sure"][unsure] = margins
        del facts["ascii"]
        return facts

    def _user_weights(self, tokens: list[str], facts: dict[str, Any]) -> None:
        """User-dictionary words the IDF table lacks weigh as their pieces (as in
        KeywordExtractor._learn)."""
        weights = self.extractor._user_weights
        if not weights:
            return
        for i in np.flatnonzero(np.isnan(facts["idf"])).tolist():
            weight = weights.of(tokens[i])
            if weight is not None:
                facts["idf"][i], facts["pieces"][i] = weight

    def _tags_of(self, tokens: list[str], tag: Any, rest: Any) -> list[str | None]:
        """The dictionary tags of ``tokens[rest]`` (a user dictionary's first)."""
        if self.lexicon is not None:
            names = self.lexicon.tags
            tags = [names[c] if c >= 0 else None for c in tag[rest].tolist()]
        else:
            tags = self.tags.get_many([tokens[i] for i in rest.tolist()], None)
        user = self.extractor._user_tags
        if user:
            tags = [user.get(tokens[i], t) for i, t in zip(rest.tolist(), tags, strict=True)]
        return tags

    def _classes(
        self, tokens: list[str], rest: Any, tags: list[str | None], facts: dict[str, Any]
    ) -> None:
        """The word classes of ``tokens[rest]``, whose tags are ``tags``: whitespace and
        glued invented words are boundaries, the others as lexicon.word_class says."""
        space = facts["space"][rest]
        invented = ~space & ~facts["ascii"][rest] & np.array([t is None for t in tags], bool)
        stop = self.extractor.stopwords
        kinds = np.full(len(rest), BOUNDARY, np.int8)
        pick = np.flatnonzero(invented)
        if len(pick):
            ends = [tokens[i][0] for i in rest[pick].tolist()]
            ends += [tokens[i][-1] for i in rest[pick].tolist()]
            end_tags = self._char_tags(ends)
            half = len(pick)
            words = [tokens[i] for i in rest[pick].tolist()]
            kinds[pick] = [
                invented_class(w, a, b, stop)
                for w, a, b in zip(words, end_tags[:half], end_tags[half:], strict=True)
            ]
        words = np.flatnonzero(~space & ~invented)
        kinds[words] = [
            word_class(tokens[i], tags[j], stop)
            for i, j in zip(rest[words].tolist(), words.tolist(), strict=True)
        ]
        facts["kind"][rest] = kinds

    def _blank_negated(self, kind: Any, tid: Any, tdoc: Any, spans: tuple[str, Any, Any]) -> Any:
        """``kind`` (per token) with the class of each word a negator reverses BOUNDARY
        (negation.blank_negated over all documents at once); ``spans``: the text and where
        each token starts and ends in it."""
        facts = self.vocabulary.arrays
        negators = facts["negation"][tid]
        every = np.flatnonzero(negators)
        if not len(every):
            return kind
        stops = np.flatnonzero(~facts["between"][tid])  # where a negator's reach ends
        nearest = np.searchsorted(stops, every + 1)
        inside = nearest < len(stops)
        at, target = every[inside], stops[nearest[inside]]
        same = tdoc[target] == tdoc[at]
        at, target = at[same], target[same]
        # The role of each word after a negator, from its dictionary tag (few words: looked
        # up here, not for every token met).
        text, starts, ends = spans
        words = [
            text[a:b] for a, b in zip(starts[target].tolist(), ends[target].tolist(), strict=True)
        ]
        tags = self._word_tags(words)
        roles = [role(w, t) for w, t in zip(words, tags, strict=True)]
        negator = negators[at].tolist()
        skipped = (target > at + 1).tolist()
        hit = np.array(
            [reverses(*args) for args in zip(negator, skipped, roles, strict=True)], bool
        )
        kind[target[hit]] = BOUNDARY
        # 没 whose next word it does not reverse: a comparison's opinion word further on.
        rest = np.setdiff1d(every[negators[every] == DEGREE], at[hit])
        for i in rest.tolist():
            end = i + 1
            while end < len(tdoc) and end <= i + MAX_COMPARED and tdoc[end] == tdoc[i]:
                end += 1
            window = [
                text[a:b]
                for a, b in zip(
                    starts[i + 1 : end].tolist(), ends[i + 1 : end].tolist(), strict=True
                )
            ]
            if not window:
                continue
            found = compared(window, self._word_tags(window))
            if found is not None:
                kind[i + 1 + found] = BOUNDARY
        return kind

    def _word_tags(self, words: list[str]) -> list[str | None]:
        """The dictionary tags of a few words (KeywordExtractor._word_tags)."""
        return self.extractor._word_tags(words)

    def _char_tags(self, chars: list[str]) -> list[str | None]:
        """The dictionary tags of single characters."""
        if self.lexicon is None:
            return self.tags.get_many(chars, None)
        points = np.array([ord(ch) for ch in chars], np.uint64)  # a character's hash
        rows = self.lexicon.find((points, points))
        names = self.lexicon.tags
        codes = np.where(rows >= 0, self.lexicon.tag[rows], -1).tolist()
        return [names[c] if c >= 0 else None for c in codes]

    # -- layout ---------------------------------------------------------------------------

    def _tokens(self, texts: Sequence[str], text: str) -> Any:
        """The tokens of ``text`` (the texts joined by newlines) as spans, and the indices
        of the newline tokens between texts; None if tokens do not spell the texts.

        One tokenizer call for all texts: jieba cuts blocks of word characters separately,
        so a newline between two texts changes no token of either (checked: each separator
        must come back as a token of its own; if not, say a text ending in "\\r", the texts
        are cut one by one)."""
        cut = self.extractor.cut
        lengths = np.cumsum([len(t) + 1 for t in texts])
        separators = lengths[:-1] - 1
        for attempt in range(2):
            if attempt == 0:
                tokens = self._cut_joined(texts, text)
            else:
                tokens = cut(texts[0])
                for part in texts[1:]:
                    tokens.append("\n")
                    tokens.extend(cut(part))
            ends = np.cumsum(np.fromiter(map(len, tokens), np.int64, len(tokens)))
            if not len(ends) or ends[-1] != len(text):
                continue
            starts = np.concatenate([[0], ends[:-1]])
            at = np.minimum(np.searchsorted(starts, separators), len(starts) - 1)
            if (starts[at] == separators).all() and (ends[at] == separators + 1).all():
                return starts, ends, at
        return None

    def _cut_joined(self, texts: Sequence[str], text: str) -> list[str]:
        """The tokens of ``text`` (the texts joined by newlines), taking those of texts
        learn_collection has cut already from its cache (each one once)."""
        cut = self.extractor.cut
        cache = self.extractor._cut_cache
        if not cache:
            return cut(text)
        tokens: list[str] = []
        run: list[str] = []  # texts not in the cache, cut together
        for part in texts:
            found = cache.pop(part, None)
            if found is None:
                run.append(part)
                continue
            if run:
                tokens += cut("\n".join(run))
                tokens.append("\n")
                run = []
            tokens += found
            tokens.append("\n")
        if run:
            tokens += cut("\n".join(run))
        else:
            tokens.pop()
        return tokens

    def _layout(self, texts: Sequence[str]) -> _Layout | None:
        """Tokenize ``texts`` and describe the tokens; None where only extract() is exact."""
        text = "\n".join(texts)
        cut = self._tokens(texts, text)
        if cut is None:
            return None
        starts, ends, separators = cut
        separator = np.zeros(len(starts), bool)
        separator[separators] = True
        doc = np.cumsum(separator)
        raw = np.flatnonzero(~separator)
        starts, ends, doc = starts[raw], ends[raw], doc[raw]
        points = code_points(text)
        texts_hashes = (TextHashes(points, BASES[0]), TextHashes(points, BASES[1]))
        h1, h2 = (hashes.of(starts, ends) for hashes in texts_hashes)
        p1, p2 = (hashes.power[ends - starts] for hashes in texts_hashes)
        self._points = points
        ids = self.vocabulary.lookup((h1, h2), text, np.stack([starts, ends], 1))
        if ids is None:
            return None  # a 128-bit clash
        facts = self.vocabulary.arrays
        if facts["odd"][ids].any():
            return None  # a token with whitespace at an end (no tokenizer makes one)
        space = facts["space"][ids]
        after_space = np.zeros(len(ids), bool)
        after_space[1:] = space[:-1] & (doc[1:] == doc[:-1])

        # From here on, whitespace tokens are gone (as in KeywordExtractor._tokens).
        kept = np.flatnonzero(~space)
        tid, tdoc = ids[kept], doc[kept]
        kind = self._blank_negated(facts["kind"][tid], tid, tdoc, (text, starts[kept], ends[kept]))
        kind[_after_numbers(text, points, starts[kept], ends[kept])] = BOUNDARY
        size = len(kept)
        same_doc = np.zeros(size, bool)
        same_doc[1:] = tdoc[1:] == tdoc[:-1]
        after = after_space[kept]
        # The joiner to the token before: "" (none), " " (two English words), or a break.
        joined = np.zeros(size, bool)
        joined[1:] = (
            after[1:] & same_doc[1:] & facts["ends_word"][tid[:-1]] & facts["starts_word"][tid[1:]]
        )
        word = kind != BOUNDARY
        linked = np.zeros(size, bool)
        linked[1:] = word[:-1] & word[1:] & same_doc[1:] & ~(after[1:] & ~joined[1:])
        # A phrase is a slice of its text unless other whitespace than one space joins.
        tstart, tend = starts[kept], ends[kept]
        exact = np.ones(len(texts), bool)
        gap = np.flatnonzero(joined)
        if len(gap):
            odd = (tstart[gap] - tend[gap - 1] != 1) | (points[tend[gap - 1]] != ord(" "))
            exact[tdoc[gap[odd]]] = False
        chars = np.bincount(tdoc, weights=tend - tstart, minlength=len(texts))
        title_end = _title_spans(points, tstart, tend, tdoc)
        width = facts["width"][tid]
        titled = _titled_phrases(title_end, kind, after & ~joined, width, points, tstart, tend)
        idf = self._scored_idf(tid, tdoc, facts, chars <= SHORT_TEXT, title_end, tend - tstart)
        word_count = np.cumsum(word)
        doc_first = np.searchsorted(tdoc, np.arange(len(texts)))
        before_doc = np.concatenate([[0], word_count])[doc_first]
        order = word_count - 1 - before_doc[tdoc]
        return _Layout(
            texts=texts,
            offset=np.concatenate([[0], np.cumsum([len(t) + 1 for t in texts])[:-1]]),
            points=points,
            exact=exact,
            doc=tdoc,
            start=tstart,
            end=tend,
            kind=kind,
            width=width,
            joined=joined,
            linked=linked,
            order=order,
            idf=idf,
            word_idf=self._word_idf(idf, tid, facts),
            sure=facts["sure"][tid],
            title_end=title_end,
            titled=titled,
            pieces=facts["pieces"][tid],
            hashes=(h1[kept], p1[kept], h2[kept], p2[kept]),
            text_hashes=texts_hashes,
            cache={},
        )

    def _scored_idf(
        self, tid: Any, tdoc: Any, facts: dict[str, Any], short: Any, title_end: Any, size: Any
    ) -> Any:
        """Each token's IDF as scored: the table's, else its median; 0 for a word the
        segmenter invented that its document holds once, unless it reads as a name or
        stands between title marks, or has two characters in a short document (then
        names.SHORT_ONCE_WEIGHT of the median) (KeywordExtractor._token_idf); ``short``:
        per document, whether it is short; ``title_end``: _title_spans; ``size``: each
        token's length in characters."""
        idf = facts["idf"][tid]
        idf[np.isnan(idf)] = self.extractor.idf.unknown
        sure = facts["sure"][tid]
        unconfirmed = np.flatnonzero(sure < MARGIN)
        if len(unconfirmed):
            pairs = tdoc[unconfirmed] * (self.vocabulary.size + 1) + tid[unconfirmed]
            _, inverse, counts = np.unique(pairs, return_inverse=True, return_counts=True)
            bar = np.where(short[tdoc[unconfirmed]], SHORT_MARGIN, MARGIN)
            once = (counts[inverse] < 2) & (sure[unconfirmed] < bar)
            starts = np.flatnonzero(title_end >= 0)
            if len(starts):  # the words of a title: words, however often said
                inside = np.zeros(len(tid) + 1, np.int64)
                np.add.at(inside, starts, 1)
                np.add.at(inside, title_end[starts] + 1, -1)
                titled = np.cumsum(inside[:-1])[unconfirmed] > 0
                in_title = np.bincount(inverse, weights=titled, minlength=len(counts)) > 0
                once &= ~in_title[inverse]
            short_once = short[tdoc[unconfirmed]] & (size[unconfirmed] == 2)
            weak = once & short_once & (sure[unconfirmed] > -np.inf)
            idf[unconfirmed[once & ~weak]] = 0.0
            idf[unconfirmed[weak]] = self.extractor.idf.unknown * SHORT_ONCE_WEIGHT
        return idf

    def _word_idf(self, idf: Any, tid: Any, facts: dict[str, Any]) -> Any:
        """Each token's IDF as a keyword alone: its collection IDF where it has one and
        scores above 0, else ``idf``."""
        if self.extractor.method == "textrank":
            return idf
        alone = idf
        if self.extractor._collection:
            lowered = facts["collection"][tid]
            alone = np.where(~np.isnan(lowered) & (idf > 0.0), lowered, idf)
        opinion = facts["kind"][tid] == OPINION  # a complaint alone: after the content words
        return np.where(opinion, alone * OPINION_WEIGHT, alone) if opinion.any() else alone

    # -- candidates -----------------------------------------------------------------------

    def _groups(self, tokens: _Layout) -> _Groups | None:
        """Every n-gram of up to max_tokens linked tokens within MAX_CHARS that may be a
        keyword (a word alone, or a phrase ending as the grammar allows) of at least
        min_len characters, grouped by string; then the fragment filter
        (candidates._closed). None on a hash clash."""
        extractor = self.extractor
        n_tokens = len(tokens.doc)
        limit = 2 * MAX_CHARS
        width = np.concatenate([[0], np.cumsum(np.where(tokens.kind != BOUNDARY, tokens.width, 0))])
        chars = np.concatenate([[0], np.cumsum(tokens.end - tokens.start)])
        spaces = np.concatenate([[0], np.cumsum(tokens.joined)])
        mix = tokens.doc.astype(np.uint64) * DOC_MIX
        h1, p1, h2, p2 = tokens.hashes
        # A token's hash and power inside an n-gram, where a joining space comes with it.
        base1, base2 = (np.uint64(b) for b in BASES)
        space = np.uint64(ord(" "))
        joined = tokens.joined
        h1j, p1j = np.where(joined, space * p1 + h1, h1), np.where(joined, p1 * base1, p1)
        h2j, p2j = np.where(joined, space * p2 + h2, h2), np.where(joined, p2 * base2, p2)
        kind = tokens.kind
        levels = [(kind != BOUNDARY, h1, h2)]  # per n: run[a], hashes of tokens a..a+n-1
        occ_start, occ_n, occ_h1, occ_h2 = [], [], [], []
        found_at = []  # per n: whether the n-gram at each start is a candidate
        for n in range(1, extractor.max_tokens + 1):
            m = n_tokens - n + 1
            if m <= 0:
                break
            if n > 1:
                run, g1, g2 = levels[-1]
                run = run[:m] & tokens.linked[n - 1 :] & (width[n:] - width[:m] <= limit)
                g1 = g1[:m] * p1j[n - 1 :] + h1j[n - 1 :]
                g2 = g2[:m] * p2j[n - 1 :] + h2j[n - 1 :]
                levels.append((run, g1, g2))
            run, g1, g2 = levels[-1]
            length = chars[n : n + m] - chars[:m] + spaces[n : n + m] - spaces[1 : m + 1]
            if n == 1:
                fits = _ALONE[kind]
            else:
                fits = _STARTS[kind[:m]] & _ENDS[kind[n - 2 : n - 2 + m], kind[n - 1 :]]
                if n > 2:  # a common verb ends only a two-word phrase (candidates.gather)
                    fits &= kind[n - 1 :] != COMMON
            valid = run & fits & (length >= extractor.min_len)
            found_at.append(valid)
            found = np.flatnonzero(valid)
            occ_start.append(found)
            occ_n.append(np.full(len(found), n, np.int64))
            occ_h1.append(g1[found])
            occ_h2.append(g2[found])
        if extractor.max_tokens > 1 and len(tokens.titled):
            a = tokens.titled  # names between title marks, whatever their words' classes
            b = tokens.title_end[a]
            first, second = tokens.text_hashes
            span = (tokens.start[a], tokens.end[b])
            fits = span[1] - span[0] >= extractor.min_len
            for n, valid in enumerate(found_at, 1):  # not twice: an n-gram already
                same = np.flatnonzero(b - a + 1 == n)
                fits[same] &= ~valid[a[same]]
            occ_start.append(a[fits])
            occ_n.append((b - a + 1)[fits])
            occ_h1.append(first.of(*span)[fits])
            occ_h2.append(second.of(*span)[fits])
        occ_a = np.concatenate(occ_start) if occ_start else np.zeros(0, np.int64)
        count = len(occ_a)
        if not count:
            empty = np.zeros(0, np.int64)
            return _Groups(empty, empty, empty, empty, np.zeros(0, bool), empty, empty)
        occ_g1, occ_g2 = np.concatenate(occ_h1), np.concatenate(occ_h2)
        occ_k1 = occ_g1 ^ mix[occ_a]
        # Group the occurrences by string. Per group: tf, and the earliest occurrence, which
        # gives the first position and the parts (a start's n-gram is unique: min of a*8+n).
        by_key = group_order(occ_k1)
        k1 = occ_k1[by_key]
        new_group = np.ones(count, bool)
        new_group[1:] = k1[1:] != k1[:-1]
        k2 = occ_g2[by_key]
        if (k2[1:] != k2[:-1])[~new_group[1:]].any():
            return None  # a 64-bit clash
        heads = np.flatnonzero(new_group)
        tf = np.diff(np.append(heads, count))
        earliest = np.minimum.reduceat((occ_a * 16 + np.concatenate(occ_n))[by_key], heads)
        start, size = earliest >> 4, earliest & 15
        doc = tokens.doc[start]
        g1, g2 = occ_g1[by_key][heads], occ_g2[by_key][heads]
        # Phrases count as strings: the same words cut another way still count.
        phrase = np.flatnonzero(size > 1)
        if len(phrase):
            spans = (tokens.start[start[phrase]], tokens.end[start[phrase] + size[phrase] - 1])
            found = _count_strings(tokens, doc[phrase], spans, (g1[phrase], g2[phrase]))
            tf[phrase] = np.maximum(tf[phrase], found)
        # The fragment filter: a repeated phrase covers itself minus its first or its last
        # token (as first cut) with its tf.
        covered = np.zeros(len(heads), np.int64)
        table = np.sort(k1[heads])
        group_at = np.argsort(k1[heads])  # table[i] is the key of group group_at[i]
        words = levels[0][1]  # each token's hash as a one-token n-gram

        def word_tf(at: Any) -> Any:
            """The tf of the one-token candidate at token positions ``at`` (0: none)."""
            where = find_sorted(table, words[at] ^ mix[at])
            return np.where(where >= 0, tf[group_at[np.maximum(where, 0)]], 0)

        pair = self._pairs_said_once(tokens, start, size, tf, word_tf)
        pair |= (size > 1) & (tokens.title_end[start] == start + size - 1)  # a title
        first_hash = tokens.text_hashes[0]
        for n in range(2, int(size.max(initial=1)) + 1):
            pick = np.flatnonzero((size == n) & ((tf >= MIN_PHRASE_TF) | pair))
            if not len(pick):
                continue
            a = start[pick]
            for left, at in ((True, a + 1), (False, a)):
                pick_n = pick
                if left:  # a verb and its object (candidates._closed)
                    verb = (kind[a] == COMMON) & tokens.linked[a]
                    at, pick_n = at[~verb], pick[~verb]
                if n <= extractor.max_tokens:
                    sub = levels[n - 2][1][at]
                else:  # a title longer than any n-gram: its hash from the text's
                    sub = first_hash.of(tokens.start[at], tokens.end[at + n - 2])
                where = find_sorted(table, sub ^ mix[at])
                hit = where >= 0
                np.maximum.at(covered, group_at[where[hit]], tf[pick_n[hit]])
        keep = ((size == 1) | (tf >= MIN_PHRASE_TF) | pair) & (covered < tf)
        return _Groups(doc, start, size, tf, keep, g1, g2)

    def _pairs_said_once(
        self, tokens: _Layout, start: Any, size: Any, tf: Any, word_tf: Callable[[Any], Any]
    ) -> Any:
        """Per group: a two-noun phrase seen once that is a whole run of content words,
        both nouns seen nowhere else (candidates._pairs_said_once)."""
        pair = np.zeros(len(start), bool)
        a = start
        last = len(tokens.doc) - 1
        maybe = (size == 2) & (tf == 1)
        maybe &= (tokens.kind[a] == HEAD) & (tokens.kind[np.minimum(a + 1, last)] == HEAD)
        maybe &= ~tokens.linked[a]  # the run does not go on before ...
        after = np.minimum(a + 2, last)
        maybe &= (a + 2 > last) | ~tokens.linked[after]  # ... nor after
        pick = np.flatnonzero(maybe)
        if not len(pick):
            return pair
        first, second = start[pick], start[pick] + 1
        # A one-character noun that ends nouns and is no candidate alone (shorter than
        # --min-len): candidates._pairs_said_once.
        second_tf = word_tf(second)
        one_char = np.flatnonzero(
            ((tokens.end[second] - tokens.start[second]) == 1) & (second_tf == 0)
        )
        head = np.zeros(len(second), bool)
        if len(one_char):
            heads = noun_heads()
            chars = tokens.points[tokens.start[second[one_char]]].tolist()
            head[one_char] = [chr(c) in heads for c in chars]
        once = (word_tf(first) == 1) & ((second_tf == 1) | head)
        once &= (tokens.idf[first] > 0.0) & (tokens.idf[second] > 0.0)
        pick, first, second = pick[once], first[once], second[once]
        if not len(pick):
            return pair
        at = np.concatenate([first, second])
        half = len(pick)
        nouns, kinds = self._nouns(tokens, at, np.arange(len(at)) >= half)
        names = np.array(
            [two_names(a, b) for a, b in zip(kinds[:half], kinds[half:], strict=True)], bool
        )
        pair[pick[nouns[:half] & nouns[half:] & ~names]] = True
        return pair

    def _nouns(self, tokens: _Layout, at: Any, last: Any) -> tuple[Any, list[int]]:
        """Whether the content tokens at positions ``at`` are nouns that may pair once
        (candidates.is_noun; ``last``: each one is a pair's second word), and their
        candidates.name_kind; their tags looked up here: few tokens get this far."""
        points = tokens.points
        words = [
            "".join(map(chr, points[s:e].tolist()))
            for s, e in zip(tokens.start[at].tolist(), tokens.end[at].tolist(), strict=True)
        ]
        tags = self._word_tags(words)
        sure = tokens.sure[at].tolist()
        nouns = np.array(
            [
                is_noun(w, role(w, t), s, z)
                for w, t, s, z in zip(words, tags, sure, last.tolist(), strict=True)
            ],
            bool,
        )
        return nouns, [name_kind(t, s) for t, s in zip(tags, sure, strict=True)]

    def _scores(self, tokens: _Layout, groups: _Groups) -> Any:
        """Each group's tf-idf weight: KeywordExtractor._scored's float operations, in the
        same order (so the same float, bit for bit)."""
        start, size, tf = groups.start, groups.size, groups.tf
        total = np.where(size == 1, tokens.word_idf[start], tokens.idf[start])
        length = tokens.pieces[start].copy()  # the tokens it counts as
        # A boundary inside a title (之 of 战地之王) weighs nothing, as in extract().
        idf = np.where(tokens.kind == BOUNDARY, 0.0, tokens.idf)
        for j in range(1, int(size.max(initial=1))):
            more = np.flatnonzero(size > j)
            total[more] = total[more] + idf[start[more] + j]
            length[more] = length[more] + tokens.pieces[start[more] + j]
        top = int(length.max(initial=1))
        score = _table(lambda t: t**TF_POWER, int(tf.max(initial=0)))[tf] * total
        score = score * (
            (1.0 + POSITION_WEIGHT / np.sqrt(1.0 + tokens.order[start]))
            / _table(lambda n: n**LENGTH_POWER, top)[length]
        )
        # A name between title marks where it first occurs is one name: no length penalty.
        titled = tokens.title_end[start] == start + size - 1
        long = np.flatnonzero((length > LONG_PHRASE_TOKENS) & ~titled)
        if len(long):
            penalty = _table(
                lambda n: (LONG_PHRASE_TOKENS / max(n, 1)) ** LONG_PHRASE_POWER,
                top,
            )
            score[long] = score[long] * penalty[length[long]]
        return score

    # -- ranking and choice ---------------------------------------------------------------

    def extract(self, texts: Sequence[str], k: int) -> Columns:
        """Columns of the keywords of ``texts`` (a group), as extract_columns."""
        extractor = self.extractor
        tokens = self._layout([blank_markup(t) for t in texts])
        groups = None if tokens is None else self._groups(tokens)
        if tokens is None or groups is None:  # see where None comes from
            found = [extractor.extract(text, k) for text in texts]
            docs = [d for d, f in enumerate(found) for _ in f]
            return docs, [w for f in found for w, _ in f], [s for f in found for _, s in f]
        score = self._scores(tokens, groups)
        chosen, redo = _choose(tokens, groups, score, k, extractor.min_len)
        if not redo:
            rows = chosen
            return (
                groups.doc[rows].tolist(),
                _strings(tokens, groups, rows),
                score[rows].tolist(),
            )
        # Documents extract() handles: their keywords take their place.
        rows = chosen[~np.isin(groups.doc[chosen], redo)]
        docs = groups.doc[rows].tolist()
        words = _strings(tokens, groups, rows)
        weights = score[rows].tolist()
        extra = {d: extractor.extract(texts[d], k) for d in redo}
        out_docs: list[int] = []
        out_words: list[str] = []
        out_weights: list[float] = []
        bounds = np.searchsorted(np.asarray(docs, np.int64), np.arange(len(texts) + 1)).tolist()
        for d in range(len(texts)):
            if d in extra:
                found = extra[d]
                out_docs += [d] * len(found)
                out_words += [w for w, _ in found]
                out_weights += [s for _, s in found]
            else:
                lo, hi = bounds[d], bounds[d + 1]
                out_docs += docs[lo:hi]
                out_words += words[lo:hi]
                out_weights += weights[lo:hi]
        return out_docs, out_words, out_weights


def _title_spans(points: Any, start: Any, end: Any, doc: Any) -> Any:
    """Per token: the last token of the name between title marks that starts at it, else
    -1 (candidates.title_spans, over the tokens of all documents)."""
    title_end = np.full(len(start), -1, np.int64)
    single = end - start == 1
    marks = np.flatnonzero(single & np.isin(points[start], _TITLE_POINTS))
    if not len(marks):
        return title_end
    codes = points[start[marks]].tolist()
    positions = marks.tolist()
    docs = doc[marks].tolist()
    for i, (a, code) in enumerate(zip(positions, codes, strict=True)):
        close = _TITLE_CLOSE_OF.get(code)
        if close is None or i + 1 == len(positions):
            continue
        b = positions[i + 1]  # the next mark of any kind
        if (
            codes[i + 1] == close
            and docs[i + 1] == docs[i]
            and a + 1 < b <= a + MAX_TITLE_TOKENS + 1
        ):
            title_end[a + 1] = b - 1
    return title_end


def _titled_phrases(
    title_end: Any, kind: Any, brk: Any, width: Any, points: Any, start: Any, end: Any
) -> Any:
    """The first tokens of the titles that make a phrase (candidates.titled_phrases);
    ``brk``: per token, whether a break comes before it."""
    a = np.flatnonzero(title_end > np.arange(len(title_end)))
    if not len(a):
        return a
    b = title_end[a]
    ok = kind[a] != BOUNDARY
    last = kind[b] != BOUNDARY
    for i in np.flatnonzero(ok & ~last).tolist():  # a number or word last (叶问2), no mark
        last[i] = "".join(map(chr, points[start[b[i]] : end[b[i]]].tolist())).isalnum()
    breaks = np.concatenate([[0], np.cumsum(brk)])
    widths = np.concatenate([[0], np.cumsum(width)])
    ok &= last & (breaks[b + 1] == breaks[a + 1]) & (widths[b + 1] - widths[a] <= 2 * MAX_CHARS)
    return a[ok]


_TITLE_CLOSE_OF = {ord(a): ord(b) for a, b in TITLE_MARKS.items()}
_TITLE_POINTS = np.array(sorted(_TITLE_CLOSE_OF) + sorted(_TITLE_CLOSE_OF.values()))

_SPACES: Any = None  # the code points str.isspace() accepts


def _shapes(points: Any, spans: Any) -> dict[str, Any]:
    """What the characters of each token [start, end) of the text with these code points
    say about it: its class so far (0), twice its width (candidates.double_width), whether
    it starts or ends with an ASCII letter or digit, is whitespace (or empty), has
    whitespace at an end without being whitespace, and is all ASCII."""
    global _SPACES
    if _SPACES is None:
        _SPACES = np.array([c for c in range(0x3001) if chr(c).isspace()], np.uint64)
    start, end = spans[:, 0], spans[:, 1]
    length = end - start
    alnum = (
        ((points >= 48) & (points <= 57))
        | ((points >= 65) & (points <= 90))
        | ((points >= 97) & (points <= 122))
    )
    space = np.isin(points, _SPACES)

    def count(flags: Any) -> Any:
        total = np.concatenate([[0], np.cumsum(flags)])
        return total[end] - total[start]

    last = np.maximum(end - 1, start)
    nonempty = length > 0
    blank = count(space) == length
    return {
        "kind": np.zeros(len(start), np.int8),
        "width": 2 * (length - count(points == 32)) - count(alnum),
        "starts_word": alnum[start] & nonempty,
        "ends_word": alnum[last] & nonempty,
        "space": blank,
        "odd": ~blank & (space[start] | space[last]),
        "ascii": count(points < 128) == length,
    }


def _table(function: Any, top: int) -> Any:
    """``function(i)`` for i in 0..top, computed by Python's float arithmetic (the same
    pow() the per-document code calls), as an array to index."""
    return np.array([function(i) for i in range(top + 1)], dtype=np.float64)


def _count_strings(
    tokens: _Layout, doc: Any, spans: tuple[Any, Any], hashes: tuple[Any, Any]
) -> Any:
    """Occurrences (overlapping ones included) of the strings ``text[spans]`` (with these
    hashes, each of 2+ characters) in the text of their document ``doc``.

    Only text positions whose first two characters begin a string of their document are
    hashed, once for each such string."""
    points = tokens.points
    n_points = len(points)
    counts = np.zeros(len(doc), np.int64)
    if not len(doc) or n_points < 2:
        return counts
    begin, stop = spans
    # Key: document, first character, second character (exact: 22 + 21 + 21 bits).
    key = (doc.astype(np.uint64) << np.uint64(42)) | (points[begin] << np.uint64(21))
    key |= points[begin + 1]
    by_key = np.argsort(key)
    sorted_key = key[by_key]
    cached = tokens.cache.get("position_key")
    if cached is None:
        lengths = np.fromiter((len(t) + 1 for t in tokens.texts), np.int64, len(tokens.texts))
        position_doc = np.repeat(np.arange(len(tokens.texts), dtype=np.uint64), lengths)
        position_key = position_doc[: n_points - 1] << np.uint64(42)
        position_key |= (points[:-1] << np.uint64(21)) | points[1:]
        cached = tokens.cache["position_key"] = (position_key, scramble(position_key))
    position_key, scrambled = cached
    # A cheap first pass (a bitmap of hashed keys) leaves few positions to look up.
    at = np.flatnonzero(_bitmap(key)(scrambled, scrambled=True))
    at = at[np.argsort(position_key[at], kind="stable")]
    looked = position_key[at]
    low = np.searchsorted(sorted_key, looked, "left")
    many = np.searchsorted(sorted_key, looked, "right") - low
    hit = many > 0
    at, low, many = at[hit], low[hit], many[hit]
    # One (position, string) pair for each string starting like the text there.
    position = np.repeat(at, many)
    step = np.arange(len(position)) - np.repeat(np.cumsum(many) - many, many)
    string = by_key[np.repeat(low, many) + step]
    end = position + (stop - begin)[string]
    fits = end <= n_points
    position, string, end = position[fits], string[fits], end[fits]
    first, second = tokens.text_hashes
    same = first.of(position, end) == hashes[0][string]
    same[same] = second.of(position[same], end[same]) == hashes[1][string[same]]
    return np.bincount(string[same], minlength=len(doc)).astype(np.int64)


def _bitmap(keys: Any, bits: int = 20) -> Any:
    """A membership test for ``keys`` (uint64) with rare false positives: a bit per hashed
    key in a table of 2**bits. The test takes queries, or their scramble() when told."""
    shift = np.uint64(64 - bits)
    table = np.zeros(1 << bits, bool)
    table[scramble(keys) >> shift] = True

    def test(query: Any, scrambled: bool = False) -> Any:
        return table[(query if scrambled else scramble(query)) >> shift]

    return test


def _strings(tokens: _Layout, groups: _Groups, rows: Any) -> list[str]:
    """The strings of groups ``rows`` (in documents whose phrases are slices of the text)."""
    d = groups.doc[rows]
    begin = tokens.start[groups.start[rows]] - tokens.offset[d]
    end = tokens.end[groups.start[rows] + groups.size[rows] - 1] - tokens.offset[d]
    texts = tokens.texts
    return [texts[i][s:e] for i, s, e in zip(d.tolist(), begin.tolist(), end.tolist(), strict=True)]


def _choose(
    tokens: _Layout, groups: _Groups, score: Any, k: int, min_len: int
) -> tuple[Any, list[int]]:
    """The chosen groups, by document and rank (KeywordExtractor.extract's ranking and
    diversity.distinct), and the documents extract() must do instead."""
    ranked = np.flatnonzero(groups.keep & (score > 0.0))
    doc = groups.doc
    first = tokens.order[groups.start]
    ranked = ranked[np.lexsort((first[ranked], -score[ranked], doc[ranked]))]
    ranked_doc = doc[ranked]
    # Two candidates of a document tying on score and first position: the string decides
    # (extract sorts (-score, first, phrase) tuples). Rare, so sorted again in Python.
    tied = ranked_doc[1:][
        (ranked_doc[1:] == ranked_doc[:-1])
        & (score[ranked][1:] == score[ranked][:-1])
        & (first[ranked][1:] == first[ranked][:-1])
    ]
    redo: set[int] = set(np.flatnonzero(~tokens.exact).tolist())
    for d in np.unique(tied).tolist():
        at = np.flatnonzero(ranked_doc == d)
        rows = ranked[at]
        keys = zip(
            (-score[rows]).tolist(),
            first[rows].tolist(),
            _strings(tokens, groups, rows),
            rows.tolist(),
            strict=True,
        )
        ranked[at] = [row for *_, row in sorted(keys)]
    rank = np.arange(len(ranked)) - np.searchsorted(ranked_doc, ranked_doc)
    # Candidates looked at: the first `span` of each document (unless k is 0: all). A
    # document that skips so many that it runs out goes to extract().
    span = 2 * k + 8 if k else len(ranked) + 1
    looked = ranked[rank < span]
    long, short = _pairs(tokens, groups, looked, min_len)
    ending, starting = _overlaps(tokens, groups, looked)
    one, other = np.concatenate([long, ending]), np.concatenate([short, starting])
    if not len(one):
        chosen = ranked[rank < (k or len(ranked) + 1)]
        return chosen, sorted(redo)
    # The greedy choice in rank order: a candidate is skipped when an earlier chosen one
    # contains it, is contained in it or overlaps it. Decided in rounds: each round settles
    # the candidates whose earlier clashing ones are all settled.
    place = np.empty(len(doc), np.int64)
    place[ranked] = np.arange(len(ranked))
    earlier = np.where(place[one] < place[other], one, other)
    later = np.where(place[one] < place[other], other, one)
    state = np.zeros(len(doc), np.int8)  # 0 undecided, 1 chosen, -1 skipped
    state[looked] = 1
    state[later] = 0
    while True:
        open_rows = np.unique(later[state[later] == 0])
        if not len(open_rows):
            break
        blocked = np.zeros(len(doc), bool)
        blocked[later[state[earlier] == 1]] = True
        waiting = np.zeros(len(doc), bool)
        waiting[later[state[earlier] == 0]] = True
        state[open_rows[blocked[open_rows]]] = -1
        state[open_rows[~blocked[open_rows] & ~waiting[open_rows]]] = 1
    chosen = looked[state[looked] == 1]  # still in rank order
    chosen_doc = doc[chosen]
    nth = np.arange(len(chosen)) - np.searchsorted(chosen_doc, chosen_doc)
    limit = k or len(ranked) + 1
    # A document that ran out of the candidates looked at before k: extract() it.
    short_docs = np.flatnonzero(
        (np.bincount(chosen_doc, minlength=len(tokens.texts)) < limit)
        & (
            np.bincount(ranked_doc, minlength=len(tokens.texts))
            > np.bincount(doc[looked], minlength=len(tokens.texts))
        )
    )
    redo.update(short_docs.tolist())
    return chosen[nth < limit], sorted(redo)


def _pairs(tokens: _Layout, groups: _Groups, rows: Any, min_len: int) -> tuple[Any, Any]:
    """Containment among the candidates ``rows`` of each document: (longer, shorter), from
    the hashes of every substring of at least min_len characters of each candidate."""
    empty = np.zeros(0, np.int64)
    if not len(rows):
        return empty, empty
    doc = groups.doc[rows]
    begin = tokens.start[groups.start[rows]]
    end = tokens.end[groups.start[rows] + groups.size[rows] - 1]
    size = end - begin
    shortest = max(min_len, 1)
    mix = doc.astype(np.uint64) * DOC_MIX
    keys = groups.h1[rows] ^ mix
    order = np.argsort(keys)
    table = keys[order]
    first, second = tokens.text_hashes
    known = _bitmap(keys)
    found_long, found_short = [], []
    for length in range(shortest, int(size.max(initial=0))):
        owners = np.flatnonzero(size > length)
        if not len(owners):
            continue
        offsets = size[owners] - length + 1  # substrings of this length in each owner
        owner = np.repeat(owners, offsets)
        step = np.arange(len(owner)) - np.repeat(np.cumsum(offsets) - offsets, offsets)
        at = begin[owner] + step
        keys = first.of(at, at + length) ^ mix[owner]
        maybe = np.flatnonzero(known(keys))  # most substrings are no candidate
        where = find_sorted(table, keys[maybe])
        hit = maybe[where >= 0]
        other = order[where[where >= 0]]
        ok = second.of(at[hit], at[hit] + length) == groups.h2[rows[other]]
        found_long.append(owner[hit][ok])
        found_short.append(other[ok])
    if not found_long:
        return empty, empty
    code = np.unique(np.concatenate(found_long) * len(rows) + np.concatenate(found_short))
    return rows[code // len(rows)], rows[code % len(rows)]


def _overlaps(tokens: _Layout, groups: _Groups, rows: Any) -> tuple[Any, Any]:
    """Overlaps among the phrases ``rows`` of each document: (p, q) where p's last words
    are q's first words (diversity.distinct's ``ends``), from the hashes of each phrase cut
    at each word boundary of its earliest occurrence."""
    empty = np.zeros(0, np.int64)
    phrases = rows[groups.size[rows] > 1]
    if not len(phrases):
        return empty, empty
    start, size = groups.start[phrases], groups.size[phrases]
    cuts = size - 1
    owner = np.repeat(np.arange(len(phrases)), cuts)
    words = 1 + np.arange(len(owner)) - np.repeat(np.cumsum(cuts) - cuts, cuts)
    first_token = start[owner]
    head = (tokens.start[first_token], tokens.end[first_token + words - 1])
    tail = (tokens.start[first_token + words], tokens.end[first_token + size[owner] - 1])
    mix = groups.doc[phrases].astype(np.uint64)[owner] * DOC_MIX
    first, second = tokens.text_hashes
    head_key = first.of(*head) ^ mix
    tail_key = first.of(*tail) ^ mix
    by_head = np.argsort(head_key)
    sorted_head = head_key[by_head]
    low = np.searchsorted(sorted_head, tail_key, "left")
    many = np.searchsorted(sorted_head, tail_key, "right") - low
    tails = np.repeat(np.arange(len(owner)), many)
    step = np.arange(len(tails)) - np.repeat(np.cumsum(many) - many, many)
    heads = by_head[np.repeat(low, many) + step]
    doc = groups.doc[phrases]
    ok = (owner[tails] != owner[heads]) & (doc[owner[tails]] == doc[owner[heads]])
    tails, heads = tails[ok], heads[ok]
    same = second.of(tail[0][tails], tail[1][tails]) == second.of(head[0][heads], head[1][heads])
    return phrases[owner[tails[same]]], phrases[owner[heads[same]]]
