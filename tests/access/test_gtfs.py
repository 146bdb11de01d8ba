"""Reading GTFS feeds made by the tests in the real format (zip files of CSV): calendars, calendar_dates only,
frequencies, trips past midnight, two feeds joined across the border, the region's box, and each broken case named
by file, line and field."""
import datetime
import zipfile

import numpy as np
import pytest

from partons.access import gtfs, transit

DAY = datetime.date(2026, 3, 10)  # a Tuesday


def write_feed(path, **files):
    base = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\na,Bus,https://example.org,Europe/Brussels\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n"
                     "s1,Kemmel Dorp,50.783,2.827\ns2,Loker Kerk,50.783,2.768\ns3,Ieper Station,50.848,2.877\n",
        "routes.txt": "route_id,route_short_name,route_type\nr1,70,3\n",
        "trips.txt": "route_id,service_id,trip_id\nr1,week,t1\nr1,sunday,t2\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                        "week,1,1,1,1,1,0,0,20260101,20261231\nsunday,0,0,0,0,0,0,1,20260101,20261231\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                          "t1,07:00:00,07:00:00,s1,1\nt1,07:08:00,07:09:00,s2,2\nt1,07:30:00,07:30:00,s3,3\n"
                          "t2,09:00:00,09:00:00,s1,1\nt2,09:10:00,09:10:00,s2,2\n",
    }
    base.update(files)
    with zipfile.ZipFile(path, "w") as z:
        for name, text in base.items():
            if text is not None:
                z.writestr(name, text)
    return path


def test_a_weekday_feed_gives_the_days_trips_as_a_timetable(tmp_path):
    feed = gtfs.read_feeds([write_feed(tmp_path / "bus.zip")], day=DAY, names=["delijn"])
    assert [s.id for s in feed.stops] == ["delijn:s1", "delijn:s2", "delijn:s3"]
    assert feed.trips == [[(0, 25200, 25200), (1, 25680, 25740), (2, 27000, 27000)]]  # the Sunday trip does not run
    assert feed.summary["delijn"]["trips_running"] == 1
    prof = transit.profile(feed.timetable(), np.array([np.inf, np.inf, 0]))
    assert prof.arrival(0, 25200) == 27000


def test_calendar_dates_only_and_exceptions(tmp_path):
    dates = "service_id,date,exception_type\nweek,20260310,1\nsunday,20260310,1\nsunday,20260311,1\n"
    feed = gtfs.read_feeds([write_feed(tmp_path / "bus.zip", **{"calendar.txt": None, "calendar_dates.txt": dates})],
                           day=DAY)
    assert len(feed.trips) == 2
    removed = "service_id,date,exception_type\nweek,20260310,2\n"
    feed = gtfs.read_feeds([write_feed(tmp_path / "b2.zip", **{"calendar_dates.txt": removed})], day=DAY)
    assert feed.trips == []  # the weekday service is cancelled that day


def test_frequencies_and_trips_past_midnight(tmp_path):
    times = ("trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
             "t1,00:00:00,00:00:00,s1,1\nt1,00:10:00,00:10:00,s2,2\n"
             "t2,23:55:00,23:55:00,s1,1\nt2,24:05:00,24:05:00,s2,2\n")
    trips = "route_id,service_id,trip_id\nr1,week,t1\nr1,week,t2\n"
    freq = "trip_id,start_time,end_time,headway_secs\nt1,07:00:00,08:00:00,900\n"
    feed = gtfs.read_feeds([write_feed(tmp_path / "f.zip", **{"stop_times.txt": times, "trips.txt": trips,
                                                              "frequencies.txt": freq})], day=DAY)
    starts = sorted(t[0][2] for t in feed.trips)
    assert starts == [25200, 26100, 27000, 27900, 86100]  # every 15 minutes from 07:00 until before 08:00
    assert [(0, 86100, 86100), (1, 86700, 86700)] in feed.trips  # 24:05 is 86,700 s


def test_the_region_keeps_its_stops_and_cuts_trips_that_leave_it(tmp_path):
    # s2 (Loker) lies outside the box: t1 keeps no connection across it (s1 → s3 would be a ride that does not exist)
    inside = lambda lon, lat: lon > 2.8  # noqa: E731
    feed = gtfs.read_feeds([write_feed(tmp_path / "bus.zip")], day=DAY, inside=inside)
    assert [s.id for s in feed.stops] == ["feed1:s1", "feed1:s3"]
    assert feed.trips == []


