"""The registry of site families: each module in this package defines ``FAMILY``.

A family claims a page through ``detect()`` (a confidence in [0, 1]; 0.5 or more
claims it) and rebuilds its threads through ``parse()``. Detection picks the most
confident family; the generic fallback (``fallback=True``) parses what no family
claims. Modules are discovered, so adding a family is adding one module.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from threadscope.document import Document
from threadscope.errors import InputError
from threadscope.model import Thread

CLAIM = 0.5
"""A detect() confidence at or above this claims the page."""


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What a parser may need beyond the page: the reference time for relative dates."""

    now: datetime | None = None


@dataclass(frozen=True, slots=True)
class SiteFamily:
    """One site family's contract.

    Attributes:
        name: Short name used by ``--site`` and in exports ("wordpress").
        description: One line for ``threadscope sites``.
        detect: Confidence in [0, 1] that the document is this family's.
        parse: The threads in the document (several for multi-thread exports).
        formats: Input kinds handled ("html", "json", "xml", "text").
        fallback: Parses pages no family claims (only the generic family).
    """

    name: str
    description: str
    detect: Callable[[Document], float]
    parse: Callable[[Document, ParseContext], list[Thread]]
    formats: tuple[str, ...] = ("html",)
    fallback: bool = False
    examples: tuple[str, ...] = field(default=())


@cache
def families() -> tuple[SiteFamily, ...]:
    """Every registered family, sorted by name (fallbacks last)."""
    found: list[SiteFamily] = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        family = getattr(module, "FAMILY", None)
        if isinstance(family, SiteFamily):
            found.append(family)
    return tuple(sorted(found, key=lambda f: (f.fallback, f.name)))


def get_family(name: str) -> SiteFamily:
    """The family called name; InputError listing the known names otherwise."""
    for family in families():
        if family.name == name:
            return family
    known = ", ".join(f.name for f in families())
    raise InputError(f"unknown site family {name!r} (known: {known})")


def detect(doc: Document) -> SiteFamily:
    """The family that claims the document most confidently, else the fallback."""
    best: tuple[float, SiteFamily] | None = None
    for family in families():
        if family.fallback:
            continue
        score = family.detect(doc)
        if score >= CLAIM and (best is None or score > best[0]):
            best = (score, family)
    if best is not None:
        return best[1]
    for family in families():
        if family.fallback and family.detect(doc) > 0:
            return family
    raise InputError("unknown format: no site family recognises this page", doc.path)


def parse_document(
    doc: Document, site: str | None = None, context: ParseContext | None = None
) -> tuple[SiteFamily, list[Thread]]:
    """Detect (or take) the family and parse the document into threads."""
    family = get_family(site) if site else detect(doc)
    threads = family.parse(doc, context or ParseContext())
    return family, threads
