"""Caching: nothing cached carries the request's Host; 304 only for a query that succeeds;
no caching of answers that change from one evaluation to the next."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
EVIL = "evil.example"
PUBLIC = "https://kg.example.org"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#State> }"
RELATIVE = "SELECT ?x WHERE { BIND(<x> AS ?x) }"  # relative IRIs resolve against the endpoint
# (path, Accept) of the answers that hold an absolute URL of the service, or may be cached.
HOST_SENSITIVE = [
    ("/", BROWSER),
    ("/dashboard", BROWSER),
    ("/sparql", BROWSER),  # the editor
    ("/sparql", "text/turtle"),  # the service description
    ("/sparql", "text/html;q=0.5, application/ld+json"),
    ("/sparql?query=SELECT%20%3Fx%20WHERE%20%7B%20BIND(%3Cx%3E%20AS%20%3Fx)%20%7D", "*/*"),
]


@pytest.fixture
def fresh_server(settings: ServiceSettings) -> Iterator[str]:
    """A service just started, its caches empty: the first visitor's request fills them."""
    with live_server(settings) as url:
        yield url


@pytest.fixture
def public_server(settings: ServiceSettings) -> Iterator[str]:
    with live_server(settings, public_url=PUBLIC + "/") as url:
        yield url


# --------------------------------------------------------------------------- Host


@pytest.mark.parametrize(("path", "accept"), HOST_SENSITIVE)
def test_a_forged_host_never_reaches_another_visitor(
    fresh_server: str, path: str, accept: str
) -> None:
    server_url = fresh_server
    forged = httpx.get(server_url + path, headers={"host": EVIL, "accept": accept})
    assert forged.status_code == 200, forged.text[:300]
    normal = httpx.get(server_url + path, headers={"accept": accept})
    assert normal.status_code == 200
    assert EVIL not in normal.text
    # nor through a validator: the forged answer's ETag does not revalidate the normal one
    etag = forged.headers.get("etag")
    if etag is not None and EVIL in forged.text:
        again = httpx.get(server_url + path, headers={"accept": accept, "if-none-match": etag})
        assert again.status_code == 200
        assert EVIL not in again.text


def test_home_links_the_endpoint_relatively(fresh_server: str) -> None:
    home = httpx.get(fresh_server + "/", headers={"host": EVIL, "accept": BROWSER})
    assert EVIL not in home.text
    assert '<a href="/sparql"><code>/sparql</code></a>' in home.text


def test_public_url_is_used_whatever_the_host(public_server: str) -> None:
    headers = {"host": EVIL, "accept": "text/turtle"}
    description = httpx.get(public_server + "/sparql", headers=headers)
    graph = rdflib.Graph().parse(data=description.content, format="turtle")
    assert set(graph.objects(None, SD.endpoint)) == {rdflib.URIRef(PUBLIC + "/sparql")}
    assert EVIL not in description.text
    # the same representation for every Host, so one ETag
    other = httpx.get(public_server + "/sparql", headers={"accept": "text/turtle"})
    assert other.headers["etag"] == description.headers["etag"]
    for path in ("/", "/sparql"):
        page = httpx.get(public_server + path, headers={"host": EVIL, "accept": BROWSER})
        assert f"{PUBLIC}/sparql" in page.text and EVIL not in page.text
    result = httpx.get(
        public_server + "/sparql",
        params={"query": RELATIVE},
        headers={"host": EVIL, "accept": "application/sparql-results+json"},
    )
    assert result.json()["results"]["bindings"][0]["x"]["value"] == PUBLIC + "/x"


# --------------------------------------------------------------------------- 304


@pytest.mark.parametrize(
    "query",
    ["SELECT WHERE {", "SELECT ?x WHERE { ?x ?y }", "ASK { FILTER(", "this is not SPARQL"],
)
def test_no_304_for_a_query_that_does_not_parse(client: httpx.Client, query: str) -> None:
    etag = client.get("/sparql", params={"query": STATES}).headers["etag"]
    for validator in ("*", etag):
        response = client.get(
            "/sparql", params={"query": query}, headers={"if-none-match": validator}
        )
        assert response.status_code == 400, (validator, response.status_code)


def test_304_for_a_query_that_succeeds(client: httpx.Client) -> None:
    first = client.get("/sparql", params={"query": STATES})
    assert first.status_code == 200
    for validator in ("*", first.headers["etag"]):
        again = client.get(
            "/sparql", params={"query": STATES}, headers={"if-none-match": validator}
        )
        assert again.status_code == 304
        assert again.content == b""


# --------------------------------------------------------------------------- non-deterministic


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (RAND() AS ?r) {}",
        "SELECT (rand() AS ?r) {}",
        "SELECT (NOW() AS ?t) {}",
        "SELECT (UUID() AS ?u) {}",
        "SELECT (STRUUID() AS ?u) {}",
        "SELECT (BNODE() AS ?b) {}",
        "SELECT ?s WHERE { ?s ?p ?o FILTER(Rand () < 2) }",
        "CONSTRUCT { ?s <http://example.org/at> ?t } WHERE { ?s ?p ?o BIND(now() AS ?t) }",
    ],
)
def test_non_deterministic_answers_are_not_stored(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200, response.text[:300]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers
    again = client.get("/sparql", params={"query": query}, headers={"if-none-match": "*"})
    assert again.status_code == 200


@pytest.mark.parametrize(
    "query", [STATES, "SELECT ?brand ?rand WHERE { BIND(1 AS ?brand) BIND(2 AS ?rand) }"]
)
def test_deterministic_answers_stay_cacheable(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 200
    assert response.headers["cache-control"].startswith("public, max-age=")
    assert response.headers["etag"]
