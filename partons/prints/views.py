"""Thin views: read the address, build the print once per change of its data (kept in the shared cache), answer it
as a download. A bad filter is a 400 that names it."""
import datetime

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from partons.core.cached import cached_response
from partons.core.clientip import client_ip
from partons.core.ratelimit import RateLimited, hit
from partons.territory import selectors as territory

from . import dossier, drawing, maps, selectors

CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf"}
# Drawing a print takes seconds of a worker: a visitor's address may have this many drawn (not served from the cache)
# per window, so that asking for every filter at once cannot keep the web workers busy.
RENDERS_PER_WINDOW = 30
WINDOW_S = 300


def _answer(request, build, **kwargs):
    """The print from the cache, or drawn now (counted against the visitor's address); 429 past the limit."""
    def counted() -> bytes:
        hit(f"prints:render:{client_ip(request)}", limit=RENDERS_PER_WINDOW, window_s=WINDOW_S)
        return build()

    try:
        return cached_response(request, counted, **kwargs)
    except RateLimited:
        response = HttpResponse(_("Many prints were drawn for you in a short time. Please wait a few minutes."),
                                content_type="text/plain; charset=utf-8", status=429)
        response["Retry-After"] = str(WINDOW_S)
        return response


def _filename(*parts: str, ext: str) -> str:
    return "-".join(["partons", *parts, datetime.date.today().isoformat()]) + f".{ext}"


@require_GET
def map_print(request, kind: str, fmt: str):
    if kind not in maps.KINDS or fmt not in maps.FORMATS:
        raise Http404
    try:
        opts = maps.parse(kind, request.GET)
    except maps.BadParameter as exc:
        return HttpResponseBadRequest(f"{exc.param}: {exc}", content_type="text/plain; charset=utf-8")

    def build() -> bytes:
        return drawing.render(maps.content(kind, opts), size=opts.size, orientation=opts.orientation, fmt=fmt)

    lang = (translation.get_language() or "nl")[:2]
    return _answer(request, build, content_type=CONTENT_TYPES[fmt], version=selectors.data_version(kind),
                   filename=_filename(kind, lang, opts.size, ext=fmt))


@require_GET
def village_dossier(request, slug: str):
    village = territory.village_by_slug(slug)
    if village.merged_into_id:
        return redirect("prints:village", slug=village.merged_into.slug)
    lang = (translation.get_language() or "nl")[:2]
    return _answer(request, lambda: dossier.build(village=village), content_type="application/pdf",
                   version=selectors.dossier_version(), filename=_filename("dossier", slug, lang, ext="pdf"))


@require_GET
def municipality_dossier(request, key: str):
    muni = territory.municipality_by_key(key)
    lang = (translation.get_language() or "nl")[:2]
    return _answer(request, lambda: dossier.build(municipality=muni), content_type="application/pdf",
                   version=selectors.dossier_version(), filename=_filename("dossier", muni.key, lang, ext="pdf"))
