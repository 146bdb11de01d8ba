"""Travel modes: who may use which way, at what speed.

Speeds are averages including junctions, in km/h. Walking at 4.8 km/h and cycling at 15 km/h are
the speeds behind the Flemish thresholds (15 minutes = 1.2 km on foot, 3.75 km by bike); car speeds
follow the road class unless the way carries a numeric ``maxspeed`` (then a share of it).
"""
from __future__ import annotations

from dataclasses import dataclass, field

# highway=* values that carry traffic (areas, construction, proposed… are left out).
_CAR_SPEEDS = {
    "motorway": 110, "motorway_link": 60, "trunk": 90, "trunk_link": 50, "primary": 70, "primary_link": 45,
    "secondary": 60, "secondary_link": 40, "tertiary": 50, "tertiary_link": 35, "unclassified": 45,
    "residential": 30, "living_street": 15, "service": 15, "road": 30,
}
_WALK_WAYS = {
    "trunk", "trunk_link", "primary", "primary_link", "secondary", "secondary_link", "tertiary", "tertiary_link",
    "unclassified", "residential", "living_street", "service", "road", "track", "path", "footway", "pedestrian",
    "steps", "bridleway", "cycleway",
}
_BIKE_WAYS = _WALK_WAYS - {"steps", "footway", "pedestrian", "bridleway"} | {"footway", "pedestrian"}
_NO = {"no", "private"}


@dataclass(frozen=True)
class Mode:
    """A way of travelling. ``kind`` decides the rules; speeds in km/h."""

    name: str
    kind: str  # walk | bike | car
    speed_kmh: float
    # Straight-line fallback: the crow-flies distance times ``circuity``, at ``crow_speed_kmh``.
    circuity: float = 1.3
    crow_speed_kmh: float | None = None
    # Getting from a point to the road it snaps to (and from the road to a door).
    connector_speed_kmh: float | None = None
    way_speeds: dict = field(default_factory=dict)

    @property
    def connector_speed_ms(self) -> float:
        return (self.connector_speed_kmh or self.speed_kmh) / 3.6

    @property
    def crow_speed_ms(self) -> float:
        return (self.crow_speed_kmh or self.speed_kmh) / 3.6

    def way_speed_kmh(self, tags: dict) -> float | None:
        """The speed on a way with these OSM tags, or None when this mode may not use it."""
        hw = tags.get("highway")
        if hw is None or tags.get("area") == "yes":
            return None
        access = tags.get("access")
        if self.kind == "car":
            if hw not in _CAR_SPEEDS:
                return None
            if access in _NO or tags.get("motor_vehicle") in _NO or tags.get("motorcar") in _NO:
                return None
            speed = float(self.way_speeds.get(hw, _CAR_SPEEDS[hw]))
            maxspeed = _maxspeed(tags.get("maxspeed"))
            if maxspeed:
                speed = min(speed, 0.9 * maxspeed) if hw not in ("motorway", "trunk") else 0.9 * maxspeed
            return max(speed, 5.0)
        own = tags.get("foot" if self.kind == "walk" else "bicycle")
        if own in ("yes", "designated", "permissive"):
            return self.speed_kmh
        if own in _NO or (access in _NO and own is None):
            return None
        if self.kind == "walk" and tags.get("sidewalk") == "no" and hw in ("trunk", "trunk_link"):
            return None
        ways = _WALK_WAYS if self.kind == "walk" else _BIKE_WAYS
        if hw not in ways:
            return None
        if self.kind == "bike" and hw in ("footway", "pedestrian"):
            return self.speed_kmh / 3  # pushing the bike where cycling is not signposted
        return self.speed_kmh

    def direction(self, tags: dict) -> int:
        """1 forward only, -1 backward only, 0 both ways (walkers ignore one-ways)."""
        if self.kind == "walk":
            return 0
        if self.kind == "bike":
            if tags.get("oneway:bicycle") == "no" or str(tags.get("cycleway", "")).startswith("opposite"):
                return 0
            ow = tags.get("oneway:bicycle") or tags.get("oneway")
        else:
            ow = tags.get("oneway")
        if ow in ("yes", "true", "1"):
            return 1
        if ow in ("-1", "reverse"):
            return -1
        if ow is None and (tags.get("junction") in ("roundabout", "circular") or tags.get("highway") == "motorway"):
            return 1
        return 0


def _maxspeed(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip().lower()
    factor = 1.609 if value.endswith("mph") else 1.0
    digits = value.replace("mph", "").replace("km/h", "").strip()
    try:
        speed = float(digits) * factor
    except ValueError:
        return None
    return speed if 5 <= speed <= 150 else None


WALK = Mode("walk", "walk", 4.8)
BIKE = Mode("bike", "bike", 15.0, connector_speed_kmh=10.0)
CAR = Mode("car", "car", 50.0, crow_speed_kmh=50.0, circuity=1.35, connector_speed_kmh=15.0)
MODES: dict[str, Mode] = {m.name: m for m in (WALK, BIKE, CAR)}

TRANSIT = "transit"
# The ways access is measured: the road modes and public transport (walking to and from the stops, see transit.py).
ACCESS_MODES = (*MODES, TRANSIT)
