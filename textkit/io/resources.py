"""Reading the user's resource files (dictionaries, word lists, IDF tables) as text."""

from __future__ import annotations

from pathlib import Path

from textkit.errors import ResourceError


def jieba_data_path(*parts: str) -> Path:
    """A data file of the installed jieba package (``dict.txt``, ``analyse/idf.txt``),
    found without importing jieba, which costs start-up time."""
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - a dependency
        raise ResourceError("jieba is not installed", hint="pip install jieba")
    return Path(next(iter(spec.submodule_search_locations)), *parts)


def read_resource_text(path: str | Path, what: str) -> str:
    """The UTF-8 text of a resource file; one-line ResourceError naming ``what`` otherwise."""
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ResourceError(f"{path}: {what} not found") from None
    except UnicodeDecodeError:
        raise ResourceError(
            f"{path}: {what} is not UTF-8",
            hint=f"save it as UTF-8, e.g. iconv -f gb18030 -t utf-8 {path} > utf8.txt",
        ) from None
    except OSError as exc:
        raise ResourceError(f"{path}: cannot read {what}: {exc.strerror}") from None
