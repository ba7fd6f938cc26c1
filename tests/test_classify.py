"""train-lr, classify, evaluate and info through the CLI, plus the numpy predictor."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import SAMPLES, SHARED_DATA
from textkit.classify.features import FeatureConfig
from textkit.classify.model import TextClassifier

SAMPLE = "labeled/reviews.tsv"


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from tests.conftest import SAMPLES
    from textkit.cli import app

    path = tmp_path_factory.mktemp("model") / "reviews.model"
    result = CliRunner().invoke(
        app, ["train-lr", str(SAMPLES / SAMPLE), "-o", str(path), "--min-df", "1", "-q"]
    )
    assert result.exit_code == 0, result.stderr
    return path


def no_leftovers(directory: Path) -> bool:
    return not any(p.name.endswith(".tmp") for p in directory.iterdir())


def test_train_summary(run, samples, tmp_path):
    out = tmp_path / "m.model"
    result = run(["train-lr", samples / SAMPLE, "-o", out, "--min-df", "1"])
    assert result.exit_code == 0
    assert result.stdout == ""
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(
        "8 documents (text: column 0, label: column 1), 2 classes, 339 features, "
    )
    assert last.endswith(f"-> {out}")


def test_classify_exact(run, model_path):
    result = run(["classify", "-m", model_path, "--lines"], input="味道很好\n太难吃了\n")
    assert result.exit_code == 0
    assert result.stdout == "<stdin>:1\tpositive\t0.563636\n<stdin>:2\tnegative\t0.681158\n"
    assert result.stderr == ""


def test_tolerance_001_gives_the_one_at_a_time_fits_of_before():
    """The fits now share one float64 copy of the matrix and go through
    textkit.classify.linear; at liblinear tolerance 0.01 (the default before 0.1) they give
    exactly the probabilities the per-fit code gave (these numbers were the expected output
    of test_classify_exact then)."""
    from textkit.classify.training import TrainConfig, train

    rows = [
        line.split("\t") for line in (SAMPLES / SAMPLE).read_text(encoding="utf-8").splitlines()
    ]
    texts, labels = [r[0] for r in rows], [r[1] for r in rows]
    model = train(texts, labels, FeatureConfig(min_df=1), TrainConfig(C=10, tol=0.01)).model
    proba = [round(p, 6) for ((_, p),) in model.predict(["味道很好", "太难吃了"])]
    assert proba == [0.562626, 0.681734]


def test_classify_top_k_proba_explain(run, model_path):
    result = run(
        ["classify", "-m", model_path, "--lines", "-k", "2", "--proba", "--explain", "2"],
        input="太难吃了\n",
    )
    assert result.exit_code == 0
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert [r[1] for r in rows] == ["negative", "positive"]
    assert rows[0][3:5] == ["0.681158", "0.318842"]
    assert rows[0][5] == "太=+0.292 [太]=+0.182"
    assert rows[1][5] == "了=-0.144 [了]=-0.144"  # its own label: everything pushes away


def test_classify_jsonl(run, model_path):
    result = run(["classify", "-m", model_path, "-f", "jsonl", "--proba"], input="送餐很快")
    obj = json.loads(result.stdout)
    assert obj["source"] == "<stdin>:1" and obj["label"] == "positive"  # one per line
    assert set(obj["proba"]) == {"negative", "positive"}
    assert abs(sum(obj["proba"].values()) - 1) < 1e-9


def test_round_trip_formats(run, samples, model_path, tmp_path):
    for name in ("reviews.jsonl", "reviews.ft.txt"):
        result = run(["evaluate", "-m", model_path, samples / "labeled" / name, "--fasttext-style"])
        assert result.exit_code == 0, result.stderr
    csv_result = run(["evaluate", "-m", model_path, samples / "labeled" / "reviews.csv"])
    # The CSV has labels 0/1, which the model (trained on positive/negative) never saw:
    # a score would be 0 whatever the model, so it is an error.
    assert csv_result.exit_code == 1 and "none of the gold labels ('0', '1')" in csv_result.stderr
    result = run(["evaluate", "-m", model_path, samples / "labeled" / "reviews.jsonl"])
    assert result.stdout.startswith("N\t8\naccuracy\t1.0000\n")
    assert "negative         4         0" in result.stdout
    info = run(["info", model_path, "--format", "json"])
    meta = json.loads(info.stdout)
    assert meta["labels"] == [{"label": "negative", "count": 4}, {"label": "positive", "count": 4}]
    assert meta["parameters"]["C"] == 10.0 and meta["parameters"]["solver"] == "liblinear"
    assert len(meta["training_files"][0]["sha256"]) == 64
    assert set(meta["versions"]) >= {"textkit", "python", "scikit-learn"}
    text = run(["info", model_path])
    assert "labels: negative (4), positive (4)\n" in text.stdout
    # the feature kind leads its line, not named twice ("features: features word+char")
    assert "\nfeatures: word+char, word_ngram 1, 2, " in text.stdout


def test_evaluate_json_errors_and_unseen(run, model_path, tmp_path):
    data = tmp_path / "test.tsv"
    data.write_text("味道很好\tnegative\n太难吃了\tnegative\n还行\tneutral\n", encoding="utf-8")
    errors = tmp_path / "errors.tsv"
    result = run(["evaluate", "-m", model_path, data, "-f", "json", "--errors", errors])
    assert result.exit_code == 0
    report = json.loads(result.stdout)
    assert report["n"] == 3 and report["unseen_labels"] == {"neutral": 1}
    assert report["labels"] == ["negative", "positive", "neutral"]
    assert report["accuracy"] == pytest.approx(1 / 3)
    lines = errors.read_text(encoding="utf-8").splitlines()
    # Each misclassified row is led by where it was read, so it can be found.
    assert lines[0] == "source\ttext\tgold\tpredicted\tprobability"
    assert lines[1] == f"{data}:1\t味道很好\tnegative\tpositive\t0.563636"
    assert [line.split("\t")[0] for line in lines[1:]] == [f"{data}:1", f"{data}:3"]


def test_evaluate_unlabeled_is_an_error(run, model_path, tmp_path):
    data = tmp_path / "plain.tsv"
    data.write_text("味道很好\t\n太难吃了\t\n", encoding="utf-8")
    result = run(["evaluate", "-m", model_path, data])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and "no labeled rows" in result.stderr


def test_valid_split_tune_and_convergence_warning(run, samples, tmp_path):
    out = tmp_path / "m.model"
    result = run(
        [
            "train-lr",
            samples / SAMPLE,
            "-o",
            out,
            "--min-df",
            "1",
            "--valid-split",
            "0.25",
            "--tune",
            "--max-iter",
            "1",
        ]
    )
    assert result.exit_code == 0, result.stderr
    assert "features\tC\taccuracy\tmacro_f1" in result.stderr
    assert "word+char\t10\t" in result.stderr and "char\t30\t" in result.stderr
    assert "Warning: the liblinear solver did not converge in 1 iterations" in result.stderr
    assert "validation: 2 documents, accuracy" in result.stderr
    assert json.loads(run(["info", out, "-f", "json"]).stdout)["validation"]["n"] == 2


def test_multinomial_and_options(run, samples, tmp_path):
    out = tmp_path / "m.model"
    args = [
        "--multi-class",
        "multinomial",
        "--features",
        "char",
        "--char-ngram",
        "1-2",
        "--class-weight",
        "balanced",
        "--min-df",
        "1",
    ]
    result = run(["train-lr", samples / SAMPLE, "-o", out, *args])
    assert result.exit_code == 0, result.stderr
    meta = json.loads(run(["info", out, "-f", "json"]).stdout)
    assert meta["mode"] == "multinomial" and meta["parameters"]["solver"] == "lbfgs"
    assert run(["classify", "-m", out], input="太难吃了").exit_code == 0


# -- bad input: one line, exit 1, no traceback, no model file ---------------------------


def bad_train(run, tmp_path: Path, data: Path, *extra: str):
    out = tmp_path / "out.model"
    result = run(["train-lr", data, "-o", out, "--min-df", "1", *extra])
    assert result.exit_code == 1, result.stdout
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stderr.strip().splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.stderr
    assert not out.exists() and no_leftovers(tmp_path)
    return result.stderr


def test_label_column_that_is_text(run, tmp_path):
    data = tmp_path / "swapped.tsv"
    data.write_text("".join(f"{i}\t这是第{i}条评论\n" for i in range(12)), encoding="utf-8")
    message = bad_train(run, tmp_path, data)
    assert "12 distinct labels in 12 rows" in message and "--label-col" in message


def test_single_class(run, tmp_path):
    data = tmp_path / "one.tsv"
    data.write_text("好吃\tpositive\n很好\tpositive\n", encoding="utf-8")
    assert "only one label ('positive')" in bad_train(run, tmp_path, data)


def test_unterminated_csv_quote(run, tmp_path):
    data = tmp_path / "broken.csv"
    data.write_text('label,review\n1,"好吃\n0,难吃\n', encoding="utf-8")
    assert "malformed CSV" in bad_train(run, tmp_path, data)


def test_zero_byte_training_file(run, tmp_path):
    data = tmp_path / "empty.tsv"
    data.write_bytes(b"")
    assert "no usable rows" in bad_train(run, tmp_path, data)


def test_output_is_a_directory(run, samples, tmp_path):
    result = run(["train-lr", samples / SAMPLE, "-o", tmp_path])
    assert result.exit_code == 1 and "is a directory" in result.stderr


def test_a_model_is_not_written_over_a_file_of_other_data(run, samples, tmp_path):
    # train-lr train.csv -o test.csv put a model over the test set without a word
    other = tmp_path / "test.csv"
    other.write_text("label,review\n1,好吃\n", encoding="utf-8")
    result = run(["train-lr", samples / SAMPLE, "-o", other])
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {other}: exists and is not a model file; training would overwrite it "
        "(choose another -o path, or remove the file first)\n"
    )
    assert other.read_text(encoding="utf-8") == "label,review\n1,好吃\n"
    model = tmp_path / "m.model"
    for _ in range(2):  # a model is replaced by the next one
        assert run(["train-lr", samples / SAMPLE, "-o", model]).exit_code == 0


@pytest.mark.parametrize("valid", [False, True])
def test_model_may_not_overwrite_its_data(run, samples, tmp_path, valid):
    data = tmp_path / "data.tsv"
    data.write_bytes((samples / SAMPLE).read_bytes())
    extra = ["--valid", data] if valid else []
    train = samples / SAMPLE if valid else data
    result = run(["train-lr", train, *extra, "-o", data, "--min-df", "1"])
    assert result.exit_code == 1
    assert (
        result.stderr
        == f"Error: {data}: the output file is also an input (choose another -o path)\n"
    )
    assert data.read_bytes() == (samples / SAMPLE).read_bytes()


def test_classify_and_evaluate_may_not_overwrite_the_model(run, samples, tmp_path, model_path):
    model = tmp_path / "m.model"
    model.write_bytes(model_path.read_bytes())
    classify = run(["classify", "-m", model, "-o", model], input="好吃")
    evaluate = run(["evaluate", "-m", model, samples / SAMPLE, "--errors", model])
    assert classify.exit_code == 1 and "(choose another -o path)" in classify.stderr
    assert evaluate.exit_code == 1 and "(choose another --errors path)" in evaluate.stderr
    assert model.read_bytes() == model_path.read_bytes()


@pytest.mark.parametrize("streaming", [[], ["--streaming"]])
def test_missing_validation_file_fails_before_training(run, samples, tmp_path, streaming):
    missing = tmp_path / "missing.tsv"
    message = bad_train(run, tmp_path, samples / SAMPLE, "--valid", missing, *streaming)
    assert message == f"Error: cannot read {missing}: no such file or directory; no model written\n"
    assert "featurizing" not in message and "epoch" not in message  # nothing was trained


def test_model_in_a_missing_folder_fails_before_training(run, samples, tmp_path):
    out = tmp_path / "nodir" / "m.model"
    result = run(["train-lr", samples / SAMPLE, "-o", out])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {out}: no such directory: {out.parent} (create it first)\n"


def test_no_feature_reaches_min_df(run, tmp_path):
    data = tmp_path / "tiny.tsv"
    data.write_text("甲\ta\n乙\tb\n丙\ta\n", encoding="utf-8")
    hint = "(lower --min-df, or give more (or longer) texts)"
    out = tmp_path / "out.model"
    memory = run(["train-lr", data, "-o", out, "-q"])
    assert memory.exit_code == 1 and memory.stderr == (
        f"Error: no feature occurs in --min-df 2 documents {hint}\n"
    )
    streaming = run(["train-lr", data, "-o", out, "--streaming", "-q"])
    assert streaming.exit_code == 1 and streaming.stderr == (
        f"Error: {data}: no feature occurs in --min-df 2 documents {hint}\n"
    )
    assert not out.exists()


def test_streaming_refusals_and_warnings(run, samples, tmp_path):
    data = samples / SAMPLE
    out = tmp_path / "s.model"
    nan = run(["train-lr", data, "-o", out, "--streaming", "--alpha", "nan"])
    assert nan.exit_code == 2 and "--alpha: must be a positive number" in nan.stderr
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    pipe = run(["train-lr", fifo, "-o", out, "--streaming"])
    assert pipe.exit_code == 2 and "save it to a file first" in pipe.stderr
    split = run(
        ["train-lr", data, "-o", out, "--streaming", "--valid-split", "0.99", "--min-df", "1"]
    )
    assert split.exit_code == 1 and "no rows left for training" in split.stderr
    ignored = run(
        [
            "train-lr",
            data,
            "-o",
            out,
            "--streaming",
            "-C",
            "5",
            "--max-iter",
            "5",
            "--min-df",
            "1",
        ]
    )
    assert ignored.exit_code == 0
    assert "Warning: --streaming ignores -C, --max-iter (see --alpha)" in ignored.stderr
    for option in (["--multi-label"], ["--augment", "2"]):
        refused = run(["train-lr", data, "-o", out, "--streaming", *option])
        assert refused.exit_code == 2 and "does not work with --streaming" in refused.stderr


def test_no_usable_rows_names_what_it_saw(run, tmp_path):
    tsv = tmp_path / "two.tsv"
    tsv.write_text("好吃\tpositive\n难吃\tnegative\n", encoding="utf-8")
    # a column past the first row's: said at once, for train-lr and evaluate alike
    assert "two.tsv: no label column 5; the file has 2 columns" in bad_train(
        run, tmp_path, tsv, "--label-col", "5"
    )
    jsonl = tmp_path / "keys.jsonl"
    jsonl.write_text('{"a": "好吃"}\n{"b": "难吃"}\n', encoding="utf-8")
    assert "no object has a text key (keys seen: a, b)" in bad_train(run, tmp_path, jsonl)


def test_fasttext_label_followed_by_a_tab(tmp_path):
    from textkit.io.tabular import read_labeled

    data = tmp_path / "tabs.ft"
    data.write_text("__label__a\t体育 新闻\n__label__b __label__c\t你好\n", encoding="utf-8")
    records = list(read_labeled([str(data)]))
    assert [(r.text, r.labels) for r in records] == [("体育 新闻", ["a"]), ("你好", ["b", "c"])]


def test_unknown_tsv_header_is_named_in_a_warning(run, samples, tmp_path):
    data = tmp_path / "headed.tsv"
    rows = (samples / SAMPLE).read_text(encoding="utf-8")
    data.write_text("题目\t类目\n" + rows * 2, encoding="utf-8")  # 16 rows: enough to judge
    result = run(["train-lr", data, "-o", tmp_path / "m.model", "--min-df", "1"])
    assert result.exit_code == 0
    assert (
        f"Warning: {data}:1: label '类目' appears in no other row; if this line is a header, "
        "name the columns (--text-col NAME --label-col NAME)"
    ) in result.stderr
    named = run(
        [
            "train-lr",
            data,
            "-o",
            tmp_path / "n.model",
            "--min-df",
            "1",
            "--text-col",
            "题目",
            "--label-col",
            "类目",
        ]
    )
    assert named.exit_code == 0 and "Warning" not in named.stderr


def test_empty_texts_are_reported(run, model_path, tmp_path):
    data = tmp_path / "gaps.jsonl"
    data.write_text(
        '{"text": "好吃", "label": "positive"}\n{"text": "", "label": "negative"}\n',
        encoding="utf-8",
    )
    result = run(["evaluate", "-m", model_path, data, "-f", "json"])
    assert result.exit_code == 0 and json.loads(result.stdout)["n"] == 1
    assert f"Warning: 1 row(s) with an empty text skipped (first: {data}:2)" in result.stderr
    empty = run(["classify", "-m", model_path, "--whole-file"], input="  ")
    assert empty.exit_code == 0 and empty.stdout.startswith("<stdin>\t")
    assert "1 empty document(s)" in empty.stderr


def test_proba_header_escapes_class_names(run, tmp_path):
    data = tmp_path / "odd.csv"
    data.write_text(
        "label,review\n" + "".join(f'"房产\t地产",房子{i}\n"体育",比赛{i}\n' for i in range(6)),
        encoding="utf-8",
    )
    model = tmp_path / "odd.model"
    assert run(["train-lr", data, "-o", model, "--min-df", "1", "-q"]).exit_code == 0
    result = run(["classify", "-m", model, "--proba", "--header", "-f", "tsv"], input="房子")
    header, row = result.stdout.splitlines()
    assert header.count("\t") == row.count("\t") == 4
    assert "房产\\t地产" in header


@pytest.mark.parametrize("kind", ["directory", "other-program", "garbage", "empty", "truncated"])
def test_bad_model_files(run, tmp_path, model_path, kind):
    import joblib

    bad = tmp_path / "bad.model"
    if kind == "directory":
        bad.mkdir()
    elif kind == "other-program":
        joblib.dump({"weights": [1, 2, 3]}, bad)
    elif kind == "garbage":
        bad.write_bytes(b"PK\x03\x04 not a model")
    elif kind == "empty":
        bad.write_bytes(b"")
    else:
        bad.write_bytes(model_path.read_bytes()[:2000])
    for args in (["classify", "-m", bad], ["evaluate", "-m", bad, "x.tsv"], ["info", bad]):
        result = run(args, input="好吃")
        assert result.exit_code == 1, (kind, args)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {bad}"), (kind, lines)


# -- library ----------------------------------------------------------------------------


def test_numpy_predictor_matches_sklearn():
    from scipy import sparse
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier

    from textkit.classify.features import Featurizer

    texts = ["北京天气很好", "上海股市大涨", "足球比赛精彩", "北京股市", "天气预报", "比赛结果"] * 3
    labels = ["a", "b", "c", "a", "a", "c"] * 3
    featurizer = Featurizer()
    csr = featurizer.fit_transform(texts)
    x = sparse.csr_matrix(csr, shape=(len(texts), featurizer.n_features))
    for estimator, mode in (
        (LogisticRegression(C=5), "multinomial"),
        (OneVsRestClassifier(LogisticRegression(C=5)), "ovr"),
    ):
        estimator.fit(x, labels)
        if mode == "ovr":
            coef = np.vstack([e.coef_ for e in estimator.estimators_])
            intercept = np.concatenate([e.intercept_ for e in estimator.estimators_])
        else:
            coef, intercept = estimator.coef_, estimator.intercept_
        model = TextClassifier(featurizer, coef, intercept, ["a", "b", "c"], mode)
        mine = model.proba_from_scores(model.decision(featurizer.transform(texts)))
        assert np.abs(mine - estimator.predict_proba(x)).max() < 1e-5


def test_save_load_round_trip(tmp_path):
    from textkit.classify.training import train

    texts = ["很好吃", "太难吃", "好吃极了", "难吃死了", "非常好吃", "真难吃"]
    labels = ["pos", "neg", "pos", "neg", "pos", "neg"]
    model = train(texts, labels).model
    model.save(tmp_path / "m.model")
    loaded = TextClassifier.load(tmp_path / "m.model")
    assert loaded.classes == ["neg", "pos"]
    assert np.allclose(loaded.predict_proba(texts), model.predict_proba(texts))
    assert loaded.predict(["好吃"], top_k=5)[0][0][0] == "pos"


@pytest.mark.skipif(
    not (SHARED_DATA / "waimai_10k" / "waimai_10k.csv").exists(), reason="shared data absent"
)
def test_quality_waimai_subset():
    """3,000 training and 1,000 test reviews (stratified): an honest floor, not the target."""
    import csv

    from textkit.classify.training import evaluate, stratified_split, train

    with open(SHARED_DATA / "waimai_10k" / "waimai_10k.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    texts, labels = [r[1] for r in rows], [r[0] for r in rows]
    _, subset = stratified_split(labels, 4000 / len(labels), seed=1)
    texts, labels = [texts[i] for i in subset], [labels[i] for i in subset]
    train_idx, test_idx = stratified_split(labels, 0.25, seed=0)
    model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx]).model
    report = evaluate(model, [texts[i] for i in test_idx], [labels[i] for i in test_idx])
    assert report["accuracy"] > 0.86


def test_classify_jobs_output_identical_to_serial(run, samples, tmp_path):
    model = tmp_path / "m.model"
    assert run(["train-lr", samples / "labeled" / "reviews.tsv", "-o", model, "-q"]).exit_code == 0
    corpus = tmp_path / "c.txt"
    lines = [
        r.split("\t")[0] for r in (samples / "labeled" / "reviews.tsv").read_text().splitlines()
    ]
    corpus.write_text("\n".join(lines * 300) + "\n", encoding="utf-8")
    args = [
        "classify",
        "-m",
        model,
        "--lines",
        corpus,
        "-f",
        "jsonl",
        "--top-k",
        "2",
        "--explain",
        "2",
    ]
    serial = run(args)
    parallel = run([*args, "-j", "2"])
    assert serial.exit_code == parallel.exit_code == 0
    assert parallel.stdout == serial.stdout
    assert len(serial.stdout.splitlines()) == 2400


# -- the default model: NB-scaled + plain average, C chosen on held-out training data ----
def _synthetic(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    """Three topics with overlapping character vocabularies, so no C is trivially perfect."""
    rng = np.random.default_rng(seed)
    vocab = {
        "a": "天地人和风雨春秋山水",
        "b": "山水日月星辰江河湖海",
        "c": "江河湖海金木土火天地",
    }
    labels = [str(x) for x in rng.choice(list(vocab), n)]
    texts = ["".join(rng.choice(list(vocab[y]), 8)) for y in labels]
    return texts, labels


def test_nb_average_is_the_mean_of_both_fits():
    from textkit.classify.features import Featurizer
    from textkit.classify.training import TrainConfig, fit_features

    texts, labels = _synthetic(300)
    featurizer = Featurizer()
    x = featurizer.fit_transform(texts)

    def fitted(**options):
        model = fit_features(featurizer, x, labels, TrainConfig(C=10, **options))[0]
        return model.coef, model.intercept

    nb_coef, nb_b = fitted(nb_average=False)
    plain_coef, plain_b = fitted(nb=False)
    avg_coef, avg_b = fitted()
    assert not np.allclose(nb_coef, plain_coef)
    assert np.allclose(avg_coef, (nb_coef + plain_coef) / 2, atol=1e-6)
    assert np.allclose(avg_b, (nb_b + plain_b) / 2, atol=1e-6)


def test_automatic_c_is_chosen_by_cross_validation():
    from textkit.classify.training import C_GRID, DEFAULT_C, TrainConfig, train

    texts, labels = _synthetic(300)
    model = train(texts, labels).model  # the default: C chosen
    auto = model.metadata["auto"]
    assert auto["method"] == "5-fold cross-validation" and auto["metric"] == "accuracy"
    scores = {row["C"]: row["accuracy"] for row in auto["scores"]}
    assert sorted(scores) == sorted(C_GRID)
    best = max(scores.values())
    assert auto["C"] == min(c for c, v in scores.items() if v == best)  # ties: smaller C
    assert model.metadata["parameters"]["C"] == auto["C"]
    assert model.metadata["parameters"]["C_auto"] is True
    # the same choice again: the folds are seeded
    assert train(texts, labels).model.metadata["auto"] == auto
    # too few rows to hold any out: the default C, nothing measured
    small = train(texts[:20], labels[:20]).model
    assert small.metadata["parameters"]["C"] == DEFAULT_C
    assert small.metadata["auto"] == {"C": DEFAULT_C, "method": "default (too few rows)"}
    fixed = train(texts, labels, config=TrainConfig(C=3)).model
    assert "auto" not in fixed.metadata
    assert (
        fixed.metadata["parameters"]["C"] == 3 and fixed.metadata["parameters"]["C_auto"] is False
    )


def test_automatic_c_on_validation_data():
    from textkit.classify.training import C_GRID, TrainConfig, evaluate, train

    texts, labels = _synthetic(400)
    train_part, valid = (texts[:300], labels[:300]), (texts[300:], labels[300:])
    auto = train(*train_part, valid=valid).model.metadata["auto"]
    assert auto["method"] == "validation"
    scores = {row["C"]: row["accuracy"] for row in auto["scores"]}
    assert sorted(scores) == sorted(C_GRID) and scores[auto["C"]] == max(scores.values())
    # each candidate was scored as the NB-scaled fit (no plain average) at its C
    for c, score in scores.items():
        alone = train(*train_part, config=TrainConfig(C=c, nb_average=False)).model
        assert evaluate(alone, *valid)["accuracy"] == pytest.approx(score)


def test_c_option(run, samples, tmp_path):
    out = tmp_path / "m.model"
    result = run(["train-lr", samples / SAMPLE, "-o", out, "--min-df", "1", "-C", "5"])
    assert result.exit_code == 0, result.stderr
    parameters = json.loads(run(["info", out, "-f", "json"]).stdout)["parameters"]
    assert parameters["C"] == 5 and parameters["C_auto"] is False
    assert parameters["nb"] is True and parameters["nb_average"] is True
    assert parameters["nb_alpha"] == 0.05
    result = run(["train-lr", samples / SAMPLE, "-o", out, "--min-df", "1", "-C", "auto"])
    assert result.exit_code == 0, result.stderr
    parameters = json.loads(run(["info", out, "-f", "json"]).stdout)["parameters"]
    assert parameters["C"] == 10 and parameters["C_auto"] is True  # too few documents to choose
    for bad, message in (("abc", "must be a number or 'auto'"), ("0", "must be positive")):
        result = run(["train-lr", samples / SAMPLE, "-o", tmp_path / "x.model", "-C", bad])
        assert result.exit_code == 2 and message in result.stderr
        assert not (tmp_path / "x.model").exists()


def test_nb_alpha_changes_the_nb_fit_only():
    from textkit.classify.features import Featurizer
    from textkit.classify.training import TrainConfig, fit_features

    texts, labels = _synthetic(300)
    featurizer = Featurizer()
    x = featurizer.fit_transform(texts)

    def coef(**options):
        return fit_features(featurizer, x, labels, TrainConfig(C=10, **options))[0].coef

    assert not np.allclose(coef(nb_alpha=0.05), coef(nb_alpha=1.0))
    assert np.allclose(coef(nb=False, nb_alpha=0.05), coef(nb=False, nb_alpha=1.0))
    with pytest.raises(ValueError):
        TrainConfig(nb_alpha=0)


def test_clean_below_refits_without_mislabeled_rows():
    from scipy import sparse

    from textkit.classify.features import Featurizer
    from textkit.classify.training import Targets, TrainConfig, _screen, fit_features

    texts, labels = _synthetic(600)
    flipped = set(range(0, 600, 20))  # 30 rows given another topic's label
    noisy = [{"a": "b", "b": "c", "c": "a"}[y] if i in flipped else y for i, y in enumerate(labels)]
    featurizer = Featurizer()
    x = featurizer.fit_transform(texts)
    model = fit_features(featurizer, x, noisy, TrainConfig(C=10, clean_below=0.6))[0]
    matrix = sparse.csr_matrix(x, shape=(600, featurizer.n_features))
    targets = Targets.encode(noisy, multi_label=False)
    keep = _screen(matrix, targets, featurizer, TrainConfig(clean_below=0.6), 10)
    dropped = set(range(600)) - set(keep.tolist())
    assert dropped and dropped <= flipped  # only mislabeled rows went
    assert model.metadata["cleaned"] == {"below": 0.6, "dropped": len(dropped)}
    # the model is the plain fit on the kept rows
    sub = matrix[keep]
    alone = fit_features(
        featurizer,
        (sub.data, sub.indices, sub.indptr),
        [noisy[i] for i in keep],
        TrainConfig(C=10, clean_below=0),
    )[0]
    assert np.allclose(model.coef, alone.coef, atol=1e-6)
    assert np.allclose(model.intercept, alone.intercept, atol=1e-6)
    plain = fit_features(featurizer, x, noisy, TrainConfig(C=10, clean_below=0))[0]
    assert "cleaned" not in plain.metadata and not np.allclose(model.coef, plain.coef)
    for bad in (-0.1, 1.0):
        with pytest.raises(ValueError):
            TrainConfig(clean_below=bad)


def test_clean_below_keeps_every_class():
    from textkit.classify.features import Featurizer
    from textkit.classify.training import TrainConfig, fit_features

    texts, labels = _synthetic(300)
    labels[0] = "d"  # a class of one row, easily misfitted: it must stay
    featurizer = Featurizer()
    x = featurizer.fit_transform(texts)
    model = fit_features(featurizer, x, labels, TrainConfig(C=10, clean_below=0.99))[0]
    assert model.classes == ["a", "b", "c", "d"] and model.metadata["cleaned"]["dropped"] > 0


def test_experiment_options_left_the_cli(run, samples, tmp_path):
    for option in (["--nb-alpha", "1"], ["--clean-below", "0.6"], ["--nb-average"], ["--no-nb"]):
        result = run(["train-lr", samples / SAMPLE, "-o", tmp_path / "x.model", *option])
        assert result.exit_code == 2 and "No such option" in result.stderr


def test_library_refuses_bad_training_data_with_typed_errors(model_path):
    from textkit import train_classifier
    from textkit.errors import ConfigError, DataFormatError

    with pytest.raises(DataFormatError, match="3 training texts but 2 labels"):
        train_classifier(["好吃", "难吃", "一般"], ["1", "0"])
    with pytest.raises(DataFormatError, match=r"only one label \('1'\)"):
        train_classifier(["好吃", "难吃"], ["1", "1"])
    with pytest.raises(DataFormatError, match="training labels include None"):
        train_classifier(["好吃", "难吃"], ["1", None])  # type: ignore[list-item]
    with pytest.raises(DataFormatError, match="1 validation texts but 2 labels"):
        train_classifier(["好吃", "难吃"], ["1", "0"], valid=(["好吃"], ["1", "0"]))
    with pytest.raises(ConfigError, match="wrap it"):
        TextClassifier.load(model_path).predict("好吃")  # type: ignore[arg-type]


def test_classify_lines_from_a_pipe_come_out_as_they_come(model_path):
    from tests.conftest import pipe_two_lines

    args = ["classify", "-m", str(model_path), "--lines"]
    first, rest = pipe_two_lines(args, "太难吃了", "味道很好")
    assert first == "<stdin>:1\tnegative\t0.681158\n"
    assert rest == "<stdin>:2\tpositive\t0.563636\n"


def test_labels_stay_strings_and_explain_names_the_classes(tmp_path):
    from textkit import train_classifier
    from textkit.errors import ConfigError

    texts = ["好吃", "太难吃了", "很好吃", "难吃", "不错好吃", "真难吃"]
    model = train_classifier(
        texts,
        [1, 0, 1, 0, 1, 0],
        FeatureConfig(min_df=1),  # type: ignore[list-item]
    ).model
    assert model.classes == ["0", "1"]  # as after save and load
    model.save(tmp_path / "m.model")
    assert TextClassifier.load(tmp_path / "m.model").predict(["好吃"]) == model.predict(["好吃"])
    with pytest.raises(ConfigError, match="unknown label 'x'; the model's labels: 0, 1"):
        model.explain("好吃", label="x")
    with pytest.raises(ConfigError, match=r"texts\[0\] is a NoneType"):
        model.predict([None])  # type: ignore[list-item]


def test_macro_averages_skip_labels_absent_from_the_data():
    from textkit.classify.metrics import classification_report

    report = classification_report(["a", "a"], ["a", "a"], ["a", "b", "c"])
    assert report["macro"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert [row["support"] for row in report["per_class"]] == [2, 0, 0]


def test_broken_jsonl_line_is_skipped_and_no_raw_sklearn_warnings(run, samples, tmp_path):
    rows = (samples / "labeled" / "reviews.jsonl").read_text(encoding="utf-8")
    data = tmp_path / "broken.jsonl"
    data.write_text(rows + "{broken\n" + rows, encoding="utf-8")
    out = tmp_path / "m.model"
    result = run(["train-lr", data, "-o", out, "--min-df", "1", "--max-iter", "1"])
    assert result.exit_code == 0 and out.exists()
    lines = result.stderr.splitlines()
    assert (
        f"Warning: {data}:9: not valid JSON "
        "(Expecting property name enclosed in double quotes), line skipped" in lines
    )
    assert (
        "Warning: the liblinear solver did not converge in 1 iterations "
        "(raise --max-iter, or lower -C)" in lines
    )
    assert all(
        line.startswith(("Warning: ", "featurizing", "fitting", "16 documents")) for line in lines
    )


def test_explain_shows_spaces_inside_features(run, tmp_path):
    data = tmp_path / "spaced.tsv"
    data.write_text(
        "".join(f"NBA 球星 {i}\tsport\n好吃 的 饭{i}\tfood\n" for i in range(5)), "utf-8"
    )
    model = tmp_path / "m.model"
    assert run(["train-lr", data, "-o", model, "-q"]).exit_code == 0
    result = run(["classify", "-m", model, "--explain", "20", "-f", "tsv"], input="NBA 球星")
    explained = result.stdout.rstrip("\n").split("\t")[3].split(" ")
    assert all("=" in item for item in explained)  # one item per feature: spaces shown as ␣
    assert any("␣" in item for item in explained)
    jsonl = run(["classify", "-m", model, "--explain", "20", "-f", "jsonl"], input="NBA 球星")
    assert any(" " in e["feature"] for e in json.loads(jsonl.stdout)["explain"])


# -- multi-label -------------------------------------------------------------------------


def _two_families(n: int, seed: int = 0) -> tuple[list[str], list[list[str]]]:
    """Texts made of a topic part (a/b/c) and a tone part (pos/neg): two labels each."""
    rng = np.random.default_rng(seed)
    topic = {"a": "苹果香蕉橘子葡萄", "b": "足球篮球排球网球", "c": "电脑手机平板相机"}
    tone = {"pos": "好棒赞美", "neg": "差烂糟坏"}
    texts, labels = [], []
    for _ in range(n):
        t, s = rng.choice(list(topic)), rng.choice(list(tone))
        texts.append("".join(rng.choice(list(topic[t]), 6)) + "".join(rng.choice(list(tone[s]), 3)))
        labels.append([str(t), str(s)])
    return texts, labels


def test_multi_label_model_predicts_label_sets(tmp_path):
    from textkit.classify.training import TrainConfig, evaluate, train

    texts, labels = _two_families(400)
    result = train(texts[:300], labels[:300], config=TrainConfig(multi_label=True))
    model = result.model
    assert model.mode == "multilabel" and model.classes == ["a", "b", "c", "neg", "pos"]
    assert model.coef.shape[0] == 5  # one binary model per label, also for two labels
    assert model.metadata["thresholds_chosen_on"].endswith("cross-validation")
    assert (
        model.thresholds.shape == (5,) and ((model.thresholds > 0) & (model.thresholds < 1)).all()
    )
    predicted = model.predict_labels(texts[300:])
    assert all(len(row) == 2 for row in predicted)
    assert [sorted(x for x, _ in row) for row in predicted] == [sorted(g) for g in labels[300:]]
    proba = model.predict_proba(texts[300:])
    assert proba.shape == (100, 5) and not np.allclose(proba.sum(axis=1), 1)  # independent
    assert model.predict_labels(texts[300:301], top_k=1)[0] == predicted[0][:1]
    assert model.predict_labels(texts[300:301], threshold=1.0) == [[]]
    report = evaluate(model, texts[300:], labels[300:])
    assert report["exact_match"] == 1.0 and report["micro"]["f1"] == 1.0
    # saved and loaded: mode, thresholds and predictions kept
    path = tmp_path / "ml.model"
    model.save(path)
    loaded = TextClassifier.load(path)
    assert loaded.mode == "multilabel"
    assert np.array_equal(loaded.thresholds, model.thresholds)
    assert loaded.metadata["thresholds"] == dict(
        zip(model.classes, model.thresholds.tolist(), strict=True)
    )
    assert loaded.predict_labels(texts[300:]) == predicted


def test_multi_label_fixed_threshold_and_validation():
    from textkit.classify.training import TrainConfig, train

    texts, labels = _two_families(300)
    fixed = train(texts, labels, config=TrainConfig(multi_label=True, threshold=0.3, C=10))
    assert fixed.model.thresholds.tolist() == [0.3] * 5
    assert fixed.model.metadata["thresholds_chosen_on"] == "fixed"
    valid = _two_families(100, seed=1)
    result = train(texts, labels, config=TrainConfig(multi_label=True, C=10), valid=valid)
    assert result.model.metadata["thresholds_chosen_on"] == "validation"
    assert result.validation["exact_match"] == 1.0 and "precision_at_k" in result.validation
    with pytest.raises(ValueError):
        TrainConfig(multi_label=True, multi_class="multinomial")
    with pytest.raises(ValueError):
        TrainConfig(threshold=1.5)


def test_single_label_model_on_multi_label_data_says_so():
    from textkit.classify.multilabel import is_multi_label, several_labels
    from textkit.classify.training import TrainConfig, train

    texts, labels = _two_families(60)
    labels[0] = ["a"]  # a list of one label is a single label
    assert is_multi_label(labels) and several_labels(labels) == 59
    result = train(texts, labels, config=TrainConfig(C=10))
    assert result.model.classes == ["a", "b", "c"]  # the first label of each row
    assert result.warnings == [
        "59 training row(s) have several labels; a single-label model learns only the first "
        "label of each (train a multi-label model to learn them all)"
    ]
    plain = train(texts, [x[0] for x in labels], config=TrainConfig(C=10))
    assert plain.warnings == []
    assert np.array_equal(plain.model.coef, result.model.coef)


def test_best_threshold_is_exact():
    from textkit.classify.multilabel import best_threshold, choose_thresholds

    proba = np.array([0.9, 0.8, 0.7, 0.4, 0.3, 0.2])
    truth = np.array([1, 1, 0, 1, 0, 0], dtype=bool)
    # take 4 (0.9..0.4): TP 3 of 4 taken, 3 positives -> F1 6/7, the best
    threshold, f1 = best_threshold(proba, truth)
    assert threshold == pytest.approx(0.35) and f1 == pytest.approx(6 / 7)
    # per label only where there are enough positives; the others keep the global one
    matrix = np.column_stack([proba, proba[::-1]])
    gold = np.column_stack([truth, truth[::-1]])
    thresholds, overall = choose_thresholds(matrix, gold, min_positives=3)
    assert thresholds.tolist() == pytest.approx([0.35, 0.35]) and overall == pytest.approx(0.35)
    thresholds, overall = choose_thresholds(matrix, gold, min_positives=4)
    assert thresholds.tolist() == [overall, overall]


def test_multilabel_report_numbers():
    from textkit.classify.metrics import format_multilabel_report, multilabel_report

    gold = [["a", "b"], ["b"], ["c"]]
    predicted = [["a"], ["b", "c"], ["c"]]
    ranked = [["a", "c", "b"], ["c", "b", "a"], ["c", "a", "b"]]
    report = multilabel_report(gold, predicted, ["a", "b", "c"], ranked, k=2)
    # decisions: TP a1 b2 c3 = 3, FP c2 = 1, FN b1 = 1
    assert report["micro"] == pytest.approx({"precision": 0.75, "recall": 0.75, "f1": 0.75})
    assert report["exact_match"] == pytest.approx(1 / 3)
    assert report["hamming_loss"] == pytest.approx(2 / 9)
    by_label = {row["label"]: row for row in report["per_label"]}
    assert by_label["b"]["recall"] == 0.5 and by_label["c"]["precision"] == 0.5
    assert report["macro"]["f1"] == pytest.approx((1 + 2 / 3 + 2 / 3) / 3)
    # P@2 / R@2 against all gold labels in any order: hits a, b, c of 6 taken, 4 gold
    assert report["precision_at_k"] == pytest.approx(3 / 6)
    assert report["recall_at_k"] == pytest.approx(3 / 4)
    text = format_multilabel_report(report)
    assert text.startswith("N\t3\nexact match\t0.3333\nHamming loss\t0.2222\n")
    assert "micro\tP 0.7500  R 0.7500  F1 0.7500\n" in text and "P@2\t0.5000\n" in text


def test_fasttext_at_k_counts_gold_labels_in_any_order():
    from textkit.classify.metrics import format_fasttext_at_k, precision_at_k

    gold = [["pos", "phone"], ["neg"]]
    ranked = [["phone", "pos", "neg"], ["pos", "neg"]]
    numbers = precision_at_k(gold, ranked, 1)
    assert numbers == {"k": 1, "precision_at_k": 0.5, "recall_at_k": pytest.approx(1 / 3)}
    two = precision_at_k(gold, ranked, 2)
    assert two["precision_at_k"] == 0.75 and two["recall_at_k"] == 1.0
    assert format_fasttext_at_k({"n": 2, **two}) == "N\t2\nP@2\t0.750\nR@2\t1.000\n"


def test_multi_label_and_threshold_options(run, samples, tmp_path):
    out = tmp_path / "m.model"
    args = ["train-lr", samples / SAMPLE, "-o", out, "--min-df", "1"]
    result = run([*args, "--multi-label", "--threshold", "0.4"])
    assert result.exit_code == 0, result.stderr
    meta = json.loads(run(["info", out, "-f", "json"]).stdout)
    assert meta["mode"] == "multilabel" and meta["thresholds"] == {"negative": 0.4, "positive": 0.4}
    assert meta["parameters"]["multi_label"] is True
    for bad, message in (
        (["--threshold", "0.4"], "--threshold needs --multi-label"),
        (["--multi-label", "--threshold", "2"], "must be between 0 and 1"),
        (["--multi-label", "--multi-class", "multinomial"], "one binary model per label"),
        (["--augment", "-1"], "must be a number of copies or 'auto'"),
        (["--augment", "many"], "must be a number of copies or 'auto'"),
    ):
        result = run(["train-lr", samples / SAMPLE, "-o", tmp_path / "x.model", *bad])
        assert result.exit_code == 2 and message in result.stderr, result.stderr
        assert not (tmp_path / "x.model").exists()


# -- augmentation inside training ----------------------------------------------------------


def _reviews() -> tuple[list[str], list[str]]:
    rows = [line.split("\t") for line in (SAMPLES / SAMPLE).read_text("utf-8").splitlines()]
    return [r[0] for r in rows], [r[1] for r in rows]


def test_groups_count_a_text_and_its_copies_as_one_document():
    from textkit.classify.features import Featurizer

    texts = ["甲乙丙", "甲乙丁", "戊己庚"]  # the second is a copy of the first
    alone = Featurizer(FeatureConfig(features="char", char_ngram=(1, 2), min_df=2))
    alone.fit(texts)
    grouped = Featurizer(FeatureConfig(features="char", char_ngram=(1, 2), min_df=2))
    grouped.fit(texts, groups=[0, 0, 1])
    assert [alone.feature_name(i) for i in range(alone.n_features)] == ["乙", "甲", "甲乙"]
    assert grouped.n_features == 0  # nothing occurs in two groups
    grouped = Featurizer(FeatureConfig(features="char", char_ngram=(1, 1), min_df=1))
    grouped.fit(texts, groups=[0, 0, 1])
    # smooth IDF over 2 documents (groups): ln(3 / 2) + 1 for every character
    assert np.allclose(grouped.idf, np.log(3 / 2) + 1)
    with pytest.raises(ValueError, match="next to each other"):
        Featurizer().fit(texts, groups=[0, 1, 0])


def test_featurizer_chunks_give_the_same_features(monkeypatch):
    from textkit.classify import features

    texts, _ = _synthetic(300)
    texts = [t + " 北京 大学" if i % 3 else t for i, t in enumerate(texts)]
    whole = features.Featurizer(FeatureConfig(min_df=2, max_features=150))
    expected = whole.fit_transform(texts)
    monkeypatch.setattr(features, "CHUNK_CHARS", 37)
    chunked = features.Featurizer(FeatureConfig(min_df=2, max_features=150))
    seen: list[tuple[int, int, str]] = []
    got = chunked.fit_transform(texts, progress=lambda *a: seen.append(a))
    assert all(np.array_equal(a, b) for a, b in zip(expected, got, strict=True))
    assert chunked.words == whole.words and np.array_equal(chunked.char_keys, whole.char_keys)
    assert np.array_equal(chunked.idf, whole.idf)
    assert {what for _, _, what in seen} == {"counting n-grams", "featurizing"}
    assert seen[-1] == (300, 300, "featurizing")


def test_augmented_copies_come_from_training_rows_only(monkeypatch):
    from textkit.classify import training

    texts, labels = _reviews()
    asked: list[str] = []
    made = training._augmentations

    def spy(rows, *args):
        asked.extend(rows)
        return made(rows, *args)

    monkeypatch.setattr(training, "_augmentations", spy)
    valid = (["味道很好", "太难吃了"], ["positive", "negative"])
    for augment in (2, "auto"):
        for kind in training.AUGMENT_KINDS:
            asked.clear()
            config = training.TrainConfig(augment=augment, augment_with=kind)
            result = training.train(
                texts * 5, labels * 5, FeatureConfig(min_df=1), config, valid=valid
            )
            assert asked == texts * 5  # never the validation texts
            parameters = result.model.metadata["parameters"]
            assert parameters["augment_auto"] is (augment == "auto")
            assert parameters["augment_with"] == kind
            assert result.model.metadata["n_documents"] == 40
            if augment == 2:  # noisy copies: exactly 2 a row; textkit.augment's: up to 2
                assert parameters["augment"] == 2
                rows = result.model.metadata["augmented_rows"]
                assert rows == 80 if kind == "noise" else 0 < rows <= 80


def test_noisy_copies_are_deterministic_and_made_of_the_texts_words():
    from textkit.classify.noise import noisy_copies
    from textkit.text.tokenizer import Tokenizer

    cut = Tokenizer(backend="fast").cut
    texts = ["房间很干净，服务也很热情，下次还来", "送餐太慢了", "好"]
    ops = ("swap", "delete", "insert")
    first = noisy_copies(texts, 6, 3, cut, rate=0.1, operations=ops)
    assert first == noisy_copies(texts, 6, 3, cut, rate=0.1, operations=ops)  # the seed decides
    assert first != noisy_copies(texts, 6, 4, cut, rate=0.1, operations=ops)
    assert [len(c) for c in first] == [6, 6, 6]  # exactly the copies asked, short texts too
    for copy in first[0]:
        assert copy and set(copy) <= set(texts[0])  # only the text's own characters
    assert first[0][0] != texts[0] and sorted(first[0][0]) == sorted(texts[0])  # a swap
    assert len(first[0][1]) < len(texts[0])  # a deletion
    assert len(first[0][2]) > len(texts[0])  # an insertion
    assert noisy_copies(texts, 0, 3, cut) == [[], [], []]
    spaced = noisy_copies(["good food fast delivery"], 3, 0, lambda t: re.split("( )", t))
    for copy in spaced[0]:  # Latin words stay apart
        assert sorted(set(copy.split(" "))) == ["delivery", "fast", "food", "good"]


def test_training_copies_change_content_words_only():
    from textkit.classify.noise import content_words, noisy_copies, training_copies

    text = "这家店的饭菜不好吃，送餐也很慢"
    made = training_copies([text] * 3, 8, 0, "fast")
    assert [len(m) for m in made] == [8, 8, 8] and made[0] != made[1]  # the row decides
    assert sum(copy != text for copy in made[0]) >= 6  # words changed in most copies
    assert made == training_copies([text] * 3, 8, 0, "fast")
    for copy in made[0]:
        assert "不好吃" in copy  # a negator and the word it negates stay together
    synonyms = {"干净": ["清爽"], "热情": ["冷淡"]}
    editable = content_words(frozenset({"很"}))
    words = ["房间", "很", "干净", "，", "服务", "不", "热情"]
    for copy in noisy_copies(
        ["".join(words)], 12, 0, lambda t: words, synonyms=synonyms, editable=editable
    )[0]:
        assert "冷淡" not in copy and "热情" in copy and "很" in copy and "，" in copy
    replaced = noisy_copies(
        ["x"], 1, 0, lambda t: words, synonyms=synonyms, operations=("synonym",), editable=editable
    )[0][0]
    assert replaced == "房间很清爽，服务不热情"


def test_augment_auto_may_choose_no_copies(monkeypatch):
    """With copies held to a standard of evidence they cannot meet, auto keeps the plain
    model, exactly the default one."""
    from textkit.classify import training

    texts, labels = _reviews()
    texts, labels = texts * 5, labels * 5
    monkeypatch.setattr(training, "AUGMENT_EVIDENCE", float("inf"))
    model = training.train(
        texts, labels, FeatureConfig(min_df=1), training.TrainConfig(augment="auto")
    ).model
    assert model.metadata["auto"]["augmentation"]["used"] is False
    assert model.metadata["parameters"]["augment"] == 0 and "augmented_rows" not in model.metadata
    default = training.train(texts, labels, FeatureConfig(min_df=1)).model
    assert np.array_equal(default.coef, model.coef)


def _selection(candidate, right):
    from textkit.classify.selection import Selection

    selection = Selection("validation", "accuracy")
    selection.scores[candidate] = float(np.mean(right))
    selection.rows[candidate] = np.asarray(right, dtype=np.float64)
    return selection


def test_augmentation_used_on_a_gain_of_half_a_standard_error():
    """Augmentation that wins on held-out rows by more than half a standard error of the
    paired difference is used; a smaller win is noise and keeps the plain model."""
    from textkit.classify.selection import Candidate
    from textkit.classify.training import _augmentation_helps

    plain = _selection(Candidate(10.0), [1] * 60 + [0] * 40)
    # 8 rows won and 5 lost: gain 0.03, standard error 0.036 (0.83 of it)
    won = [1] * 60 + [1] * 8 + [0] * 32
    won[:5] = [0] * 5
    helps, evidence = _augmentation_helps(_selection(Candidate(2.5, 2), won), plain)
    assert helps and 0.5 < evidence["gain"] / evidence["standard_error"] < 1
    # 6 won, 5 lost: gain 0.01, 0.3 standard errors
    close = [1] * 60 + [1] * 6 + [0] * 34
    close[:5] = [0] * 5
    helps, evidence = _augmentation_helps(_selection(Candidate(2.5, 2), close), plain)
    assert not helps and 0 < evidence["gain"] / evidence["standard_error"] < 0.5


def test_same_seed_same_augmented_model():
    from textkit.classify.training import TrainConfig, train

    texts, labels = _reviews()
    texts, labels = texts * 5, labels * 5
    config = TrainConfig(augment=4, seed=7)
    one = train(texts, labels, FeatureConfig(min_df=1), config).model
    two = train(texts, labels, FeatureConfig(min_df=1), config).model
    other = train(texts, labels, FeatureConfig(min_df=1), TrainConfig(augment=4, seed=8)).model
    assert np.array_equal(one.coef, two.coef)
    assert not np.array_equal(one.coef, other.coef)


def test_augment_auto_chooses_copies_and_c_together():
    from textkit.classify import training
    from textkit.classify.training import AUTO_COPIES, C_GRID, TrainConfig, train

    texts, labels = _reviews()
    texts, labels = texts * 5, labels * 5  # 40 rows: enough to cross-validate
    config = TrainConfig(augment="auto")
    model = train(texts, labels, FeatureConfig(min_df=1), config).model
    auto = model.metadata["auto"]
    copies = [row for row in auto["scores"] if "expand" not in row]
    tried = {(row["copies"], row["C"]) for row in copies}
    # C is divided by 1 + copies: a row and its copies weigh as much as the row alone
    assert tried == {(n, c / (1 + n)) for n in AUTO_COPIES for c in C_GRID}
    scores = {
        (row["copies"], row.get("expand", 0), row["C"]): row["accuracy"] for row in auto["scores"]
    }
    plain = max((k for k in scores if k[:2] == (0, 0)), key=lambda k: (scores[k], -k[2]))
    augmented = max(
        (k for k in scores if k[:2] != (0, 0)),
        key=lambda k: (scores[k], -k[0], -k[1], -k[2]),
    )
    evidence = auto["augmentation"]
    # copies only when their best beats the best plain setting by more than the noise
    threshold = training.AUGMENT_EVIDENCE * evidence["standard_error"]
    assert evidence["used"] == (evidence["gain"] > max(0, threshold))
    chosen = (auto["copies"], auto.get("expand", 0), auto["C"])
    assert chosen == (augmented if evidence["used"] else plain)
    assert model.metadata["parameters"]["augment"] == auto["copies"]
    assert model.metadata["parameters"]["augment_auto"] is True
    if not evidence["used"]:  # then the model is the default one, exactly
        default = train(texts, labels, FeatureConfig(min_df=1)).model
        assert np.array_equal(default.coef, model.coef)


def test_a_label_on_every_row_or_on_none_of_a_fold_is_fitted_without_weights():
    from textkit.classify.training import TrainConfig, train

    texts, labels = _two_families(120)
    everywhere = [[*x, "all"] for x in labels]
    everywhere[5].append("rare")  # one row: absent from the training rows of 4 folds
    model = train(texts, everywhere, config=TrainConfig(multi_label=True)).model
    column = model.classes.index("all")
    assert not model.coef[column].any() and model.intercept[column] > 0
    assert all("all" in [x for x, _ in row] for row in model.predict_labels(texts[:20]))


def test_search_folds_without_some_class():
    """A class with fewer rows than folds is missing from some folds' training rows: its
    problem there is fitted without weights (one-vs-rest) or given a score far below the
    others (multinomial), and the search goes on."""
    from textkit.classify.training import TrainConfig, train

    texts, labels = _synthetic(120)
    texts, labels = [*texts, "孤零零的一行"], [*labels, "d"]
    for mode in ("ovr", "multinomial"):
        model = train(texts, labels, config=TrainConfig(multi_class=mode)).model
        assert model.classes == ["a", "b", "c", "d"]
        assert model.metadata["auto"]["method"].startswith("5-fold cross-validation")


def _fasttext_two_labels(path: Path, n: int) -> None:
    texts, labels = _two_families(n)
    path.write_text(
        "".join(
            " ".join(f"__label__{x}" for x in (ls if i % 2 else ls[::-1])) + f" {t}\n"
            for i, (t, ls) in enumerate(zip(texts, labels, strict=True))
        ),
        encoding="utf-8",
    )


def test_evaluate_and_classify_a_multi_label_model(run, tmp_path):
    train_file, test_file, model = tmp_path / "train.txt", tmp_path / "test.txt", tmp_path / "m"
    _fasttext_two_labels(train_file, 300)
    _fasttext_two_labels(test_file, 40)
    result = run(["train-lr", train_file, "-o", model])
    assert result.exit_code == 0, result.stderr
    assert "labels" in result.stderr  # multi-label: said, and labels (not classes)
    report = run(["evaluate", "-m", model, test_file])
    assert report.exit_code == 0, report.stderr
    lines = dict(line.split("\t", 1) for line in report.stdout.splitlines()[:7])
    assert float(lines["exact match"]) > 0.9 and float(lines["micro"].split()[5]) > 0.9
    # labels in either order count: two labels a text, so P@2 near 1 and R@2 too
    at2 = run(["evaluate", "-m", model, test_file, "--fasttext-style", "-k", "2"]).stdout
    p2 = dict(line.split("\t") for line in at2.splitlines())
    assert p2["N"] == "40" and float(p2["P@2"]) > 0.9 and float(p2["R@2"]) > 0.9
    # classify: every label a text gets, one row each (TSV), or one object (JSONL)
    text = "苹果香蕉橘子葡萄好棒赞\n"
    rows = run(["classify", "-m", model], input=text).stdout.splitlines()
    assert sorted(row.split("\t")[1] for row in rows) == ["a", "pos"]
    obj = json.loads(run(["classify", "-m", model, "-f", "jsonl"], input=text).stdout)
    assert sorted(x["label"] for x in obj["top"]) == ["a", "pos"]
    # a threshold no label reaches: the line still gets its row, with an empty label
    empty = run(["classify", "-m", model, "--threshold", "1"], input=text).stdout
    assert empty == "<stdin>:1\t\t\n"


def _multi_label_csv(path: Path, sep: str) -> Path:
    """300 rows of two label families, each row's labels in one field joined by ``sep``."""
    texts, labels = _two_families(300)
    path.write_text(
        "text,labels\n"
        + "".join(f'{t},"{sep.join(ls)}"\n' for t, ls in zip(texts, labels, strict=True)),
        encoding="utf-8",
    )
    return path


