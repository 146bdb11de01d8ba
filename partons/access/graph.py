"""Routable graphs: compressed sparse rows of travel times, one per mode, over one node set.

A graph holds every node of the ways a mode may use (not only junctions), so that points snap to
the road that passes them. Edge weights are integer tenths of a second (``time_ds``), which keeps
the searches exact and lets them use bucket queues; lengths are metres.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from pathlib import Path

import numpy as np
from pyproj import Transformer
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components

from partons.access.modes import Mode

_TO_LAEA = Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 longitude/latitude to ETRS89-LAEA metres (EPSG:3035), the border-neutral EU grid."""
    x, y = _TO_LAEA.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.asarray(x, dtype=float), np.asarray(y, dtype=float)


class NetworkError(ValueError):
    """A network file cannot be used (missing, not OSM, or holding no way for a mode)."""


@dataclass
class Graph:
    """Directed graph of one mode: edge u→v means one can travel from u to v in ``time_ds[e]``."""

    mode: str
    x: np.ndarray  # metres, EPSG:3035
    y: np.ndarray
    indptr: np.ndarray  # int64, n + 1
    indices: np.ndarray  # int32
    time_ds: np.ndarray  # int32, tenths of a second, >= 1
    length_m: np.ndarray  # float32
    _transpose: "Graph | None" = field(default=None, repr=False)
    _main: np.ndarray | None = field(default=None, repr=False)
    # WGS84 places of the nodes, kept by read_osm for maps and exports (not stored with the graph)
    lon: np.ndarray | None = field(default=None, repr=False)
    lat: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_nodes(self) -> int:
        return self.indptr.size - 1

    @property
    def n_edges(self) -> int:
        return self.indices.size

    @classmethod
    def from_edges(cls, mode: str, x, y, src, dst, time_ds, length_m) -> "Graph":
        """Build from edge lists (u→v). Parallel edges keep the fastest."""
        x = np.asarray(x, dtype=float)
        n = x.size
        src = np.asarray(src, dtype=np.int64)
        dst = np.asarray(dst, dtype=np.int64)
        t = np.maximum(np.rint(np.asarray(time_ds, dtype=float)), 1).astype(np.int32)
        length = np.asarray(length_m, dtype=np.float32)
        if src.size:
            if src.min() < 0 or max(src.max(), dst.max()) >= n:
                raise ValueError("edge end outside the node list")
            # Fastest of parallel edges: sort by (src, dst, time) and keep the first of each pair.
            order = np.lexsort((t, dst, src))
            src, dst, t, length = src[order], dst[order], t[order], length[order]
            keep = np.ones(src.size, dtype=bool)
            keep[1:] = (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])
            keep &= src != dst
            src, dst, t, length = src[keep], dst[keep], t[keep], length[keep]
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
        return cls(mode, x, np.asarray(y, dtype=float), indptr, dst.astype(np.int32), t, length)

    def transpose(self) -> "Graph":
        """The same roads travelled backwards: searching it from facilities gives times *to* them."""
        if self._transpose is None:
            # A sparse transpose that carries each edge's position along, so both weights follow it.
            m = csr_matrix((np.arange(1, self.n_edges + 1, dtype=np.int64), self.indices, self.indptr),
                           shape=(self.n_nodes, self.n_nodes)).T.tocsr()
            perm = m.data - 1
            g = Graph(self.mode, self.x, self.y, m.indptr.astype(np.int64), m.indices.astype(np.int32),
                      self.time_ds[perm], self.length_m[perm])
            g._transpose = self
            self._transpose = g
        return self._transpose

    def main_component(self) -> np.ndarray:
        """Nodes of the largest strongly connected part: where points may snap (not onto an island
        of private roads from which nothing can be reached)."""
        if self._main is None:
            if self.n_edges == 0:
                self._main = np.zeros(self.n_nodes, dtype=bool)
            else:
                m = csr_matrix((np.ones(self.n_edges, dtype=np.int8), self.indices, self.indptr),
                               shape=(self.n_nodes, self.n_nodes))
                _, labels = connected_components(m, directed=True, connection="strong")
                has_edge = np.diff(self.indptr) > 0
                counts = np.bincount(labels[has_edge], minlength=labels.max() + 1)
                self._main = (labels == counts.argmax()) & has_edge
        return self._main

    def csr(self, weight: str = "time_ds") -> csr_matrix:
        data = getattr(self, weight).astype(np.float64)
        return csr_matrix((data, self.indices, self.indptr), shape=(self.n_nodes, self.n_nodes))

    def save(self, path: Path) -> None:
        np.savez(path, mode=np.array(self.mode), x=self.x, y=self.y, indptr=self.indptr, indices=self.indices,
                 time_ds=self.time_ds, length_m=self.length_m)

    @classmethod
    def load(cls, path: Path) -> "Graph":
        with np.load(path) as f:
            return cls(str(f["mode"]), f["x"], f["y"], f["indptr"], f["indices"], f["time_ds"], f["length_m"])


