"""Features of a reply and its target: hashed n-grams and dense discourse cues (numpy only).

One transform serves training (handed to scikit-learn as a sparse matrix) and tagging
(dotted with the shipped coefficient arrays in numpy), so both see identical features.
Each distinct text is hashed and scored once per batch: in a thread a comment is the
reply of one pair and the target of its children's pairs.

Hashing is zlib.crc32 (stable across processes and platforms, unlike ``hash``) of
lower-cased word 1-2-grams and byte 3-5-grams, folded into 2**bits columns; counts are
log-scaled and each text's row is L2-normalised.
"""

from __future__ import annotations

import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from threadscope.classify.sentiment import sentiment
from threadscope.labels import Sentiment

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

MAX_HASHED_CHARS = 20_000
"""Texts are hashed up to this length: enough for any real comment, bounded for abuse."""

TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[^\sa-z0-9]")
"""Lower-cased words (keeping n't, 're) and single punctuation/emoji marks as tokens."""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NEGATIONS = _words(
    "not no never nothing nobody none nor neither cannot n't nope"
)
AGREE_CUES = _words(
    "agree agreed exactly true right yes yep yeah indeed correct absolutely "
    "definitely thanks thank well said this same"
)
DISAGREE_CUES = _words(
    "disagree wrong false fake lie lies lying nonsense bullshit bs hoax rubbish "
    "untrue ridiculous stupid idiot debunked misleading incorrect nope"
)
HEDGES = _words(
    "maybe perhaps might possibly probably apparently allegedly reportedly seems seem "
    "unconfirmed rumour rumor if unclear guess suppose"
)
QUESTION_OPENERS = _words(
    "who what when where why how is are was were do does did can could would will "
    "should source any really"
)
SMILEY_WORDS = _words(
    "lol lmao rofl haha hahaha hehe lolol smh wow yay ugh duh sure totally obviously "
    "clearly"
)
SMILEY_MARKS = re.compile(r"[:;]-?[()DPp]|[\U0001F600-\U0001F64F\U0001F910-\U0001F92F\U0001F644]")
URL_MARKERS = ("http://", "https://", "www.", "<url>")
"""A link, searched in the lower-cased text (``<url>`` is the corpora's placeholder)."""
MENTION = re.compile(r"(?<!\w)@\w+")
HASHTAG = re.compile(r"(?<!\w)#\w+")
QUOTE_LINE = re.compile(r"^\s*(?:>|&gt;)", re.MULTILINE)

FEATURES_VERSION = 2
"""Version of the feature computation; models record it and load only when it matches.
1: crc32 byte n-grams; 2: vectorised rolling-hash byte n-grams."""

WORD_SEED = 0x5EED
"""crc32 start value for word n-grams, so words and byte n-grams hash apart."""

TEXT_STATS = (
    "log_chars", "log_words", "compound", "pos", "neg", "negations", "agree", "disagree",
    "hedges", "questions", "question_open", "exclaims", "ellipsis", "caps", "smileys",
    "url", "mention", "hashtag", "quoted_lines",
)
"""Per-text cue statistics (counts are shares of words or presence flags)."""

PAIR_STATS = (
    "has_target", "log_depth", "overlap_jaccard", "reply_in_target",
    "target_in_reply", "copied_trigrams", "target_compound", "target_question",
    "target_negations", "compound_product", "compound_gap", "negation_contrast",
    "agree_and_negated",
)
"""Reply-target relations: overlap, copying (quote ratio), sentiment contrast, position."""

SARCASM_STATS = ("sarcasm", "sarcasm_x_agree", "sarcasm_x_positive", "sarcasm_x_disagree")
"""Sarcasm evidence for the stance head (only when a sarcasm probability is given)."""


@dataclass(frozen=True, slots=True)
class Pair:
    """A reply and the text it answers.

    Attributes:
        text: The reply (the labelled text).
        target: The text the label is about (parent, quoted passage, article); "" if none.
        depth: Number of known posts above the reply (1 for a direct answer).
        target_is_article: The target is the article (a top-level comment); kept for
            callers, not a feature: labelled corpora cannot say it consistently.
        sarcasm: Sarcasm probability of the reply, when known (stance evidence).
    """

    text: str
    target: str = ""
    depth: int = 1
    target_is_article: bool = False
    sarcasm: float | None = None


