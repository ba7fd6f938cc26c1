"""The manual and the help texts: every command and option the README shows exists, every
command's help ends with an example, and nothing speaks of how the software was made."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import click
import pytest
import typer

from textkit.cli import app

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
COMMAND = typer.main.get_command(app)
assert isinstance(COMMAND, click.Group)
COMMANDS: dict[str, click.Command] = dict(COMMAND.commands)

# Words of a lab notebook, not of a manual.
NOTEBOOK = re.compile(
    r"\bsessions?\b|\bissue\s*#?\d+|#\d{1,3}\b(?![0-9a-f])|\bMISSED\b|\bverdict|"
    r"\btargets? (?:is |was )?(?:met|missed|reached)|\bdev data\b|\bsee README\b",
    re.IGNORECASE,
)


def _code_blocks(text: str) -> list[str]:
    return re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, re.DOTALL)


def _invocations(text: str) -> list[list[str]]:
    """Every `textkit ...` command line in the README's code blocks and inline code, split
    into words (pipes, `&&`, `;` and comments end one)."""
    found = []
    pieces = [line for block in _code_blocks(text) for line in block.splitlines()]
    pieces += re.findall(r"`(textkit [^`]+)`", text)
    for line in pieces:
        line = line.split(" #", 1)[0]
        for part in re.split(r"\||&&|;|\$\(", line):
            words = part.strip().split()
            if words[:1] == ["textkit"] or words[:1] == [".venv/bin/textkit"]:
                try:
                    found.append(shlex.split(part.strip())[1:])
                except ValueError:
                    found.append(words[1:])
    return found


def _options(command: click.Command) -> set[str]:
    names = {"--help", "-h"}
    for param in command.params:
        names |= set(getattr(param, "opts", [])) | set(getattr(param, "secondary_opts", []))
    return names


def test_readme_is_a_manual_of_at_most_400_lines():
    assert len(README.read_text(encoding="utf-8").splitlines()) <= 400


def test_every_command_and_option_in_the_readme_exists():
    invocations = _invocations(README.read_text(encoding="utf-8"))
    assert len(invocations) > 20  # the parser found the examples
    unknown = []
    for words in invocations:
        if not words or words[0].startswith("-"):
            continue
        name = words[0]
        if name not in COMMANDS:
            unknown.append(f"command {name}")
            continue
        known = _options(COMMANDS[name])
        for word in words[1:]:
            if re.fullmatch(r"--?[A-Za-z][\w-]*(=.*)?", word):
                flag = word.split("=", 1)[0]
                if flag not in known:
                    unknown.append(f"{name} {flag}")
    assert not unknown, unknown


def test_every_command_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    missing = [name for name in COMMANDS if f"textkit {name}" not in text]
    assert not missing, missing


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_help_ends_with_an_example(run, name):
    result = run([name, "--help"])
    assert result.exit_code == 0
    paragraphs = [p for p in (COMMANDS[name].help or "").split("\n\n") if p.strip()]
    assert paragraphs and paragraphs[-1].strip().startswith("Example"), name
    assert "textkit " + name in paragraphs[-1]


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_help_texts_are_one_short_sentence_each(name):
    long = []
    for param in COMMANDS[name].params:
        text = getattr(param, "help", None) or ""
        if len(text) > 160 or NOTEBOOK.search(text):
            long.append(f"{'/'.join(getattr(param, 'opts', []))}: {text}")
    assert not long, long


def test_no_lab_notebook_in_the_manual_docs_help_or_benchmarks():
    files = [
        README,
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "benchmarks").glob("*.py")),
    ]
    texts = {str(f.relative_to(ROOT)): f.read_text(encoding="utf-8") for f in files}
    texts.update({f"help of {name}": command.help or "" for name, command in COMMANDS.items()})
    found = {
        where: sorted({m.group(0) for m in NOTEBOOK.finditer(text)})
        for where, text in texts.items()
        if NOTEBOOK.search(text)
    }
    assert not found, found
