"""Augmented copies of Chinese texts that keep their meaning: EDA's four operations (Wei &
Zou 2019), each restricted to edits a reader would accept.

Each copy applies one operation, the operations taking turns (``ops``):

- ``sr`` replaces words by synonyms (textkit's reviewed list, or the user's own);
- ``ri`` inserts a mild degree adverb (很, 挺) before an adjective that has none (干净 ->
  很干净);
- ``rs`` swaps two clauses of a list or two coordinated words (房间干净，服务热情 ->
  服务热情，房间干净; 服务和环境 -> 环境和服务);
- ``rd`` deletes an optional word (a mild degree adverb, a modal particle at a clause's
  end).

See :mod:`textkit.augment.operations` for where each may act. Every candidate edit is then
scored by a character language model (:mod:`textkit.augment.fluency`); an edit that makes
the sentence much less likely than the original (more than ``max_drop`` in natural log
probability) is never made. The work is done on textkit's tokens, and the raw text is
written back: whitespace of the original stays where it was.

Never touched: punctuation, Latin words, numbers (also 一二三...), the user's protected terms,
negators (不 没 无 非 ... and words made with 不/没) and the word right after one.

Randomness: each row gets its own ``random.Random(f"{seed}:{index}")``, so the output is the
same for every run, machine and number of worker processes.
"""

from __future__ import annotations

import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from textkit.augment import operations as ops_
from textkit.augment.operations import Edit, Swap
from textkit.augment.synonyms import (
    ONLY_CJK,
    Synonyms,
    default_synonyms,
    lexicon,
    read_synonyms,
)
from textkit.checks import text_arg
from textkit.errors import ConfigError

if TYPE_CHECKING:
    from textkit.augment.evidence import LabelCounts

OPS = ("sr", "ri", "rs", "rd")
DEFAULT_OPS = ("sr", "rs", "ri", "rd")
DEFAULT_ALPHA = 0.2
# The largest drop in the fluency model's log-probability an edit may cause.
DEFAULT_MAX_DROP = 6.0
DEFAULT_COMBINE = 0.0
# Mean length of the space-separated Chinese runs up to which a text counts as already
# segmented into words (Chinese words average under two characters; phrases run longer).
SEGMENTED_RUN = 3
# Chinese numerals count as numbers: replacing 三 in 三星 or 一 in 一起 changes the meaning.
_NUMERAL = re.compile(r"[0-9０-９零一二三四五六七八九十百千万亿两]")

# Negation and sentiment-flipping function words, never edited (with protect_negators), and
# every word starting with 不 or 没 (不错, 不好, 没有, 没什么...).
NEGATORS = frozenset(
    "不 没 无 未 别 非 莫 勿 否 甭 休 没有 不是 不要 不用 不会 不能 不可 不必 不再 不曾 不够 "  # noqa: SIM905
    "不太 从不 从未 从没 决不 绝不 并不 并非 绝非 毫无 未必 未曾 别再 无法 无须 无需 "
    "难以 拒绝 缺乏 缺少 而是 但是 但 却 可是 然而 不过 只是 虽然".split()
)
_NEGATOR_START = ("不", "没")

Items = list[tuple[str, int]]  # (token, index in the original; -1 for a new word)


def recommended_num_aug(n_rows: int) -> int:
    """Augmented rows per input row (``-n auto``): 2, whatever the size of the data (more
    copies of edits this careful make a linear model overweight the rows easy to edit)."""
    return 2


def is_negator(token: str) -> bool:
    """A negation or sentiment-flipping function word (see ``NEGATORS``)."""
    return token in NEGATORS or token.startswith(_NEGATOR_START)


class Augmentation(NamedTuple):
    """One augmented row: the operations applied (``sr`` or ``sr+ri``...), its tokens and
    its text."""

    op: str
    tokens: list[str]
    text: str