def test_two_feeds_are_joined_by_footpaths_across_the_border(tmp_path):
    french = write_feed(tmp_path / "fr.zip", **{
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nf,Car,https://example.fr,Europe/Paris\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\np1,Boeschepe Place,50.800,2.690\np2,Bailleul Gare,50.737,2.735\n",
        "trips.txt": "route_id,service_id,trip_id\nr1,week,u1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                          "u1,07:20:00,07:20:00,p1,1\nu1,07:45:00,07:45:00,p2,2\n"})
    belgian = write_feed(tmp_path / "be.zip", **{
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\ns1,Kemmel Dorp,50.783,2.827\ns2,Berthen grens,50.799,2.694\n",
        "trips.txt": "route_id,service_id,trip_id\nr1,week,t1\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                          "t1,07:00:00,07:00:00,s1,1\nt1,07:12:00,07:12:00,s2,2\n"})
    feed = gtfs.read_feeds([belgian, french], day=DAY, names=["be", "fr"])
    from partons.access.graph import project

    x, y = project(np.array([s.lon for s in feed.stops]), np.array([s.lat for s in feed.stops]))
    walks = gtfs.footpaths_within(x, y, 500, 1.2)
    be_border, fr_place = [s.id for s in feed.stops].index("be:s2"), [s.id for s in feed.stops].index("fr:p1")
    assert (be_border, fr_place) in {(a, b) for a, b, _s in walks}
    egress = np.full(len(feed.stops), np.inf)
    egress[[s.id for s in feed.stops].index("fr:p2")] = 0  # the service is at Bailleul station
    prof = transit.profile(feed.timetable(walks), egress)
    assert prof.arrival(0, 25200) == 27900  # Kemmel 07:00 → border 07:12, walk across, 07:20 → Bailleul 07:45


@pytest.mark.parametrize("files, where", [
    ({"stops.txt": None}, "stops.txt: the file is missing"),
    ({"calendar.txt": None}, "neither calendar.txt nor calendar_dates.txt"),
    ({"stops.txt": "stop_id,stop_name,stop_lat\ns1,X,50.7\n"}, "stops.txt, line 1, stop_lon: the column is missing"),
    ({"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,07:00:00,07:00:00,s9,1\n"},
     "stop_times.txt, line 2, stop_id: unknown stop 's9'"),
    ({"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\ntx,07:00:00,07:00:00,s1,1\n"},
     "stop_times.txt, line 2, trip_id: unknown trip 'tx'"),
    ({"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                        "t1,07:00:00,07:00:00,s1,1\nt1,06:50:00,06:50:00,s2,2\n"},
     "stop_times.txt, line 3, arrival_time: trip 't1' goes back in time"),
    ({"stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nt1,7h00,07:00:00,s1,1\n"},
     "stop_times.txt, line 2, arrival_time/departure_time: '7h00' is not a time"),
    ({"calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                      "week,1,1,1,1,1,0,0,2026-01-01,20261231\n"}, "calendar.txt, line 2, start_date/end_date"),
    ({"trips.txt": "route_id,service_id,trip_id\nr9,week,t1\n"}, "trips.txt, line 2, route_id: unknown route 'r9'"),
    ({"agency.txt": "agency_id,agency_name,agency_url,agency_timezone\na,Bus,https://example.org,Mars/Olympus\n"},
     "agency.txt, line 2, agency_timezone"),
])
def test_a_broken_feed_is_refused_with_its_file_line_and_field(tmp_path, files, where):
    good = gtfs.read_feeds([write_feed(tmp_path / "good.zip")], day=DAY)  # positive control: the base feed reads
    assert good.trips
    with pytest.raises(gtfs.FeedError) as caught:
        gtfs.read_feeds([write_feed(tmp_path / "bad.zip", **files)], day=DAY, names=["bus"])
    assert where in str(caught.value) and str(caught.value).startswith("bus: ")


def test_not_a_zip_file(tmp_path):
    path = tmp_path / "feed.zip"
    path.write_text("hello")
    with pytest.raises(gtfs.FeedError, match="not a readable zip file"):
        gtfs.read_feeds([path], day=DAY)


def test_a_feed_in_another_time_zone_is_shifted_to_the_first_feeds(tmp_path):
    london = write_feed(tmp_path / "uk.zip", **{
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nu,Ferry,https://example.uk,Europe/London\n"})
    feed = gtfs.read_feeds([write_feed(tmp_path / "be.zip"), london], day=DAY, names=["be", "uk"])
    assert feed.summary["uk"]["time_zone"] == "Europe/London"
    be_trip, uk_trip = feed.trips
    assert uk_trip[0][2] - be_trip[0][2] == 3600  # 07:00 in London is 08:00 in Brussels


def test_long_files_say_how_far_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(gtfs, "PROGRESS_ROWS", 2)  # report every other row, as every 100,000 on a real feed
    seen = []
    gtfs.read_feeds([write_feed(tmp_path / "bus.zip")], day=DAY, names=["bus"],
                    advance=lambda label, done, total: seen.append((label, done, total)))
    passes = [s for s in seen if s[0].startswith("bus: stop_times.txt")]
    assert {s[0] for s in passes} == {"bus: stop_times.txt", "bus: stop_times.txt (pass 2)"}  # streamed twice
    assert all(0 <= done <= total for _label, done, total in seen)
    assert [s for s in passes if s[1] == s[2]]  # and each pass ends complete
    assert len(passes) > 2  # reports along the way, not only at the end
