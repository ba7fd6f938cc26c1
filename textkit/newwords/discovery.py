"""Finding the words of a corpus that jieba's dictionary lacks.

A candidate is a run of 2 to ``max_len`` Han characters that occurs at least ``min_freq``
times. It is a word when its characters stick together and it moves freely:

* cohesion: the pointwise mutual information of its weakest split,
  ``min over splits a|b of ln(N * count(ab) / (count(a) * count(b)))`` for N Han characters:
  how much more often the parts occur together than chance would have it;
* freedom: the lower of its left and right neighbour entropies (nats): a piece of a longer
  word (变材 in 相变材料) always has the same neighbours. It must reach ``min_freedom``, or
  half the most a word seen k times can have, ln(k) / 2, when that is lower.

Then the segmenter has its say. A candidate is dropped when the dictionary has it; when
it holds a particle or a conjunction (之间的关系), a one-character adverb (时间太长, 指标均),
a preposition (高管对政策) or a demonstrative (这家店), ends with a locality word (蚀刻液中),
or begins or ends with a stopword; when its pieces read as a phrase, not a term
(:func:`_reads_as_phrase`: 实验结果表明, 提供参考, 两个小时); and when, in most of the
places it occurs (up to ``SAMPLES``), the segmenter does not start and end a word where
it does: it is then already one word there, or a piece of longer ones (化进程 in
城市化进程). A candidate the segmenter cuts into dictionary words of two characters or
more is kept with ``compounds`` (the default): a term the corpus uses as one unit
(质量控制, 急性脑梗死), which the keyword extractor then finds even where the text says it
once, or where its last word alone is no keyword's end (控制). Of the words left, one
made of a shorter one and dictionary words (硼浓度偏差: 硼浓度 + 偏差) is a phrase too, and
one only seen inside a longer one goes. The rest are ranked by
``score = ln(count) * cohesion * freedom``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textkit.errors import ConfigError

MIN_LEN = 2
MAX_LEN = 6
MIN_FREQ = 2
MIN_COHESION = 3.0
MIN_FREEDOM = 1.0
FREE_SHARE = 0.5
TAG = "nz"  # jieba's tag for other proper nouns
NEIGHBOUR_BATCH = 1 << 17  # n-grams whose neighbours one pass over the corpus counts
SAMPLES = 5  # occurrences of a candidate looked at in context
CONTEXT = 8  # characters each side of it
_FUNCTION_TAGS = ("u", "c")  # jieba's tags of particles (的 了 着) and conjunctions (和 与)
_DEMONSTRATIVES = ("这", "那", "哪")
_PREPOSITION = "p"  # jieba's tag of prepositions (在 对 被)
_LOCALITY = "f"  # and of locality words (中 前 后 内)
_SUFFIX = "k"  # and of suffixes (型 性)
_VERB = "v"
_NUMERAL = "m"
_ADVERB = "d"
_ADJECTIVE = "a"
_MANNER = ("d", "ad", "a")  # an adverb or adjective before a verb: how it is done
_VERB_OR_ADJ = ("v", "a")
_COUNTS = tuple("一两俩几半每第")  # a count (一杯豆浆, 第一天上班), not a number in a term (三维)
_NOT = ("不", "没")  # 不怎么好吃, 没什么味道 (不锈钢 is a noun)
_TIME = "t"  # time words (过去 in 打电话过去, 以后)
_PHRASE_TAGS = ("r", "p", "c", "u", "y")  # pronouns, prepositions, conjunctions, particles
_NOUN_TAGS = ("n", "vn", "an", "j", "l")  # nouns, nominal verbs and adjectives, set phrases
_REPORTING = ("表明", "显示", "证明")  # 结果表明: what a study reports, not a term
_COMPLEMENTS = frozenset("出来去到成完得")  # directional and result complements of a verb
# Degree words and negations: inside a candidate (送餐太慢, 打不通), the start of a word of
# its own; at its start, these whole words (不锈钢, 超声波 and 太湖 start with 不, 超, 太).
_DEGREE_OR_NOT = ("太", "很", "超", "巨", "有点", "非常", "特别", "挺", "全是", "不", "没", "还")
_DEGREE_OR_NOT_WORDS = frozenset(
    ("不", "没", "没法", "没有", "不要", "不太", "不是", "超级", "有点", "非常", "特别", "全是")
)


@dataclass(frozen=True, slots=True)
class NewWord:
    word: str
    count: int  # occurrences in the corpus
    cohesion: float
    freedom: float
    score: float


def check_thresholds(min_freq: int, min_len: int, max_len: int) -> None:
    if min_freq < 1:
        raise ConfigError(f"min_freq must be 1 or more, got {min_freq}")
    if not 2 <= min_len <= max_len:
        raise ConfigError(f"need 2 <= min_len <= max_len, got {min_len} and {max_len}")


def _cohesion(codes: Any, tables: list[Any], starts: Any, n: int, total: int) -> Any:
    """The PMI of the weakest split of each n-gram starting at ``starts``."""
    import numpy as np

    from textkit.newwords.counting import hashes_at

    whole = tables[n].lookup(hashes_at(codes, starts, n)).astype(float)
    worst = np.full(len(starts), np.inf)
    for k in range(1, n):
        left = tables[k].lookup(hashes_at(codes, starts, k)).astype(float)
        right = tables[n - k].lookup(hashes_at(codes, starts + k, n - k)).astype(float)
        worst = np.minimum(worst, np.log(total * whole / (left * right)))
    return worst


@dataclass(frozen=True, slots=True)
class Candidate:
    word: NewWord
    codes: Any  # the corpus
    positions: list[int]  # where some of its occurrences start

    def contexts(self) -> list[tuple[str, int, int]]:
        """(text around an occurrence, where the word starts and ends in it)."""
        n, found = len(self.word.word), []
        for start in self.positions:
            low, high = max(0, start - CONTEXT), min(len(self.codes), start + n + CONTEXT)
            codes = self.codes[low:high].tolist()
            text = "".join(chr(c) if c > 2 else "1" if c == 1 else "，" for c in codes)
            found.append((text, start - low, start - low + n))
        return found


def _neighbours_in_batches(codes: Any, keys: Any, n: int) -> Any:
    """:func:`textkit.newwords.counting.neighbours`, NEIGHBOUR_BATCH n-grams a pass."""
    import numpy as np

    from textkit.newwords.counting import Neighbours, neighbours

    parts = [
        neighbours(codes, keys[start : start + NEIGHBOUR_BATCH], n, SAMPLES)
        for start in range(0, len(keys), NEIGHBOUR_BATCH)
    ]
    if len(parts) == 1:
        return parts[0]
    if not parts:
        return neighbours(codes, keys, n, SAMPLES)
    return Neighbours(
        *(np.concatenate([getattr(p, f) for p in parts]) for f in Neighbours.__dataclass_fields__)
    )


def score_candidates(
    codes: Any,
    *,
    min_freq: int = MIN_FREQ,
    min_cohesion: float = MIN_COHESION,
    min_freedom: float = MIN_FREEDOM,
    min_len: int = MIN_LEN,
    max_len: int = MAX_LEN,
) -> list[Candidate]:
    """Every n-gram of ``codes`` (see :mod:`textkit.newwords.counting`) that passes the
    frequency, cohesion and freedom floors, best first, with some of its contexts."""
    import numpy as np

    from textkit.newwords.counting import count_ngrams, strings_at

    check_thresholds(min_freq, min_len, max_len)
    tables = count_ngrams(codes, max_len, min_freq)
    total = int(tables[1].counts.sum()) if len(tables[1]) else 0
    found: list[Candidate] = []
    for n in range(min_len, max_len + 1):
        table = tables[n]
        if not len(table):
            continue
        cohesion = _cohesion(codes, tables, table.first, n, total)
        keep = cohesion >= min_cohesion
        keys = table.keys[keep]
        around = _neighbours_in_batches(codes, keys, n)
        freedom = np.minimum(around.left, around.right)
        # A word seen k times has at most ln(k) of entropy on a side: a rare one needs half.
        free = freedom >= np.minimum(min_freedom, FREE_SHARE * np.log(table.counts[keep]))
        counts = table.counts[keep][free]
        words = strings_at(codes, table.first[keep][free], n)
        for word, count, c, f, at in zip(
            words,
            counts.tolist(),
            cohesion[keep][free].tolist(),
            freedom[free].tolist(),
            around.positions[free].tolist(),
            strict=True,
        ):
            word_found = NewWord(word, count, c, f, f * c * math.log(count))
            found.append(Candidate(word_found, codes, [p for p in at if p >= 0]))
    found.sort(key=lambda c: (-c.word.score, c.word.word))
    return found


def _boundaries(tokenizer: Any, text: str) -> set[int]:
    from textkit.text.tokenizer import consecutive_spans

    return {end for _, end in consecutive_spans(tokenizer.cut(text, keep_spaces=True))}


def _is_phrase(pairs: list[tuple[str, str]]) -> bool:
    """Whether a candidate reads as a phrase, not a name: an adverb after its start
    (味道还不错, 电话一直占线, 指标均; 太 starting 太湖 is a name's), a piece said again
    (差评差评), a degree word or a
    negation in it (送餐太慢, 量有点少, 电话打不通, 没放盐, 超级快), a one-character
    adjective at its end (分量足, 时间长), a preposition (高管对政策) or a demonstrative
    (这家店) in it, or a locality word at its end (蚀刻液中)."""
    pieces = [piece for piece, _ in pairs]
    return (
        any(tag == "d" for _, tag in pairs[1:])
        or _repeats(pieces)
        or any(piece.startswith(_DEGREE_OR_NOT) for piece in pieces[1:])
        or pieces[0] in _DEGREE_OR_NOT_WORDS
        or (pairs[-1][1] == "a" and len(pieces[-1]) == 1)
        or any(tag.startswith(_PREPOSITION) for _, tag in pairs)
        or any(tag.startswith("r") and piece.startswith(_DEMONSTRATIVES) for piece, tag in pairs)
        or pairs[-1][1] == _LOCALITY
    )


def _repeats(pieces: list[str]) -> bool:
    """Whether the candidate is one piece said again (差评差评, 差差差差): emphasis."""
    text = "".join(pieces)
    return any(
        len(text) % size == 0 and text == text[:size] * (len(text) // size)
        for size in range(1, len(text) // 2 + 1)
    )


def _reads_as_phrase(pieces: list[str], tags: list[str | None]) -> bool:
    """Whether a candidate cut into ``pieces`` (with their dictionary tags, None for a
    piece the dictionary lacks) reads as a phrase or a clause, not a term: a pronoun,
    preposition, conjunction or particle among them (我国上市公司, 该类矿床), a reporting
    verb (实验结果表明), a generic word that is not its final noun (能够满足; 设计方法
    stays) or that follows a numeral (两个小时), a one-character locality word after its
    start (禽蛋中胆固醇); a suffix (型矿床), a one-character adverb (均表现), a count
    (一杯豆浆) or a negation (没什么味道) at its start; a one-character verb (呈降低) or a
    common verb (提供参考) before a verb or an adjective; an adverb or adjective before a
    verb (显著减少); a time word, numeral or adjective at its end (打电话过去, 分为两组,
    含量显著), or a verb and its complement there (表现出, 总结出)."""
    from textkit.keywords.lexicon import GENERIC_WORDS, common_predicates

    last = len(pieces) - 1
    for i, (piece, tag) in enumerate(zip(pieces, tags, strict=True)):
        tag = tag or ""
        if tag.startswith(_PHRASE_TAGS) or piece.endswith(_REPORTING):
            return True
        if piece in GENERIC_WORDS and (
            i < last or not tag.startswith(_NOUN_TAGS) or tags[i - 1] == _NUMERAL
        ):
            return True
        if i and len(piece) == 1 and tag == _LOCALITY:
            return True
    if len(pieces[0]) == 1 and tags[0] == _SUFFIX:
        return True
    if pieces[0] in common_predicates() and (tags[1] or "").startswith(("v", "a")):
        return True
    if len(pieces[-1]) > 1 and tags[-1] in (_TIME, _NUMERAL, _ADJECTIVE):
        return True
    first, last_tag = tags[0] or "", tags[-1] or ""
    if first == _NUMERAL and pieces[0].startswith(_COUNTS):
        return True
    if pieces[0].startswith(_NOT) and not first.startswith("n"):
        return True
    if len(pieces[0]) == 1 and (first == _ADVERB or first == _VERB and tags[1] in _VERB_OR_ADJ):
        return True
    if first in _MANNER and len(pieces[-1]) > 1 and last_tag == _VERB:
        return True
    return (
        len(pieces[-1]) == 1 and pieces[-1] in _COMPLEMENTS and (tags[-2] or "").startswith(_VERB)
    )


def filter_known(
    candidates: Iterable[Candidate],
    tokenizer: Any,
    stopwords: frozenset[str] = frozenset(),
    *,
    compounds: bool = True,
) -> list[NewWord]:
    """The candidates worth adding to the dictionary (see the module's docstring)."""
    from textkit.keywords.lexicon import load_tags

    tags = load_tags()
    kept = []
    for candidate in candidates:
        word = candidate.word.word
        if tokenizer.knows(word):
            continue
        pairs = tokenizer.cut_pos(word)
        pieces = [w for w, _ in pairs]
        if len(pieces) < 2 or pieces[0] in stopwords or pieces[-1] in stopwords:
            continue
        if any(tag.startswith(_FUNCTION_TAGS) for _, tag in pairs) or _is_phrase(pairs):
            continue
        if not compounds and all(len(p) > 1 and tokenizer.knows(p) for p in pieces):
            continue
        if _reads_as_phrase(pieces, tags.get_many(pieces, None)):
            continue
        aligned = 0
        contexts = candidate.contexts()
        for text, start, end in contexts:
            cuts = _boundaries(tokenizer, text) | {0}
            inside = any(start < cut < end for cut in cuts)
            aligned += start in cuts and end in cuts and inside
        if 2 * aligned <= len(contexts):
            continue
        kept.append(candidate.word)
    return kept


def drop_phrases(words: list[NewWord], tokenizer: Any) -> list[NewWord]:
    """Drop a word made of a shorter word kept and dictionary words of two characters or
    more (硼浓度偏差: 硼浓度 + 偏差): the keyword extractor builds that phrase from its
    parts, and in the dictionary it would hide the shorter word wherever they meet."""
    kept = {w.word for w in words}

    def is_phrase(word: str) -> bool:
        # best[i]: most kept words in a split of word[:i] into kept and dictionary words
        best = {0: 0}
        for end in range(2, len(word) + 1):
            for start in range(end - 2, -1, -1):
                if start not in best or end - start == len(word):
                    continue
                part = word[start:end]
                if part in kept:
                    best[end] = max(best.get(end, 0), best[start] + 1)
                elif tokenizer.knows(part):
                    best[end] = max(best.get(end, 0), best[start])
        return best.get(len(word), 0) > 0

    return [w for w in words if not is_phrase(w.word)]


def drop_nested(words: list[NewWord]) -> list[NewWord]:
    """Drop a word that only occurs inside a longer kept word (same count)."""
    by_word = {w.word: w for w in words}
    nested = set()
    for w in words:
        for length in range(2, len(w.word)):
            for start in range(len(w.word) - length + 1):
                part = by_word.get(w.word[start : start + length])
                if part is not None and part.count <= w.count:
                    nested.add(part.word)
    return [w for w in words if w.word not in nested]


def find_new_words(
    codes: Any,
    tokenizer: Any,
    *,
    stopwords: frozenset[str] = frozenset(),
    top: int | None = None,
    min_freq: int = MIN_FREQ,
    min_cohesion: float = MIN_COHESION,
    min_freedom: float = MIN_FREEDOM,
    min_len: int = MIN_LEN,
    max_len: int = MAX_LEN,
    compounds: bool = True,
) -> list[NewWord]:
    """New words of the corpus ``codes`` (a :class:`textkit.newwords.counting.Corpus`'s
    codes), best first; at most ``top``."""
    candidates = score_candidates(
        codes,
        min_freq=min_freq,
        min_cohesion=min_cohesion,
        min_freedom=min_freedom,
        min_len=min_len,
        max_len=max_len,
    )
    words = drop_nested(filter_known(candidates, tokenizer, stopwords, compounds=compounds))
    words = drop_phrases(words, tokenizer)
    return words[:top] if top else words


def discover(texts: Iterable[str], tokenizer: Any = None, **options: Any) -> list[NewWord]:
    """:func:`find_new_words` over ``texts`` (a temporary file holds the corpus)."""
    from textkit.newwords.counting import Corpus, encode
    from textkit.text.tokenizer import Tokenizer

    with Corpus() as corpus:
        for text in texts:
            corpus.append(encode(text))
        return find_new_words(corpus.codes, tokenizer or Tokenizer(backend="fast"), **options)


def user_dict_lines(words: Iterable[NewWord], tokenizer: Any, tag: str = TAG) -> list[str]:
    """jieba user-dictionary lines, ``word freq tag``: the frequency is the corpus count,
    raised to what the dictionary needs to keep the word whole."""
    return [f"{w.word} {max(w.count, tokenizer.suggest_freq(w.word))} {tag}" for w in words]
