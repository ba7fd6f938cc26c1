"""The user's private cache directory (``$XDG_CACHE_HOME/textkit``, else ``~/.cache/textkit``)."""

from __future__ import annotations

import os
import stat
import tempfile
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
