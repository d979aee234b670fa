"""The generic fallback: comment threads from HTML pages no site family claims.

Small pure steps, each testable alone:

1. ``comment_blocks``: group elements by a (tag, class token) or (tag, id prefix)
   signature and keep the group whose members look most like comments (each holds
   an author-ish name, a time-ish text and some words; few sit in a sidebar).
2. ``block_fields``: author, time, score with its label, text and quotes of one
   block, reading only the block's own content (never its nested replies).
3. ``choose_nesting``: parent links from the strongest evidence the page offers:
   explicit parent attributes, DOM nesting, outline numbers ("1.2.3"), CSS depth
   classes ("depth-3"), indentation (margin/padding, spacer widths, indent
   attributes) or "in reply to" links; flat when there is none.

Accepted gaps: comments rendered by JavaScript after load are not in the page;
sites whose every comment uses a different markup are not found.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.htmltools import int_or_none, select, select_one, text_of
from threadscope.model import Article, Comment, QuoteSegment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.news_common import body_with_quotes, quick_time

# ---------------------------------------------------------------- signatures
# Class tokens that say nothing about what an element is (state, zebra stripes,
# layout helpers); they never form a group of their own.
NOISE_TOKENS = frozenset({
    "odd", "even", "alt", "first", "last", "new", "old", "parent", "clearfix", "clear",
    "row", "col", "hidden", "hide", "show", "visible", "collapsed", "expanded", "active",
    "selected", "open", "closed", "left", "right", "full", "oneline", "contain", "group",
    "cf", "container", "wrapper", "inner", "outer", "box", "item", "block", "list",
})
# Ids like comment-123, post_9, c42, t1_abc: the prefix groups the comments.
ID_PREFIX = re.compile(r"^([A-Za-z][A-Za-z_-]*?)[-_]?(?:\d+|t1_\w+)$")
# Words in a class or id that mark comment containers (English, German, Russian, ...).
COMMENTISH = re.compile(
    r"comment|reply|replies|post|message|msg|entry|response|note|kommentar|beitrag|"
    r"antwort|commentaire|коммент|thread|citem|talk|discussion|answer|review",
    re.IGNORECASE)
# A lone element is taken as a comment only under a name this plain ("post" or
# "entry" alone would take a blog's article for a comment).
SINGLE_COMMENT = re.compile(r"comment|reply|kommentar|antwort|коммент", re.IGNORECASE)
# Sidebars, menus and footers reuse comment markup ("recent comments" widgets);
# matched against whole class tokens and ids, so "has-sidebar" on <body> is no sidebar.
SIDEBAR = re.compile(
    r"^(?:sidebar|side-bar|secondary|widgets?|widget[-_]\w+|footer|site-footer|"
    r"recent[-_]?comments?|recentcomments|related|popular|navbar|nav|navigation|menu|"
    r"teaser|promo|advert|ads?|breadcrumbs?)(?:[-_]\w+)?$", re.IGNORECASE)
SIDEBAR_TAGS = frozenset({"aside", "nav", "footer"})
SKIP_TAGS = frozenset({"script", "style", "noscript", "head", "title", "meta", "link",
                       "svg", "path", "br", "hr", "img", "input", "option", "select",
                       "textarea", "button", "iframe", "html", "body", "form"})
WRAPPER_SHARE = 0.7
"""A group wrapping the best group wins when it scores at least this share of it."""
# Markup without telling classes still names its role: schema.org microdata
# (itemtype=".../Comment", itemprop="comment") or test/role hooks (data-testid="comment").
ROLE_ATTRS = ("itemtype", "itemprop", "data-testid", "data-role", "data-type", "role")
MAX_SAMPLE = 40
"""Members looked at when scoring a group (evenly spaced): keeps big pages fast."""

# ---------------------------------------------------------------- fields
# Class, itemprop or rel words naming the comment's author.
AUTHOR_HINT = re.compile(
    r"author|user|poster|nick|byline|\bby\b|\bname\b|\bfn\b|member|commenter|"
    r"writer|\bfrom\b|login|hnuser|profile|autor|auteur|verfasser|benutzer|nutzer|автор",
    re.IGNORECASE)
AUTHOR_STRONG = re.compile(
    r"author|username|user-name|poster|nick|commenter|\bfn\b|hnuser|autor|auteur|verfasser",
    re.IGNORECASE)
# Web components and data attributes name the author on the comment element itself.
AUTHOR_ATTRS = ("author", "data-author", "data-username", "data-user")
SCORE_ATTRS = ("score", "data-score", "data-likes", "data-votes", "data-points")
# Links to a user's profile page.
PROFILE_LINK = re.compile(
    r"/(?:users?|u|members?|profiles?|people|author|authors|user\?id=|~)[/=]?[^/?#]+|"
    r"[?&](?:u|user|userid|uid|id)=\w+|/~\w+", re.IGNORECASE)
BY_NAME = re.compile(r"(?:^|\s)(?:by|von|par|от|por|di)\s+([^\s|,·•—-][^|,·•—\n]{0,40}?)"
                     r"(?=\s+(?:on|am|le|at|um|\||·|•|—|-|\d)|\s*$|\s*[|,·•—])",
                     re.IGNORECASE)
# "by NAME", "NAME says:", "NAME (12345)" (a user number): only NAME is the name.
NAME_PREFIX = re.compile(r"^(?:by|von|par|от)\s+", re.IGNORECASE)
NAME_SUFFIX = re.compile(
    r"\s*(?:\(\d+\)|says|sagt|schreibt|écrit|dit|wrote|writes|meint|пишет)?\s*:?\s*$",
    re.IGNORECASE)
# Inside an author element that also holds the date ("<strong>Ben</strong> 19. Juni"),
# the name is the first of these children.
NAME_CHILD = "[itemprop=name], .fn, .name, cite, strong, b, a"
NOT_NAMES = frozenset({"reply", "antworten", "quote", "zitieren", "permalink", "report",
                       "share", "like", "antwort", "répondre", "ответить"})
TIME_HINT = re.compile(r"date|time|posted|published|\bage\b|ago|when|created|stamp|datum|zeit",
                       re.IGNORECASE)
# schema.org time properties (their value may sit in a content attribute).
TIME_ITEMPROP = re.compile(r"^(?:dateCreated|datePublished|commentTime|uploadDate)$")
# Date-like text in a block's own words when no element is marked as the time.
DATE_TEXT = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:?\d{2})?|"
    r"\d{1,2}[./]\s?\d{1,2}[./]\s?\d{2,4},?\s+(?:um\s+)?\d{1,2}:\s?\d{2}|"
    r"\d{1,2}[./]\d{1,2},\s*\d{4}\s*(?:@|um|at)?\s*\d{1,2}:\d{2}|"
    r"\d{1,2}\.?\s+[A-Za-zÀ-ÿА-Яа-я]{3,9}\.?\s+\d{4}(?:,?\s+(?:um\s+|at\s+)?\d{1,2}:\s?\d{2}"
    r"(?:\s*[AaPp][Mm])?(?:\s*Uhr)?)?|"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?:\s*[AaPp][Mm])?)?|"
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+@?\s*"
    r"\d{1,2}:\d{2}\s*[AaPp][Mm]|"
    r"\d+\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\s+ago|"
    r"vor\s+\d+\s+(?:Sekunden|Minuten|Stunden|Tagen|Wochen|Monaten|Jahren)")
SCORE_HINT = re.compile(r"score|points?|votes?|likes?|karma|rating|recs?|upvotes?|"
                        r"reactions?|thumbs|punkte", re.IGNORECASE)
# "Score:5, Insightful" (Slash code), "12 points", "3 likes", "+4".
SCORE_LABELLED = re.compile(r"Score:\s*(-?\d+)\s*,\s*([A-Za-z]+)")
SCORE_WORD = re.compile(r"(-?\d[\d,.]*)\s*([A-Za-z]+)?")
SCORE_PHRASE = re.compile(r"^([+\-−]?\d[\d,.]*)\s*(points?|likes?|votes?|recs?|punkte|"
                          r"upvotes?|score)$", re.IGNORECASE)
BODY_HINT = re.compile(
    r"(?:comment|post|message|entry|reply)[-_]?(?:body|content|text|message)|"
    r"^(?:content|body|text|message|usertext|cbody|bbwrapper|postbody|md)$|"
    r"\b(?:content|body|text)\b", re.IGNORECASE)
DELETED = re.compile(r"^\[?(?:deleted|removed|gelöscht|supprimé)\]?$|"
                     r"(?:comment|post|beitrag|kommentar)\s+(?:was |has been |wurde )?"
                     r"(?:deleted|removed|gelöscht)", re.IGNORECASE)
MORE_REPLIES = re.compile(r"^(?:load |show |view )?(\d+)\s+more\s+(?:replies|comments)",
                          re.IGNORECASE)
_MARK = "data-threadscope-skip"

# ---------------------------------------------------------------- nesting
PARENT_ATTRS = ("data-parent", "data-parent-id", "data-parentid", "data-reply-to",
                "data-replyto", "data-in-reply-to", "data-parent-comment-id", "data-pid")
DEPTH_CLASS = re.compile(
    r"^(?:comment[-_]?)?(?:depth|level|lvl|indent|ind|nest|nested|thread-level|"
    r"reply-level|comment-level|comment-depth|child|generation)[-_]?(\d{1,2})$",
    re.IGNORECASE)
DEPTH_ATTRS = ("data-depth", "data-level", "data-indent", "aria-level", "indent", "level")
INDENT_STYLE = re.compile(
    r"(?:margin-left|padding-left|left|margin-inline-start|padding-inline-start)\s*:\s*"
    r"(-?\d+(?:\.\d+)?)\s*(px|em|rem|%|pt)?", re.IGNORECASE)
_UNIT_PX = {"px": 1.0, "em": 16.0, "rem": 16.0, "%": 10.0, "pt": 1.33, "": 1.0}
OUTLINE_LABEL = re.compile(r"^#?\s?(\d{1,4}(?:\.\d{1,4})*)\.?$")
OUTLINE_LEAD = re.compile(r"^\s*#\s?(\d{1,4}(?:\.\d{1,4})+)\b|^\s*(\d{1,4}(?:\.\d{1,4})+)[.)]?\s")
REPLY_CONTEXT = re.compile(
    r"in reply to|reply to|replying to|replied to|response to|antwort auf|"
    r"als antwort|en réponse|respuesta a|in risposta|ответ на|^@|^re:", re.IGNORECASE)
COVERAGE = 0.6
"""Share of blocks that must carry a depth clue before that clue is trusted."""


@dataclass(frozen=True, slots=True)
class Nesting:
    """Parent links by block index, and which evidence gave them."""

    parents: tuple[int | None, ...]
    method: str


@dataclass(frozen=True, slots=True)
class Fields:
    """What one comment block says about its comment."""

    author: str | None
    timestamp: Timestamp | None
    score: int | None
    score_label: str | None
    text: str
    quotes: tuple[QuoteSegment, ...]
    deleted: bool
    hidden_count: int | None


# ================================================================ step 1: blocks

def classes(node: etree._Element) -> list[str]:
    """The element's class tokens."""
    return (node.get("class") or "").split()


