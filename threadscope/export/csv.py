"""CSV: one row per comment with its labels and per-comment figures, and a pandas view.

Columns are fixed (``COLUMNS``) and typed (``KINDS``): ``read_rows`` turns the text
back into the values ``rows`` wrote, and ``to_dataframe`` gives pandas nullable dtypes.
Lists (emoticons, quote sources) are JSON text inside their cell. A text cell that a
spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading
apostrophe, and so does one that already starts with an apostrophe; ``read_rows``
removes exactly one, so the text comes back unchanged.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from threadscope.analysis.serialise import COMMENT_FIGURES, comment_figures
from threadscope.labels import STANCE_LABELS, CommentLabels, LabelledThread
from threadscope.model import Comment, Thread

if TYPE_CHECKING:
    import pandas as pd

    from threadscope.analysis import Analysis

_BASE = [
    ("source_path", "str"), ("source_sha256", "str"), ("thread_key", "str"),
    ("id", "str"), ("parent_id", "str"), ("depth", "int"), ("path", "str"),
    ("author", "str"), ("score", "int"), ("score_label", "str"), ("timestamp", "str"),
    ("time_precision", "str"), ("title", "str"), ("text", "text"), ("emoticons", "json"),
    ("quote_sources", "json"), ("deleted", "bool"), ("placeholder", "bool"),
    ("hidden_count", "int"),
]
_LABELS = [
    ("language", "str"), ("stance", "str"), ("stance_target", "str"),
    *((f"p_{name}", "float") for name in STANCE_LABELS),
    ("stance_reason", "str"), ("sarcasm", "str"), ("p_sarcastic", "float"),
    ("sarcasm_reason", "str"), ("sentiment_compound", "float"), ("sentiment_pos", "float"),
    ("sentiment_neu", "float"), ("sentiment_neg", "float"),
]
_FIGURE_KINDS = {"replies": "int", "disagreeing_replies": "int", "disagreement_run": "int"}
_FIGURES = [(name, _FIGURE_KINDS.get(name, "float")) for name in COMMENT_FIGURES]

KINDS: dict[str, str] = dict(_BASE + _LABELS + _FIGURES)
"""Column name -> kind: str (empty = null), text (never null), int, float, bool, json."""
COLUMNS: tuple[str, ...] = tuple(KINDS)

ThreadLike = Thread | LabelledThread


def rows(item: ThreadLike, analysis: Analysis | None = None) -> Iterator[dict[str, Any]]:
    """One dict per comment, keyed by COLUMNS (labels and figures None when absent)."""
    labelled = item if isinstance(item, LabelledThread) else None
    thread = labelled.thread if labelled else item
    assert isinstance(thread, Thread)
    src = thread.source
    head = {"source_path": src.path if src else None,
            "source_sha256": src.sha256 if src else None,
            "thread_key": src.thread_key if src else None}
    for comment in thread.comments:
        row = dict(head)
        row.update(_comment_cells(comment))
        row.update(_label_cells(labelled.label(comment.id) if labelled else None))
        row.update(comment_figures(analysis, comment.id) if analysis
                   else dict.fromkeys(COMMENT_FIGURES))
        yield row


def _comment_cells(c: Comment) -> dict[str, Any]:
    return {
        "id": c.id, "parent_id": c.parent_id, "depth": c.depth, "path": c.path,
        "author": c.author, "score": c.score, "score_label": c.score_label,
        "timestamp": c.timestamp.iso if c.timestamp else None,
        "time_precision": c.timestamp.precision if c.timestamp else None,
        "title": c.title, "text": c.text, "emoticons": list(c.emoticons),
        "quote_sources": [q.source_id for q in c.quotes], "deleted": c.deleted,
        "placeholder": c.placeholder, "hidden_count": c.hidden_count,
    }


def _label_cells(labels: CommentLabels | None) -> dict[str, Any]:
    cells: dict[str, Any] = {name: None for name, _ in _LABELS}
    if labels is None:
        return cells
    stance, sarcasm, senti = labels.stance, labels.sarcasm, labels.sentiment
    cells.update({
        "language": labels.language, "stance": stance.label, "stance_target": stance.target_id,
        "stance_reason": stance.reason, "sarcasm": sarcasm.label,
        "p_sarcastic": sarcasm.probability, "sarcasm_reason": sarcasm.reason,
    })
    if senti is not None:
        cells.update({"sentiment_compound": senti.compound, "sentiment_pos": senti.pos,
                      "sentiment_neu": senti.neu, "sentiment_neg": senti.neg})
    for name in STANCE_LABELS:
        cells[f"p_{name}"] = stance.probabilities.get(name) if stance.probabilities else None
    return cells


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")  # OWASP CSV injection leaders


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if kind in ("str", "text"):
        text = str(value)
        return "'" + text if text.startswith(_FORMULA_START) else text
    if kind == "json":
        return json.dumps(value, ensure_ascii=False)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "float":
        return repr(float(value))
    return str(value)


def to_csv(items: Sequence[ThreadLike], analyses: Sequence[Analysis | None] | None = None) -> str:
    """CSV text: a header row, then one row per comment of every thread, in order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for i, item in enumerate(items):
        analysis = analyses[i] if analyses else None
        for row in rows(item, analysis):
            writer.writerow([_cell(row[name], KINDS[name]) for name in COLUMNS])
    return buffer.getvalue()


def _parse(text: str, kind: str) -> Any:
    if kind in ("str", "text") and text.startswith("'"):
        return text[1:]
    if kind == "text":
        return text
    if text == "":
        return None
    parsers: dict[str, Any] = {"int": int, "float": float, "json": json.loads,
                               "bool": lambda t: t == "true"}
    return parsers.get(kind, str)(text)


def read_rows(text: str) -> list[dict[str, Any]]:
    """Rows of a CSV export, each value converted back to its kind."""
    reader = csv.DictReader(io.StringIO(text))
    return [{name: _parse(row[name], KINDS.get(name, "str")) for name in row}
            for row in reader]


_DTYPES = {"int": "Int64", "float": "Float64", "bool": "boolean", "str": "string",
           "text": "string", "json": "object"}


def to_dataframe(
    items: Sequence[ThreadLike], analyses: Sequence[Analysis | None] | None = None
) -> pd.DataFrame:
    """A pandas DataFrame with the CSV's columns and nullable dtypes (pandas imported here)."""
    import pandas as pd

    records = [row for i, item in enumerate(items)
               for row in rows(item, analyses[i] if analyses else None)]
    frame = pd.DataFrame.from_records(records, columns=list(COLUMNS))
    return frame.astype({name: _DTYPES[kind] for name, kind in KINDS.items()})
