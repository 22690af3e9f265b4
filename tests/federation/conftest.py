"""Fixtures of the federation tests: Comunica, a stand-in UN endpoint and the service.

* ``comunica``: ``node_modules/.bin/comunica-sparql`` (``@comunica/query-sparql`` 4.x of
  package.json; ``npm install``). Absent: the tests skip.
* ``un_endpoint``: Oxigraph server, read-only, on loopback, holding UNSD's SDG KOS (goals,
  targets, indicators with their custodian agencies) and geoArea codes from ``../shared/un-lod``
  (absent: the tests skip), as a stand-in for a UN SPARQL endpoint.
* ``federation_server``: the service over the repository's release, with per-client limits set
  for a federating client (Comunica sends its requests to one endpoint in parallel).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from vawmw.settings import ServiceSettings
from vawmw.testing.stores import StoreServer, StoreUnavailableError, running_oxigraph_holding

from tests.conftest import REPO, live_server

UN_LOD = REPO.parent / "shared" / "un-lod"
UN_FILES = ("sdg-kos-goals-targets-indicators.ttl", "sdg-codes.ttl")
COMUNICA = REPO / "node_modules" / ".bin" / "comunica-sparql"


@pytest.fixture(scope="session")
def comunica() -> Path:
    if not COMUNICA.is_file() or shutil.which("node") is None:
        pytest.skip("Comunica is not installed: npm install (package.json) and Node.js")
    return COMUNICA


@pytest.fixture(scope="session")
def un_files() -> list[Path]:
    files = [UN_LOD / name for name in UN_FILES]
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        pytest.skip(f"the UNSD files are absent: {', '.join(missing)}")
    return files


@pytest.fixture(scope="session")
def un_endpoint(
    un_files: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreServer]:
    try:
        with running_oxigraph_holding(tmp_path_factory.mktemp("un-endpoint"), un_files) as server:
            yield server
    except StoreUnavailableError as error:
        pytest.skip(f"no stand-in UN endpoint: {error}")


@pytest.fixture(scope="session")
def federation_server(real_release: Path) -> Iterator[str]:
    settings = ServiceSettings(
        release_dir=real_release,
        queries_dir=REPO / "queries",
        workers=2,
        client_max_running=2,  # Comunica sends a query's requests in parallel
        client_max_waiting=32,
    )
    with live_server(settings) as url:
        yield url
