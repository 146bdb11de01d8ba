"""Demo services: real French town halls from a package, the rest generated deterministically and flagged synthetic."""
from partons.observatory.demo import GENERATOR, TOWN_HALLS, generate_for_village, load_demo_facilities
from partons.observatory.models import Facility, ServiceCategory
from partons.territory.models import Village


def test_generator_is_deterministic_and_follows_population(territory, cats):
    v = territory["villages"]
    first = generate_for_village(v["ieper"], cats)
    assert first == generate_for_village(v["ieper"], cats)
    assert len(first) > 3 * len(generate_for_village(v["kemmel"], cats))  # 20,601 vs 1,157 residents
    for row in first:
        assert abs(row["lon"] - v["ieper"].lon) < 0.01 and abs(row["lat"] - v["ieper"].lat) < 0.01
        if row["opened_on"] and row["closed_on"]:
            assert row["closed_on"] >= row["opened_on"]


def test_demo_services_on_the_demo_region(db):
    from partons.territory.loaders.demo import load_demo_region

    load_demo_region(log=lambda m: None)
    counts = load_demo_facilities(log=lambda m: None)
    assert counts["town halls"] > 250 and counts["synthetic"] > 5000
    assert load_demo_facilities(log=lambda m: None) == {"town halls": 0, "synthetic": 0}  # idempotent
    assert not Facility.objects.filter(source=GENERATOR, synthetic=False).exists()
    hall = Facility.objects.get(source=TOWN_HALLS, source_id="59067")
    assert hall.category.code == "town_hall" and not hall.synthetic and "Bergues" in hall.address
    assert hall.village == Village.objects.get(name_fr="Bergues")
    # A plausible history: some services closed since 2000, most villages still have some.
    generated = Facility.objects.filter(source=GENERATOR)
    closed_share = generated.filter(closed_on__isnull=False).count() / generated.count()
    assert 0.1 < closed_share < 0.5
    assert all(f.changes.exists() for f in generated[:50])
    assert set(ServiceCategory.objects.filter(facilities__source=GENERATOR).values_list("code", flat=True)) >= {
        "bakery", "gp", "primary_school", "bus_stop", "town_hall"}
