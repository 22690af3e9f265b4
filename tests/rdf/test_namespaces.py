"""One home for IRIs and prefixes: vawmw.rdf.namespaces."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from vawmw.rdf import namespaces as ns


def test_a_prologue_declares_the_named_prefixes_in_order() -> None:
    assert ns.sparql_prologue(["rdfs", "vawmw"]) == (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\n"
    )
    assert ns.sparql_prologue([]) == ""


def test_an_unknown_prefix_is_an_error() -> None:
    with pytest.raises(KeyError):
        ns.sparql_prologue(["rdfs", "nope"])


def test_the_whole_prologue_is_valid_sparql() -> None:
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(ox.Quad(ox.NamedNode(ns.ID + "x"), label, ox.Literal("x")))
    query = ns.sparql_prologue() + "SELECT ?s WHERE { ?s rdfs:label ?l }"
    rows = list(store.query(query))
    assert [row["s"] for row in rows] == [ox.NamedNode(ns.ID + "x")]
    assert ns.sparql_prologue().count("PREFIX ") == len(ns.PREFIXES)


def test_vocabulary_constants_are_the_w3c_namespaces() -> None:
    assert ns.RDF_TYPE == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    assert ns.XSD_STRING == "http://www.w3.org/2001/XMLSchema#string"
    assert ns.LABELS == (
        "http://www.w3.org/2004/02/skos/core#prefLabel",
        "http://www.w3.org/2000/01/rdf-schema#label",
    )
    assert ns.PREFIXES["void"] == "http://rdfs.org/ns/void#"
    assert ns.PREFIXES["sd"] == "http://www.w3.org/ns/sparql-service-description#"