def test_classify_csv_with_a_multi_label_model_adds_label_lists(run, tmp_path):
    data = _multi_label_csv(tmp_path / "train.csv", "|")
    model = tmp_path / "m"
    assert run(["train-lr", data, "-o", model, "--label-sep", "|"]).exit_code == 0
    test = tmp_path / "test.csv"
    test.write_text("text\n苹果香蕉橘子葡萄好棒赞\n", encoding="utf-8")
    out = run(["classify", "-m", model, test]).stdout.splitlines()
    assert out[0] == "text,labels,probabilities"
    assert out[1].split(",")[1].strip('"').split(",")[0] in ("a", "pos")
    assert sorted(out[1].split('"')[1].split(",")) == ["a", "pos"]


def test_evaluate_splits_gold_labels_as_the_model_was_trained(run, tmp_path):
    data = _multi_label_csv(tmp_path / "train.csv", ",")
    model = tmp_path / "m"
    combined = run(["train-lr", data, "-o", tmp_path / "combined"])
    assert "look like lists ('" in combined.stderr and "--label-sep ','" in combined.stderr
    assert run(["train-lr", data, "-o", model, "--label-sep", ","]).exit_code == 0
    remembered = run(["evaluate", "-m", model, data])
    named = run(["evaluate", "-m", model, data, "--label-sep", ","])
    assert remembered.exit_code == 0 and remembered.stdout == named.stdout
    assert "a,pos" not in remembered.stdout  # "a,pos" is two labels, not one unseen label


