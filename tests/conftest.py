"""Shared fixtures: a small cross-border territory made by the tests themselves, and users with roles."""
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress

from partons.core.models import User
from partons.core.roles import Role, grant_role
from partons.territory.models import Country, Municipality, Region, Village

def pytest_addoption(parser):
    parser.addoption("--stack", action="store_true",
                     help="run tests/deploy: build the production stack (gunicorn, db_worker, PostgreSQL, Redis) from "
                          "this checkout and check it over HTTP (`make smoke`)")


def pytest_ignore_collect(collection_path: Path, config):
    """tests/deploy needs PostgreSQL and Redis running: it is its own run, `make smoke` (CI runs both)."""
    if collection_path.name == "deploy" and collection_path.parent.name == "tests" and not config.getoption("--stack"):
        return True
    return None


@pytest.fixture(autouse=True)
def site_language():
    """Each test starts in the site's default language: a page asked for in /en/ or /fr/ leaves its language active in
    the thread, which would otherwise leak into the next test (the suite runs in random order)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


# Two Belgian municipalities and two French communes near the border (real codes and rounded real places).
SQUARE = 0.02


def square(lon, lat, half=SQUARE):
    return {"type": "Polygon", "coordinates": [[[lon - half, lat - half], [lon + half, lat - half], [lon + half, lat + half],
                                                [lon - half, lat + half], [lon - half, lat - half]]]}


@pytest.fixture
def territory(db):
    be = Country.objects.create(code="BE", name_nl="België", name_fr="Belgique", name_en="Belgium", code_system="NIS")
    fr = Country.objects.create(code="FR", name_nl="Frankrijk", name_fr="France", name_en="France", code_system="INSEE")
    heuvelland = Municipality.objects.create(country=be, code="33039", name_nl="Heuvelland", name_fr="Heuvelland",
                                             population=7926, population_year=2020, population_source="Statbel",
                                             arrondissement_name_nl="Ieper", arrondissement_name_fr="Ypres", lon=2.81, lat=50.78)
    ieper = Municipality.objects.create(country=be, code="33011", name_nl="Ieper", name_fr="Ypres", population=34995,
                                        population_year=2020, lon=2.885, lat=50.851)
    boeschepe = Municipality.objects.create(country=fr, code="59086", name_nl="Boeschepe", name_fr="Boeschepe",
                                            population=2100, population_year=2023, lon=2.69, lat=50.80)
    boeschepe.set_boundary(square(2.69, 50.80))
    boeschepe.save()
    bergues = Municipality.objects.create(country=fr, code="59067", name_nl="Sint-Winoksbergen", name_fr="Bergues",
                                          population=3525, population_year=2023, lon=2.432, lat=50.968)
    bergues.set_boundary(square(2.432, 50.968))
    bergues.save()
    region = Region.objects.create(slug="westhoek", name_nl="Grensoverschrijdende Westhoek", name_fr="Westhoek transfrontalier",
                                   name_en="Cross-border Westhoek")
    region.municipalities.add(heuvelland, ieper, boeschepe, bergues)
    villages = {
        "kemmel": Village.objects.create(municipality=heuvelland, name_nl="Kemmel", name_fr="Kemmel", slug="kemmel",
                                         lon=2.827, lat=50.783, population=1157, source="GeoNames cities500"),
        "loker": Village.objects.create(municipality=heuvelland, name_nl="Loker", name_fr="Locre", slug="loker",
                                        lon=2.774, lat=50.781, population=564),
        "ieper": Village.objects.create(municipality=ieper, name_nl="Ieper", name_fr="Ypres", slug="ieper", kind="seat",
                                        lon=2.886, lat=50.851, population=20601),
        "boeschepe": Village.objects.create(municipality=boeschepe, name_nl="Boeschepe", name_fr="Boeschepe", slug="boeschepe",
                                            kind="commune", lon=2.69, lat=50.80, population=2100),
        "bergues": Village.objects.create(municipality=bergues, name_nl="Sint-Winoksbergen", name_fr="Bergues", slug="bergues",
                                          kind="commune", lon=2.432, lat=50.968, population=3525),
    }
    return {"be": be, "fr": fr, "region": region, "heuvelland": heuvelland, "ieper": ieper, "boeschepe": boeschepe,
            "bergues": bergues, "villages": villages}


def url(name, **kwargs):
    """A page's address on the Dutch site."""
    from django.urls import reverse
    from django.utils import translation

    with translation.override("nl"):
        return reverse(name, kwargs=kwargs)


def person(role, owner):
    """The user acting as `role` in a role × action table (None: an anonymous visitor; "owner": the given owner;
    "resident": signed in with no role at all)."""
    if role == "anonymous":
        return None
    if role == "owner":
        return owner
    if role == "resident":
        return make_user("someone-resident@example.org")
    return make_user(f"someone-{role}@example.org", role=Role(role))


def sign_in(client, role, owner):
    user = person(role, owner)
    if user is not None:
        client.force_login(user)
    return user


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(url("account_login"))


def make_user(email, password="a-long-test-password", role=None, verified=True):
    user = User.objects.create_user(email, password)
    EmailAddress.objects.create(user=user, email=email, verified=verified, primary=True)
    if role:
        grant_role(user, role)
    return user


@pytest.fixture
def coordinator(db):
    return make_user("coord@example.org", role=Role.COORDINATOR)


@pytest.fixture
def resident(db):
    return make_user("resident@example.org", role=Role.RESIDENT)


@pytest.fixture
def moderator(db):
    return make_user("moderator@example.org", role=Role.MODERATOR)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
