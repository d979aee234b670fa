"""Language checks: the common-English-word fast path agrees with py3langid on real pages."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import need_data, need_threads
from threadscope.classify import language
from threadscope.classify.lexicon import WORDS_FILE, build, corpus_texts, english_words

REAL_PAGES = ("trafilatura/german.stackexchange.com.ausgeraubt.html",
              "trafilatura/katzen-forum.net-Pepe.html", "trafilatura/moritz-meyer.net.vreni.html",
              "disqus/tanglei_about_thread_redacted.xml", "dragnet/R990.html",
              "dragnet/131.html", "hackernews/hn_item_28016025.html")


def test_shipped_word_list_is_rebuilt_from_the_corpora() -> None:
    words = build(corpus_texts(need_data()))
    assert WORDS_FILE.read_text(encoding="utf-8").split() == words
    assert 1000 < len(words) < 5000


def test_build_keeps_words_shared_by_enough_corpora() -> None:
    common = [f"the {i} word" for i in range(5)]  # synthetic: five texts per corpus
    corpora = {f"c{k}": [*common, *(["only"] * 5 if k == 0 else [])] for k in range(5)}
    assert build(corpora) == ["the", "word"]
    assert build(dict(list(corpora.items())[:4])) == []


def test_fast_path_never_overrules_a_confident_langid_on_real_pages() -> None:
    from threadscope.api import load

    identifier = language._identifier()
    checked = 0
    for name in REAL_PAGES:
        for comment in load(need_threads() / name)[0].comments:
            text = comment.text
            if language._non_latin_share(text) >= 0.05:
                continue
            words = language.WORD.findall(text.lower())
            if not words or not language._plainly_english(words):
                continue
            lang, prob = identifier.classify(text)
            checked += 1
            assert lang == "en" or prob < language.MIN_CONFIDENCE, text
    assert checked > 300


@pytest.mark.parametrize("text", [
    # synthetic edge cases: common sentences of languages that share short words with English
    "Ich denke, man sollte die Polizei rufen, bevor es zu spät ist.",
    "Je pense que cette idée est vraiment mauvaise pour la ville.",
    "Creo que el gobierno no tiene razón en este caso, la verdad.",
    "Ik denk dat de regering hier geen gelijk heeft, eerlijk gezegd.",
    "Penso che questa sia una pessima idea per la nostra città.",
])
def test_other_latin_languages_are_not_taken_for_english(text: str) -> None:
    assert not language._plainly_english(language.WORD.findall(text.lower()))
    assert language.detect(text) != "en"


def test_word_salad_of_common_english_words_skips_langid() -> None:
    text = "Good point, thanks. policy data people really never always great market vote"
    assert {"policy", "market", "vote"} <= english_words()
    assert language._plainly_english(language.WORD.findall(text.lower()))


def test_a_long_text_is_identified_from_its_opening() -> None:
    # synthetic: a German opening longer than the sample, then English the sample never sees
    german = "Ich denke, man sollte die Polizei rufen, bevor es zu spät ist. " * 12
    assert len(german) > language.SAMPLE_CHARS
    assert language.detect(german + "I agree with this and so does everyone here. " * 40) == "de"
    assert language.detect("I agree with this and so does everyone here. " * 40 + german) == "en"


ASCII_TEXT = st.text(alphabet=st.characters(max_codepoint=127), max_size=200)


@given(ASCII_TEXT)
def test_ascii_words_are_the_unicode_words(text: str) -> None:
    """The ASCII fast path finds exactly the words of the Unicode pattern."""
    low = text.lower()
    assert language.ASCII_WORD.findall(low) == language.WORD.findall(low)
