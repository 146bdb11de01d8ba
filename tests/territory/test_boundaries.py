"""Boundary import from GeoJSON and TopoJSON: matched on official codes, reprojected, validated whole."""
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from pyproj import Transformer
from shapely.geometry import Point, shape

from partons.territory.loaders.boundaries import BoundaryImportError, import_boundaries
from partons.territory.models import Municipality

from ..conftest import square


def feature(props, geometry):
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write(tmp_path, name, data):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


def boundaries():
    return dict(Municipality.objects.values_list("code", "boundary"))


TOPOJSON = {
    "type": "Topology",
    "transform": {"scale": [0.001, 0.001], "translate": [2.6, 50.7]},
    "objects": {
        "municipalities": {"type": "GeometryCollection", "geometries": [
            {"type": "Polygon", "arcs": [[0]], "properties": {"nis": "33039", "population": 7900}},
            {"type": "Polygon", "arcs": [[1]], "properties": {"nis": 99999}},
        ]},
        "provinces": {"type": "GeometryCollection", "geometries": [{"type": "Polygon", "arcs": [[0]], "properties": {"id": "p"}}]},
    },
    # Quantised, delta-encoded arcs: a rectangle 2.77–2.83 E, 50.76–50.80 N around Kemmel and Loker, and one elsewhere.
    "arcs": [
        [[170, 60], [60, 0], [0, 40], [-60, 0], [0, -40]],
        [[400, 400], [10, 0], [0, 10], [-10, 0], [0, -10]],
    ],
}


def test_topojson_layer_is_decoded_matched_and_reported(territory, tmp_path):
    path = write(tmp_path, "be.topojson", TOPOJSON)
    report = import_boundaries(path, country="BE", layer="municipalities", code_field="nis",
                               population_field="population", population_year=2021)
    assert report.matched == [("33039", "Heuvelland")]
    assert report.unmatched == [("99999", "no BE municipality with this code loaded")]
    assert report.missing == [("33011", "Ieper")]
    heuvelland = Municipality.objects.get(code="33039")
    minx, miny, maxx, maxy = shape(heuvelland.boundary).bounds
    assert (round(minx, 3), round(miny, 3), round(maxx, 3), round(maxy, 3)) == (2.77, 50.76, 2.83, 50.8)
    assert (heuvelland.min_lon, heuvelland.max_lat) == pytest.approx((2.77, 50.8))
    assert (heuvelland.population, heuvelland.population_year) == (7900, 2021)
    assert heuvelland.boundary_source == "be.topojson"


def test_topojson_with_several_layers_needs_one_chosen(territory, tmp_path):
    path = write(tmp_path, "be.topojson", TOPOJSON)
    with pytest.raises(BoundaryImportError, match="several layers .*municipalities.*provinces.*--layer"):
        import_boundaries(path, country="BE", code_field="nis")
    with pytest.raises(BoundaryImportError, match="--layer communes: no such layer"):
        import_boundaries(path, country="BE", code_field="nis", layer="communes")


def test_geojson_declared_in_lambert93_is_reprojected(territory, tmp_path):
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    ring = [list(to_l93.transform(x, y)) for x, y in square(2.69, 50.80)["coordinates"][0]]
    data = {"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
            "features": [feature({"insee": "59086"}, {"type": "Polygon", "coordinates": [ring]})]}
    report = import_boundaries(write(tmp_path, "l93.geojson", data), country="FR", code_field="insee")
    assert report.crs == "EPSG:2154"
    assert [c for c, _n in report.matched] == ["59086"]
    geom = shape(Municipality.objects.get(code="59086").boundary)
    assert geom.contains(Point(2.69, 50.80))
    assert geom.bounds == pytest.approx((2.67, 50.78, 2.71, 50.82), abs=1e-5)


def test_projected_file_that_does_not_say_so_is_refused_then_accepted_with_srid(territory, tmp_path):
    to_l93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)
    ring = [list(to_l93.transform(x, y)) for x, y in square(2.432, 50.968)["coordinates"][0]]
    path = write(tmp_path, "noproj.geojson", {"type": "FeatureCollection", "features": [
        feature({"insee": "59067"}, {"type": "Polygon", "coordinates": [ring]})]})
    before = boundaries()
    with pytest.raises(BoundaryImportError, match=r"not longitude/latitude.*--srid.*2154"):
        import_boundaries(path, country="FR", code_field="insee")
    assert boundaries() == before
    report = import_boundaries(path, country="FR", code_field="insee", srid=2154)
    assert report.matched == [("59067", "Bergues")]
    assert shape(Municipality.objects.get(code="59067").boundary).contains(Point(2.432, 50.968))


def test_unknown_code_field_names_the_fields_there_are(territory, tmp_path):
    path = write(tmp_path, "fr.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59086", "nom": "Boeschepe"}, square(2.69, 50.80))]})
    with pytest.raises(BoundaryImportError, match=r"--code-field insee: no such field .*code, nom"):
        import_boundaries(path, country="FR", code_field="insee")


def test_a_broken_geometry_stops_the_whole_import(territory, tmp_path):
    good = feature({"code": "59067"}, square(2.432, 50.968, half=0.03))
    broken = feature({"code": "59086"}, {"type": "Polygon", "coordinates": [[[2.68, 50.79], [2.70, 50.81], [2.68, 50.79]]]})
    path = write(tmp_path, "broken.geojson", {"type": "FeatureCollection", "features": [good, broken]})
    before = boundaries()
    with pytest.raises(BoundaryImportError) as err:
        import_boundaries(path, country="FR", code_field="code")
    assert "feature 2 (code=59086)" in str(err.value) and "nothing changed" in str(err.value)
    assert boundaries() == before  # the valid first feature was not written either


