"""One data contract for every command: tabular input keeps its rows, models remember their
columns, plain text is read as documented, and results that cannot be right are refused."""

from __future__ import annotations

import json

import pytest

from textkit.io.tabular import read_labeled

CAT_CSV = (
    "id,cat,label,review\n"
    "1,手机,1,手机很好用，屏幕清晰\n"
    "2,手机,0,手机发热严重，电池不耐用\n"
    "3,酒店,1,酒店干净，服务热情\n"
    "4,酒店,0,酒店房间很小，隔音差\n"
    "5,手机,1,这款手机拍照清楚\n"
    "6,酒店,0,酒店早餐难吃\n"
    "7,手机,0,手机卡顿\n"
    "8,酒店,1,酒店位置方便\n"
)


@pytest.fixture(scope="module")
def cat_model(tmp_path_factory):
    """A model trained on the `review` text and the `cat` label of CAT_CSV."""
    from typer.testing import CliRunner

    from textkit.cli import app

    folder = tmp_path_factory.mktemp("cat")
    data = folder / "cat.csv"
    data.write_text(CAT_CSV, encoding="utf-8")
    model = folder / "cat.model"
    args = ["train-lr", str(data), "--text-col", "review", "--label-col", "cat"]
    result = CliRunner().invoke(app, [*args, "--min-df", "1", "-o", str(model)])
    assert result.exit_code == 0, result.output
    return data, model, result.stderr


def test_train_lr_says_which_columns_it_used_and_info_shows_them(run, cat_model):
    data, model, stderr = cat_model
    assert "8 documents (text: review, label: cat), 2 classes" in stderr
    info = run(["info", model])
    assert "data: format csv, text review, label cat\n" in info.stdout
    # The feature settings, shown once (the model file holds them twice).
    assert [line.split(":")[0] for line in info.stdout.splitlines()].count("features") == 1


def test_evaluate_uses_the_remembered_columns(run, cat_model):
    data, model, _ = cat_model
    result = run(["evaluate", "-m", model, data, "-f", "json"])
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["n"] == 8 and report["labels"] == ["手机", "酒店"]


def test_evaluate_fails_when_no_gold_label_is_known(run, cat_model):
    """Scoring against the wrong column used to print accuracy 0.0000 with exit code 0."""
    data, model, _ = cat_model
    result = run(["evaluate", "-m", model, data, "--label-col", "label"])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "Error: none of the gold labels ('0', '1') is a label of the model ('手机', '酒店') "
        "(wrong --label-col? The model was trained with label column 'cat')\n"
    )


def test_evaluate_warns_about_some_unknown_labels(run, cat_model, tmp_path):
    data, model, _ = cat_model
    mixed = tmp_path / "mixed.csv"
    mixed.write_text(CAT_CSV + "9,平板,1,平板很流畅\n", encoding="utf-8")
    result = run(["evaluate", "-m", model, mixed, "-f", "json"])
    assert result.exit_code == 0
    assert "labels the model never saw, counted as errors: '平板' (1)" in result.stderr
    assert json.loads(result.stdout)["unseen_labels"] == {"平板": 1}


def test_classify_csv_writes_the_rows_back_with_label_and_probability(run, cat_model):
    data, model, _ = cat_model
    result = run(["classify", "-m", model, data])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "id,cat,label,review,predicted_label,predicted_probability"
    assert len(lines) == 9
    assert lines[1].startswith("1,手机,1,手机很好用，屏幕清晰,手机,0.")
    # JSONL keeps every column and adds the two keys.
    obj = json.loads(run(["classify", "-m", model, data, "-f", "jsonl"]).stdout.splitlines()[1])
    assert obj["id"] == "2" and obj["review"] == "手机发热严重，电池不耐用"
    assert obj["predicted_label"] == "手机" and 0.5 < obj["predicted_probability"] <= 1


def test_classify_adds_plain_label_columns_when_free(run, cat_model, tmp_path):
    data, model, _ = cat_model
    new = tmp_path / "new.tsv"
    new.write_text("id\treview\nA\t手机屏幕很清晰\nB\t酒店服务很好\n", encoding="utf-8")
    result = run(["classify", "-m", model, new])
    assert result.stdout.splitlines()[0] == "id\treview\tlabel\tprobability"
    assert [line.split("\t")[2] for line in result.stdout.splitlines()[1:]] == ["手机", "酒店"]


def test_classify_predicts_one_label_per_line_of_stdin(run, cat_model):
    """It used to give one prediction for the whole input (fastText's predict: one a line)."""
    _, model, _ = cat_model
    result = run(["classify", "-m", model], "手机不错\n酒店很好\n")
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["<stdin>:1", "手机"],
        ["<stdin>:2", "酒店"],
    ]
    whole = run(["classify", "-m", model, "--whole-file"], "手机不错\n酒店很好\n")
    assert len(whole.stdout.splitlines()) == 1 and whole.stdout.startswith("<stdin>\t")


def test_classify_one_label_per_file_of_a_directory(run, cat_model, tmp_path):
    _, model, _ = cat_model
    (tmp_path / "a.txt").write_text("手机不错\n屏幕清晰\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("酒店很好\n", encoding="utf-8")
    result = run(["classify", "-m", model, tmp_path])
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        [str(tmp_path / "a.txt"), "手机"],
        [str(tmp_path / "b.txt"), "酒店"],
    ]
    per_line = run(["classify", "-m", model, tmp_path, "--lines"])
    assert len(per_line.stdout.splitlines()) == 3


def test_classify_reads_the_rows_of_tabular_files_in_a_directory(run, cat_model, tmp_path):
    """Each CSV or JSON-lines file of a directory used to be classified as one text,
    header and ids included (and with --lines its header line as a review)."""
    _, model, _ = cat_model
    header, *rows = CAT_CSV.splitlines(keepends=True)
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "a.csv").write_text(header + "".join(rows[:3]), encoding="utf-8")
    (tmp_path / "csv" / "b.csv").write_text(header + "".join(rows[3:]), encoding="utf-8")
    for unit in ([], ["--lines"], ["--whole-file"]):
        result = run(["classify", "-m", model, tmp_path / "csv", "--glob", "*.csv", *unit])
        assert result.exit_code == 0, result.stderr
        lines = result.stdout.splitlines()
        # Several files: each row is led by the file and line it was read from.
        assert lines[0] == "source,id,cat,label,review,predicted_label,predicted_probability"
        assert [line.split(",")[1] for line in lines[1:]] == [str(i) for i in range(1, 9)]
        assert lines[1].startswith(f"{tmp_path / 'csv' / 'a.csv'}:2,1,")
        assert lines[4].startswith(f"{tmp_path / 'csv' / 'b.csv'}:2,4,")
    (tmp_path / "json").mkdir()
    (tmp_path / "json" / "a.json").write_text(
        '{"id": 1, "review": "手机屏幕很清晰"}\n{"id": 2, "review": "酒店服务很好"}\n',
        encoding="utf-8",
    )
    result = run(["classify", "-m", model, tmp_path / "json", "--glob", "*.json"])
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(o["id"], o["label"]) for o in objs] == [(1, "手机"), (2, "酒店")]


