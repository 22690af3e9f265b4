"""Issue 14, researchers: readable syntax errors, predeclared prefixes, ``SELECT *`` order,
truncation that clients ignoring headers can see, and the refusals the security issue fixed.

Each is checked with the clients researchers use: SPARQLWrapper, rdflib's SPARQLStore, httpx.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.dom.minidom import Document

import httpx
import pyoxigraph as ox
import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed
from vawmw.query import syntax
from vawmw.rdf.namespaces import PREFIXES
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

DIRECT = {"Content-Type": "application/sparql-query"}
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
W3C_SYNTAX = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql-syntax"


def _error(query: str) -> str:
    """What pyoxigraph's parser says about ``query``, made readable."""
    try:
        ox.Store().query(query, prefixes=PREFIXES)
    except SyntaxError as error:
        return syntax.readable(str(error.msg), query)
    raise AssertionError(f"{query!r} parsed")


def _pointed_at(message: str) -> str:
    """The excerpt from the caret on (the excerpt and the caret line are both indented)."""
    _, excerpt, caret = message.split("\n")
    assert excerpt.startswith("  ") and caret.startswith("  ") and caret.strip() == "^"
    return excerpt[caret.index("^") :]


# --------------------------------------------------------------------------- errors, offline


def test_undefined_prefix_is_named_with_its_position_and_a_caret() -> None:
    query = "SELECT * WHERE {\n  ?s schema:name ?o\n}"
    message = _error(query)
    first, excerpt, _ = message.split("\n")
    assert first == "line 2, column 6: undefined prefix schema:"
    assert excerpt == "    ?s schema:name ?o"
    assert _pointed_at(message).startswith("schema:")
    assert "\\u{" not in message and "[_]" not in message


@pytest.mark.parametrize("query", ["", "   \n", "# just a comment\n"])
def test_an_empty_query_says_so(query: str) -> None:
    assert "the query is empty" in _error(query).split("\n")[0]


@pytest.mark.parametrize(
    ("query", "words", "points_at"),
    [
        ("SELECT * WHERE { ?s ?p ?o } }", "'}' closes nothing", "}"),
        ("SELECT * WHERE {\n ?s ?p ?o .", "'{' is never closed", "{"),
        ("SELECT * WHERE { ?s <http://a b> ?o }", "invalid IRI", "<http://a b>"),
        ("SELEC * { ?s ?p ?o }", "starts with SELECT, ASK, CONSTRUCT or DESCRIBE", "SELEC"),
        ("SELECT * WHERE", "the query is incomplete", ""),
        ("SELECT (COUNT(?s) AS ?n { ?s ?p ?o }", 'expected ")"', "{"),
    ],
)
def test_typical_mistakes_in_words(query: str, words: str, points_at: str) -> None:
    message = _error(query)
    assert words in message.split("\n")[0]
    assert _pointed_at(message).startswith(points_at)
    assert "\\u{" not in message and "[_]" not in message and len(message) < 400


def test_the_excerpt_of_a_huge_line_is_a_window() -> None:
    query = "SELECT * WHERE { " + "?s ?p ?o . " * 100_000 + "?s foaf:x ?o . ?s nope:x ?o }"
    message = _error(query)
    assert message.startswith("line 1, column ") and "undefined prefix nope:" in message
    assert len(message) < 400  # a window around the column, not the 1 MB line


def test_predeclared_prefixes_keep_every_negative_w3c_test_failing() -> None:
    """The rule: always predeclare; it is safe because no negative test needs a prefix of ours
    to be undeclared (each one still fails to parse with them)."""
    if not W3C_SYNTAX.is_dir():
        pytest.skip(f"the W3C SPARQL syntax suites are not at {W3C_SYNTAX}")
    graph = rdflib.Graph()
    for manifest in W3C_SYNTAX.rglob("manifest.ttl"):
        graph.parse(manifest, format="turtle")
    mf = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
    negative = [
        Path(str(graph.value(test, mf.action)).removeprefix("file://"))
        for test in graph.subjects(rdflib.RDF.type, mf.NegativeSyntaxTest11)
    ] + [
        Path(str(graph.value(test, mf.action)).removeprefix("file://"))
        for test in graph.subjects(rdflib.RDF.type, mf.NegativeSyntaxTest)
    ]
    assert len(negative) > 30
    for path in negative:
        text = path.read_text(encoding="utf-8")
        assert _parses(text, PREFIXES) == _parses(text, None), path


