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


# --------------------------------------------------------------------------- OWL API, fast subset
# What the OWL API's profile checks report most (tests/content/test_owl_api.py runs them, with
# java): every reused term is declared, as one kind of entity, and no datatype outside the OWL 2
# datatype map is a range. Pure Python, for the inner loop.

BUILT_IN = (str(RDF), str(RDFS), str(OWL), "http://www.w3.org/2001/XMLSchema#")
KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
# OWL 2 datatype map (OWL 2 Structural Specification, section 4): the XSD names it admits.
OWL2_XSD = frozenset(
    [
        "decimal",
        "integer",
        "nonNegativeInteger",
        "nonPositiveInteger",
        "positiveInteger",
        "negativeInteger",
        "long",
        "int",
        "short",
        "byte",
        "unsignedLong",
        "unsignedInt",
        "unsignedShort",
        "unsignedByte",
        "double",
        "float",
        "string",
        "normalizedString",
        "token",
        "language",
        "Name",
        "NCName",
        "NMTOKEN",
        "boolean",
        "hexBinary",
        "base64Binary",
        "anyURI",
        "dateTime",
        "dateTimeStamp",
    ]
)


@pytest.fixture(scope="module")
def ontology_folder() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "ontology").glob("*.ttl")):
        graph.parse(path)
    return graph


@pytest.fixture(scope="module")
def data() -> Graph:
    graph = Graph()
    for path in sorted((ROOT / "graph").rglob("*.ttl")):
        graph.parse(path)
    return graph


def _external(term: Node) -> bool:
    return (
        isinstance(term, URIRef)
        and not str(term).startswith(BUILT_IN)
        and not str(term).startswith(VAWMW)
    )


def test_every_reused_term_is_declared(ontology_folder: Graph, data: Graph) -> None:
    """Classes and properties of other vocabularies that the ontology or data use are declared."""
    declared = {t for kind in KINDS for t in ontology_folder.subjects(RDF.type, kind)}
    used: set[Node] = set()
    for graph in (ontology_folder, data):
        used |= {p for p in graph.predicates() if _external(p)}
        used |= {c for c in graph.objects(None, RDF.type) if _external(c)}
    for predicate in (RDFS.subClassOf, RDFS.domain, RDFS.range, OWL.disjointWith):
        used |= {o for o in ontology_folder.objects(None, predicate) if _external(o)}
    missing = sorted(str(t) for t in used - declared)
    assert not missing, f"declare these in the 'Reused terms' section of vawmw.ttl: {missing}"


def test_each_term_is_declared_as_one_kind_of_property(ontology_folder: Graph) -> None:
    properties = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
    for term in {t for kind in properties for t in ontology_folder.subjects(RDF.type, kind)}:
        kinds = [k for k in properties if (term, RDF.type, k) in ontology_folder]
        assert len(kinds) == 1, (term, kinds)


def test_declared_kinds_match_how_the_data_uses_them(ontology_folder: Graph, data: Graph) -> None:
    """An object property never takes a literal, a datatype property never an IRI."""
    for prop in ontology_folder.subjects(RDF.type, OWL.ObjectProperty):
        assert not [o for o in data.objects(None, prop) if isinstance(o, Literal)], prop
    for prop in ontology_folder.subjects(RDF.type, OWL.DatatypeProperty):
        assert not [o for o in data.objects(None, prop) if not isinstance(o, Literal)], prop


def test_no_range_outside_the_owl2_datatype_map(ontology_folder: Graph) -> None:
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for prop, rng in ontology_folder.subject_objects(RDFS.range):
        if str(rng).startswith(xsd):
            assert str(rng).removeprefix(xsd) in OWL2_XSD, (prop, rng)
