"""Issue 16, case 30: liveness never reports down while the process serves.

The hostile run: 12 slow queries at a 2 s timeout, admitted together (per-client limits set
high for it, as if from 12 clients), so that both workers are killed and respawned at once.
Before the fix ``/health`` answered 503 for about a second. Here ``/health`` is polled all
through the storm and until the pool is whole again, five times over.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import pytest
from vawmw.settings import ServiceSettings

from tests.conftest import live_server
from tests.reliability.conftest import QUERY_TIMEOUT
from tests.reliability.support import CARTESIAN

Observe = Callable[[str], None]
ROUNDS = 5
SLOW_QUERIES = 12
WORKERS = 2


@dataclass
class Polls:
    """What the poller saw on /health and /health/ready."""

    health: list[int] = field(default_factory=list)
    alive: list[int] = field(default_factory=list)
    ready: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _poll(url: str, stop: threading.Event, polls: Polls) -> None:
    with httpx.Client(base_url=url, timeout=10) as http:
        while not stop.is_set():
            try:
                health = http.get("/health")
                polls.health.append(health.status_code)
                polls.alive.append(int(health.json()["workers_alive"]))
                polls.ready.append(http.get("/health/ready").status_code)
            except httpx.HTTPError as error:  # a refused or dropped poll is a failure too
                polls.errors.append(repr(error))
            time.sleep(0.02)


def _slow(url: str) -> int:
    return httpx.get(url + "/sparql", params={"query": CARTESIAN}, timeout=60).status_code


def _whole(url: str, timeout: float = 60.0) -> bool:
    """True once every worker and the spare are alive again (a bound on the wait only)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        document = httpx.get(url + "/health", timeout=10).json()
        if document["workers_alive"] == WORKERS and document["spares_ready"] >= 1:
            return True
        time.sleep(0.05)
    return False


def _storm(url: str) -> tuple[Polls, list[int]]:
    polls, stop = Polls(), threading.Event()
    poller = threading.Thread(target=_poll, args=(url, stop, polls), daemon=True)
    poller.start()
    try:
        with ThreadPoolExecutor(SLOW_QUERIES) as executor:
            statuses = list(executor.map(_slow, [url] * SLOW_QUERIES))
        assert _whole(url)
    finally:
        stop.set()
        poller.join(30)
    return polls, statuses


@pytest.mark.slow
@pytest.mark.reliability(30)
def test_health_stays_200_while_timed_out_workers_respawn(
    synthetic_settings: ServiceSettings, observe: Observe
) -> None:
    limits = {
        "workers": WORKERS,
        "query_timeout": QUERY_TIMEOUT,
        "client_max_running": WORKERS,  # one test client stands for many: both workers run it
        "client_max_waiting": SLOW_QUERIES,
        "client_query_seconds": 10_000.0,
    }
    seen = Polls()
    timeouts = 0
    with live_server(synthetic_settings, **limits) as url:
        for _ in range(ROUNDS):
            polls, statuses = _storm(url)
            assert set(statuses) <= {503}  # every slow query was stopped, none refused otherwise
            timeouts += len(statuses)
            seen.health += polls.health
            seen.alive += polls.alive
            seen.ready += polls.ready
            seen.errors += polls.errors
        assert httpx.get(url + "/health/ready", timeout=10).status_code == 200
    assert not seen.errors
    assert seen.health and set(seen.health) == {200}
    # The warm spare: kills at the timeout never left the pool without a live worker.
    assert min(seen.alive) >= 1
    not_ready = seen.ready.count(503)
    observe(
        f"{ROUNDS} rounds of {SLOW_QUERIES} slow queries ({timeouts} stopped at {QUERY_TIMEOUT:g} s):"
        f" /health 200 in {len(seen.health)}/{len(seen.health)} polls, live workers never below"
        f" {min(seen.alive)}; /health/ready 503 in {not_ready} of {len(seen.ready)} polls"
    )