def test_evaluate_single_label_model_counts_any_gold_label_fasttext_style(run, tmp_path):
    """fastText's test: a prediction is right when it is any of the text's labels."""
    texts, labels = _two_families(300)
    train_file = tmp_path / "train.txt"
    train_file.write_text(
        "".join(f"__label__{ls[0]} {t}\n" for t, ls in zip(texts, labels, strict=True)),
        encoding="utf-8",
    )
    model = tmp_path / "m"
    assert run(["train-lr", train_file, "-o", model]).exit_code == 0
    test = tmp_path / "test.txt"  # the topic label second: P@1 still counts it
    test.write_text(
        "".join(
            f"__label__{ls[1]} __label__{ls[0]} {t}\n" for t, ls in zip(texts, labels, strict=True)
        ),
        encoding="utf-8",
    )
    result = run(["evaluate", "-m", model, test, "--fasttext-style"])
    assert result.exit_code == 0, result.stderr
    numbers = dict(line.split("\t") for line in result.stdout.splitlines())
    assert float(numbers["P@1"]) > 0.9 and float(numbers["R@1"]) > 0.45


def test_traditional_text_is_scored_as_its_simplified_form(tmp_path):
    import opencc

    from textkit.classify.training import TrainConfig, train

    rows = ["味道很好，送餐很快，服务不错", "太难吃了，送餐很慢，服务很差"] * 20
    labels = ["好", "差"] * 20
    model = train(rows, labels, FeatureConfig(min_df=1), TrainConfig(C=10)).model
    simplified = ["服务很差，这家的菜太难吃", "送餐很快，味道也不错"]
    traditional = [opencc.OpenCC("s2t").convert(t) for t in simplified]
    assert traditional != simplified
    assert np.allclose(model.predict_proba(traditional), model.predict_proba(simplified))
    path = tmp_path / "m"
    model.save(path)
    assert TextClassifier.load(path).featurizer.config.normalize


