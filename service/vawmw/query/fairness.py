"""Per-client fairness for the query pool, after the Wikidata Query Service's throttling.

Every job is run for a *client*: the peer address of the connection, or the ``X-Forwarded-For``
entry a trusted proxy wrote (uvicorn's proxy-headers middleware resolves it, and only for the
peers in ``settings.trusted_proxies``). IPv4 addresses count one by one, IPv6 addresses by
their /64, since one host usually holds a whole /64.

:class:`FairScheduler` admits jobs to ``capacity`` slots (the workers):

* a client has at most ``running`` jobs running; its further jobs wait, at most ``waiting``
  of them; beyond that :class:`ClientOverLimit` (429);
* a client has a budget of query time, ``query_seconds`` per ``window_seconds``, kept as a
  token bucket that refills continuously; the time its jobs ran is taken from it when they
  end. A client whose bucket is empty gets :class:`ClientOverLimit` (429) with the seconds
  until it refills as ``Retry-After``;
* at most ``max_waiting`` jobs wait in all (else :class:`PoolBusy`, 503), each for at most
  its ``timeout``;
* when a slot frees, waiting clients are served round-robin — one job per client per turn —
  so a client with many queued jobs does not push another client's single job back.

The per-client table forgets clients that have nothing running or waiting and a full bucket.
"""

from __future__ import annotations

import asyncio
import ipaddress
import math
import time
from collections import deque
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Final

from vawmw.query.errors import ClientOverLimit, PoolBusy
from vawmw.settings import ServiceSettings

__all__ = ["CLIENT", "ClientLimits", "FairScheduler", "client_key"]

# The client of the request being served; set per request by vawmw.web.budget.BoundedAnswers.
CLIENT: ContextVar[str] = ContextVar("vawmw_client", default="-")
_FORGET_AT: Final = 1024


def client_key(host: str | None) -> str:
    """The fairness key of a client address: IPv4 as is, IPv6 by its /64."""
    if not host:
        return "-"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]  # not an IP (a unix socket path): as given, bounded
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


@dataclass(frozen=True)
class ClientLimits:
    """What one client may use: jobs running and waiting, query seconds per window."""

    running: int
    waiting: int
    query_seconds: float
    window_seconds: float

    def __post_init__(self) -> None:
        if self.running < 1 or self.waiting < 0:
            raise ValueError("a client needs at least one running job and no negative queue")
        if self.query_seconds <= 0 or self.window_seconds <= 0:
            raise ValueError("the query-time budget and its window must be positive")

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> ClientLimits:
        return cls(
            running=settings.client_running_limit,
            waiting=settings.client_max_waiting,
            query_seconds=settings.client_query_seconds,
            window_seconds=settings.client_window_seconds,
        )

    @property
    def refill_rate(self) -> float:
        """Query seconds regained per second."""
        return self.query_seconds / self.window_seconds


@dataclass(eq=False)
class _Client:
    tokens: float
    stamp: float
    running: int = 0
    in_turn: bool = False  # listed in FairScheduler._turns
    waiting: deque[asyncio.Future[None]] = field(default_factory=deque)


