"""Page text made safe to show: control and bidi-override characters made visible.

Reports print text that pages control. Terminal escape sequences (ESC, BEL, C1 codes)
could clear or retitle a terminal, and bidi overrides could make text read differently
from what it is, so they are shown as ``\\x1b`` / ``\\u202e`` instead. Newlines and tabs
stay (CRLF becomes a newline; a lone CR, which can overwrite a terminal line, is shown);
emoji joiners and variation selectors are untouched.
"""

from __future__ import annotations

import re
from html import escape

# C0 controls except tab and newline, DEL, C1 controls; bidi embeddings, overrides, isolates
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text with every control or bidi-override character replaced by its escape."""
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def html_text(text: str) -> str:
    """Page text for HTML or SVG: controls made visible, then html.escape'd (quotes too)."""
    return escape(printable(text))
