"""Splitting Chinese and mixed text into sentences or clauses, with character offsets.

A sentence ends at 。！？；… (and ! ? ; ｡), at a full stop written as an ASCII or full-width
dot when it ends a sentence, and at every line break. The closing quotes and brackets (and
further end marks) right after the end stay with the sentence: ``“好！”`` is one sentence.
A dot does not end a sentence inside a number (3.14), a domain name or file name (a.txt), an
abbreviation (e.g., Dr., U.S.), after an initial (J. Smith) or a list number at the start of
a sentence (1. 引言), nor before a lower-case English word. A short attribution right
after a quotation stays with it: ``“好！”他说。`` is one sentence.

``unit="clause"`` also splits after ，、：(and , : between words), except inside brackets
and inside numbers (1,000 and 10:30).

Every sentence is ``text[start:end]``, with no whitespace at either end; between two
sentences there is only whitespace, so nothing but whitespace is lost.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from textkit.checks import text_arg
from textkit.errors import ConfigError

UNITS = ("sentence", "clause")

LINE_BREAKS = "\n\r\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85"
_STRONG = "。｡！？；…⋯"  # always end a sentence
_ASCII_ENDS = "!?;"
_DOTS = ".．"
_CLAUSE_MARKS = "，、：,:"
# What may follow an end mark and still belong to the sentence.
_CLOSERS = "”’」』）)】》〉]}〕〗〛＂＇\"'"
_STRAY = "，,、"  # a comma right after an end mark ("好！,下次") belongs to no clause
_RUN = _STRONG + _ASCII_ENDS + _DOTS + _CLOSERS + _STRAY
_OPENERS = "“‘「『（(【《〈[{〔〖〚"
_QUOTE_CLOSERS = "”’」』\"'"
_QUOTES = "“”‘’「」『』\"'"
# A sentence of at most this many characters right after a quotation, ending with a full
# stop and naming a way of speaking (他说。 / 张三表示。), is taken as its attribution and
# kept with it.
ATTRIBUTION_CHARS = 10
_SPEECH = re.compile(
    "说|道|表示|称|问|答|指出|认为|介绍|强调|透露|坦言|直言|笑言|回应|补充|解释|告诉|提到"
    "|said|says|asked|told|replied|added",
    re.IGNORECASE,
)
_BRACKET_OPEN = "(（[【〔〖《〈「『{"
_BRACKET_CLOSE = ")）]】〕〗》〉」』}"

_SENTENCE_MARKS = re.compile(f"[{re.escape(LINE_BREAKS + _STRONG + _ASCII_ENDS + _DOTS)}]")
_CLAUSE_SCAN = re.compile(
    "["
    + re.escape(
        LINE_BREAKS + _STRONG + _ASCII_ENDS + _DOTS + _CLAUSE_MARKS + _BRACKET_OPEN + _BRACKET_CLOSE
    )
    + "]"
)

# Words that end with a dot without ending the sentence (compared in lower case).
# fmt: off
ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "vs", "etc", "al", "fig", "figs",
    "eq", "eqs", "no", "nos", "vol", "vols", "pp", "ed", "eds", "inc", "ltd", "co", "corp",
    "dept", "univ", "approx", "cf", "ca", "ref", "refs", "sec", "ch", "jan", "feb", "mar",
    "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "est", "min", "max",
))
# fmt: on
_WORD_BEFORE = re.compile(r"([A-Za-z]+(?:\.[A-Za-z]+)*)$")
_LIST_NUMBER = re.compile(r"\s*(?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,4})\s*$")
_HTML_ENTITY = re.compile(r"&#?\w{1,10}$")


class Sentence(NamedTuple):
    """A sentence (or clause) and its character offsets: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" or ch >= "\U00020000"


def _is_ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _run_end(text: str, i: int, start: int) -> int:
    """End of the run of end marks and closing quotes/brackets that begins at ``i``.

    An ASCII quote after the end mark closes a quote only when the sentence so far holds an
    odd number of them; otherwise it opens the next sentence's quote.
    """
    n = len(text)
    j = i
    while j < n and text[j] in _RUN:
        ch = text[j]
        if ch in "\"'" and text.count(ch, start, j) % 2 == 0:
            break
        j += 1
    return j


