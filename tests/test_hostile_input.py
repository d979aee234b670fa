"""Extreme and hostile input: deep nesting, huge sibling lists, size limits, binary and
broken bytes, entity expansion and external entities, and paths built from hostile names.

Every case must give a correct result or one ThreadscopeError naming the file, in
bounded time and memory (the figures are in benchmarks/bench_extreme.py, not here).
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.hostile_pages import disqus_xml, hackernews, nested_divs, reddit_json, wordpress
from threadscope import sites
from threadscope.api import load_document
from threadscope.document import Document, loads_deep
from threadscope.errors import InputError, OutputError, ThreadscopeError
from threadscope.export.document import dumps, thread_document
from threadscope.export.schema import validate
from threadscope.fileio import atomic_write_text, inside, safe_name
from threadscope.htmltools import MAX_DEPTH, parse_html, parse_xml, select, text_of
from threadscope.model import Article, Comment, build_thread

DEEP = 10_000
WIDE = 100_000
# api.load_document's wording when a parser hits the recursion limit or crashes.
RECURSION = "nests too deeply"
CRASH = "parser failed ("
T = TypeVar("T")


def attempt(function: Callable[..., T], *args: Any) -> tuple[T | None, ThreadscopeError | None]:
    """The result, or the ThreadscopeError raised (anything else propagates)."""
    try:
        return function(*args), None
    except ThreadscopeError as exc:
        return None, exc


def chain(depth: int) -> list[Comment]:
    return [Comment(id=f"c{i}", parent_id=f"c{i - 1}" if i else None, depth=0, text=f"t{i}")
            for i in range(depth)]


# --- nesting 10,000 levels deep -------------------------------------------------------


def test_model_walks_and_exports_a_10000_deep_chain() -> None:
    thread = build_thread(Article(title="deep"), chain(DEEP))
    assert thread.max_depth == DEEP
    assert sum(1 for _ in thread.walk()) == DEEP
    assert sum(1 for _ in thread.breadth_first()) == DEEP
    deepest = thread.get(f"c{DEEP - 1}")
    assert len(thread.ancestors(deepest)) == DEEP - 1
    assert len(thread.paths()) == 1
    document = thread_document(thread)
    validate(document)
    assert json.loads(dumps(document))["comments"][-1]["depth"] == DEEP


def test_html_nested_past_libxml2s_limit_keeps_every_level_and_the_rest_of_the_page() -> None:
    root = parse_html(nested_divs(DEEP))
    assert len(select(root, "div.reply")) == DEEP
    text = text_of(root)
    assert text.count("level") == DEEP
    assert text.endswith("END OF PAGE")


def test_deep_html_keeps_stray_angle_brackets_and_cdata_as_text() -> None:
    # The rebuild escapes a "<" that opens no tag (the stdlib tokenizer is quadratic on
    # them: benchmarks/bench_extreme.py "stray"); the text must survive unchanged.
    root = parse_html("<div>" * 3000 + "<p>a < b and <b>bold</b> <![CDATA[x]]> <a </p>")
    assert text_of(root) == "a < b and bold <![CDATA[x]]> <a"


def test_html_nested_past_max_depth_is_one_clear_input_error() -> None:
    with pytest.raises(InputError, match="nests more than"):
        parse_html("<div>" * (MAX_DEPTH + 10), "deep.html")


def test_json_nested_past_pythons_recursion_limit_still_parses() -> None:
    depth = 50_000
    doc = Document("deep.json", ('{"r": ' * depth + "[1]" + "}" * depth).encode())
    node = doc.json
    levels = 0
    while isinstance(node, dict):
        node, levels = node["r"], levels + 1
    assert (levels, node) == (depth, [1])


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(value=JSON_VALUES, indent=st.sampled_from([None, 0, 2]))
def test_the_deep_json_parser_reads_what_json_reads(value: object, indent: int | None) -> None:
    text = json.dumps(value, indent=indent)
    assert loads_deep(text) == json.loads(text)


@pytest.mark.parametrize("bad", ["", "{", "[1,]", '{"a" 1}', "[1 2]", '{"a":1,}', "[1]x",
                                 "{1:2}", '"unterminated', "tru", "01"])
def test_the_deep_json_parser_rejects_what_json_rejects(bad: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 (json's own exception type)
        json.loads(bad)
    with pytest.raises(ValueError):  # noqa: PT011
        loads_deep(bad)


@pytest.mark.parametrize("name", ["reddit_json", "disqus", "hackernews"])
def test_family_rebuilds_a_10000_deep_reply_chain(name: str) -> None:
    page = {"reddit_json": reddit_json, "disqus": disqus_xml, "hackernews": hackernews}[name]
    threads = load_document(Document(f"deep-{name}", page(depth=DEEP).encode()))
    assert sites.detect(Document("x", page(depth=2).encode())).name == name
    assert [(len(t), t.max_depth) for t in threads] == [(DEEP, DEEP)]


def test_wordpress_rebuilds_a_deep_reply_chain() -> None:
    # 10,000 since the parser became linear (it took 172 s at 1,000 levels before);
    # tests/test_hardening_extra.py also checks the last comment's fields.
    depth = DEEP
    threads = load_document(Document("deep-wp", wordpress(depth=depth).encode()))
    assert [(len(t), t.max_depth) for t in threads] == [(depth, depth)]


def test_generic_fallback_on_10000_nested_divs_gives_a_result_or_a_clear_error() -> None:
    doc = Document("deep-divs.html", nested_divs(DEEP).encode())
    threads, error = attempt(load_document, doc)
    if error is not None:
        assert RECURSION not in error.message
        assert CRASH not in error.message
        assert error.path == "deep-divs.html"
    else:
        assert threads is not None
        assert all(t.max_depth <= DEEP for t in threads)


# --- 100,000 sibling comments -----------------------------------------------------------


def test_model_and_export_hold_100000_siblings() -> None:
    comments = [Comment(id=str(i), parent_id=None, depth=1, text="x") for i in range(WIDE)]
    thread = build_thread(Article(), comments)
    assert len(thread.roots()) == WIDE
    assert len(thread.paths()) == WIDE
    assert len(json.loads(dumps(thread_document(thread)))["comments"]) == WIDE


def test_a_family_parses_100000_sibling_comments() -> None:
    threads = load_document(Document("wide.json", reddit_json(siblings=WIDE).encode()))
    assert [(len(t), t.max_depth) for t in threads] == [(WIDE, 1)]


@pytest.mark.parametrize("name", ["disqus", "hackernews", "wordpress"])
def test_families_parse_10000_sibling_comments(name: str) -> None:
    # 10,000 keeps CI short; benchmarks/bench_extreme.py times 100,000 for each family.
    page = {"disqus": disqus_xml, "hackernews": hackernews, "wordpress": wordpress}[name]
    threads = load_document(Document(f"wide-{name}", page(siblings=DEEP).encode()))
    assert [(len(t), t.max_depth) for t in threads] == [(DEEP, 1)]


# --- size limits, empty, binary, NUL, invalid UTF-8 --------------------------------------


def sparse_file(path: Path, size: int) -> Path:
    with path.open("wb") as handle:
        handle.truncate(size)
    return path


def test_a_100mb_page_is_refused_before_reading_and_the_error_names_the_option(
        tmp_path: Path) -> None:
    big = sparse_file(tmp_path / "big.html", 100 * 1024 * 1024)
    with pytest.raises(InputError, match=r"104\.9 MB, over the 50 MB limit.*--max-size") as err:
        Document.read(big)
    assert err.value.path == str(big)


def test_raising_the_limit_reads_the_file(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=3), "utf-8")
    with pytest.raises(InputError, match="limit"):
        Document.read(page, max_bytes=100)
    assert len(load_document(Document.read(page, max_bytes=10**6))[0]) == 3


@pytest.mark.parametrize("limit", [4096, 100_000])
def test_an_endless_device_is_read_only_up_to_the_limit(limit: int) -> None:
    """/dev/zero states no size: below FIRST_READ one read hits the limit; above it the
    rest is read in a second, bounded read."""
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero on this system")
    with pytest.raises(InputError, match=r"over the .* limit"):
        Document.read("/dev/zero", max_bytes=limit)


def test_a_folder_and_a_missing_file_are_named_as_such(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a folder, not a file"):
        Document.read(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        Document.read(tmp_path / "missing.html")


@pytest.mark.parametrize(("content", "problem"), [
    (b"", "empty"), (b" \n\t\r\n", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 500, "binary"),
    (bytes(range(32)) * 300, "binary"),
    (b"PK\x03\x04" + b"\x00" * 100, "binary"),
])
def test_empty_and_binary_files_are_input_errors(content: bytes, problem: str) -> None:
    with pytest.raises(InputError, match=problem):
        Document("odd.bin", content)


def test_utf16_page_without_a_bom_is_text_not_binary() -> None:
    page = wordpress(siblings=2)
    for codec in ("utf-16-le", "utf-16-be"):
        doc = Document("wide.html", page.encode(codec))
        assert len(load_document(doc)[0]) == 2


def test_nul_bytes_and_invalid_utf8_inside_a_real_page_still_parse() -> None:
    page = wordpress(siblings=5).encode("utf-8")
    damaged = page.replace(b"Comment number 3", b"Comment\x00 number\xff\xfe 3\xc3(")
    threads = load_document(Document("damaged.html", damaged))
    assert len(threads[0]) == 5
    texts = [c.text for c in threads[0].comments]
    assert any(t.startswith("Comment number") and "3" in t for t in texts), texts


# --- XML: entity expansion and external entities -----------------------------------------

LAUGHS = ('<!DOCTYPE disqus [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                    for i in range(1, 10)) + "]>")


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOP-SECRET-CONTENT-42", "utf-8")
    return path


@pytest.fixture
def listener() -> Iterator[tuple[int, list[bytes]]]:
    """A local TCP server that records every connection: fetching would show up here."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(1024))
            conn.close()

    worker = threading.Thread(target=serve, daemon=True)
    worker.start()
    yield server.getsockname()[1], seen
    stop.set()
    worker.join(2)
    server.close()


