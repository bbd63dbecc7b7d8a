"""adapters.terminal_input over a real pseudo-terminal: a paste is one message, typing is not."""

from __future__ import annotations

import os
import pty
import time

from adapters.terminal_input import _read_raw_line, read_message


def _terminal() -> tuple[int, object]:
    master, slave = pty.openpty()
    return master, os.fdopen(slave, "r", closefd=True)


def test_a_pasted_block_arrives_as_one_message() -> None:
    master, slave = _terminal()
    try:
        os.write(master, "Project brief: ticket triage\nThe tickets contain customer emails.\nWe have 20k labelled tickets.\n".encode())
        time.sleep(0.05)
        message = read_message(lambda: _read_raw_line(slave) or "", stream=slave)  # type: ignore[arg-type]
        assert message == "Project brief: ticket triage\nThe tickets contain customer emails.\nWe have 20k labelled tickets."
    finally:
        os.close(master)
        slave.close()  # type: ignore[attr-defined]


def test_lines_typed_one_by_one_stay_separate_messages() -> None:
    master, slave = _terminal()
    try:
        os.write(master, b"yes\n")
        time.sleep(0.02)
        first = read_message(lambda: _read_raw_line(slave) or "", stream=slave, gap=0.02)  # type: ignore[arg-type]
        os.write(master, b"no\n")
        second = read_message(lambda: _read_raw_line(slave) or "", stream=slave, gap=0.02)  # type: ignore[arg-type]
        assert (first, second) == ("yes", "no")
    finally:
        os.close(master)
        slave.close()  # type: ignore[attr-defined]
