"""What a token can be in a keyword: its word class, from jieba's dictionary tags.

A keyword is a noun, a name, a term, a verb used as a noun, or an opinion word; never an
adverb, pronoun, conjunction, preposition, particle, numeral, measure word, time or place
word, a number with a unit, nor a common verb (:func:`common_predicates`), and a word naming
the text's genre or method (GENRE_WORDS: 研究, 对照组) only inside a phrase. Dictionary words
take the tag jieba's ``dict.txt`` gives them (what ``jieba.posseg`` uses for dictionary
words), looked up only for the distinct tokens met, in a SQLite copy of the table cached in
the user's cache directory. Words the segmenter invents (not in the dictionary) count as
nouns: unknown names and terms.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import re
import sqlite3
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from textkit.errors import ResourceError
from textkit.io.resources import jieba_data_path
from textkit.text.idf import NON_WORD, LazyTable


def _words(listed: str) -> frozenset[str]:
    return frozenset(listed.split())


# Word classes. WORD and HEAD, the largest, are the keywords alone and what a suffix may
# follow (ALONE, ENDS compare with them); the smaller ones differ in where they may stand.
BOUNDARY = 0  # never part of a keyword: it ends the run of words around it
AFFIX = 1  # a suffix (型, 式, 者; 段, 口): a phrase's end after a content word, never its start
MODIFIER = 2  # only inside a phrase, before its head (adverbs, places: 快速测定, 南方红豆杉)
SUFFIX = 3  # as MODIFIER, and a phrase's end after a content word (度, 苷: 可靠度, 芍药苷)
COMMON = 4  # as MODIFIER, and the end of a two-word phrase after a noun (增长: 经济增长)
PART = 5  # as MODIFIER, and a phrase's end after a noun, never alone (研究, 设计: 优化设计)
WORD = 6  # a keyword alone, a phrase's modifier, or its end after a noun (verbs, adjectives)
HEAD = 7  # a keyword alone or a phrase's end (nouns, names, terms, nominal verbs)
# A complaint or praise of a degree word and an adjective (太慢, 挺好吃, 超咸): as PART, and
# a keyword alone at OPINION_WEIGHT of its weight, after every content word of its text.
OPINION = 8
CLASSES = 9
OPINION_WEIGHT = 0.05
# How such a word starts (a degree word; 不太 for 不太好). Not 最, 真, 特: they start
# superlatives of titles (最爱, 最怕) and phrases (真不知道, 真服了) more than complaints.
DEGREE_STARTS = ("不太", "太", "很", "挺", "超", "好", "巨", "贼", "蛮", "忒")
# Whether a phrase may end on a token of class ``last`` right after one of class
# ``previous`` (ENDS[previous][last]): on a head; on a verb or adjective that follows a
# noun (a nominal compound such as 数据挖掘, an opinion on a thing such as 价格便宜); on a
# suffix or rare morpheme that follows a content word.
ENDS = tuple(
    tuple(
        last == HEAD
        or (last in (WORD, PART, COMMON, OPINION) and previous == HEAD)
        or (last in (SUFFIX, AFFIX) and previous >= WORD)
        for last in range(CLASSES)
    )
    for previous in range(CLASSES)
)
# Whether a token of each class is a keyword candidate on its own.
ALONE = tuple(kind >= WORD for kind in range(CLASSES))
# Whether a phrase may start on a token of each class: a suffix belongs to the word before
# it (It(o)型随机微分方程 holds no keyword 型随机微分方程).
STARTS = tuple(kind not in (BOUNDARY, AFFIX) for kind in range(CLASSES))

# jieba tags (ICTCLAS): d adverb, r pronoun, c conjunction, p preposition, u particle,
# y modal particle, e interjection, o onomatopoeia, m numeral, q measure word, f locality,
# t time word, k suffix, h prefix, x non-word (and rare characters), and their "-g"
# morphemes. A keyword is never one of these alone; some may stand inside one.
FUNCTION_TAGS = _words("dg df r rr rz rg c p u uj ul uz ud ug uv y e o m mq mg q t tg h")
# Time words (t) that name a dynasty or a geological period are topics of history and
# geology texts, so nouns: 清代, 北宋, 先秦, 中生代, 侏罗纪 (not 今天, 现代, 本世纪).
PERIOD = re.compile(
    r"^(?:[夏商周秦汉晋隋唐宋元明清辽金][代朝]|[东西南北][汉晋宋魏周齐]|先秦|秦汉|魏晋|隋唐|明清"
    r"|宋元|唐宋|[古中新太元]生代|(?:三叠|二叠|侏罗|志留|泥盆|第四|震旦|白垩|寒武|奥陶|石炭)纪)$"
)
HEAD_TAGS = _words("n nr nrt nrfg ns nt nz ng nw vn an j l s g eng")
# Idioms (jieba tag i: 物超所值, 敢爱敢恨, 不敢恭维) describe rather than name: never alone,
# but they may end a phrase after a noun. jieba tags some terms i too: those of three
# characters (无花果, 脑卒中) and those of four or more cut into words of two or more
# characters, one of them a noun (数据共享, 招生简章: NOUN_IDIOMS) stay keywords.
IDIOM_TAGS = _words("i")
_NOUN_IDIOM_DATA = Path(__file__).resolve().parent.parent / "data" / "noun_idioms.txt"
# One-character nouns that end nouns (膜, 粉, 机, 船): after a noun said once they end it
# (钢化膜, 螺蛳粉, 渔政船: candidates._pairs_said_once). Shipped in data/noun_heads.txt.
NOUN_HEAD_SHARE = 0.3
# ... but not what mostly follows a noun as a second thing: its amount (午餐量), a change
# (冰淇淋化了), oil and salt (盒子油), a person (小哥人很好), an edition (周迅版: the name
# says it).
NOT_NOUN_HEADS = frozenset("量化油盐人版")
_NOUN_HEAD_DATA = Path(__file__).resolve().parent.parent / "data" / "noun_heads.txt"
WORD_TAGS = _words("v vi vq vg a ag b z")
MODIFIER_TAGS = _words("ad vd d f")
AFFIX_TAGS = _words("k")
SUFFIX_TAGS = _words("x zg")
# Frequent words without a topic of their own, which jieba tags as content words or which
# slip through its tags: verbs of thinking, saying and having, light and modal verbs,
# degree and quantity words, discourse words and generic nouns.
# fmt: off
GENERIC_WORDS = _words(
    """
