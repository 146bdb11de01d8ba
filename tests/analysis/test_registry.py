"""The access indicators are declared once (partons/analysis/indicators.py): the stored rows, the figures of villages
and their aggregates, the API and the exports all follow that list."""
import csv
import io

import pytest
from django.db import models

from partons.analysis import indicators, selectors
from partons.analysis.models import AccessSettings, VillageAccess
from partons.analysis.services import compute_access


@pytest.fixture
def computed(territory, bakeries):
    s = AccessSettings.current()
    s.comparison_years = "2010"
    s.save()
    return compute_access()


def test_every_declared_indicator_is_stored_and_every_stored_figure_is_declared():
    numeric = {f.name for f in VillageAccess._meta.get_fields()
               if isinstance(f, (models.FloatField, models.PositiveIntegerField)) and not f.primary_key}
    assert set(indicators.FIELDS) == numeric
    assert len({i.export for i in indicators.INDICATORS}) == len(indicators.INDICATORS)  # one name each in the API


@pytest.mark.django_db
def test_the_csv_export_has_a_column_per_indicator_in_its_unit(client, computed):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/access/villages.csv").content.decode("utf-8-sig"))))
    assert rows and {i.export for i in indicators.INDICATORS} <= set(rows[0])
    stored = VillageAccess.objects.filter(village__slug="loker", mode="walk", current=True, category__code="bakery").get()
    row = next(r for r in rows if r["village"] == "loker" and r["mode"] == "walk" and r["current"] == "True"
               and r["category"] == "bakery")
    assert float(row["mean_time_min"]) == round(stored.mean_time_s / 60, 1)
    assert int(row["threshold_min"]) == stored.threshold_s // 60
    assert float(row["centre_distance_km"]) == round(stored.centre_distance_m / 1000, 2)


@pytest.mark.django_db
def test_villages_add_up_as_each_indicator_declares(computed):
    figs = list(selectors.village_values(category="bakery", mode="car").values())
    assert len(figs) > 1
    total = selectors.aggregate(figs)
    assert total.population == pytest.approx(sum(f.population for f in figs))  # "sum"
    weights = [f.population - f.off_network_population for f in figs]
    assert total.mean_time_s == pytest.approx(sum(f.mean_time_s * w for f, w in zip(figs, weights)) / sum(weights))  # "mean"
    assert total.threshold_s == figs[0].threshold_s  # "first"
    assert figs[0].centre_time_s is not None and total.centre_time_s is None  # "village": a village's own only
    assert total.villages == len(figs)


@pytest.mark.django_db
def test_the_basket_of_a_village_is_the_mean_of_its_categories(computed):
    basket = selectors.village_values(category="basket", mode="car")
    vid, fig = next(iter(basket.items()))
    stored = VillageAccess.objects.filter(village_id=vid, mode="car", current=True, category_id__in=selectors.basket_ids())
    means = [r.mean_time_s for r in stored if r.mean_time_s is not None]
    assert len(means) > 1
    assert fig.mean_time_s == pytest.approx(sum(means) / len(means))  # "mean"
    assert fig.population == stored[0].population  # "first"
    assert fig.centre_time_s is None and stored[0].centre_time_s is not None  # not read by the basket
