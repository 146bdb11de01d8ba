import datetime

import pytest
from django.utils import timezone

from partons.events.models import Event, PickupPoint


@pytest.fixture
def make_event(territory):
    def make(slug="ontdekkingsdag", capacity=3, days=10, **kw):
        start = timezone.now() + datetime.timedelta(days=days)
        defaults = dict(type="discovery_day", title_nl="Ontdekkingsdag", title_fr="Journée de découverte",
                        description_nl="Een dag over de grens", description_fr="Une journée de l'autre côté",
                        starts_at=start, ends_at=start + datetime.timedelta(hours=6), village=territory["villages"]["boeschepe"],
                        languages=["nl", "fr"], capacity=capacity, published=True)
        defaults.update(kw)
        return Event.objects.create(slug=slug, **defaults)
    return make


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def pickup(event, territory):
    return PickupPoint.objects.create(event=event, name="Kerkplein", village=territory["villages"]["kemmel"],
                                      time=datetime.time(8, 45))


@pytest.fixture
def english():
    """Messages in English, for the tests that read them."""
    from django.utils import translation

    with translation.override("en"):
        yield
