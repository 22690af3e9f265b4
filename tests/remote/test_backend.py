"""The same HTTP API on each backend: the embedded store, Virtuoso and Oxigraph server.

``vawmw serve --backend QUERY_URL`` answers from an external SPARQL 1.1 store that holds the
release. The checks of tests/web/api_checks.py (a representative subset of the protocol,
dereferencing, HTML and limit tests, with expected values from the test release,
tests/helpers_release.py) run here against each backend, followed by what only a remote backend
can do: fail to connect (502), be slow (503, no Retry-After), refuse a query (400 with the
store's own words, HTML removed), send more than may be read (cut at the last complete row).
"""

from __future__ import annotations

import contextlib
import csv
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import httpx
import pytest
import rdflib
from vawmw.rdf import namespaces as ns
from vawmw.remote.backend import iri_term
from vawmw.settings import ServiceSettings
from vawmw.testing.service import refused_port

from tests.conftest import Backend, live_server
from tests.helpers_release import PHL
from tests.web import api_checks
from tests.web.api_checks import Check

# The store fixtures (tests/stores.py) as a plugin, for the ``backend`` fixture of conftest.py.
pytest_plugins = ["tests.stores"]
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

CHECKS = api_checks.ON_EVERY_BACKEND

# What a store does differently from the SPARQL 1.1 Protocol, measured, with the reason.
STORE_LIMITS: dict[tuple[str, str], str] = {
    ("virtuoso", "protocol_dataset_overrides_from"): (
        "Virtuoso 7 merges default-graph-uri with the query's FROM (3 triples: inferred + shapes)"
        " instead of letting the protocol's dataset replace it (SPARQL 1.1 Protocol 2.1.4)"
    ),
}


@pytest.fixture(scope="module")
def backend_client(settings: ServiceSettings, backend: Backend) -> Iterator[httpx.Client]:
    """The service on ``backend``, with the test settings (10 rows at most)."""
    with (
        live_server(settings, backend_url=backend.url) as url,
        httpx.Client(base_url=url, timeout=60) as http,
    ):
        yield http


@pytest.mark.parametrize(("name", "check"), CHECKS, ids=[name for name, _ in CHECKS])
def test_same_api(name: str, check: Check, backend: Backend, backend_client: httpx.Client) -> None:
    reason = STORE_LIMITS.get((backend.name, name))
    if reason is not None:
        pytest.skip(reason)
    check(backend_client)


def test_health_and_release_headers(backend_client: httpx.Client, backend: Backend) -> None:
    health = backend_client.get("/health").json()
    assert health["status"] == "ok"
    # the ETags name the local release that was loaded into the store
    response = backend_client.get("/id/state/PHL", headers={"accept": "text/turtle"})
    assert health["release_id"] in response.headers["etag"]


def test_home_and_dashboard_pages(backend_client: httpx.Client) -> None:
    api_checks.home_and_dashboard_pages(backend_client)


# --------------------------------------------------------------------------- IRIs in queries


@pytest.mark.parametrize(
    "iri",
    [
        PHL + "> } UNION { ?s ?p ?o",
        PHL + '"',
        PHL + "\n",
        PHL + "\\u003E",
        "state/PHL",
        "",
    ],
)
def test_iri_term_refuses_what_is_not_an_iri(iri: str) -> None:
    with pytest.raises(ValueError):
        iri_term(iri)


def test_iri_term() -> None:
    assert iri_term(PHL) == f"<{PHL}>"
    assert iri_term(ns.ID + "state/C%C3%B4te") == f"<{ns.ID}state/C%C3%B4te>"


# --------------------------------------------------------------------------- failures of a remote


BIG_ROWS = 5000  # rows (or triples) a fake store sends to /big: about 200 kB


def big_answer(query: str) -> tuple[str, bytes]:
    """The /big store's answer: BIG_ROWS numbered rows, or BIG_ROWS triples for a CONSTRUCT."""
    if "CONSTRUCT" in query:
        lines = (f'<http://a/{i}> <http://p> "{i}" .\n' for i in range(BIG_ROWS))
        return "application/n-triples", "".join(lines).encode()
    rows = ",".join(f'{{"x":{{"type":"literal","value":"{i}"}}}}' for i in range(BIG_ROWS))
    document = '{"head":{"vars":["x"]},"results":{"bindings":[' + rows + "]}}"
    return "application/sparql-results+json", document.encode()


