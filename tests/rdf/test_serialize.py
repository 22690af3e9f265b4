"""Answers as bytes (vawmw.rdf.serialize), checked against pyoxigraph's own parsers and writers.

The expected bytes are pyoxigraph's native writer run on the same solutions, and the expected
terms are what pyoxigraph parses back: the reference is the library, never this module.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from vawmw.rdf import formats, namespaces
from vawmw.rdf.formats import Format
from vawmw.rdf.serialize import Term, serialize_solutions, serialize_triples

EX = "http://example.org/"
XSD_INTEGER = ox.NamedNode(namespaces.XSD_INTEGER)


def _store() -> ox.Store:
    store = ox.Store()
    p, q = ox.NamedNode(EX + "p"), ox.NamedNode(EX + "q")
    store.add(ox.Quad(ox.NamedNode(EX + "a"), p, ox.Literal('say "hi",\nthen\tgo', language="en")))
    store.add(ox.Quad(ox.BlankNode("b1"), p, ox.Literal("3", datatype=XSD_INTEGER)))
    store.add(ox.Quad(ox.BlankNode("b1"), q, ox.NamedNode(EX + "a?x=1#f")))
    store.add(ox.Quad(ox.NamedNode(EX + "c"), p, ox.Literal("")))
    return store


# Every kind of term, unbound variables, a triple term and a literal with a base direction.
QUERY = f"""
SELECT ?s ?o ?none ?t ?dir WHERE {{
  ?s ?p ?o OPTIONAL {{ ?s <{EX}none> ?none }}
  BIND(IF(isBLANK(?s), <<( ?s ?p ?o )>>, ?unbound) AS ?t)
  BIND(IF(?o = "", "x"@ar--rtl, ?unbound) AS ?dir)
}} ORDER BY ?o"""


def _rows(store: ox.Store) -> tuple[list[str], list[list[Term | None]]]:
    solutions = store.query(QUERY)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]
    return variables, [[s[i] for i in range(len(variables))] for s in solutions]


def _parsed(body: bytes, fmt: Format, width: int) -> list[list[Term | None]]:
    solutions = ox.parse_query_results(body, fmt.results_format)
    assert isinstance(solutions, ox.QuerySolutions)
    return [[s[i] for i in range(width)] for s in solutions]


@pytest.mark.parametrize("fmt", [formats.JSON, formats.CSV], ids=lambda f: f.name)
def test_the_bytes_are_pyoxigraphs_own(fmt: Format) -> None:
    store = _store()
    variables, rows = _rows(store)
    assert any(isinstance(t, ox.Triple) for row in rows for t in row)
    assert any(isinstance(t, ox.Literal) and t.direction for row in rows for t in row)
    native = store.query(QUERY)
    assert isinstance(native, ox.QuerySolutions)
    assert serialize_solutions(variables, rows, fmt) == native.serialize(format=fmt.results_format)


@pytest.mark.parametrize("fmt", [formats.JSON, formats.XML, formats.TSV], ids=lambda f: f.name)
def test_every_term_survives_a_round_trip(fmt: Format) -> None:
    """The lossless formats give back exactly the terms they were given (CSV drops types)."""
    variables, rows = _rows(_store())
    rows.append([ox.Literal('nul\x00 bell\x07 \\ "q" \u2028', language="en-gb")] + [None] * 4)
    rows.append([ox.Literal("abc", datatype=XSD_INTEGER), ox.BlankNode("0a"), None, None, None])
    body = serialize_solutions(variables, rows, fmt)
    assert _parsed(body, fmt, len(variables)) == rows


def test_a_triple_term_in_tsv_is_written_in_double_angle_brackets() -> None:
    """SPARQL 1.2 TSV writes a triple term as <<( s p o )>>; a bare "s p o" is not a term."""
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))
    body = serialize_solutions(["t"], [[triple]], formats.TSV)
    assert body.decode("utf-8").splitlines() == ["?t", f'<<( <{EX}s> <{EX}p> "o" )>>']


@pytest.mark.parametrize("fmt", formats.RESULTS_FORMATS, ids=lambda f: f.name)
def test_a_value_longer_than_pyoxigraphs_parser_buffer(fmt: Format) -> None:
    """pyoxigraph's JSON and TSV parsers stop at 16 MiB per value; answers may be longer (up to
    the byte cap), so the writers never go through them."""
    value = "a" * (17 * 1024 * 1024)
    body = serialize_solutions(["s"], [[ox.Literal(value)]], fmt)
    assert len(body) > len(value) and value.encode() in body


@pytest.mark.parametrize("fmt", formats.RESULTS_FORMATS, ids=lambda f: f.name)
def test_no_variables_and_no_rows(fmt: Format) -> None:
    empty = serialize_solutions([], [], fmt)
    one = serialize_solutions([], [[]], fmt)
    if fmt is not formats.CSV:  # a CSV without columns cannot tell its rows apart
        assert _parsed(empty, fmt, 0) == []
        assert _parsed(one, fmt, 0) == [[]]


def test_a_results_writer_falls_back_to_json() -> None:
    body = serialize_solutions(["x"], [[ox.Literal("1")]], formats.TURTLE)
    assert json.loads(body)["results"]["bindings"] == [{"x": {"type": "literal", "value": "1"}}]


def test_triples_in_trig_and_n_quads_form_the_default_graph() -> None:
    triples = [ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))]
    for fmt in (formats.TRIG, formats.NQUADS):
        assert fmt.rdf_format is not None
        quads = list(ox.parse(serialize_triples(triples, fmt), format=fmt.rdf_format))
        assert quads == [ox.Quad(*triples[0], ox.DefaultGraph())]


def test_turtle_uses_the_project_prefixes_except_id() -> None:
    label = ox.NamedNode(namespaces.RDFS_LABEL)
    triples = [ox.Triple(ox.NamedNode(namespaces.ID + "state/PHL"), label, ox.Literal("P"))]
    text = serialize_triples(triples, formats.TURTLE).decode("utf-8")
    assert f"@prefix rdfs: <{namespaces.RDFS}>" in text
    assert "@prefix id:" not in text and f"<{namespaces.ID}state/PHL>" in text
    assert [q.triple for q in ox.parse(text.encode(), format=ox.RdfFormat.TURTLE)] == triples