@pytest.mark.skipif(
    not (SHARED_DATA / "waimai_10k" / "waimai_10k.csv").exists(), reason="shared data absent"
)
def test_augment_auto_reports_the_validation_score_that_chose_it(monkeypatch):
    """The copies were scored with features built from all the copies tried, then the
    model was refitted on features of the chosen number only: train-lr printed a
    validation accuracy other than the one it chose by (0.8562 against 0.875)."""
    import csv

    from textkit.classify import training

    with open(SHARED_DATA / "waimai_10k" / "waimai_10k.csv", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))[1:]
    picked = rows[::40]  # 300 reviews of both labels
    texts, labels = [r[1] for r in picked], [r[0] for r in picked]
    valid = (texts[200:], labels[200:])
    monkeypatch.setattr(  # the copies win
        training, "_augmentation_helps", lambda augmented, plain: (True, {"rows": 0})
    )
    monkeypatch.setattr(training, "_expansions", lambda *args: (None, {}))
    result = training.train(
        texts[:200], labels[:200], config=training.TrainConfig(augment="auto"), valid=valid
    )
    auto = result.model.metadata["auto"]
    assert auto["augmentation"]["used"] is True and auto["copies"] > 0
    chosen = next(
        row["accuracy"]
        for row in auto["scores"]
        if (row["copies"], row["C"]) == (auto["copies"], auto["C"])
    )
    assert result.validation["accuracy"] == pytest.approx(chosen)
    assert result.model.metadata["augmented_rows"] == auto["copies"] * 200


