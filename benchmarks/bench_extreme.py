"""Time and peak memory of extreme and hostile inputs, each in a fresh process.

Usage::

    python benchmarks/bench_extreme.py            # every case
    python benchmarks/bench_extreme.py deep wide  # cases whose name contains a word

Prints one line per case: wall seconds, peak RSS (MB) of the process that parsed it,
and the outcome (threads x comments x depth, or the one-line error).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = textwrap.dedent("""
    import json, resource, sys, time
    sys.path.insert(0, {root!r})
    from fuzz import hostile_pages as hp
    from threadscope.api import load_document
    from threadscope.document import Document
    from threadscope.errors import ThreadscopeError
    from threadscope.htmltools import parse_html, select

    def threads(found):
        return " + ".join(f"{{len(t)}} comments, depth {{t.max_depth}}" for t in found)

    def json_depth(value):
        depth = 0
        while isinstance(value, dict):
            value, depth = value["r"], depth + 1
        return f"JSON parsed, depth {{depth}}"

    page = {make}
    data = page if isinstance(page, bytes) else page.encode("utf-8")
    start = time.perf_counter()
    try:
        outcome = {call}
    except ThreadscopeError as exc:
        outcome = "error: " + exc.one_line()
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({{"seconds": round(seconds, 2), "peak_mb": round(peak),
                      "outcome": outcome[:110]}}))
""")
LOAD = "threads(load_document(Document('page', data)))"
BIG_BODY = "'<p>' + 'All work and no play. ' * 4_500_000 + '</p>'"

CASES: dict[str, tuple[str, str]] = {
    "deep html nested divs 10,000": (
        "hp.nested_divs(10_000)",
        "f\"{len(select(parse_html(data.decode()), 'div.reply'))} nested divs kept\""),
    "deep html + 100,000 stray '<a ' and '<![CDATA[' (tokenizer)": (
        "'<div>' * 3000 + '<a ' * 100_000 + '<![CDATA[ >' * 100_000",
        "f\"{len(parse_html(data.decode()).xpath('//div'))} divs kept\""),
    "deep json object 50,000 (Document.json)": (
        "'{\"r\": ' * 50_000 + '1' + '}' * 50_000", "json_depth(Document('j', data).json)"),
    "deep reddit_json 10,000": ("hp.reddit_json(depth=10_000)", LOAD),
    "deep disqus 10,000": ("hp.disqus_xml(depth=10_000)", LOAD),
    "deep hackernews 10,000": ("hp.hackernews(depth=10_000)", LOAD),
    "deep wordpress 1,000": ("hp.wordpress(depth=1_000)", LOAD),
    "deep wordpress 10,000": ("hp.wordpress(depth=10_000)", LOAD),
    "wide reddit_json 100,000": ("hp.reddit_json(siblings=100_000)", LOAD),
    "wide disqus 100,000": ("hp.disqus_xml(siblings=100_000)", LOAD),
    "wide hackernews 100,000": ("hp.hackernews(siblings=100_000)", LOAD),
    "wide wordpress 100,000": ("hp.wordpress(siblings=100_000)", LOAD),
    "billion laughs disqus xml": (
        "hp.disqus_xml(siblings=2, doctype=" + repr(
            '<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa">' + "".join(
                f'<!ENTITY {c} "{("&" + p + ";") * 10}">' for p, c in zip(
                    "abcdefgh", "bcdefghi", strict=True)) + "]>")
        + ", text=lambda i: '&i;')", LOAD),
    "page 100 MB, --max-size raised (wordpress, 10 comments)": (
        "hp.wordpress(siblings=10).replace('<p>The post.</p>', " + BIG_BODY + ")",
        "threads(load_document(Document.read(sys.argv[1], max_bytes=200_000_000)))"),
}


def run_case(make: str, call: str, scratch: Path) -> dict[str, object]:
    code = CHILD.format(root=str(ROOT), make=make, call=call)
    args = [sys.executable, "-c", code]
    if "sys.argv[1]" in call:
        page = scratch / "big.html"
        subprocess.run([sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
                        f"from fuzz import hostile_pages as hp\n"
                        f"open({str(page)!r}, 'w').write({make})"], check=True)
        args.append(str(page))
    result = subprocess.run(args, capture_output=True, text=True, check=False, timeout=1800)
    if result.returncode != 0:
        return {"seconds": None, "peak_mb": None,
                "outcome": "CRASH " + (result.stderr.strip().splitlines() or ["?"])[-1]}
    parsed: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return parsed


def cli_too_large(scratch: Path) -> dict[str, object]:
    """The CLI on a 100 MB file at the default limit: refused before reading."""
    import resource
    import time

    big = scratch / "sparse.html"
    with big.open("wb") as handle:
        handle.truncate(100 * 1024 * 1024)
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "threadscope", "export", str(big)],
                            capture_output=True, text=True, check=False)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"seconds": round(time.perf_counter() - start, 2), "peak_mb": round(peak),
            "outcome": f"exit {result.returncode}: {result.stderr.strip()[-90:]}"}


def main() -> None:
    """Run the selected cases and print one line each."""
    words = sys.argv[1:]
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        print(f"{'case':<58} {'seconds':>8} {'peak MB':>8}  outcome")
        if not words or any(w in "page 100 MB cli" for w in words):
            row = cli_too_large(scratch)
            print(f"{'CLI export, 100 MB page at the default 50 MB limit':<58} "
                  f"{row['seconds']!s:>8} {row['peak_mb']!s:>8}  {row['outcome']}")
        for name, (make, call) in CASES.items():
            if words and not any(w in name for w in words):
                continue
            row = run_case(make, call, scratch)
            print(f"{name:<58} {row['seconds']!s:>8} {row['peak_mb']!s:>8}  {row['outcome']}",
                  flush=True)
    print(json.dumps({"python": sys.version.split()[0]}))


if __name__ == "__main__":
    main()
