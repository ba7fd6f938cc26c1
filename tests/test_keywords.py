"""Keyword extraction and IDF tables: library, CLI, jieba compatibility, bad input."""

from __future__ import annotations

import json
import math
import time

import pytest
from conftest import SAMPLES, SHARED_DATA
from hypothesis import example, given, settings
from hypothesis import strategies as st

from textkit.errors import DataFormatError, ResourceError
from textkit.keywords.extractor import JIEBA_STOP_WORDS, KeywordExtractor, extract
from textkit.text import exactcut
from textkit.text.idf import build_idf, load_idf, read_idf, write_idf

THUCNEWS_DEV = SHARED_DATA / "thucnews" / "dev.txt"
TEXTS = sorted((SAMPLES / "texts").glob("*.txt"))


def _jieba_analyse():
    import jieba
    import jieba.analyse

    jieba.setLogLevel(60)
    return jieba.analyse


# -- library ------------------------------------------------------------------------------


def test_extract_phrases_and_words():
    text = (SAMPLES / "texts" / "tech.txt").read_text(encoding="utf-8")
    ten = extract(text)
    assert [w for w, _ in ten] == [
        "关键词", "词频", "神经网络", "分词", "F1", "TF-IDF", "TextRank", "抽取", "中文", "节点"
    ]  # fmt: skip
    assert ten == sorted(ten, key=lambda kw: -kw[1])
    words = [w for w, _ in extract(text, top_k=4, phrases=False)]
    assert words == ["关键词", "词频", "神经网络", "分词"]


def test_phrases_and_words_compete_in_one_ranking():
    text = (
        "图神经网络模型在推荐系统中表现突出。"
        "我们改进图神经网络模型的训练方法，推荐系统的效果提升明显。"
    )
    assert [w for w, _ in extract(text, top_k=2)] == ["图神经网络模型", "推荐系统"]
    # Before, phrases came first and words filled up: -k 1 gave 专业, -k 3 热水器 first.
    review = "这款热水器加热很快，安装师傅也很专业"
    assert [w for w, _ in extract(review, top_k=3)] == ["热水器", "加热", "师傅"]
    assert extract(review, top_k=1) == extract(review, top_k=3)[:1]


def test_noun_phrase_found_when_cut_two_ways():
    # 新能源|汽车产业 and 新能源|汽车|消费: the string occurs twice, so it is a phrase.
    text = (SAMPLES / "texts" / "news.txt").read_text(encoding="utf-8")
    found = [w for w, _ in extract(text, top_k=3)]
    assert found[0] == "新能源汽车"
    assert "新能源汽车" in [w for w, _ in extract(text, top_k=3, method="textrank")]


def test_function_words_numbers_and_fragments_are_no_keywords():
    review = "本人觉得非常好吃，一直点这家，没有比较差的，就是有点贵，3000元80G的1g 9%也没有"
    words = [w for w, _ in extract(review, top_k=0)]
    assert "好吃" in words
    for bad in ("本人", "觉得", "非常", "一直", "没有", "比较", "有点", "3000", "80G", "1g", "9%"):
        assert bad not in words
    # Boilerplate jieba's dictionary lists as a word (详情请访问 ... was ranked first).
    notice = "详情请访问 https://example.com/shop/index.html 了解，iPhone15 售价 5999 元起"
    assert "详情请" not in [w for w, _ in extract(notice, top_k=0)]
    # An invented word seen once gets no IDF of its own; seen twice it is a name.
    extractor = KeywordExtractor()
    assert "钱付" not in [w for w, _ in extractor.extract("钱付了以后一直没到", 0)]
    twice = "黄太吉的煎饼不错。黄太吉很近。"
    assert "黄太吉" in [w for w, _ in extractor.extract(twice, 0)]
    # Listed in jieba's IDF table but not in its dictionary, seen once: still a fragment.
    assert "皮薄" not in [w for w, _ in extractor.extract("皮薄馅大，真不错。", 0)]


def test_names_and_latin_words_in_short_titles_are_keywords():
    extractor = KeywordExtractor()
    for title, name in (
        ("丁雪明出任公司总经理", "丁雪明"),
        ("陈伟霆新剧开播", "陈伟霆"),
        ("GPT模型发布", "GPT"),
        ("iPhone销量下滑", "iPhone"),
    ):
        assert extractor.extract(title, 1)[0][0] == name, title


def test_names_starting_with_surnames_jieba_tags_as_morphemes():
    # jieba's dictionary tags 刘, 孙 and 谭 zg, like the glue of 很慢; as first characters
    # they are surnames, and the name model decides.
    extractor = KeywordExtractor()
    for title, name in (
        ("刘烨大婚小雨助阵 婚礼仪式中西合璧", "刘烨"),
        ("谭晶跨国华丽转身", "谭晶"),
    ):
        assert name in [w for w, _ in extractor.extract(title, 5)], title


def test_a_short_text_takes_a_name_the_model_is_less_sure_of():
    from textkit.keywords.names import MARGIN, SHORT_MARGIN, SHORT_TEXT, load_names

    margin = load_names().margin("齐秦")
    assert SHORT_MARGIN <= margin < MARGIN
    title = "齐秦揭秘和王祖贤分手内幕：一直没有勇气结婚"
    assert len(title) <= SHORT_TEXT
    longer = title + "，两人相识多年，感情经历了很多起伏，外界一直很关注"
    extractor = KeywordExtractor()
    assert extractor.extract(title, 1)[0][0] == "齐秦"
    assert "齐秦" not in [w for w, _ in extractor.extract(longer, 0)]  # said once, long
    assert [w for w, _ in extractor.extract(longer + "齐秦", 1)] == ["齐秦"]  # repeated
    # The batch path decides per document as extract() does.
    batch = [
        found[:1]
        for found in KeywordExtractor(collection_idf=False).extract_many([title, longer], 1)
    ]
    assert batch == [extractor.extract(title, 1), extractor.extract(longer, 1)]


def test_a_state_jiebas_tables_lack_does_not_rule_a_name_out():
    # 咏 is listed inside given names tagged nrfg, not nr; 谭 and 麟 are nr: still a name.
    from textkit.keywords.names import SHORT_MARGIN, load_names

    assert load_names().margin("谭咏麟") >= SHORT_MARGIN
    title = "谭咏麟发火斥曾志伟浪费食物 对方拒接电话(图)"
    assert "谭咏麟" in [w for w, _ in KeywordExtractor().extract(title, 5)]


@pytest.mark.parametrize(
    ("text", "reversed_word"),
    [
        ("菜不新鲜，米饭也凉了", "新鲜"),  # jieba tags 新鲜 a place: a noun after 不
        ("这家的饺子一点都不好吃", "好吃"),
        ("这家的饺子也不是很好吃", "好吃"),  # a degree word between
        ("外卖没那么好吃，饺子皮太厚", "好吃"),
        ("客服态度不专业，饺子皮太厚", "专业"),
        ("耳机戴着不舒服，音质一般", "舒服"),
        ("宫保鸡丁没原来好吃，饺子皮太厚", "好吃"),  # a comparison after 没
        ("肘子很香，鸡肉卷没之前的好吃", "好吃"),
        ("真没传说中的那么好吃，饺子皮太厚", "好吃"),
        ("小米不错，没失望过", "失望"),
        ("量少，不怎么好吃，太干了", "好吃"),
    ],
)
def test_a_negated_opinion_is_no_keyword(text, reversed_word):
    for found in (extract(text, top_k=0), KeywordExtractor().extract_many([text], 0)[0]):
        assert reversed_word not in [w for w, _ in found], text


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("申请了退款没退款，客服也没回复", "退款"),  # what did not happen
        ("商家不接电话，饺子皮太厚", "接电话"),  # an action
        ("这不是烙饼，是馅饼", "烙饼"),  # a noun after 不是
        ("菜不太新鲜，米饭倒是新鲜", "新鲜"),  # one occurrence not negated
        ("没有酱料干巴巴的，饺子皮太厚", "干巴巴"),  # no sign of a comparison
        ("发个评论都没发出去一直提示有敏感词汇", "敏感"),  # a verb between
    ],
)
def test_a_negated_topic_stays_a_keyword(text, topic):
    for found in (extract(text, top_k=0), KeywordExtractor().extract_many([text], 0)[0]):
        assert topic in [w for w, _ in found], text


def test_english_genre_words_adverbs_and_participles_are_no_keywords_alone():
    abstract = (
        "Full waveform inversion (FWI) is a data-fitting inverse problem. While its basic "
        "principle was proposed in the eighties, the approach has been significantly "
        "developed and computationally improved. FWI and waveform inversion are reviewed."
    )
    words = [w for w, _ in extract(abstract, top_k=0)]
    assert "FWI" in words and "waveform inversion" in words
    for generic in ("approach", "basic", "proposed", "computationally", "developed", "problem"):
        assert generic not in words, generic


def test_a_common_verb_ends_a_phrase_after_a_noun_but_is_no_keyword_alone():
    text = (
        "人力资本投资与经济增长。本文研究人力资本投资对经济增长的作用，储蓄率变成经济增长的关键。"
    )
    words = [w for w, _ in extract(text, top_k=0)]
    assert "经济增长" in words
    assert "增长" not in words and "变成" not in words
    # Only a two-word phrase: a longer one is mostly a clause.
    clause = "新能源汽车销量上升，充电桩建设加快。" * 3
    assert not [w for w, _ in extract(clause, top_k=0) if w.endswith("加快")]


def test_a_dynasty_or_geological_period_is_a_keyword_other_times_are_not():
    from textkit.keywords.lexicon import HEAD, load_tags, word_class

    tags = load_tags()
    for period in ("清代", "北宋", "先秦", "中生代", "侏罗纪"):
        assert tags.get(period) == "t" and word_class(period, "t", frozenset()) == HEAD
    text = "清代以来，科举与书院并重；到了清代，讲学风气渐变。今天亦然。"
    words = [w for w, _ in extract(text, top_k=0)]
    assert "清代" in words and "今天" not in words


def test_a_measure_word_ends_a_term_but_starts_none():
    words = [w for w, _ in extract("手机充电口松了，充电口接触不良", top_k=0)]
    assert words[0] == "充电口" and "充电" not in words
    assert not [w for w in words if w.startswith("口")]


def test_two_nouns_said_once_that_make_a_run_are_one_keyword():
    extractor = KeywordExtractor()
    texts = [
        "皮蛋瘦肉粥很好喝，送餐也快",  # one dish cut in two by the segmenter
        "皮蛋瘦肉粥很好喝，瘦肉粥就是香",  # 瘦肉粥 said again: two keywords
        "《冲突世界苏联进攻》PC独占3月上市",  # a run of four words: no pair
    ]
    lists = [[w for w, _ in extractor.extract(t, 0)] for t in texts]
    assert lists[0][0] == "皮蛋瘦肉粥" and "皮蛋" not in lists[0] and "瘦肉粥" not in lists[0]
    assert "皮蛋瘦肉粥" not in lists[1] and {"皮蛋", "瘦肉粥"} <= set(lists[1])
    assert "冲突世界" not in lists[2] and "世界苏联" not in lists[2]
    batch = KeywordExtractor(collection_idf=False).extract_many(texts * 30, 0)
    assert batch == [extractor.extract(t, 0) for t in texts * 30]