def _dot_ends(text: str, i: int, j: int, start: int) -> bool:
    """Whether the dot(s) at ``text[i:j]`` (a run that starts with a dot) end a sentence."""
    before = text[i - 1] if i > 0 else ""
    after = text[j] if j < len(text) else ""
    if not after:
        return True
    if _LIST_NUMBER.fullmatch(text, start, i):  # "1. 引言", "2.结果", "a. first"
        return False
    dots = len(text[i:j]) - len(text[i:j].lstrip(_DOTS))
    if dots >= 2:  # an ellipsis (.. ...) ends unless a word goes straight on ("a...b")
        return not _is_ascii_alnum(after)
    if before.isdigit() and after.isdigit():  # 3.14
        return False
    if after.isspace():
        word = _WORD_BEFORE.search(text, start, i)
        if word is not None:
            name = word.group(1)
            if "." in name or name.lower() in ABBREVIATIONS or (len(name) == 1 and name.isupper()):
                return False  # e.g. / U.S. / Dr. / J. Smith
        following = text[j:].lstrip()[:1]
        return not (following.isascii() and following.islower())
    if _is_ascii_alnum(after):  # a.txt, v1.2, example.com; but 研究.A组 ends
        return _is_han(before)
    return _is_han(after) or after in _OPENERS or after in _CLOSERS or not after.isascii()


def _ascii_end(text: str, i: int, j: int) -> bool:
    """Whether ! ? or ; at ``i`` ends a sentence (not inside a URL, code or an HTML entity)."""
    after = text[j] if j < len(text) else ""
    if text[i] == ";" and _HTML_ENTITY.search(text, max(0, i - 12), i):
        return False
    return not (_is_ascii_alnum(after) or after in "=&/_")


def _clause_ends(text: str, i: int) -> bool:
    """Whether the clause mark at ``i`` ends a clause (not in 1,000, 10:30, A,B or http://)."""
    ch = text[i]
    if ch in "，、：":
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        return not (before.isdigit() and after.isdigit())
    before = text[i - 1] if i > 0 else ""
    after = text[i + 1] if i + 1 < len(text) else ""
    return not (_is_ascii_alnum(before) and (_is_ascii_alnum(after) or after == "/"))


def split_sentences(text: str, unit: str = "sentence") -> list[Sentence]:
    """Split ``text`` into sentences (or clauses, ``unit="clause"``) with their offsets."""
    text_arg(text)
    if unit not in UNITS:
        raise ConfigError(f"unknown unit {unit!r}; choose from {', '.join(UNITS)}")
    clauses = unit == "clause"
    cuts: list[int] = []
    start = 0  # where the current sentence began
    skip_to = 0  # marks inside an end run already taken
    depth = 0  # open brackets (clause marks inside brackets do not split)
    for match in (_CLAUSE_SCAN if clauses else _SENTENCE_MARKS).finditer(text):
        i = match.start()
        if i < skip_to:
            continue
        ch = text[i]
        if ch in LINE_BREAKS:
            cuts.append(i)
            start, depth = i + 1, 0
            continue
        if clauses:
            if ch in _BRACKET_OPEN:
                depth += 1
                continue
            if ch in _BRACKET_CLOSE:
                depth = max(0, depth - 1)
                continue
            if ch in _CLAUSE_MARKS:
                if depth == 0 and _clause_ends(text, i):
                    cuts.append(i + 1)
                    start = i + 1
                continue
        j = _run_end(text, i + 1, start)
        if ch in _STRONG:
            ends = True
        elif ch in _DOTS:
            ends = _dot_ends(text, i, j, start)
        else:
            ends = _ascii_end(text, i, j)
        if ends:
            cuts.append(j)
            start, skip_to, depth = j, j, 0
    cuts.append(len(text))
    sentences: list[Sentence] = []
    begin = 0
    for cut in cuts:
        piece = text[begin:cut]
        stripped = piece.strip()
        if stripped:
            offset = begin + len(piece) - len(piece.lstrip())
            sentence = Sentence(stripped, offset, offset + len(stripped))
            if sentences and _is_attribution(text, sentences[-1], sentence):
                last = sentences[-1]
                sentence = Sentence(text[last.start : sentence.end], last.start, sentence.end)
                sentences.pop()
            sentences.append(sentence)
        begin = cut
    return sentences


def _is_attribution(text: str, quote: Sentence, piece: Sentence) -> bool:
    """Whether ``piece`` says who spoke the quotation before it (“……。”他说。): a short
    sentence after a closing quote on the same line, ending with a full stop, with a verb
    of speaking and no quote of its own."""
    return (
        quote.text[-1] in _QUOTE_CLOSERS
        and not any(ch in LINE_BREAKS for ch in text[quote.end : piece.start])
        and len(piece.text) <= ATTRIBUTION_CHARS
        and piece.text[-1] in "。．."
        and not any(ch in _QUOTES for ch in piece.text)
        and _SPEECH.search(piece.text) is not None
    )
