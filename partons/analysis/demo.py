"""The demo's public transport: bus lines and trains between real villages and towns of the region, on both sides of
the border, with timetables of our own — SYNTHETIC, not the operators' (the network's name and licence say so).
Written as a GTFS feed and read by the same importer as real feeds, so that a fresh clone shows figures by public
transport. Real feeds replace it: `partons import-gtfs` (see the README); the demo never overwrites them."""
from __future__ import annotations

import datetime
import io
import shutil
import zipfile

import numpy as np
from django.conf import settings

from partons.access.graph import project
from partons.access.transit import ride_s
from partons.territory.selectors import village_named

from .engine import network_dir
from .models import TransitNetwork

DEMO_NAME = "Demo network (synthetic: lines and timetables of our own)"
DEMO_LICENCE = "Synthetic demo data by Partons, not real timetables"
# (route, kind, minutes between departures, first and last departure, the places it calls at)
LINES = [
    ("T1", "rail", 30, "06:00", "21:30", ["De Panne", "Koksijde", "Diksmuide"]),
    ("T2", "rail", 30, "05:45", "22:00", ["Poperinge", "Ieper", "Zonnebeke"]),
    ("T3", "rail", 30, "06:00", "21:00", ["Dunkerque", "Bergues", "Hazebrouck"]),
    ("T4", "rail", 60, "06:15", "20:15", ["Calais", "Saint-Omer", "Arques", "Hazebrouck", "Bailleul", "Nieppe"]),
    ("B10", "bus", 60, "06:30", "19:30", ["Ieper", "Vlamertinge", "Poperinge", "Watou", "Houtkerque", "Steenvoorde"]),
    ("B20", "bus", 60, "06:10", "19:10", ["Ieper", "Wijtschate", "Kemmel", "Dranouter", "Loker", "Bailleul"]),
    ("B21", "bus", 120, "07:00", "17:00", ["Kemmel", "Westouter", "Boeschepe", "Godewaersvelde", "Steenvoorde"]),
    ("B30", "bus", 60, "06:20", "19:20", ["Veurne", "Adinkerke", "Bray-Dunes", "Dunkerque"]),
    ("B31", "bus", 90, "06:40", "18:40", ["Veurne", "Alveringem", "Roesbrugge-Haringe", "Oost-Cappel", "Rexpoëde",
                                          "Hondschoote", "Bergues"]),
    ("B40", "bus", 60, "06:00", "20:00", ["Diksmuide", "Lo", "Oostvleteren", "Elverdinge", "Ieper"]),
    ("B50", "bus", 60, "06:30", "19:30", ["Hazebrouck", "Cassel", "Wormhout", "Bergues", "Coudekerque-Branche",
                                          "Dunkerque"]),
    ("B60", "bus", 90, "06:45", "18:45", ["Ieper", "Wervik", "Mesen", "Nieppe"]),
    ("B70", "bus", 60, "06:15", "19:15", ["Nieuwpoort", "Koksijde", "Veurne"]),
    ("B80", "bus", 120, "07:15", "17:15", ["Hazebrouck", "Merville", "Estaires"]),
]
SPEED_KMH = {"rail": 70, "bus": 35}
DWELL_S = {"rail": 60, "bus": 30}


def _hm(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 3600 + int(m) * 60


def _time(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def demo_feed() -> bytes:
    """The demo's GTFS feed (zip bytes) from the places as they are in the database (lines whose places are missing
    are shortened or left out)."""
    stops: dict[str, tuple[str, float, float]] = {}
    routes, trips, times = [], [], []
    for route, kind, headway_min, first, last, names in LINES:
        places = [v for v in (village_named(n) for n in names) if v is not None]
        if len(places) < 2:
            continue
        for v in places:
            stops.setdefault(f"{kind}-{v.slug}", (f"{v.name_nl or v.name_fr}{' (station)' if kind == 'rail' else ''}",
                                                  v.lat + (0.0008 if kind == "rail" else 0), v.lon))
        x, y = project(np.array([v.lon for v in places]), np.array([v.lat for v in places]))
        hops = ride_s(x, y, SPEED_KMH[kind]).tolist()
        routes.append(f"{route},{route},{3 if kind == 'bus' else 2}")
        for direction, seq, legs in (("a", places, hops), ("b", places[::-1], hops[::-1])):
            for k, start in enumerate(range(_hm(first), _hm(last) + 1, headway_min * 60)):
                trip = f"{route}-{direction}-{k}"
                trips.append(f"{route},daily,{trip}")
                t = start
                for i, v in enumerate(seq):
                    dwell = DWELL_S[kind] if 0 < i < len(seq) - 1 else 0
                    times.append(f"{trip},{_time(t)},{_time(t + dwell)},{kind}-{v.slug},{i + 1}")
                    if i < len(legs):
                        t += dwell + legs[i]
    year = datetime.date.today().year
    files = {
        "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\n"
                      "demo,Partons demo (synthetic),https://example.org,Europe/Brussels\n",
        "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\n" + "".join(
            f"{sid},\"{name}\",{lat:.6f},{lon:.6f}\n" for sid, (name, lat, lon) in stops.items()),
        "routes.txt": "route_id,route_short_name,route_type\n" + "\n".join(routes) + "\n",
        "trips.txt": "route_id,service_id,trip_id\n" + "\n".join(trips) + "\n",
        "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                        f"daily,1,1,1,1,1,0,0,{year - 1}0101,{year + 2}1231\n",
        "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "\n".join(times) + "\n",
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in files.items():
            z.writestr(name, text)
    return buffer.getvalue()


def load_demo_transit(log=print) -> TransitNetwork | None:
    """Import the demo network unless real public transport is loaded (then it is left alone)."""
    from .services import import_transit

    active = TransitNetwork.in_use()
    if active is not None and not active.synthetic:
        log("  public transport: a real network is loaded, the demo network is not imported")
        return None
    path = settings.VAR_DIR / "demo" / "demo-transit.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(demo_feed())
    net = import_transit([path], names=["demo"], licence=DEMO_LICENCE, name=DEMO_NAME, synthetic=True)
    for old in TransitNetwork.objects.filter(name=DEMO_NAME).exclude(pk=net.pk):  # earlier demo networks go
        shutil.rmtree(network_dir() / old.directory, ignore_errors=True)
        old.delete()
    s = net.summary
    log(f"  public transport (synthetic demo): {s['routes']} lines, {s['stops']} stops, {s['trips']} trips")
    return net
