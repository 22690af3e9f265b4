"""Bounded jobs answered in the HTTP process (service/vawmw/query/inprocess.py).

The in-process answer must be the worker's answer, byte for byte, with the same caps: every
query that qualifies is run both ways here, on the same release, and compared. The W3C syntax
suites give a few hundred real queries; those that qualify are compared too (skipped when the
suites are absent).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from vawmw.query.errors import ClientOverLimit
from vawmw.query.inprocess import InProcessRunner
from vawmw.query.jobs import DescribeJob, Job, JobResult, QueryJob
from vawmw.query.pool import WorkerPool
from vawmw.settings import ServiceSettings

SUITES: Final = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql-syntax"
STATE: Final = "https://w3id.org/vawmw/id/state/PHL"
OWN_QUERIES: Final = (
    "SELECT ?p ?o WHERE { <https://w3id.org/vawmw/id/state/PHL> ?p ?o }",
    "SELECT * { ?s ?p <https://w3id.org/vawmw/ontology#State> } LIMIT 3",
    "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\nASK { ?s a vawmw:State }",
    "SELECT ?label { <https://w3id.org/vawmw/id/state/PHL> rdfs:label ?label }",  # predeclared
    "SELECT * { ?s ?p <https://w3id.org/vawmw/ontology#State> } OFFSET 1",
    "SELECT * { <https://w3id.org/vawmw/id/state/PHL> ?p ?o . ?o ?q ?r }",  # not bounded
    "SELECT * { <http://e/s> ?p ?o FILTER(?o) }",  # not bounded
    "SELECT * { <https://w3id.org/vawmw/id/state/PHL> ?p ?o } LIMIT x",  # syntax error
)


class Both:
    """The pool, and an in-process runner over it, on one event loop."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.loop = asyncio.new_event_loop()
        self.pool = WorkerPool(settings)
        self.runner = InProcessRunner(settings, self.pool)
        self.loop.run_until_complete(self.runner.start())

    def local(self, job: Job) -> JobResult:
        before = self.runner.answered
        result = self.loop.run_until_complete(self.runner.run(job, client="test"))
        assert self.runner.answered == before + 1, "the job was not answered in-process"
        return result

    def worker(self, job: Job) -> JobResult:
        return self.loop.run_until_complete(self.pool.run(job, client="test"))

    def close(self) -> None:
        self.loop.run_until_complete(self.runner.close())
        self.loop.close()


@pytest.fixture(scope="module")
def both(settings: ServiceSettings) -> Iterator[Both]:
    pair = Both(dataclasses.replace(settings, workers=1, spare_workers=0, max_rows=5))
    yield pair
    pair.close()


def _compare(both: Both, job: Job) -> JobResult:
    here, there = both.local(job), both.worker(job)
    assert here == there
    return here


def test_degrees_are_measured_when_started(both: Both) -> None:
    assert both.runner.degrees is not None
    assert both.runner.degrees.subject > 0
    assert both.runner.degrees.object > 0


@pytest.mark.parametrize("query", OWN_QUERIES)
@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_bounded_queries_answer_as_the_workers_do(both: Both, query: str, fmt: str) -> None:
    job = QueryJob(query, fmt, max_rows=5, base_iri="http://localhost/sparql")
    if not both.runner.local(job):
        before = both.runner.answered
        both.loop.run_until_complete(both.runner.run(job, client="test"))
        assert both.runner.answered == before  # sent to the pool
        return
    _compare(both, job)


def test_the_row_cap_holds_in_process(both: Both) -> None:
    job = QueryJob(f"SELECT ?p ?o {{ <{STATE}> ?p ?o }}", "json", max_rows=3)
    result = _compare(both, job)
    assert result.truncated
    assert result.rows == 3
    assert len(json.loads(result.body)["results"]["bindings"]) == 3


def test_the_byte_cap_holds_in_process(settings: ServiceSettings) -> None:
    pair = Both(dataclasses.replace(settings, workers=1, spare_workers=0, max_result_bytes=400))
    try:
        job = QueryJob(f"SELECT ?p ?o {{ <{STATE}> ?p ?o }}", "json", max_rows=1000)
        result = _compare(pair, job)
        assert len(result.body) <= 400
        assert result.truncated
    finally:
        pair.close()


def test_descriptions_stay_on_the_pool(both: Both) -> None:
    """A description reads up to its incoming limit of links and their labels: more than a
    job may read on the event loop."""
    job = DescribeJob(STATE, "turtle")
    assert not both.runner.local(job)
    before = both.runner.answered
    result = both.loop.run_until_complete(both.runner.run(job, client="test"))
    assert both.runner.answered == before
    assert result.rows > 0


def test_a_client_over_its_budget_is_refused_in_process(settings: ServiceSettings) -> None:
    tight = dataclasses.replace(
        settings, workers=1, spare_workers=0, client_query_seconds=1e-9, client_window_seconds=1e6
    )
    pair = Both(tight)
    job = QueryJob(f"SELECT ?p ?o {{ <{STATE}> ?p ?o }}", "json")
    try:
        pair.local(job)  # the first job runs (the bucket starts full), and empties it
        with pytest.raises(ClientOverLimit):
            pair.loop.run_until_complete(pair.runner.run(job, client="test"))
    finally:
        pair.close()


def _w3c_queries() -> list[Path]:
    if not SUITES.is_dir():
        return []
    return sorted(SUITES.rglob("*.rq"))


def test_w3c_syntax_queries_that_qualify_answer_as_the_workers_do(both: Both) -> None:
    if not SUITES.is_dir():
        pytest.skip(f"the W3C SPARQL syntax suites are not at {SUITES}")
    compared = 0
    for path in _w3c_queries():
        text = path.read_text(encoding="utf-8", errors="replace")
        job = QueryJob(text, "json", max_rows=5, base_iri=path.as_uri())
        if both.runner.local(job):
            _compare(both, job)
            compared += 1
    assert compared >= 5, "too few W3C queries qualify to compare anything"
