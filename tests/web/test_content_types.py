"""Plain JSON and plain text for graphs (issue 14, "Content types"), with the real clients.

``Accept: application/json`` got 406 on ``/id/…`` and on CONSTRUCT queries: graphs answer
JSON-LD (as Wikidata does), SELECT and ASK keep SPARQL JSON results. rdflib's
``Graph().parse(url, format="nt")`` sends ``Accept: text/plain`` and got Turtle: graphs answer
N-Triples.
"""

from __future__ import annotations

import json
from typing import Final
from urllib.parse import quote

import httpx
import pyoxigraph as ox
import pytest
import rdflib

from tests.helpers_release import PHL

CONSTRUCT: Final = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3"
LABEL: Final = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")


def _query(query: str) -> str:
    return "/sparql?query=" + quote(query, safe="")


@pytest.mark.parametrize("path", ["/id/state/PHL", _query(CONSTRUCT), _query(f"DESCRIBE <{PHL}>")])
def test_plain_json_for_a_graph_is_json_ld(server_url: str, path: str) -> None:
    answer = httpx.get(server_url + path, headers={"Accept": "application/json"}, timeout=30)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/ld+json")
    triples = list(ox.parse(answer.content, format=ox.RdfFormat.JSON_LD))
    assert triples


@pytest.mark.parametrize(
    ("query", "key"), [("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1", "results"), ("ASK {}", "boolean")]
)
def test_plain_json_for_select_and_ask_is_sparql_json(
    server_url: str, query: str, key: str
) -> None:
    answer = httpx.get(
        server_url + _query(query), headers={"Accept": "application/json"}, timeout=30
    )
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/sparql-results+json")
    assert key in json.loads(answer.text)


def test_rdflib_parses_a_resource_as_n_triples(server_url: str) -> None:
    graph = rdflib.Graph().parse(server_url + "/id/state/PHL", format="nt")
    assert (rdflib.URIRef(PHL), LABEL, rdflib.Literal("Philippines", lang="en")) in graph


def test_rdflib_parses_a_construct_as_n_triples(server_url: str) -> None:
    graph = rdflib.Graph().parse(server_url + _query(CONSTRUCT), format="nt")
    assert len(graph) == 3


def test_text_plain_gets_n_triples(server_url: str) -> None:
    answer = httpx.get(server_url + "/ontology", headers={"Accept": "text/plain"}, timeout=30)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/n-triples")
