"""train-lr --streaming: hashed features, SGD over chunks, files re-read every epoch."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from tests.test_imports import modules_after
from textkit.classify.hashing import (
    HashedFeatureConfig,
    HashedFeaturizer,
    buckets,
    mix64,
    word_keys,
)
from textkit.classify.model import TextClassifier
from textkit.classify.modelfile import load_model
from textkit.classify.streaming import StreamConfig, held_out, train_streaming

TSV = "labeled/reviews.tsv"
FAST = ["--hash-bits", "12", "--min-df", "1", "--chunk-size", "3", "--epochs", "3"]

TEXTS = ["北京天气很好", "上海股市大涨", "足球比赛精彩", "北京股市", "天气预报", "比赛结果"] * 4
LABELS = ["a", "b", "c", "b", "a", "c"] * 4


def rows_of(texts: list[str], labels: list[str]):
    return lambda: iter(zip(texts, labels, strict=True))


@pytest.fixture(scope="module")
def stream_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from typer.testing import CliRunner

    from tests.conftest import SAMPLES
    from textkit.cli import app

    path = tmp_path_factory.mktemp("stream") / "reviews.model"
    args = ["train-lr", str(SAMPLES / TSV), "-o", str(path), "--streaming", *FAST, "-q"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.stderr
    return path


def test_cli_round_trip(run, samples, tmp_path, stream_model):
    out = tmp_path / "s.model"
    valid = samples / "labeled" / "reviews.jsonl"
    result = run(["train-lr", samples / TSV, "-o", out, "--streaming", *FAST, "--valid", valid])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert [line.split(":")[0] for line in lines if line.startswith("epoch")] == [
        "epoch 1/3",
        "epoch 2/3",
        "epoch 3/3",
    ]
    epochs = [line for line in lines if line.startswith("epoch")]
    assert "(on rows before learning them)" in epochs[0] and "(on rows seen before)" in epochs[1]
    assert lines[-2].startswith(
        "8 documents (text: column 0, label: column 1), 2 classes, 4096 hashed features, "
    )
    assert lines[-2].endswith(f"-> {out}")
    assert lines[-1].startswith("validation: 8 documents, accuracy ")
    assert not any(p.name.endswith(".tmp") for p in tmp_path.iterdir())

    classified = run(
        ["classify", "-m", out, "--lines", "--proba", "-k", "2", "--explain", "2"],
        input="太难吃了\n味道很好\n",
    )
    assert classified.exit_code == 0, classified.stderr
    rows = [line.split("\t") for line in classified.stdout.splitlines()]
    assert len(rows) == 4 and {rows[0][1], rows[1][1]} == {"negative", "positive"}
    assert abs(float(rows[0][3]) + float(rows[0][4]) - 1) < 1e-5
    assert "太" in rows[0][5] or "#" in rows[0][5]  # explain names the text's own n-grams

    evaluated = run(["evaluate", "-m", out, samples / "labeled" / "reviews.jsonl", "-f", "json"])
    assert evaluated.exit_code == 0, evaluated.stderr
    report = json.loads(evaluated.stdout)
    assert report["n"] == 8 and report["accuracy"] >= 0.75  # the training rows themselves

    info = run(["info", out, "--format", "json"])
    metadata = json.loads(info.stdout)
    assert metadata["features"]["kind"] == "hashed" and metadata["features"]["hash_bits"] == 12
    assert metadata["parameters"]["streaming"] is True
    assert metadata["parameters"]["epochs"] == 3
    assert metadata["n_features"] == 4096
    assert metadata["validation"]["n"] == 8
    assert metadata["training_files"][0]["sha256"]
    assert [x["label"] for x in metadata["labels"]] == ["negative", "positive"]


def test_valid_split_and_class_weight(run, samples, tmp_path):
    out = tmp_path / "s.model"
    args = ["--valid-split", "0.3", "--class-weight", "balanced", "--penalty", "l1"]
    result = run(["train-lr", samples / TSV, "-o", out, "--streaming", *FAST, *args])
    assert result.exit_code == 0, result.stderr
    held = sum(held_out(i, 0.3, 0) for i in range(8))
    assert result.stderr.strip().splitlines()[-1].startswith(f"validation: {held} documents")
    assert f"{8 - held} documents, 2 classes" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["-"],
        ["--tune", "--valid-split", "0.2"],
        ["--multi-class", "multinomial"],
        ["--max-features", "10"],
        ["--alpha", "0"],
    ],
)
def test_bad_streaming_options(run, samples, tmp_path, args):
    data = [] if args == ["-"] else [samples / TSV]
    result = run(["train-lr", *data, *args, "-o", tmp_path / "m", "--streaming"], input="x\ty\n")
    assert result.exit_code == 2, result.stderr
    assert not (tmp_path / "m").exists()


def test_single_class_is_an_error(run, tmp_path):
    data = tmp_path / "one.tsv"
    data.write_text("好吃\tpos\n很好\tpos\n", encoding="utf-8")
    result = run(["train-lr", data, "-o", tmp_path / "m", "--streaming", *FAST])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith("Error:") and "only one label" in lines[-1]
    assert not (tmp_path / "m").exists()


def test_classify_streaming_model_imports_no_sklearn(stream_model):
    loaded = modules_after("classify", "-m", str(stream_model), stdin="好吃")
    assert "rjieba" in loaded  # the probe really ran the command
    assert not loaded & {"sklearn", "scipy"}


# -- library ----------------------------------------------------------------------------


def test_hash_is_stable_and_documented():
    # SplitMix64: the first output of the generator seeded with 0 is mix(golden gamma).
    assert int(mix64(np.array([0x9E3779B97F4A7C15], np.uint64))[0]) == 0xE220A8397B1DCDAF
    key = int(word_keys(["北京"])[0])
    assert key == (1 << 63) + zlib.crc32("北京".encode())
    # Pinned: a model trained anywhere must hash the same n-grams to the same buckets.
    assert buckets(word_keys(["北京", "北京\x01大学"]), 20).tolist() == [15789, 575177]
    assert buckets(np.array([ord("北") + 1], np.uint64), 20).tolist() == [385353]


def test_numpy_predictor_matches_sgd_predict_proba():
    from scipy import sparse
    from sklearn.linear_model import SGDClassifier

    featurizer = HashedFeaturizer(HashedFeatureConfig(hash_bits=10, min_df=1))
    csr = featurizer.fit_transform(TEXTS)
    x = sparse.csr_matrix(csr, shape=(len(TEXTS), featurizer.n_features))
    for labels in (LABELS, ["a" if y == "a" else "z" for y in LABELS]):
        estimator = SGDClassifier(loss="log_loss", alpha=1e-4, random_state=0).fit(x, labels)
        classes = [str(c) for c in estimator.classes_]
        model = TextClassifier(featurizer, estimator.coef_, estimator.intercept_, classes, "ovr")
        mine = model.proba_from_scores(model.decision(featurizer.transform(TEXTS)))
        assert np.abs(mine - estimator.predict_proba(x)).max() < 1e-5
        assert np.abs(model.predict_proba(TEXTS) - estimator.predict_proba(x)).max() < 1e-5


def test_reads_the_data_once_per_pass_without_materialising(monkeypatch):
    from sklearn.linear_model import SGDClassifier

    texts, labels = TEXTS * 5, LABELS * 5  # 120 rows
    passes = []
    pulled = [0]

    def read():
        passes.append(pulled[0])

        def rows():
            for row in zip(texts, labels, strict=True):
                pulled[0] += 1
                yield row

        return rows()

    seen_at_fit = []
    original = SGDClassifier.partial_fit

    def spy(self, x, y, **kwargs):
        seen_at_fit.append(pulled[0])
        return original(self, x, y, **kwargs)

    monkeypatch.setattr(SGDClassifier, "partial_fit", spy)
    config = StreamConfig(epochs=3, chunk_size=10, shuffle_buffer=20)
    result = train_streaming(read, HashedFeatureConfig(hash_bits=10, min_df=1), config)
    assert len(passes) == 1 + 3  # the IDF pass, then one per epoch
    assert pulled[0] == 4 * 120
    assert len(seen_at_fit) == 3 * 12
    # The first step of each epoch comes after at most buffer + chunk rows of that pass.
    for epoch in range(3):
        start = (epoch + 1) * 120
        assert seen_at_fit[epoch * 12] - start <= 20 + 10
    assert result.n_documents == 120 and len(result.epochs) == 3


def test_same_seed_same_model(tmp_path):
    features = HashedFeatureConfig(hash_bits=10, min_df=1)
    config = StreamConfig(epochs=2, chunk_size=5, seed=3)
    paths = []
    for i in range(2):
        model = train_streaming(rows_of(TEXTS, LABELS), features, config).model
        paths.append(tmp_path / f"{i}.model")
        model.save(paths[-1])
    first, second = (load_model(p) for p in paths)
    assert first.arrays.keys() == second.arrays.keys()
    for name in first.arrays:
        assert first.arrays[name].tobytes() == second.arrays[name].tobytes(), name
    a, b = (TextClassifier.load(p) for p in paths)
    assert np.array_equal(a.predict_proba(TEXTS), b.predict_proba(TEXTS))
    other = train_streaming(rows_of(TEXTS, LABELS), features, StreamConfig(2, 5, seed=4)).model
    assert not np.array_equal(other.coef, a.coef)


def test_save_load_round_trip_is_compact(tmp_path):
    features = HashedFeatureConfig(hash_bits=14, min_df=2)
    result = train_streaming(rows_of(TEXTS, LABELS), features, StreamConfig(epochs=2))
    model = result.model
    model.save(tmp_path / "m.model")
    arrays = load_model(tmp_path / "m.model").arrays
    used = int((model.featurizer.idf > 0).sum())
    assert arrays["coef"].shape == (3, used) and len(arrays["buckets"]) == used < 1 << 14
    loaded = TextClassifier.load(tmp_path / "m.model")
    assert isinstance(loaded.featurizer, HashedFeaturizer)
    assert np.array_equal(loaded.coef, model.coef)
    assert np.allclose(loaded.predict_proba(TEXTS), model.predict_proba(TEXTS))


def test_corrupted_hashed_model(tmp_path):
    from textkit.classify.modelfile import save_model
    from textkit.errors import ModelError

    model = train_streaming(rows_of(TEXTS, LABELS), HashedFeatureConfig(hash_bits=10)).model
    model.save(tmp_path / "m.model")
    good = load_model(tmp_path / "m.model")
    arrays = {**good.arrays, "buckets": good.arrays["buckets"][:-1]}
    save_model(tmp_path / "bad.model", good.metadata, arrays)
    with pytest.raises(ModelError, match="corrupted classifier"):
        TextClassifier.load(tmp_path / "bad.model")


def test_held_out_is_a_stable_fraction():
    flags = [held_out(i, 0.1, 0) for i in range(20_000)]
    assert 0.09 < sum(flags) / len(flags) < 0.11
    assert flags == [held_out(i, 0.1, 0) for i in range(20_000)]
    assert flags != [held_out(i, 0.1, 1) for i in range(20_000)]


# -- reading files incrementally ---------------------------------------------------------


def _records(paths, **options):
    from textkit.io.tabular import read_labeled

    return [(r.source, r.text, r.label) for r in read_labeled([str(p) for p in paths], **options)]


def test_stream_reader_matches_whole_file_reader(samples, tmp_path):
    gbk = tmp_path / "gbk.tsv"
    gbk.write_bytes("今天天气很好\tpos\n难吃\tneg\n".encode("gbk"))
    bom = tmp_path / "bom.tsv"
    bom.write_bytes("\ufeff好吃\tpos\n难吃\tneg\n".encode())
    wide = tmp_path / "wide.tsv"
    wide.write_bytes("好吃\tpos\r\n难吃\tneg\r\n".encode("utf-16"))
    multiline = tmp_path / "multi.csv"
    multiline.write_text('label,review\npos,"第一行\n第二行"\nneg,难吃\n', encoding="utf-8")
    files = [*(samples / "labeled").iterdir(), gbk, bom, wide, multiline]
    for path in files:
        assert _records([path], stream=True) == _records([path]), path
    assert _records([multiline], stream=True)[0][1] == "第一行\n第二行"
    assert _records([bom], stream=True)[0][1] == "好吃"
    assert _records([gbk], encoding="gbk", stream=True) == _records([gbk], encoding="gbk")


def test_stream_reader_errors_like_whole_file_reader(tmp_path):
    from textkit.errors import InputError

    binary = tmp_path / "bin.tsv"
    binary.write_bytes(b"abc\x00\tdef\n")
    bad = tmp_path / "bad.tsv"
    bad.write_bytes(b"ok\tpos\n\xff\xfe\xfa\tneg\n")
    for path, options in ((binary, {}), (bad, {"encoding": "utf-8"})):
        messages = []
        for stream in (False, True):
            with pytest.raises(InputError) as caught:
                _records([path], stream=stream, **options)
            messages.append(str(caught.value))
        assert messages[0] == messages[1]


def test_stream_reader_memory_does_not_hold_the_file(tmp_path):
    """The handle is a file decoded incrementally, not a StringIO of the whole text."""
    from textkit.io.tabular import _open_text

    path = tmp_path / "d.tsv"
    path.write_text("好吃\tpos\n" * 1000, encoding="utf-8")
    _, handle = _open_text(str(path), "auto", stream=True)
    with handle:
        assert not isinstance(handle, __import__("io").StringIO)
        assert handle.readline() == "好吃\tpos\n"
