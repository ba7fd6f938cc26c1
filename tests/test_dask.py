"""The Dask backend: a LocalCluster on 127.0.0.1 gives the same output as a local run."""

from __future__ import annotations

import pytest

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler():
    cluster = distributed.LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        host="127.0.0.1",
        processes=True,
        dashboard_address=None,
    )
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


def test_tokenize_on_dask_matches_local(run, tmp_path, scheduler):
    corpus = tmp_path / "c.txt"
    corpus.write_text(
        "".join(f"第{i}条新闻标题，北京欢迎你\n" for i in range(300)), encoding="utf-8"
    )
    local = run(["tokenize", corpus, "--lines", "-f", "jsonl"])
    remote = run(
        [
            "tokenize",
            corpus,
            "--lines",
            "-f",
            "jsonl",
            "--backend",
            "dask",
            "--scheduler",
            scheduler,
        ]
    )
    assert remote.exit_code == 0, remote.stderr
    assert remote.stdout == local.stdout


def test_dask_without_scheduler_is_a_clear_error(run, monkeypatch):
    monkeypatch.delenv("TEXTKIT_DASK_SCHEDULER", raising=False)
    result = run(["tokenize", "--backend", "dask"], input="你好")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: --backend dask needs a scheduler address "
        "(pass --scheduler tcp://HOST:PORT or set TEXTKIT_DASK_SCHEDULER)\n"
    )


def test_dask_with_a_malformed_address_is_a_clear_error(run):
    result = run(["tokenize", "--backend", "dask", "--scheduler", "bogus"], input="你好")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: not a Dask scheduler address: 'bogus' (")
    assert result.stderr.endswith("(pass --scheduler tcp://HOST:PORT)\n")
