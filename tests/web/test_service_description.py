"""The Service Description (web/service_description.py) and what a browser gets at /sparql.

The description used to offer HTML, but any request whose Accept made HTML its best choice got
the editor first: that HTML branch could not be reached and is gone. These tests show what each
kind of client gets instead.
"""

from __future__ import annotations

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from vawmw.rdf import namespaces

SD = namespaces.PREFIXES["sd"]
VOID = rdflib.Namespace(namespaces.PREFIXES["void"])
RDF_TYPE = namespaces.PREFIXES["rdf"] + "type"
BROWSERS = [
    "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",  # Firefox
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",  # Chromium
    "text/html",
    "application/xhtml+xml",
    "text/html;q=0.9, text/turtle;q=0.5",
]


@pytest.mark.parametrize("accept", BROWSERS)
def test_a_browser_gets_the_editor_with_the_description_in_it(
    client: httpx.Client, accept: str
) -> None:
    page = client.get("/sparql", headers={"accept": accept})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert '<form id="query-form" method="get" action="/sparql">' in page.text
    assert "<h1>SPARQL editor</h1>" in page.text
    assert "sd:Service" in page.text  # the description, as Turtle, on the page


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        ("text/turtle", "text/turtle"),
        ("application/ld+json", "application/ld+json"),
        ("application/rdf+xml", "application/rdf+xml"),
        ("application/n-triples", "application/n-triples"),
        ("text/html;q=0.5, application/ld+json", "application/ld+json"),
        ("*/*", "text/turtle"),
    ],
)
def test_rdf_clients_get_the_description(
    client: httpx.Client, accept: str, media_type: str
) -> None:
    response = client.get("/sparql", headers={"accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    assert rdf_format is not None
    triples = {
        (str(t.subject), str(t.predicate), str(t.object))
        for t in ox.parse(response.content, format=rdf_format)
    }
    services = [s for s, p, o in triples if p == f"<{RDF_TYPE}>" and o == f"<{SD}Service>"]
    assert len(services) == 1 and services[0].endswith("/sparql>")
    service = services[0]
    assert (service, f"<{SD}supportedLanguage>", f"<{SD}SPARQL11Query>") in triples
    assert (service, f"<{SD}feature>", f"<{SD}UnionDefaultGraph>") in triples
    assert (service, f"<{SD}defaultDataset>", f"<{namespaces.DATASET_IRI}>") in triples
    names = {o for _, p, o in triples if p == f"<{SD}name>"}
    assert {f"<{namespaces.GRAPH_ONTOLOGY}>", f"<{namespaces.GRAPH_DATA}>"} <= names


def test_no_description_in_html(client: httpx.Client) -> None:
    """An Accept that allows neither the description's formats nor HTML: 406, which names
    what there is."""
    response = client.get("/sparql", headers={"accept": "image/png"})
    assert response.status_code == 406
    assert "Turtle" in response.text and "editor" in response.text


def test_the_description_counts_the_triples(client: httpx.Client) -> None:
    response = client.get("/sparql", headers={"accept": "text/turtle"})
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    counts = [int(c) for c in graph.objects(None, VOID.triples)]
    assert counts and max(counts) == sum(counts) - max(counts)  # the default graph: all of them
