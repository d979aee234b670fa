"""How the work of one page grows with its size, counted by cachegrind (no clock involved).

CPU time on a shared machine swings with the neighbours: the same 10,000-comment page
took 5.5 to 7.6 s within minutes on the 2-core VM this project is measured on, and
pages too big for the cache suffer most from a neighbour's traffic. Valgrind's
cachegrind instead counts the instructions a page executes and simulates its data
cache misses: the same figures on every run, whatever else the machine does.

Each size runs in a fresh interpreter under cachegrind: imports, models and a
10-comment warm-up page first, then the page itself; a run with the warm-up alone
is subtracted. Printed per size: instructions, first-level data cache misses (D1),
last-level misses (LL, by default a 32 MB cache as on the measuring machine; try
``--ll-mb 8`` for a quarter of it, as when neighbours share it), and the ratios
between sizes (the issue's linear-growth bar: 10x the comments within 11x the work).
Instructions and D1 misses are the robust figures. LL misses depend on where the
allocator places memory, so on what ran before: after a 1,000-comment warm-up page
instead of a 10-comment one, the same two pages miss 7x less (165,000 and 2.2 million
times at 32 MB).

Needs valgrind (``apt install valgrind``); about 8 minutes (cachegrind runs Python
about 50x slower).

Usage:
    python benchmarks/bench_growth_cachegrind.py                 # 1,000 and 10,000 comments
    python benchmarks/bench_growth_cachegrind.py --sizes 100 1000 --ll-mb 8
    python benchmarks/bench_growth_cachegrind.py --vocabulary small   # 26-word text
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from itertools import pairwise
from pathlib import Path

from threadscope.corpus.synthetic import VOCABULARIES, reddit_thread

_RUN = """
import sys
from threadscope.corpus import PageOptions, process_page
options = PageOptions(tag=True, analyse=True)
assert process_page(sys.argv[1], options).error is None
if len(sys.argv) > 2:
    assert process_page(sys.argv[2], options).error is None
"""

_FIGURES = {"I": r"I\s+refs:\s+([\d,]+)", "D1": r"D1\s+misses:\s+([\d,]+)",
            "LL": r"LL misses:\s+([\d,]+)"}


def counts(ll_mb: int, *pages: Path) -> dict[str, int]:
    """Instructions and simulated data-cache misses of one interpreter run."""
    command = ["valgrind", "--tool=cachegrind", "--cache-sim=yes",
               f"--LL={ll_mb << 20},16,64", "--cachegrind-out-file=/dev/null",
               sys.executable, "-c", _RUN, *map(str, pages)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"cachegrind run failed:\n{done.stderr[-2000:]}")
    found = {}
    for name, pattern in _FIGURES.items():
        match = re.search(pattern, done.stderr)
        if match is None:
            raise SystemExit(f"no {name} figure in cachegrind's summary:\n{done.stderr[-2000:]}")
        found[name] = int(match.group(1).replace(",", ""))
    return found


def main() -> None:
    """Count each size's work and print the table and the growth ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--ll-mb", type=int, default=32, help="simulated last-level cache")
    parser.add_argument("--vocabulary", choices=VOCABULARIES, default=VOCABULARIES[0],
                        help="words of the synthetic comments (see corpus/synthetic.py)")
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt install valgrind)")
    with tempfile.TemporaryDirectory(prefix="threadscope-cg-") as tmp:
        folder = Path(tmp)
        warm = folder / "warm-10.json"
        warm.write_bytes(reddit_thread(10, seed=10))
        base = counts(args.ll_mb, warm)
        work = {}
        for size in args.sizes:
            page = folder / f"synthetic-{size}.json"
            page.write_bytes(reddit_thread(size, seed=size, vocabulary=args.vocabulary))
            total = counts(args.ll_mb, warm, page)
            work[size] = {k: total[k] - base[k] for k in total}
    print(f"one page through process_page (tagged), {args.vocabulary} vocabulary, cachegrind, "
          f"simulated LL {args.ll_mb} MB")
    print(f"{'comments':>9} {'instructions':>16} {'per comment':>12} {'D1 misses':>13} "
          f"{'LL misses':>11}")
    for size, w in work.items():
        print(f"{size:>9,} {w['I']:>16,} {w['I'] // size:>12,} {w['D1']:>13,} {w['LL']:>11,}")
    for small, big in pairwise(args.sizes):
        ratios = {k: work[big][k] / work[small][k] for k in _FIGURES}
        print(f"  {big:,} vs {small:,} comments: instructions {ratios['I']:.2f}x, "
              f"D1 misses {ratios['D1']:.2f}x, LL misses {ratios['LL']:.2f}x "
              f"(limit {1.1 * big / small:.0f}x for {big / small:.0f}x the comments)")


if __name__ == "__main__":
    main()