HEADERLESS_CSV = "".join(
    f"{label},{text}\n"
    for label, text in [
        ("1", "手机很好用，屏幕清晰"),
        ("0", "电池不耐用，发热严重"),
        ("1", "拍照清楚，运行流畅"),
        ("0", "系统卡顿，经常死机"),
    ]
    * 3
)


def test_headerless_csv_keeps_its_first_row_and_the_model_its_column_indexes(run, tmp_path):
    """The first row of a CSV without a header used to be its header: one row less, and
    a model whose text column was named after a review (classify/evaluate then failed)."""
    data = tmp_path / "nohdr.csv"
    data.write_text(HEADERLESS_CSV, encoding="utf-8")
    model = tmp_path / "m.model"
    trained = run(["train-lr", data, "-o", model, "--min-df", "1"])
    assert trained.exit_code == 0, trained.stderr
    assert "12 documents (text: column 1, label: column 0)" in trained.stderr
    classified = run(["classify", "-m", model, data])
    assert classified.exit_code == 0, classified.stderr
    lines = classified.stdout.splitlines()
    assert len(lines) == 12 and lines[0].startswith("1,手机很好用，屏幕清晰,")
    scored = run(["evaluate", "-m", model, data, "-f", "json"])
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)["n"] == 12
    named = run(["train-lr", data, "-o", model, "--text-col", "1", "--label-col", "0"])
    assert "12 documents (text: column 1, label: column 0)" in named.stderr


def test_a_models_column_names_yield_to_a_csv_without_a_header(run, cat_model, tmp_path):
    """A model trained on named columns failed on the same data without its header."""
    _, model, _ = cat_model
    data = tmp_path / "nohdr.csv"
    data.write_text("手机,手机屏幕很清晰\n酒店,酒店服务很好\n手机,手机电池耐用\n", "utf-8")
    classified = run(["classify", "-m", model, data])
    assert classified.exit_code == 0, classified.stderr
    assert [line.split(",")[2] for line in classified.stdout.splitlines()] == [
        "手机",
        "酒店",
        "手机",
    ]
    scored = run(["evaluate", "-m", model, data, "-f", "json"])
    assert scored.exit_code == 0, scored.stderr
    assert json.loads(scored.stdout)["n"] == 3
    named = run(["classify", "-m", model, data, "--text-col", "review"])  # the user's name
    assert named.exit_code == 1 and "no column 'review'" in named.stderr


def test_semicolon_separated_csv_is_read(run, tmp_path):
    data = tmp_path / "odd_semicolon.csv"
    data.write_text(
        '\ufeffid;评论;评分\n101;"味道很好，\n送餐也快";5\n102;太难吃了, 再也不点;1\n',
        encoding="utf-8",
    )
    result = run(["keywords", data, "--text-col", "评论", "-f", "tsv"])
    assert result.exit_code == 0, result.stderr
    assert {line.split("\t")[0] for line in result.stdout.splitlines()} == {"101", "102"}


def test_chinese_column_names_are_found(run, tmp_path):
    data = tmp_path / "zh.csv"
    data.write_text(
        "编号,标签,内容\n"
        + "".join(f"{i},{cat},{text}\n" for i, (cat, text) in enumerate(CAT_ROWS)),
        encoding="utf-8",
    )
    result = run(["train-lr", data, "-o", tmp_path / "m.model", "--min-df", "1"])
    assert result.exit_code == 0, result.stderr
    assert "(text: 内容, label: 标签)" in result.stderr


CAT_ROWS = [(row.split(",")[1], row.split(",")[3]) for row in CAT_CSV.splitlines()[1:]]


def test_classify_reads_a_piped_csv_by_the_models_columns(run, cat_model):
    _, model, _ = cat_model
    result = run(["classify", "-m", model], CAT_CSV)
    assert "Note: <stdin>: read as csv" in result.stderr
    assert len(result.stdout.splitlines()) == 9  # the header and the 8 rows, not 9 "texts"
    semicolons = run(["classify", "-m", model], CAT_CSV.replace(",", ";"))
    assert "Note: <stdin>: read as csv" in semicolons.stderr
    assert len(semicolons.stdout.splitlines()) == 9
    as_lines = run(["classify", "-m", model, "--data-format", "text"], CAT_CSV)
    assert len(as_lines.stdout.splitlines()) == 9 and "read as" not in as_lines.stderr


def test_classify_leaves_fasttext_labels_out_of_the_text(run, cat_model):
    _, model, _ = cat_model
    result = run(["classify", "-m", model], "__label__x 酒店很好\n")
    assert result.stdout.split("\t")[1] == "酒店"
    assert "1 line(s) began with __label__" in result.stderr


def test_keywords_on_a_csv_gives_each_rows_keywords_with_its_id(run, tmp_path):
    data = tmp_path / "reviews.csv"
    data.write_text(CAT_CSV, encoding="utf-8")
    result = run(["keywords", data, "-k", "1", "--no-weights"])
    assert result.exit_code == 0, result.stderr
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        [str(i), "1"] for i in range(1, 9)
    ]
    by_col = run(["keywords", data, "-k", "1", "-f", "jsonl", "--id-col", "cat"])
    assert [json.loads(line)["source"] for line in by_col.stdout.splitlines()][:2] == [
        "手机",
        "手机",
    ]


def test_tokenize_a_tabular_file_gives_one_line_per_row(run, tmp_path):
    data = tmp_path / "r.jsonl"
    rows = [
        {"id": "a", "text": "第一行\n第二行"},
        {"id": "b", "text": ""},
        {"id": "c", "text": "好"},
    ]
    data.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    result = run(["tokenize", data])
    assert result.stdout == "第一行 第二行\n\n好\n"
    tsv = run(["tokenize", data, "-f", "tsv"])
    assert [line.split("\t")[0] for line in tsv.stdout.splitlines()] == ["a", "b", "c"]


