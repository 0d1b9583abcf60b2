"""Django's Redis cache, with one Redis client per server kept for the process.

Django 5.2's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` object for every
cache call; its constructor copies redis-py's table of ~170 response callbacks into a
case-insensitive dict, which cost more CPU than the round trip itself (about 0.7 ms per call
measured under cProfile; a logged-in page makes several calls). A ``redis.Redis`` is
thread-safe (each command borrows a connection from the shared pool), so one per pool
serves every call. Same pools, same serializer, same behaviour otherwise.
Tests: ``tests/core/test_rediscache.py``.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class ReusedClient(RedisCacheClient):
    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        client = clients.get(id(pool))
        if client is None:
            client = clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ReusedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusedClient
