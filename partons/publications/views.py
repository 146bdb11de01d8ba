"""Pages of the media library: the list (search and filters), a page per publication, and its file served by the
app. Views parse input, call one selector, render."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from partons.core.files import file_response

from . import selectors
from .forms import FilterForm

PAGE_SIZE = 20


@require_safe
def publication_list(request):
    form = FilterForm(request.GET or None, years=selectors.years())
    form.is_valid()  # values that are not among the choices are dropped
    filters = form.filters()
    page = Paginator(selectors.public_publications(**filters), PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "publications/list.html", {
        "form": form, "filters": filters, "page": page, "querystring": params.urlencode(),
        "filtered": any(filters.values()), "can_add": request.user.has_perm("publications.add_publication"),
    })


def _visible_or_404(request, slug):
    pub = selectors.publication_for(slug, viewer=request.user)
    if pub is None:
        raise Http404
    return pub


@require_safe
def publication_detail(request, slug):
    return render(request, "publications/detail.html", {
        "pub": _visible_or_404(request, slug), "can_change": request.user.has_perm("publications.change_publication"),
    })


@require_safe
def publication_file(request, slug):
    """The publication's file, under its original name, as the content type it was checked to be. Unpublished ones
    only for coordinators."""
    pub = _visible_or_404(request, slug)
    return file_response(pub.file, download_as=pub.file_name or pub.file.name.rsplit("/", 1)[-1],
                         content_type=pub.file_type or "application/octet-stream",
                         cache="no-cache" if pub.published else "private, no-store")  # unpublished or replaced: gone at once
