"""The terminal chat: one line in, one turn through the store, replies out.

Interactive terminals get rich rendering; piped input gets plain text, one answer or command
per line, and exits 0 at end of input. Every turn goes through the same
:class:`~adapters.service.TurnService` as Slack and Teams (the embedded store when
``REDIS_URL`` is unset), with the optional language model when ``LLM_MODEL`` is set.

Lines are read on the main thread between turns, and each turn runs on one long-lived event
loop (:class:`asyncio.Runner`), so one Ctrl-C ends the chat wherever it lands (exit 130), and
Ctrl-D or ``quit`` ends it normally. Either way the goodbye says what was kept. ``export``
writes the decision record to a file (see :func:`save_record`) and shows its Markdown.
"""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import shutil
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from adapters import terminal_wording
from adapters.service import TurnService
from adapters.terminal_card import command_action
from adapters.wiring import make_advisor
from bot import wording
from bot.events import Action, ConversationKey, InboundEvent
from bot.replies import Document, Reply
from store import ConversationStore, StoreSettings, keep_for_expiry_notice, store_from_settings

if TYPE_CHECKING:
    from adapters.llm.model import LanguageModel

#: Exit status after Ctrl-C, as a shell reports a process ended by SIGINT.
INTERRUPTED = 130
QUIT_WORDS = ("quit", "exit")


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
        self.saved = False  # whether any turn reached the store (a store error saves nothing)

    async def send(self, *, text: str | None = None, action: Action | None = None) -> list[Reply]:
        event = InboundEvent(key=self.key, user=self.key.user, event_id=uuid.uuid4().hex, text=text, action=action)
        handled = await self.service.handle(event)
        self.saved = self.saved or handled.outcome in ("ok", "duplicate")
        return handled.replies


def language_model_from_env() -> LanguageModel | None:
    """The model when ``LLM_MODEL`` is in the environment (read with the service's settings);
    None, with nothing imported, otherwise. Raises ConfigurationError like ``serve``."""
    if not os.environ.get("LLM_MODEL", "").strip():
        return None
    from adapters.llm import build_language_model
    from adapters.settings import load_settings

    return build_language_model(load_settings(), make_advisor().kb)


# --- what the chat leaves behind ------------------------------------------------------------


