"""The access engine: travel times from every place to the nearest everyday services.

A pure library (NumPy, SciPy, Numba, pyosmium, pyproj; no Django): it builds routable graphs from
OpenStreetMap extracts, snaps points to them, finds for every node the nearest facility of a
category (one multi-source search, not one per resident), falls back to straight-line distance
when no network is loaded, aggregates indicators and answers what-if scenarios incrementally.
The Django adapter in ``partons.analysis`` feeds it from the database and stores its results.
"""
from partons.access.graph import Graph
from partons.access.modes import ACCESS_MODES, MODES, TRANSIT, Mode

__all__ = ["ACCESS_MODES", "MODES", "TRANSIT", "Mode", "Graph"]