class FairScheduler:
    """Admission of jobs to ``capacity`` slots, fair between clients (see the module)."""

    def __init__(
        self,
        capacity: int,
        max_waiting: int,
        limits: ClientLimits,
        retry_after: int,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.capacity = capacity
        self.max_waiting = max_waiting
        self.limits = limits
        self.retry_after = retry_after
        self._clock = clock
        self._clients: dict[str, _Client] = {}
        self._turns: deque[str] = deque()  # clients with waiting jobs, in serving order
        self._running = 0
        self._waiting = 0
        self._forget_at = _FORGET_AT

    @classmethod
    def from_settings(cls, settings: ServiceSettings, capacity: int) -> FairScheduler:
        return cls(
            capacity,
            settings.wait_queue_size,
            ClientLimits.from_settings(settings),
            settings.retry_after,
        )

    @property
    def running(self) -> int:
        return self._running

    @property
    def waiting(self) -> int:
        return self._waiting

    def clients(self) -> int:
        """Clients in the table now (for tests and monitoring)."""
        return len(self._clients)

    async def acquire(self, client: str, timeout: float) -> None:
        """Wait for a slot for ``client`` (at most ``timeout`` s); pair with :meth:`release`."""
        state = self._client(client)
        self._check_budget(state)
        if state.running < self.limits.running and self._running < self.capacity:
            self._admit(state)
            return
        if len(state.waiting) >= self.limits.waiting:
            raise ClientOverLimit(
                f"this client already has {state.running} queries running and "
                f"{len(state.waiting)} waiting, the most one client may have; wait for them",
                retry_after=self.retry_after,
            )
        if self._waiting >= self.max_waiting:
            raise PoolBusy("all query workers are busy and the wait queue is full")
        await self._wait(client, state, timeout)

    def release(self, client: str, seconds: float) -> None:
        """The job of ``client`` ended after running ``seconds``: charge them, free its slot."""
        state = self._clients.get(client)
        if state is None:
            return
        self._refill(state)
        state.tokens -= max(seconds, 0.0)
        self._finish(state)

    # -- internals ---------------------------------------------------------------------------

    def _client(self, client: str) -> _Client:
        state = self._clients.get(client)
        if state is None:
            if len(self._clients) >= self._forget_at:
                self._forget_idle()
            state = _Client(tokens=self.limits.query_seconds, stamp=self._clock())
            self._clients[client] = state
        return state

    def _refill(self, state: _Client) -> None:
        now = self._clock()
        gained = (now - state.stamp) * self.limits.refill_rate
        state.tokens = min(self.limits.query_seconds, state.tokens + gained)
        state.stamp = now

    def _check_budget(self, state: _Client) -> None:
        self._refill(state)
        if state.tokens > 0:
            return
        seconds = max(1, math.ceil(-state.tokens / self.limits.refill_rate))
        raise ClientOverLimit(
            f"this client has used its {self.limits.query_seconds:g} s of query time per "
            f"{self.limits.window_seconds:g} s; retry after {seconds} s",
            retry_after=seconds,
        )

    def _admit(self, state: _Client) -> None:
        state.running += 1
        self._running += 1

    def _finish(self, state: _Client) -> None:
        state.running -= 1
        self._running -= 1
        self._dispatch()

    async def _wait(self, client: str, state: _Client, timeout: float) -> None:
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        state.waiting.append(ticket)
        self._waiting += 1
        if not state.in_turn:
            state.in_turn = True
            self._turns.append(client)
        admitted = False
        try:
            async with asyncio.timeout(timeout):
                await ticket
            admitted = True
        except TimeoutError as error:
            raise PoolBusy("no query worker became free in time") from error
        finally:
            if not admitted:
                self._withdraw(state, ticket)

    def _withdraw(self, state: _Client, ticket: asyncio.Future[None]) -> None:
        """A waiting job leaves (timeout, cancellation), perhaps just after it was admitted."""
        if ticket.done() and not ticket.cancelled():
            self._finish(state)  # admitted in the same instant: give the slot back
            return
        ticket.cancel()
        try:
            state.waiting.remove(ticket)
        except ValueError:
            return  # already taken off by _dispatch
        self._waiting -= 1

    def _dispatch(self) -> None:
        """Give free slots to waiting jobs, one client per turn, in round-robin order."""
        skipped = 0  # clients passed over in a row because they are at their running limit
        while self._running < self.capacity and skipped < len(self._turns):
            name = self._turns.popleft()
            state = self._clients.get(name)
            if state is None or not state.waiting:  # its jobs left while waiting
                if state is not None:
                    state.in_turn = False
                continue
            if state.running >= self.limits.running:
                self._turns.append(name)
                skipped += 1
                continue
            ticket = state.waiting.popleft()
            self._waiting -= 1
            if state.waiting:
                self._turns.append(name)  # its next job waits for its next turn
            else:
                state.in_turn = False
            if ticket.done():  # cancelled while waiting; its owner is leaving
                continue
            self._admit(state)
            ticket.set_result(None)
            skipped = 0

    def _forget_idle(self) -> None:
        for name, state in list(self._clients.items()):
            if state.running or state.waiting or state.in_turn:
                continue
            self._refill(state)
            if state.tokens >= self.limits.query_seconds:
                del self._clients[name]
        self._forget_at = max(_FORGET_AT, 2 * len(self._clients))