@dataclass(frozen=True, slots=True)
class FeatureSpec:
    """Shape of the feature space; stored in the model metadata.

    Attributes:
        bits: The reply's hashed n-grams fill 2**bits columns.
        target_bits: The target's hashed words fill 2**target_bits more (0: none).
        pair_cues: Use reply-target relation cues (False: reply-only ablation).
        sarcasm_cues: Append SARCASM_STATS (stance head fed by the sarcasm head).
    """

    bits: int = 18
    target_bits: int = 0
    pair_cues: bool = True
    sarcasm_cues: bool = False

    @property
    def dense_names(self) -> tuple[str, ...]:
        """Names of the dense cue columns, in order."""
        names = TEXT_STATS + (PAIR_STATS if self.pair_cues else ())
        return names + (SARCASM_STATS if self.sarcasm_cues else ())

    @property
    def n_hashed(self) -> int:
        """Number of hashed (sparse) columns."""
        return (1 << self.bits) + ((1 << self.target_bits) if self.target_bits else 0)


@dataclass(slots=True)
class TextInfo:
    """What is computed once per distinct text."""

    words: list[str]
    word_set: frozenset[str]
    stats: tuple[float, ...]
    sentiment: Sentiment
    trigrams: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    word_hashes: list[int] | None = None
    """word_gram_hashes of the words, once needed (reply and target blocks share it)."""


@dataclass(frozen=True, slots=True)
class FeatureBatch:
    """Features of n pairs: hashed columns as COO triplets (rows in non-decreasing order,
    each row's entries together) plus a dense cue matrix."""

    rows: IntArray
    cols: IntArray
    values: FloatArray
    dense: FloatArray
    n: int


def tokens(text: str) -> list[str]:
    """Lower-cased word and mark tokens (``don't`` stays one word)."""
    return TOKEN.findall(_lowered(text))


def _lowered(text: str) -> str:
    """The hashed part of a text, lower-cased, typographic apostrophes made plain."""
    return text[:MAX_HASHED_CHARS].lower().replace("’", "'")


def hash_text(words: Sequence[str], text: str, bits: int, with_bytes: bool = True) -> IntArray:
    """Column of every word 1-2-gram (and byte 3-5-gram) of a text, repeats kept."""
    hashes = np.array(word_gram_hashes(words), dtype=np.int64)
    if with_bytes:
        hashes = np.concatenate((hashes, byte_gram_hashes(_byte_data(text))))
    return hashes & ((1 << bits) - 1)


def word_gram_hashes(words: Sequence[str]) -> list[int]:
    """crc32 (seeded WORD_SEED) of every word and of every "a b" word pair.

    A pair's crc32 continues from the first word's (crc32 takes a running value), so
    no pair string is built: the same numbers as crc32 of the joined bytes.
    """
    encoded = list(map(str.encode, words))
    single = list(map(zlib.crc32, encoded, itertools.repeat(WORD_SEED, len(encoded))))
    return single + list(map(zlib.crc32, map(b" ".__add__, encoded[1:]), single[:-1]))


def _byte_data(text: str) -> bytes:
    """The bytes whose 3-5-grams are hashed: lower-cased, whitespace runs as one space."""
    return (" " + " ".join(text[:MAX_HASHED_CHARS].lower().split()) + " ").encode()


_PRIME = np.uint64(0x100000001B3)
_MIX = np.uint64(0x9E3779B97F4A7C15)
_GRAM_OFFSETS = (np.uint64(0x3C6EF372FE94F82B), np.uint64(0xA54FF53A5F1D36F1),
                 np.uint64(0x510E527FADE682D1))
_SHIFTS = (np.uint64(31), np.uint64(29))


def byte_gram_hashes(data: bytes) -> IntArray:
    """64-bit hashes of every byte 3-, 4- and 5-gram, computed for all positions at once.

    A polynomial rolling hash (wrapping uint64 arithmetic) per gram length, offset by a
    constant per length and mixed; vectorised, it costs about a tenth of hashing each
    gram in Python. Non-negative (top bit cleared) so callers can mask it.
    """
    return _mixed(list(_rolling(data)))


