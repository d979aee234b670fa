"""Safe output files: atomic writes and paths that stay inside their folder."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path

from threadscope.errors import OutputError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Device names Windows will not create as files, whatever the extension.
_RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                       *(f"LPT{i}" for i in range(10))})
# Random temporary names rarely collide; after this many collisions something is wrong.
_TEMP_ATTEMPTS = 100


def atomic_write_text(path: Path, text: str) -> None:
    """Write text so readers see the old file or the whole new one, never half."""
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write bytes through a temporary file in the same folder, then rename.

    The final file gets the mode any new file gets (0666 less the umask), not the
    owner-only 0600 of ``tempfile.mkstemp``: outputs are meant to be shared.
    """
    folder = path.parent if str(path.parent) else Path(".")
    tmp: Path | None = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = _create_temp(folder, path.name)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise OutputError(f"cannot write ({exc.strerror or exc})", str(path)) from exc


def _create_temp(folder: Path, name: str) -> tuple[int, Path]:
    """A new, exclusive temporary file beside the target, created with mode 0666 & ~umask.

    ``os.open`` with O_EXCL is what ``mkstemp`` does too, but mkstemp forces mode
    0600; here the kernel applies the process umask as for any ordinary file.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_ATTEMPTS):
        tmp = folder / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary name beside {name}")


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
