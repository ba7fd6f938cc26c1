"""The labeled-data reader and writer shared by train-lr, evaluate and augment."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from textkit.errors import DataFormatError, InputError
from textkit.io.tabular import ReadStats, read_labeled, sniff_format, write_header, write_labeled

EXPECTED = [
    ("送餐很快，饭菜还是热的，好评", "positive"),
    ("味道一般，而且分量太少了", "negative"),
]


@pytest.mark.parametrize("name", ["reviews.tsv", "reviews.jsonl", "reviews.ft.txt"])
def test_each_sample_format(samples, name):
    records = list(read_labeled([str(samples / "labeled" / name)]))
    assert len(records) == 8
    assert [(r.text, r.label) for r in records[:2]] == EXPECTED


def test_csv_sample_with_header_names(samples):
    records = list(read_labeled([str(samples / "labeled" / "reviews.csv")]))
    assert [(r.text, r.label) for r in records[:2]] == [
        (EXPECTED[0][0], "1"),
        (EXPECTED[1][0], "0"),
    ]
    assert records[0].source.endswith("reviews.csv:2")


def test_sniffing():
    assert sniff_format("a.csv", "") == "csv"
    assert sniff_format("a.txt", "__label__x hi\n") == "fasttext"
    assert sniff_format("a.txt", '{"text": 1}\n') == "jsonl"
    assert sniff_format("a.txt", "hi\tx\n") == "tsv"
    with pytest.raises(DataFormatError, match="--data-format"):
        sniff_format("a.txt", "just words\n")


def test_columns_by_index_and_name(tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("id\tlabel\tbody\n1\tA\t你好\n", encoding="utf-8")
    records = list(read_labeled([str(f)], text_col="body"))
    assert [(r.text, r.label) for r in records] == [("你好", "A")]
    g = tmp_path / "e.tsv"
    g.write_text("x\tA\t你好\n", encoding="utf-8")
    assert [(r.text, r.label) for r in read_labeled([str(g)], text_col="2", label_col="1")] == [
        ("你好", "A")
    ]


def test_skips_empty_text_and_missing_label(tmp_path):
    f = tmp_path / "d.tsv"
    f.write_text("好\tA\n\tB\n没有标签\n\n不错\tA\n", encoding="utf-8")
    stats = ReadStats()
    records = list(read_labeled([str(f)], stats=stats))
    assert [r.text for r in records] == ["好", "不错"]
    assert (stats.rows, stats.skipped) == (2, 3)


def test_no_usable_rows_names_columns(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match=r"no text column \(saw columns: foo, bar\)"):
        list(read_labeled([str(f)]))


def test_csv_unterminated_quote(tmp_path):
    f = tmp_path / "d.csv"
    f.write_text('label,text\n1,"好\n0,坏\n', encoding="utf-8")
    with pytest.raises(DataFormatError, match="malformed CSV"):
        list(read_labeled([str(f)]))


def test_csv_bom_header_and_duplicate_columns(tmp_path):
    f = tmp_path / "d.csv"
    f.write_bytes("\ufefflabel,text\n1,好\n".encode())
    assert [(r.text, r.label) for r in read_labeled([str(f)])] == [("好", "1")]
    g = tmp_path / "dup.csv"
    g.write_text("text,text,label\n1,2,3\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="appears more than once"):
        list(read_labeled([str(g)]))


def test_jsonl_broken_line_reported_others_read(tmp_path):
    f = tmp_path / "d.jsonl"
    f.write_text(
        '{"text": "好", "label": 1}\n{broken\n{"text": "坏", "label": 0}\n', encoding="utf-8"
    )
    failures: list[InputError] = []
    records = list(read_labeled([str(f)], on_error=failures.append))
    assert [(r.text, r.label) for r in records] == [("好", "1"), ("坏", "0")]
    assert [e.source for e in failures] == [f"{f}:2"]


def test_fasttext_multiple_labels(tmp_path):
    f = tmp_path / "d.txt"
    f.write_text("__label__a __label__b 你 好\n", encoding="utf-8")
    (record,) = read_labeled([str(f)])
    assert (record.text, record.label, record.labels) == ("你 好", "a", ["a", "b"])


@pytest.mark.parametrize("name", ["reviews.tsv", "reviews.csv", "reviews.jsonl", "reviews.ft.txt"])
def test_write_back_round_trip(samples, name):
    path = samples / "labeled" / name
    assert _written_back(path) == path.read_text(encoding="utf-8")


def _written_back(path) -> str:
    """The file as augment writes it back: its header, then each row unchanged."""
    stats = ReadStats()
    records = list(read_labeled([str(path)], stats=stats))
    layout = stats.layouts[str(path)]
    out = io.StringIO()
    write_header(out, layout)
    for r in records:
        write_labeled(out, r, r.text, layout)
    return out.getvalue()


_field = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff\u2028\u2029\x85"),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() and s == s.strip())


@given(st.lists(st.tuples(_field, _field), min_size=1, max_size=10))
def test_csv_and_jsonl_round_trip_property(tmp_path_factory, rows):
    d = tmp_path_factory.mktemp("rt")
    c = d / "d.csv"
    with c.open("w", encoding="utf-8", newline="") as h:
        import csv

        w = csv.writer(h, lineterminator="\n")
        w.writerow(["text", "label"])
        w.writerows(rows)
    assert [(r.text, r.label) for r in read_labeled([str(c)])] == rows
    j = d / "d.jsonl"
    j.write_text(
        "".join(
            json.dumps({"text": t, "label": lab}, ensure_ascii=False) + "\n" for t, lab in rows
        ),
        encoding="utf-8",
    )
    assert [(r.text, r.label) for r in read_labeled([str(j)])] == rows


def test_a_lone_carriage_return_does_not_split_a_row(tmp_path):
    """A CR pasted inside a TSV text ended the row: the copies lost their label."""
    from textkit.io.tabular import read_labeled

    data = tmp_path / "cr.tsv"
    data.write_bytes("很好吃很超值\r真的\t1\r\n太难吃了\t0\n".encode())
    records = list(read_labeled([str(data)]))
    assert [(r.text, r.label) for r in records] == [("很好吃很超值\r真的", "1"), ("太难吃了", "0")]
    jsonl = tmp_path / "cr.jsonl"
    jsonl.write_bytes(
        '{"text": "好\\r吃", "label": "1"}\r\n{"text": "差", "label": "0"}\n'.encode()
    )
    assert [r.label for r in read_labeled([str(jsonl)])] == ["1", "0"]


@pytest.mark.parametrize(
    ("content", "header"),
    [
        ("label,review\n1,好吃\n0,难吃\n", True),  # known names
        ("情感,评价\n1,好吃\n0,难吃\n1,不错\n", True),  # a name over a column of numbers
        ("col_a,col_b\npos,很好吃\nneg,太难吃\n", True),  # names, nothing reads as data
        ("1,好吃\n0,难吃\n1,不错\n", False),  # the label 1 comes again below
        ("2,好吃\n0,难吃\n1,不错\n", False),  # small numbers over small numbers
        ("体育,中国队夺冠，全场欢呼\n财经,股市大涨\n", False),  # a sentence, not a name
        ("财经,股市今天收盘大涨三个百分点创新高\n体育,比赛结束\n", False),  # a long text
    ],
)
def test_csv_first_row_is_a_header_or_data(tmp_path, content, header):
    """A CSV's first row used to be its header always: a file without one lost a row."""
    data = tmp_path / "d.csv"
    data.write_text(content, encoding="utf-8")
    stats = ReadStats()
    records = list(read_labeled([str(data)], text_col=1, require_label=False, stats=stats))
    rows = content.count("\n")
    assert len(records) == rows - header
    layout = stats.layouts[str(data)]
    assert (layout.header is not None) == header
    if not header:
        assert (layout.text_key, layout.label_key) == (1, 0)
        assert records[0].text == content.split("\n")[0].split(",")[1]