def _morton(x, y) -> np.ndarray:
    """Z-order (Morton) code of points, on a 16-bit grid over their extent."""
    def spread(v):
        v = v.astype(np.uint64)
        v = (v | (v << np.uint64(8))) & np.uint64(0x00FF00FF)
        v = (v | (v << np.uint64(4))) & np.uint64(0x0F0F0F0F)
        v = (v | (v << np.uint64(2))) & np.uint64(0x33333333)
        v = (v | (v << np.uint64(1))) & np.uint64(0x55555555)
        return v

    def grid(v):
        lo, hi = float(v.min()), float(v.max())
        return np.zeros(v.size, np.uint64) if hi == lo else ((v - lo) / (hi - lo) * 65535).astype(np.uint64)

    if x.size == 0:
        return np.zeros(0, np.uint64)
    return spread(grid(x)) | (spread(grid(y)) << np.uint64(1))


def _haversine_m(lon1, lat1, lon2, lat2):
    lon1, lat1, lon2, lat2 = (np.radians(a) for a in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371008.8 * np.arcsin(np.sqrt(a))


MAP_ROADS = {"motorway": "motorway", "motorway_link": "motorway", "trunk": "trunk", "trunk_link": "trunk",
             "primary": "primary", "primary_link": "primary", "secondary": "secondary", "secondary_link": "secondary",
             "tertiary": "tertiary", "tertiary_link": "tertiary"}


def read_osm(paths, modes: list[Mode], progress=None, roads: list | None = None) -> tuple[dict[str, Graph], dict]:
    """Read one or more OSM extracts (.osm, .osm.pbf) into one graph per mode.

    Extracts cut along a border overlap: a way in both files is read once (by its OSM id) and nodes
    are shared by id, so the graphs run across the border as the roads do. Returns the graphs and
    a summary (ways and nodes read, per file). Given a list, `roads` receives the main roads for the
    base map: (class, [(lon, lat), …]) per way, the class one of MAP_ROADS' values.
    """
    import osmium

    ways: dict[int, tuple] = {}
    summary: dict[str, Any] = {"files": [], "ways": 0, "nodes": 0}
    for path in paths:
        path = Path(path)
        if not path.is_file():
            raise NetworkError(f"{path}: no such file")
        if not (path.name.endswith(".osm") or path.name.endswith(".pbf") or path.name.endswith(".osm.xml")):
            raise NetworkError(f"{path}: expected an OpenStreetMap extract (.osm or .osm.pbf)")
        before = len(ways)
        missing = 0

        class Handler(osmium.SimpleHandler):
            def way(self, w):
                nonlocal missing
                if w.tags.get("highway") is None:
                    return
                refs, lons, lats = [], [], []
                for nd in w.nodes:
                    refs.append(nd.ref)
                    if nd.location.valid():
                        lons.append(nd.location.lon)
                        lats.append(nd.location.lat)
                    else:
                        lons.append(np.nan)
                        lats.append(np.nan)
                        missing += 1
                lons_a, lats_a = np.array(lons), np.array(lats)
                known = ways.get(w.id)
                if known is not None:
                    # The same way in another extract: an extract cut at its edge may hold only part of its nodes.
                    # The copies complete each other (or, if they differ, the fuller one is kept).
                    if list(known[1]) == refs:
                        fill = np.isnan(known[2]) & ~np.isnan(lons_a)
                        known[2][fill], known[3][fill] = lons_a[fill], lats_a[fill]
                        return
                    if np.isfinite(known[2]).sum() >= np.isfinite(lons_a).sum():
                        return
                if len(refs) < 2:
                    return
                tags = {k: w.tags.get(k) for k in _TAG_KEYS if k in w.tags}
                ways[w.id] = (tags, np.array(refs, dtype=np.int64), lons_a, lats_a)

        try:
            Handler().apply_file(str(path), locations=True)
        except RuntimeError as exc:
            raise NetworkError(f"{path}: not a readable OpenStreetMap extract ({exc})") from exc
        summary["files"].append({"file": path.name, "ways": len(ways) - before, "nodes_missing": missing})
        if progress:
            progress(path.name, len(ways) - before)
    if not ways:
        raise NetworkError("no road or path (highway=*) in the file(s): is this the right extract?")

    way_tags = [w[0] for w in ways.values()]
    lengths = np.fromiter((len(w[1]) for w in ways.values()), dtype=np.int64, count=len(ways))
    node_ids = np.concatenate([w[1] for w in ways.values()])
    lons = np.concatenate([w[2] for w in ways.values()])
    lats = np.concatenate([w[3] for w in ways.values()])
    # Consecutive node pairs inside each way; a pair with a node missing from every extract is left out.
    seg_way = np.repeat(np.arange(len(ways)), lengths - 1)
    seg_pos = np.arange(seg_way.size) + seg_way  # segment k of way i starts at node position k + i
    valid = ~np.isnan(lons)
    seg_ok = valid[seg_pos] & valid[seg_pos + 1]
    seg_way, seg_pos = seg_way[seg_ok], seg_pos[seg_ok]
    if seg_pos.size == 0:
        raise NetworkError("the ways' nodes are missing from the file(s): was the extract cut without them?")
    used = np.zeros(node_ids.size, dtype=bool)
    used[seg_pos] = used[seg_pos + 1] = True
    node_ids = np.where(used, node_ids, -1)
    uniq, first, inverse = np.unique(node_ids, return_index=True, return_inverse=True)
    if uniq[0] == -1:  # positions of nodes no segment uses map to a placeholder, dropped below
        uniq, first, inverse = uniq[1:], first[1:], inverse - 1
    node_lon, node_lat = lons[first], lats[first]
    x, y = project(node_lon, node_lat)
    # Number nodes along a space-filling curve: neighbours in space are neighbours in memory, which keeps the
    # searches in the processor's cache (OSM ids follow editing history, not geography).
    order = np.argsort(_morton(x, y), kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    inverse = np.where(inverse >= 0, rank[np.maximum(inverse, 0)], -1)
    uniq, node_lon, node_lat, x, y = uniq[order], node_lon[order], node_lat[order], x[order], y[order]
    a, b = inverse[seg_pos], inverse[seg_pos + 1]
    seg_len = _haversine_m(node_lon[a], node_lat[a], node_lon[b], node_lat[b])
    graphs = {}
    for mode in modes:
        speed = np.array([mode.way_speed_kmh(t) or 0.0 for t in way_tags])
        direction = np.array([mode.direction(t) for t in way_tags], dtype=np.int8)
        s, d = speed[seg_way], direction[seg_way]
        usable = s > 0
        fw = usable & (d >= 0)
        bw = usable & (d <= 0)
        t = np.zeros_like(seg_len)
        t[usable] = seg_len[usable] / (s[usable] / 3.6) * 10
        src = np.concatenate([a[fw], b[bw]])
        dst = np.concatenate([b[fw], a[bw]])
        graphs[mode.name] = Graph.from_edges(mode.name, x, y, src, dst, np.concatenate([t[fw], t[bw]]),
                                             np.concatenate([seg_len[fw], seg_len[bw]]))
        summary[f"edges_{mode.name}"] = int(graphs[mode.name].n_edges)
    summary["ways"] = len(ways)
    summary["nodes"] = int(uniq.size)
    summary["bbox"] = [float(node_lon.min()), float(node_lat.min()), float(node_lon.max()), float(node_lat.max())]
    if roads is not None:
        for tags, _refs, w_lon, w_lat in ways.values():
            kind = MAP_ROADS.get(tags.get("highway"))
            ok = ~np.isnan(w_lon)
            if kind and ok.sum() >= 2:
                roads.append((kind, list(zip(w_lon[ok].tolist(), w_lat[ok].tolist()))))
    for g in graphs.values():
        g.lon, g.lat = node_lon, node_lat  # kept for maps and exports
    return graphs, summary


_TAG_KEYS = ("highway", "access", "foot", "bicycle", "motor_vehicle", "motorcar", "oneway", "oneway:bicycle",
             "cycleway", "junction", "maxspeed", "area", "sidewalk")
