"""JSON Lines: one thread document per line, for corpora."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import orjson

# U+2028/U+2029 are line breaks to str.splitlines and some JSONL readers: always escape them
_LINE_BREAKS = {"\u2028": "\\u2028", "\u2029": "\\u2029"}
# One encoder for every line (json.dumps with options builds a new one per call).
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def dumps_line(doc: Mapping[str, Any]) -> str:
    """One document as one deterministic line (ending in a newline)."""
    return dumps_compact(doc) + "\n"


def dumps_compact(doc: Mapping[str, Any]) -> str:
    """One document as one deterministic line, without the newline.

    Corpus page files take it as is: adding a newline and stripping it again would
    copy a 10,000-comment document (9 MB) twice.
    """
    text = _encode(doc)
    for raw, escaped in _LINE_BREAKS.items():
        text = text.replace(raw, escaped)
    return text


def _encode(doc: Mapping[str, Any]) -> str:
    """Compact JSON: orjson (C, byte-identical to the json module's compact output on
    documents), else the json module for what orjson refuses (integers beyond 64 bits).

    Floats may be spelled differently (``1e-5`` for ``1e-05``), with the same value;
    orjson writes NaN and infinities as null where the json module would refuse them.
    """
    try:
        return orjson.dumps(doc).decode("utf-8")
    except (orjson.JSONEncodeError, TypeError):
        return _ENCODER.encode(doc)


def dumps_lines(docs: Iterable[Mapping[str, Any]]) -> str:
    """Several documents, one per line."""
    return "".join(dumps_line(doc) for doc in docs)


def loads_lines(text: str) -> Iterator[dict[str, Any]]:
    """Read documents back, one per non-empty line (split on newlines only)."""
    for line in text.split("\n"):
        if line.strip():
            doc: dict[str, Any] = json.loads(line)
            yield doc
