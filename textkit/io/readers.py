"""Reading documents from files, directories and stdin.

Every subcommand reads its inputs through :func:`iter_documents`:

* a path may be a file or a directory (walked recursively in sorted order, hidden entries
  skipped, each real directory visited once so symlink loops end); ``-`` is stdin;
* a document is a whole file, or with ``lines=True`` each non-empty line, and carries its
  source id (``path``, ``path:LINE``, ``<stdin>``, ``<stdin>:LINE``);
* ``encoding="auto"`` decodes by BOM, else UTF-8, else GB18030 when that decodes cleanly;
* reading is lazy: one file, or one line, in memory at a time;
* a bad input never stops the batch: it is passed to ``on_error`` and the rest go on.
"""

from __future__ import annotations

import codecs
import contextlib
import fnmatch
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, BinaryIO, NamedTuple

from textkit.checks import paths_arg
from textkit.errors import (
    BinaryInputError,
    ConfigError,
    DecodeError,
    InputError,
    MissingInputError,
)

STDIN = "-"
STDIN_NAME = "<stdin>"
AUTO = "auto"
DEFAULT_GLOB = "*.txt"

# Checked longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# In these encodings a NUL byte is ordinary; elsewhere it marks binary data.
_WIDE_CODECS = ("utf_16", "utf_32")
# How much of a stream decides its encoding in --lines mode (the rest is decoded line by line).
_SNIFF_BYTES = 1 << 20

ErrorHandler = Callable[[InputError], None]


class Document(NamedTuple):
    """One unit of text and where it came from. (A named tuple: immutable, and three times
    cheaper to make than a frozen dataclass, which shows when reading millions of lines.)"""

    source: str
    text: str


def _raise(error: InputError) -> None:
    raise error


def check_encoding(encoding: str) -> str:
    """Return ``encoding`` if it is ``auto`` or a text codec Python knows; raise LookupError
    otherwise (also for bytes-to-bytes codecs such as base64 or rot13)."""
    if encoding != AUTO and not codecs.lookup(encoding)._is_text_encoding:
        raise LookupError(f"{encoding} is not a text encoding")
    return encoding


def _library_encoding(encoding: str) -> str:
    """check_encoding for library callers: a typed error instead of a LookupError."""
    try:
        return check_encoding(encoding)
    except LookupError as exc:
        raise ConfigError(f"{exc}; pass a text encoding such as gb18030, or 'auto'") from None


def _binary(source: str) -> BinaryInputError:
    # NUL bytes are also what UTF-16/32 text without a byte-order mark looks like.
    return BinaryInputError(
        source,
        "binary file (contains NUL bytes), skipped",
        hint="if it is UTF-16 or UTF-32 text without a byte-order mark, "
        "pass --encoding utf-16-le, utf-16-be or the like",
    )


def _is_wide(codec: str) -> bool:
    return codecs.lookup(codec).name.replace("-", "_").startswith(_WIDE_CODECS)


def _bom_codec(head: bytes) -> str | None:
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    return None


def _decode_error(source: str, data: bytes, exc: UnicodeDecodeError, codec: str) -> DecodeError:
    line = data.count(b"\n", 0, exc.start) + 1
    return DecodeError(
        source,
        f"cannot decode as {codec} (line {line}, byte {exc.start})",
        hint="the file is in another encoding: try another --encoding NAME",
    )


def decode_bytes(data: bytes, source: str, encoding: str = AUTO) -> str:
    """Decode a whole input; raise BinaryInputError or DecodeError naming ``source``."""
    if encoding == AUTO:
        codec = _bom_codec(data)
        if codec is None:
            if b"\0" in data:
                raise _binary(source)
            try:
                return data.decode("utf-8")
            except UnicodeDecodeError as exc:
                utf8_error = exc
            try:
                return data.decode("gb18030")
            except UnicodeDecodeError:
                line = data.count(b"\n", 0, utf8_error.start) + 1
                raise DecodeError(
                    source,
                    f"neither UTF-8 nor GB18030 (first bad byte on line {line}, "
                    f"offset {utf8_error.start})",
                    hint="pass --encoding NAME, e.g. --encoding big5",
                ) from None
        encoding = codec
    elif b"\0" in data and not _is_wide(encoding):
        raise BinaryInputError(source, "binary file (contains NUL bytes), skipped")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise _decode_error(source, data, exc, encoding) from None
    return text.removeprefix("\ufeff")


def _sniff_line_codec(head: bytes, source: str, encoding: str) -> str:
    """Choose the codec of a stream read line by line, from its first bytes."""
    if encoding != AUTO:
        return encoding
    bom = _bom_codec(head)
    if bom is not None:
        return bom
    if b"\0" in head:
        raise _binary(source)
    try:
        # final=False: a multi-byte character cut at the end of the sample is not an error.
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        codecs.getincrementaldecoder("gb18030")().decode(head, final=False)
        return "gb18030"
    except UnicodeDecodeError:
        # Neither decodes the sample cleanly: read as UTF-8 and report the bad lines alone.
        return "utf-8"


