"""The HTTP API's behaviour as check functions on a client of a running service.

The web tests run them on the embedded store (tests/web/test_sparql_protocol.py,
tests/web/test_resources.py); tests/remote/test_backend.py runs the same checks, listed in
:data:`ON_EVERY_BACKEND`, against Virtuoso and Oxigraph server too. Expected values come from
the test release (tests/helpers_release.py) served with ``max_rows=10``.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import re
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable
from functools import partial
from typing import Any, Final

import httpx
import rdflib
from vawmw.rdf import namespaces as ns

from tests.helpers_release import PER, PHL, STATE_CLASS, VERSION

Check = Callable[[httpx.Client], None]

SRX: Final = "{http://www.w3.org/2005/sparql-results#}"
STATES: Final = (
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?state ?label WHERE { ?state a <https://w3id.org/vawmw/ontology#State> ;"
    " rdfs:label ?label } ORDER BY ?label"
)
COUNT: Final = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CONSTRUCT: Final = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{ns.GRAPH_DATA}> {{ ?s ?p ?o }} }}"
DIRECT: Final = {"content-type": "application/sparql-query"}
PHL_PATH: Final = "/id/state/PHL"
RDFS_LABEL: Final = rdflib.RDFS.label


# --------------------------------------------------------------------------- the SPARQL protocol


def bindings(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    rows = json.loads(response.content)["results"]["bindings"]
    assert isinstance(rows, list)
    return rows


def count(
    client: httpx.Client, query: str = COUNT, params: dict[str, str | list[str]] | None = None
) -> int:
    query_params: dict[str, str | list[str]] = {"query": query, **(params or {})}
    response = client.get("/sparql", params=query_params)
    return int(bindings(response)[0]["n"]["value"])


def get_select_json(client: httpx.Client) -> None:
    rows = bindings(client.get("/sparql", params={"query": STATES}))
    assert [(r["state"]["value"], r["label"]["value"]) for r in rows] == [
        (PER, "Peru"),
        (PHL, "Philippines"),
    ]
    assert rows[0]["label"]["xml:lang"] == "en"


def post_form(client: httpx.Client) -> None:
    response = client.post("/sparql", data={"query": STATES})
    assert len(bindings(response)) == 2


def post_direct(client: httpx.Client) -> None:
    response = client.post("/sparql", content=STATES.encode(), headers=DIRECT)
    assert len(bindings(response)) == 2


def rows_by_format(response: httpx.Response, media_type: str) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    text = response.content.decode("utf-8")
    if media_type == "application/sparql-results+xml":
        root = ET.fromstring(response.content)
        return [
            [b.findtext(f"{SRX}uri") or b.findtext(f"{SRX}literal") or "" for b in result]
            for result in root.iter(f"{SRX}result")
        ]
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[0] == ["state", "label"]
        return rows[1:]
    if media_type == "text/tab-separated-values":
        lines = text.rstrip("\n").split("\n")
        assert lines[0] == "?state\t?label"
        return [line.split("\t") for line in lines[1:]]
    document = json.loads(text)
    return [[b["state"]["value"], b["label"]["value"]] for b in document["results"]["bindings"]]


def select_formats(client: httpx.Client, accept: str, media_type: str) -> None:
    response = client.get("/sparql", params={"query": STATES}, headers={"accept": accept})
    rows = rows_by_format(response, media_type)
    if media_type == "text/tab-separated-values":
        assert rows == [[f"<{PER}>", '"Peru"@en'], [f"<{PHL}>", '"Philippines"@en']]
    else:
        assert rows == [[PER, "Peru"], [PHL, "Philippines"]]


def construct_formats(client: httpx.Client, accept: str | None, media_type: str) -> None:
    headers = {"accept": accept} if accept else {}
    response = client.get("/sparql", params={"query": CONSTRUCT}, headers=headers)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    dataset = rdflib.Dataset()
    dataset.parse(data=response.content, format=media_type)
    triples = {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))}
    label = rdflib.URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    assert (rdflib.URIRef(PHL), label, rdflib.Literal("Philippines", lang="en")) in triples
    assert len(triples) == 7


def ask(client: httpx.Client, accept: str) -> None:
    query = f"ASK {{ <{PHL}> a <{ns.VAWMW}ReportingState> }}"
    response = client.get("/sparql", params={"query": query}, headers={"accept": accept})
    assert response.status_code == 200
    if accept.endswith("json"):
        assert json.loads(response.content) == {"head": {}, "boolean": True}
    else:
        assert ET.fromstring(response.content).findtext(f"{SRX}boolean") == "true"


def default_graph_is_the_union(client: httpx.Client) -> None:
    assert count(client) == 19


def default_graph_uri(client: httpx.Client) -> None:
    assert count(client, params={"default-graph-uri": ns.GRAPH_DATA}) == 7
    both = [ns.GRAPH_DATA, ns.GRAPH_INFERRED]
    assert count(client, params={"default-graph-uri": both}) == 8
    assert count(client, params={"default-graph-uri": "http://example.org/unknown"}) == 0


def named_graph_uri(client: httpx.Client) -> None:
    query = "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert count(client, query) == 4
    assert count(client, query, params={"named-graph-uri": ns.GRAPH_SHAPES}) == 1
    # only named graphs given: the default graph is empty
    assert count(client, params={"named-graph-uri": ns.GRAPH_SHAPES}) == 0


def from_clauses_select_local_graphs(client: httpx.Client) -> None:
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{ns.GRAPH_INFERRED}> {{ ?s ?p ?o }}") == 1
    unknown = "SELECT (COUNT(*) AS ?n) FROM <http://example.org/elsewhere> { ?s ?p ?o }"
    assert count(client, unknown) == 0


def protocol_dataset_overrides_from(client: httpx.Client) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{ns.GRAPH_INFERRED}> {{ ?s ?p ?o }}"
    assert count(client, query, params={"default-graph-uri": ns.GRAPH_SHAPES}) == 2


def bad_graph_uri(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": COUNT, "default-graph-uri": "not an iri"})
    assert response.status_code == 400


def syntax_error_400_with_position(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p }"})
    assert response.status_code == 400
    # The position in words; an external store words it its own way (Virtuoso: "line 1: …").
    assert re.search(r"\bline 1\b", response.text), response.text
    assert "Traceback" not in response.text and "/work" not in response.text
    assert ".py" not in response.text


def predeclared_prefixes(client: httpx.Client) -> None:
    """rdfs: and vawmw: work undeclared, as on Wikidata's endpoint; a query's own PREFIX wins."""
    undeclared = "ASK { ?s rdfs:label ?l ; a vawmw:State }"
    response = client.get(
        "/sparql",
        params={"query": undeclared},
        headers={"accept": "application/sparql-results+json"},
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is True
    own = "PREFIX rdfs: <urn:not-rdfs#> ASK { ?s rdfs:label ?l }"
    response = client.get(
        "/sparql", params={"query": own}, headers={"accept": "application/sparql-results+json"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["boolean"] is False


def update_in_query_is_403(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 403
    assert "read-only" in response.text


def service_is_refused(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query})
    assert response.status_code == 400
    assert "SERVICE" in response.text


def truncation_is_announced(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(bindings(response)) == 10  # max_rows of the test settings (19 triples in all)
    assert response.headers["x-sparql-truncated"] == "true"
    assert response.headers["x-sparql-max-rows"] == "10"
    small = client.get("/sparql", params={"query": STATES})
    assert "x-sparql-truncated" not in small.headers


def construct_truncation(client: httpx.Client) -> None:
    query = "CONSTRUCT WHERE { ?s ?p ?o }"
    response = client.get(
        "/sparql", params={"query": query}, headers={"accept": "application/n-triples"}
    )
    assert response.headers["x-sparql-truncated"] == "true"
    assert len(rdflib.Graph().parse(data=response.content, format="nt")) == 10


def etag_and_304(client: httpx.Client) -> None:
    response = client.get("/sparql", params={"query": STATES})
    etag = response.headers["etag"]
    assert response.headers["cache-control"] == "public, max-age=3600"
    assert "Accept" in response.headers["vary"]
    again = client.get("/sparql", params={"query": STATES}, headers={"if-none-match": etag})
    assert again.status_code == 304
    other = client.get(
        "/sparql", params={"query": STATES}, headers={"if-none-match": etag, "accept": "text/csv"}
    )
    assert other.status_code == 200


# --------------------------------------------------------------------------- dereferencing


def parse_graph(response: httpx.Response, media_type: str) -> rdflib.Graph:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].split(";")[0] == media_type
    return rdflib.Graph().parse(data=response.content, format=media_type)


def resource_description(client: httpx.Client, media_type: str) -> None:
    graph = parse_graph(client.get(PHL_PATH, headers={"accept": media_type}), media_type)
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


def incoming_links(client: httpx.Client) -> None:
    path = "/id/report/A-78-292"
    graph = parse_graph(client.get(path, headers={"accept": "text/turtle"}), "text/turtle")
    report = rdflib.URIRef(ns.REPORT_IRI)
    contributors = set(graph.subjects(rdflib.URIRef(ns.VAWMW + "contributedTo"), report))
    assert contributors == {rdflib.URIRef(PHL), rdflib.URIRef(PER)}
    assert graph.value(rdflib.URIRef(PER), RDFS_LABEL) == rdflib.Literal("Peru", lang="en")


def default_is_turtle(client: httpx.Client) -> None:
    parse_graph(client.get(PHL_PATH), "text/turtle")
    parse_graph(client.get(PHL_PATH, headers={"accept": "*/*"}), "text/turtle")


class LinkCollector(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links.extend(value for name, value in attrs if name == "href" and value)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def html_page(client: httpx.Client) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get(PHL_PATH, headers={"accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = LinkCollector()
    page.feed(response.text)
    text = "".join(page.text)
    assert "Philippines" in text
    assert "contributed to" in text
    assert "/id/report/A-78-292" in page.links
    # the report's label has <, & and quotes: they arrive escaped, not as markup
    assert 'Report A/78/292 <test> & "quotes"' in text
    assert "<test>" not in response.text


def unknown_iri_404(client: httpx.Client) -> None:
    response = client.get("/id/state/XXX", headers={"accept": "text/turtle"})
    assert response.status_code == 404


def vary_link_etag_304(client: httpx.Client) -> None:
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


def injection_attempts_are_404(client: httpx.Client, path: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        response = client.get(path, headers={"accept": "text/turtle"})
    assert response.status_code == 404, (path, response.status_code, response.text)


def ontology(client: httpx.Client) -> None:
    graph = parse_graph(client.get("/ontology", headers={"accept": "text/turtle"}), "text/turtle")
    assert (rdflib.URIRef(ns.ONTOLOGY_IRI), rdflib.RDF.type, rdflib.OWL.Ontology) in graph
    assert (rdflib.URIRef(STATE_CLASS), rdflib.RDF.type, rdflib.OWL.Class) in graph
    assert (rdflib.URIRef(PHL), None, None) not in graph  # only the ontology graph
    for media_type in ("application/ld+json", "application/n-triples", "application/rdf+xml"):
        assert (
            len(parse_graph(client.get("/ontology", headers={"accept": media_type}), media_type))
            == 9
        )


def hash_iri_resolves_to_ontology_html(client: httpx.Client) -> None:
    # a client dereferencing vawmw:State drops the fragment and asks for /ontology
    response = client.get("/ontology#State", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert 'id="State"' in response.text
    assert 'id="contributedTo"' in response.text
    assert "A sovereign country." in response.text


# --------------------------------------------------------------------------- pages

BROWSER: Final = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
DASHBOARD_CHARTS: Final = (
    "measures-by-category",
    "party-counts",
    "risks-by-stage",
    "ilo-conventions",
    "statistics-by-source",
)


def read_page(client: httpx.Client, path: str) -> tuple[httpx.Response, LinkCollector]:
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/html")
    page = LinkCollector()
    page.feed(response.text)
    return response, page


def home_and_dashboard_pages(client: httpx.Client) -> None:
    """The home page's counts and States come from queries on the store, so do the charts.

    In the test release one State, the Philippines, is a reporting State (by inference), and
    the release holds 19 triples; none of the charts' classes has an instance.
    """
    _, home = read_page(client, "/")
    text = " ".join("".join(home.text).split())
    assert "1 reporting States" in text
    assert "0 instruments" in text
    assert any(link.endswith("/id/state/PHL") for link in home.links)
    assert "Philippines" in text and "Peru" not in text  # Peru is not a reporting State
    assert "19 in all" in text and VERSION in text
    response, dashboard = read_page(client, "/dashboard")
    for chart in DASHBOARD_CHARTS:
        assert f'id="{chart}"' in response.text
        assert f'data-chart="{chart}"' in response.text
        assert f"#{chart}" in dashboard.links  # the table of contents
    editor_links = [link for link in dashboard.links if link.startswith("/sparql?")]
    assert len(editor_links) >= len(DASHBOARD_CHARTS)  # each chart links to its query


# --------------------------------------------------------------------------- on every backend


def _on_every_backend() -> list[tuple[str, Check]]:
    checks: list[tuple[str, Check]] = [
        ("get_select_json", get_select_json),
        ("post_form", post_form),
        ("post_direct", post_direct),
        ("default_graph_is_the_union", default_graph_is_the_union),
        ("default_graph_uri", default_graph_uri),
        ("named_graph_uri", named_graph_uri),
        ("from_clauses", from_clauses_select_local_graphs),
        ("protocol_dataset_overrides_from", protocol_dataset_overrides_from),
        ("bad_graph_uri", bad_graph_uri),
        ("syntax_error_400", syntax_error_400_with_position),
        ("predeclared_prefixes", predeclared_prefixes),
        ("update_403", partial(update_in_query_is_403, query="CLEAR ALL")),
        ("truncation", truncation_is_announced),
        ("construct_truncation", construct_truncation),
        ("etag_304", etag_and_304),
        ("describe", partial(resource_description, media_type="text/turtle")),
        ("incoming_links", incoming_links),
        ("default_is_turtle", default_is_turtle),
        ("html_page", html_page),
        ("unknown_iri_404", unknown_iri_404),
        ("vary_link_etag_304", vary_link_etag_304),
        ("ontology", ontology),
        ("ontology_html", hash_iri_resolves_to_ontology_html),
    ]
    for media_type in ("application/sparql-results+xml", "text/csv", "text/tab-separated-values"):
        check = partial(select_formats, accept=media_type, media_type=media_type)
        checks.append((f"select_{media_type.split('/')[1]}", check))
    for media_type in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        check = partial(construct_formats, accept=media_type, media_type=media_type)
        checks.append((f"construct_{media_type.split('/')[1]}", check))
    for accept in ("application/sparql-results+json", "application/sparql-results+xml"):
        checks.append((f"ask_{accept.split('+')[1]}", partial(ask, accept=accept)))
    for name, query in (
        ("service_refused", "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"),
        (
            "service_escaped_refused",
            "SELECT * WHERE { \\u0053ERVICE <http://example.org/sparql> { ?s ?p ?o } }",
        ),
    ):
        checks.append((name, partial(service_is_refused, query=query)))
    for name, path in (
        ("injection_404", "/id/state/PHL%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o"),
        ("quote_404", "/id/state/PHL%22"),
    ):
        checks.append((name, partial(injection_attempts_are_404, path=path)))
    return checks


# A representative subset of the protocol, dereferencing and HTML checks, by name.
ON_EVERY_BACKEND: Final = _on_every_backend()
