"""The adapter between the database and the access engine: villages become population points,
facilities become engine inputs, the active road network (if any) becomes one travel model per
mode. Models and the per-category searches of today are kept in memory (per process) so that a
scenario only searches again around what it changes."""
from __future__ import annotations

import datetime
import functools
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.conf import settings as dj_settings
from django.utils import timezone

from partons.access import MODES, TRANSIT
from partons.access.graph import Graph, project
from partons.access.model import Facilities, NetworkModel, StraightLineModel, TravelModel
from partons.access.population import PopulationPoints, spread
from partons.access.transit import Timetable, TransitModel
from partons.observatory.models import Facility
from partons.territory.models import Village

from .models import AccessSettings, RoadNetwork, TransitNetwork

MODE_NAMES = tuple(MODES)
TRANSIT_FILE = "transit.npz"  # beside the road graphs, in the network folder


def network_dir() -> Path:
    return Path(dj_settings.VAR_DIR) / "networks"


@dataclass
class VillageSet:
    ids: np.ndarray
    country: np.ndarray  # "BE" / "FR" per village
    population: np.ndarray
    points: PopulationPoints
    centre_index: np.ndarray  # index into the points of each village's centre

    @property
    def n(self) -> int:
        return self.ids.size


def load_villages() -> VillageSet:
    rows = list(Village.objects.filter(merged_into=None).order_by("pk")
                .values_list("pk", "lon", "lat", "population", "municipality__country__code"))
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    lon = np.array([r[1] for r in rows], dtype=float)
    lat = np.array([r[2] for r in rows], dtype=float)
    pop = np.array([r[3] if r[3] is not None else 0 for r in rows], dtype=float)
    country = np.array([r[4] for r in rows], dtype=object)
    x, y = project(lon, lat) if rows else (np.zeros(0), np.zeros(0))
    pts = spread(x, y, pop)
    centre_index = np.flatnonzero(pts.centre)
    return VillageSet(ids, country, pop, pts, centre_index)


@dataclass
class FacilitySet:
    """Open facilities on a day: per category id, the engine input and each facility's country."""

    by_category: dict[int, Facilities]
    ids: np.ndarray  # sorted facility ids
    countries: np.ndarray  # their country ("BE", "FR"; empty when outside every village)

    def country_of(self, labels) -> np.ndarray:
        """Country of each facility label (empty for -1 or an unknown label, e.g. a scenario's new service)."""
        labels = np.asarray(labels, dtype=np.int64)
        out = np.full(labels.size, "", dtype=object)
        if self.ids.size == 0 or labels.size == 0:
            return out
        pos = np.clip(np.searchsorted(self.ids, labels), 0, self.ids.size - 1)
        hit = self.ids[pos] == labels
        out[hit] = self.countries[pos[hit]]
        return out


def facilities_on(day: datetime.date, category_ids=None) -> FacilitySet:
    qs = Facility.objects.open_on(day)
    if category_ids is not None:
        qs = qs.filter(category_id__in=list(category_ids))
    rows = list(qs.values_list("pk", "category_id", "lon", "lat", "village__municipality__country__code"))
    by_cat: dict[int, list] = {}
    for r in rows:
        by_cat.setdefault(r[1], []).append(r)
    out = {}
    for cat, items in by_cat.items():
        arr = np.array([(i[0], i[2], i[3]) for i in items], dtype=float)
        x, y = project(arr[:, 1], arr[:, 2])
        out[cat] = Facilities(x, y, arr[:, 0].astype(np.int64))
    for cat in category_ids or []:
        out.setdefault(cat, Facilities(np.zeros(0), np.zeros(0), np.zeros(0, np.int64)))
    rows.sort()
    return FacilitySet(out, np.array([r[0] for r in rows], dtype=np.int64),
                       np.array([r[4] or "" for r in rows], dtype=object))


MAP_ROADS_FILE = "roads.geojson"
MAP_ROADS_SIMPLIFY_DEG = 0.0001  # about 10 m


