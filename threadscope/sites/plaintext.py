"""General plain-text copies of comment sections: header or footer lines, indentation.

People copy a page's comment section as text. Each comment keeps one line
naming its author and time, in one of the layouts below, either *above* its
text (Slashdot, Movable Type) or *below* it (SB Nation). Which one a page uses
is read from the text: text before the first author line means footers.
Nesting is the author line's indentation, or an outline number before it
("2.1. Name | date"). Hidden comments are usually not copied at all; their
visible replies then hang under the nearest shallower comment.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.emoticons import ascii_smileys
from threadscope.model import Comment, QuoteSegment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.textarticle import HAS_YEAR, extract_article, fast_time, is_furniture

# The line the dragnet gold copies put between article and comments; one copy
# lost its leading "!@", so the exclamation and at-sign are optional.
SEPARATOR = re.compile(r"^\s*(?:!?@?)#\$%\^&\*\(\)\s+COMMENTS\s*$")
# An outline number before a header ("2.1.", "#1.1", "3)").
OUTLINE = re.compile(r"^#?(?P<path>\d{1,4}(?:\.\d{1,4})*)[.)]?\s+(?P<rest>\S.*)$")
# A date-like field: a clock time or a four-digit year.
DATE_LIKE = re.compile(r"\d{1,2}:\d{2}|\b(?:19|20)\d{2}\b")
# Slashdot: "by NAME (UID) [*] [on DATE (#ID)] [Homepage|Journal]".
BY_UID = re.compile(
    r"^by\s+(?P<author>\S.*?)\s+\((?P<uid>\d+)\)(?:\s*\*)?(?:\s+<[^>]*>)?"
    r"(?:\s+on\s+(?P<date>.+?))?(?:\s+\(#(?P<id>\d+)\))?(?:\s+(?:Homepage|Journal))*\s*$")
# SB Nation, Slashdot's anonymous posts, blogs: "by NAME on DATE [(#ID)]", then
# SB Nation's "via mobile", its "up" link (to the parent: replies only) and the
# recs count ("up 3").
BY_ON = re.compile(
    r"^by\s+(?P<author>\S.*?)\s+on\s+(?P<date>\S.*?)(?:\s+\(#(?P<id>\d+)\))?"
    r"(?:\s+via\s+\w+(?:\s+app)?)?(?P<links>(?:\s+(?:up|reply|flag|Homepage|Journal))*)"
    r"(?:\s+(?P<score>\d+)(?:\s+recs?)?)?\s*$", re.IGNORECASE)
# Movable Type and many blogs: "Name | November 9, 2012 12:13 AM | Reply".
PIPE = re.compile(
    r"^(?P<author>[^|\s][^|]{0,79}?)\s+\|\s+(?P<date>[^|]*\d[^|]*?)\s*\|\s*"
    r"(?:reply|permalink|link)?\s*$", re.IGNORECASE)
# WordPress and many blogs copy as two lines: "Name says:" then the date line
# ("March 3, 2011 at 2:17 pm"); German, French and past-tense variants too.
SAYS = re.compile(r"^(?P<author>\S.{0,60}?)\s+(?:says|said|wrote|sagt|schreibt|dit)\s*:?\s*$",
                  re.IGNORECASE)
# The date line under a "says:" line: short and date-like.
DATE_LINE_MAX_WORDS = 10
# Links a copy keeps at the end of a comment: not the commenter's words.
COMMENT_FURNITURE = re.compile(
    r"^(?:reply|reply ↓|antworten|répondre|log in to reply|report|report comment|like|"
    r"permalink|share|\d+ likes?)$", re.IGNORECASE)
# "by Anonymous Coward" alone: a bare byline, trusted only on pages whose other
# headers are "by" lines, and only when short and unpunctuated like a name.
BY_ALONE = re.compile(r"^by\s+(?P<author>[^\s(][^.!?,;:]{0,40})$")
BARE_NAME_MAX_WORDS = 4
# Movable Type prints "Name replied to comment from Other | date |" on a flat
# list: the reply's parent is Other's latest earlier comment (the HTML links
# the exact comment; the copy keeps only the name).
REPLIED_TO = re.compile(r"^(?P<author>.+?)\s+replied to comment from\s+(?P<target>.+)$")
# Widest indentation step taken as one reply level (wider steps skip levels).
MAX_INDENT_UNIT = 8
# Extra indentation that marks a quoted block inside a comment (SB Nation
# blockquotes and embedded tweets are copied indented by four spaces).
QUOTE_INDENT = 4
# Layouts whose strong headers make a page this family's.
MIN_HEADERS = 2


@dataclass(frozen=True, slots=True)
class _Header:
    line: int
    indent: int
    author: str | None
    date: str | None
    site_id: str | None
    outline: str | None
    score: int | None = None
    reply_to: str | None = None
    up_link: bool = False
    body_start: int | None = None  # first body line, when the header spans two lines


def has_comment_layout(text: str) -> bool:
    """True when the text shows a copied comment section this family reads."""
    count = 0
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if SEPARATOR.match(line):
            return True
        if _strong_header(line.strip()) is not None or _says_header(lines, i) is not None:
            count += 1
            if count >= MIN_HEADERS:
                return True
    return False


def detect(doc: Document) -> float:
    """Claim plain text with a comment separator or repeated author/date lines."""
    if doc.looks_like_html or doc.looks_like_json or doc.looks_like_xml:
        return 0.0
    return 0.85 if has_comment_layout(doc.text) else 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The article and the comments of a plain-text page copy."""
    lines = doc.text.splitlines()
    start, headers = _section(lines)
    reference = ctx.now
    article = extract_article("\n".join(lines[:start]), reference=reference)
    comments = _comments(lines, start, headers, reference)
    return [build_thread(article, comments)]


