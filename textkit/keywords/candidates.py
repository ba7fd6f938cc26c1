"""What every keyword path shares: the phrase limits and scoring constants, and how a
token counts (its width, or a boundary) when candidates are built."""

from __future__ import annotations

from collections.abc import Sequence

from textkit.text.idf import NON_WORD

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

Keywords = list[tuple[str, float]]
Columns = tuple[list[int], list[str], list[float]]  # document index, keyword, weight

BOUNDARY = -1  # a token's code when it is punctuation, digits or a stopword (else: width)


def _is_ascii_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


# str.translate table deleting ASCII letters and digits: counts them in C, not per char.
_DROP_ASCII_WORD = dict.fromkeys(
    map(ord, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
)


def _width(phrase: str) -> float:
    """Length for the MAX_CHARS limit: an English letter or digit counts half, a space 0."""
    ascii_chars = len(phrase) - len(phrase.translate(_DROP_ASCII_WORD))
    return len(phrase) - phrase.count(" ") - ascii_chars / 2


def token_code(token: str, stopwords: frozenset[str] | set[str]) -> int:
    """Twice the token's MAX_CHARS width (an int, so spans add up exactly), or BOUNDARY
    for punctuation, digits and stopwords."""
    if NON_WORD.match(token) or token.lower() in stopwords:
        return BOUNDARY
    return int(2 * _width(token))  # _width is a multiple of 0.5


def columns_of(results: Sequence[Keywords]) -> Columns:
    """Per-document keyword lists as three columns: document index, keyword, weight."""
    docs = [d for d, found in enumerate(results) for _ in found]
    words = [w for found in results for w, _ in found]
    weights = [s for found in results for _, s in found]
    return docs, words, weights