def hostile_doctypes(secret: Path, port: int) -> dict[str, str]:
    url = f"http://127.0.0.1:{port}"
    return {
        "billion-laughs": LAUGHS.replace("]>", '<!ENTITY boom "&lol9;">]>'),
        "file-entity": f'<!DOCTYPE disqus [<!ENTITY boom SYSTEM "file://{secret}">]>',
        "http-entity": f'<!DOCTYPE disqus [<!ENTITY boom SYSTEM "{url}/entity">]>',
        "parameter-entity": f'<!DOCTYPE disqus [<!ENTITY % p SYSTEM "{url}/dtd"> %p;]>',
        "external-dtd": f'<!DOCTYPE disqus SYSTEM "{url}/external.dtd">',
    }


def assert_inert(text: str, secret: Path) -> None:
    assert "lollollol" not in text
    assert secret.read_text("utf-8") not in text


@pytest.mark.parametrize("case", ["billion-laughs", "file-entity", "http-entity",
                                  "parameter-entity", "external-dtd"])
def test_parse_xml_never_expands_or_fetches_entities(case: str, secret: Path,
                                                     listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    xml = disqus_xml(siblings=2, doctype=hostile_doctypes(secret, port)[case],
                     text=lambda i: f"before &boom; after {i}")
    root, error = attempt(parse_xml, xml.encode("utf-8"), "hostile.xml")
    if error is not None:
        assert error.path == "hostile.xml"
        assert_inert(error.message, secret)
    else:
        assert root is not None
        assert_inert("".join(str(t) for t in root.itertext()), secret)
    assert seen == [], "the parser opened a network connection"


@pytest.mark.parametrize("case", ["billion-laughs", "file-entity", "http-entity",
                                  "parameter-entity", "external-dtd"])
def test_xml_families_never_expand_or_fetch_entities(case: str, secret: Path,
                                                     listener: tuple[int, list[bytes]]) -> None:
    port, seen = listener
    xml = disqus_xml(siblings=2, doctype=hostile_doctypes(secret, port)[case],
                     title="Title &boom;", text=lambda i: f"before &boom; after {i}")
    doc = Document("hostile.xml", xml.encode("utf-8"))
    for family in [f for f in sites.families() if "xml" in f.formats] + [sites.detect(doc)]:
        try:
            threads = family.parse(doc, sites.ParseContext())
        except ThreadscopeError as exc:
            assert_inert(exc.one_line(), secret)
            continue
        for thread in threads:
            assert_inert(dumps(thread_document(thread)), secret)
    assert seen == [], "a parser opened a network connection"


def test_html_pages_with_entity_declarations_stay_inert(secret: Path) -> None:
    page = (LAUGHS.replace("<!DOCTYPE disqus", "<!DOCTYPE html")
            .replace("]>", f'<!ENTITY boom SYSTEM "file://{secret}">]>')
            + wordpress(siblings=2, text=lambda i: f"&lol9; &boom; {i}")
            .removeprefix("<!DOCTYPE html>"))
    threads, error = attempt(load_document, Document("hostile.html", page.encode()))
    if error is not None:
        assert_inert(error.message, secret)
    for thread in threads or []:
        assert_inert(dumps(thread_document(thread)), secret)


# --- names and titles used in output paths -----------------------------------------------

HOSTILE_NAMES = ["../../etc/passwd", "..", ".", "/abs/path", "a/../../b", "..\\..\\win",
                 "\u2025/\u2025/x", "\uff0e\uff0e\uff0fescape", "CON", "nul.txt", "-rf",
                 "name\x00.json", "\n", "", "x" * 5000, ".hidden", "~/home", "$(rm -rf ~)",
                 "C:\\Windows\\system32", "\u202eevil\u202dtxt.json"]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_safe_name_gives_one_plain_file_name(name: str) -> None:
    cleaned = safe_name(name)
    assert cleaned
    assert len(cleaned) <= 100
    assert "/" not in cleaned
    assert "\\" not in cleaned
    assert not cleaned.startswith((".", "-"))
    assert cleaned.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL"}


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(name=st.text(max_size=300))
def test_inside_never_leaves_the_folder(tmp_path_factory: pytest.TempPathFactory,
                                        name: str) -> None:
    folder = tmp_path_factory.getbasetemp() / "out"
    folder.mkdir(exist_ok=True)
    target = inside(folder, name)
    assert target.parent == folder.resolve()
    assert not target.name.startswith(".")


def test_inside_refuses_a_symlink_planted_to_point_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.json").symlink_to(tmp_path / "elsewhere.json")
    with pytest.raises(OutputError, match="outside the output folder"):
        inside(out, "report.json")


def test_atomic_write_leaves_no_partial_file_when_writing_fails(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(OutputError):
        atomic_write_text(blocked / "child.json", "{}")
    assert blocked.read_text() == "x"
