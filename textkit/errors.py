"""Typed errors raised by textkit's library code.

The library never prints: it raises one of these, and the CLI turns it into a single
``Error: ...`` line on stderr with exit code 1. Each message says what went wrong and
where; ``hint`` says how to fix it.
"""

from __future__ import annotations

import os


class TextkitError(Exception):
    """Base class of every error textkit raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message

    def __reduce__(self) -> tuple:
        # Errors raised in worker processes are pickled back to the parent: rebuild them
        # from their attributes, since subclasses take different constructor arguments.
        return (_restore, (type(self), self.__dict__.copy()))


def _restore(cls: type[TextkitError], state: dict) -> TextkitError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class InputError(TextkitError):
    """An input path or stream cannot be read as text."""

    is_failure = True  # False for notices: the input was read, with something to say
    once = False  # a notice said once a run, however many inputs it concerns
    count = 1  # the inputs (files, lines, rows) a failure stands for, in the run's summary

    def __init__(self, source: str, message: str, *, hint: str | None = None) -> None:
        super().__init__(f"{source}: {message}", hint=hint)
        self.source = source
        self.reason = message


class MalformedLineError(InputError):
    """One line of a line-based file (JSONL) that cannot be read; the others can."""


class MissingInputError(InputError):
    """A path that does not exist, or a directory with no matching files."""


class BinaryInputError(InputError):
    """A file that holds NUL bytes, so it is not text."""


class DecodeError(InputError):
    """A file that does not decode with the chosen or detected encoding."""


class ReplacedBytes(InputError):
    """A notice, not a failure: a few bytes of an input did not decode and were replaced
    with U+FFFD; the rest was read."""

    is_failure = False


class MixedEncodings(InputError):
    """A notice, not a failure: a file whose lines are some UTF-8, some GB18030 (pasted
    together) was read with each line decoded in its own encoding. Said once a run for
    the same reason."""

    is_failure = False
    once = True


class TraditionalText(InputError):
    """A notice, not a failure: a document looked like traditional Chinese and was analysed
    converted to simplified (its results keep the document's spelling). Said once a run."""

    is_failure = False
    once = True

    def __init__(self, source: str) -> None:
        super().__init__(
            source,
            "looks like traditional Chinese: such documents are converted to simplified for "
            "analysis, results keep their spelling (--no-normalize turns this off)",
        )


class ColumnFallback(InputError):
    """A notice, not a failure: a file lacks the column a model remembered, so its column
    was found by the usual names. Said once a run for each column used."""

    is_failure = False
    once = True


class NumericText(InputError):
    """A warning, not a failure: the text column of a table holds only numbers in its first
    rows (a label or id column named as the text): every document would be empty."""

    is_failure = False


class FirstRowAsText(InputError):
    """A notice, not a failure: a one-column CSV's first row could be a header or a text;
    it was read as a text. Said once a run."""

    is_failure = False
    once = True


class TerminalInput(InputError):
    """A notice, not a failure: no input was named and stdin is a terminal, so the command
    reads what is typed there until end of input. Said once a run."""

    is_failure = False
    once = True


class LooksTabular(InputError):
    """A notice, not a failure: plain text whose first line reads as the header of a CSV
    or TSV table with a text column; it was read as plain text, as asked. Said once a run."""

    is_failure = False
    once = True


class JoinedFields(InputError):
    """A notice, not a failure: CSV rows with more fields than the header, whose text is
    the last column, had the extra fields joined back to their text (a comma left
    unquoted in the text). Said once a run."""

    is_failure = False
    once = True


class IdProblem(InputError):
    """A notice, not a failure: rows of a tabular file whose id column (``--id-col``) is
    missing or empty, so they are named ``path:LINE``, or whose ids repeat, so their results
    cannot be told apart. Said for each file."""

    is_failure = False


def file_kinds(names: list[str]) -> str:
    """``3 .csv, .jsonl file(s)``: how many files, of which extensions."""
    kinds = ", ".join(sorted({os.path.splitext(name)[1] for name in names}))
    return f"{len(names)} {kinds} file(s)"


class SkippedTables(InputError):
    """A notice, not a failure: a directory holds data files (CSV, TSV, JSON lines) that
    the file pattern leaves out."""

    is_failure = False

    def __init__(self, source: str, names: list[str], glob: str) -> None:
        super().__init__(
            source,
            f"{file_kinds(names)} left out: --glob {glob!r} does not match them",
            hint="--glob '*' reads every file, each in its own format",
        )


class ConfigError(TextkitError, ValueError):
    """A library argument that is unknown or out of range (an alpha above 1, a backend
    that does not exist). Also a ValueError, as Python code calling textkit may expect."""


class DataFormatError(TextkitError):
    """Labeled data, a dictionary or an IDF table that does not have the expected layout."""


class ResourceError(TextkitError):
    """A user-supplied resource (user dictionary, stopword list, synonyms) cannot be used."""


class ModelError(TextkitError):
    """A model file that is missing, corrupted, incompatible or not a textkit model."""


class OutputError(TextkitError):
    """An output path that cannot be written, or that would overwrite an input."""
