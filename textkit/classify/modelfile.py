"""The model file: plain data in a joblib/pickle container that cannot run code on load.

Layout (``joblib.dump`` of a dict holding only built-in types)::

    {"format": "textkit.model", "format_version": 1,
     "metadata": {...JSON-like...},           # read by `textkit info` without the arrays
     "sha256": "<hex digest of payload>",
     "payload": b"<numpy .npz bytes>"}        # arrays, loaded with allow_pickle=False

Loading uses an unpickler whose ``find_class`` refuses every global, so a crafted file
(``os.system`` in a ``__reduce__``, arbitrary objects) is rejected before anything in it
runs; the payload checksum turns a truncated or bit-flipped file into a clear
"corrupted" error. ``joblib.load`` still opens the file, for users who expect that.
"""

from __future__ import annotations

import hashlib
import io
import pickle
import platform
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from textkit.errors import ConfigError, ModelError

FORMAT = "textkit.model"
FORMAT_VERSION = 1


class _PlainDataUnpickler(pickle.Unpickler):
    """Unpickles built-in containers and scalars only; any class or function is refused."""

    def find_class(self, module: str, name: str) -> Any:
        raise ModelError(
            f"refused to load: the file asks for Python object '{module}.{name}'",
            hint="textkit model files hold plain data only; this file was not written by textkit",
        )


@dataclass
class ModelFile:
    """What a model file holds: metadata (JSON-like) and named numpy arrays."""

    metadata: dict[str, Any]
    arrays: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def _versions() -> dict[str, str]:
    from textkit import __version__

    versions = {"textkit": __version__, "python": platform.python_version()}
    for module, dist in (("sklearn", "scikit-learn"), ("numpy", "numpy")):
        found = installed_version(module, dist)
        if found is not None:
            versions[dist] = found
    return versions


