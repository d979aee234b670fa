"""Decoding: BOMs, declarations (meta charset, http-equiv, XML), wrong labels and no labels.

The pages are real-looking comment pages written here and encoded in each test, so
the expected text is known exactly and the bytes are exactly what old sites serve.
"""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadscope.document import Document
from threadscope.encoding import declared_charset, decode
from threadscope.htmltools import text_of

RUSSIAN = ("Спасибо за статью! Я живу в Екатеринбурге уже двадцать лет, и погода "
           "здесь всегда непредсказуемая. Ёлки-палки, опять снег в мае.")
GERMAN = ("Grüße aus München! Die Straßen sind nass, aber das Café an der Ecke hat "
          "geöffnet. Übrigens: „Qualität“ kostet 5 € – das ist fair.")
FRENCH = "Voilà ce que j'en pense : l'été dernier, à Noël, c'était déjà trop tard. Très déçu."
CZECH = "Příliš žluťoučký kůň úpěl ďábelské ódy. Děkuji za článek, byl opravdu výborný."

META = '<meta charset="{label}">'
HTTP_EQUIV = '<meta http-equiv="Content-Type" content="text/html; charset={label}">'


def page(body: str, head: str = "") -> str:
    """A small comment page around one comment's text."""
    return (f"<!DOCTYPE html><html><head>{head}<title>Comments</title>"
            f"</head><body><ol class=\"commentlist\"><li class=\"comment\" id=\"comment-1\">"
            f"<cite>reader</cite><div class=\"comment-body\"><p>{body}</p></div></li></ol>"
            f"</body></html>")


def comment_text(data: bytes) -> str:
    doc = Document("page.html", data)
    return text_of(doc.html.find(".//div[@class='comment-body']"))


@pytest.mark.parametrize(("text", "codec"), [
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (GERMAN, "cp1252"), (FRENCH, "latin-1"),
    (CZECH, "cp1250"),
])
@pytest.mark.parametrize("declaration", [META, HTTP_EQUIV])
def test_declared_single_byte_pages_decode_exactly(text: str, codec: str,
                                                   declaration: str) -> None:
    data = page(text, declaration.format(label=codec)).encode(codec)
    assert comment_text(data) == text


@pytest.mark.parametrize(("text", "codec"), [
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8-r"), (GERMAN, "cp1252"), (FRENCH, "latin-1"),
])
def test_undeclared_single_byte_pages_are_guessed_without_mojibake(text: str,
                                                                   codec: str) -> None:
    assert comment_text(page(text).encode(codec)) == text


@pytest.mark.parametrize(("text", "codec", "wrong_label"), [
    (RUSSIAN, "cp1251", "utf-8"),        # CMS template says UTF-8, database served cp1251
    (RUSSIAN, "cp1251", "iso-8859-1"),   # Western default label on a Russian site
    (RUSSIAN, "koi8-r", "windows-1251"),  # the two Cyrillic encodings confused
    (GERMAN, "cp1252", "utf-8"),
])
def test_mislabelled_single_byte_pages_decode_as_their_bytes(text: str, codec: str,
                                                             wrong_label: str) -> None:
    data = page(text, META.format(label=wrong_label)).encode(codec)
    assert comment_text(data) == text


@pytest.mark.parametrize("stale", ["iso-8859-1", "windows-1251", "koi8-r", "shift_jis"])
def test_utf8_page_with_a_stale_single_byte_label_stays_utf8(stale: str) -> None:
    data = page(RUSSIAN + " " + GERMAN, HTTP_EQUIV.format(label=stale)).encode("utf-8")
    assert comment_text(data) == RUSSIAN + " " + GERMAN


@pytest.mark.parametrize("bom_codec", ["utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_byte_order_mark_wins_over_a_contradicting_label(bom_codec: str) -> None:
    text = page(GERMAN, META.format(label="windows-1251"))
    data = text.encode(bom_codec)
    if bom_codec == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    assert comment_text(data) == GERMAN


def test_utf16_label_in_ascii_readable_bytes_means_utf8() -> None:
    # WHATWG: a meta that could be read as ASCII cannot be UTF-16; treat it as UTF-8.
    data = page(FRENCH, META.format(label="utf-16")).encode("utf-8")
    assert declared_charset(data) == "utf-8"
    assert comment_text(data) == FRENCH


@pytest.mark.parametrize("label", ["punycode", "unicode_escape", "raw_unicode_escape",
                                   "utf-7", "idna", "rot13", "base64", "no-such-charset"])
def test_non_web_codecs_named_by_a_page_are_ignored(label: str) -> None:
    data = page(GERMAN + " +ADw-script+AD4-", META.format(label=label)).encode("utf-8")
    assert declared_charset(data) is None
    text = comment_text(data)
    assert text == GERMAN + " +ADw-script+AD4-"  # utf-7 would have decoded <script>


def test_xml_declaration_names_the_encoding() -> None:
    xml = f'<?xml version="1.0" encoding="windows-1251"?><disqus><post>{RUSSIAN}</post></disqus>'
    assert RUSSIAN in decode(xml.encode("cp1251"))


def test_invalid_utf8_bytes_become_replacement_characters_not_errors() -> None:
    data = page("valid start \xff\xfe broken \xc3 end").encode("latin-1")
    data = data.replace(b"\xc3 end", b"\xc3\x28 end") + b"\xed\xa0\x80"
    text = Document("bad.html", data).text
    assert "valid start" in text
    assert "end" in text


def test_nul_bytes_in_a_page_do_not_stop_parsing() -> None:
    data = page("before\x00after " + GERMAN).encode("utf-8")
    assert comment_text(data) == "beforeafter " + GERMAN


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(text=st.text(max_size=300), codec=st.sampled_from(
    ["utf-8", "utf-16", "utf-32", "cp1252", "cp1251", "koi8-r", "latin-1", "gb18030"]),
    label=st.sampled_from(["", "utf-8", "windows-1252", "utf-16", "punycode", "x"]))
def test_decode_never_raises_and_utf8_round_trips(text: str, codec: str, label: str) -> None:
    head = META.format(label=label) if label else ""
    data = (head + text).encode(codec, errors="replace")
    decoded = decode(data)
    assert isinstance(decoded, str)
    if codec == "utf-8" and (text.isascii() or label != "utf-16"):
        assert decoded == head + text
