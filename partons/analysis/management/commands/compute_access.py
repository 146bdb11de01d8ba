"""Compute the access indicators of every village now (all categories, or some)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partons.analysis.models import AccessRun, AccessSettings
from partons.analysis.services import compute_access
from partons.observatory.models import ServiceCategory


def stale() -> bool:
    from django.db.models import Max

    from partons.analysis.models import VillageAccess
    from partons.observatory.models import Facility
    from partons.territory.models import Village

    last = AccessRun.objects.filter(status=AccessRun.Status.DONE, categories=[]).order_by("-finished_at").first()
    if last is None:
        return True
    changed = Facility.objects.aggregate(m=Max("updated_at"))["m"]
    if changed and changed > last.created_at:
        return True
    settings = AccessSettings.current()
    if settings.updated_at > last.created_at:
        return True
    from partons.analysis.models import RoadNetwork, TransitNetwork

    road, transit = RoadNetwork.in_use(), TransitNetwork.in_use()
    if any(net is not None and net.imported_at > last.created_at for net in (road, transit)):
        return True  # a network imported since
    if (transit is not None) != ("transit" in (last.methods or {})):
        return True  # public transport loaded, or no longer in use, since
    with_figures = VillageAccess.objects.filter(current=True).values("village").distinct().count()
    return with_figures != Village.objects.filter(merged_into=None).count()


class Command(BaseCommand):
    help = "Compute the access indicators (travel times, shares within thresholds, viability) of every village."

    def add_arguments(self, parser):
        parser.add_argument("--category", action="append", dest="categories", metavar="CODE",
                            help="Only this category (repeatable). Default: all.")
        parser.add_argument("--if-stale", action="store_true",
                            help="Only when services, villages or settings changed since the last computation.")

    def handle(self, *args, categories=None, if_stale=False, **options):
        if if_stale and not stale():
            self.stdout.write("The access figures are up to date.")
            return
        if categories:
            known = set(ServiceCategory.objects.values_list("code", flat=True))
            unknown = [c for c in categories if c not in known]
            if unknown:
                raise CommandError(f"unknown category {unknown[0]!r}; known: {', '.join(sorted(known))}")
        AccessSettings.current()  # made before the run on a new site, so that the run is not older than its settings
        run = AccessRun.objects.create(reason="command", categories=categories or [])
        bar = tqdm(total=100, unit="%", disable=not sys.stderr.isatty(), desc="Access indicators")

        def progress(pct):
            bar.update(pct - bar.n)

        try:
            run = compute_access(run=run, categories=categories, progress=progress)
        except Exception as exc:
            raise CommandError(f"the computation failed: {exc}") from exc
        finally:
            bar.close()
        methods = ", ".join(f"{m}: {v}" for m, v in run.methods.items())
        self.stdout.write(f"{run.summary()} ({methods})")