def test_idf_of_a_csv_counts_each_row_as_a_document(run, tmp_path):
    """It used to read the whole CSV as one document: every word got IDF 1.0."""
    data = tmp_path / "reviews.csv"
    data.write_text(CAT_CSV, encoding="utf-8")
    result = run(["idf", data])
    values = {line.split(" ")[0]: float(line.split(" ")[1]) for line in result.stdout.splitlines()}
    assert values["酒店"] < values["隔音"]  # in 4 rows against 1
    assert "cat" not in values and "review" not in values  # the header is no document


def test_a_tabular_file_without_a_text_column_names_the_columns(run, tmp_path):
    data = tmp_path / "x.csv"
    data.write_text("a,b\n1,2\n", encoding="utf-8")
    result = run(["keywords", data])
    assert result.exit_code == 1
    assert "no text column (saw columns: a, b) (name it with --text-col)" in result.stderr


@pytest.mark.parametrize(
    "command", [["keywords"], ["tokenize"], ["summarize"], ["idf"], ["augment"], ["classify"]]
)
def test_json_lines_without_a_text_key_are_refused(run, tmp_path, cat_model, command):
    # every row was an empty document: no output, exit 0 (classify: the intercepts' label)
    data = tmp_path / "x.jsonl"
    data.write_text('{"body": "酒店干净", "tag": 1}\n{"body": "手机卡顿"}\n', encoding="utf-8")
    model = ["-m", str(cat_model[1])] if command == ["classify"] else []
    result = run([*command, *model, data])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"Error: {data}: no object has a text key (keys seen: body, tag) "
        "(name it with --text-col)\n"
    )


def test_json_lines_without_a_label_key_say_so(run, tmp_path):
    data = tmp_path / "x.jsonl"
    data.write_text('{"content": "酒店干净", "tag": "a"}\n', encoding="utf-8")
    result = run(["train-lr", data, "-o", tmp_path / "m.model"])
    assert result.exit_code == 1
    assert "no object has a label key (keys seen: content, tag) (name it with --label-col)" in (
        result.stderr
    )


def test_cut_utf8_file_is_read_with_a_warning(run, tmp_path):
    f = tmp_path / "cut.txt"
    f.write_bytes(("新能源汽车销量增长。" * 50).encode() + "汽".encode()[:2])
    result = run(["keywords", f, "-k", "1", "--no-weights"])
    assert result.exit_code == 0
    assert "invalid byte sequence(s) for utf-8 replaced with U+FFFD" in result.stderr
    strict = run(["keywords", f, "--encoding-errors", "strict"])
    assert strict.exit_code == 1 and "--encoding-errors replace" in strict.stderr


@pytest.mark.parametrize(
    ("name", "content", "options"),
    [
        ("m.txt", "__label__平板 __label__pos 屏幕很好\n", {}),
        ("m.jsonl", '{"text": "屏幕很好", "label": ["平板", "pos"]}\n', {}),
        ("m.csv", 'text,label\n屏幕很好,"平板,pos"\n', {"label_sep": ","}),
        ("m.tsv", "屏幕很好\t平板|pos\n", {"label_sep": "|"}),
    ],
)
def test_multi_label_rows_in_every_format(tmp_path, name, content, options):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    (record,) = read_labeled([str(path)], **options)
    assert record.text.strip() == "屏幕很好"
    assert record.labels == ["平板", "pos"] and record.label == "平板"


def test_train_lr_says_when_rows_have_several_labels(run, tmp_path):
    data = tmp_path / "ml.txt"
    data.write_text(
        "__label__a __label__b 好吃的菜\n__label__b 难吃的菜\n__label__a 好吃\n__label__b 难吃\n",
        encoding="utf-8",
    )
    result = run(["train-lr", data, "-o", tmp_path / "m.model", "--min-df", "1"])
    assert result.exit_code == 0, result.stderr
    assert "1 row(s) have several labels: training a multi-label model" in result.stderr
    assert json.loads(run(["info", tmp_path / "m.model", "-f", "json"]).stdout)["mode"] == (
        "multilabel"
    )
    args = ["train-lr", data, "-o", tmp_path / "s.model", "--min-df", "1", "--single-label"]
    result = run(args)
    assert result.exit_code == 0, result.stderr
    assert "1 training row(s) have several labels; a single-label model learns" in result.stderr


# Polish: what a new user met first.


def test_a_mistyped_command_suggests_the_right_one_once(run):
    result = run(["keywrods"])
    assert result.exit_code == 2
    # click names every close command once ('keywords', and 'newwords' too).
    assert result.stderr.count("Did you mean") == 1
    assert result.stderr.count("'keywords'") == 1


def test_a_text_file_given_as_model_is_named_as_such(run, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("这不是模型\n", encoding="utf-8")
    result = run(["classify", "-m", notes], "好\n")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {notes}: not a textkit model file (give a model file written by train-lr)\n"
    )


def test_a_cut_model_file_is_named_as_such(run, cat_model, tmp_path):
    _, model, _ = cat_model
    cut = tmp_path / "cut.model"
    cut.write_bytes(model.read_bytes()[:300])
    result = run(["classify", "-m", cut], "好\n")
    assert result.exit_code == 1 and "a truncated or damaged model file" in result.stderr


def test_evaluate_table_aligns_chinese_labels(run, cat_model):
    from textkit.classify.metrics import display_width

    data, model, _ = cat_model
    lines = run(["evaluate", "-m", model, data]).stdout.splitlines()
    table = lines[lines.index("") + 1 : lines.index("") + 4]  # header and the two labels
    assert table[0].startswith("label  precision")
    assert len({display_width(line) for line in table}) == 1  # "手机" is four columns wide


def test_headerless_tsv_text_is_the_longest_column(run, tmp_path):
    """label<TAB>text without a header: the label digit was read as the text."""
    data = tmp_path / "lt.tsv"
    data.write_text(
        "1\t谢谢骑士，辛苦了，送餐很快\n0\t太慢了，米饭都凉了，再也不点了\n", encoding="utf-8"
    )
    out = run(["keywords", data, "-k", "1", "--no-weights"]).stdout
    assert out == f"{data}:1\t1\t骑士\n{data}:2\t1\t米饭\n"
    from textkit.io.tabular import read_labeled

    records = list(read_labeled([str(data)], data_format="tsv"))
    assert [(r.text[:2], r.label) for r in records] == [("谢谢", "1"), ("太慢", "0")]


