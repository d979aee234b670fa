"""Hypothesis strategies that damage real pages the way crawlers and hostile sites do.

Each mutator takes the page bytes and hypothesis' ``draw`` and returns new bytes:
truncation anywhere, tags deleted or duplicated, attributes garbled, bytes injected,
the encoding swapped (with or without a matching declaration), comment blocks
shuffled, and structural edits of JSON dumps. ``mutated`` applies one to three of them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

Draw = Callable[[st.SearchStrategy[Any]], Any]
Mutator = Callable[[bytes, Draw], bytes]

# A tag, bounded so a stray "<" in text cannot make the regex scan the whole page.
TAG = re.compile(rb"<[^<>]{0,300}>")
# An attribute with its quoted value.
ATTRIBUTE = re.compile(rb"""\s[\w:.-]{1,40}=(?:"[^"<>]{0,300}"|'[^'<>]{0,300}')""")
# Where comment blocks start in the pages we fuzz: list items, divs, table rows, posts.
BLOCK_STARTS = (b"<li", b"<div", b"<tr", b"<article", b"<post", b"<p>", b"<blockquote")
# Byte strings that have broken parsers elsewhere: NUL, BOMs, comment and CDATA
# openers, bad character references, lone surrogates in UTF-8, closing tags.
HOSTILE = (b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b"<!--", b"-->", b"<![CDATA[", b"]]>",
           b"&#0;", b"&#xD800;", b"&#99999999999;", b"\xed\xa0\x80", b"\r", b"</html>",
           b"</body>", b"<html>", b"<", b">", b"&", b'"', b"\xc3", b"\xe2\x80",
           b"<script>", b"</script>", b"<?xml version='1.0'?>", b"<!DOCTYPE x [",
           b"\x1b[31m", "\u202e".encode("utf-8"))
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "cp1252",
             "cp1251", "latin-1", "koi8-r", "shift_jis", "gb18030")
CHARSET_DECL = re.compile(rb"""(charset\s*=\s*["']?|encoding\s*=\s*["'])([\w.:-]+)""", re.I)


def _position(data: bytes, draw: Draw) -> int:
    return int(draw(st.integers(0, len(data))))


def truncate(data: bytes, draw: Draw) -> bytes:
    """Cut the page anywhere (a crawler that gave up mid-download)."""
    return data[:_position(data, draw)]


def _pick(pattern: re.Pattern[bytes], data: bytes, draw: Draw) -> re.Match[bytes] | None:
    found = list(pattern.finditer(data, *_window(data, draw)))
    return draw(st.sampled_from(found)) if found else None


def _window(data: bytes, draw: Draw) -> tuple[int, int]:
    """A 64 KiB slice to search, so mutations reach the end of big pages too."""
    start = draw(st.integers(0, max(0, len(data) - 65536)))
    return start, start + 65536


def delete_tag(data: bytes, draw: Draw) -> bytes:
    """Remove one tag, leaving its partner unbalanced."""
    match = _pick(TAG, data, draw)
    return data if match is None else data[:match.start()] + data[match.end():]


def duplicate_tag(data: bytes, draw: Draw) -> bytes:
    """Copy a tag, or a stretch of markup from one tag, to another place in the page."""
    match = _pick(TAG, data, draw)
    if match is None:
        return data
    length = draw(st.sampled_from([0, 200, 2000]))
    piece = data[match.start():match.end() + length]
    at = _position(data, draw)
    copies = int(draw(st.integers(1, 3)))
    return data[:at] + piece * copies + data[at:]


def garble_attribute(data: bytes, draw: Draw) -> bytes:
    """Break one attribute: drop its quote, empty it, or fill it with junk."""
    match = _pick(ATTRIBUTE, data, draw)
    if match is None:
        return data
    attr = match.group(0)
    name, _, _ = attr.partition(b"=")
    replacement: bytes = draw(st.sampled_from([
        attr[:-1], name + b"=", name, name + b'="' + b"x" * 5000 + b'"',
        name + b"=\"<>'&\x00\"", name + b'="-1"', name + b'="99999999999999999999"',
        name + b'="tree_"', name + b'="' + attr + b'"',
    ]) | st.binary(max_size=40).map(lambda junk: name + b'="' + junk + b'"'))
    return data[:match.start()] + replacement + data[match.end():]


