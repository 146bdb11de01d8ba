"""`{% print_links "services" %}`: the addresses of a map's prints (PNG A4, PDF A4, PDF A3) carrying the page's
current filters, for `prints/_export.html`."""
from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()

# The filters of each map that its print understands (the rest of the address — page, sort — is left out).
FILTERS = {
    "services": ("categories", "category", "year"),
    "access": ("category", "mode", "indicator", "since"),
    "ideas": ("theme", "status", "country", "language", "village", "municipality", "q"),
    "portfolio": (),
    "agenda": ("type", "month", "village", "past"),
}


@register.simple_tag(takes_context=True)
def print_links(context, kind: str) -> dict:
    request = context.get("request")
    params = []
    if request is not None:
        for name in FILTERS[kind]:
            params += [(name, v) for v in request.GET.getlist(name) if v]
    url = reverse("prints:map", kwargs={"kind": kind, "fmt": "png"})[:-len(".png")]

    def link(fmt: str, size: str) -> str:
        query = urlencode([*params, ("size", size)])
        return f"{url}.{fmt}?{query}"

    return {"png_a4": link("png", "a4"), "pdf_a4": link("pdf", "a4"), "pdf_a3": link("pdf", "a3"),
            "filters": " ".join(FILTERS[kind])}


@register.simple_tag
def export_script() -> str:
    """The script that keeps the links in step with filters changed on the map without a reload. The links work
    without it (with the filters the page was opened with): a server whose static files were collected before this
    file existed leaves it out rather than failing the page."""
    from django.templatetags.static import static
    from django.utils.html import format_html

    try:
        url = static("prints/js/export.js")
    except ValueError:
        return ""
    return format_html('<script src="{}" defer></script>', url)