_BLOCK_BYTES = 1 << 20  # lines are read in blocks of about this size


class LineBlock(NamedTuple):
    """Whole lines of one input as raw bytes, the first numbered ``first``. Decoding them
    (:func:`block_documents`) can happen in a worker process, so that with ``-j N`` the
    reading process only moves bytes instead of making every line a Python object."""

    name: str
    first: int
    codec: str
    data: bytes


Unit = Document | LineBlock


def split_lines(text: str) -> list[str]:
    """Split on \\n, \\r\\n or \\r (the same rule as reading a file line by line)."""
    return [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]


def _stream_units(
    stream: BinaryIO, name: str, encoding: str, block_bytes: tuple[int, int]
) -> Iterator[Unit]:
    """A binary stream's lines: LineBlocks of about ``block_bytes[0]`` bytes, doubling up
    to ``block_bytes[1]`` (UTF-16/32 streams: one Document per non-empty line)."""
    buffered = stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
    head = buffered.peek(_SNIFF_BYTES)[:_SNIFF_BYTES]  # type: ignore[union-attr]
    codec = _sniff_line_codec(head, name, encoding)
    if _is_wide(codec):
        # UTF-16/32 lines cannot be split on the \n byte: let a text wrapper do it.
        text_stream = io.TextIOWrapper(buffered, encoding=codec, newline="")
        lineno = 0
        try:
            for lineno, line in enumerate(text_stream, 1):  # noqa: B007
                line = line.rstrip("\r\n")
                if line.strip():
                    yield Document(f"{name}:{lineno}", line)
        except UnicodeError as exc:  # also "UTF-16 stream does not start with BOM"
            raise DecodeError(
                f"{name}:{lineno + 1}",
                f"cannot decode as {codec} ({getattr(exc, 'reason', exc)})",
                hint="without a byte-order mark, name the byte order: --encoding utf-16-le",
            ) from None
        return
    # In UTF-8 and GB18030 the byte 0x0A never occurs inside a character, so splitting the
    # bytes on it is safe. read1: what a pipe has now (no waiting for a full block), then
    # the rest of its last line.
    size, largest = block_bytes
    lineno = 0
    while block := buffered.read1(size):  # type: ignore[union-attr]
        if not block.endswith(b"\n"):
            block += buffered.readline()
        yield LineBlock(name, lineno + 1, codec, block)
        lineno += block.count(b"\n") + (not block.endswith(b"\n"))
        size = min(2 * size, largest)


def block_documents(block: LineBlock, on_error: ErrorHandler) -> Iterator[Document]:
    """The documents (non-empty lines) of a LineBlock; a bad line goes to ``on_error``
    alone and the others are still read."""
    data, codec = block.data, block.codec
    # Blocks with no NUL or CR byte that decode cleanly (nearly all input) are decoded at
    # once: a third of the per-line cost.
    text = None
    if b"\0" not in data and b"\r" not in data:
        with contextlib.suppress(UnicodeDecodeError):
            text = data.decode(codec)
    lines: list[Any] = text.split("\n") if text is not None else data.split(b"\n")
    if data.endswith(b"\n"):
        lines.pop()
    if text is not None:
        name = block.name
        for number, line in enumerate(lines, block.first):
            if line.strip():
                yield Document(f"{name}:{number}", line)
    else:
        for number, raw in enumerate(lines, block.first):
            yield from _decode_line(raw, f"{block.name}:{number}", codec, on_error)


