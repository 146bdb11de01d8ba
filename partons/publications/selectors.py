"""Reading the media library: the public list (every filter in SQL, newest first), one publication as a viewer may
see it, the years there is something for."""
from __future__ import annotations

import datetime

from django.db.models import QuerySet

from partons.core.roles import Role, has_role
from partons.core.text import fold

from .models import READABLE_IN, Publication

MAX_WORDS = 8


def public_publications(*, q: str | None = None, kind: str | None = None, theme: str | None = None,
                        language: str | None = None, year: int | None = None) -> QuerySet[Publication]:
    """Published publications, newest first. `q`: every word must appear in a title, summary or the author
    organisation, accents and case aside. `language`: what a reader of that language can read (a bilingual document
    counts for Dutch and for French)."""
    qs = Publication.objects.published()
    if kind:
        qs = qs.filter(kind=kind)
    if theme:
        qs = qs.filter(theme=theme)
    if language:
        qs = qs.filter(language__in=READABLE_IN.get(language, (language,)))
    if year:
        # A range on the date (not __year) so the index on published_on serves it on every database.
        qs = qs.filter(published_on__gte=datetime.date(year, 1, 1), published_on__lt=datetime.date(year + 1, 1, 1))
    if q:
        for word in fold(q).split()[:MAX_WORDS]:
            qs = qs.filter(search_text__contains=word)
    return qs.order_by("-published_on", "-pk")


def can_see_unpublished(user) -> bool:
    return has_role(user, Role.COORDINATOR)


def publication_for(slug: str, *, viewer) -> Publication | None:
    """The publication at `slug` if the viewer may see it: published ones for everyone, the others for coordinators."""
    pub = Publication.objects.filter(slug=slug).first()
    if pub is None or (not pub.published and not can_see_unpublished(viewer)):
        return None
    return pub


def years() -> list[int]:
    """The years of the published publications, newest first (for the year filter)."""
    return [d.year for d in Publication.objects.published().dates("published_on", "year", order="DESC")]
