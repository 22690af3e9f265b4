"""The killable worker pool: time limits, crashed workers and overload, on a real server.

A worker is killed once it is seen running the query (its CPU time grows: an idle worker
blocks in a read), never after a guessed sleep.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from vawmw.settings import ServiceSettings
from vawmw.testing.processes import wait_until_busy, wait_until_gone

from tests.conftest import live_server
from tests.helpers_release import BULK, write_release
from tests.reliability.support import query_worker_pids, wait_for_workers

SLOW = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{BULK}value> ?x . ?b <{BULK}value> ?y ."
    f" ?c <{BULK}value> ?z . FILTER(?x + ?y + ?z = -1) }}"
)
FAST = "ASK { ?s ?p ?o }"


@pytest.fixture(scope="module")
def bulk_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("bulk") / "dist"
    write_release(directory, bulk=3000)
    return directory


@pytest.fixture(scope="module")
def bulk_settings(bulk_release: Path, queries_dir: Path) -> ServiceSettings:
    return ServiceSettings(release_dir=bulk_release, queries_dir=queries_dir, retry_after=2)


def _query(url: str, query: str, timeout: float = 60) -> httpx.Response:
    return httpx.get(url + "/sparql", params={"query": query}, timeout=timeout)


@pytest.fixture(scope="module")
def timeout_server(bulk_settings: ServiceSettings) -> Iterator[str]:
    with live_server(bulk_settings, workers=2, query_timeout=1.0) as url:
        yield url


def test_slow_query_is_killed_with_503(timeout_server: str) -> None:
    before = query_worker_pids()
    response = _query(timeout_server, SLOW)
    assert response.status_code == 503
    # The same query would time out again: no Retry-After, but how to make it cheaper.
    assert "retry-after" not in response.headers
    assert "stopped" in response.text
    assert "LIMIT" in response.text
    assert _query(timeout_server, FAST).status_code == 200
    wait_for_workers(timeout_server, 2)
    assert query_worker_pids() != before  # one worker was replaced


def test_repeated_timeouts_do_not_exhaust_the_pool(timeout_server: str) -> None:
    for _ in range(3):
        assert _query(timeout_server, SLOW).status_code == 503
    assert _query(timeout_server, FAST).status_code == 200
    wait_for_workers(timeout_server, 2)


def test_worker_killed_mid_query(bulk_settings: ServiceSettings) -> None:
    before = query_worker_pids()
    # No spare: the test counts the processes of a pool of one.
    with live_server(bulk_settings, workers=1, spare_workers=0, query_timeout=60.0) as url:
        workers = query_worker_pids() - before
        assert len(workers) == 1
        (worker,) = workers
        with ThreadPoolExecutor(1) as executor:
            future = executor.submit(_query, url, SLOW)
            wait_until_busy(worker)  # the query is running on it
            os.kill(worker, signal.SIGKILL)
            response = future.result(timeout=60)
        # A crash, not the 60 s timeout: that would be a 503 without Retry-After.
        assert response.status_code == 503
        assert "retry-after" in response.headers
        assert "stopped unexpectedly" in response.text
        wait_for_workers(url, 1)
        assert _query(url, FAST).status_code == 200
        assert not (query_worker_pids() & workers)


def test_idle_worker_killed_is_replaced(bulk_settings: ServiceSettings) -> None:
    before = query_worker_pids()
    with live_server(bulk_settings, workers=1, spare_workers=0) as url:
        (worker,) = query_worker_pids() - before
        os.kill(worker, signal.SIGKILL)
        wait_until_gone(worker)  # dead while idle, before the next query asks for it
        assert _query(url, FAST).status_code == 200
        wait_for_workers(url, 1)
        assert worker not in query_worker_pids()


def test_overload_is_refused_with_retry_after(bulk_settings: ServiceSettings) -> None:
    with live_server(bulk_settings, workers=1, queue_size=1, query_timeout=3.0) as url:
        with ThreadPoolExecutor(6) as executor:
            futures = [executor.submit(_query, url, SLOW) for _ in range(6)]
            responses = [f.result(timeout=60) for f in futures]
        statuses = [r.status_code for r in responses]
        assert set(statuses) == {503}
        busy = [r for r in responses if "busy" in r.text]
        assert len(busy) >= 3  # one runs, one waits, the others are refused at once
        assert all(r.headers.get("retry-after") == "2" for r in busy)
        stopped = [r for r in responses if "busy" not in r.text]
        assert all("retry-after" not in r.headers for r in stopped)  # timed out: no retry
        wait_for_workers(url, 1)
        assert _query(url, FAST).status_code == 200
