"""SPARQL 1.1 Protocol behaviour of /sparql, over real HTTP, with real result parsers.

The checks that also run on the external stores are in tests/web/api_checks.py.
"""

from __future__ import annotations

import http.client
from typing import Any
from urllib.parse import urlencode, urlsplit

import httpx
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, SPARQLWrapper
from vawmw.rdf import namespaces as ns

from tests.helpers_release import PHL
from tests.web import api_checks as checks
from tests.web.api_checks import CONSTRUCT, DIRECT, STATES, bindings, rows_by_format

# rdflib's own parsers (JSON-LD, TriG) use its deprecated APIs internally and warn about it.
pytestmark = [
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
FORM = {"content-type": "application/x-www-form-urlencoded"}


# --------------------------------------------------------------------------- the three ways in


def test_get_select_json(client: httpx.Client) -> None:
    checks.get_select_json(client)


def test_post_form(client: httpx.Client) -> None:
    checks.post_form(client)


def test_post_direct(client: httpx.Client) -> None:
    checks.post_direct(client)


def test_post_direct_with_utf8_charset(client: httpx.Client) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-8"}
    assert len(bindings(client.post("/sparql", content=STATES.encode(), headers=headers))) == 2


# --------------------------------------------------------------------------- result formats


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+json", "application/sparql-results+json"),
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
    ],
)
def test_select_formats(client: httpx.Client, accept: str, media_type: str) -> None:
    checks.select_formats(client, accept, media_type)


@pytest.mark.parametrize(
    ("value", "media_type"),
    [
        ("json", "application/sparql-results+json"),
        ("xml", "application/sparql-results+xml"),
        ("csv", "text/csv"),
        ("tsv", "text/tab-separated-values"),
    ],
)
def test_format_parameter(client: httpx.Client, value: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": STATES, "format": value})
    assert len(rows_by_format(response, media_type)) == 2


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/turtle"),
        ("text/turtle", "text/turtle"),
        ("application/n-triples", "application/n-triples"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/trig", "application/trig"),
        ("application/n-quads", "application/n-quads"),
    ],
)
def test_construct_formats(client: httpx.Client, accept: str | None, media_type: str) -> None:
    checks.construct_formats(client, accept, media_type)


@pytest.mark.parametrize(
    ("format_value", "media_type"),
    [
        ("turtle", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdfxml", "application/rdf+xml"),
        ("ntriples", "application/n-triples"),
        ("json", "application/ld+json"),
    ],
)
def test_construct_format_parameter(
    client: httpx.Client, format_value: str, media_type: str
) -> None:
    response = client.get("/sparql", params={"query": CONSTRUCT, "format": format_value})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert len(rdflib.Graph().parse(data=response.content, format=media_type)) == 7


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "application/sparql-results+xml"]
)
def test_ask(client: httpx.Client, accept: str) -> None:
    checks.ask(client, accept)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("application/sparql-results+xml;q=0.5, text/csv", "text/csv"),
        ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
        ("*/*", "application/sparql-results+json"),
        ("text/*", "text/csv"),
        ("application/*;q=0.1, text/tab-separated-values;q=0.3", "text/tab-separated-values"),
        ("text/html, */*;q=0.8", "application/sparql-results+json"),
        ("application/json", "application/sparql-results+json"),
    ],
)
def test_accept_q_values_and_wildcards(client: httpx.Client, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": STATES}, headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        (STATES, "text/turtle"),
        (STATES, "application/sparql-results+json;q=0, text/html"),
        (CONSTRUCT, "application/sparql-results+json"),
        ("ASK {}", "text/turtle"),
    ],
)
def test_not_acceptable(client: httpx.Client, query: str, accept: str) -> None:
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 406


# --------------------------------------------------------------------------- the dataset


def test_default_graph_is_the_union(client: httpx.Client) -> None:
    checks.default_graph_is_the_union(client)


def test_default_graph_uri(client: httpx.Client) -> None:
    checks.default_graph_uri(client)


def test_named_graph_uri(client: httpx.Client) -> None:
    checks.named_graph_uri(client)


def test_from_clauses_select_local_graphs(client: httpx.Client) -> None:
    checks.from_clauses_select_local_graphs(client)


