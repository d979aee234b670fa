"""Frozen annotation results: stance, sarcasm and sentiment keyed by comment id.

Annotations never mutate a Thread: a LabelledThread pairs a thread with its labels.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from threadscope.model import Thread

StanceLabel = Literal["agree", "disagree", "query", "neutral"]
SarcasmLabel = Literal["sarcastic", "not_sarcastic"]
STANCE_LABELS: tuple[StanceLabel, ...] = ("agree", "disagree", "query", "neutral")
SARCASM_LABELS: tuple[SarcasmLabel, ...] = ("not_sarcastic", "sarcastic")


@dataclass(frozen=True, slots=True)
class Sentiment:
    """VADER scores (compound in [-1, 1]; pos, neu, neg shares summing to 1)."""

    compound: float
    pos: float
    neu: float
    neg: float


@dataclass(frozen=True, slots=True)
class Stance:
    """Stance toward a target; label None (with a reason) when not predicted.

    Attributes:
        label: The most probable label, or None (e.g. non-English text).
        target_id: Comment id answered, ``"article"`` for top-level comments.
        probabilities: Calibrated probability of each label (empty when None).
        reason: Why the label is None.
    """

    label: StanceLabel | None
    target_id: str | None
    probabilities: Mapping[str, float] = field(default_factory=dict)
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class Sarcasm:
    """Sarcasm probability and label; None (with a reason) when not predicted."""

    label: SarcasmLabel | None
    probability: float | None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class SegmentLabels:
    """Labels of one quote/answer segment: the answer's stance toward the quote."""

    quote_index: int
    target_id: str | None
    stance: Stance
    sentiment: Sentiment | None
    """VADER scores of the answer; None when not measured (no answer, not English)."""


@dataclass(frozen=True, slots=True)
class CommentLabels:
    """Every label of one comment."""

    comment_id: str
    language: str | None
    stance: Stance
    sarcasm: Sarcasm
    sentiment: Sentiment | None
    """VADER scores; None when not measured (VADER is English-only; empty, deleted and
    placeholder comments have no text): the stance reason says why."""
    segments: tuple[SegmentLabels, ...] = ()


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """A shipped model as named in an export's generator block."""

    name: str
    version: str
    sha256: str


@dataclass(frozen=True, slots=True)
class LabelledThread:
    """A thread with labels for its comments (keyed by comment id)."""

    thread: Thread
    labels: Mapping[str, CommentLabels]
    models: tuple[ModelInfo, ...] = ()

    def label(self, comment_id: str) -> CommentLabels | None:
        """Labels of one comment, None when it was not tagged."""
        return self.labels.get(comment_id)
