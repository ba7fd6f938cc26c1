"""jieba's accurate-mode segmentation (HMM on, default dictionary), about 2x faster.

jieba splits text into blocks of Han/ASCII word characters; inside a block it takes the
most probable route through its dictionary DAG, then hands each run of single-character
words to its HMM (``finalseg``). The route is the slow part, and it decomposes at every
Han/non-Han boundary that no dictionary word crosses (all paths pass through it). So the
Han stretches get their route from rjieba (same dict.txt, HMM off), the rest from jieba,
and jieba's own single-character buffering and HMM run on the joined route, so HMM
decisions never depend on rjieba. Used by ``--jieba-compat``, which must equal jieba:
tested equal to ``jieba.lcut`` on ~47,000 real lines and random mixed strings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

_HAN_RUNS = re.compile("[\u4e00-\u9fd5]+|[^\u4e00-\u9fd5]+")
_HAN = re.compile("[\u4e00-\u9fd5]")
_NON_HAN = re.compile("[^\u4e00-\u9fd5]")
# The longest z of a dictionary word that is z repeated (一点儿一点儿: 3; the tests check
# jieba's dictionary against it; scanning it here would cost 0.1 s a run).
MAX_PERIOD = 4


@lru_cache(maxsize=1)
def _resources() -> tuple[Any, Any, frozenset[str], int, frozenset[str], Any]:
    import jieba
    import rjieba
    from jieba import finalseg

    from textkit.text.tokenizer import _base_jieba

    engine = _base_jieba()
    # Dictionary words mixing Han and other characters (B超, T恤...) can cross a boundary.
    mixed = frozenset(
        w for w, f in engine.FREQ.items() if f and _HAN.search(w) and _NON_HAN.search(w)
    )
    # Any word crossing a boundary holds the two characters on either side of it.
    pairs = frozenset(w[i : i + 2] for w in mixed for i in range(len(w) - 1))
    longest = max(map(len, mixed), default=0)
    # Two routes tie exactly when they hold the same words in another order (卡|卡卡 and
    # 卡卡|卡), which needs a repeated stretch (z z) where a dictionary word is a power of
    # z. jieba breaks such a tie by float sums that run over the whole block, so a block
    # with such a square is routed whole, by jieba.
    square = re.compile(f"([\u4e00-\u9fd5]{{1,{MAX_PERIOD}}})\\1")
    return engine, (jieba.re_han_default, finalseg, rjieba), mixed, longest, pairs, square


def _route(engine: Any, text: str) -> list[str]:
    """jieba's most probable dictionary route through ``text`` (no HMM)."""
    dag = engine.get_DAG(text)
    route: dict[int, tuple[float, int]] = {}
    engine.calc(text, dag, route)
    words, x = [], 0
    while x < len(text):
        y = route[x][1] + 1
        words.append(text[x:y])
        x = y
    return words


def _block_route(block: str) -> list[str]:
    engine, (_, _, rjieba), mixed, longest, pairs, square = _resources()
    if square.search(block):
        return _route(engine, block)  # a tie may be broken by the whole block's sums
    runs = _HAN_RUNS.findall(block)
    pos = 0
    for run in runs[:-1]:
        pos += len(run)
        if block[pos - 1 : pos + 1] not in pairs:
            continue
        for a in range(max(0, pos - longest + 1), pos):
            for b in range(pos + 1, min(len(block), a + longest) + 1):
                if block[a:b] in mixed:
                    return _route(engine, block)  # a word spans the boundary: no split
    words: list[str] = []
    for run in runs:
        words.extend(rjieba.cut(run, False) if _HAN.match(run) else _route(engine, run))
    return words


