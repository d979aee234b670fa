"""The seed plain-text format: a copied Military Review (topwar) page.

The article comes first; then "N comments", two lines of page chrome, and the
comments as an indented outline::

      2. -5
        24 January 2022 10: 15
        text...
        1. 123
          +2
          24 January 2022 17: 23
          text...

A comment header is an outline marker ("1.") whose following lines, before a
time line, hold the author and/or the signed score. Nesting comes from the
marker's indentation; the outline path ("2.1") is the comment's id. Smileys
were images whose alt words ("laughing") stay in the copied text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

from threadscope.dates import parse_time
from threadscope.document import Document
from threadscope.emoticons import smiley_words
from threadscope.model import Article, Comment, Thread, Timestamp, build_thread
from threadscope.sites import ParseContext, SiteFamily
from threadscope.sites.plaintext import has_comment_layout
from threadscope.textarticle import COMMENT_COUNT, extract_article

# "  2. -5": an outline marker; the rest of the line may hold author and/or score.
MARKER = re.compile(r"^(?P<indent>[ \t]*)(?P<num>\d{1,4})\.(?:\s+(?P<rest>.*?))?\s*$")
# "24 January 2022 09: 43": the site prints a space after the colon when copied.
TIME_LINE = re.compile(r"^\s*(?P<time>\d{1,2}\s+[^\W\d_]+\s+\d{4},?\s+\d{1,2}:\s?\d{2})\s*$")
TIME_FORMAT = "%d %B %Y %H:%M"
# Author and score sit on at most this many lines between marker and time.
MAX_HEADER_LINES = 3
# A signed score ("+2", "-5", "−1" with a Unicode minus); "0" is a score too.
SIGNED_SCORE = re.compile(r"^[+\-−–]\d+$")
# "name -3": a username and a signed score on one line.
NAME_AND_SCORE = re.compile(r"^(?P<name>.+?)\s+(?P<score>[+\-−–]\d+)$")
# Page chrome between the comment count and the first comment: the sidebar
# heading and the sign-in notice shown to anonymous readers.
CHROME_LINES: frozenset[str] = frozenset({
    "Information",
    "Dear reader, to leave comments on the publication, you must sign in.",
})
CHROME_PREFIXES = ("Dear reader, to leave comments",)


@dataclass(frozen=True, slots=True)
class _Header:
    """A comment header found in the text: where it is and what it says."""

    line: int
    body_start: int
    indent: int
    number: str
    fields: tuple[str, ...]
    time: str


def detect(doc: Document) -> float:
    """Claim plain-text pages with seed comment headers, or comment-less seed articles."""
    if doc.looks_like_html or doc.looks_like_json or doc.looks_like_xml:
        return 0.0
    text = doc.text
    if has_comment_layout(text):
        return 0.0
    lines = text.splitlines()
    if _find_headers(lines, limit=1) or any(
        line.strip().startswith(CHROME_PREFIXES) for line in lines):
        return 0.95
    return 0.55 if _looks_like_prose(text) else 0.0


def parse(doc: Document, ctx: ParseContext) -> list[Thread]:
    """The article and the outline-numbered comment tree."""
    lines = doc.text.splitlines()
    headers = _find_headers(lines)
    section, declared = _comment_section(lines, headers)
    article = extract_article("\n".join(lines[:section]), reference=ctx.now)
    if declared is not None:
        article = _with_count(article, declared)
    comments = _comments(lines, headers)
    return [build_thread(article, comments)]


def _looks_like_prose(text: str) -> bool:
    """A copied article: several lines of sentences, not data."""
    sentences = sum(1 for line in text.splitlines()
                    if len(line.split()) >= 8 and line.rstrip()[-1:] in ".!?\"”")
    return sentences >= 2


def _find_headers(lines: list[str], limit: int | None = None) -> list[_Header]:
    found: list[_Header] = []
    for i, line in enumerate(lines):
        match = MARKER.match(line)
        if match is None:
            continue
        header = _header_at(lines, i, match)
        if header is not None:
            found.append(header)
            if limit is not None and len(found) >= limit:
                break
    return found


def _header_at(lines: list[str], i: int, match: re.Match[str]) -> _Header | None:
    fields = [match.group("rest")] if match.group("rest") else []
    for j in range(i + 1, min(i + 2 + MAX_HEADER_LINES, len(lines))):
        time_match = TIME_LINE.match(lines[j])
        if time_match:
            indent = len(match.group("indent").expandtabs(4))
            return _Header(i, j + 1, indent, match.group("num"), tuple(fields),
                           time_match.group("time"))
        candidate = lines[j].strip()
        if not candidate or MARKER.match(lines[j]):
            return None
        fields.append(candidate)
    return None


def _comment_section(lines: list[str], headers: list[_Header]) -> tuple[int, int | None]:
    """Index where the comment section starts, and the declared count."""
    end = headers[0].line if headers else len(lines)
    for i in range(end):
        match = COMMENT_COUNT.match(lines[i].strip())
        if match and _only_chrome_between(lines, i + 1, end):
            return i, int(match.group("count").replace(",", ""))
    first_chrome = next((i for i in range(end) if _is_chrome(lines[i])), end)
    return first_chrome, None


def _only_chrome_between(lines: list[str], start: int, end: int) -> bool:
    return all(not line.strip() or _is_chrome(line) for line in lines[start:end])


def _is_chrome(line: str) -> bool:
    stripped = line.strip()
    return stripped in CHROME_LINES or stripped.startswith(CHROME_PREFIXES)


def _with_count(article: Article, declared: int) -> Article:
    return replace(article, declared_comment_count=declared)


def _comments(lines: list[str], headers: list[_Header]) -> list[Comment]:
    comments: list[Comment] = []
    stack: list[tuple[int, str]] = []  # (indent, path) of the open ancestors
    taken: set[str] = set()
    for k, header in enumerate(headers):
        while stack and stack[-1][0] >= header.indent:
            stack.pop()
        parent = stack[-1][1] if stack else None
        path = _unique(f"{parent}.{header.number}" if parent else header.number, taken)
        taken.add(path)
        end = headers[k + 1].line if k + 1 < len(headers) else len(lines)
        comments.append(_comment(header, path, parent, lines[header.body_start:end]))
        stack.append((header.indent, path))
    return comments


def _unique(path: str, taken: set[str]) -> str:
    """A repeated outline number (a copy error) gets a suffix, not a tree error."""
    candidate, n = path, 1
    while candidate in taken:
        n += 1
        candidate = f"{path}~{n}"
    return candidate


def _comment(header: _Header, path: str, parent: str | None, body: list[str]) -> Comment:
    author, score = author_and_score(header.fields)
    text = _text(body)
    return Comment(
        id=path, parent_id=parent, depth=0, path=path, author=author, score=score,
        timestamp=_timestamp(header.time), text=text, emoticons=smiley_words(text),
    )


def author_and_score(fields: tuple[str, ...]) -> tuple[str | None, int | None]:
    """Split header fields into (author, score) by the seed format's rules.

    A signed number or "0" is a score; an unsigned number followed by a score
    is a username ("123" then "+2"); any other text is the username, possibly
    with a signed score after it ("name -3").
    """
    author: str | None = None
    score: int | None = None
    for i, field in enumerate(fields):
        if SIGNED_SCORE.match(field) or field == "0":
            score = _score(field)
        elif field.isdigit():
            if any(SIGNED_SCORE.match(f) or f == "0" for f in fields[i + 1:]):
                author = field
            else:
                score = int(field)
        elif (match := NAME_AND_SCORE.match(field)) is not None:
            author, score = match.group("name"), _score(match.group("score"))
        else:
            author = field
    return author, score


def _score(text: str) -> int:
    return int(text.replace("−", "-").replace("–", "-"))


def _timestamp(raw: str) -> Timestamp | None:
    cleaned = " ".join(raw.replace(",", " ").replace(": ", ":").split())
    try:
        moment = datetime.strptime(cleaned, TIME_FORMAT)
    except ValueError:
        return parse_time(raw)
    return Timestamp(iso=moment.isoformat(timespec="minutes"), precision="minute", raw=raw)


def _text(body: list[str]) -> str:
    out: list[str] = []
    for line in body:
        stripped = line.strip()
        if stripped or (out and out[-1]):
            out.append(stripped)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


FAMILY = SiteFamily(
    name="seedtext",
    description="Copied Military Review pages: outline-numbered comments, signed scores",
    detect=detect,
    parse=parse,
    formats=("text",),
    examples=("fixtures/001_42a6ee7e45e40515.txt",),
)
