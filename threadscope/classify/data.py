"""Labelled examples: the shared corpora in their distributed formats, and generic JSONL.

Label mapping (from the corpora README): agree = support / agreed / 2; disagree = deny /
disagreed / 0; query = query / appeal-for-more-information; neutral = comment / 1.
Sarcasm: sarcastic = SARCASM / sarc / 1; not_sarcastic = NOT_SARCASM / notsarc / 0.
"""

from __future__ import annotations

import csv
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from threadscope.classify.features import Pair
from threadscope.errors import InputError
from threadscope.labels import SARCASM_LABELS, STANCE_LABELS

Task = Literal["stance", "sarcasm"]
TASK_LABELS: dict[str, tuple[str, ...]] = {"stance": STANCE_LABELS, "sarcasm": SARCASM_LABELS}

STANCE_MAP = {
    "support": "agree", "agreed": "agree", "2": "agree",
    "deny": "disagree", "disagreed": "disagree", "0": "disagree",
    "query": "query", "appeal-for-more-information": "query",
    "comment": "neutral", "1": "neutral",
}
SARCASM_MAP = {"SARCASM": "sarcastic", "sarc": "sarcastic", "1": "sarcastic",
               "NOT_SARCASM": "not_sarcastic", "notsarc": "not_sarcastic",
               "0": "not_sarcastic"}
SPREADSHEET_ARTEFACT = "#NAME?"
"""DEBAGREEMENT holds five rows where a spreadsheet replaced the text with this."""

csv.field_size_limit(10_000_000)  # debate-forum quotes exceed csv's 128 KiB default


@dataclass(frozen=True, slots=True)
class Example:
    """One labelled pair with where it came from.

    Attributes:
        pair: Reply and target.
        label: Project label (agree/disagree/query/neutral or sarcastic/not_sarcastic).
        corpus: Corpus name (e.g. ``rumoureval``).
        group: Thread or conversation key: cross-validation never splits a group.
        split: ``train`` or ``dev`` where the corpus has an official dev split.
    """

    pair: Pair
    label: str
    corpus: str
    group: str
    split: str = "train"


def data_dir(option: Path | None = None) -> Path:
    """Corpora folder: the option, else $THREADSCOPE_DATA, else ../shared/data.

    ../shared/data is looked for beside the repository and beside the working folder.

    Raises:
        InputError: No corpora folder was found.
    """
    if option is not None:
        candidates = [option]
    elif os.environ.get("THREADSCOPE_DATA"):
        candidates = [Path(os.environ["THREADSCOPE_DATA"])]
    else:
        repo = Path(__file__).resolve().parents[2]
        candidates = [repo.parent / "shared" / "data", Path.cwd().parent / "shared" / "data"]
    for path in candidates:
        if (path / "README.md").exists() or (path / "stance").is_dir():
            return path
    raise InputError("labelled corpora not found (use --data DIR or set THREADSCOPE_DATA)",
                     str(candidates[0]))


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                yield json.loads(line)


