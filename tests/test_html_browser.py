"""The HTML report in a real headless Chromium: it renders, the tree expands on a click,
its own script runs, and no script from comment text does.

Talks the DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out, messages
ended by NUL), so no driver or browser download is needed. Skips, saying why, when
Debian's chromium is not installed (tests/install-browser.sh installs it).
"""

from __future__ import annotations

import base64
import json
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_analysis import labelled_thread
from threadscope.analysis import analyse
from threadscope.report import render

pytestmark = pytest.mark.browser

HOSTILE = {
    "c2": "<script>window.pwned = 1; document.title = 'PWNED'</script> I disagree",
    "c3": '<img src=x onerror="window.pwned = 2; document.title = \'PWNED\'"> nope',
    "c4": '"><svg onload="window.pwned=3"></svg><a href="javascript:window.pwned=4">x</a>',
}
SCREENSHOT = os.environ.get("THREADSCOPE_SCREENSHOT")  # set to keep a PNG for a human look


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip("chromium is not installed (run tests/install-browser.sh as root)")
    return found


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, binary: str, profile: Path) -> None:
        to_child_r, self._write = os.pipe()
        self._read, from_child_w = os.pipe()
        os.set_inheritable(to_child_r, True)
        os.set_inheritable(from_child_w, True)
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                "--remote-debugging-pipe", "--window-size=1280,1800", "about:blank"]

        def child_fds() -> None:
            os.dup2(to_child_r, 3)
            os.dup2(from_child_w, 4)

        # close_fds would close 3 and 4 after preexec_fn has put the pipe ends there;
        # preexec_fn only calls dup2, which is safe even with threads running
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL,
                                     preexec_fn=child_fds,  # noqa: PLW1509
                                     close_fds=False)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next = 0
        self.events: list[dict[str, Any]] = []
        self.session: str | None = None

    def _messages(self, deadline: float) -> Iterator[dict[str, Any]]:
        while time.monotonic() < deadline:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                yield json.loads(raw)
            ready, _, _ = select.select([self._read], [], [], 0.5)
            if ready:
                chunk = os.read(self._read, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the debugging pipe")
                self._buffer += chunk
        raise TimeoutError("chromium did not answer in time")

    def call(self, method: str, timeout: float = 30, **params: Any) -> dict[str, Any]:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            message["sessionId"] = self.session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        for reply in self._messages(time.monotonic() + timeout):
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                result: dict[str, Any] = reply.get("result", {})
                return result
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_event(self, name: str, timeout: float = 30) -> None:
        if any(e.get("method") == name for e in self.events):
            return
        for message in self._messages(time.monotonic() + timeout):
            self.events.append(message)
            if message.get("method") == name:
                return

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        box = self.js(f"(() => {{ const r = document.querySelector({json.dumps(selector)})"
                      ".getBoundingClientRect(); return [r.x + 8, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                      button="left", clickCount=1)

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=10)
        os.close(self._read)
        os.close(self._write)


@pytest.fixture
def page(tmp_path: Path) -> Iterator[DevTools]:
    binary = _chromium()
    item = labelled_thread(texts=HOSTILE)
    report = tmp_path / "report.html"
    report.write_text(render([(item, analyse(item))], "html"), "utf-8")
    tools = DevTools(binary, tmp_path / "profile")
    try:
        targets = tools.call("Target.getTargets")["targetInfos"]
        target = next(t["targetId"] for t in targets if t["type"] == "page")
        tools.session = tools.call("Target.attachToTarget", targetId=target,
                                   flatten=True)["sessionId"]
        tools.call("Page.enable")
        tools.call("Runtime.enable")
        tools.call("Page.navigate", url=report.as_uri())
        tools.wait_event("Page.loadEventFired")
        yield tools
    finally:
        tools.close()


def _visible(tools: DevTools, selector: str) -> bool:
    # checkVisibility() also sees content skipped inside a closed <details>
    return bool(tools.js(f"document.querySelector({json.dumps(selector)}).checkVisibility()"))


def test_report_renders_tree_graph_and_timeline(page: DevTools) -> None:
    assert page.js("document.title") == "threadscope report: Hand-built thread"
    assert page.js("document.querySelectorAll('details.c').length") == 9
    assert page.js("document.querySelectorAll('svg circle').length") == 8 + 5  # dated + authors
    width = page.js("document.querySelector('figure svg').getBoundingClientRect().width")
    assert width > 300
    colour = page.js("getComputedStyle(document.querySelector('.stance.disagree'))"
                     ".backgroundColor")
    assert colour == "rgb(198, 40, 40)"  # the inline stylesheet applied under the CSP
    if SCREENSHOT:
        shot = page.call("Page.captureScreenshot", format="png")["data"]
        Path(SCREENSHOT).write_bytes(base64.b64decode(shot))


def test_tree_expands_on_a_click(page: DevTools) -> None:
    assert not _visible(page, "#c-c2 > summary")
    page.click("#c-c1 > summary")
    assert page.js("document.getElementById('c-c1').open") is True
    assert _visible(page, "#c-c2 > summary")
    assert not _visible(page, "#c-c3 > summary")
    page.click("button[data-open='1']")  # the page's own, hash-allowed script
    assert page.js("[...document.querySelectorAll('details.c')].every(d => d.open)") is True
    assert _visible(page, "#c-c4 > summary")


def test_no_script_from_comment_text_runs(page: DevTools) -> None:
    page.click("button[data-open='1']")  # show every comment, hostile ones included
    time.sleep(0.3)
    assert page.js("typeof window.pwned") == "undefined"
    assert page.js("document.title") != "PWNED"
    assert page.js("document.querySelectorAll('script').length") == 1
    assert page.js("document.querySelectorAll('img, [onerror], [onload]').length") == 0
    shown = page.js("document.getElementById('c-c2').querySelector('.body').textContent")
    assert "<script>window.pwned = 1;" in shown  # shown as text
    text3 = page.js("document.getElementById('c-c3').querySelector('.body').textContent")
    assert text3.startswith("<img src=x onerror=")