觉得 感觉 认为 以为 知道 希望 想要 感到 看来 看到 看看 发现 记得 表示
告诉 听说 估计 相信 打算 是 有 没有 没 能 能够 可以 可能 应该 需要 会
要 得 进行 使用 做 弄 搞 给 让 用 出现 存在 具有 来 去 到 成为
变得 开始 继续 还有 只有 就是 还是 算是 不能 不会 不要 不用 不是 不了
不到 不够 一下 一样 这样 那样 怎样 怎么样 这么 那么 多么 有点 有些
一点 一些 好多 很多 许多 太多 更多 非常 比较 特别 十分 超级 相当 真的
确实 实在 其实 一直 已经 马上 终于 然后 后来 总是 一般 本人 人家 大家
自己 别人 个人 人们 东西 时候 事情 地方 方面 情况 样子 问题 这次 那次
下次 每次 上次 一次 第一次 谢谢 感谢 麻烦 哈哈 呵呵 嗯 好的 的话 而已
左右 以上 以下 之一 等等 不想 只能 只好 算了 差点 差点儿 整整 正好 基本 基本上 像是 好像
是不是 能不能 要不要 再也不会 小时 分钟 钟头 时间 暨 采用 详情请 详见 请问
块钱 回事 一段时间 不用说 下回 根本 全都 全部都是 不怎么 不怎么样 没什么 要死 平起 方法 探析
浅析 简要 探讨 论文 综述 本文 现状
目的 结论 结果表明 结果显示 研究进展 研究成果 计算结果 实验结果 本研究 文章 文中 笔者
阐述 论述 概述 浅谈 探究 给出 旨在 展望 启示 回顾 总结 思考 深入分析 综上所述 国内外
利用 运用 借鉴 选取 还好 足足 貌似 不错 略有 重新 无法 最好 没想到 预计 说好 一大 更何况 不同
很大 很小 很少 很快 很早 太巧 最差 最全 问问 试试
半小时 一小时 半个小时 几块钱 十块钱 块儿 百分之 说实话 说真的 老实说 拜拜 尼玛 看起来 看上去
表明 好意思 不好意思 此基础 干什么 怎么回事 那么回事 需不需要 受得了 受不了 好歹 没人 好不容易
差不多 你好 欢迎您 可想而知 没关系 怎样才能 想不到 绝不会 无意间 长时间 好不好
公认 优于 来源于 配有 比起 应有 亟待 万幸 幸好 有意思 有史以来 至极 看吧 不管怎么 安安静静
严重危害 点儿 合计 手上 新任 直属 实际 想象 能耐 依旧 心情 下咽 相差 清清楚楚 再现
比较忙 忽略不计 看清 好坏 不发火 拿在手上 叙述 弄清 最强 落实 谨防 升至 神奇 布满
当今世界 实质 详细分析 祝您 特地 还给 看不到 明白 相符 个人感觉 前两天 没多久 今天上午 一共
一帮人 一干二净 啊啊啊 揭晓 证实 展现 端详 转折 事关全局 采取有效 新思路 玩意 总体 意思 总算
事儿 水准 最起码 不止一次 无故 专门 现状及
亮相 现身 上演 打造 携手 联手 拉开 揭开 重回 逼近 开设 追逐 饱受 身陷 卷入 争相 尚需 莫让
力促 引出 正酣 助阵 出席 登场 出炉 来袭 迎来 助力 再现 重现 惊现 遭遇 面临 曝光 热议 亮出
店里 手里 大伙 前几次 当中
"""
)
# fmt: on
# Complaints the dictionary lists with a frequency too high for function_compounds: too
# small, heavy, long a wait, dear (class OPINION, as 太慢 and 太差).
DEGREE_COMPLAINTS = _words("太小 太重 太久 太贵")
# A determiner and a one-character place or body (本市, 我国, 该校, 全省, 各地): jieba tags
# some of them nouns, but they point at a place the text names elsewhere, or at everywhere.
DEICTIC_WORDS = frozenset(
    d + n for d in "本该我此全各每" for n in "国省市县区镇乡村地校院所厂店台网站刊报"
)
# Pieces of longer expressions jieba's dictionary lists as nouns (时说, 机上, 买辆, 型基金,
# 符合国家, 一辆车), from the same reading as MISTAGGED_ADVERBS: no keywords.
DICTIONARY_PIECES = _words(
    "一剑 一辆车 一颗颗 上学时 为数 之谜 买辆 人理 仇得报 博会 卷上 啥意思 场场 型基金 多长 "
    "夫人道 我会 我心 房出租 指指 时会 时说 机上 符合国家 论我国 证书及 道坎 首场 首歌"
)
GENERIC_WORDS = GENERIC_WORDS | DEICTIC_WORDS | DICTIONARY_PIECES
# Words that name a text's genre, its method or its parts rather than its topic (a study,
# its design, its control group; a review): in a phrase they name a thing (优化设计,
# 对照组患者), alone they name nothing.
GENRE_WORDS = _words(
    "研究 分析 设计 理论 试验 实验 调查 临床 对照组 实验组 试验组 观察组 治疗组 意义 资料 "
    "视角 思路 验证 评价 评论 点评 进展 推导 内容 重点 途径 归纳 "
    # A clinical study's outcome words: every trial has them (肝硬化患者 and 治愈率 of a
    # named illness stay phrases).
    "患者 疗效 临床疗效 有效率 总有效率 治愈 治愈率 统计学 "
    # A news item's kind, as headlines label it (图文：..., ...(附图), 独家对话): 预告片 and
    # 技术前瞻 stay phrases.
    "图文 组图 附图 多图 图解 快讯 短讯 简讯 详讯 实录 预告 揭秘 盘点 解读 专访 独家 "
    "前瞻 直击 全文 一览 十大 消息 现场 真相 "
    # An experience, as reviews and ads say it (超爽体验): 用户体验 and 购物体验 stay phrases.
    "体验 "
    # Words that qualify a thing rather than name it (结构特点, 普通钢筋, 房地产发展趋势).
    "特点 普通 发展趋势 "
    # A text's advice, its measure or its whole (政策建议, 评估办法, 影响程度, 整体上市).
    "建议 办法 程度 整体 "
    # Reasons, courses and directions (产生原因, 发展历程, 研究方向).
    "原因 理由 历程 方向 "
    # Factors, levels, parts and kinds (影响因素, 政策层面, 肥肉部分, 主体结构).
    "因素 层面 主体 种类 切入点 要点 部分"
)
# Heads too general to name a thing alone, which end a phrase after any content word as a
# suffix does: 送餐人员, 戒毒人员, 盈利能力, 纠错能力.
GENERIC_HEADS = _words("人员 能力")
# English words of the same kind (an abstract written in English), compared lower-cased;
# and English adverbs (-ly) and participles (-ed), which only modify a head inside a phrase.
ENGLISH_GENRE_WORDS = _words(
    "approach approaches method methods study studies paper review analysis issue issues "
    "problem problems result basic proposed novel"
)
ENGLISH_MODIFIER = re.compile(r"^[a-z]{2,}(?:[aelount]ly|[dsr]ly|[^e]ed)$")
# Units written alone (a number with its unit is NUMBER_LIKE), compared lower-cased.
UNITS = _words("nm μm um mm cm dm km mg kg ml μl min hz khz mhz ghz pa kpa mpa mol kv kw mw db ppm")
# Areas and volumes, compared as written: m2 is a unit, M2 a product.
POWER_UNITS = _words("m2 m3 cm2 cm3 mm2 mm3 km2 dm3")

# Verbs and distinguishing adjectives (b: 整个, 新型) of two or more characters, too common
# to name a topic alone: those in jieba's IDF table below COMMON_IDF (变成, 起来, 收到,
# 得出), and negated verbs (不行, 不靠, 没见). They still stand inside a phrase, before its
# head, and a verb ends one after a noun (经济增长). Opinion adjectives (干净, 便宜) and less
# common verbs (配送, 退款, 减震) stay keywords.
COMMON_IDF = 7.0
COMMON_TAGS = _words("v vi vq vg b")
# How a market moves is a finance headline's news (沪指震荡回升, 股东减持): these common verbs
# are keywords alone, as rarer verbs are.
MARKET_VERBS = _words(
    "上涨 下跌 回调 反弹 回升 回落 走强 攀升 下行 上行 上扬 涨停 震荡 减持 增发 走高 升值 加息"
)
# Adjectives likewise, below COMMON_ADJECTIVE_IDF (重要, 明显, 简单, 容易) or negated (不通,
# 不满): rarer opinion adjectives (干净, 便宜, 好吃) stay keywords.
COMMON_ADJECTIVE_IDF = 6.0
COMMON_ADJECTIVE_TAGS = _words("a")
_COMMON_DATA = Path(__file__).resolve().parent.parent / "data" / "common_predicates.txt"

# Rare dictionary entries that are a function word plus a word: a degree adverb, negation
# or pronoun before a verb or adjective (太慢, 挺不错, 绝不能, 那明明); a verb followed by a
# particle, pronoun, preposition or direction (依赖于, 千万别, 懂吗, 看得, 送过来); a verb, 不
# and its result (擦不掉); a one-character verb and its result (粘上). Found by cutting the
# entry as jieba would without it (derive_function_compounds), shipped in
# data/function_compounds.txt. Those that start with a function word may still end a
# phrase after a noun (速度太慢), as PART; the others are boundaries.
COMPOUND_MAX_FREQ = 5  # jieba dictionary frequency: entries this rare or rarer
COMPOUND_KEEP_TAGS = _words("nr nrt nrfg ns nt nz")  # names stay names, unless ...
COMPOUND_START_TAGS = _words("d r rr rz p c")
# ... they start with a degree word, which is no surname (太大 and 太少 are tagged ns, nr).
COMPOUND_DEGREE = _words("太 很 挺 最 极 真 够")
COMPOUND_END_TAGS = _words("u uj ul uz ud ug y")
ADVERB_TAGS = _words("d dg")
# A pronoun last: a verb and its object (千万别, 发给你), unless the word is a noun (插图本).
COMPOUND_END_PRONOUN_TAGS = _words("r rr rz")
COMPOUND_END_CHARS = _words("于 给 在 向 往 自")  # prepositions after a verb (比 is no end)
COMPOUND_MIDDLE = _words("不 了 着 得")
COMPOUND_DIRECTIONS = _words(
    "来 去 过来 过去 出来 出去 上来 上去 下来 下去 回来 回去 起来 进来 进去 开来"
)
# A one-character verb and its result (粘上, 修好, 用光, 扯断): a clause, not a name.
COMPOUND_RESULTS = _words("上 下 起 开 走 掉 住 完 到 成 好 坏 光 断")
COMPOUND_NOUN_TAGS = _words("n ng nw vn an j l s g")
# Adverbs of manner and degree that jieba's dictionary lists with a verb as one entry
# (大幅提高, 明显提高, 积极参与, 认真学习): how something is done, not a topic. Not 密切 or 主动,
# which start terms (密切接触, 主动防御).
MANNER_ADVERBS = _words(
    "大幅 明显 显著 不断 逐步 稳步 积极 认真 充分 迅速 顺利 难以 毫不 紧紧 尽量 尽快 大力 大大 "
    "进一步 切实 有效 普遍 广泛 高度 坚决 深入 彻底 及时 努力 全力 大幅度"
)
MANNER_VERB_TAGS = _words("v vd vi")
MANNER_KEEP_TAGS = _words("n ng nz vn")  # an entry the dictionary calls a noun (高度表) stays one
_MANNER_STARTS = tuple(MANNER_ADVERBS)
_COMPOUND_DATA = Path(__file__).resolve().parent.parent / "data" / "function_compounds.txt"

# A two-character word that starts with a unit of time or count, right after a number, is
# mostly the segmenter's mistake: 7天才到 (7 days, only then), 3日出成绩 (out on the 3rd),
# 3天后 (3 days later), 5日本报讯 (on the 5th, this paper): no keyword there. Money, pay
# and eras are counted in words of their own (384日元, 15万年薪, 30时代).
NUMERAL_CHARS = frozenset("0123456789０１２３４５６７８９一二三四五六七八九十两几半百千万")
UNIT_CHARS = frozenset("天日年月周个次号时点分秒岁")
COUNTED_WORDS = _words("日元 年薪 月薪 日薪 时代 年代 时差")


def blank_after_numbers(
    tokens: Sequence[str], joins: Sequence[str | None], classes: list[int]
) -> list[int]:
    """``classes``, changed in place: each two-character word that starts with a unit
    character and follows a number directly (``joins``: "" for no space between) set to
    BOUNDARY."""
    for i in range(1, len(tokens)):
        token = tokens[i]
        if (
            len(token) == 2
            and token[0] in UNIT_CHARS
            and joins[i] == ""
            and tokens[i - 1][-1:] in NUMERAL_CHARS
            and token not in COUNTED_WORDS
        ):
            classes[i] = BOUNDARY
    return classes


# A number, alone or with a unit or suffix: 3000, 80G, 1g, 9%, 2.5kg, 667m2, 3.0版, 10元, 5个.
NUMBER_LIKE = re.compile(r"^[\d.,:/+\-~%‰°]+[A-Za-z%‰°℃㎡]{0,3}[23²³]?[\u4e00-\u9fff]?$")

_CACHE_VERSION = 2


class LazyTags(LazyTable[str]):
    """jieba's ``dict.txt`` tags in a SQLite cache (table ``tags``: word, tag)."""

    TABLE = "tags"
    COLUMN = "tag"


