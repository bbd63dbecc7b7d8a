"""Helpers that find or start real Redis servers for the test suite.

``REQUIRE_REDIS=1`` (set by CI) turns every "Redis is not available" skip into a failure,
so a build can never pass with its Redis tests silently skipped.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
import redis

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def redis_required() -> bool:
    """True when CI demands that Redis tests run rather than skip."""
    return os.environ.get("REQUIRE_REDIS", "").strip() == "1"


def unavailable(reason: str) -> NoReturn:
    """Skip, or fail when REQUIRE_REDIS=1."""
    if redis_required():
        pytest.fail(f"REQUIRE_REDIS=1 but {reason}", pytrace=False)
    pytest.skip(reason)


def binary(name: str) -> str:
    """Path of ``redis-server`` / ``redis-cli``, or skip/fail."""
    path = shutil.which(name)
    if path is None:
        unavailable(f"{name} is not on PATH")
    return path


def standalone_url() -> str:
    """REDIS_URL from the environment, else the local default."""
    return os.environ.get("REDIS_URL", "").strip() or DEFAULT_URL


def answers(url: str, timeout: float = 0.5) -> bool:
    """Whether a Redis at ``url`` answers PING."""
    try:
        client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except (redis.RedisError, OSError):
        return False


def free_port() -> int:
    """A free loopback port whose cluster bus port (+10000) is free too."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 10000 > 65535:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port + 10000))
            except OSError:
                continue
        return port
    raise RuntimeError("no free port pair found")


class RedisServer:
    """One ``redis-server`` subprocess on a loopback port, data in ``workdir``."""

    def __init__(self, workdir: Path, *, port: int | None = None, persistent: bool = False,
                 extra: tuple[str, ...] = ()) -> None:
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.persistent = persistent
        self.extra = extra
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def args(self) -> list[str]:
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
            if self.persistent
            else ["--appendonly", "no", "--save", ""]
        )
        return [
            binary("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
            "--dir", str(self.workdir), "--logfile", str(self.workdir / f"redis-{self.port}.log"),
            "--daemonize", "no", *persistence, *self.extra,
        ]

    def start(self, timeout: float = 10.0) -> RedisServer:
        """Start and wait until it answers PING."""
        self.proc = subprocess.Popen(self.args(), cwd=self.workdir, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not answers(self.url, timeout=0.2):
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server on {self.port} exited with {self.proc.returncode}")
            if time.monotonic() > deadline:
                self.kill()
                raise RuntimeError(f"redis-server on {self.port} did not answer within {timeout}s")
            time.sleep(0.02)
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to save anything that was not already on disk."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)
        self.proc = None

    def pause(self) -> None:
        """SIGSTOP: the socket stays open but nothing answers (a hung server)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        """Terminate politely, then kill."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None


class LocalCluster:
    """A three-primary Redis Cluster on free loopback ports, no replicas, no persistence."""

    def __init__(self, workdir: Path, size: int = 3) -> None:
        self.nodes = [
            RedisServer(
                Path(workdir) / f"node{i}",
                extra=("--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                       "--cluster-node-timeout", "5000"),
            )
            for i in range(size)
        ]

    @property
    def url(self) -> str:
        """A startup node URL for RedisCluster.from_url."""
        return f"redis://127.0.0.1:{self.nodes[0].port}"

    def start(self, timeout: float = 30.0) -> LocalCluster:
        try:
            for node in self.nodes:
                node.start()
            subprocess.run(
                [binary("redis-cli"), "--cluster", "create",
                 *(f"127.0.0.1:{n.port}" for n in self.nodes),
                 "--cluster-replicas", "0", "--cluster-yes"],
                check=True, capture_output=True, timeout=timeout,
            )
            self._wait_ok(timeout)
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_ok(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        clients = [redis.Redis(port=n.port, socket_timeout=1) for n in self.nodes]
        try:
            while True:
                infos = [c.execute_command("CLUSTER", "INFO") for c in clients]
                if all(b"cluster_state:ok" in (i if isinstance(i, bytes) else i.encode()) for i in infos):
                    return
                if time.monotonic() > deadline:
                    raise RuntimeError("cluster did not reach cluster_state:ok")
                time.sleep(0.05)
        finally:
            for c in clients:
                c.close()

    def stop(self) -> None:
        for node in self.nodes:
            node.stop()


def running_server(path: Path, persistent: bool = False) -> Iterator[RedisServer]:
    """Start a private redis-server in ``path``, yield it, stop it (a generator for fixtures)."""
    binary("redis-server")
    server = RedisServer(path, persistent=persistent)
    try:
        server.start()
    except (RuntimeError, OSError) as exc:
        pytest.fail(f"could not start redis-server: {exc}")
    try:
        yield server
    finally:
        server.stop()

