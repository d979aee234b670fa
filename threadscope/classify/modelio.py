"""Shipped models as plain arrays: writing, verified loading, and numpy-only prediction.

Each head is ``NAME.npz`` (arrays only, read with ``allow_pickle=False``, so loading runs
no code) beside ``NAME.json`` (labels, feature spec, figures and the npz file's sha256,
checked on every load). The npz is written with fixed zip timestamps so the same
training gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from threadscope.classify.features import (
    FEATURES_VERSION,
    FeatureBatch,
    FeatureSpec,
    run_starts,
)
from threadscope.classify.scoring import closed_argmax, softmax
from threadscope.errors import ModelError

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "models"
"""Models shipped inside the package."""

FORMAT = 1
ARRAYS = ("hashed", "dense", "intercept", "cal_coef", "cal_intercept", "decision_bias")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""Zip entries carry this fixed date so rebuilt files are byte-identical."""


@dataclass(frozen=True, slots=True)
class LinearHead:
    """A trained head: linear scores, calibration, decision bias (see estimators).

    Attributes:
        name: ``stance`` or ``sarcasm``.
        version: Model version string.
        sha256: Hash of the npz file.
        labels: Class labels in column order.
        spec: The feature space the weights belong to.
        arrays: hashed (n_hashed x k), dense (n_dense x k), intercept (k),
            cal_coef, cal_intercept, decision_bias (one per label).
        meta: The JSON metadata (figures, corpora).
    """

    name: str
    version: str
    sha256: str
    labels: tuple[str, ...]
    spec: FeatureSpec
    arrays: dict[str, np.ndarray]
    meta: dict[str, Any]
    columns: tuple[np.ndarray, ...] = field(init=False, repr=False, compare=False)
    """The hashed weights one class at a time, contiguous float32 (exact copies of the
    float16 weights): a gather from one 1 MB column stays in cache."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(
            np.ascontiguousarray(c, dtype=np.float32) for c in self.arrays["hashed"].T))

    def scores(self, batch: FeatureBatch) -> np.ndarray:
        """Raw linear scores of a batch (n x k).

        Each class's hashed part sums weight times value over each row's run of
        entries (rows come in order), one ``add.reduceat`` over all runs: 13 times
        faster than a weighted bincount, and each run's sum depends on that run
        alone. A row's scores do not depend on the other rows of the batch, to the
        last bit (see also ``_rows_times``), so threads tagged together get the
        labels they get alone.
        """
        out = np.zeros((batch.n, len(self.columns)))
        if len(batch.rows):
            starts = run_starts(batch.rows)
            present = batch.rows[starts]
            for k, column in enumerate(self.columns):
                out[present, k] = np.add.reduceat(column[batch.cols] * batch.values, starts)
        return np.asarray(out + _rows_times(batch.dense, self.arrays["dense"])
                          + self.arrays["intercept"])

    def proba(self, batch: FeatureBatch) -> np.ndarray:
        """Calibrated probabilities (n x labels), rows summing to 1."""
        z = (_rows_times(self.scores(batch), self.arrays["cal_coef"].T)
             + self.arrays["cal_intercept"])
        if z.shape[1] == 1:
            p = 1.0 / (1.0 + np.exp(-z[:, 0]))
            return np.column_stack([1.0 - p, p])
        return softmax(z)

    def decide(self, proba: np.ndarray, has_target: np.ndarray | None = None,
               allowed: Sequence[str] | None = None) -> np.ndarray:
        """Label index of each row: argmax of log-probability plus its group's bias.

        The bias differs for rows with and without a target (``has_target``; all
        rows count as having one when not given). ``allowed`` limits the answer to
        those labels (a labelled set without ``query``, say); None allows all.
        """
        logp = np.log(np.clip(proba, 1e-12, 1.0))
        group = (np.ones(len(proba), dtype=np.int64) if has_target is None
                 else np.asarray(has_target, dtype=np.int64))
        mask = None if allowed is None else np.array([lab in allowed for lab in self.labels])
        return closed_argmax(logp + self.arrays["decision_bias"][group], mask)

    def has_target(self, batch: FeatureBatch) -> np.ndarray | None:
        """The has-a-target cue of each row, when the head uses it."""
        names = self.spec.dense_names
        if "has_target" not in names:
            return None
        return np.asarray(batch.dense[:, names.index("has_target")] > 0.5)


def _rows_times(rows: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """rows @ matrix, each output row summed in an order that ignores the other rows.

    BLAS (``@``) picks its kernels and blocking by the matrix's shape, so the same row
    came out a few last bits apart in batches of different sizes; einsum's loops sum
    each row alike (a test tags rows in batches of every size and compares exactly).
    """
    return np.asarray(np.einsum("ij,jk->ik", rows, matrix))


def npz_bytes(arrays: dict[str, np.ndarray]) -> bytes:
    """Arrays as a deterministic compressed npz (fixed timestamps, sorted names)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            entry = io.BytesIO()
            np.lib.format.write_array(entry, np.ascontiguousarray(arrays[name]),
                                      allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, entry.getvalue())
    return buffer.getvalue()