def save_map_roads(folder: Path, roads: list) -> int:
    """The main roads of a network, for the base map: one simplified (Multi)LineString per road class, written
    next to the graphs. Returns the number of ways kept."""
    import json

    import shapely
    from shapely.geometry import LineString, mapping

    by_class: dict[str, list] = {}
    for kind, coords in roads:
        by_class.setdefault(kind, []).append(LineString(coords))
    features = []
    for kind, lines in sorted(by_class.items()):
        merged = shapely.line_merge(shapely.multilinestrings(lines))
        geom = shapely.set_precision(shapely.simplify(merged, MAP_ROADS_SIMPLIFY_DEG), 0.00001)
        if not geom.is_empty:
            features.append({"type": "Feature", "properties": {"kind": "road", "class": kind}, "geometry": mapping(geom)})
    (folder / MAP_ROADS_FILE).write_text(json.dumps({"type": "FeatureCollection", "features": features},
                                                    separators=(",", ":")))
    return len(roads)


def map_roads(network: RoadNetwork | None) -> list[dict]:
    """The main roads of the network in use, as base map features (none before a network is imported)."""
    import json

    if network is None:
        return []
    path = network_dir() / network.directory / MAP_ROADS_FILE
    if not path.is_file():
        return []
    return json.loads(path.read_text())["features"]


def load_graph(network: RoadNetwork, mode: str) -> Graph:
    return Graph.load(network_dir() / network.directory / f"{mode}.npz")


# Public transport is measured on a weekday morning: leaving home on every minute from 07:00 to 09:00.
TRANSIT_DEPARTURES = np.arange(7 * 3600, 9 * 3600, 60)
# … and back in the afternoon: leaving the service on every minute from 16:00 to 18:00.
TRANSIT_RETURN = np.arange(16 * 3600, 18 * 3600, 60)
TRANSIT_ACCESS_M = 1000  # the stops a resident may walk to (as the crow flies)


def transit_model(net: TransitNetwork, threshold_s: float, paths: NetworkModel | None = None) -> TransitModel | None:
    """Public transport from the network's file; with ``paths`` (walking along the road network), the walks to and
    from the stops, and all the way, follow it."""
    path = network_dir() / net.directory / TRANSIT_FILE
    if not path.exists():
        return None
    with np.load(path) as d:
        tt = Timetable(int(d["lon"].size), d["dep_stop"], d["arr_stop"], d["dep_s"], d["arr_s"], d["trip"],
                       int(d["trip"].max()) + 1 if d["trip"].size else 0, d["foot_start"], d["foot_to"], d["foot_s"])
        x, y = project(d["lon"], d["lat"])
        trip_route = d["trip_route"] if "trip_route" in d.files else None
    return TransitModel(tt, x, y, MODES["walk"], TRANSIT_DEPARTURES, threshold_s=threshold_s,
                        access_m=TRANSIT_ACCESS_M, return_departures=TRANSIT_RETURN, trip_route=trip_route,
                        paths=paths)


@dataclass
class TransitLines:
    """The lines and stops of the network in use, for the scenario page: routes (feed:route_id) with their names and
    trips, stops with their names and places."""

    routes: list[dict]
    stops: list[dict]


def transit_lines(net: TransitNetwork) -> TransitLines:
    return _transit_lines(net.directory)


def _route_paths(trip_route, trip, dep_stop, arr_stop, dep_s) -> dict[str, list[int]]:
    """Per route, the stops of its longest trip in order (to draw the line on a map and name its ends)."""
    if not trip.size:
        return {}
    calls = np.bincount(trip, minlength=trip_route.size)
    longest: dict[str, int] = {}
    for t, r in enumerate(trip_route.tolist()):
        if r not in longest or calls[t] > calls[longest[r]]:
            longest[r] = t
    paths = {}
    for r, t in longest.items():
        idx = np.flatnonzero(trip == t)
        idx = idx[np.argsort(dep_s[idx], kind="stable")]
        seq = [int(dep_stop[idx[0]]), *arr_stop[idx].tolist()] if idx.size else []
        paths[r] = seq
    return paths


