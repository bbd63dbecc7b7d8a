"""The card in Microsoft's own Teams client: drives the M365 Agents Playground (started by
``scripts/playground.sh``) in headless Chromium over the DevTools protocol, answers the docs/card.md
example by pressing the question cards' buttons, and saves what the Playground shows.

    scripts/playground.sh &            # bot on 127.0.0.1:3978, Playground on 127.0.0.1:56150
    python -m tests.playground_picture # docs/pictures/playground-{card,details,why}.png
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp

from bot import wording
from tests.teams.card_renderer import EXAMPLE_ANSWERS, REPO, chromium

PLAYGROUND = os.environ.get("PLAYGROUND_URL", "http://127.0.0.1:56150/")
DEBUG_PORT = 9334
WIDTH, HEIGHT = 1000, 1300


class Page:
    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.next_id = 0

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = json.loads((await self.ws.receive()).data)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message.get("result", {})

    async def eval(self, expression: str) -> Any:
        result = await self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        return result.get("result", {}).get("value")

    async def text(self) -> str:
        return str(await self.eval("document.body.innerText"))

    async def click_last(self, label: str) -> bool:
        return bool(await self.eval(
            "(() => { const b = Array.from(document.querySelectorAll('button'))"
            f".filter(x => x.innerText.trim() === {json.dumps(label)}).pop(); if (!b) return false;"
            " b.scrollIntoView(); b.click(); return true; })()"
        ))

    async def scroll_to(self, text: str) -> None:
        """Scroll the chat so the last element showing ``text`` is at the bottom of the view."""
        await self.eval(
            "(() => { const all = Array.from(document.querySelectorAll('p, span, div, li'))"
            f".filter(e => e.childElementCount === 0 && e.textContent.includes({json.dumps(text)}));"
            " const last = all.pop(); if (last) last.scrollIntoView({block: 'end'}); })()"
        )

    async def type_message(self, text: str) -> None:
        """Type into the compose box and send, as a person would."""
        await self.eval("(() => { const box = document.querySelector('[contenteditable=true], textarea, input[type=text]');"
                        " box.focus(); return !!box; })()")
        await self.call("Input.insertText", text=text)
        for kind in ("keyDown", "keyUp"):
            await self.call("Input.dispatchKeyEvent", type=kind, key="Enter", code="Enter", windowsVirtualKeyCode=13)

    async def wait_for(self, predicate: Any, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = await self.text()
            if predicate(text):
                return text
            await asyncio.sleep(0.3)
        raise TimeoutError((await self.text())[-1500:])

    async def screenshot(self, out: Path) -> None:
        await asyncio.sleep(0.8)
        shot = await self.call("Page.captureScreenshot", format="png")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))


def last_question(text: str) -> str | None:
    """The factor of the question asked last on the page."""
    found = {f: text.rfind(q) for f, q in wording.QUESTIONS.items()}
    factor, at = max(found.items(), key=lambda item: item[1])
    return factor if at >= 0 else None


async def drive(out_dir: Path) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(50):
            try:
                async with session.get(f"http://127.0.0.1:{DEBUG_PORT}/json") as response:
                    targets = await response.json()
                break
            except aiohttp.ClientError:
                await asyncio.sleep(0.2)
        target = next(t for t in targets if t.get("type") == "page")
        async with session.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            page = Page(ws)
            await page.call("Page.enable")
            await page.call("Emulation.setDeviceMetricsOverride", width=WIDTH, height=HEIGHT, deviceScaleFactor=1, mobile=False)
            await page.call("Page.navigate", url=PLAYGROUND)
            await page.wait_for(lambda t: "Personal Chat" in t)
            await asyncio.sleep(2)
            await page.type_message("start")
            card_heading = wording.CARD_HEADINGS["recommendation"]
            answered: list[str] = []
            for _ in range(20):
                text = await page.wait_for(lambda t: (last_question(t) or "") not in ["", *answered[-1:]] or "Decision record" in t)
                if "Decision record" in text:
                    break
                factor = last_question(text)
                assert factor is not None
                label = wording.option_label(factor, EXAMPLE_ANSWERS[factor])
                if not await page.click_last(label):
                    raise RuntimeError(f"no button {label!r} for {factor}")
                answered.append(factor)
            await page.wait_for(lambda t: card_heading in t and "Decision record" in t)
            await page.eval("window.scrollTo(0, document.body.scrollHeight)")
            await page.screenshot(out_dir / "playground-card.png")
            await page.click_last("Details")
            await page.wait_for(lambda t: "Everything that would change it" in t)
            await page.scroll_to("Everything that would change it")
            await page.screenshot(out_dir / "playground-details.png")
            await page.click_last("Details")  # fold them again
            await page.click_last(wording.BUTTON_LABELS["why"])
            await page.wait_for(lambda t: t.count("Sources:") >= 1)
            await page.scroll_to("Sources:")
            await page.screenshot(out_dir / "playground-why.png")


def main(out_dir: str = "docs/pictures") -> int:
    browser = chromium()
    if browser is None:
        print("cannot drive the Playground: Chromium is not installed", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="playground-") as tmp:
        proc = subprocess.Popen([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                                 f"--remote-debugging-port={DEBUG_PORT}", f"--user-data-dir={tmp}",
                                 f"--window-size={WIDTH},{HEIGHT}", "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            asyncio.run(drive(REPO / out_dir))
        except Exception:
            print("failed; see docs/pictures/playground-failure.png if written", file=sys.stderr)
            raise
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    print(f"wrote {out_dir}/playground-card.png, playground-details.png and playground-why.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