def test_points_instead_of_polygons_are_refused(territory, tmp_path):
    path = write(tmp_path, "points.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59086"}, {"type": "Point", "coordinates": [2.69, 50.80]})]})
    with pytest.raises(BoundaryImportError, match="expected a Polygon or MultiPolygon, found Point"):
        import_boundaries(path, country="FR", code_field="code")


def test_self_intersecting_polygon_is_repaired_and_reported(territory, tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[2.67, 50.78], [2.71, 50.82], [2.71, 50.78], [2.67, 50.82], [2.67, 50.78]]]}
    path = write(tmp_path, "bowtie.geojson", {"type": "FeatureCollection", "features": [feature({"code": "59086"}, bowtie)]})
    report = import_boundaries(path, country="FR", code_field="code")
    assert report.repaired == ["Boeschepe (59086)"]
    assert shape(Municipality.objects.get(code="59086").boundary).is_valid


def test_a_boundary_far_from_its_villages_is_refused(territory, tmp_path):
    # Right shape, wrong place (Paris): a wrong projection or a wrong code field looks like this.
    path = write(tmp_path, "paris.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59086"}, square(2.35, 48.85))]})
    with pytest.raises(BoundaryImportError, match=r"lies \d+ km from its villages"):
        import_boundaries(path, country="FR", code_field="code")


def test_not_a_geographic_file(territory, tmp_path):
    path = write(tmp_path, "notes.geojson", "this is not JSON at all")
    with pytest.raises(BoundaryImportError, match="not a GeoJSON or TopoJSON file"):
        import_boundaries(path, country="FR", code_field="code")
    table = write(tmp_path, "table.csv", "code;nom\n59086;Boeschepe\n")
    with pytest.raises(BoundaryImportError, match="has no geometries"):
        import_boundaries(table, country="FR", code_field="code")
    with pytest.raises(BoundaryImportError, match="no such file"):
        import_boundaries(tmp_path / "missing.geojson", country="FR", code_field="code")


def test_a_file_where_nothing_matches_is_an_error(territory, tmp_path):
    path = write(tmp_path, "fr.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59067", "nom": "Bergues"}, square(2.432, 50.968, half=0.03))]})
    with pytest.raises(BoundaryImportError, match=r"none of the 1 features matches a BE municipality .*'59067'"):
        import_boundaries(path, country="BE", code_field="code")
    with pytest.raises(BoundaryImportError, match=r"none of the 1 features .*'Bergues'.*--code-field"):
        import_boundaries(path, country="FR", code_field="nom")


def test_dry_run_reports_without_writing(territory, tmp_path):
    path = write(tmp_path, "fr.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59067"}, square(2.432, 50.968, half=0.03))]})
    before = boundaries()
    report = import_boundaries(path, country="FR", code_field="code", dry_run=True)
    assert report.matched == [("59067", "Bergues")] and report.dry_run
    assert boundaries() == before


def test_command_line_reports_and_fails_clearly(territory, tmp_path, capsys):
    path = write(tmp_path, "fr.geojson", {"type": "FeatureCollection", "features": [
        feature({"code": "59067"}, square(2.432, 50.968, half=0.03))]})
    call_command("import_boundaries", str(path), "--country", "FR", "--code-field", "code")
    out = capsys.readouterr().out
    assert "matched: 1 municipalities" in out and "1 boundaries imported" in out
    with pytest.raises(CommandError, match="--code-field nope"):
        call_command("import_boundaries", str(path), "--country", "FR", "--code-field", "nope")


# The real reference files (read from ../shared/data/reference, never copied into the project).
REFERENCE = Path(settings.REFERENCE_DATA_DIR)
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference data folder not present on this machine")


@pytest.fixture
def demo_region(db):
    from partons.territory.loaders.demo import load_demo_region

    load_demo_region(log=lambda m: None)


@pytest.mark.reference_data
@needs_reference
def test_real_belgian_topojson(demo_region):
    report = import_boundaries(REFERENCE / "be-municipalities-2020.topojson", country="BE", layer="municipalities",
                               code_field="nis", population_field="population", population_year=2020)
    assert len(report.matched) == 18 and report.missing == []
    assert len(report.unmatched) == 581 - 18
    mesen = Municipality.objects.get(country__code="BE", code="33016")  # wrong arrondissement in the file: matched by NIS
    assert mesen.boundary is not None and mesen.population == 1047
    ieper = Municipality.objects.get(country__code="BE", code="33011")
    assert shape(ieper.boundary).contains(Point(2.8857, 50.8511))


@pytest.mark.reference_data
@needs_reference
@pytest.mark.parametrize("name,department", [("fr-communes-59-nord-2018.geojson", "59"),
                                             ("fr-communes-62-pas-de-calais-2018.geojson", "62")])
def test_real_french_geojson(demo_region, name, department):
    report = import_boundaries(REFERENCE / name, country="FR", code_field="code")
    in_region = Municipality.objects.filter(country__code="FR", code__startswith=department, regions__slug="westhoek")
    # Every commune of the region that existed in 2018 matches; the rest of the department is reported.
    assert len(report.matched) >= in_region.count() - 10
    assert {c for c, _n in report.matched} <= set(in_region.values_list("code", flat=True))
    assert all(reason == "no FR municipality with this code loaded" for _c, reason in report.unmatched)
