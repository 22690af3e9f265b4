"""Which jobs provably cannot run long (service/vawmw/query/bounded.py).

The degrees are checked against counts made here by hand on a small store; the bounds against
the rule (one factor per triple pattern: the subject degree when the subject is a constant,
else the object degree when the object is), computed here from the query's patterns.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.query.bounded import Degrees, job_bound, measure_degrees, query_bound
from vawmw.query.describe import LABELS
from vawmw.query.jobs import DescribeJob, GraphJob, QueryJob

EX = "http://example.org/"
DEGREES = Degrees(subject=7, object=50)


def _node(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def test_degrees_count_quads_of_every_graph_default_included() -> None:
    store = ox.Store()
    hub, p, q = _node("hub"), _node("p"), _node("q")
    graph = _node("g")
    # hub: 3 triples in the default graph, 2 in a named graph (one of them repeated there)
    for index in range(3):
        store.add(ox.Quad(hub, p, _node(f"o{index}")))
    store.add(ox.Quad(hub, p, _node("o0"), graph))
    store.add(ox.Quad(hub, q, ox.Literal("x"), graph))
    # target: object of 4 quads (2 default, 2 named)
    target = _node("target")
    for index in range(2):
        store.add(ox.Quad(_node(f"s{index}"), p, target))
        store.add(ox.Quad(_node(f"t{index}"), p, target, graph))
    assert measure_degrees(store) == Degrees(subject=5, object=4)


def test_an_empty_store_has_degree_zero() -> None:
    assert measure_degrees(ox.Store()) == Degrees(0, 0)


@pytest.mark.parametrize(
    ("query", "factors"),
    [
        ("SELECT ?p ?o WHERE { <http://example.org/s> ?p ?o }", ["s"]),
        ("select ?s { ?s ?p <http://example.org/o> }", ["o"]),
        ('SELECT * { ?s ?p "a label"@en }', ["o"]),
        ("PREFIX ex: <http://example.org/>\nASK { ex:s a ?type }", ["s"]),
        ("ASK {}", []),
        ("SELECT * { <http://e/s> ?p a.b:c }", ["s"]),  # one name, a dot in its prefix
        ("SELECT * { ?s ?p :a:b:c }", ["o"]),  # one name: ':' is a name character
        # a subject constant wins over an object constant: the subject degree is the factor
        ("SELECT * WHERE { <http://e/s> <http://e/p> <http://e/o> }", ["s"]),
        (
            "PREFIX ex: <http://example.org/>\n# a comment\n"
            "SELECT DISTINCT ?x ?y FROM <http://e/g> FROM NAMED <http://e/h>\n"
            "WHERE { ex:s ex:p ?x ; ex:q ?y , ?z . ?w ex:r ex:o . } LIMIT 10 OFFSET 2",
            ["s", "s", "s", "o"],
        ),
        ("SELECT ?o { <http://e/s> ?p ?o . ?o ?q <http://e/t> } OFFSET 1 LIMIT 1", ["s", "o"]),
    ],
)
def test_bounded_shapes_get_the_product_of_their_patterns(query: str, factors: list[str]) -> None:
    expected = 1
    for factor in factors:
        expected *= DEGREES.subject if factor == "s" else DEGREES.object
    assert query_bound(query, DEGREES) == expected


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * { ?s ?p ?o }",  # no constant at all
        "SELECT * { ?s <http://e/p> ?o }",  # only the predicate is constant
        "SELECT ?o { $s ?p ?o . <http://e/s> ?p ?o }",  # one pattern without a constant
        "SELECT * { <http://e/s> ?p ?o FILTER(?o > 1) }",
        "SELECT * { <http://e/s> ?p ?o OPTIONAL { ?o ?q ?r } }",
        "SELECT * { <http://e/s> <http://e/p>* ?o }",  # a path
        "SELECT * { <http://e/s> <http://e/p>/<http://e/q> ?o }",
        "SELECT * { <http://e/s> ^<http://e/p> ?o }",
        "SELECT * { GRAPH ?g { <http://e/s> ?p ?o } }",
        "SELECT * { SERVICE <http://127.0.0.1:1/> { <http://e/s> ?p ?o } }",
        "SELECT * { <http://e/s> ?p ?o } ORDER BY ?o",
        "SELECT (COUNT(*) AS ?n) { <http://e/s> ?p ?o }",
        "SELECT * { <http://e/s> ?p ?o } GROUP BY ?o",
        "SELECT * { { <http://e/s> ?p ?o } UNION { <http://e/t> ?p ?o } }",
        "SELECT * { <http://e/s> ?p ?o . BIND(1 AS ?x) }",
        "SELECT * { VALUES ?s { <http://e/s> } ?s ?p ?o }",
        "SELECT * { <http://e/s> ?p ?o . { SELECT * { ?a ?b ?c } } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { <http://e/s> ?p ?o }",
        "DESCRIBE <http://e/s>",
        "BASE <http://e/> SELECT * { <s> ?p ?o }",
        "SELECT * { _:b ?p ?o }",
        "SELECT * { [] ?p <http://e/o> }",
        'SELECT * { ?s ?p "\\u0041" }',  # escapes: not read here
        "SELECT * { <http://e/s> ?p ?o } LIMIT 1 LIMIT 2",
        "SELECT * { <http://e/s> ?p ?o } trailing",
        "SELECT * { <http://e/s> ?p ?o ",
        "SELECT * { <http://e/s> ?p (1 2) }",  # a collection
        "SELECT * { ex:é ?p ?o }",  # a non-ASCII name
        "PREFIX : <http://e/> SELECT * { :a:b:c . }",  # one name, as the grammar reads it
        'SELECT * { <http://e/s> ?p """long""" }',
        "SELECT * { <http://e/s> ?p 'single' }",
        "",
    ],
)
def test_anything_else_is_not_bounded(query: str) -> None:
    assert query_bound(query, DEGREES) is None


def test_more_patterns_than_the_cap_are_not_bounded() -> None:
    patterns = " . ".join(f"<http://e/s{i}> ?p{i} ?o{i}" for i in range(9))
    assert query_bound(f"SELECT * {{ {patterns} }}", Degrees(1, 1)) is None
    patterns = " . ".join(f"<http://e/s{i}> ?p{i} ?o{i}" for i in range(8))
    assert query_bound(f"SELECT * {{ {patterns} }}", Degrees(1, 1)) == 1


def test_a_description_reads_own_incoming_and_labels_of_linked() -> None:
    job = DescribeJob("http://e/s", "turtle", incoming_limit=10)
    own, linked = 7, 7 + 10
    expected = own + (10 + own) + linked * len(LABELS) * 7
    assert job_bound(job, DEGREES) == expected


def test_jobs_that_are_not_bounded() -> None:
    assert job_bound(GraphJob("http://e/g", "turtle"), DEGREES) is None
    assert job_bound(QueryJob("SELECT * { ?s ?p ?o }", "json"), DEGREES) is None
    point = QueryJob("SELECT * { <http://e/s> ?p ?o }", "json")
    assert job_bound(point, DEGREES) == DEGREES.subject


# The shapes of issue 11's ReDoS, at the 64 KiB cap: runs of name characters that fail one
# reading late. A tokenizer that rescans such a run from each of its positions spends minutes
# on them (seen: 41 s of CPU for the first); a linear one, milliseconds.
HOSTILE_RUNS = {
    "a.a.a… then an escape": "SELECT * { " + "a." * 32_000 + "\\u0041 }",
    "a:a.a:a.… then a bang": "SELECT * { " + "a:a." * 16_000 + "! }",
    "a-a-a… then a bang": "SELECT * { ?s " + "a-" * 32_000 + "! }",
}
CPU_SECONDS = 20  # a budget of processor time, not of wall-clock time: kills a quadratic scan


@pytest.mark.parametrize("name", list(HOSTILE_RUNS))
def test_hostile_runs_are_classified_within_a_cpu_budget(name: str, tmp_path: Path) -> None:
    query_file = tmp_path / "query.rq"
    query_file.write_text(HOSTILE_RUNS[name], encoding="utf-8")
    script = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_CPU, ({CPU_SECONDS}, {CPU_SECONDS}))\n"
        "from vawmw.query.bounded import Degrees, query_bound\n"
        "text = open(sys.argv[1], encoding='utf-8').read()\n"
        "print(query_bound(text, Degrees(74, 913)))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(query_file)], capture_output=True, text=True, check=False
    )
    # SIGXCPU ends a process over its budget with a negative return code and no output.
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "None"  # none of them is a bounded query
