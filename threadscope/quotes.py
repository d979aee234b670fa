"""Quote segments: implicit quotes found by repeated text, explicit quotes linked to sources.

Readers answer point by point by pasting a line of the comment they answer
(or of the article) and writing under it. Such a reply repeats text of an
earlier comment without marking it; :func:`find_implicit_quotes` finds those
lines and splits the reply into quote and answer segments. Parsers of sites
that mark quotes (blockquote, "X said:") give explicit segments whose source
is only an author or a text; :func:`link_explicit_quotes` finds the quoted
comment. Both are pure: they return a new Thread and keep ``text`` whole.

Speed: every earlier line is indexed under its word trigrams (rare ones
only), so a reply line is compared with the few earlier lines sharing its
trigrams, never with every comment: a 10,000-comment thread is linear in its
text. Linking and finding share one pass and one index (each line is split,
trigrammed and indexed once). Everything is iterative (threads may nest
thousands deep).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import itemgetter
from typing import Any, NamedTuple, cast

from rapidfuzz import fuzz

from threadscope.model import ARTICLE_ID, Comment, QuoteSegment, Thread

# A reply line shorter than this is not treated as a quote: "Yes, I agree."
# and other stock phrases repeat by chance.
MIN_QUOTE_WORDS = 5
MIN_QUOTE_CHARS = 25
# From a comment that is neither an ancestor nor the article, a repeat must be
# longer to count: unrelated commenters share short phrases by chance.
MIN_UNRELATED_WORDS = 8
# rapidfuzz partial_ratio (0-100) a quote needs against its source line:
# tolerates a few changed characters, whitespace and punctuation.
MIN_SIMILARITY = 90.0
# A quote may be at most this much longer than the source passage it matches.
MAX_LENGTH_RATIO = 1.15
# A trigram keeps only its first this-many lines: enough to reach the original
# of a much-quoted line (earliest first) while every lookup stays short.
MAX_POSTINGS = 64
# Lookups count only the line's rarest trigrams: a true quote shares nearly
# all of them, and counting common ones is what costs time.
RAREST_GRAMS = 8
# Lines of this many trigrams or more must share this share of them with a
# source line before an alignment is tried: one edit changes at most three
# trigrams, so a lightly edited copy always passes.
PREFILTER_MIN_GRAMS = 8
PREFILTER_SHARE = 0.5
# At most this many candidate lines (most shared trigrams first) are compared.
MAX_CANDIDATES = 8
# The parent's lines are always compared, even when their trigrams are so
# common that the index ignores them (a line every reply in a chain repeats).
MAX_PARENT_LINES = 200
# Share of a reply line's trigrams a candidate must hold before comparing.
MIN_SHARED_SHARE = 0.3
# An explicit quote's text must match its source this well (markup is stripped
# differently by each parser, so a little looser than for implicit quotes).
MIN_EXPLICIT_SIMILARITY = 85.0

_NON_WORD = re.compile(r"[\W_]+")
# The words _NON_WORD separates, found in one regex pass (no substitute-and-split).
_WORD = re.compile(r"[^\W_]+")
# _WORD on case-folded ASCII text (the same words: word characters there are a-z, 0-9).
_ASCII_WORD = re.compile(r"[a-z0-9]+")

# Relation ranks of a source to a reply: lower is preferred.
_PARENT, _ANCESTOR, _ARTICLE, _OTHER = 0, 1, 2, 3


def resolve_quotes(thread: Thread) -> Thread:
    """Link explicit quotes to their sources, then find implicit quotes.

    Comments that already carry explicit quotes are left to them: the page
    marked its quotes, and the repeated text is those quotes.
    """
    return _resolve(thread, link=_has_unlinked(thread), implicit=True)


def normalise(text: str) -> str:
    """Case-folded words with punctuation and whitespace folded to single spaces."""
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


_Gram = str
"""A word trigram as its three words joined by spaces (words never hold one)."""


class _Line(NamedTuple):
    """A line of text with its normal form and word trigrams, computed once.

    Named tuples, not frozen dataclasses: every line of a thread makes one, and a
    frozen dataclass's __init__ costs several times a tuple's.
    """

    raw: str
    norm: str
    grams: frozenset[_Gram]


_NO_GRAMS: frozenset[_Gram] = frozenset()


class _Unit(NamedTuple):
    """One indexed line of the article or of an earlier comment."""

    source: str
    order: int
    norm: str
    grams: frozenset[_Gram]
    author: str | None = None


_Posting = int | list[int]


def _postings_table() -> dict[_Gram, _Posting]:
    """An empty postings table whose entries store their keys' hashes.

    CPython keeps a dict whose keys are all str in a compact table without the hashes:
    every probe of an occupied slot reads the key string to compare hashes, and in a
    big thread those strings lie scattered over memory. One key that is not a str
    (never asked for: trigrams are str) switches the table to the layout that keeps
    hashes, so a trigram no earlier line holds, the usual case, is turned away without
    leaving the table. The quote pass of a 10,000-comment thread took 10% less time.
    """
    table: dict[Any, _Posting] = {None: 0}
    return cast(dict[_Gram, _Posting], table)


@dataclass(slots=True)
class _Index:
    """Earlier lines by rare word trigram; grows as the thread is read in order."""

    units: list[_Unit] = field(default_factory=list)
    # A trigram seen once (most are) maps to its line's number, not a list: fewer
    # objects for the garbage collector to track and walk.
    postings: dict[_Gram, _Posting] = field(default_factory=_postings_table)
    by_source: dict[str, list[int]] = field(default_factory=dict)

    @staticmethod
    def prepare(text: str) -> list[_Line]:
        """Each line's normal form (as normalise gives it) and trigrams."""
        out: list[_Line] = []
        word = _ASCII_WORD if text.isascii() else _WORD
        for raw in text.split("\n"):
            words = word.findall(raw.casefold())
            out.append(_Line(raw, " ".join(words), _grams(words)))
        return out

    def add(self, source: str, order: int, lines: list[_Line], author: str | None = None) -> None:
        key = _author_key(author) if author else None
        postings, units = self.postings, self.units
        get = postings.get
        for line in lines:
            if not line.grams:
                continue
            uid = len(units)
            units.append(_Unit(source, order, line.norm, line.grams, key))
            self.by_source.setdefault(source, []).append(uid)
            for gram in line.grams:  # the hottest loop: one dict probe a trigram
                posting = get(gram)
                if posting is None:
                    postings[gram] = uid
                elif isinstance(posting, int):
                    postings[gram] = [posting, uid]
                elif len(posting) < MAX_POSTINGS:
                    posting.append(uid)

    def lines_of(self, source: str | None) -> list[_Unit]:
        """A source's own lines (at most MAX_PARENT_LINES), looked up directly."""
        uids = self.by_source.get(source, []) if source is not None else []
        return [self.units[uid] for uid in uids[:MAX_PARENT_LINES]]

    def postings_of(self, grams: frozenset[_Gram]) -> list[list[int]]:
        """The postings of those of the trigrams that earlier lines hold."""
        return [p if isinstance(p, list) else [p]
                for p in map(self.postings.get, grams) if p is not None]

    def candidates(self, grams: frozenset[_Gram]) -> list[_Unit]:
        """Earlier lines sharing enough of the line's rarest trigrams, most shared first."""
        return self.ranked(self.postings_of(grams))

    def ranked(self, postings: list[list[int]]) -> list[_Unit]:
        """``candidates`` from the line's postings (postings_of; reordered in place)."""
        rarest = _rarest(postings)
        if not rarest:
            return []
        counts = Counter(chain.from_iterable(rarest))
        need = max(1, int(len(rarest) * MIN_SHARED_SHARE))
        # what most_common(n) does (a stable sort, first counted first among ties),
        # after dropping the lines that share too few: the sort is then short
        shared = [item for item in counts.items() if item[1] >= need]
        shared.sort(key=itemgetter(1), reverse=True)
        return [self.units[uid] for uid, _ in shared[:MAX_CANDIDATES]]


