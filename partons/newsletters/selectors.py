"""Reads of the newsletter: who an issue reaches, how its sending goes, the archive, what an issue links to."""
from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from .models import Delivery, Issue, Subscription


def audience(issue: Issue) -> QuerySet[Subscription]:
    """The confirmed subscribers an issue reaches: in one of its languages; interested in one of its themes (or in
    every theme); following one of its places — a village of a chosen municipality or the municipality of a chosen
    village counts — or the whole region. An issue without themes or places is for everyone."""
    qs = Subscription.objects.filter(status=Subscription.Status.CONFIRMED, language__in=issue.language_codes())
    if issue.themes:
        any_theme = Q(themes=[])
        for theme in issue.themes:
            any_theme |= Q(themes__contains=[theme]) if _json_contains() else Q(themes__icontains=f'"{theme}"')
        qs = qs.filter(any_theme)
    village_ids = list(issue.villages.values_list("pk", flat=True))
    municipality_ids = list(issue.municipalities.values_list("pk", flat=True))
    if village_ids or municipality_ids:
        villages = Subscription.villages.through.objects.filter(subscription=OuterRef("pk"))
        municipalities = Subscription.municipalities.through.objects.filter(subscription=OuterRef("pk"))
        by_village = villages.filter(Q(village_id__in=village_ids) | Q(village__municipality_id__in=municipality_ids))
        by_municipality = municipalities.filter(Q(municipality_id__in=municipality_ids)
                                                | Q(municipality__villages__in=village_ids))
        qs = qs.filter(Exists(by_village) | Exists(by_municipality) | (~Exists(villages) & ~Exists(municipalities)))
    return qs


def _json_contains() -> bool:
    """JSON containment (`themes @> '"x"'`) where the database has it (PostgreSQL); SQLite matches the quoted value."""
    from django.db import connection

    return connection.features.supports_json_field_contains


def audience_counts(issue: Issue) -> dict[str, int]:
    counts = dict(audience(issue).values_list("language").annotate(n=Count("pk")).order_by())
    return {lang: counts.get(lang, 0) for lang in issue.language_codes()}


def progress(issue: Issue) -> dict[str, int]:
    """How many deliveries of the issue are in each state, with their total and the share done (0–100)."""
    counts = dict(issue.deliveries.values_list("status").annotate(n=Count("pk")).order_by())
    result = {status: counts.get(status, 0) for status in Delivery.Status.values}
    result["total"] = sum(counts.values())
    done = result["total"] - result["pending"] - result["claimed"]
    result["done"] = done
    result["percent"] = round(100 * done / result["total"]) if result["total"] else 100
    return result


def with_progress(issues: QuerySet[Issue]) -> QuerySet[Issue]:
    """The issues with `deliveries_total` and `deliveries_done` (sent, failed or interrupted) counted in the same
    query, for lists of issues (one query, however many)."""
    return issues.annotate(
        deliveries_total=Count("deliveries"),
        deliveries_done=Count("deliveries", filter=~Q(deliveries__status__in=[Delivery.Status.PENDING,
                                                                             Delivery.Status.CLAIMED])))


def archive(language: str) -> QuerySet[Issue]:
    """Sent issues readable in a language, newest first."""
    return Issue.objects.filter(status=Issue.Status.SENT, languages__in=[Issue.Languages.BOTH, language]).order_by("-sent_at")


def linked_items(issue: Issue) -> list[dict]:
    """What the issue points to on the site, as the public sees it now (an event unpublished since is left out):
    [{"kind": …, "title": …, "path": …}] in the active language."""
    from django.utils.translation import gettext as _

    items: list[dict] = []
    for call in issue.calls.filter(published=True):
        items.append({"kind": _("Call for projects"), "title": call.title, "path": call.get_absolute_url()})
    for event in issue.events.filter(published=True).order_by("starts_at"):
        items.append({"kind": _("Event"), "title": event.title, "path": event.get_absolute_url()})
    for idea in issue.ideas.filter(hidden=False):
        items.append({"kind": _("Idea"), "title": idea.title, "path": idea.get_absolute_url()})
    for pub in issue.publications.filter(published=True):
        items.append({"kind": _("Publication"), "title": pub.title, "path": pub.get_absolute_url()})
    return items