@pytest.mark.parametrize(
    ("content", "delimiter"),
    [
        ("id;评论;评分\n1;好吃,便宜;5\n2;太咸了;1\n", ";"),
        ("id,评论\n1,好吃;便宜\n2,太咸了\n", ","),  # a semicolon inside a field
        ("id|评论\n1|好吃\n2|太咸了\n", "|"),
        ("id\t评论\n1\t好吃\n2\t太咸了\n", "\t"),
        ("评论\n好吃\n", ","),  # one column: the default
    ],
)
def test_csv_delimiter_is_sniffed(tmp_path, content, delimiter):
    from textkit.io.tabular import sniff_delimiter

    assert sniff_delimiter(content, complete=True) == delimiter
    data = tmp_path / "d.csv"
    data.write_text(content, encoding="utf-8")
    records = list(read_labeled([str(data)], text_col="评论", require_label=False))
    header, first = (line.split(delimiter) for line in content.split("\n")[:2])
    assert records[0].text == first[header.index("评论")]


def test_semicolon_csv_is_written_back_with_semicolons(tmp_path):
    data = tmp_path / "d.csv"
    data.write_text("label;review\n1;好吃,便宜\n0;太咸了\n", encoding="utf-8")
    assert _written_back(data) == "label;review\n1;好吃,便宜\n0;太咸了\n"


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("编号,类别,评论\n1,好评,好吃\n", "d.csv"),
        ("分类\t标题\n体育\t中国队夺冠\n", "d.tsv"),
        ('{"句子": "好吃", "标签": "好评"}\n', "d.jsonl"),
    ],
)
def test_chinese_column_names_are_known(tmp_path, content, name):
    data = tmp_path / name
    data.write_text(content, encoding="utf-8")
    [record] = read_labeled([str(data)])
    assert (record.text, record.label) in {("好吃", "好评"), ("中国队夺冠", "体育")}