def _rarest(postings: list[list[int]]) -> list[list[int]]:
    """The RAREST_GRAMS shortest postings, in (length, content) order.

    Ties are broken by the posting itself (document order), never by set iteration
    order, which string hashing randomises between runs. Only the shortest postings
    and those as long as the last of them are compared by content: comparing every
    pair of long postings element by element made threads whose trigrams all repeat
    slow. Two stable sorts (by content, then by length) order by (length, content) in C.
    """
    postings.sort(key=len)
    if len(postings) > RAREST_GRAMS:
        del postings[bisect_right(postings, len(postings[RAREST_GRAMS - 1]), key=len):]
    postings.sort()
    postings.sort(key=len)
    del postings[RAREST_GRAMS:]
    return postings


@dataclass(frozen=True, slots=True)
class _Family:
    """Euler-tour intervals, so "is an ancestor" is two comparisons."""

    enter: dict[str, int]
    leave: dict[str, int]

    @classmethod
    def of(cls, thread: Thread) -> _Family:
        enter: dict[str, int] = {}
        leave: dict[str, int] = {}
        clock = 0
        stack: list[tuple[str, bool]] = [(c.id, False) for c in reversed(thread.roots())]
        while stack:
            cid, done = stack.pop()
            clock += 1
            if done:
                leave[cid] = clock
                continue
            enter[cid] = clock
            stack.append((cid, True))
            stack.extend((c.id, False) for c in reversed(thread.children(cid)))
        return cls(enter, leave)

    def is_ancestor(self, older: str, younger: str) -> bool:
        return (self.enter[older] < self.enter[younger]
                and self.leave[younger] < self.leave[older])


