"""Dereferencing: /id/… and /ontology by content negotiation."""

from __future__ import annotations

import html.parser
import warnings

import httpx
import pytest
import rdflib
from vawmw.rdf import namespaces as ns

from tests.helpers_release import PER, PHL, STATE_CLASS

PHL_PATH = "/id/state/PHL"
RDFS_LABEL = rdflib.RDFS.label

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def _parse(response: httpx.Response, media_type: str) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    return rdflib.Graph().parse(data=response.content, format=media_type)


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"],
)
def test_resource_description(client: httpx.Client, media_type: str) -> None:
    graph = _parse(client.get(PHL_PATH, headers={"accept": media_type}), media_type)
    phl = rdflib.URIRef(PHL)
    assert (phl, RDFS_LABEL, rdflib.Literal("Philippines", lang="en")) in graph
    assert (phl, rdflib.RDF.type, rdflib.URIRef(ns.VAWMW + "ReportingState")) in graph  # inferred
    report = rdflib.URIRef(ns.REPORT_IRI)
    assert (phl, rdflib.URIRef(ns.VAWMW + "contributedTo"), report) in graph
    # labels of linked resources come along
    assert graph.value(report, RDFS_LABEL) is not None
    assert graph.value(rdflib.URIRef(STATE_CLASS), RDFS_LABEL) == rdflib.Literal("State", lang="en")
    # no unrelated resource
    assert (rdflib.URIRef(PER), None, None) not in graph


def test_incoming_links(client: httpx.Client) -> None:
    path = "/id/report/A-78-292"
    graph = _parse(client.get(path, headers={"accept": "text/turtle"}), "text/turtle")
    report = rdflib.URIRef(ns.REPORT_IRI)
    contributors = set(graph.subjects(rdflib.URIRef(ns.VAWMW + "contributedTo"), report))
    assert contributors == {rdflib.URIRef(PHL), rdflib.URIRef(PER)}
    assert graph.value(rdflib.URIRef(PER), RDFS_LABEL) == rdflib.Literal("Peru", lang="en")


def test_default_is_turtle(client: httpx.Client) -> None:
    _parse(client.get(PHL_PATH), "text/turtle")
    _parse(client.get(PHL_PATH, headers={"accept": "*/*"}), "text/turtle")


class _Collector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(PHL_PATH, headers={"accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = _Collector()
    page.feed(response.text)
    text = "".join(page.text)
    assert "Philippines" in text
    assert "contributed to" in text
    assert "/id/report/A-78-292" in page.links
    # the report's label has <, & and quotes: they arrive escaped, not as markup
    assert 'Report A/78/292 <test> & "quotes"' in text
    assert "<test>" not in response.text


def test_unknown_iri_404(client: httpx.Client) -> None:
    response = client.get("/id/state/XXX", headers={"accept": "text/turtle"})
    assert response.status_code == 404


def test_not_acceptable_406(client: httpx.Client) -> None:
    response = client.get(PHL_PATH, headers={"accept": "application/pdf"})
    assert response.status_code == 406


def test_vary_link_etag_304(client: httpx.Client) -> None:
    response = client.get(PHL_PATH, headers={"accept": "text/turtle"})
    assert "Accept" in response.headers["vary"]
    link = response.headers["link"]
    for media_type in ("text/turtle", "application/ld+json", "application/rdf+xml", "text/html"):
        assert f'rel="alternate"; type="{media_type}"' in link
    assert response.headers["cache-control"] == "public, max-age=3600"
    etag = response.headers["etag"]
    again = client.get(PHL_PATH, headers={"accept": "text/turtle", "if-none-match": etag})
    assert again.status_code == 304
    assert again.headers["etag"] == etag
    other = client.get(PHL_PATH, headers={"accept": "application/ld+json", "if-none-match": etag})
    assert other.status_code == 200
    assert other.headers["etag"] != etag


@pytest.mark.parametrize(
    "path",
    [
        '/id/state/PHL"',
        "/id/state/PHL%22",
        "/id/state/PHL}",
        "/id/state/PHL%7D",
        "/id/state/PHL>",
        "/id/state/PHL%3E",
        "/id/state/PHL%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o",
        "/id/..%2f..%2fetc%2fpasswd",
        "/id/%2e%2e/%2e%2e/release.json",
        "/id/state/PHL%",
        "/id/state/PHL%zz",
        "/id/state/\u00e9",
        "/id/",
        "/id/state/PHL\\",
        "/id/state/PHL%00",
    ],
)
def test_injection_attempts_are_404(client: httpx.Client, path: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404, (path, response.status_code, response.text)


def test_ontology(client: httpx.Client) -> None:
    graph = _parse(client.get("/ontology", headers={"accept": "text/turtle"}), "text/turtle")
    assert (rdflib.URIRef(ns.ONTOLOGY_IRI), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    assert (rdflib.URIRef(STATE_CLASS), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert (rdflib.URIRef(PHL), None, None) not in graph  # only the ontology graph
    for media_type in ("application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert len(_parse(client.get("/ontology", headers={"accept": media_type}), media_type)) == 9


def test_hash_iri_resolves_to_ontology_html(client: httpx.Client) -> None:
    # a client dereferencing vawmw:State drops the fragment and asks for /ontology
    response = client.get("/ontology#State", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert 'id="State"' in response.text
    assert 'id="contributedTo"' in response.text
    assert "A sovereign country." in response.text
