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
from threadscope.errors import InputError


def predict(pairs: Sequence[Pair], task: Task, model_dir: Path | None = None,
            allowed: Sequence[str] | None = None) -> list[str]:
    """Labels of pairs (limited to ``allowed`` when given); stance first computes the
    sarcasm evidence it reads."""
    sarcasm_head, stance_head = heads(model_dir)
    infos: dict[str, Any] = {}
    hashes: dict[Any, Any] = {}
    batch = Featurizer(sarcasm_head.spec, infos, hashes).transform(pairs)
    sarc = sarcasm_head.proba(batch)
    if task == "sarcasm":
        decided = sarcasm_head.decide(sarc, sarcasm_head.has_target(batch), allowed)
        return [sarcasm_head.labels[i] for i in decided]
    col = sarcasm_head.labels.index("sarcastic")
    with_p = [replace(p, sarcasm=float(s)) for p, s in zip(pairs, sarc[:, col], strict=True)]
    batch = Featurizer(stance_head.spec, infos, hashes).transform(with_p)
    decided = stance_head.decide(stance_head.proba(batch), stance_head.has_target(batch),
                                 allowed)
    return [stance_head.labels[i] for i in decided]


LabelChoice = str
"""``auto`` (the labels the file holds), ``all``, or a comma-separated list."""


def label_space(choice: LabelChoice, task: Task, truth: Sequence[str]) -> list[str]:
    """The labels predictions may take, in the task's order.

    ``auto`` is the set of labels occurring in the file: a corpus annotated without
    ``query`` (DEBAGREEMENT) is scored as a three-way task, the usual practice when a
    dataset's label set is smaller than the model's. ``all`` keeps every model label.

    Raises:
        InputError: A listed label is not one of the task's.
    """
    names = TASK_LABELS[task]
    if choice == "all":
        return list(names)
    if choice == "auto":
        wanted = set(truth)
    else:
        wanted = {part.strip() for part in choice.split(",") if part.strip()}
        unknown = sorted(wanted - set(names))
        if unknown or not wanted:
            raise InputError(f"--labels: {', '.join(unknown) or 'empty'} not among "
                             f"{', '.join(names)}")
    return [label for label in names if label in wanted]


def evaluate_examples(examples: Sequence[Example], task: Task, model_dir: Path | None = None,
                      labels: LabelChoice = "auto") -> dict[str, Any]:
    """Accuracy, macro-F1, per-class P/R/F1/support and confusion matrix.

    Predictions are limited to ``label_space(labels, ...)``, reported as
    ``label_space``. Classes are those in the truth or the predictions (scikit-learn's
    default for ``average="macro"``), in the task's label order.
    """
    truth = [e.label for e in examples]
    allowed = label_space(labels, task, truth)
    pred = predict([e.pair for e in examples], task, model_dir, allowed)
    seen = set(truth) | set(pred)
    names = [label for label in TASK_LABELS[task] if label in seen]
    return {"task": task, "label_space": allowed, **report(truth, pred, names)}


def evaluate_file(path: Path, task: Task, model_dir: Path | None = None,
                  labels: LabelChoice = "auto") -> tuple[dict[str, Any], list[BadLine]]:
    """Evaluate on a labelled JSONL file; bad lines are returned, not fatal.

    Raises:
        InputError: The file cannot be read, has no usable line, or ``labels`` is bad.
        ModelError: A model file is missing or fails its hash.
    """
    examples, bad = read_labelled(path, task)
    return evaluate_examples(examples, task, model_dir, labels), bad


def format_report(result: dict[str, Any]) -> str:
    """The evaluation as aligned text."""
    lines = [f"task: {result['task']}   n: {result['n']}   "
             f"accuracy: {result['accuracy']:.4f}   macro-F1: {result['macro_f1']:.4f}",
             f"predictions limited to: {', '.join(result['label_space'])}", "",
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
