"""Django's Redis cache backend, with one Redis client per connection pool.

Django's own client builds a new ``redis.Redis`` object (and its table of
response callbacks) for every cache call; a cached public page makes one such
call per request, and building the object cost about as much as the call
itself. A ``redis.Redis`` is safe to share between threads: each command takes
a connection from the pool and gives it back.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class SharedClientRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
