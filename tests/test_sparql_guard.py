"""The checks made on a query's text before execution."""

from __future__ import annotations

import pytest

from service.sparql_guard import GuardError, check_query, decode_codepoint_escapes


def _status(query: str, **kwargs: int) -> int:
    try:
        check_query(query, **kwargs)
    except GuardError as error:
        return error.status
    return 200


def test_decode_escapes() -> None:
    assert decode_codepoint_escapes(r"\u0053ERVICE") == "SERVICE"
    assert decode_codepoint_escapes(r"\U00000053ERVICE") == "SERVICE"
    assert decode_codepoint_escapes(r"\uD800") == "\ufffd"
    assert decode_codepoint_escapes(r"\u00") == r"\u00"


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { SERVICE <http://x/sparql> { ?s ?p ?o } }",
        "SELECT * { service <http://x/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT <http://x/sparql> { ?s ?p ?o } }",
        "SELECT * { SERVICE ?endpoint { ?s ?p ?o } }",
        "SELECT * { BIND(<http://x/> AS ?e) SERVICE ?e { ?s ?p ?o } }",
        r"SELECT * { \u0053ERVICE <http://x/sparql> { ?s ?p ?o } }",
        r"SELECT * { \u0073\u0065rvice <http://x/sparql> { ?s ?p ?o } }",
        r"SELECT * { \U00000053ERVICE <http://x/sparql> { ?s ?p ?o } }",
        "SELECT * { ?s ?p true.SERVICE <http://x/sparql> { ?s ?p ?o } }",
        "SELECT * { FILTER(?a < ?b) SERVICE <http://x/sparql> {} }",
        'SELECT * { ?s ?p "\\u0022 SERVICE <http://x/sparql> {} \\u0022" }',
        "PREFIX s: <http://x/>\nSELECT * {\n#c\nSERVICE <http://x/sparql> {}\n}",
    ],
)
def test_service_refused(query: str) -> None:
    assert _status(query) == 400


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://x/sparql> {}" }',
        "SELECT * { ?s ?p '''SERVICE''' }",
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }",
        "SELECT * { <http://x/#SERVICE> ?p ?o }",
        "# SERVICE <http://x/>\nSELECT * {}",
        "SELECT * { ?s ?p ?o . ?o ex:SERVICE ?x }",
    ],
)
def test_service_word_elsewhere_is_fine(query: str) -> None:
    assert _status(query) == 200


@pytest.mark.parametrize(
    "query",
    [
        "INSERT DATA { <a> <b> <c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX x: <http://x/> INSERT { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
        "LOAD <http://example.org/x.ttl>",
        "CLEAR ALL",
        "DROP SILENT GRAPH <http://g>",
        "CREATE GRAPH <http://g>",
        "ADD <http://a> TO <http://b>",
        "MOVE DEFAULT TO <http://b>",
        "COPY <http://a> TO <http://b>",
        "SELECT * {} ; INSERT DATA { <a> <b> <c> }",
        r"\u0049NSERT DATA { <a> <b> <c> }",
    ],
)
def test_updates_refused(query: str) -> None:
    assert _status(query) == 403


def test_query_forms_and_dataset_clause() -> None:
    assert check_query("PREFIX a: <http://a/> BASE <http://b/> ask {}").form == "ASK"
    assert check_query("CONSTRUCT WHERE { ?s ?p ?o }").form == "CONSTRUCT"
    assert check_query("describe <http://x>").form == "DESCRIBE"
    assert check_query("SELECT * {}").has_dataset_clause is False
    assert check_query("SELECT * FROM <http://g> {}").has_dataset_clause is True
    assert check_query("SELECT * FROM NAMED <http://g> {}").has_dataset_clause is True
    assert check_query("nonsense").form is None


def test_nesting_limit() -> None:
    deep = "SELECT * " + "{" * 201 + "}" * 201
    assert _status(deep) == 400
    assert _status("SELECT * " + "{" * 200 + "}" * 200) == 200
    assert _status("SELECT * { FILTER(" + "(" * 50 + "1" + ")" * 50 + ") }", max_nesting=20) == 400
    # brackets inside strings, IRIs and comments do not count
    assert _status('SELECT * { ?s ?p "' + "{" * 300 + '" }') == 200
