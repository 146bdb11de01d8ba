"""INSEE BPE, both layouts: validated, reprojected, idempotent, and a newer snapshot closes what disappeared."""
import datetime

import pytest
from django.core.management import CommandError, call_command

from partons.observatory.importers import bpe
from partons.observatory.importers.base import FacilityImportError
from partons.observatory.models import Facility, FacilityChange
from partons.observatory.services import apply_snapshot

from .conftest import l93

BERGUES = (2.4325, 50.9685)
BOESCHEPE = (2.6905, 50.8005)


def old_layout(year, rows):
    lines = ["AN;REG;DEP;DEPCOM;DCIRIS;TYPEQU;LAMBERT_X;LAMBERT_Y;QUALITE_XY"]
    for depcom, typequ, (lon, lat) in rows:
        x, y = l93(lon, lat)
        lines.append(f"{year};32;59;{depcom};{depcom}0000;{typequ};{x};{y};Bonne")
    return "\n".join(lines) + "\n"


def write(tmp_path, name, text, encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def run(path, **kw):
    records, rejected, snapshot, scope, layout, _skipped = bpe.parse(path, **kw)
    return apply_snapshot(records, kind="bpe", source=bpe.SOURCE, licence=bpe.LICENCE, file_name=path.name,
                          snapshot_date=snapshot, scope=scope, rejected=rejected,
                          confirm_closures=True), layout  # a handful of services: one closure is a large share


def test_old_geolocated_layout_latin1_semicolons(territory, tmp_path):
    text = old_layout(2019, [("59067", "B203", BERGUES), ("59086", "D301", BOESCHEPE), ("59086", "Z999", BOESCHEPE)])
    path = write(tmp_path, "bpe19_xy.csv", text.replace("Bonne", "Acceptable é"), encoding="latin-1")
    summary, layout = run(path)
    assert layout == "geolocated"
    assert len(summary.added) == 2 and summary.rejected == []  # Z999 is not an everyday service: skipped
    bakery = Facility.objects.get(category__code="bakery")
    assert bakery.lon == pytest.approx(BERGUES[0], abs=1e-5) and bakery.lat == pytest.approx(BERGUES[1], abs=1e-5)
    assert bakery.village == territory["villages"]["bergues"]
    assert (bakery.source, bakery.licence) == ("INSEE BPE", "Licence Ouverte 2.0")
    assert bakery.changes.get().effective_on == datetime.date(2019, 1, 1)
    assert bakery.opened_on is None  # first snapshot: opening date unknown


def test_newer_detailed_layout_commas_with_wgs84_and_epsg(territory, tmp_path):
    x, y = l93(*BOESCHEPE)
    text = ("AN,NOMRS,CNOMRS,DEPCOM,DOM,SDOM,TYPEQU,SIRET,LAMBERT_X,LAMBERT_Y,LONGITUDE,LATITUDE,QUALITE_XY,EPSG\n"
            f"2023,BOULANGERIE DU MONT,,59086,B,B2,B203,12345678900011,{x},{y},,,Bonne,2154\n"
            f"2023,PHARMACIE CENTRALE,,59067,D,D3,D301,,,,{BERGUES[0]},{BERGUES[1]},Bonne,4326\n"
            "2023,SANS COORDONNEES,,59067,D,D2,D201,,,,,,Mauvaise,2154\n")
    summary, layout = run(write(tmp_path, "bpe23.csv", text))
    assert layout == "detailed"
    assert len(summary.added) == 2
    assert summary.rejected == [(4, "no usable coordinates (LAMBERT_X='', LAMBERT_Y='')")]
    bakery = Facility.objects.get(category__code="bakery")
    assert bakery.name == "Boulangerie Du Mont" and bakery.source_id == "59086/B203/12345678900011"
    assert bakery.village == territory["villages"]["boeschepe"]


def test_a_newer_snapshot_updates_closes_and_opens_never_deletes(territory, tmp_path):
    first = old_layout(2019, [("59067", "B203", BERGUES), ("59086", "D301", BOESCHEPE)])
    run(write(tmp_path, "bpe19.csv", first))
    # 2021: the Boeschepe pharmacy is gone (its school is listed), a butcher opened in Bergues.
    second = old_layout(2021, [("59067", "B203", BERGUES), ("59067", "B204", (2.4335, 50.9690)),
                               ("59086", "C104", (2.6910, 50.8010))])
    write(tmp_path, "bpe21.csv", second)
    records, rejected, snapshot, scope, _, _skipped = bpe.parse(tmp_path / "bpe21.csv")
    dry = apply_snapshot(records, kind="bpe", source=bpe.SOURCE, licence="", file_name="bpe21.csv", snapshot_date=snapshot,
                         scope=scope, dry_run=True)
    assert (len(dry.added), len(dry.closed), dry.unchanged) == (2, 1, 1)
    assert Facility.objects.count() == 2 and Facility.objects.filter(closed_on__isnull=False).count() == 0
    summary, _ = run(tmp_path / "bpe21.csv")
    assert (len(summary.added), len(summary.closed), summary.unchanged) == (2, 1, 1)
    pharmacy = Facility.objects.get(category__code="pharmacy")
    assert pharmacy.closed_on == datetime.date(2021, 1, 1)
    assert pharmacy.changes.filter(kind=FacilityChange.Kind.CLOSED).get().import_run.file_name == "bpe21.csv"
    butcher = Facility.objects.get(category__code="butcher")
    assert butcher.opened_on == datetime.date(2021, 1, 1)
    assert Facility.objects.count() == 4  # nothing deleted
    # The state of the region at a past date.
    assert set(Facility.objects.open_on(datetime.date(2020, 6, 1)).values_list("category__code", flat=True)) == {"bakery", "pharmacy"}
    assert set(Facility.objects.open_on(datetime.date(2021, 6, 1)).values_list("category__code", flat=True)) == {
        "bakery", "butcher", "primary_school"}
    # Importing the same snapshot again changes nothing.
    again, _ = run(tmp_path / "bpe21.csv")
    assert (again.added, again.changed, again.closed, again.unchanged) == ([], [], [], 3)


def test_a_department_file_only_closes_its_own_communes(territory, tmp_path):
    run(write(tmp_path, "a.csv", old_layout(2019, [("59067", "B203", BERGUES), ("59086", "D301", BOESCHEPE)])))
    summary, _ = run(write(tmp_path, "b.csv", old_layout(2021, [("59067", "B203", BERGUES)])))
    assert summary.closed == []  # Boeschepe (59086) is not in this file: its pharmacy stays open


def test_bad_files_are_refused_with_a_clear_message(territory, tmp_path):
    with pytest.raises(FacilityImportError, match="not an INSEE BPE file — missing column"):
        bpe.parse(write(tmp_path, "x.csv", "code;name\n1;2\n"))
    with pytest.raises(FacilityImportError, match="no such file"):
        bpe.parse(tmp_path / "nope.csv")
    two_years = old_layout(2019, [("59067", "B203", BERGUES)]) + old_layout(2020, [("59086", "D301", BOESCHEPE)]).split("\n", 1)[1]
    with pytest.raises(FacilityImportError, match="several years .*--year"):
        bpe.parse(write(tmp_path, "y.csv", two_years))
    with pytest.raises(CommandError, match="not an INSEE BPE file"):
        call_command("import_facilities", "bpe", str(tmp_path / "x.csv"))
    assert not Facility.objects.exists()


def test_command_line_summary(territory, tmp_path, capsys):
    path = write(tmp_path, "bpe19.csv", old_layout(2019, [("59067", "B203", BERGUES)]))
    call_command("import_facilities", "bpe", str(path), "--dry-run")
    assert "added 1" in capsys.readouterr().out and not Facility.objects.exists()
    call_command("import_facilities", "bpe", str(path))
    out = capsys.readouterr().out
    assert "INSEE BPE, snapshot of 2019-01-01" in out and "added 1, changed 0, closed 0" in out


def test_a_moved_point_is_a_move_and_identical_rows_are_kept(territory, tmp_path):
    three_gps = [("59067", "D201", BERGUES)] * 3
    summary, _ = run(write(tmp_path, "a.csv", old_layout(2019, three_gps)))
    assert len(summary.added) == 3 and summary.rejected == []  # three GPs at one address are three GPs
    moved = [("59067", "D201", (BERGUES[0] + 0.00002, BERGUES[1]))] + three_gps[1:]
    summary, _ = run(write(tmp_path, "b.csv", old_layout(2021, moved)))
    assert summary.closed == [] and summary.added == []


def test_a_file_entirely_outside_the_region_is_flagged(territory, tmp_path):
    summary, _ = run(write(tmp_path, "far.csv", old_layout(2019, [("75056", "B203", (2.35, 48.85))])))
    assert summary.outside == 1
    assert any("WARNING" in line for line in summary.lines())