def signatures(node: etree._Element) -> list[tuple[str, str]]:
    """The group keys of one element: (tag, class token) and (tag, #id prefix)."""
    tag = node.tag if isinstance(node.tag, str) else ""
    if not tag or tag in SKIP_TAGS:
        return []
    keys = [(tag, "." + tok.lower()) for tok in classes(node)
            if tok.lower() not in NOISE_TOKENS and not any(ch.isdigit() for ch in tok)]
    match = ID_PREFIX.match(node.get("id") or "")
    if match:
        keys.append((tag, "#" + match.group(1).lower()))
    if "-" in tag and COMMENTISH.search(tag):
        keys.append((tag, ""))  # custom elements (<shreddit-comment>) carry no class
    keys.extend((tag, f"@{attr}={value.lower()}") for attr in ROLE_ATTRS
                if (value := node.get(attr) or "") and COMMENTISH.search(value)
                and not any(ch.isdigit() for ch in value.rsplit("/", 1)[-1]))
    return keys


def candidate_groups(root: etree._Element) -> dict[tuple[str, str], list[etree._Element]]:
    """Elements grouped by signature, in document order: groups of two or more, and
    single elements plainly named as a comment (a page with one comment)."""
    groups: dict[tuple[str, str], list[etree._Element]] = defaultdict(list)
    for node in root.iter():
        for key in signatures(node):
            groups[key].append(node)
    return {k: v for k, v in groups.items()
            if len(v) >= 2 or SINGLE_COMMENT.search(k[0] + k[1])}


