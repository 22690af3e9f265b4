"""The one seam between the HTTP layer and whatever answers queries.

:class:`JobRunner` is what the routes hold: the embedded worker pool
(:class:`vawmw.query.pool.WorkerPool`) and an external SPARQL store
(:class:`vawmw.remote.backend.RemoteBackend`) both implement it, and another store is one more
class. A runner answers a :class:`~vawmw.query.jobs.Job` with a
:class:`~vawmw.query.jobs.JobResult` (whose ``error`` is the query's own fault), or raises a
:class:`~vawmw.query.errors.PoolError` that carries its HTTP status and retry advice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from vawmw.query.jobs import Job, JobResult

__all__ = ["JobRunner", "Readiness"]


@dataclass(frozen=True)
class Readiness:
    """Whether a query sent now would be taken at once (``/health/ready``), and why not."""

    ready: bool
    detail: str


@runtime_checkable
class JobRunner(Protocol):
    """Runs jobs within a time limit, admitting clients fairly; started and closed by the app."""

    @property
    def alive(self) -> int:
        """How many jobs could run now (live workers, open store slots); 0 when not started."""
        ...

    @property
    def waiting(self) -> int:
        """How many requests wait for a free slot now."""
        ...

    @property
    def serving(self) -> bool:
        """Liveness: started, not closed, and able to answer (possibly after a short wait, such
        as a worker's respawn); False only when a restart of the process is the remedy."""
        ...

    async def readiness(self) -> Readiness:
        """Readiness: whether a query sent now would be taken at once (cheap, never a query
        of the caller's)."""
        ...

    async def start(self) -> None:
        """Get ready to answer (spawn the workers, open the connections)."""
        ...

    async def close(self) -> None:
        """Stop answering and release every process and connection."""
        ...

    async def run(
        self, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        """Answer ``job`` for ``client`` (default: the current request's) within ``timeout``
        seconds (default: the service's query timeout); raises a ``PoolError`` subclass when
        the job cannot be answered (busy, over the client's limits, too slow, crashed, store
        failed)."""
        ...
