"""What the CLI tells a person on stderr: warnings, the failure summary, progress.

stdout is for data only. Everything here goes to stderr, plain text unless stderr is a
terminal (then rich is used, honouring ``NO_COLOR``); ``quiet`` silences all but errors.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from textkit.errors import InputError

T = TypeVar("T")

# Progress appears only once work has taken this long: short jobs stay silent.
PROGRESS_DELAY_S = 1.0


def stream_is_terminal(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return False


def color_enabled(stream: object) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return stream_is_terminal(stream) and not os.environ.get("NO_COLOR")


class Reporter:
    """Collects failed inputs and writes warnings and the closing summary to stderr."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.quiet = quiet
        self.failed: list[InputError] = []

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"Warning: {message}", file=sys.stderr, flush=True)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def input_failed(self, error: InputError) -> None:
        """The ``on_error`` handler for readers: warn now, count failures for the summary
        (a notice, such as replaced bytes, is only a warning)."""
        if error.is_failure:
            self.failed.append(error)
        self.warn(str(error))

    def finish(self, processed: int, noun: str = "documents") -> int:
        """Print the summary line when something failed; return the exit code (0 or 1)."""
        if not self.failed:
            return 0
        # The summary is printed even with --quiet: it says why the exit code is 1.
        print(
            f"textkit: {len(self.failed)} input(s) failed, {processed} {noun} processed",
            file=sys.stderr,
            flush=True,
        )
        return 1

    def progress(
        self, items: Iterable[T], description: str, size: Callable[[T], int] | None = None
    ) -> Iterator[T]:
        """Yield ``items``; after a second, show a live count on a terminal stderr (of
        ``size(item)`` per item when given: items that are chunks of documents)."""
        if self.quiet or not stream_is_terminal(sys.stderr):
            yield from items
            return
        start = time.monotonic()
        bar = None
        task = None
        try:
            count = 0
            for item in items:
                count += 1 if size is None else size(item)
                if bar is None and time.monotonic() - start > PROGRESS_DELAY_S:
                    from rich.progress import Progress, SpinnerColumn, TextColumn

                    bar = Progress(
                        SpinnerColumn(),
                        TextColumn("{task.description}: {task.completed} done"),
                        transient=True,
                    )
                    bar.start()
                    task = bar.add_task(description, completed=count)
                if bar is not None and task is not None:
                    bar.update(task, completed=count)
                yield item
        finally:
            if bar is not None:
                bar.stop()