def test_json_files_of_json_lines_are_read_as_jsonl(run, tmp_path):
    data = tmp_path / "rows.json"
    data.write_text(
        '{"id": "a", "sentence": "湖人队主场击败勇士队"}\n'
        '{"id": "b", "sentence": "央行宣布降息"}\n',
        encoding="utf-8",
    )
    out = run(["keywords", data, "-k", "1", "--no-weights"]).stdout.splitlines()
    assert [line.split("\t")[0] for line in out] == ["a", "b"]
    assert "sentence" not in run(["tokenize", data]).stdout


def test_evaluate_on_a_text_column_names_it_briefly(run, cat_model):
    """--label-col review quoted whole reviews as 'labels' (a 1.5 KB line); a column the
    file lacks was 'no label column' though the file has one named label."""
    data, model, _ = cat_model
    result = run(["evaluate", "-m", model, data, "--label-col", "id"])
    assert result.exit_code == 1
    (line,) = result.stderr.splitlines()
    assert "distinct values, e.g. " in line and len(line) < 400
    same = run(["evaluate", "-m", model, data, "--label-col", "review"])  # the text column
    assert same.exit_code == 1 and "the text and the label are the same column" in same.stderr
    missing = run(["evaluate", "-m", model, data, "--label-col", "nosuch"])
    assert missing.exit_code == 1 and "no column 'nosuch' (saw columns: " in missing.stderr


def test_tabular_documents_are_decoded_as_read_not_whole(tmp_path, monkeypatch):
    """A large CSV export was read into memory whole before its first row was used."""
    import pathlib

    from textkit.io.readers import iter_documents

    data = tmp_path / "big.csv"
    data.write_text("id,review\n1,好吃\n2,太慢\n", encoding="utf-8")
    real = pathlib.Path.read_bytes

    def refuse(self):
        assert self != data, "the whole file was read at once"
        return real(self)

    monkeypatch.setattr(pathlib.Path, "read_bytes", refuse)
    assert [(d.source, d.text) for d in iter_documents([str(data)])] == [
        ("1", "好吃"),
        ("2", "太慢"),
    ]


def test_fasttext_lines_in_a_text_file_are_rows_without_their_labels(run, tmp_path):
    """keywords ranked 'label' and the label names first on a .txt of fastText lines."""
    data = tmp_path / "f.txt"
    data.write_text(
        "__label__food 红烧肉很好吃，肥而不腻\n__label__delivery 配送太慢了，等了两个小时\n",
        encoding="utf-8",
    )
    out = run(["keywords", data, "-k", "1", "--no-weights"]).stdout
    assert out == f"{data}:1\t1\t红烧肉\n{data}:2\t1\t配送\n"
    tokens = run(["tokenize", data]).stdout
    assert "label" not in tokens and "红烧肉" in tokens


def test_headerless_tsv_with_chinese_labels_first(run, tmp_path):
    """体育<TAB>text: the label word was tokenized, summarized and classified."""
    data = tmp_path / "zl.tsv"
    data.write_text(
        "房产\t通州武夷城市花园推出新房源，均价两万\n游戏\t暴雪发布新游戏，玩家期待已久\n",
        encoding="utf-8",
    )
    assert run(["tokenize", data]).stdout.splitlines()[0].startswith("通州 武夷")
    short = tmp_path / "en.tsv"  # English labels next to short texts
    short.write_text("negative\t少送了辣白菜\npositive\t好吃\n", encoding="utf-8")
    assert run(["tokenize", short]).stdout == "少送 了 辣白菜\n好吃\n"


def test_cr_only_tsv_and_same_text_and_label_column(tmp_path):
    from textkit.errors import DataFormatError
    from textkit.io.tabular import read_labeled

    cr = tmp_path / "cr.tsv"  # lines ended by CR alone: was one row
    cr.write_bytes("主队逆转取胜\t体育\r股市今天大涨\t财经\r".encode())
    assert [(r.text, r.label) for r in read_labeled([str(cr)])] == [
        ("主队逆转取胜", "体育"),
        ("股市今天大涨", "财经"),
    ]
    data = tmp_path / "d.csv"  # --text-col label: every text its own label
    data.write_text("label,review\n1,好吃\n0,难吃\n", encoding="utf-8")
    with pytest.raises(DataFormatError, match="the text and the label are the same column"):
        list(read_labeled([str(data)], text_col="label"))


def test_a_json_array_is_one_clear_error(run, tmp_path):
    data = tmp_path / "arr.json"
    data.write_text(
        '[\n  {"text": "好吃", "label": "1"},\n  {"text": "难吃"}\n]\n', encoding="utf-8"
    )
    result = run(["keywords", data])
    assert result.exit_code == 1
    assert (
        result.stderr.count("\n") == 1 and "a JSON array; textkit reads JSON Lines" in result.stderr
    )


def test_headerless_tsv_written_as_csv_or_jsonl_names_its_columns(run, tmp_path, cat_model):
    _, model, _ = cat_model
    data = tmp_path / "s.tsv"
    data.write_text("手机屏幕很清晰\t手机\n", encoding="utf-8")
    csv_out = run(["classify", "-m", model, data, "-f", "csv"]).stdout.splitlines()
    assert csv_out[0] == "text,column_1,label,probability"
    assert csv_out[1].startswith("手机屏幕很清晰,手机,")
    out = tmp_path / "o.jsonl"  # -o's extension chooses the format for rows too
    assert run(["classify", "-m", model, data, "-o", out]).exit_code == 0
    row = json.loads(out.read_text(encoding="utf-8"))
    assert row["text"] == "手机屏幕很清晰" and row["column_1"] == "手机" and "label" in row


def test_classify_says_when_text_lines_hold_tabs(run, tmp_path, cat_model):
    """text<TAB>label lines in a .txt were classified with the label as part of the text."""
    _, model, _ = cat_model
    data = tmp_path / "t.txt"
    data.write_text("手机屏幕很清晰\t手机\n酒店房间干净\t酒店\n", encoding="utf-8")
    result = run(["classify", "-m", model, data])
    assert result.exit_code == 0 and len(result.stdout.splitlines()) == 2
    assert "2 plain-text document(s) hold a tab" in result.stderr
    quiet = run(["classify", "-m", model, data, "--data-format", "tsv"])
    assert "hold a tab" not in quiet.stderr


