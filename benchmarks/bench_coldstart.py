"""Cold start: wall time of ``threadscope --help`` and of a one-page ``export``, as a table.

Each command runs in a fresh interpreter several times; the table gives the best and
the median (the best is the figure least disturbed by other work on the machine). The
slowest imports of ``--help`` follow, from ``python -X importtime``.

Usage:
    python benchmarks/bench_coldstart.py [--runs 7]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "fixtures" / "001_42a6ee7e45e40515.txt"
HELP_GOAL = 0.3  # seconds (issue 6)


def timed(cmd: list[str], runs: int) -> tuple[list[float], str]:
    """Wall seconds of each run of cmd, and its last error line when it failed."""
    times, error = [], ""
    for _ in range(runs):
        start = time.perf_counter()
        done = subprocess.run(cmd, check=False, capture_output=True, text=True, cwd=ROOT)
        times.append(time.perf_counter() - start)
        if done.returncode:
            error = f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1][:100]}"
    return times, error


def slowest_imports(cmd: list[str], count: int = 8) -> list[tuple[int, str]]:
    """The modules with the largest cumulative import time (microseconds)."""
    done = subprocess.run([sys.executable, "-X", "importtime", *cmd], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    rows = []
    for line in done.stderr.splitlines():
        match = re.match(r"import time:\s+\d+ \|\s+(\d+) \|\s*(.+)", line)
        if match and match.group(2).strip().count(".") == 0:
            rows.append((int(match.group(1)), match.group(2).strip()))
    return sorted(rows, reverse=True)[:count]


def main() -> None:
    """Time the commands and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    script = shutil.which("threadscope")
    with tempfile.TemporaryDirectory() as tmp:
        out = str(Path(tmp) / "seed.json")
        commands = {
            "python -c pass (floor)": [sys.executable, "-c", "pass"],
            "threadscope --help": [script or sys.executable, *([] if script else
                                                             ["-m", "threadscope"]), "--help"],
            "python -m threadscope --help": [sys.executable, "-m", "threadscope", "--help"],
            "threadscope export (one page)": [sys.executable, "-m", "threadscope", "export",
                                              str(SEED), "-o", out],
            "export --no-labels (one page)": [sys.executable, "-m", "threadscope", "export",
                                              str(SEED), "--no-labels", "-o", out],
        }
        rows = []
        for name, cmd in commands.items():
            times, error = timed(cmd, args.runs)
            rows.append((name, min(times), statistics.median(times), error))
    print(f"cold start ({args.runs} runs each)")
    print(f"{'command':>32}  {'best s':>7}  {'median s':>8}")
    for name, best, median, error in rows:
        print(f"{name:>32}  {best:7.3f}  {median:8.3f}  {error}")
    help_best = rows[1][1]
    verdict = "ok" if help_best <= HELP_GOAL else "OVER"
    print(f"  --help best {help_best:.3f} s: {verdict} (goal <= {HELP_GOAL} s)")
    print("\nslowest top-level imports of `python -m threadscope --help` (cumulative ms)")
    for micros, module in slowest_imports(["-m", "threadscope", "--help"]):
        print(f"  {micros / 1000:7.1f}  {module}")


if __name__ == "__main__":
    main()
