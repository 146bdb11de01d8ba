from django.db.models import Prefetch, QuerySet

from partons.territory.models import Village

from .models import Application, Call


def public_calls() -> QuerySet[Call]:
    return Call.objects.filter(published=True).order_by("-deadline")


def portfolio(*, call: Call | None = None) -> QuerySet[Application]:
    """Selected projects of calls whose results are published: what the public sees (no scores, no personal data)."""
    qs = Application.objects.filter(status=Application.Status.SELECTED, call__results_published_at__isnull=False)
    if call is not None:
        qs = qs.filter(call=call)
    return (qs.select_related("call").prefetch_related(Prefetch("villages", to_attr="village_list", queryset=Village.objects.select_related(
                "municipality__country").defer("municipality__boundary")))
            .order_by("-call__deadline", "title"))