def _csv(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def rumoureval(root: Path) -> list[Example]:
    """RumourEval 2019 replies; labels are toward the source post, so that is the target."""
    out = []
    for row in _jsonl(root / "stance/rumoureval2019/posts_train_dev.jsonl"):
        if not row.get("text") or int(row.get("depth") or 0) < 1:
            continue  # source posts label the rumour itself; 90 Reddit stubs have no text
        pair = Pair(text=row["text"], target=row.get("source_text") or "",
                    depth=int(row["depth"]))
        out.append(Example(pair, STANCE_MAP[row["label"]], "rumoureval",
                           str(row["thread_id"]), row["split"]))
    return out


def pheme_deep(root: Path) -> list[Example]:
    """PHEME replies below depth 1, labelled toward their immediate parent.

    Direct replies repeat RumourEval's train rows exactly and are left out; every row
    is in RumourEval's train split, so none leaks into RumourEval's dev figures.
    """
    out = []
    for row in _jsonl(root / "stance/pheme_vs_parent/pheme_reply_vs_parent.jsonl"):
        if row.get("reply_kind") != "deep" or not row.get("text"):
            continue
        pair = Pair(text=row["text"], target=row.get("parent_text") or "",
                    depth=int(row["depth"]))
        out.append(Example(pair, STANCE_MAP[row["label_vs_parent"]], "pheme_deep",
                           str(row["thread_id"]), "train"))
    return out


def debagreement(root: Path) -> list[Example]:
    """DEBAGREEMENT parent/reply pairs (its distributed dev split), grouped by submission."""
    out = []
    for row in _csv(root / "stance/debagreement/dev.csv"):
        child, parent = row["body_child"], row["body_parent"]
        if SPREADSHEET_ARTEFACT in (child, parent) or not child.strip():
            continue
        out.append(Example(Pair(text=child, target=parent, depth=1), STANCE_MAP[row["label"]],
                           "debagreement", row["submission_id"]))
    return out


def figlang(root: Path, platform: str) -> list[Example]:
    """FigLang 2020 responses with the last context post as target."""
    out = []
    path = root / f"sarcasm/figlang2020/{platform}_training.jsonl"
    for row in _jsonl(path):
        context = [str(c) for c in row.get("context") or []]
        pair = Pair(text=row["response"], target=context[-1] if context else "",
                    depth=max(len(context), 1))
        group = context[0] if context else row["response"]
        out.append(Example(pair, SARCASM_MAP[row["label"]], f"figlang_{platform}", group))
    return out


def sarcasm_v2(root: Path) -> list[Example]:
    """Sarcasm Corpus V2 quote/response pairs."""
    return [
        Example(Pair(text=row["Response Text"], target=row["Quote Text"], depth=1),
                SARCASM_MAP[row["Label"]], "sarcasm_v2", row["ID"])
        for row in _csv(root / "sarcasm/sarcasm_v2/sarcasm_v2_train.csv")
        if row["Response Text"].strip()
    ]


def isarcasmeval(root: Path) -> list[Example]:
    """iSarcasmEval author-labelled tweets (no context)."""
    return [
        Example(Pair(text=row["tweet"]), SARCASM_MAP[row["sarcastic"]], "isarcasmeval",
                f"isarcasm-{row['']}")
        for row in _csv(root / "sarcasm/isarcasmeval2022/train.En.csv")
        if row["tweet"].strip()
    ]


def corpora(task: Task, root: Path) -> list[Example]:
    """Every example of a task from the shared corpora folder.

    Raises:
        InputError: A corpus file is missing or malformed.
    """
    try:
        if task == "stance":
            return rumoureval(root) + pheme_deep(root) + debagreement(root)
        return (figlang(root, "reddit") + figlang(root, "twitter") + sarcasm_v2(root)
                + isarcasmeval(root))
    except (OSError, KeyError, ValueError) as exc:
        raise InputError(f"cannot read the {task} corpora: {type(exc).__name__}: {exc}",
                         str(root)) from exc


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line of a labelled file that could not be used."""

    line: int
    reason: str


def read_labelled(path: Path, task: Task) -> tuple[list[Example], list[BadLine]]:
    """Generic labelled JSONL: ``text``, optional ``parent_text`` and ``context``, ``label``.

    Raises:
        InputError: The file cannot be read, or no line is usable.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read labelled file: {exc}", str(path)) from exc
    examples: list[Example] = []
    bad: list[BadLine] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            examples.append(_generic(json.loads(line), task, number))
        except (ValueError, TypeError) as exc:
            bad.append(BadLine(number, str(exc)))
    if not examples:
        raise InputError(f"no usable labelled line ({len(bad)} bad)", str(path))
    return examples, bad


def _generic(row: Any, task: Task, number: int) -> Example:
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    text, label = row.get("text"), row.get("label")
    if not isinstance(text, str) or not text.strip():
        raise ValueError("'text' missing or not a non-empty string")
    if label not in TASK_LABELS[task]:
        raise ValueError(f"'label' {label!r} is not one of {', '.join(TASK_LABELS[task])}")
    parent = row.get("parent_text") or ""
    context = row.get("context") or []
    if not isinstance(parent, str) or not isinstance(context, list):
        raise ValueError("'parent_text' must be a string and 'context' a list")
    depth = max(len(context), 1)
    return Example(Pair(text=text, target=parent, depth=depth), str(label), "file",
                   f"line-{number}")