def test_a_suffix_starts_no_phrase():
    text = (
        "我们证明了It(o)型随机模糊微分方程强解的存在唯一性。"
        "对于It(o)型随机模糊微分方程，给出了解的估计。"
    )
    words = [w for w, _ in extract(text, top_k=0)]
    assert "随机模糊微分方程" in words
    assert not [w for w in words if w.startswith("型")]


def test_name_model_python_and_numpy_agree():
    from textkit.keywords.names import SHORT_MARGIN, load_names

    names = load_names()
    names_ = ["丁雪明", "陈伟霆", "黄太吉", "国乒"]
    pieces = ["钱付", "全凉", "汤儿"]
    words = [*names_, *pieces, "送餐", "美股", "一", "㐀㐁", "汤洒", "薛凯琪", "卡戴珊"]
    found = [names.is_name(w) for w in words]
    assert found == names.are_names(words)
    assert [names.margin(w) for w in words] == names.margins(words)
    assert found[:3] == [True] * 3 and found[4:7] == [False] * 3
    assert not found[3] and names.is_name("国乒", SHORT_MARGIN)  # a name in a title


def test_places_jieba_tags_as_adverbs_are_keywords():
    # jieba's dictionary tags 也门 and 大连 d, 马里 q; 也门共和国 and 大连市 are places.
    for title, place in (("媒体称基地在也门招募20余名炸机人弹", "也门"), ("马里发生政变", "马里")):
        assert place in [w for w, _ in extract(title, top_k=0)], title
    assert "大连" in [w for w, _ in extract("大连今年房价上涨，大连楼市火爆", top_k=0)]


def test_nouns_jieba_tags_as_function_words_are_keywords():
    # jieba's dictionary tags 相机 d (相机行事), 大米 m, 本科 r, 周恩来 and 国庆节 t.
    for text, noun in (
        ("这款相机拍照很清晰，相机也轻", "相机"),
        ("本店大米品质好，大米很香", "大米"),
        ("高考本科和专科可能分开考试", "本科"),
        ("周恩来总理视察大庆油田", "周恩来"),
        ("国庆节黄金周旅游火爆", "国庆节"),
        ("基于有限元仿真的结构优化", "仿真"),
    ):
        assert noun in [w for w, _ in extract(text, top_k=0)], text
    # The tag table itself reads them as nouns, for every consumer (batch path, newwords).
    from textkit.keywords.lexicon import load_tags

    assert load_tags().get_many(["相机", "本科", "周恩来", "非常"], None) == ["n", "n", "nr", "d"]


def test_names_in_a_headline_are_keywords():
    # The name model favours these names by e^1.2 to e^1.6: enough in a headline.
    for title, name in (
        ("海清转型演打女表现受质疑 回应剧本烂后悔接拍", "海清"),
        ("现场：火箭突然断电单节15分 洛瑞跨栏冲向观众席", "洛瑞"),
        # A surname and a rare morpheme (迅 is zg, a glue tag) is a name, not glue.
        ("周迅版《红高粱》取景地在这？还是明代遗世500年的古村落！", "周迅"),
        ("姚晨承认有新欢 网友态度大逆转", "姚晨"),
    ):
        assert name in [w for w, _ in extract(title, top_k=0)], title


def test_terms_with_places_adverbs_and_suffixes_inside():
    # A locality word, an adverb or a suffix stands inside a term (never alone).
    text = "南方红豆杉育苗基质试验。南方红豆杉苗木生长良好，南方红豆杉耐阴。"
    assert extract(text, top_k=1)[0][0] == "南方红豆杉"
    text = "芍药苷含量测定。芍药苷是主要成分，芍药苷稳定。"
    assert extract(text, top_k=1)[0][0] == "芍药苷"
    assert "南方" not in [w for w, _ in extract("南方的天气很热，南方", top_k=0)]


def test_links_and_markup_are_no_keywords():
    readme = (
        "# 安装说明\n\n下载地址：https://pan.baidu.com/s/1AbCd 提取码 xk7q，或访问 "
        "www.example.com/docs 以及 pan.baidu.com 网盘。问题请发邮件到 dev@example.com。\n"
        "[使用文档](docs/usage.md) <b>分词</b>&nbsp;工具支持分词和关键词抽取，分词速度很快。\n"
    )
    words = [w for w, _ in extract(readme, top_k=0)]
    assert "分词" in words
    for piece in ("https", "com", "pan", "baidu", "www", "example", "dev", "docs", "usage", "nbsp"):
        assert all(piece not in w.lower() for w in words), piece


def test_shipped_common_predicates_are_what_jieba_gives():
    from textkit.keywords.lexicon import _COMMON_DATA, derive_common_predicates

    shipped = _COMMON_DATA.read_text(encoding="utf-8")
    assert shipped == "".join(f"{word}\n" for word in derive_common_predicates())


def test_shipped_noun_heads_are_what_jieba_gives():
    from textkit.keywords.lexicon import _NOUN_HEAD_DATA, derive_noun_heads

    shipped = _NOUN_HEAD_DATA.read_text(encoding="utf-8")
    assert shipped == "".join(f"{ch}\n" for ch in derive_noun_heads())


def test_a_one_character_noun_that_ends_nouns_ends_a_pair_said_once():
    """钢化 + 膜 and 螺蛳 + 粉, said once, are one thing (钢化膜, 螺蛳粉), on both paths; not
    a character that mostly starts or sits inside words (熊乃瑾 + 成), nor an amount (量)."""
    from textkit.keywords.lexicon import noun_heads

    assert {"膜", "粉", "机", "粥"} <= noun_heads()
    assert not {"成", "心", "手", "量", "人"} & noun_heads()
    texts = [
        "钢化膜贴上去很容易，边缘有点翘",
        "螺蛳粉很好吃，汤很鲜",
        "熊乃瑾成新一代“嘟嘴女王” 清纯中不失性感",
        "一份饺子足够一人午餐量了",
    ]
    extractor = KeywordExtractor(collection_idf=False)
    found = _keywords_on_both_paths(extractor, texts, 20)
    assert found[0][0] == "钢化膜" and "钢化" not in found[0], found[0]
    assert found[1][0] == "螺蛳粉", found[1]
    assert "熊乃瑾" in found[2] and "熊乃瑾成" not in found[2], found[2]
    assert "午餐量" not in found[3], found[3]
    # With --min-len 1 the character is a candidate of its own: said twice, no pair (both paths).
    short = KeywordExtractor(collection_idf=False, min_len=1)
    twice = ["钢化膜贴上去很容易，膜很薄", *texts]
    assert short.extract_many(twice * 20, 0) == [short.extract(t, 0) for t in twice * 20]
    assert "钢化膜" not in [w for w, _ in short.extract(twice[0], 0)]


def test_two_people_side_by_side_are_no_pair():
    """A pair said once of a person and another person or a place names two things
    (谢霆锋 and 张柏芝, 陈奕迅 and 北京), and so does a new name and a noun (赵作海 and
    夫妇); a place and its university, or a transliterated given name and its surname,
    one."""
    texts = [
        "谢霆锋张柏芝为爱子代言闹矛盾当街争执",
        "陈奕迅北京个唱获李小鹏撑场",
        "天津理工大学2010年普通本科分省招生计划",
        "迈克尔杰克逊去世",
        "赵作海夫妇搞传销耗掉数万元国家赔偿款",
    ]
    extractor = KeywordExtractor(collection_idf=False)
    found = _keywords_on_both_paths(extractor, texts, 20)
    assert {"谢霆锋", "张柏芝"} <= set(found[0]) and "谢霆锋张柏芝" not in found[0], found[0]
    assert {"陈奕迅", "北京"} <= set(found[1]), found[1]
    assert "天津理工大学" in found[2], found[2]
    assert found[3] == ["迈克尔杰克逊"], found[3]
    assert "赵作海" in found[4] and "赵作海夫妇" not in found[4], found[4]  # a new name


def test_common_and_negated_verbs_are_no_keywords_alone():
    text = (
        "饿的已经不行了，送来的时候菜都凉了，比起来差远了，这家店不靠谱，从来没见过这么慢的配送。"
    )
    words = [w for w, _ in extract(text, top_k=0)]
    assert "配送" in words  # a verb that names the topic
    for common in ("不行", "起来", "不靠", "没见"):
        assert common not in words, common
    # A verb that is not common still ends a phrase after a noun.
    assert "数据挖掘" in [w for w, _ in extract("数据挖掘和数据挖掘算法。", top_k=0)]


