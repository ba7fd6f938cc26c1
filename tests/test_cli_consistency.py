"""Options that mean the same thing are spelled the same way in every command."""

from __future__ import annotations


def test_info_takes_the_model_as_classify_and_evaluate_do(run, samples, tmp_path):
    """`textkit info -m m.model` (as `classify -m`, `evaluate -m`) was a usage error."""
    model = tmp_path / "m.model"
    assert run(["train-lr", samples / "labeled" / "reviews.tsv", "-o", model]).exit_code == 0
    positional = run(["info", model])
    option = run(["info", "-m", model])
    assert option.exit_code == 0, option.stderr
    assert option.stdout == positional.stdout and option.stdout.startswith("kind: ")
    for args in (["info"], ["info", "-m", model, model]):
        refused = run(args)
        assert refused.exit_code == 2 and "name one model file" in refused.stderr


def test_keywords_warns_of_a_pos_tag_no_word_has(run, tmp_path):
    """`--pos NN` (a Penn tag) printed nothing, exit 0, and said nothing."""
    penn = run(["keywords", "--pos", "NN,noun"], input="我爱北京天安门\n")
    assert penn.exit_code == 0 and penn.stdout == ""
    assert "'NN', 'noun' is not a jieba POS tag" in penn.stderr
    assert penn.stderr.splitlines()[1:] == ["Note: 1 of 1 documents have no keyword (too short?)"]
    mixed = run(["keywords", "--pos", "ns,NN"], input="我爱北京天安门\n")
    assert "天安门" in mixed.stdout and "'NN' is not" in mixed.stderr
    known = run(["keywords", "--pos", "n,ns,vn"], input="我爱北京天安门\n")
    assert known.stderr == "" and "天安门" in known.stdout
    user_dict = tmp_path / "words.txt"  # a user dictionary may bring its own tags
    user_dict.write_text("天安门 10 landmark\n", encoding="utf-8")
    own = run(["keywords", "--pos", "landmark", "--user-dict", user_dict], input="天安门\n")
    assert own.exit_code == 0 and "not a jieba POS tag" not in own.stderr


def test_classify_warns_of_tabs_only_when_the_format_was_guessed(run, samples, tmp_path):
    """--data-format text still warned 'for tab-separated data pass --data-format tsv'."""
    model = tmp_path / "m.model"
    # trained on CSV: a .txt holding tabs is not its training data
    assert run(["train-lr", samples / "labeled" / "reviews.csv", "-o", model]).exit_code == 0
    lines = tmp_path / "lines.txt"
    lines.write_text("送餐很快，好吃\tpositive\n菜都凉了\tnegative\n", encoding="utf-8")
    guessed = run(["classify", "-m", model, lines])
    assert "2 plain-text document(s) hold a tab" in guessed.stderr
    asked = run(["classify", "-m", model, lines, "--data-format", "text"])
    assert asked.exit_code == 0 and asked.stderr == ""
    assert len(asked.stdout.splitlines()) == 2


def test_classify_reads_a_txt_of_tsv_rows_as_the_model_was_trained(run, tmp_path):
    """A THUCNews-style .txt (title<TAB>label) was classified whole, label included, by a
    model trained on such a file."""
    train = tmp_path / "train.txt"
    rows = [
        "手机屏幕很清晰\t手机",
        "酒店房间干净\t酒店",
        "手机电池耐用\t手机",
        "酒店早餐丰富\t酒店",
    ]
    train.write_text("\n".join(rows * 5) + "\n", encoding="utf-8")
    model = tmp_path / "m.model"
    assert run(["train-lr", train, "-o", model]).exit_code == 0
    test = tmp_path / "test.txt"
    test.write_text("手机很清晰\t酒店\n酒店很干净\t手机\n", encoding="utf-8")
    result = run(["classify", "-m", model, test])
    assert result.exit_code == 0 and "hold a tab" not in result.stderr
    assert "as tsv, as the model's training data" in result.stderr
    rows_out = [line.split("\t") for line in result.stdout.splitlines()]
    # each row written back with its label and probability; the gold column is not text
    assert [row[:3] for row in rows_out] == [
        ["手机很清晰", "酒店", "手机"],
        ["酒店很干净", "手机", "酒店"],
    ]
    whole = run(["classify", "-m", model, test, "--data-format", "text"])
    assert whole.exit_code == 0 and len(whole.stdout.splitlines()) == 2


