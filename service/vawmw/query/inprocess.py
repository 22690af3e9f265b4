"""Jobs that provably cannot run long, answered in the HTTP process itself; the rest go on.

:class:`InProcessRunner` wraps the worker pool (any :class:`~vawmw.query.runner.JobRunner`).
A job whose work is bounded by at most :data:`INLINE_LIMIT` quads
(:func:`vawmw.query.bounded.job_bound`: a group of triple patterns each with a constant
subject or object, such as every triple of one resource) is evaluated right there, on the
event loop: it takes a fraction of a millisecond, less than the hop to a worker process
(pickling, a pipe, a thread waiting on it) or even to a thread. Every other job goes to the
pool, whose workers can be killed at the time limit. Measured (BENCHMARKS.md): a point lookup
costs 0.9 ms of CPU in all this way, against 1.5 ms through the pool and 1.2 ms on a thread of
this process; descriptions (up to tens of thousands of quads read in Python) cost more on a
thread here than in a worker, so they stay on the pool.

The same code answers both ways (:func:`vawmw.query.engine.run_job` on the store that
:func:`vawmw.query.worker.open_dataset` opens), so the answers are identical, cut at the same
row and byte caps. Fairness holds here too: a :class:`~vawmw.query.fairness.FairScheduler`
with the service's per-client limits admits the in-process jobs and charges their time to the
client's budget (kept apart from the pool's).

The runner is only built for a process that has no network (the HTTP process moved into an
empty network namespace before it opened the store: :mod:`vawmw.web.serving`), since pyoxigraph
would fetch a ``SERVICE`` itself. The bounded subset has no ``SERVICE``, and the namespace
makes sure of it.
"""

from __future__ import annotations

import asyncio
from typing import Final

import pyoxigraph as ox

from vawmw.query.bounded import Degrees, job_bound, measure_degrees
from vawmw.query.engine import run_job
from vawmw.query.errors import CHEAPER, QueryTooCostly
from vawmw.query.fairness import CLIENT, FairScheduler
from vawmw.query.jobs import Job, JobResult
from vawmw.query.runner import JobRunner, Readiness
from vawmw.query.worker import open_dataset
from vawmw.settings import ServiceSettings

__all__ = ["INLINE_LIMIT", "InProcessRunner"]

# Quads a job may provably read and still run on the event loop: at about a million index
# entries a second, at most a millisecond or two (a point lookup here reads 14 to 74).
INLINE_LIMIT: Final = 1_000


class InProcessRunner:
    """Answers bounded jobs in this process over its own read-only store; others via ``inner``."""

    def __init__(
        self, settings: ServiceSettings, inner: JobRunner, *, work_limit: int = INLINE_LIMIT
    ) -> None:
        self.settings = settings
        self.inner = inner
        self.work_limit = work_limit
        # One slot: a job runs to its end on the event loop, so none ever waits for another.
        self._scheduler = FairScheduler.from_settings(settings, 1)
        self._store: ox.Store | None = None
        self.degrees: Degrees | None = None
        self.answered = 0  # jobs answered here (for tests and monitoring)

    @property
    def alive(self) -> int:
        return self.inner.alive

    @property
    def waiting(self) -> int:
        return self.inner.waiting + self._scheduler.waiting

    @property
    def serving(self) -> bool:
        return self.inner.serving

    async def readiness(self) -> Readiness:
        return await self.inner.readiness()

    async def start(self) -> None:
        await self.inner.start()
        # Opening and measuring read the whole store once: on a thread, not the event loop.
        self._store, self.degrees = await asyncio.to_thread(self._open)

    def _open(self) -> tuple[ox.Store, Degrees]:
        extras = [(iri, str(path)) for iri, path in self.settings.extra_graphs]
        store = open_dataset(str(self.settings.release_dir), extras)
        return store, measure_degrees(store)

    async def close(self) -> None:
        await self.inner.close()

    def bound(self, job: Job) -> int | None:
        """The job's work bound when it is answered here, else None."""
        if self._store is None or self.degrees is None:
            return None
        bound = job_bound(job, self.degrees)
        return bound if bound is not None and bound <= self.work_limit else None

    def local(self, job: Job) -> bool:
        """Whether ``job`` would be answered here."""
        return self.bound(job) is not None

    async def run(
        self, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        """Answer ``job`` here when it is bounded, else on the pool (see the module docstring).

        A bounded job ends by itself well within any time limit, so ``timeout`` is the pool's.
        """
        store = self._store
        if store is None or self.bound(job) is None:
            return await self.inner.run(job, timeout, client)
        who = CLIENT.get() if client is None else client
        loop = asyncio.get_running_loop()
        await self._scheduler.acquire(who, self.settings.query_timeout)
        began = loop.time()
        try:
            result = run_job(store, job, self.settings.max_result_bytes)
        finally:
            self._scheduler.release(who, loop.time() - began)
        self.answered += 1
        if result.error == "resources":
            raise QueryTooCostly(f"the query was stopped: {result.message}; {CHEAPER}")
        return result
