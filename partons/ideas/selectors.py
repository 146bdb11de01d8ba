"""Reading ideas: public filters (all in SQL, paginated), statistics, what a moderator sees."""
from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from partons.core.geo import placed_in_bbox
from partons.core.text import fold
from partons.core.versions import latest_change, reference_version

from .models import Comment, Flag, Idea
from .permissions import is_team

SORTS = {"newest": ("-created_at", "-pk"), "supported": ("-supports_count", "-created_at", "-pk"),
         "discussed": ("-comments_count", "-created_at", "-pk")}


def data_version() -> str:
    """Changes whenever an idea is added or changes in any way the public sees (every write of the services moves
    its `updated_at`, supports, comments and moderation included), or a place is renamed: the idea map answers and
    exports are kept under it. Read from two indexes."""
    return f"{latest_change(Idea)}-{reference_version()}"


def public_ideas(*, village=None, municipality=None, theme=None, status=None, language=None, country=None, q=None,
                 bbox=None, sort: str = "newest") -> QuerySet[Idea]:
    qs = Idea.objects.visible().select_related("village__municipality__country").defer(
        "village__municipality__boundary")
    if village is not None:
        qs = qs.filter(village=village)
    if municipality is not None:
        qs = qs.filter(village__municipality=municipality)
    if theme:
        qs = qs.filter(theme=theme)
    if status:
        qs = qs.filter(status=status)
    if language:
        qs = qs.filter(language=language)
    if country:
        qs = qs.filter(village__municipality__country__code=country)
    if q:
        for word in fold(q).split()[:8]:
            qs = qs.filter(search_text__contains=word)
    if bbox is not None:
        qs = qs.filter(placed_in_bbox(bbox))
    return qs.order_by(*SORTS.get(sort, SORTS["newest"]))


def visible_comments(idea: Idea, *, viewer=None) -> list[Comment]:
    """Comments in threads; hidden ones only for their author and the team (with the reason)."""

    qs = idea.comments.select_related("author").order_by("created_at", "pk")
    team = viewer is not None and is_team(viewer)
    out = []
    for c in qs:
        if c.hidden and not team and not (viewer is not None and viewer.is_authenticated and c.author_id == viewer.pk):
            continue
        out.append(c)
    return out


def stats(*, qs: QuerySet[Idea] | None = None) -> dict:
    qs = Idea.objects.visible() if qs is None else qs
    by_theme = list(qs.values("theme").annotate(n=Count("id"), supports=Sum("supports_count"))  # type: ignore[no-redef]
                    .order_by("-n"))
    by_village = list(qs.filter(village__isnull=False).values("village__slug", "village__name_nl", "village__name_fr",
                                                              "village__municipality__country__code")
                      .annotate(n=Count("id")).order_by("-n", "village__slug")[:200])
    by_status = list(qs.values("status").annotate(n=Count("id")).order_by("status"))
    by_source = list(qs.values("source").annotate(n=Count("id")).order_by("source"))
    return {"total": qs.count(), "by_theme": by_theme, "by_village": by_village, "by_status": by_status,
            "by_source": by_source}


def moderation_queue() -> QuerySet[Flag]:
    return Flag.objects.filter(handled_at__isnull=True).select_related("idea", "comment__idea", "by").order_by("-created_at")
