"""Shared fixtures: a CLI runner that keeps stdout and stderr apart, and sample paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner

from textkit.cli import app

# No per-example deadline: CI shares two cores, and a slow example is not a wrong one.
# The same examples on every run: CI on a fresh clone is red or green for the code alone.
settings.register_profile("textkit", deadline=None, derandomize=True)
settings.load_profile("textkit")

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Keep every test's cache away from the real user's cache directory."""
    from textkit.io import cache

    cache.cache_dir.cache_clear()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))
    yield
    cache.cache_dir.cache_clear()


@pytest.fixture(autouse=True)
def _workers_without_warmup(monkeypatch: pytest.MonkeyPatch):
    """``-j N`` tests hand their (small) inputs to worker processes at once, instead of
    finishing them in the test process during the warm-up a real run has."""
    from textkit.io import parallel

    monkeypatch.setattr(parallel, "WARMUP", 0.0)


@pytest.fixture
def run():
    """Invoke the CLI in-process: run(["tokenize", ...], input="...") -> Result."""
    runner = CliRunner()

    def invoke(args: list[str], input: str | bytes | None = None):
        return runner.invoke(app, [str(a) for a in args], input=input)

    return invoke


@pytest.fixture
def samples() -> Path:
    return SAMPLES


def pipe_two_lines(args: list[str], first: str, second: str) -> tuple[str, str]:
    """Run ``textkit ARGS`` with a pipe as stdin: write ``first``, read one output line
    while the pipe stays open (as from `tail -f`), then write ``second`` and close. Returns
    that first output line and the rest. Fails, rather than hangs, when nothing comes out
    before the input ends."""
    import select
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "textkit", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        proc.stdin.write(f"{first}\n".encode())
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], 120)
        assert ready, "no output for the first line while the input stayed open"
        line = proc.stdout.readline().decode("utf-8")
        proc.stdin.write(f"{second}\n".encode())
        proc.stdin.close()
        return line, proc.stdout.read().decode("utf-8")
    finally:
        proc.kill()
        proc.wait()
