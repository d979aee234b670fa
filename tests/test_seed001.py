"""Seed 001 (a copied Military Review page) rebuilt exactly: the tree in issue 2's table.

Expected values come from issue 2 and from reading fixtures/001_42a6ee7e45e40515.txt.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import SEED_001
from threadscope.api import load
from threadscope.document import Document
from threadscope.model import ARTICLE_ID, Comment, Thread
from threadscope.quotes import resolve_quotes
from threadscope.sites import detect

# (id = outline path, parent, depth, author, score, ISO time, first words of the text)
TREE = [
    ("1", None, 1, None, -1, "2022-01-24T09:43", "Of course, it can join the CSTO"),
    ("2", None, 1, None, -5, "2022-01-24T10:15", "According to experts, the deployment"),
    ("2.1", "2", 2, "123", 2, "2022-01-24T17:23", "and this is necessary for Cuba"),
    ("2.2", "2", 2, None, -4, "2022-01-24T21:00", "If you first pull up China"),
    ("3", None, 1, None, 1, "2022-01-24T10:41", "I think that if they accept Serbia"),
    ("3.1", "3", 2, None, 0, "2022-01-25T09:29", "To accept Serbia, Montenegro"),
    ("4", None, 1, None, 0, "2022-01-26T16:10", "for the debt that we wrote off"),
]


@pytest.fixture(scope="module")
def thread() -> Thread:
    threads = load(SEED_001)
    assert len(threads) == 1
    return resolve_quotes(threads[0])


def test_seed_001_is_the_seed_family() -> None:
    assert detect(Document.read(SEED_001)).name == "seedtext"


def test_the_whole_tree_in_document_order(thread: Thread) -> None:
    got = [(c.id, c.parent_id, c.depth, c.author, c.score,
            c.timestamp.iso if c.timestamp else None) for c in thread.comments]
    assert got == [row[:6] for row in TREE]


@pytest.mark.parametrize("row", TREE, ids=lambda r: r[0])
def test_each_comment_starts_with_its_own_words(thread: Thread, row: tuple[Any, ...]) -> None:
    comment = thread.get(row[0])
    assert comment.text.startswith(row[6])
    assert comment.path == row[0]


def test_times_carry_no_invented_zone(thread: Thread) -> None:
    for comment in thread.comments:
        assert comment.timestamp is not None
        assert comment.timestamp.precision == "minute"
        assert "+" not in comment.timestamp.iso
        assert "Z" not in comment.timestamp.iso
    assert thread.get("1").timestamp.raw == "24 January 2022 09: 43"  # type: ignore[union-attr]


def test_declared_count_title_and_body(thread: Thread) -> None:
    article = thread.article
    assert article.declared_comment_count == 7 == len(thread.comments)
    assert article.title == ("The Network discusses the possibility of Cuba, Nicaragua and "
                             "Venezuela joining the CSTO")
    assert len(article.body) == 5
    assert article.body[0].startswith("According to a number of online sources")
    assert article.body[-1].startswith("At the same time, analysts do not rule out")


def test_page_chrome_is_not_text(thread: Thread) -> None:
    chrome = ("Information", "Dear reader", "7 comments")
    texts = [c.text for c in thread.comments] + list(thread.article.body)
    for text in texts:
        assert not any(bit in text for bit in chrome)
    # The lone "7" counter under the title is not a body paragraph either.
    assert "7" not in thread.article.body


def test_comment_texts_end_where_the_next_header_starts(thread: Thread) -> None:
    assert thread.get("2").text.endswith("so far this is just chatter to raise a "
                                         "patriotic mood.")
    assert thread.get("2.2").text.endswith("for Russian interests. laughing")
    assert thread.get("4").text.endswith("in this very Cuba.")
    assert "24 January 2022" not in thread.get("2.1").text


def test_emoticons_per_comment(thread: Thread) -> None:
    emoticons = {c.id: c.emoticons for c in thread.comments}
    assert emoticons == {
        "1": (), "2": (), "2.1": ("laughing", "Yes"), "2.2": ("laughing",),
        "3": (), "3.1": (), "4": (),
    }


def _sources(comment: Comment) -> list[str | None]:
    return [q.source_id for q in comment.quotes]


def test_comment_2_quotes_the_article_once(thread: Thread) -> None:
    comment = thread.get("2")
    assert _sources(comment) == [ARTICLE_ID]
    quote = comment.quotes[0]
    assert quote.kind == "implicit"
    assert quote.text.startswith("According to experts, the deployment of Russian weapons")
    assert quote.answer.startswith("and this is necessary for Cuba")


def test_comment_2_1_answers_four_paragraphs_of_comment_2(thread: Thread) -> None:
    comment = thread.get("2.1")
    assert _sources(comment) == ["2", "2", "2", "2"]
    starts = [(q.text.split("\n")[0][:30], q.answer[:30]) for q in comment.quotes]
    assert starts == [
        ("and this is necessary for Cuba", "I won’t say about the LDNR, th"),
        ('And with what and how "in whic', "Stupidly they will not let any"),
        ("How can Venezuela help? Ten Ma", "What kind of help do you expec"),
        ("If you look at things realisti", "This is probably not entirely "),
    ]
    # The first quoted paragraph is two lines of comment 2, kept as one segment.
    assert comment.quotes[0].text.split("\n")[1].startswith("Cuba has a pro-American course")


def test_comment_2_2_quotes_one_sentence_of_comment_2(thread: Thread) -> None:
    comment = thread.get("2.2")
    assert _sources(comment) == ["2"]
    assert comment.quotes[0].text == ("If you first pull up China, with its fleet and money, "
                                      "then it's possible.")
    assert comment.quotes[0].answer.startswith("You are right. The PLA")


def test_comments_without_quotes(thread: Thread) -> None:
    for cid in ("1", "3", "3.1", "4"):
        assert thread.get(cid).quotes == ()


def test_quote_resolution_keeps_full_text(thread: Thread) -> None:
    raw = load(SEED_001)[0]
    for before, after in zip(raw.comments, thread.comments, strict=True):
        assert before.text == after.text
