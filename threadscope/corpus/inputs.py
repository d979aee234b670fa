"""Turning the INPUT arguments of a corpus run (files, folders, globs) into page paths."""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from threadscope.errors import InputError

_GLOB_CHARS = frozenset("*?[")
"""A path argument holding one of these is expanded as a glob pattern."""


def discover(inputs: Iterable[str | Path], exclude: Path | None = None) -> Iterator[str]:
    """Every page path named by the inputs, in a stable order, each once.

    Files are taken as given (a missing file is kept so the run records it as a failed
    page); folders are walked recursively in sorted order, skipping hidden entries;
    globs are expanded in sorted order. Anything under ``exclude`` (the output folder)
    is left out, so a run never reads its own outputs.

    Raises:
        InputError: a glob matched no file.
    """
    seen: set[str] = set()
    skip = exclude.resolve() if exclude is not None else None
    for raw in inputs:
        for path in _expand(str(raw)):
            if path in seen or (skip is not None and _is_under(path, skip)):
                continue
            seen.add(path)
            yield path


def _expand(raw: str) -> Iterator[str]:
    if os.path.isdir(raw):
        yield from _walk(raw)
    elif _GLOB_CHARS & set(raw) and not os.path.exists(raw):
        matches = sorted(glob.glob(raw, recursive=True))
        if not matches:
            raise InputError("no file matches this pattern", raw)
        for match in matches:
            yield from _walk(match) if os.path.isdir(match) else (match,)
    else:
        yield raw


def _walk(folder: str) -> Iterator[str]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(root, name)


def _is_under(path: str, folder: Path) -> bool:
    resolved = Path(path).resolve()
    return resolved == folder or folder in resolved.parents


def content_key(path: str) -> str | None:
    """Hex SHA-256 of the file's bytes (the resume key), None when it cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
