"""Fixtures of the content tests: the repository's own sources, as the build reads them."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.build.sources import source_files

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def store() -> ox.Store:
    """The ontology and the graph's asserted triples, in one store (no closure, no shapes)."""
    store = ox.Store()
    for folder in ("ontology", "graph"):
        for path in source_files(ROOT, folder):
            store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store
