"""service/vawmw/remote/client.py: the SPARQL Protocol, Update and Graph Store calls, and how errors map.

The status codes and messages asserted against the real servers are those the servers are
documented to give: a syntax error is a 400, an unknown graph in the Graph Store a 404, and an
unauthenticated request to Virtuoso's authenticated Graph Store endpoint a 401.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx
import pytest
from vawmw.rdf import formats
from vawmw.remote import client as remote
from vawmw.testing.service import refused_port

if TYPE_CHECKING:
    from tests.stores import StoreServer

# The store fixtures (tests/stores.py) as a plugin: importing them would trip ruff's F811.
pytest_plugins = ["tests.stores"]


GRAPH = "http://example.org/test/remote"
NT = b'<http://example.org/a> <http://example.org/p> "caf\xc3\xa9"@fr .\n'


@pytest.fixture
def client() -> Iterator[remote.SparqlClient]:
    with remote.SparqlClient(timeout=30) as sparql:
        yield sparql


def count(client: remote.SparqlClient, server: StoreServer, graph: str = GRAPH) -> int:
    rows = client.select(
        server.query_endpoint, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    )
    return int(rows[0]["n"])


# -- against the real stores -----------------------------------------------------------------


def test_graph_store_put_post_delete(
    client: remote.SparqlClient, store_server: StoreServer
) -> None:
    client.put_graph(store_server.graph_store, GRAPH, NT, formats.NTRIPLES.media_type)
    client.put_graph(store_server.graph_store, GRAPH, NT, formats.NTRIPLES.media_type)
    assert count(client, store_server) == 1
    more = b"<http://example.org/b> <http://example.org/p> <http://example.org/a> .\n"
    client.post_graph(store_server.graph_store, GRAPH, more, formats.TURTLE.media_type)
    assert count(client, store_server) == 2
    rows = client.select(
        store_server.query_endpoint,
        f"SELECT ?o WHERE {{ GRAPH <{GRAPH}> {{ <http://example.org/a> ?p ?o }} }}",
    )
    assert rows == [{"o": "café"}]
    assert client.delete_graph(store_server.graph_store, GRAPH) is True
    assert count(client, store_server) == 0


def test_update_and_ask(client: remote.SparqlClient, store_server: StoreServer) -> None:
    graph = GRAPH + "/update"
    client.update(store_server.update_endpoint, f"DROP SILENT GRAPH <{graph}>")
    client.update(
        store_server.update_endpoint,
        f"INSERT DATA {{ GRAPH <{graph}> {{ <http://example.org/x> <http://example.org/p> 42 }} }}",
    )
    assert client.ask(store_server.query_endpoint, f"ASK {{ GRAPH <{graph}> {{ ?s ?p 42 }} }}")
    # Virtuoso refuses a plain DROP GRAPH of a graph never "explicitly created": DROP SILENT.
    client.update(store_server.update_endpoint, f"DROP SILENT GRAPH <{graph}>")
    assert not client.ask(store_server.query_endpoint, f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")


def test_query_in_another_format(store_server: StoreServer) -> None:
    answer = remote.query(store_server.query_endpoint, "SELECT (1 AS ?one) {}", accept="text/csv")
    assert answer.status == 200 and answer.media_type == "text/csv"
    assert answer.content.split() == [b"one", b"1"] or answer.content.split() == [b'"one"', b"1"]


def test_a_syntax_error_is_rejected_with_the_servers_words(store_server: StoreServer) -> None:
    with pytest.raises(remote.RequestRejectedError) as caught:
        remote.query(store_server.query_endpoint, "SELEC ?x WHERE { ?x ?y ?z }")
    assert caught.value.status == 400
    assert caught.value.server_message  # the parser's own explanation
    assert store_server.query_endpoint in str(caught.value) and "HTTP 400" in str(caught.value)


def test_deleting_a_missing_graph(client: remote.SparqlClient, store_server: StoreServer) -> None:
    missing = GRAPH + "/never-created"
    assert client.delete_graph(store_server.graph_store, missing) is False
    with pytest.raises(remote.OperationUnsupportedError) as caught:
        client.delete_graph(store_server.graph_store, missing, missing_ok=False)
    assert caught.value.status == 404


def test_oxigraph_query_endpoint_refuses_updates(oxigraph_server: StoreServer) -> None:
    with pytest.raises(remote.UnsupportedMediaTypeError) as caught:
        remote.update(oxigraph_server.query_endpoint, "CLEAR ALL")
    assert caught.value.status == 415 and "application/sparql-update" in caught.value.server_message


def test_virtuoso_authenticated_graph_store_needs_credentials(virtuoso: StoreServer) -> None:
    with remote.SparqlClient(10) as client, pytest.raises(remote.PermissionDeniedError) as caught:
        client.put_graph(virtuoso.graph_store + "-auth", GRAPH, NT, formats.NTRIPLES.media_type)
    assert caught.value.status == 401


def test_virtuoso_html_errors_become_plain_text(virtuoso: StoreServer) -> None:
    with remote.SparqlClient(10) as client, pytest.raises(remote.RemoteServerError) as caught:
        client.put_graph(
            virtuoso.graph_store, GRAPH, b"this is not <turtle", formats.TURTLE.media_type
        )
    message = caught.value.server_message
    assert message.startswith("HTTP/1.1 500")
    assert f"The PUT request for graph <{GRAPH}> is rejected" in message
    assert "<" not in message.replace(f"<{GRAPH}>", "")


# -- transport errors --------------------------------------------------------------------------


def test_nothing_listening_is_unreachable() -> None:
    with refused_port() as port, pytest.raises(remote.EndpointUnreachableError) as caught:
        url = f"http://127.0.0.1:{port}/sparql"
        remote.query(url, "ASK {}", timeout=5)
    assert caught.value.status is None and url in str(caught.value)


def test_a_silent_server_times_out() -> None:
    with socket.socket() as silent:  # accepts connections (backlog) and never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(1)
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(remote.RemoteTimeoutError) as caught:
            remote.query(url, "ASK {}", timeout=0.5)
    assert "0.5 s" in str(caught.value)


def test_not_an_http_url() -> None:
    with pytest.raises(remote.EndpointUnreachableError):
        remote.query("ftp://127.0.0.1/sparql", "ASK {}")


# -- status mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (400, remote.RequestRejectedError),
        (401, remote.PermissionDeniedError),
        (403, remote.PermissionDeniedError),
        (404, remote.OperationUnsupportedError),
        (405, remote.OperationUnsupportedError),
        (413, remote.PayloadTooLargeError),
        (415, remote.UnsupportedMediaTypeError),
        (501, remote.OperationUnsupportedError),
        (500, remote.RemoteServerError),
        (503, remote.RemoteServerError),
        (409, remote.RemoteHTTPError),
    ],
)
def test_status_maps_to_its_error(status: int, error: type[remote.RemoteHTTPError]) -> None:
    body = "<html><head><title>x</title></head><body><h1>Nope</h1><p>because &amp; why</p></body>"

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, text=body, headers={"content-type": "text/html"})

    with (
        remote.SparqlClient(transport=httpx.MockTransport(answer)) as client,
        pytest.raises(error) as caught,
    ):
        client.update("http://store.test/update", "CLEAR ALL")
    assert type(caught.value) is error
    assert caught.value.status == status
    assert caught.value.server_message == "Nope because & why"
    assert (
        str(caught.value) == f"update http://store.test/update: HTTP {status}: Nope because & why"
    )


def test_a_long_message_is_cut() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(400, text="x" * 5000)

    with (
        remote.SparqlClient(transport=httpx.MockTransport(answer)) as client,
        pytest.raises(remote.RequestRejectedError) as caught,
    ):
        client.query("http://store.test/sparql", "ASK {}")
    assert len(caught.value.server_message) == remote.MESSAGE_LIMIT


def test_select_sends_a_form_post_and_reads_bindings() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            200,
            json={
                "head": {"vars": ["s"]},
                "results": {"bindings": [{"s": {"type": "uri", "value": "http://x"}}]},
            },
            headers={"content-type": "application/sparql-results+json"},
        )

    with remote.SparqlClient(transport=httpx.MockTransport(answer)) as client:
        assert client.select("http://store.test/sparql", "SELECT ?s {}") == [{"s": "http://x"}]
    assert seen[0].method == "POST"
    assert seen[0].headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen[0].headers["accept"] == formats.JSON.media_type
