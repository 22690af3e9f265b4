"""The same HTTP API on each backend: the embedded store, Virtuoso and Oxigraph server.

``vawmw serve --backend QUERY_URL`` answers from an external SPARQL 1.1 store that holds the
release. A representative subset of the protocol, dereferencing, HTML and limit tests of
test_sparql_protocol.py and test_resources.py runs here unchanged against each backend (their
expected values come from the test release, tests/helpers_release.py), followed by what only
a remote backend can do: fail to connect (502), be slow (503, no Retry-After), refuse a query
(400 with the store's own words, HTML removed).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from vawmw.query.engine import QueryJob
from vawmw.rdf import namespaces as ns
from vawmw.remote.backend import _graph_answer, _results_answer, iri_term
from vawmw.settings import ServiceSettings

from tests.conftest import Backend, free_port, live_server
from tests.helpers_release import PHL
from tests.web import test_resources as resources
from tests.web import test_sparql_protocol as protocol

# The store fixtures (tests/stores.py) as a plugin, for the ``backend`` fixture of conftest.py.
pytest_plugins = ["tests.stores"]
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

Case = Callable[[httpx.Client], None]


def _cases() -> list[tuple[str, Case]]:
    cases: list[tuple[str, Case]] = [
        ("get_select_json", protocol.test_get_select_json),
        ("post_form", protocol.test_post_form),
        ("post_direct", protocol.test_post_direct),
        ("default_graph_is_the_union", protocol.test_default_graph_is_the_union),
        ("default_graph_uri", protocol.test_default_graph_uri),
        ("named_graph_uri", protocol.test_named_graph_uri),
        ("from_clauses", protocol.test_from_clauses_select_local_graphs),
        ("protocol_dataset_overrides_from", protocol.test_protocol_dataset_overrides_from),
        ("bad_graph_uri", protocol.test_bad_graph_uri),
        ("syntax_error_400", protocol.test_syntax_error_400_with_position),
        ("update_403", partial(protocol.test_update_in_query_is_403, query="CLEAR ALL")),
        ("truncation", protocol.test_truncation_is_announced),
        ("construct_truncation", protocol.test_construct_truncation),
        ("etag_304", protocol.test_etag_and_304),
        ("describe", partial(resources.test_resource_description, media_type="text/turtle")),
        ("incoming_links", resources.test_incoming_links),
        ("default_is_turtle", resources.test_default_is_turtle),
        ("html_page", resources.test_html_page),
        ("unknown_iri_404", resources.test_unknown_iri_404),
        ("vary_link_etag_304", resources.test_vary_link_etag_304),
        ("ontology", resources.test_ontology),
        ("ontology_html", resources.test_hash_iri_resolves_to_ontology_html),
    ]
    for media_type in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        case = partial(protocol.test_select_formats, accept=media_type, media_type=media_type)
        cases.append((f"select_{media_type.split('/')[1]}", case))
    for media_type in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        case = partial(protocol.test_construct_formats, accept=media_type, media_type=media_type)
        cases.append((f"construct_{media_type.split('/')[1]}", case))
    for accept in ("application/sparql-results+json", "application/sparql-results+xml"):
        cases.append((f"ask_{accept.split('+')[1]}", partial(protocol.test_ask, accept=accept)))
    for query in (
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ):
        cases.append(("service_refused", partial(protocol.test_service_is_refused, query=query)))
    for path in ("/id/state/PHL%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o", "/id/state/PHL%22"):
        cases.append(
            ("injection_404", partial(resources.test_injection_attempts_are_404, path=path))
        )
    return cases


CASES = _cases()

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


@pytest.mark.parametrize(("name", "case"), CASES, ids=[name for name, _ in CASES])
def test_same_api(name: str, case: Case, backend: Backend, backend_client: httpx.Client) -> None:
    reason = STORE_LIMITS.get((backend.name, name))
    if reason is not None:
        pytest.skip(reason)
    case(backend_client)


def test_health_and_release_headers(backend_client: httpx.Client, backend: Backend) -> None:
    health = backend_client.get("/health").json()
    assert health["status"] == "ok"
    # the ETags name the local release that was loaded into the store
    response = backend_client.get("/id/state/PHL", headers={"accept": "text/turtle"})
    assert health["release_id"] in response.headers["etag"]


def test_home_and_dashboard_pages(backend_client: httpx.Client) -> None:
    html = {"accept": "text/html"}
    assert backend_client.get("/", headers=html).status_code == 200
    assert backend_client.get("/dashboard", headers=html).status_code == 200


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


# --------------------------------------------------------------------------- answers cut short


def test_a_cut_results_document_keeps_its_complete_rows() -> None:
    rows = [b'{"x":{"type":"literal","value":"%d"}}' % i for i in range(100)]
    body = b'{"head":{"vars":["x"]},"results":{"bindings":[' + b",".join(rows) + b"]}}"
    job = QueryJob("SELECT ?x {}", "csv", max_rows=50)
    whole = _results_answer(job, "application/sparql-results+json", body, False, 10**6)
    assert (whole.rows, whole.truncated) == (50, True)  # the row cap
    assert whole.body.decode().split("\r\n")[1:4] == ["0", "1", "2"]
    cut = _results_answer(job, "application/sparql-results+json", body[:700], True, 10**6)
    assert cut.truncated and 0 < cut.rows < 50
    assert cut.body.decode().split("\r\n")[1 : cut.rows + 1] == [str(i) for i in range(cut.rows)]


def test_a_cut_n_triples_answer_ends_at_its_last_line() -> None:
    body = b"".join(b'<http://a/%d> <http://p> "x" .\n' % i for i in range(100))
    job = QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples", max_rows=500)
    cut = _graph_answer(job, "application/n-triples", body[:1000], True, 10**6)
    assert cut.truncated and cut.rows == body[:1000].count(b"\n")  # the complete lines
    whole = _graph_answer(job, "text/plain", body, False, 10**6)  # Virtuoso's N-Triples type
    assert (whole.rows, whole.truncated) == (100, False)


# --------------------------------------------------------------------------- failures of a remote


class _Handler(BaseHTTPRequestHandler):
    """A fake store: 400 with an HTML page (as Virtuoso does), or a hang for /slow."""

    release = threading.Event()

    def do_POST(self) -> None:
        length = int(self.headers.get("content-length", "0"))
        self.rfile.read(length)
        if self.path.startswith("/slow"):
            self.release.wait(10)
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
    unused = free_port()
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
    with live_server(settings, backend_url=f"http://127.0.0.1:{unused}/sparql") as url:
        response = httpx.get(f"{url}/sparql", params=query, timeout=30)
        assert response.status_code == 502
        assert "unreachable" in response.text
        page = httpx.get(f"{url}/id/state/PHL", headers={"accept": "text/html"}, timeout=30)
        assert page.status_code == 502