# An invented word (not in the dictionary) that starts or ends with a character whose own
# tag is one of these is a piece of a phrase glued by the segmenter (太咸, 没迟, 汤里, 点多),
# not a new word.
GLUE_START_TAGS = _words("d dg r rr rz c p u uj ul uz ud ug uv y e m mq zg")
GLUE_END_TAGS = _words("d dg r rr rz c p u uj ul uz ud ug uv y e f zg")


# ... or with a negation or degree word that jieba tags as a verb or name (没迟, 超慢, 巨咸),
# a modal or existential verb (有个, 会腻, 可享, 要扮, 能配) or a measure word (个市, 个赞);
# or ending in one that follows a verb or adjective (送个, 买个, 快些, 淡些).
GLUE_START_CHARS = frozenset("没超巨贼有会要能可个")
GLUE_END_CHARS = frozenset("个些")
# 全 (all) before a verb or adjective (全是, 全洒, 全凉; not 全瓷), and a doubled verb,
# adjective or adverb (差差, 赞赞; not the name 慧慧) are glued too.
GLUE_PREDICATE_TAGS = _words("v vg vd vi a ag ad d")
# An invented word of three or more characters with one of these inside is a clause: a
# verb and its result (放得下; 咬不动 and 充不进 are complaints: is_opinion), an aspect
# (吃了饭), a place (居在售); 太 is left out: it is inside names (黄太吉) as often as in 放太多.
GLUE_MIDDLE_CHARS = frozenset("不了着得在")