def test_genre_words_only_inside_a_phrase():
    # 研究, 对照组, 意义 name the kind of text, not its topic: never keywords alone, while
    # 优化设计 (a design method) stays; 结果表明, 阐述, 目的 are the abstract's own words.
    text = (
        "目的 研究优化设计在桥梁设计中的应用。方法 选取对照组和观察组各30例。结果表明，"
        "优化设计使桥梁造价降低，对照组造价较高。本文阐述了优化设计的意义。研究发现优化设计有效。"
    )
    words = [w for w, _ in extract(text, top_k=0)]
    assert words[0] == "优化设计" and "桥梁" in words
    generic = {"研究", "设计", "对照组", "观察组", "意义", "结果表明", "阐述", "目的", "选取"}
    assert not generic & set(words), words
    # A review's own word: 评价 alone is no keyword of a review.
    review = "评价一下，这家的红烧肉很好吃，红烧肉分量足，评价给五星。"
    assert "评价" not in [w for w, _ in extract(review, top_k=0)]
    # 内容, 重点, 途径, 归纳 frame a text; inside a phrase they name a thing (聊天内容).
    title = "网游分级标准重点在于内容和年龄，归纳了三条途径"
    assert not {"重点", "内容", "途径", "归纳"} & {w for w, _ in extract(title, top_k=0)}
    assert "课程内容" in [w for w, _ in extract("课程内容丰富，课程内容实用", top_k=0)]
    # 人员 and 能力 name nothing alone; they end a phrase after a verb too (纠错能力).
    review = "配送人员态度很好，看起来很辛苦，味道也不错"
    words = [w for w, _ in extract(review, top_k=0)]
    assert "配送" in words and not {"人员", "看起来"} & set(words), words
    abstract = "提出一种纠错码，提高纠错能力。实验表明该码的纠错能力优于卷积码。"
    assert "纠错能力" in [w for w, _ in extract(abstract, top_k=0)]
    # m2 is a unit; M2 may be a product.
    area = "该区面积为300 m2，土壤盐渍化严重，土壤盐渍化治理难"
    assert "m2" not in [w for w, _ in extract(area, top_k=0)]
    # A trial's outcome words are no topic of it; the illness and the drug are.
    trial = (
        "目的观察补肾活血汤治疗肾病的疗效。方法 80例患者分两组。"
        "结果 治疗组总有效率及治愈率均高，疗效显著，患者满意。"
    )
    words = [w for w, _ in extract(trial, top_k=0)]
    assert "肾病" in words
    assert not {"疗效", "患者", "总有效率", "治愈率"} & set(words), words
    significant = "两组差异有统计学意义。术后差异有统计学意义，血压下降"
    assert not {"统计学意义", "统计学"} & {w for w, _ in extract(significant, top_k=0)}
    # A headline's label of the news item's kind is no topic; 预告片 is a thing.
    for headline, label in (
        ("快讯：道指攀升超过200点", "快讯"),
        ("图文：墨西哥边境城市6人遭枪杀", "图文"),
        ("郑欣宜只想瘦身不想瘦脸 只因鼻子嘴巴大(附图)", "附图"),
        ("名师揭秘：修炼成中考状元必记十个秘诀", "揭秘"),
        ("消息称Facebook接近收购Foursquare", "消息"),
        ("巴基斯坦客机坠毁现场发现5名幸存者", "现场"),
        ("制冰超爽体验 各类型制冰装置冰箱推荐", "体验"),
        ("马英九建议汉字可采取识繁体写简体方式", "建议"),
        ("华侨城整体上市渐行渐近 管理层不会有大变动", "整体"),
        ("太慢，接不了这么多单，太耽误事儿了", "事儿"),
        ("电子商务发展现状及对策", "现状及"),  # a dictionary entry (n)
        ("网游《核金风暴》亮相常州动漫节", "亮相"),  # a headline's verb of showing
        ("E3 2010《NBA精英11》游戏影像曝光", "曝光"),
        ("菜量也太少了，不到店里的一半", "店里"),
        ("盘中突然跳水，是什么原因？", "原因"),
        ("公司利润大幅提高，明显提高了效率", "大幅提高"),  # jieba: l and nr
        ("利多因素叠加 天胶或挑战新高", "因素"),  # a factor, a part: no topic alone
        ("两天暴跌近200点 部分私募减仓到六成", "部分"),
    ):
        assert label not in [w for w, _ in extract(headline, top_k=0)], headline
    assert "预告片" in [w for w, _ in extract("《黑色洛城》全新案件预告片", top_k=0)]
    review = "这家店的用户体验很好，用户体验是关键"
    assert "用户体验" in [w for w, _ in extract(review, top_k=0)]
    advice = "本文提出政策建议。政策建议包括加强农技推广"
    assert "政策建议" in [w for w, _ in extract(advice, top_k=0)]
    assert "华友世纪" in [w for w, _ in extract("华友世纪向盛大增发5.5亿股", top_k=0)]
    assert "影响因素" in [w for w, _ in extract("分析影响因素。影响因素包括价格", top_k=0)]


def test_adverbs_and_pieces_jieba_tags_as_nouns_are_no_keywords():
    # jieba's dictionary tags 全力, 日益, 压根 and 小幅 n, and lists pieces of longer
    # expressions (时会 of 适当时会, 一辆车, 买辆) as nouns.
    for text, word in (
        ("波兰正全力营救在巴基斯坦遭绑工程师", "全力"),
        ("4G技术：LTE主流优势日益明显", "日益"),
        ("送餐基本没两个小时压根吃不上！", "压根"),
        ("郑州强麦0901合约小幅上升 外盘小麦走高", "小幅"),
        ("国药称适当时会考虑回归A股", "时会"),
        ("汽车4S店每卖一辆车，他们能赚多少钱？", "一辆车"),
        ("我想买辆7万左右的车，请推荐几款省油的车", "买辆"),
    ):
        assert word not in [w for w, _ in extract(text, top_k=0)], text
    from textkit.keywords.lexicon import load_tags

    assert load_tags().get_many(["全力", "日益", "营救"], None) == ["d", "d", "v"]
    # Read as an adverb, it still stands before a head inside a phrase.
    assert "实地考察" in [w for w, _ in extract("开展实地考察。实地考察发现问题", top_k=0)]


def test_verbs_jieba_tags_as_nouns_make_no_pair_said_once():
    # jieba's dictionary tags 领先, 产生 and 缺席 n: beside a noun they were taken for
    # two nouns said once, one name cut in two (领先天津, 玩家产生).
    for text, pair, verb in (
        ("中超7队争亚冠国安占先机 领先天津9分仍不可放松", "领先天津", "领先"),
        ("任天堂公布了新的会员制度，玩家产生了新的疑惑", "玩家产生", "产生"),
        ("巴西总统卢拉突发高血压将缺席达沃斯年会", "缺席达沃斯", "缺席"),
    ):
        words = [w for w, _ in extract(text, top_k=0)]
        assert pair not in words and verb in words, (text, words)
    # A verb and its object naming an activity stays a noun and heads a term.
    words = [w for w, _ in extract("强制平仓暴露风险 套利交易并非高枕无忧", top_k=0)]
    assert "套利交易" in words, words
    # Each list corrects words jieba's dictionary tags as nouns, and no word twice.
    from textkit.keywords import lexicon

    _, tags, _ = lexicon._dictionary()
    lists = (lexicon.MISTAGGED_ADVERBS, lexicon.DICTIONARY_PIECES, lexicon.MISTAGGED_VERBS)
    assert all(tags[w] == "n" for words in lists for w in words)
    assert sum(map(len, lists + (lexicon.MISTAGGED_NOUNS,))) == len(
        frozenset().union(*lists, lexicon.MISTAGGED_NOUNS)
    )


def test_no_keyword_inside_another():
    text = (
        "相变材料的研究。定形相变材料由相变材料和支撑材料组成，"
        "定形相变材料的储热性能好，相变材料用途广，材料成本低，相变温度合适。"
    )
    words = [w for w, _ in extract(text, top_k=0)]
    assert "相变材料" in words and "相变" not in words and "材料" not in words
    assert not [(a, b) for a in words for b in words if a != b and a in b]
    # Used apart from 粮食安全 or not, 粮食 names the same thing: one of the two.
    apart = "粮食生产和粮食储备。粮食安全很重要，粮食安全是基础，粮食价格稳定。"
    assert len({"粮食", "粮食安全"} & {w for w, _ in extract(apart, top_k=5)}) == 1


OVERLAPPING = "报告1例恶性黑素瘤伴有白癜风样色素减退斑。诊断为恶性黑素瘤伴有白癜风样色素减退斑。"


def _overlaps(words: list[str]) -> list[tuple[str, str]]:
    """Pairs of keywords where the end of one (2+ characters) is the start of the other."""
    return [
        (a, b)
        for a in words
        for b in words
        if a != b
        and a not in b
        and b not in a
        and any(a[-n:] == b[:n] for n in range(2, min(len(a), len(b))))
    ]


def test_no_overlapping_phrases():
    # 黑素瘤伴有白癜风样 and 伴有白癜风样色素 are two windows on one stretch of text.
    words = [w for w, _ in extract(OVERLAPPING, top_k=0)]
    assert words and not _overlaps(words), words
    best = [w for w, _ in extract(OVERLAPPING, top_k=10)]
    assert best == words[: len(best)]


def test_distinct_skips_phrases_sharing_a_word_at_an_end():
    from textkit.keywords.diversity import distinct

    cuts = {"体育课程": ["体育"], "课程目标": ["课程"], "目标管理": ["目标"]}
    tails = {"体育课程": ["课程"], "课程目标": ["目标"], "目标管理": ["管理"]}
    ranked = [("体育课程", 3.0), ("课程目标", 2.0), ("目标管理", 1.0), ("程目", 0.5)]
    ends = lambda phrase: (cuts.get(phrase, []), tails.get(phrase, []))  # noqa: E731
    # 课程目标 starts with 体育课程's last word; 目标管理 then overlaps nothing chosen; 程目
    # shares no whole word (and is inside nothing chosen).
    assert [w for w, _ in distinct(ranked, 1, ends)] == ["体育课程", "目标管理", "程目"]
    assert [w for w, _ in distinct(ranked, 1)] == ["体育课程", "课程目标", "目标管理"]


@settings(max_examples=120, deadline=None)
@given(
    st.text(alphabet="相变材料热水器加热安装师傅专业新能源汽车的了很，。 abc12", max_size=200),
    st.integers(min_value=1, max_value=8),
    st.sampled_from(["tfidf", "textrank"]),
)
def test_property_top_k_is_a_prefix_of_any_longer_list(text, k, method):
    extractor = _extractors.setdefault(method, KeywordExtractor(method))
    longer = extractor.extract(text, 0)
    assert extractor.extract(text, k) == longer[:k]


_extractors: dict = {}


def test_long_document_path_equals_the_short_one(monkeypatch):
    """Hashed counting and piecewise tokenizing (long texts) give what the short-text path
    gives, on a text both can run."""
    import textkit.keywords.extractor as module
    from textkit.keywords import occurrences

    text = "\n".join(p.read_text(encoding="utf-8") for p in TEXTS) * 3
    extractor = KeywordExtractor()
    short = extractor.extract(text, 0)
    done = []
    monkeypatch.setattr(occurrences, "LONG_TEXT", 10)
    monkeypatch.setattr(module, "PROGRESS_CHARS", 200)
    assert extractor.extract(text, 0, progress=done.append) == short
    assert len(done) > 3 and done[-1] == len(text)


@given(
    st.text(alphabet="ab新能源车", max_size=300),
    st.lists(st.text(alphabet="ab新能源车", min_size=1, max_size=5), max_size=30),
)
def test_hashed_counts_equal_string_counts(text, phrases):
    """The long-text count (hashes looked up among the phrases') equals str counting,
    overlaps and repeated phrases included."""
    from textkit.keywords.occurrences import count_all

    assert count_all(text, phrases, long_text=0) == count_all(text, phrases, long_text=10**9)


def test_english_phrases_keep_their_space():
    text = "machine learning and deep learning; machine learning is fun"
    assert extract(text, top_k=1)[0][0] == "machine learning"


@pytest.mark.parametrize("text", ["", "   \n", "，。！？……“”", "的了是在和", "12345 3.14"])
def test_empty_punctuation_stopword_and_digit_documents(text):
    for method in ("tfidf", "textrank"):
        assert extract(text, method=method) == []


def test_textrank_weights_and_options():
    text = (SAMPLES / "texts" / "tech.txt").read_text(encoding="utf-8")
    ranked = extract(text, method="textrank")
    assert [w for w, _ in ranked][:2] == ["关键词", "神经网络"]
    assert ranked == sorted(ranked, key=lambda kw: -kw[1])
    other = extract(text, method="textrank", window=3, damping=0.5)
    assert other != ranked
    with pytest.raises(ValueError):
        KeywordExtractor("textrank", damping=1.5)
    # Near 1, PageRank needs thousands of iterations; it gets them (networkx's default
    # 1,000 used to end in PowerIterationFailedConvergence at 0.99).
    slow = extract(text, method="textrank", damping=0.99)
    assert slow and slow == sorted(slow, key=lambda kw: -kw[1])


def test_pos_filter_uses_head_tag():
    text = (SAMPLES / "texts" / "news.txt").read_text(encoding="utf-8")
    extractor = KeywordExtractor(pos=["v"], phrases=False, backend="jieba")
    tags = dict(extractor.tokenizer.cut_pos(text))
    found = extractor.extract(text)
    assert found and all(tags[w] == "v" for w, _ in found)


