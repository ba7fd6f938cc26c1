"""jieba's dictionary tags and IDF table as arrays keyed by word hash, for the batch path.

A batch's new tokens get their facts (tag, IDF, word class with the default stopwords)
from one ``searchsorted`` over the hashes the batch computes anyway, not from SQLite
or Python per token (which takes longer than a batch of a thousand texts takes to run).
The arrays are built once from the SQLite caches (:func:`textkit.keywords.lexicon.load_tags`,
:func:`textkit.text.idf.load_idf`) and cached beside them (:mod:`textkit.io.arraycache`: mapped
into memory, not read whole) keyed like them and like the word-class rules; a cache that
cannot be read or written only costs the build (a few seconds).
"""

from __future__ import annotations

import hashlib
from typing import Any, NamedTuple

import numpy as np

from textkit.keywords import lexicon as rules
from textkit.keywords.hashing import BASES, find_sorted, word_hashes

VERSION = 61  # bump when the file's layout or the facts change (word_class's logic too)


class HashedLexicon(NamedTuple):
    h1: Any  # first hash of each word, sorted
    h2: Any  # second hash, to confirm a match
    tag: Any  # index into ``tags`` of the word's dictionary tag, -1 when not in the dictionary
    idf: Any  # its IDF in jieba's table, NaN when the table lacks it
    kind: Any  # its word class with the default stopwords (lexicon.word_class, glue rule)
    tags: tuple[str, ...]

    def find(self, hashes: tuple[Any, Any]) -> Any:
        """The row of each word with these hashes, -1 for words the lexicon lacks."""
        order = np.argsort(hashes[0])  # sorted queries: searchsorted walks the table once
        rows = np.empty(len(order), np.int64)
        rows[order] = find_sorted(self.h1, hashes[0][order])
        found = rows >= 0
        found[found] = self.h2[rows[found]] == hashes[1][found]
        return np.where(found, rows, -1)


def rules_digest(stopwords: frozenset[str]) -> str:
    """A digest of everything a word's class depends on besides the word and its tag."""
    parts = (
        sorted(stopwords),
        sorted(rules.GENERIC_WORDS),
        sorted(rules.GENRE_WORDS),
        sorted(rules.GENERIC_HEADS),
        sorted(rules.UNITS),
        sorted(rules.POWER_UNITS),
        rules.PLACE_SUFFIXES,
        sorted(rules.MISTAGGED_PLACE_TAGS),
        sorted(rules.COMMON_TAGS),
        sorted(rules.COMMON_ADJECTIVE_TAGS),
        sorted(rules.common_predicates()),
        sorted(rules.function_compounds().items()),
        [sorted(s) for s in (rules.FUNCTION_TAGS, rules.HEAD_TAGS, rules.WORD_TAGS)],
        sorted(rules.IDIOM_TAGS),
        sorted(rules.DEGREE_COMPLAINTS),
        sorted(rules.OPINION_TAGS),
        sorted(rules.OPINION_VERBS),
        rules.NEGATED_OPINION_START,
        sorted(rules.NOT_NEGATED_OPINIONS),
        sorted(rules.MISTAGGED_ADJECTIVES),
        sorted(rules.MARKET_VERBS),
        sorted(rules.noun_idioms()),
        [sorted(s) for s in (rules.MODIFIER_TAGS, rules.SUFFIX_TAGS, rules.AFFIX_TAGS)],
        [
            sorted(s)
            for s in (
                rules.GLUE_START_TAGS,
                rules.GLUE_END_TAGS,
                rules.GLUE_START_CHARS,
                rules.GLUE_END_CHARS,
                rules.GLUE_MIDDLE_CHARS,
                rules.GLUE_PREDICATE_TAGS,
                rules.GLUE_START_EXCEPT,
                rules.GLUE_END_EXCEPT,
                rules.NOUN_TAGS,
                rules.NOUN_MORPHEMES,
            )
        ],
        rules.NUMBER_LIKE.pattern,
        sorted(rules.ENGLISH_GENRE_WORDS),
        rules.ENGLISH_MODIFIER.pattern,
        rules.NON_WORD.pattern,
        rules.ENDS,
        rules.ALONE,
        rules.STARTS,
        sorted(rules.GLUE_SURNAMES),
        rules.DEGREE_STARTS,
        rules.OPINION_WEIGHT,
    )
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()


def build(
    tag_rows: list[tuple[str, str]], idf_rows: list[tuple[str, float]], stopwords: frozenset[str]
) -> HashedLexicon:
    """The lexicon of these (word, tag) and (word, IDF) rows, classes with ``stopwords``."""
    tag_of = dict(tag_rows)
    idf_of = dict(idf_rows)
    words = sorted(tag_of.keys() | idf_of.keys())
    names = tuple(sorted(set(tag_of.values())))
    code = {name: i for i, name in enumerate(names)}
    tags = [tag_of.get(w) for w in words]
    kinds = []
    for word, tag in zip(words, tags, strict=True):
        if tag is None and not word.isascii():
            ends = (tag_of.get(word[0]), tag_of.get(word[-1]))
            kinds.append(rules.invented_class(word, *ends, stopwords))
        else:
            kinds.append(rules.word_class(word, tag, stopwords))
    h1, h2 = word_hashes(words)
    order = np.argsort(h1, kind="stable")
    columns = (
        np.array([code.get(t, -1) if t is not None else -1 for t in tags], np.int16),
        np.array([idf_of.get(w, np.nan) for w in words], np.float64),
        np.array(kinds, np.int8),
    )
    return HashedLexicon(h1[order], h2[order], *(c[order] for c in columns), names)


def load(tags: Any, weights: Any, stopwords: frozenset[str]) -> HashedLexicon | None:
    """The lexicon of jieba's dictionary tags (``tags``: a LazyTags) and default IDF table
    (``weights``: a LazyWeights), classes with the default ``stopwords``, from its cache or
    built; None when two words share a first hash (odds ~1e-8: the caller looks words up
    another way)."""
    from textkit.io.arraycache import load_arrays, save_arrays

    key = f"{VERSION}|{BASES}|{tags.key}|{weights.key}|{rules_digest(stopwords)}"
    path = tags.cache.with_name(f"{tags.cache.stem}.hashed.arrays")
    arrays = load_arrays(path, key)
    if arrays is not None:
        names = tuple(bytes(arrays.pop("tags")).decode("utf-8").split("\n"))
        return HashedLexicon(**arrays, tags=names)
    lexicon = build(tags.rows(), weights.rows(), stopwords)
    if (lexicon.h1[1:] == lexicon.h1[:-1]).any():
        return None
    arrays = {name: getattr(lexicon, name) for name in HashedLexicon._fields[:-1]}
    names = np.frombuffer("\n".join(lexicon.tags).encode("utf-8"), np.uint8)
    save_arrays(path, key, {**arrays, "tags": names})
    return lexicon
