"""allauth, adapted: the client's address comes from the one place every rate limit reads it."""
from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied

from .clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    def get_client_ip(self, request) -> str:
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
