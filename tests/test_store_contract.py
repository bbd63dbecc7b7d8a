"""One store contract, run against every backend: embedded fakeredis, standalone Redis and
a three-node Redis Cluster. Plus the key layout and the connection settings."""

from __future__ import annotations

import asyncio
import json
import logging

import pytest
from redis.asyncio.connection import SSLConnection, UnixDomainSocketConnection
from redis.crc import key_slot

from bot.errors import ConfigurationError
from bot.events import ConversationKey
from store import (
    DEFAULT_CONVERSATION_TTL_S,
    DEFAULT_EVENT_TTL_S,
    KeySpace,
    Loaded,
    RedisStore,
    SaveOutcome,
    StoreSettings,
    redact_url,
    store_from_env,
)
from store.redis_store import encode_envelope

KEY = ConversationKey("slack", "T01", "C02", "1712345678.000100", "U03")
OTHER = ConversationKey("slack", "T01", "C02", "1712345678.000100", "U04")

FACTORS = [
    "task_type", "data_volume", "label_quality", "latency_budget", "cost_budget", "privacy",
    "domain_shift", "output_format", "update_rate", "eval_maturity", "team_skill", "hosting",
]


def typical_state() -> dict:
    """What the core keeps after a complete assessment: 12 answers and a little bookkeeping."""
    return {
        "stage": "verdict",
        "question": None,
        "answers": {f: "medium_high" for f in FACTORS},
        "skipped": [],
        "history": FACTORS[-3:],
        "verdict": "prompt_chaining_first",
        "started_at": 1712345678.123,
        "updated_at": 1712349999.456,
        "notes": [],
    }


