"""Reading the user's resource files (dictionaries, word lists, IDF tables) as text."""

from __future__ import annotations

from pathlib import Path

from textkit.errors import ResourceError


def read_resource_text(path: str | Path, what: str) -> str:
    """The UTF-8 text of a resource file; one-line ResourceError naming ``what`` otherwise."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResourceError(f"{path}: {what} not found") from None
    except UnicodeDecodeError:
        raise ResourceError(f"{path}: {what} is not UTF-8") from None
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read {what}: {exc.strerror}") from None
