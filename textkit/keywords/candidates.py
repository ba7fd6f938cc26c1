"""Keyword candidates of one document: single content words and noun phrases.

A candidate is a string of the document: one content word (a noun, name, term, verb or
opinion word, see :mod:`textkit.keywords.lexicon`), or a phrase of up to MAX_TOKENS tokens
inside a run of content words that ends as lexicon.ENDS allows: modifiers + head noun
(南方红豆杉), a noun and the verb or adjective it governs (数据挖掘, 价格便宜), a word and
its suffix (可靠度).
A phrase seen once is more often chance than a term, so phrases need
MIN_PHRASE_TF occurrences, except two nouns that make a whole run of content words on their
own and that the text says nowhere else (皮蛋瘦肉粥, 保利地产, 刺客信条): one name or term
cut in two, not two keywords; and a phrase that fills a pair of title marks (《梦幻天劫》:
the name of a book, film, game or law), whose words are words even if the segmenter
invented them (:func:`title_spans`). A candidate that only ever occurs inside one longer candidate
is left out (the longer one says it better). Building them is one pass over the tokens: time
and memory grow linearly with the document.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import NamedTuple

from textkit.keywords.lexicon import ALONE, BOUNDARY, COMMON, ENDS, STARTS, noun_heads
from textkit.keywords.names import MARGIN, SHORT_MARGIN
from textkit.keywords.negation import NOUN

MAX_TOKENS = 4  # longest phrase, in tokens
MAX_CHARS = 12  # longest phrase, in Chinese characters (English letters count half)
MIN_PHRASE_TF = 2  # a multi-token phrase seen once is more often noise than a keyword
# Title marks around the name of a work (《画壁》, 〈画壁〉), and the most tokens a name
# between them may have.
TITLE_MARKS = {"《": "》", "〈": "〉"}
TITLE_CLOSES = frozenset(TITLE_MARKS.values())
MAX_TITLE_TOKENS = 8
# Scores (tf-idf): tf^TF_POWER * (sum of the tokens' IDF) * (1 + POSITION_WEIGHT /
# sqrt(1 + first position)) / n_tokens^LENGTH_POWER.
TF_POWER = 0.75
LENGTH_POWER = 0.0
POSITION_WEIGHT = 1.0  # early mentions (title, first sentence) weigh up to 2x
# The IDF sum grows with every token, so long n-grams would outscore the two-token phrases
# most keywords are: beyond LONG_PHRASE_TOKENS a phrase's score is scaled by
# (LONG_PHRASE_TOKENS / n_tokens)^LONG_PHRASE_POWER.
LONG_PHRASE_TOKENS = 2
LONG_PHRASE_POWER = 1.0

Keywords = list[tuple[str, float]]
Columns = tuple[list[int], list[str], list[float]]  # document index, keyword, weight


class Candidate(NamedTuple):
    phrase: str
    tf: int  # occurrences in the document
    first: int  # position of the first occurrence, counted in content words
    start: int  # token index of the first occurrence's first token ...
    end: int  # ... and of its last token


# str.translate table deleting ASCII letters and digits: counts them in C, not per char.
_DROP_ASCII_WORD = dict.fromkeys(
    map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
)


def double_width(token: str) -> int:
    """Twice the token's width for the MAX_CHARS limit: an English letter or digit counts
    half, a space 0 (doubled, so widths add up exactly as integers)."""
    ascii_chars = len(token) - len(token.translate(_DROP_ASCII_WORD))
    return 2 * (len(token) - token.count(" ")) - ascii_chars


def is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def title_spans(tokens: Sequence[str]) -> list[tuple[int, int]]:
    """The token ranges (first, last) between a pair of title marks (《 and 》, 〈 and 〉)
    holding 1 to MAX_TITLE_TOKENS tokens and no other mark."""
    spans = []
    for a, token in enumerate(tokens):
        close = TITLE_MARKS.get(token)
        if close is None:
            continue
        for b in range(a + 1, min(len(tokens), a + MAX_TITLE_TOKENS + 2)):
            inside = tokens[b]
            if inside == close:
                if b > a + 1:
                    spans.append((a + 1, b - 1))
                break
            if inside in TITLE_MARKS or inside in TITLE_CLOSES:
                break
    return spans


def titled_phrases(
    titles: Sequence[tuple[int, int]],
    tokens: Sequence[str],
    joins: Sequence[str | None],
    classes: Sequence[int],
    widths: Sequence[int],
) -> list[tuple[int, int]]:
    """The title spans that make a phrase whatever its words' classes (战地之王, 让子弹飞,
    叶问2): two or more tokens, no break, a content word first, a word or number last
    (not a mark), within MAX_CHARS."""
    return [
        (a, b)
        for a, b in titles
        if b > a
        and classes[a] != BOUNDARY
        and (classes[b] != BOUNDARY or tokens[b].isalnum())
        and all(joins[j] is not None for j in range(a + 1, b + 1))
        and sum(widths[a : b + 1]) <= 2 * MAX_CHARS
    ]


def gather(
    tokens: Sequence[str],
    joins: Sequence[str | None],
    classes: Sequence[int],
    widths: Sequence[int],
    *,
    max_tokens: int = MAX_TOKENS,
    min_len: int = 2,
    count: Callable[[list[str]], list[int]] | None = None,
    noun_at: Callable[[int, bool], bool] | None = None,
    name_at: Callable[[int], int] | None = None,
    titles: Sequence[tuple[int, int]] = (),
) -> list[Candidate]:
    """The document's candidates, in order of first occurrence.

    ``joins[i]`` is what joins token i to token i-1 in a phrase (``""``; ``" "`` between
    two English words; None: a break, such as a line end or a blanked link);
    ``classes[i]`` its word class; ``widths[i]`` its :func:`double_width`. ``count``
    gives the occurrences of phrases in the text as strings (else: as token sequences);
    ``noun_at(i, last)``: whether token i is a confirmed noun, which may pair with another once
    (``last``: as the pair's second word); ``name_at(i)``: token i's name_kind (two names
    side by side are no pair);
    ``titles``: title_spans, whose phrases stand even if said once.
    """
    found: dict[str, list[int]] = {}
    limit = 2 * MAX_CHARS
    n = len(tokens)
    position = -1
    positions = {}  # content token -> its position among the content tokens
    for a in range(n):
        kind = classes[a]
        if kind == BOUNDARY:
            continue
        position += 1
        positions[a] = position
        phrase = tokens[a]
        if ALONE[kind] and len(phrase) >= min_len:
            entry = found.get(phrase)
            if entry is None:
                found[phrase] = [1, position, a, a]
            else:
                entry[0] += 1
        width = widths[a]
        for b in range(a + 1, min(n, a + max_tokens) if STARTS[kind] else a + 1):
            join = joins[b]
            if join is None or classes[b] == BOUNDARY:
                break
            width += widths[b]
            if width > limit:
                break
            phrase = phrase + join + tokens[b]
            if (
                ENDS[classes[b - 1]][classes[b]]
                and (b == a + 1 or classes[b] != COMMON)
                and len(phrase) >= min_len
            ):
                entry = found.get(phrase)
                if entry is None:
                    found[phrase] = [1, position, a, b]
                else:
                    entry[0] += 1
    if max_tokens > 1:
        for a, b in titled_phrases(titles, tokens, joins, classes, widths):
            phrase = tokens[a] + "".join(f"{joins[j]}{tokens[j]}" for j in range(a + 1, b + 1))
            if len(phrase) >= min_len and phrase not in found:
                found[phrase] = [1, positions[a], a, b]
    if count is not None:
        phrases = [phrase for phrase, entry in found.items() if entry[3] > entry[2]]
        for phrase, tf in zip(phrases, count(phrases), strict=True):
            entry = found[phrase]
            entry[0] = max(entry[0], tf)
    pairs = (
        set()
        if noun_at is None
        else _pairs_said_once(found, tokens, joins, classes, noun_at, name_at)
    )
    if titles:
        spans = set(titles)
        pairs.update(p for p, (_, _, a, b) in found.items() if b > a and (a, b) in spans)
    return _closed(found, tokens, joins, classes, pairs)


def is_noun(token: str, token_role: int, sure: float, last: bool = False) -> bool:
    """Whether a content token is a noun that may pair once: a dictionary noun
    (negation.role NOUN), a word the segmenter invented (``sure`` finite), or an English
    word or code. The ``last`` of the pair, if invented, must read as a name (``sure`` at
    least names.SHORT_MARGIN): a new word said once in a headline names a thing before a
    noun (网银客户, 猪价行情) but mostly an act after one (爸妈来家, 店里喝少)."""
    if token_role == NOUN or token.isascii():
        return True
    return sure < math.inf and (not last or sure >= SHORT_MARGIN)


# What a token is as a name (name_kind): none; a person (a dictionary nr or nrfg); a new
# name (a word the segmenter invented that the name model reads as a name: in headlines
# mostly people); a place (ns); another name (an organisation, a transliterated name:
# 迈克尔 of 迈克尔杰克逊, which a surname may follow).
NO_NAME, PERSON, NEW_NAME, PLACE, OTHER_NAME = 0, 1, 2, 3, 4
_PERSON_TAGS = frozenset(("nr", "nrfg"))
_OTHER_NAME_TAGS = frozenset(("nrt", "nt", "j"))


def name_kind(tag: str | None, sure: float) -> int:
    """What a token with dictionary tag ``tag`` is as a name; ``sure``: for a word the
    segmenter invented, the name model's margin (names.MARGIN and more: a name)."""
    if tag in _PERSON_TAGS:
        return PERSON
    if tag is None and MARGIN <= sure < math.inf:
        return NEW_NAME
    if tag == "ns":
        return PLACE
    return OTHER_NAME if tag in _OTHER_NAME_TAGS else NO_NAME


def two_names(first: int, second: int) -> bool:
    """Whether two tokens of these name kinds side by side name two things, not one: a
    person and another person or a place (倪华李超, 谢霆锋张柏芝, 陈奕迅北京), or a new name
    and a common noun (李玲玉时尚, 赵作海夫妇: a person and what they do or have). A place
    and what is in it (天津理工大学, 青岛市黄岛区) is one. jieba tags many words nr that are
    no person (封神, 武林, 双拼): a dictionary person and a common noun stay a pair."""
    if first in (PERSON, NEW_NAME) and second in (PERSON, NEW_NAME, PLACE):
        return True
    return first == NEW_NAME and second == NO_NAME


def _pairs_said_once(
    found: dict[str, list[int]],
    tokens: Sequence[str],
    joins: Sequence[str | None],
    classes: Sequence[int],
    noun_at: Callable[[int, bool], bool],
    name_at: Callable[[int], int] | None = None,
) -> set[str]:
    """Two-noun phrases seen once that are a whole run of content words, both nouns seen
    nowhere else (see the module docstring); the second may be a one-character noun that
    ends nouns, which is no candidate of its own."""
    n = len(tokens)
    pairs = set()
    for phrase, (tf, _, a, b) in found.items():
        if b != a + 1 or tf != 1:
            continue
        if a > 0 and joins[a] is not None and classes[a - 1] != BOUNDARY:
            continue  # the run goes on before
        if b + 1 < n and joins[b + 1] is not None and classes[b + 1] != BOUNDARY:
            continue  # ... or after
        first, second = found.get(tokens[a]), found.get(tokens[b])
        if first is None or first[0] != 1:
            continue
        # A one-character noun is no keyword alone; one that ends nouns (lexicon.noun_heads)
        # ends the noun before it (钢化膜, 螺蛳粉).
        if second is None:
            if len(tokens[b]) != 1 or tokens[b] not in noun_heads():
                continue
        elif second[0] != 1:
            continue
        if (
            noun_at(a, False)
            and noun_at(b, True)
            and (name_at is None or not two_names(name_at(a), name_at(b)))
        ):
            pairs.add(phrase)
    return pairs


def _closed(
    found: dict[str, list[int]],
    tokens: Sequence[str],
    joins: Sequence[str | None],
    classes: Sequence[int],
    pairs: set[str],
) -> list[Candidate]:
    """Phrases seen MIN_PHRASE_TF times, ``pairs`` and words, without those that never
    occur outside one longer candidate (one token longer on either side, seen as often).
    A common verb inside a run of content words (where first seen) does not hide what
    follows it: in 注射液治疗急性脑梗死, 治疗急性脑梗死 is a verb and its object, and
    急性脑梗死 stands on its own (基于支持向量机 keeps 支持向量机 whole)."""
    covered: dict[str, int] = {}
    for phrase, (tf, _, a, b) in found.items():
        if b == a or (tf < MIN_PHRASE_TF and phrase not in pairs):
            continue
        left = phrase[len(tokens[a]) + len(joins[a + 1] or "") :]
        right = phrase[: len(phrase) - len(tokens[b]) - len(joins[b] or "")]
        verb_object = (
            classes[a] == COMMON and a > 0 and joins[a] is not None and classes[a - 1] != BOUNDARY
        )
        if covered.get(left, 0) < tf and not verb_object:
            covered[left] = tf
        if covered.get(right, 0) < tf:
            covered[right] = tf
    get = covered.get
    return [
        Candidate(phrase, tf, first, a, b)
        for phrase, (tf, first, a, b) in found.items()
        if (a == b or tf >= MIN_PHRASE_TF or phrase in pairs) and get(phrase, 0) < tf
    ]


def word_ends(
    tokens: Sequence[str], joins: Sequence[str | None], a: int, b: int
) -> tuple[list[str], list[str]]:
    """The phrase of tokens a..b cut at each word boundary: its first 1, 2, ... tokens and
    its last 1, 2, ... tokens (each without the join at the cut), shorter than the phrase."""
    heads: list[str] = []
    tails: list[str] = []
    head = tokens[a]
    tail = tokens[b]
    for j in range(1, b - a + 1):
        heads.append(head)
        tails.append(tail)
        head = head + (joins[a + j] or "") + tokens[a + j]
        tail = tokens[b - j] + (joins[b - j + 1] or "") + tail
    return heads, tails


def columns_of(results: Sequence[Keywords]) -> Columns:
    """Per-document keyword lists as three columns: document index, keyword, weight."""
    docs = [d for d, found in enumerate(results) for _ in found]
    words = [w for found in results for w, _ in found]
    weights = [s for found in results for _, s in found]
    return docs, words, weights
