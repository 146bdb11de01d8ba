"""What is built once per change of its data and kept in the shared cache (Redis in production), so that every worker
serves it until the data it comes from changes (see `partons.core.versions`): API answers (map answers, exports,
compressed once), parts of pages, counts and other derived values. Under load a repeated question costs a cache read,
not queries, a serialization or a template."""
import gzip
import hashlib
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.cache import patch_vary_headers

T = TypeVar("T")

UNVERSIONED_S = 600  # answers without a data version are built again after this
VERSIONED_S = 24 * 3600  # a version that no longer changes is left to expire (an old one is never asked again)
ACCEPTS_GZIP = re.compile(r"\bgzip\b")


def cached_value(name: str, build: Callable[[], T], *, version: str, timeout: int = VERSIONED_S) -> T:
    """`build()`'s value (anything the cache can pickle), kept under `name` until `version` changes."""
    key = f"value:{version}:{hashlib.sha256(name.encode()).hexdigest()[:32]}"
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def cached_sections(request, name: str, *, version: str, templates: dict[str, str], context) -> dict[str, str]:
    """Parts of a page rendered once per change of their data: {part: HTML} of each template of `templates`
    rendered with `context()` (called only when the parts are built), kept per address (with its query), language
    and signed-in or not. The parts must hold nothing personal (no form token, no name): only what any visitor in
    that language sees."""
    what = f"sections:{name}|{request.get_full_path()}|{translation.get_language()}|{request.user.is_authenticated}"

    def build() -> dict[str, str]:
        values = context()
        return {part: render_to_string(template, values, request) for part, template in templates.items()}

    return {part: mark_safe(html) for part, html in cached_value(what, build, version=version).items()}  # noqa: S308


def cached_count(qs, *, version: str) -> int:
    """The number of rows of `qs` (its SQL is the key): COUNT(*) over a large table once per change of the data."""
    sql, params = qs.query.sql_with_params()
    return cached_value(f"count:{qs.db}:{sql}:{params!r}", qs.count, version=version)


class CachedCountPaginator(Paginator):
    """A paginator whose total is counted once per change of the data (`version`)."""

    def __init__(self, object_list, per_page, *, version: str, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.version = version

    @cached_property
    def count(self):
        return cached_count(self.object_list, version=self.version)


def public_page(version):
    """Decorate a page view whose page is the same for every anonymous visitor: it is kept whole per host, address
    (with its query) and language until `version()` changes. Signed-in visitors, visitors with a session or a message
    waiting, and anything but GET/HEAD get the view itself; a page that sets a cookie (a form token, say) is never
    kept. What the middleware adds (security headers, compression, ETag) is added to kept pages as to fresh ones."""
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if (request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES
                    or request.user.is_authenticated or len(getattr(request, "_messages", ()))):
                return view(request, *args, **kwargs)
            what = f"page:{request.get_host()}|{request.get_full_path()}|{translation.get_language()}"
            key = f"page:{version()}:{hashlib.sha256(what.encode()).hexdigest()[:32]}"
            stored = cache.get(key)
            if stored is not None:
                content, content_type = stored
                response = HttpResponse(content, content_type=content_type)
            else:
                response = view(request, *args, **kwargs)
                if response.status_code != 200 or response.streaming or response.cookies:
                    return response
                cache.set(key, (response.content, response["Content-Type"]), VERSIONED_S)
            patch_vary_headers(response, ["Cookie"])
            return response
        return wrapped
    return decorator


def cached_response(request, build, *, content_type: str, version: str = "", filename: str = "") -> HttpResponse:
    """`build()` gives the answer's bytes. With a `version` (it changes whenever the data does) the answer is kept
    until the data changes, else for UNVERSIONED_S. The key is the address with its host and query and the language the answer
    is written in (the `lang` parameter, else the visitor's). Clients that accept gzip get the stored compressed bytes
    as they are; with a `filename` the answer is a download."""
    lang = translation.get_language_from_request(request, check_path=False)
    what = f"{request.get_host()}|{request.get_full_path()}|{lang}"  # the host: answers may link to themselves
    key = f"answer:{version}:{hashlib.sha256(what.encode()).hexdigest()[:32]}"
    packed = cache.get(key)
    if packed is None:
        packed = gzip.compress(build(), compresslevel=6, mtime=0)
        cache.set(key, packed, VERSIONED_S if version else UNVERSIONED_S)
    compressed = bool(ACCEPTS_GZIP.search(request.headers.get("Accept-Encoding", "")))
    response = HttpResponse(packed if compressed else gzip.decompress(packed), content_type=content_type)
    if compressed:
        response["Content-Encoding"] = "gzip"
    patch_vary_headers(response, ["Accept-Encoding", "Accept-Language"])
    if version:  # the same data, the same bytes: no need to hash megabytes for the ETag
        response["ETag"] = f'"{hashlib.sha256(f"{key}:{compressed}".encode()).hexdigest()[:32]}"'
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def cached_json(request, build, *, version: str, content_type: str = "application/json") -> HttpResponse:
    """`cached_response` for an answer that `build()` gives as a dict (dates and decimals as Django writes them)."""
    return cached_response(request, lambda: json.dumps(build(), cls=DjangoJSONEncoder, ensure_ascii=False,
                                                       separators=(",", ":")).encode("utf-8"),
                           content_type=content_type, version=version)