def test_synonym_expansion_adds_the_synonyms_features_of_content_words(monkeypatch):
    from textkit.augment import synonyms
    from textkit.classify.expansion import expansion_matrix, synonym_groups
    from textkit.classify.features import Featurizer

    table = {"干净": ("干净", "清爽", "整洁"), "热情": ("冷淡",)}
    monkeypatch.setattr(synonyms, "cilin_synonyms", lambda: table)
    texts = ["房间很干净", "服务不热情", "送餐慢"]
    groups = synonym_groups(texts, "fast")
    # the word itself is left out; a negated word is not expanded
    assert groups == [(3, [("清爽", "整洁")]), (3, []), (2, [])]
    featurizer = Featurizer(FeatureConfig(features="word", min_df=1))
    featurizer.fit(["房间很干净", "清爽", "服务不热情", "送餐慢"])  # 整洁: not a known word
    extra = expansion_matrix(groups, featurizer).toarray()
    column = featurizer.vocabulary["清爽"]
    # one of two synonyms, in a row of three words: 1/2 of a word's share 1/sqrt(3)
    assert extra[0, column] == pytest.approx(0.5 / np.sqrt(3))
    assert np.count_nonzero(extra[0]) == 1 and not extra[1:].any()


def test_augment_auto_tries_the_synonym_expansion_with_a_scaled_c():
    from textkit.classify.training import AUTO_COPIES, AUTO_EXPAND, C_GRID, TrainConfig, train

    texts, labels = _reviews()
    model = train(texts * 5, labels * 5, FeatureConfig(min_df=1), TrainConfig(augment="auto")).model
    auto = model.metadata["auto"]
    tried = {(row["copies"], row.get("expand", 0), row["C"]) for row in auto["scores"]}
    # an expansion of weight w scales rows by about 1 + w: C is divided by (1 + w) ** 2
    expected = {(n, 0, c / (1 + n)) for n in AUTO_COPIES for c in C_GRID}
    expected |= {(0, w, c / (1 + w) ** 2) for w in AUTO_EXPAND for c in C_GRID}
    assert tried == expected
    assert model.metadata["parameters"]["expand"] == auto.get("expand", 0.0)


