"""What the CLI tells a person on stderr: warnings, the failure summary, progress.

stdout is for data only. Everything here goes to stderr, plain text unless stderr is a
terminal (then rich is used, honouring ``NO_COLOR``); ``quiet`` silences all but errors.
"""

from __future__ import annotations

import os
import stat
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

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
        # the notices said once a run, already said: by kind and what they say of a file
        self._said: set[tuple[type, str]] = set()
        self._shown: _Shown | None = None  # the progress line of the loop running now

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
        elif error.once:  # a note about how the input is read, once a run: not a problem
            said = (type(error), error.reason)
            if said not in self._said:
                self._said.add(said)
                self.info(f"Note: {error}")
            return
        self.warn(str(error))

    def finish(self, processed: int, noun: str = "documents") -> int:
        """Print the summary line when something failed; return the exit code (0 or 1)."""
        if not self.failed:
            return 0
        # The summary is printed even with --quiet: it says why the exit code is 1.
        print(
            f"textkit: {sum(error.count for error in self.failed)} input(s) failed, "
            f"{processed} {noun} processed",
            file=sys.stderr,
            flush=True,
        )
        return 1

    def shows_progress(self) -> bool:
        return not self.quiet and stream_is_terminal(sys.stderr)

    def input_meter(self, paths: Iterable[str] | None, glob: str) -> InputMeter | None:
        """An :class:`InputMeter` over the inputs when progress is shown (it stats every
        input file once), else None."""
        return InputMeter(paths, glob) if self.shows_progress() else None

    def progress(
        self,
        items: Iterable[T],
        description: str,
        size: Callable[[T], int] | None = None,
        meter: InputMeter | None = None,
        noun: str = "documents",
    ) -> Iterator[T]:
        """Yield ``items``; after a second, show live progress on a terminal stderr: with a
        ``meter`` whose inputs have a known size, a percentage, a rate and the time left;
        otherwise a count of ``noun`` (``size(item)`` per item when given: items that are
        chunks of documents) and a rate."""
        if not self.shows_progress():
            yield from items
            return
        shown = self._shown = _Shown(description, noun, meter)
        try:
            count = 0
            for item in items:
                count += 1 if size is None else size(item)
                shown.done = meter.done if shown.sized else count  # type: ignore[union-attr]
                shown.update(description)
                yield item
        finally:
            self._shown = None
            shown.stop()

    def part_done(self, done: int, total: int, what: str = "long document") -> None:
        """Progress inside the item being worked on (``done`` of ``total`` characters of a
        long document), shown in the progress line of the loop running now."""
        shown = self._shown
        if shown is not None and total > 0:
            shown.update(f"{shown.description} ({100 * done // total}% of a {what})", inside=True)


class _Shown:
    """A progress line, started once work has taken PROGRESS_DELAY_S."""

    def __init__(self, description: str, noun: str, meter: InputMeter | None) -> None:
        self.description = description
        self.noun = noun
        self.meter = meter
        self.sized = meter is not None and meter.total is not None
        self.start = time.monotonic()
        self.done = 0
        self.bar: Any = None
        self.task: Any = None

    def update(self, description: str, inside: bool = False) -> None:
        """Show ``description``; ``inside``: progress within the item being worked on."""
        if self.bar is None:
            if time.monotonic() - self.start <= PROGRESS_DELAY_S:
                return
            if not inside and self.sized and self.done >= self.meter.total:  # type: ignore[union-attr]
                return  # all read (a slow start on a small input): nothing left to show
            self.bar = _progress_bar(self.sized, self.noun)
            self.bar.start()
            total = self.meter.total if self.sized else None  # type: ignore[union-attr]
            self.task = self.bar.add_task(description, completed=self.done, total=total)
        self.bar.update(self.task, completed=self.done, description=description)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()


def _progress_bar(sized: bool, noun: str) -> Any:
    """A rich progress line: ``keywords ━━━━━  45% 12.3/27.1 MB 2.1 MB/s 0:00:07 left`` for
    inputs of known size, ``keywords: 12,345 documents, 1,234/s`` otherwise."""
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        ProgressColumn,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
        TransferSpeedColumn,
    )
    from rich.text import Text

    class Rate(ProgressColumn):
        def render(self, task: Any) -> Text:
            speed = task.speed
            return Text(f"{speed:,.0f}/s" if speed else "")

    console = Console(file=sys.stderr, no_color=not color_enabled(sys.stderr))
    if sized:
        columns: list[Any] = [
            TextColumn("{task.description}"),
            BarColumn(),
            TaskProgressColumn(),
            DownloadColumn(),
            TransferSpeedColumn(),
            TimeRemainingColumn(),
            TextColumn("left"),
        ]
    else:
        columns = [TextColumn("{task.description}: {task.completed:,.0f} " + noun + ","), Rate()]
    return Progress(*columns, console=console, transient=True)


class InputMeter:
    """How much of the input has been read: the bytes of every input file (``total``,
    None when one is stdin or a pipe) and of the units handed out so far (``done``), so
    progress can show a percentage and the time left."""

    def __init__(self, paths: Iterable[str] | None, glob: str) -> None:
        from textkit.io.sources import iter_sources

        self.done = 0
        self.total: int | None = 0
        self._sizes: dict[str, int] = {}
        for source in iter_sources(list(paths or []), glob, lambda _error: None):
            try:
                info = os.stat(source) if source != "-" else None
            except OSError:
                continue
            if info is None or not stat.S_ISREG(info.st_mode):
                self.total = None
                return
            self._sizes[source] = info.st_size
            self.total += info.st_size
        self._current = ""  # the file whose rows are being read, and their bytes so far
        self._counted = 0

    def watch(self, units: Iterable[T]) -> Iterator[T]:
        """Yield ``units`` (documents or line blocks), counting their bytes."""
        for unit in units:
            self._count(unit)
            yield unit

    def _count(self, unit: Any) -> None:
        data = getattr(unit, "data", None)
        if data is not None:  # a block of lines: its bytes
            self.done += len(data)
            return
        row = getattr(unit, "row", None)
        if row is None:  # a whole file: its size
            self.done += self._sizes.get(unit.source, len(unit.text.encode("utf-8")))
            return
        # A row of a tabular file: its text's bytes, until the file is done, then the rest.
        name = row[0].source.rsplit(":", 1)[0]
        if name != self._current:
            self.done += max(0, self._sizes.get(self._current, 0) - self._counted)
            self._current, self._counted = name, 0
        size = len(unit.text.encode("utf-8")) + 1
        self._counted += size
        self.done += size
