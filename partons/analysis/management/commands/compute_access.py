"""Compute the access indicators of every village now (all categories, or some)."""
import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from partons.analysis.models import AccessRun
from partons.analysis.services import compute_access
from partons.observatory.models import ServiceCategory


class Command(BaseCommand):
    help = "Compute the access indicators (travel times, shares within thresholds, viability) of every village."

    def add_arguments(self, parser):
        parser.add_argument("--category", action="append", dest="categories", metavar="CODE",
                            help="Only this category (repeatable). Default: all.")

    def handle(self, *args, categories=None, **options):
        if categories:
            known = set(ServiceCategory.objects.values_list("code", flat=True))
            unknown = [c for c in categories if c not in known]
            if unknown:
                raise CommandError(f"unknown category {unknown[0]!r}; known: {', '.join(sorted(known))}")
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
        self.stdout.write(f"{run.message} ({methods})")
