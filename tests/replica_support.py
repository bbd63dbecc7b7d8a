"""Real ``finetune-advisor serve`` processes for the replica test and the load benchmark.

:class:`ServeProcess` starts ``python -m adapters.cli serve --port P`` with an explicit
environment (every SLACK_*, MICROSOFT_*, REDIS_* variable of the caller dropped, and a
working directory without a ``.env``), sends its stderr to a file (a pipe would fill up with
the JSON access log and block the server), waits for ``/readyz`` and stops it with SIGTERM.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

import aiohttp

_DROPPED_PREFIXES = (
    "SLACK_", "MICROSOFT_", "TEAMS_", "LLM_", "REDIS_", "CONVERSATION_TTL", "EVENT_TTL", "HOST", "PORT", "LOG_LEVEL",
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def clean_env(**values: str | None) -> dict[str, str]:
    """The caller's environment without any of the service's variables, plus ``values``
    (None values are left out)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_PREFIXES)}
    env["PYTHONUNBUFFERED"] = "1"
    env.update({k: v for k, v in values.items() if v is not None})
    return env


def proc_cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a running process, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15 of stat)


class ServeProcess:
    """One ``serve`` (or any other command) child process on 127.0.0.1:``port``."""

    def __init__(self, env: Mapping[str, str], workdir: Path, *, port: int | None = None,
                 argv: list[str] | None = None, name: str = "serve") -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.name = name
        self.workdir = workdir
        self.stderr_path = workdir / f"{name}-{self.port}.stderr"
        self.argv = argv or [sys.executable, "-m", "adapters.cli", "serve", "--port", str(self.port)]
        self.env = dict(env)
        self.proc: subprocess.Popen[bytes] | None = None
        self.returncode: int | None = None

    def start(self) -> ServeProcess:
        self.workdir.mkdir(parents=True, exist_ok=True)
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen(
                self.argv, env=self.env, cwd=self.workdir, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=err,
            )
        return self

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stderr(self) -> str:
        try:
            return self.stderr_path.read_text(errors="replace")
        except OSError:
            return ""

    async def wait_ready(self, path: str = "/readyz", timeout: float = 20.0) -> None:
        """Poll ``path`` until it answers 200; raise with the server's stderr otherwise."""
        assert self.proc is not None
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as http:
            while True:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"{self.name} exited with {self.proc.returncode} before it was ready:\n{self.stderr()[-3000:]}")
                try:
                    async with http.get(self.url + path) as resp:
                        if resp.status == 200:
                            return
                except (aiohttp.ClientError, asyncio.TimeoutError, OSError):
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{self.name} not ready after {timeout} s:\n{self.stderr()[-3000:]}")
                await asyncio.sleep(0.05)

    async def terminate(self, timeout: float = 30.0) -> tuple[int | None, float]:
        """SIGTERM, then wait (without blocking the event loop, which may host the stand-ins
        the draining server still talks to). Returns (exit code or None on timeout, seconds)."""
        assert self.proc is not None
        started = time.monotonic()
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        while self.proc.poll() is None and time.monotonic() - started < timeout:
            await asyncio.sleep(0.02)
        self.returncode = self.proc.poll()
        return self.returncode, time.monotonic() - started

    def kill(self) -> None:
        """Last resort for a process that did not stop (only this child, by its pid)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
