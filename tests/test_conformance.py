"""One conformance test over every registered site family (the scikit-learn habit).

Each family must have real fixture pages (../shared/threads or the seeds) or be
marked synthetic-only with a reason; detect() must claim its own pages and no other
family's; every parse must give valid trees that export to schema-valid documents.
A family missing from PAGES fails, so a new family cannot skip conformance.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, THREADS
from threadscope.document import Document
from threadscope.sites import CLAIM, ParseContext, SiteFamily, families

SYN = "synthetic/"


@dataclass(frozen=True)
class Pages:
    """A family's pages: real ones (under ../shared/threads unless they start with
    "fixtures/") and synthetic edge-case pages under fixtures/synthetic/."""

    real: tuple[str, ...] = ()
    synthetic: tuple[str, ...] = ()
    synthetic_only: str = ""  # the reason, when the family has no real page


# family name -> its pages. Keep in step with threadscope/sites/.
PAGES: dict[str, Pages] = {
    "discourse": Pages(("discourse/try_discourse_topic.json",),
                       (SYN + "discourse_crawler.html", SYN + "discourse_crawler_2018.html")),
    "disqus": Pages(("disqus/tanglei_about_thread_redacted.xml",), (SYN + "disqus_embed.html",)),
    "hackernews": Pages(("hackernews/hn_item_28016025.html",),
                        (SYN + "hn_algolia_item.json", SYN + "hn_firebase_nested.json")),
    "movabletype": Pages(("dragnet/R990.html",)),
    "outline_news": Pages(synthetic=(SYN + "outline_news.html",), synthetic_only=(
        "no saved page of a news site numbering its comments as an outline is available")),
    "phpbb": Pages(synthetic=(SYN + "phpbb3_prosilver_topic.html",
                              SYN + "phpbb30_prosilver_topic.html",
                              SYN + "phpbb3_subsilver2_topic.html",
                              SYN + "phpbb2_subsilver_topic_de.html"),
                   synthetic_only="no real phpBB page in ../shared/threads"),
    "plaintext": Pages(("dragnet/131.gold.txt", "dragnet/R990.gold.txt", "dragnet/T50.gold.txt")),
    "reddit-html": Pages(("trafilatura/reddit.com.init.html",),
                         (SYN + "old_reddit_thread.html", SYN + "shreddit_thread.html")),
    "reddit_json": Pages(("reddit_json_praw/reddit_2gmzqe.json",
                          "reddit_json_praw/reddit_3hahrw_limit10.json")),
    "sbnation": Pages(("dragnet/T50.html",)),
    "seedtext": Pages(tuple(f"fixtures/{p.name}" for p in sorted(FIXTURES.glob("0*.txt")))),
    "slashdot": Pages(("dragnet/131.html",)),
    "stackexchange": Pages(("trafilatura/german.stackexchange.com.ausgeraubt.html",)),
    "vbulletin": Pages(synthetic=(SYN + "vbulletin4_thread.html",
                                  SYN + "vbulletin3_thread_de.html",
                                  SYN + "vbulletin5_thread.html"),
                       synthetic_only="no real vBulletin page in ../shared/threads"),
    "wordpress": Pages(("trafilatura/moritz-meyer.net.vreni.html",
                        "trafilatura/lemire.me.json.html"), (SYN + "wpdiscuz_comments.html",
                                                            SYN + "wordpress_classic_theme.html")),
    "xenforo": Pages(("trafilatura/katzen-forum.net-Pepe.html",), (SYN + "xenforo1_thread.html",)),
    # The fallback claims nothing (detect() < CLAIM); its pages are those no family claims.
    "generic": Pages(synthetic=(SYN + "generic_depth_classes.html", SYN + "generic_indent.html",
                                SYN + "generic_reply_links.html"),
                     synthetic_only="the fallback is for unknown sites; real pages of known "
                                    "families are checked with --site generic in the benchmark"),
}

NAMES = [f.name for f in families()]


def _path(page: str) -> Path:
    if page.startswith(SYN):
        return FIXTURES / page
    if page.startswith("fixtures/"):
        return FIXTURES.parent / page
    return THREADS / page


def _available(pages: tuple[str, ...]) -> list[str]:
    return [p for p in pages if _path(p).exists()]


def _own_pages(name: str) -> list[str]:
    entry = PAGES[name]
    return _available(entry.real) + _available(entry.synthetic)


def _all_pages() -> list[tuple[str, str]]:
    return [(name, page) for name in PAGES for page in _own_pages(name)]


def _family(name: str) -> SiteFamily:
    return next(f for f in families() if f.name == name)


def test_every_synthetic_page_belongs_to_a_family() -> None:
    listed = {p for entry in PAGES.values() for p in entry.synthetic}
    present = {SYN + p.name for p in (FIXTURES / "synthetic").iterdir()
               if p.is_file() and not p.name.startswith("README")}
    unlisted = sorted(present - listed)
    assert not unlisted, f"synthetic pages not in tests/test_conformance.py PAGES: {unlisted}"


def test_table_names_are_registered() -> None:
    stale = sorted(set(PAGES) - set(NAMES))
    assert not stale, f"PAGES lists families that are not registered: {stale}"


@pytest.mark.parametrize("name", NAMES)
def test_family_has_fixture_pages(name: str) -> None:
    assert name in PAGES, f"family {name!r} has no entry in tests/test_conformance.py PAGES"
    entry = PAGES[name]
    assert entry.real or entry.synthetic_only, f"{name}: no real page and no reason why"
    assert entry.real or entry.synthetic, f"{name}: synthetic-only but no synthetic page"
    missing = [p for p in entry.synthetic if not _path(p).exists()]
    assert not missing, f"{name}: synthetic pages missing: {missing}"
    if entry.real and not any(p.startswith("fixtures/") for p in entry.real):
        if not (THREADS / "README.md").exists():
            pytest.skip(f"real threads not found at {THREADS} (set THREADSCOPE_THREADS)")
        assert _available(entry.real) == list(entry.real), f"{name}: real pages missing"


@pytest.mark.parametrize("name", NAMES)
def test_detect_claims_own_pages_and_no_others(name: str) -> None:
    assert name in PAGES, f"family {name!r} has no entry in PAGES"
    family = _family(name)
    wrong: list[str] = []
    for owner, page in _all_pages():
        doc = Document.read(_path(page))
        score = family.detect(doc)
        assert 0.0 <= score <= 1.0, f"{name}.detect({page}) = {score}, outside [0, 1]"
        if family.fallback:
            want_positive = doc.looks_like_html
            if score >= CLAIM or (score > 0) != want_positive:
                wrong.append(f"{page}: {score}")
        elif (score >= CLAIM) != (owner == name):
            wrong.append(f"{page} ({owner}): {score}")
    assert not wrong, f"{name} detect() wrong on: {wrong}"


@pytest.mark.parametrize("name", NAMES)
def test_own_pages_parse_to_valid_schema_documents(name: str) -> None:
    from threadscope.export.document import thread_document
    from threadscope.export.schema import validate

    assert name in PAGES, f"family {name!r} has no entry in PAGES"
    pages = _own_pages(name)
    if not pages:
        pytest.skip(f"{name}: its real pages are not available here")
    family = _family(name)
    counts = {}
    for page in pages:
        threads = family.parse(Document.read(_path(page)), ParseContext())
        assert threads, f"{name}: no thread in {page}"
        counts[page] = sum(len(t) for t in threads)
        for thread in threads:
            validate(thread_document(thread))
    # A page may truly have no comments (a seed article), but not all of them.
    assert any(counts.values()), f"{name}: no comment on any of its pages: {counts}"


def test_fallback_reads_pages_no_family_claims() -> None:
    from threadscope.sites import detect

    for page in _own_pages("generic"):
        assert detect(Document.read(_path(page))).name == "generic", page
