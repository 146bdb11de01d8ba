"""Joining points (facilities, residents) to a graph: the nearest node of its main connected part,
within a maximum snapping distance. Points further away are reported, never snapped across a
river or onto a road that goes nowhere."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from partons.access.graph import Graph


@dataclass
class Snapped:
    node: np.ndarray  # int32, -1 where not snapped
    distance_m: np.ndarray  # straight line from the point to its node
    ok: np.ndarray  # bool

    @property
    def rejected(self) -> np.ndarray:
        """Indexes of the points beyond the snapping distance."""
        return np.flatnonzero(~self.ok)


class Snapper:
    def __init__(self, graph: Graph, max_distance_m: float = 500.0):
        self.graph = graph
        self.max_distance_m = float(max_distance_m)
        # Snap to nodes that can reach and be reached from the rest of the network.
        self.nodes = np.flatnonzero(graph.main_component()).astype(np.int32)
        self.tree = cKDTree(np.column_stack([graph.x[self.nodes], graph.y[self.nodes]])) if self.nodes.size else None

    def snap(self, x, y) -> Snapped:
        x = np.asarray(x, dtype=float).ravel()
        y = np.asarray(y, dtype=float).ravel()
        if self.tree is None or x.size == 0:
            return Snapped(np.full(x.size, -1, np.int32), np.full(x.size, np.inf), np.zeros(x.size, bool))
        dist, i = self.tree.query(np.column_stack([x, y]), distance_upper_bound=self.max_distance_m)
        ok = np.isfinite(dist)
        node = np.full(x.size, -1, np.int32)
        node[ok] = self.nodes[i[ok]]
        return Snapped(node, dist, ok)
