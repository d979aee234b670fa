"""Helpers shared by the news-comment families: quote blocks, quick common date layouts."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.htmltools import drop_keep_tail as _drop
from threadscope.htmltools import select, text_of
from threadscope.model import QuoteSegment, Timestamp

_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
# Private-use characters never printed by a page: they mark where each quote stood.
QUOTE_CSS = "blockquote, div.quote, q.quote"
"""Quote blocks most comment systems emit (Slashdot's div.quote, HTML blockquote)."""


def outer_quotes(body: etree._Element, quote_css: str = QUOTE_CSS) -> list[etree._Element]:
    """Quote elements under body that are not inside another quote, in page order."""
    found = select(body, quote_css)
    ids = {id(q) for q in found}
    return [q for q in found if not any(id(a) in ids for a in q.iterancestors())]


def body_with_quotes(
    body: etree._Element,
    *,
    quote_css: str = QUOTE_CSS,
    skip: Iterable[str] = (),
    source_author: str | None = None,
    named: bool = False,
) -> tuple[str, tuple[QuoteSegment, ...]]:
    """The full comment text and its explicit quote segments.

    Every quote block gives a segment, nested ones too (a quote of a quote), in
    page order; a nested quote's text is left out of the quote around it. An outer
    quote's answer is the reply's own text between it and the next outer quote; a
    nested quote has no answer in this comment. Text before the first quote is not
    attached to a quote.

    Args:
        body: The comment body element (left unchanged).
        quote_css: Selector of quote blocks.
        skip: Class names left out of the text (signatures).
        source_author: Author the quotes name, when the page says it.
        named: Read the quoted author from a header line ("X said:", "Zitat von X",
            "Originally Posted by X") at the quote's start or just before it, and
            leave that line out of the quote's text.
    """
    full = text_of(body, skip=skip)
    if not outer_quotes(body, quote_css):
        return full, ()
    work = copy.deepcopy(body)
    everything = select(work, quote_css)
    outer = outer_quotes(work, quote_css)
    outer_ids = {id(q) for q in outer}
    texts: dict[int, str] = {}
    authors: dict[int, str | None] = {}
    for quote in reversed(everything):  # innermost first: its text leaves the outer one
        texts[id(quote)] = text_of(quote, skip=skip)
        authors[id(quote)] = source_author
        if named:
            authors[id(quote)], texts[id(quote)] = quote_header(quote, texts[id(quote)])
        if id(quote) not in outer_ids:
            _drop(quote)
    for index, quote in enumerate(outer):
        _replace_with_marker(quote, index)
    answers = _answers(text_of(work, skip=skip), len(outer))
    answer_of = {id(q): a for q, a in zip(outer, answers, strict=True)}
    segments = tuple(
        QuoteSegment(text=texts[id(q)], source_id=None, answer=answer_of.get(id(q), ""),
                     kind="explicit", source_author=authors[id(q)] or source_author)
        for q in everything if texts[id(q)]
    )
    return full, segments


# Quote headers naming the quoted author, in the languages forums use most.
QUOTE_HEADER = re.compile(
    r"^(?:(?:quote|zitat|citation|цитата)\s*(?:from|von|de|\(|:)\s*|originally posted by\s+|"
    r"in reply to\s+)(?P<a>[^:\n]{1,60}?)\)?\s*:?$|"
    r"^(?P<b>[^:\n]{1,60}?)\s+(?:said|wrote|writes|schrieb|hat geschrieben|hat gesagt\.?|"
    r"a écrit|escribió|ha scritto|писал\(а\)|написал\(а\)?)\s*:?$",
    re.IGNORECASE)


def quote_header(quote: etree._Element, text: str) -> tuple[str | None, str]:
    """The author a quote names in its first line or in the short line just before it,
    and the quote's text without that line."""
    first, _, rest = text.partition("\n")
    match = QUOTE_HEADER.match(first.strip())
    if match:
        return (match.group("a") or match.group("b")).strip(), rest.strip()
    match = QUOTE_HEADER.match(" ".join(_text_before(quote).split()))
    if match:
        return (match.group("a") or match.group("b")).strip(), text
    return None, text


def _text_before(node: etree._Element) -> str:
    """The previous sibling's text, or the parent's leading text when node comes first."""
    prev, parent = node.getprevious(), node.getparent()
    if prev is not None:
        return text_of(prev)
    return (parent.text or "") if parent is not None else ""


def _replace_with_marker(node: etree._Element, index: int) -> None:
    marker = etree.Element("div")
    marker.text = f"{_MARK_OPEN}{index}{_MARK_CLOSE}"
    marker.tail = node.tail
    parent = node.getparent()
    if parent is not None:
        parent.replace(node, marker)


def _answers(marked: str, count: int) -> list[str]:
    """The text after each marker up to the next marker."""
    answers: list[str] = []
    for index in range(count):
        token = f"{_MARK_OPEN}{index}{_MARK_CLOSE}"
        start = marked.find(token)
        if start < 0:
            answers.append("")
            continue
        rest = marked[start + len(token):]
        cut = rest.find(_MARK_OPEN)
        answers.append((rest if cut < 0 else rest[:cut]).strip())
    return answers


# Layouts news and blog comment systems print, tried with strptime before dateparser
# (dateparser needs ~20 ms a call, mostly guessing time zones; a page holds hundreds).
QUICK_FORMATS = (
    "%b %d, %Y %I:%M %p", "%B %d, %Y %I:%M %p", "%b %d, %Y at %I:%M %p",
    "%B %d, %Y at %I:%M %p", "%d %B %Y %H:%M", "%d %b %Y %H:%M", "%d.%m.%Y %H:%M",
    "%d.%m.%Y, %H:%M", "%Y-%m-%d %H:%M", "%m/%d/%Y %I:%M %p", "%m/%d/%y %I:%M %p",
)
# The same layouts once "@", "," and "at"/"um" between the parts are blanked.
BARE_FORMATS = ("%d.%m %Y %H:%M", "%d.%m.%Y %H:%M", "%B %d %Y %I:%M %p", "%b %d %Y %I:%M %p")
_SEPARATORS = re.compile(r"\s*(?:@|,|\bat\b|\bum\b)\s*")
# Year-less layouts, read in the reference year (the page's own).
YEARLESS_FORMATS = ("%B %d %I:%M%p %Y", "%B %d %I:%M %p %Y", "%b %d %I:%M %p %Y")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
_WEEKDAY = re.compile(r"^(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+", re.IGNORECASE)
# A trailing zone abbreviation ("EDT") carries no offset we could trust: dropped.
_ZONE_ABBR = re.compile(r"\s+[A-Z]{2,5}$")


def quick_time(
    raw: str, reference: datetime | None = None, languages: list[str] | None = None
) -> Timestamp | None:
    """parse_time with a strptime fast path for common absolute layouts."""
    for layout, value in _layouts(_ZONE_ABBR.sub("", " ".join(raw.split())), reference):
        try:
            moment = datetime.strptime(value, layout)
        except ValueError:
            continue
        return Timestamp(iso=moment.isoformat(timespec="minutes"), precision="minute",
                         raw=" ".join(raw.split()))
    return parse_time(raw, reference=reference, languages=languages)


def _layouts(text: str, reference: datetime | None) -> Iterator[tuple[str, str]]:
    """(layout, value) pairs in the order they are tried; the bare and dated forms
    are only built when the plain text matched no layout (most pages match first)."""
    for layout in QUICK_FORMATS:
        yield layout, text
    bare = " ".join(_SEPARATORS.sub(" ", text).split())  # "17.07, 2011 @ 13:04"
    for layout in BARE_FORMATS:
        yield layout, bare
    if reference is not None and not _YEAR.search(text):  # "Tuesday July 24, @11:35AM"
        dated = f"{_WEEKDAY.sub('', bare)} {reference.year}"
        for layout in YEARLESS_FORMATS:
            yield layout, dated


def by_id(root: etree._Element) -> dict[str, etree._Element]:
    """Every element with an id, by id (first wins): one pass instead of a CSS
    selector compiled per comment for "#comment_body_123"."""
    index: dict[str, etree._Element] = {}
    for node in root.iter():
        ident = node.get("id") if isinstance(node.tag, str) else None
        if ident and ident not in index:
            index[ident] = node
    return index
