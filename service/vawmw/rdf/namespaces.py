"""The one place where the project's IRIs, prefixes and graph names are defined."""

from __future__ import annotations

from typing import Final

BASE: Final = "https://w3id.org/vawmw/"
ONTOLOGY_IRI: Final = BASE + "ontology"
VAWMW: Final = ONTOLOGY_IRI + "#"
ID: Final = BASE + "id/"
REPORT_IRI: Final = ID + "report/A-78-292"

GRAPH_ONTOLOGY: Final = BASE + "graph/ontology"
GRAPH_DATA: Final = BASE + "graph/data"
GRAPH_INFERRED: Final = BASE + "graph/inferred"
GRAPH_SHAPES: Final = BASE + "graph/shapes"
DATASET_IRI: Final = BASE + "dataset"

# Which source folder feeds which named graph of a release.
SOURCE_GRAPHS: Final[dict[str, str]] = {
    "ontology": GRAPH_ONTOLOGY,
    "graph": GRAPH_DATA,
    "shapes": GRAPH_SHAPES,
}

PREFIXES: Final[dict[str, str]] = {
    "vawmw": VAWMW,
    "id": ID,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dcterms": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "qb": "http://purl.org/linked-data/cube#",
    "sh": "http://www.w3.org/ns/shacl#",
    "void": "http://rdfs.org/ns/void#",
    "dcat": "http://www.w3.org/ns/dcat#",
    "vann": "http://purl.org/vocab/vann/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "sdg": "http://metadata.un.org/sdg/",
    "geoarea": "http://metadata.un.org/sdg/codes/geoArea/",
    "wd": "http://www.wikidata.org/entity/",
}


def sparql_prologue() -> str:
    """PREFIX declarations for every known prefix, for queries written by the project."""
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in PREFIXES.items())