def test_protocol_dataset_overrides_from(client: httpx.Client) -> None:
    checks.protocol_dataset_overrides_from(client)


def test_bad_graph_uri(client: httpx.Client) -> None:
    checks.bad_graph_uri(client)


# --------------------------------------------------------------------------- refusals


def test_syntax_error_400_with_position(client: httpx.Client) -> None:
    checks.syntax_error_400_with_position(client)


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <http://a> <http://b> <http://c> }",
        "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <http://x>",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_update_in_query_is_403(client: httpx.Client, query: str) -> None:
    checks.update_in_query_is_403(client, query)


def test_update_parameter_and_media_type_are_403(client: httpx.Client) -> None:
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 403
    assert client.post("/sparql", data={"update": "CLEAR ALL"}).status_code == 403
    headers = {"content-type": "application/sparql-update"}
    assert client.post("/sparql", content=b"CLEAR ALL", headers=headers).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "select * where { service silent <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { SeRvIcE ?endpoint { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { \\U00000053\\U00000045RVICE <http://example.org/sparql> { ?s ?p ?o } }",
        "SELECT * WHERE { ?s ?p true.SERVICE <http://example.org/sparql> { ?s ?p ?o } }",
    ],
)
def test_service_is_refused(client: httpx.Client, query: str) -> None:
    checks.service_is_refused(client, query)


def test_service_word_in_a_string_is_fine(client: httpx.Client) -> None:
    query = 'SELECT ?s WHERE { ?s ?p ?o FILTER(?o = "SERVICE <http://x> {}") }'
    assert bindings(client.get("/sparql", params={"query": query})) == []