def installed_version(module: str, dist: str) -> str | None:
    """The installed version of ``dist`` (importing neither it nor importlib.metadata, which
    together cost ~40 ms of classify's start-up): the name of its ``.dist-info`` folder next
    to the package ``module``; importlib.metadata only when there is none."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    prefix = dist.replace("-", "_") + "-"
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob(f"{prefix}*.dist-info"))
    if len(found) == 1:
        return found[0].name[len(prefix) : -len(".dist-info")]
    try:
        from importlib.metadata import version

        return version(dist)
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return None


def save_model(path: str | Path, metadata: dict[str, Any], arrays: dict[str, Any]) -> None:
    """Write a model file atomically (temporary file, then rename). The arrays go
    straight into the file (no copy of them in memory) when it can seek."""
    import numpy as np

    from textkit.io.writers import atomic_write

    for name, array in arrays.items():
        if np.asarray(array).dtype == object:
            raise ConfigError(f"array {name!r} has dtype object; model arrays must be numeric")
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "metadata": {**metadata, "versions": _versions()},
    }
    with atomic_write(path, binary=True) as handle:
        if _seekable(handle):
            _write_streamed(handle, head, arrays)
        else:  # a pipe or a device: the payload is built in memory first
            import joblib

            buffer = io.BytesIO()
            np.savez(buffer, **arrays)
            payload = buffer.getvalue()
            digest = hashlib.sha256(payload).hexdigest()
            joblib.dump({**head, "sha256": digest, "payload": payload}, handle)


def _seekable(handle: Any) -> bool:
    try:
        return bool(handle.seekable())
    except (AttributeError, OSError, ValueError):
        return False


class _HashingWriter:
    """A write-only file that hashes and counts what passes through it."""

    def __init__(self, handle: Any) -> None:
        self.handle, self.size, self.digest = handle, 0, hashlib.sha256()

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        self.digest.update(view)
        self.size += len(view)
        self.handle.write(view)
        return len(view)

    def flush(self) -> None:
        self.handle.flush()

    def read(self, *_args: Any) -> bytes:  # numpy's savez takes a file by its ``read``
        raise io.UnsupportedOperation("write-only")


def _short_str(text: str) -> bytes:
    encoded = text.encode("utf-8")
    return pickle.SHORT_BINUNICODE + bytes([len(encoded)]) + encoded


def _write_streamed(handle: Any, head: dict[str, Any], arrays: dict[str, Any]) -> None:
    """The same pickled dict as ``joblib.dump`` of the container would give to a reader,
    written by hand: the head pickled as usual, then the ``payload`` item as one 8-byte
    sized bytes object streamed from ``np.savez`` (its size patched in afterwards), then
    its ``sha256``."""
    import struct

    import numpy as np

    start = pickle.dumps(head, protocol=4)
    if not start.endswith(pickle.STOP):  # pragma: no cover - pickle always ends so
        raise ModelError("cannot write the model file header")
    handle.write(start[:-1])  # the dict stays on the stack: items are added to it
    handle.write(_short_str("payload") + pickle.BINBYTES8)
    where = handle.tell()
    handle.write(bytes(8))
    sink = _HashingWriter(handle)
    np.savez(sink, **arrays)  # a zip with data descriptors: it never seeks
    end = handle.tell()
    handle.seek(where)
    handle.write(struct.pack("<Q", sink.size))
    handle.seek(end)
    handle.write(pickle.SETITEM)
    handle.write(_short_str("sha256") + _short_str(sink.digest.hexdigest()) + pickle.SETITEM)
    handle.write(pickle.STOP)


def _not_a_model(source: Path) -> str:
    """What a file that does not unpickle is: a pickle cut short (a truncated model), or
    not a pickle at all (a text file, say)."""
    try:
        with open(source, "rb") as handle:
            head = handle.read(2)
    except OSError:
        head = b""
    if head[:1] == b"\x80":  # a pickle protocol marker: the model file was cut short
        return f"{source}: a truncated or damaged model file"
    return f"{source}: not a textkit model file"


def _read_container(path: str | Path) -> dict[str, Any]:
    source = Path(path)
    if source.is_dir():
        raise ModelError(f"{source}: is a directory, not a model file")
    try:
        with open(source, "rb") as handle:
            container = _PlainDataUnpickler(handle).load()
    except FileNotFoundError:
        raise ModelError(f"{source}: model file not found") from None
    except ModelError as exc:
        raise ModelError(f"{source}: {exc.message}", hint=exc.hint) from None
    except OSError as exc:
        raise ModelError(f"{source}: cannot read model file: {exc.strerror}") from None
    except (EOFError, pickle.UnpicklingError):
        raise ModelError(
            _not_a_model(source), hint="give a model file written by train-lr"
        ) from None
    except Exception as exc:  # any other unpickling failure means a damaged stream
        raise ModelError(f"{source}: corrupted model file ({type(exc).__name__})") from None
    if not isinstance(container, dict) or container.get("format") != FORMAT:
        raise ModelError(f"{source}: not a textkit model file")
    version = container.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise ModelError(
            f"{source}: model format {version!r} is newer than this textkit understands "
            f"(format {FORMAT_VERSION})",
            hint="upgrade textkit",
        )
    return container


def read_metadata(path: str | Path) -> dict[str, Any]:
    """The metadata of a model file, without decoding its arrays."""
    metadata = _read_container(path).get("metadata")
    if not isinstance(metadata, dict):
        raise ModelError(f"{path}: corrupted model file (no metadata)")
    return metadata


def load_model(path: str | Path) -> ModelFile:
    """Load and verify a model file; raise ModelError with a one-line reason otherwise."""
    import numpy as np

    container = _read_container(path)
    payload = container.get("payload")
    if not isinstance(payload, bytes):
        raise ModelError(f"{path}: corrupted model file (no payload)")
    if hashlib.sha256(payload).hexdigest() != container.get("sha256"):
        raise ModelError(f"{path}: corrupted model file (checksum mismatch)")
    try:
        with np.load(io.BytesIO(payload), allow_pickle=False) as npz:
            arrays = {name: npz[name] for name in npz.files}
    except Exception as exc:
        raise ModelError(f"{path}: corrupted model file ({exc})") from None
    metadata = container.get("metadata") or {}
    warnings = []
    saved = (metadata.get("versions") or {}).get("scikit-learn")
    current = installed_version("sklearn", "scikit-learn")
    if saved and current and saved != current:
        warnings.append(
            f"{path}: trained with scikit-learn {saved}, running {current} "
            "(prediction does not use scikit-learn; retrain if results look off)"
        )
    return ModelFile(metadata, arrays, warnings)
