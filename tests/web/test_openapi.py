"""Issue 14, "/docs": the OpenAPI description is true.

It documents the SPARQL 1.1 Protocol's parameters of ``/sparql`` (query, default-graph-uri,
named-graph-uri, and the format= that SPARQLWrapper-style clients send) and its two POST
bodies; it lists no 422, which no route answers; and every media type it claims for a route
is served there when asked for with Accept (httpx, no schemathesis).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from vawmw.rdf import formats
from vawmw.settings import ServiceSettings

from tests.conftest import ONTOLOGY_VERSION, REPO, live_server

SELECT = "SELECT * WHERE { ?s ?p ?o } LIMIT 1"
CONSTRUCT = "CONSTRUCT WHERE { ?s ?p ?o } LIMIT 1"
# A release file per media type (the extensions of the release's layout, README).
DUMP_FILE = {
    "application/trig": "vawmw.trig",
    "application/n-quads": "vawmw.nq",
    "text/turtle": "vawmw.ttl",
    "application/ld+json": "vawmw.jsonld",
    "text/plain": "SHA256SUMS",
    "application/json": "release.json",
}


@pytest.fixture(scope="module")
def description(client: httpx.Client) -> dict[str, Any]:
    response = client.get("/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def test_sparql_get_documents_the_protocol_parameters(description: dict[str, Any]) -> None:
    parameters = {p["name"]: p for p in description["paths"]["/sparql"]["get"]["parameters"]}
    assert {"query", "default-graph-uri", "named-graph-uri", "format"} <= set(parameters)
    assert all(p["in"] == "query" for p in parameters.values())
    assert parameters["default-graph-uri"]["schema"]["type"] == "array"


def test_sparql_post_documents_both_bodies(description: dict[str, Any]) -> None:
    body = description["paths"]["/sparql"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/x-www-form-urlencoded", "application/sparql-query"}
    assert "query" in body["application/x-www-form-urlencoded"]["schema"]["properties"]


def test_no_422_is_listed(description: dict[str, Any]) -> None:
    text = json.dumps(description)
    assert '"422"' not in text and "HTTPValidationError" not in text


def _claims(description: dict[str, Any]) -> list[tuple[str, str, str, dict[str, str]]]:
    claims = []
    for path, operations in description["paths"].items():
        for method, operation in operations.items():
            examples = {
                p["name"]: p["example"]
                for p in operation.get("parameters", ())
                if p["in"] == "path" and "example" in p
            }
            content = operation["responses"].get("200", {}).get("content", {})
            claims += [(method, path, media_type, examples) for media_type in content]
    return claims


def _request(
    client: httpx.Client, method: str, path: str, media_type: str, examples: dict[str, str]
) -> httpx.Response:
    headers = {"accept": media_type}
    if path == "/sparql":
        fmt = formats.by_media_type(media_type, formats.RESULTS_FORMATS)
        query = SELECT if fmt is not None else CONSTRUCT
        if media_type == "text/html":  # the editor: a browser with no query
            return client.get(path, headers=headers)
        if method == "post":
            return client.post(path, data={"query": query}, headers=headers)
        return client.get(path, params={"query": query}, headers=headers)
    if path == "/dumps/{name}":
        examples = {"name": DUMP_FILE[media_type]}
    if path == "/ontology/{version}":
        # The ontology's own version, apart from the data release's (graph/VERSION).
        examples = {"version": ONTOLOGY_VERSION}
    url = path
    for name, value in examples.items():
        url = url.replace("{" + name + "}", value)
    return client.request(method.upper(), url, headers=headers)


@pytest.fixture(scope="module")
def real_client(real_release: Path) -> Iterator[httpx.Client]:
    """The repository's release: the minted IRIs (dataset, graphs, versions, shapes) and the
    JSON-LD context that the examples name exist only there."""
    settings = ServiceSettings(release_dir=real_release, queries_dir=REPO / "queries", workers=2)
    with live_server(settings) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def test_every_claimed_media_type_is_served(real_client: httpx.Client) -> None:
    client = real_client
    claims = _claims(client.get("/openapi.json").json())
    assert len(claims) > 20  # every route claims its own media types
    wrong = []
    for method, path, media_type, examples in claims:
        response = _request(client, method, path, media_type, examples)
        served = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code != 200 or served != media_type:
            wrong.append(f"{method} {path} {media_type}: {response.status_code} {served}")
    assert wrong == [], "\n".join(wrong)


def test_no_route_claims_json_it_refuses(description: dict[str, Any]) -> None:
    # The resource routes answered 406 to application/json while claiming it.
    for path in ("/ontology", "/id/{rest}", "/.well-known/void"):
        content = description["paths"][path]["get"]["responses"]["200"]["content"]
        assert "application/json" not in content, path
