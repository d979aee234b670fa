"""Helpers shared by the forum, blog and Q&A families: page metadata, quotes split and linked."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from lxml import etree

from threadscope.htmltools import drop_keep_tail as _drop
from threadscope.htmltools import normalise_text, select, select_one, text_of
from threadscope.model import ARTICLE_ID, Comment, QuoteSegment, Timestamp
from threadscope.sites.news_common import quick_time

# Private-use characters never printed by a page: they mark where each outer quote stood.
_MARK_OPEN = "\ue000"
_MARK_CLOSE = "\ue001"
# Canonical page address: <link rel=canonical> first, Open Graph second.
CANONICAL = "link[rel=canonical]"
OG_URL = "meta[property='og:url']"
# Attribution lines forum engines print above a quote, author first or last:
# "Originally Posted by X" (vBulletin), "Zitat von X" (German vBulletin),
# "Quote from X"; "X said:" (XenForo 1), "X wrote:" (phpBB), "X schrieb:",
# "X hat geschrieben:", "X hat folgendes geschrieben:" (German phpBB 2),
# "X hat gesagt.:" (German XenForo 2).
ATTRIBUTION_BEFORE = re.compile(
    r"^\s*(?:Quote:\s*)?(?:Originally Posted by|Zitat von|Quote from|Quote by|Quoting)\s+"
    r"(?P<name>.+?)\s*[:.]?\s*$", re.IGNORECASE)
ATTRIBUTION_AFTER = re.compile(
    r"^\s*(?P<name>.+?)\s+(?:said|wrote|schrieb|hat geschrieben|hat folgendes geschrieben|"
    r"hat gesagt|a écrit|"
    r"escribió|ha scritto)\s*[.:]*\s*[.:]?\s*$", re.IGNORECASE)
# Quotes longer than this are matched on their opening only (pages trim long quotes).
_NEEDLE_CHARS = 80
# Ellipses a page puts where it shortened a quote.
_ELLIPSIS = re.compile(r"\s*(?:\.\.\.+|…).*$", re.DOTALL)


# Forum date layouts tried with strptime before dateparser (~15 ms a call): vBulletin
# "03-03-2011, 02:17 PM", phpBB "Mon Mar 03, 2008 2:17 pm", and the WordPress Classic
# theme's "17.07, 2011 @ 13:04" (date format "d.m, Y"), which dateparser rejects.
FORUM_FORMATS = ("%m-%d-%Y, %I:%M %p", "%a %b %d, %Y %I:%M %p", "%a %b %d, %Y %H:%M",
                 "%d.%m, %Y @ %H:%M")
# German long dates: "19. Juni 2018 um 15:28 Uhr" (WordPress), "Do 3. Mär 2011, 14:17"
# (phpBB), "28. September 2018 um 07:53 Uhr" (XenForo titles).
GERMAN_DATE = re.compile(
    r"^(?:[A-Za-z]{2,10}\.?,?\s+)?(\d{1,2})\.\s*([A-Za-zäÄ]{3,9})\.?\s+(\d{4}),?\s*"
    r"(?:um\s+)?(\d{1,2}):(\d{2})(?:\s*Uhr)?$")
GERMAN_MONTHS = {"jan": 1, "jän": 1, "feb": 2, "mär": 3, "mrz": 3, "apr": 4, "mai": 5,
                 "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10, "nov": 11, "dez": 12}


def forum_time(
    raw: str, reference: datetime | None = None, languages: list[str] | None = None
) -> Timestamp | None:
    """parse_time with fast paths for the date layouts forum and blog engines print."""
    text = " ".join(raw.split())
    german = GERMAN_DATE.match(text)
    month = GERMAN_MONTHS.get(german.group(2)[:3].lower()) if german else None
    if german and month:
        day, _, year, hour, minute = german.groups()
        try:
            moment = datetime(int(year), month, int(day), int(hour), int(minute))
        except ValueError:  # "31. Februar": not a date, let dateparser decide
            moment = None
        if moment is not None:
            return Timestamp(iso=moment.isoformat(timespec="minutes"), precision="minute",
                             raw=text)
    for layout in FORUM_FORMATS:
        try:
            moment = datetime.strptime(text, layout)
        except ValueError:
            continue
        return Timestamp(iso=moment.isoformat(timespec="minutes"), precision="minute", raw=text)
    return quick_time(text, reference=reference, languages=languages)


@dataclass(frozen=True, slots=True)
class QuoteInfo:
    """What a page says about one quote block, read before its text is taken.

    Attributes:
        author: The quoted author named by the page.
        source_id: The quoted comment's id when the page links it.
        attribution: The element holding "X said:", left out of the quote text.
    """

    author: str | None = None
    source_id: str | None = None
    attribution: etree._Element | None = None


QuoteReader = Callable[[etree._Element], QuoteInfo]


def page_url(root: etree._Element) -> str | None:
    """The page's canonical address (canonical link, then og:url)."""
    link = select_one(root, CANONICAL)
    if link is not None and link.get("href"):
        return link.get("href")
    meta = select_one(root, OG_URL)
    return meta.get("content") if meta is not None else None


def meta_content(root: etree._Element, key: str) -> str | None:
    """Content of <meta property=key> or <meta name=key>, stripped; None when absent."""
    for node in select(root, f"meta[property='{key}'], meta[name='{key}']"):
        value = (node.get("content") or "").strip()
        if value:
            return value
    return None


def page_languages(root: etree._Element) -> list[str] | None:
    """Language hint for date parsing from <html lang="de-DE">, e.g. ["de"]."""
    lang = (root.get("lang") or "").strip().lower()
    code = re.split(r"[-_]", lang)[0] if lang else ""
    return [code] if code.isalpha() and len(code) in (2, 3) else None


