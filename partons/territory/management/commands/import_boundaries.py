from django.core.management.base import BaseCommand, CommandError

from partons.territory.loaders.boundaries import BoundaryImportError, import_boundaries


class Command(BaseCommand):
    help = (
        "Import municipality boundaries (and optionally population) from a GeoJSON or TopoJSON file. "
        "Features are matched on their official code (NIS / INSEE); the file is checked whole before anything "
        "is written. Example: partons import-boundaries be.topojson --country BE --layer municipalities "
        "--code-field nis --population-field population --population-year 2020"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--country", required=True, choices=["BE", "FR", "be", "fr"])
        parser.add_argument("--code-field", required=True, help="Property holding the NIS / INSEE code")
        parser.add_argument("--layer", help="Layer (TopoJSON object) to read, when the file has several")
        parser.add_argument("--srid", type=int, help="EPSG code of the file's coordinates, when it does not say (e.g. 2154, 31370)")
        parser.add_argument("--population-field", help="Property holding the population, to update it too")
        parser.add_argument("--population-year", type=int, help="Year the population figures refer to")
        parser.add_argument("--source", help="Source label to store (default: the file name)")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, write nothing")

    def handle(self, *args, **o):
        try:
            report = import_boundaries(
                o["file"], country=o["country"], code_field=o["code_field"], layer=o["layer"], srid=o["srid"],
                population_field=o["population_field"], population_year=o["population_year"], source=o["source"],
                dry_run=o["dry_run"],
            )
        except BoundaryImportError as exc:
            raise CommandError(str(exc)) from exc
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Dry run done." if report.dry_run else f"{len(report.matched)} boundaries imported."))
