import datetime

import pytest
from pyproj import Transformer

from partons.observatory.models import Facility, FacilityChange, ServiceCategory

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def l93(lon, lat):
    x, y = TO_L93.transform(lon, lat)
    return round(x, 1), round(y, 1)


@pytest.fixture
def cats(db):
    return {c.code: c for c in ServiceCategory.objects.all()}


@pytest.fixture
def bakery_in_kemmel(territory, cats):
    f = Facility.objects.create(category=cats["bakery"], name="Bakkerij De Molen", lon=2.8275, lat=50.7835,
                                village=territory["villages"]["kemmel"], source="test", source_id="b1",
                                opened_on=datetime.date(1990, 5, 1))
    FacilityChange.objects.create(facility=f, kind="created", effective_on=datetime.date(1990, 5, 1))
    return f
