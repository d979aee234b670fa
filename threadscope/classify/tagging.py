"""Tagging a thread: language, sarcasm, stance and sentiment for every comment and segment.

All comments of a thread are featurised in one batch (each text once: a comment is the
reply of its own pair and the target of its children's). Sarcasm runs first, with the
target as context; its probability is evidence for the stance head. Non-English,
empty, deleted and placeholder comments get None labels with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from threadscope.classify.features import Block, FeatureBatch, Featurizer, Pair, TextInfo
from threadscope.classify.language import detect
from threadscope.classify.modelio import LinearHead, heads
from threadscope.classify.sentiment import sentiment
from threadscope.labels import (
    CommentLabels,
    LabelledThread,
    ModelInfo,
    Sarcasm,
    SegmentLabels,
    Sentiment,
    Stance,
)
from threadscope.model import ARTICLE_ID, Comment, Thread

MAX_ARTICLE_CHARS = 4000
"""The article as a stance target is cut here: the opening carries its claim."""


@dataclass(frozen=True, slots=True)
class _Job:
    """One comment to label: its pair, and its quote segments' pairs."""

    comment: Comment
    language: str
    target_id: str
    pair: Pair
    segments: tuple[tuple[int, str | None, Pair], ...]


def article_text(thread: Thread) -> str:
    """Title and body of the article, the target of top-level comments."""
    parts = [thread.article.title or "", *thread.article.body]
    return "\n\n".join(p for p in parts if p)[:MAX_ARTICLE_CHARS]


CHUNK = 512
"""Comments featurised and scored together: big enough for numpy to pay off, small
enough that cost and memory grow linearly with the thread (one batch of 10,000 comments
sorted 7 M hashed entries at once)."""


def tag_thread(thread: Thread, model_dir: Path | None = None) -> LabelledThread:
    """Label every comment of a thread (models load once per process).

    Raises:
        ModelError: A model file is missing, truncated or fails its hash.
    """
    return tag_threads([thread], model_dir)[0]


def tag_threads(threads: Sequence[Thread], model_dir: Path | None = None
                ) -> list[LabelledThread]:
    """``tag_thread`` of each thread, their comments featurised and scored together.

    The labels are those each thread gets alone, to the last bit: a text's features
    and a row's scores do not depend on the batch. Small threads (most pages of a
    forum corpus) share numpy's per-call costs and the cache-cold model weights.

    Raises:
        ModelError: A model file is missing, truncated or fails its hash.
    """
    sarcasm_head, stance_head = heads(model_dir)
    plans = [_plan(thread) for thread in threads]
    found = iter(_tag_jobs([job for jobs, _ in plans for job in jobs],
                           sarcasm_head, stance_head))
    models = tuple(ModelInfo(name=f"threadscope-{h.name}", version=h.version, sha256=h.sha256)
                   for h in (stance_head, sarcasm_head))
    out = []
    for thread, (jobs, skipped) in zip(threads, plans, strict=True):
        labels = dict(skipped)
        labels.update((job.comment.id, next(found)) for job in jobs)
        ordered = {c.id: labels[c.id] for c in thread.comments}
        out.append(LabelledThread(thread=thread, labels=ordered, models=models))
    return out


def _tag_jobs(jobs: list[_Job], sarcasm_head: LinearHead, stance_head: LinearHead
              ) -> list[CommentLabels]:
    """The labels of each job, in order, computed CHUNK jobs at a time."""
    labels: list[CommentLabels] = []
    infos: dict[str, TextInfo] = {}
    for start in range(0, len(jobs), CHUNK):
        chunk = jobs[start:start + CHUNK]
        labels += _tag_chunk(chunk, sarcasm_head, stance_head, infos)
        if len(infos) > 4 * CHUNK:  # keep the texts the next chunk may answer
            infos = {job.pair.text: infos[job.pair.text] for job in chunk
                     if job.pair.text in infos}
    return labels


