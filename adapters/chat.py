"""The terminal chat: one line in, one turn through the store, replies out.

Interactive terminals get rich rendering; piped input gets plain text, one answer or command
per line, and exits 0 at end of input. Every turn goes through the same
:class:`~adapters.service.TurnService` as Slack and Teams (the embedded store when
``REDIS_URL`` is unset), with the optional language model when ``LLM_MODEL`` is set.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import sys
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from adapters.service import TurnService
from adapters.terminal_card import command_action
from adapters.wiring import make_advisor
from bot import wording
from bot.events import Action, ConversationKey, InboundEvent
from bot.replies import Reply
from store import ConversationStore, StoreSettings, keep_for_expiry_notice, store_from_settings

if TYPE_CHECKING:
    from adapters.llm.model import LanguageModel


def _key(session: str) -> ConversationKey:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "local"
    return ConversationKey(platform="terminal", workspace="local", channel="cli", thread=session, user=user)


class TerminalChat:
    """Runs turns for one terminal conversation."""

    def __init__(
        self, store: ConversationStore, key: ConversationKey, llm: LanguageModel | None = None,
        idle_seconds: float | None = None,
    ) -> None:
        self.store = store
        self.key = key
        self.advisor = make_advisor() if idle_seconds is None else make_advisor(idle_seconds)
        self.service = TurnService(self.advisor, store, llm)

    async def send(self, *, text: str | None = None, action: Action | None = None) -> list[Reply]:
        event = InboundEvent(key=self.key, user=self.key.user, event_id=uuid.uuid4().hex, text=text, action=action)
        return (await self.service.handle(event)).replies


def language_model_from_env() -> LanguageModel | None:
    """The model when ``LLM_MODEL`` is in the environment (read with the service's settings);
    None, with nothing imported, otherwise. Raises ConfigurationError like ``serve``."""
    if not os.environ.get("LLM_MODEL", "").strip():
        return None
    from adapters.llm import build_language_model
    from adapters.settings import load_settings

    return build_language_model(load_settings(), make_advisor().kb)


async def _loop(session: str | None, emit: Callable[[Reply], None], read: Callable[[], str | None]) -> int:
    llm = language_model_from_env()
    settings = StoreSettings.from_env()
    store = store_from_settings(keep_for_expiry_notice(settings))
    chat = TerminalChat(store, _key(session or uuid.uuid4().hex[:12]), llm, settings.conversation_ttl_s)
    try:
        for reply in await chat.send(action=Action("resume" if session else "start")):
            emit(reply)
        while (line := await asyncio.to_thread(read)) is not None:
            if line.strip().lower() in ("quit", "exit"):
                break
            # `details`: everything behind the card's face (issue 17, adapters/terminal_card.py)
            typed = command_action(line)
            for reply in await (chat.send(action=typed) if typed else chat.send(text=line)):
                emit(reply)
    finally:
        await store.close()
    return 0


def run_chat(session: str | None = None) -> int:
    from adapters.logs import configure

    configure(os.environ.get("LOG_LEVEL", "ERROR"), json_lines=False)  # the terminal is for the conversation
    # The service logs turns for operators; the terminal shows only the conversation.
    logging.getLogger("finetune_advisor").addHandler(logging.NullHandler())
    if session and not os.environ.get("REDIS_URL"):
        print("note: --session resumes a conversation only when REDIS_URL is set; "
              "without it the conversation lives in this process.", file=sys.stderr)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return _interactive(session)
    return _piped(session)


def _piped(session: str | None) -> int:
    def emit(reply: Reply) -> None:
        sys.stdout.write(reply.plain_text() + "\n\n")
        sys.stdout.flush()

    def read() -> str | None:
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    return asyncio.run(_loop(session, emit, read))


def _interactive(session: str | None) -> int:
    from rich.console import Console
    from rich.text import Text as RichText

    from adapters.terminal import render
    from adapters.terminal_input import read_message

    console = Console()
    console.print(RichText(wording.CHAT_BANNER, style="dim"))

    def emit(reply: Reply) -> None:
        console.print(render(reply))
        console.print()

    def read() -> str | None:
        try:  # a pasted block of lines arrives together: one message (adapters/terminal_input.py)
            return read_message(lambda: console.input("[bold]> [/bold]"))
        except EOFError:
            return None

    try:
        return asyncio.run(_loop(session, emit, read))
    except KeyboardInterrupt:
        console.print(RichText(wording.GOODBYE, style="dim"))
        return 0
