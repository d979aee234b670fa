"""StackExchange Q&A pages: question, answers and their comments as one tree.

Shape (from the expected tree of german.stackexchange.com): the question is the
first node ("question-N", top level); every answer ("answer-N") answers it, so its
parent is the question; each post's comments ("comment-N") hang under that post.
The expected file gives the same parent links but prints depth 1 for answers
(and 2 for their comments), which no tree with those parents can have: depths
here follow the parent links (answers 2, their comments 3).
"""

from __future__ import annotations

import re
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.forum_common import clean, link_quotes, page_url, split_quotes

# The question block: div#question data-questionid=N data-score=S.
QUESTION = "div#question, div.question[data-questionid]"
# Answers: div.answer id="answer-N" data-answerid data-score.
ANSWER = "div.answer[id^='answer-'], div.answer[data-answerid]"
# Vote count when data-score is missing (pre-2019 markup: span.vote-count-post).
VOTES = ".js-vote-count, .vote-count-post"
POST_BODY = ".js-post-body, .post-text"
# The post's owner: the signature block marked itemprop=author (the editor's
# signature, printed first when someone else edited, has no itemprop).
OWNER = ".post-signature [itemprop=author]"
OWNER_NAME = "[itemprop=name]"
OWNER_FALLBACK = ".post-signature.owner .user-details, .post-signature .user-details"
# Post time: "asked/answered <span class=relativetime title='2014-02-06 20:37:20Z'>".
RELATIVE = "span.relativetime[title], time[datetime]"
# Comments: li.comment (2019+) or tr.comment (older), id="comment-N".
COMMENT = "li.comment[id^='comment-'], tr.comment[id^='comment-']"
COMMENT_SCORE = ".comment-score"
COMMENT_TEXT = ".comment-copy"
COMMENT_USER = ".comment-user"
# "2014-02-06 23:18:04Z, License: CC BY-SA 3.0": the title carries a licence after a comma.
COMMENT_TIME = "span.relativetime-clean[title], .comment-date span[title], time[datetime]"
QUOTE = "blockquote"
TITLE = "#question-header h1, h1[itemprop=name], h1"
# Cheap markers: the QAPage schema type and the StackExchange CDN.
HEAD_MARKERS = ("schema.org/qapage", "cdn.sstatic.net", "stackexchange", "stackoverflow")
QUESTION_MARKERS = ('id="question"', "data-questionid")


def detect(doc: Document) -> float:
    """Claim StackExchange question pages (a question block plus the network's markers)."""
    if not doc.looks_like_html:
        return 0.0
    head = doc.head
    hits = sum(marker in head for marker in HEAD_MARKERS)
    if hits and any(marker in doc.text for marker in QUESTION_MARKERS):
        return 0.95 if hits >= 2 else 0.7
    return 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """Question, answers and comments as one tree in page order."""
    root = doc.html
    question = select_one(root, QUESTION)
    posts: list[tuple[etree._Element, str]] = []
    if question is not None:
        posts.append((question, f"question-{_post_number(question, 'data-questionid')}"))
    posts.extend((a, f"answer-{_post_number(a, 'data-answerid')}") for a in select(root, ANSWER))
    comments: list[Comment] = []
    question_id = posts[0][1] if question is not None else None
    for element, pid in posts:
        parent = question_id if pid != question_id else None
        comments.append(_post(element, pid, parent, ctx.now))
        comments.extend(_comment(li, pid, ctx.now) for li in select(element, COMMENT))
    article = _article(root, comments[0] if comments else None)
    return [build_thread(article, link_quotes(comments))]


def _post_number(post: etree._Element, attribute: str) -> str:
    value = post.get(attribute)
    if value:
        return value
    match = re.search(r"(\d+)$", post.get("id") or "")
    return match.group(1) if match else "0"


def _post(post: etree._Element, pid: str, parent: str | None, now: datetime | None) -> Comment:
    body = select_one(post, POST_BODY)
    text, quotes = split_quotes(body, quote_css=QUOTE) if body is not None else ("", ())
    author, when = _owner(post, now)
    return Comment(
        id=pid, parent_id=parent, depth=0,
        author=author, score=_votes(post), score_label="votes",
        timestamp=when, text=text, quotes=quotes,
        deleted="deleted-answer" in (post.get("class") or ""),
    )


def _votes(post: etree._Element) -> int | None:
    score = post.get("data-score")
    if score is not None:
        return int_or_none(score)
    node = select_one(post, VOTES)
    if node is None:
        return None
    return int_or_none(node.get("data-value") or text_of(node))


def _owner(post: etree._Element, now: datetime | None) -> tuple[str | None, Timestamp | None]:
    """The owner's name and the time of asking/answering, from the owner's signature."""
    details = select_one(post, OWNER)
    if details is None:
        candidates = select(post, OWNER_FALLBACK)
        details = candidates[-1] if candidates else None
    if details is None:
        return None, None
    name_node = select_one(details, OWNER_NAME)
    link = select_one(details, "a")
    name = clean(text_of(name_node if name_node is not None else link))
    if name is None:
        name = clean((details.text or "").strip())
    signature = next((a for a in details.iterancestors() if "post-signature" in
                      (a.get("class") or "")), None)
    stamp = select_one(signature, RELATIVE) if signature is not None else None
    return name, _stamp(stamp, now)


def _stamp(node: etree._Element | None, now: datetime | None) -> Timestamp | None:
    if node is None:
        return None
    raw = node.get("datetime") or (node.get("title") or "").split(",")[0]
    return parse_time(raw or text_of(node), reference=now)


def _comment(li: etree._Element, parent: str, now: datetime | None) -> Comment:
    # The score as shown: the page prints nothing for a comment nobody voted on
    # (data-comment-score="0" there), so that is None, not 0.
    node = select_one(li, COMMENT_SCORE)
    score = text_of(node) if node is not None else li.get("data-comment-score")
    body = select_one(li, COMMENT_TEXT)
    user = select_one(li, COMMENT_USER)
    return Comment(
        id=li.get("id") or "", parent_id=parent, depth=0,
        author=clean(text_of(user)) if user is not None else None,
        score=int_or_none(score),
        score_label="useful" if int_or_none(score) is not None else None,
        timestamp=_stamp(select_one(li, COMMENT_TIME), now),
        text=text_of(body),
    )


def _article(root: etree._Element, question: Comment | None) -> Article:
    """Title, address, asker and time; the question's text stays in its own node."""
    title = select_one(root, TITLE)
    return Article(
        title=clean(text_of(title)) if title is not None else None,
        url=page_url(root),
        author=question.author if question is not None else None,
        published=question.timestamp if question is not None else None,
    )


FAMILY = SiteFamily(
    name="stackexchange",
    description="StackExchange Q&A (question, answers and comments as one tree; votes)",
    detect=detect,
    parse=parse,
    examples=("trafilatura/german.stackexchange.com.ausgeraubt.html",),
)
