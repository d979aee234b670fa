"""Common English words, for the cheap English check before language identification.

A comment whose words are nearly all common English words is English; only the rest
needs py3langid (about 0.1 ms per 200 characters, 0.8 s to load). The list is derived
from the labelled English corpora in ``../shared/data``: a word is kept when at least
MIN_DOCS texts of each of at least MIN_CORPORA corpora use it, so topic words, names and
slang of one corpus stay out. Rebuild it after the corpora change with::

    python -m threadscope.classify.lexicon [--data DIR]

The shipped file (``english_words.txt``) holds only words and no text of any corpus; a
test rebuilds it from the corpora and checks it is what is shipped.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("english_words.txt")
WORD = re.compile(r"[^\W\d_]+")
"""A run of letters (the same words the language check counts)."""
MIN_DOCS = 5
"""A corpus uses a word when at least this many of its texts hold it."""
MIN_CORPORA = 5
"""A word is common English when at least this many corpora use it (of seven)."""


def build(texts_by_corpus: Mapping[str, Iterable[str]]) -> list[str]:
    """ASCII words used by at least MIN_CORPORA corpora, sorted.

    Args:
        texts_by_corpus: Each corpus's texts (replies and targets).
    """
    spread: Counter[str] = Counter()
    for texts in texts_by_corpus.values():
        docs: Counter[str] = Counter()
        for text in texts:
            docs.update(set(WORD.findall(text.lower())))
        spread.update(w for w, n in docs.items() if n >= MIN_DOCS and w.isascii())
    return sorted(w for w, n in spread.items() if n >= MIN_CORPORA)


def corpus_texts(root: Path) -> dict[str, list[str]]:
    """Reply and target texts of every shared corpus, by corpus name.

    Raises:
        InputError: A corpus file is missing or malformed.
    """
    from threadscope.classify.data import corpora

    out: dict[str, list[str]] = {}
    for example in corpora("stance", root) + corpora("sarcasm", root):
        out.setdefault(example.corpus, []).extend((example.pair.text, example.pair.target))
    return out


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """The shipped common-word list."""
    return frozenset(WORDS_FILE.read_text(encoding="utf-8").split())


def main(argv: list[str] | None = None) -> None:
    """Rebuild english_words.txt from the corpora."""
    from threadscope.classify.data import data_dir

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=None, help="labelled corpora folder")
    args = parser.parse_args(argv)
    words = build(corpus_texts(data_dir(args.data)))
    WORDS_FILE.write_text("\n".join(words) + "\n", encoding="utf-8")
    print(f"{len(words)} words -> {WORDS_FILE}")


if __name__ == "__main__":
    main()
