"""HTTP behaviour shared by every page and API answer: request size cap, cache headers of the public API."""
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext as _


def _is_api(request) -> bool:
    return request.path_info.startswith("/api/")


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than MAX_REQUEST_BYTES with 413, before anything reads it.

    The WSGI server hands Django a stream bounded by Content-Length, so checking the declared length is enough: a
    200 MB upload is answered at once, and nothing of it reaches the app (the server discards the rest)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.MAX_REQUEST_BYTES
        if length > limit:
            message = _("What you sent is too large (more than %(size)s). Send smaller files, or fewer at once.") % {
                "size": filesizeformat(limit)}
            if _is_api(request):
                response = JsonResponse({"detail": message}, status=413)
            else:
                response = render(request, "413.html", {"message": message}, status=413)
            return response
        return self.get_response(request)


class ApiCacheMiddleware:
    """Cache headers on the public API's GET answers: browsers keep them API_CACHE_SECONDS and then revalidate with
    the ETag that ConditionalGetMiddleware adds (a 304 carries no body). Answers for a signed-in person stay private.
    Operations that set their own Cache-Control keep it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (_is_api(request) and request.method in ("GET", "HEAD") and response.status_code == 200
                and not response.has_header("Cache-Control")):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
            patch_vary_headers(response, ["Accept-Language"])
        return response


def needs_second_factor(user) -> bool:
    """Accounts that must use a second factor and have not set one up yet: every role that sees personal data or
    decides (MFA_REQUIRED_ROLES) and admin access, unless MFA_REQUIRED is off or the account is exempted (demo)."""
    from allauth.mfa.models import Authenticator

    from .roles import roles_of

    if not settings.MFA_REQUIRED or not getattr(user, "is_authenticated", False):
        return False
    if user.email in settings.MFA_EXEMPT_EMAILS:
        return False
    required = (user.is_staff or user.is_superuser
                or any(r.value in settings.MFA_REQUIRED_ROLES for r in roles_of(user)))  # one query for the roles
    return required and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireSecondFactorMiddleware:
    """Send an account that must use a second factor (see `needs_second_factor`) to the page that sets one up, from
    every page but that one, signing out, static files and the health check; the API answers 403 with the reason."""

    ALLOWED_URL_NAMES = {"mfa_activate_totp", "mfa_index", "mfa_view_recovery_codes", "mfa_download_recovery_codes",
                         "mfa_generate_recovery_codes", "mfa_authenticate", "mfa_reauthenticate", "account_login",
                         "account_logout", "account_reauthenticate", "account_email", "account_confirm_email",
                         "healthz"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        from django.shortcuts import redirect

        match = request.resolver_match
        if match is None or match.url_name in self.ALLOWED_URL_NAMES or not needs_second_factor(request.user):
            return None
        message = _("Your role gives you access to personal data: set up a second factor (an authenticator app) "
                    "before you go on.")
        if _is_api(request):
            return JsonResponse({"detail": message}, status=403)
        from django.contrib import messages

        messages.warning(request, message)
        return redirect("mfa_activate_totp")
