"""Decoding raw page bytes: BOM first, then HTTP-equiv/meta/XML declarations, then guessing."""

from __future__ import annotations

import codecs
import re

# A charset declared in the first bytes: <meta charset>, http-equiv content, or <?xml encoding>.
_DECLARED = re.compile(
    rb"""(?:<meta[^>]+charset\s*=\s*["']?\s*|<\?xml[^>]+encoding\s*=\s*["'])([a-zA-Z0-9_.:-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels pages use that Python spells differently; WHATWG maps latin-1 to windows-1252.
_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252",
            "us-ascii": "cp1252", "ascii": "cp1252", "x-user-defined": "cp1252"}


def decode(data: bytes) -> str:
    """Decode bytes to text without ever raising on bad bytes.

    Order: a byte-order mark; then a charset the page declares (when the bytes
    really decode as it, else UTF-8 if they are UTF-8); then UTF-8; then
    bs4's UnicodeDammit guess (cp1251/cp1252/...); bad bytes become U+FFFD.
    """
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace")
    declared = declared_charset(data)
    if declared and declared not in ("utf-8", "utf8"):
        if _has_high_bytes(data) and _is_valid_utf8(data):
            # A stale single-byte meta on a UTF-8 page: valid multi-byte UTF-8
            # almost never occurs by chance, and decoding as declared gives mojibake.
            return data.decode("utf-8")
        try:
            return data.decode(declared)
        except (UnicodeDecodeError, LookupError):
            pass
    if _is_valid_utf8(data):
        return data.decode("utf-8")
    return _guess(data)


def declared_charset(data: bytes) -> str | None:
    """The charset named in the page's first 4 KiB, normalised, or None."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace").lower()
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    return _ALIASES.get(name, name)


def _has_high_bytes(data: bytes) -> bool:
    return any(b > 127 for b in data[:65536])


def _is_valid_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _guess(data: bytes) -> str:
    from bs4 import UnicodeDammit

    dammit = UnicodeDammit(data, ["utf-8", "cp1252"], is_html=True)
    if dammit.unicode_markup is not None:
        return str(dammit.unicode_markup)
    return data.decode("utf-8", errors="replace")