# Common surnames whose own dictionary tag is a glue tag (jieba tags 刘, 孙 and 谭 zg): a
# word they start is left to the name model (刘烨, 孙祥), not called glued.
GLUE_SURNAMES = frozenset("刘孙谭")
# jieba tags 卷 and 丝 numerals (m), like the units that glue after a number (点半, 日起):
# they start nouns (卷饼, 丝袜). And 底 (a bottom, a base) ends nouns (汤底, 锅底), unlike
# the other localities (汤里, 桌上).
GLUE_START_EXCEPT = frozenset("卷丝")
GLUE_END_EXCEPT = frozenset("底")
# jieba tags many one-character nouns zg (a morpheme), like the particles and adverbs glue
# is made of; after a noun they end a noun (骨棒, 贡丸, 肉块, 豪车, 涡度), not glue (餐员
# of 送餐员 stays glue: 员 is no such noun).
NOUN_TAGS = _words("n ng nz")
NOUN_MORPHEMES = frozenset("车物土块件度组轮糖剂园症棒丸湾村厂炉井棍奶鸟拳")
_NO_GLUE_STARTS = GLUE_SURNAMES | GLUE_START_EXCEPT


def is_glued(word: str, first_tag: str | None, last_tag: str | None) -> bool:
    """Whether an invented ``word`` with these first- and last-character tags is glued."""
    # A rare morpheme last ends given names as often as glue (刘玉栋, 周迅): a word of two or
    # three characters starting with a surname is left to the name model.
    name_like = len(word) in (2, 3) and (first_tag == "nr" or word[0] in GLUE_SURNAMES)
    return (
        (first_tag in GLUE_START_TAGS and word[:1] not in _NO_GLUE_STARTS)
        or (
            last_tag in GLUE_END_TAGS
            and not (name_like and last_tag == "zg")
            and not (last_tag == "zg" and first_tag in NOUN_TAGS and word[-1] in NOUN_MORPHEMES)
            and word[-1:] not in GLUE_END_EXCEPT
        )
        or word[:1] in GLUE_START_CHARS
        or word[-1:] in GLUE_END_CHARS
        or (len(word) == 2 and word[0] == "全" and last_tag in GLUE_PREDICATE_TAGS)
        or (len(word) == 2 and word[0] == word[1] and first_tag in GLUE_PREDICATE_TAGS)
        or not GLUE_MIDDLE_CHARS.isdisjoint(word[1:-1])
    )


# A two-character invented word made of a noun or adjective and a verb is a subject and
# its predicate (汤洒, 黄焖, 面坨), not a name, whatever the name model says. 超 ends league
# names and given names (乒超, 张超) more often than clauses, and 排 (a cutlet) ends dishes
# (鸡排, 大排).
CLAUSE_START_TAGS = _words("n a")
CLAUSE_END_TAGS = _words("v")
CLAUSE_END_EXCEPT = frozenset("超排")


# Tastes and textures that jieba's dictionary tags as a place, a noun or a verb (咸 ns,
# 辣 n, 腻 v, 松 v, 热 n, 响 zg): after a degree word they are adjectives (太咸, 很辣, 太油,
# 太松, 太响).
MISTAGGED_ADJECTIVES = frozenset("咸辣油腻酸烂凉干粘香松热亮响鲜")


# Opinion words: adjectives by their dictionary tag, a few verbs of liking and judging,
# and two-character verbs of 好 or 难 (好吃, 难用).
OPINION_TAGS = _words("a ad an ag z")
OPINION_VERBS = _words("满意 喜欢 失望 值得 划算 放心 后悔 推荐 合适 习惯 到位")
# 不 and an opinion word of two or more characters, cut apart by the segmenter, are one
# complaint (不流畅, 不方便, 不好吃: negation.join_negated_opinions); a one-character
# adjective after 不 is too often part of something else (不全懂, 不裸捐).
NEGATED_OPINION_START = "不"
# ... but "not easy, not simple, not ordinary" praise or describe (配送人员也不容易).
NOT_NEGATED_OPINIONS = _words("容易 简单 一般 寻常 平常")


def is_opinion_word(token: str, tag: str | None) -> bool:
    """Whether ``token`` (dictionary tag ``tag``) is an opinion word (see OPINION_TAGS)."""
    if tag in OPINION_TAGS or token in OPINION_VERBS or token in DEGREE_COMPLAINTS:
        return True
    return tag is not None and tag[:1] == "v" and len(token) == 2 and token[0] in "好难"


def is_negated_opinion(word: str) -> bool:
    """Whether ``word`` is 不 and an opinion word of two or more characters (不流畅)."""
    rest = word[1:]
    return (
        word.startswith(NEGATED_OPINION_START)
        and len(rest) >= 2
        and rest not in NOT_NEGATED_OPINIONS
        and is_opinion_word(rest, _shared_tags().get(rest))
    )


def is_opinion(word: str, first_tag: str | None, last_tag: str | None) -> bool:
    """Whether an invented ``word`` is a degree word and an adjective (超慢, 很差, 好快,
    太咸), 不 and an opinion word (不流畅), or a verb that cannot reach its result (充不上,
    贴不稳, 咬不动; not a question such as 行不行): a complaint or praise (class OPINION),
    not glue."""
    if len(word) == 3 and word[1] == "不" and word[0] != word[2] and first_tag in ("v", "vg"):
        return True
    if len(word) >= 3 and is_negated_opinion(word):
        return True
    return (
        2 <= len(word) <= 3
        and word.startswith(DEGREE_STARTS)
        and (last_tag in ("a", "ag") or word[-1] in MISTAGGED_ADJECTIVES)
    )


def invented_class(
    word: str, first_tag: str | None, last_tag: str | None, stopwords: frozenset[str] | set[str]
) -> int:
    """The class of a Chinese ``word`` the dictionary lacks, whose first and last
    characters have these tags: OPINION (超慢), BOUNDARY if glued (太咸了's 太咸 is one of
    these: an adverb glued to a place), else word_class's."""
    if is_opinion(word, first_tag, last_tag):
        return OPINION
    if is_glued(word, first_tag, last_tag):
        return BOUNDARY
    return word_class(word, None, stopwords)


