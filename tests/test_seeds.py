"""The comment-less seeds (000, 002, 003, 004): titles, body paragraphs, no page furniture.

Expected values come from issue 2 and from reading the seed pages by eye.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES, SEEDS, THREADS
from threadscope.api import load_one
from threadscope.document import Document
from threadscope.model import Thread
from threadscope.sites import ParseContext, detect, plaintext, seedtext
from threadscope.textarticle import extract_article, strip_css

SEED = {p.name[:3]: p for p in SEEDS}

# seed: (title, number of body paragraphs, first words of first and last paragraph)
ARTICLES = {
    "000": ("Will Russian military bases appear in another seven countries of the world?", 9,
            "After Russia demonstrated its military viability", "Latin America is also of"),
    "002": ("Russia And Mali Sign Military Cooperation Agreement", 2,
            "In addition, it was decided to improve", "MOSCOW (IDN) – As Russia and Mali"),
    "003": ("Putin offers to sell Russian military weapons to allies in Asia, Africa, "
            "Latin America & the Middle East", 18,
            "Russian leader Vladimir Putin said on Monday", "In 2021, Daniel Ortega expressed"),
    "004": ("Russian Federation plans to increase military presence in NATO’s eastern flank "
            "– ISW", 7, "Putin’s agreements with Lukashenko",
            "Remember, as stated in an updated assessment"),
}

# Page furniture that must not be body text, per seed (copied from the pages).
FURNITURE = {
    "002": ["(Visited 1 times, 1 visits today)", "Leave A Reply With Facebook",
            "Aliso Viejo Home Search", "has written 200 articles", "Post by",
            "You may enjoy these related posts", "None Found", "Powered by Facebook Comments",
            "Previous post", "Next post", "by on April 11, 2021"],
    "003": ["Photo credit should read", "YURI KADOBNOV/AFP via Getty Images"],
    "004": ["HomeWorld", "Photo: Mil.ru.", "Subscribe to our channels", "Source: korrespondent",
            "A word from our sponsors", "Most Popular", "LEAVE A REPLY",
            "Please enter your comment!", "Please enter your name here", "More from Author",
            "Read Now", "Rocket attack on Kharkov", "in_text_content_22", "Adsbygoogle",
            "Dnipro Dead Strip clubs", "Trump appreciates the possibility"],
}


@pytest.fixture(scope="module", params=sorted(ARTICLES))
def seed(request: pytest.FixtureRequest) -> tuple[str, Thread]:
    return request.param, load_one(SEED[request.param])


def test_no_comments_are_invented(seed: tuple[str, Thread]) -> None:
    _, thread = seed
    assert thread.comments == ()
    assert thread.article.declared_comment_count is None


def test_title_and_body_paragraphs(seed: tuple[str, Thread]) -> None:
    name, thread = seed
    title, count, first, last = ARTICLES[name]
    article = thread.article
    assert article.title == title
    assert len(article.body) == count
    assert article.body[0].startswith(first)
    assert article.body[-1].startswith(last)


def test_the_title_is_not_repeated_in_the_body(seed: tuple[str, Thread]) -> None:
    _, thread = seed
    assert thread.article.title not in thread.article.body


def test_page_furniture_is_not_body(seed: tuple[str, Thread]) -> None:
    name, thread = seed
    body = "\n".join(thread.article.body)
    for bit in FURNITURE.get(name, []):
        assert bit not in body, bit


def test_seed_002_byline_date_without_author() -> None:
    article = load_one(SEED["002"]).article
    assert article.author is None
    assert article.published is not None
    assert article.published.iso == "2021-04-11"
    assert article.published.precision == "day"


def test_seed_003_photo_captions_are_neither_body_nor_comments() -> None:
    thread = load_one(SEED["003"])
    assert not any("shakes hands with his Venezuelan counterpart" in p
                   for p in thread.article.body)
    assert thread.comments == ()


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name[:3])
def test_every_seed_is_the_seed_family(path: Path) -> None:
    doc = Document.read(path)
    assert detect(doc).name == "seedtext"
    assert plaintext.detect(doc) < 0.5


def test_seedtext_does_not_claim_the_gold_copies() -> None:
    if not (THREADS / "README.md").exists():
        pytest.skip(f"real threads not found at {THREADS}")
    for path in sorted((THREADS / "dragnet").glob("*.gold.txt")):
        assert seedtext.detect(Document.read(path)) < 0.5, path.name


def test_stray_css_is_removed_nested_media_blocks_included() -> None:
    line = ("The Russian missile blow to Harkiva led to an injury of 112 people. "
            ".in_text_content_22 {width: 300px; Height: 600px; } @Media (min-width: 600px) "
            "{.in_text_content_22 {width: 580px; Height: 400px; }} .Adsbygoogle "
            "{Touch-Action: Manipulation; } A 12-year-old boy who fell under the fire was...")
    assert strip_css(line) == ("The Russian missile blow to Harkiva led to an injury of 112 "
                               "people. A 12-year-old boy who fell under the fire was...")


def test_breadcrumb_with_separators_is_not_the_title() -> None:
    text = ("Home › Politics › A long day\n\nA long day in parliament\n\n"
            "The vote was close, and the chamber stayed late into the night.\n")
    article = extract_article(text)
    assert article.title == "A long day in parliament"
    assert article.body == ("The vote was close, and the chamber stayed late into the night.",)


def test_fixtures_folder_holds_the_five_seeds() -> None:
    assert sorted(SEED) == ["000", "001", "002", "003", "004"]
    assert all(p.parent == FIXTURES for p in SEEDS)


SYNTHETIC_SEED = """Synthetic seed-format page: edge cases of the outline layout

This paragraph is the article body, long enough to read as a sentence of prose.

3 comments
Information
Dear reader, to leave comments on the publication, you must sign in.
  1. ivan_petrov -3
    24 января 2022 09:43
    Three reasons:
    1. the fleet is far away
    2. the money is short
  2. 0
    25 January 2022 10: 05
    Plain text.
    1. 777
      +12
      25 January 2022 11: 15
      A numeric username and a positive score.
"""


def _synthetic_seed() -> Thread:
    doc = Document("synthetic-seed.txt", SYNTHETIC_SEED.encode("utf-8"))
    assert detect(doc).name == "seedtext"
    return seedtext.parse(doc, ParseContext())[0]


def test_seed_format_edge_cases_name_and_score_on_one_line() -> None:
    thread = _synthetic_seed()
    assert [(c.id, c.parent_id, c.author, c.score) for c in thread.comments] == [
        ("1", None, "ivan_petrov", -3), ("2", None, None, 0), ("2.1", "2", "777", 12)]
    assert thread.article.declared_comment_count == 3


def test_seed_format_numbered_list_in_a_comment_is_text() -> None:
    text = _synthetic_seed().get("1").text
    assert text == "Three reasons:\n1. the fleet is far away\n2. the money is short"


def test_seed_format_russian_month_names() -> None:
    stamp = _synthetic_seed().get("1").timestamp
    assert stamp is not None
    assert stamp.iso == "2022-01-24T09:43"