def test_a_resource_file_not_in_utf8_is_refused_with_how_to_convert_it(run, tmp_path):
    stopwords = tmp_path / "stop.txt"
    stopwords.write_bytes("特斯拉\n".encode("gbk"))
    refused = run(["tokenize", "--stopwords", stopwords, "--drop-stopwords"], input="特斯拉\n")
    assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1
    assert "stopword file is not UTF-8" in refused.stderr
    assert f"iconv -f gb18030 -t utf-8 {stopwords}" in refused.stderr


def test_a_csv_from_excel_keeps_its_byte_order_mark_in_files(run, samples, tmp_path):
    """augment and classify wrote Excel's CSV (UTF-8 with a BOM) back without the mark, and
    Excel then showed the Chinese garbled."""
    data = tmp_path / "excel.csv"
    rows = "label,review\r\n1,送餐很快，饭菜还是热的\r\n0,味道一般，而且分量太少了\r\n"
    data.write_bytes(b"\xef\xbb\xbf" + rows.encode("utf-8"))
    model = tmp_path / "m.model"
    assert run(["train-lr", samples / "labeled" / "reviews.csv", "-o", model]).exit_code == 0
    for args in (["augment", data, "--seed", "1"], ["classify", "-m", model, data]):
        out = tmp_path / "out.csv"
        assert run([*args, "-o", out]).exit_code == 0
        written = out.read_bytes()
        assert written.startswith(b"\xef\xbb\xbflabel,review")
        assert written.count(b"\xef\xbb\xbf") == 1
        piped = run(args)  # never on stdout: a pipe's tools would read it as text
        assert piped.exit_code == 0 and piped.stdout.startswith("label,review")
        jsonl = tmp_path / "out.jsonl"
        assert run([*args, "-o", jsonl]).exit_code == 0
        assert jsonl.read_bytes().startswith(b"{")


def test_keywords_says_how_many_documents_got_none(run, tmp_path):
    """TSV output has no row for a document without keywords: 1,385 of 11,987 reviews
    vanished from it without a word."""
    texts = tmp_path / "t.txt"
    texts.write_text("送餐很快，味道不错\n好\n嗯嗯\n", encoding="utf-8")
    for extra in ([], ["-f", "jsonl"], ["-f", "table"]):
        result = run(["keywords", "--lines", texts, *extra])
        assert result.exit_code == 0
        assert "Note: 2 of 3 documents have no keyword (too short?)" in result.stderr, extra
    quiet = run(["keywords", "--lines", texts, "-q"])
    assert quiet.exit_code == 0 and quiet.stderr == ""


def test_a_text_column_of_numbers_is_named_in_a_warning(run, tmp_path):
    """`--text-col 0` on label,review read the labels as texts: no keyword, exit 0, silent."""
    data = tmp_path / "r.csv"
    data.write_text("label,review\n1,送餐很快，味道不错\n0,菜都凉了\n1,好吃\n", encoding="utf-8")
    wrong = run(["keywords", data, "--text-col", "0"])
    assert wrong.exit_code == 0 and wrong.stdout == ""
    assert "its text column 'label' holds only numbers in its first rows" in wrong.stderr
    right = run(["keywords", data])
    assert right.exit_code == 0 and "holds only numbers" not in right.stderr
    plain = tmp_path / "n.tsv"  # headerless: the column's number
    plain.write_text("5\t很好吃\n1\t难吃\n3\t一般\n", encoding="utf-8")
    result = run(["tokenize", plain, "--text-col", "0"])
    assert "its text column 0 holds only numbers" in result.stderr


def test_a_line_of_prose_with_commas_is_no_csv_row(run, tmp_path):
    """A one-line abstract with ASCII commas was read as a CSV row of 7 columns: its first
    clause became a label, and --by-label said it "found 1 (label) in 1 rows"."""
    prose = tmp_path / "doc1.txt"
    prose.write_text(
        "采用修正的Rodrigues参数(MRP),建立了飞行器姿态控制系统的数学模型,设计了控制器\n", "utf-8"
    )
    result = run(["keywords", "--by-label", prose])
    assert result.exit_code == 1
    assert "cannot tell the data format from its first lines" in result.stderr
    one_label = tmp_path / "one.tsv"
    one_label.write_text("text\tlabel\n好吃\tpos\n很好吃\tpos\n", encoding="utf-8")
    result = run(["keywords", "--by-label", one_label])
    assert result.exit_code == 1
    assert "needs at least two labels, found 1 ('pos') in 2 rows" in result.stderr