def is_clause_piece(word: str, first_tag: str | None, last_tag: str | None) -> bool:
    """Whether an invented ``word`` with these first- and last-character tags is a piece
    of a clause rather than a name (see CLAUSE_START_TAGS)."""
    return (
        len(word) == 2
        and first_tag in CLAUSE_START_TAGS
        and last_tag in CLAUSE_END_TAGS
        and word[1] not in CLAUSE_END_EXCEPT
    )


def is_once_piece(word: str, first_tag: str | None, last_tag: str | None) -> bool:
    """Whether an invented two-character ``word`` that reads as no name is a piece even in
    a headline, where such a word said once still counts (names.SHORT_ONCE_WEIGHT): a
    clause piece, a noun and its adjective (皮薄, 菜少), or a measure word and a verb or
    adjective (口松 of 充电口松了, 米长 of 20米长; not 套机). Names are not judged by it:
    张 is a measure word and a surname."""
    return (
        is_clause_piece(word, first_tag, last_tag)
        or (first_tag in ("n", "q") and last_tag == "a")
        or (first_tag == "q" and last_tag == "v")
    )


def is_clause(word: str, first_tag: str | None, last_tag: str | None) -> bool:
    """Whether an invented two-character ``word`` is a noun and its verb or adjective
    (汤洒, 量少, 汤全): a clause, not a word, however often a collection says it. An
    adjective and a verb is often a word (差评, 好用)."""
    return (
        len(word) == 2
        and first_tag == "n"
        and last_tag in ("v", "a")
        and word[1] not in CLAUSE_END_EXCEPT
    )


def _is_verb_complement(word: str) -> bool:
    """Whether a two-character verb is a verb and its direction (送来, 离去) or a verb
    and its result (拿到, 发给, 买下, 遇上): the first character a verb itself, so that
    迟到 (being late: 迟 is an adjective) stays a word."""
    if word[1] in "来去":
        return True
    return word[1] in "到给下上" and (_shared_tags().get(word[0]) or "").startswith("v")


# jieba's dictionary tags some places as adverbs, measure words or time words (大连 and 也门
# d, 马里 q, 当阳 t); their own entries with one of these suffixes say they are places
# (大连市, 也门共和国).
PLACE_SUFFIXES = ("市", "省", "县", "州", "共和国", "王国")
MISTAGGED_PLACE_TAGS = _words("d q t")


