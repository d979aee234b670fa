"""Model files are data, never code: tampered, truncated or swapped files give a clear
ModelError naming the file (exit code 4 on the command line), and nothing executes.

Uses a copy of the shipped models folder when it holds models; otherwise heads written
by the project's own save_head (tiny, untrained: these tests check integrity, not
accuracy). The copies live in a temporary folder; the shipped files are never touched.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from threadscope.classify.data import TASK_LABELS
from threadscope.classify.features import FeatureSpec
from threadscope.classify.modelio import DEFAULT_DIR, load_head, save_head
from threadscope.errors import EXIT_MODEL, ModelError

NAMES = ("sarcasm", "stance")


def tiny_head(folder: Path, name: str) -> None:
    """A head of the right shapes, written the way training writes one."""
    spec = FeatureSpec(bits=4, sarcasm_cues=name == "stance")
    k = len(TASK_LABELS[name])
    arrays: dict[str, np.ndarray] = {"hashed": np.zeros((spec.n_hashed, k), np.float32),
              "dense": np.zeros((len(spec.dense_names), k)), "intercept": np.zeros(k),
              "cal_coef": np.ones(k), "cal_intercept": np.zeros(k),
              "decision_bias": np.zeros((2, k))}
    meta = {"version": "test", "labels": list(TASK_LABELS[name]),
            "spec": {"bits": spec.bits, "target_bits": spec.target_bits,
                     "pair_cues": spec.pair_cues, "sarcasm_cues": spec.sarcasm_cues}}
    save_head(folder, name, arrays, meta)


@pytest.fixture
def models(tmp_path: Path) -> Path:
    folder = tmp_path / "models"
    if all((DEFAULT_DIR / f"{n}.json").exists() for n in NAMES):
        shutil.copytree(DEFAULT_DIR, folder)
        return folder
    for name in NAMES:
        tiny_head(folder, name)
        try:
            load_head(folder, name)
        except ModelError as exc:  # modelio's array layout moved on; nothing to copy
            pytest.skip(f"no shipped models and the synthetic head is out of date: {exc}")
    return folder


def test_the_untouched_copy_loads(models: Path) -> None:
    for name in NAMES:
        assert load_head(models, name).sha256 == json.loads(
            (models / f"{name}.json").read_text("utf-8"))["sha256"]


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def flip_byte(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def drop_spec(path: Path) -> None:
    meta = json.loads(path.read_text("utf-8"))
    del meta["spec"]
    path.write_text(json.dumps(meta), "utf-8")


def wrong_labels_type(path: Path) -> None:
    meta = json.loads(path.read_text("utf-8"))
    meta["labels"] = 7
    path.write_text(json.dumps(meta), "utf-8")


TAMPERING = {
    "npz truncated": ("npz", truncate),
    "npz byte flipped": ("npz", flip_byte),
    "npz deleted": ("npz", Path.unlink),
    "json truncated": ("json", truncate),
    "json deleted": ("json", Path.unlink),
    "json without spec": ("json", drop_spec),
    "json labels not a list": ("json", wrong_labels_type),
}


@pytest.mark.parametrize("case", sorted(TAMPERING))
@pytest.mark.parametrize("name", NAMES)
def test_tampered_model_file_is_a_model_error_naming_it(models: Path, name: str,
                                                        case: str) -> None:
    suffix, damage = TAMPERING[case]
    target = models / f"{name}.{suffix}"
    damage(target)  # type: ignore[operator]
    with pytest.raises(ModelError) as err:
        load_head(models, name)
    assert err.value.path is not None
    assert Path(err.value.path).name in (f"{name}.npz", f"{name}.json")


def test_a_pickle_smuggled_in_with_a_matching_hash_never_runs(models: Path,
                                                              tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    payload = np.empty(1, dtype=object)
    payload[0] = _Exploit(str(marker))
    evil = dict(np.load(models / "sarcasm.npz", allow_pickle=False))
    evil["hashed"] = payload
    data = _npz_with_pickles(evil)
    (models / "sarcasm.npz").write_bytes(data)
    meta_path = models / "sarcasm.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["sha256"] = hashlib.sha256(data).hexdigest()  # attacker fixes hash
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelError):
        load_head(models, "sarcasm")
    assert not marker.exists(), "loading a model executed code"


def test_metadata_cannot_point_the_loader_outside_its_folder(models: Path,
                                                             tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.npz"
    shutil.copyfile(models / "sarcasm.npz", outside)
    meta_path = models / "sarcasm.json"
    meta = json.loads(meta_path.read_text("utf-8"))
    meta["file"] = "../elsewhere.npz"
    meta_path.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(ModelError):
        load_head(models, "sarcasm")


def test_command_line_reports_a_truncated_model_in_one_line_with_exit_4(
        models: Path, tmp_path: Path) -> None:
    truncate(models / "sarcasm.npz")
    data = tmp_path / "labelled.jsonl"
    data.write_text(json.dumps({"text": "Oh great, another Monday.", "label": "sarcastic"})
                    + "\n", "utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "threadscope", "evaluate", "sarcasm", str(data),
         "--model", str(models)], capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == EXIT_MODEL, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "sarcasm.npz" in lines[0]


class _Exploit:
    """Unpickling this would create the marker file."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def _npz_with_pickles(arrays: dict[str, np.ndarray]) -> bytes:
    """Like modelio.npz_bytes, but lets an object array through (as a hostile file would)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, array in arrays.items():
            entry = io.BytesIO()
            np.lib.format.write_array(entry, array, allow_pickle=True)
            archive.writestr(f"{name}.npy", entry.getvalue())
    return buffer.getvalue()
