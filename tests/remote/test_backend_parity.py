"""The embedded store and a remote store give the same answers: the describe algorithm, the
row cap and the byte cap are written once (vawmw.query.describe, vawmw.query.answers).

The remote side is a loopback SPARQL endpoint over the very same pyoxigraph store
(tests/remote/sparql_endpoint.py), so any difference comes from the two backends' own code.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from vawmw.query import engine
from vawmw.query.jobs import DescribeJob, GraphJob, Job, JobResult, QueryJob
from vawmw.query.runner import JobRunner
from vawmw.rdf import namespaces
from vawmw.remote.backend import RemoteBackend
from vawmw.settings import ServiceSettings

from tests.remote.sparql_endpoint import sparql_endpoint

EX = "http://example.org/"
GRAPHS = (EX + "data", EX + "labels")
MAX_BYTES = 1_000


def _n(name: str) -> ox.NamedNode:
    return ox.NamedNode(EX + name)


def _store() -> ox.Store:
    store = ox.Store()
    data, labels = ox.NamedNode(GRAPHS[0]), ox.NamedNode(GRAPHS[1])
    label = ox.NamedNode(namespaces.RDFS_LABEL)
    for i in range(40):
        store.add(ox.Quad(_n(f"s{i}"), _n("links"), _n("hub"), data))
        store.add(ox.Quad(_n(f"s{i}"), label, ox.Literal(f"thing {i}", language="en"), labels))
    store.add(ox.Quad(_n("hub"), _n("links"), _n("s1"), data))
    store.add(ox.Quad(_n("hub"), label, ox.Literal("hub"), labels))
    store.add(ox.Quad(_n("links"), label, ox.Literal("links to"), labels))
    return store


@pytest.fixture(scope="module")
def store() -> ox.Store:
    return _store()


@pytest.fixture(scope="module")
def endpoint(store: ox.Store) -> Iterator[str]:
    with sparql_endpoint(store) as url:
        yield url


def _remote(url: str, job: Job) -> JobResult:
    async def run() -> JobResult:
        settings = ServiceSettings(backend_url=url, max_result_bytes=MAX_BYTES)
        runner: JobRunner = RemoteBackend(settings, GRAPHS)
        await runner.start()
        try:
            return await runner.run(job, client="test")
        finally:
            await runner.close()

    return asyncio.run(run())


def _triples(result: JobResult) -> set[ox.Triple]:
    return {q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)}


def test_the_same_description(store: ox.Store, endpoint: str) -> None:
    job = DescribeJob(EX + "hub", "ntriples", incoming_limit=5)
    embedded, remote = engine.run_job(store, job), _remote(endpoint, job)
    assert (remote.rows, remote.result_format) == (embedded.rows, embedded.result_format)
    assert embedded.rows == 2 + 5  # its own link and label, and 5 of the 40 links to it
    assert _triples(remote) == _triples(embedded)
    incoming = {t.subject for t in _triples(embedded) if t.object == _n("hub")}
    labelled = {t.subject for t in _triples(embedded) if t.predicate.value == namespaces.RDFS_LABEL}
    assert incoming | {_n("links")} <= labelled  # the linked resources come with their labels


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_the_same_select_answer_cut_at_the_same_row(
    store: ox.Store, endpoint: str, fmt: str
) -> None:
    query = f"SELECT ?s ?l WHERE {{ ?s <{namespaces.RDFS_LABEL}> ?l }} ORDER BY ?s"
    for job in (QueryJob(query, fmt, max_rows=7), QueryJob(query, fmt, max_rows=None)):
        embedded = engine.run_job(store, job, MAX_BYTES)
        remote = _remote(endpoint, job)
        assert remote == embedded
        assert embedded.truncated  # by the row cap, then by the byte cap
        assert len(embedded.body) <= MAX_BYTES


def test_the_same_construct_answer(store: ox.Store, endpoint: str) -> None:
    job = QueryJob("CONSTRUCT WHERE { ?s ?p ?o }", "ntriples", max_rows=10)
    embedded, remote = engine.run_job(store, job, MAX_BYTES), _remote(endpoint, job)
    assert (remote.rows, remote.truncated) == (embedded.rows, embedded.truncated) == (10, True)


def test_the_same_graph(store: ox.Store, endpoint: str) -> None:
    job = GraphJob(GRAPHS[1], "ntriples")
    embedded, remote = engine.run_job(store, job), _remote(endpoint, job)
    assert remote.rows == embedded.rows == 42
    assert _triples(remote) == _triples(embedded)


def test_ask_in_a_results_format_that_cannot_say_yes(store: ox.Store, endpoint: str) -> None:
    job = QueryJob("ASK { ?s ?p ?o }", "csv")
    assert _remote(endpoint, job) == engine.run_job(store, job)