# Nouns jieba's dictionary tags as adverbs, numerals, pronouns, conjunctions, prepositions,
# measure or time words, after a rare sense or a slip of its source corpus (相机 d, from
# 相机行事; 大米 and 少年 m; 本科 r; 假说 c; 凭据 p; 美方 q; 周恩来, 春节, 妊娠期 t).
# The tag table reads them as nouns (two of them as verbal nouns), so they can be keywords.
# fmt: off
MISTAGGED_NOUNS = _words(
    """
相机 首都 正门 差别 好处 难度 比分 首相 果实 尽头 终点 批次 大将 进度 难点
胡须 活佛 真经 极点 初衷 长相 大便 据点 长处 单于 相声 小偷 随笔 满分 足底
痛经 绝经 难处 白须 大牢 大佛 霍乱 越剧 绝活 撒旦 快门 刚度 故都 真身 小旦
立面 频次 正剧 凡例 猛将 悍将 偏将 轮次 暗门 从句 初速 预后 怪相 牢度 快嘴
马步 正旦 大自然 自由度 立体声 如来佛 远地点 一体机 多面手 大块头 小不点
随意性 原则性 及时性 即时性 实际性 仿真机 少年 左手 大米 层次 左派 绝招
大个子 片名 少儿 良种 左眼 绝句 片段 终点站 美名 美餐 便条 便盆 美声 左轮
片尾 左声道 终点线 本科 前身 因果 假面 假说 总管 所有者 凭据 借据 根由 美方
马列 元首 青年 童年 晚年 春节 元旦 国庆节 国庆 圣诞节 圣诞 中秋节 中秋
端午节 端午 清明节 元宵节 元宵 七夕 除夕 感恩节 泼水节 开斋节 青年节 暑假
暑期 假期 节假日 双休日 青春期 更年期 妊娠期 孕期 潜伏期 孵化期 恢复期 老年期
幼儿期 怀孕期 休眠期 中暑 汛期 枯水期 无霜期 雨季 旱季 冰期 月季 圆周 生日
节日 日历 岁月 万年历 年历 月历 如来 夜宵 婚庆 婚期 忌日 诞辰日
"""
)
# fmt: on
# Adverbs jieba's dictionary tags as nouns (日益, 压根, 全力, 系统地, 竞相): read as adverbs,
# they stand before a head and are no keywords alone. Read off the nouns of the tagged
# dictionary's 6,000 most frequent entries and of the development keyword lists.
# fmt: off
MISTAGGED_ADVERBS = _words(
    """
不料 专程 专门 乘势 乘机 争相 亲身 低声 依法 借机 全力 全盘 全都 压根 原本 因故 团团
基本上 大体 大力 好象 实地 小声 小幅 层层 差点 平素 当众 当庭 方可 方才 无法 日益
时时 有点 极力 根本就是 步步 潜心 火速 照例 特地 私下 竞相 系统地 索性 统统 胡乱 起码
轮流 适才 顺势 飞速 首度 高声 纯属
"""
)
# Verbs jieba's dictionary tags as nouns (领先, 产生, 下单, 发货, 共用), from the same
# reading as MISTAGGED_ADVERBS: read as verbs, they make no pair said once with a noun
# beside them (领先天津, 生菜产生, 缺席达沃斯); alone they stay keywords, as other verbs.
# Verbs and their object that name an activity (套利, 答题, 购房) stay nouns: they head
# terms (套利交易, 答题技巧).
MISTAGGED_VERBS = _words(
    """
上场 上学 上线 上车 下单 下锅 不值 不务正业 不容 不留情 不语 专治 串谋 举例 乐意
乘车 乘飞机 书写 买房 买票 争冠 事关 事发 互通 亡国 交代 交叉 交友 交房 交权
交汇 交织 交货 交锋 产生 亮相 亲征 亲政 代唱 代言 任教 企图 伙同 会同 会审 会师
会见 会面 会餐 传世 传令 传授 传教 伤人 低头 住院 作响 作弊 作曲 作画 侍候 供气
侵吞公款 保值 保密 保底 保护环境 保胎 保证质量 信赖 倒地 借债 倾心 假摔 假装 偏向
做人 做官 做客 储存 充值 充军 充分利用 先行 入境 入学 入室 入库 入校 入监 入队
入院 共商 共生 共用 关张 关心 关机 关门 养猪 内定 内设 冒险 冲天 冲锋 净化 凝神
出力 出场 出境 出庭 出新规 出谋划策 出院 出面 分属 分房 分流 切块 划界 列席 刚订
创刊 创汇 创纪录 利用 制约 刷卡 刻画 力图 力求 办事 办厂 办学 办理 办理手续 办证
加码 动工 动弹 动手 动用 动身 化妆 区分 医治 升旗 协同 协商 卖书 卖国 卖房 卖艺
卡位 卧床 历任 历时 压制 压扁 原产 参军 参观 参赛 又名 又称 反帝 反盗版 反省
发传单 发帖 发源 发生冲突 发生爆炸 发货 发麻 取景 受限制 变味 变形 变色 变质 口服
古称 叫板 可登记 吃素 同台 同情 名列 后院起火 听闻 启程 吸取经验 吸金 吹灯 命名
品鉴 哺乳 唱响 唱戏 唱歌 唱高调 商定 商议 商量 善加利用 喝啤酒 回娘家 回家 回母校
回老家 图谋 圆梦 坐堂 坑人 坠机 坠楼 坦言 垫底 声援 声称 备货 复原 大败 失业
失学 失灵 失蹄 套牢 奴役 委托 委派 学学 学艺 守城 安胎 实事求是 审题 客串 宣告
害人 密谋 对准 对质 对阵 封顶 居首 屈服 屯兵 巡游 布置 席卷 平息 平民愤 广积粮
座谈 建房 建都 开业 开口 开店 开庭 开庭审理 开户 开机 开杆 开球 开腔 开花 弃权
弄潮 归队 当兵 当心 当过兵 形容 待产 待机 心仪 心怀 心想 心服 快速增长 思念 思索
思量 急需 总计 恋家 恭候 恭维 患病 悼念 情愿 意欲 戏水 戏称 成书 成亲 成型 成才
成灾 成群 戒严 戒备 戒毒 戒网瘾 战死 战胜 战败 打人 扫地 找对象 抄底 抒情 抓贼
投入使用 投向 投机 投稿 投身 抗病 抢银行 报案 报警 披甲 押宝 拆机 拉肚子 招婿
招架 拿货 持刀 持械 指代 指向 指点 指路 挖空 振臂 捕鲸 排队 掘金 推卸责任 摊牌
摸底 撰文 支招 收官 收市 收报 收杆 收货 放盐 效仿 效忠 救人 救国 教书 教导 散步
敲钟 整容 整理 断言 旁观 无缘 时任 晒太阳 晚点 暗想 暗指 替代 有志 有所 有数
有权 服刑 服役 服气 服药 未办理 未果 杀人 杀青 极目 构成威胁 构筑 架桥 染色 标定
校正 核实 检查指导 植树 横盘 歌唱 正确区分 正确处理 正确引导 步入 步行 死机 死难
殖民 毕业 气死 气炸 汇总 油炸 治军 泡汤 泼粪 洋化 洗菜 派兵 派息 流泪 流浪 流经
流芳 流鼻血 浪费 浪费时间 消失 涉企 涨价 淘金 淤积 混事 渡假 游历 游学 游牧 游玩
游离 滋润 滋生腐败 演戏 漠视 灌装 炮制 点菜 炼丹 炼油 烤制 照单全收 照常上班 照料
爆棚 状告 狩猎 独具 玩游戏 现存 理会 瓜分 甘心 生子 生息 生效 生气 生病 用人
用兵 用力 用餐 界定 留英 留队 瘦身 登场 登机 皱眉 盗墓 盗车 盛产 直言 直通 相间
省钱 眼见 着力 着地 知情 破格 碾压 示威抗议 祭天 祭祖 离场 离群 离队 种菜 秒杀
租地 租房 称帝 移风易俗 稳定增长 突围 立案 竞标 笼络 等候 策动 筹划 精制 精心安排
纳税 纵容 纺纱 组团 组阁 细数 经商 结盟 结缘 结识 绘制 绝食 统率 续约 维系 编印
编织 缩量 缺席 置业 老化 考虑一下 耕种 耗时 联络 肇事 肩负 胜任 脸红 自加压力
自学 自带 自掘坟墓 致力 航行 节省 节约 花钱 荷枪实弹 营业 落地 落户 落空 蓄势
行事 行使 行军 行凶 行刑 行刺 行礼 行路 补报名 表态 被判赔 被盗 被誉为 被车撞
裁员 见面 观光 解体 解码 解题 计时 计议 订票 订货 订餐 议事 议和 议政 议论 讲学
讲授 设法 设点 证实 评卷 评点 读书 读经 调味 调蓄 谎称 责令 责备 败事 贩卖人口
贴金 资助 赏赐 走路 跑步 跨平台 跳槽 跳河 跳票 踢球 身患 轻松升级 载人 输球 过境
过户 过日子 进厂 进场 进校 违纪 追星 选派 通向 通商 通气 通车 通风 造势 造林
遗漏 重创 重提 重构 重生 重置 重蹈 钉死 钻研 铺筑 错乱 问世 问道 问问 问鼎 阔别
防暑降温 防腐 降价 降息 降温 降百元 降级 限量 险遭 陪伴 随礼 难产 雄居 集中精力
集资 雪耻 露面 靠边 面世 面向 面市 面议 预料 领会 领先 领头 领悟 领教 领略 领衔
飞架 飞舞 食用 饮用 饮誉 饮酒 饿肚子 首创 驾车 骂人 骂娘 验尸 骑马 骗人 骗钱
鸣枪示警
"""
)
# fmt: on
TAG_CORRECTIONS: dict[str, str] = {
    **dict.fromkeys(MISTAGGED_NOUNS, "n"),
    **dict.fromkeys(MISTAGGED_ADVERBS, "d"),
    **dict.fromkeys(MISTAGGED_VERBS, "v"),
    **dict.fromkeys(("仿真", "立法"), "vn"),
    **dict.fromkeys(("周恩来", "弘历"), "nr"),
    "约旦": "ns",
}


def _is_mistagged_place(word: str) -> bool:
    """Whether a word with a tag in MISTAGGED_PLACE_TAGS is a place (大连, 也门)."""
    tags = _shared_tags()
    return any(tags.get(word + suffix) == "ns" for suffix in PLACE_SUFFIXES)


