"""Conversion between pyoxigraph terms (storage, queries) and rdflib terms (owlrl, pyshacl)."""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from vawmw.rdf.namespaces import XSD_STRING

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm | ox.Triple) -> Node:
    if isinstance(term, ox.Triple):
        raise TypeError("RDF-star quoted triples are not supported by owlrl or pyshacl")
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value, datatype=None if datatype == XSD_STRING else URIRef(datatype))


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        datatype = term.datatype
        return ox.Literal(
            str(term), datatype=ox.NamedNode(str(datatype) if datatype else XSD_STRING)
        )
    raise TypeError(f"cannot store {term!r} as an RDF term")


def to_oxigraph_triple(subject: Node, predicate: Node, obj: Node) -> ox.Triple:
    """An rdflib triple as a pyoxigraph triple; refuses a literal subject or a non-IRI predicate."""
    ox_subject, ox_predicate = to_oxigraph(subject), to_oxigraph(predicate)
    if isinstance(ox_subject, ox.Literal) or not isinstance(ox_predicate, ox.NamedNode):
        raise TypeError(f"not an RDF triple: {subject!r} {predicate!r} {obj!r}")
    return ox.Triple(ox_subject, ox_predicate, to_oxigraph(obj))


def rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        subject, predicate, obj = (
            to_rdflib(triple.subject),
            to_rdflib(triple.predicate),
            to_rdflib(triple.object),
        )
        graph.add((subject, predicate, obj))
    return graph


def triple_sort_key(triple: ox.Triple) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


def quad_sort_key(quad: ox.Quad) -> tuple[str, str, str, str]:
    return (str(quad.graph_name), str(quad.subject), str(quad.predicate), str(quad.object))
