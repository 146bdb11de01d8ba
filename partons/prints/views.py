"""Thin views: read the address, build the print once per change of its data (kept in the shared cache), answer it
as a download. A bad filter is a 400 that names it."""
import datetime

from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils import translation
from django.views.decorators.http import require_GET

from partons.core.cached import cached_response
from partons.territory import selectors as territory

from . import dossier, drawing, maps, selectors

CONTENT_TYPES = {"png": "image/png", "pdf": "application/pdf"}


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
    return cached_response(request, build, content_type=CONTENT_TYPES[fmt], version=selectors.data_version(kind),
                           filename=_filename(kind, lang, opts.size, ext=fmt))


@require_GET
def village_dossier(request, slug: str):
    village = territory.village_by_slug(slug)
    if village.merged_into_id:
        return redirect("prints:village", slug=village.merged_into.slug)
    lang = (translation.get_language() or "nl")[:2]
    return cached_response(request, lambda: dossier.build(village=village), content_type="application/pdf",
                           version=selectors.dossier_version(), filename=_filename("dossier", slug, lang, ext="pdf"))


@require_GET
def municipality_dossier(request, key: str):
    muni = territory.municipality_by_key(key)
    lang = (translation.get_language() or "nl")[:2]
    return cached_response(request, lambda: dossier.build(municipality=muni), content_type="application/pdf",
                           version=selectors.dossier_version(), filename=_filename("dossier", muni.key, lang, ext="pdf"))