def test_user_dict_and_missing_user_dict(tmp_path):
    user = tmp_path / "user.txt"
    user.write_text("充电基础设施 100 n\n", encoding="utf-8")
    text = (SAMPLES / "texts" / "news.txt").read_text(encoding="utf-8")
    with_dict = KeywordExtractor(user_dict=user, phrases=False).extract(text, 0)
    assert "充电基础设施" in [w for w, _ in with_dict]
    assert "充电基础设施" not in [w for w, _ in KeywordExtractor(phrases=False).extract(text, 0)]
    with pytest.raises(ResourceError, match="not found"):
        KeywordExtractor(user_dict=tmp_path / "missing.txt").extract(text)


def test_a_user_word_weighs_what_its_pieces_weigh(tmp_path):
    user = tmp_path / "user.txt"
    user.write_text("定形相变材料 5 nz\n", encoding="utf-8")
    twice = "定形相变材料的制备。本文研究定形相变材料的导热性能与储热性能，样品稳定。"
    # Seen twice, the dictionary's pieces (定形 相变 材料) make a phrase: same weight.
    without = dict(KeywordExtractor().extract(twice, 0))
    with_dict = dict(KeywordExtractor(user_dict=user).extract(twice, 0))
    assert with_dict["定形相变材料"] == without["定形相变材料"]
    # Seen once, the word is a keyword in place of its pieces, weighed as they are.
    once = "定形相变材料的制备。本文研究相变的导热性能与储热性能，样品稳定。"
    without = dict(KeywordExtractor().extract(once, 0))
    with_dict = dict(KeywordExtractor(user_dict=user).extract(once, 0))
    assert "定形相变材料" not in without and {"定形", "材料"} <= set(without)
    assert "定形相变材料" in with_dict and not {"定形", "材料"} & set(with_dict)
    idf = load_idf().weights
    pieces = sum(idf[p] for p in ("定形", "相变", "材料"))
    # tf 1, first position: (1 + 1/sqrt(1)), three pieces: 2/3 of the sum.
    assert with_dict["定形相变材料"] == pytest.approx(pieces * 2 * 2 / 3)


def test_ten_megabyte_single_line_finishes():
    line = (SAMPLES / "texts" / "tech.txt").read_text(encoding="utf-8").strip()
    text = line * (10_000_000 // len(line.encode("utf-8")) + 1)
    start = time.perf_counter()
    found = extract(text, top_k=3)
    assert time.perf_counter() - start < 120  # linear: ~10 s here; quadratic would be hours
    assert [w for w, _ in found][0] in line


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300), st.integers(min_value=1, max_value=12))
def test_property_phrases_are_unique_and_from_the_text(text, k):
    found = extract(text, top_k=k)
    words = [w for w, _ in found]
    assert len(words) <= k and len(set(words)) == len(words)
    squeezed = "".join(text.split())
    assert all("".join(w.split()) in squeezed for w in words)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="机器学习模型数据的了，。 abcAB12-\n", max_size=120))
def test_property_textrank_and_words_never_raise(text):
    assert len(extract(text, method="textrank", top_k=5)) <= 5
    assert len(extract(text, phrases=False, top_k=5)) <= 5


# -- jieba compatibility ------------------------------------------------------------------


def test_jieba_stop_words_are_jiebas():
    from jieba.analyse.tfidf import KeywordExtractor as JiebaExtractor

    assert frozenset(JiebaExtractor.STOP_WORDS) == JIEBA_STOP_WORDS


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: p.name)
def test_jieba_compat_equals_jieba_analyse(path):
    analyse = _jieba_analyse()
    text = path.read_text(encoding="utf-8")
    tfidf = KeywordExtractor(jieba_compat=True, top_k=20)
    textrank = KeywordExtractor("textrank", jieba_compat=True, top_k=20)
    assert tfidf.extract(text) == analyse.extract_tags(text, withWeight=True)
    assert textrank.extract(text) == analyse.textrank(text, withWeight=True)
    assert tfidf.extract(text, 0) == analyse.extract_tags(text, topK=None, withWeight=True)


def test_jieba_compat_on_csl_abstracts():
    data = SHARED_DATA / "csl_kg" / "dev.tsv"
    if not data.exists():
        pytest.skip(f"{data} not found")
    analyse = _jieba_analyse()
    texts = [line.split("\t")[1] for line in data.read_text(encoding="utf-8").splitlines()[:150]]
    tfidf = KeywordExtractor(jieba_compat=True, top_k=20)
    textrank = KeywordExtractor("textrank", jieba_compat=True, top_k=20)
    for text in texts:
        assert tfidf.extract(text) == analyse.extract_tags(text, withWeight=True)
    for text in texts[:40]:
        assert textrank.extract(text) == analyse.textrank(text, withWeight=True)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="中国人民银行赞的了B超T恤卡拉OKabcXY019.-+#&_% ，。\n\t", max_size=40))
@example("卡卡卡00的")  # a tie (卡|卡卡 or 卡卡|卡) that jieba breaks over the whole block
@example("看看看2000年哈哈哈哈哈")
def test_exactcut_equals_jieba_lcut(text):
    import jieba

    jieba.setLogLevel(60)
    assert exactcut.cut(text) == jieba.lcut(text)


def test_exactcut_max_period_covers_the_dictionary():
    """No word of jieba's dictionary is a stretch longer than MAX_PERIOD repeated."""
    import re

    from textkit.text.tokenizer import _base_jieba

    power = re.compile(r"(.+?)\1+")
    periods = [
        len(m.group(1))
        for w, f in _base_jieba().FREQ.items()
        if f and len(w) > 1 and (m := power.fullmatch(w))
    ]
    assert periods and max(periods) <= exactcut.MAX_PERIOD


# Common, rare and unseen (emission-less, so tied) Han characters, and what finalseg skips.
_HMM_TEXT = st.text(alphabet="的是了赞骑哥翀龘鿐鿑鿒鿓abc19. ", min_size=1, max_size=30)


@settings(max_examples=500, deadline=None)
@given(_HMM_TEXT)
def test_exactcut_hmm_equals_jieba_finalseg(text):
    """The unrolled Viterbi: the same states and words as jieba's, ties included."""
    from jieba import finalseg

    assert list(exactcut._hmm_cut(text)) == list(finalseg.cut(text))
    han = "".join(ch for ch in text if "\u4e00" <= ch <= "\u9fd5")
    if han:
        model = (finalseg.start_P, finalseg.trans_P, finalseg.emit_P)
        assert exactcut._viterbi(han) == finalseg.viterbi(han, "BMES", *model)[1]


def test_exactcut_hmm_tie_rjieba_gets_wrong():
    import jieba

    # rjieba's own HMM splits 赞赞赞赞赞 differently from jieba's
    text = "价格实惠，赞赞赞赞赞，骑士哥也非常给力。"
    assert exactcut.cut(text) == jieba.lcut(text)


# -- IDF tables ---------------------------------------------------------------------------