def save_head(directory: Path, name: str, arrays: dict[str, np.ndarray],
              meta: dict[str, Any]) -> Path:
    """Write NAME.npz and NAME.json (with the npz's sha256); returns the npz path."""
    directory.mkdir(parents=True, exist_ok=True)
    data = npz_bytes(arrays)
    npz = directory / f"{name}.npz"
    npz.write_bytes(data)
    meta = {**meta, "format": FORMAT, "features": FEATURES_VERSION, "name": name, "file": npz.name,
            "sha256": hashlib.sha256(data).hexdigest()}
    (directory / f"{name}.json").write_text(
        json.dumps(meta, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return npz


def read_meta(directory: Path, name: str) -> dict[str, Any]:
    """A head's metadata.

    Raises:
        ModelError: Missing or not valid JSON.
    """
    path = directory / f"{name}.json"
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read model metadata: {exc}", str(path)) from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise ModelError(f"unsupported model metadata (format {FORMAT} expected)", str(path))
    return meta


def load_head(directory: Path, name: str) -> LinearHead:
    """Load and verify one head (no code runs: plain arrays, hash checked).

    Raises:
        ModelError: A file is missing, truncated, fails its hash or has wrong shapes.
    """
    meta = read_meta(directory, name)
    path = _model_path(directory, meta, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ModelError(f"cannot read model file: {exc.strerror}", str(path)) from exc
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.get("sha256"):
        raise ModelError("model file does not match the sha256 recorded in "
                         f"{name}.json (truncated or modified)", str(path))
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in ARRAYS}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ModelError(f"model file unreadable: {exc}", str(path)) from exc
    spec, labels = _spec_and_labels(meta, directory / f"{name}.json")
    if meta.get("features") != FEATURES_VERSION:
        raise ModelError(f"model computed with feature version {meta.get('features', 1)}, "
                         f"this threadscope computes version {FEATURES_VERSION}: rebuild it "
                         "with `threadscope train`", str(path))
    if (arrays["hashed"].shape[0] != spec.n_hashed
            or arrays["dense"].shape[0] != len(spec.dense_names)
            or arrays["decision_bias"].shape != (2, len(labels))):
        raise ModelError("model arrays do not match their feature spec", str(path))
    return LinearHead(name=name, version=str(meta.get("version", "")), sha256=digest,
                      labels=labels, spec=spec, arrays=arrays, meta=meta)


def _model_path(directory: Path, meta: dict[str, Any], name: str) -> Path:
    """The arrays file named by the metadata, refused when it leaves the model folder."""
    file_name = str(meta.get("file", f"{name}.npz"))
    path = directory / file_name
    if Path(file_name).name != file_name or path.resolve().parent != directory.resolve():
        raise ModelError(f"model metadata names a file outside its folder: {file_name!r}",
                         str(directory / f"{name}.json"))
    return path


def _spec_and_labels(meta: dict[str, Any], meta_path: Path) -> tuple[FeatureSpec, tuple[str, ...]]:
    """The feature spec and labels, or ModelError naming the metadata file."""
    spec_fields, labels = meta.get("spec"), meta.get("labels")
    if not isinstance(spec_fields, dict) or not isinstance(labels, list) or not all(
            isinstance(label, str) for label in labels):
        raise ModelError("model metadata lacks a valid spec or label list", str(meta_path))
    try:
        spec = FeatureSpec(**spec_fields)
    except TypeError as exc:
        raise ModelError(f"model metadata spec is malformed: {exc}", str(meta_path)) from exc
    return spec, tuple(labels)


@lru_cache(maxsize=8)
def cached_head(directory: str, name: str) -> LinearHead:
    """load_head once per process and folder."""
    return load_head(Path(directory), name)


def heads(directory: Path | None = None) -> tuple[LinearHead, LinearHead]:
    """The (sarcasm, stance) heads from a folder (default: the shipped models)."""
    # DEFAULT_DIR is resolved already: resolving it again cost 0.17 ms a thread (syscalls)
    folder = str(DEFAULT_DIR if directory is None else directory.resolve())
    return cached_head(folder, "sarcasm"), cached_head(folder, "stance")