def _section(lines: list[str]) -> tuple[int, list[_Header]]:
    """Where the comment section starts, and its header lines."""
    sep = next((i for i, line in enumerate(lines) if SEPARATOR.match(line)), None)
    first = 0 if sep is None else sep + 1
    headers = _headers(lines, first)
    if sep is not None:
        return sep, headers
    return (headers[0].line if headers else len(lines)), headers


def _headers(lines: list[str], first: int) -> list[_Header]:
    found: list[_Header] = []
    by_lines = 0
    for i in range(first, len(lines)):
        header = _header_at(lines[i], i, allow_bare=False) or _says_header(lines, i)
        if header is not None:
            found.append(header)
            by_lines += lines[i].lstrip().lower().startswith("by ")
    if by_lines < MIN_HEADERS:
        return found
    known = {h.line for h in found}
    bare = [h for i in range(first, len(lines)) if i not in known
            if (h := _header_at(lines[i], i, allow_bare=True)) is not None]
    return sorted(found + bare, key=lambda h: h.line)


def _header_at(raw: str, i: int, *, allow_bare: bool) -> _Header | None:
    expanded = raw.expandtabs(8)
    stripped = expanded.strip()
    outline = None
    numbered = OUTLINE.match(stripped)
    if numbered and _strong_header(numbered.group("rest")) is not None:
        outline, stripped = numbered.group("path"), numbered.group("rest")
    match = _strong_header(stripped)
    if match is None and allow_bare:
        match = BY_ALONE.match(stripped)
        if match and len(match.group("author").split()) > BARE_NAME_MAX_WORDS:
            match = None
    if match is None:
        return None
    groups = match.groupdict()
    indent = len(expanded) - len(expanded.lstrip())
    author = groups["author"].strip()
    replied = REPLIED_TO.match(author)
    reply_to = None
    if replied:
        author, reply_to = replied.group("author"), replied.group("target").strip()
    score = groups.get("score")
    up_link = "up" in (groups.get("links") or "").lower().split()
    return _Header(i, indent, author or None, groups.get("date"), groups.get("id"), outline,
                   int(score) if score else None, reply_to, up_link)