def test_a_csv_record_is_named_by_the_line_it_starts_on(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(
        'text,label\n"第一行\n续行",a\n"第二条",b\n"多行\n文本\n三行",a\n', encoding="utf-8"
    )
    records = list(read_labeled([str(path)]))
    assert [r.source for r in records] == [f"{path}:2", f"{path}:4", f"{path}:5"]


def test_fasttext_file_whose_first_line_lacks_a_label(tmp_path):
    # an unlabeled first line no longer hides that every other line is fastText
    data = tmp_path / "train.txt"
    data.write_text("没有标签的一行\n__label__pos 好吃\n__label__neg 太咸了\n", encoding="utf-8")
    assert sniff_format(str(data), data.read_text(encoding="utf-8")) == "fasttext"
    stats = ReadStats()
    records = list(read_labeled([str(data)], stats=stats))
    assert [(r.text, r.label) for r in records] == [("好吃", "pos"), ("太咸了", "neg")]
    assert stats.skipped == 1


def test_one_column_tsv_with_a_usual_name_has_a_header(tmp_path):
    data = tmp_path / "d.tsv"
    data.write_text("text\n好吃\n太咸了\n", encoding="utf-8")
    records = list(read_labeled([str(data)], require_label=False, with_labels=False))
    assert [r.text for r in records] == ["好吃", "太咸了"]


@pytest.mark.parametrize(
    ("content", "texts", "noticed"),
    [
        ("很好吃\n难吃\n送餐快\n", ["很好吃", "难吃", "送餐快"], True),  # no header
        ("用户评论\n好吃\n太咸了\n", ["用户评论", "好吃", "太咸了"], True),  # said on stderr
        ("Review\n好吃\n太咸了\n", ["好吃", "太咸了"], False),  # an ASCII name over Chinese
        ("评论\n好吃\n太咸了\n", ["好吃", "太咸了"], False),  # a usual name
        ("送餐很快，饭菜还是热的\n好吃\n", ["送餐很快，饭菜还是热的", "好吃"], False),
    ],
)
def test_one_column_csv_first_row(tmp_path, content, texts, noticed):
    data = tmp_path / "d.csv"
    data.write_text(content, encoding="utf-8")
    notices: list[InputError] = []
    records = list(
        read_labeled([str(data)], require_label=False, with_labels=False, on_error=notices.append)
    )
    assert [r.text for r in records] == texts
    assert bool(notices) == noticed
    assert all(not n.is_failure for n in notices)


def test_prose_with_commas_is_not_guessed_to_be_csv():
    """Plain abstracts with ASCII commas were read as CSV: 'malformed CSV' or 'only one
    label' named a sentence as the label."""
    prose = (
        "采用修正的参数,建立了飞行器姿态控制系统的数学模型;利用方程,建立了模型.\n"
        "水运工程项目作为我国航运的重要组成部分,其重要性不言而喻.\n"
        "针对现阶段,提出了一种方法,实验表明,该方法有效,可行.\n"
    )
    with pytest.raises(DataFormatError, match="read as plain text"):
        sniff_format("abstracts.txt", prose)
    table = 'label,review\n1,很好吃\n0,"难吃,太咸了"\n1,不错\n'
    assert sniff_format("reviews.txt", table) == "csv"


@pytest.mark.parametrize(
    "content",
    [
        "comment_text\tstars\n好吃\t5\n难吃\t1\n",  # ASCII names over Chinese text
        "用户评价\t评分\n好吃极了\t5\n太难吃\t1\n",  # a name over a column of numbers
        "review\tscore\n好吃极了\tgood\n太难吃\tbad\n",  # one usual name is enough
    ],
)
def test_a_tsv_header_with_unusual_names_is_no_row(tmp_path, content):
    # its first line was read as a text labeled "stars": a keyword, a class of its own
    data = tmp_path / "d.tsv"
    data.write_text(content, encoding="utf-8")
    records = list(read_labeled([str(data)], require_label=False, with_labels=False, text_col=0))
    assert [r.text for r in records] == [line.split("\t")[0] for line in content.splitlines()[1:]]
    with pytest.raises(DataFormatError, match="no label column"):
        list(read_labeled([str(data)], text_col=0))


@pytest.mark.parametrize(
    "content",
    [
        "好吃\tpos\n难吃\tneg\n",  # short texts, no header
        "great food\tpos\nawful\tneg\nslow\tneg\n",  # English rows under English rows
        "体育\t中国队夺冠\n财经\t股市大涨\n",
    ],
)
def test_a_tsv_without_a_header_keeps_its_first_row(tmp_path, content):
    data = tmp_path / "d.tsv"
    data.write_text(content, encoding="utf-8")
    assert len(list(read_labeled([str(data)]))) == len(content.splitlines())
