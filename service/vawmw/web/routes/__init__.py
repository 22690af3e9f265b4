"""Routers of the HTTP service and the helpers they share (state, caching, errors)."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request, Response
from fastapi.responses import PlainTextResponse

from vawmw.query.errors import PoolBusy, PoolError
from vawmw.query.fairness import CLIENT
from vawmw.query.pool import (
    DescribeJob,
    GraphJob,
    JobResult,
    QueryJob,
    WorkerPool,
)
from vawmw.release.manifest import ReleaseInfo
from vawmw.remote.backend import RemoteBackend
from vawmw.settings import ServiceSettings


@dataclass
class ServiceState:
    """What every route needs: settings, the release, the query pool, the graphs served.

    ``pool`` runs the jobs: the worker processes over the embedded store, or a
    :class:`RemoteBackend` over an external SPARQL store (``settings.backend_url``).
    """

    settings: ServiceSettings
    release: ReleaseInfo
    pool: WorkerPool | RemoteBackend

    @property
    def graph_names(self) -> list[str]:
        names = list(self.release.graphs)
        names.extend(iri for iri, _ in self.settings.extra_graphs if iri not in names)
        return names


def service_state(request: Request) -> ServiceState:
    state = request.app.state.service
    assert isinstance(state, ServiceState)
    return state


def etag_for(state: ServiceState, variant: str) -> str:
    """A strong entity tag per release and representation."""
    return f'"{state.release.release_id}-{variant}"'


def cache_headers(state: ServiceState, variant: str) -> dict[str, str]:
    return {
        "ETag": etag_for(state, variant),
        "Cache-Control": f"public, max-age={state.settings.cache_max_age}",
    }


def if_none_match(request: Request, etag: str) -> bool:
    """True when the client's If-None-Match names ``etag`` (weak comparison) or is ``*``."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def not_modified(headers: dict[str, str]) -> Response:
    return Response(status_code=304, headers=headers)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text error: the message only, never a stack trace or a file path."""
    return PlainTextResponse(message + "\n", status_code=status, headers=headers)


def retry_headers(state: ServiceState) -> dict[str, str]:
    return {"Retry-After": str(state.settings.retry_after)}


async def run_job(
    state: ServiceState, job: QueryJob | DescribeJob | GraphJob
) -> JobResult | Response:
    """Run a job for the request's client on the pool or the remote backend.

    Every refusal is a :class:`PoolError` that carries its status and whether to send
    ``Retry-After`` (:mod:`vawmw.query.errors`, RELIABILITY.md's status table): busy 503 and
    over the client's limits 429, both with ``Retry-After``; a query stopped at the time or
    memory limit 503 without it (the message says how to make the query cheaper); an external
    store that fails 502.
    """
    try:
        return await state.pool.run(job, client=CLIENT.get())
    except PoolError as exc:
        headers = None
        if exc.retry:
            seconds = exc.retry_after if exc.retry_after is not None else state.settings.retry_after
            headers = {"Retry-After": str(seconds)}
        message = f"the service is busy: {exc}" if isinstance(exc, PoolBusy) else str(exc)
        return error(exc.status, message, headers)


def job_error(result: JobResult) -> Response | None:
    """The HTTP answer for a failed job, or None when the job succeeded."""
    if result.error is None:
        return None
    if result.error in ("syntax", "bad_request"):
        return error(400, f"bad request: {result.message}")
    if result.error == "unsupported":  # a function the engine lacks: the message names it
        return error(400, result.message)
    return error(500, result.message or "the query could not be evaluated")
