"""How fast the services map API answers with 100,000 facilities, on SQLite and on PostgreSQL.

    .venv/bin/python bench/map_api.py                       # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python bench/map_api.py

Creates a throw-away test database, 100,000 facilities spread over the Westhoek, and times the requests the map
makes (a village view, a municipality view, the whole region capped at 5,000 features) against the naive peer that
ships every facility at once. Map answers and exports are kept in the cache once built (until the facilities
change): each is timed as built (the cache emptied before each request, as after a change) and as stored. Prints
medians and the ratio of each answer as built to the peer as built; asserts nothing.
"""
import os
import random
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "partons.config.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_FACILITIES", "100000"))
REPEAT = 7
BOX = (1.55, 50.55, 3.10, 51.15)


def populate():
    from partons.observatory.models import Facility, ServiceCategory
    from partons.territory.models import Country, Municipality, Village

    be = Country.objects.create(code="BE", name_nl="België", name_fr="Belgique", code_system="NIS")
    rng = random.Random(42)
    munis = [Municipality.objects.create(country=be, code=f"9{i:04d}", name_nl=f"M{i}") for i in range(40)]
    villages = Village.objects.bulk_create([
        Village(municipality=munis[i % 40], name_nl=f"V{i}", slug=f"v{i}", lon=rng.uniform(BOX[0], BOX[2]),
                lat=rng.uniform(BOX[1], BOX[3]), population=rng.randint(200, 20000)) for i in range(400)])
    cats = list(ServiceCategory.objects.all())
    batch = []
    for i in range(N):
        v = villages[i % len(villages)]
        closed = None if rng.random() > 0.3 else __import__("datetime").date(rng.randint(2000, 2025), 1, 1)
        batch.append(Facility(category=cats[i % len(cats)], name=f"F{i}", lon=v.lon + rng.gauss(0, 0.01),
                              lat=v.lat + rng.gauss(0, 0.01), village=v, closed_on=closed, source="bench", source_id=str(i)))
        if len(batch) == 10000:
            Facility.objects.bulk_create(batch)
            batch = []
    Facility.objects.bulk_create(batch)
    return villages


def timed(client, url, cold=False):
    """Median of REPEAT requests; `cold`: the shared cache emptied before each one (an export is built once per data
    change and then served as stored: the peer is timed as built, not as stored)."""
    from django.core.cache import cache

    times = []
    for _ in range(REPEAT):
        if cold:
            cache.clear()
        t0 = time.perf_counter()
        r = client.get(url)
        body = r.content
        times.append((time.perf_counter() - t0) * 1000)
        assert r.status_code == 200, (url, r.status_code, body[:200])
    return statistics.median(times), len(body)


def main():
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        t0 = time.perf_counter()
        villages = populate()
        print(f"database: {connection.vendor}, {N:,} facilities created in {time.perf_counter() - t0:.1f} s")
        client = Client()
        v = villages[0]
        cases = [
            ("village view (1.5 km box)", f"/api/facilities?compact=true&bbox={v.lon - .01},{v.lat - .007},{v.lon + .01},{v.lat + .007}"),
            ("municipality view (10 km box)", f"/api/facilities?compact=true&bbox={v.lon - .07},{v.lat - .045},{v.lon + .07},{v.lat + .045}"),
            ("municipality view, 2010, bakeries", f"/api/facilities?compact=true&on=2010-01-01&categories=bakery&bbox={v.lon - .07},{v.lat - .045},{v.lon + .07},{v.lat + .045}"),
            ("region view (capped at 5,000)", f"/api/facilities?compact=true&limit=5000&bbox={','.join(map(str, BOX))}"),
        ]
        naive_ms, naive_bytes = timed(client, "/api/facilities.geojson?include_closed=true", cold=True)
        print(f"{'request':42} {'built ms':>9} {'stored ms':>10} {'kB':>8} {'built: × faster than all-at-once':>33}")
        for label, url in cases:
            ms, size = timed(client, url, cold=True)
            stored_ms, _ = timed(client, url)
            print(f"{label:42} {ms:9.1f} {stored_ms:10.1f} {size / 1024:8.0f} {naive_ms / ms:33.1f}")
        stored_ms, _ = timed(client, "/api/facilities.geojson?include_closed=true")
        print(f"{'peer: every facility at once (GeoJSON export)':42} {naive_ms:9.1f} {stored_ms:10.1f} "
              f"{naive_bytes / 1024:8.0f} {1.0:33.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
