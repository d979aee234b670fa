"""Shared test fixtures: paths to the seeds, the shared real threads and corpora."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = Path(os.environ.get("THREADSCOPE_SHARED", ROOT.parent / "shared"))
THREADS = Path(os.environ.get("THREADSCOPE_THREADS", SHARED / "threads"))
DATA = Path(os.environ.get("THREADSCOPE_DATA", SHARED / "data"))

SEED_001 = FIXTURES / "001_42a6ee7e45e40515.txt"
SEEDS = sorted(FIXTURES.glob("0*.txt"))


def need_threads() -> Path:
    """The shared real threads folder, or skip saying why."""
    if not (THREADS / "README.md").exists():
        pytest.skip(f"real threads not found at {THREADS} (set THREADSCOPE_THREADS)")
    return THREADS


def need_data() -> Path:
    """The shared labelled corpora folder, or skip saying why."""
    if not (DATA / "README.md").exists():
        pytest.skip(f"labelled corpora not found at {DATA} (set THREADSCOPE_DATA)")
    return DATA


@pytest.fixture
def threads_dir() -> Path:
    return need_threads()


@pytest.fixture
def data_dir() -> Path:
    return need_data()