@dataclass(frozen=True, slots=True)
class _Scope:
    """What an explicit quote is resolved against: earlier lines and the tree."""

    index: _Index
    family: _Family
    thread: Thread


def find_implicit_quotes(thread: Thread) -> Thread:
    """Split replies that repeat earlier text into implicit quote segments.

    A reply line (of at least MIN_QUOTE_WORDS words) that repeats a line, a
    sentence or a sentence run of the article or of an earlier comment, with
    small edits tolerated, is a quote of it. Adjacent quoted lines from one
    source form one segment; the reply's own lines after it are its answer.
    """
    return _resolve(thread, link=False, implicit=True)


def _resolve(thread: Thread, *, link: bool, implicit: bool) -> Thread:
    """One pass in thread order: each comment is linked, then searched, against
    the index of what came before it, and then indexed itself.

    Linking and searching share one index (each line prepared and indexed once):
    both only ever look at earlier comments, so one pass equals the two.
    """
    index = _article_index(thread)
    scope = _Scope(index, _Family.of(thread), thread)
    by_author: dict[str, list[Comment]] = {}
    out: list[Comment] = []
    for order, original in enumerate(thread.comments):
        comment = _linked(original, by_author, scope) if link else original
        lines = index.prepare(comment.text)
        if implicit:
            comment = _searched(comment, lines, scope)
        out.append(comment)
        if link and comment.author:
            by_author.setdefault(_author_key(comment.author), []).append(comment)
        index.add(comment.id, order, lines, comment.author)
    if all(new is old for new, old in zip(out, thread.comments, strict=True)):
        return thread
    return replace(thread, comments=tuple(out))


def _searched(comment: Comment, lines: list[_Line], scope: _Scope) -> Comment:
    """The comment with its implicit quote segments (comments with quotes keep theirs)."""
    if not comment.text or comment.quotes or comment.placeholder:
        return comment
    segments = _implicit_segments(comment, lines, scope.index, scope)
    return replace(comment, quotes=segments) if segments else comment


def _implicit_segments(
    comment: Comment, lines: list[_Line], index: _Index, scope: _Scope
) -> tuple[QuoteSegment, ...]:
    marks: list[tuple[str, str | None]] = []  # (line, source) in text order
    for line in lines:
        marks.append((line.raw, _source_of(line, comment, index, scope.family, scope.thread)))
    if not any(source for _, source in marks):
        return ()
    return tuple(_segments(marks))


