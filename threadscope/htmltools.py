"""Shared HTML helpers for site parsers: parsing, CSS selection and readable text.

Also the safe parsing of untrusted markup: HTML nested deeper than libxml2 allows is
rebuilt without losing its tail, and XML dumps are parsed with entities, DTDs and
network access off.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
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
    """Elements under node (node included) matching a CSS selector, in page order."""
    return _compiled(css).all(node)


def select_one(node: etree._Element, css: str) -> etree._Element | None:
    """First element under node matching a CSS selector, or None."""
    return _compiled(css).first(node)


_CACHE: dict[str, _Selector] = {}


def _compiled(css: str) -> _Selector:
    """The selector for css, built once (parsing and translating cost far more than a match)."""
    sel = _CACHE.get(css)
    if sel is None:
        sel = _CACHE[css] = _Selector(css)
    return sel


_Test = Callable[[etree._Element], bool]
# XML whitespace: what XPath's normalize-space() (so cssselect's class test) splits on.
_XML_SPACES = re.compile(r"[ \t\r\n]+")


class _Selector:
    """A CSS selector matched the way lxml's cssselect translation matches it.

    Selectors made only of type, class, id, [attr], [attr=v], [attr^=v], [attr*=v] and
    the " " and ">" combinators (every one the site parsers use) are matched in
    Python over lxml's C iteration: libxml2 evaluates cssselect's class predicates
    at about 1 us an element, three times the cost of the Python test, and a first
    match ends the walk. Anything else goes to lxml's XPath translation.
    """

    __slots__ = ("_xpath", "classed", "css", "parts", "simple", "tags")

    def __init__(self, css: str) -> None:
        self.css = css
        self.parts = _parse_parts(css)
        tags = {part.tag for part in self.parts or ()}
        self.tags = tuple(sorted(t for t in tags if t)) if None not in tags else ()
        # One compound ("p.by", ".author"): its test without the type check the
        # filtered walk already made, called directly.
        self.simple: _Test | None = None
        if self.parts and len(self.parts) == 1 and len(self.parts[0].tests) == 1:
            self.simple = self.parts[0].untyped if self.tags else self.parts[0].tests[0]
        # Every part's subject needs a class: an element without one is passed over.
        self.classed = bool(self.parts) and all(p.classed for p in self.parts or ())
        self._xpath: etree.XPath | None = None

    def all(self, node: etree._Element) -> list[etree._Element]:
        if self.parts is None:
            return self.by_xpath(node)
        return list(self._matches(node))

    def first(self, node: etree._Element) -> etree._Element | None:
        if self.parts is None:
            found = self.by_xpath(node)
            return found[0] if found else None
        return next(self._matches(node), None)

    def by_xpath(self, node: etree._Element) -> list[etree._Element]:
        """The matches by lxml's translation (compiled on first use)."""
        if self._xpath is None:
            from lxml.cssselect import CSSSelector

            self._xpath = CSSSelector(self.css)
        return list(self._xpath(node))  # type: ignore[arg-type]  # a node-set: elements

    def _matches(self, node: etree._Element) -> Iterator[etree._Element]:
        # Visited elements stay referenced until the walk ends: lxml frees a proxy by
        # walking up to the nearest live one, so freeing them deepest first (a list
        # frees its items last to first) keeps a deep page linear.
        keep: list[etree._Element] = []
        walk = node.iter(*self.tags) if self.tags else node.iter(etree.Element)
        test, parts, classed = self.simple, self.parts or (), self.classed
        for element in walk:
            keep.append(element)
            if classed and element.get("class") is None:
                continue
            if test is not None:
                if test(element):
                    yield element
                continue
            for part in parts:
                if part.matches(element, node):
                    yield element
                    break


@dataclass(frozen=True, slots=True)
class _Part:
    """One comma-separated part: compound tests left to right, the combinators
    between them, and the subject's type when it names one."""

    tests: tuple[_Test, ...]
    combinators: tuple[str, ...]
    tag: str | None
    untyped: _Test
    classed: bool

    def matches(self, element: etree._Element, context: etree._Element) -> bool:
        last = len(self.tests) - 1
        return self.tests[last](element) and self._left(element, last, context)

    def _left(self, element: etree._Element, index: int, context: etree._Element) -> bool:
        """Whether tests[:index] match ancestors (within context) of an element that
        matched tests[index]."""
        if index == 0:
            return True
        test, child = self.tests[index - 1], self.combinators[index - 1] == ">"
        node: etree._Element | None = element
        while node is not context and node is not None:
            node = node.getparent()
            if node is not None and test(node) and self._left(node, index - 1, context):
                return True
            if child:
                return False
        return False


def _parse_parts(css: str) -> tuple[_Part, ...] | None:
    """The selector's parts, or None when one uses anything not matched in Python."""
    from cssselect import SelectorError, parse

    try:
        selectors = parse(css)
    except SelectorError:
        return None  # lxml's translation raises the error the caller should see
    parts = [_part(s.parsed_tree) for s in selectors if not s.pseudo_element]
    if len(parts) != len(selectors) or any(p is None for p in parts):
        return None
    return tuple(p for p in parts if p is not None)


