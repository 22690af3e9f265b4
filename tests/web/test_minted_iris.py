"""Every IRI of the namespace that the real release uses as a subject dereferences (issue 14,
"IRIs that do not resolve"): the dataset and its VoID partitions, the named graphs, the
ontology's version IRI and the shapes, besides ``/id/…`` and the ontology.

The IRIs come from the release's own files (every N-Quads subject, every VoID subject, the
ontology's ``owl:versionIRI``), not from the code that serves them. One live server and one
keep-alive client: about 1,400 requests.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from vawmw.rdf import namespaces
from vawmw.settings import ServiceSettings

from tests.conftest import ONTOLOGY_VERSION, live_server

BASE: Final = namespaces.BASE
OWL_VERSION_IRI: Final = ox.NamedNode(namespaces.OWL + "versionIRI")
RDF_FORMATS: Final = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}


def _subjects(path: Path, fmt: ox.RdfFormat) -> set[str]:
    return {
        q.subject.value
        for q in ox.parse(path=str(path), format=fmt)
        if isinstance(q.subject, ox.NamedNode) and q.subject.value.startswith(BASE)
    }


def _version_iris(release: Path) -> set[str]:
    quads = ox.parse(path=str(release / "vawmw.nq"), format=ox.RdfFormat.N_QUADS)
    return {
        q.object.value
        for q in quads
        if q.predicate == OWL_VERSION_IRI and isinstance(q.object, ox.NamedNode)
    }


@pytest.fixture(scope="module")
def minted(real_release: Path) -> dict[str, set[str]]:
    """The release's IRIs under the namespace, by the document a client fetches (no fragment)."""
    iris = _subjects(real_release / "vawmw.nq", ox.RdfFormat.N_QUADS)
    iris |= _subjects(real_release / "void.ttl", ox.RdfFormat.TURTLE)
    iris |= _version_iris(real_release)
    documents: dict[str, set[str]] = {}
    for iri in iris:
        documents.setdefault(iri.partition("#")[0], set()).add(iri)
    return documents


@pytest.fixture(scope="module")
def http(real_release: Path) -> Iterator[httpx.Client]:
    settings = ServiceSettings(release_dir=real_release, workers=2)
    # One client asks for every IRI: its fair share of query time is not what is tested here.
    with (
        live_server(settings, client_query_seconds=10_000.0) as url,
        httpx.Client(base_url=url, timeout=60) as client,
    ):
        yield client


def test_the_release_mints_what_the_issue_lists(minted: dict[str, set[str]]) -> None:
    """The enumeration covers each kind the issue names (else the next test proves little)."""
    documents = set(minted)
    for iri in (
        BASE + "dataset",
        BASE + "graph/ontology",
        BASE + "graph/data",
        BASE + "graph/interpretations",
        BASE + "graph/inferred",
        BASE + "graph/shapes",
        BASE + f"ontology/{ONTOLOGY_VERSION}",
        BASE + "shapes",
    ):
        assert iri in documents
    assert any(d.startswith(BASE + "dataset/class-partition/") for d in documents)
    assert any(d.startswith(BASE + "dataset/property-partition/") for d in documents)
    assert len(documents) > 1000


def test_every_minted_iri_dereferences(
    http: httpx.Client, minted: dict[str, set[str]], real_release: Path
) -> None:
    """200 in Turtle for each, and the answer says something about the IRI itself."""
    versions = _version_iris(real_release)
    failures: list[str] = []
    for document, iris in sorted(minted.items()):
        answer = http.get("/" + document.removeprefix(BASE), headers={"Accept": "text/turtle"})
        if answer.status_code != 200:
            failures.append(f"{answer.status_code} {document}")
            continue
        assert answer.headers["content-type"].startswith("text/turtle")
        stated = _subjects_in(answer.content)
        missing = {iri for iri in iris - versions if iri not in stated}
        if missing:
            failures.append(f"not described by {document}: {sorted(missing)[:3]}")
    assert failures == []


def _subjects_in(turtle: bytes) -> set[str]:
    return {
        q.subject.value
        for q in ox.parse(turtle, format=ox.RdfFormat.TURTLE)
        if isinstance(q.subject, ox.NamedNode)
    }


def _with_local_context(http: httpx.Client, body: bytes) -> bytes:
    """The context by value, from the service: its IRI is on w3id.org, which tests never reach
    (deploy/w3id's test follows that redirect)."""
    document = json.loads(body)
    if document.get("@context") == BASE + "context.jsonld":
        document["@context"] = http.get("/context.jsonld").json()["@context"]
    return json.dumps(document).encode("utf-8")