def _source_of(
    line: _Line, comment: Comment, index: _Index, family: _Family, thread: Thread
) -> str | None:
    norm, grams = line.norm, line.grams
    words = norm.count(" ") + 1 if norm else 0
    if words < MIN_QUOTE_WORDS or len(norm) < MIN_QUOTE_CHARS:
        return None
    postings = index.postings_of(grams)
    if _unmatchable(len(grams), len(postings)):
        return None
    need = max(1, int(len(grams) * MIN_SHARED_SHARE))
    parent_lines = [u for u in index.lines_of(comment.parent_id) if len(grams & u.grams) >= need]
    best: tuple[int, float, int, str] | None = None
    own = _author_key(comment.author) if comment.author else None
    for unit in (*parent_lines, *index.ranked(postings)):
        if unit.source == comment.id or len(norm) > len(unit.norm) * MAX_LENGTH_RATIO + 5:
            continue
        if own is not None and unit.author == own:
            continue  # a signature or a self-repeat, not a quote of someone
        rank = _rank(unit.source, comment, family, thread)
        if rank == _OTHER and words < MIN_UNRELATED_WORDS:
            continue
        score = _similarity(line, unit)
        if score:
            key = (rank, -score, unit.order if rank == _OTHER else -unit.order, unit.source)
            best = key if best is None or key < best else best
    return best[3] if best else None


def _unmatchable(grams: int, known: int) -> bool:
    """No earlier line can pass _similarity: of a line's ``grams`` trigrams, only
    ``known`` occur in earlier lines at all, fewer than its prefilter asks one line to
    share. Exact containment is covered too: a source line containing the line's words
    holds all of its trigrams except perhaps the first and the last (their outer words
    may be cut), which is more than half of any 8 or more.

    An original line of real text is mostly new trigrams: it is not compared at all.
    """
    return grams >= PREFILTER_MIN_GRAMS and known < grams * PREFILTER_SHARE


def _similarity(line: _Line, unit: _Unit) -> float:
    """How well a reply line matches inside a source line (0 when below the bar).

    Exact containment is checked first (C speed); a long line sharing few of
    its trigrams cannot be a lightly edited copy, so it is not aligned at all.
    """
    if line.norm in unit.norm:
        return 100.0
    if len(line.grams) >= PREFILTER_MIN_GRAMS and (
            len(line.grams & unit.grams) < len(line.grams) * PREFILTER_SHARE):
        return 0.0
    return fuzz.partial_ratio(line.norm, unit.norm, score_cutoff=MIN_SIMILARITY)


def _rank(source: str, comment: Comment, family: _Family, thread: Thread) -> int:
    if source == ARTICLE_ID:
        return _ARTICLE
    if source == comment.parent_id:
        return _PARENT
    if source in thread and family.is_ancestor(source, comment.id):
        return _ANCESTOR
    return _OTHER


def _segments(marks: list[tuple[str, str | None]]) -> Iterator[QuoteSegment]:
    """Group marked lines: a run of quoted lines, then the answer lines under it."""
    quote: list[str] = []
    answer: list[str] = []
    source: str | None = None
    for line, mark in marks:
        continues = mark is not None and mark == source and not answer and quote
        if mark is not None and not continues:
            if quote:
                yield _segment(quote, source, answer)
            quote, answer, source = [line], [], mark
        elif mark is not None:
            quote.append(line)
        elif quote and (line.strip() or answer):
            answer.append(line)
    if quote:
        yield _segment(quote, source, answer)


def _segment(quote: list[str], source: str | None, answer: list[str]) -> QuoteSegment:
    return QuoteSegment(text="\n".join(quote).strip(), source_id=source,
                        answer="\n".join(answer).strip(), kind="implicit")


def link_explicit_quotes(thread: Thread) -> Thread:
    """Give explicit quotes without a source the id of the quoted comment.

    The source is an earlier comment by the named author whose text holds the
    quote; with no text match, the author's only earlier comment or the
    nearest ancestor by that author. When the name matches no earlier author,
    or no name is given, the earlier comment (or the article) holding most of
    the quoted words is the source. Unresolved quotes keep ``source_id=None``.
    """
    if not _has_unlinked(thread):
        return thread
    return _resolve(thread, link=True, implicit=False)


def _has_unlinked(thread: Thread) -> bool:
    return any(_unlinked(q) for c in thread.comments for q in c.quotes)


