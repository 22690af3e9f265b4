"""The one place where the project's IRIs, prefixes and graph names are defined."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

BASE: Final = "https://w3id.org/vawmw/"
ONTOLOGY_IRI: Final = BASE + "ontology"
VAWMW: Final = ONTOLOGY_IRI + "#"
ID: Final = BASE + "id/"
REPORT_IRI: Final = ID + "report/A-78-292"

GRAPH_ONTOLOGY: Final = BASE + "graph/ontology"
GRAPH_DATA: Final = BASE + "graph/data"
GRAPH_INTERPRETATIONS: Final = BASE + "graph/interpretations"
GRAPH_INFERRED: Final = BASE + "graph/inferred"
GRAPH_SHAPES: Final = BASE + "graph/shapes"
# Third-party data vendored for the joins the links promise (UNSD's M49 areas, SDG targets).
GRAPH_UN: Final = BASE + "graph/un"
# The JSON-LD context's IRI (the release ships it as a file of the same name).
CONTEXT_IRI: Final = "https://w3id.org/vawmw/context.jsonld"
DATASET_IRI: Final = BASE + "dataset"

# Which source folder feeds which named graph of a release.
SOURCE_GRAPHS: Final[dict[str, str]] = {
    "ontology": GRAPH_ONTOLOGY,
    "graph": GRAPH_DATA,
    "shapes": GRAPH_SHAPES,
    "un": GRAPH_UN,
}
# Folders a release may go without: vendored third-party extracts (a release of another report
# needs none), as opposed to the project's own ontology/, graph/ and shapes/.
OPTIONAL_SOURCE_FOLDERS: Final = frozenset({"un"})
# Source files that feed another graph than their folder's. The judgements the report does not
# state in so many words (SDG targets, readings of a paragraph) are kept apart, so that a query
# can find every interpretation, or leave them all out, triple by triple.
SOURCE_FILE_GRAPHS: Final[dict[str, str]] = {
    "graph/interpretations.ttl": GRAPH_INTERPRETATIONS,
}

# Vocabularies the project uses (each also has its prefix below).
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
DCTERMS: Final = "http://purl.org/dc/terms/"
PROV: Final = "http://www.w3.org/ns/prov#"
ORG: Final = "http://www.w3.org/ns/org#"
QB: Final = "http://purl.org/linked-data/cube#"
SH: Final = "http://www.w3.org/ns/shacl#"
VOID: Final = "http://rdfs.org/ns/void#"
DCAT: Final = "http://www.w3.org/ns/dcat#"
VANN: Final = "http://purl.org/vocab/vann/"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
SD: Final = "http://www.w3.org/ns/sparql-service-description#"
SPDX: Final = "http://spdx.org/rdf/terms#"
# Datasets the project links to.
SDG: Final = "http://metadata.un.org/sdg/"
GEOAREA: Final = "http://metadata.un.org/sdg/codes/geoArea/"
WD: Final = "http://www.wikidata.org/entity/"
# Not RDF: XML namespaces of SPARQL XML results, of the Internationalization Tag Set (the base
# direction of a literal in those results) and of inline SVG.
SPARQL_RESULTS: Final = "http://www.w3.org/2005/sparql-results#"
ITS: Final = "http://www.w3.org/2005/11/its"
SVG: Final = "http://www.w3.org/2000/svg"

# Terms named in code.
RDF_TYPE: Final = RDF + "type"
RDF_LANG_STRING: Final = RDF + "langString"
RDFS_LABEL: Final = RDFS + "label"
RDFS_COMMENT: Final = RDFS + "comment"
RDFS_SEE_ALSO: Final = RDFS + "seeAlso"
SKOS_PREF_LABEL: Final = SKOS + "prefLabel"
XSD_STRING: Final = XSD + "string"
XSD_INTEGER: Final = XSD + "integer"
VOID_TRIPLES: Final = VOID + "triples"
# The predicates that name a resource for people, preferred first.
LABELS: Final = (SKOS_PREF_LABEL, RDFS_LABEL)

PREFIXES: Final[dict[str, str]] = {
    "vawmw": VAWMW,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "prov": PROV,
    "org": ORG,
    "qb": QB,
    "sh": SH,
    "void": VOID,
    "dcat": DCAT,
    "vann": VANN,
    "foaf": FOAF,
    "sd": SD,
    "sdg": SDG,
    "geoarea": GEOAREA,
    "wd": WD,
}


def sparql_prologue(names: Iterable[str] | None = None) -> str:
    """PREFIX declarations for queries written by the project: the prefixes ``names``, in that
    order, or every known prefix. An unknown name is a programming error (KeyError)."""
    chosen = PREFIXES if names is None else {name: PREFIXES[name] for name in names}
    return "".join(f"PREFIX {name}: <{iri}>\n" for name, iri in chosen.items())
