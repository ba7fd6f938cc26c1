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
    stats = ReadStats()
    records = list(read_labeled([str(path)], stats=stats))
    layout = stats.layouts[str(path)]
    out = io.StringIO()
    write_header(out, layout)
    for r in records:
        write_labeled(out, r, r.text, layout)
    assert out.getvalue() == path.read_text(encoding="utf-8")


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
