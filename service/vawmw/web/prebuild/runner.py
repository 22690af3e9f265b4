"""A :class:`~vawmw.query.runner.JobRunner` that evaluates in this process, on an open store.

Only for rendering a release's documents at build time: the release is the builder's own, so
none of the service's protections (worker processes that can be killed, no network, per-client
limits) is needed; the answers are the workers' (the same :func:`vawmw.query.engine.run_job`).
"""

from __future__ import annotations

import pyoxigraph as ox

from vawmw.query.engine import run_job
from vawmw.query.jobs import Job, JobResult
from vawmw.query.runner import Readiness

__all__ = ["StoreRunner"]


class StoreRunner:
    """Answers every job at once from ``store``, exactly as a worker process would."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @property
    def alive(self) -> int:
        return 1

    @property
    def waiting(self) -> int:
        return 0

    @property
    def serving(self) -> bool:
        return True

    async def readiness(self) -> Readiness:
        return Readiness(True, "answers in this process")

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        return None

    async def run(
        self, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        del timeout, client  # the builder's own release: no limit to apply
        return run_job(self.store, job)
