"""Shared HTML helpers for site parsers: parsing, CSS selection and readable text.

Also the safe parsing of untrusted markup: HTML nested deeper than libxml2 allows is
rebuilt without losing its tail, and XML dumps are parsed with entities, DTDs and
network access off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from html.parser import HTMLParser as _StdlibHTMLParser

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
# C0 controls (but tab and newlines) and non-characters: libxml2 keeps some in text
# nodes, yet lxml refuses to set such text, so a parser copying a tail would crash.
# A regex, not str.translate: translate walks a non-ASCII page in Python-level steps
# (70 ms for a 640 KB page), the regex scan runs in C (under 1 ms) and finds none.
_NOT_XML_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# An XHTML page's <?xml ... encoding="..."?>: lxml refuses it in already-decoded text.
_XML_DECLARATION = re.compile(r"^[\s\ufeff]*<\?xml[^>]{0,200}\?>")
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANKS = re.compile(r"\n\s*\n+")


MAX_DEPTH = 100_000
"""Deepest element nesting rebuilt when libxml2 gives up (10,000 nested comments of
up to ten elements each fit; deeper pages get an InputError, not a silent truncation)."""
# Elements without content: never pushed on the open-element stack.
_VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
                        "meta", "param", "source", "track", "wbr", "keygen"})
# An open element of these kinds is closed by a new start tag of the key's kind
# (a new <li> ends the open <li>); the subset of the HTML5 rules comment pages rely on.
_IMPLIED_END = {"li": frozenset({"li"}), "p": frozenset({"p"}), "dt": frozenset({"dt", "dd"}),
                "dd": frozenset({"dt", "dd"}), "tr": frozenset({"tr", "td", "th"}),
                "td": frozenset({"td", "th"}), "th": frozenset({"td", "th"}),
                "option": frozenset({"option"})}


def parse_html(text: str, path: str | None = None) -> etree._Element:
    """Parse HTML text with lxml; broken markup is repaired, never fatal.

    libxml2 stops reading at 2,048 levels of nesting and drops the rest of the page
    without an error; such pages are rebuilt by a non-recursive tree builder instead,
    so a 10,000-deep comment thread keeps every comment.

    Raises:
        InputError: The text cannot be parsed, or nests deeper than MAX_DEPTH.
    """
    clean = _XML_DECLARATION.sub("", _NOT_XML_CHARS.sub("", text), count=1)
    parser = _html_parser()
    try:
        root = html.document_fromstring(clean, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot parse as HTML ({exc})", path) from exc
    if any("Excessive depth" in entry.message for entry in parser.error_log):
        return _DeepTreeBuilder(path).build(clean)
    return root


def _html_parser() -> etree.HTMLParser:
    """lxml.html's parser options with its element classes chosen in C.

    lxml.html picks each element's class by calling a Python method for every element
    proxy it creates (a third of a page walk's time); a default-class lookup gives
    every element HtmlElement (text_content, cssselect) without that call. The
    form-control subclasses (FormElement, InputElement) are not used by any parser.
    """
    parser = etree.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    parser.set_element_class_lookup(_FAST_LOOKUP)
    return parser


_FAST_LOOKUP = etree.ElementDefaultClassLookup(
    element=html.HtmlElement, comment=html.HtmlComment, pi=html.HtmlProcessingInstruction,
    entity=html.HtmlEntity)


class _DeepTreeBuilder(_StdlibHTMLParser):
    """Builds an lxml.html tree from the standard library's tokenizer, without depth limit.

    Only used for pages libxml2 refuses to nest; keeps lxml.html element classes so
    parsers see the same API (cssselect, text_content) as from parse_html.
    """

    def __init__(self, path: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.path = path
        self.builder = etree.TreeBuilder(parser=_html_parser())
        self.open: list[str] = ["html"]
        self.counts: dict[str, int] = {"html": 1}  # open elements by tag: O(1) lookups
        self.builder.start("html", {})

    def build(self, text: str) -> etree._Element:
        # The standard tokenizer rescans from every "<" that opens no complete tag
        # (quadratic: 10,000 "<a " took 23 s); such a "<" is text, so escape it first.
        self.feed(_LONE_LT.sub("&lt;", text))
        self.close()
        while self.open:
            self._pop()
        root: etree._Element = self.builder.close()
        return root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "html":
            return
        implied = _IMPLIED_END.get(tag)
        if implied and self.open[-1] in implied:
            self._pop()
        name = tag if _is_xml_name(tag) else "span"
        attrib: dict[str | bytes, str | bytes] = {
            k: v or "" for k, v in attrs if _is_xml_name(k)}
        self.builder.start(name, attrib)
        if tag in _VOID_TAGS:
            self.builder.end(name)
            return
        self.open.append(name)
        self.counts[name] = self.counts.get(name, 0) + 1
        if len(self.open) > MAX_DEPTH:
            raise InputError(f"page nests more than {MAX_DEPTH:,} elements deep", self.path)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS and self.open[-1] == tag:
            self._pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "html" or not self.counts.get(tag):
            return
        while self.open[-1] != tag:
            self._pop()
        self._pop()

    def _pop(self) -> None:
        name = self.open.pop()
        self.counts[name] -= 1
        self.builder.end(name)

    def handle_data(self, data: str) -> None:
        self.builder.data(data)


# A "<" with no ">" before the next "<" cannot open a tag; "<![" (CDATA, conditional
# comments) is rescanned to the end of the page when unclosed. Both become text.
_LONE_LT = re.compile(r"<(?:(?![^<>]*>)|(?=!\[))")
_XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")


def _is_xml_name(name: str) -> bool:
    return bool(_XML_NAME.match(name))


def safe_xml_parser(*, huge: bool = False) -> etree.XMLParser:
    """An XML parser for untrusted dumps: entities are never expanded or fetched.

    No DTD is loaded, no network is touched, entity references are kept unexpanded
    (libxml2's amplification guard also stops "billion laughs"), comments and
    processing instructions are dropped. ``huge`` lifts libxml2's 10 MB text-node and
    256-level depth limits for big exports.
    """
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=huge, remove_comments=True,
                           remove_pis=True)


def parse_xml(data: bytes, path: str | None = None, *, huge: bool = False) -> etree._Element:
    """Parse an untrusted XML dump safely (see safe_xml_parser).

    Raises:
        InputError: Not well-formed XML, or a document that declares entities
            (refused outright: an export from a real platform never needs them).
    """
    try:
        root = etree.fromstring(data, parser=safe_xml_parser(huge=huge))
    except etree.XMLSyntaxError as exc:
        raise InputError(f"not well-formed XML ({exc})", path) from exc
    if _declares_entities(root.getroottree()):
        raise InputError("XML declares entities (refused: possible entity-expansion attack)",
                         path)
    return root


def _declares_entities(tree: etree._ElementTree) -> bool:
    dtd = tree.docinfo.internalDTD
    entities = getattr(dtd, "iterentities", None)  # not in lxml-stubs
    return entities is not None and any(True for _ in entities())


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
    # _SPACES never matches a newline: one pass over the text folds every line.
    lines = [line.strip() for line in _SPACES.sub(" ", text).split("\n")]
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


_MAX_DIGITS = 15


def int_or_none(text: str | None) -> int | None:
    """The first signed integer in text ("+12", "−3", "1,024 points"), or None."""
    if not text:
        return None
    match = re.search(r"([+\-−–]?)\s*(\d[\d,.\u202f\u00a0]*)", text)
    if not match:
        return None
    digits = re.sub(r"[,.\u202f\u00a0]", "", match.group(2))
    if len(digits) > _MAX_DIGITS:
        return None  # no vote count has 16 digits; int() refuses 4,300 and more
    value = int(digits)
    return -value if match.group(1) in ("-", "−", "–") else value


def drop_keep_tail(node: etree._Element) -> None:
    """Remove node from the tree, keeping the text that follows it."""
    parent = node.getparent()
    if parent is None:
        return
    tail = node.tail or ""
    prev = node.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)