def word_class(token: str, tag: str | None, stopwords: frozenset[str] | set[str]) -> int:
    """The class of ``token``, whose dictionary tag is ``tag`` (None: not in the
    dictionary, a word the segmenter invented or an English word). The hashed lexicon
    caches these classes: a change here bumps hashed_lexicon.VERSION."""
    if NON_WORD.match(token) or NUMBER_LIKE.match(token):
        return BOUNDARY
    lowered = token.lower()
    if token in DEGREE_COMPLAINTS:
        return OPINION
    if lowered in stopwords or token in GENERIC_WORDS or lowered in UNITS or token in POWER_UNITS:
        return BOUNDARY
    if token in GENRE_WORDS and tag not in FUNCTION_TAGS:
        return PART
    if token in GENERIC_HEADS:
        return SUFFIX
    if tag is None or tag == "":
        if lowered in ENGLISH_GENRE_WORDS:
            return PART
        if token.islower() and ENGLISH_MODIFIER.match(token):
            return MODIFIER
        return HEAD if token.strip() else BOUNDARY
    if tag == "q" and len(token) == 1:
        return AFFIX  # a measure word ends a term (充电口, 入口段, 离群点), as a suffix does
    if tag in MISTAGGED_PLACE_TAGS and len(token) > 1 and _is_mistagged_place(token):
        return HEAD
    if tag in FUNCTION_TAGS:
        return HEAD if tag == "t" and PERIOD.match(token) else BOUNDARY
    compound = function_compounds().get(token)
    if compound is not None:
        return OPINION if compound == PART and token.startswith(DEGREE_STARTS) else compound
    if tag in HEAD_TAGS:
        return HEAD
    if tag in IDIOM_TAGS:
        return HEAD if len(token) <= 3 or token in noun_idioms() else PART
    if tag in WORD_TAGS:
        if len(token) == 2 and token[0] == token[1] and tag[0] == "v":
            return BOUNDARY  # a doubled verb: trying or doing a little (问问, 试试, 足足)
        if len(token) == 2 and tag[0] == "v" and _is_verb_complement(token):
            return MODIFIER  # a verb and its direction or result: an act, not a topic
        if (
            (tag in COMMON_TAGS or tag in COMMON_ADJECTIVE_TAGS)
            and token in common_predicates()
            and token not in MARKET_VERBS
        ):
            # A common verb still ends a two-word phrase after a noun (经济增长, 质量控制,
            # 目标跟踪; a longer one is mostly a clause: 充电桩建设加快); a common adjective
            # (明显) or a negated verb (不行) only stands inside one.
            if tag in COMMON_TAGS and token[0] not in "不没":
                return COMMON
            return MODIFIER
        # A one-character verb before a noun is mostly a verb and its object (吃饭, 点菜),
        # not a modifier: it ends the run.
        return WORD if len(token) > 1 or tag[0] != "v" else BOUNDARY
    if tag in MODIFIER_TAGS:
        return MODIFIER
    if tag in SUFFIX_TAGS:
        return SUFFIX
    if tag in AFFIX_TAGS:
        return AFFIX
    return HEAD  # a tag from a user dictionary that jieba does not list: a term


def _shipped(path: Path) -> str:
    """A data file shipped with the package."""
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:  # pragma: no cover - shipped with the package
        raise ResourceError(f"{path}: cannot read: {exc.strerror}") from None


@lru_cache(maxsize=1)
def noun_heads() -> frozenset[str]:
    """The shipped :func:`derive_noun_heads`."""
    return frozenset(_shipped(_NOUN_HEAD_DATA).split())


@lru_cache(maxsize=1)
def common_predicates() -> frozenset[str]:
    """The shipped :func:`derive_common_predicates`."""
    return frozenset(_shipped(_COMMON_DATA).split())


@lru_cache(maxsize=1)
def function_compounds() -> dict[str, int]:
    """The shipped :func:`derive_function_compounds`: word -> its class (PART or BOUNDARY)."""
    found = {}
    for line in _shipped(_COMPOUND_DATA).splitlines():
        word, _, kind = line.partition("\t")
        found[word] = PART if kind == "start" else BOUNDARY
    return found


@lru_cache(maxsize=1)
def noun_idioms() -> frozenset[str]:
    """The shipped :func:`derive_noun_idioms`."""
    return frozenset(_shipped(_NOUN_IDIOM_DATA).split())


