"""The checks made on a query's text before execution, and the errors of functions the engine
lacks.

The refusal cases are bypasses found in the previous, regex-based guard (each passed it) and
the ways Oxigraph's parser reads a query that a plain tokenizer would not (keywords matched
without a word boundary, a prefixed name retried as its bare prefix, ``<`` read as an IRI or
as less-than). Ground truth for "pyoxigraph runs a SERVICE" comes from pyoxigraph itself:
the service operands are an unbound variable (the engine fails before any I/O) or an IRI on
port 1 of the loopback, which Oxigraph's HTTP client refuses before connecting, so nothing
here touches the network.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.collection import Collection
from rdflib.plugins.sparql.parser import parseQuery
from vawmw.query import engine
from vawmw.query.guard import GuardError, check_query, decode_codepoint_escapes, scan_steps
from vawmw.query.jobs import QueryJob
from vawmw.web.routes import job_refusal

LOOPBACK = "http://127.0.0.1:1/"  # port 1: Oxigraph's HTTP client refuses it without connecting
PROLOGUE = f"PREFIX ex: <{LOOPBACK}> PREFIX : <{LOOPBACK}> PREFIX h: <http://127.0.0.1:1>\n"
W3C = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql-syntax"
MAX_QUERY_CHARS = 64 * 1024
FUZZ = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


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


# Each passed the previous guard; pyoxigraph runs the SERVICE of each (see the fuzz tests).
BYPASSES = {
    "pname-escaped-hash": r"PREFIX ex: <http://e/> SELECT ?leak WHERE { OPTIONAL { ?s ex:a\# ?o } SERVICE <http://127.0.0.1:1/internal> { ?leak ?p ?o2 } }",
    "pname-escaped-quote": r"PREFIX ex: <http://e/> SELECT ?leak WHERE { OPTIONAL { ?s ex:a\' ?o } SERVICE <http://127.0.0.1:1/internal> { ?leak ?p ?o2 } }",
    "escapes-in-iri": 'SELECT * { ?s ?p <http://e/\'\\u0041>, "\\u0022" . SERVICE ?e { } }',
    "empty-prefix-after-keyword": "PREFIX : <http://127.0.0.1:1/> SELECT * { ?s ?p ?o service:x { } }",
    "keyword-glued-to-true": "SELECT * { ?s ?p trueSERVICE ?e { } }",
    "keyword-glued-to-silent": "SELECT * { ?s ?p ?o . SERVICESILENT?e{} }",
    "prefix-retried-bare": "PREFIX ex: <http://h:> SELECT * { ?s ?p ex:SERVICE ?e { } }",
    "second-dot-in-local-name": "PREFIX ex: <http://e/> SELECT * { ?s ?p ex:a.b.SERVICE ?e { } }",
    "malformed-long-string": "SELECT * { VALUES (?a ?b) { ('''x') } SERVICE ?e { } VALUES ?c { '#\\q''' } }",
    "less-than-then-comment": "SELECT * { ?s ?p ?o FILTER(?o<?a)SERVICE?e#>\n{ } }",
    "less-than-then-string": "SELECT * { ?s ?p ?o FILTER(?o<?a&&'>'=?b) SERVICE ?e { } }",
    "less-than-then-parenthesis": 'SELECT * { VALUES (?a ?b ?c) { (1 2 3) } FILTER(?a<(?b<?c#>"""\n)||true) SERVICE ?e { } FILTER("""x""" != "") }',
}


@pytest.mark.parametrize("query", BYPASSES.values(), ids=BYPASSES.keys())
def test_bypasses_of_the_old_guard_are_refused(query: str) -> None:
    assert _status(query) == 400


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o # c\rSERVICE ?e { } }",  # a comment ends at a lone \r
        "SELECT * { ?s ?p ?o # c\r\nSERVICE ?e { } }",
        'SELECT * { ?s ?p "a#b" . SERVICE ?e { } }',  # '#' in a string starts no comment
        "SELECT * { ?s ?p 'a#b' . SERVICE ?e { } }",
        "SELECT * { ?s ?p '''a'b#''' . SERVICE ?e { } }",
        "SELECT * { ?s ?p <http://e/#a> . SERVICE ?e { } }",
        "SELECT * { ?s ?p <http://e/a\\u0023b> . SERVICE ?e { } }",
        "SELECT * { ?s ?p ?o \\u0053ERVICE ?e { } }",
        "SELECT * { ?s ?p ?o SERVICE#c\n?e{ } }",
        "SELECT * { ?s ?p 1SERVICE?e{ } }",
        "SELECT * { GRAPH ?g { SERVICE ?e { } } }",
    ],
)
def test_service_behind_line_ends_strings_and_escapes_is_refused(query: str) -> None:
    assert _status(query) == 400