def command_name() -> str:
    """How to run this command again: ``finetune-advisor`` when that is what the PATH finds,
    else the path it was started by (``.venv/bin/finetune-advisor``)."""
    started = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if started is None or started.name != "finetune-advisor":
        return "finetune-advisor"
    on_path = shutil.which("finetune-advisor")
    if on_path and Path(on_path).resolve() == started.resolve():
        return "finetune-advisor"
    try:
        return str(started.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(started)


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = round(seconds / size)
            return f"{count} {unit}{'' if count == 1 else 's'}"
    return f"{int(seconds)} seconds"


@dataclass(slots=True)
class Session:
    """One chat's conversation id, whether it outlives this process (Redis), and whether a
    turn has been saved yet."""

    id: str
    kept: bool
    keep_s: float
    saved: bool = False

    def session_line(self) -> str:
        return terminal_wording.SESSION_LINE.format(session=self.id, command=command_name())

    def goodbye(self) -> str:
        if not self.kept:
            return terminal_wording.GOODBYE_NOT_KEPT
        if not self.saved:
            return terminal_wording.GOODBYE_NOTHING_YET
        return terminal_wording.GOODBYE_KEPT.format(keep=_duration(self.keep_s), command=command_name(), session=self.id)


def save_record(document: Document, directory: Path) -> Path:
    """Write the decision record into ``directory`` under its own name, never over an existing
    file (a second export the same day gets ``-2``, ``-3``…); the path written."""
    directory.mkdir(parents=True, exist_ok=True)
    stem, suffix = os.path.splitext(document.filename)
    for n in range(1, 1000):
        path = directory / (document.filename if n == 1 else f"{stem}-{n}{suffix}")
        try:
            with path.open("x", encoding="utf-8") as handle:
                handle.write(document.markdown)
            return path
        except FileExistsError:
            continue
    raise FileExistsError(f"{directory / document.filename} and 998 numbered copies exist")


def shown_path(path: Path) -> str:
    try:
        return os.path.join(".", str(path.resolve().relative_to(Path.cwd())))
    except ValueError:
        return str(path)


def record_notice(document: Document, directory: Path) -> str:
    """Save the record; the line that says where (or why not)."""
    target = directory / document.filename
    try:
        return terminal_wording.RECORD_SAVED.format(path=shown_path(save_record(document, directory)))
    except OSError as exc:
        return terminal_wording.RECORD_NOT_SAVED.format(path=target, error=exc.strerror or exc)


# --- the loop ---------------------------------------------------------------------------------


Emit = Callable[[Reply], None]
Read = Callable[[], str | None]


def _converse(session: Session, resume: bool, llm: LanguageModel | None, emit: Emit, read: Read) -> int:
    """Run the conversation until end of input or ``quit`` (0) or Ctrl-C (KeyboardInterrupt)."""
    with asyncio.Runner() as runner:
        settings = StoreSettings.from_env()
        store = store_from_settings(keep_for_expiry_notice(settings))
        chat = TerminalChat(store, _key(session.id), llm, settings.conversation_ttl_s)
        try:
            for reply in runner.run(chat.send(action=Action("resume" if resume else "start"))):
                emit(reply)
            session.saved = chat.saved
            while (line := read()) is not None:
                if line.strip().lower() in QUIT_WORDS:
                    break
                # `details`: everything behind the card's face (issue 17, adapters/terminal_card.py)
                typed = command_action(line)
                for reply in runner.run(chat.send(action=typed) if typed else chat.send(text=line)):
                    emit(reply)
                session.saved = chat.saved
        finally:
            runner.run(_close(store, llm))
    return 0


async def _close(store: ConversationStore, llm: LanguageModel | None) -> None:
    await store.close()
    if llm is not None:
        await llm.aclose()


def run_chat(session: str | None = None, out: Path | None = None) -> int:
    from adapters.logs import configure

    configure(os.environ.get("LOG_LEVEL", "ERROR"), json_lines=False)  # the terminal is for the conversation
    # The service logs turns for operators; the terminal shows only the conversation.
    logging.getLogger("finetune_advisor").addHandler(logging.NullHandler())
    kept = bool(os.environ.get("REDIS_URL", "").strip())
    if session and not kept:
        print(terminal_wording.SESSION_NEEDS_REDIS, file=sys.stderr)
    current = Session(session or uuid.uuid4().hex[:12], kept, StoreSettings.from_env().conversation_ttl_s)
    directory = out if out is not None else Path.cwd()
    interactive = sys.stdin.isatty() and sys.stdout.isatty()
    try:
        llm = language_model_from_env()  # a missing provider package stops here (exit 2)
    except KeyboardInterrupt:  # importing langchain takes seconds
        print(("\n" if interactive else "") + current.goodbye(), file=sys.stdout if interactive else sys.stderr)
        return INTERRUPTED
    if interactive:
        return _interactive(current, bool(session), llm, directory)
    return _piped(current, bool(session), llm, directory)


def _piped(session: Session, resume: bool, llm: LanguageModel | None, directory: Path) -> int:
    def emit(reply: Reply) -> None:
        if isinstance(reply, Document):
            sys.stdout.write(record_notice(reply, directory) + "\n\n")
        sys.stdout.write(reply.plain_text() + "\n\n")
        sys.stdout.flush()

    def read() -> str | None:
        line = sys.stdin.readline()
        return None if line == "" else line.rstrip("\n")

    try:
        status = _converse(session, resume, llm, emit, read)
    except KeyboardInterrupt:
        status = INTERRUPTED
    print(session.goodbye(), file=sys.stderr)
    return status


def _interactive(session: Session, resume: bool, llm: LanguageModel | None, directory: Path) -> int:
    from rich.console import Console
    from rich.text import Text as RichText

    from adapters.terminal import render
    from adapters.terminal_input import read_message

    console = Console()
    console.print(RichText(wording.CHAT_BANNER, style="dim"))
    if session.kept:
        console.print(RichText(session.session_line(), style="dim"))

    def emit(reply: Reply) -> None:
        if isinstance(reply, Document):
            console.print(RichText(record_notice(reply, directory), style="green"))
        # the record's long lines are left whole for the terminal to wrap: they copy as written
        console.print(render(reply), soft_wrap=isinstance(reply, Document))
        console.print()

    def read() -> str | None:
        try:  # a pasted block of lines arrives together: one message (adapters/terminal_input.py)
            return read_message(lambda: console.input("[bold]> [/bold]"))
        except EOFError:
            console.print()  # Ctrl-D leaves the cursor after the prompt
            return None

    try:
        status = _converse(session, resume, llm, emit, read)
    except KeyboardInterrupt:
        console.print()
        status = INTERRUPTED
    console.print(RichText(session.goodbye(), style="dim"))
    return status