def test_classify_reads_each_file_of_a_mixed_directory_in_its_own_format(run, cat_model, tmp_path):
    """A directory of a CSV, a JSON-lines and a text file stopped at the second format
    ("a different format or header than the first input"). Several inputs of several
    formats give one record per row, named by its file and line."""
    _, model, _ = cat_model
    folder = tmp_path / "mix"
    folder.mkdir()
    (folder / "a.csv").write_text("id,review\n1,手机屏幕很清晰\n2,酒店服务很好\n", encoding="utf-8")
    (folder / "b.jsonl").write_text('{"id": 7, "review": "酒店房间干净"}\n', encoding="utf-8")
    (folder / "c.txt").write_text("这款手机拍照清楚\n", encoding="utf-8")
    result = run(["classify", "-m", model, folder, "--glob", "*"])
    assert result.exit_code == 0, result.stderr
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        [f"{folder / 'a.csv'}:2", "手机"],
        [f"{folder / 'a.csv'}:3", "酒店"],
        [f"{folder / 'b.jsonl'}:1", "酒店"],
        [str(folder / "c.txt"), "手机"],
    ]
    # The same from file arguments (a named text file: a record a line), as JSON lines.
    files = [folder / "a.csv", folder / "b.jsonl", folder / "c.txt"]
    objs = [
        json.loads(line)
        for line in run(["classify", "-m", model, *files, "-f", "jsonl"]).stdout.splitlines()
    ]
    assert [o["source"] for o in objs] == [
        f"{folder / 'a.csv'}:2",
        f"{folder / 'a.csv'}:3",
        f"{folder / 'b.jsonl'}:1",
        f"{folder / 'c.txt'}:1",
    ]
    # One file: its rows written back as they were, no source column.
    single = run(["classify", "-m", model, folder / "a.csv"]).stdout.splitlines()
    assert single[0] == "id,review,label,probability"


