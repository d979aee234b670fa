"""htmltools.select / select_one: the Python matcher finds exactly what lxml's cssselect
XPath finds, for every selector the site parsers define, on real and synthetic pages."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from cssselect import SelectorError, parse
from lxml import etree

import threadscope.sites
from tests.conftest import FIXTURES, THREADS
from threadscope.document import Document
from threadscope.htmltools import _compiled, parse_html, select, select_one
from threadscope.sites import detect

# Contexts per page besides the root: enough to cover comment blocks and their parts.
CONTEXTS = 20
EXTRA = ("div.comment[id^='comment-'] .comment-header a[href*='#comment-']",
         "ul > li > div.comment", "*", "div *", "[id]", "p[class=''], a[href^='']",
         "td.ind img[width], td > img[src*='s.gif'][width]", "#comments, article > p")


def _module_selectors() -> dict[str, list[str]]:
    """Each site module's string constants (or tuples of them) that parse as CSS."""
    found: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(threadscope.sites.__path__):
        module = importlib.import_module(f"threadscope.sites.{info.name}")
        mine: set[str] = set()
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, str) and _looks_like_css(item) and _parses(item):
                    mine.add(item)
        found[info.name] = sorted(mine)
    return found


def _looks_like_css(text: str) -> bool:
    """Has selector syntax (bare words such as "reply" or "sbnation" are markers)."""
    return bool(text.strip()) and "{" not in text and any(c in text for c in ".#[>,")


def _parses(text: str) -> bool:
    try:
        parse(text)
    except SelectorError:
        return False
    return True


BY_MODULE = _module_selectors()
# Helpers every family calls, so their selectors run on every page.
SHARED_MODULES = ("generic", "news_common", "forum_common")


def _selectors_for(doc: Document, synthetic: bool) -> list[str]:
    """Every site selector on the small synthetic pages; on a real page, those of
    the family that parses it and of the shared helpers (the big pages are slow
    to match 200 selectors by XPath)."""
    if synthetic:
        return sorted({css for group in BY_MODULE.values() for css in group} | set(EXTRA))
    family = detect(doc)
    module = next(name for name in BY_MODULE
                  if getattr(importlib.import_module(f"threadscope.sites.{name}"),
                             "FAMILY", None) is family)
    names = (module, *SHARED_MODULES)
    return sorted({css for name in names for css in BY_MODULE[name]} | set(EXTRA))


def _pages() -> list[Path]:
    pages = sorted((FIXTURES / "synthetic").glob("*.html"))
    if THREADS.is_dir():
        pages += sorted(THREADS.glob("*/*.html"))
    return pages


@pytest.mark.parametrize("path", _pages(), ids=lambda p: p.name)
def test_python_matcher_equals_cssselect_xpath(path: Path) -> None:
    doc = Document.read(path)
    root = doc.html
    elements = list(root.iter(etree.Element))
    step = max(1, len(elements) // CONTEXTS)
    contexts = [root, *elements[::step]]
    selectors = _selectors_for(doc, synthetic=path.parent == FIXTURES / "synthetic")
    fast = 0
    for css in selectors:
        compiled = _compiled(css)
        fast += compiled.parts is not None
        for context in contexts:
            expected = compiled.by_xpath(context)
            assert select(context, css) == expected, (css, context.tag)
            assert select_one(context, css) is (expected[0] if expected else None), css
    assert fast > len(selectors) // 2, "most site selectors should take the Python path"


def test_unsupported_selectors_fall_back_to_xpath() -> None:
    root = parse_html("<div><p class='a'>1</p><p>2</p><span>3</span><p>4</p></div>")
    for css in ("p:first-child", "p + span", "span ~ p", "p:not(.a)", "[class$=a]"):
        assert _compiled(css).parts is None, css
        assert select(root, css) == _compiled(css).by_xpath(root), css
    assert [p.text for p in select(root, "span ~ p")] == ["4"]


def test_class_names_split_on_xml_whitespace_only() -> None:
    # A no-break space is not XML whitespace: "a\u00a0b" is one class name to XPath.
    root = parse_html("<div><p class='a\u00a0b'>1</p><p class='x\ta'>2</p></div>")
    assert [p.text for p in select(root, ".a")] == ["2"]
    assert select(root, ".a") == _compiled(".a").by_xpath(root)


def test_bad_selector_raises_as_lxml_does() -> None:
    root = parse_html("<p>x</p>")
    with pytest.raises(SelectorError):
        select(root, "p[")
