"""The ontology's quality gates: its header, its terms, the OWL 2 RL profile, consistency."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, SKOS
from rdflib.term import BNode, Node

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY_FILE = ROOT / "ontology" / "vawmw.ttl"
ONTOLOGY = URIRef("https://w3id.org/vawmw/ontology")
VAWMW = "https://w3id.org/vawmw/ontology#"
VANN = "http://purl.org/vocab/vann/"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE)


def _terms(graph: Graph, kind: URIRef) -> list[URIRef]:
    return sorted(
        t for t in graph.subjects(RDF.type, kind) if isinstance(t, URIRef) and t.startswith(VAWMW)
    )


def test_header_names_title_licence_version_source_and_namespace(ontology: Graph) -> None:
    required = [
        DCTERMS.title,
        DCTERMS.description,
        DCTERMS.license,
        DCTERMS.creator,
        DCTERMS.created,
        DCTERMS.modified,
        OWL.versionIRI,
        OWL.versionInfo,
        URIRef(VANN + "preferredNamespacePrefix"),
        URIRef(VANN + "preferredNamespaceUri"),
    ]
    for predicate in required:
        assert ontology.value(ONTOLOGY, predicate) is not None, predicate
    assert (
        ONTOLOGY,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0/"),
    ) in ontology
    assert (
        ONTOLOGY,
        DCTERMS.source,
        URIRef("https://w3id.org/vawmw/id/report/A-78-292"),
    ) in ontology
    assert str(ontology.value(ONTOLOGY, URIRef(VANN + "preferredNamespacePrefix"))) == "vawmw"
    version = str(ontology.value(ONTOLOGY, OWL.versionInfo))
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).endswith("/" + version)


@pytest.mark.parametrize("kind", [OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty])
def test_every_term_has_one_label_one_definition_and_is_defined_by(
    ontology: Graph, kind: URIRef
) -> None:
    terms = _terms(ontology, kind)
    assert terms
    for term in terms:
        labels = [o for o in ontology.objects(term, RDFS.label) if isinstance(o, Literal)]
        definitions = [o for o in ontology.objects(term, SKOS.definition) if isinstance(o, Literal)]
        assert [label.language for label in labels] == ["en"], term
        assert [definition.language for definition in definitions] == ["en"], term
        assert (term, RDFS.isDefinedBy, ONTOLOGY) in ontology, term


def test_names_follow_the_conventions(ontology: Graph) -> None:
    for cls in _terms(ontology, OWL.Class):
        assert cls.removeprefix(VAWMW)[0].isupper(), cls
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in _terms(ontology, kind):
            assert prop.removeprefix(VAWMW)[0].islower(), prop


def test_every_object_property_has_one_named_domain_and_range(ontology: Graph) -> None:
    for prop in _terms(ontology, OWL.ObjectProperty):
        domains, ranges = (
            list(ontology.objects(prop, RDFS.domain)),
            list(ontology.objects(prop, RDFS.range)),
        )
        assert len(domains) == 1 and isinstance(domains[0], URIRef), prop
        assert len(ranges) == 1 and isinstance(ranges[0], URIRef), prop


def test_no_subclass_cycles(ontology: Graph) -> None:
    for cls in _terms(ontology, OWL.Class):
        ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert all((ancestor, RDFS.subClassOf, cls) not in ontology for ancestor in ancestors)
        assert cls not in {
            a for ancestor in ancestors for a in ontology.objects(ancestor, RDFS.subClassOf)
        }


def _is_superclass_expression_in_rl(graph: Graph, node: Node) -> bool:
    """OWL 2 RL superclass expressions: names, their intersections, ∀, hasValue, max 0/1."""
    if isinstance(node, URIRef):
        return node != OWL.Thing
    assert isinstance(node, BNode)
    members = graph.value(node, OWL.intersectionOf)
    if members is not None:
        return all(_is_superclass_expression_in_rl(graph, m) for m in Collection(graph, members))
    if (
        graph.value(node, OWL.allValuesFrom) is not None
        or graph.value(node, OWL.hasValue) is not None
    ):
        return True
    for cardinality in (OWL.maxCardinality, OWL.maxQualifiedCardinality):
        value = graph.value(node, cardinality)
        if value is not None:
            return int(value) in (0, 1)
    return False


def test_superclass_positions_stay_inside_owl2_rl(ontology: Graph) -> None:
    """No union or someValuesFrom where OWL 2 RL forbids them, so owlrl's closure is complete."""
    for predicate in (RDFS.subClassOf, RDFS.domain, RDFS.range):
        for subject, superclass in ontology.subject_objects(predicate):
            if predicate == RDFS.range and subject in set(
                ontology.subjects(RDF.type, OWL.DatatypeProperty)
            ):
                continue
            assert _is_superclass_expression_in_rl(ontology, superclass), (
                subject,
                predicate,
                superclass,
            )
    for cls, other in ontology.subject_objects(OWL.equivalentClass):
        assert _is_superclass_expression_in_rl(ontology, other), (cls, other)
    assert not list(ontology.subjects(OWL.minCardinality, None))
    assert not list(ontology.subjects(OWL.cardinality, None))
    assert not list(ontology.subjects(OWL.oneOf, None))
