"""Issue 16: with ``--backend``, readiness probes the store; a query past our timeout stops there.

* Liveness does not depend on the store (restarting this process would not bring a store
  back); readiness does: a cheap ``ASK {}`` with a short timeout, cached for a second.
* After our timeout the backend closes its connection to the store. Virtuoso then stops the
  query (measured: its CPU use falls to nothing within a few seconds); Oxigraph server does not
  (README, "External stores": it runs the query to its end, its ``--timeout-s`` included).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
from vawmw.remote import loader
from vawmw.settings import ServiceSettings
from vawmw.testing.processes import cpu_seconds
from vawmw.testing.service import refused_port
from vawmw.testing.stores import StoreServer

from tests.conftest import live_server
from tests.helpers_release import BULK, write_release

pytest_plugins = ["tests.stores"]

# A count over a cartesian product: Virtuoso accepts it (a FILTER makes its cost estimate
# refuse it at once, over its MaxQueryCostEstimationTime) and runs it far past our timeout.
SLOW = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{BULK}value> ?x . ?b <{BULK}value> ?y ."
    f" ?c <{BULK}value> ?z }}"
)


def test_a_store_that_does_not_answer_is_not_ready_but_the_process_is_live(
    settings: ServiceSettings,
) -> None:
    with (
        refused_port() as port,
        live_server(settings, backend_url=f"http://127.0.0.1:{port}/sparql") as url,
    ):
        health = httpx.get(url + "/health", timeout=10)
        assert health.status_code == 200
        assert health.json()["status"] == "ok"
        ready = httpx.get(url + "/health/ready", timeout=10)
        assert ready.status_code == 503
        assert "unreachable" in ready.json()["detail"]
        assert ready.headers["retry-after"] == str(settings.retry_after)
        assert ready.headers["cache-control"] == "no-store"


def test_a_store_that_answers_is_ready(
    settings: ServiceSettings, oxigraph_server: StoreServer
) -> None:
    with live_server(settings, backend_url=oxigraph_server.query_endpoint) as url:
        ready = httpx.get(url + "/health/ready", timeout=10)
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ready"


def _idle(pid: int, bound: float = 30.0) -> bool:
    """True once ``pid`` uses (almost) no CPU over a whole second; False after ``bound`` s."""
    deadline = time.monotonic() + bound
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1.0)
        if cpu_seconds(pid) - before < 0.05:
            return True
    return False


@pytest.mark.slow
def test_virtuoso_stops_a_query_we_gave_up_on(
    settings: ServiceSettings,
    virtuoso: StoreServer,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    release = tmp_path / "dist"
    write_release(release, bulk=1000)
    loader.load_release(release, virtuoso.target(), timeout=120)
    assert _idle(virtuoso.pid)  # nothing else runs on it now
    options = {"backend_url": virtuoso.query_endpoint, "release_dir": release, "query_timeout": 3.0}
    with live_server(settings, **options) as url:
        before = cpu_seconds(virtuoso.pid)
        answer = httpx.get(url + "/sparql", params={"query": SLOW}, timeout=60)
        assert answer.status_code == 503, answer.text  # our timeout
        assert "retry-after" not in answer.headers
        used = cpu_seconds(virtuoso.pid) - before
        assert used > 0.5  # the store was running it
    # The connection was closed at our timeout; Virtuoso noticed and stopped the query (its own
    # limit, MaxQueryExecutionTime, is 60 s: longer than this wait).
    assert _idle(virtuoso.pid)
    observed = (
        f"Virtuoso: 503 at our 3 s timeout after {used:.1f} s of store CPU;"
        " the store idle again once the connection closed"
    )
    request.node.user_properties.append(("observed", observed))