def attribution_author(text: str) -> str | None:
    """The quoted author in an attribution line ("Originally Posted by X", "X said:")."""
    line = " ".join(text.split()).rstrip(" ↑→»")  # jump-to-post arrows after the name
    if not line or len(line) > 200:
        return None
    for pattern in (ATTRIBUTION_BEFORE, ATTRIBUTION_AFTER):
        match = pattern.match(line)
        if match:
            return match.group("name").strip(" :") or None
    return None


def split_quotes(
    body: etree._Element,
    *,
    quote_css: str,
    skip: Iterable[str] = (),
    reader: QuoteReader | None = None,
) -> tuple[str, tuple[QuoteSegment, ...]]:
    """The full visible text of a post and its explicit quote segments.

    Every quote block gives a segment in page order, nested ones too; a nested
    quote's text is left out of the quote around it and it has no answer here. An
    outer quote's answer is the post's own text up to the next outer quote. The
    attribution element a reader names ("X said:") is left out of the quote text
    but stays in the full text, which is everything the reader sees.

    Args:
        body: The post body element (left unchanged).
        quote_css: Selector of the engine's quote blocks.
        skip: Class names left out of all text (expand links, signatures).
        reader: Reads author, linked id and attribution element of one quote.
    """
    skip_set = frozenset(skip)
    full = text_of(body, skip=skip_set)
    work = copy.deepcopy(body)
    quotes = select(work, quote_css)
    if not quotes:
        return full, ()
    infos = [reader(q) if reader else QuoteInfo() for q in quotes]
    for info in infos:
        if info.attribution is not None:
            _drop(info.attribution)
    inside = {id(q) for q in quotes}
    outer = [not any(id(a) in inside for a in q.iterancestors()) for q in quotes]
    texts = [""] * len(quotes)
    for index in reversed(range(len(quotes))):  # innermost first: it leaves the outer text
        texts[index] = text_of(quotes[index], skip=skip_set)
        if not outer[index]:
            _drop(quotes[index])
    for index, quote in enumerate(quotes):
        if outer[index]:
            _replace_with_marker(quote, index)
    answers = _answers(text_of(work, skip=skip_set))
    segments = tuple(
        QuoteSegment(text=texts[i], source_id=infos[i].source_id, answer=answers.get(i, ""),
                     kind="explicit", source_author=infos[i].author)
        for i in range(len(quotes)) if texts[i]
    )
    return full, segments


def _replace_with_marker(node: etree._Element, index: int) -> None:
    marker = etree.Element("div")
    marker.text = f"{_MARK_OPEN}{index}{_MARK_CLOSE}"
    marker.tail = node.tail
    parent = node.getparent()
    if parent is not None:
        parent.replace(node, marker)


def _answers(marked: str) -> dict[int, str]:
    """Quote index -> the text after its marker up to the next marker."""
    found: dict[int, str] = {}
    pieces = marked.split(_MARK_OPEN)
    for piece in pieces[1:]:
        number, _, rest = piece.partition(_MARK_CLOSE)
        if number.isdigit():
            found[int(number)] = rest.strip()
    return found


def _norm(text: str) -> str:
    return " ".join(text.casefold().split())


def _needle(quote_text: str) -> str:
    """The part of a quote to look for: its opening, without a trailing ellipsis."""
    return _norm(_ELLIPSIS.sub("", quote_text))[:_NEEDLE_CHARS]


def link_quotes(comments: Sequence[Comment], article_text: str = "") -> list[Comment]:
    """Comments with each explicit quote's source_id resolved where the page allows.

    A source id the page gave is kept when that comment is on the page and
    dropped otherwise. Without one, the quote is looked for in earlier comments
    (newest first; only the named author's when the page names one), then in
    the article text. Matching is by the quote's opening words, case-folded.
    """
    ids = {c.id for c in comments}
    article = _norm(article_text)
    linked: list[Comment] = []
    for index, comment in enumerate(comments):
        if not comment.quotes:
            linked.append(comment)
            continue
        earlier = comments[:index]
        quotes = tuple(_link_one(q, earlier, ids, article) for q in comment.quotes)
        linked.append(replace(comment, quotes=quotes))
    return linked


def _link_one(
    quote: QuoteSegment, earlier: Sequence[Comment], ids: set[str], article: str
) -> QuoteSegment:
    if quote.source_id is not None:
        return quote if quote.source_id in ids else replace(quote, source_id=None)
    needle = _needle(quote.text)
    if not needle:
        return quote
    for candidate in reversed(earlier):
        if quote.source_author and candidate.author != quote.source_author:
            continue
        if needle in _norm(candidate.text):
            return replace(quote, source_id=candidate.id)
    if article and needle in article and quote.source_author is None:
        return replace(quote, source_id=ARTICLE_ID)
    return quote


def paragraphs(node: etree._Element | None, skip: Iterable[str] = ()) -> tuple[str, ...]:
    """An element's readable text as a tuple of paragraphs."""
    return tuple(p for p in text_of(node, skip=skip).split("\n\n") if p)


def clean(text: str | None) -> str | None:
    """Text with spaces folded, or None when nothing is left."""
    if text is None:
        return None
    value = normalise_text(text)
    return value or None


def first_text(node: etree._Element, selectors: Iterable[str]) -> str | None:
    """Cleaned text of the first selector that matches with non-empty text."""
    for css in selectors:
        found = select_one(node, css)
        name = clean(text_of(found)) if found is not None else None
        if name:
            return name
    return None
