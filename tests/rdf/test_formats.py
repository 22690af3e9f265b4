"""One home for formats and media types: vawmw.rdf.formats.

Expected media types, extensions and format IRIs come from the specifications (IANA
registrations, the W3C "Unique URIs for File Formats" namespace http://www.w3.org/ns/formats/),
not from the module.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from vawmw.rdf import formats

# name: (media type, extension, W3C format IRI) per the specifications.
SPECIFIED = {
    "json": ("application/sparql-results+json", "srj", "SPARQL_Results_JSON"),
    "xml": ("application/sparql-results+xml", "srx", "SPARQL_Results_XML"),
    "csv": ("text/csv", "csv", "SPARQL_Results_CSV"),
    "tsv": ("text/tab-separated-values", "tsv", "SPARQL_Results_TSV"),
    "turtle": ("text/turtle", "ttl", "Turtle"),
    "ntriples": ("application/n-triples", "nt", "N-Triples"),
    "rdfxml": ("application/rdf+xml", "rdf", "RDF_XML"),
    "trig": ("application/trig", "trig", "TriG"),
    "nquads": ("application/n-quads", "nq", "N-Quads"),
    "jsonld": ("application/ld+json", "jsonld", "JSON-LD"),
}
OX_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


@pytest.mark.parametrize("name", sorted(SPECIFIED))
def test_media_type_extension_and_iri_follow_the_specifications(name: str) -> None:
    media_type, extension, iri_name = SPECIFIED[name]
    fmt = formats.ALL_FORMATS[name]
    assert (fmt.name, fmt.media_type, fmt.extension) == (name, media_type, extension)
    assert fmt.iri == "http://www.w3.org/ns/formats/" + iri_name


@pytest.mark.parametrize("name", sorted(OX_FORMATS))
def test_each_format_has_the_pyoxigraph_reader_and_writer_of_its_kind(name: str) -> None:
    fmt = formats.ALL_FORMATS[name]
    expected = OX_FORMATS[name]
    if fmt.kind == "rdf":
        assert (fmt.rdf_format, fmt.results_format) == (expected, None)
    else:
        assert (fmt.results_format, fmt.rdf_format) == (expected, None)


def test_pages_and_files_have_no_pyoxigraph_format() -> None:
    for fmt in (formats.HTML, formats.JSON_DOC, formats.TEXT, formats.GZIP):
        assert (fmt.rdf_format, fmt.results_format, fmt.iri) == (None, None, None)


def test_names_media_types_and_extensions_are_unique() -> None:
    everything = list(formats.ALL_FORMATS.values())
    assert [f.name for f in everything] == list(formats.ALL_FORMATS)
    extensions = [f.extension for f in everything]
    assert len(set(extensions)) == len(extensions)
    # a media type names one format per kind (application/json is a page and a results alias)
    for kind in ("results", "rdf", "page", "file"):
        types = [t for f in everything if f.kind == kind for t in f.media_types]
        assert len(set(types)) == len(types), kind


def test_text_types_and_n_triples_say_utf_8() -> None:
    assert formats.TURTLE.content_type == "text/turtle; charset=utf-8"
    assert formats.NTRIPLES.content_type == "application/n-triples; charset=utf-8"
    assert formats.NQUADS.content_type == "application/n-quads; charset=utf-8"
    assert formats.JSONLD.content_type == "application/ld+json"
    assert formats.JSON.content_type == "application/sparql-results+json"


def test_lookups() -> None:
    graphs = formats.GRAPH_FORMATS
    assert formats.by_media_type("Text/Turtle; charset=UTF-8", graphs) is formats.TURTLE
    assert formats.by_media_type("application/x-turtle", graphs) is formats.TURTLE
    assert formats.by_media_type("application/json", formats.RESULTS_FORMATS) is formats.JSON
    assert formats.by_media_type("text/html", graphs) is None
    assert formats.by_extension(".nq") is formats.NQUADS
    assert formats.by_extension("gz") is formats.GZIP
    assert formats.by_extension(".json") is formats.JSON_DOC
    assert formats.by_extension("") is None and formats.by_extension(".exe") is None
    assert formats.named("xml", formats.BOOLEAN_FORMATS, formats.JSON) is formats.XML
    assert formats.named("csv", formats.BOOLEAN_FORMATS, formats.JSON) is formats.JSON
