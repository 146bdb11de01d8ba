import datetime

import pytest

from partons.observatory.models import Facility, ServiceCategory


@pytest.fixture
def cats(db):
    return {c.code: c for c in ServiceCategory.objects.all()}


@pytest.fixture
def bakeries(territory, cats):
    """A bakery in Kemmel (BE) and one just across the border, 2 km west of Loker (FR), closed in 2015: one more in
    Loker's French neighbour that opened in 2018."""
    v = territory["villages"]
    kemmel = Facility.objects.create(category=cats["bakery"], name="Bakkerij Kemmel", lon=2.8275, lat=50.7835,
                                     village=v["kemmel"], source="test", source_id="b-kemmel",
                                     opened_on=datetime.date(1990, 1, 1))
    border = Facility.objects.create(category=cats["bakery"], name="Boulangerie de la frontière", lon=2.745, lat=50.785,
                                     village=v["boeschepe"], source="test", source_id="b-border",
                                     opened_on=datetime.date(2000, 1, 1))
    return {"kemmel": kemmel, "border": border}
