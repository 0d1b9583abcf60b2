"""alliage.core.rediscache: Django's Redis cache reusing one Redis client per pool."""

import socket
import uuid

import pytest
from django.core.cache import caches


def _redis_available():
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        return True
    except OSError:
        return False


@pytest.fixture
def redis_cache(settings):
    if not _redis_available():
        pytest.skip("no Redis server on 127.0.0.1:6379")
    settings.CACHES = {"default": {
        "BACKEND": "alliage.core.rediscache.ReusedClientRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0", "KEY_PREFIX": f"alliage-test-{uuid.uuid4().hex}"}}
    cache = caches["default"]
    yield cache
    cache.delete_many([f"k{i}" for i in range(3)] + ["n"])


def test_every_call_uses_the_same_redis_client(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b") is client
    assert redis_cache._cache.get_client("c", write=True) is client  # one server: one pool


def test_it_answers_like_djangos_redis_cache(redis_cache):
    redis_cache.set("k0", {"x": 1}, 30)
    assert redis_cache.add("k0", "other", 30) is False
    assert redis_cache.add("k1", [1, 2], 30) is True
    assert redis_cache.get_many(["k0", "k1", "k2"]) == {"k0": {"x": 1}, "k1": [1, 2]}
    redis_cache.set("n", 1, 30)
    assert redis_cache.incr("n") == 2
    redis_cache.delete("k0")
    assert redis_cache.get("k0", "gone") == "gone"