@dataclass(frozen=True)
class AugmentConfig:
    """Everything that decides the output; hashable, so workers can cache an Augmenter."""

    num_aug: int = 4
    alpha_sr: float = DEFAULT_ALPHA
    alpha_ri: float = DEFAULT_ALPHA
    alpha_rs: float = DEFAULT_ALPHA
    p_rd: float = DEFAULT_ALPHA
    ops: tuple[str, ...] = DEFAULT_OPS  # taken in turn; an op named twice gets two turns
    seed: int = 0
    protect: tuple[str, ...] = ()
    # Words never replaced nor deleted (they may still move or take a degree adverb): the
    # words that mark a label (textkit.augment.labelwords).
    keep_words: tuple[str, ...] = ()
    synonyms_file: str | None = None
    stopword_files: tuple[str, ...] = ()
    default_stopwords: bool = True
    backend: str = "fast"
    user_dict: str | None = None
    protect_negators: bool = True
    # An edit may lower the text's log-probability under the fluency model by at most this
    # much; None turns the check off.
    max_drop: float | None = DEFAULT_MAX_DROP
    # After a copy's own operation, each other operation is applied too with this
    # probability (0: one operation per copy, as in the EDA paper).
    combine: float = DEFAULT_COMBINE

    def __post_init__(self) -> None:
        if self.num_aug < 0:
            raise ConfigError("num_aug must be 0 or more")
        for name in ("alpha_sr", "alpha_ri", "alpha_rs", "p_rd"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1")
        unknown = [op for op in self.ops if op not in OPS]
        if unknown or not self.ops:
            raise ConfigError(f"ops must be some of {', '.join(OPS)}, got {self.ops!r}")
        if not 0.0 <= self.combine <= 1.0:
            raise ConfigError("combine must be between 0 and 1")
        if self.max_drop is not None and not self.max_drop >= 0:
            raise ConfigError("max_drop must be 0 or more")

    def alpha(self, op: str) -> float:
        return {"sr": self.alpha_sr, "ri": self.alpha_ri, "rs": self.alpha_rs}.get(op, self.p_rd)


def edit_budget(alpha: float, n_editable: int) -> int:
    """How many edits one operation may make: max(1, round(alpha * n)); 0 when off."""
    if alpha <= 0 or n_editable == 0:
        return 0
    return max(1, round(alpha * n_editable))


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def join_tokens(items: Sequence[tuple[str, int]]) -> str:
    """Concatenate ``(token, original index)`` items, the raw text's way.

    A space goes only between two Latin/digit tokens that were not neighbours in the original
    (brought together by a swap or a deletion), so untouched stretches stay byte-identical.
    """
    out: list[str] = []
    prev_tok, prev_idx = "", -2
    for tok, idx in items:
        adjacent = prev_idx >= 0 and idx == prev_idx + 1
        if prev_tok and not adjacent and _alnum(prev_tok[-1]) and _alnum(tok[0]):
            out.append(" ")
        out.append(tok)
        prev_tok, prev_idx = tok, idx
    return "".join(out)


def _space_separated(tokens: Sequence[str]) -> bool:
    """Whether the text's Chinese words are separated by spaces (pre-segmented input, a
    fastText file): at least three space-separated runs of Chinese characters, two
    characters long on average or a little more (words), not phrases."""
    runs = [len(c) for c in "".join(tokens).split() if ONLY_CJK.match(c)]
    return len(runs) >= 3 and sum(runs) <= SEGMENTED_RUN * len(runs)


def _spaced(tokens: Sequence[str], position: int, word: str) -> Items:
    """What to insert at ``position`` for ``word`` in space-separated text: the word with
    a space on the side facing its neighbour, so it stays a word of its own."""
    before = tokens[position - 1] if position > 0 else ""
    after = tokens[position] if position < len(tokens) else ""
    if before.isspace() and after and not after.isspace():
        return [(word, -1), (" ", -1)]
    if after.isspace() and before and not before.isspace():
        return [(" ", -1), (word, -1)]
    return [(word, -1)]


def _tidy_spaces(items: Items, n_original: int) -> Items:
    """Drop the whitespace a deletion left doubled (or leading, or trailing) where the
    original text had a single run: ``太慢 了 饭菜`` without 了 is ``太慢 饭菜``."""
    out: Items = []
    for tok, idx in items:
        if tok.isspace() and idx >= 0:
            prev = out[-1] if out else None
            if prev is None and idx > 0:
                continue  # the words before it were all deleted
            if prev is not None and prev[0].isspace() and prev[1] != idx - 1:
                continue  # two runs that a deleted word kept apart
        out.append((tok, idx))
    if out and out[-1][0].isspace() and 0 <= out[-1][1] < n_original - 1:
        out.pop()  # the words after it were all deleted
    return out


class _Options(NamedTuple):
    """The edits that passed the fluency check for one text, by operation."""

    sr: list[Edit]
    ri: list[Edit]
    rd: list[Edit]
    rs: list[Swap]


class Augmenter:
    """Augments many texts: synonyms, stopwords, tokenizer and fluency model load once.

    ``augment(text, index)`` returns up to ``num_aug`` distinct texts, none equal to the
    original; ``index`` (the row number) and the seed decide the random choices.
    """

    def __init__(
        self,
        config: AugmentConfig | None = None,
        *,
        synonyms: Synonyms | None = None,
        stopwords: Iterable[str] | None = None,
        tokenizer: Any = None,
        fluency: Any = None,
    ) -> None:
        from textkit.text.stopwords import load_stopwords
        from textkit.text.tokenizer import Tokenizer

        self.config = config = config or AugmentConfig()
        if synonyms is None:
            if config.synonyms_file:
                synonyms = read_synonyms(config.synonyms_file)
            else:
                synonyms = default_synonyms()
        self.synonyms = synonyms
        if stopwords is None:
            stopwords = load_stopwords(config.stopword_files, use_default=config.default_stopwords)
        self.stopwords = frozenset(stopwords)
        self.tokenizer = tokenizer or Tokenizer(backend=config.backend, user_dict=config.user_dict)
        if fluency is None and config.max_drop is not None:
            from textkit.augment.fluency import background_lm

            fluency = background_lm()
        self.fluency = fluency
        self._lexicon = lexicon()
        terms = sorted({t for t in ("".join(p.split()) for p in config.protect) if t}, key=len)
        # Longest first inside a lookahead: every start position is found, so overlapping
        # protected terms are all protected.
        self._protect = (
            re.compile("(?=(" + "|".join(re.escape(t) for t in reversed(terms)) + "))")
            if terms
            else None
        )
        self._editable: dict[str, bool] = {}
        self._keep = frozenset(config.keep_words)

    # -- which tokens may change ------------------------------------------------------------
    def word_class(self, token: str) -> str:
        """The token's coarse part of speech in jieba's dictionary ('' when unknown)."""
        info = self._lexicon.get(token)
        return info.word_class if info else ""

    def tag(self, token: str) -> str:
        """The token's part-of-speech tag in jieba's dictionary ('' when unknown)."""
        info = self._lexicon.get(token)
        return info.tag if info else ""

    def _is_editable(self, token: str) -> bool:
        known = self._editable.get(token)
        if known is None:
            known = self._editable[token] = (
                ONLY_CJK.match(token) is not None
                and _NUMERAL.search(token) is None
                and not (self.config.protect_negators and is_negator(token))
            )
        return known

    def editable_positions(self, tokens: Sequence[str]) -> list[int]:
        """Indices of the tokens an operation may replace, move or delete."""
        positions = [i for i, t in enumerate(tokens) if self._is_editable(t)]
        if self.config.protect_negators:
            # The word a negator negates stays too: swapping 不推荐 into 推荐, 不难吃 or
            # replacing it turns the meaning around as surely as losing the 不.
            positions = [i for i in positions if not (i and is_negator(tokens[i - 1]))]
        if self._protect is None or not positions:
            return positions
        spans = [
            (m.start(), m.start() + len(m.group(1)))
            for m in self._protect.finditer("".join(tokens))
        ]
        if not spans:
            return positions
        starts, offset = [], 0
        for token in tokens:
            starts.append(offset)
            offset += len(token)
        return [
            i
            for i in positions
            if not any(a < starts[i] + len(tokens[i]) and starts[i] < b for a, b in spans)
        ]

    def count_labels(self, texts: Iterable[str], labels: Iterable[Any]) -> LabelCounts:
        """The words of labeled rows counted by label, to find the words that mark a label
        and the rows whose words point to another (:mod:`textkit.augment.evidence`)."""
        from textkit.augment.evidence import LabelCounts

        return LabelCounts.count((self.tokenizer.cut(text) for text in texts), labels)

    def keep(self, words: Iterable[str]) -> None:
        """Never replace nor delete ``words`` from now on (``config.keep_words`` grows)."""
        import dataclasses

        keep = tuple(sorted(set(self.config.keep_words) | set(words)))
        self.config = dataclasses.replace(self.config, keep_words=keep)
        self._keep = frozenset(keep)

    def synonyms_of(self, word: str) -> tuple[str, ...]:
        """The synonyms ``sr`` may use for ``word`` (none for stopwords)."""
        if word in self.stopwords:
            return ()
        return tuple(self.synonyms.get(word, ()))

    # -- candidate edits --------------------------------------------------------------------
    def options(self, tokens: Sequence[str]) -> _Options:
        """Every edit each operation could make to ``tokens`` that passes the fluency check."""
        editable = self.editable_positions(tokens)
        allowed = set(editable)
        changeable = [i for i in editable if tokens[i] not in self._keep]
        wc = self.word_class
        wanted = set(self.config.ops)
        sr = (
            ops_.replacements(tokens, changeable, self.synonyms_of, wc, self.tag)
            if "sr" in wanted
            else []
        )
        ri = ops_.insertions(tokens, allowed, wc, self.tag) if "ri" in wanted else []
        rd = ops_.deletions(tokens, set(changeable), wc) if "rd" in wanted else []
        rs = ops_.clause_swaps(tokens, wc) + ops_.word_swaps(tokens, allowed, wc)
        if "rs" not in wanted:
            rs = []
        rs = [s for s in rs if all(i in allowed for r in s for i in range(*r) if tokens[i].strip())]
        if self.fluency is None or not (sr or ri or rd or rs):
            return _Options(sr, ri, rd, rs)
        limit = -self.config.max_drop
        text = "".join(tokens)
        starts = [0]
        for token in tokens:
            starts.append(starts[-1] + len(token))
        edits = sr + ri + rd
        char_edits = [(starts[e.start], starts[e.end], "".join(e.new)) for e in edits]
        deltas = self.fluency.edit_deltas(text, char_edits) if edits else []
        kept = {e for e, d in zip(edits, deltas, strict=True) if d >= limit}
        if rs:
            swapped = ["".join(ops_.apply_swap(list(tokens), s)) for s in rs]
            scores = self.fluency.logprob([text, *swapped])
            rs = [s for s, lp in zip(rs, scores[1:], strict=True) if lp - scores[0] >= limit]
        return _Options(
            [e for e in sr if e in kept],
            [e for e in ri if e in kept],
            [e for e in rd if e in kept],
            rs,
        )

    # -- making copies -----------------------------------------------------------------------
    @staticmethod
    def _spread(rng: random.Random, edits: list[Any], k: int, span: Any) -> list[Any]:
        """Up to ``k`` of ``edits`` in random order whose token ranges do not touch."""
        order = list(edits)
        rng.shuffle(order)
        chosen: list[Any] = []
        used: set[int] = set()
        for edit in order:
            if len(chosen) == k:
                break
            cells = span(edit)
            if cells & used:
                continue
            chosen.append(edit)
            used |= cells | {min(cells) - 1, max(cells) + 1}
        return chosen

    def _make(
        self,
        ops: Sequence[str],
        tokens: Sequence[str],
        options: _Options,
        budgets: dict[str, int],
        rng: random.Random,
    ) -> tuple[Items, list[str]] | None:
        """One copy with the edits of ``ops`` (each up to its budget, none touching another)
        and the operations that made one; None when the first operation has nothing to do."""
        # One slot per token (and one after the last): an edit fills or empties slots, a
        # swap moves them, so every edit keeps referring to the original token indices.
        slots: list[Items] = [[(t, i)] for i, t in enumerate(tokens)] + [[]]
        used: set[int] = set()
        segmented = _space_separated(tokens)
        swaps: list[Swap] = []
        applied: list[str] = []
        for op in ops:
            if op == "rs":
                swaps = self._spread(
                    rng, options.rs, budgets[op], lambda s: set(range(s.a[0], s.b[1]))
                )
                made = bool(swaps)
            else:
                by_place: dict[tuple[int, int], list[Edit]] = {}
                for edit in getattr(options, op):
                    cells = set(range(edit.start, max(edit.end, edit.start + 1)))
                    if not cells & used:
                        by_place.setdefault((edit.start, edit.end), []).append(edit)
                places = self._spread(
                    rng,
                    list(by_place),
                    budgets[op],
                    lambda p: set(range(p[0], max(p[1], p[0] + 1))),
                )
                chosen_words: set[tuple[str, ...]] = set()
                for start, end in places:
                    # A random synonym or adverb among those that passed, not one this copy
                    # already put in (解析…分析 -> 剖析…剖析).
                    fresh = [e for e in by_place[(start, end)] if e.new not in chosen_words]
                    if not fresh:
                        continue
                    edit = rng.choice(fresh)
                    chosen_words.add(edit.new)
                    new: Items = [(w, -1) for w in edit.new]
                    if start == end:
                        if segmented and new:
                            new = _spaced(tokens, start, edit.new[0])
                        slots[start] = new + slots[start]
                    else:
                        slots[start] = new
                        for k in range(start + 1, end):
                            slots[k] = []
                    used |= set(range(start - 1, max(end, start + 1) + 1))
                made = bool(places)
            if not made and op == ops[0]:
                return None
            if made:
                applied.append(op)
        for swap in sorted(swaps, key=lambda s: -s.a[0]):
            slots = ops_.apply_swap(slots, swap)
        items = [item for slot in slots for item in slot]
        if segmented and "rd" in applied:
            items = _tidy_spaces(items, len(tokens))
        return items, applied

    def augment_tokens(self, tokens: Sequence[str], index: int = 0) -> list[Augmentation]:
        """Augment a tokenized text (whitespace tokens included); see :meth:`augment`."""
        config = self.config
        tokens = [t for t in tokens if t]
        if config.num_aug == 0:
            return []
        n_editable = len(self.editable_positions(tokens))
        ops = [op for op in config.ops if config.alpha(op) > 0]
        if not n_editable or not ops:
            return []
        options = self.options(tokens)
        budgets = {op: edit_budget(config.alpha(op), n_editable) for op in ops}
        kinds = list(dict.fromkeys(ops))
        # Only the operations with an edit to make take turns: with -n 1, a row whose one
        # acceptable edit is a deletion still gets its copy.
        ops = [op for op in ops if getattr(options, op)]
        if not ops:
            return []
        rng = random.Random(f"{config.seed}:{index}")
        seen = {"".join(tokens)}
        found: list[Augmentation] = []
        # A row may allow fewer than num_aug distinct copies (short rows, few places to
        # edit): give up after three times as many tries rather than loop.
        for attempt in range(3 * config.num_aug):
            if len(found) == config.num_aug:
                break
            first = ops[attempt % len(ops)]
            # The copy's operation, then each other one with probability `combine`.
            chosen = [first] + [op for op in kinds if op != first and rng.random() < config.combine]
            made = self._make(chosen, tokens, options, budgets, rng)
            if made is None:
                continue
            out, applied = made
            text = join_tokens(out)
            if text.strip() and text not in seen:
                seen.add(text)
                found.append(Augmentation("+".join(applied), [t for t, _ in out], text))
        return found

    def augment(self, text: str, index: int = 0) -> list[str]:
        """Up to ``num_aug`` augmented versions of ``text``, each different from it."""
        if not text_arg(text).strip():
            return []
        tokens = self.tokenizer.cut(text, keep_spaces=True)
        return [a.text for a in self.augment_tokens(tokens, index)]


def eda(
    text: str,
    *,
    num_aug: int = 4,
    alpha_sr: float = DEFAULT_ALPHA,
    alpha_ri: float = DEFAULT_ALPHA,
    alpha_rs: float = DEFAULT_ALPHA,
    p_rd: float = DEFAULT_ALPHA,
    ops: Sequence[str] = DEFAULT_OPS,
    seed: int = 0,
    protect: Iterable[str] = (),
    synonyms: Synonyms | None = None,
) -> list[str]:
    """Up to ``num_aug`` augmented copies of one text (for many texts use :class:`Augmenter`)."""
    config = AugmentConfig(
        num_aug=num_aug,
        alpha_sr=alpha_sr,
        alpha_ri=alpha_ri,
        alpha_rs=alpha_rs,
        p_rd=p_rd,
        ops=tuple(ops.split(",")) if isinstance(ops, str) else tuple(ops),  # "sr,ri" too
        seed=seed,
        protect=tuple(protect),
    )
    return Augmenter(config, synonyms=synonyms).augment(text)


def augment_chunk(config: AugmentConfig, items: list[tuple[int, str, Any]]) -> list[Any]:
    """Worker task: ``(index, text, payload)`` -> ``(text, payload, [augmented texts])``."""
    from textkit.io.parallel import worker_cache

    augmenter = worker_cache(("augmenter", config), lambda: Augmenter(config))
    return [(text, payload, augmenter.augment(text, index)) for index, text, payload in items]
