"""The SPARQL 1.1 Service Description of the endpoint (``GET /sparql`` without a query).

It says what the endpoint speaks (SPARQL 1.1 Query, the result formats, the union default
graph) and what it serves: the dataset, its default graph and each named graph with its triple
count, and where the dataset's VoID description is. It holds two absolute URLs, the endpoint's
and the VoID document's (:func:`vawmw.web.security.public_url_for`), and nothing else of the
request. Browsers asking for HTML get the editor instead, which shows the Turtle.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import formats, namespaces
from vawmw.rdf.formats import Format

__all__ = ["FORMATS", "Description", "serialize", "triples", "turtle"]

FORMATS: Final = (formats.TURTLE, formats.JSONLD, formats.RDFXML, formats.NTRIPLES)
# The formats /sparql answers in.
_RESULT_FORMATS: Final = (*formats.RESULTS_FORMATS, *formats.GRAPH_FORMATS)
_PREFIXES: Final = {name: namespaces.PREFIXES[name] for name in ("sd", "void", "rdfs", "sh")}
_SD: Final = namespaces.PREFIXES["sd"]
_A: Final = ox.NamedNode(namespaces.PREFIXES["rdf"] + "type")
_SEE_ALSO: Final = ox.NamedNode(namespaces.PREFIXES["rdfs"] + "seeAlso")
_TRIPLES: Final = ox.NamedNode(namespaces.PREFIXES["void"] + "triples")
_SH: Final = namespaces.SH
_ANY_URI: Final = ox.NamedNode(namespaces.XSD + "anyURI")


def _sd(name: str) -> ox.NamedNode:
    return ox.NamedNode(_SD + name)


@dataclass(frozen=True)
class Description:
    """What the description states: where the endpoint is, and the graphs it serves."""

    endpoint: str  # the endpoint's absolute URL
    void: str  # the absolute URL of the VoID description
    counts: Mapping[str, int]  # triples per named graph of the release
    graph_names: Sequence[str]  # every named graph served: the release's and the extras


def _service(description: Description, dataset: ox.NamedNode) -> list[ox.Triple]:
    endpoint = ox.NamedNode(description.endpoint)
    result_formats = (fmt.iri for fmt in _RESULT_FORMATS)
    return [
        ox.Triple(endpoint, _A, _sd("Service")),
        ox.Triple(endpoint, _sd("endpoint"), endpoint),
        ox.Triple(endpoint, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(endpoint, _sd("feature"), _sd("UnionDefaultGraph")),
        *(
            ox.Triple(endpoint, _sd("resultFormat"), ox.NamedNode(iri))
            for iri in result_formats
            if iri
        ),
        ox.Triple(endpoint, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, _A, _sd("Dataset")),
        ox.Triple(dataset, _SEE_ALSO, ox.NamedNode(description.void)),
    ]


def _graphs(description: Description, dataset: ox.NamedNode) -> list[ox.Triple]:
    default = ox.BlankNode("defaultGraph")
    graphs = [
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, _A, _sd("Graph")),
        ox.Triple(default, _TRIPLES, ox.Literal(sum(description.counts.values()))),
    ]
    for index, name in enumerate(description.graph_names):
        named, graph = ox.BlankNode(f"namedGraph{index}"), ox.BlankNode(f"graph{index}")
        graphs += [
            ox.Triple(dataset, _sd("namedGraph"), named),
            ox.Triple(named, _A, _sd("NamedGraph")),
            ox.Triple(named, _sd("name"), ox.NamedNode(name)),
            ox.Triple(named, _sd("graph"), graph),
            ox.Triple(graph, _A, _sd("Graph")),
        ]
        if name in description.counts:  # an extra graph's size is not recorded
            graphs.append(ox.Triple(graph, _TRIPLES, ox.Literal(description.counts[name])))
    return graphs


def _prefixes(description: Description) -> list[ox.Triple]:
    """The prefixes every query may use undeclared, in SHACL's vocabulary for prefix
    declarations (``sh:declare [ sh:prefix "rdfs" ; sh:namespace "…"^^xsd:anyURI ]``)."""
    endpoint = ox.NamedNode(description.endpoint)
    declared: list[ox.Triple] = []
    for name, iri in namespaces.PREFIXES.items():
        declaration = ox.BlankNode(f"prefix_{name}")
        declared += [
            ox.Triple(endpoint, ox.NamedNode(_SH + "declare"), declaration),
            ox.Triple(declaration, ox.NamedNode(_SH + "prefix"), ox.Literal(name)),
            ox.Triple(
                declaration, ox.NamedNode(_SH + "namespace"), ox.Literal(iri, datatype=_ANY_URI)
            ),
        ]
    return declared


def triples(description: Description) -> list[ox.Triple]:
    """The description as triples; the dataset is named by its canonical IRI."""
    dataset = ox.NamedNode(namespaces.DATASET_IRI)
    return _service(description, dataset) + _graphs(description, dataset) + _prefixes(description)


def serialize(description: Description, fmt: Format) -> bytes:
    """The description in ``fmt``, one of :data:`FORMATS`."""
    if fmt not in FORMATS or fmt.rdf_format is None:
        raise ValueError(f"the service description is not offered as {fmt.name}")
    data = ox.serialize(triples(description), format=fmt.rdf_format, prefixes=_PREFIXES)
    return data or b""


def turtle(description: Description) -> str:
    """The description as Turtle text (shown on the editor page)."""
    return serialize(description, formats.TURTLE).decode("utf-8")