def test_multiple_queries_400(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": ["ASK {}", "ASK {}"]})
    assert response.status_code == 400
    response = client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"})
    assert response.status_code == 400


def test_post_without_query_400(client: httpx.Client) -> None:
    assert client.post("/sparql", data={"default-graph-uri": ns.GRAPH_DATA}).status_code == 400
    assert client.post("/sparql", content=b"", headers=DIRECT).status_code == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_405(client: httpx.Client, method: str) -> None:
    response = client.request(method, "/sparql", params={"query": "ASK {}"})
    assert response.status_code == 405


@pytest.mark.parametrize("content_type", ["text/plain", "application/json", None])
def test_wrong_content_type_415(client: httpx.Client, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/sparql", content=b"ASK {}", headers=headers)
    assert response.status_code == 415


def test_non_utf8_body_400(client: httpx.Client) -> None:
    response = client.post(
        "/sparql", content='ASK { FILTER("é") }'.encode("latin-1"), headers=DIRECT
    )
    assert response.status_code == 400
    response = client.post("/sparql", content=b"query=ASK%20%7B%7D%FF", headers=FORM)
    assert response.status_code == 400


def test_declared_non_utf8_charset_is_refused(client: httpx.Client) -> None:
    headers = {"content-type": "application/sparql-query; charset=UTF-16"}
    response = client.post("/sparql", content="ASK {}".encode("utf-16"), headers=headers)
    assert 400 <= response.status_code < 500


def _big_query(size: int) -> str:
    return "SELECT * WHERE { ?s ?p ?o } #" + "x" * size


def test_large_post_413(client: httpx.Client) -> None:
    response = client.post("/sparql", content=_big_query(70_000).encode(), headers=DIRECT)
    assert response.status_code == 413
    response = client.post("/sparql", data={"query": _big_query(70_000)})
    assert response.status_code == 413


def test_large_streamed_post_413(client: httpx.Client) -> None:
    def chunks() -> Any:
        for _ in range(100):
            yield b"#" + b"x" * 1023

    response = client.post("/sparql", content=chunks(), headers=DIRECT)
    assert response.status_code == 413


def _raw_get(server_url: str, target: str) -> int:
    """A GET with a request target too long for httpx's URL checks."""
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=30)
    try:
        connection.request("GET", target)
        return connection.getresponse().status
    finally:
        connection.close()


def test_long_get_414(server_url: str) -> None:
    target = "/sparql?" + urlencode({"query": _big_query(66_000)})
    assert _raw_get(server_url, target) == 414
    ok = "/sparql?" + urlencode({"query": _big_query(20_000)})
    assert _raw_get(server_url, ok) == 200


def test_query_just_under_limit_is_accepted(client: httpx.Client) -> None:
    response = client.post("/sparql", content=_big_query(60_000).encode(), headers=DIRECT)
    assert response.status_code == 200


def test_deep_nesting_400(client: httpx.Client) -> None:
    query = "SELECT * WHERE " + "{" * 250 + "?s ?p ?o" + "}" * 250
    response = client.post("/sparql", content=query.encode(), headers=DIRECT)
    assert response.status_code == 400
    assert "nesting" in response.text


def test_too_many_form_fields(client: httpx.Client) -> None:
    graphs = [f"http://g/{i}" for i in range(40)]
    response = client.post("/sparql", data={"query": "ASK {}"}, params={"named-graph-uri": graphs})
    assert response.status_code in (400, 413)


# --------------------------------------------------------------------------- limits and caching


def test_truncation_is_announced(client: httpx.Client) -> None:
    checks.truncation_is_announced(client)


def test_construct_truncation(client: httpx.Client) -> None:
    checks.construct_truncation(client)


def test_etag_and_304(client: httpx.Client) -> None:
    checks.etag_and_304(client)


def test_cors(client: httpx.Client) -> None:
    response = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] == "*"
    preflight = client.options(
        "/sparql",
        headers={
            "origin": "https://example.org",
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert "POST" in preflight.headers["access-control-allow-methods"]


# --------------------------------------------------------------------------- service description


@pytest.mark.parametrize(
    ("accept", "rdf_format"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_service_description(client: httpx.Client, accept: str | None, rdf_format: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", headers=headers)
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.content, format=rdf_format)
    service = next(graph.subjects(rdflib.RDF.type, SD.Service))
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in graph
    assert str(graph.value(service, SD.endpoint)).endswith("/sparql")
    formats = {str(f) for f in graph.objects(service, SD.resultFormat)}
    assert "http://www.w3.org/ns/formats/SPARQL_Results_JSON" in formats
    assert "http://www.w3.org/ns/formats/Turtle" in formats
    dataset = graph.value(service, SD.defaultDataset)
    assert graph.value(dataset, SD.defaultGraph) is not None
    names = {str(graph.value(n, SD.name)) for n in graph.objects(dataset, SD.namedGraph)}
    assert names == {ns.GRAPH_ONTOLOGY, ns.GRAPH_DATA, ns.GRAPH_INFERRED, ns.GRAPH_SHAPES}
    see_also = {str(o) for o in graph.objects(dataset, rdflib.RDFS.seeAlso)}
    assert any(o.endswith("/.well-known/void") for o in see_also)


def test_service_description_html(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "sd:Service" in response.text


# --------------------------------------------------------------------------- real clients


def test_sparqlwrapper(server_url: str) -> None:
    wrapper = SPARQLWrapper(server_url + "/sparql")
    wrapper.setQuery(STATES)
    wrapper.setReturnFormat(JSON)
    result = wrapper.query().convert()
    assert isinstance(result, dict)
    labels = [b["label"]["value"] for b in result["results"]["bindings"]]
    assert labels == ["Peru", "Philippines"]


def test_sparqlwrapper_post(server_url: str) -> None:
    wrapper = SPARQLWrapper(server_url + "/sparql")
    wrapper.setQuery(STATES)
    wrapper.setMethod("POST")
    wrapper.setReturnFormat(JSON)
    result = wrapper.query().convert()
    assert isinstance(result, dict)
    assert len(result["results"]["bindings"]) == 2


def test_rdflib_sparqlstore(server_url: str) -> None:
    store = SPARQLStore(query_endpoint=server_url + "/sparql")
    graph = rdflib.Graph(store=store)
    rows = list(graph.query(STATES))
    assert [str(row[1]) for row in rows] == ["Peru", "Philippines"]  # type: ignore[index]
    ask = graph.query(f"ASK {{ <{PHL}> ?p ?o }}")
    assert ask.askAnswer is True
    store.close()