def _decode_line(raw: bytes, source: str, codec: str, on_error: ErrorHandler) -> Iterator[Document]:
    """One line's documents (a lone CR may split it further), or its error reported."""
    if b"\0" in raw:
        on_error(BinaryInputError(source, "line contains NUL bytes, skipped"))
        return
    try:
        line = raw.decode(codec)
    except UnicodeDecodeError as exc:
        on_error(
            DecodeError(
                source,
                f"cannot decode as {codec} (byte {exc.start} of the line), line skipped",
                hint="pass --encoding NAME",
            )
        )
        return
    line = line.rstrip("\r\n")
    # Within a byte line a lone \r may still separate lines (old Mac files).
    for part in split_lines(line) if "\r" in line else (line,):
        if part.strip():
            yield Document(source, part)


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def walk_directory(root: Path, glob: str, on_error: ErrorHandler) -> Iterator[str]:
    """Yield files under ``root`` matching ``glob``: sorted, hidden entries skipped, no loops.

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
        # Files of a directory come before its subdirectories, each level in name order.
        stack.extend(reversed(subdirs))


def iter_sources(
    paths: Iterable[str] | None, glob: str = DEFAULT_GLOB, on_error: ErrorHandler = _raise
) -> Iterator[str]:
    """Expand paths into files (directories walked) and ``-`` for stdin, in input order."""
    for raw in list(paths or []) or [STDIN]:
        if raw == STDIN:
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
            for file in walk_directory(path, glob, on_error):
                found = True
                yield file
            if not found:
                on_error(
                    MissingInputError(
                        raw, f"no files match {glob!r} in this directory", hint="try --glob '*'"
                    )
                )
        else:
            yield raw


_SMALL_FILE = 1 << 16


def _read_file(path: str) -> bytes:
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


def read_text(source: str, encoding: str = AUTO) -> str:
    """Read one whole file (or ``-`` for stdin) as text."""
    _library_encoding(encoding)
    name = STDIN_NAME if source == STDIN else source
    try:
        data = sys.stdin.buffer.read() if source == STDIN else _read_file(source)
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from None
    return decode_bytes(data, name, encoding)


def iter_units(
    paths: Iterable[str] | None = None,
    *,
    lines: bool = False,
    glob: str = DEFAULT_GLOB,
    encoding: str = AUTO,
    on_error: ErrorHandler | None = None,
    block_bytes: tuple[int, int] = (_BLOCK_BYTES, _BLOCK_BYTES),
) -> Iterator[Unit]:
    """:func:`iter_documents`, except that with ``lines=True`` the lines come as undecoded
    :class:`LineBlock` s (of ``block_bytes``: first size, largest size) for
    :func:`block_documents` to turn into documents, possibly in another process."""
    handler = on_error or _raise
    _library_encoding(encoding)
    for source in iter_sources(paths_arg(paths), glob, handler):
        name = STDIN_NAME if source == STDIN else source
        try:
            if not lines:
                yield Document(name, read_text(source, encoding))
            elif source == STDIN:
                yield from _stream_units(sys.stdin.buffer, name, encoding, block_bytes)
            else:
                with open(source, "rb", buffering=_SNIFF_BYTES) as handle:
                    yield from _stream_units(handle, name, encoding, block_bytes)
        except InputError as exc:
            handler(exc)
        except OSError as exc:
            handler(InputError(name, f"cannot read: {exc.strerror or exc}"))


def iter_documents(
    paths: Iterable[str] | None = None,
    *,
    lines: bool = False,
    glob: str = DEFAULT_GLOB,
    encoding: str = AUTO,
    on_error: ErrorHandler | None = None,
) -> Iterator[Document]:
    """Yield the documents of ``paths`` lazily, in input order.

    ``on_error`` receives each input that fails (missing, binary, undecodable, unreadable);
    without it the first failure is raised.
    """
    handler = on_error or _raise
    units = iter_units(paths, lines=lines, glob=glob, encoding=encoding, on_error=handler)
    return documents_of(units, handler)


def documents_of(units: Iterable[Unit], on_error: ErrorHandler) -> Iterator[Document]:
    """The documents of ``units``: line blocks decoded (bad lines to ``on_error``)."""
    for unit in units:
        if type(unit) is LineBlock:
            yield from block_documents(unit, on_error)
        else:
            yield unit  # type: ignore[misc]


def units_size(units: list[Unit]) -> int:
    """Characters of the documents plus bytes of the line blocks: a rough measure of a
    chunk's work (for :func:`textkit.io.parallel.map_chunks`)."""
    return sum(len(u.data) if type(u) is LineBlock else len(u.text) for u in units)  # type: ignore[union-attr]


def chunk_lines(
    units: Iterable[Unit],
    on_error: ErrorHandler,
    flush: Callable[[], None],
    size: int,
    budget: int,
) -> Iterator[list[Document]]:
    """The documents of ``--lines`` units in chunks that never wait for input the reader
    does not have yet: each LineBlock (what a pipe held, or a block of a file) is cut on
    its own; runs of line Documents (UTF-16/32 input) together. ``flush`` (the output's)
    is called before each read, which may wait, so `tail -f log | textkit ... --lines`
    prints each line as it comes. Chunks hold at most ``size`` documents, about ``budget``
    characters."""
    import itertools

    from textkit.io.parallel import chunked

    def flushed() -> Iterator[Unit]:
        source = iter(units)
        while True:
            flush()
            unit = next(source, None)
            if unit is None:
                return
            yield unit

    def length(doc: Document) -> int:
        return len(doc.text)

    for is_block, run in itertools.groupby(flushed(), key=lambda unit: type(unit) is LineBlock):
        for group in ([block] for block in run) if is_block else [run]:
            yield from chunked(documents_of(group, on_error), size, length, budget)


def chunk_units(
    units: Iterable[Unit], size: int, budget: int, first: int | None = None
) -> Iterator[list[Unit]]:
    """Chunks of work for worker processes: each LineBlock alone (the reader sized it),
    runs of whole-file documents cut as :func:`textkit.io.parallel.chunked` cuts them (at most
    ``size`` documents, about ``budget`` characters, growing from ``first``)."""
    import itertools

    from textkit.io.parallel import chunked

    for is_block, run in itertools.groupby(units, key=lambda unit: type(unit) is LineBlock):
        if is_block:
            for block in run:
                yield [block]
        else:
            yield from chunked(run, size, lambda doc: len(doc.text), budget, first)  # type: ignore[union-attr]