def _parse(data: bytes, rdflib_format: str) -> Graph:
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser goes through its own deprecated ConjunctiveGraph API.
        warnings.filterwarnings("ignore", "ConjunctiveGraph is deprecated", DeprecationWarning)
        return Graph().parse(data=data, format=rdflib_format)


KINDS: Final = (
    "dataset",
    "dataset/class-partition/vawmw-State",
    "dataset/property-partition/vawmw-concernsState",
    "graph/data",
    f"ontology/{ONTOLOGY_VERSION}",
    "shapes",
    "shapes/violations",
)


@pytest.mark.parametrize("path", KINDS)
@pytest.mark.parametrize("media_type", sorted(RDF_FORMATS))
def test_each_kind_negotiates_every_rdf_format(
    http: httpx.Client, path: str, media_type: str
) -> None:
    """rdflib reads each representation, as ``/id/…``'s are read; Vary and an ETag that gives
    304."""
    answer = http.get("/" + path, headers={"Accept": media_type})
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].split(";")[0] == media_type
    assert "Accept" in answer.headers["vary"]
    body = answer.content
    if media_type == "application/ld+json":
        body = _with_local_context(http, body)
    assert len(_parse(body, RDF_FORMATS[media_type])) > 0
    again = http.get(
        "/" + path, headers={"Accept": media_type, "If-None-Match": answer.headers["etag"]}
    )
    assert again.status_code == 304


def test_a_graph_iri_gives_its_triple_count_and_dumps(http: httpx.Client) -> None:
    answer = http.get("/graph/data", headers={"Accept": "text/turtle"})
    graph = Graph().parse(data=answer.content, format="turtle")
    void = "http://rdfs.org/ns/void#"
    data = URIRef(BASE + "graph/data")
    count = graph.value(data, URIRef(void + "triples"))
    assert count is not None and int(count) > 1000
    dumps = set(graph.objects(data, URIRef(void + "dataDump")))
    assert dumps == {URIRef(BASE + "dumps/vawmw.trig"), URIRef(BASE + "dumps/vawmw.nq")}
    for dump in dumps:  # and the dumps named are there to download
        assert http.get("/" + str(dump).removeprefix(BASE)).status_code == 200
    # A description, not the graph: a few hundred bytes, where the graph is a megabyte.
    assert len(answer.content) < 10_000


def test_the_version_iri_is_the_ontology_and_others_are_404(http: httpx.Client) -> None:
    version = http.get(f"/ontology/{ONTOLOGY_VERSION}", headers={"Accept": "text/turtle"})
    current = http.get("/ontology", headers={"Accept": "text/turtle"})
    assert version.status_code == 200
    assert (
        Graph()
        .parse(data=version.content, format="turtle")
        .isomorphic(Graph().parse(data=current.content, format="turtle"))
    )
    assert http.get("/ontology/9.9.9", headers={"Accept": "text/turtle"}).status_code == 404
    assert http.get("/graph/nothing", headers={"Accept": "text/turtle"}).status_code == 404
    assert http.get("/dataset/nothing", headers={"Accept": "text/turtle"}).status_code == 404


def test_pages_for_browsers(http: httpx.Client) -> None:
    """HTML for each kind; the shapes page has a section per shape, so ``#StateShape`` lands."""
    for path in KINDS:
        page = http.get("/" + path, headers={"Accept": "text/html"})
        assert page.status_code == 200, path
        assert page.headers["content-type"].startswith("text/html")
    shapes = http.get("/shapes", headers={"Accept": "text/html"}).text
    assert 'id="StateShape"' in shapes
    assert 'id="ClaimShape"' in shapes
    assert http.get("/graph/data", headers={"Accept": "image/png"}).status_code == 406


# --------------------------------------------------------------------------- the small release


def test_the_small_release_dataset_iri_resolves(client: httpx.Client) -> None:
    """Fast, in the inner loop: the dataset IRI of tests/helpers_release.py's void.ttl."""
    answer = client.get("/dataset", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    assert BASE + "dataset" in _subjects_in(answer.content)
    assert client.get("/dataset", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/dataset/none", headers={"Accept": "text/turtle"}).status_code == 404


def test_the_small_release_shape_iri_resolves(client: httpx.Client) -> None:
    answer = client.get("/shapes/StateShape", headers={"Accept": "application/n-triples"})
    assert answer.status_code == 200
    assert BASE + "shapes/StateShape" in {
        q.subject.value
        for q in ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES)
        if isinstance(q.subject, ox.NamedNode)
    }


def test_a_version_the_ontology_does_not_state_is_404(client: httpx.Client) -> None:
    """The small ontology states no owl:versionIRI: no version path resolves."""
    assert client.get("/ontology/0.1.0", headers={"Accept": "text/turtle"}).status_code == 404
