"""ontology/alignments.ttl: its targets are real terms of their vocabularies, and the build loads it.

A target is checked against the official file in ../shared/vocab when its vocabulary is there
(PROV-O, ORG, QB, DCAT, Web Annotation), else against the vendored list of
tests/fixtures/vocab/alignment-targets.tsv, which names the owner's page of each term.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Final

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef
from vawmw.build.sources import load_sources, source_files
from vawmw.rdf.namespaces import GRAPH_ONTOLOGY

ROOT: Final = Path(__file__).resolve().parents[2]
ALIGNMENTS: Final = ROOT / "ontology" / "alignments.ttl"
ONTOLOGY: Final = ROOT / "ontology" / "vawmw.ttl"
TARGETS: Final = ROOT / "tests" / "fixtures" / "vocab" / "alignment-targets.tsv"
SHARED_VOCAB: Final = ROOT.parent / "shared" / "vocab"
VAWMW: Final = "https://w3id.org/vawmw/ontology#"
# Namespaces whose terms a vawmw term may point to without being a target (the language itself).
BUILT_IN: Final = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
SHARED_FILES: Final = {
    "http://www.w3.org/ns/prov#": "prov-o.ttl",
    "http://www.w3.org/ns/org#": "org.ttl",
    "http://purl.org/linked-data/cube#": "qb-cube.ttl",
    "http://www.w3.org/ns/dcat#": "dcat3.ttl",
    "http://www.w3.org/ns/oa#": "oa.ttl",
}
# What the issue asks to align (ontology term -> the vocabularies' namespaces it must reach).
REQUIRED: Final = {
    "Report": ("http://purl.org/spar/fabio/", "https://schema.org/"),
    "ReportSection": ("http://purl.org/spar/doco/",),
    "Paragraph": ("http://purl.org/spar/doco/",),
    "Footnote": ("http://purl.org/spar/doco/",),
    "citesWork": ("http://purl.org/spar/cito/",),
    "referencesWork": ("http://purl.org/spar/cito/",),
    "NationalLaw": ("http://data.europa.eu/eli/ontology#", "https://schema.org/"),
    "Claim": ("https://schema.org/",),
    "State": ("https://schema.org/",),
    "hasPartyCount": ("http://purl.org/linked-data/sdmx/2009/", "http://qudt.org/vocab/unit/"),
    "concernsArea": ("http://purl.org/dc/terms/spatial",),
    "hasReferenceYear": ("http://purl.org/dc/terms/temporal",),
}


@pytest.fixture(scope="module")
def alignments() -> Graph:
    return Graph().parse(ALIGNMENTS)


def _targets(alignments: Graph) -> set[str]:
    """Every external IRI that an alignment statement about a vawmw term points to."""
    found = set()
    for subject, predicate, obj in alignments:
        if str(subject).startswith(VAWMW) and predicate != RDF.type and isinstance(obj, URIRef):
            found.update((str(obj), str(predicate)))
    return {t for t in found if not t.startswith(BUILT_IN) and not t.startswith(VAWMW)}


def _vendored() -> dict[str, str]:
    lines = [line for line in TARGETS.read_text(encoding="utf-8").splitlines() if line[:1] != "#"]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    assert rows and all(row["source"].startswith("https://") for row in rows)
    return {row["iri"]: row["vocabulary"] for row in rows}


def test_every_target_is_a_term_of_its_vocabulary(alignments: Graph) -> None:
    vendored = _vendored()
    targets = _targets(alignments)
    assert len(targets) >= 15
    for target in sorted(targets):
        namespace = next((ns for ns in SHARED_FILES if target.startswith(ns)), None)
        if namespace is None:
            assert target in vendored, f"{target}: not in {TARGETS.name}"
            continue
        path = SHARED_VOCAB / SHARED_FILES[namespace]
        if not path.is_file():
            pytest.skip(f"{path} is absent")
        assert (URIRef(target), None, None) in Graph().parse(path), target
    assert not set(vendored) - targets, "the vendored list names targets no alignment uses"


def test_every_aligned_term_is_defined_by_the_ontology(alignments: Graph) -> None:
    ontology = Graph().parse(ONTOLOGY)
    aligned = {s for s in alignments.subjects() if str(s).startswith(VAWMW)}
    assert aligned
    for term in aligned:
        assert (term, RDFS.isDefinedBy, URIRef(VAWMW.rstrip("#"))) in ontology, term


def test_the_issue_s_alignments_are_made(alignments: Graph) -> None:
    for name, namespaces in REQUIRED.items():
        term = URIRef(VAWMW + name)
        reached = {str(o) for _p, o in alignments.predicate_objects(term)}
        for namespace in namespaces:
            assert any(t.startswith(namespace) for t in reached), (name, namespace, reached)


def test_alignments_are_subsumptions_not_equivalences(alignments: Graph) -> None:
    for predicate in (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs):
        assert not list(alignments.subject_objects(predicate)), predicate


def test_the_build_loads_the_alignments_into_the_ontology_graph() -> None:
    assert ALIGNMENTS in source_files(ROOT, "ontology")
    ontology_graph = {str(t) for t in load_sources(ROOT).graph(GRAPH_ONTOLOGY)}
    assert any("http://purl.org/spar/fabio/ReportDocument" in t for t in ontology_graph)
