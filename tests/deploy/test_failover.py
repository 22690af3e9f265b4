"""Issue 16: replicas behind nginx with failover (deploy/run-nginx).

Three ``vawmw serve`` replicas of one release, nginx in front (passive health checks,
``proxy_next_upstream`` for idempotent requests, ``X-Forwarded-For $remote_addr``; the replicas
trust it from 127.0.0.1 only). A bounded load of GET queries, 20 s at concurrency 8, runs through
nginx; half-way one replica's process group is SIGKILLed. Not one request may fail: nginx
retries what the dead replica dropped on another. The replica is then restarted on its port and
must take traffic again.

Per-client limits are set explicitly: all the load comes from one address (127.0.0.1, which
nginx forwards), so the defaults (one running query per client) would refuse most of it with
429. The figures (requests, failures, requests per second) are recorded in the JUnit XML
("observed") for RELIABILITY.md and printed.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from vawmw.testing.replicas import Replica, running_nginx

from tests.conftest import REPO

pytestmark = pytest.mark.slow

RUN_NGINX = REPO / "deploy" / "run-nginx"
NGINX_MODULE = Path("/usr/lib/nginx/modules/ngx_http_js_module.so")
REPLICAS = 3
CONCURRENCY = 8
SECONDS = 20.0
LIMITS = (
    "--workers",
    "2",
    "--trusted-proxy",
    "127.0.0.1",
    "--client-max-running",
    "2",
    "--client-max-waiting",
    "32",
    "--client-query-seconds",
    "100000",
)
QUERIES = (
    "SELECT ?state ?label WHERE { ?state a vawmw:ReportingState ; rdfs:label ?label }",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s a vawmw:Recommendation }",
    'ASK { ?s vawmw:hasIsoAlpha3Code "PHL" }',
    "SELECT ?i ?label WHERE { ?i a vawmw:Instrument ; rdfs:label ?label } LIMIT 20",
)


@dataclass
class Load:
    """What the load saw: statuses (or error names) with the time each request ended."""

    outcomes: list[tuple[float, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, outcome: str) -> None:
        with self.lock:
            self.outcomes.append((time.monotonic(), outcome))

    def failures(self) -> Counter[str]:
        return Counter(outcome for _, outcome in self.outcomes if outcome != "200")


def _client_loop(url: str, until: float, load: Load, offset: int) -> None:
    with httpx.Client(base_url=url, timeout=30) as http:
        turn = offset
        while time.monotonic() < until:
            query = QUERIES[turn % len(QUERIES)]
            turn += 1
            try:
                response = http.get("/sparql", params={"query": query})
                load.record(str(response.status_code))
            except httpx.HTTPError as error:
                load.record(type(error).__name__)


def _start_load(url: str, seconds: float, load: Load) -> list[Future[None]]:
    """``CONCURRENCY`` clients sending queries for ``seconds``, in the background."""
    until = time.monotonic() + seconds
    executor = ThreadPoolExecutor(CONCURRENCY)
    futures = [executor.submit(_client_loop, url, until, load, i) for i in range(CONCURRENCY)]
    executor.shutdown(wait=False)  # returns at once; the clients stop at ``until``
    return futures


def _run_load(url: str, seconds: float, load: Load) -> None:
    for future in _start_load(url, seconds, load):
        future.result()


@pytest.fixture
def replicas(documented_release: Path, tmp_path: Path) -> Iterator[list[Replica]]:
    if not (os.access(RUN_NGINX, os.X_OK) and NGINX_MODULE.is_file() and shutil.which("nginx")):
        pytest.skip("deploy/run-nginx, nginx or its njs module is missing (.ci/install-nginx)")
    root = tmp_path / "root"  # no sources: the replicas serve the release as it is
    root.mkdir()
    started = [
        Replica(documented_release, LIMITS, root, tmp_path / f"replica-{n}.log")
        for n in range(REPLICAS)
    ]
    try:
        for replica in started:
            replica.start()
        yield started
    finally:
        for replica in started:
            replica.stop()


def test_killing_a_replica_under_load_fails_no_request(
    replicas: list[Replica],
    documented_release: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    upstreams = [replica.url for replica in replicas]
    with running_nginx(RUN_NGINX, documented_release, upstreams, tmp_path / "nginx.log") as url:
        load = Load()
        began = time.monotonic()
        clients = _start_load(url, SECONDS, load)
        time.sleep(max(0.0, began + SECONDS / 2 - time.monotonic()))
        victim = replicas[1]
        before_kill = victim.requests_logged()
        victim.kill()
        killed_at = time.monotonic()
        for client in clients:
            client.result()
        requests = len(load.outcomes)
        failures = load.failures()
        after_kill = sum(1 for at, _ in load.outcomes if at > killed_at)
        assert before_kill > 0  # it took traffic before
        assert after_kill > 0  # the load went on after the kill
        assert not failures, f"{sum(failures.values())} of {requests} failed: {failures}"
        # nginx did meet the dead replica (refused or dropped connections) and went elsewhere.
        nginx_log = (tmp_path / "nginx.log").read_text(encoding="utf-8", errors="replace")
        victim_address = victim.url.removeprefix("http://")
        retried = sum(
            1 for line in nginx_log.splitlines() if "[error]" in line and victim_address in line
        )
        assert retried > 0

        # Restarted on its port, it takes traffic again (nginx retries it after fail_timeout).
        victim.start()
        served_before = victim.requests_logged()
        second = Load()
        deadline = time.monotonic() + 60
        while victim.requests_logged() == served_before and time.monotonic() < deadline:
            _run_load(url, 3.0, second)
        assert victim.requests_logged() > served_before
        assert not second.failures()
    rate = requests / SECONDS
    figures = (
        f"{REPLICAS} replicas behind nginx, GET queries at c={CONCURRENCY} for {SECONDS:g} s, one"
        f" replica SIGKILLed at {SECONDS / 2:g} s: {requests} requests, 0 failed"
        f" ({retried} dropped or refused by the dead replica, retried by nginx),"
        f" {rate:.0f} req/s; restarted, it served"
        f" {victim.requests_logged() - served_before} requests again"
    )
    request.node.user_properties.append(("observed", figures))
    print(figures)
