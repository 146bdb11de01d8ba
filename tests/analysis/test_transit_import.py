"""`partons import-gtfs`: feeds read for a service day, the region's stops and trips kept, stored as the public
transport in use; a broken feed is refused with its file, line and field and nothing is written."""
import datetime

import numpy as np
import pytest
from django.core.management import CommandError, call_command

from partons.analysis import engine
from partons.analysis.models import TransitNetwork
from partons.analysis.services import TRANSIT_FILE, default_service_day

from ..access.test_gtfs import DAY, write_feed

FAR_AWAY = "stop_id,stop_name,stop_lat,stop_lon\ns1,Kemmel Dorp,50.783,2.827\ns2,Loker Kerk,50.783,2.768\n" \
           "s3,Ieper Station,50.848,2.877\nz9,Namur,50.466,4.867\n"


def test_the_next_tuesday_is_the_default_service_day():
    assert default_service_day(datetime.date(2026, 12, 6)) == datetime.date(2026, 12, 8)  # a Sunday → Tuesday
    assert default_service_day(datetime.date(2026, 12, 8)) == datetime.date(2026, 12, 15)  # a Tuesday → the next one


@pytest.mark.django_db
def test_import_keeps_the_region_and_stores_the_timetable(territory, tmp_path, settings, capsys):
    settings.VAR_DIR = tmp_path / "var"
    feed = write_feed(tmp_path / "delijn.zip", **{"stops.txt": FAR_AWAY})
    call_command("import_gtfs", str(feed), "--day", DAY.isoformat(), "--licence", "CC BY 4.0 (test)")
    net = TransitNetwork.objects.get()
    assert net.active and net.service_day == DAY and net.files == [
        {"file": "delijn.zip", "feed": "delijn", "licence": "CC BY 4.0 (test)"}]
    assert net.summary["stops"] == 3 and net.summary["trips"] == 1  # Namur is far outside the region
    data = np.load(engine.network_dir() / net.directory / TRANSIT_FILE)
    assert list(data["stop_id"]) == ["delijn:s1", "delijn:s2", "delijn:s3"] and data["dep_s"].size == 2
    assert "3 stops, 1 routes, 1 trips, 2 connections" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_broken_feed_writes_nothing(territory, tmp_path, settings):
    settings.VAR_DIR = tmp_path / "var"
    good = write_feed(tmp_path / "good.zip")
    call_command("import_gtfs", str(good), "--day", DAY.isoformat())  # positive control
    assert TransitNetwork.objects.filter(active=True).count() == 1
    bad = write_feed(tmp_path / "bad.zip", **{"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                                                                  "t1,07:00:00,07:00:00,s1,1\nt1,06:00:00,06:00:00,s2,2\n"})
    with pytest.raises(CommandError, match="bad: stop_times.txt, line 3, arrival_time"):
        call_command("import_gtfs", str(bad), "--day", DAY.isoformat())
    with pytest.raises(CommandError, match="--day: 'tuesday' is not a date"):
        call_command("import_gtfs", str(good), "--day", "tuesday")
    with pytest.raises(CommandError, match="no trip calls at two stops of the region on 2026-03-14"):
        call_command("import_gtfs", str(good), "--day", "2026-03-14")  # a Saturday: no service runs
    assert TransitNetwork.objects.count() == 1 and TransitNetwork.objects.get().active
    assert len(list(engine.network_dir().iterdir())) == 1  # no folder left behind


@pytest.mark.django_db
def test_figures_by_public_transport_once_a_network_is_loaded(territory, bakeries, tmp_path, settings, client):
    from partons.analysis.models import AccessSettings, VillageAccess
    from partons.analysis.services import compute_access
    from partons.territory.models import Village

    settings.VAR_DIR = tmp_path / "var"
    s = AccessSettings.current()
    s.comparison_years = "2010"
    s.save()
    compute_access()
    assert not VillageAccess.objects.filter(mode="transit").exists()  # no network, no figures by public transport
    page = client.get("/nl/villages/loker/").content.decode()
    assert "Met het openbaar vervoer" not in page and 'data-mode="transit"' not in page and 'data-mode="car"' in page
    call_command("import_gtfs", str(write_feed(tmp_path / "bus.zip")), "--day", DAY.isoformat())
    compute_access()
    rows = VillageAccess.objects.filter(mode="transit")
    villages = Village.objects.filter(merged_into=None).count()
    assert rows.filter(current=True, category__code="bakery").count() == villages
    assert not rows.filter(current=False).exists()  # a timetable is today's: no figures for past years
    assert set(rows.values_list("method", flat=True)) == {"transit"}
    assert rows.get(village__slug="kemmel", category__code="bakery", current=True).threshold_s == 30 * 60
    api = client.get("/api/access/villages?category=bakery&mode=transit").json()
    kemmel = next(f for f in api["features"] if f["id"] == "kemmel")["properties"]
    assert kemmel["method"] == "transit" and kemmel["threshold_min"] == 30 and kemmel["mean_time_min"] is not None
    page = client.get("/nl/villages/loker/").content.decode()
    assert "Met het openbaar vervoer" in page and 'data-mode="transit" data-category="bakery"' in page
    assert "de dienstregeling van bus op dinsdag 10 maart 2026" in page  # which timetables, which day
    assert client.get("/api/access/status").json()["methods"]["transit"] == "transit"


@pytest.mark.django_db
def test_figures_are_stale_once_public_transport_is_imported(territory, bakeries, tmp_path, settings):
    from partons.analysis.management.commands.compute_access import stale
    from partons.analysis.services import compute_access

    from partons.analysis.models import AccessSettings

    settings.VAR_DIR = tmp_path / "var"
    AccessSettings.current()  # the settings exist before the first computation, as they do after `migrate`
    compute_access()
    assert not stale()  # positive control: nothing changed since
    call_command("import_gtfs", str(write_feed(tmp_path / "bus.zip")), "--day", DAY.isoformat())
    assert stale()
    compute_access()
    assert not stale()
    TransitNetwork.objects.update(active=False)  # public transport no longer in use
    assert stale()


@pytest.mark.django_db
def test_the_demo_network_is_synthetic_and_never_replaces_a_real_one(territory, tmp_path, settings):
    from partons.analysis.demo import DEMO_NAME, load_demo_transit

    settings.VAR_DIR = tmp_path / "var"
    demo = load_demo_transit(log=lambda m: None)
    assert demo is not None and demo.synthetic and demo.name == DEMO_NAME and demo.summary["trips"] > 0
    again = load_demo_transit(log=lambda m: None)  # loaded again: one demo network, the earlier one gone
    assert list(TransitNetwork.objects.values_list("pk", flat=True)) == [again.pk]
    call_command("import_gtfs", str(write_feed(tmp_path / "real.zip")), "--day", DAY.isoformat())
    assert load_demo_transit(log=lambda m: None) is None
    real = TransitNetwork.objects.get(active=True)
    assert real.name == "real" and not real.synthetic


@pytest.mark.django_db
def test_the_access_map_offers_public_transport_once_computed_and_says_when_it_is_the_demo(territory, bakeries, tmp_path,
                                                                                       settings, client):
    from partons.analysis.demo import load_demo_transit
    from partons.analysis.services import compute_access

    settings.VAR_DIR = tmp_path / "var"
    compute_access()
    page = client.get("/fr/access/").content.decode()
    assert 'value="transit"' not in page and 'value="car"' in page  # positive control: the road modes are offered
    load_demo_transit(log=lambda m: None)
    compute_access()
    page = client.get("/fr/access/?mode=transit").content.decode()
    assert 'value="transit"' in page and "en transports en commun" in page
    assert "réseau de démonstration" in page
    # no past figures by public transport: the change since a year is not offered (it is by car, the control)
    assert 'value="change"' in client.get("/fr/access/?mode=car").content.decode()
    page = client.get("/fr/access/?mode=transit&indicator=change").content.decode()
    assert 'value="change"' not in page and 'value="time" checked' in page
