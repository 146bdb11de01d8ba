"""Assign points to villages: the municipality whose boundary holds the point (on either side of the
border), then its nearest village; where no boundary is loaded, the nearest village within reach."""
from __future__ import annotations

import numpy as np
import shapely
from scipy.spatial import cKDTree
from shapely.geometry import shape

from partons.core.geo import LAEA, WGS84, transformer
from partons.territory.models import Municipality, Village

MAX_VILLAGE_DISTANCE_M = 8_000
EDGE_TOLERANCE_DEG = 0.004  # about 300 m: points on a boundary line, rounding


class VillageLocator:
    def __init__(self, villages=None, municipalities=None):
        villages = list(villages if villages is not None else Village.objects.filter(merged_into__isnull=True)
                        .values_list("pk", "municipality_id", "lon", "lat"))
        munis = list(municipalities if municipalities is not None else Municipality.objects.filter(boundary__isnull=False)
                     .values_list("pk", "boundary"))
        self.village_ids = np.array([v[0] for v in villages], dtype=np.int64)
        self.village_munis = np.array([v[1] for v in villages], dtype=np.int64)
        xy = self._project(np.array([v[2] for v in villages], dtype=float), np.array([v[3] for v in villages], dtype=float))
        self.tree = cKDTree(xy) if len(villages) else None
        self.xy = xy
        self.muni_ids = np.array([m[0] for m in munis], dtype=np.int64)
        self.muni_geoms = np.array([shape(m[1]) for m in munis], dtype=object)
        self.muni_tree = shapely.STRtree(self.muni_geoms) if len(munis) else None
        self.geom_of_muni = dict(zip(self.muni_ids.tolist(), self.muni_geoms))

    @staticmethod
    def _project(lons: np.ndarray, lats: np.ndarray) -> np.ndarray:
        if len(lons) == 0:
            return np.zeros((0, 2))
        x, y = transformer(WGS84, LAEA).transform(lons, lats)
        return np.column_stack([x, y])

    def locate_many(self, lons, lats) -> list[int | None]:
        """Village id for each point, or None when the point lies outside every village's reach."""
        lons = np.asarray(lons, dtype=float)
        lats = np.asarray(lats, dtype=float)
        out: list[int | None] = [None] * len(lons)
        if self.tree is None or len(lons) == 0:
            return out
        xy = self._project(lons, lats)
        # 1. the municipality whose boundary contains the point
        muni_of = np.full(len(lons), -1, dtype=np.int64)
        if self.muni_tree is not None:
            pts = shapely.points(lons, lats)
            pt_idx, geom_idx = self.muni_tree.query(pts, predicate="within")
            muni_of[pt_idx] = self.muni_ids[geom_idx]
        dist, nearest = self.tree.query(xy, k=min(8, len(self.village_ids)))
        dist = np.atleast_2d(dist.reshape(len(lons), -1))
        nearest = np.atleast_2d(nearest.reshape(len(lons), -1))
        for i in range(len(lons)):
            if muni_of[i] >= 0:
                # nearest village of that municipality (among the closest ones, else search its villages)
                candidates = [j for j in nearest[i] if self.village_munis[j] == muni_of[i]]
                if not candidates:
                    in_muni = np.flatnonzero(self.village_munis == muni_of[i])
                    if len(in_muni):
                        d = np.hypot(*(self.xy[in_muni] - xy[i]).T)
                        candidates = [in_muni[int(np.argmin(d))]]
                if candidates:
                    out[i] = int(self.village_ids[candidates[0]])
                    continue
            j = nearest[i][0]
            if dist[i][0] > MAX_VILLAGE_DISTANCE_M:
                continue
            geom = self.geom_of_muni.get(int(self.village_munis[j]))
            if geom is not None and shapely.distance(geom, shapely.Point(lons[i], lats[i])) > EDGE_TOLERANCE_DEG:
                continue  # its municipality's boundary is known and the point lies outside it: not in the region
            out[i] = int(self.village_ids[j])
        return out

    def locate(self, lon: float, lat: float) -> int | None:
        return self.locate_many([lon], [lat])[0]
