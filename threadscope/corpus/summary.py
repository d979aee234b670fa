"""The corpus summary: counts and agreement figures aggregated per site and overall.

Built from the export documents themselves (not from run state), so a resumed run and
an uninterrupted one give the same summary. Stance and sarcasm counts come from the
documents' labels. Each document's ``analysis`` block (per-thread figures, see
docs/metrics.md) is aggregated two ways: label counts pooled over all threads into
shares (``analysis_pooled``: every comment weighs the same), and every number averaged
over threads (``analysis_mean``: every thread weighs the same).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from threadscope.labels import SARCASM_LABELS, STANCE_LABELS

_NOT_FIGURES = frozenset({"version", "bootstrap"})
"""Top-level analysis keys that describe the method, not the thread: not averaged."""

POOLED_SCOPES = ("stance.overall", "stance.toward_article", "stance.replies", "sarcasm.rate")
"""Analysis blocks of label counts over n: pooled over threads as well as averaged."""

UNLABELLED = "unlabelled"
"""The count key of comments without a stance (or sarcasm) label."""


@dataclass(slots=True)
class _Tally:
    pages: int = 0
    threads: int = 0
    comments: int = 0
    placeholders: int = 0
    deleted: int = 0
    max_depth: int = 0
    depths: Counter[int] = field(default_factory=Counter)
    stance: Counter[str] = field(default_factory=Counter)
    sarcasm: Counter[str] = field(default_factory=Counter)
    analysis_sums: dict[str, float] = field(default_factory=dict)
    analysis_counts: Counter[str] = field(default_factory=Counter)

    def add_document(self, part: _Part) -> None:
        """Count one document, read once by ``_part`` for every tally it goes into."""
        counts, leaves = part
        self.threads += counts.threads
        self.comments += counts.comments
        self.placeholders += counts.placeholders
        self.deleted += counts.deleted
        self.depths.update(counts.depths)
        self.max_depth = max(self.max_depth, counts.max_depth)
        self.stance.update(counts.stance)
        self.sarcasm.update(counts.sarcasm)
        for name, value in leaves:  # one at a time: the sums associate as page by page
            self.analysis_sums[name] = self.analysis_sums.get(name, 0.0) + value
            self.analysis_counts[name] += 1

    def add_comment(self, comment: dict[str, Any]) -> None:
        if comment.get("placeholder"):
            self.placeholders += 1
            return
        self.comments += 1
        self.deleted += bool(comment.get("deleted"))
        depth = int(comment.get("depth") or 0)
        self.depths[depth] += 1
        self.max_depth = max(self.max_depth, depth)
        if "stance" in comment:
            self.stance[comment["stance"].get("label") or UNLABELLED] += 1
        if "sarcasm" in comment:
            self.sarcasm[comment["sarcasm"].get("label") or UNLABELLED] += 1

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "pages": self.pages,
            "threads": self.threads,
            "comments": self.comments,
            "placeholders": self.placeholders,
            "deleted": self.deleted,
            "max_depth": self.max_depth,
            "depth_histogram": {str(d): n for d, n in sorted(self.depths.items())},
        }
        if self.stance:
            out["stance"] = _label_counts(self.stance, STANCE_LABELS)
            out["agreement"] = _agreement(self.stance)
        if self.sarcasm:
            out["sarcasm"] = _label_counts(self.sarcasm, SARCASM_LABELS)
        if self.analysis_counts:
            out["analysis_pooled"] = _pooled(self.analysis_sums)
            out["analysis_mean"] = {
                name: round(self.analysis_sums[name] / n, 6)
                for name, n in sorted(self.analysis_counts.items())
            }
        return out


class SummaryBuilder:
    """Accumulates pages' documents; memory grows with sites, not with pages."""

    def __init__(self) -> None:
        self._overall = _Tally()
        self._sites: dict[str, _Tally] = {}

    def add_page(self, docs: list[dict[str, Any]]) -> None:
        """Count one page (its site is the first document's)."""
        if not docs:
            return
        site = (docs[0].get("source") or {}).get("site") or "unknown"
        tally = self._sites.setdefault(site, _Tally())
        parts = [_part(doc) for doc in docs]
        for target in (self._overall, tally):
            target.pages += 1
            for part in parts:
                target.add_document(part)

    def result(self, failed: int, duplicates: int) -> dict[str, Any]:
        """The summary document (deterministic key order)."""
        return {
            "pages_failed": failed,
            "duplicate_inputs": duplicates,
            "overall": self._overall.as_dict(),
            "sites": {name: self._sites[name].as_dict() for name in sorted(self._sites)},
        }


_Part = tuple[_Tally, list[tuple[str, float]]]
"""One document's comment counts (a tally of that document alone) and analysis leaves."""


def _part(doc: dict[str, Any]) -> _Part:
    """What a document adds to a tally; the overall and the site tally both take it."""
    counts = _Tally(threads=1)
    for comment in doc.get("comments", ()):
        counts.add_comment(comment)
    return counts, _numeric_leaves(doc.get("analysis") or {})


def _label_counts(counts: Counter[str], labels: tuple[str, ...]) -> dict[str, int]:
    names = [*labels, *sorted(set(counts) - set(labels))]
    return {name: counts.get(name, 0) for name in names}


def _agreement(stance: Counter[str]) -> dict[str, float | None]:
    """Shares of agreeing and disagreeing replies among stance-labelled comments."""
    labelled = sum(stance[label] for label in STANCE_LABELS)
    sided = stance["agree"] + stance["disagree"]
    return {
        "agree_share": _ratio(stance["agree"], labelled),
        "disagree_share": _ratio(stance["disagree"], labelled),
        "agree_to_disagree": _ratio(stance["agree"], sided),
    }


def _pooled(sums: dict[str, float]) -> dict[str, Any]:
    """Shares pooled over all threads: summed label counts over summed n, per scope."""
    out: dict[str, Any] = {}
    for scope in POOLED_SCOPES:
        n = sums.get(f"{scope}.n", 0.0)
        prefix = f"{scope}.labels."
        labels = sorted({k[len(prefix):].split(".")[0] for k in sums if k.startswith(prefix)})
        if not labels:
            continue
        out[scope] = {"n": int(n), "labels": {label: {
            "count": int(sums.get(f"{prefix}{label}.count", 0.0)),
            "share": _ratio(sums.get(f"{prefix}{label}.count", 0.0), n),
            "expected_share": _ratio(sums.get(f"{prefix}{label}.expected_count", 0.0), n),
        } for label in labels}}
    return out


def _ratio(part: float, whole: float) -> float | None:
    return round(part / whole, 6) if whole else None


def _is_number(value: Any) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)
            and math.isfinite(value))


def _numeric_leaves(block: dict[str, Any], prefix: str = "") -> list[tuple[str, float]]:
    """Every finite number in a nested analysis block, named by its dotted key path.

    Lists (per-comment and per-author rows) are left out: they do not add across threads.
    """
    found: list[tuple[str, float]] = []
    for key, value in block.items():
        if not prefix and key in _NOT_FIGURES:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            found.extend(_numeric_leaves(value, f"{name}."))
        elif _is_number(value):
            found.append((name, float(value)))
    return found