def test_classify_stacks_json_lines_of_files_with_different_columns(run, cat_model, tmp_path):
    _, model, _ = cat_model
    (tmp_path / "a.csv").write_text("id,review\n1,手机屏幕很清晰\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("review,shop\n酒店服务很好,x\n", encoding="utf-8")
    csv_out = run(["classify", "-m", model, tmp_path / "a.csv", tmp_path / "b.csv"])
    assert csv_out.exit_code == 1 and "write JSON lines: -f jsonl" in csv_out.stderr
    result = run(["classify", "-m", model, tmp_path / "a.csv", tmp_path / "b.csv", "-f", "jsonl"])
    assert result.exit_code == 0, result.stderr
    objs = [json.loads(line) for line in result.stdout.splitlines()]
    assert objs[0] == {
        "source": f"{tmp_path / 'a.csv'}:2",
        "id": "1",
        "review": "手机屏幕很清晰",
        "label": "手机",
        "probability": objs[0]["probability"],
    }
    assert objs[1]["shop"] == "x" and objs[1]["source"] == f"{tmp_path / 'b.csv'}:2"


@pytest.mark.parametrize("delimiter", [";", "|"])
def test_classify_writes_csv_rows_back_with_their_delimiter(run, cat_model, tmp_path, delimiter):
    """Rows of a semicolon-separated CSV came back comma-separated."""
    import csv

    _, model, _ = cat_model
    data = tmp_path / "in.csv"
    data.write_text(CAT_CSV.replace(",", delimiter), encoding="utf-8")
    out = tmp_path / "out.csv"
    for args in ([], ["-f", "csv"], ["-o", out]):
        result = run(["classify", "-m", model, data, *args])
        assert result.exit_code == 0, result.stderr
        text = out.read_text(encoding="utf-8") if args[:1] == ["-o"] else result.stdout
        rows = list(csv.reader(text.splitlines(), delimiter=delimiter))
        assert rows[0] == [
            "id",
            "cat",
            "label",
            "review",
            "predicted_label",
            "predicted_probability",
        ]
        assert rows[1][:5] == ["1", "手机", "1", "手机很好用，屏幕清晰", "手机"]
        assert all(len(row) == 6 for row in rows)
    tsv = run(["classify", "-m", model, data, "-f", "tsv"]).stdout.splitlines()
    assert tsv[0] == "id\tcat\tlabel\treview\tpredicted_label\tpredicted_probability"


def test_a_remembered_column_the_file_lacks_falls_back_to_the_usual_names(run, cat_model, tmp_path):
    """A model trained on a `review` column refused files whose text is in `content`."""
    _, model, _ = cat_model
    for name in ("a.csv", "b.csv"):
        (tmp_path / name).write_text(
            "cat,content\n手机,手机屏幕很清晰\n酒店,酒店服务很好\n", encoding="utf-8"
        )
    result = run(["classify", "-m", model, tmp_path / "a.csv", tmp_path / "b.csv"])
    assert result.exit_code == 0, result.stderr
    assert [line.split(",")[-2] for line in result.stdout.splitlines()[1:]] == ["手机", "酒店"] * 2
    assert result.stderr == (
        f"Note: {tmp_path / 'a.csv'}: no column 'review' (the model's text column): "
        "using 'content' (--text-col names another)\n"
    )
    evaluate = run(["evaluate", "-m", model, tmp_path / "a.csv", "-f", "json"])
    assert evaluate.exit_code == 0, evaluate.stderr
    assert json.loads(evaluate.stdout)["accuracy"] == 1.0
    assert "using 'content'" in evaluate.stderr
    (tmp_path / "none.csv").write_text("cat,words\n手机,手机屏幕很清晰\n", encoding="utf-8")
    missing = run(["classify", "-m", model, tmp_path / "none.csv"])
    assert missing.exit_code == 1
    assert missing.stderr == (
        f"Error: {tmp_path / 'none.csv'}: no column 'review' (the model's text column) and no "
        "usual text column (saw columns: cat, words) (name it with --text-col)\n"
    )


def test_remembered_columns_fall_back_in_json_lines_and_headerless_tsv(tmp_path):
    from textkit.errors import ColumnFallback

    notes: list = []
    data = tmp_path / "a.jsonl"
    data.write_text('{"content": "好吃", "label": 1}\n{"content": "难吃", "label": 0}\n')
    records = list(
        read_labeled(
            [str(data)],
            text_col="评论",
            remembered=["text"],
            require_label=False,
            on_error=notes.append,
        )
    )
    assert [r.text for r in records] == ["好吃", "难吃"]
    assert len(notes) == 1 and isinstance(notes[0], ColumnFallback) and "'content'" in str(notes[0])
    # A headerless TSV was read with its first row as a header when a model named a column.
    tsv = tmp_path / "a.tsv"
    tsv.write_text("味道很好，下次还来\t1\n太难吃了\t0\n", encoding="utf-8")
    rows = read_labeled([str(tsv)], text_col="评论", remembered=["text"], require_label=False)
    assert [r.text for r in rows] == ["味道很好，下次还来", "太难吃了"]


def test_json_lines_written_as_tsv_keep_their_keys_as_a_header(tmp_path, run):
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"text": "这家店很好吃", "label": "1"}\n{"text": "太慢了", "label": "0"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.tsv"
    result = run(["augment", source, "-n", "1", "--seed", "1", "-o", out])
    assert result.exit_code == 0
    assert out.read_text(encoding="utf-8").splitlines()[:3] == [
        "text\tlabel",
        "这家店很好吃\t1",
        "太慢了\t0",
    ]


def test_the_remembered_columns_hold_in_every_table_format(run, cat_model, tmp_path):
    """A model trained on a CSV's `review` column read another column of a TSV or JSONL
    (the usual name `text`) and labelled the wrong text, with no word."""
    _, model, _ = cat_model
    tsv = tmp_path / "both.tsv"
    tsv.write_text("cat\ttext\treview\n手机\t酒店服务很好\t手机屏幕很清晰\n", encoding="utf-8")
    jsonl = tmp_path / "both.jsonl"
    jsonl.write_text(
        '{"cat": "手机", "text": "酒店服务很好", "review": "手机屏幕很清晰"}\n', encoding="utf-8"
    )
    out = run(["classify", "-m", model, tsv, "-f", "tsv"])
    assert out.exit_code == 0, out.stderr
    assert out.stdout.splitlines()[1].split("\t")[3] == "手机"
    out = run(["classify", "-m", model, jsonl])
    assert json.loads(out.stdout)["label"] == "手机"
    evaluate = run(["evaluate", "-m", model, tsv, "-f", "json"])
    assert evaluate.exit_code == 0, evaluate.stderr
    assert json.loads(evaluate.stdout)["accuracy"] == 1.0


def test_a_headerless_tsv_written_as_json_lines_names_its_label_so_it_reads_back(tmp_path, run):
    source = tmp_path / "titles.tsv"
    source.write_text("这家店的菜很好吃\t1\n送餐太慢了\t0\n", encoding="utf-8")
    out = tmp_path / "aug.jsonl"
    assert run(["augment", source, "-n", "1", "--no-balance", "-o", out]).exit_code == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows[0] == {"text": "这家店的菜很好吃", "label": "1"}
    assert all(set(row) == {"text", "label"} for row in rows)
    model = tmp_path / "m.model"
    trained = run(["train-lr", out, "--min-df", "1", "-C", "1", "-o", model])
    assert trained.exit_code == 0, trained.stderr
    assert "(text: text, label: label), 2 classes" in trained.stderr


def test_several_fasttext_labels_written_as_rows_read_back_as_several(tmp_path, run):
    source = tmp_path / "ml.txt"
    source.write_text(
        "__label__a __label__b 味道很好，送餐很快\n__label__a 这家店的菜很好吃\n"
        "__label__a __label__b 米饭很香，服务周到\n__label__b 送餐很快，包装很好\n",
        encoding="utf-8",
    )
    jsonl, tsv = tmp_path / "out.jsonl", tmp_path / "out.tsv"
    for out in (jsonl, tsv):
        args = ["augment", source, "--data-format", "fasttext", "-n", "1", "--no-balance"]
        assert run([*args, "-o", out]).exit_code == 0
    assert json.loads(jsonl.read_text(encoding="utf-8").splitlines()[0])["label"] == ["a", "b"]
    trained = run(["train-lr", jsonl, "--min-df", "1", "-C", "1", "-o", tmp_path / "m"])
    assert trained.exit_code == 0, trained.stderr
    assert ", 2 labels," in trained.stderr  # multi-label: a and b
    # joined in a TSV: one class "a,b" unless --label-sep says otherwise, and train-lr says so
    assert tsv.read_text(encoding="utf-8").splitlines()[1] == "味道很好，送餐很快\ta,b"
    trained = run(["train-lr", tsv, "--min-df", "1", "-C", "1", "-o", tmp_path / "m"])
    assert "labels look like lists ('a,b')" in trained.stderr
    assert "--label-sep ','" in trained.stderr


def test_a_model_saved_in_the_folder_it_classifies_is_not_read_as_input(tmp_path, run, cat_model):
    _, model, _ = cat_model
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text("手机屏幕很清晰\n", encoding="utf-8")
    inside = folder / "cat.model"
    inside.write_bytes(model.read_bytes())
    result = run(["classify", "-m", inside, folder, "--glob", "*"])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{folder / 'a.txt'}\t手机\t")


def test_a_csv_text_with_an_unquoted_comma_is_not_cut(run, tmp_path, cat_model):
    # 1,好吃,便宜,实惠 under label,review was read as the text 好吃: the rest lost, and
    # classify wrote the row back with its cells shifted under the header
    data = tmp_path / "r.csv"
    data.write_text("label,review\n1,好吃,便宜,实惠\n0,太难吃了\n", encoding="utf-8")
    result = run(["tokenize", data])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "好吃 , 便宜 , 实惠"
    assert result.stderr == (
        f"Note: {data}:2: rows with more fields than the header: the extra ones are read "
        "as part of the text, its last column\n"
    )
    written = run(["classify", "-m", cat_model[1], data]).stdout.splitlines()
    assert written[1].startswith('1,"好吃,便宜,实惠",')


def test_a_csv_row_whose_label_a_comma_shifted_is_skipped(run, tmp_path):
    # 好吃,便宜,1 under review,label was trained as text 好吃 with the label 便宜
    data = tmp_path / "r.csv"
    data.write_text("review,label\n好吃,便宜,1\n太难吃了,0\n很好吃,1\n", encoding="utf-8")
    result = run(["train-lr", data, "--min-df", "1", "-o", tmp_path / "m.model"])
    assert result.exit_code == 0
    assert f"Warning: {data}:2: 3 fields where the header has 2: row skipped" in result.stderr
    assert "2 documents (text: review, label: label), 2 classes" in result.stderr
    trailing = tmp_path / "t.csv"  # empty cells after the last column are no extra field
    trailing.write_text("review,label\n好吃,1,,\n难吃,0,\n", encoding="utf-8")
    assert run(["tokenize", trailing]).stderr == ""


def test_a_tsv_row_split_by_a_tab_in_its_text(run, tmp_path):
    # text<TAB>label with 好吃<TAB>便宜<TAB>pos was trained with the label 便宜
    data = tmp_path / "r.tsv"
    data.write_text("text\tlabel\n好吃\t便宜\tpos\n难吃\tneg\n很好吃\tpos\n", encoding="utf-8")
    result = run(["train-lr", data, "--min-df", "1", "-o", tmp_path / "m.model"])
    assert f"Warning: {data}:2: 3 fields where the header has 2: row skipped (a tab" in (
        result.stderr
    )
    assert "2 classes" in result.stderr
    last = tmp_path / "l.tsv"  # the text last: the tab is kept inside it
    last.write_text("label\ttext\npos\t好吃\t便宜\n", encoding="utf-8")
    assert run(["tokenize", last]).stdout == "好吃 便宜\n"


def test_a_header_names_the_columns_a_headerless_model_remembered_by_number(run, tmp_path):
    # a model trained on text<TAB>label without a header, given label<TAB>text with one:
    # it classified the label column ('pos') as the text, every row at the intercepts
    train = tmp_path / "train.tsv"
    train.write_text("送餐很快，好吃\tpositive\n太难吃了，很慢\tnegative\n" * 4, encoding="utf-8")
    model = tmp_path / "m.model"
    assert run(["train-lr", train, "--min-df", "1", "-o", model]).exit_code == 0
    data = tmp_path / "new.tsv"
    data.write_text("label\ttext\nx\t送餐很快，好吃\nx\t太难吃了，很慢\n", encoding="utf-8")
    result = run(["classify", "-m", model, data])
    assert [line.split("\t")[2] for line in result.stdout.splitlines()[1:]] == [
        "positive",
        "negative",
    ]
    assert result.stderr == (
        f"Note: {data}: its header names the text column 'text': used instead of the "
        "model's column 0 (--text-col names another)\n"
    )


def test_classify_says_when_the_text_column_holds_labels(run, cat_model, tmp_path):
    # --text-col cat: every row classified from 手机 or 酒店, without a word
    data = tmp_path / "many.csv"
    data.write_text("id,cat,review\n" + "".join(f"{i},手机,很好用\n" for i in range(30)), "utf-8")
    result = run(["classify", "-m", cat_model[1], data, "--text-col", "cat"])
    assert result.exit_code == 0
    assert "Warning: the texts of 30 rows take 1 value(s) only ('手机'): is that the text " in (
        result.stderr
    )
    assert "take" not in run(["classify", "-m", cat_model[1], cat_model[0]]).stderr


def test_classify_says_when_no_feature_of_a_text_is_known(run, cat_model):
    result = run(["classify", "-m", cat_model[1]], input="~~~~\n手机很好用\n")
    assert result.exit_code == 0
    assert result.stderr == (
        "Warning: 1 of 2 document(s) hold no feature the model knows: labeled by its "
        "intercepts alone (the wrong column given as --text-col, or text unlike the training "
        "data?)\n"
    )


def test_many_rows_with_too_many_fields_are_named_three_then_counted(run, tmp_path):
    data = tmp_path / "wide.csv"
    data.write_text("review,label\n" + "好吃,便宜,1\n" * 10 + "难吃,0\n", encoding="utf-8")
    result = run(["tokenize", data])
    assert result.exit_code == 1
    assert result.stdout == "难吃\n"
    warned = result.stderr.splitlines()
    assert len(warned) == 5  # three rows, the count of the rest, the summary
    assert warned[3] == f"Warning: {data}: 7 more row(s) with too many fields skipped (10 in all)"
    # every skipped row counts (the rest were one failure: "4 input(s) failed")
    assert warned[4] == "textkit: 10 input(s) failed, 1 documents processed"


def test_a_choice_among_several_text_columns_is_noted(run, tmp_path):
    data = tmp_path / "news.csv"
    data.write_text("id,title,content\n1,股市大涨,今天股市大涨，投资者信心回升。\n", "utf-8")
    result = run(["tokenize", data])
    assert result.stdout == "今天 股市 大涨 ， 投资者 信心 回升 。\n"
    assert result.stderr == (
        f"Note: {data}: several text columns (title, content): using 'content' "
        "(--text-col names another)\n"
    )
    assert run(["tokenize", data, "--text-col", "title"]).stderr == ""


def test_id_col_problems_name_their_file(run, tmp_path):
    """Rows without an id, or with an id seen before, were named silently (an empty id cell
    gave an empty source); each problem now gets a warning that names its file."""
    (tmp_path / "a.csv").write_text("id,review\n1,味道很好\n1,太难吃了\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(
        '{"sentence": "菜凉了", "x": 7}\n{"sentence": "好吃"}\n', encoding="utf-8"
    )
    (tmp_path / "c.csv").write_text("id,review\n5,味道很好\n,太难吃了\n", encoding="utf-8")
    result = run(["tokenize", "--format", "tsv", "--id-col", "x", tmp_path / "b.jsonl"])
    assert result.stdout.splitlines()[0] == "7\t菜凉 了"
    assert result.stdout.splitlines()[1] == f"{tmp_path / 'b.jsonl'}:2\t好吃"
    assert f"Warning: {tmp_path / 'b.jsonl'}: 1 row(s) without a value in --id-col x" in (
        result.stderr
    )
    both = run(["tokenize", "--id-col", "id", tmp_path / "a.csv", tmp_path / "b.jsonl"])
    warnings = [line for line in both.stderr.splitlines() if line.startswith("Warning:")]
    assert warnings == [
        f"Warning: {tmp_path / 'a.csv'}: 1 row(s) repeat an id of an earlier row in --id-col id "
        f"('1' again at {tmp_path / 'a.csv'}:3): their results cannot be told apart by id",
        f"Warning: {tmp_path / 'b.jsonl'}: no row has a value in --id-col id: rows named path:LINE",
    ]
    assert both.exit_code == 0  # notices, not failures
    empty = run(["summarize", "-n", "1", tmp_path / "c.csv"])  # the default id column
    assert [line.split("\t")[0] for line in empty.stdout.splitlines()] == [
        "5",
        f"{tmp_path / 'c.csv'}:3",
    ]


def test_a_remembered_text_column_without_chinese_yields_to_the_text(run, tmp_path):
    """A model trained on text<TAB>label read `date<TAB>text` lines (a .txt, taken for
    TSV as the model's data) by its column 0, and labeled every row by its date, exit 0."""
    train = tmp_path / "train.tsv"
    rows = [
        "手机屏幕很清晰\t手机",
        "酒店房间干净\t酒店",
        "手机电池耐用\t手机",
        "酒店早餐好吃\t酒店",
    ]
    train.write_text("\n".join(rows * 3) + "\n", encoding="utf-8")
    model = tmp_path / "m.model"
    assert run(["train-lr", train, "--min-df", "1", "-C", "10", "-o", model]).exit_code == 0
    data = tmp_path / "log.txt"
    data.write_text("2024-01-01\t手机屏幕清晰\n2024-01-02\t酒店房间干净\n", encoding="utf-8")
    result = run(["classify", "-m", model, data])
    assert result.exit_code == 0, result.stderr
    assert [line.split("\t")[2] for line in result.stdout.splitlines()] == ["手机", "酒店"]
    assert "column 0 (the model's text column) holds no Chinese text: using column 1" in (
        result.stderr
    )
    named = run(["classify", "-m", model, data, "--text-col", "0"])  # the user's word holds
    assert "holds no Chinese" not in named.stderr


def test_classify_format_help_says_rows_keep_their_format(run, cat_model):
    """The help said the default output was table or tsv; a CSV's rows come back as CSV."""
    data, model, _ = cat_model
    result = run(["classify", "-m", model, data])
    assert result.stdout.startswith("id,cat,label,review,")  # CSV, not TSV
    assert "the rows' own format for CSV/TSV/JSONL input" in " ".join(
        run(["classify", "--help"]).stdout.split()
    )


def test_train_lr_on_a_directory_saves_the_model_with_its_files(run, tmp_path):
    """train-lr on a directory trained, then failed with a traceback (IsADirectoryError)
    hashing the directory as a training file; no model was written."""
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "a.tsv").write_text("很好吃\tpos\n太难吃了\tneg\n", encoding="utf-8")
    (folder / "b.tsv").write_text("好吃\tpos\n难吃\tneg\n", encoding="utf-8")
    model = tmp_path / "m.model"
    result = run(["train-lr", folder, "-o", model, "--min-df", "1", "-C", "1"])
    assert result.exit_code == 0, result.stderr
    info = json.loads(run(["info", model, "--format", "json"]).stdout)
    assert [f["path"] for f in info["training_files"]] == [
        str(folder / "a.tsv"),
        str(folder / "b.tsv"),
    ]
    assert all(len(f["sha256"]) == 64 for f in info["training_files"])


