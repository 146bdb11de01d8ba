"""Helpers for the access-engine tests: tiny OpenStreetMap XML files written by the tests themselves."""
import pytest

from partons.access.nearest import Sources

from tests.access.graphs import ONE_WAY_EDGES, graph_from, osm_xml


@pytest.fixture
def write_osm(tmp_path):
    def write(name, nodes, ways):
        path = tmp_path / name
        path.write_text(osm_xml(nodes, ways), encoding="utf-8")
        return path

    return write


@pytest.fixture
def one_way():
    """The one-way test graph of ``tests.access.graphs.ONE_WAY_EDGES`` (car, seven nodes)."""
    return graph_from(7, ONE_WAY_EDGES)


@pytest.fixture
def ab():
    """Facility A (label 10) at node 0 and B (label 20) at node 4 of the one-way graph."""
    return Sources(node=[0, 4], label=[10, 20])
