"""Bad input through the real command line: one stderr line naming the file, no traceback,
the documented exit code (threadscope.errors: 2 usage, 3 input, 4 model, 5 output).

Runs ``python -m threadscope`` in a subprocess, exactly as a user would.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from fuzz.hostile_pages import PAYLOAD, wordpress
from threadscope.errors import EXIT_INPUT, EXIT_OUTPUT, EXIT_USAGE


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "threadscope", *args], capture_output=True,
                          text=True, check=False, timeout=300, cwd=cwd)


def assert_one_clear_line(result: subprocess.CompletedProcess[str], code: int,
                          *words: str) -> None:
    assert result.returncode == code, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def make_inputs(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each bad input and a word its error line must contain."""
    empty = folder / "empty.html"
    empty.write_bytes(b"")
    binary = folder / "photo.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    unknown = folder / "notes.txt"
    unknown.write_text("hello world\nthis is a shopping list\n", "utf-8")
    big = folder / "big.html"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    return {
        "missing": (folder / "no-such-page.html", "no such file"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "unknown format": (unknown, "unknown format"),
        "too large": (big, "--max-size"),
        "folder": (folder, "folder"),
    }


CASES = ["missing", "empty", "binary", "unknown format", "too large", "folder"]


@pytest.mark.parametrize("command", ["export", "report"])
@pytest.mark.parametrize("case", CASES)
def test_bad_input_gives_one_line_and_exit_code_3(tmp_path: Path, command: str,
                                                  case: str) -> None:
    path, word = make_inputs(tmp_path)[case]
    result = run(command, "--no-labels", str(path))
    assert_one_clear_line(result, EXIT_INPUT, str(path), word)
    assert result.stdout == ""


def test_raising_max_size_lets_a_big_file_through_to_the_next_check(tmp_path: Path) -> None:
    path, _ = make_inputs(tmp_path)["too large"]
    result = run("export", "--no-labels", "--max-size", "200", str(path))
    # The sparse file is all NUL bytes: past the size limit it is refused as binary.
    assert_one_clear_line(result, EXIT_INPUT, str(path), "binary")


def test_a_good_page_after_a_bad_one_still_fails_the_command_with_the_bad_ones_name(
        tmp_path: Path) -> None:
    good = tmp_path / "good.html"
    good.write_text(wordpress(siblings=2), "utf-8")
    missing = tmp_path / "gone.html"
    result = run("export", "--no-labels", str(good), str(missing))
    assert_one_clear_line(result, EXIT_INPUT, str(missing), "no such file")


def test_unknown_site_family_is_a_clear_error(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=1), "utf-8")
    result = run("export", "--no-labels", "--site", "no-such-family", str(page))
    assert_one_clear_line(result, EXIT_INPUT, "unknown site family")


def test_unknown_option_is_a_usage_error_with_exit_code_2(tmp_path: Path) -> None:
    result = run("export", "--no-such-option", str(tmp_path))
    assert result.returncode == EXIT_USAGE
    assert "Traceback" not in result.stderr


def test_unwritable_output_is_one_line_and_exit_code_5(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=1), "utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = run("export", "--no-labels", str(page), "-o", str(blocker / "out.json"))
    assert_one_clear_line(result, EXIT_OUTPUT, "out.json")


def test_hostile_file_names_are_reported_on_one_line(tmp_path: Path) -> None:
    name = "evil\nname\x1b[31m.html"
    path = tmp_path / name
    path.write_bytes(b"")
    result = run("export", "--no-labels", str(path))
    assert result.returncode == EXIT_INPUT
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "\x1b[31m" not in result.stderr


def test_hostile_comment_text_round_trips_through_the_json_export(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(wordpress(siblings=1, text=lambda i: "safe words"), "utf-8")
    html = page.read_text("utf-8").replace("safe words", PAYLOAD.replace("<", "&lt;"))
    page.write_text(html, "utf-8")
    result = run("export", "--no-labels", str(page))
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stdout.replace("\\u001b", "")  # JSON escapes control chars


def test_batch_keeps_every_output_inside_its_folder_whatever_the_names(tmp_path: Path) -> None:
    from fuzz.hostile_pages import disqus_xml

    pages = tmp_path / "in"
    pages.mkdir()
    (pages / "-rf.html").write_text(wordpress(siblings=2), "utf-8")
    (pages / "evil\nname.html").write_text(wordpress(siblings=1), "utf-8")
    (pages / "empty \x1b[31m.html").write_bytes(b"")
    (pages / "export.xml").write_text(
        disqus_xml(siblings=2, title="../../../escaped").replace(
            '<thread dsq:id="1">', '<thread dsq:id="../../1">').replace(
            '<thread dsq:id="1" />', '<thread dsq:id="../../1" />'), "utf-8")
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    result = run("batch", str(pages), "--out", str(out), "--jobs", "1", "--no-tag",
                 "--no-analysis")
    assert result.returncode == 1, result.stderr  # the empty page fails; the rest pass
    assert "Traceback" not in result.stderr
    assert "\x1b[31m" not in result.stdout + result.stderr, "a file name drove the terminal"
    created = set(tmp_path.rglob("*")) - before
    assert created
    assert all(out == p or out in p.parents for p in created), sorted(map(str, created))
    for line in (out / "errors.jsonl").read_text("utf-8").splitlines():
        assert json.loads(line)
    threads = [json.loads(line) for line in (out / "threads.jsonl").read_text("utf-8")
               .splitlines()]
    assert "../../../escaped" in {t["article"]["title"] for t in threads}
