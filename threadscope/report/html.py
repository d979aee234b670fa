"""The HTML report: one self-contained page (inline CSS, SVG and a tiny script only).

The thread tree is nested ``<details>`` (it opens and closes without script); the
script only adds "expand all" / "collapse all". Every piece of page text goes through
html.escape, and a strict Content-Security-Policy (no network, only this page's own
style and script, by hash) stops anything that slipped through from running.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

from threadscope import __version__
from threadscope.report.safe import html_text
from threadscope.report.svg import STANCE_COLOUR, author_graph_svg, timeline_svg
from threadscope.report.tables import SummaryTable, pct, summary_tables

if TYPE_CHECKING:
    from threadscope.analysis import Analysis
    from threadscope.labels import CommentLabels, LabelledThread
    from threadscope.model import Comment

SNIPPET = 110
MAX_NEST = 60  # browsers cap DOM nesting (Chromium's parser at 512); deeper replies go flat

CSS = """
:root{--fg:#1f2933;--muted:#616e7c;--line:#e4e7eb;--bg:#f7f8fa;--card:#fff;
--agree:%(agree)s;--disagree:%(disagree)s;--query:%(query)s;--neutral:%(neutral)s}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;
color:var(--fg);background:var(--bg)}
header{background:#102a43;color:#fff;padding:18px 28px;display:flex;align-items:center;
gap:16px;flex-wrap:wrap}
header h1{font-size:20px;margin:0;font-weight:600;flex:1}
header .meta{color:#bcccdc;font-size:13px}
button{font:inherit;font-size:13px;border:1px solid #486581;background:#243b53;color:#fff;
border-radius:6px;padding:5px 12px;cursor:pointer}
button:hover{background:#334e68}
main{max-width:1180px;margin:0 auto;padding:20px 28px 60px}
section.thread{background:var(--card);border:1px solid var(--line);border-radius:10px;
padding:20px 24px;margin-bottom:28px;box-shadow:0 1px 2px rgba(16,42,67,.06)}
h2{margin:0 0 4px;font-size:22px}
h3{font-size:16px;margin:26px 0 10px;color:#243b53}
.source{color:var(--muted);font-size:13px;margin:0 0 14px;word-break:break-all}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(140px,1fr));gap:10px;
margin:12px 0}
.card{background:var(--bg);border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card b{display:block;font-size:20px}
.card span{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.04em}
.legend{font-size:13px;color:var(--muted);margin:6px 0 10px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%%;margin:0 4px 0 10px;
vertical-align:baseline}
.dot.agree{background:var(--agree)}.dot.disagree{background:var(--disagree)}
.dot.query{background:var(--query)}.dot.neutral{background:var(--neutral)}
.tree{border:1px solid var(--line);border-radius:8px;padding:8px 10px;max-height:900px;
overflow:auto}
details.c{border-left:3px solid #cbd2d9;margin:4px 0 4px 0;padding-left:10px}
details.c details.c{margin-left:14px}
details.c.s-agree{border-left-color:var(--agree)}
details.c.s-disagree{border-left-color:var(--disagree)}
details.c.s-query{border-left-color:var(--query)}
details.c.s-neutral{border-left-color:var(--neutral)}
summary{cursor:pointer;padding:3px 0;list-style-position:outside}
summary:hover{background:#f0f4f8}
.num{font-weight:600;color:#334e68}
.author{font-weight:600}
.anon{color:var(--muted);font-style:italic}
.score{font-variant-numeric:tabular-nums;padding:0 4px;border-radius:4px;font-size:13px}
.score.pos{background:#e3f9e5;color:#1f6e2c}.score.neg{background:#ffe3e3;color:#a61b1b}
.score.zero{background:#f0f4f8;color:var(--muted)}
time,.depth{color:var(--muted);font-size:12px}
.stance{font-size:12px;font-weight:600;color:#fff;border-radius:10px;padding:1px 8px}
.stance.agree{background:var(--agree)}.stance.disagree{background:var(--disagree)}
.stance.query{background:var(--query);color:#1f2933}.stance.neutral{background:var(--neutral)}
.sarc{font-size:12px;color:#8e24aa;font-weight:600}
.snip{color:#334e68}
details[open]>summary .snip{display:none}
.replies{color:var(--muted);font-size:12px}
.body{padding:4px 0 8px 2px;color:#243b53}
.body p{margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere}
.quotes{font-size:12px;color:#8e24aa}
.pair{display:flex;flex-wrap:wrap;gap:24px;align-items:flex-start}
.pair figure{flex:0 1 600px}
.side{flex:1 1 380px;min-width:0;padding-top:44px}
figure{margin:0;min-width:0}
figure svg{display:block;max-width:100%%;height:auto;background:var(--bg);
border:1px solid var(--line);border-radius:8px}
figcaption{font-size:12px;color:var(--muted)}
svg text{font:11px system-ui,sans-serif;fill:#334e68}
svg .note{font-size:13px;fill:var(--muted)}
svg .axis{font-size:11px;fill:var(--muted)}
svg .lane{stroke:#e4e7eb;stroke-width:1}
svg .link{stroke:#9aa5b1;stroke-width:1;stroke-opacity:.6}
svg .article{stroke:#102a43;stroke-width:1;stroke-dasharray:4 3}
.tables{display:grid;grid-template-columns:repeat(auto-fill,minmax(480px,1fr));gap:6px 24px;
align-items:start;margin-top:18px}
table{border-collapse:collapse;width:100%%;font-size:13px;margin-bottom:8px}
caption{text-align:left;font-weight:600;padding:6px 0;color:#243b53}
th,td{text-align:left;padding:4px 8px;border-bottom:1px solid var(--line);vertical-align:top}
th{background:var(--bg);font-weight:600}
tbody tr:nth-child(even){background:#fbfcfd}
.empty{color:var(--muted);font-style:italic}
""" % {k: v for k, v in STANCE_COLOUR.items() if k}

SCRIPT = """
for (const b of document.querySelectorAll("button[data-open]")) {
  b.addEventListener("click", () => {
    const open = b.dataset.open === "1";
    for (const d of document.querySelectorAll("details.c")) d.open = open;
  });
}
"""


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


CSP = (f"default-src 'none'; style-src {_hash(CSS)}; script-src {_hash(SCRIPT)}; "
       "img-src data:; base-uri 'none'; form-action 'none'")


def render_html(results: Sequence[tuple[LabelledThread, Analysis]]) -> str:
    """The whole report page for every thread."""
    first = results[0][0].thread.article.title if results else None
    title = f"threadscope report: {first or 'threads'}"
    sections = "".join(thread_section(i, item, a) for i, (item, a) in enumerate(results))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html_text(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{html_text(title)}</h1><span class=\"meta\">{len(results)} thread(s) · "
        f"threadscope {html_text(__version__)}</span>"
        '<button type="button" data-open="1">Expand all</button>'
        '<button type="button" data-open="0">Collapse all</button></header>'
        f"<main>{sections or '<p class=empty>No threads.</p>'}</main>"
        f"<script>{SCRIPT}</script></body></html>\n"
    )


def thread_section(index: int, labelled: LabelledThread, a: Analysis) -> str:
    """One thread: title, key figures, legend, tree, drawings and tables."""
    thread = labelled.thread
    tables = summary_tables(a, thread)
    graph = next(t for t in tables if t.title == "Author graph")
    disagreement = next(t for t in tables if t.title == "Disagreement")
    rest = [t for t in tables if t not in (graph, disagreement)]
    src = thread.source
    source = f'<p class="source">{html_text(src.path)} · {html_text(src.site)}</p>' if src else ""
    return (
        f'<section class="thread" id="thread-{index}">'
        f"<h2>{html_text(thread.article.title or 'Untitled thread')}</h2>{source}"
        f"{_cards(a)}<h3>Comments</h3>{_legend()}"
        f'<div class="tree">{comment_tree(labelled, a)}</div>'
        f'<figure class="wide"><h3>Timeline</h3>{timeline_svg(labelled)}'
        "<figcaption>Each dot is a comment, placed by time and depth, coloured by stance; "
        "grey lines link replies to their parents.</figcaption></figure>"
        '<div class="pair"><figure><h3>Signed author graph</h3>'
        f"{author_graph_svg(a.graph)}<figcaption>Arrows point from replier to the author "
        "answered; green agrees, red disagrees; width grows with confidence.</figcaption>"
        f'</figure><div class="side">{html_table(graph)}{html_table(disagreement)}</div></div>'
        f'<div class="tables">{"".join(html_table(t) for t in rest)}</div></section>'
    )


def _cards(a: Analysis) -> str:
    overall = a.stance.overall
    cards = [
        ("comments", str(a.shape.size)), ("max depth", str(a.shape.depth)),
        ("participants", str(a.shape.participants)),
        ("agree", pct(overall.get("agree").share)),
        ("disagree", pct(overall.get("disagree").share)),
        ("sarcastic", pct(a.sarcasm.rate.get("sarcastic").share)),
        ("balanced triangles", pct(a.graph.balance.share)),
        ("virality", "–" if a.shape.structural_virality is None
         else f"{a.shape.structural_virality:.2f}"),
    ]
    return '<div class="cards">' + "".join(
        f'<div class="card"><b>{html_text(v)}</b><span>{html_text(k)}</span></div>'
        for k, v in cards
    ) + "</div>"


def _legend() -> str:
    dots = "".join(f'<span class="dot {s}"></span>{s}'
                   for s in ("agree", "disagree", "query", "neutral"))
    return f'<div class="legend">Stance:{dots} · <span class="sarc">⸮</span> sarcastic</div>'


def comment_tree(labelled: LabelledThread, a: Analysis) -> str:
    """Nested <details>, one per comment, closed by default; built without recursion."""
    thread = labelled.thread
    if not thread.comments:
        return '<p class="empty">No comments.</p>'
    out: list[str] = []
    open_levels = 0
    for comment in thread.walk():
        level = min(comment.depth, MAX_NEST)
        while open_levels > level - 1:
            out.append("</details>")
            open_levels -= 1
        replies = a.contest[comment.id].replies if comment.id in a.contest else 0
        out.append(comment_details(comment, labelled.label(comment.id), replies))
        if comment.depth < MAX_NEST:
            open_levels += 1
        else:
            out.append("</details>")
    out.append("</details>" * open_levels)
    return "".join(out)


def comment_details(comment: Comment, labels: CommentLabels | None, replies: int) -> str:
    """The opening of one comment's <details>: summary line and full text."""
    stance = labels.stance.label if labels is not None else None
    cls = f"c s-{stance}" if stance else "c"
    return (f'<details class="{cls}" id="c-{html_text(comment.id)}"><summary>'
            f"{_summary(comment, labels, replies)}</summary>"
            f'<div class="body">{_body(comment)}</div>')


def _summary(comment: Comment, labels: CommentLabels | None, replies: int) -> str:
    parts = [f'<span class="num">{html_text(comment.path or comment.id)}</span>',
             f'<span class="author">{html_text(comment.author)}</span>' if comment.author
             else '<span class="anon">anonymous</span>']
    if comment.score is not None:
        kind = "pos" if comment.score > 0 else "neg" if comment.score < 0 else "zero"
        parts.append(f'<span class="score {kind}">{comment.score:+d}</span>')
    if comment.timestamp is not None:
        parts.append(f"<time>{html_text(comment.timestamp.iso)}</time>")
    if comment.depth > MAX_NEST:
        parts.append(f'<span class="depth">depth {comment.depth}</span>')
    parts.extend(_label_spans(labels))
    text = " ".join(comment.text.split())
    snippet = text if len(text) <= SNIPPET else text[: SNIPPET - 1] + "…"
    parts.append(f'<span class="snip">{html_text(snippet)}</span>')
    if replies:
        parts.append(f'<span class="replies">· {replies} repl{"y" if replies == 1 else "ies"}'
                     "</span>")
    return " ".join(parts)


def _label_spans(labels: CommentLabels | None) -> list[str]:
    if labels is None:
        return []
    spans = []
    stance = labels.stance
    if stance.label is not None:
        prob = stance.probabilities.get(stance.label)
        shown = f"{stance.label} {prob:.2f}" if prob is not None else stance.label
        spans.append(f'<span class="stance {stance.label}">{html_text(shown)}</span>')
    if labels.sarcasm.label == "sarcastic":
        spans.append('<span class="sarc">⸮ sarcastic</span>')
    return spans


def _body(comment: Comment) -> str:
    paragraphs = [p for p in comment.text.split("\n\n") if p.strip()]
    body = "".join(f"<p>{html_text(p)}</p>" for p in paragraphs) or '<p class="empty">(no text)</p>'
    if comment.quotes:
        links = ", ".join(
            f'<a href="#c-{html_text(q.source_id)}">{html_text(q.source_id)}</a>'
            if q.source_id and q.source_id != "article" else html_text(q.source_id or "unknown")
            for q in comment.quotes)
        body += f'<p class="quotes">↩ quotes {links}</p>'
    return body


def html_table(table: SummaryTable) -> str:
    """A summary table as an HTML table (cells escaped)."""
    head = "".join(f"<th>{html_text(h)}</th>" for h in table.headers)
    rows = "".join("<tr>" + "".join(f"<td>{html_text(c)}</td>" for c in row) + "</tr>"
                   for row in table.rows)
    return (f"<table><caption>{html_text(table.title)}</caption><thead><tr>{head}</tr></thead>"
            f"<tbody>{rows}</tbody></table>")
