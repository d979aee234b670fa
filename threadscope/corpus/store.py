"""The output folder of a corpus run: per-page files, the resume state and final outputs.

Layout of ``OUT``::

    OUT/threads.jsonl          every thread document, one per line, in input order
    OUT/errors.jsonl           every failed page: {path, error, message}, sorted by path
    OUT/summary.json           counts and agreement figures per site and overall
    OUT/convokit/              the ConvoKit corpus (with --format convokit)
    OUT/state/options.json     the options the per-page files were made with
    OUT/state/pages/ab/<sha256>.jsonl   one page's documents, named by its content hash

A page is done exactly when its per-page file exists. Each per-page file is written
whole to a temporary file, flushed to disk and renamed into place, so a run killed at
any moment (even by SIGKILL) leaves either the complete file or none; the final
outputs are rebuilt from the per-page files, so they can never hold half a line.
"""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from threadscope import __version__
from threadscope.corpus.page import PageError, PageOptions
from threadscope.errors import OutputError
from threadscope.fileio import atomic_write_bytes, atomic_write_text

STATE = "state"
PAGES = "pages"
THREADS_FILE = "threads.jsonl"
ERRORS_FILE = "errors.jsonl"
SUMMARY_FILE = "summary.json"
CONVOKIT_DIR = "convokit"
_ERRORS_PART = "errors.part"
_FILE_MODE = 0o644
"""Final outputs are readable by others, like any file a tool writes (mkstemp gives 0600)."""
_DUPLICATES_PART = "duplicates.part"


class CorpusStore:
    """One run's output folder: checks its options, stores pages, records failures."""

    def __init__(self, out: Path, options: PageOptions) -> None:
        self.out = out
        self.state = out / STATE
        self.pages = self.state / PAGES
        self._check_options(options)
        self._remove_stale_temporaries()
        self._errors = _open_part(self.state / _ERRORS_PART)
        self._duplicates = _open_part(self.state / _DUPLICATES_PART)

    def _check_options(self, options: PageOptions) -> None:
        identity = {"threadscope": __version__, **options.identity()}
        path = self.state / "options.json"
        if path.exists():
            try:
                recorded = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError) as exc:
                raise OutputError(f"unreadable run state ({exc})", str(path)) from exc
            if recorded != identity:
                raise OutputError(
                    "this folder holds a run made with other options or another threadscope "
                    f"version ({_difference(recorded, identity)}); use a new --out folder",
                    str(self.out))
            return
        atomic_write_text(path, json.dumps(identity, indent=2, sort_keys=True) + "\n")

    def _remove_stale_temporaries(self) -> None:
        # a killed run can leave ".<name>.<random>.tmp" files behind: never outputs, drop them
        if self.pages.is_dir():
            for stale in self.pages.glob("*/.*.tmp"):
                stale.unlink(missing_ok=True)

    def page_path(self, key: str) -> Path:
        """The per-page file of the content hash ``key``."""
        return self.pages / key[:2] / f"{key}.jsonl"

    def is_done(self, key: str | None) -> bool:
        """True when the page with this content hash was finished by any run."""
        return key is not None and self.page_path(key).exists()

    def write_page(self, key: str, lines: tuple[str, ...]) -> None:
        """Store a page's documents atomically (the page is done once this returns)."""
        atomic_write_bytes(self.page_path(key), "".join(f"{x}\n" for x in lines).encode())

    def record_error(self, error: PageError, key: str | None) -> None:
        """Note a failed page (its content hash lets duplicates share the failure)."""
        _append(self._errors, {**error.as_dict(), "sha256": key})

    def record_duplicate(self, path: str, key: str) -> None:
        """Note a path whose content repeats an earlier input's (processed once)."""
        _append(self._duplicates, {"path": path, "sha256": key})

    def page_lines(self, key: str) -> Iterator[str]:
        """The stored document lines of a done page, without newlines."""
        with self.page_path(key).open(encoding="utf-8") as handle:
            for line in handle:
                yield line.rstrip("\n")

    def close(self) -> None:
        """Close the run's failure and duplicate notes."""
        self._errors.close()
        self._duplicates.close()

    def write_errors(self) -> int:
        """Write errors.jsonl from this run's failures (duplicates included); return count."""
        self._errors.flush()
        self._duplicates.flush()
        failures = list(_read_part(self.state / _ERRORS_PART))
        failed_keys = {f["sha256"]: f for f in failures if f["sha256"] is not None}
        for dup in _read_part(self.state / _DUPLICATES_PART):
            first = failed_keys.get(dup["sha256"])
            if first is not None:
                failures.append({**first, "path": dup["path"]})
        records = sorted({f["path"]: f for f in failures}.values(), key=lambda f: f["path"])
        text = "".join(json.dumps({k: r[k] for k in ("path", "error", "message")},
                                  ensure_ascii=False) + "\n" for r in records)
        atomic_write_text(self.out / ERRORS_FILE, text)
        return len(records)


@contextlib.contextmanager
def atomic_stream(path: Path) -> Iterator[IO[str]]:
    """A text file written through a temporary file and renamed into place on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", str(path)) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _open_part(path: Path) -> IO[str]:
    # notes of the current run only: a previous run's failures are retried, not kept
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return path.open("w", encoding="utf-8")
    except OSError as exc:
        raise OutputError(f"cannot write ({exc.strerror or exc})", str(path)) from exc


def _append(handle: IO[str], record: dict[str, Any]) -> None:
    handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read_part(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def _difference(recorded: dict[str, Any], wanted: dict[str, Any]) -> str:
    keys = sorted(k for k in set(recorded) | set(wanted) if recorded.get(k) != wanted.get(k))
    return ", ".join(f"{k}: {recorded.get(k)!r} then, {wanted.get(k)!r} now" for k in keys)
