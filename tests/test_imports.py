"""Start-up discipline: cheap commands must not import heavy modules."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import json, sys
from textkit.cli import app
try:
    app(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)), file=sys.stderr)
"""


def modules_after(*args: str, stdin: str = "") -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def test_help_imports_nothing_heavy():
    loaded = modules_after("--help")
    assert not loaded & {"sklearn", "networkx", "jieba", "rjieba", "numpy", "scipy"}


def test_tokenize_does_not_import_sklearn_or_networkx():
    loaded = modules_after("tokenize", stdin="我爱北京")
    assert "jieba" in loaded  # the probe really ran the command
    assert not loaded & {"sklearn", "networkx"}


def test_keywords_does_not_import_sklearn():
    loaded = modules_after("keywords", stdin="我爱北京天安门")
    assert "rjieba" in loaded  # the probe really ran the command (fast tokenizer by default)
    assert not loaded & {"sklearn", "networkx"}  # networkx only for --method textrank
    assert "numpy" not in loaded  # a short run goes text by text: numpy only for batches
    assert "sklearn" not in modules_after("keywords", "-m", "textrank", stdin="我爱北京天安门")


def test_classify_does_not_import_sklearn_or_scipy(tmp_path):
    from textkit.classify.training import train

    model = train(["很好吃", "太难吃", "好吃", "难吃"], ["pos", "neg", "pos", "neg"]).model
    model.save(tmp_path / "m.model")
    loaded = modules_after("classify", "-m", str(tmp_path / "m.model"), stdin="好吃")
    assert "rjieba" in loaded  # the probe really ran the command
    assert not loaded & {"sklearn", "scipy"}
