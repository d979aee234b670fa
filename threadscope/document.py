"""Reading an input file once: size and content checks, decoding, cached parses."""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadscope.errors import InputError

if TYPE_CHECKING:
    from lxml import etree

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
"""Largest input read by default; ``--max-size`` raises it."""

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
        """Read a file, with one clear error for every way that can fail."""
        p = Path(path)
        name = str(path)
        if not p.exists():
            raise InputError("no such file", name)
        if p.is_dir():
            raise InputError("is a folder, not a file", name)
        try:
            size = p.stat().st_size
            if size > max_bytes:
                raise InputError(
                    f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.0f} MB limit "
                    "(raise it with --max-size)", name)
            data = p.read_bytes()
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
            return json.loads(self.text)
        except (ValueError, RecursionError) as exc:
            raise InputError(f"not valid JSON ({exc})", self.path) from exc

    @cached_property
    def html(self) -> etree._Element:
        """The content parsed as HTML by lxml (tolerant of broken markup)."""
        from threadscope.htmltools import parse_html

        return parse_html(self.text, self.path)


def _check_content(path: str, data: bytes) -> None:
    if not data.strip():
        raise InputError("file is empty", path)
    if data.startswith(_BINARY_MAGIC):
        raise InputError("binary file, not a page or a dump", path)
    sample = data[:8192]
    if b"\x00" in sample and not _is_utf16(sample):
        controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
        if controls > len(sample) * 0.05:
            raise InputError("binary file, not a page or a dump", path)


def _is_utf16(sample: bytes) -> bool:
    return sample.startswith((b"\xff\xfe", b"\xfe\xff"))
