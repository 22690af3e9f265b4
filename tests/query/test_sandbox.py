"""Query evaluation has no network: SERVICE reaches nothing, whatever the query guard lets by.

pyoxigraph fetches ``SERVICE <http://…>`` endpoints itself. The query guard refuses SERVICE in
the text, but a text check can be bypassed (``ex:a\\#`` made its tokenizer read the rest of the
line as a comment), so the processes that evaluate queries run in an empty network namespace
(service/vawmw/query/sandbox.py). Every test points SERVICE at a loopback listener that counts connections.
"""

from __future__ import annotations

import asyncio
import errno
import json
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from vawmw.query.jobs import JobResult, QueryJob
from vawmw.query.pool import WorkerPool
from vawmw.query.sandbox import SandboxStatus, isolate_network
from vawmw.release.manifest import ReleaseInfo, open_read_only
from vawmw.settings import ServiceSettings

from tests.conftest import REPO, live_server
from tests.reliability.support import LoopbackListener

SERVICE_REFUSED: Final = "SERVICE"


def _constant_endpoint_queries(url: str) -> dict[str, str]:
    """SERVICE forms the engine evaluates by calling ``url`` (it did, before the sandbox)."""
    localhost = url.replace("127.0.0.1", "localhost")
    return {
        # The guard read everything after `\#` as a comment (the reported bypass).
        "ex:a\\# bypass": "PREFIX ex: <http://e/> SELECT ?leak WHERE { OPTIONAL { ?s ex:a\\# ?o }"
        f" SERVICE <{url}> {{ ?leak ?p ?o2 }} }}",
        # The guard read `\'` as the start of a string.
        "ex:a\\' bypass": "PREFIX ex: <http://e/> SELECT ?leak WHERE { OPTIONAL { ?s ex:a\\' ?o }"
        f" SERVICE <{url}> {{ ?leak ?p ?o2 }} }}",
        "lowercase": f"select * where {{ service <{url}> {{ ?s ?p ?o }} }}",
        "SILENT": f"SELECT * WHERE {{ SERVICE SILENT <{url}> {{ ?s ?p ?o }} }}",
        "host name": f"SELECT * WHERE {{ SERVICE <{localhost}> {{ ?s ?p ?o }} }}",
    }


def _all_service_queries(url: str) -> dict[str, str]:
    """Every known form; the last two this engine version does not evaluate (yet)."""
    return {
        **_constant_endpoint_queries(url),
        "\\u0053ERVICE escape": f"SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        "VALUES variable": f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
    }


# --------------------------------------------------------------------------- isolation itself


def _probe(conn: Connection, port: int, release_dir: str, start_thread: bool) -> None:
    """In a fresh process: isolate, then try the listener and read the release."""
    if start_thread:  # a thread that outlives the call: isolation must refuse, not half-apply
        threading.Thread(target=threading.Event().wait, args=(5,), daemon=True).start()
    status = isolate_network()
    try:
        socket.create_connection(("127.0.0.1", port), timeout=5).close()
        connect_errno: int | None = 0
    except OSError as error:
        connect_errno = error.errno
    store = open_read_only(ReleaseInfo.load(Path(release_dir)))
    quads = sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    conn.send((status, connect_errno, quads))
    conn.close()


def _run_probe(port: int, release_dir: Path, start_thread: bool = False) -> tuple[object, ...]:
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(target=_probe, args=(child, port, str(release_dir), start_thread))
    process.start()
    child.close()
    try:
        if not parent.poll(60):
            raise AssertionError("the probe process did not answer")
        answer: tuple[object, ...] = parent.recv()
    finally:
        process.join(30)
    return answer


@pytest.fixture(scope="module")
def listener() -> Iterator[LoopbackListener]:
    server = LoopbackListener()
    yield server
    server.close()


@pytest.fixture(scope="module")
def isolation(release_dir: Path, listener: LoopbackListener) -> tuple[object, ...]:
    """What a fresh process saw after isolate_network(); skips where it is not permitted."""
    answer = _run_probe(listener.port, release_dir)
    status = answer[0]
    assert isinstance(status, SandboxStatus)
    if not status.isolated:
        pytest.skip(f"network namespaces are not permitted here: {status.detail}")
    return answer


def test_isolated_process_cannot_reach_loopback_but_reads_the_release(
    isolation: tuple[object, ...], listener: LoopbackListener, release_dir: Path
) -> None:
    before = listener.connections
    _status, connect_errno, quads = isolation
    assert connect_errno == errno.ENETUNREACH
    store = open_read_only(ReleaseInfo.load(release_dir))
    assert quads == sum(1 for _ in store.quads_for_pattern(None, None, None, None))
    assert quads > 0
    assert listener.connections == before


def test_a_threaded_process_is_refused_and_keeps_its_network(
    isolation: tuple[object, ...], release_dir: Path
) -> None:
    """The kernel gives a new user namespace to single-threaded processes only: the call says
    why and changes nothing, rather than raising or isolating one thread."""
    del isolation  # only for the skip: this machine permits namespaces
    own = LoopbackListener()  # its own: this test does connect
    try:
        status, connect_errno, _quads = _run_probe(own.port, release_dir, start_thread=True)
    finally:
        own.close()
    assert isinstance(status, SandboxStatus)
    assert not status.isolated
    assert "threads" in status.detail
    assert connect_errno == 0


