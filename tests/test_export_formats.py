"""JSON, JSON Lines and CSV exports: schema-valid, deterministic, and they round-trip."""

from __future__ import annotations

import json
import math

import pytest

from tests.test_analysis import labelled_thread
from threadscope.analysis import analyse, analysis_dict
from threadscope.export.csv import COLUMNS, read_rows, rows, to_csv, to_dataframe
from threadscope.export.document import dumps, thread_document
from threadscope.export.jsonl import dumps_lines, loads_lines
from threadscope.export.schema import validate
from threadscope.labels import STANCE_LABELS, LabelledThread

HOSTILE = {
    "c1": 'Commas, "quotes", and\nnew lines\n\nand paragraphs',
    "c2": "Unicode: Привет 你好 \u2028line separator\u2029 and tab\t!",
    "c3": "=HYPERLINK(\"x\") leading formula",
    "c4": "",
}


def _item() -> LabelledThread:
    return labelled_thread(texts=HOSTILE)


def _doc() -> dict:  # type: ignore[type-arg]
    item = _item()
    return thread_document(item, analysis_dict(analyse(item)))


def test_json_document_with_analysis_is_schema_valid() -> None:
    doc = _doc()
    validate(doc)
    assert doc["analysis"]["stance"]["overall"]["labels"]["disagree"]["count"] == 5
    broken = json.loads(dumps(doc))
    broken["analysis"]["shape"]["size"] = -1
    with pytest.raises(Exception, match="schema"):
        validate(broken)


def test_json_round_trips_every_comment_and_label() -> None:
    item = _item()
    back = json.loads(dumps(_doc()))
    assert dumps(back) == dumps(_doc())  # byte-identical, and re-serialises identically
    for c, d in zip(item.thread.comments, back["comments"], strict=True):
        labels = item.labels[c.id]
        assert (d["id"], d["parent_id"], d["author"], d["score"], d["text"]) == (
            c.id, c.parent_id, c.author, c.score, c.text)
        assert d["stance"]["label"] == labels.stance.label
        assert d["stance"]["probabilities"] == pytest.approx(dict(labels.stance.probabilities))
        assert d["sarcasm"]["probability"] == labels.sarcasm.probability


def test_jsonl_keeps_one_document_per_line() -> None:
    docs = [_doc(), _doc()]
    text = dumps_lines(docs)
    assert text.count("\n") == 2
    assert len(text.splitlines()) == 2  # U+2028 in a comment is escaped, not a line break
    assert list(loads_lines(text)) == docs
    for doc in loads_lines(text):
        validate(doc)


def test_csv_round_trips_typed_values() -> None:
    item = _item()
    result = analyse(item)
    original = list(rows(item, result))
    text = to_csv([item], [result])
    assert text.splitlines()[0] == ",".join(COLUMNS)
    assert read_rows(text) == original
    by_id = {r["id"]: r for r in read_rows(text)}
    assert by_id["c2"]["text"] == HOSTILE["c2"]
    assert by_id["c4"]["text"] == ""
    assert by_id["c9"]["score"] is None
    assert by_id["c5"]["author"] is None
    assert by_id["c2"]["p_disagree"] == 0.9
    assert by_id["c2"]["disagreeing_replies"] == 2
    assert by_id["c2"]["contest_weight"] == pytest.approx(1.2)
    assert by_id["c1"]["first_reply_seconds"] == 900.0


def test_csv_is_deterministic_and_has_one_row_per_comment() -> None:
    item = _item()
    first = to_csv([item, item], [analyse(item), analyse(item)])
    assert first == to_csv([item, item], [analyse(item), analyse(item)])
    assert len(read_rows(first)) == 2 * len(item.thread.comments)


def test_dataframe_has_columns_dtypes_and_values() -> None:
    item = _item()
    frame = to_dataframe([item], [analyse(item)])
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == 9
    assert str(frame["score"].dtype) == "Int64"
    assert str(frame["deleted"].dtype) == "boolean"
    assert frame.loc[frame["id"] == "c9", "score"].isna().all()
    assert frame.loc[frame["id"] == "c1", "stance"].item() == "agree"
    probs = frame[[f"p_{name}" for name in STANCE_LABELS]].sum(axis=1)
    assert all(math.isclose(p, 1.0) for p in probs)


def test_unlabelled_thread_exports_null_labels() -> None:
    item = _item()
    bare = LabelledThread(item.thread, {})
    back = read_rows(to_csv([bare]))
    assert all(r["stance"] is None and r["p_agree"] is None for r in back)
    assert all(r["replies"] is None for r in back)  # no analysis given: figures are null


def test_csv_defuses_formulas_reversibly() -> None:
    texts = {"c1": "=1+1", "c2": "'already quoted", "c3": "-minus", "c4": "plain"}
    item = labelled_thread(texts=texts)
    text = to_csv([item])
    cells = {row[COLUMNS.index("id")]: row[COLUMNS.index("text")]
             for row in __import__("csv").reader(text.splitlines()[1:])}
    assert cells == {"c1": "'=1+1", "c2": "''already quoted", "c3": "'-minus", "c4": "plain",
                     **{f"c{i}": f"text of c{i}" for i in range(5, 10)}}
    assert {r["id"]: r["text"] for r in read_rows(text)}["c2"] == "'already quoted"
    assert [r["text"] for r in read_rows(text)][:4] == [texts[f"c{i}"] for i in range(1, 5)]


def _stdlib_line(doc: object) -> str:
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def test_compact_lines_equal_the_json_module_on_real_documents() -> None:
    from tests.conftest import need_threads
    from threadscope.api import load, tag
    from threadscope.export.jsonl import dumps_compact

    for name in ("disqus/tanglei_about_thread_redacted.xml", "dragnet/R990.html",
                 "trafilatura/german.stackexchange.com.ausgeraubt.html"):
        labelled = tag(load(need_threads() / name)[0])
        doc = thread_document(labelled, analysis_dict(analyse(labelled)))
        assert dumps_compact(doc) == _stdlib_line(doc)


@pytest.mark.parametrize("value", [
    # synthetic edge cases of the orjson path: line separators, controls, astral
    # characters, integers beyond 64 bits (json module fallback), exponent floats
    "a\u2028b\u2029c", "tab\tnew\nline\x00\x1f\x7f", "😀 𝕏 é", 10**30, -(2**63), 1e-05,
    1e16, -0.0, [1.5, None, True, {"k": "v"}],
])
def test_compact_lines_round_trip_edge_values(value: object) -> None:
    from threadscope.export.jsonl import dumps_compact

    line = dumps_compact({"v": value})
    assert not {"\n", "\u2028", "\u2029"} & set(line)
    assert json.loads(line) == {"v": value}
    if not isinstance(value, float):
        assert line == _stdlib_line({"v": value})