def _dictionary() -> tuple[dict[str, int], dict[str, str], float]:
    """jieba's dictionary: each word's frequency and tag (its first entry), and the log of
    the frequencies' sum."""
    freq: dict[str, int] = {}
    tags: dict[str, str] = {}
    with open(jieba_data_path("dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) == 3 and fields[0] not in freq:
                freq[fields[0]] = int(fields[1])
                tags[fields[0]] = fields[2]
    return freq, tags, math.log(sum(freq.values()))


def derive_noun_heads(min_share: float = NOUN_HEAD_SHARE) -> list[str]:
    """The characters of :func:`noun_heads`: one-character nouns (tag n or ng) that are
    the last character of nouns in at least ``min_share`` of the dictionary's longer words
    holding them (膜 of 保鲜膜, 机 of 手机; not 成, 心, 手: mostly inside or at the start)."""
    _, tags, _ = _dictionary()
    ends: dict[str, int] = {}
    holds: dict[str, int] = {}
    for word, tag in tags.items():
        if len(word) < 2:
            continue
        for ch in set(word):
            holds[ch] = holds.get(ch, 0) + 1
        if tag.startswith("n"):
            ends[word[-1]] = ends.get(word[-1], 0) + 1
    return sorted(
        ch
        for ch, tag in tags.items()
        if len(ch) == 1
        and tag in ("n", "ng")
        and ch not in NOT_NOUN_HEADS
        and ends.get(ch, 0) >= min_share * holds.get(ch, 1)
    )


def derive_noun_idioms() -> list[str]:
    """The words of :func:`noun_idioms`: four or more characters tagged i in jieba's
    dictionary that its route cuts into words of two or more characters, one a noun."""
    freq, tags, log_total = _dictionary()
    found = []
    for word, tag in tags.items():
        if tag not in IDIOM_TAGS or len(word) < 4:
            continue
        pieces = best_split(word, freq, log_total)
        nouns = COMPOUND_NOUN_TAGS | COMPOUND_KEEP_TAGS
        if all(len(p) >= 2 for p in pieces) and any(tags.get(p) in nouns for p in pieces):
            found.append(word)
    return sorted(found)


def best_split(word: str, freq: dict[str, int], log_total: float) -> list[str]:
    """The pieces jieba's dictionary route (HMM off) would cut ``word`` into if the
    dictionary lacked it: the split of highest summed log frequency (an unknown character
    counts as frequency 1)."""
    n = len(word)
    best: list[tuple[float, list[str]]] = [(0.0, [])] + [(-math.inf, [])] * n
    for j in range(1, n + 1):
        for i in range(j):
            piece = word[i:j]
            count = freq.get(piece, 0) if piece != word else 0
            if count <= 0 and j - i > 1:
                continue
            score = best[i][0] + math.log(max(count, 1)) - log_total
            if score > best[j][0]:
                best[j] = (score, [*best[i][1], piece])
    return best[n][1]


def compound_kind(word: str, tag: str, pieces: list[str], tags: dict[str, str]) -> str | None:
    """Whether a rare dictionary ``word`` (tagged ``tag``) cut into ``pieces`` is a function
    word plus a word: "start" (a function word first), "end" (a particle, preposition or
    direction last, or 不/了/着/得 inside), or None."""
    if len(pieces) < 2:
        return None
    first, last = pieces[0], pieces[-1]
    if first in COMPOUND_DEGREE:
        return "start"
    if tag in COMPOUND_KEEP_TAGS:
        # Names stay names, unless cut into adverbs only: 真是太, 都还不 are no names.
        return "end" if all(tags.get(piece) in ADVERB_TAGS for piece in pieces) else None
    # A noun after an adverb or preposition is mostly a term (均价, 同价位), and so is a
    # phrase (l) after a two-character one (最优控制).
    if (
        tags.get(first) in COMPOUND_START_TAGS
        and tag not in COMPOUND_NOUN_TAGS - {"l"}
        and (len(first) == 1 or tag != "l")
    ):
        return "start"
    if tags.get(last) in COMPOUND_END_TAGS or last in COMPOUND_END_CHARS:
        return "end"
    if tags.get(last) in COMPOUND_END_PRONOUN_TAGS and tag not in COMPOUND_NOUN_TAGS:
        return "end"
    if last in COMPOUND_DIRECTIONS:
        return "end"
    if any(piece in COMPOUND_MIDDLE for piece in pieces[1:-1]):
        return "end"
    if len(pieces) == 2 and len(first) == 1 and tags.get(first) == "v" and last in COMPOUND_RESULTS:
        return "end"
    return None


def derive_function_compounds(max_freq: int = COMPOUND_MAX_FREQ) -> list[tuple[str, str]]:
    """The (word, kind) pairs of :func:`function_compounds`, from jieba's dictionary: rare
    entries (compound_kind), and entries of any frequency that are a manner adverb and a
    verb (大幅提高, 明显提高, 积极参与: "start")."""
    freq, tags, log_total = _dictionary()
    found = []
    for word, count in freq.items():
        if len(word) < 2 or (count > max_freq and not word.startswith(_MANNER_STARTS)):
            continue
        pieces = best_split(word, freq, log_total)
        manner = is_manner_compound(pieces, tags) and tags[word] not in MANNER_KEEP_TAGS
        if count > max_freq:
            if manner:
                found.append((word, "start"))
            continue
        kind = compound_kind(word, tags[word], pieces, tags)
        if kind is None and manner:
            kind = "start"
        if kind is not None:
            found.append((word, kind))
    return sorted(found)


def is_manner_compound(pieces: list[str], tags: dict[str, str]) -> bool:
    """Whether a dictionary entry cut into ``pieces`` is a manner adverb and a verb: jieba
    lists some as set phrases or names (大幅提高 l, 明显提高 nr), which would make them
    keywords."""
    return (
        len(pieces) == 2 and pieces[0] in MANNER_ADVERBS and tags.get(pieces[1]) in MANNER_VERB_TAGS
    )


def derive_common_predicates(max_idf: float = COMMON_IDF) -> list[str]:
    """The words of :func:`common_predicates` (verbs below ``max_idf``, adjectives below
    COMMON_ADJECTIVE_IDF, negated ones), from jieba's dictionary and IDF table
    (textkit ships them in data/common_predicates.txt, so that no run reads both)."""
    idf: dict[str, float] = {}
    with open(jieba_data_path("analyse", "idf.txt"), encoding="utf-8") as handle:
        for line in handle:
            word, _, value = line.rstrip("\n").partition(" ")
            idf[word] = float(value)
    words = []
    with open(jieba_data_path("dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            fields = line.split()
            if len(fields) < 3 or len(fields[0]) < 2:
                continue  # (a one-character verb is no keyword at all: word_class)
            word, tag = fields[0], fields[2]
            if tag in COMMON_TAGS:
                limit = max_idf
            elif tag in COMMON_ADJECTIVE_TAGS:
                limit = COMMON_ADJECTIVE_IDF
            else:
                continue
            if idf.get(word, limit) < limit or word[0] in "不没":
                words.append(word)
    return sorted(set(words))


@lru_cache(maxsize=1)
def _shared_tags() -> LazyTags:
    """One :func:`load_tags` for word_class's own look-ups: opening the table costs about
    half a millisecond, and word_class runs for every new word."""
    return load_tags()


def load_tags() -> LazyTags:
    """jieba's dictionary tags, looked up lazily (the cache is built on first use)."""
    source = jieba_data_path("dict.txt").resolve()
    try:
        info = source.stat()
    except OSError as exc:  # pragma: no cover - part of the jieba install
        raise ResourceError(f"{source}: cannot read jieba's dictionary: {exc.strerror}") from None
    corrections = hashlib.sha1(repr(sorted(TAG_CORRECTIONS.items())).encode()).hexdigest()[:12]
    key = f"{_CACHE_VERSION}|{corrections}|{source}|{info.st_size}|{info.st_mtime_ns}"
    from textkit.io.cache import cache_file

    cache = cache_file("tags", source, ".sqlite")
    tags = _open_cached(cache, key)
    if tags is None:
        _write_cached(cache, key, source)
        tags = _open_cached(cache, key)
    if tags is None:  # no writable cache: an in-memory copy
        connection = sqlite3.connect(":memory:")
        _fill(connection, key, source)
        tags = LazyTags(connection, cache, key)
    return tags


def _open_cached(cache: Path, key: str) -> LazyTags | None:
    try:
        connection = sqlite3.connect(f"file:{cache}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        stored = dict(connection.execute("SELECT name, value FROM meta").fetchall())
        if stored.get("key") == key:
            return LazyTags(connection, cache, key)
    except sqlite3.Error:
        pass
    connection.close()
    return None  # missing, stale or corrupted: rebuild


def _write_cached(cache: Path, key: str, source: Path) -> None:
    from textkit.io.cache import atomic_path

    # A cache we cannot write only costs speed.
    with contextlib.suppress(OSError, sqlite3.Error), atomic_path(cache) as tmp:
        connection = sqlite3.connect(tmp)
        try:
            _fill(connection, key, source)
        finally:
            connection.close()


def _fill(connection: sqlite3.Connection, key: str, source: Path) -> None:
    rows: dict[str, str] = {}
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3:
                rows.setdefault(parts[0], parts[2])  # a repeated word keeps its first tag
    rows.update((word, tag) for word, tag in TAG_CORRECTIONS.items() if word in rows)
    with connection:
        connection.execute("CREATE TABLE tags (word TEXT PRIMARY KEY, tag TEXT) WITHOUT ROWID")
        connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT)")
        connection.executemany("INSERT INTO tags VALUES (?, ?)", rows.items())
        connection.execute("INSERT INTO meta VALUES ('key', ?)", (key,))


def content_words(words: list[str], stopwords: frozenset[str] | set[str]) -> list[bool]:
    """Whether each word may be (part of) a keyword: not a function word, generic word,
    stopword, number or glued piece (for IDF tables built from a corpus)."""
    tags = load_tags().get_many(words, None)
    return [word_class(w, tag, stopwords) != BOUNDARY for w, tag in zip(words, tags, strict=True)]
