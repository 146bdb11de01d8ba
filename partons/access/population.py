"""Where residents live, when all we know is a village centre and its population: spread evenly over
a disc around the centre whose radius grows with the population (from 300 m for a hamlet to
1.5 km for a town), on a triangular lattice. A transparent estimate, said as such wherever it is
used; a finer source (census sectors, a population grid) can replace it point for point."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MIN_RADIUS_M = 300.0
MAX_RADIUS_M = 1500.0


def radius_m(population) -> np.ndarray:
    p = np.maximum(np.asarray(population, dtype=float), 0)
    return np.clip(250.0 + 8.0 * np.sqrt(p), MIN_RADIUS_M, MAX_RADIUS_M)


@dataclass
class PopulationPoints:
    x: np.ndarray
    y: np.ndarray
    weight: np.ndarray  # residents
    group: np.ndarray  # index of the village each point belongs to
    centre: np.ndarray  # bool: the village centre itself


def spread(x, y, population, *, rings: int = 3) -> PopulationPoints:
    """Points for each village (x, y in metres): its centre and ``rings`` hexagonal rings around it,
    each carrying an equal share of the population (villages without a population get weight 0)."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    pop = np.nan_to_num(np.asarray(population, dtype=float), nan=0.0)
    # Unit lattice: axial hexagonal coordinates within ``rings`` of the origin.
    grid_q, grid_r = np.meshgrid(np.arange(-rings, rings + 1), np.arange(-rings, rings + 1))
    qs, rs = grid_q.ravel(), grid_r.ravel()
    keep = np.abs(qs + rs) <= rings
    qs, rs = qs[keep], rs[keep]
    ux = (qs + rs / 2.0) / rings
    uy = (rs * np.sqrt(3) / 2.0) / rings
    m = ux.size
    r = radius_m(pop)
    px = (x[:, None] + ux[None, :] * r[:, None]).ravel()
    py = (y[:, None] + uy[None, :] * r[:, None]).ravel()
    w = np.repeat(pop / m, m)
    group = np.repeat(np.arange(x.size), m)
    centre = np.tile((qs == 0) & (rs == 0), x.size)
    return PopulationPoints(px, py, w, group, centre)