@pytest.mark.parametrize(
    "query",
    [
        'SELECT * { ?s ?p "SERVICE <http://x/sparql> {}" }',
        "SELECT * { ?s ?p '''SERVICE''' }",
        "SELECT ?service { ?service ?p ?o }",
        "PREFIX service: <http://x/> SELECT * { ?s service:p ?o }",
        "PREFIX service: <http://x/> ASK { ?s service:p ?o }",
        "SELECT * { <http://x/#SERVICE> ?p ?o }",
        "# SERVICE <http://x/>\nSELECT * {}",
        "SELECT * { ?s ?p ?o . ?o ex:SERVICE ?x }",
        r"SELECT * { ?s ex:a\#SERVICE ?o }",
        "PREFIX ex: <http://e/> SELECT * { GRAPH ex:service { ?s ?p ?o } }",
        "PREFIX ex: <http://e/> SELECT * FROM NAMED ex:service { GRAPH ?g { ?s ?p ?o } }",
        "PREFIX ex: <http://e/> DESCRIBE ex:service { ?s ?p ?o }",
        "SELECT * { ?s ?p ?o FILTER(?o = 'SERVICE ?e {}') }",
    ],
)
def test_service_word_elsewhere_is_fine(query: str) -> None:
    assert _status(query) == 200


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o FILTER(?o<?a&&?b>?y) }",  # the '<…>' has no ' or #: both agree
        "SELECT * { ?s ?p ?o FILTER(?o<'x'>'y') }",  # its string closes inside
        "SELECT * { ?s ?p ?o FILTER(STRLEN(?o)<5&&STRLEN(?s)>3) }",
        "SELECT * { ?s ?p ?o FILTER(?o IN (<http://x/#a>, <http://x/#b>)) }",
        'SELECT * { ?s ?p ?o FILTER(?o = "1"^^<http://www.w3.org/2001/XMLSchema#int>) }',
        "SELECT * { ?s ?p ?o } VALUES (?x ?y) { (<http://x/#a> <http://x/#b>) }",
        "SELECT * { <<<http://a/#x> <http://b/#y> <http://c/#z>>> ?p ?o }",
        "SELECT (<http://x/#f>(?o) AS ?y) { ?s ?p ?o }",
    ],
)
def test_comparisons_and_iris_without_spaces_are_fine(query: str) -> None:
    assert _status(query) == 200


# Collections and path groups hold graph nodes and paths, never an expression (SPARQL 1.1
# §19.8, Collection and PathPrimary), so their '<' can only open an IRI.
COLLECTIONS = [
    "SELECT * { ?s ?p (?a <http://x/#b>) }",
    "SELECT * { (?a <http://x/#b>) ?p ?o }",
    "SELECT * { ?s ?p (?a <http://x/#b> (1 <http://y/#z>)) }",
    "SELECT * { ?s (<http://x/#b>|<http://x/#c>) ?o }",
    "SELECT * { [ ?p (<http://x/#b>) ] ?q ?o }",
]


@pytest.mark.parametrize("query", COLLECTIONS)
def test_iris_in_collections_and_paths_are_read_as_iris(query: str) -> None:
    assert check_query(query).form == "SELECT"
    # Oxigraph reads them the same way: each parses (less-than could not, as the next test shows).
    assert isinstance(ox.Store().query(query), ox.QuerySolutions)


def test_oxigraph_never_reads_less_than_in_a_collection() -> None:
    # Were '<' less-than here, this would be a comparison of ?a with a string; it is a bad IRI.
    with pytest.raises(SyntaxError, match="IRI"):
        ox.Store().query("SELECT * { ?s ?p (?a <'x>) }")


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o FILTER(?o<?a#>\n) }",
        "SELECT * { ?s ?p ?o FILTER(?o<'x>'=?b) }",
        "SELECT * { ?s ?p ?o FILTER(?o<?a)&&(?b>?c) }",
        "SELECT * { ?s ?p ?o FILTER(?a <http://x/#b>) }",
        "SELECT * { ?s ?p ?o FILTER ex:f(?a <http://x/#b>) }",
    ],
)
def test_less_than_that_reads_two_ways_is_refused(query: str) -> None:
    with pytest.raises(GuardError) as refused:
        check_query(query)
    assert refused.value.status == 400
    assert "ambiguous '<' at line 1" in refused.value.message


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
    assert check_query("SELECT*{}").form == "SELECT"
    assert check_query("SELECT * {}").has_dataset_clause is False
    assert check_query("SELECT * FROM <http://g> {}").has_dataset_clause is True
    assert check_query("SELECT * FROM NAMED <http://g> {}").has_dataset_clause is True
    assert check_query("SELECT * FROM<http://g>{}").has_dataset_clause is True
    assert check_query("SELECT * { ?s ex:from ?o }").has_dataset_clause is False
    assert check_query("nonsense").form is None


