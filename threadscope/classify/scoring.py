"""Metrics and decision helpers in plain numpy: F1 tables, bias tuning, reliability bins.

Kept free of scikit-learn so evaluation and tagging stay cheap to import; the tests
check these figures against sklearn.metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

BIAS_GRID = np.round(np.arange(-2.0, 2.01, 0.1), 2)
"""Per-class log-probability offsets tried when tuning decisions for F1."""


def softmax(z: np.ndarray) -> np.ndarray:
    """Row-wise softmax."""
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return np.asarray(e / e.sum(axis=1, keepdims=True))


def closed_argmax(scores: np.ndarray, allowed: np.ndarray | None) -> np.ndarray:
    """Row-wise argmax over the allowed columns only (all columns when None).

    Used when a labelled set has fewer classes than the model (DEBAGREEMENT has no
    ``query``): the answer is the best label the set can hold.
    """
    if allowed is None or bool(np.all(allowed)):
        return np.asarray(np.argmax(scores, axis=1))
    return np.asarray(np.argmax(np.where(allowed[None, :], scores, -np.inf), axis=1))


def confusion(truth: np.ndarray, pred: np.ndarray, k: int) -> np.ndarray:
    """k x k confusion counts, rows = true class, columns = predicted class."""
    return np.bincount(truth * k + pred, minlength=k * k).reshape(k, k)


def f1_per_class(matrix: np.ndarray) -> np.ndarray:
    """F1 of each class from a confusion matrix (0 where undefined)."""
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0)
    actual = matrix.sum(axis=1)
    denom = predicted + actual
    return np.asarray(np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0))


def objective_score(truth: np.ndarray, pred: np.ndarray, k: int, objective: str) -> float:
    """Macro-F1 (``macro``), the last class's F1 (``positive``) or their mean (``both``).

    ``both`` keeps a binary head from the degenerate all-positive answer that maximises
    the positive class's F1 on balanced data while still favouring its recall.
    """
    f1 = f1_per_class(confusion(truth, pred, k))
    if objective == "positive":
        return float(f1[-1])
    if objective == "both":
        return float((f1[-1] + f1.mean()) / 2.0)
    return float(f1.mean())


def best_bias(proba: np.ndarray, truth: np.ndarray, objective: str = "macro") -> np.ndarray:
    """Per-class log-offsets maximising the objective (coordinate ascent, deterministic)."""
    k = proba.shape[1]
    logp = np.log(np.clip(proba, 1e-12, 1.0))
    bias = np.zeros(k)
    best = objective_score(truth, np.argmax(logp, axis=1), k, objective)
    for _ in range(3):
        for c in range(1, k):  # class 0 stays the reference
            for value in BIAS_GRID:
                trial = bias.copy()
                trial[c] = value
                score = objective_score(truth, np.argmax(logp + trial, axis=1), k, objective)
                if score > best + 1e-9:
                    best, bias = score, trial
    return bias


def report(truth: Sequence[str], pred: Sequence[str], labels: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class precision/recall/F1/support and the confusion matrix.

    Macro-F1 averages over the labels given (classes absent from both truth and
    predictions count as 0, as scikit-learn does with an explicit ``labels`` list).
    """
    index = {name: i for i, name in enumerate(labels)}
    t = np.array([index[v] for v in truth], dtype=np.int64)
    p = np.array([index[v] for v in pred], dtype=np.int64)
    k = len(labels)
    matrix = confusion(t, p, k)
    tp = np.diag(matrix).astype(float)
    predicted = matrix.sum(axis=0)
    support = matrix.sum(axis=1)
    precision = np.divide(tp, predicted, out=np.zeros(k), where=predicted > 0)
    recall = np.divide(tp, support, out=np.zeros(k), where=support > 0)
    f1 = f1_per_class(matrix)
    return {
        "n": len(t),
        "accuracy": float(tp.sum() / max(len(t), 1)),
        "macro_f1": float(f1.mean()),
        "per_class": {name: {"precision": float(precision[i]), "recall": float(recall[i]),
                             "f1": float(f1[i]), "support": int(support[i])}
                      for i, name in enumerate(labels)},
        "confusion_matrix": {"labels": list(labels), "matrix": matrix.tolist()},
    }


def reliability(proba: np.ndarray, truth: np.ndarray, bins: int = 10) -> dict[str, Any]:
    """Reliability table over every (row, class) probability, and the calibration error.

    Each bin holds the predicted probabilities falling in it: their mean against how
    often that class was the true one. ECE weights each bin's gap by its share.
    """
    k = proba.shape[1]
    onehot = np.eye(k)[truth]
    p = proba.ravel()
    hit = onehot.ravel()
    which = np.minimum((p * bins).astype(int), bins - 1)
    rows = []
    ece = 0.0
    for b in range(bins):
        mask = which == b
        count = int(mask.sum())
        if count == 0:
            continue
        mean_p, freq = float(p[mask].mean()), float(hit[mask].mean())
        ece += count / len(p) * abs(mean_p - freq)
        rows.append({"bin": f"{b / bins:.1f}-{(b + 1) / bins:.1f}", "count": count,
                     "mean_predicted": round(mean_p, 3), "observed": round(freq, 3)})
    return {"bins": rows, "ece": round(ece, 4)}


def reliability_lines(table: dict[str, Any]) -> list[str]:
    """The reliability table as aligned text lines."""
    lines = [f"  {'bin':<9} {'count':>6} {'predicted':>9} {'observed':>8}"]
    lines += [f"  {r['bin']:<9} {r['count']:>6} {r['mean_predicted']:>9.3f} "
              f"{r['observed']:>8.3f}" for r in table["bins"]]
    lines.append(f"  expected calibration error: {table['ece']:.4f}")
    return lines
