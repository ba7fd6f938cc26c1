"""The ``textkit`` command line: parse options, call the library, print results.

Heavy modules (jieba, scikit-learn, networkx, rich) are imported inside the commands that
need them, so ``textkit --help`` starts fast.
"""

import sys
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from textkit import __version__
from textkit.errors import TextkitError


class Terminated(BaseException):
    """Raised by the SIGTERM handler so that ``finally`` blocks (temp files) still run."""


class TextkitGroup(TyperGroup):
    """Turns typed errors and interruptions into one stderr line and an exit code."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # click 8.4+ suggests a close command name itself; typer's own suggestion would
        # say "Did you mean 'keywords'?" a second time.
        import click.exceptions

        if hasattr(click.exceptions, "NoSuchCommand"):
            self.suggest_commands = False

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TextkitError as exc:
            print(f"Error: {exc}", file=sys.stderr)
            raise typer.Exit(1) from None
        except KeyboardInterrupt:
            print("textkit: interrupted", file=sys.stderr)
            raise typer.Exit(130) from None
        except Terminated:
            print("textkit: terminated", file=sys.stderr)
            raise typer.Exit(143) from None
        except BrokenPipeError:
            # The reader left (`| head`): end quietly, with the status a shell gives any
            # tool that SIGPIPE ends (128 + 13), not 1, which would claim a failure.
            _silence_stdout()
            raise typer.Exit(141) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the interpreter's last flush does not fail again."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file descriptor (a test runner's stream)
        pass
    finally:
        os.close(devnull)


app = typer.Typer(
    cls=TextkitGroup,
    name="textkit",
    help="Fast, pipe-friendly Chinese text analysis. Data goes to stdout, messages to stderr.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help and usage errors: rich costs ~0.1 s of start-up on every call.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"textkit {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Fast, pipe-friendly Chinese text analysis. Data goes to stdout, messages to stderr."""


# Registered in the order ``--help`` lists them. Each module holds its command's function;
# their heavy imports stay inside the functions.
from textkit.commands import augment, classify, evaluate, keywords, tokenize, train  # noqa: E402

app.command()(tokenize.tokenize)
app.command("train-lr")(train.train_lr)
app.command()(classify.classify)
app.command()(evaluate.evaluate)
app.command()(evaluate.info)
app.command()(keywords.keywords)
app.command()(keywords.idf)
app.command()(augment.augment)


def _on_sigterm(signum: int, frame: Any) -> None:
    raise Terminated()


def _utf8_output() -> None:
    """Data is UTF-8 whatever the locale: a pipe or file gets UTF-8; a terminal whose
    encoding cannot show a character (a GBK console and an emoji) gets '?' for it, not a
    UnicodeEncodeError."""
    import codecs

    for stream in (sys.stdout, sys.stderr):
        encoding = getattr(stream, "encoding", None)
        if not encoding or codecs.lookup(encoding).name == "utf-8":
            continue
        if stream.isatty():
            stream.reconfigure(errors="replace")  # type: ignore[union-attr]
        else:
            stream.reconfigure(encoding="utf-8")  # type: ignore[union-attr]


def main() -> None:
    """Console-script entry point."""
    import signal

    signal.signal(signal.SIGTERM, _on_sigterm)
    _utf8_output()
    app()