def _parses(query: str, prefixes: dict[str, str] | None) -> bool:
    try:
        ox.Store().query(query, prefixes=prefixes)
    except SyntaxError:
        return False
    return True


def test_star_order_is_first_appearance_and_only_for_star() -> None:
    text = "# ?z in a comment\nSELECT * WHERE { ?s ?p ?o . FILTER(?o != '?a') BIND(1 AS ?a) }"
    assert syntax.star_order(text, ["a", "o", "p", "s"]) == ["s", "p", "o", "a"]
    assert syntax.star_order("SELECT DISTINCT * { ?b ?a ?c }", ["a", "b", "c"]) == list("bac")
    assert syntax.star_order("SELECT ?o ?s { ?s ?p ?o }", ["o", "s"]) is None
    assert syntax.star_order("SELECT ?o { SELECT * { ?s ?p ?o } }", ["o"]) is None


# --------------------------------------------------------------------------- live


def _converted(client: SPARQLWrapper) -> dict[str, Any]:
    """SPARQLWrapper's converted SPARQL JSON results."""
    result = client.queryAndConvert()
    assert isinstance(result, dict)
    return result


@pytest.fixture(scope="module")
def sparql(server_url: str) -> str:
    return server_url + "/sparql"


def test_the_endpoint_answers_a_readable_error(sparql: str) -> None:
    query = "SELECT ?label\nWHERE { ?s rdfs:label ?label ; schema:name ?n }"
    response = httpx.post(sparql, content=query.encode(), headers=DIRECT, timeout=30)
    assert response.status_code == 400
    lines = response.text.split("\n")
    assert lines[0] == "line 2, column 32: undefined prefix schema:"  # the user's own line 2
    assert lines[1:3] == ["  WHERE { ?s rdfs:label ?label ; schema:name ?n }", " " * 33 + "^"]
    empty = httpx.post(sparql, content=b"", headers=DIRECT, timeout=30)
    assert empty.status_code == 400
    assert "the query is empty" in empty.text and "[_]" not in empty.text


def test_sparqlwrapper_sees_the_readable_error(sparql: str) -> None:
    client = SPARQLWrapper(sparql)
    client.setQuery("SELECT * WHERE { ?s nope:p ?o }")
    with pytest.raises(QueryBadFormed) as raised:
        client.query()
    assert "undefined prefix nope:" in str(raised.value)


def test_predeclared_prefixes_and_a_query_s_own_prefix_wins(sparql: str) -> None:
    client = SPARQLWrapper(sparql)
    client.setReturnFormat(JSON)
    client.setQuery("ASK { ?s rdfs:label ?o ; a ?type }")
    assert _converted(client)["boolean"] is True
    client.setQuery("PREFIX rdfs: <http://example.org/not-rdfs#>\nASK { ?s rdfs:label ?o }")
    assert _converted(client)["boolean"] is False


def test_the_service_description_lists_the_prefixes(server_url: str) -> None:
    turtle = httpx.get(server_url + "/sparql", headers={"Accept": "text/turtle"}, timeout=30)
    graph = rdflib.Graph().parse(data=turtle.text, format="turtle")
    declared = {
        str(graph.value(node, SH.prefix)): str(graph.value(node, SH.namespace))
        for node in graph.objects(None, SH.declare)
    }
    assert declared["rdfs"] == "http://www.w3.org/2000/01/rdf-schema#"
    assert declared["vawmw"] == "https://w3id.org/vawmw/ontology#"
    assert len(declared) >= 10


