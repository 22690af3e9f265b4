"""Shared fixtures of the service tests: a tiny release and the real app on a loopback port."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from vawmw.settings import ServiceSettings
from vawmw.web.app import server_config

from tests.helpers_release import write_release

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("release") / "dist"
    write_release(directory)
    return directory


@pytest.fixture(scope="session")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("queries")
    (directory / "states.rq").write_text(
        "# title: All States\n# description: Every State with its label.\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?state ?label WHERE { ?state a <https://w3id.org/vawmw/ontology#State> ;"
        " rdfs:label ?label }\n",
        encoding="utf-8",
    )
    (directory / "notes.txt").write_text("not a query\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def settings(release_dir: Path, queries_dir: Path) -> ServiceSettings:
    return ServiceSettings(release_dir=release_dir, queries_dir=queries_dir, workers=2, max_rows=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def live_server(settings: ServiceSettings, **overrides: Any) -> Iterator[str]:
    """Run the real app with uvicorn on a free loopback port; yields its base URL."""
    port = free_port()
    config_settings = dataclasses.replace(settings, host="127.0.0.1", port=port, **overrides)
    server = uvicorn.Server(server_config(config_settings, log_level="warning"))
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


@pytest.fixture(scope="session")
def server_url(settings: ServiceSettings) -> Iterator[str]:
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="session")
def client(server_url: str) -> Iterator[httpx.Client]:
    """An HTTP client on the running service (starlette's TestClient is not used: it warns)."""
    with httpx.Client(base_url=server_url, timeout=60) as http:
        yield http


@pytest.fixture(scope="session")
def real_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's own release, built once per session; checked unchanged at the end.

    $VAWMW_TEST_RELEASE names an already built release to use instead (saves the build).
    """
    from vawmw.build.pipeline import build_release

    from tests.reliability.support import release_digest

    given = os.environ.get("VAWMW_TEST_RELEASE")
    if given:
        directory = Path(given)
    else:
        directory = tmp_path_factory.mktemp("real") / "dist"
        report = build_release(REPO, directory)
        assert report.release is not None
    before = release_digest(directory)
    yield directory
    assert release_digest(directory) == before, "the release changed while it was served"


# --------------------------------------------------------------------------- backends


@dataclasses.dataclass(frozen=True)
class Backend:
    """Where the service answers from: the embedded store or an external one (``--backend``)."""

    name: str
    url: str | None = None  # the external store's query endpoint
    graph_store: str | None = None

    def load_graphs(self, graphs: dict[str, Path]) -> None:
        """Put these N-Triples files into the external store as named graphs (replaced)."""
        from vawmw.remote import client as remote

        if self.graph_store is None:
            return
        with remote.SparqlClient(timeout=60) as sparql:
            for iri, path in graphs.items():
                sparql.put_graph(self.graph_store, iri, path.read_bytes(), "application/n-triples")


BACKENDS = ["embedded", "virtuoso", "oxigraph"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, release_dir: Path) -> Backend:
    """Each backend in turn, the external ones holding the test release (loaded per module,
    since other tests load other data into the same stores).

    The store fixtures come from tests/stores.py: a module using this fixture declares
    ``pytest_plugins = ["tests.stores"]``. A store that is not installed or does not start is
    skipped with the reason.
    """
    from vawmw.remote import client as remote
    from vawmw.remote import loader

    if request.param == "embedded":
        return Backend("embedded")
    fixture = "virtuoso" if request.param == "virtuoso" else "oxigraph_server"
    server = request.getfixturevalue(fixture)
    try:
        loader.load_release(release_dir, server.target(), timeout=60)
    except (loader.LoadError, remote.RemoteError) as failure:
        pytest.skip(f"the test release could not be loaded into {request.param}: {failure}")
    return Backend(request.param, server.query_endpoint, server.graph_store)