def test_augment_auto_fits_the_chosen_expansion(monkeypatch):
    """When an expansion wins, the final model is fitted on the expanded rows at its C,
    and the held-out texts are scored as they are."""
    from textkit.classify import training
    from textkit.classify.expansion import expansion_matrix, synonym_groups

    texts, labels = _reviews()
    texts, labels = texts * 5, labels * 5
    searched = training._expansions

    def winning(*args):
        selection, data = searched(*args)
        for candidate in selection.scores:
            selection.scores[candidate] += 1  # above every other setting
        return selection, data

    monkeypatch.setattr(training, "_expansions", winning)
    monkeypatch.setattr(training, "_augmentation_helps", lambda a, p: (True, {"rows": 0}))
    features = FeatureConfig(min_df=1)
    model = training.train(texts, labels, features, training.TrainConfig(augment="auto")).model
    auto = model.metadata["auto"]
    weight = auto["expand"]
    assert weight in training.AUTO_EXPAND and auto["copies"] == 0
    assert model.metadata["parameters"]["expand"] == weight
    assert "augmented_rows" not in model.metadata
    config = training.TrainConfig()
    featurizer, data = training._featurize(texts, labels, None, 0, features, False, None)
    extra = expansion_matrix(synonym_groups(texts, features.tokenizer), featurizer)
    x = (data.x + weight * extra).astype(np.float32)
    coef, _, _ = training._fit(x, data.targets, config, auto["C"])
    assert np.allclose(model.coef, coef, atol=1e-6)


