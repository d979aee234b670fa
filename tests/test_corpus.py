"""Corpus runs: bad pages listed exactly, resumes after SIGKILL, Dask equals local, exit codes."""

from __future__ import annotations

import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT, SEEDS, need_threads
from threadscope.api import load
from threadscope.cli import _register, app
from threadscope.corpus import PageOptions, PageResult, process_page, process_pages, run_corpus
from threadscope.corpus.executors import BATCH_BYTES, BATCH_PAGES, ProcessPool, batches
from threadscope.corpus.inputs import discover
from threadscope.corpus.runner import check_available
from threadscope.corpus.store import ERRORS_FILE, SUMMARY_FILE, THREADS_FILE
from threadscope.corpus.synthetic import replicate
from threadscope.errors import EXIT_FAILURES, EXIT_INPUT, EXIT_OUTPUT, ModelError, OutputError
from threadscope.export.document import thread_document

_register()
runner = CliRunner()
PLAIN = PageOptions(tag=False, analyse=False)
OUTPUTS = (THREADS_FILE, ERRORS_FILE, SUMMARY_FILE)
SMALL = 130_000
"""Pages up to this size keep the tests fast (the big dragnet pages take seconds each)."""
FAST = 0.5
"""Seconds: slower pages are left out of the corpus tests, which are not about speed."""


def _load_time(path: Path) -> float | None:
    """Seconds the single-page API takes to find comments in a page; None if it finds none."""
    start = time.perf_counter()
    try:
        found = sum(len(t.comments) for t in load(path))
    except Exception:
        return None
    return time.perf_counter() - start if found else None


@pytest.fixture(scope="module")
def good_pages() -> list[Path]:
    """Real pages and seeds that the single-page API parses into comments, fastest first."""
    threads = need_threads()
    inputs = sorted(p for p in threads.rglob("*") if p.is_file() and p.suffix != ".md"
                    and not p.name.endswith(".expected.json"))
    candidates = [p for p in [*SEEDS, *inputs] if p.stat().st_size <= SMALL]
    timed = [(t, p) for p in candidates if (t := _load_time(p)) is not None and t < FAST]
    good = [p for _, p in sorted(timed)]
    assert len(good) >= 3, "fewer than three real pages parse: the site parsers are broken"
    return good


def _bad_pages(folder: Path) -> list[Path]:
    """An empty file, a binary file and two truncated HTML pages (synthetic by nature)."""
    folder.mkdir(parents=True, exist_ok=True)
    html = (need_threads() / "dragnet" / "131.html").read_bytes()
    bad = {
        "empty.html": b"",
        "blank.html": b"  \n\n",
        "image.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
        "truncated.html": html[:2000],
        "truncated-head.html": b"<!DOCTYPE html><html><head><title>Story",
    }
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    return sorted(folder / name for name in bad)


def _corpus(tmp_path: Path, good_pages: list[Path]) -> tuple[Path, list[Path], list[Path]]:
    """A folder of good pages (under distinct names) and bad ones."""
    folder = tmp_path / "corpus"
    good = []
    for i, page in enumerate(good_pages):
        target = folder / "good" / f"{i:02d}-{page.name}"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.read_bytes())
        good.append(target)
    return folder, good, _bad_pages(folder / "bad")


def _errors(out: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in (out / ERRORS_FILE).read_text("utf-8").splitlines()]


def test_bad_pages_are_listed_exactly_and_good_ones_exported(
        tmp_path: Path, good_pages: list[Path]) -> None:
    folder, good, bad = _corpus(tmp_path, good_pages)
    stats = run_corpus([folder], tmp_path / "out", PLAIN, jobs=2)
    errors = _errors(tmp_path / "out")
    assert [e["path"] for e in errors] == [str(p) for p in bad]
    assert all(e["error"] == "InputError" and "\n" not in e["message"] for e in errors)
    assert stats.failed == len(bad)
    docs = [json.loads(line) for line in
            (tmp_path / "out" / THREADS_FILE).read_text("utf-8").splitlines()]
    expected = [thread_document(t) for page in good for t in load(str(page))]
    assert docs == expected


