"""Stance, sarcasm and sentiment per comment: trained heads over hashed features.

Cheap to import: numpy, scikit-learn and the models load only when a thread is tagged
(once per process). Public entry points: :func:`tag_thread`, :func:`tag_threads`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

    from threadscope.labels import LabelledThread
    from threadscope.model import Thread

__all__ = ["tag_thread", "tag_threads"]


def tag_thread(thread: Thread, model_dir: Path | None = None) -> LabelledThread:
    """Label every comment of a thread: language, stance, sarcasm, sentiment, segments.

    Stance is toward the parent comment (the article for top-level comments; the quoted
    text for each quote segment). Non-English comments get None labels with a reason.

    Args:
        thread: The thread to label.
        model_dir: Folder with stance/sarcasm .npz + .json (default: shipped models).

    Raises:
        ModelError: A model file is missing, truncated or fails its recorded hash.
    """
    from threadscope.classify.tagging import tag_thread as _tag

    return _tag(thread, model_dir)


def tag_threads(threads: Sequence[Thread], model_dir: Path | None = None
                ) -> list[LabelledThread]:
    """``tag_thread`` of each thread, their comments scored in shared batches.

    Every label and probability equals the thread's own ``tag_thread``, to the last
    bit; many small threads cost less together than one by one.

    Raises:
        ModelError: A model file is missing, truncated or fails its recorded hash.
    """
    from threadscope.classify.tagging import tag_threads as _tag

    return _tag(threads, model_dir)
