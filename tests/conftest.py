"""Redis fixtures for the whole suite.

* ``redis_url``: the standalone Redis (REDIS_URL or 127.0.0.1:6379); ``redis_prefix`` is a
  fresh key prefix per test whose keys are deleted afterwards.
* ``redis_cluster``: URL of a three-node Redis Cluster started once per session.
* ``embedded_store`` / ``redis_store`` / ``cluster_store``: a prepared store per test;
  ``store`` is parametrized over all three ("one test class, every backend").

When a server is missing the test skips, or fails when REQUIRE_REDIS=1.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
import redis
from fakeredis import FakeServer

from store import KeySpace, RedisStore, StoreSettings, embedded_store as make_embedded_store
from store.connect import store_from_settings
from tests.redis_servers import LocalCluster, answers, binary, standalone_url, unavailable

BACKENDS = ("embedded", "redis", "cluster")


@pytest.fixture(scope="session")
def _standalone() -> str | None:
    url = standalone_url()
    return url if answers(url) else None


@pytest.fixture
def redis_prefix() -> str:
    """A key prefix unique to this test."""
    return f"fttest-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def redis_url(_standalone: str | None, redis_prefix: str) -> Iterator[str]:
    """URL of the standalone Redis; keys under ``redis_prefix`` are deleted after the test."""
    if _standalone is None:
        unavailable(f"no Redis answers at {standalone_url()}")
    yield _standalone
    client = redis.Redis.from_url(_standalone, socket_timeout=2)
    try:
        keys = list(client.scan_iter(match=KeySpace(redis_prefix).pattern(), count=1000))
        for i in range(0, len(keys), 500):
            client.delete(*keys[i : i + 500])
    except (redis.RedisError, OSError):
        pass
    finally:
        client.close()


@pytest.fixture(scope="session")
def redis_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A startup-node URL of a fresh three-primary cluster, torn down at session end."""
    binary("redis-server")
    binary("redis-cli")
    cluster = LocalCluster(tmp_path_factory.mktemp("redis-cluster"))
    try:
        cluster.start()
    except (RuntimeError, OSError) as exc:
        unavailable(f"could not start a Redis Cluster: {exc}")
    try:
        yield cluster.url
    finally:
        cluster.stop()


def _settings(url: str, prefix: str, **overrides: object) -> StoreSettings:
    return StoreSettings(url=url, prefix=prefix, **overrides)  # type: ignore[arg-type]


@pytest.fixture
def embedded_server() -> FakeServer:
    """The in-process fakeredis server behind ``embedded_store``."""
    return FakeServer()


@pytest.fixture
async def embedded_store(embedded_server: FakeServer, redis_prefix: str) -> AsyncIterator[RedisStore]:
    store = make_embedded_store(keys=KeySpace(redis_prefix), server=embedded_server)
    await store.prepare()
    yield store
    await store.close()


@pytest.fixture
async def redis_store(redis_url: str, redis_prefix: str) -> AsyncIterator[RedisStore]:
    store = store_from_settings(_settings(redis_url, redis_prefix))
    await store.prepare()
    yield store
    await store.close()


@pytest.fixture
async def cluster_store(redis_cluster: str, redis_prefix: str) -> AsyncIterator[RedisStore]:
    store = store_from_settings(_settings(redis_cluster, redis_prefix, cluster=True))
    await store.prepare()
    yield store
    await store.close()


@pytest.fixture(
    params=[
        "embedded",
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("cluster", marks=pytest.mark.redis),
    ]
)
def backend(request: pytest.FixtureRequest) -> str:
    """The backend name of a test parametrized over every store."""
    return str(request.param)


@pytest.fixture
def store_factory(request: pytest.FixtureRequest, backend: str, redis_prefix: str):
    """Builds extra (unprepared) stores on ``backend`` sharing its server and prefix, with
    other TTLs: ``store_factory(conversation_ttl_s=..., event_ttl_s=...)``."""
    if backend == "embedded":
        server = request.getfixturevalue("embedded_server")

        def make_embedded(**ttls: float) -> RedisStore:
            return make_embedded_store(keys=KeySpace(redis_prefix), server=server, **ttls)

        return make_embedded
    url = request.getfixturevalue("redis_url" if backend == "redis" else "redis_cluster")

    def make(**ttls: float) -> RedisStore:
        return store_from_settings(_settings(url, redis_prefix, cluster=backend == "cluster", **ttls))

    return make


@pytest.fixture
def store(request: pytest.FixtureRequest, backend: str) -> RedisStore:
    """A prepared store on each backend in turn."""
    return request.getfixturevalue(f"{backend}_store")
