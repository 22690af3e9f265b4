"""The one home of the formats and media types the project reads and writes.

Each :class:`Format` is named once here, with its media type, its aliases and its file
extension; its pyoxigraph parser / writer and its W3C format IRI are derived from the media type
(pyoxigraph knows them), so no second table maps names or media types to formats. Formats
travel between processes by :attr:`Format.name` (``json``, ``turtle`` …).

Accept parsing (q-values, wildcards) is the web layer's (:mod:`vawmw.web.negotiation`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

import pyoxigraph as ox

__all__ = [
    "ALL_FORMATS",
    "BOOLEAN_FORMATS",
    "CSV",
    "DESCRIPTION_FORMATS",
    "FORM_TYPE",
    "GRAPH_FORMATS",
    "GZIP",
    "HTML",
    "JSON",
    "JSONLD",
    "JSON_DOC",
    "NQUADS",
    "NTRIPLES",
    "RDFXML",
    "RESOURCE_FORMATS",
    "RESULTS_FORMATS",
    "SPARQL_QUERY_TYPE",
    "SPARQL_UPDATE_TYPE",
    "TEXT",
    "TRIG",
    "TSV",
    "TURTLE",
    "XML",
    "Format",
    "Kind",
    "by_extension",
    "by_media_type",
    "named",
]

# "results": SELECT / ASK answers; "rdf": graphs; "page": documents for people and scripts;
# "file": other release files.
Kind = Literal["results", "rdf", "page", "file"]


@dataclass(frozen=True)
class Format:
    """One representation the project can produce."""

    name: str
    media_type: str
    kind: Kind
    aliases: tuple[str, ...] = ()
    extension: str = ""

    @property
    def content_type(self) -> str:
        """The Content-Type header value (text types carry their charset)."""
        if self.media_type.startswith("text/") or self.media_type in _UTF8_TYPES:
            return f"{self.media_type}; charset=utf-8"
        return self.media_type

    @property
    def media_types(self) -> tuple[str, ...]:
        return (self.media_type, *self.aliases)

    @property
    def rdf_format(self) -> ox.RdfFormat | None:
        """pyoxigraph's parser and writer for a graph format (None for the others)."""
        return ox.RdfFormat.from_media_type(self.media_type) if self.kind == "rdf" else None

    @property
    def results_format(self) -> ox.QueryResultsFormat | None:
        """pyoxigraph's parser and writer for a results format (None for the others)."""
        if self.kind != "results":
            return None
        return ox.QueryResultsFormat.from_media_type(self.media_type)

    @property
    def iri(self) -> str | None:
        """The format's IRI in the W3C formats namespace (for a Service Description)."""
        known = self.rdf_format or self.results_format
        if known is None:
            return None
        return _IRI_CORRECTIONS.get(known.iri, known.iri)


# pyoxigraph names JSON-LD by an IRI that https://www.w3.org/ns/formats/ does not list; the
# W3C's is http://www.w3.org/ns/formats/JSON-LD (the others pyoxigraph gives match the list).
_IRI_CORRECTIONS: Final = {
    "https://www.w3.org/ns/formats/data/JSON-LD": "http://www.w3.org/ns/formats/JSON-LD",
}


# N-Triples and N-Quads are UTF-8 by definition; saying so keeps browsers from guessing.
_UTF8_TYPES: Final = frozenset({"application/n-triples", "application/n-quads"})

JSON: Final = Format(
    "json", "application/sparql-results+json", "results", ("application/json",), "srj"
)
XML: Final = Format(
    "xml", "application/sparql-results+xml", "results", ("application/xml", "text/xml"), "srx"
)
CSV: Final = Format("csv", "text/csv", "results", (), "csv")
TSV: Final = Format("tsv", "text/tab-separated-values", "results", (), "tsv")
TURTLE: Final = Format("turtle", "text/turtle", "rdf", ("application/x-turtle",), "ttl")
# Plain JSON and plain text name a graph's JSON-LD and N-Triples, as Wikidata and rdflib
# (``Graph().parse(url, format="nt")`` asks for text/plain) expect; a results format never sits
# in the same offers, so application/json stays SPARQL JSON for SELECT and ASK.
NTRIPLES: Final = Format("ntriples", "application/n-triples", "rdf", ("text/plain",), "nt")
JSONLD: Final = Format("jsonld", "application/ld+json", "rdf", ("application/json",), "jsonld")
RDFXML: Final = Format("rdfxml", "application/rdf+xml", "rdf", (), "rdf")
TRIG: Final = Format("trig", "application/trig", "rdf", (), "trig")
NQUADS: Final = Format("nquads", "application/n-quads", "rdf", (), "nq")
HTML: Final = Format("html", "text/html", "page", ("application/xhtml+xml",), "html")
JSON_DOC: Final = Format("jsondoc", "application/json", "page", (), "json")
TEXT: Final = Format("text", "text/plain", "file", (), "txt")
GZIP: Final = Format("gzip", "application/gzip", "file", (), "gz")

RESULTS_FORMATS: Final = (JSON, XML, CSV, TSV)
BOOLEAN_FORMATS: Final = (JSON, XML)
GRAPH_FORMATS: Final = (TURTLE, NTRIPLES, JSONLD, RDFXML, TRIG, NQUADS)
# N-Quads last: Linked Data clients (Comunica) rank it first, and unlike JSON-LD it needs no
# context fetched from w3id.org, which a client of a mirror or of loopback may not reach.
RESOURCE_FORMATS: Final = (TURTLE, JSONLD, NTRIPLES, RDFXML, HTML, NQUADS)
DESCRIPTION_FORMATS: Final = (TURTLE, JSONLD, RDFXML, NTRIPLES, HTML)
# Every format by name: the one name-to-format table.
ALL_FORMATS: Final = {
    f.name: f for f in (*RESULTS_FORMATS, *GRAPH_FORMATS, HTML, JSON_DOC, TEXT, GZIP)
}

# Media types of the SPARQL 1.1 Protocol's request bodies.
FORM_TYPE: Final = "application/x-www-form-urlencoded"
SPARQL_QUERY_TYPE: Final = "application/sparql-query"
SPARQL_UPDATE_TYPE: Final = "application/sparql-update"


def named(name: str, offers: Iterable[Format], default: Format) -> Format:
    """The format called ``name`` among ``offers``, else ``default``."""
    return next((offer for offer in offers if offer.name == name), default)


def by_media_type(media_type: str, offers: Iterable[Format]) -> Format | None:
    """The offer that ``media_type`` (parameters ignored, any case) names, canonical or alias."""
    wanted = media_type.split(";", 1)[0].strip().lower()
    return next((offer for offer in offers if wanted in offer.media_types), None)


def by_extension(extension: str) -> Format | None:
    """The format whose files end in ``extension`` (with or without its dot)."""
    wanted = extension.lower().lstrip(".")
    return next((f for f in ALL_FORMATS.values() if wanted and f.extension == wanted), None)