class TestStoreContract:
    """The semantics every backend must share."""

    async def test_load_missing_conversation(self, store: RedisStore) -> None:
        assert await store.load(KEY, "e1") == Loaded(version=0, data=None, duplicate=False)
        assert await store.load(KEY, None) == Loaded(version=0, data=None, duplicate=False)

    async def test_save_load_round_trip(self, store: RedisStore) -> None:
        data = {"answers": {"task_type": "classify"}, "nested": [1, 2.5, None, "é"]}
        assert await store.save(KEY, expected_version=0, data=data, event_id="e1") is SaveOutcome.SAVED
        assert await store.load(KEY, "e2") == Loaded(version=1, data=data, duplicate=False)
        data2 = {**data, "stage": "q2"}
        assert await store.save(KEY, expected_version=1, data=data2, event_id="e2") is SaveOutcome.SAVED
        assert await store.load(KEY, None) == Loaded(version=2, data=data2, duplicate=False)
        assert await store.load(OTHER, None) == Loaded(version=0, data=None, duplicate=False)

    async def test_envelope_is_versioned_json(self, store: RedisStore) -> None:
        await store.save(KEY, expected_version=0, data={"a": 1}, event_id=None)
        raw = await store.client.get(store.keys.conversation(KEY))
        assert json.loads(raw) == {"schema": 1, "version": 1, "data": {"a": 1}}

    async def test_version_conflict(self, store: RedisStore) -> None:
        assert await store.save(KEY, expected_version=0, data={"n": 1}, event_id="e1") is SaveOutcome.SAVED
        assert await store.save(KEY, expected_version=0, data={"n": 2}, event_id="e2") is SaveOutcome.CONFLICT
        assert await store.save(KEY, expected_version=5, data={"n": 3}, event_id="e3") is SaveOutcome.CONFLICT
        assert await store.load(KEY, "e2") == Loaded(version=1, data={"n": 1}, duplicate=False)
        # a conflicting save records nothing: the event can still be applied
        assert await store.save(KEY, expected_version=1, data={"n": 2}, event_id="e2") is SaveOutcome.SAVED

    async def test_duplicate_event(self, store: RedisStore) -> None:
        assert await store.save(KEY, expected_version=0, data={"n": 1}, event_id="e1") is SaveOutcome.SAVED
        assert (await store.load(KEY, "e1")).duplicate
        assert not (await store.load(KEY, "e9")).duplicate
        # duplicate wins over a matching version and over a stale one
        assert await store.save(KEY, expected_version=1, data={"n": 2}, event_id="e1") is SaveOutcome.DUPLICATE
        assert await store.save(KEY, expected_version=0, data={"n": 2}, event_id="e1") is SaveOutcome.DUPLICATE
        assert await store.load(KEY, None) == Loaded(version=1, data={"n": 1}, duplicate=False)
        # event ids are per conversation
        assert not (await store.load(OTHER, "e1")).duplicate

    async def test_client_retry_after_lost_reply_reads_as_saved(self, store: RedisStore) -> None:
        """redis-py retries a command whose reply was lost (timeout, dropped connection): the
        script must then say SAVED, not DUPLICATE or CONFLICT, or the turn's replies are lost."""
        conv, evt = store.keys.conversation(KEY), store.keys.event(KEY, "e1")
        ttls = [store.conversation_ttl_ms, store.event_ttl_ms]
        env1 = encode_envelope(1, {"n": 1})
        first = [0, env1, *ttls, "nonce-a"]
        assert await store._save(keys=[conv, evt], args=first) == 0
        assert await store._save(keys=[conv, evt], args=first) == 0  # the retry
        assert await store._save(keys=[conv, evt], args=[0, env1, *ttls, "nonce-b"]) == 2
        # without an event id: finding exactly our envelope already stored
        env2 = encode_envelope(2, {"n": 2})
        assert await store._save(keys=[conv], args=[1, env2, *ttls, "x"]) == 0
        assert await store._save(keys=[conv], args=[1, env2, *ttls, "y"]) == 0
        assert await store._save(keys=[conv], args=[1, encode_envelope(2, {"n": 3}), *ttls, "z"]) == 1
        assert await store.load(KEY, None) == Loaded(version=2, data={"n": 2}, duplicate=False)

    async def test_saves_without_event_id(self, store: RedisStore) -> None:
        for version in range(3):
            outcome = await store.save(KEY, expected_version=version, data={"v": version}, event_id=None)
            assert outcome is SaveOutcome.SAVED
        assert await store.load(KEY, None) == Loaded(version=3, data={"v": 2}, duplicate=False)

    async def test_conversation_ttl_set_and_refreshed(self, store: RedisStore) -> None:
        conv = store.keys.conversation(KEY)
        await store.save(KEY, expected_version=0, data={}, event_id="e1")
        ttl = await store.client.pttl(conv)
        assert DEFAULT_CONVERSATION_TTL_S * 1000 - 60_000 < ttl <= DEFAULT_CONVERSATION_TTL_S * 1000
        await store.client.pexpire(conv, 5_000)
        await store.save(KEY, expected_version=1, data={}, event_id="e2")
        assert await store.client.pttl(conv) > DEFAULT_CONVERSATION_TTL_S * 1000 - 60_000

    async def test_event_ttl(self, store: RedisStore) -> None:
        await store.save(KEY, expected_version=0, data={}, event_id="e1")
        ttl = await store.client.pttl(store.keys.event(KEY, "e1"))
        assert DEFAULT_EVENT_TTL_S * 1000 - 60_000 < ttl <= DEFAULT_EVENT_TTL_S * 1000

    async def test_configured_ttls_expire(self, store: RedisStore, store_factory) -> None:
        short = store_factory(conversation_ttl_s=30, event_ttl_s=0.15)
        try:
            await short.save(KEY, expected_version=0, data={"a": 1}, event_id="e1")
            assert 25_000 < await store.client.pttl(store.keys.conversation(KEY)) <= 30_000
            assert (await short.load(KEY, "e1")).duplicate
            await asyncio.sleep(0.3)
            assert not (await short.load(KEY, "e1")).duplicate  # event forgotten
            await store.client.pexpire(store.keys.conversation(KEY), 50)
            await asyncio.sleep(0.15)
            assert await short.load(KEY, None) == Loaded(version=0, data=None, duplicate=False)
        finally:
            await short.close()

    @pytest.mark.parametrize(
        "raw",
        [
            b"not json{",
            b"\xff\xfe",
            b"[1, 2]",
            b'"a string"',
            b'{"schema": 0, "version": 4, "data": {"a": 1}}',
            b'{"schema": 2, "version": 4, "data": {"a": 1}}',
            b'{"schema": true, "version": 4, "data": {"a": 1}}',
            b'{"schema": 1, "version": 4, "data": [1]}',
            b'{"schema": 1, "version": 4}',
            b'{"answers": {"task_type": "x"}}',
        ],
    )
    async def test_unreadable_value_reads_as_empty_dict(self, store: RedisStore, raw: bytes) -> None:
        await store.client.set(store.keys.conversation(KEY), raw)
        loaded = await store.load(KEY, "e1")
        assert loaded.data == {} and not loaded.duplicate
        # the core starts over: its save at the loaded version replaces the unreadable value
        outcome = await store.save(KEY, expected_version=loaded.version, data={"fresh": True}, event_id="e1")
        assert outcome is SaveOutcome.SAVED
        assert await store.load(KEY, None) == Loaded(loaded.version + 1, {"fresh": True}, False)

    async def test_old_schema_keeps_its_version(self, store: RedisStore) -> None:
        await store.client.set(store.keys.conversation(KEY), b'{"schema":0,"version":4,"data":{"a":1}}')
        assert await store.load(KEY, None) == Loaded(version=4, data={}, duplicate=False)
        assert await store.save(KEY, expected_version=0, data={}, event_id=None) is SaveOutcome.CONFLICT

    async def test_keys_share_one_slot(self, store: RedisStore, backend: str) -> None:
        conv = store.keys.conversation(KEY)
        evts = [store.keys.event(KEY, e) for e in ("e1", "Ev0{x}:y", "1712345678.000100-U03")]
        assert {key_slot(k.encode()) for k in [conv, *evts]} == {key_slot(conv.encode())}
        if backend == "cluster":
            slots = {await store.client.cluster_keyslot(k) for k in [conv, *evts]}
            assert slots == {key_slot(conv.encode())}
        await store.save(KEY, expected_version=0, data={}, event_id="Ev0{x}:y")  # would raise CROSSSLOT

    async def test_typical_state_is_small(self, store: RedisStore) -> None:
        await store.save(KEY, expected_version=0, data=typical_state(), event_id="e1")
        size = await store.client.strlen(store.keys.conversation(KEY))
        assert size < 1024, size

    async def test_scripts_run_by_evalsha_with_noscript_fallback(self, store: RedisStore) -> None:
        shas = [store._load.sha, store._save.sha]
        assert await store.client.script_exists(*shas) == [True, True]
        await store.client.script_flush()
        assert await store.save(KEY, expected_version=0, data={"a": 1}, event_id="e1") is SaveOutcome.SAVED
        assert (await store.load(KEY, "e1")).duplicate
        assert await store.client.script_exists(*shas) == [True, True]

    async def test_non_json_data_is_rejected_before_any_write(self, store: RedisStore) -> None:
        with pytest.raises(TypeError):
            await store.save(KEY, expected_version=0, data={"x": object()}, event_id="e1")
        with pytest.raises(ValueError):
            await store.save(KEY, expected_version=0, data={"x": float("nan")}, event_id="e1")
        assert await store.load(KEY, "e1") == Loaded(version=0, data=None, duplicate=False)

    async def test_ping(self, store: RedisStore) -> None:
        await store.ping()


