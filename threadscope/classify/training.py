"""Training the shipped heads from the shared corpora, with honest figures.

Stance: RumourEval 2019 replies (target = source post), PHEME deep replies (target =
parent) and DEBAGREEMENT. Dev figures train on everything except RumourEval's dev split
and test on it (PHEME rows are all RumourEval train rows, so nothing leaks); grouped
cross-validation (threads / submissions never split) gives per-corpus figures. The
stance head reads the sarcasm head's probability, so train sarcasm first.
Sarcasm: FigLang 2020 Reddit and Twitter, Sarcasm V2, iSarcasmEval; grouped CV.
Everything is seeded: the same data gives the same figures and the same model bytes.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from threadscope.classify import data as corpora_mod
from threadscope.classify.data import Example, Task
from threadscope.classify.features import FeatureSpec
from threadscope.classify.modelio import DEFAULT_DIR, LinearHead, load_head, save_head
from threadscope.classify.scoring import closed_argmax, reliability, reliability_lines, report
from threadscope.errors import ModelError

VERSION = "1.2.0"
"""Version of the model recipe; bump when features or training change."""

CORPORA = {
    "stance": [
        "RumourEval 2019 (Gorrell et al., SemEval 2019), CC BY 4.0",
        "PHEME reply-vs-parent deep replies (Zubiaga et al. 2016), CC BY",
        "DEBAGREEMENT dev split (Pougue-Biyong et al., NeurIPS 2021), research use",
    ],
    "sarcasm": [
        "FigLang 2020 Reddit + Twitter (Ghosh, Vajpayee & Muresan 2020), research use",
        "Sarcasm Corpus V2, 80% (Oraby et al., SIGDIAL 2016), research use",
        "iSarcasmEval 2022 English train (Abu Farha et al. 2022), MIT",
    ],
}
OBJECTIVE = {"stance": "macro", "sarcasm": "both"}
ALPHA = {"stance": 2e-4, "sarcasm": 5e-5}
"""L2 strength per head, chosen by grouped CV (and, for stance, the RumourEval dev split):
stance 5e-5 / 1e-4 / 2e-4 / 4e-4 gave DEBAGREEMENT three-way macro-F1 0.477 / 0.477 /
0.479 / 0.468, RumourEval dev 0.392 / 0.397 / 0.399 / 0.404, PHEME deep 0.386 / 0.389 /
0.405 / 0.402; sarcasm 2.5e-5 / 5e-5 / 1e-4 / 2e-4 / 4e-4 gave Sarcasm V2 sarcastic F1
0.707 / 0.706 / 0.698 / 0.682 / 0.679, FigLang Reddit 0.675 / 0.680 / 0.682 / 0.676 /
0.672, iSarcasmEval 0.411 / 0.415 / 0.416 / 0.416 / 0.397."""

Log = Callable[[str], None]


@dataclass
class TrainResult:
    """What training measured and wrote."""

    task: str
    lines: list[str] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    model_path: Path | None = None


def full_spec(task: str) -> FeatureSpec:
    """Feature space of the shipped head."""
    if task == "stance":
        return FeatureSpec(bits=18, target_bits=16, pair_cues=True, sarcasm_cues=True)
    return FeatureSpec(bits=18, target_bits=0, pair_cues=True, sarcasm_cues=False)


def columns(full: FeatureSpec, variant: FeatureSpec) -> np.ndarray:
    """Indices of the full feature matrix's columns that a reduced variant keeps."""
    keep = [np.arange(1 << full.bits)]
    if variant.target_bits:
        keep.append(np.arange(1 << full.bits, full.n_hashed))
    names = full.dense_names
    keep.append(np.array([full.n_hashed + names.index(n) for n in variant.dense_names],
                         dtype=np.int64))
    return np.concatenate(keep)


def variants(task: str) -> dict[str, FeatureSpec]:
    """The shipped spec and the ablations measured against it."""
    full = full_spec(task)
    out = {"full": full, "no_parent": replace(full, target_bits=0, pair_cues=False)}
    if task == "stance":
        out["no_sarcasm"] = replace(full, sarcasm_cues=False)
    return out


