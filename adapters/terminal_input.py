"""Reading one message from an interactive terminal: a pasted block of lines is one message.

A terminal delivers a paste as fast as it can type it: every line of the block is already
waiting when the first one has been read. So after each line we wait a moment
(:data:`PASTE_GAP_SECONDS`) for more input; lines that arrive within the gap belong to the same
message, and a person typing line by line (far slower than the gap) still sends one message
per line. Only the interactive chat uses this; piped input keeps one answer per line.
"""

from __future__ import annotations

import os
import select
import sys
from collections.abc import Callable
from typing import TextIO

PASTE_GAP_SECONDS = 0.04
"""How long to wait for the next line of a paste. Terminals deliver a paste within a few
milliseconds; nobody types a whole line that fast."""
MAX_PASTE_LINES = 200
"""A longer paste is cut here; the core caps a message's length anyway."""


def more_waiting(stream: TextIO, gap: float = PASTE_GAP_SECONDS) -> bool:
    """Whether more input arrives on ``stream`` within ``gap`` seconds."""
    try:
        ready, _, _ = select.select([stream.fileno()], [], [], gap)
    except (OSError, ValueError):  # no real file descriptor (a test double, a closed stream)
        return False
    return bool(ready)


def read_message(read_line: Callable[[], str], stream: TextIO | None = None, gap: float = PASTE_GAP_SECONDS) -> str:
    """One message: the line ``read_line`` returns (it shows the prompt; EOFError passes
    through), joined with every further line that was already waiting on ``stream``."""
    stream = stream if stream is not None else sys.stdin
    lines = [read_line()]
    while len(lines) < MAX_PASTE_LINES and more_waiting(stream, gap):
        line = _read_raw_line(stream)
        if line is None:
            break
        lines.append(line)
    return "\n".join(lines)


def _read_raw_line(stream: TextIO) -> str | None:
    """The next line straight from the descriptor, so nothing is left in a Python buffer that
    the next prompt would not see."""
    chunks: list[bytes] = []
    fd = stream.fileno()
    while True:
        byte = os.read(fd, 1)
        if not byte:
            return None if not chunks else b"".join(chunks).decode("utf-8", "replace")
        if byte == b"\n":
            return b"".join(chunks).decode("utf-8", "replace").rstrip("\r")
        chunks.append(byte)