def test_isolation_never_raises_off_linux(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    status = isolate_network()
    assert not status.isolated
    assert "Linux" in status.detail


# --------------------------------------------------------------------------- the worker pool


def _net_namespace(pid: int | str) -> int:
    return os.stat(f"/proc/{pid}/ns/net").st_ino


def _run_on_pool(
    settings: ServiceSettings, queries: dict[str, str]
) -> tuple[WorkerPool, dict[str, JobResult], list[int]]:
    """Start a pool and run each query on it directly (no guard): the pool (closed), the
    answers, and the network namespace of each worker."""
    pool = WorkerPool(settings)

    async def scenario() -> tuple[dict[str, JobResult], list[int]]:
        await pool.start()
        try:
            results = {name: await pool.run(QueryJob(q, "json")) for name, q in queries.items()}
            return results, [_net_namespace(pid) for pid in pool.pids()]
        finally:
            await pool.close()

    results, namespaces = asyncio.run(scenario())
    return pool, results, namespaces


def test_pool_workers_run_without_network_and_say_so(
    isolation: tuple[object, ...], settings: ServiceSettings, caplog: pytest.LogCaptureFixture
) -> None:
    del isolation
    caplog.set_level(logging.INFO, logger="vawmw.workers")
    pool, results, namespaces = _run_on_pool(settings, {"count": "ASK { ?s ?p ?o }"})
    assert pool.network_isolated
    assert results["count"].error is None
    assert json.loads(results["count"].body)["boolean"] is True
    assert len(namespaces) == settings.workers + settings.spare_workers  # one per process
    assert _net_namespace("self") not in namespaces
    notes = [r for r in caplog.records if r.name == "vawmw.workers" and "network" in r.message]
    assert [r.levelno for r in notes] == [logging.INFO]


def test_pool_warns_once_when_workers_keep_their_network(
    settings: ServiceSettings, caplog: pytest.LogCaptureFixture
) -> None:
    pool = WorkerPool(settings)
    caplog.set_level(logging.INFO, logger="vawmw.workers")
    pool._note_network(SandboxStatus(True, "new user and network namespaces"))
    for _ in range(3):  # e.g. respawned workers that could not isolate
        pool._note_network(SandboxStatus(False, "unshare failed: not permitted"))
    assert not pool.network_isolated
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        "query workers can reach the network: unshare failed: not permitted; "
        "SERVICE is refused by the query guard only"
    ]


def test_service_on_the_pool_reaches_nothing(
    isolation: tuple[object, ...], settings: ServiceSettings, listener: LoopbackListener
) -> None:
    """The root fix: straight to the workers, bypassing the guard, SERVICE makes no request.

    The forms the engine evaluates are answered as bad requests (SERVICE SILENT included, which
    would otherwise give an empty success); the others fail in the engine."""
    del isolation
    before = listener.connections
    url = listener.url + "internal"
    _pool, results, _namespaces = _run_on_pool(settings, _all_service_queries(url))
    assert listener.connections == before, "a query worker connected to the loopback listener"
    assert all(result.error is not None for result in results.values())
    for name in _constant_endpoint_queries(url):
        assert results[name].error == "bad_request", name
        assert SERVICE_REFUSED in results[name].message, name


def test_service_over_http_reaches_nothing(
    isolation: tuple[object, ...], settings: ServiceSettings, listener: LoopbackListener
) -> None:
    """The same queries through /sparql: refused by the guard (400) or by the worker (400);
    never an answer, never a 500, never a request to the listener."""
    del isolation
    before = listener.connections
    queries = _all_service_queries(listener.url + "internal")
    with live_server(settings) as base, httpx.Client(base_url=base, timeout=60) as client:
        statuses = {
            name: client.get("/sparql", params={"query": query}).status_code
            for name, query in queries.items()
        }
    assert listener.connections == before, "the service connected to the loopback listener"
    assert statuses == {name: 400 for name in queries}


# --------------------------------------------------------------------------- vawmw query


def _vawmw_query(release_dir: Path, query: str) -> subprocess.CompletedProcess[str]:
    release = str(release_dir)
    command = [sys.executable, "-m", "vawmw.cli", "query", "--release", release, "--format"]
    command += ["csv", query]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(REPO / "service"), str(REPO)))}
    return subprocess.run(
        command, cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False
    )


def test_vawmw_query_reaches_nothing(
    isolation: tuple[object, ...], release_dir: Path, listener: LoopbackListener
) -> None:
    del isolation
    before = listener.connections
    queries = _constant_endpoint_queries(listener.url + "internal")
    runs = {name: _vawmw_query(release_dir, query) for name, query in queries.items()}
    assert listener.connections == before, "vawmw query connected to the loopback listener"
    assert {name: (run.returncode, run.stdout) for name, run in runs.items()} == {
        name: (1, "") for name in queries
    }


def test_vawmw_query_still_reads_the_release(release_dir: Path) -> None:
    """After dropping its network, ``vawmw query`` still answers from the release's store."""
    done = _vawmw_query(release_dir, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
    assert done.returncode == 0, done.stderr
    store = open_read_only(ReleaseInfo.load(release_dir))
    iris = {
        term.value
        for quad in store.quads_for_pattern(None, None, None, None)
        for term in (quad.subject, quad.predicate)
        if isinstance(term, ox.NamedNode)
    }
    assert iris
    assert all(iri in done.stdout for iri in iris)
