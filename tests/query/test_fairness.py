"""Per-client fairness: limits on running and waiting queries, a query-time budget, round-robin.

The scheduler is tested directly (deterministic: asyncio tasks and a fake clock); the service
end to end with two loopback source addresses, 127.0.0.1 and 127.0.0.2. While one floods with
slow queries, the other's cheap queries keep being answered and the flooder gets 429. The
client is the peer address: an ``X-Forwarded-For`` from a peer that is not a trusted proxy is
ignored (so rotating it does not escape the limits), and believed from a trusted one.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from vawmw.query.errors import ClientOverLimit, PoolBusy
from vawmw.query.fairness import ClientLimits, FairScheduler, client_key
from vawmw.settings import ServiceSettings

from tests.conftest import live_server
from tests.helpers_release import BULK, write_release

SLOW = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{BULK}value> ?x . ?b <{BULK}value> ?y ."
    f" ?c <{BULK}value> ?z . FILTER(?x + ?y + ?z = -1) }}"
)  # runs far past a 1 s timeout over 3,000 values
CHEAP = "ASK { ?s ?p ?o }"
OTHER = "127.0.0.2"


# --------------------------------------------------------------------------- the scheduler


def _limits(running: int = 1, waiting: int = 10, seconds: float = 1000.0) -> ClientLimits:
    return ClientLimits(running=running, waiting=waiting, query_seconds=seconds, window_seconds=10)


async def _until_waiting(scheduler: FairScheduler, count: int) -> None:
    """Let the other tasks run until ``count`` jobs wait (a bounded number of turns)."""
    for _ in range(1000):
        if scheduler.waiting == count:
            return
        await asyncio.sleep(0)  # a turn of the event loop, not a wait
    raise AssertionError(f"{scheduler.waiting} jobs wait, not {count}")


def test_waiting_clients_are_served_round_robin() -> None:
    """A has three jobs waiting, B and C one each: B and C do not wait behind all of A's."""

    async def scenario() -> list[str]:
        scheduler = FairScheduler(1, 100, _limits(), retry_after=5)
        served: list[str] = []
        await scheduler.acquire("A", 10)  # A's first job holds the only slot

        async def job(client: str, name: str) -> None:
            await scheduler.acquire(client, 10)
            served.append(name)
            scheduler.release(client, 0.0)

        tasks: list[asyncio.Task[None]] = []
        for client, name in [("A", "A2"), ("A", "A3"), ("A", "A4"), ("B", "B1"), ("C", "C1")]:
            tasks.append(asyncio.create_task(job(client, name)))
            await _until_waiting(scheduler, len(tasks))  # queued in this order
        scheduler.release("A", 0.0)
        await asyncio.gather(*tasks)
        return served

    # FIFO over all requests would give A2 A3 A4 B1 C1.
    assert asyncio.run(scenario()) == ["A2", "B1", "C1", "A3", "A4"]


def test_a_client_over_its_share_gets_429_and_a_full_queue_503() -> None:
    async def scenario() -> None:
        scheduler = FairScheduler(2, 2, _limits(running=1, waiting=1), retry_after=7)
        await scheduler.acquire("A", 10)  # A runs
        waiting = asyncio.create_task(scheduler.acquire("A", 10))  # A waits (its own limit)
        await _until_waiting(scheduler, 1)
        with pytest.raises(ClientOverLimit) as over:
            await scheduler.acquire("A", 10)
        assert (over.value.status, over.value.retry, over.value.retry_after) == (429, True, 7)
        await scheduler.acquire("B", 10)  # B takes the second slot though A waits
        others = asyncio.create_task(scheduler.acquire("C", 10))
        await _until_waiting(scheduler, 2)
        with pytest.raises(PoolBusy) as busy:  # the shared queue (2) is full
            await scheduler.acquire("D", 10)
        assert (busy.value.status, busy.value.retry) == (503, True)
        scheduler.release("A", 0.0)
        scheduler.release("B", 0.0)
        await asyncio.gather(waiting, others)
        assert (scheduler.running, scheduler.waiting) == (2, 0)

    asyncio.run(scenario())


def test_a_wait_that_times_out_gives_its_place_back() -> None:
    async def scenario() -> None:
        scheduler = FairScheduler(1, 10, _limits(), retry_after=5)
        await scheduler.acquire("A", 10)
        with pytest.raises(PoolBusy, match="in time"):
            await scheduler.acquire("B", 0.01)
        assert scheduler.waiting == 0
        scheduler.release("A", 0.0)
        await scheduler.acquire("B", 10)  # nothing stale holds the slot
        assert scheduler.running == 1

    asyncio.run(scenario())


def test_query_time_budget_refills_over_its_window() -> None:
    """10 s per 100 s: after a 15 s query the client owes 5 s, i.e. 50 s of refill."""
    now = [0.0]
    limits = ClientLimits(running=2, waiting=2, query_seconds=10, window_seconds=100)

    async def scenario() -> None:
        scheduler = FairScheduler(2, 4, limits, retry_after=5, clock=lambda: now[0])
        await scheduler.acquire("A", 10)
        scheduler.release("A", 15.0)
        with pytest.raises(ClientOverLimit) as over:
            await scheduler.acquire("A", 10)
        assert over.value.status == 429
        assert over.value.retry_after == 50
        await scheduler.acquire("B", 10)  # another client is not affected
        now[0] = 50.5  # refilled past zero
        await scheduler.acquire("A", 10)

    asyncio.run(scenario())


