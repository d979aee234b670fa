"""The versioned JSON document of one thread (schema version 1)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from threadscope import __version__
from threadscope.labels import CommentLabels, LabelledThread, Sarcasm, Sentiment, Stance
from threadscope.model import Article, Comment, QuoteSegment, Thread, Timestamp

SCHEMA_VERSION = 1
GENERATOR = "threadscope"


def thread_document(
    thread: Thread | LabelledThread,
    analysis: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The export document of a thread, labelled or not, in fixed key order."""
    labelled = thread if isinstance(thread, LabelledThread) else None
    plain = labelled.thread if labelled else thread
    assert isinstance(plain, Thread)
    doc: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "generator": _generator(labelled),
        "source": _source(plain),
        "article": article_dict(plain.article),
        "comments": [
            comment_dict(c, labelled.label(c.id) if labelled else None) for c in plain.comments
        ],
    }
    if analysis is not None:
        doc["analysis"] = dict(analysis)
    return doc


def dumps(doc: Mapping[str, Any]) -> str:
    """Deterministic JSON text: same document, byte-identical output."""
    return json.dumps(doc, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def dumps_many(docs: list[dict[str, Any]]) -> str:
    """Several documents as one deterministic JSON array."""
    return json.dumps(docs, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _generator(labelled: LabelledThread | None) -> dict[str, Any]:
    models = [
        {"name": m.name, "version": m.version, "sha256": m.sha256}
        for m in (labelled.models if labelled else ())
    ]
    return {"name": GENERATOR, "version": __version__, "models": models}


def _source(thread: Thread) -> dict[str, Any]:
    src = thread.source
    if src is None:
        return {"path": None, "sha256": None, "format": None, "site": None, "thread_key": None}
    return {"path": src.path, "sha256": src.sha256, "format": src.format, "site": src.site,
            "thread_key": src.thread_key}


def time_dict(ts: Timestamp | None) -> dict[str, Any] | None:
    """A timestamp as {iso, precision, raw}, or None."""
    if ts is None:
        return None
    return {"iso": ts.iso, "precision": ts.precision, "raw": ts.raw}


def article_dict(article: Article) -> dict[str, Any]:
    """The article block."""
    return {
        "title": article.title,
        "body": list(article.body),
        "url": article.url,
        "author": article.author,
        "published": time_dict(article.published),
        "declared_comment_count": article.declared_comment_count,
    }


def comment_dict(comment: Comment, labels: CommentLabels | None = None) -> dict[str, Any]:
    """One comment, flat, with its labels when tagged."""
    out: dict[str, Any] = {
        "id": comment.id,
        "parent_id": comment.parent_id,
        "depth": comment.depth,
        "path": comment.path,
        "author": comment.author,
        "score": comment.score,
        "score_label": comment.score_label,
        "timestamp": comment.timestamp.iso if comment.timestamp else None,
        "time": time_dict(comment.timestamp),
        "title": comment.title,
        "text": comment.text,
        "emoticons": list(comment.emoticons),
        "quotes": [_quote_dict(q, i, labels) for i, q in enumerate(comment.quotes)],
        "deleted": comment.deleted,
        "placeholder": comment.placeholder,
        "hidden_count": comment.hidden_count,
    }
    if labels is not None:
        out["language"] = labels.language
        out["stance"] = stance_dict(labels.stance)
        out["sarcasm"] = sarcasm_dict(labels.sarcasm)
        out["sentiment"] = sentiment_dict(labels.sentiment)
    return out


def _quote_dict(q: QuoteSegment, index: int, labels: CommentLabels | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "text": q.text,
        "source_id": q.source_id,
        "answer": q.answer,
        "kind": q.kind,
        "source_author": q.source_author,
    }
    seg = next((s for s in labels.segments if s.quote_index == index), None) if labels else None
    if seg is not None:
        out["stance"] = stance_dict(seg.stance)
        out["sentiment"] = sentiment_dict(seg.sentiment)
    return out


def stance_dict(stance: Stance) -> dict[str, Any]:
    """Stance block: label, target id, probabilities (and why a label is missing)."""
    return {
        "label": stance.label,
        "target_id": stance.target_id,
        "probabilities": {k: round(v, 4) for k, v in sorted(stance.probabilities.items())},
        "reason": stance.reason,
    }


def sarcasm_dict(sarcasm: Sarcasm) -> dict[str, Any]:
    """Sarcasm block."""
    prob = None if sarcasm.probability is None else round(sarcasm.probability, 4)
    return {"label": sarcasm.label, "probability": prob, "reason": sarcasm.reason}


def sentiment_dict(sentiment: Sentiment | None) -> dict[str, float] | None:
    """VADER block."""
    if sentiment is None:
        return None
    return {
        "compound": round(sentiment.compound, 4),
        "pos": round(sentiment.pos, 4),
        "neu": round(sentiment.neu, 4),
        "neg": round(sentiment.neg, 4),
    }