class _Handler(BaseHTTPRequestHandler):
    """A fake store: 400 with an HTML page (as Virtuoso does), a hang for /slow, or an answer
    longer than the service reads for /big."""

    release = threading.Event()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path.startswith("/slow"):
            self.release.wait(10)
            return
        if self.path.startswith("/big"):
            media_type, big = big_answer(form["query"][0])
            self.send_response(200)
            self.send_header("Content-Type", media_type)
            self.send_header("Content-Length", str(len(big)))
            self.end_headers()
            self.wfile.write(big)
            return
        body = (
            b"<html><head><title>Error</title></head><body><h1>Virtuoso 37000 Error</h1>"
            b"<p>SP030: SPARQL compiler, line 1: syntax error at &lt;x&gt;</p></body></html>"
        )
        self.send_response(400)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        del format, args


@contextlib.contextmanager
def fake_store() -> Iterator[str]:
    _Handler.release.clear()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        _Handler.release.set()
        server.shutdown()
        server.server_close()


def test_remote_failures(settings: ServiceSettings) -> None:
    query = {"query": "SELECT * WHERE { ?s ?p ?o }"}
    with fake_store() as store, live_server(settings, backend_url=f"{store}/sparql") as url:
        response = httpx.get(f"{url}/sparql", params=query, timeout=30)
        assert response.status_code == 400
        assert "SP030: SPARQL compiler, line 1: syntax error at <x>" in response.text
        assert "<html" not in response.text and "<p>" not in response.text
    with (
        fake_store() as store,
        live_server(settings, backend_url=f"{store}/slow", query_timeout=1.0) as url,
    ):
        response = httpx.get(f"{url}/sparql", params=query, timeout=30)
        assert response.status_code == 503
        assert "retry-after" not in response.headers  # a timeout: make the query cheaper
        assert "ran longer than" in response.text
        page = httpx.get(f"{url}/id/state/PHL", headers={"accept": "text/turtle"}, timeout=30)
        assert page.status_code == 503
    with (
        refused_port() as unused,
        live_server(settings, backend_url=f"http://127.0.0.1:{unused}/sparql") as url,
    ):
        response = httpx.get(f"{url}/sparql", params=query, timeout=30)
        assert response.status_code == 502
        assert "unreachable" in response.text
        page = httpx.get(f"{url}/id/state/PHL", headers={"accept": "text/html"}, timeout=30)
        assert page.status_code == 502


# --------------------------------------------------------------------------- answers cut short


@pytest.fixture(scope="module")
def big_store_url(settings: ServiceSettings) -> Iterator[str]:
    """The service over a store whose answers are longer than it reads (4 x 4 kB + 64 kB)."""
    with (
        fake_store() as store,
        live_server(
            settings, backend_url=f"{store}/big", max_rows=100_000, max_result_bytes=4000
        ) as url,
    ):
        yield url


def test_a_cut_results_document_keeps_its_complete_rows(big_store_url: str) -> None:
    response = httpx.get(
        f"{big_store_url}/sparql",
        params={"query": "SELECT ?x WHERE { ?s ?p ?x }"},
        headers={"accept": "text/csv"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-truncated"] == "true"
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["x"]
    values = [row[0] for row in rows[1:]]
    assert 0 < len(values) < BIG_ROWS
    assert values == [str(i) for i in range(len(values))]  # complete rows, in order


def test_a_cut_n_triples_answer_ends_at_its_last_line(big_store_url: str) -> None:
    response = httpx.get(
        f"{big_store_url}/sparql",
        params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"},
        headers={"accept": "application/n-triples"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.headers["x-sparql-truncated"] == "true"
    graph = rdflib.Graph().parse(data=response.content, format="nt")  # every line whole
    numbers = sorted(int(str(o)) for o in graph.objects())
    assert 0 < len(numbers) < BIG_ROWS
    assert numbers == list(range(len(numbers)))  # a prefix of the store's triples