def test_nesting_limit() -> None:
    deep = "SELECT * " + "{" * 201 + "}" * 201
    assert _status(deep) == 400
    assert _status("SELECT * " + "{" * 200 + "}" * 200) == 200
    assert _status("SELECT * { FILTER(" + "(" * 50 + "1" + ")" * 50 + ") }", max_nesting=20) == 400
    # brackets inside strings, IRIs and comments do not count
    assert _status('SELECT * { ?s ?p "' + "{" * 300 + '" }') == 200
    assert _status("SELECT * { ?s ?p ?o } # " + "{" * 300) == 200


@pytest.mark.parametrize("hider", [r"ex:a\#", r"ex:a\'"])
def test_escapes_in_names_hide_no_nesting(hider: str) -> None:
    query = f"PREFIX ex: <http://e/> SELECT * {{ ?s ?p {hider} " + "{" * 300 + "}" * 300 + " }"
    assert _status(query) == 400


# --------------------------------------------------------------------------- linearity

ADVERSARIAL = {
    "redos-dotted-run-then-escape": ("", "a.", "\\u0041"),
    "redos-local-name": (":", "a.", ""),
    "dotted-run-no-escape": ("", "a.", ""),
    "escaped-local-name": ("ex:", "a\\#", ""),
    "code-point-escapes": ("", "\\u0041", ""),
    "unclosed-iris": ("", "<a", ""),
    "less-than-run": ("SELECT * { FILTER(?a", "<", ""),
    "parens-in-iri": ("SELECT * { FILTER(?a<", "(x)", ">1) }"),
    "quotes": ("", "'", ""),
    "long-string-openers": ("'''", "\\'''x", ""),
    "double-quotes": ("", '"""x', ""),
    "comments": ("", "#c\r", ""),
    "nesting": ("SELECT * ", "{", ""),
    "service-candidates": ("SELECT * { ", "ex:SERVICE ", "}"),
    "numbers": ("", "1.5e3", ""),
}


def _family(head: str, unit: str, tail: str, repeat: int) -> str:
    return head + unit * repeat + tail


@pytest.mark.parametrize("family", ADVERSARIAL.values(), ids=ADVERSARIAL.keys())
def test_the_guard_is_linear(family: tuple[str, str, str]) -> None:
    head, unit, tail = family
    repeat = (MAX_QUERY_CHARS - 100) // (2 * len(unit))
    small = _family(head, unit, tail, repeat)
    large = _family(head, unit, tail, 2 * repeat)
    assert len(large) <= MAX_QUERY_CHARS
    steps_small, steps_large = scan_steps(small), scan_steps(large)
    assert steps_small >= len(small)  # the counter sees every character
    assert steps_large <= 2.2 * steps_small


def test_the_reported_redos_input_takes_linear_steps() -> None:
    query = "a." * 32000 + "\\u0041"  # the 64 KiB GET that held the event loop for 24 s
    half = "a." * 16000 + "\\u0041"
    assert len(query.encode()) <= MAX_QUERY_CHARS
    assert scan_steps(query) <= 2.2 * scan_steps(half)
    assert scan_steps(query) <= 8 * len(query)
    assert _status(query) == 200  # not a query the guard refuses: the engine will say 400


# --------------------------------------------------------------------------- against pyoxigraph


