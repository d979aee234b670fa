"""Inline SVG drawings for the HTML report: the signed author graph and the timeline.

Everything is computed here (layout included) so the page needs no script or asset;
every piece of page text is escaped with html.escape.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import TYPE_CHECKING

from threadscope.analysis.common import is_anonymous, stance_of, to_datetime
from threadscope.report.safe import html_text
from threadscope.report.tables import author_name

if TYPE_CHECKING:
    from threadscope.analysis.graph import AuthorGraph, Edge
    from threadscope.labels import LabelledThread

STANCE_COLOUR = {"agree": "#2e7d32", "disagree": "#c62828", "query": "#f9a825",
                 "neutral": "#78909c", None: "#bdbdbd"}
MAX_NODES = 40  # a readable circle; the rest of the graph is in the tables and exports
MAX_LANES = 12  # timeline rows; deeper comments share the last row
GRAPH_W, GRAPH_H, GRAPH_R = 640, 500, 185
TIME_W, LANE_H, TIME_PAD = 760, 22, 60


def _svg(width: int, height: int, label: str, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
            f'width="{width}" height="{height}" role="img" aria-label="{html_text(label)}">'
            + "".join(body) + "</svg>")


def _note(width: int, text: str, label: str) -> str:
    return _svg(width, 40, label, [f'<text x="10" y="25" class="note">{html_text(text)}</text>'])


def _chosen_nodes(graph: AuthorGraph) -> list[str]:
    degree: dict[str, int] = {}
    for e in graph.edges:
        degree[e.source] = degree.get(e.source, 0) + e.agree + e.disagree + e.other
        degree[e.target] = degree.get(e.target, 0) + e.agree + e.disagree + e.other
    first = {name: i for i, (name, _) in enumerate(graph.nodes)}
    ranked = sorted(degree, key=lambda n: (-degree[n], first.get(n, 0)))[:MAX_NODES]
    return sorted(ranked, key=lambda n: first.get(n, 0))


def author_graph_svg(graph: AuthorGraph) -> str:
    """The signed author graph on a circle: green agreeing and red disagreeing arrows."""
    label = "Signed author interaction graph"
    names = _chosen_nodes(graph)
    if not names:
        return _note(GRAPH_W, "No labelled replies between authors.", label)
    cx, cy = GRAPH_W / 2, GRAPH_H / 2
    pos = {n: (cx + GRAPH_R * math.cos(2 * math.pi * i / len(names) - math.pi / 2),
               cy + GRAPH_R * math.sin(2 * math.pi * i / len(names) - math.pi / 2))
           for i, n in enumerate(names)}
    comments = dict(graph.nodes)
    radius = {n: 6 + min(10.0, 2 * math.sqrt(comments.get(n, 0))) for n in names}
    body = [_markers()]
    body += [_edge_svg(e, pos, radius) for e in graph.edges
             if e.source in pos and e.target in pos]
    body += [_node_svg(n, pos[n], radius[n], comments.get(n, 0), cx) for n in names]
    if len(graph.nodes) > len(names):
        body.append(f'<text x="10" y="{GRAPH_H - 10}" class="note">showing the {len(names)} '
                    f"most active of {len(graph.nodes)} authors</text>")
    return _svg(GRAPH_W, GRAPH_H, label, body)


def _markers() -> str:
    return "<defs>" + "".join(
        f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
        f'fill="{colour}"/></marker>'
        for name, colour in (("pos", STANCE_COLOUR["agree"]), ("neg", STANCE_COLOUR["disagree"]),
                             ("zero", STANCE_COLOUR["neutral"]))) + "</defs>"


def _edge_svg(e: Edge, pos: dict[str, tuple[float, float]], radius: dict[str, float]) -> str:
    (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    ux, uy = (x2 - x1) / length, (y2 - y1) / length
    ox, oy = -uy * 3, ux * 3  # shift right of travel so a->b and b->a do not overlap
    sx, sy = x1 + ux * radius[e.source] + ox, y1 + uy * radius[e.source] + oy
    tx, ty = x2 - ux * (radius[e.target] + 2) + ox, y2 - uy * (radius[e.target] + 2) + oy
    kind = {1: "pos", -1: "neg", 0: "zero"}[e.sign]
    colour = STANCE_COLOUR[{1: "agree", -1: "disagree", 0: "neutral"}[e.sign]]
    width = 1 + min(4.0, abs(e.weight))
    tip = (f"{author_name(e.source)} → {author_name(e.target)}: {e.agree} agree, "
           f"{e.disagree} disagree, {e.other} other")
    return (f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{tx:.1f}" y2="{ty:.1f}" stroke="{colour}" '
            f'stroke-width="{width:.1f}" stroke-opacity="0.8" marker-end="url(#arrow-{kind})">'
            f"<title>{html_text(tip)}</title></line>")


def _node_svg(name: str, at: tuple[float, float], r: float, comments: int, cx: float) -> str:
    x, y = at
    shown = author_name(name)
    short = shown if len(shown) <= 20 else shown[:19] + "…"
    fill = "#b0bec5" if is_anonymous(name) else "#1565c0"
    anchor = "start" if x > cx + 1 else "end" if x < cx - 1 else "middle"
    dx = r + 4 if anchor == "start" else -(r + 4) if anchor == "end" else 0
    dy = 4 if anchor != "middle" else (-(r + 6) if y < GRAPH_H / 2 else r + 14)
    return (f'<g class="node"><circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{fill}" '
            f'stroke="#fff" stroke-width="1.5"><title>{html_text(shown)}: {comments} comments'
            f'</title></circle><text x="{x + dx:.1f}" y="{y + dy:.1f}" text-anchor="{anchor}">'
            f"{html_text(short)}</text></g>")


def timeline_svg(labelled: LabelledThread) -> str:
    """Comments over time (x) by depth (y), coloured by stance, with reply links."""
    label = "Timeline of comments by depth"
    thread = labelled.thread
    when = {c.id: t for c in thread.comments if (t := to_datetime(c.timestamp)) is not None}
    if not when:
        return _note(TIME_W, "No dated comments: no timeline.", label)
    published = to_datetime(thread.article.published)
    start = min([*when.values(), *([published] if published else [])])
    end = max(when.values())
    span = (end - start).total_seconds() or 1.0
    lanes = min(MAX_LANES, max(c.depth for c in thread.comments if c.id in when))
    height = 20 + lanes * LANE_H + 28

    def x_of(moment: datetime) -> float:
        return TIME_PAD + (moment - start).total_seconds() / span * (TIME_W - 2 * TIME_PAD)

    def xy(cid: str, depth: int) -> tuple[float, float]:
        return x_of(when[cid]), 20 + (min(depth, MAX_LANES) - 0.5) * LANE_H

    body = [_lane_labels(lanes), _axis(start, end, lanes)]
    if published is not None:
        x = x_of(published)
        body.append(f'<line x1="{x:.1f}" y1="12" x2="{x:.1f}" y2="{20 + lanes * LANE_H:.1f}" '
                    f'class="article"/><text x="{x:.1f}" y="10" class="axis" '
                    'text-anchor="middle">article</text>')
    for c in thread.comments:
        if c.id in when and c.parent_id in when:
            (x1, y1), (x2, y2) = xy(c.parent_id, c.depth - 1), xy(c.id, c.depth)
            body.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                        'class="link"/>')
    for c in thread.comments:
        if c.id in when:
            x, y = xy(c.id, c.depth)
            stance = stance_of(labelled, c.id)
            tip = (f"#{c.path or c.id} {c.author or 'anonymous'} · {stance or 'unlabelled'} · "
                   f"{when[c.id].isoformat(sep=' ', timespec='minutes')}")
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" '
                        f'fill="{STANCE_COLOUR[stance]}"><title>{html_text(tip)}</title></circle>')
    return _svg(TIME_W, height, label, body)


def _lane_labels(lanes: int) -> str:
    out = []
    for depth in range(1, lanes + 1):
        y = 20 + (depth - 0.5) * LANE_H
        name = f"≥{depth}" if depth == MAX_LANES else str(depth)
        out.append(f'<text x="{TIME_PAD - 10}" y="{y + 4:.1f}" text-anchor="end" '
                   f'class="axis">depth {name}</text>'
                   f'<line x1="{TIME_PAD}" y1="{y:.1f}" x2="{TIME_W - TIME_PAD}" y2="{y:.1f}" '
                   'class="lane"/>')
    return "".join(out)


def _axis(start: datetime, end: datetime, lanes: int) -> str:
    y = 20 + lanes * LANE_H + 18
    mid = start + (end - start) / 2
    ticks = ((TIME_PAD, start, "start"), (TIME_W / 2, mid, "middle"),
             (TIME_W - TIME_PAD, end, "end"))
    return "".join(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" class="axis">'
                   f"{html_text(t.isoformat(sep=' ', timespec='minutes'))}</text>"
                   for x, t, anchor in ticks)