def own_elements(block: etree._Element, members: set[int]) -> Iterable[etree._Element]:
    """Descendants of block that belong to it, not to a nested member block."""
    stack = list(reversed(block))
    while stack:
        node = stack.pop()
        if id(node) in members or not isinstance(node.tag, str):
            continue
        yield node
        stack.extend(reversed(node))


def own_text(block: etree._Element, members: set[int]) -> str:
    """Block text without nested member blocks (a cheap join, for scoring)."""
    parts = [block.text or ""]
    for node in own_elements(block, members):
        parts.append(node.text or "")
        parent = node.getparent()
        if node.tail and (parent is block or id(parent) not in members):
            parts.append(node.tail)
    return " ".join(" ".join(parts).split())


def in_sidebar(node: etree._Element) -> bool:
    """Whether node is or sits in an aside, nav, footer or a widget/sidebar container."""
    for anc in (node, *node.iterancestors()):
        if anc.tag in ("body", "html"):
            return False
        if anc.tag in SIDEBAR_TAGS:
            return True
        tokens = [*classes(anc), anc.get("id") or ""]
        if any(tok and SIDEBAR.match(tok) for tok in tokens):
            return True
    return False


def _sample(items: Sequence[etree._Element]) -> list[etree._Element]:
    if len(items) <= MAX_SAMPLE:
        return list(items)
    step = len(items) / MAX_SAMPLE
    return [items[int(i * step)] for i in range(MAX_SAMPLE)]


def score_group(key: tuple[str, str], members: Sequence[etree._Element]) -> float:
    """How much a group looks like a page's comments (0 = not at all)."""
    ids = {id(m) for m in members}
    sample = _sample(members)
    authored = timed = worded = sidebar = 0
    for block in sample:
        own = list(own_elements(block, ids))
        words = own_text(block, ids)
        authored += find_author(own, words, block) is not None
        timed += find_time_node(own) is not None or bool(DATE_TEXT.search(words))
        worded += len(words) >= 15
        sidebar += in_sidebar(block)
    n = len(sample)
    named = bool(COMMENTISH.search(key[0] + key[1]))
    if worded / n < 0.5 or (authored + timed) == 0 or (n == 1 and authored + timed < 2):
        return 0.0
    if not named and min(authored, timed) < 0.5 * n:
        return 0.0  # unnamed blocks must show both a name and a time: not teasers, not layout
    quality = (0.2 + authored / n) * (0.2 + timed / n) * (worded / n) * (1 - sidebar / n)
    bonus = 1.5 if named else 1.0
    return math.log2(len(members) + 1) * quality * bonus


