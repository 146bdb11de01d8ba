"""The client's address, read the same way by every rate limit (ours, allauth's and the API's throttling).

TRUSTED_PROXY_COUNT says how many reverse proxies stand in front of the app, each appending the address it received
the request from to X-Forwarded-For. With none (the default) the header is ignored: anyone can send it."""
import ipaddress

from django.conf import settings


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = settings.TRUSTED_PROXY_COUNT
    if count <= 0:
        return remote
    hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    if len(hops) < count:  # our proxies did not all add their entry: nothing in the header can be trusted
        return remote
    candidate = hops[-count]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