def _rolling(data: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unmixed rolling hashes of the 3-, 4- and 5-grams at every position of data."""
    b = np.frombuffer(data, dtype=np.uint8).astype(np.uint64)
    if len(b) < 3:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, empty, empty
    h3 = (b[:-2] * _PRIME + b[1:-1]) * _PRIME + b[2:]
    h4 = h3[:-1] * _PRIME + b[3:]
    h5 = h4[:-1] * _PRIME + b[4:]
    return h3, h4, h5


def _mixed(grams: list[np.ndarray]) -> IntArray:
    """Offset each gram length's hashes, mix the bits, clear the top bit."""
    h = np.concatenate([g + off for g, off in zip(grams, _GRAM_OFFSETS, strict=True)])
    h ^= h >> _SHIFTS[0]
    h *= _MIX
    h ^= h >> _SHIFTS[1]
    return (h >> np.uint64(1)).astype(np.int64)


def text_info(text: str) -> TextInfo:
    """Tokens, cue statistics and VADER scores of one text."""
    low = _lowered(text)
    words = TOKEN.findall(low)
    n = max(len(words), 1)
    counts = Counter(words)
    alpha = [w for w in words if w[0].isalpha()]
    senti = sentiment(text)
    stats = (
        math.log1p(len(text)), math.log1p(len(words)), senti.compound, senti.pos, senti.neg,
        _negation_count(counts, low) / n,
        _cue_count(counts, AGREE_CUES) / n,
        _cue_count(counts, DISAGREE_CUES) / n,
        _cue_count(counts, HEDGES) / n,
        min(text.count("?"), 5) / 5.0,
        float(bool(alpha) and alpha[0] in QUESTION_OPENERS and "?" in text),
        min(text.count("!"), 5) / 5.0,
        float("..." in text or "…" in text),
        caps_share(text[:2000]),
        float(not SMILEY_WORDS.isdisjoint(counts) or _has_smiley_mark(text)),
        float(any(marker in low for marker in URL_MARKERS)),
        float("@" in text and bool(MENTION.search(text))),
        float("#" in text and bool(HASHTAG.search(text))),
        float(bool(QUOTE_LINE.search(text))),
    )
    trigrams = frozenset(zip(alpha, alpha[1:], alpha[2:], strict=False))
    return TextInfo(words=words, word_set=frozenset(alpha), stats=stats,
                    sentiment=senti, trigrams=trigrams)


def _negation_count(counts: Counter[str], low: str) -> int:
    found = _cue_count(counts, NEGATIONS)
    if "n't" in low:
        found += sum(c for w, c in counts.items() if w.endswith("n't") and w not in NEGATIONS)
    return found


def _has_smiley_mark(text: str) -> bool:
    """SMILEY_MARKS.search, skipped when the text has neither ':' nor ';' nor non-ASCII."""
    if ":" in text or ";" in text or not text.isascii():
        return bool(SMILEY_MARKS.search(text))
    return False


def _cue_count(counts: Counter[str], cues: frozenset[str]) -> int:
    return sum(counts[w] for w in cues.intersection(counts))


_NOT_ASCII_UPPER = bytes(b for b in range(128) if not chr(b).isupper())
_NOT_ASCII_ALPHA = bytes(b for b in range(128) if not chr(b).isalpha())


def caps_share(text: str) -> float:
    """Share of letters that are upper case (0 with no letters); C-speed for ASCII."""
    if text.isascii():
        data = text.encode()
        letters = len(data.translate(None, _NOT_ASCII_ALPHA))
        upper = len(data.translate(None, _NOT_ASCII_UPPER))
    else:
        found = [ch.isupper() for ch in text if ch.isalpha()]
        letters, upper = len(found), sum(found)
    return upper / letters if letters else 0.0


def pair_stats(pair: Pair, reply: TextInfo, target: TextInfo | None) -> list[float]:
    """Relations between a reply and its target (zeros where there is no target)."""
    head = [float(target is not None), math.log1p(max(pair.depth, 0))]
    if target is None:
        return [*head, *([0.0] * (len(PAIR_STATS) - len(head)))]
    inter = len(reply.word_set & target.word_set)
    union = len(reply.word_set | target.word_set) or 1
    copied = (len(reply.trigrams & target.trigrams) / len(reply.trigrams)
              if reply.trigrams else 0.0)
    negated = reply.stats[5] > 0
    return [
        *head,
        inter / union,
        inter / (len(reply.word_set) or 1),
        inter / (len(target.word_set) or 1),
        copied,
        target.sentiment.compound,
        target.stats[9],
        target.stats[5],
        reply.sentiment.compound * target.sentiment.compound,
        abs(reply.sentiment.compound - target.sentiment.compound),
        float(negated and not target.stats[5] > 0),
        float(reply.stats[6] > 0 and negated),
    ]


def sarcasm_stats(pair: Pair, reply: TextInfo) -> list[float]:
    """Sarcasm probability and its products with agreement and praise cues."""
    p = 0.0 if pair.sarcasm is None else pair.sarcasm
    agree, disagree = float(reply.stats[6] > 0), float(reply.stats[7] > 0)
    return [p, p * agree, p * reply.sentiment.pos, p * disagree]


Block = tuple[IntArray, FloatArray]
"""A text's hashed columns (sorted, distinct) and their log-scaled, L2-normalised values."""


BLOCK_TEXTS = 64
"""Texts hashed, sorted and counted together: numpy's per-call cost is paid once for
all of them, while each array (about 40,000 grams) stays in the CPU cache; 64 texts
cost about half as much per text as 1,024."""


def hashed_blocks(items: Sequence[tuple[Sequence[int], str]], bits: int,
                  with_bytes: bool) -> list[Block]:
    """The hashed block of each (word_gram_hashes of its words, text): repeats summed,
    counts log-scaled, L2-normalised.

    All texts are sorted as one array of (text, column) keys; each norm is summed over
    the text's own run of columns (add.reduceat), so a text's values never depend on
    its batch.
    """
    out: list[Block] = []
    for start in range(0, len(items), BLOCK_TEXTS):
        out += _blocks(items[start:start + BLOCK_TEXTS], bits, with_bytes)
    return out


def _blocks(items: Sequence[tuple[Sequence[int], str]], bits: int,
            with_bytes: bool) -> list[Block]:
    hashes, owners = _all_grams(items, with_bytes)
    keys = (owners << bits) | (hashes & ((1 << bits) - 1))
    keys.sort()
    starts = run_starts(keys)
    distinct = keys[starts]
    values = 1.0 + np.log(np.diff(np.append(starts, len(keys))).astype(np.float64))
    owner = distinct >> bits
    bounds = [0, *np.searchsorted(owner, np.arange(1, len(items))).tolist(), len(owner)]
    values /= _norms(values, np.array(bounds))[owner]
    cols = distinct & ((1 << bits) - 1)
    return [(cols[a:b], values[a:b]) for a, b in itertools.pairwise(bounds)]


def run_starts(ordered: IntArray) -> IntArray:
    """Index of the first entry of each run of equal values in a sorted array."""
    first = np.ones(len(ordered), dtype=bool)
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    return np.flatnonzero(first)


def _norms(values: FloatArray, bounds: IntArray) -> FloatArray:
    """L2 norm of each text's run values[bounds[i]:bounds[i + 1]] (0 for an empty run)."""
    starts = bounds[:-1]
    filled = starts < bounds[1:]
    sums = np.zeros(len(starts))
    if len(values):  # runs of empty texts have no length: the others end where the next begins
        sums[filled] = np.add.reduceat(values * values, starts[filled])
    return np.asarray(np.sqrt(sums))


def _all_grams(items: Sequence[tuple[Sequence[int], str]],
               with_bytes: bool) -> tuple[IntArray, IntArray]:
    """Every gram hash of every text, and the index of the text it belongs to."""
    words = [w for w, _ in items]
    hashes = [np.array(list(itertools.chain.from_iterable(words)), dtype=np.int64)]
    owners = [np.repeat(np.arange(len(items)), [len(w) for w in words])]
    if with_bytes:
        byte_hashes, byte_owners = _byte_grams([_byte_data(text) for _, text in items])
        hashes.append(byte_hashes)
        owners.append(byte_owners)
    return np.concatenate(hashes), np.concatenate(owners).astype(np.int64)


def _byte_grams(datas: list[bytes]) -> tuple[IntArray, IntArray]:
    """byte_gram_hashes of many texts at once (grams crossing two texts dropped)."""
    owner = np.repeat(np.arange(len(datas)), [len(d) for d in datas])
    grams = _rolling(b"".join(datas))
    kept: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    for n, gram in zip((3, 4, 5), grams, strict=True):
        same = owner[:len(gram)] == owner[n - 1:n - 1 + len(gram)]
        kept.append(gram[same])
        owners.append(owner[:len(gram)][same])
    return _mixed(kept), np.concatenate(owners)


class Featurizer:
    """Turns pairs into a FeatureBatch, computing each distinct text's work once.

    ``infos``, ``hashes`` and ``relations`` (pair_stats by text, target and depth) may
    be shared between featurizers (tagging runs the sarcasm and stance heads over the
    same pairs).
    """

    def __init__(self, spec: FeatureSpec, infos: dict[str, TextInfo] | None = None,
                 hashes: dict[tuple[str, int, bool], Block] | None = None,
                 relations: dict[tuple[str, str, int], list[float]] | None = None) -> None:
        self.spec = spec
        self.infos: dict[str, TextInfo] = {} if infos is None else infos
        self.hashes: dict[tuple[str, int, bool], Block] = {} if hashes is None else hashes
        self.relations: dict[tuple[str, str, int], list[float]] = (
            {} if relations is None else relations)

    def relation(self, pair: Pair, reply: TextInfo, target: TextInfo | None) -> list[float]:
        """Cached pair_stats of a pair."""
        key = (pair.text, pair.target, pair.depth)
        found = self.relations.get(key)
        if found is None:
            found = self.relations[key] = pair_stats(pair, reply, target)
        return found

    def info(self, text: str) -> TextInfo:
        """Cached TextInfo of a text."""
        info = self.infos.get(text)
        if info is None:
            info = self.infos[text] = text_info(text)
        return info

    def word_hashes(self, text: str) -> list[int]:
        """Cached word_gram_hashes of a text's words."""
        info = self.info(text)
        if info.word_hashes is None:
            info.word_hashes = word_gram_hashes(info.words)
        return info.word_hashes

    def prepare(self, texts: Sequence[str], bits: int, with_bytes: bool) -> None:
        """Hash every text not yet cached, all in one batch."""
        todo = list(dict.fromkeys(t for t in texts if (t, bits, with_bytes) not in self.hashes))
        if todo:
            items = [(self.word_hashes(t), t) for t in todo]
            for text, block in zip(todo, hashed_blocks(items, bits, with_bytes), strict=True):
                self.hashes[(text, bits, with_bytes)] = block

    def transform(self, pairs: Sequence[Pair]) -> FeatureBatch:
        """Features of every pair."""
        spec = self.spec
        dense: list[list[float]] = []
        blocks: list[Block] = []
        rows: list[int] = []
        offset = 1 << spec.bits
        self.prepare([p.text for p in pairs], spec.bits, True)
        if spec.target_bits:
            self.prepare([p.target for p in pairs if p.target], spec.target_bits, False)
        for i, pair in enumerate(pairs):
            reply = self.info(pair.text)
            target = self.info(pair.target) if pair.target else None
            values = list(reply.stats)
            if spec.pair_cues:
                values += self.relation(pair, reply, target)
            if spec.sarcasm_cues:
                values += sarcasm_stats(pair, reply)
            dense.append(values)
            blocks.append(self.hashes[(pair.text, spec.bits, True)])
            rows.append(i)
            if spec.target_bits and target is not None:
                cols, vals = self.hashes[(pair.target, spec.target_bits, False)]
                blocks.append((cols + offset, vals))
                rows.append(i)
        matrix = np.array(dense, dtype=np.float64).reshape(len(pairs), len(spec.dense_names))
        return _batch(blocks, rows, matrix, len(pairs))


def _batch(blocks: list[Block], rows: list[int], dense: FloatArray, n: int) -> FeatureBatch:
    """Concatenate the blocks (a row's reply block, then its target block: sorted)."""
    if not blocks:
        empty = np.zeros(0, dtype=np.int64)
        return FeatureBatch(empty, empty, np.zeros(0), dense, n)
    sizes = [len(cols) for cols, _ in blocks]
    r = np.repeat(np.asarray(rows, dtype=np.int64), sizes)
    c = np.concatenate([cols for cols, _ in blocks])
    values = np.concatenate([vals for _, vals in blocks])
    return FeatureBatch(rows=r, cols=c, values=values, dense=dense, n=n)
