"""The description of one resource as the pages read it: its triples split into outgoing and
incoming links, with the labels of everything it links to.

The vocabulary the pages know by name lives here too: which properties label and define a
resource, which types make a term a class or a property, and readable names for the reused
vocabularies' properties (their labels are not in the release).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import pyoxigraph as ox

from vawmw.rdf import namespaces
from vawmw.web.pages.layout import external_name, short_iri

RDF: Final = namespaces.PREFIXES["rdf"]
RDFS: Final = namespaces.PREFIXES["rdfs"]
OWL: Final = namespaces.PREFIXES["owl"]
SKOS: Final = namespaces.PREFIXES["skos"]
DCTERMS: Final = namespaces.PREFIXES["dcterms"]
PROV: Final = namespaces.PREFIXES["prov"]
XSD: Final = namespaces.PREFIXES["xsd"]
ORG: Final = namespaces.PREFIXES["org"]
V: Final = namespaces.VAWMW

RDF_TYPE: Final = RDF + "type"
LABELS: Final = (SKOS + "prefLabel", RDFS + "label")
DEFINITIONS: Final = (SKOS + "definition", DCTERMS + "description", RDFS + "comment")
SHOWN_ABOVE: Final = frozenset({RDF_TYPE, *LABELS, *DEFINITIONS})
CLASS_TYPES: Final = frozenset({OWL + "Class", RDFS + "Class"})
PROPERTY_TYPES: Final = frozenset(
    {OWL + "ObjectProperty", OWL + "DatatypeProperty", OWL + "AnnotationProperty", RDF + "Property"}
)
STATE_TYPES: Final = frozenset({V + "State", V + "MemberState", V + "ReportingState"})
# Readable names of the reused vocabularies' properties (their labels are not in the release).
KNOWN_NAMES: Final = {
    RDF_TYPE: "type",
    RDFS + "label": "label",
    RDFS + "comment": "comment",
    RDFS + "seeAlso": "see also",
    RDFS + "subClassOf": "subclass of",
    RDFS + "subPropertyOf": "subproperty of",
    RDFS + "domain": "domain",
    RDFS + "range": "range",
    RDFS + "isDefinedBy": "defined by",
    SKOS + "prefLabel": "preferred label",
    SKOS + "altLabel": "alternative label",
    SKOS + "definition": "definition",
    SKOS + "scopeNote": "scope note",
    SKOS + "example": "example",
    SKOS + "notation": "notation",
    SKOS + "exactMatch": "exact match",
    # schema.org is not a predeclared prefix; its IRI is written out.
    "https://schema.org/sameAs": "same as",
    SKOS + "closeMatch": "close match",
    SKOS + "broader": "broader",
    SKOS + "narrower": "narrower",
    SKOS + "inScheme": "in scheme",
    SKOS + "hasTopConcept": "top concept",
    SKOS + "topConceptOf": "top concept of",
    DCTERMS + "title": "title",
    DCTERMS + "description": "description",
    DCTERMS + "isPartOf": "is part of",
    DCTERMS + "hasPart": "has part",
    DCTERMS + "creator": "creator",
    DCTERMS + "publisher": "publisher",
    DCTERMS + "issued": "issued",
    DCTERMS + "modified": "modified",
    DCTERMS + "created": "created",
    DCTERMS + "license": "licence",
    DCTERMS + "source": "source",
    DCTERMS + "references": "references",
    DCTERMS + "isReferencedBy": "mentioned in",
    DCTERMS + "language": "language",
    DCTERMS + "bibliographicCitation": "bibliographic citation",
    DCTERMS + "accrualPeriodicity": "frequency",
    PROV + "wasDerivedFrom": "derived from",
    ORG + "subOrganizationOf": "sub-organization of",
    ORG + "hasMember": "has member",
    ORG + "hasSubOrganization": "has sub-organization",
    namespaces.PREFIXES["foaf"] + "page": "web page",
    namespaces.PREFIXES["qb"] + "dataSet": "data set",
}

Object = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _key(term: object) -> str:
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def label_map(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """Labels of the resources in ``triples``: skos:prefLabel over rdfs:label, English first."""
    labels: dict[str, str] = {}
    ranks: dict[str, tuple[int, int]] = {}
    for t in triples:
        obj = t.object
        if t.predicate.value not in LABELS or not isinstance(obj, ox.Literal):
            continue
        rank = (LABELS.index(t.predicate.value), 0 if obj.language in ("", "en") else 1)
        subject = _key(t.subject)
        if subject not in ranks or rank < ranks[subject]:
            labels[subject], ranks[subject] = obj.value, rank
    return labels


@dataclass
class Description:
    """The triples of one resource split into outgoing and incoming links."""

    iri: str
    labels: dict[str, str]
    outgoing: dict[str, list[Object]] = field(default_factory=lambda: defaultdict(list))
    incoming: dict[str, list[ox.NamedNode | ox.BlankNode]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, iri: str, triples: Sequence[ox.Triple]) -> Description:
        description = cls(iri, label_map(triples))
        for t in triples:
            subject = t.subject
            if isinstance(subject, ox.NamedNode) and subject.value == iri:
                values = description.outgoing[t.predicate.value]
                if t.object not in values:
                    values.append(t.object)
            elif (
                isinstance(t.object, ox.NamedNode)
                and t.object.value == iri
                and isinstance(subject, ox.NamedNode | ox.BlankNode)
            ):
                sources = description.incoming[t.predicate.value]
                if subject not in sources:
                    sources.append(subject)
        return description

    @property
    def types(self) -> list[str]:
        return [o.value for o in self.outgoing.get(RDF_TYPE, []) if isinstance(o, ox.NamedNode)]

    @property
    def title(self) -> str:
        return self.labels.get(self.iri) or short_iri(self.iri)

    def literals(self, predicates: Iterable[str]) -> list[str]:
        found: list[str] = []
        for predicate in predicates:
            for value in self.outgoing.get(predicate, []):
                if isinstance(value, ox.Literal) and value.value not in found:
                    found.append(value.value)
        return found

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or KNOWN_NAMES.get(iri) or external_name(iri) or short_iri(iri)


def is_state(triples: Sequence[ox.Triple], iri: str) -> bool:
    """True when ``triples`` type ``iri`` as a State (its page then shows the State's part)."""
    return any(
        isinstance(t.subject, ox.NamedNode)
        and t.subject.value == iri
        and t.predicate.value == RDF_TYPE
        and isinstance(t.object, ox.NamedNode)
        and t.object.value in STATE_TYPES
        for t in triples
    )
