"""The media library in the public API: published publications only, with both titles and summaries, the file's
address, size and type, the link, the licence and whether the record is synthetic demo data."""
from __future__ import annotations

from typing import Literal

from django.utils import translation
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from partons.publications import selectors
from partons.publications.models import Kind, Language, Publication, Theme
from .schemas import PublicationOut, PublicationPage
from .params import paging

router = Router(tags=["publications"])
MAX_LIMIT = 200


class PublicationFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Words in the titles, summaries or author organisation "
                                                            "(accents and case do not matter; every word must appear)")
    kind: Literal[tuple(Kind.values)] | None = None  # type: ignore[valid-type]
    theme: Literal[tuple(Theme.values)] | None = None  # type: ignore[valid-type]
    language: Literal[tuple(Language.values)] | None = Field(
        None, description="Language of the document; `nl` and `fr` include bilingual documents")
    year: int | None = Field(None, ge=1900, le=2200, description="Year of publication")
    lang: Literal["nl", "fr", "en"] | None = Field(None, description="Language of the labels (kind, theme) and of "
                                                                     "`title` and `summary`")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000_000)


def _lang(request, lang):
    return lang or translation.get_language_from_request(request, check_path=False)


def _labels() -> dict:
    return {"kind": {k: str(v) for k, v in Kind.choices}, "theme": {k: str(v) for k, v in Theme.choices},
            "language": {k: str(v) for k, v in Language.choices}}


def _row(request, p: Publication, labels: dict) -> dict:
    return {
        "slug": p.slug, "kind": p.kind, "kind_name": labels["kind"].get(p.kind, p.kind),
        "title": p.title, "title_nl": p.title_nl, "title_fr": p.title_fr,
        "summary": p.summary, "summary_nl": p.summary_nl, "summary_fr": p.summary_fr,
        "summary_by_platform": p.summary_by_platform,
        "theme": p.theme, "theme_name": labels["theme"].get(p.theme, p.theme),
        "published_on": p.published_on.isoformat(), "date_precision": p.date_precision,
        "language": p.language, "language_name": labels["language"].get(p.language, p.language),
        "author_organisation": p.author_organisation, "licence": p.licence,
        "file": {"url": request.build_absolute_uri(p.get_file_url()), "name": p.file_name, "size_bytes": p.file_size,
                 "content_type": p.file_type} if p.file else None,
        "link": p.url or None,
        "synthetic": p.synthetic,
        "url": request.build_absolute_uri(p.get_absolute_url()),
    }


@router.get("/publications", response=PublicationPage,
            summary="Published publications, newest first, filtered like the media library's page; paginated "
                    "(limit/offset, `next`)")
def list_publications(request, filters: Query[PublicationFilters]):
    qs = selectors.public_publications(q=filters.q, kind=filters.kind, theme=filters.theme, language=filters.language,
                                       year=filters.year)
    total = qs.count()
    with translation.override(_lang(request, filters.lang)):
        labels = _labels()
        items = [_row(request, p, labels) for p in qs[filters.offset:filters.offset + filters.limit]]
    return {**paging(request, total=total, returned=len(items), offset=filters.offset, limit=filters.limit), "items": items}


@router.get("/publications/{slug}", response=PublicationOut,
            summary="One published publication")
def get_publication(request, slug: str, lang: Literal["nl", "fr", "en"] | None = None):
    p = Publication.objects.published().filter(slug=slug).first()
    if p is None:
        raise HttpError(404, f"publication: no published publication {slug!r}")
    with translation.override(_lang(request, lang)):
        return _row(request, p, _labels())
