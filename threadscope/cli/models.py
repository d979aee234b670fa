"""Model commands: train the stance and sarcasm heads, evaluate them on a labelled file."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Literal

import typer

TaskArg = Annotated[str, typer.Argument(help="stance or sarcasm.", show_default=False)]
DataOpt = Annotated[Path | None, typer.Option(
    "--data", help="Corpora folder (default: $THREADSCOPE_DATA, else ../shared/data).")]
OutOpt = Annotated[Path | None, typer.Option(
    "--out", help="Folder for the model files (default: the package's models folder).")]
ModelOpt = Annotated[Path | None, typer.Option(
    "--model", help="Folder holding stance/sarcasm .npz + .json (default: shipped models).")]
TASKS = ("stance", "sarcasm")


def _task(value: str) -> Literal["stance", "sarcasm"]:
    if value not in TASKS:
        raise typer.BadParameter(f"task must be one of {', '.join(TASKS)}, not {value!r}")
    return "stance" if value == "stance" else "sarcasm"


def train(
    task: TaskArg,
    data: DataOpt = None,
    out: OutOpt = None,
    folds: Annotated[int, typer.Option("--folds", min=2, help="Cross-validation folds.")] = 5,
    ablations: Annotated[bool, typer.Option(
        "--ablations/--no-ablations", help="Also measure without parent context "
        "(and, for stance, without the sarcasm evidence).")] = True,
) -> None:
    """Rebuild a model from the labelled corpora and print its cross-validated F1.

    Prints per-corpus per-class F1 and macro-F1 (grouped k-fold; for stance also the
    RumourEval dev split) and a reliability table. Train sarcasm before stance: the
    stance model reads the sarcasm probability. Same data, same figures, same bytes.

    Example: threadscope train sarcasm --data ../shared/data --out /tmp/models
    """
    from threadscope.classify.data import data_dir
    from threadscope.classify.modelio import DEFAULT_DIR
    from threadscope.classify.training import train as run

    result = run(_task(task), data_dir(data), out or DEFAULT_DIR, folds=folds,
                 ablations=ablations, log=lambda msg: print(msg, file=sys.stderr))
    typer.echo("\n".join(result.lines))


def evaluate(
    task: TaskArg,
    file: Annotated[Path, typer.Argument(help="Labelled JSONL: text, parent_text, context, "
                                         "label.", show_default=False)],
    model: ModelOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    labels: Annotated[str, typer.Option(
        "--labels", help="Labels predictions may take: auto (those the file holds, e.g. "
        "no query for DEBAGREEMENT), all, or a comma list.")] = "auto",
) -> None:
    """Score a model on a labelled JSONL file: accuracy, macro-F1, per class, confusion.

    One object a line: text (required), parent_text (the text the label is about),
    context (earlier posts, oldest first), label (stance: agree/disagree/query/neutral;
    sarcasm: sarcastic/not_sarcastic). Bad lines are reported with their numbers on
    standard error and skipped. By default predictions are limited to the labels the
    file holds (a set annotated without query is scored three-way); --labels all
    scores every model label.

    Example: threadscope evaluate stance replies.jsonl --json
    """
    from threadscope.classify.evaluation import evaluate_file, format_report

    result, bad = evaluate_file(file, _task(task), model, labels)
    for line in bad:
        print(f"threadscope: {file}:{line.line}: skipped: {line.reason}", file=sys.stderr)
    if as_json:
        typer.echo(json.dumps(result, sort_keys=True))
    else:
        typer.echo(format_report(result), nl=False)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the app."""
    app.command()(train)
    app.command()(evaluate)