def test_default_idf_table_is_cached_and_rebuilt_when_corrupt(monkeypatch, tmp_path):
    from textkit.io import cache
    from textkit.io.cache import cache_dir

    # A cache of its own: the shared one stays open in other tests' extractors.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    cache.cache_dir.cache_clear()
    fresh = load_idf()
    assert len(fresh.weights) > 200_000
    caches = list(cache_dir().glob("idf-*.sqlite"))
    assert len(caches) == 1
    assert load_idf() == fresh
    caches[0].write_bytes(b"garbage")
    assert load_idf() == fresh
    # jieba's unknown-word IDF: the median of the table
    assert fresh.unknown == sorted(fresh.weights.values())[len(fresh.weights) // 2]
    # The cached table answers lookups lazily, then wholesale, with the same values.
    lazy = load_idf().weights
    assert lazy.get("新能源") == fresh.weights["新能源"]
    assert lazy.get("不是一个词", -1.0) == -1.0 and "不是一个词" not in lazy
    assert dict(lazy.items()) == dict(fresh.weights.items())


def test_lazy_idf_get_many_is_get_for_each(monkeypatch):
    """The batch lookup answers exactly like get(), whether it queries SQLite or the
    whole table (once the batch is too big to look up word by word)."""
    words = ["新能源", "不是一个词", "的", "新能源", "人工智能", "zzzz"]
    full = load_idf().weights
    expected = [full.get(w, 7.5) for w in words]
    assert load_idf().weights.get_many(words, 7.5) == expected
    lazy = load_idf().weights
    monkeypatch.setattr(lazy, "MANY_SWITCH", 3)
    assert lazy.get_many(words, 7.5) == expected
    assert lazy._full is not None  # it switched to the whole table


def test_malformed_idf_names_the_line(tmp_path):
    bad = tmp_path / "idf.txt"
    bad.write_text("好 1.5\n\n坏\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"idf.txt:3: expected 'word idf'"):
        read_idf(bad)
    bad.write_text("", encoding="utf-8")
    with pytest.raises(DataFormatError, match="no entries"):
        read_idf(bad)


def test_cli_idf_blends_with_the_background_and_leaves_function_words_out(run, tmp_path):
    corpus = tmp_path / "reviews.txt"
    corpus.write_text("没有送到，比较慢\n没有味道\n味道不能说好\n" * 5, encoding="utf-8")
    out = tmp_path / "idf.txt"
    assert run(["idf", "--lines", corpus, "-o", out]).exit_code == 0
    table = read_idf(out).weights
    assert not {"没有", "比较", "不能"} & set(table)
    background = load_idf().weights
    # 15 documents against the background's 1,000: 味道 (in 10) moves towards its share
    # here but stays on the background's scale.
    expected = -math.log((10 + 1000 * math.exp(-background["味道"])) / (15 + 1000))
    assert table["味道"] == pytest.approx(expected, abs=1e-8)
    plain = tmp_path / "plain.txt"
    assert run(["idf", "--lines", corpus, "-o", plain, "--no-blend", "--all-words"]).exit_code == 0
    assert "没有" in read_idf(plain).weights


def test_build_idf_smoothing_and_min_df():
    table = build_idf([["猫", "狗", "，"], ["猫"], ["猫", "鱼"]], min_df=1)
    assert table["猫"] == pytest.approx(1.0)  # in every document
    assert table["狗"] == pytest.approx(1.0 + __import__("math").log(4 / 2))
    assert "，" not in table
    assert set(build_idf([["猫", "狗"], ["猫"]], min_df=2)) == {"猫"}


def test_idf_round_trip_and_jieba_parsing(tmp_path):
    import io

    table = build_idf([["新能源", "汽车"], ["新能源", "电池"], ["手机"]])
    buffer = io.StringIO()
    write_idf(table, buffer)
    path = tmp_path / "idf.txt"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    back = read_idf(path)
    assert back.weights == pytest.approx(table)
    # the parsing jieba.analyse.set_idf_path does
    for line in buffer.getvalue().splitlines():
        word, value = line.strip().split(" ")
        assert float(value) == pytest.approx(table[word])
    analyse = _jieba_analyse()
    tfidf = analyse.TFIDF(str(path))
    text = "新能源汽车和新能源电池"
    ours = KeywordExtractor(jieba_compat=True, idf=path, top_k=5).extract(text)
    assert ours == tfidf.extract_tags(text, topK=5, withWeight=True)


# -- CLI ----------------------------------------------------------------------------------

NEWS_TSV = (
    "samples/texts/news.txt\t1\t新能源汽车\t23.22\n"
    "samples/texts/news.txt\t2\t充电\t19.5067\n"
    "samples/texts/news.txt\t3\t整车企业\t16.3718\n"
)


def test_cli_keywords_tsv(run, samples, monkeypatch):
    monkeypatch.chdir(samples.parent)
    result = run(["keywords", "samples/texts/news.txt", "-k", "3"])
    assert result.exit_code == 0
    assert result.stdout == NEWS_TSV
    assert result.stderr == ""
    result = run(["keywords", "samples/texts/news.txt", "-k", "2", "--no-weights", "--header"])
    assert result.stdout == (
        "source\trank\tkeyword\nsamples/texts/news.txt\t1\t新能源汽车\nsamples/texts/news.txt\t2\t充电\n"
    )


def test_cli_keywords_jsonl_in_input_order(run, samples):
    result = run(["keywords", samples / "texts", "-k", "2", "-f", "jsonl", "--no-weights"])
    assert result.exit_code == 0
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["source"] for o in objs] == [str(p) for p in TEXTS]
    assert objs[3] == {
        "source": str(TEXTS[3]),
        "keywords": [{"keyword": "关键词"}, {"keyword": "词频"}],
    }
    weighted = json.loads(run(["keywords", TEXTS[0], "-k", "1", "-f", "jsonl"]).stdout)
    assert weighted == {
        "source": str(TEXTS[0]),
        "keywords": [{"keyword": "新能源汽车", "weight": pytest.approx(23.220046029679402)}],
    }


def test_cli_keywords_table_one_header_then_a_block_per_document(run, samples):
    result = run(["keywords", samples / "texts", "-k", "1", "-f", "table"])
    assert result.exit_code == 0
    assert result.stdout.count("keyword") == 1  # one header for the whole output
    assert all(str(path) in result.stdout for path in TEXTS)


def test_cli_jieba_compat_and_textrank(run, samples):
    text = TEXTS[3].read_text(encoding="utf-8")
    result = run(["keywords", "--jieba-compat", "-k", "3", "-f", "jsonl"], input=text)
    got = [(kw["keyword"], kw["weight"]) for kw in json.loads(result.stdout)["keywords"]]
    assert got == _jieba_analyse().extract_tags(text, topK=3, withWeight=True)
    assert result.stderr == ""
    ignored = run(
        ["keywords", "--jieba-compat", "--min-len", "3", "--tokenizer", "jieba"], input=text
    )
    assert ignored.stderr == "Warning: --jieba-compat follows jieba's rules and ignores --min-len\n"
    words = run(["keywords", "--jieba-compat", "--words"], input=text)  # implied anyway
    assert words.exit_code == 0 and words.stderr == ""
    result = run(["keywords", "-m", "textrank", "-k", "2", "--no-weights"], input=text)
    assert result.stdout == "<stdin>\t1\t关键词\n<stdin>\t2\t神经网络\n"


def test_cli_textrank_options_with_tfidf_warn_that_they_are_ignored(run):
    text = TEXTS[3].read_text(encoding="utf-8")
    plain = run(["keywords", "-k", "3"], input=text)
    ignored = run(["keywords", "-k", "3", "--window", "3", "--tol", "1e-6"], input=text)
    assert ignored.exit_code == 0 and ignored.stdout == plain.stdout
    assert ignored.stderr == "Warning: --window, --tol only apply to --method textrank; ignored\n"
    used = run(["keywords", "-k", "3", "-m", "textrank", "--window", "3"], input=text)
    assert used.exit_code == 0 and used.stderr == ""
    compat = run(["keywords", "--jieba-compat", "--window", "3"], input=text)
    assert compat.stderr == "Warning: --jieba-compat follows jieba's rules and ignores --window\n"


def test_cli_lines_and_empty_documents(run):
    result = run(["keywords", "--lines", "-f", "jsonl"], input="，。！\n\n的了\n")
    assert result.exit_code == 0
    assert result.stdout == (
        '{"source": "<stdin>:1", "keywords": []}\n{"source": "<stdin>:3", "keywords": []}\n'
    )
    assert run(["keywords"], input="").stdout == ""


def test_cli_bad_inputs_are_one_line_errors(run, samples, tmp_path):
    bad = tmp_path / "idf.txt"
    bad.write_text("好 1.5\n坏 not-a-number\n", encoding="utf-8")
    result = run(["keywords", "--idf", bad, TEXTS[0]])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {bad}:2: expected 'word idf' (idf a number >= 0), got '坏 not-a-number'\n"
    )
    missing = tmp_path / "nope.txt"
    result = run(["keywords", "--user-dict", missing, TEXTS[0]])
    assert (result.exit_code, result.stderr) == (
        1,
        f"Error: {missing}: user dictionary not found\n",
    )
    result = run(["keywords", "--tokenizer", "nope", TEXTS[0]])
    assert result.exit_code == 2


def test_cli_idf_counts_traditional_text_in_the_words_keywords_looks_up(run, tmp_path):
    out = tmp_path / "idf.txt"
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("這家外賣送餐很快\n外賣的價格實惠\n餐廳環境乾淨\n", encoding="utf-8")
    assert run(["idf", "--lines", corpus, "-o", out, "--no-blend"]).exit_code == 0
    words = read_idf(out).weights
    assert "外卖" in words and "外賣" not in words


def test_cli_idf_then_keywords(run, samples, tmp_path):
    out = tmp_path / "idf.txt"
    corpus = tmp_path / "corpus.txt"
    corpus.write_text("新能源汽车销量增长\n新能源汽车充电\n手机销量增长\n", encoding="utf-8")
    result = run(["idf", "--lines", corpus, "-o", out, "--no-blend", "--all-words"])
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert out.read_text(encoding="utf-8").splitlines()[0] == "充电 1.693147181"
    assert read_idf(out).weights["新能源"] == pytest.approx(1.287682072)
    result = run(
        ["keywords", "--idf", out, "-k", "1", "--no-weights", "--words"], input="新能源汽车充电"
    )
    assert result.stdout == "<stdin>\t1\t汽车\n"  # rare in this corpus (汽车销量 is one token)
    result = run(["idf", "--min-df", "5", corpus])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no words in 1 document(s) reach --min-df 5")


