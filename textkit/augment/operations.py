"""Where an edit keeps a Chinese sentence's meaning: the places each operation may change.

Every function here looks at one tokenized text (whitespace tokens included) and returns
candidate edits; the augmenter scores them for fluency and draws among those that pass.

- replace: a word by a synonym from the table (:mod:`textkit.augment.synonyms`);
- insert: a degree adverb (很, 挺, 非常...) before an adjective that has none;
- delete: an optional word: a degree adverb before an adjective, a modal particle at the end
  of a clause (啊, 呀, 吧...);
- swap: two clauses of a list (``房间干净，服务热情`` -> ``服务热情，房间干净``), two words
  joined by 和/与/及/、, or the two halves of 又…又… — units that can change places without
  changing who did what. Clauses with a connective or a word that points back (但是, 也,
  其他...) never move.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

# Degree adverbs an adjective may lose, and the ones insertion may add (mild and common).
DEGREE_ADVERBS = frozenset(
    ["很", "挺", "非常", "特别", "十分", "比较", "相当", "蛮", "超", "超级", "真", "真的", "好"]
)
# Other words of degree: an adjective after one takes no second degree adverb.
HEDGES = frozenset(
    "有点 有点儿 有些 稍微 稍稍 略 略微 稍 太 最 更 更加 越来越 极 极其 特 最为 过于 比较 "  # noqa: SIM905
    "格外 分外 尤其 尤为 极为 颇 颇为 异常 更为 愈发 越发 愈加 越 愈 够 巨 贼 老 忒 怪 顶".split()
)
# Demonstratives and exclamatives of degree (这么脆弱, 多么好看): degree words too.
DEGREE_DEMONSTRATIVES = frozenset(
    "这么 那么 这样 那样 这般 那般 如此 多么 何等 怎么 好不".split()  # noqa: SIM905
)
DEGREE_WORDS = DEGREE_ADVERBS | HEDGES | DEGREE_DEMONSTRATIVES
# First characters of adjectives that carry their degree inside (很大, 最好, 太弱, 超薄).
FUSED_DEGREE = frozenset("很太最更挺超")
# Suffixes that make a noun of the word before them (解析力, 安全性, 清晰度) that jieba's
# dictionary does not tag as suffixes (it has 力 and 性 as nouns, 率 and 感 as verbs).
SUFFIXES = frozenset("力 性 度 率 化 感 型 式 者 界 观 员 师 品 费".split())  # noqa: SIM905
# Word classes that form no compound with a suffix after them (adverbs, numerals,
# pronouns, prepositions, conjunctions, particles, locatives, time words).
FUNCTION_CLASSES = frozenset("d m r p c u f t".split())  # noqa: SIM905
# What may follow an adjective that takes an inserted degree adverb.
AFTER_INSERT = frozenset(
    "的 了 啦 啊 呀 哦 呢 吧 哈 嘛 和 又 而且 也 但 但是 就是 不过 可是".split()  # noqa: SIM905
)
# An adjective with one of these after it already has its degree (少了点, 贵一些).
COMPARATIVE_TAILS = frozenset("点 一点 点儿 一点儿 些 一些 得多 多了 极了".split())  # noqa: SIM905
# One-word answers a particle belongs to (好吧, 行吧, 对啊).
ANSWERS = frozenset("好 行 对 是 嗯 哦 算".split())  # noqa: SIM905
COMPARISON = frozenset("比 不如 比起 相比 没有 没 像 如".split())  # noqa: SIM905
INSERTED_ADVERBS = ("很", "挺", "非常", "比较", "特别")
# Modal particles that may end a clause or not (吗 makes a question: never deleted; 啦 and
# 咯 hold a 了, which the clause needs: 菜都凉啦 -> 菜都凉).
PARTICLES = frozenset(["啊", "呀", "哦", "吧", "呢", "哈", "嘛", "哟", "哇", "喔", "噢", "呐"])
# Verbs of feeling and evaluation that take degree adverbs like adjectives.
GRADABLE_VERBS = frozenset(
    "喜欢 满意 失望 感谢 推荐 满足 担心 后悔 开心 喜爱 讨厌 生气 好吃 好看 好用 好听 "  # noqa: SIM905
    "难吃 难看 难用 难听 实惠 划算 值得 方便 热情 耐心 周到 贴心 给力 靠谱".split()
)
# Words after which an inserted degree adverb reads naturally.
BEFORE_INSERT = frozenset(["都", "也", "还", "就", "又", "得", "真是", "确实", "感觉", "觉得"])
# A clause containing one of these depends on its neighbour (contrast, cause, order,
# reference back): it never changes place.
CONNECTIVES = frozenset(
    "但 但是 不过 可是 可 却 而 而且 并且 也 还 又 再 就 才 所以 因为 因此 由于 于是 "  # noqa: SIM905
    "然后 之后 后来 最后 以后 以前 之前 首先 其次 其他 其它 别的 另外 此外 总之 总的来说 "
    "如果 要是 虽然 虽 尽管 即使 只是 只有 甚至 更 更是 连 同时 结果 否则 不然 这 那 "
    "它 他 她 他们 它们 这个 那个 这些 那些 这里 那里 第一 第二 第三 一是 二是".split()
)
CLAUSE_SEPARATORS = frozenset("，,、；;")
SENTENCE_ENDS = frozenset("。！？!?…~～\n")
COORDINATORS = frozenset(["和", "与", "及", "跟", "、"])
# After A和B these make 和 mean "compared with": A is measured against B (one-sided), or
# the two are said to be alike or not (symmetric: B和A says the same).
ONE_SIDED_COMPARISON = frozenset(
    "似的 像 比 相比 比起 不如 差远 差远了 没法比 不能比 比不了".split()  # noqa: SIM905
)
SYMMETRIC_COMPARISON = frozenset(
    "一样 差不多 相同 不同 一致 类似 相似 相差 差别 区别 不符 相符".split()  # noqa: SIM905
)
NEGATION_ADVERBS = frozenset("不 没 没有 不是".split())  # noqa: SIM905
# Quantity words that modify a noun (许多人), stand as a subject (许多都坏了) or follow a
# verb or adjective (少了许多), but are never the predicate: 肉很多 -> 肉许多 is not Chinese.
NO_PREDICATE = frozenset(["许多", "诸多"])
# After a quantity word, what shows it modifies or is the subject: 的, 都, 是.
AFTER_QUANTITY = frozenset(["的", "都", "是"])
# Verbs a predicate follows (应该很多: should be many), not an object or complement.
MODAL_VERBS = frozenset("应该 应当 会 能 可能 可以 要".split())  # noqa: SIM905
# After 有点, what makes its 点 the verb "to order": an aspect particle (还有点了四份) or
# what is ordered (点外卖, 点餐, 点单).
ASPECT_PARTICLES = frozenset(["了", "过", "着"])
ORDERED = frozenset(["外卖", "餐", "单", "菜"])
MAX_LIST_CLAUSE = 12  # characters: list items are short


class Edit(NamedTuple):
    """Replace tokens ``start..end-1`` by ``new`` tokens (an insertion when start == end)."""

    start: int
    end: int
    new: tuple[str, ...]


class Swap(NamedTuple):
    """Exchange token ranges ``a`` and ``b`` (``a`` before ``b``, not overlapping)."""

    a: tuple[int, int]
    b: tuple[int, int]


WordClass = Callable[[str], str]


def _is_punct_or_space(token: str) -> bool:
    return token.isspace() or token in CLAUSE_SEPARATORS or all(ch in SENTENCE_ENDS for ch in token)


def _near(tokens: Sequence[str], i: int, step: int, count: int = 1) -> list[str]:
    """The ``count`` nearest words before (step -1) or after (step 1) position ``i``,
    whitespace skipped (pre-segmented text has a space between every two words)."""
    found: list[str] = []
    j = i + step
    while 0 <= j < len(tokens) and len(found) < count:
        if not tokens[j].isspace():
            found.append(tokens[j])
        j += step
    return found


def gradable(token: str, word_class: WordClass) -> bool:
    """An adjective or a verb of feeling: a word a degree adverb may stand before."""
    return len(token) <= 2 and (word_class(token) == "a" or token in GRADABLE_VERBS)


def bound_suffix(token: str, tag: WordClass) -> bool:
    """Whether ``token`` starts with a suffix or noun morpheme that makes a compound with
    the word before it (解析 + 力, 体验 + 者, 柠檬 + 汁): a character that jieba tags k or ng,
    or one of ``SUFFIXES``, alone or at the start of a token the dictionary does not know
    (the segmenter's guess: 解析 + 力差). Not the plural 们, after which a word keeps its
    sense (孩子们 -> 小孩们)."""
    head = token[:1]
    if not "\u4e00" <= head <= "\u9fff" or head == "们":
        return False
    if len(token) > 1 and tag(token):
        return False
    return head in SUFFIXES or tag(head) in ("k", "ng")


def replacements(
    tokens: Sequence[str],
    editable: Sequence[int],
    synonyms_of: Callable[[str], Sequence[str]],
    word_class: WordClass,
    tag: WordClass = lambda token: "",
) -> list[Edit]:
    """Each editable word replaced by each of its synonyms; not an adjective right after a
    verb, where it is a complement with a sense of its own (洒干净: all gone, not clean), not
    a word that a suffix right after it makes part of a compound (解析力: resolution, not
    分析力), not a doubled word (非常非常), nor by a word the text already has; 许多 is no
    predicate (肉很多), 好多 after a comparison is "much better" (比原来好多了) and 有点
    before 了, 外卖 or another noun is 有 + 点 (还有点菜). ``tag`` gives a token's
    part-of-speech tag as jieba's dictionary has it."""
    found = []
    present = set(tokens)
    for i in editable:
        word = tokens[i]
        before = _near(tokens, i, -1)
        if before and word_class(word) == "a" and word_class(before[0]) == "v":
            continue
        if (
            i + 1 < len(tokens)
            and bound_suffix(tokens[i + 1], tag)
            and word not in DEGREE_WORDS
            and word_class(word) not in FUNCTION_CLASSES
        ):
            continue
        if (i > 0 and tokens[i - 1] == word) or (i + 1 < len(tokens) and tokens[i + 1] == word):
            continue  # a doubled word is emphasis: 非常非常快, not 非常特别快
        if _not_what_it_seems(tokens, i, word_class):
            continue
        # A synonym already in the text would repeat it: 质量和品质 -> 质量和质量.
        found.extend(
            Edit(i, i + 1, (s,))
            for s in synonyms_of(word)
            if s not in present and (s not in NO_PREDICATE or _not_predicate(tokens, i, word_class))
        )
    return found


def _not_predicate(tokens: Sequence[str], i: int, word_class: WordClass) -> bool:
    """Whether the quantity word at ``i`` modifies or is the subject of what follows (很多人,
    很多的, 很多都), or follows a verb or adjective (少了很多, 快很多): not the predicate of
    what comes before it (肉很多, 肉也很多, 给的很多)."""
    after, before = _near(tokens, i, 1), _near(tokens, i, -1)
    if after and (after[0] in AFTER_QUANTITY or word_class(after[0]) in ("n", "q")):
        return True
    if not before or before[0] in MODAL_VERBS:
        return False
    return before[0] == "了" or word_class(before[0]) in ("v", "a")


def _not_what_it_seems(tokens: Sequence[str], i: int, word_class: WordClass) -> bool:
    """Whether the word at ``i`` is two words the segmenter joined, so that its synonyms
    do not fit: 好多 = 好 + 多 after a comparison (比上次好多了: much better, not many), 有点 =
    有 + 点 "to order" or "a bit of" (还有点了四份, 只有点外卖, 还有点菜)."""
    word = tokens[i]
    after, before = _near(tokens, i, 1), _near(tokens, i, -1)
    nxt, prev = (after or [""])[0], (before or [""])[0]
    if word == "好多":
        # After a verb or adjective it says how much (差好多, 快了好多, 多好多).
        degree = prev in ("了", "多") or word_class(prev) in ("v", "a")
        return not degree and (nxt == "了" or _in_comparison(tokens, i))
    if word == "有点":
        # Before a noun it is 有 + 点, "a bit of" or "to order" (还有点菜): a word of two
        # characters or more (a lone one may be a taste jieba tags as a noun: 有点咸).
        noun = len(nxt) > 1 and word_class(nxt) == "n"
        return nxt in ASPECT_PARTICLES or nxt in ORDERED or noun
    return False


def _in_comparison(tokens: Sequence[str], i: int) -> bool:
    """Whether a comparison marker (比, 不如, 没有...) comes before position ``i`` in its
    clause."""
    for j in range(i - 1, -1, -1):
        if tokens[j] in CLAUSE_SEPARATORS or all(ch in SENTENCE_ENDS for ch in tokens[j]):
            return False
        if tokens[j] in COMPARISON:
            return True
    return False


def insertions(
    tokens: Sequence[str],
    editable: set[int],
    word_class: WordClass,
    tag: WordClass = lambda token: "",
) -> list[Edit]:
    """A degree adverb before each gradable word that stands as a predicate or modifier
    without one: after the start of a clause, a noun or pronoun, or 都/也/还/得...; before
    the end of a clause, 的, 了, a particle or another adjective (not before a verb or noun
    it modifies as an adverb: 完美收官, nor before 了点/一些: 少了点)."""
    found = []
    for i, token in enumerate(tokens):
        # Two characters: a lone character is too often part of an unknown word (乐逍遥).
        if i not in editable or len(token) != 2 or not gradable(token, word_class):
            continue
        if _in_comparison(tokens, i):
            continue  # 不如拌饭的量大: a comparison takes no degree adverb
        two_before = _near(tokens, i, -1, 2)
        before = two_before[0] if two_before else ""
        if (
            token in DEGREE_WORDS
            or token[0] in FUSED_DEGREE
            or any(t in DEGREE_WORDS for t in two_before)
        ):
            continue  # 好 and 真 are degree adverbs too; 太尼玛难吃, 这么脆弱, 最好 have one
        fits_before = (
            not before
            or _is_punct_or_space(before)
            or before in BEFORE_INSERT
            or word_class(before) in ("n", "r")
        )
        two_after = _near(tokens, i, 1, 2)
        after = two_after[0] if two_after else ""
        fits_after = (
            not after
            or _is_punct_or_space(after)
            or after in AFTER_INSERT
            or (gradable(after, word_class) and after not in DEGREE_WORDS)
        )
        if any(t in COMPARATIVE_TAILS for t in two_after):
            continue
        if after == "了" and len(two_after) > 1 and not _is_punct_or_space(two_after[1]):
            continue  # 少了许多: the amount after 了 is its degree
        complement = (
            after == "的"
            and len(two_after) > 1
            and not _is_punct_or_space(two_after[1])
            and word_class(two_after[1]) not in ("n", "r")
        )
        if complement:
            continue  # 难吃的不能下咽: what follows 的 says how much, it is no noun
        adverbial = tag(token) == "ad" and bool(after) and after not in AFTER_INSERT
        if adverbial and not _is_punct_or_space(after):
            continue  # 确实不错: an adverb here, not a predicate
        if fits_before and fits_after:
            found.extend(Edit(i, i, (adverb,)) for adverb in INSERTED_ADVERBS)
    return found


def deletions(tokens: Sequence[str], editable: set[int], word_class: WordClass) -> list[Edit]:
    """Optional words: a degree adverb right before a gradable word, and a modal particle
    at the end of a clause (after a word, before punctuation or the end)."""
    found = []
    for i, token in enumerate(tokens):
        if i not in editable:
            continue
        after = (_near(tokens, i, 1) or [""])[0]
        before = (_near(tokens, i, -1) or [""])[0]
        # Not after a verb (应该很好 -> 应该好), and not when a lone character would be left
        # to stand for the clause (很好，… -> 好，…).
        starts_clause = not before or _is_punct_or_space(before)
        adverb = (
            token in DEGREE_ADVERBS
            and after
            and gradable(after, word_class)
            and word_class(before) != "v"
            and not (starts_clause and len(after) == 1)
        )
        particle = (
            token in PARTICLES
            and before
            and not _is_punct_or_space(before)
            and before not in ANSWERS
            and (not after or _is_punct_or_space(after))
        )
        if adverb or particle:
            found.append(Edit(i, i + 1, ()))
    return found


def clauses(tokens: Sequence[str]) -> list[tuple[int, int, bool]]:
    """``(start, end, last_in_sentence)`` token ranges of the clauses, separators excluded."""
    found: list[tuple[int, int, bool]] = []
    start = 0
    for i, token in enumerate([*tokens, "\n"]):
        ends_sentence = i == len(tokens) or all(ch in SENTENCE_ENDS for ch in token)
        if ends_sentence or token in CLAUSE_SEPARATORS:
            if i > start:
                found.append((start, i, ends_sentence))
            start = i + 1
    return found


def _list_item(tokens: Sequence[str], start: int, end: int, word_class: WordClass) -> bool:
    """A clause that can move within a list: short, nothing but words, no connective, a
    topic first (a noun, or a word jieba tags as a verb before an adjective: 位置很方便)
    and an adjective or a verb after it, ending the clause."""
    words = tokens[start:end]
    if len(words) < 2 or sum(len(t) for t in words) > MAX_LIST_CLAUSE:
        return False
    if any(t.isspace() or t in CONNECTIVES or not t.strip() for t in words):
        return False
    last = words[-1]
    if not (gradable(last, word_class) or word_class(last) == "v"):
        return False  # a noun phrase (价格这么高的手机) is a topic, not an item
    topic = word_class(words[0])
    if any(gradable(t, word_class) for t in words[1:]):
        return topic in ("n", "v")
    return topic == "n" and any(word_class(t) == "v" for t in words[1:])


def clause_swaps(tokens: Sequence[str], word_class: WordClass) -> list[Swap]:
    """Two neighbouring clauses of one sentence that are both list items."""
    spans = clauses(tokens)
    found = []
    for (a0, a1, a_last), (b0, b1, _) in zip(spans, spans[1:], strict=False):
        if a_last or b0 != a1 + 1:
            continue  # different sentences, or more than one separator between them
        if _list_item(tokens, a0, a1, word_class) and _list_item(tokens, b0, b1, word_class):
            found.append(Swap((a0, a1), (b0, b1)))
    return found


def word_swaps(tokens: Sequence[str], editable: set[int], word_class: WordClass) -> list[Swap]:
    """Coordinated words: ``A和B`` (also 与 及 跟 、) with two nouns, and ``又A又B``."""
    found = []
    for i in range(1, len(tokens) - 1):
        a, link, b = tokens[i - 1], tokens[i], tokens[i + 1]
        if not {i - 1, i + 1} <= editable or a == b:
            continue
        if link in COORDINATORS and word_class(a) == "n" and word_class(b) == "n":
            # A third conjunct (A、B和C) would leave the list out of order: skip those.
            outer = tokens[i - 2] if i > 1 else ""
            beyond = tokens[i + 2] if i + 2 < len(tokens) else ""
            if outer in COORDINATORS or beyond in COORDINATORS:
                continue
            # A conjunct must be the whole noun: not the head of 咖啡种类 (咖啡种类和食品种类
            # -> 咖啡食品和种类种类) nor the start of a word the segmenter split (鸡 in 鸡胗).
            if _joins(outer, word_class) or _joins(beyond, word_class):
                continue
            if _not_coordinated(tokens, i + 1, word_class):
                continue
            found.append(Swap((i - 1, i), (i + 1, i + 2)))
        elif a == "又" and i + 2 < len(tokens) and tokens[i + 1] == "又":
            c = tokens[i + 2]
            if i + 2 in editable and i in editable and link != c:
                found.append(Swap((i, i + 1), (i + 2, i + 3)))
    return found


def _not_coordinated(tokens: Sequence[str], j: int, word_class: WordClass) -> bool:
    """Whether ``A和B`` (``B`` at ``j``) may not be two conjuncts that can change places:

    - ``B`` is followed by 的 (``A和B的C``): B may modify C alone (音质和同事的耳机: the
      colleague's headphones), and then the swap changes what belongs to whom;
    - 和 means "compared with": the clause goes on to a comparison that is one-sided
      (饼跟面皮似的, 味道和店里比), or to a symmetric one (一样, 不符...) only after more
      than adverbs (粥跟猪吃的一样, 味道跟餐厅吃差远了) or before an adjective (一样硬).
    """
    after = _near(tokens, j, 1)
    if after and after[0] in ("的", "之"):
        return True
    between_ok = True
    for k in range(j + 1, len(tokens)):
        token = tokens[k]
        if token.isspace():
            continue
        if token in CLAUSE_SEPARATORS or all(ch in SENTENCE_ENDS for ch in token):
            return False
        if token in ONE_SIDED_COMPARISON:
            return True
        if token in SYMMETRIC_COMPARISON:
            following = _near(tokens, k, 1)
            return not between_ok or bool(following and gradable(following[0], word_class))
        if not (token in NEGATION_ADVERBS or word_class(token) in ("d", "a", "c")):
            between_ok = False
    return False


def _joins(token: str, word_class: WordClass) -> bool:
    """Whether ``token`` next to a conjunct would form one noun with it: a noun, a
    morpheme, or a Han token the dictionary does not know."""
    if not token or not any("\u4e00" <= ch <= "\u9fff" for ch in token):
        return False
    return word_class(token) in ("n", "g", "")


def apply_swap(items: list, swap: Swap) -> list:
    """``items`` with the two ranges of ``swap`` exchanged."""
    (a0, a1), (b0, b1) = swap
    return items[:a0] + items[b0:b1] + items[a1:b0] + items[a0:a1] + items[b1:]
