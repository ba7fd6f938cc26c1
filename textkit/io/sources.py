"""Where documents come from: paths expanded into files (directories walked), and stdin."""

from __future__ import annotations

import fnmatch
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from textkit.errors import (
    InputError,
    MissingInputError,
    SkippedTables,
    TerminalInput,
    file_kinds,
)

STDIN = "-"
STDIN_NAME = "<stdin>"
DEFAULT_GLOB = "*.txt"
# Data files a directory may hold besides text: said when the file pattern leaves them out.
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json")

ErrorHandler = Callable[[InputError], None]


def raise_error(error: InputError) -> None:
    """The default ``on_error``: the first failure stops the read."""
    raise error


def _is_terminal(stream: object) -> bool:
    """Whether ``stream`` is an interactive terminal (False for anything that cannot say)."""
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):
        return False


def source_name(source: str) -> str:
    """How an input is named in results and messages: its path, or ``<stdin>``."""
    return STDIN_NAME if source == STDIN else source


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_directory(
    root: Path, glob: str, on_error: ErrorHandler, left_out: list[str] | None = None
) -> Iterator[str]:
    """Yield files under ``root`` matching ``glob``: sorted, hidden entries skipped, no loops.
    Data files (``TABLE_SUFFIXES``) the glob does not match go to ``left_out``.

    Iterative (deep trees do not hit the recursion limit); each real directory is entered
    once, so a symlink loop ends instead of recursing forever. Paths are strings spelled as
    ``str(Path(...))`` would spell them (``./a`` is ``a``), without making a Path per file.
    """
    seen: set[tuple[int, int]] = set()
    stack: list[str] = [str(root)]
    while stack:
        directory = stack.pop()
        try:
            info = os.stat(directory)
            key = (info.st_dev, info.st_ino)
            if key in seen:
                continue
            seen.add(key)
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            on_error(InputError(directory, f"cannot read directory: {exc.strerror}"))
            continue
        prefix = "" if directory == "." else directory
        subdirs: list[str] = []
        for entry in entries:
            name = entry.name
            if _is_hidden(name):
                continue
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                subdirs.append(os.path.join(prefix, name))
            elif is_file and fnmatch.fnmatchcase(name, glob):
                yield os.path.join(prefix, name)
            elif left_out is not None and is_file and name.lower().endswith(TABLE_SUFFIXES):
                left_out.append(name)
        # Files of a directory come before its subdirectories, each level in name order.
        stack.extend(reversed(subdirs))


def iter_sources(
    paths: Iterable[str] | None, glob: str = DEFAULT_GLOB, on_error: ErrorHandler = raise_error
) -> Iterator[str]:
    """Expand paths into files (directories walked) and ``-`` for stdin, in input order."""
    for raw in list(paths or []) or [STDIN]:
        if raw == STDIN:
            if on_error is not raise_error and _is_terminal(sys.stdin):
                on_error(
                    TerminalInput(
                        STDIN_NAME,
                        "reading the text typed here: end it with Ctrl-D (Ctrl-Z, Enter on "
                        "Windows), or name a file",
                    )
                )
            yield STDIN
            continue
        path = Path(raw)
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            on_error(MissingInputError(raw, "no such file or directory"))
            continue
        except OSError as exc:
            on_error(InputError(raw, f"cannot read: {exc.strerror}"))
            continue
        if stat.S_ISDIR(mode):
            found = False
            left_out: list[str] = []
            for file in walk_directory(path, glob, on_error, left_out):
                found = True
                yield file
            if left_out and found:
                on_error(SkippedTables(raw, left_out, glob))
            if not found:
                held = f"; it holds {file_kinds(left_out)}" if left_out else ""
                on_error(
                    MissingInputError(
                        raw,
                        f"no files match {glob!r} in this directory{held}",
                        hint="try --glob '*'",
                    )
                )
        else:
            yield raw


_SMALL_FILE = 1 << 16


def read_file(path: str) -> bytes:
    """A file's bytes. A small file (nearly all) through a bare descriptor: two reads, no
    file object, a third of open()'s cost, which shows on directories of thousands of
    files. Reads until EOF, so a named pipe (``<(zcat ...)``) works too."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        head = os.read(fd, _SMALL_FILE)
        more = os.read(fd, _SMALL_FILE) if len(head) < _SMALL_FILE else b""
        if len(head) < _SMALL_FILE and not more:
            return head
        try:  # a big regular file: read again from the start, into one buffer
            os.lseek(fd, 0, os.SEEK_SET)
        except OSError:  # a pipe: keep what came, then the rest
            return b"".join((head, more, io.FileIO(fd, closefd=False).readall()))
        return io.FileIO(fd, closefd=False).readall()
    finally:
        os.close(fd)