def test_train_lr_warns_of_labels_that_differ_only_in_spelling(run, tmp_path):
    """Two exports put together (1 and 1.0, Positive and positive) trained separate classes
    for one label, without a word."""
    data = tmp_path / "mixed.csv"
    data.write_text(
        "label,review\n1,很快，好吃\n0,太慢了\n1.0,好吃不贵\n0,难吃\nPositive,好\npositive,很好\n",
        encoding="utf-8",
    )
    result = run(["train-lr", data, "--min-df", "1", "-o", tmp_path / "m.model"])
    assert result.exit_code == 0, result.stderr
    assert (
        "Warning: labels that differ only in case or number format are classes of their own: "
        "'1' and '1.0'; 'Positive' and 'positive'\n"
    ) in result.stderr
    same = tmp_path / "same.csv"
    same.write_text("label,review\n1,很快，好吃\n0,太慢了\n1,好吃不贵\n0,难吃\n", "utf-8")
    plain = run(["train-lr", same, "--min-df", "1", "-o", tmp_path / "n.model"])
    assert "differ only" not in plain.stderr


def test_evaluate_prints_its_report_even_when_errors_cannot_be_written(run, tmp_path):
    """A --errors path in a missing folder failed the run before the report was printed:
    the scores computed were lost."""
    data = tmp_path / "d.tsv"
    data.write_text("很好吃\tpos\n太难吃了\tneg\n好吃\tpos\n难吃\tneg\n", encoding="utf-8")
    model = tmp_path / "m.model"
    assert run(["train-lr", data, "-o", model, "--min-df", "1"]).exit_code == 0
    result = run(["evaluate", "-m", model, data, "--errors", tmp_path / "no" / "e.tsv"])
    assert result.exit_code == 1 and "cannot write" in result.stderr
    assert result.stdout.startswith("N\t4\naccuracy\t")


def test_a_model_given_without_m_is_named_in_the_usage_error(run, model_path, tmp_path):
    texts = tmp_path / "new.txt"
    texts.write_text("菜都凉了，太慢\n", encoding="utf-8")
    for command in ("classify", "evaluate"):
        result = run([command, model_path, texts])
        assert result.exit_code == 2
        assert f"{model_path} is a model file: textkit {command} -m {model_path} {texts}" in (
            result.stderr
        )
        assert "Traceback" not in result.stderr
    result = run(["classify", texts])  # no model at all
    assert result.exit_code == 2 and "Missing option '--model' / '-m'" in result.stderr
