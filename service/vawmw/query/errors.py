"""Why a job was not answered, and what the HTTP answer says about it.

Each error carries its HTTP ``status`` and whether the client should come back later
(``retry``, sent as ``Retry-After``), so that the routes map every refusal in one place
(:func:`vawmw.web.routes.run_job`). RELIABILITY.md's status table states the same contract:

* the service is busy (:class:`PoolBusy`) → 503 with ``Retry-After``;
* this client is over its share (:class:`ClientOverLimit`) → 429 with ``Retry-After``;
* the query ran out of time (:class:`QueryTimeout`) or memory (:class:`QueryTooCostly`) → 503
  without ``Retry-After``: the same query would fail again, so the message says how to make it
  cheaper instead;
* the worker died under the query (:class:`WorkerCrashed`) → 503 with ``Retry-After``;
* an external store could not be reached or failed (:class:`BackendError`) → 502.
"""

from __future__ import annotations

from typing import ClassVar, Final

__all__ = [
    "CHEAPER",
    "BackendError",
    "ClientOverLimit",
    "PoolBusy",
    "PoolError",
    "QueryTimeout",
    "QueryTooCostly",
    "WorkerCrashed",
]

CHEAPER: Final = (
    "make the query cheaper: add LIMIT, bind more variables, avoid unbounded property paths "
    "and cross products"
)


class PoolError(Exception):
    """A job could not be answered: ``status`` is the HTTP answer, ``retry`` whether to say
    ``Retry-After`` (``retry_after`` seconds, or the service's default when None)."""

    status: ClassVar[int] = 503
    retry: ClassVar[bool] = True

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class PoolBusy(PoolError):
    """Every worker is busy and the wait queue is full, or no worker became free in time."""


class ClientOverLimit(PoolError):
    """This client has too many queries running and waiting, or has used its query time."""

    status: ClassVar[int] = 429


class QueryTimeout(PoolError):
    """The job ran past the time limit; its worker was killed. Retrying would fail again."""

    retry: ClassVar[bool] = False

    def __init__(self, limit: float) -> None:
        super().__init__(f"the query ran longer than {limit:g} s and was stopped; {CHEAPER}")


class WorkerCrashed(PoolError):
    """The worker died while running the job (it is replaced)."""


class QueryTooCostly(PoolError):
    """The job needed more memory (or nesting) than a worker may use. Retrying would fail."""

    retry: ClassVar[bool] = False


class BackendError(PoolError):
    """The external store (:mod:`vawmw.remote.backend`) could not be reached or failed."""

    status: ClassVar[int] = 502
    retry: ClassVar[bool] = False
