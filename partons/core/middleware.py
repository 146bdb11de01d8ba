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