def test_summary_counts_agree_with_the_single_page_api(
        tmp_path: Path, good_pages: list[Path]) -> None:
    folder, good, bad = _corpus(tmp_path, good_pages)
    run_corpus([folder], tmp_path / "out", PLAIN, jobs=1)
    summary = json.loads((tmp_path / "out" / SUMMARY_FILE).read_text("utf-8"))
    threads = [t for page in good for t in load(str(page))]
    real = [c for t in threads for c in t.comments if not c.placeholder]
    assert summary["overall"]["comments"] == len(real)
    assert summary["overall"]["max_depth"] == max(c.depth for c in real)
    assert summary["pages_failed"] == len(bad)
    sites = {t.source.site for t in threads if t.source}
    assert set(summary["sites"]) == sites
    assert sum(s["pages"] for s in summary["sites"].values()) == len(good)


def test_rerun_skips_done_pages_and_retries_failed_ones(
        tmp_path: Path, good_pages: list[Path]) -> None:
    folder, good, bad = _corpus(tmp_path, good_pages)
    out = tmp_path / "out"
    run_corpus([folder], out, PLAIN, jobs=1)
    first = {name: (out / name).read_bytes() for name in OUTPUTS}
    again = run_corpus([folder], out, PLAIN, jobs=1)
    assert (again.skipped, again.processed, again.failed) == (len(good), len(bad), len(bad))
    assert {name: (out / name).read_bytes() for name in OUTPUTS} == first


