"""Answers as bytes: graphs in any RDF format, SELECT solutions in the four SPARQL results formats.

Graphs and ASK answers go through pyoxigraph's own writers. SELECT solutions cannot: pyoxigraph
writes only a whole ``QuerySolutions`` iterator, which cannot be built from rows nor cut, and the
service must write the first *n* rows of an answer (to cut it at the row or byte cap) and rows
parsed from another store. A round trip through pyoxigraph's parsers does not serve either: its
JSON and TSV parsers refuse a value longer than 16 MiB, and an answer may hold one up to the
byte cap. So the four results writers are here, written to give the same bytes as pyoxigraph's
for JSON and CSV, and the same terms for XML and TSV (tests/rdf/test_serialize.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Sequence
from typing import Final
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from vawmw.rdf import jsonld, namespaces
from vawmw.rdf.formats import Format

__all__ = ["Term", "serialize_solutions", "serialize_triples", "used_prefixes"]

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
Row = Sequence[Term | None]

# Formats whose writer shortens IRIs with the prefixes given to it.
_PREFIXED: Final = frozenset({"turtle", "trig", "rdfxml"})
# Datatypes a results document leaves implicit: a plain string, a language-tagged one.
_IMPLICIT: Final = frozenset({namespaces.XSD_STRING, namespaces.RDF_LANG_STRING})


def used_prefixes(triples: Iterable[ox.Triple]) -> dict[str, str]:
    """The project prefixes the triples use. ``id:`` is left out: its local names hold
    slashes, which Turtle must escape with backslashes, so full IRIs read better."""
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    return {
        name: namespace
        for name, namespace in namespaces.PREFIXES.items()
        if name != "id" and any(iri.startswith(namespace) for iri in iris)
    }


def serialize_triples(triples: Sequence[ox.Triple], fmt: Format) -> bytes:
    """``triples`` in the graph format ``fmt`` (Turtle when ``fmt`` is not a graph format);
    in TriG and N-Quads they form the default graph. JSON-LD is compact, with ``@type``, and
    names the project's context (:mod:`vawmw.rdf.jsonld`)."""
    if fmt.name == "jsonld":
        return jsonld.compact(triples)
    rdf_format = fmt.rdf_format or ox.RdfFormat.TURTLE
    prefixes = used_prefixes(triples) if fmt.name in _PREFIXED else None
    if rdf_format.supports_datasets:
        quads = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        return ox.serialize(quads, format=rdf_format, prefixes=prefixes) or b""
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


# --------------------------------------------------------------------------- terms


def _term_json(term: Term) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = str(term.direction)
        elif term.datatype.value != namespaces.XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    parts = (term.subject, term.predicate, term.object)
    value = dict(zip(("subject", "predicate", "object"), map(_term_json, parts), strict=True))
    return {"type": "triple", "value": value}


def _term_xml(term: Term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        attrs = ""
        if term.language:
            attrs = f" xml:lang={quoteattr(term.language)}"
            if term.direction is not None:
                direction = quoteattr(str(term.direction))
                attrs += f' its:dir={direction} xmlns:its="{namespaces.ITS}" its:version="2.0"'
        elif term.datatype.value not in _IMPLICIT:
            attrs = f" datatype={quoteattr(term.datatype.value)}"
        return f"<literal{attrs}>{xml_escape(term.value)}</literal>"
    return (
        f"<triple><subject>{_term_xml(term.subject)}</subject>"
        f"<predicate>{_term_xml(term.predicate)}</predicate>"
        f"<object>{_term_xml(term.object)}</object></triple>"
    )


def _term_csv(term: Term) -> str:
    """CSV keeps lexical forms only; a triple term is its three lexical forms."""
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        return " ".join(_term_csv(t) for t in (term.subject, term.predicate, term.object))
    return term.value


def _term_tsv(term: Term) -> str:
    """N-Triples syntax (``str()`` of a pyoxigraph term), a triple term as ``<<( s p o )>>``:
    ``str()`` prints a top-level triple term bare, which is no TSV term."""
    text = f"<<( {term} )>>" if isinstance(term, ox.Triple) else str(term)
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


# --------------------------------------------------------------------------- documents


def _json(variables: Sequence[str], rows: Iterable[Row], link: str | None = None) -> bytes:
    bindings = [
        {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
        for row in rows
    ]
    head: dict[str, list[str]] = {"vars": list(variables)}
    if link is not None:  # SPARQL 1.1 JSON results, section 3.1: head.link, an array of IRIs
        head["link"] = [link]
    document = {"head": head, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _xml(variables: Sequence[str], rows: Iterable[Row], link: str | None = None) -> bytes:
    head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
    if link is not None:  # SPARQL XML results: <link href> after the variables
        head += f"<link href={quoteattr(link)}/>"
    parts = [
        f'<?xml version="1.0"?>\n<sparql xmlns="{namespaces.SPARQL_RESULTS}">',
        f"<head>{head}</head>",
        "<results>",
    ]
    for row in rows:
        cells = "".join(
            f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
            for v, t in zip(variables, row, strict=True)
            if t is not None
        )
        parts.append(f"<result>{cells}</result>")
    parts.append("</results></sparql>\n")
    return "\n".join(parts).encode("utf-8")


def _csv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(variables)
    for row in rows:
        writer.writerow(["" if t is None else _term_csv(t) for t in row])
    return buffer.getvalue().encode("utf-8")


def _tsv(variables: Sequence[str], rows: Iterable[Row]) -> bytes:
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines.extend("\t".join("" if t is None else _term_tsv(t) for t in row) for row in rows)
    return ("\n".join(lines) + "\n").encode("utf-8")


_WRITERS: Final[dict[str, Callable[[Sequence[str], Iterable[Row]], bytes]]] = {
    "json": _json,
    "xml": _xml,
    "csv": _csv,
    "tsv": _tsv,
}


def serialize_solutions(
    variables: Sequence[str], rows: Iterable[Row], fmt: Format, link: str | None = None
) -> bytes:
    """SELECT solutions (``None`` for an unbound variable) in the results format ``fmt``
    (JSON when ``fmt`` is not a results format). ``link`` goes in the head of the formats that
    have one (JSON and XML): it is how a cut answer says so to clients that ignore headers."""
    if link is not None and fmt.name == "xml":
        return _xml(variables, rows, link)
    if link is not None and fmt.name not in ("csv", "tsv"):
        return _json(variables, rows, link)
    return _WRITERS.get(fmt.name, _json)(variables, rows)
