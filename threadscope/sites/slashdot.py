"""Slashdot story pages (2012 "D2" comment system): nested li#tree_N comments with scores."""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes, by_id

# Every D2 comment, visible or hidden, is an li whose id is tree_<cid>.
COMMENT = "li.comment"
COMMENT_ID = re.compile(r"^tree_(\d+)$")
# A hidden comment keeps its li (children stay visible) but loses its body.
HIDDEN_CLASS = "hidden"
TITLE = "div.title h4 a"
SCORE = "span.score"
# "(Score:5, Insightful)"; the label is missing when the comment is only "Score:3".
SCORE_TEXT = re.compile(r"Score:\s*(-?\d+)\s*(?:,\s*([A-Za-z][\w -]*?))?\s*\)?\s*$")
BYLINE = "span.by"
UID = "span.uid"
DETAILS = "span.otherdetails"
# "on Tuesday July 24, @11:35AM (#40750343)": no year, it comes from the story URL.
COMMENT_TIME = re.compile(r"on\s+(\w+day\s+\w+\s+\d{1,2},?\s*@\s*\d{1,2}:\d{2}\s*[AP]M)")
SLASH_TIME = re.compile(r"\w+day\s+(\w+)\s+(\d{1,2}),?\s*@\s*(\d{1,2}:\d{2}\s*[AP]M)")
BODY_ID = "comment_body_{cid}"
# The canonical story URL carries the date: /story/12/07/24/022228/slug.
STORY_DATE = re.compile(r"/story/(\d{2})/(\d{2})/(\d{2})/")
STORY_TITLE = "h2.story span[id^=title-] a"
STORY_BODY = "article.fhitem-story div.body"
STORY_TIME = "article.fhitem-story time"
STORY_AUTHOR = "article.fhitem-story header div.details a"
STORY_COUNT = "h2.story span.comments"
# Cheap head markers: the D2 comment script and the site name in the title.
HEAD_MARKERS = ("d2.more_comments_num", "commentlisting", "- slashdot</title>")


def detect(doc: Document) -> float:
    """Claim pages with Slashdot's D2 comment listing."""
    if not doc.looks_like_html:
        return 0.0
    head = doc.head
    hits = sum(marker in head for marker in HEAD_MARKERS)
    if hits >= 2 or ("slashdot" in head and 'id="tree_' in doc.text):
        return 0.95
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The story and its comment tree (hidden comments kept as placeholders)."""
    root = doc.html
    reference = _story_date(root) or ctx.now
    index = by_id(root)
    comments = [_comment(li, index, reference) for li in _comment_items(root)]
    return [build_thread(_article(root, reference), comments)]


def _comment_items(root: etree._Element) -> list[etree._Element]:
    return [li for li in select(root, COMMENT) if COMMENT_ID.match(li.get("id") or "")]


def _comment_id(li: etree._Element) -> str:
    match = COMMENT_ID.match(li.get("id") or "")
    return match.group(1) if match else ""


def _parent_id(li: etree._Element) -> str | None:
    for anc in li.iterancestors("li"):
        if COMMENT_ID.match(anc.get("id") or ""):
            return _comment_id(anc)
    return None


def _comment(li: etree._Element, index: dict[str, etree._Element],
             reference: datetime | None) -> Comment:
    cid = _comment_id(li)
    parent = _parent_id(li)
    if HIDDEN_CLASS in (li.get("class") or "").split():
        return Comment(id=cid, parent_id=parent, depth=0, placeholder=True)
    top = index.get(f"comment_{cid}")
    top = li if top is None else top
    score, label = _score(select_one(top, SCORE))
    body = index.get(BODY_ID.format(cid=cid))
    author = _author(select_one(top, BYLINE))
    text, quotes = body_with_quotes(body) if body is not None else ("", ())
    title = select_one(top, TITLE)
    return Comment(
        id=cid, parent_id=parent, depth=0, author=author, score=score, score_label=label,
        timestamp=_time(select_one(top, DETAILS), reference), text=text, quotes=quotes,
        title=text_of(title) or None if title is not None else None,
    )


def _score(node: etree._Element | None) -> tuple[int | None, str | None]:
    if node is None:
        return None, None
    match = SCORE_TEXT.search(text_of(node))
    if not match:
        return None, None
    return int(match.group(1)), match.group(2) or None


def _author(byline: etree._Element | None) -> str | None:
    """The name after "by ", without the "(uid)" beside it."""
    if byline is None:
        return None
    link = select_one(byline, "a")
    if link is not None:
        uid = select_one(link, UID)
        name = (link.text or "") if uid is not None else text_of(link)
        return name.strip() or None
    name = text_of(byline).strip()
    return re.sub(r"^by\s+", "", name).strip() or None


def _time(details: etree._Element | None, reference: datetime | None) -> Timestamp | None:
    if details is None:
        return None
    match = COMMENT_TIME.search(" ".join(text_of(details).split()))
    return _slash_time(match.group(1), reference) if match else None


def _slash_time(raw: str, reference: datetime | None) -> Timestamp | None:
    """ "Tuesday July 24, @11:35AM" in the story's year (the page leaves it out)."""
    parts = SLASH_TIME.match(raw)
    if parts is None or reference is None:
        return parse_time(raw, reference=reference, languages=["en"])
    month, day, clock = parts.groups()
    try:
        moment = datetime.strptime(f"{month} {day} {reference.year} {clock}", "%B %d %Y %I:%M%p")
    except ValueError:
        return parse_time(raw, reference=reference, languages=["en"])
    return Timestamp(iso=moment.isoformat(timespec="minutes"), precision="minute", raw=raw)


def _story_date(root: etree._Element) -> datetime | None:
    for link in select(root, "link[rel=canonical], meta[property='og:url']"):
        match = STORY_DATE.search(link.get("href") or link.get("content") or "")
        if match:
            year, month, day = (int(g) for g in match.groups())
            return datetime(2000 + year, month, day, 23, 59)
    return None


def _article(root: etree._Element, reference: datetime | None) -> Article:
    title = select_one(root, STORY_TITLE)
    body = select_one(root, STORY_BODY)
    when = select_one(root, STORY_TIME)
    author = select_one(root, STORY_AUTHOR)
    count = select_one(root, STORY_COUNT)
    canonical = select_one(root, "link[rel=canonical]")
    published = None
    if when is not None:
        raw = re.sub(r"^on\s+", "", when.get("datetime") or text_of(when))
        published = _slash_time(" ".join(raw.split()), reference)
    paragraphs = tuple(p for p in text_of(body).split("\n\n") if p)
    return Article(
        title=text_of(title) or None, body=paragraphs,
        url=canonical.get("href") if canonical is not None else None,
        author=text_of(author) or None, published=published,
        declared_comment_count=int_or_none(text_of(count)) if count is not None else None,
    )


FAMILY = SiteFamily(
    name="slashdot",
    description="Slashdot story pages (D2 comments: Score:N, Label; hidden placeholders)",
    detect=detect,
    parse=parse,
    examples=("dragnet/131.html",),
)
