"""Opinions a negation reverses: 新鲜 in 菜不新鲜 is no keyword of that review.

An opinion word right after a negator, or any word after a negator and degree words
(不太新鲜, 不是很好吃), says the opposite of the word alone: that occurrence is no keyword
and no part of one. What a negator reverses:

- 不 and its closest compounds: an opinion word (不好吃, 不耐用) or a noun used as one
  (不专业; jieba tags 新鲜 a place), not an action (不接电话, 不支持: still the topic);
- 不是 and 不再: an opinion word (不是好吃的), not a noun (不是烙饼);
- 没, 没有 and 未: only a word after a degree word (没那么好吃); without one, what did not
  happen is still the topic (没退款, 未收到货); and an opinion word right after, or at the
  end of a comparison (没之前的好吃, 没有上次的好吃, 没传说中那么好吃): nouns, pronouns,
  time and place words and 的 between, one of them a time, place or degree word (没有店里
  的好吃 is left as it is: 店里 is a noun, like 酱料 in 没有酱料干巴巴的).

An opinion word is an adjective by its dictionary tag, a two-character verb of 好 or 难
(好吃, 难用), one of a few verbs of liking and judging (满意, 喜欢, 值得), or a degree word
and what follows it (很长 of 不是很长).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textkit.keywords.lexicon import (
    AFFIX,
    BOUNDARY,
    DEGREE_STARTS,
    HEAD,
    NEGATED_OPINION_START,
    NOT_NEGATED_OPINIONS,
    SUFFIX,
    is_opinion_word,
    word_class,
)

# What a negator reverses right after it (a word after degree words: always).
NOT_A = 0  # nothing: not a negator
DEGREE = 1  # only a word after degree words
OPINIONS = 2  # opinion words
NOUNS_TOO = 3  # opinion words and nouns

_NOUNS_TOO = "不 不太 不够 不很 不大 不怎么 毫不 从不 并不 也不 都不 决不 绝不"
_OPINIONS = "不是 不算 不再 从来不"
_DEGREE = "没 没有 未 从没 从未 并没有 并未"
NEGATORS = {
    **dict.fromkeys(_NOUNS_TOO.split(), NOUNS_TOO),
    **dict.fromkeys(_OPINIONS.split(), OPINIONS),
    **dict.fromkeys(_DEGREE.split(), DEGREE),
}
# Degree words that may stand between a negator and the word it reverses.
BETWEEN = frozenset("太 很 那么 这么 那样 这样 特别 非常 十分 怎么 够 太过 算 大 多".split())  # noqa: SIM905

# A comparison after 没: how far its opinion word may stand (tokens); the tags of the words
# between (nouns, pronouns, time and place words, 的); those that show a standard of
# comparison (之前, 上次, 传说中), with the words of degree (那么) and of before (原来).
MAX_COMPARED = 6
_BETWEEN_TAGS = ("n", "r", "t", "f", "s", "uj")
_STANDARD_TAGS = frozenset(("t", "f", "s"))
_STANDARD_WORDS = frozenset("那么 这么 那样 这样 原来 平时 以往 从前".split())  # noqa: SIM905

# A word's role for a negator before it.
OTHER = 0  # an action or anything else
NOUN = 1  # a noun (not a verbal noun)
OPINION = 2  # an opinion word
_NOUN_TAGS = frozenset(("n", "ns", "nz", "nr", "ng", "nt", "nrt", "nrfg"))


def role(token: str, tag: str | None) -> int:
    """The role of ``token`` (dictionary tag ``tag``) after a negator: OTHER, NOUN or
    OPINION."""
    if is_opinion_word(token, tag):
        return OPINION
    if tag is None and 2 <= len(token) <= 3 and token.startswith(DEGREE_STARTS):
        return OPINION  # a degree word and what follows, invented (不是很长)
    return NOUN if tag in _NOUN_TAGS else OTHER


# Classes of a word that a negated opinion before it qualifies (lexicon.word_class).
NAMING = frozenset((HEAD, SUFFIX, AFFIX))
_NO_STOPWORDS: frozenset[str] = frozenset()


def join_negated_opinions(
    tokens: list[str], tags_of: Callable[[Sequence[str]], list[str | None]]
) -> list[str]:
    """``tokens`` with each 不 and the opinion word of two or more characters right after
    it made one token (不 + 流畅 -> 不流畅), unless a noun or suffix follows: the
    complaint a review makes, which lexicon.is_opinion classes as one (``tags_of``:
    words' dictionary tags). Before a noun the pair qualifies it (不稳定性, 不完全指南)."""
    at = [i for i, token in enumerate(tokens) if token == NEGATED_OPINION_START]
    if not at:
        return tokens
    n = len(tokens)
    at = [i for i in at if i + 1 < n and len(tokens[i + 1]) >= 2]
    following = [tokens[i + 1] for i in at]
    after = [tokens[i + 2] if i + 2 < n else "" for i in at]
    tags = tags_of(following + after)
    joined = [
        i
        for i, word, tag, next_word, next_tag in zip(
            at, following, tags, after, tags[len(at) :], strict=False
        )
        if is_opinion_word(word, tag)
        and word not in NOT_NEGATED_OPINIONS
        and (not next_word or word_class(next_word, next_tag, _NO_STOPWORDS) not in NAMING)
    ]
    if not joined:
        return tokens
    out = list(tokens)
    for i in reversed(joined):
        out[i : i + 2] = [out[i] + out[i + 1]]
    return out


def reverses(negator: int, skipped: bool, word_role: int) -> bool:
    """Whether a negator of kind ``negator`` reverses a word of ``word_role`` after it,
    with (``skipped``) or without degree words between."""
    if skipped:  # a degree word marks what follows as a predicate
        return negator != NOT_A
    return (negator == NOUNS_TOO and word_role >= NOUN) or (
        negator == OPINIONS and word_role == OPINION
    )


def compared(tokens: Sequence[str], tags: Sequence[str | None]) -> int | None:
    """Which of ``tokens`` (the words after 没, with their dictionary tags) a comparison
    reverses: the first if it is an opinion word, else the first opinion word after
    words of comparison only (see the module docstring); None if none."""
    standard = False
    for j, (token, tag) in enumerate(zip(tokens[:MAX_COMPARED], tags, strict=False)):
        if role(token, tag) == OPINION:
            return j if j == 0 or standard else None
        if token in _STANDARD_WORDS or tag in _STANDARD_TAGS:
            standard = True
        elif token not in BETWEEN and not (tag or "x").startswith(_BETWEEN_TAGS):
            return None  # a verb, a mark, another negator: no comparison
    return None


def blank_negated(
    tokens: Sequence[str],
    classes: Sequence[int],
    role_at: Callable[[int], int],
    tags_of: Callable[[Sequence[str]], list[str | None]],
) -> list[int]:
    """``classes`` with the class of each word a negator reverses set to BOUNDARY
    (``role_at(i)``: the :func:`role` of token i; ``tags_of``: words' dictionary tags)."""
    out = list(classes)
    n = len(tokens)
    for i, token in enumerate(tokens):
        kind = NEGATORS.get(token)
        if kind is None:
            continue
        j = i + 1
        while j < n and tokens[j] in BETWEEN:
            j += 1
        if j < n and reverses(kind, j > i + 1, role_at(j)):
            out[j] = BOUNDARY
        elif kind == DEGREE:
            after = tokens[i + 1 : i + 1 + MAX_COMPARED]
            k = compared(after, tags_of(after))
            if k is not None:
                out[i + 1 + k] = BOUNDARY
    return out