class TestKeys:
    def test_layout_and_prefix(self) -> None:
        keys = KeySpace("app")
        conv, evt = keys.conversation(KEY), keys.event(KEY, "e1")
        assert conv.startswith("app:conv:{") and conv.endswith("}")
        tag = conv[len("app:conv:") :]
        assert evt.startswith(f"app:evt:{tag}:")
        assert KeySpace().conversation(KEY).startswith("ftadvisor:conv:{")

    def test_separators_in_ids_cannot_collide(self) -> None:
        keys = KeySpace()
        variants = [
            ConversationKey("slack", "a:b", "c", "", "u"),
            ConversationKey("slack", "a", "b:c", "", "u"),
            ConversationKey("slack", "a{", "}c", "", "u"),
            ConversationKey("slack", "a", "{}c", "", "u"),
            ConversationKey("slack", "a", "c", "", "u"),
            ConversationKey("teams", "a", "c", "", "u"),
        ]
        convs = [keys.conversation(k) for k in variants]
        assert len(set(convs)) == len(convs)
        for k, conv in zip(variants, convs):
            assert conv.count("{") == 1 and conv.count("}") == 1
            assert key_slot(keys.event(k, "{weird}:id").encode()) == key_slot(conv.encode())
        assert keys.event(KEY, "a:b") != keys.event(KEY, "a_b")

    @pytest.mark.parametrize("prefix", ["", "a{b", "x}", " pad"])
    def test_bad_prefix(self, prefix: str) -> None:
        with pytest.raises(ValueError):
            KeySpace(prefix)

    def test_scan_pattern_escapes_globs(self) -> None:
        assert KeySpace("a*b").pattern() == "a\\*b:*"


