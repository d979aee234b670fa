"""Pseudonymisation: author names replaced by salted hashes, consistently across a corpus.

One ``Pseudonymizer`` (one salt) maps the same name to the same pseudonym in every
thread, export and report; "@name" mentions and "name said:"/"name wrote:" quote
headers of known names in comment text are replaced as well. Without a salt a random
one is drawn, so pseudonyms cannot be reversed by hashing guessed names, and differ
between runs; pass a salt to get the same pseudonyms again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from threadscope.labels import LabelledThread
from threadscope.model import Comment, QuoteSegment, Thread

PREFIX = "user-"
DIGEST_CHARS = 12  # 48 bits: collisions are negligible below millions of names
_SAID = re.compile(r"[ \t]+(?:said|wrote|писал|написал|schrieb)[ \t]*:", re.IGNORECASE)
_MAX_NAME_WORDS = 4  # longest display name looked up before "said:"


@dataclass(frozen=True)
class Pseudonymizer:
    """Salted, keyed-hash pseudonyms for author names.

    Attributes:
        salt: The secret that keys the hash; random when not given.
        names: Known author names (from the whole corpus), for replacing mentions.
    """

    salt: str = field(default_factory=lambda: secrets.token_hex(16))
    names: frozenset[str] = frozenset()

    def name(self, author: str) -> str:
        """The pseudonym of one name: ``user-`` and 12 hex digits of HMAC-SHA256."""
        digest = hmac.new(self.salt.encode(), author.encode(), hashlib.sha256).hexdigest()
        return PREFIX + digest[:DIGEST_CHARS]

    def maybe(self, author: str | None) -> str | None:
        """The pseudonym, or None for a missing name."""
        return None if author is None else self.name(author)

    def with_names(self, names: Iterable[str]) -> Pseudonymizer:
        """A pseudonymizer that also knows these names (for mentions in text)."""
        return replace(self, names=self.names | frozenset(n for n in names if n))

    def text(self, text: str) -> str:
        """Text with "@name" mentions and "name said:" headers of known names replaced."""
        if not self.names or not text:
            return text
        if "@" in text:
            text = _mention_pattern(self.names).sub(
                lambda m: "@" + self.name(_canonical(self.names, m.group(1))), text)
        return _replace_said(text, self)

    def thread(self, thread: Thread) -> Thread:
        """The thread with every author name, mention and quoted author replaced."""
        known = self.with_names(thread_names(thread))
        article = replace(thread.article, author=known.maybe(thread.article.author),
                          body=tuple(known.text(p) for p in thread.article.body))
        comments = tuple(known.comment(c) for c in thread.comments)
        return Thread(article=article, comments=comments, source=thread.source)

    def comment(self, comment: Comment) -> Comment:
        """One comment with its author, text and quotes pseudonymised."""
        return replace(comment, author=self.maybe(comment.author), text=self.text(comment.text),
                       title=None if comment.title is None else self.text(comment.title),
                       quotes=tuple(self.quote(q) for q in comment.quotes))

    def quote(self, quote: QuoteSegment) -> QuoteSegment:
        """One quote segment with its quoted author and texts pseudonymised."""
        return replace(quote, text=self.text(quote.text), answer=self.text(quote.answer),
                       source_author=self.maybe(quote.source_author))

    def labelled(self, labelled: LabelledThread) -> LabelledThread:
        """A labelled thread with its thread pseudonymised (labels are keyed by id)."""
        return LabelledThread(thread=self.thread(labelled.thread), labels=labelled.labels,
                              models=labelled.models)


def thread_names(thread: Thread) -> set[str]:
    """Every author name a thread shows: commenters, the article author, quoted authors."""
    names = {c.author for c in thread.comments if c.author}
    names.update(q.source_author for c in thread.comments for q in c.quotes if q.source_author)
    if thread.article.author:
        names.add(thread.article.author)
    return names


def pseudonymize_all(
    items: Sequence[LabelledThread], salt: str | None = None
) -> list[LabelledThread]:
    """Pseudonymise a corpus with one salt, mentions of any of its authors included."""
    base = Pseudonymizer(salt) if salt is not None else Pseudonymizer()
    known = base.with_names(n for item in items for n in thread_names(item.thread))
    return [known.labelled(item) for item in items]


def _canonical(names: frozenset[str], matched: str) -> str:
    if matched in names:
        return matched
    lowered = matched.casefold()
    return min(n for n in names if n.casefold() == lowered)


_PATTERNS: dict[frozenset[str], re.Pattern[str]] = {}


def _mention_pattern(names: frozenset[str]) -> re.Pattern[str]:
    pattern = _PATTERNS.get(names)
    if pattern is None:
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=lambda n: (-len(n), n)))
        pattern = re.compile(rf"@({alternatives})(?!\w)", re.IGNORECASE)
        _PATTERNS.clear()  # one corpus at a time: keep the cache small
        _PATTERNS[names] = pattern
    return pattern


def _replace_said(text: str, pseudo: Pseudonymizer) -> str:
    """Replace a known name standing right before "said:"/"wrote:" (up to 4 words)."""
    out: list[str] = []
    last = 0
    for match in _SAID.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[line_start:match.start()]
        words = before.split(" ")
        for k in range(min(_MAX_NAME_WORDS, len(words)), 0, -1):
            candidate = " ".join(words[-k:])
            if candidate in pseudo.names:
                cut = match.start() - len(candidate)
                out.append(text[last:cut])
                out.append(pseudo.name(candidate))
                last = match.start()
                break
    out.append(text[last:])
    return "".join(out)