@lru_cache(maxsize=1)
def _hmm() -> tuple[Any, tuple[Any, ...], tuple[float, ...]]:
    """finalseg's model: the start and emission lookups, the eight transitions, and the
    log-probability it gives anything it has not seen."""
    from jieba import finalseg

    start, trans, emit = finalseg.start_P, finalseg.trans_P, finalseg.emit_P
    lookups = tuple(emit[y].get for y in "BMES")
    moves = ("EB", "SB", "MM", "BM", "SS", "ES", "BE", "ME")
    starts = tuple(start[y] for y in "BMES")
    return finalseg, lookups, (*starts, *(trans[a][b] for a, b in moves), finalseg.MIN_FLOAT)


def _viterbi(chars: str) -> list[str]:
    """``finalseg.viterbi(chars, "BMES", ...)[1]``, unrolled: the same sums in the same
    order, and ties broken as its ``max`` over (probability, state) tuples breaks them
    (the later letter wins), so the same states; three times faster."""
    _, (get_b, get_m, get_e, get_s), model = _hmm()
    start_b, start_m, start_e, start_s, eb, sb, mm, bm, ss, es, be, me, low = model
    c = chars[0]
    vb, vm = start_b + get_b(c, low), start_m + get_m(c, low)
    ve, vs = start_e + get_e(c, low), start_s + get_s(c, low)
    back = []
    for c in chars[1:]:
        xb, xm, xe, xs = get_b(c, low), get_m(c, low), get_e(c, low), get_s(c, low)
        # B follows E or S; M follows M or B; S follows S or E; E follows B or M.
        p, q = ve + eb + xb, vs + sb + xb
        nb, from_b = (q, "S") if q >= p else (p, "E")
        p, q = vm + mm + xm, vb + bm + xm
        nm, from_m = (p, "M") if p >= q else (q, "B")
        p, q = vs + ss + xs, ve + es + xs
        ns, from_s = (p, "S") if p >= q else (q, "E")
        p, q = vb + be + xe, vm + me + xe
        ne, from_e = (q, "M") if q >= p else (p, "B")
        back.append((from_b, from_m, from_e, from_s))
        vb, vm, ve, vs = nb, nm, ne, ns
    state = "S" if vs >= ve else "E"
    states = [state]
    for step in reversed(back):
        state = step["BMES".index(state)]
        states.append(state)
    states.reverse()
    return states


def _hmm_cut(text: str) -> Iterator[str]:
    """``jieba.finalseg.cut(text)`` with :func:`_viterbi` in place of its viterbi."""
    finalseg, _, _ = _hmm()
    for block in finalseg.re_han.split(text):
        if finalseg.re_han.match(block):
            begin, rest = 0, 0
            for i, state in enumerate(_viterbi(block)):
                if state == "B":
                    begin = i
                elif state == "E" or state == "S":
                    word = block[begin : i + 1] if state == "E" else block[i]
                    if word in finalseg.Force_Split_Words:
                        yield from word
                    else:
                        yield word
                    rest = i + 1
            if rest < len(block):
                word = block[rest:]
                yield from word if word in finalseg.Force_Split_Words else (word,)
        else:
            yield from (x for x in finalseg.re_skip.split(block) if x)


def _with_hmm(words: list[str]) -> Iterator[str]:
    """jieba's ``__cut_DAG``: runs of single characters not in the dictionary go to the HMM."""
    engine = _resources()[0]
    buf = ""
    for word in [*words, ""]:  # the empty sentinel flushes the last buffer
        if len(word) == 1:
            buf += word
            continue
        if len(buf) == 1:
            yield buf
        elif buf and not engine.FREQ.get(buf):
            yield from _hmm_cut(buf)
        elif buf:
            yield from buf
        buf = ""
        if word:
            yield word


def cut(text: str) -> list[str]:
    """Exactly ``jieba.lcut(text)`` (whitespace tokens included)."""
    engine, (re_han, _, _), *_ = _resources()
    words: list[str] = []
    for block in re_han.split(text):
        if not block:
            continue
        if re_han.match(block):
            words.extend(_with_hmm(_block_route(block)))
        else:
            words.extend(engine.cut(block))
    return words