def inject_bytes(data: bytes, draw: Draw) -> bytes:
    """Insert hostile or random bytes anywhere."""
    payload: bytes = draw(st.sampled_from(HOSTILE) | st.binary(min_size=1, max_size=64))
    at = _position(data, draw)
    copies = int(draw(st.integers(1, 4)))
    return data[:at] + payload * copies + data[at:]


def swap_encoding(data: bytes, draw: Draw) -> bytes:
    """Re-encode the page, and maybe declare a different charset than the bytes use."""
    from threadscope.encoding import decode

    text = decode(data)
    target = draw(st.sampled_from(ENCODINGS))
    encoded = text.encode(target, errors=draw(st.sampled_from(["replace", "xmlcharrefreplace"])))
    if draw(st.booleans()):
        label = draw(st.sampled_from((*ENCODINGS, "utf-7", "punycode", "bogus-charset")))
        encoded = CHARSET_DECL.sub(lambda m: m.group(1) + label.encode(), encoded, count=1)
    return encoded


def shuffle_blocks(data: bytes, draw: Draw) -> bytes:
    """Reorder a run of comment blocks (or lines, for plain text)."""
    opener: bytes = draw(st.sampled_from((b"\n", *BLOCK_STARTS)))
    parts = data.split(opener)
    if len(parts) < 3:
        return data
    start = draw(st.integers(1, len(parts) - 2))
    end = min(len(parts), start + draw(st.integers(2, 30)))
    window = parts[start:end]
    order = draw(st.permutations(range(len(window))))
    parts[start:end] = [window[i] for i in order]
    return opener.join(parts)


def mutate_json(data: bytes, draw: Draw) -> bytes:
    """Edit a JSON dump's structure: drop keys, change types, shuffle or repeat lists."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError):
        return inject_bytes(data, draw)
    containers = _containers(value)
    for _ in range(draw(st.integers(1, 4))):
        _edit(draw(st.sampled_from(containers)), draw)
    return json.dumps(value, ensure_ascii=draw(st.booleans())).encode("utf-8")


def _containers(value: Any) -> list[Any]:
    found: list[Any] = []
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, dict | list) and node:
            found.append(node)
            stack.extend(node.values() if isinstance(node, dict) else node)
    return found or [{}]


_ODD_VALUES: tuple[Any, ...] = (None, 0, -1, 2**63, 1.5, "", "x", "[deleted]", [], {}, True,
               "<script>alert(1)</script>", {"kind": "more"}, [None])


def _edit(node: Any, draw: Draw) -> None:
    if isinstance(node, dict):
        if not node:
            return
        key = draw(st.sampled_from(sorted(node, key=str)))
        if draw(st.booleans()):
            del node[key]
        else:
            node[key] = draw(st.sampled_from(_ODD_VALUES))
    elif node:
        action = draw(st.sampled_from(["shuffle", "repeat", "drop", "odd"]))
        index = draw(st.integers(0, len(node) - 1))
        if action == "shuffle":
            node.reverse()
        elif action == "repeat":
            node.append(node[index])
        elif action == "drop":
            del node[index]
        else:
            node[index] = draw(st.sampled_from(_ODD_VALUES))


MUTATORS: tuple[Mutator, ...] = (truncate, delete_tag, duplicate_tag, garble_attribute,
                                 inject_bytes, swap_encoding, shuffle_blocks, mutate_json)


@st.composite
def mutated(draw: Draw, data: bytes) -> bytes:
    """The page after one to three mutations."""
    for mutator in draw(st.lists(st.sampled_from(MUTATORS), min_size=1, max_size=3)):
        data = mutator(data, draw)
    return data
