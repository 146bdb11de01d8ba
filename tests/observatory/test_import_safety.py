"""Imports that can be neither lost nor wrong: a truncated snapshot does not close a source's services unless
confirmed, a service moved outside the region is set aside and a move to another village is re-attached, types the
nomenclature does not hold are counted per code, and bad input ends in a message naming the file and line."""
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from partons.observatory.models import Facility

from .test_bpe import BERGUES, BOESCHEPE, old_layout, write

# Five bakeries in two communes of the fixture's region, and points far from it.
KEEP = [("59067", "B203", (BERGUES[0] + i * 0.001, BERGUES[1])) for i in range(5)]
PARIS = (2.3522, 48.8566)


def run(path, *args):
    out = io.StringIO()
    call_command("import_facilities", "bpe", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_truncated_snapshot_is_refused_unless_confirmed(territory, tmp_path):
    run(write(tmp_path, "bpe19.csv", old_layout(2019, KEEP)))
    assert Facility.objects.filter(closed_on=None).count() == 5
    truncated = write(tmp_path, "bpe20.csv", old_layout(2020, KEEP[:1]))  # 4 of 5 gone: 80 %
    dry = run(truncated, "--dry-run")
    assert "WARNING: this snapshot would close 4 of the 5 open services" in dry and "--confirm-closures" in dry
    with pytest.raises(CommandError, match=r"Refused: .*close 4 of the 5 .*80 %.*Nothing was written"):
        run(truncated)
    assert Facility.objects.filter(closed_on=None).count() == 5  # nothing written
    out = run(truncated, "--confirm-closures")  # the person importing says the closures are real
    assert "closed 4" in out and Facility.objects.filter(closed_on=None).count() == 1


@pytest.mark.django_db
def test_a_few_closures_go_through_without_confirmation(territory, tmp_path):
    """Positive control: one closure of five (20 %, not more) is an ordinary snapshot."""
    run(write(tmp_path, "bpe19.csv", old_layout(2019, KEEP)))
    assert "closed 1" in run(write(tmp_path, "bpe20.csv", old_layout(2020, KEEP[:4])))


@pytest.mark.django_db
def test_a_move_outside_the_region_is_set_aside_and_a_move_to_another_village_reattached(territory, tmp_path):
    rows = [("59067", "B203", BERGUES), ("59086", "D301", BOESCHEPE)]
    run(write(tmp_path, "bpe19.csv", old_layout(2019, rows)))
    before = {f.category.code: (f.village.slug, f.lon, f.lat) for f in Facility.objects.select_related("village", "category")}
    moved = [("59067", "B203", PARIS), ("59086", "D301", (BERGUES[0] + 0.0005, BERGUES[1]))]
    out = run(write(tmp_path, "bpe20.csv", old_layout(2020, moved)))
    assert "set aside (not applied)" in out and "outside the region" in out
    bergues = territory["villages"]["bergues"]
    assert "moved to another village: 59086/D301/1: Boeschepe → " + bergues.name in out
    after = {f.category.code: (f.village.slug, f.lon, f.lat) for f in Facility.objects.select_related("village", "category")}
    assert after["bakery"] == before["bakery"]  # not moved to Paris, not left wrong
    assert after["pharmacy"][0] == "bergues"  # re-attached to the village it now lies in


@pytest.mark.django_db
def test_types_the_nomenclature_does_not_hold_are_counted_per_code(territory, tmp_path):
    rows = [("59067", "B203", BERGUES), ("59067", "Z999", BERGUES), ("59067", "Z999", BERGUES),
            ("59086", "A101", BOESCHEPE)]
    out = run(write(tmp_path, "bpe19.csv", old_layout(2019, rows)))
    assert "added 1" in out
    assert "skipped 3 rows of a type the nomenclature does not hold: Z999 ×2, A101 ×1" in out


@pytest.mark.django_db
def test_renumbered_codes_of_recent_editions_land_in_the_same_categories(territory, tmp_path):
    old = [("59067", "C101", BERGUES), ("59067", "C104", BERGUES), ("59067", "D201", BERGUES)]
    new = [("59086", "C107", BOESCHEPE), ("59086", "C108", BOESCHEPE), ("59086", "C109", BOESCHEPE),
           ("59086", "D265", BOESCHEPE)]
    out = run(write(tmp_path, "bpe19.csv", old_layout(2019, old + new)))
    assert "added 7" in out and "skipped" not in out
    by_village = {}
    for f in Facility.objects.select_related("village", "category"):
        by_village.setdefault(f.village.slug, []).append(f.category.code)
    assert sorted(by_village["bergues"]) == ["gp", "primary_school", "primary_school"]
    assert sorted(by_village["boeschepe"]) == ["gp", "primary_school", "primary_school", "primary_school"]


@pytest.mark.django_db
def test_codes_of_a_newer_edition_reach_an_existing_database_and_hand_added_codes_stay():
    from partons.observatory.models import CategoryGroup, ServiceCategory
    from partons.observatory.nomenclature import sync_nomenclature

    gp = ServiceCategory.objects.get(code="gp")
    gp.bpe_codes = ["D201", "X123"]  # an older standard list, plus a code a coordinator added
    gp.save()
    sync_nomenclature(ServiceCategory, CategoryGroup)
    gp.refresh_from_db()
    assert gp.bpe_codes == ["D201", "X123", "D265"]


@pytest.mark.django_db
def test_bad_input_names_the_file_and_line_and_writes_nothing(territory, tmp_path):
    import csv

    huge = old_layout(2019, [("59067", "B203", BERGUES)]).replace("Bonne", "x" * 5_000)
    limit = csv.field_size_limit(1_000)  # a field longer than the CSV reader's limit (whatever the limit is)
    try:
        with pytest.raises(CommandError, match=r"bpe-huge.csv, line \d+: not readable as CSV \(field larger"):
            run(write(tmp_path, "bpe-huge.csv", huge))
    finally:
        csv.field_size_limit(limit)
    stations = write(tmp_path, "st.csv", "id;name;x;y\n1;Poperinge;0;0\n")
    with pytest.raises(CommandError, match=r"--srid 999999: not a coordinate system"):
        call_command("import_facilities", "generic", str(stations), "--source", "T", "--category", "rail_station",
                     "--map", "id=id", "--map", "name=name", "--map", "lon=x", "--map", "lat=y", "--srid", "999999")
    assert not Facility.objects.exists()
