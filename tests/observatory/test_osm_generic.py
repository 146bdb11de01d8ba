"""OpenStreetMap (.osm and .osm.pbf) and generic CSV / GeoJSON imports, on fixtures written here."""
import datetime
import json
from pathlib import Path

import osmium
import pytest
from django.conf import settings

from partons.observatory.importers import generic, osm
from partons.observatory.importers.base import FacilityImportError
from partons.observatory.models import Facility
from partons.observatory.services import apply_snapshot

OSM_XML = """<?xml version='1.0' encoding='UTF-8'?>
<osm version="0.6" generator="partons-tests">
  <bounds minlat="50.77" minlon="2.76" maxlat="50.80" maxlon="2.84"/>
  <node id="1" lat="50.7836" lon="2.8281" version="3" timestamp="2024-03-01T10:00:00Z">
    <tag k="shop" v="bakery"/><tag k="name" v="Bakkerij Kemmel"/><tag k="addr:street" v="Dorpsstraat"/>
    <tag k="addr:housenumber" v="5"/><tag k="addr:postcode" v="8956"/><tag k="addr:city" v="Heuvelland"/>
    <tag k="opening_hours" v="Tu-Sa 07:00-18:00"/>
  </node>
  <node id="2" lat="50.7812" lon="2.7745" version="1" timestamp="2023-11-05T10:00:00Z">
    <tag k="amenity" v="pharmacy"/><tag k="name" v="Apotheek Loker"/>
  </node>
  <node id="3" lat="50.7800" lon="2.8000" version="1" timestamp="2023-01-01T00:00:00Z"><tag k="shop" v="shoes"/></node>
  <node id="10" lat="50.7820" lon="2.8200" version="1" timestamp="2020-01-01T00:00:00Z"/>
  <node id="11" lat="50.7820" lon="2.8210" version="1" timestamp="2020-01-01T00:00:00Z"/>
  <node id="12" lat="50.7830" lon="2.8210" version="1" timestamp="2020-01-01T00:00:00Z"/>
  <node id="13" lat="50.7830" lon="2.8200" version="1" timestamp="2020-01-01T00:00:00Z"/>
  <way id="100" version="2" timestamp="2022-06-01T00:00:00Z">
    <nd ref="10"/><nd ref="11"/><nd ref="12"/><nd ref="13"/><nd ref="10"/>
    <tag k="building" v="yes"/><tag k="amenity" v="school"/><tag k="name" v="Basisschool De Kemmelberg"/>
  </way>
</osm>
"""


def to_pbf(xml_path: Path, pbf_path: Path) -> Path:
    """Convert with pyosmium itself, so the test reads a real PBF."""
    writer = osmium.SimpleWriter(str(pbf_path))

    class Copy(osmium.SimpleHandler):
        def node(self, n):
            writer.add_node(n)

        def way(self, w):
            writer.add_way(w)

    Copy().apply_file(str(xml_path))
    writer.close()
    return pbf_path


def run_osm(path, **kw):
    records, rejected, snapshot, scope = osm.parse(path, **kw)
    return apply_snapshot(records, kind="osm", source=osm.SOURCE, licence=osm.LICENCE, file_name=path.name,
                          snapshot_date=snapshot, scope=scope, rejected=rejected,
                          confirm_closures=True)  # a handful of services: one closure is a large share


@pytest.mark.parametrize("fmt", ["osm", "pbf"])
def test_osm_nodes_and_building_ways(territory, tmp_path, fmt):
    xml = tmp_path / "kemmel.osm"
    xml.write_text(OSM_XML, encoding="utf-8")
    path = xml if fmt == "osm" else to_pbf(xml, tmp_path / "kemmel.osm.pbf")
    summary = run_osm(path, snapshot_date=None if fmt == "osm" else datetime.date(2024, 3, 2))
    assert sorted(summary.added) == ["node/1", "node/2", "way/100"]
    assert summary.snapshot_date == (datetime.date(2024, 3, 1) if fmt == "osm" else datetime.date(2024, 3, 2))
    bakery = Facility.objects.get(source_id="node/1")
    assert (bakery.category.code, bakery.name, bakery.opening_hours) == ("bakery", "Bakkerij Kemmel", "Tu-Sa 07:00-18:00")
    assert bakery.address == "Dorpsstraat 5, 8956 Heuvelland"
    assert bakery.village == territory["villages"]["kemmel"] and bakery.licence == "ODbL 1.0"
    school = Facility.objects.get(source_id="way/100")
    assert school.category.code == "primary_school"
    assert (school.lon, school.lat) == pytest.approx((2.8205, 50.7825), abs=1e-6)  # the building's centroid
    assert Facility.objects.get(source_id="node/2").village == territory["villages"]["loker"]


def test_osm_newer_extract_closes_what_disappeared_inside_its_area(territory, tmp_path):
    first = tmp_path / "a.osm"
    first.write_text(OSM_XML, encoding="utf-8")
    run_osm(first)
    second = tmp_path / "b.osm"
    second.write_text(OSM_XML.replace('<tag k="amenity" v="pharmacy"/>', '<tag k="amenity" v="bench"/>'), encoding="utf-8")
    summary = run_osm(second, snapshot_date=datetime.date(2025, 1, 1))
    assert summary.closed == ["node/2"]
    assert Facility.objects.get(source_id="node/2").closed_on == datetime.date(2025, 1, 1)


