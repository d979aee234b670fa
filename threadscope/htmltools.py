"""Shared HTML helpers for site parsers: parsing, CSS selection and readable text."""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree, html

from threadscope.errors import InputError

_BLOCK_TAGS = frozenset({
    "p", "div", "blockquote", "li", "ul", "ol", "pre", "table", "tr", "h1", "h2", "h3",
    "h4", "h5", "h6", "section", "article", "header", "footer", "dd", "dt", "dl", "figure",
    "form", "hr", "aside", "details", "summary",
})
# Never part of readable text: code, styling and form controls.
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "button", "select",
                        "textarea", "svg", "iframe", "input", "head"})
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n\s*\n+")


def parse_html(text: str, path: str | None = None) -> etree._Element:
    """Parse HTML text with lxml; broken markup is repaired, never fatal."""
    parser = html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    try:
        root = html.document_fromstring(text.replace("\x00", ""), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse as HTML ({exc})", path) from exc
    return root


def select(node: etree._Element, css: str) -> list[etree._Element]:
    """Elements under node matching a CSS selector (compiled once and cached)."""
    return list(_compiled(css)(node))


def select_one(node: etree._Element, css: str) -> etree._Element | None:
    """First element under node matching a CSS selector, or None."""
    found = _compiled(css)(node)
    return found[0] if found else None


_CACHE: dict[str, object] = {}


def _compiled(css: str):  # type: ignore[no-untyped-def]
    from lxml.cssselect import CSSSelector

    sel = _CACHE.get(css)
    if sel is None:
        sel = CSSSelector(css)
        _CACHE[css] = sel
    return sel


def has_class(node: etree._Element, name: str) -> bool:
    """Whether the element's class attribute contains this class name."""
    return name in (node.get("class") or "").split()


def text_of(node: etree._Element | None, skip: Iterable[str] = ()) -> str:
    """Readable text: blocks become paragraphs separated by a blank line.

    Args:
        node: The element; None gives "".
        skip: Extra CSS class names whose elements are left out (quotes, signatures).
    """
    if node is None:
        return ""
    skip_classes = frozenset(skip)
    parts: list[str] = []
    _collect(node, parts, skip_classes)
    return normalise_text("".join(parts))


def normalise_text(text: str) -> str:
    """Fold runs of spaces, trim lines and keep single blank lines between paragraphs."""
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    joined = "\n".join(lines)
    return _BLANKS.sub("\n\n", joined).strip()


def _collect(root: etree._Element, out: list[str], skip: frozenset[str]) -> None:
    """Iterative walk (deeply nested pages must not hit the recursion limit)."""
    stack: list[tuple[etree._Element, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        tag = node.tag if isinstance(node.tag, str) else ""
        if closing:
            if tag in _BLOCK_TAGS:
                out.append("\n\n")
            if node is not root and node.tail:
                out.append(node.tail)
            continue
        if not tag or tag in _SKIP_TAGS or (skip and _classes(node) & skip):
            if node is not root and node.tail:
                out.append(node.tail)
            continue
        if tag in _BLOCK_TAGS:
            out.append("\n\n")
        elif tag == "br":
            out.append("\n")
        if node.text:
            out.append(node.text)
        stack.append((node, True))
        stack.extend((child, False) for child in reversed(node))


def _classes(node: etree._Element) -> frozenset[str]:
    return frozenset((node.get("class") or "").split())


def int_or_none(text: str | None) -> int | None:
    """The first signed integer in text ("+12", "−3", "1,024 points"), or None."""
    if not text:
        return None
    match = re.search(r"([+\-−–]?)\s*(\d[\d,.\u202f\u00a0]*)", text)
    if not match:
        return None
    digits = re.sub(r"[,.\u202f\u00a0]", "", match.group(2))
    value = int(digits)
    return -value if match.group(1) in ("-", "−", "–") else value