def _unlinked(quote: QuoteSegment) -> bool:
    """An explicit quote whose source is not known yet."""
    return quote.kind == "explicit" and quote.source_id is None


def _linked(comment: Comment, by_author: dict[str, list[Comment]], scope: _Scope) -> Comment:
    """The comment with its explicit quotes linked to their sources where found."""
    if not any(map(_unlinked, comment.quotes)):
        return comment
    quotes = tuple(_link(q, comment, by_author, scope) for q in comment.quotes)
    return replace(comment, quotes=quotes) if quotes != comment.quotes else comment


def _link(
    quote: QuoteSegment, comment: Comment, by_author: dict[str, list[Comment]], scope: _Scope
) -> QuoteSegment:
    if quote.kind != "explicit" or quote.source_id is not None:
        return quote
    known = bool(quote.source_author) and _author_key(quote.source_author or "") in by_author
    if known:
        found = _by_author(quote, normalise(quote.text), comment, by_author, scope.family)
    else:  # no author, or a name the page spells differently ("Anna K." for anna_k)
        found = _by_text(quote.text, comment, scope.index, scope.family, scope.thread)
    return replace(quote, source_id=found) if found else quote


def _by_author(
    quote: QuoteSegment, norm: str, comment: Comment,
    by_author: dict[str, list[Comment]], family: _Family,
) -> str | None:
    earlier = by_author.get(_author_key(quote.source_author or ""), [])
    if not earlier:
        return None
    if norm:
        scored = [(fuzz.partial_ratio(norm, normalise(c.text)), i, c.id)
                  for i, c in enumerate(earlier)]
        best = max(scored)
        if best[0] >= MIN_EXPLICIT_SIMILARITY:
            return best[2]
    ancestors = [c for c in earlier if family.is_ancestor(c.id, comment.id)]
    if ancestors:
        return ancestors[-1].id
    return earlier[0].id if len(earlier) == 1 else None


def _by_text(
    text: str, comment: Comment, index: _Index, family: _Family, thread: Thread
) -> str | None:
    """The source holding most of the quote's words (nearer relations first on ties).

    Word-weighted, so a shared attribution line ("- Carolina Panthers, August
    9, 2012") under two different quoted tweets does not link them.
    """
    votes: Counter[tuple[int, str]] = Counter()
    total = 0
    for line in _lines(text):
        norm = normalise(line)
        words = len(norm.split())
        total += words
        if words < MIN_QUOTE_WORDS:
            continue
        found = _best_line_source(norm, comment, index, family, thread)
        if found:
            votes[found] += words
    if not votes:
        return None
    (_, source), weight = min(votes.items(), key=lambda item: (-item[1], item[0]))
    return source if weight * 2 > total else None


def _best_line_source(
    norm: str, comment: Comment, index: _Index, family: _Family, thread: Thread
) -> tuple[int, str] | None:
    found: tuple[int, float, str] | None = None
    for unit in index.candidates(_grams(norm.split())):
        if unit.source == comment.id:
            continue
        score = fuzz.partial_ratio(norm, unit.norm, score_cutoff=MIN_EXPLICIT_SIMILARITY)
        if score:
            key = (_rank(unit.source, comment, family, thread), -score, unit.source)
            found = key if found is None or key < found else found
    return (found[0], found[2]) if found else None


def _author_key(author: str) -> str:
    return " ".join(author.casefold().split())


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def _grams(words: list[str]) -> frozenset[_Gram]:
    """A line's word trigrams, as strings: a string keeps its hash and is no work for
    the garbage collector, where a tuple is rehashed on every lookup and tracked
    (a 1,000-comment thread ran 1.5x faster with the collector on)."""
    if len(words) < 3:
        return _NO_GRAMS
    return frozenset(map(" ".join, zip(words, words[1:], words[2:], strict=False)))


def _article_index(thread: Thread) -> _Index:
    """An index holding the article's paragraphs, keyed before every comment."""
    index = _Index()
    for order, paragraph in enumerate(thread.article.body):
        index.add(ARTICLE_ID, -1 - order, index.prepare(paragraph))
    return index