def test_cli_jobs_output_identical_to_serial(run, tmp_path):
    corpus = tmp_path / "c.txt"
    texts = [p.read_text(encoding="utf-8").strip() for p in TEXTS]
    corpus.write_text("\n".join(texts * 40) + "\n", encoding="utf-8")
    serial = run(["keywords", "--lines", corpus, "-k", "5", "-f", "jsonl"])
    parallel = run(["keywords", "--lines", corpus, "-k", "5", "-f", "jsonl", "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) == 160


def test_cli_jobs_bad_lines_reported_as_in_serial(run, tmp_path):
    """--lines input goes to the workers as raw blocks (the first 16 KB, then larger): the
    bad lines they find are reported in order, exactly as a serial run reports them."""
    corpus = tmp_path / "c.txt"
    texts = [p.read_text(encoding="utf-8").strip().encode() for p in TEXTS]
    good = texts * 60
    lines = [b"\xff broken", *good[:70], b"bad \xc3\x28 utf-8", *good[70:], b"\xe6 cut"]
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    assert corpus.stat().st_size > 3 * 16 * 1024  # several blocks of growing size
    strict = ["--encoding-errors", "strict"]
    serial = run(["keywords", "--lines", corpus, "-k", "3", *strict])
    parallel = run(["keywords", "--lines", corpus, "-k", "3", "-j", "2", *strict])
    assert serial.exit_code == parallel.exit_code == 1
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    warnings = [line.split(": ")[1] for line in serial.stderr.splitlines()[:-1]]
    assert warnings == [f"{corpus}:1", f"{corpus}:72", f"{corpus}:{len(lines)}"]
    assert serial.stderr.splitlines()[-1] == "textkit: 3 input(s) failed, 240 documents processed"
    assert {line.split("\t")[0] for line in serial.stdout.splitlines()} == {
        f"{corpus}:{n}" for n in range(1, len(lines) + 1) if n not in (1, 72, len(lines))
    }
    # By default a line with one bad byte is read, the byte replaced, with a warning.
    serial = run(["keywords", "--lines", corpus, "-k", "3"])
    parallel = run(["keywords", "--lines", corpus, "-k", "3", "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout and parallel.stderr == serial.stderr
    assert [line.split(": ")[1] for line in serial.stderr.splitlines()] == warnings
    assert "broken" in serial.stdout


def test_cli_table_to_a_file(run, tmp_path):
    out = tmp_path / "kw.txt"
    result = run(["keywords", TEXTS[0], "-f", "table", "-k", "2", "-o", out])
    assert (result.exit_code, result.stdout) == (0, "")
    table = out.read_text(encoding="utf-8")
    assert "keyword" in table.splitlines()[0]
    assert len([line for line in table.splitlines() if str(TEXTS[0]) in line]) == 2


def test_cli_jobs_worker_error_is_one_line(run, tmp_path):
    result = run(["keywords", "-j", "2", "--idf", tmp_path / "missing.txt"], input="文本")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and len(result.stderr.splitlines()) == 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.text(max_size=12),
            st.lists(st.tuples(st.text(max_size=8), st.floats()), max_size=4),
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_keyword_tsv_chunk_is_the_general_renderer(documents, weights):
    """render_chunk's whole-chunk TSV writes exactly what RecordWriter would, row after
    row, escapes included (tabs, newlines, backslashes in sources or keywords)."""
    from textkit.io.writers import render
    from textkit.keywords.extractor import _tsv, columns_of, keyword_records

    items = [(i, source, "") for i, (source, _) in enumerate(documents)]
    columns = columns_of([found for _, found in documents])
    expected = "".join(
        render("tsv", keyword_records(source, found, weights)[0]) for source, found in documents
    )
    assert _tsv(items, columns, weights) == expected


def test_top_k_zero_means_all():
    titles = [
        line.split("\t")[0]
        for line in (SAMPLES / "labeled" / "reviews.tsv").read_text(encoding="utf-8").splitlines()
    ]
    extractor = KeywordExtractor()
    for text in titles:
        every = extractor.extract(text, top_k=0)
        assert every == extractor.extract(text, top_k=1000)
        assert len(every) >= len(extractor.extract(text, top_k=5))
    assert extractor.extract_many(titles, top_k=0) == [extractor.extract(t, 0) for t in titles]


def test_library_argument_errors_are_typed(tmp_path):
    from textkit.errors import ConfigError

    extractor = KeywordExtractor()
    with pytest.raises(ConfigError, match="expected a text"):
        extractor.extract(None)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="got one string"):
        extractor.extract_many("一段文本")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=r"texts\[1\] is a NoneType"):
        extractor.extract_many(["北京", None])  # type: ignore[list-item]
    with pytest.raises(ConfigError, match="top_k must be 0"):
        extractor.extract("北京", top_k=-1)
    # A string where a list belongs: one path, or comma-separated tags as on the CLI.
    stop = tmp_path / "stop.txt"
    stop.write_text("北京\n", encoding="utf-8")
    assert "北京" not in dict(KeywordExtractor(stopword_files=str(stop)).extract("北京大学在北京"))
    assert KeywordExtractor(pos="nz").pos == frozenset({"nz"})
    assert extractor.extract_many(t for t in ["北京", "上海"]) == extractor.extract_many(
        ["北京", "上海"]
    )


def test_negative_idf_is_refused(tmp_path):
    bad = tmp_path / "idf.txt"
    bad.write_text("好 1.5\n你好 -3\n", encoding="utf-8")
    with pytest.raises(
        DataFormatError, match=r"idf.txt:2: expected 'word idf' \(idf a number >= 0\)"
    ):
        read_idf(bad)


def test_cli_keywords_by_label_exact_output(run, tmp_path):
    data = tmp_path / "reviews.tsv"
    data.write_text(
        "味道很好，包装精美\tpos\n味道不错，包装好\tpos\n包装很用心，味道好\tpos\n"
        "送餐太慢，饭菜凉了\tneg\n送餐慢，饭菜难吃\tneg\n饭菜凉，送餐慢，味道一般\tneg\n",
        encoding="utf-8",
    )
    result = run(["keywords", "--by-label", data, "-k", "3"])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == (
        "neg\t1\t送餐\t1.11505\nneg\t2\t饭菜\t1.11505\n"
        "pos\t1\t包装\t1.25045\npos\t2\t味道\t0.837898\n"
    )
    result = run(["keywords", "--by-label", data, "-k", "2", "-f", "jsonl", "--no-weights"])
    assert [json.loads(line) for line in result.stdout.splitlines()] == [
        {"label": "neg", "keywords": [{"keyword": "送餐"}, {"keyword": "饭菜"}]},
        {"label": "pos", "keywords": [{"keyword": "包装"}, {"keyword": "味道"}]},
    ]
    one = tmp_path / "one.tsv"
    one.write_text("味道很好\tpos\n", encoding="utf-8")
    result = run(["keywords", "--by-label", one])
    assert result.exit_code == 1 and "at least two labels" in result.stderr


def test_cli_keywords_by_label_reads_the_shared_data_options(run, tmp_path):
    # CSV columns by name and several labels in one field, as train-lr reads them.
    data = tmp_path / "reviews.csv"
    data.write_text(
        "review,tags\n味道很好，包装精美,pos|taste\n味道不错，包装好,pos\n"
        "送餐太慢，饭菜凉了,neg|speed\n送餐慢，饭菜难吃,neg\n",
        encoding="utf-8",
    )
    args = ["keywords", "--by-label", data, "--text-col", "review", "--label-col", "tags"]
    result = run([*args, "--label-sep", "|", "-k", "1", "--no-weights"])
    assert result.exit_code == 0, result.stderr
    labels = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert set(labels) <= {"neg", "pos", "speed", "taste"} and {"neg", "pos"} <= set(labels)
    text = run([*args, "--data-format", "text"])
    assert text.exit_code == 2 and "labeled rows" in text.stderr


def test_log_odds_is_monroe_et_al():
    from collections import Counter

    from textkit.keywords.by_label import log_odds

    counts = {"a": Counter({"x": 8, "y": 2}), "b": Counter({"x": 2, "y": 8})}
    ranked = log_odds(counts, 0, min_count=1)
    # alpha0 = n = 20, alpha_x = 20 * 10/20 = 10; label a: y_i = 8, n_i = 10, y_j = 2, n_j = 10
    delta = math.log((8 + 10) / (10 + 20 - 8 - 10)) - math.log((2 + 10) / (10 + 20 - 2 - 10))
    z = delta / math.sqrt(1 / 18 + 1 / 12)
    assert ranked == {"a": [("x", pytest.approx(z))], "b": [("y", pytest.approx(z))]}


def test_by_label_on_too_few_rows_says_so(run, tmp_path):
    """Four rows: no term stands out, and the empty output came without a word."""
    data = tmp_path / "c.csv"
    data.write_text(
        "id,content,category\n1,手机屏幕很清晰,手机\n2,酒店房间干净,酒店\n"
        "3,手机电池耐用,手机\n4,酒店早餐丰富,酒店\n",
        encoding="utf-8",
    )
    result = run(["keywords", data, "--by-label", "-k", "2"])
    assert result.exit_code == 0 and result.stdout == ""
    assert "no term sets any label apart in 4 rows" in result.stderr


def test_the_cached_lexicon_follows_every_word_rule(monkeypatch):
    from textkit.keywords import hashed_lexicon, lexicon

    before = hashed_lexicon.rules_digest(frozenset())
    monkeypatch.setattr(lexicon, "common_predicates", lambda: frozenset({"起来"}))
    assert hashed_lexicon.rules_digest(frozenset()) != before
    monkeypatch.undo()
    monkeypatch.setattr(lexicon, "UNITS", frozenset({"nm"}))
    assert hashed_lexicon.rules_digest(frozenset()) != before


def test_units_alone_are_no_keywords():
    text = "样品粒径为20 nm，测试时间5 min。纳米颗粒的粒径分布均匀，纳米颗粒稳定。"
    words = [w.lower() for w, _ in extract(text, top_k=0)]
    assert "纳米颗粒" in words and "nm" not in words and "min" not in words


def test_by_label_terms_hold_no_term_inside_another():
    from collections import Counter

    from textkit.keywords.by_label import log_odds

    counts = {
        "neg": Counter({"打电话": 30, "电话": 25, "难吃": 20, "米饭": 5}),
        "pos": Counter({"好吃": 30, "米饭": 5, "电话": 1}),
    }
    neg = [w for w, _ in log_odds(counts, top_k=3, min_count=1)["neg"]]
    assert neg == ["打电话", "难吃"]  # 电话 (z > 0 too) is inside 打电话


def test_numbers_with_square_and_cubic_units_are_no_keywords():
    text = "试验区面积667m2，年产量1780m3，覆盖4km2的流域。试验区水稻产量提高，流域治理效果明显。"
    words = [w for w, _ in extract(text, top_k=0)]
    assert "试验区" in words and not {"667m2", "1780m3", "4km2"} & set(words)


def test_shipped_function_compounds_are_what_jieba_gives():
    from textkit.keywords.lexicon import _COMPOUND_DATA, derive_function_compounds

    shipped = _COMPOUND_DATA.read_text(encoding="utf-8")
    assert shipped == "".join(f"{word}\t{kind}\n" for word, kind in derive_function_compounds())


def test_function_word_compounds_are_cut_as_jieba_would():
    from textkit.keywords.lexicon import best_split, compound_kind

    freq = {"太": 24899, "慢": 2660, "太慢": 2, "依赖": 1660, "于": 106176, "依赖于": 3}
    tags = {"太": "d", "慢": "a", "依赖": "v", "于": "p"}
    log_total = math.log(60_000_000)
    assert best_split("太慢", freq, log_total) == ["太", "慢"]
    assert best_split("依赖于", freq, log_total) == ["依赖", "于"]
    assert compound_kind("太慢", "a", ["太", "慢"], tags) == "start"
    assert compound_kind("太大", "ns", ["太", "大"], tags) == "start"  # a degree word: no name
    assert compound_kind("依赖于", "v", ["依赖", "于"], tags) == "end"
    assert compound_kind("送过来", "l", ["送", "过来"], {"送": "v", "过来": "t"}) == "end"
    assert compound_kind("擦不掉", "v", ["擦", "不", "掉"], {"不": "d"}) == "end"
    # Kept: a name, a term after a two-character adverb, a verb with a noun (占空比).
    assert compound_kind("何泽慧", "nr", ["何", "泽慧"], {"何": "r"}) is None
    assert compound_kind("最优控制", "n", ["最优", "控制"], {"最优": "d"}) is None
    assert compound_kind("均价", "n", ["均", "价"], {"均": "d"}) is None
    assert compound_kind("占空比", "v", ["占", "空", "比"], {"比": "p"}) is None


def test_rare_function_word_compounds_are_no_keywords_alone():
    review = "送餐太慢了，送过来都凉了，千万别点，汤还行，挺不错的是包装，真服了"
    words = [w for w, _ in extract(review, top_k=0)]
    # A complaint or praise of a degree word (太慢, 挺不错) comes after the content words.
    assert words[0] == "包装" and set(words[1:]) == {"太慢", "挺不错"}
    for bad in ("送过来", "千万别", "还行", "真服了"):
        assert bad not in words, bad
    # After a noun a degree compound still ends an opinion phrase.
    text = "速度太慢，等了很久。速度太慢真的难受。"
    assert "速度太慢" in [w for w, _ in extract(text, top_k=0)]
    for generic in ("还好", "足足", "貌似", "不错"):
        assert generic not in [w for w, _ in extract(f"这家店{generic}，米饭足", top_k=0)]


def _keywords_on_both_paths(
    extractor: KeywordExtractor, texts: list[str], copies: int
) -> list[list[str]]:
    """The keywords of each of ``texts``, after checking that the batch path (over
    ``copies`` copies of them) gives what ``extract`` gives text by text."""
    batch = texts * copies
    found = extractor.extract_many(batch, 0)
    assert found == [extractor.extract(t, 0) for t in batch]
    return [[w for w, _ in f] for f in found[: len(texts)]]


def _never_keywords(texts: list[str], banned: set[str]) -> None:
    """No word of ``banned`` is a keyword of ``texts``, text by text, and the batch path
    (over 20 copies of them) gives what ``extract`` gives."""
    extractor = KeywordExtractor()
    for text in texts:
        words = [w for w, _ in extractor.extract(text, 0)]
        assert not banned & set(words), words
    batch = texts * 20
    assert extractor.extract_many(batch, 0) == [extractor.extract(t, 0) for t in batch]


def test_invented_subject_and_predicate_is_no_name():
    from textkit.keywords.lexicon import is_clause_piece

    assert is_clause_piece("汤洒", "n", "v") and is_clause_piece("黄焖", "a", "v")
    assert not is_clause_piece("邓超", "nr", "v")  # a surname first
    assert not is_clause_piece("乒超", "n", "v")  # a league
    assert not is_clause_piece("谢娜", "v", "x")
    assert not is_clause_piece("黄太吉", "a", "nr")
    _never_keywords(["汤洒了一半，送餐员态度很好", "汤凉了，送餐员态度很好"], {"汤洒", "汤凉"})
    assert "邓超" in [w for w, _ in KeywordExtractor().extract("邓超新电影上映", 0)]
    # 排 (a cutlet; jieba tags it a verb) ends dishes: a run may confirm 鸡排 as a word.
    from textkit.keywords.lexicon import is_clause

    assert not is_clause_piece("鸡排", "n", "v") and not is_clause("鸡排", "n", "v")
    assert is_clause("汤洒", "n", "v")
    assert "鸡排" in [w for w, _ in KeywordExtractor().extract("要的红烧肉，送来却是鸡排", 0)]


def test_verb_and_result_idioms_and_generic_opinions_are_no_keywords_alone():
    from textkit.keywords.lexicon import PART, compound_kind, word_class

    assert compound_kind("粘上", "n", ["粘", "上"], {"粘": "v"}) == "end"
    # jieba lists 真是太 as a name: adverbs only are no name.
    assert compound_kind("真是太", "nr", ["真是", "太"], {"真是": "d", "太": "d"}) == "end"
    assert compound_kind("马步芳", "nr", ["马步", "芳"], {"马步": "n", "芳": "ng"}) is None
    for review in ("态度真是太差了", "真是太奇葩了，让在楼梯口等"):
        assert "真是太" not in "".join(w for w, _ in extract(review, top_k=0)), review
    assert compound_kind("扯断", "v", ["扯", "断"], {"扯": "v"}) == "end"
    assert word_class("物超所值", "i", frozenset()) == PART
    text = "手机物超所值，物超所值，数据线一碰就粘上了"
    words = [w for w, _ in extract(text, top_k=0)]
    assert "数据线" in words
    assert "物超所值" not in words and "粘上" not in words, words
    # A verb and its direction (送来, 拿来) is motion, not a topic; 没什么, 要死, 不怎么,
    # 全部都是 are function words; 平起 is "square metres and up" in 131平起.
    review = "送来的时候都凉了，没什么味道，难吃要死，全部都是粉条，拿来就扔了，不怎么样"
    words = [w for w, _ in extract(review, top_k=0)]
    assert "难吃" in words and "味道" in words
    for bad in ("送来", "拿来", "没什么", "要死", "全部都是", "不怎么", "不怎么样"):
        assert bad not in words, bad
    assert "平起" not in [w for w, _ in extract("亦庄天鹅堡180平起叠拼别墅在售", top_k=0)]
    # Set phrases of talk (jieba tags them l): 好意思 of 还好意思, 怎么回事, 受不了.
    review = "还好意思收配送费，怎么回事，饭菜凉了，谁受得了"
    words = [w for w, _ in extract(review, top_k=0)]
    assert "配送费" in words and not {"好意思", "怎么回事", "受得了"} & set(words), words
    # A verb and its result (拿到, 买下, 输给) is an act too; 迟到 (迟: late) is a word.
    for title, act in (("骑士队主场输给凯尔特人", "输给"), ("腾讯买下这家游戏公司", "买下")):
        assert act not in [w for w, _ in extract(title, top_k=0)], title
    review = "外卖迟到一个小时，拿到的时候汤洒了，迟到还不道歉"
    words = [w for w, _ in extract(review, top_k=0)]
    assert "迟到" in words and "拿到" not in words, words
    for generic in (
        *("很大", "重新", "预计", "半小时", "说实话", "几块钱", "好歹", "差不多"),
        *("有史以来", "优于", "至极", "实际", "亟待", "依旧", "相差", "最强", "落实"),
        *("揭晓", "证实", "玩意", "总体", "个人感觉"),
    ):
        assert generic not in [w for w, _ in extract(f"耳机{generic}，音质好", top_k=0)]


def test_invented_words_after_a_negation_or_degree_word_are_glued():
    from textkit.keywords.lexicon import is_glued

    assert is_glued("超慢", "v", "a") and is_glued("没迟", "v", "a") and is_glued("巨咸", "nr", "a")
    assert not is_glued("黄太吉", "a", "nr")
    _never_keywords(["送餐没迟，没迟，好评"], {"没迟"})
    # A degree word glued to an adjective is a complaint, ranked after the content words.
    from textkit.keywords.lexicon import OPINION, invented_class

    assert invented_class("超慢", "v", "a", frozenset()) == OPINION


def test_a_noun_and_a_noun_morpheme_are_no_glue():
    """jieba tags 棒, 丸, 块, 车 zg, as it tags glue; after a noun they end a noun: 骨棒
    (said twice) is a keyword; 餐员 of 送餐员 (员) and 超棒 (an adverb first) stay glue."""
    from textkit.keywords.lexicon import is_glued, load_tags

    tags = load_tags()
    assert [tags.get(c) for c in "骨棒员"] == ["n", "zg", "zg"]
    assert not is_glued("骨棒", "n", "zg") and not is_glued("贡丸", "n", "zg")
    assert is_glued("餐员", "n", "zg") and is_glued("超棒", "v", "zg")
    review = "喜欢吃，但是骨棒里面，有一点肉都没有，光秃的一个骨棒，我也是醉了"
    for found in (extract(review, top_k=0), KeywordExtractor().extract_many([review] * 60, 0)[0]):
        assert "骨棒" in [w for w, _ in found]


def test_a_headline_keeps_a_new_word_said_once():
    """In a short text an invented two-character word said once (获批, 美股) is a keyword
    after the dictionary's words; in a longer text it needs a second mention or a name's
    reading; modal verbs and measure words glued to it (有个, 可享, 送个) never make one."""
    extractor = KeywordExtractor(collection_idf=False)
    titles = ["华宝兴业获批指数基金", "美股评论：SUN的苦涩曙光", "通州花石匠起价14800可享97折"]
    long_text = "华宝兴业今天公告说，旗下的指数基金已经获批，将在下个月正式发行，敬请关注"
    found = _keywords_on_both_paths(extractor, titles, 12)
    assert "获批" in found[0] and found[0][:2] == ["华宝", "兴业"], found[0]
    assert "美股" in found[1], found[1]
    assert "可享" not in found[2], found[2]
    assert "获批" not in [w for w, _ in extractor.extract(long_text, 0)]
    _never_keywords(["居然有个耳机是坏的", "送个勺子吧"], {"有个", "送个"})
    # Said once, such a word names a thing before a noun, but is mostly an act after one.
    pairs = ["工行个人网银客户过亿", "结婚第三天我爸妈来家一看"]
    found = _keywords_on_both_paths(extractor, pairs, 12)
    assert "网银客户" in found[0] and "爸妈来家" not in found[1], found


def test_the_object_of_a_common_verb_stands_alone():
    """In 配方治疗过敏性紫癜 (a remedy treats a disease) the disease is a keyword of its own,
    not hidden by the verb before it; after a boundary (基于支持向量机) the term stays whole."""
    texts = [
        "自拟中药颗粒剂配方治疗过敏性紫癜有较好的疗效。中药颗粒剂配方治疗过敏性紫癜52例",
        "提出基于支持向量机的分类方法，给出支持向量机的参数选择",
    ]
    extractor = KeywordExtractor(collection_idf=False)
    found = _keywords_on_both_paths(extractor, texts, 10)
    assert "过敏性紫癜" in found[0], found[0]
    assert "支持向量机" in found[1] and "向量机" not in found[1], found[1]


def test_a_market_move_is_a_headline_keyword():
    """How a market moves (回升, 减持, 增发) is the news of a finance headline: a keyword alone,
    unlike other common verbs (增长)."""
    extractor = KeywordExtractor(collection_idf=False)
    titles = ["快讯：沪指震荡回升重返2500上方", "华友世纪向盛大增发5.5亿股", "今年职工工资增长较快"]
    found = _keywords_on_both_paths(extractor, titles, 10)
    assert "回升" in found[0] and "增发" in found[1], found
    assert found[2] == ["职工工资"], found[2]


def test_a_unit_right_after_a_number_starts_no_keyword():
    """jieba cuts 7天才到 as 7 / 天才 / 到 and 3日出 as 3 / 日出: after a number such a word
    is the segmenter's mistake; money and pay keep their words (15万年薪)."""
    texts = [
        "快递7天才到，包装破了",
        "长沙7月3日出中考成绩",
        "公司开出15万年薪招人",
        "他是少有的天才",
    ]
    extractor = KeywordExtractor(collection_idf=False)
    found = _keywords_on_both_paths(extractor, texts, 10)
    assert "天才" not in found[0] and "快递" in found[0], found[0]
    assert "日出" not in found[1] and "中考成绩" in found[1], found[1]
    assert "年薪" in found[2] and "天才" in found[3], found


def test_invented_clauses_are_glued():
    from textkit.keywords.lexicon import is_glued

    # 全 before a verb or adjective, a doubled predicate, a function word inside.
    assert is_glued("全是", "a", "v") and is_glued("全凉", "a", "a")
    assert not is_glued("全瓷", "a", "n")
    assert is_glued("差差", "a", "a") and not is_glued("慧慧", "nr", "nr")
    assert is_glued("咬不动", "v", "v") and is_glued("居在售", "v", "v")
    assert not is_glued("黄太吉", "a", "nr")
    _never_keywords(["饭菜全是凉的，全是凉的", "差差差差，差差"], {"全是", "差差"})
    # jieba tags 卷 a numeral and 底 a locality, yet they make nouns (卷饼, 汤底).
    assert not is_glued("卷饼", "m", "n") and not is_glued("汤底", "n", "f")
    assert is_glued("点半", "m", "m") and is_glued("汤里", "n", "f")
    words = [w for w, _ in extract("一个卷饼不够，如果买的时候可以再添加买几个卷饼就好了", top_k=0)]
    assert words[0] == "卷饼", words


def test_terms_jieba_tags_as_idioms_stay_keywords():
    from textkit.keywords.lexicon import (
        _NOUN_IDIOM_DATA,
        HEAD,
        PART,
        derive_noun_idioms,
        word_class,
    )

    shipped = _NOUN_IDIOM_DATA.read_text(encoding="utf-8")
    assert shipped == "".join(f"{word}\n" for word in derive_noun_idioms())
    for term in ("数据共享", "水土流失", "招生简章", "无花果", "脑卒中"):
        assert word_class(term, "i", frozenset()) == HEAD, term
    for idiom in ("物超所值", "敢爱敢恨", "表示感谢"):
        assert word_class(idiom, "i", frozenset()) == PART, idiom
    text = "建立数据共享平台，数据共享机制物超所值"
    words = [w for w, _ in extract(text, top_k=0)]
    assert "数据共享平台" in words or "数据共享" in words
    assert "物超所值" not in words


def test_common_and_negated_adjectives_are_no_keywords_alone():
    from textkit.keywords.lexicon import common_predicates

    assert {"明显", "简单", "不通", "不满"} <= common_predicates()
    assert not {"干净", "便宜", "好吃"} & common_predicates()
    text = "电话打不通，效果明显，用法简单，房间干净，菜品好吃"
    words = [w for w, _ in extract(text, top_k=0)]
    assert {"干净", "好吃"} <= set(words), words
    for common in ("不通", "明显", "简单"):
        assert common not in words, common


def test_doubled_verbs_are_no_keywords():
    from textkit.keywords.lexicon import BOUNDARY, HEAD, word_class

    assert word_class("问问", "v", frozenset()) == BOUNDARY
    assert word_class("狗狗", "n", frozenset()) == HEAD  # a doubled noun is a noun
    words = [w for w, _ in extract("耳机音质好，下次再尝尝客服推荐的，出去走走，聊聊售后", top_k=0)]
    assert "客服" in words
    assert not {"尝尝", "走走", "聊聊"} & set(words), words


def test_a_determiner_and_a_place_is_no_keyword():
    """本市 (jieba tags it n, unlike 本省) came third in the news sample."""
    text = "本市将新增充电桩。本市新能源汽车销量增长，全市公交车将全部换成新能源汽车。"
    words = [w for w, _ in extract(text, top_k=0)]
    assert "新能源汽车" in words
    assert "本市" not in words and "全市" not in words, words
    news = [w for w, _ in extract((SAMPLES / "texts" / "news.txt").read_text("utf-8"), 5)]
    assert "本市" not in news and "新能源汽车" in news


def test_by_label_names_a_few_labels_without_terms_and_counts_the_rest(run, tmp_path):
    """With dozens of rare labels the warning listed every one of them on one line."""
    data = tmp_path / "c.tsv"
    rows = ["text\tlabel"]
    rows += [f"手机屏幕很清晰，电池耐用{i}\t手机" for i in range(30)]
    rows += [f"酒店房间干净，早餐丰富{i}\t酒店" for i in range(30)]
    rows += [f"嗯，好的\t话题{i:02d}" for i in range(12)]  # no term of their own
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run(["keywords", data, "--by-label", "-k", "2"])
    assert result.exit_code == 0 and "手机" in result.stdout
    warning = result.stderr.strip()
    assert len(warning.splitlines()) == 1
    assert "12 of 14 labels (话题00, 话题01, 话题02, 话题03, 话题04 ...)" in warning
    assert "话题05" not in warning


def test_title_spans_between_title_marks():
    from textkit.keywords.candidates import MAX_TITLE_TOKENS, title_spans

    assert title_spans(["体验", "《", "梦幻", "天劫", "》", "腊八"]) == [(2, 3)]
    assert title_spans(["〈", "画壁", "〉", "《", "仙镜", "OL", "》"]) == [(1, 1), (4, 5)]
    assert title_spans(["《", "》", "空"]) == []  # empty
    assert title_spans(["《", "画壁"]) == []  # never closed
    assert title_spans(["《", "仙镜", "〉"]) == []  # another kind of mark
    assert title_spans(["《", "《", "画壁", "》", "》"]) == [(2, 2)]
    too_long = ["《", *["字"] * (MAX_TITLE_TOKENS + 1), "》"]
    assert title_spans(too_long) == []


def test_the_name_between_title_marks_is_one_keyword():
    extractor = KeywordExtractor()
    found = [w for w, _ in extractor.extract("体验《梦幻天劫》腊八的幸福时光", 0)]
    assert found[0] == "梦幻天劫" and "梦幻" not in found  # not a piece of the name
    # A word the segmenter invents, said once, is a word between title marks.
    assert "画壁" in [w for w, _ in extractor.extract("《画壁》多角恋全景展现爱恨纠葛", 0)]
    # Without the marks it is a new word said once in a headline: after the known words.
    found = [w for w, _ in extractor.extract("画壁多角恋全景展现爱恨纠葛", 0)]
    assert found[-1] == "画壁", found
    texts = [
        "体验《梦幻天劫》腊八的幸福时光",
        "《画壁》多角恋全景展现爱恨纠葛",
        "〈画壁〉和《仙镜〉",
        "未完《画壁",
        "《梦幻天劫》\n《梦幻天劫》",
        "手游《仙镜OL》群雄争霸问鼎天下",
    ] * 10
    batch = KeywordExtractor(collection_idf=False)
    assert batch.extract_many(texts, 5) == [batch.extract(t, 5) for t in texts]


def test_a_title_is_a_phrase_whatever_its_words():
    extractor = KeywordExtractor(collection_idf=False)
    for text, name in (
        ("腾讯已拿下了《绝地求生》的代理权", "绝地求生"),  # an adverb first, a verb last
        ("《战地之王》圣殿坚守", "战地之王"),  # a particle inside
        ("《叶问2》开拍", "叶问2"),  # a number last
        ("《使命召唤7：黑色行动》", "使命召唤7：黑色行动"),
        # four words, and no length penalty: not its piece 征服竞技场
        ("《命令与征服竞技场》发售 命令与征服竞技场", "命令与征服竞技场"),
    ):
        assert extractor.extract(text, 1)[0][0] == name, text
    # Not across a break, and not when a function word starts it.
    assert "战地 之王" not in [w for w, _ in extractor.extract("《战地 之王》", 0)]
    assert "让子弹飞" not in [w for w, _ in extractor.extract("《让子弹飞》策划细节", 0)]
    texts = [
        "腾讯已拿下了《绝地求生》的代理权",
        "《战地之王》《战地之王》战地之王",
        "《叶问2》开拍",
        "《命令与征服竞技场》发售 命令与征服竞技场",
        "《使命召唤7：黑色行动》",
        "《战地 之王》",
    ] * 10
    assert extractor.extract_many(texts, 0) == [extractor.extract(t, 0) for t in texts]


@pytest.mark.skipif(not THUCNEWS_DEV.exists(), reason="shared data not available")
def test_batch_path_equals_extract_on_real_titles_with_title_marks():
    with open(THUCNEWS_DEV, encoding="utf-8") as handle:
        titles = [line.split("\t")[0] for line in handle if "《" in line][:400]
    extractor = KeywordExtractor(collection_idf=False)
    assert extractor.extract_many(titles, 0) == [extractor.extract(t, 0) for t in titles]


def test_a_given_name_ending_in_a_rare_morpheme_is_a_name():
    # 栋 is tagged zg (a rare morpheme, which marks glue at a word's end); after a
    # surname it ends a given name: the name model decides.
    from textkit.keywords.lexicon import is_glued

    assert not is_glued("刘玉栋", "zg", "zg") and not is_glued("陈玉栋", "nr", "zg")
    assert is_glued("好玉栋", "a", "zg")  # no surname first: glue as before
    words = [w for w, _ in KeywordExtractor().extract("陈奕迅北京个唱获李小鹏撑场", 0)]
    assert any("陈奕迅" in w for w in words)


def test_a_complaint_comes_after_every_content_word():
    """A degree word and an adjective (太慢, 好慢, 太差) says what a review criticises: a
    keyword alone, ranked after the text's content words; not when a negation reverses
    it (不是很长), not 太阳 or 最爱."""
    from textkit.keywords.lexicon import OPINION, invented_class, word_class

    assert word_class("太慢", "a", frozenset()) == OPINION  # a dictionary compound
    assert invented_class("好慢", "a", "a", frozenset()) == OPINION
    assert invented_class("超咸", "v", "a", frozenset()) == OPINION
    assert invented_class("太咸", "d", "ns", frozenset()) == OPINION  # 咸 tagged a place
    assert invented_class("太响", "d", "zg", frozenset()) == OPINION  # 响 a morpheme
    # A verb that cannot reach its result is a complaint too; not a question, not an adverb.
    assert invented_class("充不上", "v", "f", frozenset()) == OPINION
    assert invented_class("行不行", "v", "v", frozenset()) != OPINION
    assert invented_class("先不说", "d", "v", frozenset()) != OPINION
    assert invented_class("太平", "d", "a", frozenset()) == OPINION  # (an invented word only)
    assert invented_class("太原", "d", "ns", frozenset()) != OPINION
    extractor = KeywordExtractor(collection_idf=False)
    texts = [
        "送餐速度太慢了，几百米将近半个小时才送到",
        "奥尔良鸡肉卷好慢，等了一个小时",
        "外观很惊艳，但是细节都做的太差了",
        "小米不错，就是杆不是很长",
        "太阳能手机续航无限，我最爱的大学排名",
    ]
    found = _keywords_on_both_paths(extractor, texts, 12)
    assert found[0][-1] == "太慢" and "速度" in found[0]
    assert found[1][-1] == "好慢" and found[2][-1] == "太差"
    assert "很长" not in found[3]
    assert not {"最爱", "太阳"} & set(found[4])


def test_a_negated_opinion_is_a_complaint():
    """不 and an opinion word cut apart by the segmenter (不流畅, 不方便, 不好吃) are one
    complaint, ranked after the content words, on both paths; not before a noun or suffix,
    where they qualify it (流动不稳定性, 不完全指南)."""
    from textkit.keywords.negation import join_negated_opinions

    extractor = KeywordExtractor(collection_idf=False)
    texts = [
        "没什么用，不流畅，用起来也不方便，放一边了",
        "米饭不好吃，等了一个小时",
        "两相流动不稳定性的研究，流动不稳定性很重要",
        "分食雷曼不完全指南",
        "配送人员也不容易，米饭不好吃",
    ]
    found = _keywords_on_both_paths(extractor, texts, 12)
    assert set(found[0]) == {"不流畅", "不方便"}, found[0]
    assert found[1][0] == "米饭" and found[1][-1] == "不好吃", found[1]
    assert "流动不稳定性" in found[2] and "不稳定" not in found[2], found[2]
    assert "不完全" not in found[3], found[3]
    assert "不容易" not in found[4] and "不好吃" in found[4], found[4]  # no complaint
    tokens = ["菜", "不", "新鲜", "，", "不", "好吃", "啊", "不", "方便面"]
    tags = {"新鲜": "ns", "好吃": "v", "方便面": "n", "啊": "y"}.get
    joined = join_negated_opinions(tokens, lambda words: [tags(w) for w in words])
    assert joined == ["菜", "不", "新鲜", "，", "不好吃", "啊", "不", "方便面"]


@given(st.lists(st.sampled_from(["不", "好吃", "新鲜", "菜", "，", "了", "方便", "性", "指南"])))
def test_joining_negated_opinions_keeps_the_text(tokens):
    from textkit.keywords.lexicon import load_tags
    from textkit.keywords.negation import join_negated_opinions

    joined = join_negated_opinions(tokens, lambda words: load_tags().get_many(list(words), None))
    assert "".join(joined) == "".join(tokens)
    assert len(joined) == len(tokens) - sum(len(t) > 2 and t[0] == "不" for t in joined)


def test_complaints_the_dictionary_lists_are_complaints():
    """太久, 太小, 太贵 are dictionary words (tagged nr or n): complaints like 太慢, last in
    the list, and reversed by 不是."""
    extractor = KeywordExtractor(collection_idf=False)
    texts = [
        *("外卖等了太久，米饭都凉了", "手机膜太小了，四周贴不满", "价格不是太贵，味道一般"),
        "原装数据线太松，套上后能上下活动",
        "用了不到3周就充不上电了，音量调节也有问题",
    ]
    found = _keywords_on_both_paths(extractor, texts, 12)
    assert found[3][-1] == "太松", found[3]  # jieba tags 松 a verb
    assert found[4][-1] == "充不上" and "音量" in found[4], found[4]
    assert found[0][-1] == "太久" and "米饭" in found[0], found[0]
    assert found[1][-1] == "太小", found[1]
    assert "太贵" not in found[2] and "味道" in found[2], found[2]
