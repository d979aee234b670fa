"""Extreme and hostile pages built on demand, for tests/test_hostile_input.py and
benchmarks/bench_extreme.py (nothing here is committed as a file).

Every generator writes the markup of a real family (WordPress, Reddit API JSON, Disqus
XML, Hacker News, nested generic divs) as a chain ``depth`` levels deep or as
``siblings`` top-level comments, building strings without recursion so 10,000 levels
cost nothing to make.
"""

from __future__ import annotations

import json
from collections.abc import Callable

PAYLOAD = ('<script>alert("xss")</script><img src=x onerror=alert(1)>'
           "\x1b[2J\x1b]0;pwned\x07 =HYPERLINK(\"http://evil.invalid\") ](javascript:alert(1))"
           " {{7*7}} ${7*7} </textarea></pre>-->"
           " `<b>code</b>` ``<iframe src=javascript:alert(2)>``")
"""Text that would act if a report or export let it: HTML, terminal escapes, spreadsheet
formulas, markdown links and code-span breakouts, template syntax, and closers for
raw-text contexts."""


def _comment_text(i: int) -> str:
    return f"Comment number {i} in a long discussion."


def wordpress(depth: int = 0, siblings: int = 0, text: Callable[[int], str] = _comment_text,
              author: str = "reader") -> str:
    """A WordPress post whose comments form a chain ``depth`` deep or ``siblings`` wide."""
    def item(i: int, level: int) -> str:
        return (f'<li class="comment depth-{level}" id="comment-{i}">'
                f'<article class="comment-body"><footer class="comment-meta">'
                f'<div class="comment-author vcard"><cite class="fn">{author} {i}</cite></div>'
                f'<div class="comment-metadata"><time datetime="2020-01-01T10:00:00+00:00">'
                f"1 January 2020</time></div></footer>"
                f'<div class="comment-content"><p>{text(i)}</p></div></article>')
    parts = ['<!DOCTYPE html><html><head><title>A post</title>'
             '<link rel="stylesheet" href="/wp-content/themes/t/style.css"></head><body>'
             '<article><h1 class="entry-title">A post</h1>'
             '<div class="entry-content"><p>The post.</p></div></article>'
             '<div id="comments"><ol class="commentlist">']
    if depth:
        parts += [item(i, i) + '<ol class="children">' for i in range(1, depth + 1)]
        parts += ["</ol></li>"] * depth
    parts += [item(i, 1) + "</li>" for i in range(1, siblings + 1)]
    parts.append("</ol></div></body></html>")
    return "".join(parts)


def reddit_json(depth: int = 0, siblings: int = 0,
                text: Callable[[int], str] = _comment_text) -> str:
    """A Reddit API comments response: a submission listing, then the comment listing."""
    def thing(i: int, parent: str) -> str:
        data = {"id": f"c{i}", "name": f"t1_c{i}", "parent_id": parent, "author": f"u{i}",
                "body": text(i), "score": 1, "created_utc": 1_600_000_000 + i,
                "link_id": "t3_post", "depth": 0}
        return '{"kind": "t1", "data": ' + json.dumps(data)[:-1] + ', "replies": '
    submission = ('{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": '
                  '{"id": "post", "name": "t3_post", "title": "A submission", '
                  '"selftext": "", "author": "op", "created_utc": 1600000000, '
                  '"num_comments": 1}}]}}')
    listing_open = '{"kind": "Listing", "data": {"children": ['
    listing_close = "]}}"
    parts = ["[", submission, ", ", listing_open]
    if depth:
        for i in range(1, depth + 1):
            parts += [thing(i, f"t1_c{i - 1}" if i > 1 else "t3_post"), listing_open]
        parts += [listing_close + "}}"] * depth
    parts.append(", ".join(thing(i, "t3_post") + '""}}' for i in range(1, siblings + 1)))
    parts += [listing_close, "]"]
    return "".join(parts)


def disqus_xml(depth: int = 0, siblings: int = 0, text: Callable[[int], str] = _comment_text,
               doctype: str = "", title: str = "A post") -> str:
    """A Disqus export: one thread, posts chained by <parent> or all top level."""
    head = ('<?xml version="1.0" encoding="utf-8"?>' + doctype +
            '<disqus xmlns="http://disqus.com" '
            'xmlns:dsq="http://disqus.com/disqus-internals">'
            f'<thread dsq:id="1"><id>post/</id><link>http://example.invalid/post/</link>'
            f"<title>{title}</title><createdAt>2020-01-01T00:00:00Z</createdAt></thread>")

    def post(i: int, parent: int | None) -> str:
        ref = f'<parent dsq:id="{parent}" />' if parent else ""
        return (f'<post dsq:id="{i}"><id>{i}</id><message><![CDATA[<p>{text(i)}</p>]]></message>'
                f"<createdAt>2020-01-01T00:00:00Z</createdAt><isDeleted>false</isDeleted>"
                f"<isSpam>false</isSpam><author><name>user {i}</name></author>"
                f'<thread dsq:id="1" />{ref}</post>')
    posts = [post(i, i - 1 if i > 1 else None) for i in range(1, depth + 1)]
    posts += [post(depth + i, None) for i in range(1, siblings + 1)]
    return head + "".join(posts) + "</disqus>"


def hackernews(depth: int = 0, siblings: int = 0,
               text: Callable[[int], str] = _comment_text) -> str:
    """A Hacker News item page: flat rows whose indent cell width gives the depth."""
    def row(i: int, level: int) -> str:
        return (f"<tr class='athing comtr' id='{i}'><td><table border='0'><tr>"
                f"<td class='ind'><img src=\"s.gif\" height=\"1\" width=\"{40 * level}\"></td>"
                f'<td class="default"><div><span class="comhead">'
                f'<a href="user?id=u{i}" class="hnuser">u{i}</a> '
                f'<span class="age" title="2021-07-31T19:25:21"><a href="item?id={i}">'
                f"1 hour ago</a></span></span></div><br>"
                f'<div class="comment"><span class="commtext c00">{text(i)}</span></div>'
                f"</td></tr></table></td></tr>")
    rows = [row(i, i - 1) for i in range(1, depth + 1)]
    rows += [row(depth + i, 0) for i in range(1, siblings + 1)]
    return ("<html><head><title>A story | Hacker News</title></head><body>"
            "<center><table id='hnmain'><tr><td><table class='fatitem'>"
            "<tr class='athing' id='0'><td class='title'><span class='titleline'>"
            "<a href='https://example.invalid'>A story</a></span></td></tr></table>"
            "<table class='comment-tree'>" + "".join(rows) +
            "</table></td></tr></table></center><!-- news.ycombinator.com --></body></html>")


def nested_divs(depth: int) -> str:
    """Plain nested divs, each with a paragraph: the generic fallback's deepest case."""
    return ("<html><body>" + "<div class='reply'><p>level</p>" * depth
            + "</div>" * depth + "<p>END OF PAGE</p></body></html>")


GENERATORS: dict[str, Callable[..., str]] = {
    "wordpress": wordpress, "reddit_json": reddit_json, "disqus": disqus_xml,
    "hackernews": hackernews,
}
"""Family name -> generator(depth=, siblings=) of a page that family claims."""
