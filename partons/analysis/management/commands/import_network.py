"""Build the walking, cycling and driving graphs from OpenStreetMap extracts and use them from now on."""
from django.core.management.base import BaseCommand, CommandError

from partons.access.graph import NetworkError
from partons.analysis.services import compute_access, import_network


class Command(BaseCommand):
    help = ("Read one or more OpenStreetMap extracts (.osm.pbf or .osm), e.g. one per country: they are joined into one "
            "network (a border is not a wall). Then the access figures are computed again along the roads.")

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", help=".osm.pbf or .osm files")
        parser.add_argument("--name", default="", help="A name for this network (default: the file names)")
        parser.add_argument("--no-compute", action="store_true", help="Do not compute the figures again now")

    def handle(self, *args, files, name="", no_compute=False, **options):
        def progress(file_name, ways):
            self.stdout.write(f"  {file_name}: {ways} ways with highway=*")

        try:
            net = import_network(files, name=name, progress=progress)
        except NetworkError as exc:
            raise CommandError(str(exc)) from exc
        s = net.summary
        self.stdout.write(f"Network “{net.name}”: {s['nodes']} nodes, {s['ways']} ways; edges on foot {s['edges_walk']}, "
                          f"by bike {s['edges_bike']}, by car {s['edges_car']}; bbox {s['bbox']}")
        for f in s["files"]:
            if f["nodes_missing"]:
                self.stdout.write(f"  {f['file']}: {f['nodes_missing']} way nodes are missing from the extract (cut at its edge)")
        if not no_compute:
            self.stdout.write("Computing the access figures along the network…")
            run = compute_access()
            self.stdout.write(run.summary())
