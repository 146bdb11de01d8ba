"""A small fixed-window rate limit on public writes, kept in the cache (Redis in production)."""
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


class RateLimited(PermissionDenied):
    pass


def hit(key: str, *, limit: int, window_s: int) -> None:
    """Count one action under `key`; raise RateLimited past `limit` actions in `window_s` seconds."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_s):
        return
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_s)
        return
    if count > limit:
        raise RateLimited(key)