@functools.lru_cache(maxsize=4)
def _transit_lines(directory: str) -> TransitLines:
    path = network_dir() / directory / TRANSIT_FILE
    if not path.exists():
        return TransitLines([], [])
    with np.load(path) as d:
        names = dict(zip(d["route_id"].tolist(), d["route_name"].tolist())) if "route_id" in d.files else {}
        trip_route = d["trip_route"] if "trip_route" in d.files else np.zeros(0, str)
        stops = [{"index": i, "id": str(sid), "name": str(name), "lon": float(lon), "lat": float(lat)}
                 for i, (sid, name, lon, lat) in enumerate(zip(d["stop_id"], d["stop_name"], d["lon"], d["lat"]))]
        paths = _route_paths(trip_route, d["trip"], d["dep_stop"], d["arr_stop"], d["dep_s"])
        where = {r: ([[round(float(d["lat"][i]), 5), round(float(d["lon"][i]), 5)] for i in seq],
                     f"{d['stop_name'][seq[0]]} – {d['stop_name'][seq[-1]]}" if seq else "") for r, seq in paths.items()}
    ids, counts = np.unique(trip_route, return_counts=True)
    feeds = {r.split(":", 1)[0] for r in ids.tolist()}
    routes = [{"id": r, "name": names.get(r, r.split(":", 1)[-1]) + (f" ({r.split(':', 1)[0]})" if len(feeds) > 1 else ""),
               "trips": int(n), "path": where.get(r, ([], ""))[0], "ends": where.get(r, ([], ""))[1]}
              for r, n in zip(ids.tolist(), counts)]
    routes.sort(key=lambda r: (len(str(r["name"])), str(r["name"])))
    stops.sort(key=lambda s: str(s["name"]))
    return TransitLines(routes, stops)


def travel_models(network: RoadNetwork | None, max_snap_m: float, *, transit: TransitNetwork | None = None,
                  transit_threshold_s: float = 1800) -> dict[str, TravelModel]:
    """A model per road mode (along the network, or as the crow flies without one) and, when public transport is
    loaded, one for it."""
    models: dict[str, TravelModel] = {}
    for name in MODE_NAMES:
        if network is not None:
            path = network_dir() / network.directory / f"{name}.npz"
            if path.exists():
                g = Graph.load(path)
                if g.main_component().any():
                    models[name] = NetworkModel(g, MODES[name], max_snap_m=max_snap_m)
                    continue
        models[name] = StraightLineModel(MODES[name])
    walk = models["walk"]
    paths = walk if isinstance(walk, NetworkModel) else None
    if transit is not None and (model := transit_model(transit, transit_threshold_s, paths)) is not None:
        models[TRANSIT] = model
    return models


class _Cache:
    """Per process: the villages, the models with their origins, today's searches per (mode, category)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.key = None
        self.villages: VillageSet | None = None
        self.models: dict[str, TravelModel] = {}
        self.off_network: dict[str, np.ndarray] = {}
        self.states: dict[tuple[str, int], object] = {}

    def get(self, key, max_snap_m: float):
        with self.lock:
            if key != self.key:
                network = RoadNetwork.in_use()
                self.villages = load_villages()
                self.models = travel_models(network, max_snap_m, transit=TransitNetwork.in_use(),
                                            transit_threshold_s=AccessSettings.current().threshold_min(TRANSIT) * 60)
                self.off_network = {m: model.set_origins(self.villages.points.x, self.villages.points.y)
                                    for m, model in self.models.items()}
                self.states = {}
                self.key = key
            return self

    def state(self, mode: str, category_id: int, limit_s: float):
        with self.lock:
            k = (mode, category_id)
            if k not in self.states:
                fac = facilities_on(timezone.localdate(), [category_id]).by_category[category_id]
                self.states[k] = self.models[mode].search(fac, limit_s=limit_s)
            return self.states[k]

    def clear(self):
        with self.lock:
            self.key = None


CACHE = _Cache()