def _says_header(lines: list[str], i: int) -> _Header | None:
    """A two-line header: "Name says:" with a date line right under it."""
    match = SAYS.match(lines[i].strip())
    if match is None:
        return None
    j = i + 1
    while j < len(lines) and j <= i + 2 and not lines[j].strip():
        j += 1
    date = lines[j].strip() if j < len(lines) else ""
    if not DATE_LIKE.search(date) or len(date.split()) > DATE_LINE_MAX_WORDS:
        return None
    expanded = lines[i].expandtabs(8)
    indent = len(expanded) - len(expanded.lstrip())
    return _Header(i, indent, match.group("author").strip(), date, None, None, body_start=j + 1)


def _strong_header(line: str) -> re.Match[str] | None:
    for pattern in (BY_UID, BY_ON, PIPE):
        match = pattern.match(line)
        if match and (pattern is BY_UID or DATE_LIKE.search(match.group("date") or "")):
            return match
    return None


def _footer_layout(lines: list[str], start: int, headers: list[_Header]) -> bool:
    """Text between the section start and the first author line: footers."""
    if not headers:
        return False
    between = lines[start + 1:headers[0].line] if start < headers[0].line else []
    return any(line.strip() and not SEPARATOR.match(line) and not is_furniture(line)
               for line in between)


def _bodies(lines: list[str], start: int, headers: list[_Header]) -> list[list[str]]:
    if not headers:
        return []
    if _footer_layout(lines, start, headers):
        bounds = [start, *(h.line for h in headers)]
        return [lines[bounds[k] + 1:bounds[k + 1]] for k in range(len(headers))]
    ends = [*(h.line for h in headers[1:]), len(lines)]
    return [lines[(h.body_start or h.line + 1):end] for h, end in zip(headers, ends, strict=True)]


def _comments(
    lines: list[str], start: int, headers: list[_Header], reference: datetime | None
) -> list[Comment]:
    bodies = _bodies(lines, start, headers)
    nest = _Nesting(_indent_unit(headers), min((h.indent for h in headers), default=0))
    comments: list[Comment] = []
    said: dict[str, list[tuple[str, str | None]]] = {}  # author -> [(id, replied to)]
    marks_replies = _marks_replies(headers)
    root: str | None = None
    for k, (header, body) in enumerate(zip(headers, bodies, strict=True)):
        parent, hidden = nest.place(header, header.site_id or f"t{k + 1}")
        comments.extend(hidden)
        if marks_replies and parent is None:
            parent = root if header.up_link else None
            root = root if header.up_link else nest.last_id
        if header.reply_to and header.reply_to in said:
            parent = _named_parent(said[header.reply_to], header.author)
        if header.author:
            said.setdefault(header.author, []).append((nest.last_id, header.reply_to))
        text = _text(body)
        comments.append(Comment(
            quotes=indented_quotes(body),
            id=nest.last_id, parent_id=parent, depth=0, path=header.outline,
            author=header.author, score=header.score,
            score_label="recs" if header.score is not None else None,
            timestamp=_timestamp(header.date, reference), text=text,
            emoticons=ascii_smileys(text)))
    return comments


def _marks_replies(headers: list[_Header]) -> bool:
    """A flat copy whose footers carry an "up" link on replies only (SB Nation).

    The copy loses which comment a reply answers, but the page prints comments
    in thread order, so every reply belongs to the latest top-level comment:
    hanging it there is never a false ancestry, only a shallower depth.
    """
    ups = sum(h.up_link for h in headers)
    return 0 < ups < len(headers)


def _named_parent(earlier: list[tuple[str, str | None]], author: str | None) -> str:
    """The named person's comment a "replied to comment from NAME" reply answers.

    Their latest comment that itself answered this reply's author (a running
    exchange), else their latest comment.
    """
    for cid, replied_to in reversed(earlier):
        if author is not None and replied_to == author:
            return cid
    return earlier[-1][0]


def _indent_unit(headers: list[_Header]) -> int:
    """The indentation one reply level adds: the commonest gap between used indents.

    Gaps between the distinct indentation levels (not between neighbours), so a
    page whose only deep reply skips a level still shows the true unit, and a
    stray odd indent cannot outvote the regular gaps.
    """
    levels = sorted({h.indent for h in headers})
    gaps = Counter(b - a for a, b in pairwise(levels))
    if not gaps:
        return MAX_INDENT_UNIT
    best = max(gaps.values())
    return min([g for g, n in gaps.items() if n == best] + [MAX_INDENT_UNIT])


