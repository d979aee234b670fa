"""Atomic writes: whole files only, no temporary left behind, the ordinary file mode."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from threadscope.errors import OutputError
from threadscope.fileio import atomic_write_bytes, atomic_write_text

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes and umask")


@pytest.fixture
def umask_022() -> Iterator[int]:
    """Run the test under umask 022 (the usual default), restoring the old one."""
    old = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(old)


@posix_only
@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_written_file_gets_0666_less_the_umask(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        atomic_write_text(tmp_path / "out.json", "{}\n")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o666 & ~mask


@posix_only
def test_replacing_a_file_keeps_the_ordinary_mode(tmp_path: Path, umask_022: int) -> None:
    target = tmp_path / "out.json"
    atomic_write_text(target, "old\n")
    atomic_write_bytes(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask_022


def test_no_temporary_file_is_left_after_writes(tmp_path: Path) -> None:
    for i in range(3):
        atomic_write_text(tmp_path / f"page-{i}.jsonl", f"{i}\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["page-0.jsonl", "page-1.jsonl",
                                                          "page-2.jsonl"]


def test_missing_folders_are_created(tmp_path: Path) -> None:
    atomic_write_text(tmp_path / "a" / "b" / "out.txt", "é\n")
    assert (tmp_path / "a" / "b" / "out.txt").read_text("utf-8") == "é\n"


def test_failed_rename_removes_the_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "taken"
    target.mkdir()
    (target / "inside").write_text("x")  # a non-empty folder cannot be replaced by a file
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write_text(target, "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]