def _part(tree: object) -> _Part | None:
    from cssselect.parser import CombinedSelector

    compounds: list[tuple[_Test, str | None, _Test, bool] | None] = []
    combinators: list[str] = []
    while isinstance(tree, CombinedSelector):
        if tree.combinator not in (" ", ">"):
            return None
        compounds.append(_compound(tree.subselector))
        combinators.append(tree.combinator)
        tree = tree.selector
    compounds.append(_compound(tree))
    if any(c is None for c in compounds):
        return None
    found = [c for c in reversed(compounds) if c is not None]
    return _Part(tuple(c[0] for c in found), tuple(reversed(combinators)), *found[-1][1:])


def _compound(tree: object) -> tuple[_Test, str | None, _Test, bool] | None:
    """A test for one compound selector (type, classes, ids, attributes), its type,
    the test without the type check, and whether it needs a class."""
    from cssselect.parser import Attrib, Class, Element, Hash

    tests: list[_Test] = []
    classed = False
    while not isinstance(tree, Element):
        if isinstance(tree, Class) and not _XML_SPACES.search(tree.class_name):
            tests.append(partial(_has_xml_class, tree.class_name))
            classed = True
        elif isinstance(tree, Hash):
            tests.append(partial(_equals, "id", tree.id))
        elif isinstance(tree, Attrib) and (test := _attrib_test(tree)) is not None:
            tests.append(test)
        else:
            return None
        tree = getattr(tree, "selector")  # noqa: B009
    if tree.namespace is not None:
        return None
    untyped = _conjunction(tests)
    if tree.element:
        tests.insert(0, partial(_is_tag, tree.element))
    return _conjunction(tests), tree.element, untyped, classed


def _conjunction(tests: list[_Test]) -> _Test:
    if not tests:
        return _always
    return tests[0] if len(tests) == 1 else partial(_all, tuple(tests))


def _attrib_test(tree: object) -> _Test | None:
    """[attr], [attr=v], [attr^=v], [attr*=v] as cssselect translates them (an empty
    value never matches ^= or *=)."""
    if getattr(tree, "namespace", None) is not None or getattr(tree, "flag", None):
        return None
    attrib, operator = getattr(tree, "attrib"), getattr(tree, "operator")  # noqa: B009
    token = getattr(tree, "value")  # noqa: B009
    value: str = token.value if token is not None else ""
    if operator == "exists":
        return partial(_has_attrib, attrib)
    if operator == "=":
        return partial(_equals, attrib, value)
    if operator == "^=":
        return partial(_starts_with, attrib, value) if value else _never
    if operator == "*=":
        return partial(_contains, attrib, value) if value else _never
    return None


def _all(tests: tuple[_Test, ...], element: etree._Element) -> bool:
    # A loop, not all() over a generator: this runs for every element walked.
    for test in tests:  # noqa: SIM110
        if not test(element):
            return False
    return True


def _is_tag(tag: str, element: etree._Element) -> bool:
    return bool(element.tag == tag)


def _has_xml_class(name: str, element: etree._Element) -> bool:
    value = element.get("class")
    return value is not None and name in value and name in _XML_SPACES.split(value)


def _equals(attrib: str, expected: str, element: etree._Element) -> bool:
    return element.get(attrib) == expected


def _has_attrib(attrib: str, element: etree._Element) -> bool:
    return element.get(attrib) is not None


def _starts_with(attrib: str, prefix: str, element: etree._Element) -> bool:
    value = element.get(attrib)
    return value is not None and value.startswith(prefix)


def _contains(attrib: str, part: str, element: etree._Element) -> bool:
    value = element.get(attrib)
    return value is not None and part in value


def _never(element: etree._Element) -> bool:
    return False


def _always(element: etree._Element) -> bool:
    return True


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
    """One walk by lxml's iterwalk (C, no recursion: deep pages are safe); a skipped
    element (and a comment, processing instruction or entity) gives only its tail."""
    if not isinstance(root.tag, str):
        return
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    skipped = False  # the next "end" closes a skipped element
    for event, node in walker:
        if event == "end":
            if skipped:
                skipped = False
            elif node is not root:
                _close(node, out)
            elif node.tag in _BLOCK_TAGS:
                out.append("\n\n")
            continue
        if event == "start" and _readable(node, skip):
            _open(node, out)
            continue
        if event == "start":
            walker.skip_subtree()
            skipped = True
        if node is not root and node.tail:
            out.append(node.tail)


def _readable(node: etree._Element, skip: frozenset[str]) -> bool:
    """An element whose text counts (not code, a form control or a skipped class)."""
    tag = node.tag
    return (isinstance(tag, str) and tag not in _SKIP_TAGS
            and not (skip and _classes(node) & skip))


def _open(node: etree._Element, out: list[str]) -> None:
    tag = node.tag
    if tag in _BLOCK_TAGS:
        out.append("\n\n")
    elif tag == "br":
        out.append("\n")
    if node.text:
        out.append(node.text)


def _close(node: etree._Element, out: list[str]) -> None:
    if node.tag in _BLOCK_TAGS:
        out.append("\n\n")
    if node.tail:
        out.append(node.tail)


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
