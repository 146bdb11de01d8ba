"""Throttling of the public API, per client: anonymous clients by address (read as every rate limit reads it),
signed-in ones by account. Answers 429 with Retry-After (django-ninja). Rates: settings.API_THROTTLE_RATES."""
import threading

from django.conf import settings
from ninja.throttling import BaseThrottle

from partons.core.clientip import client_ip
from partons.core.ratelimit import count_in_window, parse_rate


class ClientThrottle(BaseThrottle):
    """`scope` "api": every operation (the anonymous or the account rate); "export": costly exports, on top."""

    def __init__(self, scope: str = "api"):
        self.scope = scope
        self._local = threading.local()  # one instance serves every thread of a worker

    def _rate_and_ident(self, request) -> tuple[str, str]:
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        ident = f"user:{user.pk}" if signed_in else f"ip:{client_ip(request)}"
        if self.scope == "api":
            return settings.API_THROTTLE_RATES["account" if signed_in else "anonymous"], ident
        return settings.API_THROTTLE_RATES[self.scope], ident

    def allow_request(self, request) -> bool:
        rate, ident = self._rate_and_ident(request)
        limit, window = parse_rate(rate)
        used, left = count_in_window(f"api:{self.scope}:{ident}", window_s=window)
        self._local.wait = left
        return used <= limit

    def wait(self):
        return getattr(self._local, "wait", None)


API_THROTTLE = [ClientThrottle("api")]
EXPORT_THROTTLE = [ClientThrottle("api"), ClientThrottle("export")]
