"""Pseudonymisation: salted hashes for every author name, in every export and report."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from tests.test_analysis import labelled_thread
from threadscope.analysis import analyse, analysis_dict
from threadscope.export.csv import to_csv
from threadscope.export.document import dumps, thread_document
from threadscope.export.pseudonym import Pseudonymizer, pseudonymize_all
from threadscope.model import QuoteSegment
from threadscope.report import render

NAMES = ("Ann", "Bob", "Cat", "Dan")
TEXTS = {"c3": "@Cat you are wrong, and @bob agrees with me.",
         "c7": "Cat said: it is fine\n\nI disagree.",
         "c8": "email me at x@Dan.org? @Danny is someone else"}


def _item():  # type: ignore[no-untyped-def]
    return labelled_thread(texts=TEXTS)


def test_names_become_stable_salted_hashes() -> None:
    p = Pseudonymizer("s1")
    assert p.name("Bob") == Pseudonymizer("s1").name("Bob")
    assert p.name("Bob") != Pseudonymizer("s2").name("Bob")
    assert p.name("Bob") != p.name("Cat")
    assert p.name("Bob").startswith("user-")
    assert len(p.name("Bob")) == len("user-") + 12
    assert Pseudonymizer().salt != Pseudonymizer().salt  # random salt when none is given


def test_mentions_and_said_headers_are_replaced() -> None:
    (item,) = pseudonymize_all([_item()], salt="k")
    p = Pseudonymizer("k")
    texts = {c.id: c.text for c in item.thread.comments}
    assert texts["c3"] == f"@{p.name('Cat')} you are wrong, and @{p.name('Bob')} agrees with me."
    assert texts["c7"].startswith(f"{p.name('Cat')} said: it is fine")
    assert "@Danny" in texts["c8"]  # a longer name is not a mention of Dan
    assert item.thread.article.author == p.name("Ann")


def test_consistent_across_a_corpus() -> None:
    a, b = pseudonymize_all([_item(), labelled_thread()], salt="corpus")
    authors_a = {c.id: c.author for c in a.thread.comments}
    authors_b = {c.id: c.author for c in b.thread.comments}
    assert authors_a == authors_b
    assert authors_a["c5"] is None  # anonymous stays anonymous (a distinct unknown author)


def test_no_name_survives_in_any_export_or_report(tmp_path: Path) -> None:
    from threadscope.export.convokit import write_corpus

    item = _item()
    thread = item.thread
    c4 = replace(thread.get("c4"), quotes=(QuoteSegment("x", "c3", source_author="Bob"),))
    comments = tuple(c4 if c.id == "c4" else c for c in thread.comments)
    item = replace(item, thread=replace(thread, comments=comments))
    (pseudo,) = pseudonymize_all([item], salt="s")
    result = analyse(pseudo)
    outputs = [dumps(thread_document(pseudo, analysis_dict(result))), to_csv([pseudo], [result])]
    outputs += [render([(pseudo, result)], fmt, color=False)
                for fmt in ("text", "markdown", "html", "json")]
    write_corpus([thread_document(pseudo, analysis_dict(result))], tmp_path, pseudonymized=True)
    outputs += [p.read_text("utf-8") for p in tmp_path.iterdir()]
    for out in outputs:
        for name in NAMES:
            assert not re.search(rf"@{name}(?!\w)", out)
            assert f'"{name}"' not in out
            assert f">{name}<" not in out
            assert f" {name} " not in out
    assert any(Pseudonymizer("s").name("Bob") in out for out in outputs)
