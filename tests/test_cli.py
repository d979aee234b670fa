"""The CLI: every command documented with an example; exports valid and deterministic."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import SEED_001, SEEDS
from threadscope.cli import _register, app
from threadscope.export.schema import validate

_register()
runner = CliRunner()


def _commands() -> list[str]:
    import typer.main

    group = typer.main.get_command(app)
    return sorted(group.commands)  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name: str) -> None:
    result = runner.invoke(app, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output, f"{name} --help gives no example"
    assert f"threadscope {name}" in result.output


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_export_of_every_seed_is_valid_and_deterministic(seed: Path, tmp_path: Path) -> None:
    first = tmp_path / "a.json"
    second = tmp_path / "b.json"
    for out in (first, second):
        result = runner.invoke(app, ["export", str(seed), "-o", str(out)])
        assert result.exit_code == 0, result.output
    assert first.read_bytes() == second.read_bytes()
    validate(json.loads(first.read_text("utf-8")))


def test_schema_command_prints_the_shipped_schema() -> None:
    result = runner.invoke(app, ["schema"])
    assert result.exit_code == 0
    assert json.loads(result.output)["properties"]["schema_version"] == {"const": 1}


def test_module_entry_point_runs() -> None:
    result = subprocess.run([sys.executable, "-m", "threadscope", "export", str(SEED_001)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"]["sha256"]
