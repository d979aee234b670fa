"""Evaluating the shipped (or any saved) heads on a generic labelled JSONL file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from threadscope.classify.data import TASK_LABELS, BadLine, Example, Task, read_labelled
from threadscope.classify.features import Featurizer, Pair
from threadscope.classify.modelio import heads
from threadscope.classify.scoring import report


def predict(pairs: Sequence[Pair], task: Task, model_dir: Path | None = None) -> list[str]:
    """Labels of pairs; stance first computes the sarcasm evidence it reads."""
    sarcasm_head, stance_head = heads(model_dir)
    infos: dict[str, Any] = {}
    hashes: dict[Any, Any] = {}
    batch = Featurizer(sarcasm_head.spec, infos, hashes).transform(pairs)
    sarc = sarcasm_head.proba(batch)
    if task == "sarcasm":
        decided = sarcasm_head.decide(sarc, sarcasm_head.has_target(batch))
        return [sarcasm_head.labels[i] for i in decided]
    col = sarcasm_head.labels.index("sarcastic")
    with_p = [replace(p, sarcasm=float(s)) for p, s in zip(pairs, sarc[:, col], strict=True)]
    batch = Featurizer(stance_head.spec, infos, hashes).transform(with_p)
    decided = stance_head.decide(stance_head.proba(batch), stance_head.has_target(batch))
    return [stance_head.labels[i] for i in decided]


def evaluate_examples(examples: Sequence[Example], task: Task,
                      model_dir: Path | None = None) -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1/support and confusion matrix.

    Classes are those in the truth or the predictions (scikit-learn's default for
    ``average="macro"``), in the task's label order.
    """
    truth = [e.label for e in examples]
    pred = predict([e.pair for e in examples], task, model_dir)
    seen = set(truth) | set(pred)
    labels = [label for label in TASK_LABELS[task] if label in seen]
    return {"task": task, **report(truth, pred, labels)}


def evaluate_file(path: Path, task: Task,
                  model_dir: Path | None = None) -> tuple[dict[str, Any], list[BadLine]]:
    """Evaluate on a labelled JSONL file; bad lines are returned, not fatal.

    Raises:
        InputError: The file cannot be read or has no usable line.
        ModelError: A model file is missing or fails its hash.
    """
    examples, bad = read_labelled(path, task)
    return evaluate_examples(examples, task, model_dir), bad


def format_report(result: dict[str, Any]) -> str:
    """The evaluation as aligned text."""
    lines = [f"task: {result['task']}   n: {result['n']}   "
             f"accuracy: {result['accuracy']:.4f}   macro-F1: {result['macro_f1']:.4f}", "",
             f"{'label':<14} {'precision':>9} {'recall':>7} {'f1':>7} {'support':>8}"]
    for label, row in result["per_class"].items():
        lines.append(f"{label:<14} {row['precision']:>9.4f} {row['recall']:>7.4f} "
                     f"{row['f1']:>7.4f} {row['support']:>8}")
    cm = result["confusion_matrix"]
    width = max(8, *(len(label) + 1 for label in cm["labels"]))
    lines += ["", "confusion matrix (rows: true, columns: predicted)",
              " " * 14 + "".join(f"{label:>{width}}" for label in cm["labels"])]
    for label, row in zip(cm["labels"], cm["matrix"], strict=True):
        lines.append(f"{label:<14}" + "".join(f"{v:>{width}}" for v in row))
    return "\n".join(lines) + "\n"