def _store() -> ox.Store:
    """Objects for every pattern the generated queries match, so that what follows runs."""
    store = ox.Store()
    subject, predicate = ox.NamedNode(LOOPBACK + "s"), ox.NamedNode(LOOPBACK + "p")
    objects: list[ox.NamedNode | ox.Literal] = [
        ox.NamedNode(LOOPBACK + "o"),
        ox.NamedNode(LOOPBACK + "a.b"),
        ox.NamedNode("http://127.0.0.1:1"),
        ox.Literal("true", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")),
        ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
    ]
    store.extend(ox.Quad(subject, predicate, obj) for obj in objects)
    return store


STORE = _store()


def _evaluate(query: str) -> None:
    result = STORE.query(query, base_iri=LOOPBACK)
    try:
        if not isinstance(result, ox.QueryBoolean):
            list(result)
    finally:
        del result  # pyoxigraph's results must be freed on the thread that made them


def _engine_runs_service(query: str) -> bool | None:
    """Whether pyoxigraph evaluates a SERVICE of ``query``; None when it does not parse it."""
    try:
        _evaluate(query)
    except SyntaxError:
        return None
    except RuntimeError as error:  # an unbound or invalid service name
        return "service" in str(error).lower()
    except OSError as error:  # the HTTP client refused port 1
        return "port 1 is not allowed" in str(error)
    return False


SEPARATOR = st.sampled_from([" ", "\n", "\r", "\r\n", "\t", " #c\n", " #c\r", "#x\r\n"])
KEYWORD = st.sampled_from(["SERVICE", "service", "sErViCe", "\\u0053ERVICE", "\\u0073ervice"])
OPERAND = st.sampled_from(["?svc", "$svc", f"<{LOOPBACK}x>", "ex:x", ":x", "<x>"])
# Objects after which a naive tokenizer stops seeing code.
HIDER = st.sampled_from(
    [
        r"ex:a\#",
        r"ex:a\'",
        r"ex:\'\#",
        r"ex:a\(",
        "ex:a%23",
        '"#"',
        "'#'",
        "'\\'#'",
        "'''#'''",
        '"""#\n"""',
        '"\\u0022#"',
        f"<{LOOPBACK}a'b>",
        f"<{LOOPBACK}a#b>",
        f"<{LOOPBACK}'\\u0041>",
        '"x"@en',
        '"1"^^ex:t',
    ]
)
# Objects glued to the keyword, which Oxigraph reads as two tokens.
GLUED = st.sampled_from(["true", "true.", "1", "1.", "ex:a.b.", "h:", "ex:o. "])


@st.composite
def hidden_service(draw: st.DrawFn) -> str:
    """A query with a real SERVICE keyword that a naive tokenizer would not see."""
    sep = draw(SEPARATOR)
    keyword = draw(KEYWORD) + draw(st.sampled_from(["", " SILENT", "SILENT"]))
    service = keyword + draw(SEPARATOR) + draw(OPERAND) + sep + "{ }"
    if draw(st.booleans()):
        # Decoded, '"\u0022#"' really comments out the rest of the line: not with an escaped keyword.
        hider = draw(HIDER.filter(lambda text: "\\u" not in text or "\\u" not in keyword))
        body = f"OPTIONAL {{ ?s ?p {hider} }}{sep}{service}"
    else:
        body = f"?s ?p {draw(GLUED)}{service}"
    return f"{PROLOGUE}SELECT * WHERE {{{sep}{body}{sep}}}"


HARMLESS = st.sampled_from(
    [
        '"SERVICE ?svc { }"',
        "'SERVICE ?svc { }'",
        '"""SERVICE\n?svc { }"""',
        "'''SERVICE'''",
        '"#SERVICE ?svc {"',
        f"<{LOOPBACK}SERVICE>",
        f"<{LOOPBACK}#SERVICE>",
        f"<{LOOPBACK}x?SERVICE>",
        "ex:SERVICE",
        r"ex:a\#SERVICE",
        r"ex:SERVICE\'",
        "ex:a.SERVICE",
        "ex:SERVICE.x",
        ":service",
        "?SERVICE",
    ]
)


@st.composite
def harmless_service(draw: st.DrawFn) -> str:
    """A query where SERVICE is only inside a string, comment, IRI, name or variable."""
    sep = draw(SEPARATOR)
    body = ""
    for _ in range(draw(st.integers(1, 3))):
        if draw(st.booleans()):
            body += "# SERVICE ?svc { }" + draw(st.sampled_from(["\n", "\r"]))
        body += f"?s ?p {draw(HARMLESS)} .{sep}"
    return f"{PROLOGUE}SELECT * WHERE {{{sep}{body}}}"


@FUZZ
@given(query=hidden_service())
def test_hidden_service_is_refused(query: str) -> None:
    assert _status(query) == 400
    runs = _engine_runs_service(query)
    # The generator is meaningful: what pyoxigraph parses, it runs (SILENT swallows the error).
    assert runs is None or runs or "SILENT" in query.upper()


@FUZZ
@given(query=harmless_service())
def test_harmless_service_words_are_accepted(query: str) -> None:
    check = check_query(query)
    assert check.form == "SELECT"
    assert _engine_runs_service(query) is False  # pyoxigraph parses it and calls nothing


# Pieces of queries, mostly valid on their own, that pyoxigraph may join into a federated query.
SOUP = st.tuples(
    st.sampled_from(
        [
            "SERVICE ?svc { }",
            "SERVICE",
            "SILENT",
            "?svc",
            "{ }",
            "{",
            "}",
            ".",
            "?s ?p ?o",
            r"OPTIONAL { ?s ?p ex:a\# }",
            r"OPTIONAL { ?s ?p ex:a\' }",
            "FILTER(?o<?a)",
            "FILTER(?o<?b&&'>'=?c)",
            "FILTER(?o != ex:)",
            "VALUES (?a ?b) { ('''x') }",
            "VALUES ?v { 1 }",
            "?s ?p true",
            "?s ?p 1",
            "?s ?p h:",
            "?s ?p ex:a.b.",
            "#",
            "'''",
            '"#"',
            "'#'",
            "<",
            ">",
            "\\u0053",
        ]
    ),
    st.sampled_from(["", " ", " ", "\n", "\r", "\t"]),
)


@FUZZ
@given(pieces=st.lists(SOUP, max_size=12))
def test_what_pyoxigraph_federates_the_guard_refuses(pieces: list[tuple[str, str]]) -> None:
    soup = "".join(piece + sep for piece, sep in pieces)
    query = f"{PROLOGUE}SELECT * WHERE {{ OPTIONAL {{ ?s ?p ?o }} {soup} }}"
    try:
        check_query(query)
        refused = False
    except GuardError:
        refused = True
    if _engine_runs_service(query):
        assert refused, query


def _w3c_positive_queries() -> list[tuple[str, str]]:
    manifest_ns = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
    found: list[tuple[str, str]] = []
    for manifest in sorted(W3C.rglob("manifest.ttl")):
        graph = rdflib.Graph().parse(manifest, format="turtle")
        for entries in graph.objects(None, manifest_ns.entries):
            for test in Collection(graph, entries):
                kind = str(graph.value(test, rdflib.RDF.type))
                if kind.endswith(("#PositiveSyntaxTest", "#PositiveSyntaxTest11")):
                    action = Path(
                        str(graph.value(test, manifest_ns.action)).removeprefix("file://")
                    )
                    found.append((action.name, action.read_text(encoding="utf-8")))
    return found


def test_w3c_queries_read_alike_by_the_guard_and_the_parsers() -> None:
    """For every W3C positive syntax query pyoxigraph runs: the guard accepts it, finds the
    form pyoxigraph answers with, and finds a dataset clause exactly when rdflib's parser does.
    (Queries naming SERVICE are left out: pyoxigraph would call their endpoints.)"""
    if not W3C.is_dir():
        pytest.skip(f"the W3C SPARQL syntax suites are not at {W3C}")
    answers = {ox.QuerySolutions: {"SELECT"}, ox.QueryBoolean: {"ASK"}}
    compared = 0
    for name, text in _w3c_positive_queries():
        if "service" in text.lower():
            continue
        try:
            result = ox.Store().query(text, base_iri=LOOPBACK)
        except (SyntaxError, RuntimeError):  # not parsed, or a function pyoxigraph lacks
            continue
        kind = type(result)
        del result  # pyoxigraph's results must be freed on the thread that made them
        check = check_query(text)
        assert check.form in answers.get(kind, {"CONSTRUCT", "DESCRIBE"}), name
        try:
            parsed = parseQuery(text)[1]
        except TypeError:  # rdflib's parser crashes on syntax-general-08
            continue
        assert check.has_dataset_clause == ("datasetClause" in parsed), name
        compared += 1
    assert compared > 150


# --------------------------------------------------------------------------- functions the engine lacks


@pytest.mark.parametrize(
    ("query", "function"),
    [
        ("SELECT * { BIND(<http://example/fn>(1) AS ?y) }", "<http://example/fn>"),
        (
            'PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT * { BIND(xsd:byte("1") AS ?y) }',
            "<http://www.w3.org/2001/XMLSchema#byte>",
        ),
        ("ASK { FILTER(<http://example/fn>()) }", "<http://example/fn>"),
        (
            "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#> SELECT * { BIND(xsd:integer(1, 2) AS ?y) }",
            "<http://www.w3.org/2001/XMLSchema#integer>",
        ),
    ],
)
def test_an_unsupported_function_is_a_400_naming_it(query: str, function: str) -> None:
    job = QueryJob(query=query, result_format="json")
    result = engine.run_job(ox.Store(), job)
    assert result.error == "unsupported"
    refusal = job_refusal(result)
    assert refusal is not None
    assert refusal.status == 400
    assert function in refusal.message


def test_other_engine_failures_stay_500() -> None:
    job = QueryJob(query="SELECT * { SERVICE ?unbound { } }", result_format="json")
    result = engine.run_job(ox.Store(), job)
    assert result.error == "engine"
    refusal = job_refusal(result)
    assert refusal is not None
    assert refusal.status == 500
