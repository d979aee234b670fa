"""Parse time per page and per comment for each family's real pages, beside trafilatura.

For every input in ../shared/threads (and the seeds) this prints the family that
auto-detection picks, the comments found, the best-of-N parse time and the time
per comment; for HTML pages it also times trafilatura's extraction with comments
(``trafilatura.extract(..., include_comments=True)``) and counts the comment
paragraphs it returns. A second table runs the generic fallback (``--site
generic`` forced) on every real HTML page and prints its agreement with the
expected files (comment count, parent links, depth, authors, scores, times).

Usage:
    pip install -e '.[bench]'
    python benchmarks/bench_parse.py [--repeat 3] [--threads ../shared/threads]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # the tests package holds the expected-file mapping

from tests.test_threads_expected import agreement  # noqa: E402
from threadscope.document import Document  # noqa: E402
from threadscope.sites import ParseContext, detect, get_family  # noqa: E402


def best_time(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """Smallest wall time of repeat runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = func()
        times.append(time.perf_counter() - start)
    return min(times), result


def expected_inputs(threads: Path) -> list[Path]:
    """The inputs that have an expected file beside them."""
    return sorted(p.with_name(p.name.removesuffix(".expected.json"))
                  for p in threads.glob("*/*.expected.json"))


def inputs(threads: Path) -> list[Path]:
    """Every real input with an expected file, the plain-text gold copies and the seeds."""
    found = expected_inputs(threads)
    found += sorted(threads.glob("*/*.gold.txt"))
    found += sorted((ROOT / "fixtures").glob("0*.txt"))
    return found


def trafilatura_comments(doc: Document, repeat: int) -> tuple[float, int | None]:
    """Time of trafilatura's extraction with comments, and its comment paragraph count."""
    try:
        import trafilatura
    except ImportError:
        return float("nan"), None
    from lxml import etree

    def run() -> str | None:
        out: str | None = trafilatura.extract(doc.text, include_comments=True,
                                              output_format="xml")
        return out

    seconds, xml = best_time(run, repeat)
    if not xml:
        return seconds, 0
    root = etree.fromstring(xml.encode("utf-8"))
    return seconds, len(root.findall(".//comments/*"))


def family_table(paths: list[Path], repeat: int) -> None:
    """Parse time per page and per comment, ours beside trafilatura's."""
    print(f"{'page':58} {'family':13} {'comm.':>5} {'parse ms':>9} {'ms/comm.':>8} "
          f"{'trafil. ms':>10} {'trafil. paras':>13}")
    per_family: dict[str, list[float]] = {}
    for path in paths:
        doc = Document.read(path)
        family = detect(doc)
        seconds, threads = best_time(
            lambda d=doc, f=family: f.parse(Document(d.path, d.data), ParseContext()), repeat)
        count = sum(len(t) for t in threads)
        per = seconds * 1000 / count if count else float("nan")
        per_family.setdefault(family.name, []).append(per)
        t_sec, t_count = (trafilatura_comments(doc, repeat) if doc.looks_like_html
                          and path.suffix != ".txt" else (float("nan"), None))
        name = f"{path.parent.name}/{path.name}"
        print(f"{name:58} {family.name:13} {count:5d} {seconds * 1000:9.1f} {per:8.2f} "
              f"{t_sec * 1000:10.1f} {'' if t_count is None else t_count:>13}")
    print("\nmedian ms per comment by family:")
    for name, values in sorted(per_family.items()):
        print(f"  {name:13} {statistics.median(values):7.2f}")


def generic_table(threads: Path) -> None:
    """The generic fallback, forced, on every real HTML page, against the expected files."""
    generic = get_family("generic")
    print("\ngeneric fallback (--site generic) against the expected files:")
    print(f"{'page':58} {'exp.':>5} {'got':>5} {'parents':>7} {'depths':>6} {'authors':>7} "
          f"{'scores':>6} {'times':>5} {'ms':>7}")
    for path in expected_inputs(threads):
        doc = Document.read(path)
        if not doc.looks_like_html or doc.looks_like_json:
            continue
        name = str(path.relative_to(threads))
        seconds, parsed = best_time(
            lambda d=doc: generic.parse(Document(d.path, d.data), ParseContext()), 1)
        found = agreement(name, parsed)
        cells = [_pct(found.get(k)) for k in ("parents", "depths", "authors", "scores", "times")]
        print(f"{name:58} {found['expected']:5d} {found['parsed']:5d} {cells[0]:>7} "
              f"{cells[1]:>6} {cells[2]:>7} {cells[3]:>6} {cells[4]:>5} {seconds * 1000:7.0f}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f}%"


def main() -> None:
    """Print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per page (best is kept)")
    parser.add_argument("--threads", type=Path, default=ROOT.parent / "shared" / "threads")
    args = parser.parse_args()
    if not (args.threads / "README.md").exists():
        sys.exit(f"real threads not found at {args.threads}")
    family_table(inputs(args.threads), args.repeat)
    generic_table(args.threads)


if __name__ == "__main__":
    main()
