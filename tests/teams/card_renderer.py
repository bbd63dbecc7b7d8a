"""Render Teams Adaptive Cards with Microsoft's own JavaScript renderer (npm ``adaptivecards``)
in headless Chromium, as Teams' web client does: a renderer error, a validation error or an
empty render is reported, and a PNG can be taken.

Needs ``chromium`` (Debian package) and ``tools/cards/node_modules`` (``npm ci`` there);
:func:`missing` says which is absent. ``python -m tests.teams.card_renderer`` writes the
pictures under ``docs/pictures/`` (see docs/card.md).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools" / "cards"
SCRIPTS = (
    TOOLS / "node_modules" / "markdown-it" / "dist" / "browser" / "markdown-it.umd.min.js",
    TOOLS / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.min.js",
)
WIDTH = 500
SCREEN_MARGIN = 16  # headless Chromium's viewport is a little narrower than its window
TIMEOUT_S = 60

#: Close to Teams' light theme: Segoe UI 14 px, its text colours, six actions at most, Show
#: cards opened inline. Sizes are what matters for "fits without scrolling".
HOST_CONFIG: dict[str, Any] = {
    "fontFamily": "'Segoe UI', 'Helvetica Neue', Arial, sans-serif",
    "fontSizes": {"small": 12, "default": 14, "medium": 16, "large": 20, "extraLarge": 24},
    "fontWeights": {"lighter": 300, "default": 400, "bolder": 600},
    "spacing": {"small": 4, "default": 8, "medium": 12, "large": 16, "extraLarge": 20, "padding": 16},
    "separator": {"lineThickness": 1, "lineColor": "#E0E0E0"},
    "supportsInteractivity": True,
    "containerStyles": {
        "default": {
            "backgroundColor": "#FFFFFF",
            "foregroundColors": {
                "default": {"default": "#242424", "subtle": "#616161"},
                "accent": {"default": "#4F52B2", "subtle": "#6264A7"},
                "good": {"default": "#0E700E", "subtle": "#237B4B"},
                "warning": {"default": "#C19C00", "subtle": "#835C00"},
                "attention": {"default": "#C4314B", "subtle": "#A72037"},
                "dark": {"default": "#242424", "subtle": "#616161"},
                "light": {"default": "#FFFFFF", "subtle": "#F5F5F5"},
            },
        },
        "emphasis": {"backgroundColor": "#F5F5F5"},
    },
    "actions": {
        "maxActions": 6, "spacing": "default", "buttonSpacing": 8, "showCard": {"actionMode": "inline", "inlineTopMargin": 12},
        "actionsOrientation": "horizontal", "actionAlignment": "left",
    },
    "factSet": {"title": {"weight": "bolder", "wrap": True, "maxWidth": 160}, "value": {"wrap": True}, "spacing": 8},
}

_STYLE = """
body { margin: 0; background: #F5F5F5; font-family: 'Segoe UI', 'Helvetica Neue', Arial, sans-serif; }
.slot { width: %dpx; box-sizing: border-box; background: #FFFFFF; border: 1px solid #E0E0E0; border-radius: 6px; margin: 0 0 12px 0; }
.ac-pushButton { border: 1px solid #D1D1D1; border-radius: 4px; background: #FFFFFF; color: #242424;
  padding: 5px 12px; font: 600 14px 'Segoe UI', Arial, sans-serif; cursor: pointer; }
.ac-pushButton.expanded, .ac-pushButton:hover { background: #EBEBEB; }
.ac-textBlock p { margin: 0 0 4px 0; }
.ac-textBlock ul, .ac-textBlock ol { margin: 0; padding-left: 20px; box-sizing: border-box; width: 100%%; }
"""

_DRIVER = """
const md = window.markdownit({ html: false, linkify: false, breaks: false });
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = md.render(text); result.didProcess = true; };
const hostConfig = new AdaptiveCards.HostConfig(HOST_CONFIG);
const results = [];
CARDS.forEach((payload, i) => {
  const slot = document.getElementById("card-" + i);
  try {
    const card = new AdaptiveCards.AdaptiveCard();
    card.hostConfig = hostConfig;
    const context = new AdaptiveCards.SerializationContext();
    card.parse(payload.card, context);
    const problems = [];
    for (let k = 0; k < context.eventCount; k++) {
      const e = context.getEventAt(k);
      problems.push(e.message);
    }
    const validation = card.validateProperties();
    for (let k = 0; k < validation.validationEvents.length; k++) {
      problems.push(validation.validationEvents[k].message);
    }
    const element = card.render();
    if (!element) throw new Error("render() returned nothing");
    slot.appendChild(element);
    if (payload.open) {
      for (const button of element.querySelectorAll("button")) {
        if (button.getAttribute("aria-expanded") === "false") { button.click(); break; }
      }
    }
    const box = slot.getBoundingClientRect();
    results.push({ ok: true, problems, height: Math.ceil(box.height), text: element.innerText.trim(),
                   buttons: Array.from(element.querySelectorAll("button")).map(b => b.innerText.trim()) });
  } catch (err) {
    results.push({ ok: false, problems: [String(err && err.stack || err)], height: 0, text: "", buttons: [] });
  }
});
document.getElementById("results").textContent = JSON.stringify(results);
"""


@dataclass(frozen=True)
class RenderResult:
    ok: bool
    problems: tuple[str, ...]
    height: int  # CSS pixels, at WIDTH
    text: str  # what the renderer put on screen
    buttons: tuple[str, ...]


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def missing() -> str | None:
    """Why the renderer cannot run here, or None."""
    if chromium() is None:
        return "headless Chromium is not installed (Debian: apt-get install chromium)"
    if not all(p.is_file() for p in SCRIPTS):
        return f"the Adaptive Cards renderer is not installed (run: npm ci --prefix {TOOLS.relative_to(REPO)})"
    return None


def page(cards: list[dict[str, Any]], width: int = WIDTH, open_first_show_card: bool = False) -> str:
    scripts = "".join(f"<script>{p.read_text(encoding='utf-8')}</script>" for p in SCRIPTS)
    payload = [{"card": c, "open": open_first_show_card} for c in cards]
    slots = "".join(f'<div class="slot" id="card-{i}"></div>' for i in range(len(cards)))
    data = json.dumps(payload).replace("</", "<\\/")
    host = json.dumps(HOST_CONFIG)
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><style>{_STYLE % width}</style>{scripts}</head>"
        f"<body>{slots}<pre id='results' style='display:none'></pre>"
        f"<script>const CARDS = {data}; const HOST_CONFIG = {host};{_DRIVER}</script></body></html>"
    )


def _chromium(args: list[str], html: str) -> str:
    browser = chromium()
    assert browser is not None
    with tempfile.TemporaryDirectory(prefix="cards-") as tmp:
        path = Path(tmp) / "cards.html"
        path.write_text(html, encoding="utf-8")
        command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                   f"--user-data-dir={tmp}/profile", "--virtual-time-budget=10000", *args, path.as_uri()]
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT_S, cwd=tmp, check=False)
        if proc.returncode != 0:
            raise RuntimeError(f"chromium exited {proc.returncode}: {proc.stderr[-2000:]}")
        return proc.stdout


def render(cards: list[dict[str, Any]], width: int = WIDTH, open_first_show_card: bool = False) -> list[RenderResult]:
    """Render every card in one Chromium run; one result per card, in order."""
    dom = _chromium(["--dump-dom", f"--window-size={width + 40},2000"], page(cards, width, open_first_show_card))
    start = dom.find("<pre id=\"results\"")
    if start < 0:
        raise RuntimeError("the page did not run (no results element)")
    body = dom[dom.index(">", start) + 1 : dom.index("</pre>", start)]
    if not body.strip():
        raise RuntimeError("the renderer page wrote no results (a script failed to load)")
    import html as html_lib

    raw = json.loads(html_lib.unescape(body))
    return [RenderResult(r["ok"], tuple(r["problems"]), r["height"], r["text"], tuple(r["buttons"])) for r in raw]


def screenshot(card: dict[str, Any], out: Path, width: int = WIDTH, open_first_show_card: bool = False) -> RenderResult:
    """A PNG of one card at ``width`` CSS pixels, cropped to the card's rendered height."""
    (result,) = render([card], width, open_first_show_card)
    if not result.ok:
        raise RuntimeError(f"renderer error: {result.problems}")
    out.parent.mkdir(parents=True, exist_ok=True)
    _chromium([f"--screenshot={out.resolve()}", f"--window-size={width + SCREEN_MARGIN},{result.height + 2}"],
              page([card], width, open_first_show_card))
    return result


def teams_samples() -> dict[str, dict[str, Any]]:
    """One card of each kind the Teams bot sends, for the fully answered case of docs/card.md."""
    from adapters.teams import cards
    from adapters.wiring import make_advisor
    from bot import wording
    from bot.engine import recommend
    from bot.factors import FACTORS
    from bot.replies import Card, ChangeMenu, Details, Option, Question

    kb = make_advisor().kb
    rec = recommend(EXAMPLE_ANSWERS, kb)
    factor = FACTORS[0]
    question = Question(factor.id, wording.QUESTIONS[factor.id],
                        tuple(Option(v, wording.option_label(factor.id, v)) for v in factor.allowed), number=1,
                        why="Fine-tuning learns from example pairs; without them there is nothing to train on.")
    menu = ChangeMenu(tuple((f, wording.SHORT_NAMES[f], wording.option_label(f, v)) for f, v in list(rec.answers.items())[:6]))

    def content(message: dict[str, Any]) -> dict[str, Any]:
        return message["attachments"][0]["content"]

    return {
        "recommendation": content(cards.render(Card(rec), "owner")),
        "details": content(cards.render(Details(rec), "owner")),
        "question": content(cards.render(question, "owner")),
        "change-menu": content(cards.render(menu, "owner")),
        "answers": content(cards.answers_message(rec)),
        "welcome": content(cards.welcome_message()),
    }


#: The example of docs/card.md: everything answered, a case that needs its prerequisites settled.
EXAMPLE_ANSWERS: dict[str, str] = {
    "training_data": "have_pairs", "sensitive_data": "no", "latency_critical": "yes", "context_size": "fits",
    "domain_knowledge": "yes", "task_scope": "narrow", "alternatives_tried": "exhausted", "model_fine_tunable": "yes",
    "hosted_cost_sensitive": "yes", "compute_available": "yes", "needs_vendor_guardrails": "yes", "iteration_capacity": "yes",
}


def main(out_dir: str = "docs/pictures") -> int:
    reason = missing()
    if reason:
        print(f"cannot render: {reason}", file=sys.stderr)
        return 1
    out = REPO / out_dir
    for kind, card in teams_samples().items():
        result = screenshot(card, out / f"teams-{kind}.png")
        print(f"teams-{kind}.png: {WIDTH}x{result.height} px")
    result = screenshot(teams_samples()["recommendation"], out / "teams-recommendation-details-open.png", open_first_show_card=True)
    print(f"teams-recommendation-details-open.png: {WIDTH}x{result.height} px")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
