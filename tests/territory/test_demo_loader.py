"""The demo region is built from the real open-data packages, and loading it twice changes nothing."""
import pytest
from django.core.management import call_command
from django.db.models import Sum

from partons.territory.loaders.demo import load_demo_region
from partons.territory.models import Municipality, Region, Village

SEED_VILLAGES = {
    # name → (country, municipality code)
    "Kemmel": ("BE", "33039"), "Sint-Juliaan": ("BE", "33040"), "Pervijze": ("BE", "32003"), "Leke": ("BE", "32003"),
    "Abele": ("BE", "33021"), "Kortemark": ("BE", "32011"), "Esquelbecq": ("FR", "59210"), "Winnezeele": ("FR", "59662"),
    "Bergues": ("FR", "59067"), "Boeschepe": ("FR", "59086"), "Wylder": ("FR", "59665"), "Nieppe": ("FR", "59431"),
    "Hondschoote": ("FR", "59309"), "Bainghen": ("FR", "62076"), "Baincthun": ("FR", "62075"),
}


def snapshot():
    return (
        sorted(Municipality.objects.values_list("country__code", "code", "name_nl", "name_fr", "population", "min_lon", "lon")),
        sorted(Village.objects.values_list("slug", "name_nl", "name_fr", "municipality__code", "population", "lon", "lat")),
        sorted(Region.objects.get(slug="westhoek").municipalities.values_list("code", flat=True)),
    )


@pytest.fixture
def demo(db):
    return load_demo_region(log=lambda m: None)


def test_demo_region_covers_both_sides_of_the_border(demo):
    region = Region.objects.get(slug="westhoek")
    be = region.municipalities.filter(country__code="BE")
    fr = region.municipalities.filter(country__code="FR")
    # Arrondissements Ieper, Diksmuide and Veurne: 18 municipalities.
    assert be.count() == 18
    assert set(be.values_list("arrondissement_code", flat=True)) == {"32000", "33000", "38000"}
    # Arrondissements Dunkerque, Saint-Omer, Calais and Boulogne-sur-Mer.
    assert set(fr.values_list("arrondissement_name_fr", flat=True)) == {"Dunkerque", "Saint-Omer", "Calais", "Boulogne-sur-Mer"}
    assert fr.count() > 250
    # Every municipality has its population with year and source; every French commune its boundary.
    assert not region.municipalities.filter(population__isnull=True).exists()
    assert not region.municipalities.filter(population_year__isnull=True).exists()
    assert fr.filter(boundary__isnull=False).count() >= fr.count() - 5
    assert Municipality.objects.get(country__code="BE", code="33011").name_fr == "Ypres"


def test_every_village_named_in_the_seeds_is_in_its_real_municipality(demo):
    for name, (country, code) in SEED_VILLAGES.items():
        village = Village.objects.filter(name_nl=name).first() or Village.objects.filter(name_fr=name).first()
        assert village is not None, name
        assert (village.municipality.country.code, village.municipality.code) == (country, code), name


def test_belgian_villages_share_their_municipality_population(demo):
    """GeoNames gives a seat the whole municipality's population; the loader keeps only the rest for it."""
    ieper = Municipality.objects.get(country__code="BE", code="33011")
    villages = Village.objects.filter(municipality=ieper)
    assert villages.count() > 5
    assert villages.aggregate(s=Sum("population"))["s"] == ieper.population
    seat = villages.get(kind=Village.Kind.SEAT)
    assert (seat.name_nl, seat.name_fr) == ("Ieper", "Ypres")
    assert seat.population_source == "Statbel 2020 / GeoNames cities500"


def test_villages_keep_provenance(demo):
    kemmel = Village.objects.get(name_nl="Kemmel")
    assert (kemmel.source, kemmel.licence, kemmel.geonames_id) == ("GeoNames cities500", "CC BY 4.0", 2794579)
    assert kemmel.imported_at is not None
    abele = Village.objects.get(name_nl="Abele")
    assert abele.licence == "ODbL 1.0" and abele.population is None
    bergues = Village.objects.get(name_fr="Bergues")
    assert (bergues.name_nl, bergues.name_en) == ("Sint-Winoksbergen", "Bergues")
    assert Municipality.objects.get(code="59183").name_en == "Dunkirk"
    assert Village.objects.get(name_nl="Veurne").name_en == "Veurne"  # English keeps the local name
    assert bergues.kind == Village.Kind.COMMUNE


def test_loading_twice_changes_nothing(demo):
    before = snapshot()
    report = load_demo_region(log=lambda m: None)
    assert not report.changed
    assert snapshot() == before
    report = load_demo_region(refresh=True, log=lambda m: None)
    assert not report.changed, report.lines()
    assert snapshot() == before


def test_a_plain_reload_keeps_a_coordinators_correction(demo):
    kemmel = Village.objects.get(name_nl="Kemmel")
    kemmel.name_fr = "Kemmel (Mont-Kemmel)"
    kemmel.save()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    kemmel.refresh_from_db()
    assert kemmel.name_fr == "Kemmel (Mont-Kemmel)"
