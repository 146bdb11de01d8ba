"""The number of database queries of each page, list, map and API answer does not grow with its rows: measured on a
small region, then again after adding villages, services, ideas and events to it (an N+1 fails here)."""
import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from partons.analysis.services import compute_access
from partons.core.roles import Role
from partons.events.models import Event
from partons.ideas.models import Idea
from partons.observatory.models import Facility, FacilityChange, ServiceCategory
from partons.territory.models import Village

from ..conftest import make_user

PATHS = [
    "/nl/", "/nl/villages/", "/nl/villages/kemmel/", "/nl/municipalities/", "/nl/municipalities/be-33039/",
    "/nl/services/", "/nl/services/list/", "/nl/access/", "/nl/access/?indicator=change&since=2010", "/nl/ideas/",
    "/nl/ideas/statistics/", "/nl/events/", "/nl/calls/", "/nl/publications/",
    "/api/villages", "/api/municipalities?geometry=boundary", "/api/facilities?bbox=2.6,50.7,3.0,51.0",
    "/api/facilities/by-village", "/api/access/villages", "/api/access/municipalities", "/api/access/region",
    "/api/ideas", "/api/ideas?compact=true&limit=1000", "/api/ideas/stats", "/api/events", "/api/access/villages.csv", "/api/ideas.csv",
]


def grow(territory, n):
    """n more villages, services in and around them (across the border too), ideas and events."""
    cats = list(ServiceCategory.objects.order_by("pk")[:6])
    heuvelland = territory["heuvelland"]
    author = make_user(f"grower{n}@example.org", role=Role.RESIDENT)
    kemmel = territory["villages"]["kemmel"]
    for i in range(n):
        v = Village.objects.create(municipality=heuvelland, name_nl=f"Gehucht {n}-{i}", name_fr=f"Hameau {n}-{i}",
                                   slug=f"gehucht-{n}-{i}", lon=2.80 + i / 1000, lat=50.77 + i / 2000, population=100 + i)
        for j, village in enumerate((v, kemmel, territory["villages"]["boeschepe"])):
            f = Facility.objects.create(category=cats[(i + j) % len(cats)], name=f"S{n}-{i}-{j}", lon=village.lon + 0.001,
                                        lat=village.lat, village=village, source="test", source_id=f"s{n}-{i}-{j}",
                                        closed_on=datetime.date(2015, 3, 1) if j == 1 and i % 3 == 0 else None)
            FacilityChange.objects.create(facility=f, kind="created", effective_on=datetime.date(2001, 1, 1))
        Idea.objects.create(author=author, title=f"Idee {n}-{i}", description="Tekst", theme="services", language="nl",
                            village=kemmel if i % 2 else v, lon=kemmel.lon, lat=kemmel.lat, search_text=f"idee {n} {i}")
        start = timezone.now() + datetime.timedelta(days=5 + i)
        Event.objects.create(slug=f"dag-{n}-{i}", type="discovery_day", title_nl=f"Dag {i}", title_fr=f"Jour {i}",
                             starts_at=start, ends_at=start + datetime.timedelta(hours=3), village=kemmel,
                             languages=["nl"], capacity=20, published=True)
    compute_access()


def queries(client, path) -> list[str]:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(path)
    assert r.status_code == 200, (path, r.status_code)
    return [q["sql"] for q in ctx.captured_queries]


@pytest.mark.django_db
def test_no_page_or_answer_makes_more_queries_with_more_rows(client, territory):
    grow(territory, 3)
    for path in PATHS:
        client.get(path)  # what is looked up once per process
    few = {path: queries(client, path) for path in PATHS}
    grow(territory, 12)
    grown = {}
    for path in PATHS:
        many = queries(client, path)
        if len(many) != len(few[path]):
            grown[path] = (len(few[path]), len(many), [q[:150] for q in many if q not in few[path]][:5])
    assert grown == {}
    assert Village.objects.count() == 20 and Facility.objects.count() == 45  # the region did grow