def test_evaluate_leaves_out_a_model_saved_in_the_folder_it_scores(run, tmp_path, cat_model):
    """As classify does: the model in the data folder was read as data (a binary-file
    warning, exit 1)."""
    data, model, _ = cat_model
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "cat.csv").write_text(data.read_text("utf-8"), encoding="utf-8")
    (folder / "cat.model").write_bytes(model.read_bytes())
    result = run(["evaluate", "-m", folder / "cat.model", folder])
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "" and result.stdout.startswith("N\t8\n")


def test_classify_reads_a_utf16_txt_of_tsv_rows_as_the_model_was_trained(run, tmp_path):
    """Excel's "Unicode text" export (UTF-16 with a BOM, tab-separated, .txt): a model
    trained on it classified its lines whole, the header and the labels included."""
    data = tmp_path / "export.txt"
    rows = "review\tlabel\r\n" + "很快，好吃\t1\r\n太慢了\t0\r\n好吃不贵\t1\r\n难吃\t0\r\n" * 3
    data.write_bytes(rows.encode("utf-16"))
    model = tmp_path / "m.model"
    assert run(["train-lr", data, "-o", model, "--min-df", "1", "-C", "10"]).exit_code == 0
    result = run(["classify", "-m", model, data])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "review\tlabel\tpredicted_label\tpredicted_probability"
    assert [line.split("\t")[2] for line in lines[1:5]] == ["1", "0", "1", "0"]
    assert "hold a tab" not in result.stderr


