"""Peak memory: one 10,000-comment page, and corpus runs of growing size (flat or not).

Each measurement runs in a fresh interpreter and reads its peak resident set size
(``ru_maxrss``). For one page, the table gives the peak after warming up (imports and
models loaded) and the growth the page itself caused. For corpus runs (one process,
synthetic 100-comment pages, each distinct), the peak should not grow with the number
of pages: that is what streaming promises.

Usage:
    python benchmarks/bench_memory.py [--pages 250 1000 2000] [--no-tag]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from threadscope.corpus.synthetic import reddit_thread

_ONE_PAGE = """
import json, resource, sys
from threadscope.corpus import PageOptions, process_page
warm, page, tag = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
options = PageOptions(tag=tag, analyse=True)
process_page(warm, options)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
result = process_page(page, options)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"warm_mb": before / 1024, "peak_mb": after / 1024,
                  "comments": result.comments, "error": str(result.error or "")}))
"""

_CORPUS = """
import json, resource, sys
from pathlib import Path
from threadscope.corpus import PageOptions, run_corpus
src, out, tag = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1"
stats = run_corpus([src], out, PageOptions(tag=tag, analyse=True), jobs=1)
print(json.dumps({"peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "processed": stats.processed, "comments": stats.comments}))
"""


def run(code: str, *args: str) -> dict[str, float]:
    """Run code in a fresh interpreter; its last stdout line as JSON."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def tagging_available() -> bool:
    """True when the classifiers and their models are installed and load."""
    from threadscope.corpus import PageOptions
    from threadscope.corpus.runner import check_available
    from threadscope.errors import ThreadscopeError

    try:
        check_available(PageOptions(tag=True, analyse=True), "jsonl")
    except ThreadscopeError as exc:
        print(f"tagging unavailable: {exc.one_line()}")
        return False
    return True


def main() -> None:
    """Measure and print both tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--no-tag", action="store_true")
    args = parser.parse_args()
    tag = "1" if tagging_available() and not args.no_tag else "0"
    print(f"stages: parse, {'tag, ' if tag == '1' else ''}analyse, export JSON")
    with tempfile.TemporaryDirectory(prefix="threadscope-mem-") as tmp:
        folder = Path(tmp)
        warm = folder / "warm.json"
        warm.write_bytes(reddit_thread(10, seed=1))
        print("\none page (fresh interpreter, after a 10-comment warm-up page)")
        print(f"{'comments':>9}  {'page MB':>7}  {'warm MB':>7}  {'peak MB':>7}  {'growth MB':>9}")
        for size in (1000, 10000):
            page = folder / f"page-{size}.json"
            page.write_bytes(reddit_thread(size, seed=size))
            r = run(_ONE_PAGE, str(warm), str(page), tag)
            if r["error"]:
                raise SystemExit(f"page failed: {r['error']}")
            print(f"{size:>9,}  {page.stat().st_size / 2**20:7.1f}  {r['warm_mb']:7.0f}  "
                  f"{r['peak_mb']:7.0f}  {r['peak_mb'] - r['warm_mb']:9.0f}")
        print("\ncorpus runs, one process, synthetic 100-comment pages (streaming: flat)")
        print(f"{'pages':>6}  {'comments':>9}  {'peak MB':>7}")
        for pages in args.pages:
            src = folder / f"corpus-{pages}"
            src.mkdir()
            for n in range(pages):
                (src / f"{n:05d}.json").write_bytes(reddit_thread(100, seed=n))
            r = run(_CORPUS, str(src), str(folder / f"out-{pages}"), tag)
            print(f"{int(r['processed']):>6,}  {int(r['comments']):>9,}  {r['peak_mb']:7.0f}")


if __name__ == "__main__":
    main()
