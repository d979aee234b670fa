"""Build the atheris seed corpus in a temporary folder: the seed pages and ../shared/threads.

The shared threads are third-party pages that must never be committed, so the corpus
lives outside the repository (``python fuzz/make_corpus.py /tmp/ts-corpus``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
THREADS = Path(os.environ.get("THREADSCOPE_THREADS", ROOT.parent / "shared" / "threads"))
CHUNK = 16_384
"""Window size for big pages: small inputs keep libFuzzer fast (-max_len=16384)."""


def seed_files() -> list[Path]:
    """Seed pages, regression inputs and every shared thread input (not the truths)."""
    found = sorted((ROOT / "fixtures").glob("0*.txt"))
    found += sorted((ROOT / "fixtures" / "regressions").glob("*"))
    if THREADS.is_dir():
        found += sorted(p for p in THREADS.rglob("*")
                        if p.is_file() and not p.name.endswith(".expected.json")
                        and p.name != "README.md")
    return found


def main() -> None:
    """Copy the seeds; big pages also as windows of CHUNK bytes (head, then every 4th)."""
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="ts-corpus-"))
    out.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(seed_files()):
        shutil.copyfile(path, out / f"{index:03d}-{path.name}")
        data = path.read_bytes()
        for start in range(0, len(data) - CHUNK, 4 * CHUNK) if len(data) > CHUNK else ():
            (out / f"{index:03d}-at{start}-{path.name}").write_bytes(data[start:start + CHUNK])
    print(f"{len(list(out.iterdir()))} seed inputs in {out}")


if __name__ == "__main__":
    main()
