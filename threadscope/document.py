"""Reading an input file once: size and content checks, decoding, cached parses."""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import cached_property
from json.decoder import scanstring  # type: ignore[attr-defined]  # C scanner, not in typeshed
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from threadscope.errors import InputError

if TYPE_CHECKING:
    from lxml import etree

DEFAULT_MAX_BYTES = 50_000_000
"""Largest input read by default (50 MB, the CLI's ``--max-size 50``); ``--max-size`` raises it."""

_BINARY_MAGIC = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"PK\x03\x04", b"%PDF", b"\x1f\x8b",
                 b"\x7fELF", b"BZh", b"\xfd7zXZ")


class Document:
    """One input's bytes with lazily decoded text, HTML tree and JSON.

    Raises InputError on construction for empty or binary content.
    """

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data
        _check_content(path, data)

    @classmethod
    def read(cls, path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
        """Read a file, with one clear error for every way that can fail.

        Never reads more than max_bytes + 1 bytes, so a device or a file that grows
        while being read (/dev/zero, a log) cannot exhaust memory.
        """
        name = str(path)
        try:
            with open(name, "rb") as handle:
                data = _read_bounded(handle, name, max_bytes)
        except FileNotFoundError:
            raise InputError("no such file", name) from None
        except IsADirectoryError:
            raise InputError("is a folder, not a file", name) from None
        except OSError as exc:
            raise InputError(f"cannot read file ({exc.strerror or exc})", name) from exc
        return cls(name, data)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the raw bytes (the key for resumable corpus runs)."""
        return hashlib.sha256(self.data).hexdigest()

    @cached_property
    def text(self) -> str:
        """The content decoded: BOM, then declared charset, then detection."""
        from threadscope.encoding import decode

        return decode(self.data)

    @cached_property
    def head(self) -> str:
        """The first 64 KiB of text, lower-cased, for cheap detection."""
        return self.text[:65536].lower()

    @cached_property
    def stripped(self) -> str:
        """Text with leading whitespace removed (format sniffing)."""
        return self.text.lstrip("\ufeff \t\r\n")

    @cached_property
    def looks_like_json(self) -> bool:
        """Starts like a JSON object or array."""
        return self.stripped[:1] in ("{", "[")

    @cached_property
    def looks_like_xml(self) -> bool:
        """Starts like an XML document that is not HTML."""
        start = self.stripped[:200].lower()
        return start.startswith("<?xml") and "<html" not in self.head[:2000]

    @cached_property
    def looks_like_html(self) -> bool:
        """Has HTML markup near the top."""
        head = self.head[:4096]
        return any(tag in head for tag in ("<html", "<!doctype html", "<body", "<div", "<head"))

    @cached_property
    def json(self) -> Any:
        """The content parsed as JSON; InputError when it is not valid JSON."""
        try:
            try:
                return json.loads(self.text)
            except RecursionError:
                # json's C scanner recurses once per level; a 10,000-deep reply
                # chain (a Reddit dump) needs an explicit stack instead.
                return loads_deep(self.text)
        except ValueError as exc:
            raise InputError(f"not valid JSON ({exc})", self.path) from exc

    @cached_property
    def html(self) -> etree._Element:
        """The content parsed as HTML by lxml (tolerant of broken markup)."""
        from threadscope.htmltools import parse_html

        return parse_html(self.text, self.path)


FIRST_READ = 65536
"""Bytes asked for at first from a file that states no size (a device, a pipe)."""


def _read_bounded(handle: BinaryIO, name: str, max_bytes: int) -> bytes:
    """The file's bytes: one over max_bytes is refused by its size before reading, and
    a file longer than it said (growing, a device) is read to max_bytes + 1 at most.

    The first read asks for the stated size plus one byte: asking for max_bytes at
    once made Python allocate a 50 MB buffer for every page (40 us of a 5 KB page).
    """
    info = os.fstat(handle.fileno())  # (open() already refused a folder: IsADirectoryError)
    if info.st_size > max_bytes:
        raise InputError(_too_large(info.st_size, max_bytes), name)
    want = min(max(info.st_size, FIRST_READ), max_bytes) + 1
    data = handle.read(want)
    if len(data) == want and want <= max_bytes:  # longer than stated: the rest, bounded
        data += handle.read(max_bytes + 1 - want)
    if len(data) > max_bytes:
        raise InputError(_too_large(None, max_bytes), name)
    return data


def _too_large(size: int | None, max_bytes: int) -> str:
    limit = f"{max_bytes / 1e6:g} MB limit (raise it with --max-size)"
    return f"file is {size / 1e6:.1f} MB, over the {limit}" if size else f"file is over the {limit}"


def _check_content(path: str, data: bytes) -> None:
    if not data.strip():
        raise InputError("file is empty", path)
    if data.startswith(_BINARY_MAGIC):
        raise InputError("binary file, not a page or a dump", path)
    sample = data[:8192]
    if b"\x00" in sample and not _is_utf16(sample):
        from threadscope.encoding import utf16_without_bom

        if utf16_without_bom(sample):
            return
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls > len(sample) * 0.05:
            raise InputError("binary file, not a page or a dump", path)


def _is_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))


_WS = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
# json.loads accepts these non-standard constants too; "-Infinity" before numbers.
_CONSTANTS: tuple[tuple[str, Any], ...] = (
    ("true", True), ("false", False), ("null", None), ("NaN", float("nan")),
    ("Infinity", float("inf")), ("-Infinity", float("-inf")))
_OPEN = object()
"""Marks a value that is a freshly opened object or array."""


def loads_deep(text: str) -> Any:
    """Parse JSON with an explicit stack: any nesting depth, the same values as json.loads.

    Raises:
        ValueError: Not valid JSON; the message gives the offset.
    """
    stack: list[list[Any]] = []  # frames of [container, key awaiting its value]
    pos = _skip(text, 0)
    while True:
        pos, value, opened = _start_value(text, pos)
        if opened:
            pos = _skip(text, pos)
            if text.startswith("}" if isinstance(value, dict) else "]", pos):
                pos += 1  # empty container: complete at once
            else:
                stack.append([value, None])
                pos = _key(text, pos, stack[-1]) if isinstance(value, dict) else pos
                continue
        pos, value = _complete(text, pos, stack, value)
        if value is not _OPEN:
            return value


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _start_value(text: str, pos: int) -> tuple[int, Any, bool]:
    """(new position, value, whether it is an opened container) for the value at pos."""
    char = text[pos:pos + 1]
    if char in ("{", "["):
        return pos + 1, {} if char == "{" else [], True
    if char == '"':
        string, end = scanstring(text, pos + 1)
        return end, string, False
    for word, constant in _CONSTANTS:
        if text.startswith(word, pos):
            return pos + len(word), constant, False
    number = _NUMBER.match(text, pos)
    if number:
        raw = number.group()
        value = float(raw) if number.group(1) or number.group(2) else int(raw)
        return number.end(), value, False
    raise ValueError(f"expected a value at offset {pos}")


def _key(text: str, pos: int, frame: list[Any]) -> int:
    """Read an object key and its colon into frame; the position of the value."""
    if not text.startswith('"', pos):
        raise ValueError(f"expected a key at offset {pos}")
    frame[1], pos = scanstring(text, pos + 1)
    pos = _skip(text, pos)
    if not text.startswith(":", pos):
        raise ValueError(f"expected ':' at offset {pos}")
    return _skip(text, pos + 1)


def _complete(text: str, pos: int, stack: list[list[Any]], value: Any) -> tuple[int, Any]:
    """Store a finished value, closing containers that end here.

    Returns the position of the next value and _OPEN, or the end and the whole
    document once the outermost value is complete.
    """
    while stack:
        container, key = stack[-1]
        if isinstance(container, dict):
            container[key] = value
        else:
            container.append(value)
        pos = _skip(text, pos)
        closer = "}" if isinstance(container, dict) else "]"
        if text.startswith(",", pos):
            pos = _skip(text, pos + 1)
            return (_key(text, pos, stack[-1]) if isinstance(container, dict) else pos), _OPEN
        if not text.startswith(closer, pos):
            raise ValueError(f"expected ',' or '{closer}' at offset {pos}")
        pos += 1
        value = stack.pop()[0]
    if _skip(text, pos) != len(text):
        raise ValueError(f"extra data at offset {_skip(text, pos)}")
    return pos, value
