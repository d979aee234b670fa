"""The model card's figure tables, rendered from the figures `threadscope train` recorded.

Run ``python -m threadscope.classify.card [MODEL_DIR]`` and paste the output under
"Measured figures" in docs/model-card.md (and the packaged MODEL_CARD.md), so the card
always shows what the shipped .json files hold.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from threadscope.classify.modelio import DEFAULT_DIR

SECTIONS = (
    ("dev_rumoureval", "RumourEval 2019 dev split, trained on all other stance data; rows "
     "are variants: full, without parent context, without the sarcasm evidence"),
    ("cv_full", "Grouped 5-fold CV, full model (decisions over all model labels)"),
    ("cv_full_closed", "Grouped 5-fold CV, full model, decisions limited to the labels each "
     "corpus holds (how `threadscope evaluate` scores such a file by default)"),
    ("cv_no_parent", "Grouped 5-fold CV, without parent context"),
)


def f1_table(reports: dict[str, Any]) -> list[str]:
    """Rows of corpus (or variant), n, macro-F1 and per-class F1."""
    lines = ["| corpus or variant | n | macro-F1 | per-class F1 |", "|---|---|---|---|"]
    for name, rep in reports.items():
        per = ", ".join(f"{label} {row['f1']:.3f}" for label, row in rep["per_class"].items())
        lines.append(f"| {name} | {rep['n']} | {rep['macro_f1']:.3f} | {per} |")
    return lines


def reliability_table(name: str, table: dict[str, Any]) -> list[str]:
    """One reliability table (every class probability) with its calibration error."""
    lines = [f"**Reliability, {name}** (ECE {table['ece']:.4f})", "",
             "| bin | count | mean predicted | observed |", "|---|---|---|---|"]
    lines += [f"| {r['bin']} | {r['count']} | {r['mean_predicted']:.3f} | {r['observed']:.3f} |"
              for r in table["bins"]]
    return [*lines, ""]


def render(meta: dict[str, Any]) -> str:
    """Markdown for one head's figures."""
    figures = meta.get("figures", {})
    lines = [f"### {str(meta['name']).capitalize()}", ""]
    for key, title in SECTIONS:
        if key in figures:
            lines += [f"**{title}**", "", *f1_table(figures[key]), ""]
    if "reliability_dev" in figures:
        lines += reliability_table("RumourEval dev split", figures["reliability_dev"])
    for corpus, table in figures.get("reliability_cv", {}).items():
        label = "out-of-fold, all corpora" if corpus == "all" else f"out-of-fold, {corpus}"
        lines += reliability_table(label, table)
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Print the tables of both shipped heads."""
    folder = Path(argv[0]) if argv else DEFAULT_DIR
    for name in ("stance", "sarcasm"):
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        print(render(meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
