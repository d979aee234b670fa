"""Every input that once crashed threadscope (fixtures/regressions/) stays harmless.

Each file is read as a page through the document views, every family's detect()
and parse() directly, and threadscope.api.load_document: only ThreadscopeError may
come out, and any thread returned must export to a schema-valid document. The table
in fixtures/regressions/README.md says where each came from and what it broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_fuzz_parsers import family_names, load_generically, parse_directly
from threadscope.document import Document
from threadscope.encoding import decode
from threadscope.errors import ThreadscopeError

REGRESSIONS = FIXTURES / "regressions"
INPUTS = sorted(p for p in REGRESSIONS.iterdir() if p.name != "README.md")


def test_every_regression_input_is_listed_in_the_readme() -> None:
    table = (REGRESSIONS / "README.md").read_text("utf-8")
    assert INPUTS, "no regression inputs found"
    missing = [p.name for p in INPUTS if f"| {p.name} |" not in table]
    assert not missing, f"undocumented regression inputs: {missing}"


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_regression_input_decodes_and_loads_cleanly(path: Path) -> None:
    data = path.read_bytes()
    assert isinstance(decode(data), str)
    try:
        doc = Document(str(path), data)
    except ThreadscopeError:
        return
    assert isinstance(doc.text, str)
    load_generically(data)


@pytest.mark.parametrize("name", family_names())
@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_regression_input_is_harmless_to_every_family(path: Path, name: str) -> None:
    parse_directly(name, path.read_bytes())


def test_xhtml_page_with_an_xml_declaration_parses_as_html() -> None:
    path = REGRESSIONS / "xhtml-xml-declaration.html"
    doc = Document(str(path), path.read_bytes())
    assert "First comment." in doc.html.text_content()


def test_punycode_label_is_ignored_and_the_page_decodes_as_utf8() -> None:
    assert decode('<meta charset="punycode"><p>Grüße</p>'.encode()) == (
        '<meta charset="punycode"><p>Grüße</p>')


def test_a_score_too_long_for_int_is_no_score() -> None:
    from threadscope.htmltools import int_or_none

    assert int_or_none("9" * 5000 + " points") is None
    assert int_or_none("+1,024 points") == 1024
