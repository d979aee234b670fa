"""ruff and mypy (strict) pass over the package, the tests and the benchmarks."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.conftest import ROOT


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_clean() -> None:
    if shutil.which("ruff") is None:
        pytest.skip("ruff not installed (pip install -e '.[test]')")
    result = _run(["ruff", "check", "threadscope", "tests", "benchmarks"])
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_clean() -> None:
    result = _run([sys.executable, "-m", "mypy", "--no-error-summary"])
    if "No module named mypy" in result.stderr:
        pytest.skip("mypy not installed (pip install -e '.[test]')")
    assert result.returncode == 0, result.stdout + result.stderr
