"""Implicit quote detection and explicit quote linking, on tiny hand-built threads."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import need_threads
from threadscope.api import load_one
from threadscope.model import ARTICLE_ID, Article, Comment, QuoteSegment, Thread, build_thread
from threadscope.quotes import (
    find_implicit_quotes,
    link_explicit_quotes,
    normalise,
    resolve_quotes,
)

PARENT_TEXT = ("The harbour was dredged in 1998 and has taken deep-draught ships ever since.\n\n"
               "Nobody in the council wanted to pay for the second breakwater.")


def _c(cid: str, parent: str | None, text: str, author: str | None = None,
       quotes: tuple[QuoteSegment, ...] = ()) -> Comment:
    return Comment(id=cid, parent_id=parent, depth=0, author=author, text=text, quotes=quotes)


def _thread(*comments: Comment, body: tuple[str, ...] = ()) -> Thread:
    return build_thread(Article(title="T", body=body), list(comments))


def test_reply_quoting_two_parent_paragraphs_is_split_into_segments() -> None:
    reply = ("The harbour was dredged in 1998 and has taken deep-draught ships ever since.\n"
             "Only after the second survey.\n\n"
             "Nobody in the council wanted to pay for the second breakwater.\n"
             "They paid in the end.")
    thread = find_implicit_quotes(_thread(_c("a", None, PARENT_TEXT, "ann"),
                                          _c("b", "a", reply, "bob")))
    quotes = thread.get("b").quotes
    assert [(q.source_id, q.kind) for q in quotes] == [("a", "implicit"), ("a", "implicit")]
    assert quotes[0].text.startswith("The harbour was dredged")
    assert quotes[0].answer == "Only after the second survey."
    assert quotes[1].answer == "They paid in the end."
    assert thread.get("b").text == reply
    assert thread.get("a").quotes == ()


def test_sentence_prefix_with_small_edits_is_a_quote() -> None:
    reply = ("the harbour was dredged in 1998, and has taken deep draught ships ever since\n\n"
             "Wrong year.")
    thread = find_implicit_quotes(_thread(_c("a", None, PARENT_TEXT, "ann"),
                                          _c("b", "a", reply, "bob")))
    assert [q.source_id for q in thread.get("b").quotes] == ["a"]
    assert thread.get("b").quotes[0].answer == "Wrong year."


def test_a_typo_in_the_quote_is_tolerated() -> None:
    reply = "Nobody in the counsil wanted to pay for the second breakwater.\nTrue."
    thread = find_implicit_quotes(_thread(_c("a", None, PARENT_TEXT, "ann"),
                                          _c("b", "a", reply, "bob")))
    assert [q.source_id for q in thread.get("b").quotes] == ["a"]


def test_quote_of_the_article() -> None:
    body = ("Ministers met on Tuesday to discuss the harbour budget for next year.",
            "A decision is expected in spring.")
    reply = "Ministers met on Tuesday to discuss the harbour budget for next year.\nAgain?"
    thread = find_implicit_quotes(_thread(_c("a", None, reply, "ann"), body=body))
    assert [q.source_id for q in thread.get("a").quotes] == [ARTICLE_ID]


def test_quote_of_a_grandparent_and_of_an_unrelated_comment() -> None:
    other = "Every single winter the ferry schedule is cut back and nobody ever explains why."
    thread = find_implicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("x", None, other, "xena"),
        _c("b", "a", "I disagree with all of it.", "bob"),
        _c("c", "b", "Nobody in the council wanted to pay for the second breakwater.\nSo?",
           "cy"),
        _c("d", "b", other + "\nThat is a different topic.", "dan"),
    ))
    assert [q.source_id for q in thread.get("c").quotes] == ["a"]
    assert [q.source_id for q in thread.get("d").quotes] == ["x"]


def test_parent_wins_over_an_earlier_comment_with_the_same_line() -> None:
    line = "Nobody in the council wanted to pay for the second breakwater."
    thread = find_implicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("b", "a", line + "\nThey never do.", "bob"),
        _c("c", "b", line + "\nThat is unfair.", "cy"),
    ))
    assert [q.source_id for q in thread.get("c").quotes] == ["b"]


def test_short_lines_and_stock_phrases_are_not_quotes() -> None:
    thread = find_implicit_quotes(_thread(
        _c("a", None, "I agree with you.\nYes.", "ann"),
        _c("b", "a", "I agree with you.\nYes.", "bob"),
    ))
    assert thread.get("b").quotes == ()


def test_later_comments_are_never_sources() -> None:
    thread = find_implicit_quotes(_thread(
        _c("a", None, "The new bridge will open to traffic in the first week of June.", "ann"),
        _c("b", None, "The new bridge will open to traffic in the first week of June.", "bob"),
    ))
    assert thread.get("a").quotes == ()
    assert [q.source_id for q in thread.get("b").quotes] == ["a"]


def test_an_author_repeating_a_signature_is_not_quoting() -> None:
    signature = "Saving the environment one green comment at a time, every day."
    thread = find_implicit_quotes(_thread(
        _c("a", None, "First point about the match.\n\n" + signature, "ann"),
        _c("b", "a", "Second point about the match.\n\n" + signature, "ann"),
    ))
    assert thread.get("b").quotes == ()


def test_placeholders_and_explicitly_quoting_comments_are_left_alone() -> None:
    explicit = QuoteSegment(text="Nobody in the council wanted to pay", source_id=None,
                            kind="explicit", source_author="ann")
    line = "Nobody in the council wanted to pay for the second breakwater."
    thread = find_implicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("b", "a", line + "\nReally?", "bob", quotes=(explicit,)),
    ))
    assert thread.get("b").quotes == (explicit,)


def test_explicit_quote_linked_by_author_and_text() -> None:
    quote = QuoteSegment(text="to pay for the second breakwater", source_id=None,
                         kind="explicit", source_author="Ann")
    thread = link_explicit_quotes(_thread(
        _c("a", None, "Some other remark about the ferry timetable.", "ann"),
        _c("b", None, PARENT_TEXT, "ann"),
        _c("c", "a", "Reply", "bob", quotes=(quote,)),
    ))
    assert thread.get("c").quotes[0].source_id == "b"


def test_explicit_quote_by_author_only_uses_the_ancestor() -> None:
    quote = QuoteSegment(text="words that were edited beyond recognition", source_id=None,
                         kind="explicit", source_author="ann")
    thread = link_explicit_quotes(_thread(
        _c("a", None, "First comment by ann.", "ann"),
        _c("b", None, "Second comment by ann.", "ann"),
        _c("c", "b", "Reply", "bob", quotes=(quote,)),
    ))
    assert thread.get("c").quotes[0].source_id == "b"


def test_explicit_quote_by_text_only() -> None:
    quote = QuoteSegment(text="Nobody in the council wanted to pay for the second breakwater.",
                         source_id=None, kind="explicit")
    thread = link_explicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("b", None, "Unrelated words about football and the weather.", "bob"),
        _c("c", "b", "Reply", "cy", quotes=(quote,)),
    ))
    assert thread.get("c").quotes[0].source_id == "a"


@pytest.mark.parametrize("author", ["nobody-here", None])
def test_explicit_quote_not_found_stays_none(author: str | None) -> None:
    quote = QuoteSegment(text="a sentence that appears nowhere else on this page at all",
                         source_id=None, kind="explicit", source_author=author)
    thread = link_explicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("b", "a", "Reply", "bob", quotes=(quote,)),
    ))
    assert thread.get("b").quotes[0].source_id is None


def test_explicit_quote_of_a_later_comment_is_not_linked() -> None:
    quote = QuoteSegment(text="Nobody in the council wanted to pay for the second breakwater.",
                         source_id=None, kind="explicit", source_author="ann")
    thread = link_explicit_quotes(_thread(
        _c("b", None, "Reply", "bob", quotes=(quote,)),
        _c("a", None, PARENT_TEXT, "ann"),
    ))
    assert thread.get("b").quotes[0].source_id is None


def test_explicit_quote_with_a_known_source_is_kept() -> None:
    quote = QuoteSegment(text="x", source_id="a", kind="explicit", source_author="zed")
    thread = link_explicit_quotes(_thread(_c("a", None, PARENT_TEXT, "ann"),
                                          _c("b", "a", "Reply", "bob", quotes=(quote,))))
    assert thread.get("b").quotes == (quote,)


def test_resolve_quotes_does_both_and_is_idempotent() -> None:
    explicit = QuoteSegment(text="to pay for the second breakwater", source_id=None,
                            kind="explicit", source_author="ann")
    thread = _thread(
        _c("a", None, PARENT_TEXT, "ann"),
        _c("b", "a", "Nobody in the council wanted to pay for the second breakwater.\nNo.",
           "bob"),
        _c("c", "a", "Reply", "cy", quotes=(explicit,)),
    )
    once = resolve_quotes(thread)
    assert [q.source_id for q in once.get("b").quotes] == ["a"]
    assert [q.source_id for q in once.get("c").quotes] == ["a"]
    assert resolve_quotes(once) == once


def test_a_chain_thousands_deep_needs_no_recursion() -> None:
    line = "Every reply in this chain repeats the words of the comment it answers."
    comments = [_c("0", None, line, "u0")]
    comments += [_c(str(i), str(i - 1), line + f"\nAnswer {i}.", f"u{i}") for i in range(1, 3000)]
    thread = resolve_quotes(_thread(*comments))
    assert thread.get("2999").depth == 3000
    assert [q.source_id for q in thread.get("2999").quotes] == ["2998"]


def test_normalise_folds_case_punctuation_and_spaces() -> None:
    assert normalise("  Don’t  STOP,\n now!! ") == "don t stop now"


def test_slashdot_quote_blocks_link_to_parents_or_stay_unknown() -> None:
    """Real page: every linked blockquote of 131.html is of its parent or the article;
    the unlinked ones quote a hidden comment or text not on the page."""
    thread = resolve_quotes(load_one(need_threads() / "dragnet" / "131.html"))
    explicit = [(c, q) for c in thread.comments for q in c.quotes if q.kind == "explicit"]
    assert len(explicit) >= 20
    linked = [(c, q) for c, q in explicit if q.source_id is not None]
    assert len(linked) >= len(explicit) - 3
    for comment, quote in linked:
        assert quote.source_id in (comment.parent_id, ARTICLE_ID)
    for comment, quote in explicit:
        if quote.source_id is None and comment.parent_id is not None:
            parent = thread.get(comment.parent_id)
            assert parent.placeholder or normalise(quote.text[:40]) not in normalise(parent.text)


def test_xenforo_quotes_link_to_a_post_by_the_quoted_member() -> None:
    page = need_threads() / "trafilatura" / "katzen-forum.net-Pepe.html"
    expected = json.loads(page.with_name(page.name + ".expected.json").read_text("utf-8"))
    quoted = {c["id"]: c["quotes_of"] for c in expected["comments"] if c.get("quotes_of")}
    thread = resolve_quotes(load_one(page))
    for cid, authors in quoted.items():
        sources = [q.source_id for q in thread.get(cid).quotes]
        assert all(s is not None for s in sources)
        assert [thread.get(s).author for s in sources if s] == authors


def test_explicit_quote_by_an_unknown_name_falls_back_to_the_text() -> None:
    quote = QuoteSegment(text="Nobody in the council wanted to pay for the second breakwater.",
                         source_id=None, kind="explicit", source_author="Anna K.")
    thread = link_explicit_quotes(_thread(
        _c("a", None, PARENT_TEXT, "anna_k"),
        _c("b", None, "Reply", "bob", quotes=(quote,)),
    ))
    assert thread.get("b").quotes[0].source_id == "a"


def test_quote_links_do_not_depend_on_the_string_hash_seed() -> None:
    """Exports must be byte-identical between runs: no set-order tie-breaking."""
    import os
    import subprocess
    import sys

    page = need_threads() / "dragnet" / "131.gold.txt"
    code = ("import sys; from threadscope.api import load_one; "
            "from threadscope.quotes import resolve_quotes; "
            "t = resolve_quotes(load_one(sys.argv[1])); "
            "print([(c.id, [(q.source_id, q.text) for q in c.quotes]) for c in t.comments])")
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", code, str(page)], env=env, check=True,
                              capture_output=True, text=True)
        outputs.add(done.stdout)
    assert len(outputs) == 1


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 40), min_size=1, max_size=70).map(sorted), max_size=40))
def test_rarest_postings_equal_a_full_sort_by_length_then_content(
        postings: list[list[int]]) -> None:
    """Synthetic postings (edge cases: many ties in length, long saturated lists): the
    partial sort picks and orders exactly what sorting them all by (length, content) does."""
    from threadscope.quotes import RAREST_GRAMS, _rarest

    expected = sorted(postings, key=lambda p: (len(p), p))[:RAREST_GRAMS]
    assert _rarest(list(postings)) == expected


_VOCABULARY = tuple(f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe") for b in ("r", "st", "ven"))
"""Synthetic words (15): a small vocabulary, so trigrams recur as in a big thread."""


@settings(max_examples=500, deadline=None)
@given(st.data())
def test_lines_skipped_as_unmatchable_would_match_no_earlier_line(data: st.DataObject) -> None:
    """Synthetic lines, many copied out of the earlier line with a word cut at either end
    or one word changed: whenever the shortcut skips a line for having too few known
    trigrams, comparing it with every earlier line would have found nothing either."""
    from threadscope.quotes import _Index, _similarity, _unmatchable

    words = st.sampled_from(_VOCABULARY)
    source = data.draw(st.lists(words, min_size=3, max_size=40))
    if data.draw(st.booleans()):
        start = data.draw(st.integers(0, len(source) - 1))
        line = source[start:start + data.draw(st.integers(1, len(source)))]
        line[0] = line[0][data.draw(st.integers(0, len(line[0]) - 1)):]
        line[-1] = line[-1][:data.draw(st.integers(1, len(line[-1])))]
        if data.draw(st.booleans()):
            line[data.draw(st.integers(0, len(line) - 1))] = data.draw(words)
    else:
        line = data.draw(st.lists(words, min_size=3, max_size=40))
    index = _Index()
    index.add("earlier", 0, index.prepare(" ".join(source)))
    [prepared] = index.prepare(" ".join(line))
    if _unmatchable(len(prepared.grams), len(index.postings_of(prepared.grams))):
        assert all(_similarity(prepared, unit) == 0.0 for unit in index.units)


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=200))
def test_ascii_words_are_the_unicode_words(text: str) -> None:
    """prepare's ASCII fast path splits words exactly as the Unicode pattern."""
    from threadscope.quotes import _ASCII_WORD, _WORD

    folded = text.casefold()
    assert _ASCII_WORD.findall(folded) == _WORD.findall(folded)