class TestConnect:
    def test_defaults(self) -> None:
        s = StoreSettings.from_env({})
        assert s == StoreSettings()
        assert (s.url, s.cluster, s.prefix, s.timeout_s) == (None, False, "ftadvisor", 2.0)
        assert (s.conversation_ttl_s, s.event_ttl_s) == (604800, 86400)

    def test_env_names(self) -> None:
        s = StoreSettings.from_env({
            "REDIS_URL": "rediss://u:pw@h:6380/0", "REDIS_CLUSTER": "1", "REDIS_PREFIX": "bot",
            "REDIS_TIMEOUT_S": "0.5", "CONVERSATION_TTL_S": "3600", "EVENT_TTL_S": "60",
        })
        assert (s.url, s.cluster, s.prefix, s.timeout_s) == ("rediss://u:pw@h:6380/0", True, "bot", 0.5)
        assert (s.conversation_ttl_s, s.event_ttl_s) == (3600, 60)

    @pytest.mark.parametrize(
        "env",
        [
            {"REDIS_URL": "http://h"},
            {"REDIS_URL": "unix:///tmp/r.sock", "REDIS_CLUSTER": "1"},
            {"REDIS_CLUSTER": "maybe"},
            {"REDIS_TIMEOUT_S": "0"},
            {"CONVERSATION_TTL_S": "-1"},
            {"EVENT_TTL_S": "soon"},
            {"REDIS_PREFIX": "a{b}"},
        ],
    )
    def test_bad_env(self, env: dict[str, str]) -> None:
        with pytest.raises(ConfigurationError):
            StoreSettings.from_env(env)

    def test_redact_url(self) -> None:
        assert redact_url("redis://user:s3cret@h:6379/0") == "redis://user:***@h:6379/0"
        assert redact_url("rediss://:s3cret@h") == "rediss://:***@h"
        assert "s3cret" not in redact_url("unix:///run/r.sock?db=0&password=s3cret")
        assert redact_url("redis://h:6379") == "redis://h:6379"

    async def test_embedded_when_url_unset_warns(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.WARNING, logger="store.connect"):
            store = store_from_env({})
        try:
            assert store.backend == "embedded"
            assert "per-process" in caplog.text
            await store.prepare()
            assert await store.save(KEY, expected_version=0, data={}, event_id="e") is SaveOutcome.SAVED
        finally:
            await store.close()

    async def test_url_schemes_and_no_password_in_logs(self, caplog: pytest.LogCaptureFixture) -> None:
        with caplog.at_level(logging.INFO, logger="store.connect"):
            tls = store_from_env({"REDIS_URL": "rediss://app:s3cret@cache.example:6380/0"})
            unix = store_from_env({"REDIS_URL": "unix:///tmp/none.sock?db=0"})
            cluster = store_from_env({"REDIS_URL": "redis://127.0.0.1:1", "REDIS_CLUSTER": "1",
                                      "REDIS_TIMEOUT_S": "0.7"})
        try:
            assert "s3cret" not in caplog.text and "cache.example" in caplog.text
            assert tls.client.connection_pool.connection_class is SSLConnection
            assert unix.client.connection_pool.connection_class is UnixDomainSocketConnection
            kwargs = tls.client.connection_pool.connection_kwargs
            assert kwargs["socket_timeout"] == 2.0 and kwargs["socket_connect_timeout"] == 2.0
            assert kwargs["health_check_interval"] > 0 and kwargs["retry"].get_retries() >= 2
            assert cluster.backend == "cluster" and type(cluster.client).__name__ == "RedisCluster"
        finally:
            for s in (tls, unix, cluster):
                await s.close()

    async def test_env_settings_reach_a_real_redis(self, redis_url: str, redis_prefix: str) -> None:
        store = store_from_env({"REDIS_URL": redis_url, "REDIS_PREFIX": redis_prefix, "EVENT_TTL_S": "90"})
        try:
            await store.ping()
            assert await store.save(KEY, expected_version=0, data={}, event_id="e") is SaveOutcome.SAVED
            assert 80_000 < await store.client.pttl(store.keys.event(KEY, "e")) <= 90_000
        finally:
            await store.close()