def comment_blocks(root: etree._Element) -> list[etree._Element]:
    """The page's comment blocks in document order ([] when there are none)."""
    groups = candidate_groups(root)
    scored = sorted(((score_group(k, v), k) for k, v in groups.items()), reverse=True)
    if not scored or scored[0][0] <= 0.3:
        return []
    best_score, best_key = scored[0]
    best = groups[best_key]
    for score, key in scored[1:]:
        if score >= WRAPPER_SHARE * best_score and _wraps(groups[key], best):
            best = groups[key]  # the whole post, not a cell of it: keeps the nesting too
    return _outermost(best)


def _wraps(outer: Sequence[etree._Element], inner: Sequence[etree._Element]) -> bool:
    """Whether the outer blocks are whole posts and the inner ones parts of them.

    Nearly every inner block sits a few levels down in an outer block, and every
    outer block holds the same number of them (a post's user cell and body cell);
    a varying number means the inner blocks are replies, not parts. One stray
    inner block in ten (a reply form reusing the markup) is allowed.
    """
    if not len(inner) / 3 <= len(outer) <= len(inner) * 1.25 + 1:
        return False  # a few more outer blocks: hidden comments that kept no content
    outer_ids = {id(o) for o in outer}
    if outer_ids & {id(i) for i in inner}:
        return False
    owners = [next((id(a) for a in _limited(node.iterancestors(), 4) if id(a) in outer_ids),
                   None) for node in inner]
    stray = sum(o is None for o in owners)
    per_owner = Counter(o for o in owners if o is not None)
    return (stray <= max(1, len(inner) // 10) and len(set(per_owner.values())) == 1
            and len(per_owner) >= 0.75 * len(outer))


def _outermost(blocks: list[etree._Element]) -> list[etree._Element]:
    """Drop blocks that are the only content of another member (wrappers, not replies)."""
    ids = {id(b) for b in blocks}
    kept = []
    for block in blocks:
        parent = block.getparent()
        if parent is not None and id(parent) in ids and len(parent) == 1:
            continue
        kept.append(block)
    return kept


# ================================================================ step 2: fields

def _hinted(node: etree._Element, pattern: re.Pattern[str]) -> bool:
    marks = " ".join(filter(None, (node.get("class"), node.get("itemprop"), node.get("rel"),
                                   node.get("id"), node.get("data-role"))))
    return bool(marks) and bool(pattern.search(marks))


def _name_text(node: etree._Element, limit: int = 60) -> str | None:
    """A display name from the node's text; None when it reads like a date or a button.

    Names in a marked author element may be long (a pingback's page title).
    """
    text = " ".join(text_of(node).split())
    text = NAME_PREFIX.sub("", text)
    text = NAME_SUFFIX.sub("", text).strip(" :|·-")
    if not text or len(text) > limit or DATE_TEXT.search(text) or text.lower() in NOT_NAMES:
        return None
    return text


def find_author(own: Sequence[etree._Element], words: str,
                block: etree._Element | None = None) -> str | None:
    """The author's display name: an author attribute on the block, plainly marked
    author elements, then looser hints (byline, user), profile links, and last
    "by NAME" in the text."""
    attr = next((block.get(a) for a in AUTHOR_ATTRS if block.get(a)), None) if (
        block is not None) else None
    if attr:
        return attr.strip()
    for pattern in (AUTHOR_STRONG, AUTHOR_HINT):
        for node in own:
            if node.get("itemprop") == "author" or _hinted(node, pattern):
                name = _hinted_name(node)
                if name:
                    return name
    for node in own:
        if node.tag == "a" and PROFILE_LINK.search(node.get("href") or ""):
            name = _name_text(node)
            if name:
                return name
    match = BY_NAME.search(" ".join(words.split()[:40]))
    return match.group(1).strip() if match else None


def _hinted_name(node: etree._Element) -> str | None:
    """The name in an author element: a name child first, else the element's text."""
    for child in select(node, NAME_CHILD):
        name = _name_text(child, limit=160)
        if name:
            return name
    return _name_text(node)


def find_time_node(own: Sequence[etree._Element]) -> etree._Element | None:
    """The element holding the comment's time: <time>, abbr[title], or a hinted one."""
    for node in own:
        if node.tag == "time" or (node.tag == "abbr" and node.get("title")):
            return node
        if TIME_ITEMPROP.search(node.get("itemprop") or ""):
            return node
    for node in own:
        if _hinted(node, TIME_HINT) and 0 < len(text_of(node)) <= 80:
            return node
    return None


TimeParser = Callable[[str], Timestamp | None]


def time_parser(root: etree._Element, reference: datetime | None) -> TimeParser:
    """parse_time bound to the page: its language (dateparser is many times faster
    with one) and its reference time, remembering texts already parsed."""
    lang = (root.get("lang") or root.get("xml:lang") or "").split("-")[0].lower()
    languages = [lang] if re.fullmatch(r"[a-z]{2}", lang) else None
    seen: dict[str, Timestamp | None] = {}

    def parse_one(raw: str) -> Timestamp | None:
        if raw not in seen:
            stamp = quick_time(raw, reference=reference, languages=languages)
            if stamp is None and languages is not None:
                stamp = parse_time(raw, reference=reference)
            seen[raw] = stamp
        return seen[raw]

    return parse_one


def find_time(block: etree._Element, own: Sequence[etree._Element],
              parse_one: TimeParser, members: set[int]) -> Timestamp | None:
    """The comment's time, machine-readable attributes first, then visible text."""
    node = find_time_node(own)
    candidates: list[str] = []
    if node is not None:
        candidates += [v for v in (node.get("datetime"), node.get("title"), node.get("content"),
                                   node.get("data-time"), node.get("data-timestamp")) if v]
        candidates.append(text_of(node))
    match = DATE_TEXT.search(own_text(block, members))
    if match:
        candidates.append(match.group(0))
    for raw in candidates:
        stamp = parse_one(raw.strip())
        if stamp is not None:
            return stamp
    return None


def find_score(own: Sequence[etree._Element]) -> tuple[int | None, str | None]:
    """Score and its label ("points", "likes", "Insightful") from hinted elements,
    else from a small element reading like "39 points"."""
    for node in own:
        if not _hinted(node, SCORE_HINT) or len(node) > 6:
            continue
        text = " ".join(text_of(node).split())
        labelled = SCORE_LABELLED.search(text)
        if labelled:
            return int(labelled.group(1)), labelled.group(2)
        value = int_or_none(text) if len(text) <= 30 else None
        if value is not None:
            word = SCORE_WORD.search(text)
            label = word.group(2) if word and word.group(2) else _score_word(node)
            return value, label.lower() if label else None
    for node in own:
        text = " ".join((node.text or "").split()) if len(node) == 0 else ""
        match = SCORE_PHRASE.match(text)
        if match:
            return int_or_none(match.group(1)), match.group(2).lower()
    return None, None


def _score_word(node: etree._Element) -> str | None:
    hint = SCORE_HINT.search(" ".join(filter(None, (node.get("class"), node.get("id")))))
    return hint.group(0) if hint else None


def find_body(own: Sequence[etree._Element]) -> etree._Element | None:
    """The element holding the comment's words: a hinted body with the most text."""
    bodies = [n for n in own if _hinted(n, BODY_HINT) and n.tag not in ("a", "span", "time")]
    outer = [b for b in bodies if not any(a in bodies for a in b.iterancestors())]
    return max(outer, key=lambda n: len(text_of(n)), default=None)


def block_fields(block: etree._Element, members: set[int],
                 parse_one: TimeParser) -> Fields:
    """Every field of one comment block, from its own content only."""
    own = list(own_elements(block, members))
    author = find_author(own, own_text(block, members), block)
    stamp = find_time(block, own, parse_one, members)
    score, label = find_score(own)
    if score is None:
        score = next((int_or_none(block.get(a)) for a in SCORE_ATTRS if block.get(a)), None)
    body = find_body(own)
    if body is not None:
        text, quotes = body_with_quotes(body, named=True)
    else:
        text, quotes = _text_without(block, members, own), ()
    more = MORE_REPLIES.match(text)
    return Fields(author=author, timestamp=stamp, score=score, score_label=label,
                  text=text, quotes=quotes, deleted=bool(DELETED.search(text[:80])),
                  hidden_count=int(more.group(1)) if more else None)


def _text_without(block: etree._Element, members: set[int],
                  own: Sequence[etree._Element]) -> str:
    """Block text without nested blocks and without the author/time/score header."""
    marked = [n for n in own if _hinted(n, AUTHOR_HINT) or _hinted(n, TIME_HINT)
              or _hinted(n, SCORE_HINT) or n.tag == "time"]
    nested = [n for n in block.iterdescendants() if id(n) in members]
    for node in (*marked, *nested):
        node.set(_MARK, "1")
    try:
        work = copy.deepcopy(block)
    finally:
        for node in (*marked, *nested):
            del node.attrib[_MARK]
    for node in list(work.iterdescendants()):
        if node.get(_MARK) and node.getparent() is not None:
            node.getparent().remove(node)  # type: ignore[union-attr]
    return text_of(work)


# ================================================================ step 3: nesting

def _stack_parents(depths: Sequence[int]) -> tuple[int | None, ...]:
    """Parents from depths in document order (a jump deeper than one level is clamped)."""
    parents: list[int | None] = []
    stack: list[tuple[int, int]] = []  # (depth, index)
    for index, wanted in enumerate(depths):
        depth = min(wanted, (stack[-1][0] + 1) if stack else 1)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        parents.append(stack[-1][1] if stack else None)
        stack.append((depth, index))
    return tuple(parents)


def parents_from_attributes(blocks: Sequence[etree._Element]) -> Nesting | None:
    """data-parent-id style attributes naming another block's id."""
    keys = _block_keys(blocks)
    parents: list[int | None] = []
    found = 0
    for index, block in enumerate(blocks):
        value = next((block.get(a) for a in PARENT_ATTRS if block.get(a)), None)
        target = keys.get(_key(value)) if value else None
        if target is not None and target < index:
            found += 1
        parents.append(target if target is not None and target < index else None)
    return Nesting(tuple(parents), "attributes") if found else None


def parents_from_dom(blocks: Sequence[etree._Element]) -> Nesting | None:
    """The nearest enclosing block is the parent (WordPress, Slashdot, SB Nation)."""
    index = {id(b): i for i, b in enumerate(blocks)}
    parents = tuple(next((index[id(a)] for a in b.iterancestors() if id(a) in index), None)
                    for b in blocks)
    return Nesting(parents, "dom") if any(p is not None for p in parents) else None


def depth_of_classes(block: etree._Element) -> int | None:
    """A depth named by a class ("depth-3") or attribute, on the block or just above it."""
    nodes = [block, *list(_limited(block.iterancestors(), 3))]
    for node in nodes:
        for attr in DEPTH_ATTRS:
            value = node.get(attr)
            if value and value.strip().isdigit():
                return int(value)
        for token in classes(node):
            match = DEPTH_CLASS.match(token)
            if match:
                return int(match.group(1))
    return None


def parents_from_depth_classes(blocks: Sequence[etree._Element]) -> Nesting | None:
    """CSS depth classes or depth attributes (depth-3, level-2, data-depth)."""
    return _from_levels([depth_of_classes(b) for b in blocks], "depth-classes",
                        need_spread=False)


def indent_of(block: etree._Element) -> float | None:
    """Indentation in pixels from styles, spacer cells/images or an indent attribute."""
    total: float | None = None
    first_cells = list(_limited(block.iterchildren("td", "div"), 1))
    for node in [block, *first_cells, *list(_limited(block.iterancestors(), 3))]:
        match = INDENT_STYLE.search(node.get("style") or "")
        if match:
            total = (total or 0.0) + float(match.group(1)) * _UNIT_PX[(match.group(2) or "")
                                                                     .lower()]
    if total is not None:
        return total
    spacer = select_one(block, "td.ind img[width], td > img[src*='s.gif'][width]")
    if spacer is not None:
        return float(int_or_none(spacer.get("width")) or 0)
    cell = select_one(block, "td[width]")
    if block.tag == "tr" and cell is not None and not text_of(cell):
        return float(int_or_none(cell.get("width")) or 0)
    return None


def parents_from_indent(blocks: Sequence[etree._Element]) -> Nesting | None:
    """Indentation steps: the smallest step between distinct indents is one level."""
    indents = [indent_of(b) for b in blocks]
    known = sorted({v for v in indents if v is not None})
    if len(known) < 2:
        return None
    step = min(b - a for a, b in itertools.pairwise(known))
    if step <= 0:
        return None
    levels = [None if v is None else round((v - known[0]) / step) + 1 for v in indents]
    return _from_levels(levels, "indentation", need_spread=True)


def outline_of(block: etree._Element, members: set[int]) -> str | None:
    """The outline number a block prints ("1.2.3", "#1.1"), when it prints one."""
    for node in _limited(own_elements(block, members), 25):
        text = " ".join(text_of(node).split()) if len(node) <= 2 else ""
        match = OUTLINE_LABEL.match(text)
        if match and len(text) <= 16 and _outline_like(match.group(1)):
            return match.group(1)
    lead = OUTLINE_LEAD.match(own_text(block, members)[:40])
    if lead and _outline_like(lead.group(1) or lead.group(2)):
        return lead.group(1) or lead.group(2)
    return None


def _outline_like(label: str) -> bool:
    """Not a date or a version: parts of at most three digits, no year-like part."""
    return all(len(part) <= 3 for part in label.split("."))


def parents_from_outline(blocks: Sequence[etree._Element]) -> Nesting | None:
    """Outline numbers: "2.1" answers "2"; the number's length is the depth.

    Trusted only when most blocks carry a number, some are dotted, and most dotted
    numbers have a numbered ancestor on the page (dates and versions do not).
    """
    members = {id(b) for b in blocks}
    labels = [outline_of(b, members) for b in blocks]
    where = {label: i for i, label in enumerate(labels) if label}
    dotted = [x for x in where if "." in x]
    if len(where) < COVERAGE * len(blocks) or not dotted:
        return None
    if sum(outline_parent(x, where) is not None for x in dotted) < 0.8 * len(dotted):
        return None
    depths = [label.count(".") + 1 if label else None for label in labels]
    stack_based = _from_levels(depths, "outline", need_spread=True)
    parents: list[int | None] = []
    for index, label in enumerate(labels):
        target = outline_parent(label, where) if label else None
        if target is None and stack_based is not None and not label:
            target = stack_based.parents[index]
        parents.append(target if target is not None and target < index else None)
    return Nesting(tuple(parents), "outline")


def outline_parent(label: str, where: dict[str, int]) -> int | None:
    """The block numbered by the longest prefix of label on the page ("2.1.1" answers
    "2.1", or "2" when 2.1 was deleted); None for a top-level number."""
    parts = label.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        found = where.get(".".join(parts[:cut]))
        if found is not None:
            return found
    return None


def parents_from_reply_links(blocks: Sequence[etree._Element]) -> Nesting | None:
    """"In reply to X" links (href="#comment-123") pointing at an earlier block."""
    keys = _block_keys(blocks)
    members = {id(b) for b in blocks}
    parents: list[int | None] = []
    for index, block in enumerate(blocks):
        parents.append(_reply_target(block, members, keys, index))
    return Nesting(tuple(parents), "reply-links") if any(
        p is not None for p in parents) else None


def _reply_target(block: etree._Element, members: set[int], keys: dict[str, int],
                  index: int) -> int | None:
    for node in own_elements(block, members):
        href = node.get("href") or "" if node.tag == "a" else ""
        if "#" not in href:
            continue
        target = keys.get(_key(href.rsplit("#", 1)[1]))
        if target is None or target >= index:
            continue
        context = " ".join(text_of(node.getparent()).split())[:80]
        if REPLY_CONTEXT.search(context) or text_of(node).startswith("@"):
            return target
    return None


def choose_nesting(blocks: Sequence[etree._Element]) -> Nesting:
    """Parent links from the strongest evidence on the page; flat when none."""
    strategies: tuple[Callable[[Sequence[etree._Element]], Nesting | None], ...] = (
        parents_from_attributes, parents_from_dom, parents_from_outline,
        parents_from_depth_classes, parents_from_indent, parents_from_reply_links)
    for strategy in strategies:
        found = strategy(blocks)
        if found is not None:
            return found
    return Nesting(tuple(None for _ in blocks), "flat")


def _from_levels(levels: Sequence[int | None], method: str, *,
                 need_spread: bool) -> Nesting | None:
    known = [v for v in levels if v is not None]
    if not levels or len(known) < COVERAGE * len(levels):
        return None
    if need_spread and len(set(known)) < 2:
        return None
    base = min(known)
    depths: list[int] = []
    for value in levels:
        depths.append((value - base + 1) if value is not None else (depths[-1] if depths else 1))
    return Nesting(_stack_parents(depths), method)


def _limited(items: Iterable[etree._Element], count: int) -> Iterable[etree._Element]:
    for n, item in enumerate(items):
        if n >= count:
            return
        yield item


def _key(value: str | None) -> str:
    """Comparable form of an id: "comment-123", "#c123" and "123" all give "123"."""
    text = (value or "").strip().lstrip("#")
    digits = re.findall(r"\d+", text)
    return digits[-1] if digits else text.lower()


def _block_keys(blocks: Sequence[etree._Element]) -> dict[str, int]:
    """Id keys of every block and of the anchors it holds, to the block's index."""
    keys: dict[str, int] = {}
    for index, block in enumerate(blocks):
        for attr in ("id", "data-id", "data-comment-id", "data-post-id", "name"):
            if block.get(attr):
                keys.setdefault(_key(block.get(attr)), index)
    for index, block in enumerate(blocks):
        prev = block.getprevious()
        if prev is not None and prev.tag == "a" and prev.get("name"):
            keys.setdefault(_key(prev.get("name")), index)
    return keys


# ================================================================ assembly

def comment_ids(blocks: Sequence[etree._Element]) -> list[str]:
    """The site's own ids where unique, else c1, c2, ... in document order."""
    raw = [next((b.get(a) for a in ("id", "data-comment-id", "data-id", "data-post-id")
                 if b.get(a)), None) for b in blocks]
    counts = Counter(raw)
    return [r if r and counts[r] == 1 and r != "article" else f"c{i + 1}"
            for i, r in enumerate(raw)]


def build_comments(blocks: Sequence[etree._Element], nesting: Nesting,
                   parse_one: TimeParser) -> list[Comment]:
    """Comments from blocks, their parent links and the page's time parser."""
    ids = comment_ids(blocks)
    members = {id(b) for b in blocks}
    comments = []
    for index, block in enumerate(blocks):
        fields = block_fields(block, members, parse_one)
        parent = nesting.parents[index]
        path = outline_of(block, members) if nesting.method == "outline" else None
        comments.append(Comment(
            id=ids[index], parent_id=ids[parent] if parent is not None else None, depth=0,
            author=fields.author, score=fields.score, score_label=fields.score_label,
            timestamp=fields.timestamp, text=fields.text, path=path,
            quotes=fields.quotes, deleted=fields.deleted,
            placeholder=fields.hidden_count is not None, hidden_count=fields.hidden_count,
        ))
    return comments


def page_article(root: etree._Element, blocks: Sequence[etree._Element]) -> Article:
    """Title, body, url, time and declared comment count of the page's article."""
    title = _meta(root, "og:title") or text_of(select_one(root, "h1")) or text_of(
        select_one(root, "title"))
    url = _meta(root, "og:url") or _attr(select_one(root, "link[rel=canonical]"), "href")
    published = _meta(root, "article:published_time") or _attr(
        select_one(root, "article time[datetime], time[datetime]"), "datetime")
    published = re.sub(r"^on\s+", "", published)
    return Article(
        title=title or None, body=_article_body(root, blocks), url=url or None,
        author=_meta(root, "author") or None,
        published=parse_time(published, reference=url_date(url)) if published else None,
        declared_comment_count=_declared_count(root),
    )


# Dates in article URLs (/2012/08/09/, Slash code's /story/12/07/24/): the year that
# times such as "Tuesday July 24, @11:35AM" leave out.
URL_DATE = re.compile(r"/((?:19|20)\d{2}|\d{2})/(\d{1,2})/(\d{1,2})/")


def url_date(url: str | None) -> datetime | None:
    """The date a URL's path carries, at the end of that day; None when it has none."""
    match = URL_DATE.search(url or "")
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    try:
        return datetime(year + 2000 if year < 100 else year, month, day, 23, 59)
    except ValueError:
        return None


def _meta(root: etree._Element, name: str) -> str:
    node = select_one(root, f"meta[property='{name}'], meta[name='{name}']")
    return (node.get("content") or "").strip() if node is not None else ""


def _attr(node: etree._Element | None, name: str) -> str:
    return (node.get(name) or "").strip() if node is not None else ""


def _article_body(root: etree._Element, blocks: Sequence[etree._Element]) -> tuple[str, ...]:
    """Paragraphs of the article element that come before the first comment block."""
    container = select_one(root, "article")
    container = select_one(root, "main") if container is None else container
    if container is None:
        return ()
    nodes = list(root.iter())  # held: lxml proxies (and so their ids) live only while referenced
    order = {id(node): n for n, node in enumerate(nodes)}
    first = order.get(id(blocks[0]), len(order)) if blocks else len(order)
    paragraphs = []
    for para in select(container, "p"):
        if order.get(id(para), 0) >= first:
            break
        text = text_of(para)
        if text and not in_sidebar(para):
            paragraphs.append(text)
    return tuple(paragraphs)


DECLARED = re.compile(r"^\s*(\d[\d,.]*)\s+(?:comments?|responses?|replies|thoughts|"
                      r"kommentare|antworten|commentaires|комментари\w*)\b", re.IGNORECASE)


# "Kommentare (7)", "Comments (12)": the count after the word.
DECLARED_AFTER = re.compile(r"^\s*(?:comments?|responses?|replies|kommentare|antworten|"
                            r"commentaires|комментари\w*)\s*[(\[]\s*(\d[\d,.]*)\s*[)\]]",
                            re.IGNORECASE)


def _declared_count(root: etree._Element) -> int | None:
    for node in select(root, "h1, h2, h3, h4, a, span"):
        text = " ".join(text_of(node).split())
        if len(text) <= 60:
            match = DECLARED.match(text) or DECLARED_AFTER.match(text)
            if match:
                return int_or_none(match.group(1))
    return None


def page_reference(article: Article, ctx: ParseContext) -> datetime | None:
    """"Now" for relative times and the year for year-less ones: --now, else the
    article's own date, else the date in its URL."""
    if ctx.now is not None:
        return ctx.now
    if article.published is not None:
        try:
            return datetime.fromisoformat(article.published.iso).replace(tzinfo=None)
        except ValueError:
            pass
    return url_date(article.url)


def detect(doc: Document) -> float:
    """A small confidence for any HTML page: the generic parser reads what others do not."""
    return 0.2 if doc.looks_like_html else 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The page's article and the comment tree found by the generic steps; when the
    markup shows fewer comments than the page's schema.org JSON-LD, the JSON-LD ones."""
    root = doc.html
    blocks = comment_blocks(root)
    article = page_article(root, blocks)
    parse_one = time_parser(root, page_reference(article, ctx))
    comments = build_comments(blocks, choose_nesting(blocks), parse_one)
    linked = jsonld_comments(root, parse_one)
    if len(linked) > len(comments):
        comments = linked
    return [build_thread(article, comments)]


# schema.org types whose objects are comments; "comment" lists hold their replies.
JSONLD_COMMENT_TYPES = frozenset({"Comment", "Answer", "UserComments"})


def jsonld_comments(root: etree._Element, parse_one: TimeParser) -> list[Comment]:
    """Comments declared in <script type="application/ld+json"> (schema.org Comment
    objects, replies nested in their "comment" lists), in document order."""
    found: list[Comment] = []
    for script in select(root, "script[type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue  # a broken block of metadata is no reason to fail the page
        stack: list[tuple[object, str | None]] = [(data, None)]
        while stack:
            item, parent = stack.pop()
            if isinstance(item, list):
                stack.extend((x, parent) for x in reversed(item))
            elif isinstance(item, dict):
                stack.extend(_jsonld_visit(item, parent, found, parse_one))
    return found


def _jsonld_visit(item: dict[str, object], parent: str | None, found: list[Comment],
                  parse_one: TimeParser) -> list[tuple[object, str | None]]:
    """Record item when it is a comment; return its children to visit."""
    kinds = item.get("@type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    if not kinds & JSONLD_COMMENT_TYPES:
        return [(v, parent) for v in reversed(list(item.values())) if isinstance(v, dict | list)]
    cid = str(item.get("@id") or item.get("url") or f"ld{len(found) + 1}")
    if any(c.id == cid for c in found):
        cid = f"ld{len(found) + 1}"
    author = item.get("author")
    name = author.get("name") if isinstance(author, dict) else author
    when = item.get("dateCreated") or item.get("datePublished")
    found.append(Comment(
        id=cid, parent_id=parent, depth=0,
        author=str(name) if isinstance(name, str) and name else None,
        timestamp=parse_one(when) if isinstance(when, str) else None,
        score=int_or_none(str(item.get("upvoteCount"))) if "upvoteCount" in item else None,
        score_label="upvotes" if "upvoteCount" in item else None,
        text=str(item.get("text") or ""),
    ))
    replies = item.get("comment")
    return [(replies, cid)] if isinstance(replies, dict | list) else []


FAMILY = SiteFamily(
    name="generic",
    description="Any HTML page: repeated comment blocks, nesting from DOM, depth classes, "
                "indentation, outline numbers or reply links",
    detect=detect,
    parse=parse,
    fallback=True,
)