class _Nesting:
    """Parents from outline numbers or indentation, with placeholders for skipped levels.

    A reply indented two levels below the comment before it answers a comment
    the copy left out (Slashdot hides low-scored ones): a placeholder stands
    in for each missing level so depths stay true.
    """

    def __init__(self, unit: int, base: int) -> None:
        self.unit = unit
        self.base = base
        self.stack: list[tuple[int, str]] = []
        self.by_outline: dict[str, str] = {}
        self.taken: set[str] = set()
        self.last_id = ""

    def place(self, header: _Header, wanted: str) -> tuple[str | None, list[Comment]]:
        """Register a header; return its parent id and any placeholders to add first."""
        hidden: list[Comment] = []
        parent = self._outline_parent(header)
        if parent is None:
            while self.stack and self.stack[-1][0] >= header.indent:
                self.stack.pop()
            parent, hidden = self._fill_gap(header.indent)
        self.last_id = self._unique(wanted)
        self.stack.append((header.indent, self.last_id))
        if header.outline:
            self.by_outline[header.outline] = self.last_id
        return parent, hidden

    def _outline_parent(self, header: _Header) -> str | None:
        if header.outline and "." in header.outline:
            return self.by_outline.get(header.outline.rsplit(".", 1)[0])
        return None

    def _fill_gap(self, indent: int) -> tuple[str | None, list[Comment]]:
        top_indent = self.stack[-1][0] if self.stack else self.base - self.unit
        parent = self.stack[-1][1] if self.stack else None
        hidden: list[Comment] = []
        level = top_indent + self.unit
        while indent - level >= self.unit:
            cid = self._unique(f"hidden-{len(self.taken) + 1}")
            hidden.append(Comment(id=cid, parent_id=parent, depth=0, placeholder=True))
            self.stack.append((level, cid))
            parent, level = cid, level + self.unit
        return parent, hidden

    def _unique(self, cid: str) -> str:
        candidate, n = cid, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{cid}~{n}"
        self.taken.add(candidate)
        return candidate


def _timestamp(raw: str | None, reference: datetime | None) -> Timestamp | None:
    """The header's time; None when it has no year (one would be invented)."""
    if not raw or not HAS_YEAR.search(raw):
        return None
    return fast_time(raw) or parse_time(raw, reference=reference)


def indented_quotes(body: list[str]) -> tuple[QuoteSegment, ...]:
    """Blocks indented deeper than the comment's own lines: copied blockquotes.

    Each becomes an explicit quote with an unknown source (quotes.py links it
    when the quoted text is on the page); the lines under it are its answer.
    """
    indents = [_indent(line) for line in body if line.strip()]
    if not indents:
        return ()
    base = min(indents)
    segments: list[QuoteSegment] = []
    quote: list[str] = []
    answer: list[str] = []
    for line in body:
        if not line.strip():
            continue
        if _indent(line) >= base + QUOTE_INDENT:
            if answer:
                segments.append(_explicit(quote, answer))
                quote, answer = [], []
            quote.append(line.strip())
        elif quote:
            answer.append(line.strip())
    if quote:
        segments.append(_explicit(quote, answer))
    return tuple(segments)


def _explicit(quote: list[str], answer: list[str]) -> QuoteSegment:
    return QuoteSegment(text="\n".join(quote), source_id=None, answer="\n".join(answer),
                        kind="explicit")


def _indent(line: str) -> int:
    expanded = line.expandtabs(8)
    return len(expanded) - len(expanded.lstrip())


def _text(body: list[str]) -> str:
    out: list[str] = []
    for line in body:
        stripped = line.strip()
        if stripped or (out and out[-1]):
            out.append(stripped)
    while out and (not out[-1] or COMMENT_FURNITURE.match(out[-1])):
        out.pop()
    return "\n".join(out)


FAMILY = SiteFamily(
    name="plaintext",
    description="Plain-text copies of comment sections: 'by NAME on DATE', 'Name | date |'",
    detect=detect,
    parse=parse,
    formats=("text",),
)
