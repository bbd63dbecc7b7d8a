"""Each Teams card kind through Microsoft's own Adaptive Cards renderer (npm ``adaptivecards``)
in headless Chromium: no renderer or validation error, nothing empty, Markdown really rendered,
every button drawn, and the recommendation's face within one screen at 500 pixels wide.

Skipped, saying why, where Chromium or the renderer is not installed (``.ci/run`` installs both).
"""

from __future__ import annotations

import pytest

from adapters.wiring import make_advisor
from bot.engine import recommend
from tests.teams import card_renderer

REASON = card_renderer.missing()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"Teams card pictures: {REASON}")

#: What fits a Teams chat pane without scrolling: a 1080-pixel-high screen leaves about 600 CSS
#: pixels under Teams' header, the compose box and the message's own chrome.
FACE_HEIGHT_PX = 600


def _labels(node: object) -> list[str]:
    """The titles of the card's own buttons (not those inside a Show card, drawn once opened)."""
    if isinstance(node, dict):
        own = [str(node["title"])] if str(node.get("type", "")).startswith("Action.") else []
        return own + [t for k, v in node.items() if k != "card" for t in _labels(v)]
    if isinstance(node, list):
        return [t for v in node for t in _labels(v)]
    return []


def test_every_teams_card_kind_renders_in_microsofts_renderer() -> None:
    samples = card_renderer.teams_samples()
    results = card_renderer.render(list(samples.values()))
    assert len(results) == len(samples)
    for (kind, card), result in zip(samples.items(), results, strict=True):
        assert result.ok, f"{kind}: renderer error {result.problems}"
        assert not result.problems, f"{kind}: {result.problems}"
        assert result.height > 40 and len(result.text) > 20, f"{kind}: empty render"
        for shown in ("**", "`", "&lt;", "&gt;", "<", ">"):
            assert shown not in result.text, f"{kind}: {shown!r} shown literally"
        assert set(_labels(card)) <= set(result.buttons), f"{kind}: buttons not drawn"
    face = results[list(samples).index("recommendation")]
    assert face.height <= FACE_HEIGHT_PX, f"the recommendation card is {face.height} px high at {card_renderer.WIDTH} px wide"


def test_details_open_in_place_with_everything() -> None:
    card = card_renderer.teams_samples()["recommendation"]
    (closed,) = card_renderer.render([card])
    (opened,) = card_renderer.render([card], open_first_show_card=True)
    assert opened.ok and not opened.problems
    assert opened.height > closed.height + 300  # the details unfolded under the face
    rec = recommend(card_renderer.EXAMPLE_ANSWERS, make_advisor().kb)
    for text in [*(r.text for r in rec.reasons), *rec.next_steps, *(c.title for c in rec.citations)]:
        assert text in opened.text and (text not in closed.text or text in card_text(card)), text


def card_text(card: dict[str, object]) -> str:
    """The face's own TextBlocks (not the ShowCard's)."""
    return " ".join(str(b.get("text", "")) for b in card["body"])  # type: ignore[union-attr]