def test_osm_bad_files(territory, tmp_path):
    with pytest.raises(FacilityImportError, match="expected an OpenStreetMap extract"):
        osm.parse(tmp_path / "x.csv") if (tmp_path / "x.csv").write_text("a") else None
    broken = tmp_path / "broken.osm"
    broken.write_text("<osm><node id='1' lat='x'", encoding="utf-8")
    with pytest.raises(FacilityImportError, match="not a readable OpenStreetMap file"):
        osm.parse(broken)
    undated = tmp_path / "undated.osm"
    undated.write_text('<?xml version="1.0"?><osm version="0.6"><node id="1" lat="50.78" lon="2.82">'
                       '<tag k="shop" v="bakery"/></node></osm>', encoding="utf-8")
    with pytest.raises(FacilityImportError, match="--snapshot-date"):
        osm.parse(undated)
    assert not Facility.objects.exists()


def run_generic(path, **kw):
    records, rejected, snapshot, scope = generic.parse(path, **kw)
    return apply_snapshot(records, kind="generic", source=kw["source"], licence="CC0", file_name=path.name,
                          snapshot_date=snapshot, scope=scope, rejected=rejected, confirm_closures=True)


def test_generic_csv_with_a_category_column_and_projected_coordinates(territory, tmp_path):
    from pyproj import Transformer

    to_lambert72 = Transformer.from_crs("EPSG:4326", "EPSG:31370", always_xy=True)
    x1, y1 = to_lambert72.transform(2.8270, 50.7830)
    path = tmp_path / "heuvelland.csv"
    path.write_text(f"ref;soort;naam;x;y\nH1;huisarts;Dokter Peeters;{x1:.1f};{y1:.1f}\nH2;kapper;Kapsalon;{x1:.1f};{y1:.1f}\n"
                    f"H3;bakery;;;\n", encoding="utf-8")
    summary = run_generic(path, mapping={"id": "ref", "category": "soort", "name": "naam", "lon": "x", "lat": "y"},
                          srid=31370, source="Heuvelland list", snapshot_date=datetime.date(2024, 1, 1))
    assert summary.added == ["H1"]
    assert summary.rejected == [(3, "unknown category 'kapper'"), (4, "no usable coordinates (x='', y='')")]
    gp = Facility.objects.get(source_id="H1")
    assert gp.category.code == "gp" and gp.village == territory["villages"]["kemmel"]


def test_generic_geojson_with_fixed_category(territory, tmp_path):
    path = tmp_path / "markets.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "m1", "title": "Markt Kemmel"}, "geometry": {"type": "Point", "coordinates": [2.827, 50.783]}},
        {"type": "Feature", "properties": {"id": "m2", "title": "Markt Lille"}, "geometry": {"type": "Point", "coordinates": [3.06, 50.63]}},
    ]}), encoding="utf-8")
    summary = run_generic(path, mapping={"id": "id", "name": "title"}, category="market", source="Markets")
    assert summary.added == ["m1"] and summary.outside == 1


def test_generic_mapping_errors_name_the_problem(territory, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("ref,naam,lon,lat\n1,A,2.8,50.78\n", encoding="utf-8")
    with pytest.raises(FacilityImportError, match="--map id=COLUMN is required"):
        generic.parse(path, mapping={"name": "naam"}, category="gp", source="s")
    with pytest.raises(FacilityImportError, match=r"--map lon=x: no such column in l.csv \(columns: ref, naam, lon, lat\)"):
        generic.parse(path, mapping={"id": "ref", "lon": "x", "lat": "lat"}, category="gp", source="s")
    with pytest.raises(FacilityImportError, match="--category hairdresser: no such category"):
        generic.parse(path, mapping={"id": "ref", "lon": "lon", "lat": "lat"}, category="hairdresser", source="s")
    with pytest.raises(FacilityImportError, match="either --category"):
        generic.parse(path, mapping={"id": "ref", "lon": "lon", "lat": "lat"}, source="s")


REFERENCE = Path(settings.REFERENCE_DATA_DIR)


@pytest.mark.reference_data
@pytest.mark.skipif(not (REFERENCE / "be-rail-stations.csv").exists(), reason="reference data folder not present")
def test_real_rail_stations_csv_imports_as_rail_stations(db):
    from partons.territory.loaders.demo import load_demo_region

    load_demo_region(log=lambda m: None)
    path = REFERENCE / "be-rail-stations.csv"
    summary = run_generic(path, mapping={"id": "URI", "name": "name", "lon": "longitude", "lat": "latitude"},
                          category="rail_station", source="iRail stations")
    names = set(Facility.objects.filter(category__code="rail_station").values_list("name", flat=True))
    assert {"Ieper", "Poperinge", "Diksmuide", "Veurne", "De Panne"} <= names
    assert summary.rejected == [] and summary.outside > 500  # the rest of Belgium lies outside the region