def matrix(examples: Sequence[Example], spec: FeatureSpec) -> Any:
    """Sparse feature matrix of the examples."""
    from threadscope.classify.estimators import batch_matrix
    from threadscope.classify.features import Featurizer

    return batch_matrix(Featurizer(spec).transform([e.pair for e in examples]), spec)


def corpus_weights(corpus: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Sample weights giving every corpus equal weight, and every class within it.

    Pooled "balanced" weights let the large RumourEval "comment" class define neutral
    for DEBAGREEMENT too; per-corpus balance lifted DEBAGREEMENT CV macro-F1 from 0.33
    to 0.37 and RumourEval dev from 0.40 to 0.41 in a 3-fold check.
    """
    weights = np.zeros(len(y))
    names = sorted(set(corpus))
    for name in names:
        in_corpus = corpus == name
        labels = sorted(set(y[in_corpus]))
        for label in labels:
            mask = in_corpus & (y == label)
            weights[mask] = len(y) / (len(names) * len(labels) * mask.sum())
    return weights


def fit(x: Any, y: np.ndarray, spec: FeatureSpec, task: str, corpus: np.ndarray) -> Any:
    """Fit the head pipeline (cue scaler + calibrated linear model), corpus-balanced."""
    from threadscope.classify.estimators import head_pipeline

    return head_pipeline(spec, objective=OBJECTIVE[task], alpha=ALPHA[task]).fit(
        x, y, clf__sample_weight=corpus_weights(corpus, y))


def predict(pipe: Any, x: Any) -> tuple[np.ndarray, np.ndarray]:
    """Calibrated probabilities and decision scores (log-probability plus bias)."""
    clf = pipe.named_steps["clf"]
    xt = pipe[:-1].transform(x)
    return clf.predict_proba(xt), clf.decision_scores(xt)


def cross_validate(x: Any, y: np.ndarray, groups: Sequence[str], spec: FeatureSpec, *,
                   task: str, folds: int, corpus: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and decision scores from grouped k-fold (groups whole)."""
    from sklearn.model_selection import GroupKFold

    classes = np.unique(y)
    proba = np.zeros((len(y), len(classes)))
    scores = np.zeros((len(y), len(classes)))
    for train, test in GroupKFold(n_splits=folds).split(x, y, groups):
        pipe = fit(x[train], y[train], spec, task, corpus[train])
        proba[test], scores[test] = predict(pipe, x[test])
    return proba, scores


def closed_labels(scores: np.ndarray, classes: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """Decisions limited to the labels the truth holds (the corpus's own label set)."""
    allowed = np.isin(classes, np.unique(truth))
    return np.asarray(classes[closed_argmax(scores, allowed)])


def corpus_reports(examples: Sequence[Example], truth: np.ndarray,
                   pred: np.ndarray, task: str) -> dict[str, Any]:
    """Per-corpus report over the labels present in truth or predictions."""
    out = {}
    corpus = np.array([e.corpus for e in examples])
    for name in sorted(set(corpus)):
        mask = corpus == name
        out[name] = report(list(truth[mask]), list(pred[mask]),
                           present(task, truth[mask], pred[mask]))
    return out


def closed_predictions(examples: Sequence[Example], truth: np.ndarray,
                       scores: np.ndarray) -> np.ndarray:
    """Each row's decision limited to the labels its corpus holds (as ``evaluate`` does)."""
    corpus = np.array([e.corpus for e in examples])
    classes = np.unique(truth)
    pred = np.empty(len(truth), dtype=classes.dtype)
    for name in set(corpus):
        mask = corpus == name
        pred[mask] = closed_labels(scores[mask], classes, truth[mask])
    return pred


def corpus_reliability(examples: Sequence[Example], proba: np.ndarray,
                       codes: np.ndarray) -> dict[str, Any]:
    """Reliability table over all rows and for each corpus."""
    corpus = np.array([e.corpus for e in examples])
    tables = {"all": reliability(proba, codes)}
    for name in sorted(set(corpus)):
        mask = corpus == name
        tables[name] = reliability(proba[mask], codes[mask])
    return tables


def present(task: str, truth: Any, pred: Any) -> list[str]:
    """Task labels occurring in truth or predictions, in the task's order."""
    seen = set(truth) | set(pred)
    return [label for label in corpora_mod.TASK_LABELS[task] if label in seen]


def f1_line(name: str, rep: dict[str, Any]) -> str:
    """One corpus's per-class F1 and macro-F1 as a line."""
    per = "  ".join(f"{k} {v['f1']:.3f}" for k, v in rep["per_class"].items())
    return f"  {name:<16} n={rep['n']:<6} macro-F1 {rep['macro_f1']:.3f}  |  {per}"


def export(pipe: Any, spec: FeatureSpec) -> dict[str, np.ndarray]:
    """The fitted pipeline as arrays, the cue scaler folded into the weights."""
    scaler, clf = pipe.named_steps["cues"], pipe.named_steps["clf"]
    coef = np.asarray(clf.coef_, dtype=np.float64).T  # features x k
    n_hashed = spec.n_hashed
    dense = coef[n_hashed:] / scaler.scale_[:, None]
    intercept = np.asarray(clf.intercept_, dtype=np.float64) - scaler.mean_ @ dense
    return {
        # float16 halves the file and the memory traffic of the per-comment weight
        # lookups (the largest cost of scoring); scores move by under 1e-3.
        "hashed": coef[:n_hashed].astype(np.float16),
        "dense": dense,
        "intercept": intercept,
        "cal_coef": np.asarray(clf.cal_coef_, dtype=np.float64),
        "cal_intercept": np.asarray(clf.cal_intercept_, dtype=np.float64),
        "decision_bias": np.asarray(clf.decision_bias_, dtype=np.float64),
    }


def fingerprint(root: Path, task: str) -> str:
    """sha256 over the task's corpus files (names and bytes), for the model card."""
    digest = hashlib.sha256()
    for path in sorted((root / task).rglob("*")):
        if path.is_file() and path.suffix in {".jsonl", ".csv"}:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def with_sarcasm(examples: list[Example], head: LinearHead) -> list[Example]:
    """Examples whose pairs carry the sarcasm head's probability (stance evidence)."""
    from threadscope.classify.features import Featurizer

    proba = head.proba(Featurizer(head.spec).transform([e.pair for e in examples]))
    col = head.labels.index("sarcastic")
    return [replace(e, pair=replace(e.pair, sarcasm=round(float(p), 6)))
            for e, p in zip(examples, proba[:, col], strict=True)]


def sarcasm_head_for(out: Path) -> LinearHead:
    """The sarcasm head stance training reads: the one in ``out``, else the shipped one."""
    for folder in (out, DEFAULT_DIR):
        if (folder / "sarcasm.json").exists():
            return load_head(folder, "sarcasm")
    raise ModelError("no sarcasm model: run `threadscope train sarcasm` first", str(out))


def train(task: Task, root: Path, out: Path, *, folds: int = 5, ablations: bool = True,
          log: Log | None = None) -> TrainResult:
    """Measure (dev split, grouped CV, ablations, reliability), fit on all, write the head.

    Raises:
        InputError: The corpora cannot be read.
        ModelError: Stance training finds no sarcasm model.
    """
    say = log or (lambda _msg: None)
    examples = corpora_mod.corpora(task, root)
    if task == "stance":
        examples = with_sarcasm(examples, sarcasm_head_for(out))
    spec = full_spec(task)
    say(f"{task}: {len(examples)} examples; hashing features")
    x = matrix(examples, spec)
    y = np.array([e.label for e in examples])
    result = TrainResult(task=task)
    if task == "stance":
        _dev_figures(result, examples, x, y, spec=spec, ablations=ablations, say=say)
    _cv_figures(result, examples, x, y, spec=spec, folds=folds, ablations=ablations,
                say=say)
    say(f"{task}: fitting the final model on all {len(y)} examples")
    pipe = fit(x, y, spec, task, np.array([e.corpus for e in examples]))
    meta = {
        "version": VERSION, "labels": [str(c) for c in pipe.named_steps["clf"].classes_],
        "spec": {"bits": spec.bits, "target_bits": spec.target_bits,
                 "pair_cues": spec.pair_cues, "sarcasm_cues": spec.sarcasm_cues},
        "dense_names": list(spec.dense_names), "corpora": CORPORA[task],
        "n_train": len(y), "data_sha256": fingerprint(root, task),
        "objective": OBJECTIVE[task], "figures": result.figures,
    }
    result.model_path = save_head(out, task, export(pipe, spec), meta)
    result.lines.append(f"wrote {result.model_path} and {task}.json")
    return result


def _dev_figures(result: TrainResult, examples: Sequence[Example], x: Any, y: np.ndarray, *,
                 spec: FeatureSpec, ablations: bool, say: Log) -> None:
    dev = np.array([e.corpus == "rumoureval" and e.split == "dev" for e in examples])
    result.lines.append("RumourEval 2019 dev split (trained on all other stance data):")
    names = variants("stance") if ablations else {"full": spec}
    for name, variant in names.items():
        say(f"stance dev: fitting variant {name}")
        keep = columns(spec, variant)
        corpus = np.array([e.corpus for e in examples])
        pipe = fit(x[~dev][:, keep], y[~dev], variant, "stance", corpus[~dev])
        proba, scores = predict(pipe, x[dev][:, keep])
        pred = pipe.named_steps["clf"].classes_[np.argmax(scores, axis=1)]
        rep = report(list(y[dev]), list(pred), present("stance", y[dev], pred))
        result.figures.setdefault("dev_rumoureval", {})[name] = rep
        result.lines.append(f1_line(name, rep))
        if name == "full":
            codes = np.searchsorted(pipe.named_steps["clf"].classes_, y[dev])
            table = reliability(proba, codes)
            result.figures["reliability_dev"] = table
            result.lines.append("  reliability on the dev split (every class probability):")
            result.lines.extend("  " + line for line in reliability_lines(table))


def _cv_figures(result: TrainResult, examples: Sequence[Example], x: Any, y: np.ndarray, *,
                spec: FeatureSpec, folds: int, ablations: bool, say: Log) -> None:
    task = result.task
    groups = [e.group for e in examples]
    names = {k: v for k, v in variants(task).items() if k != "no_sarcasm"}
    if not ablations:
        names = {"full": spec}
    for name, variant in names.items():
        say(f"{task}: {folds}-fold grouped cross-validation, variant {name}")
        keep = columns(spec, variant)
        proba, scores = cross_validate(x[:, keep], y, groups, variant, task=task,
                                       folds=folds, corpus=np.array([e.corpus for e in examples]))
        pred = np.unique(y)[np.argmax(scores, axis=1)]
        reps = corpus_reports(examples, y, pred, task)
        result.figures.setdefault(f"cv_{name}", {}).update(reps)
        result.lines.append(f"{folds}-fold grouped cross-validation, {name}:")
        result.lines.extend(f1_line(corpus, rep) for corpus, rep in reps.items())
        if name == "full":
            _closed_and_reliability(result, examples, y, scores, proba)


def _closed_and_reliability(result: TrainResult, examples: Sequence[Example], y: np.ndarray,
                            scores: np.ndarray, proba: np.ndarray) -> None:
    """Out-of-fold figures with each corpus's own label set, and reliability per corpus."""
    closed = corpus_reports(examples, y, closed_predictions(examples, y, scores), result.task)
    result.figures["cv_full_closed"] = closed
    result.lines.append("  same, decisions limited to the labels each corpus holds:")
    result.lines.extend(f1_line(corpus, rep) for corpus, rep in closed.items())
    tables = corpus_reliability(examples, proba, np.searchsorted(np.unique(y), y))
    result.figures["reliability_cv"] = tables
    for corpus, table in tables.items():
        result.lines.append(f"  reliability, out-of-fold, {corpus} (every class probability):")
        result.lines.extend("  " + line for line in reliability_lines(table))
