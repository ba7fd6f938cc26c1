"""Argument checks for the library's entry points: a wrong type gets a ConfigError that
says what was expected, instead of an AttributeError from deep inside (or, for a string
where a list belongs, one result per character)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from textkit.errors import ConfigError


def text_arg(value: Any, what: str = "text") -> str:
    """``value`` if it is a string."""
    if not isinstance(value, str):
        raise ConfigError(f"expected a {what} (str), got {type(value).__name__}")
    return value


def texts_arg(values: Any, what: str = "texts") -> list[str]:
    """``values`` as a list of strings; one string is refused (it is not a list of texts)."""
    if isinstance(values, str):
        raise ConfigError(f"expected a list of {what}, got one string; wrap it: [text]")
    try:
        texts = list(values)
    except TypeError:
        raise ConfigError(f"expected a list of {what}, got {type(values).__name__}") from None
    for i, text in enumerate(texts):
        if not isinstance(text, str):
            raise ConfigError(f"{what}[{i}] is a {type(text).__name__}, not a str")
    return texts


def paths_arg(value: Any) -> list[Any]:
    """One path (str or Path) or several, as a list."""
    if value is None:
        return []
    if isinstance(value, (str, Path)):
        return [value]
    if not isinstance(value, Iterable):
        raise ConfigError(f"expected a path or a list of paths, got {type(value).__name__}")
    return list(value)
