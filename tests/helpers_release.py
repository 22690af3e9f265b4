"""Write a tiny release directory with exactly the layout of service/vawmw/release/manifest.py.

The data are a handful of quads in each named graph of namespaces.py, enough to exercise the
service: an ontology with one class and one property, a State with a label and a link to the
report, one inferred type and one shape. ``bulk`` adds that many generated triples to the data
graph (for slow-query tests).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from vawmw.rdf import namespaces as ns
from vawmw.release.layout import (
    CHECKSUMS_NAME,
    MANIFEST_NAME,
    QUERIES_DIR_NAME,
    STORE_DIR_NAME,
    query_entry,
)
from vawmw.release.manifest import ReleaseInfo

RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
SH: Final = "http://www.w3.org/ns/shacl#"
PHL: Final = ns.ID + "state/PHL"
PER: Final = ns.ID + "state/PER"
STATE_CLASS: Final = ns.VAWMW + "State"
CONTRIBUTED_TO: Final = ns.VAWMW + "contributedTo"
BULK: Final = "http://example.org/bulk/"
VERSION: Final = "0.0.1-test"
# The competency queries the release carries (queries/NAME.rq, listed in the manifest).
FIXTURE_QUERIES: Final = {
    "states.rq": "# title: All States\n# description: Every State with its label.\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "SELECT ?state ?label WHERE { ?state a <https://w3id.org/vawmw/ontology#State> ;"
    " rdfs:label ?label }\n",
}
ISSUED: Final = "2024-01-01"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _en(text: str) -> ox.Literal:
    return ox.Literal(text, language="en")


def fixture_quads(bulk: int = 0) -> list[ox.Quad]:
    onto, data, inferred, shapes = (
        _n(ns.GRAPH_ONTOLOGY),
        _n(ns.GRAPH_DATA),
        _n(ns.GRAPH_INFERRED),
        _n(ns.GRAPH_SHAPES),
    )
    a, label, comment = _n(RDF_TYPE), _n(RDFS + "label"), _n(RDFS + "comment")
    quads = [
        ox.Quad(_n(ns.ONTOLOGY_IRI), a, _n(OWL + "Ontology"), onto),
        ox.Quad(_n(ns.ONTOLOGY_IRI), label, _en("Test ontology"), onto),
        ox.Quad(_n(STATE_CLASS), a, _n(OWL + "Class"), onto),
        ox.Quad(_n(STATE_CLASS), label, _en("State"), onto),
        ox.Quad(_n(STATE_CLASS), comment, _en("A sovereign country."), onto),
        ox.Quad(_n(ns.VAWMW + "ReportingState"), a, _n(OWL + "Class"), onto),
        ox.Quad(_n(ns.VAWMW + "ReportingState"), label, _en("reporting State"), onto),
        ox.Quad(_n(CONTRIBUTED_TO), a, _n(OWL + "ObjectProperty"), onto),
        ox.Quad(_n(CONTRIBUTED_TO), label, _en("contributed to"), onto),
        ox.Quad(_n(PHL), a, _n(STATE_CLASS), data),
        ox.Quad(_n(PHL), label, _en("Philippines"), data),
        ox.Quad(_n(PHL), _n(CONTRIBUTED_TO), _n(ns.REPORT_IRI), data),
        ox.Quad(_n(PER), a, _n(STATE_CLASS), data),
        ox.Quad(_n(PER), label, _en("Peru"), data),
        ox.Quad(_n(PER), _n(CONTRIBUTED_TO), _n(ns.REPORT_IRI), data),
        ox.Quad(_n(ns.REPORT_IRI), label, _en('Report A/78/292 <test> & "quotes"'), data),
        ox.Quad(_n(PHL), a, _n(ns.VAWMW + "ReportingState"), inferred),
        ox.Quad(_n(ns.BASE + "shapes/StateShape"), a, _n(SH + "NodeShape"), shapes),
        ox.Quad(_n(ns.BASE + "shapes/StateShape"), _n(SH + "targetClass"), _n(STATE_CLASS), shapes),
    ]
    value = _n(BULK + "value")
    quads.extend(
        ox.Quad(
            _n(f"{BULK}item/{i}"),
            value,
            ox.Literal(str(i), datatype=_n("http://www.w3.org/2001/XMLSchema#integer")),
            data,
        )
        for i in range(bulk)
    )
    return quads


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_release(
    directory: Path, *, bulk: int = 0, queries: Mapping[str, str] = FIXTURE_QUERIES
) -> ReleaseInfo:
    """Write the fixture release into ``directory`` (created) and return its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    (directory / QUERIES_DIR_NAME).mkdir(exist_ok=True)
    for name, text in queries.items():
        (directory / QUERIES_DIR_NAME / name).write_text(text, encoding="utf-8")
    quads = fixture_quads(bulk)
    store = ox.Store(str(directory / STORE_DIR_NAME))
    store.bulk_extend(quads)
    store.flush()
    del store
    prefixes = dict(ns.PREFIXES)
    ox.serialize(quads, str(directory / "vawmw.trig"), ox.RdfFormat.TRIG, prefixes=prefixes)
    ox.serialize(quads, str(directory / "vawmw.nq"), ox.RdfFormat.N_QUADS)
    merged = list(dict.fromkeys(q.triple for q in quads if q.graph_name != _n(ns.GRAPH_SHAPES)))
    ox.serialize(merged, str(directory / "vawmw.ttl"), ox.RdfFormat.TURTLE, prefixes=prefixes)
    ox.serialize(merged, str(directory / "vawmw.jsonld"), ox.RdfFormat.JSON_LD)
    void = (
        "@prefix void: <http://rdfs.org/ns/void#> .\n"
        "@prefix dcterms: <http://purl.org/dc/terms/> .\n"
        f"<{ns.DATASET_IRI}> a void:Dataset ;\n"
        '    dcterms:title "vawmw-kg test release"@en ;\n'
        f"    void:triples {len(quads)} ;\n"
        "    void:sparqlEndpoint <https://w3id.org/vawmw/sparql> .\n"
    )
    (directory / "void.ttl").write_text(void, encoding="utf-8")
    files = {
        name: _sha256(directory / name)
        for name in ("vawmw.trig", "vawmw.nq", "vawmw.ttl", "vawmw.jsonld", "void.ttl")
    }
    files.update({query_entry(name): _sha256(directory / query_entry(name)) for name in queries})
    checksums = "".join(f"{digest}  {name}\n" for name, digest in sorted(files.items()))
    (directory / CHECKSUMS_NAME).write_text(checksums, encoding="utf-8")
    graphs: dict[str, int] = {}
    for quad in quads:
        graph = quad.graph_name
        assert isinstance(graph, ox.NamedNode)
        graphs[graph.value] = graphs.get(graph.value, 0) + 1
    manifest = {
        "version": VERSION,
        "release_id": hashlib.sha256(checksums.encode()).hexdigest()[:20],
        "issued": ISSUED,
        "graphs": graphs,
        "files": dict(sorted(files.items())),
    }
    (directory / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return ReleaseInfo.load(directory)
