"""Model files: round trip, refusal of code-carrying files, corruption detection."""

from __future__ import annotations

import os
import pickle

import joblib
import numpy as np
import pytest

from textkit.classify.modelfile import load_model, read_metadata, save_model
from textkit.errors import ModelError


def test_round_trip_and_metadata_only(tmp_path):
    path = tmp_path / "m.model"
    save_model(path, {"labels": ["a", "b"]}, {"coef": np.arange(6, dtype=np.float32).reshape(2, 3)})
    model = load_model(path)
    assert model.metadata["labels"] == ["a", "b"]
    assert model.metadata["versions"]["textkit"]
    assert model.arrays["coef"].tolist() == [[0, 1, 2], [3, 4, 5]]
    assert read_metadata(path)["labels"] == ["a", "b"]
    # Users who reach for joblib directly can still open it.
    assert joblib.load(path)["format"] == "textkit.model"


class _RunsCommand:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_pickle_that_runs_a_command_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.model"
    path.write_bytes(pickle.dumps({"format": "textkit.model", "x": _RunsCommand(marker)}))
    # Sanity: loading it naively really would run the command.
    naive = tmp_path / "naive"
    pickle.loads(pickle.dumps(_RunsCommand(naive)))
    assert naive.exists()
    with pytest.raises(ModelError, match="refused to load: .*'posix.system'"):
        load_model(path)
    assert not marker.exists()


def test_joblib_file_with_arbitrary_objects_is_refused(tmp_path):
    from collections import OrderedDict

    path = tmp_path / "other.joblib"
    joblib.dump(OrderedDict(a=1), path)
    with pytest.raises(ModelError, match="refused to load"):
        load_model(path)


def test_truncated_and_bitflipped_files(tmp_path):
    path = tmp_path / "m.model"
    save_model(path, {}, {"w": np.ones(1000, dtype=np.float32)})
    data = path.read_bytes()
    (tmp_path / "cut.model").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="truncated"):
        load_model(tmp_path / "cut.model")
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x01
    (tmp_path / "flip.model").write_bytes(bytes(flipped))
    with pytest.raises(ModelError, match="corrupted"):
        load_model(tmp_path / "flip.model")


def test_not_a_model_directory_missing_and_newer_format(tmp_path):
    with pytest.raises(ModelError, match="is a directory"):
        load_model(tmp_path)
    with pytest.raises(ModelError, match="not found"):
        load_model(tmp_path / "none.model")
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(ModelError, match="not a textkit model"):
        load_model(text)
    newer = tmp_path / "newer.model"
    newer.write_bytes(pickle.dumps({"format": "textkit.model", "format_version": 99}))
    with pytest.raises(ModelError, match="newer than this textkit"):
        load_model(newer)


def test_scikit_learn_version_mismatch_is_a_warning(tmp_path, monkeypatch):
    from importlib.metadata import version

    import textkit.classify.modelfile as modelfile

    assert modelfile.installed_version("sklearn", "scikit-learn") == version("scikit-learn")
    assert modelfile.installed_version("no_such_module_here", "no-such-dist") is None
    path = tmp_path / "m.model"
    save_model(path, {"labels": ["a"]}, {"coef": np.zeros(2, dtype=np.float32)})
    assert load_model(path).warnings == []
    monkeypatch.setattr(modelfile, "installed_version", lambda module, dist: "0.0.1")
    (warning,) = load_model(path).warnings
    assert f"scikit-learn {version('scikit-learn')}, running 0.0.1" in warning


def test_streamed_and_piped_files_hold_the_same_model(tmp_path):
    """A regular file gets the arrays streamed into it (size patched in afterwards); a pipe
    gets them built in memory first. Both load to the same arrays and metadata."""
    import threading

    arrays = {
        "coef": np.arange(12, dtype=np.float32).reshape(3, 4).T,  # a transposed view
        "idf": np.linspace(0, 1, 5, dtype=np.float32),
    }
    regular = tmp_path / "m.model"
    save_model(regular, {"labels": ["a", "b"]}, arrays)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    save_model(fifo, {"labels": ["a", "b"]}, arrays)
    reader.join()
    piped = tmp_path / "piped.model"
    piped.write_bytes(received[0])
    for path in (regular, piped):
        model = load_model(path)
        assert model.metadata["labels"] == ["a", "b"]
        assert np.array_equal(model.arrays["coef"], arrays["coef"])
        assert np.array_equal(model.arrays["idf"], arrays["idf"])
        assert joblib.load(path)["format"] == "textkit.model"