def test_labels_that_were_json_integers_come_back_as_integers(run, tmp_path):
    """FewCLUE's labels are JSON integers (100, 101...): classify wrote "101", so jq's
    `select(.label == .predicted_label)` matched no row."""
    rows = [
        ("手机屏幕很清晰", 100),
        ("酒店房间干净", 101),
        ("手机电池耐用", 100),
        ("酒店早餐好吃", 101),
    ]
    data = tmp_path / "train.json"
    data.write_text(
        "".join(json.dumps({"sentence": t, "label": y}, ensure_ascii=False) + "\n" for t, y in rows)
        * 3,
        encoding="utf-8",
    )
    model = tmp_path / "m.model"
    assert run(["train-lr", data, "-o", model, "--min-df", "1", "-C", "10"]).exit_code == 0
    out = [json.loads(line) for line in run(["classify", "-m", model, data]).stdout.splitlines()]
    assert [o["predicted_label"] for o in out[:4]] == [100, 101, 100, 101]
    plain = run(["classify", "-m", model, "-f", "jsonl", "-k", "2"], "手机很清晰\n")
    assert [t["label"] for t in json.loads(plain.stdout)["top"]] == [100, 101]
    as_tsv = run(["classify", "-m", model, data, "-f", "tsv"]).stdout.splitlines()
    assert as_tsv[1].split("\t")[2] == "100"
    strings = tmp_path / "s.json"  # labels that were strings stay strings
    strings.write_text(data.read_text("utf-8").replace(": 100", ': "100"'), encoding="utf-8")
    assert run(["train-lr", strings, "-o", model, "--min-df", "1", "-C", "10"]).exit_code == 0
    again = run(["classify", "-m", model, strings]).stdout.splitlines()
    assert json.loads(again[0])["predicted_label"] == "100"
    # A streaming fit remembers them too.
    assert run(["train-lr", data, "-o", model, "--streaming", "-q"]).exit_code == 0
    streamed = run(["classify", "-m", model, data]).stdout.splitlines()
    assert isinstance(json.loads(streamed[0])["predicted_label"], int)


def test_a_json_text_that_is_a_list_of_paragraphs_is_read_as_text(run, tmp_path):
    """A list in the text field was read as Python's repr of it: ['第一段。', '第二段']
    tokenized as [ ' 第一段 。 ' , ..."""
    data = tmp_path / "p.jsonl"
    data.write_text(
        '{"text": ["第一段。", "第二段"]}\n{"text": 123}\n{"text": {"a": "中文"}}\n', "utf-8"
    )
    result = run(["tokenize", data])
    assert result.stdout == '第一段 。 第二段\n123\n{ " a " : " 中文 " }\n'