def test_repeated_content_is_processed_once_and_failures_name_every_path(
        tmp_path: Path, good_pages: list[Path]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a.html", "b.html"):
        (folder / name).write_bytes(good_pages[0].read_bytes())
    for name in ("c.html", "d.html"):
        (folder / name).write_bytes(b"")
    stats = run_corpus([folder], tmp_path / "out", PLAIN, jobs=1)
    assert (stats.processed, stats.duplicates) == (2, 2)
    assert [e["path"] for e in _errors(tmp_path / "out")] == [str(folder / "c.html"),
                                                             str(folder / "d.html")]
    lines = (tmp_path / "out" / THREADS_FILE).read_text("utf-8").splitlines()
    assert [json.loads(x)["source"]["path"] for x in lines] == [str(folder / "a.html")] * len(
        load(folder / "a.html"))


def _batch_command(inputs: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "threadscope", "batch", str(inputs), "--out", str(out),
            "--no-tag", "--jobs", "1"]


def test_run_killed_with_sigkill_resumes_to_identical_outputs(
        tmp_path: Path, good_pages: list[Path]) -> None:
    corpus = tmp_path / "corpus"
    total = len(replicate(good_pages[:3], corpus, 45))
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    subprocess.run(_batch_command(corpus, whole), check=True, capture_output=True, cwd=ROOT)

    proc = subprocess.Popen(_batch_command(corpus, killed), cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    done_at_kill = _wait_for_pages(killed, 5, proc)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 0 < done_at_kill < total
    assert not (killed / THREADS_FILE).exists()

    resumed = subprocess.run(_batch_command(corpus, killed), capture_output=True, text=True,
                             check=False, cwd=ROOT)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "already done" in resumed.stdout
    for name in OUTPUTS:
        assert (killed / name).read_bytes() == (whole / name).read_bytes(), name
    assert _tree(killed / "state" / "pages") == _tree(whole / "state" / "pages")


def _wait_for_pages(out: Path, count: int, proc: subprocess.Popen[bytes]) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        done = len(list((out / "state" / "pages").glob("*/*.jsonl")))
        if done >= count:
            return done
        time.sleep(0.01)
    return len(list((out / "state" / "pages").glob("*/*.jsonl")))


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_dask_path_equals_local_path(tmp_path: Path, good_pages: list[Path]) -> None:
    distributed = pytest.importorskip("distributed")
    from threadscope.corpus import dask_run

    folder, _, _ = _corpus(tmp_path, good_pages[:4])
    run_corpus([folder], tmp_path / "local", PLAIN, jobs=1)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        stats = dask_run([folder], tmp_path / "dask", PLAIN, scheduler=client)
        by_address = runner.invoke(app, ["batch", str(folder), "--out", str(tmp_path / "cli"),
                                         "--no-tag", "--no-analysis",
                                         "--scheduler", cluster.scheduler_address])
    assert by_address.exit_code == EXIT_FAILURES, by_address.output  # the bad pages
    assert stats.processed == len(list(folder.rglob("*.*")))
    for name in OUTPUTS:
        local = (tmp_path / "local" / name).read_bytes()
        assert (tmp_path / "dask" / name).read_bytes() == local
        assert (tmp_path / "cli" / name).read_bytes() == local


def test_process_page_is_picklable_and_never_raises(tmp_path: Path) -> None:
    assert pickle.loads(pickle.dumps(process_page)) is process_page
    result = process_page(str(tmp_path / "missing.html"), PLAIN)
    assert result.error is not None
    assert (result.error.error, result.error.message) == ("InputError", "no such file")
    assert pickle.loads(pickle.dumps(result)) == result


def test_multi_thread_input_gives_one_document_per_thread() -> None:
    dump = need_threads() / "disqus" / "tanglei_about_thread_redacted.xml"
    try:
        expected: object = [thread_document(t) for t in load(dump)]
    except Exception as exc:  # the Disqus family may not parse it yet: same error both ways
        expected = type(exc).__name__
    result = process_page(str(dump), PLAIN)
    got = result.error.error if result.error else [json.loads(x) for x in result.lines]
    assert got == expected


def test_tagged_run_counts_every_stance_label_in_its_summary(
        tmp_path: Path, good_pages: list[Path]) -> None:
    try:
        check_available(PageOptions(), "jsonl")
    except ModelError as exc:
        pytest.skip(f"tagging unavailable here: {exc.one_line()}")
    pages = [str(p) for p in good_pages[:2]]
    stats = run_corpus(pages, tmp_path / "out", PageOptions(), jobs=1)
    assert stats.failed == 0
    docs = [json.loads(x) for x in
            (tmp_path / "out" / THREADS_FILE).read_text("utf-8").splitlines()]
    assert all("analysis" in d for d in docs)
    labels = Counter(c["stance"]["label"] or "unlabelled" for d in docs
                     for c in d["comments"] if "stance" in c and not c["placeholder"])
    assert labels, "no comment was tagged"
    summary = json.loads((tmp_path / "out" / SUMMARY_FILE).read_text("utf-8"))["overall"]
    assert {k: v for k, v in summary["stance"].items() if v} == dict(labels)


def test_changed_options_are_refused(tmp_path: Path, good_pages: list[Path]) -> None:
    run_corpus([good_pages[0]], tmp_path / "out", PLAIN, jobs=1)
    with pytest.raises(OutputError, match="other options"):
        run_corpus([good_pages[0]], tmp_path / "out", PageOptions(tag=False, site="generic"),
                   jobs=1)


def test_discovery_walks_folders_expands_globs_and_skips_the_output(tmp_path: Path) -> None:
    for name in ("a/x.html", "a/b/y.html", "a/.hidden.html", "a/out/old.jsonl", "z.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = list(discover([tmp_path / "a", str(tmp_path / "*.json"), tmp_path / "a/x.html"],
                          exclude=tmp_path / "a" / "out"))
    # a folder's own files first, then its subfolders, each in name order
    assert found == [str(tmp_path / "a/x.html"), str(tmp_path / "a/b/y.html"),
                     str(tmp_path / "z.json")]


@pytest.mark.parametrize(("with_bad", "code"), [(False, 0), (True, EXIT_FAILURES)])
def test_batch_exit_code_says_whether_a_page_failed(
        tmp_path: Path, good_pages: list[Path], with_bad: bool, code: int) -> None:
    inputs = [str(good_pages[0])]
    if with_bad:
        inputs += [str(p) for p in _bad_pages(tmp_path / "bad")]
    result = runner.invoke(app, ["batch", *inputs, "--out", str(tmp_path / "out"), "--no-tag",
                                 "-j", "1"])
    assert result.exit_code == code, result.output
    assert "done: " in result.output
    assert ("listed in" in result.output) is with_bad


def test_batch_usage_errors_exit_with_their_codes(tmp_path: Path, good_pages: list[Path]
                                                   ) -> None:
    no_match = subprocess.run([sys.executable, "-m", "threadscope", "batch",
                               str(tmp_path / "*.nothing"), "--out", str(tmp_path / "o"),
                               "--no-tag"],
                              capture_output=True, text=True, check=False)
    assert no_match.returncode == EXIT_INPUT
    assert "no file matches" in no_match.stderr
    assert "Traceback" not in no_match.stderr
    (tmp_path / "file").write_text("x")
    blocked = subprocess.run([sys.executable, "-m", "threadscope", "batch", str(good_pages[0]),
                              "--out", str(tmp_path / "file"), "--no-tag"],
                             capture_output=True, text=True, check=False)
    assert blocked.returncode == EXIT_OUTPUT, blocked.stderr


def test_convokit_format_equals_the_export_of_the_same_documents(
        tmp_path: Path, good_pages: list[Path]) -> None:
    from threadscope.export.convokit import FILES, write_corpus

    pages = [str(p) for p in good_pages[:4]]
    stats = run_corpus(pages, tmp_path / "out", PLAIN, jobs=1, fmt="convokit")
    assert stats.failed == 0
    direct = tmp_path / "direct"
    write_corpus([thread_document(t) for page in pages for t in load(page)], direct)
    for name in FILES:
        assert (tmp_path / "out" / "convokit" / name).read_bytes() == (direct / name).read_bytes()


def test_summary_aggregates_each_threads_analysis(tmp_path: Path, good_pages: list[Path]) -> None:
    pages = [str(p) for p in good_pages[:4]]
    run_corpus(pages, tmp_path / "out", PageOptions(tag=False, analyse=True), jobs=1)
    docs = [json.loads(x) for x in
            (tmp_path / "out" / THREADS_FILE).read_text("utf-8").splitlines()]
    summary = json.loads((tmp_path / "out" / SUMMARY_FILE).read_text("utf-8"))["overall"]
    sizes = [d["analysis"]["shape"]["size"] for d in docs]
    assert summary["analysis_mean"]["shape.size"] == pytest.approx(sum(sizes) / len(sizes))
    pooled_n = sum(d["analysis"]["stance"]["overall"]["n"] for d in docs)
    assert summary["analysis_pooled"]["stance.overall"]["n"] == pooled_n


def crash_on_marker(paths: Sequence[str], options: PageOptions) -> list[PageResult]:
    """process_pages, except that its worker process dies on a page named crash.html."""
    if any(path.endswith("crash.html") for path in paths):
        os._exit(1)
    return process_pages(paths, options)


def test_a_page_that_kills_its_worker_fails_alone(tmp_path: Path, good_pages: list[Path]
                                                  ) -> None:
    crash = tmp_path / "crash.html"
    crash.write_text("<html><body>the worker dies here</body></html>")
    tasks = [(str(p), f"key{i}") for i, p in enumerate(good_pages[:5])]
    tasks.insert(2, (str(crash), "crash"))
    results = dict(ProcessPool(2, crash_on_marker)(tasks, PLAIN))
    assert set(results) == {key for _, key in tasks}
    assert results["crash"].error is not None
    assert results["crash"].error.error == "WorkerCrashed"
    assert all(results[key].ok for _, key in tasks if key != "crash")


def report_blas_threads(paths: Sequence[str], options: PageOptions) -> list[PageResult]:
    """A stand-in batch function: the worker's BLAS thread counts, as the site field."""
    import numpy  # noqa: F401  (loads the BLAS library threadpoolctl reports)
    from threadpoolctl import threadpool_info  # type: ignore[import-untyped]

    counts = sorted({str(i["num_threads"]) for i in threadpool_info()
                     if i["user_api"] == "blas"})
    return [PageResult(path, site=",".join(counts)) for path in paths]


def test_pool_workers_run_blas_on_one_thread(good_pages: list[Path]) -> None:
    tasks = [(str(p), f"key{i}") for i, p in enumerate(good_pages[:2])]
    results = dict(ProcessPool(2, report_blas_threads)(tasks, PLAIN))
    assert {r.site for r in results.values()} == {"1"}


def test_tagged_run_identity_names_the_model_hashes() -> None:
    """Retrained models change a tagged run's identity, so resuming cannot mix labels."""
    from threadscope.classify.modelio import DEFAULT_DIR

    models = PageOptions(tag=True).identity()["models"]
    for name in ("stance", "sarcasm"):
        meta = json.loads((DEFAULT_DIR / f"{name}.json").read_text("utf-8"))
        assert models[name] == meta["sha256"]
    assert PageOptions(tag=False).identity()["models"] is None


def test_pages_processed_together_equal_each_page_alone(
        tmp_path: Path, good_pages: list[Path]) -> None:
    """Corpus workers take small pages in batches and tag their comments together: every
    result (tagged and analysed documents, or the error) must be the page's own, in
    order, with bad pages between good ones failing alone."""
    _, good, bad = _corpus(tmp_path, good_pages)
    paths = [str(p) for p in good]
    for i, page in enumerate(bad):
        paths.insert(2 * i + 1, str(page))
    options = PageOptions(tag=True, analyse=True)
    alone = [process_page(path, options) for path in paths]
    together = process_pages(paths, options)
    assert [r.path for r in together] == paths
    assert len(good) >= 3
    assert sum(r.ok for r in together) == len(good)
    assert together == alone


def test_a_page_that_breaks_the_tagger_fails_alone(
        tmp_path: Path, good_pages: list[Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """When tagging a batch raises, its pages are tagged one by one: only the page that
    breaks the tagger fails (the fault is injected: no real text breaks it)."""
    from threadscope import api

    poison = tmp_path / "poison.html"
    poison.write_bytes(good_pages[0].read_bytes())
    real = api.tag_threads

    def fragile(threads: Sequence[object]) -> list[object]:
        if any(t.source and t.source.path == str(poison) for t in threads):  # type: ignore[attr-defined]
            raise RuntimeError("tagger broke")
        return real(threads)  # type: ignore[arg-type]

    monkeypatch.setattr(api, "tag_threads", fragile)
    paths = [str(p) for p in good_pages[1:4]]
    paths.insert(1, str(poison))
    results = process_pages(paths, PageOptions(tag=True, analyse=False))
    assert [r.ok for r in results] == [True, False] + [True] * (len(paths) - 2)
    assert results[1].error is not None
    assert results[1].error.error == "RuntimeError"
    assert results[0] == process_page(paths[0], PageOptions(tag=True, analyse=False))


def test_small_pages_are_batched_and_large_ones_travel_alone(tmp_path: Path) -> None:
    """Batches are consecutive runs of at most BATCH_BYTES and BATCH_PAGES (synthetic
    files: only their sizes matter)."""
    sizes = [1000] * (BATCH_PAGES + 3) + [BATCH_BYTES, 10, BATCH_BYTES // 2, BATCH_BYTES // 2,
                                          BATCH_BYTES // 2 + 1]
    tasks = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"{i:03d}.html"
        path.write_bytes(b"x" * size)
        tasks.append((str(path), f"k{i}"))
    tasks.append((str(tmp_path / "missing.html"), None))
    got = list(batches(tasks))
    assert [task for batch in got for task in batch] == tasks
    assert [len(b) for b in got] == [BATCH_PAGES, 3, 1, 2, 1, 2]
    for batch in got:
        total = sum(os.path.getsize(p) if os.path.exists(p) else 0 for p, _ in batch)
        assert len(batch) == 1 or total <= BATCH_BYTES
