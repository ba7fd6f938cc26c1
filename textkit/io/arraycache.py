"""Numpy arrays cached in one file and mapped into memory: loading costs no copy, and a
lookup reads only the pages it touches (a short run touches few).

Layout: 8 bytes giving the header's length, a JSON header (the cache key, and per array
its dtype, shape and offset), then each array's bytes at an offset aligned to 64.
"""

from __future__ import annotations

import contextlib
import json
import mmap
from pathlib import Path
from typing import Any

ALIGN = 64


def save_arrays(path: Path, key: str, arrays: dict[str, Any]) -> None:
    """Write ``arrays`` (name -> numpy array) with ``key`` to ``path``, atomically; a
    cache that cannot be written only costs the build next time."""
    import numpy as np

    from textkit.io.cache import atomic_path

    entries = {}
    offset = 0
    parts = []
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        offset = -(-offset // ALIGN) * ALIGN
        entries[name] = [array.dtype.str, list(array.shape), offset]
        parts.append((offset, array))
        offset += array.nbytes
    header = json.dumps({"key": key, "arrays": entries}).encode("utf-8")
    start = -(-(8 + len(header)) // ALIGN) * ALIGN
    with contextlib.suppress(OSError), atomic_path(path) as tmp, open(tmp, "wb") as handle:
        handle.write(len(header).to_bytes(8, "little") + header)
        for at, array in parts:
            handle.seek(start + at)
            handle.write(array.tobytes())
        handle.truncate(start + offset)


def load_arrays(path: Path, key: str) -> dict[str, Any] | None:
    """The arrays saved in ``path`` under ``key`` (read-only views of the mapped file);
    None when the file is missing, damaged or has another key."""
    import numpy as np

    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None
    try:
        size = int.from_bytes(mapped[:8], "little")
        header = json.loads(mapped[8 : 8 + size].decode("utf-8"))
        if header.get("key") != key:
            return None
        start = -(-(8 + size) // ALIGN) * ALIGN
        out = {}
        for name, (dtype, shape, offset) in header["arrays"].items():
            count = int(np.prod(shape)) if shape else 1
            array = np.frombuffer(mapped, np.dtype(dtype), count, start + offset)
            out[name] = array.reshape(shape)
        return out
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
