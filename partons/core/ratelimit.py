"""A small fixed-window rate limit, kept in the cache (Redis in production, so every process shares it).

`hit` guards public writes; the API's throttling (partons.api.throttling) counts with `count` too."""
import re
import time

from django.core.cache import cache
from django.core.exceptions import PermissionDenied


class RateLimited(PermissionDenied):
    pass


def count(key: str, *, window_s: int) -> int:
    """Count one action under `key` in the current window of `window_s` seconds; return the count so far."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, timeout=window_s):
        return 1
    try:
        return cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window_s)
        return 1


def hit(key: str, *, limit: int, window_s: int) -> None:
    """Count one action under `key`; raise RateLimited past `limit` actions in `window_s` seconds."""
    if count(key, window_s=window_s) > limit:
        raise RateLimited(key)


PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}
RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(" + "|".join(sorted(PERIODS, key=len, reverse=True)) + r")?\s*$")


def parse_rate(rate: str) -> tuple[int, int]:
    """"600/5m" → (600, 300): requests per period — a number of seconds, or s/sec, m/min, h/hour, d/day with an
    optional multiplier (django-ninja's and DRF's notation). ValueError naming the rate otherwise."""
    match = RATE.match(rate or "")
    if not match or not (match.group(2) or match.group(3)):
        raise ValueError(f"{rate!r} is not a rate: write requests/period, e.g. 600/5m, 30/min or 1000/hour")
    number, multiplier, unit = match.groups()
    return int(number), int(multiplier or 1) * PERIODS[unit or "s"]


def count_in_window(key: str, *, window_s: int) -> tuple[int, int]:
    """Count one action under `key` in the current window (windows start at multiples of `window_s` since the
    epoch, so every process agrees on them); return the count so far and the seconds left in the window."""
    now = time.time()
    return count(f"{key}:{int(now // window_s)}", window_s=window_s), max(1, int(window_s - now % window_s))
