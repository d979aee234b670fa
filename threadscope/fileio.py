"""Safe output files: atomic writes and paths that stay inside their folder."""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
from pathlib import Path

from threadscope.errors import OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Device names Windows will not create as files, whatever the extension.
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                       *(f"LPT{i}" for i in range(10))})


def atomic_write_text(path: Path, text: str) -> None:
    """Write text so readers see the old file or the whole new one, never half."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder, then rename."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", str(path)) from exc


def safe_name(name: str, default: str = "thread", max_len: int = 100) -> str:
    """A file name made from untrusted text: no separators, no dot-files, bounded.

    Only ASCII letters, digits, dot, dash and underscore survive; it never starts
    with a dot or a dash (no hidden files, no options) and is never a Windows
    device name (CON, NUL.txt).
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("-", ascii_name).strip(".-")[:max_len].strip(".-")
    if cleaned.split(".")[0].upper() in _RESERVED:
        cleaned = f"_{cleaned}"[:max_len]
    return cleaned or default


def inside(folder: Path, name: str) -> Path:
    """folder/name, refusing any result that would fall outside folder."""
    base = folder.resolve()
    target = (base / safe_name(name)).resolve()
    if base not in target.parents:
        raise OutputError(f"refusing to write outside the output folder: {name!r}", str(folder))
    return target