def test_idle_clients_are_forgotten() -> None:
    async def scenario() -> int:
        scheduler = FairScheduler(1, 10, _limits(), retry_after=5)
        for number in range(5000):
            client = f"10.0.{number // 256}.{number % 256}"
            await scheduler.acquire(client, 10)
            scheduler.release(client, 0.0)
        return scheduler.clients()

    assert asyncio.run(scenario()) <= 2048  # not one entry per client ever seen


def test_client_key_groups_an_ipv6_64() -> None:
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::2")
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("127.0.0.1") != client_key("127.0.0.2")
    assert client_key("::ffff:10.1.2.3") == "10.1.2.3"


# --------------------------------------------------------------------------- the service


@pytest.fixture(scope="module")
def bulk_settings(tmp_path_factory: pytest.TempPathFactory, queries_dir: Path) -> ServiceSettings:
    directory = tmp_path_factory.mktemp("fair") / "dist"
    write_release(directory, bulk=3000)
    return ServiceSettings(release_dir=directory, queries_dir=queries_dir, retry_after=2)


def _client(local_address: str = "127.0.0.1") -> httpx.Client:
    transport = httpx.HTTPTransport(local_address=local_address)
    return httpx.Client(transport=transport, timeout=60)


class Flood:
    """``threads`` clients on 127.0.0.1, each sending up to ``attempts`` SLOW queries in a row
    until stopped."""

    def __init__(
        self,
        url: str,
        threads: int,
        headers: Callable[[int], dict[str, str]],
        attempts: int = 40,
    ) -> None:
        self.url = url
        self.attempts = attempts
        self.statuses: list[int] = []
        self.retry_after: list[str | None] = []
        self.refused = threading.Event()  # set at the first 429
        self._stop = threading.Event()
        self._headers = headers
        self._pool = ThreadPoolExecutor(threads)
        self._futures = [self._pool.submit(self._run, n) for n in range(threads)]

    def _run(self, thread: int) -> None:
        with _client() as http:
            for attempt in range(self.attempts):
                if self._stop.is_set():
                    return
                response = http.get(
                    self.url + "/sparql",
                    params={"query": SLOW},
                    headers=self._headers(thread * 100 + attempt),
                )
                self.statuses.append(response.status_code)
                if response.status_code == 429:
                    self.retry_after.append(response.headers.get("retry-after"))
                    self.refused.set()

    def stop(self) -> None:
        self._stop.set()
        self.join()

    def join(self) -> None:
        for future in self._futures:
            future.result(timeout=120)
        self._pool.shutdown()


@pytest.fixture
def flood_server(bulk_settings: ServiceSettings) -> Iterator[str]:
    with live_server(bulk_settings, workers=2, query_timeout=1.0) as url:
        yield url


def test_a_flooding_client_gets_429_while_another_is_served(flood_server: str) -> None:
    flood = Flood(flood_server, threads=8, headers=lambda _: {})
    try:
        # 8 at once from one address: 1 runs and 4 wait (its share), the rest are refused.
        assert flood.refused.wait(60), f"the flooder was never refused: {flood.statuses}"
        with _client(OTHER) as other:
            answers = [
                other.get(flood_server + "/sparql", params={"query": CHEAP}) for _ in range(20)
            ]
    finally:
        flood.stop()
    assert [a.status_code for a in answers] == [200] * 20
    assert all(a.json()["boolean"] is True for a in answers)
    assert 429 in flood.statuses
    assert set(flood.retry_after) == {"2"}  # the service's Retry-After for a busy client


def test_a_spent_query_time_budget_gives_429_with_the_refill_time(
    bulk_settings: ServiceSettings,
) -> None:
    with (
        live_server(bulk_settings, workers=2, query_timeout=1.0, client_query_seconds=0.5) as url,
        _client() as spender,
        _client(OTHER) as other,
    ):
        stopped = spender.get(url + "/sparql", params={"query": SLOW})
        assert stopped.status_code == 503  # ran 1 s (over its 0.5 s) and was stopped
        assert "retry-after" not in stopped.headers
        refused = spender.get(url + "/sparql", params={"query": CHEAP})
        served = other.get(url + "/sparql", params={"query": CHEAP})
    assert refused.status_code == 429
    # It overspent by at least 1 s - 0.5 s, refilled at 0.5 s per 60 s: 60 s or a bit more.
    assert 60 <= int(refused.headers["retry-after"]) <= 120
    assert "query time" in refused.text
    assert served.status_code == 200


def test_spoofed_forwarded_for_does_not_escape_the_limits(flood_server: str) -> None:
    """Each request claims another client in X-Forwarded-For: ignored, the peer is the client."""
    flood = Flood(flood_server, threads=8, headers=lambda n: {"X-Forwarded-For": f"10.9.0.{n}"})
    try:
        assert flood.refused.wait(60), f"spoofed addresses escaped the limit: {flood.statuses}"
    finally:
        flood.stop()


def test_forwarded_for_from_a_trusted_proxy_names_the_client(
    bulk_settings: ServiceSettings,
) -> None:
    """The control: from a trusted proxy the same requests are different clients."""
    with live_server(
        bulk_settings, workers=2, query_timeout=1.0, trusted_proxies=("127.0.0.1",)
    ) as url:
        flood = Flood(
            url, threads=6, headers=lambda n: {"X-Forwarded-For": f"10.9.0.{n}"}, attempts=2
        )
        flood.join()
    assert 429 not in flood.statuses
    assert set(flood.statuses) <= {503}  # stopped at the timeout, or the shared queue
