"""The user's private cache directory (``$XDG_CACHE_HOME/textkit``, else ``~/.cache/textkit``)."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path


def _is_private_dir(path: Path) -> bool:
    info = path.lstat()
    owned = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISDIR(info.st_mode) and owned and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


@lru_cache(maxsize=1)
def cache_dir() -> Path:
    """Return a directory only this user can write, creating it (mode 0700) if needed.

    Never a shared world-writable place such as /tmp itself: a cache file there could be
    replaced by another user. When the home cache cannot be used, a fresh private temporary
    directory is used instead (slower start-up, still safe).
    """
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "textkit"
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        if _is_private_dir(path):
            return path
        if path.lstat().st_uid == os.getuid():
            path.chmod(0o700)
            return path
    except OSError:
        pass
    return Path(tempfile.mkdtemp(prefix="textkit-cache-"))


def cache_file(kind: str, source: Path, suffix: str) -> Path:
    """Where the cache of ``kind`` built from the file ``source`` lives (one per source path)."""
    import hashlib

    digest = hashlib.sha1(str(source).encode("utf-8")).hexdigest()[:16]
    return cache_dir() / f"{kind}-{digest}{suffix}"


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target`` to build a file at (a SQLite database, say),
    renamed over ``target`` when the block ends without error, else removed: a reader never
    sees a half-built cache, and two processes building it at once each rename a whole one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def cache_is_persistent() -> bool:
    """Whether :func:`cache_dir` is the user's cache, kept between runs (not a temporary
    stand-in): a cache that is slow to build is only worth building there."""
    return cache_dir().name == "textkit"


def read_cached(name: str, key: str) -> str | None:
    """The text stored under ``name`` if it was stored with this ``key`` (else None).

    ``key`` describes the source (path, size, mtime), so an upgraded package is re-read.
    """
    with contextlib.suppress(OSError, UnicodeDecodeError):
        stored_key, _, text = (cache_dir() / name).read_text(encoding="utf-8").partition("\n")
        if stored_key == key and text:
            return text
    return None


def write_cached(name: str, key: str, text: str) -> None:
    """Store ``text`` under ``name`` atomically; a cache that cannot be written only costs
    speed next time."""
    from textkit.errors import OutputError
    from textkit.io.writers import atomic_write

    with contextlib.suppress(OSError, OutputError), atomic_write(cache_dir() / name) as handle:
        handle.write(key + "\n" + text)


def source_key(path: Path) -> str:
    """What identifies a resource file's contents cheaply: its path, size and mtime."""
    info = path.stat()
    return f"{path}|{info.st_size}|{info.st_mtime_ns}"
