"""The article in a plain-text page copy: title, body paragraphs, byline, date, count.

A copied page holds the article between page furniture: breadcrumbs above the
title, share buttons, comment forms, sponsor slots, visit counters, author
boxes and teasers for other articles below it. The patterns below name that
furniture; each says why it is not body text. Paragraphs are runs of
non-blank lines; furniture is removed line by line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from threadscope.dates import parse_time
from threadscope.model import Article, TimePrecision, Timestamp

# "HomeWorldRussian Federation plans to...": a breadcrumb trail copied with its
# links glued together ("Home" + section + truncated title), or separated by › / » / >.
BREADCRUMB = re.compile(r"^Home(?:[A-Z]|\s*[›»>/|])")
# "by NAME on DATE", "By Roger Ebert on November 8, 2012 11:04 PM",
# "Posted by Unknown Lamer on Tuesday July 24, @07:29AM"; NAME may be empty
# ("by on April 11, 2021") when the page printed the author as a link image.
BYLINE = re.compile(r"^(?:posted\s+)?by\s*(?P<author>.*?)\s*\bon\s+(?P<date>.*\d.*)$",
                    re.IGNORECASE)
# A byline date without a year would make dateparser invent the current year.
HAS_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
# "7 comments", "334 comments": the page's own comment count.
COMMENT_COUNT = re.compile(r"^(?P<count>\d[\d,]*)\s+comments?$", re.IGNORECASE)

# Lines that end the article: what follows them is comment forms, author boxes,
# counters and teasers for other articles, never body.
TRAILER_START: tuple[re.Pattern[str], ...] = (
    # WordPress "Post Views Counter" plugin, printed under the post.
    re.compile(r"^\(Visited \d+ times?, \d+ visits? today\)$", re.IGNORECASE),
    # Comment forms (WordPress, Newspaper theme, Facebook comments plugin).
    re.compile(r"^leave a reply(?: with facebook)?$", re.IGNORECASE),
    re.compile(r"^please enter your (?:comment|name|email)", re.IGNORECASE),
    re.compile(r"^powered by facebook comments$", re.IGNORECASE),
    re.compile(r"^you must be (?:logged|signed) in to post a comment", re.IGNORECASE),
    # Author boxes: "Post by" and "has written 200 articles."
    re.compile(r"^post(?:ed)? by$", re.IGNORECASE),
    re.compile(r"\bhas written \d+ articles?\b", re.IGNORECASE),
    # Teaser blocks for other articles.
    re.compile(r"^(?:you may (?:also )?enjoy these related posts|related(?: posts| articles"
               r"| stories)?|most popular|read now|read more|more from author|recommended"
               r"|previous post|next post)\s*:?$", re.IGNORECASE),
)

# Lines dropped wherever they stand: furniture that can sit inside the article.
SKIP_LINE: tuple[re.Pattern[str], ...] = (
    # Sponsor slots ("- A word from our sponsors -", "Advertisement").
    re.compile(r"^[-–—\s]*(?:a word from our sponsors|advertisement|sponsored(?: content)?)"
               r"[-–—\s]*$", re.IGNORECASE),
    # Channel promotions ("Subscribe to our channels https://t.me/...").
    re.compile(r"\bsubscribe to our (?:channel|newsletter|telegram)", re.IGNORECASE),
    # Source and photo credits ("Source: korrespondent", "Photo: Mil.ru.").
    re.compile(r"^(?:source|photo|image|credit)s?\s*:\s*\S.{0,60}$", re.IGNORECASE),
    # Agency photo captions ending in a credit: "(YURI KADOBNOV/AFP via Getty Images)".
    re.compile(r"(?:photo credit|getty images|/ ?afp\b|\bafp photo\b|reuters/)",
               re.IGNORECASE),
    # Share rows.
    re.compile(r"^(?:share(?: this)?|share on \w+|tweet|email|print)\s*:?$", re.IGNORECASE),
    # Slashdot's joke department line under the byline ("from the 3d-printers dept.").
    re.compile(r"^from the [\w-]+ dept\.?$", re.IGNORECASE),
    # A lone number under the title: the page's comment or view counter icon.
    re.compile(r"^\d{1,6}$"),
)

# Stray CSS rules copied from inline <style> blocks:
# ".in_text_content_22 {width: 300px; }", "@Media (min-width: 600px) {...}".
CSS_RULE = re.compile(
    r"(?:@[\w-]+\s*(?:\([^)]*\))?|[.#][\w-]+|\b[\w-]+(?=\s*\{))\s*\{[^{}]*\}")

# Time layouts read without dateparser (slow to load, slower on zone names):
# "November 9, 2012 12:13 AM", "Aug 9, 2012 10:15 AM EDT", "April 11, 2021".
FAST_TIME_FORMATS: tuple[tuple[str, TimePrecision], ...] = (
    ("%B %d, %Y %I:%M %p", "minute"), ("%b %d, %Y %I:%M %p", "minute"),
    ("%B %d, %Y", "day"), ("%b %d, %Y", "day"),
)
# North American zone names as the sites of the dragnet era print them.
ZONE_OFFSETS: dict[str, str] = {
    "EST": "-05:00", "EDT": "-04:00", "CST": "-06:00", "CDT": "-05:00",
    "MST": "-07:00", "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00",
    "UTC": "+00:00", "GMT": "+00:00",
}

# A heading: short and without closing punctuation. A heading-like line at the
# end of the body that page furniture follows is a teaser link to another article.
HEADING_MAX_WORDS = 14
_CLOSING = ".!?:;\"”»)…'’"


@dataclass(frozen=True, slots=True)
class _Line:
    text: str
    paragraph: int


def extract_article(
    text: str,
    *,
    reference: datetime | None = None,
    declared_comment_count: int | None = None,
) -> Article:
    """The article in the text of a copied page (the part before its comments).

    Args:
        text: The article part of the page as plain text.
        reference: Reference time for relative byline dates.
        declared_comment_count: The count when the caller found it elsewhere.

    Returns:
        An Article with title, body paragraphs, author, published time and the
        page's declared comment count when it prints one.
    """
    lines = _content_lines(text)
    title, rest = _title(lines)
    author, published, rest = _byline(rest, reference)
    count, rest = _comment_count(rest)
    body = _body(rest, title)
    return Article(
        title=title,
        body=body,
        author=author,
        published=published,
        declared_comment_count=declared_comment_count if count is None else count,
    )


def strip_css(line: str) -> str:
    """The line with stray CSS rules removed (nested @media blocks included)."""
    previous = None
    while previous != line:
        previous, line = line, CSS_RULE.sub("", line)
    return " ".join(line.split())


def is_furniture(line: str) -> bool:
    """True for a line that is page furniture wherever it stands."""
    stripped = line.strip()
    return any(p.search(stripped) for p in SKIP_LINE) or any(
        p.search(stripped) for p in TRAILER_START)


def fast_time(raw: str) -> Timestamp | None:
    """Common English page times without dateparser; None when the layout differs.

    A zone name the page prints ("EDT") becomes its offset; none is invented.
    """
    words = raw.replace(",", ", ").split()
    offset = ZONE_OFFSETS.get(words[-1].upper(), "") if words else ""
    cleaned = " ".join(words[:-1] if offset else words).replace(" ,", ",")
    for layout, precision in FAST_TIME_FORMATS:
        try:
            moment = datetime.strptime(cleaned, layout)
        except ValueError:
            continue
        if precision == "day":
            return Timestamp(iso=moment.date().isoformat(), precision="day", raw=raw)
        return Timestamp(iso=moment.isoformat(timespec="minutes") + offset,
                         precision="minute", raw=raw)
    return None


def _content_lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    paragraph = 0
    for raw in text.splitlines():
        line = strip_css(raw.strip())
        if not line:
            paragraph += 1
            continue
        out.append(_Line(line, paragraph))
    return out


def _title(lines: list[_Line]) -> tuple[str | None, list[_Line]]:
    rest = list(lines)
    while rest and BREADCRUMB.match(rest[0].text):
        rest.pop(0)
    if not rest:
        return None, rest
    return rest[0].text, rest[1:]


def _byline(
    lines: list[_Line], reference: datetime | None
) -> tuple[str | None, Timestamp | None, list[_Line]]:
    for i, line in enumerate(lines[:4]):
        match = BYLINE.match(line.text)
        if match is None:
            continue
        author = match.group("author").strip() or None
        raw_date = match.group("date").strip()
        published = (fast_time(raw_date) or parse_time(raw_date, reference=reference)
                     ) if HAS_YEAR.search(raw_date) else None
        return author, published, lines[:i] + lines[i + 1:]
    return None, None, lines


def _comment_count(lines: list[_Line]) -> tuple[int | None, list[_Line]]:
    for i, line in enumerate(lines[:6]):
        match = COMMENT_COUNT.match(line.text)
        if match:
            return int(match.group("count").replace(",", "")), lines[:i] + lines[i + 1:]
    return None, lines


def _body(lines: Sequence[_Line], title: str | None) -> tuple[str, ...]:
    kept: list[_Line] = []
    furniture_after = False
    for line in lines:
        if any(p.search(line.text) for p in TRAILER_START):
            furniture_after = True
            break
        if any(p.search(line.text) for p in SKIP_LINE):
            furniture_after = bool(kept)
            continue
        if title is not None and not kept and _same_text(line.text, title):
            continue  # the title printed twice (page header and article header)
        kept.append(line)
        furniture_after = False
    if furniture_after:
        kept = _drop_trailing_teasers(kept)
    return _paragraphs(kept)


def _drop_trailing_teasers(lines: list[_Line]) -> list[_Line]:
    """Drop heading-like lines at the very end: teaser links among the furniture."""
    while len(lines) > 1 and _heading_like(lines[-1].text):
        lines = lines[:-1]
    return lines


def _heading_like(text: str) -> bool:
    return len(text.split()) <= HEADING_MAX_WORDS and text[-1] not in _CLOSING


def _paragraphs(lines: Sequence[_Line]) -> tuple[str, ...]:
    out: list[str] = []
    current: list[str] = []
    number = None
    for line in lines:
        if number is not None and line.paragraph != number and current:
            out.append("\n".join(current))
            current = []
        current.append(line.text)
        number = line.paragraph
    if current:
        out.append("\n".join(current))
    return tuple(out)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