def _tag_chunk(jobs: list[_Job], sarcasm_head: LinearHead, stance_head: LinearHead,
               infos: dict[str, TextInfo]) -> list[CommentLabels]:
    """Sarcasm, then stance (reading the sarcasm evidence), for a chunk of jobs."""
    hashes: dict[tuple[str, int, bool], Block] = {}
    relations: dict[tuple[str, str, int], list[float]] = {}
    sarc_feat = Featurizer(sarcasm_head.spec, infos, hashes, relations)
    sarc_p, sarc_label = _sarcasm(sarcasm_head, sarc_feat.transform([j.pair for j in jobs]))
    stance_pairs: list[Pair] = []
    for job, p in zip(jobs, sarc_p, strict=True):
        stance_pairs.append(Pair(job.pair.text, job.pair.target, job.pair.depth, sarcasm=p))
        stance_pairs += [Pair(sp.text, sp.target, sp.depth, sarcasm=p)
                         for _, _, sp in job.segments]
    stance_feat = Featurizer(stance_head.spec, infos, hashes, relations)
    batch = stance_feat.transform(stance_pairs)
    proba = stance_head.proba(batch)
    decided = stance_head.decide(proba, stance_head.has_target(batch))
    labels: list[CommentLabels] = []
    row = 0
    for job, p, sarc in zip(jobs, sarc_p, sarc_label, strict=True):
        stances = [_stance(stance_head, proba[r], int(decided[r]), tid)
                   for r, tid in zip(range(row, row + 1 + len(job.segments)),
                                     [job.target_id, *(s[1] for s in job.segments)],
                                     strict=True)]
        row += 1 + len(job.segments)
        sarcasm = Sarcasm(label=sarc, probability=p)  # type: ignore[arg-type]
        labels.append(_labels(job, stances, sarcasm, stance_feat))
    return labels


def _plan(thread: Thread) -> tuple[list[_Job], dict[str, CommentLabels]]:
    """Jobs for labelled comments; final None labels for the rest."""
    article = article_text(thread)
    jobs: list[_Job] = []
    skipped: dict[str, CommentLabels] = {}
    for comment in thread.comments:
        parent = thread.parent(comment)
        target_id = parent.id if parent is not None else ARTICLE_ID
        reason, language = _skip_reason(comment)
        if reason is not None:
            skipped[comment.id] = _none_labels(comment, target_id, language, reason)
            continue
        target = parent.text if parent is not None else article
        segments = tuple(
            (i, q.source_id, Pair(q.answer, q.text, comment.depth))
            for i, q in enumerate(comment.quotes) if q.answer.strip()
        )
        jobs.append(_Job(comment, "en", target_id,
                         Pair(comment.text, target, comment.depth), segments))
    return jobs, skipped


def _skip_reason(comment: Comment) -> tuple[str | None, str | None]:
    """Why a comment gets no labels (and its language), or (None, "en")."""
    if comment.placeholder:
        return "placeholder: stands for hidden replies", None
    if not comment.text.strip():
        return ("deleted: no text" if comment.deleted else "no text"), None
    language = detect(comment.text)
    if language != "en":
        return f"language {language}: models are English", language
    return None, "en"


def _none_labels(comment: Comment, target_id: str, language: str | None,
                 reason: str) -> CommentLabels:
    """Labels of a comment the models do not judge: every label None, with the reason."""
    stance = Stance(label=None, target_id=target_id, reason=reason)
    segments = tuple(
        SegmentLabels(quote_index=i, target_id=q.source_id,
                      stance=Stance(label=None, target_id=q.source_id, reason=reason),
                      sentiment=None)
        for i, q in enumerate(comment.quotes)
    )
    return CommentLabels(comment_id=comment.id, language=language, stance=stance,
                         sarcasm=Sarcasm(label=None, probability=None, reason=reason),
                         sentiment=None, segments=segments)


def _sarcasm(head: LinearHead, batch: FeatureBatch) -> tuple[list[float], list[str]]:
    """Sarcasm probability and decided label of each pair."""
    if batch.n == 0:
        return [], []
    proba = head.proba(batch)
    decided = head.decide(proba, head.has_target(batch))
    column = proba[:, head.labels.index("sarcastic")]
    return [float(p) for p in column], [head.labels[i] for i in decided]


def _stance(head: LinearHead, proba: np.ndarray, decided: int, target_id: str | None) -> Stance:
    probabilities = {label: float(p) for label, p in zip(head.labels, proba, strict=True)}
    label = head.labels[decided]
    return Stance(label=label, target_id=target_id,  # type: ignore[arg-type]
                  probabilities=probabilities)


def _labels(job: _Job, stances: list[Stance], sarcasm: Sarcasm,
            featurizer: Featurizer) -> CommentLabels:
    answered = {index: stance for (index, _, _), stance in
                zip(job.segments, stances[1:], strict=True)}
    segments = tuple(
        SegmentLabels(quote_index=i, target_id=q.source_id,
                      stance=answered.get(i) or Stance(label=None, target_id=q.source_id,
                                                       reason="no answer text after quote"),
                      sentiment=_sentiment(featurizer, q.answer) if i in answered else None)
        for i, q in enumerate(job.comment.quotes)
    )
    return CommentLabels(comment_id=job.comment.id, language=job.language, stance=stances[0],
                         sarcasm=sarcasm, sentiment=_sentiment(featurizer, job.pair.text),
                         segments=segments)


def _sentiment(featurizer: Featurizer, text: str) -> Sentiment:
    info = featurizer.infos.get(text)
    return info.sentiment if info is not None else sentiment(text)