def test_the_editor_lists_the_prefixes_and_shows_the_error_preformatted(server_url: str) -> None:
    page = httpx.get(server_url + "/sparql?ui=plain", headers={"Accept": "text/html"}, timeout=30)
    assert "Predeclared prefixes" in page.text
    assert "<code>http://www.w3.org/2004/02/skos/core#</code>" in page.text
    failed = httpx.get(
        server_url + "/sparql",
        params={"query": "SELECT * WHERE { ?s nope:p ?o }", "format": "html"},
        timeout=30,
    )
    assert failed.status_code == 400
    assert '<pre class="error" role="alert">line 1, column 21: undefined prefix nope:' in (
        failed.text
    )


def test_select_star_through_rdflib_sparqlstore(sparql: str) -> None:
    store = SPARQLStore(sparql, returnFormat="json")
    graph = rdflib.Graph(store)
    rows = list(graph.query("SELECT * WHERE { ?s ?p ?o FILTER(isLiteral(?o)) } LIMIT 3"))
    assert rows
    for s, p, o in rows:  # type: ignore[misc]
        assert isinstance(s, rdflib.URIRef | rdflib.BNode)
        assert isinstance(p, rdflib.URIRef)
        assert isinstance(o, rdflib.Literal)


def test_select_star_through_sparqlwrapper(sparql: str) -> None:
    client = SPARQLWrapper(sparql)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { ?subject ?predicate ?an_object } LIMIT 1")
    assert _converted(client)["head"]["vars"] == ["subject", "predicate", "an_object"]
    client.setQuery("SELECT ?p ?s WHERE { ?s ?p ?o } LIMIT 1")  # an explicit order is kept
    assert _converted(client)["head"]["vars"] == ["p", "s"]


def test_truncation_shows_in_sparqlwrapper_json_and_xml(sparql: str) -> None:
    """The session's service caps answers at 10 rows (tests/conftest.py)."""
    client = SPARQLWrapper(sparql)
    client.setReturnFormat(JSON)
    client.setQuery("SELECT * WHERE { ?s ?p ?o }")
    head = _converted(client)["head"]
    assert len(head["link"]) == 1 and head["link"][0].endswith("/sparql#truncated")
    client.setQuery("SELECT * WHERE { ?s ?p ?o } LIMIT 3")
    assert "link" not in _converted(client)["head"]
    client.setReturnFormat(XML)
    client.setQuery("SELECT * WHERE { ?s ?p ?o }")
    document = client.queryAndConvert()
    assert isinstance(document, Document)
    links = document.getElementsByTagNameNS("http://www.w3.org/2005/sparql-results#", "link")
    assert links.length == 1
    assert links[0].getAttribute("href").endswith("/sparql#truncated")


def test_the_link_of_a_cut_answer_resolves_to_the_note(sparql: str) -> None:
    response = httpx.get(
        sparql, params={"query": "SELECT * { ?s ?p ?o }"}, headers={"Accept": "application/json"}
    )
    link = json.loads(response.text)["head"]["link"][0]
    page = httpx.get(link.split("#")[0], headers={"Accept": "text/html"}, timeout=30)
    assert 'id="truncated"' in page.text and "X-SPARQL-Truncated" in page.text


def test_an_unsupported_function_is_400_naming_it(sparql: str) -> None:
    query = "SELECT (<http://example.org/f>(1) AS ?x) {}"
    response = httpx.post(sparql, content=query.encode(), headers=DIRECT, timeout=30)
    assert response.status_code == 400
    assert "the function <http://example.org/f> is not supported" in response.text


@pytest.fixture(scope="module")
def slow_server(settings: ServiceSettings) -> Iterator[str]:
    with live_server(settings, query_timeout=1.0, workers=1) as url:
        yield url


def test_a_timeout_is_503_without_retry_after(slow_server: str) -> None:
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(10))  # a cross product
    cross = f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}"
    response = httpx.post(
        slow_server + "/sparql", content=cross.encode(), headers=DIRECT, timeout=60
    )
    assert response.status_code == 503, response.text
    assert "retry-after" not in response.headers
    assert "ran longer than" in response.text
