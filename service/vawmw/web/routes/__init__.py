"""Routers of the HTTP service and what they share: the service's state and running a job.

A job's refusals are mapped to HTTP in one place, :func:`answer_job`: the pool's errors carry
their status and retry advice (:mod:`vawmw.query.errors`), a failed job its kind.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from fastapi import Request

from vawmw.query.errors import PoolBusy, PoolError
from vawmw.query.fairness import CLIENT
from vawmw.query.jobs import Job, JobResult
from vawmw.query.runner import JobRunner
from vawmw.rdf import namespaces
from vawmw.release.manifest import ReleaseInfo
from vawmw.settings import ServiceSettings
from vawmw.web.cache import LruCache
from vawmw.web.http import Refused, Validators, retry_headers
from vawmw.web.pages.files import QueryExample
from vawmw.web.suggest import SubjectIndex

__all__ = [
    "ServiceState",
    "StateMissing",
    "answer_job",
    "job_refusal",
    "service_state",
]

# Rendered pages kept per application: the home page, the dashboard, the ontology and the
# resource pages (each a few to a few hundred kB), and the Service Description per format and
# origin. Beyond that the least recently used one is dropped and computed again when asked.
PAGE_CACHE_SIZE: Final = 512
DESCRIPTION_CACHE_SIZE: Final = 64


@dataclass
class ServiceState:
    """What every route needs: settings, the release, the job runner, validators and caches.

    ``pool`` runs the jobs (:class:`vawmw.query.runner.JobRunner`): the worker processes over
    the embedded store, or an external SPARQL store (``settings.backend_url``).
    ``validators`` hold every input of an answer besides the request
    (:class:`vawmw.web.http.Validators`); ``pages`` and ``descriptions`` are this application's
    bounded caches, keyed by :meth:`Validators.key`. ``examples`` are the release's queries.
    """

    settings: ServiceSettings
    release: ReleaseInfo
    pool: JobRunner
    validators: Validators
    examples: list[QueryExample]
    pages: LruCache[str] = field(default_factory=lambda: LruCache(PAGE_CACHE_SIZE))
    descriptions: LruCache[bytes] = field(default_factory=lambda: LruCache(DESCRIPTION_CACHE_SIZE))
    subjects: SubjectIndex = field(default_factory=SubjectIndex)  # 404 suggestions (/id/…)

    @classmethod
    def create(
        cls, settings: ServiceSettings, release: ReleaseInfo, pool: JobRunner
    ) -> ServiceState:
        validators = Validators.of(
            release.release_id, settings.extra_graphs, settings.cache_max_age
        )
        examples = [QueryExample.parse(query.name, query.text) for query in release.queries()]
        return cls(settings, release, pool, validators, examples)

    @property
    def iri_base(self) -> str:
        """The base of the IRIs this service serves at its own paths (``/id/…``, ``/ontology``).

        Always the canonical base the release's data use, whatever address the service has:
        that address is ``settings.public_url``, a different thing.
        """
        return namespaces.BASE

    @property
    def graph_names(self) -> list[str]:
        names = list(self.release.graphs)
        names.extend(iri for iri, _ in self.settings.extra_graphs if iri not in names)
        return names


class StateMissing(RuntimeError):
    """The application was not built by :func:`vawmw.web.app.create_app`."""


def service_state(request: Request) -> ServiceState:
    state = getattr(request.app.state, "service", None)
    if not isinstance(state, ServiceState):
        raise StateMissing(
            "the application has no ServiceState in app.state.service: "
            "build it with vawmw.web.app.create_app"
        )
    return state


def _refusal(exc: PoolError, default_retry: int) -> Refused:
    """The HTTP answer to a pool error (RELIABILITY.md's status table)."""
    headers = None
    if exc.retry:
        headers = retry_headers(exc.retry_after if exc.retry_after is not None else default_retry)
    message = f"the service is busy: {exc}" if isinstance(exc, PoolBusy) else str(exc)
    return Refused(exc.status, message, headers)


def job_refusal(result: JobResult) -> Refused | None:
    """The HTTP answer for a failed job, or None when the job succeeded."""
    if result.error is None:
        return None
    if result.error == "syntax":  # "line L, column C: the problem", then the line and a caret
        return Refused(400, result.message)
    if result.error == "bad_request":
        return Refused(400, f"bad request: {result.message}")
    if result.error == "unsupported":  # a function the engine lacks: the message names it
        return Refused(400, result.message)
    return Refused(500, result.message or "the query could not be evaluated")


async def _run(state: ServiceState, job: Job) -> JobResult:
    try:
        return await state.pool.run(job, client=CLIENT.get())
    except PoolError as exc:
        raise _refusal(exc, state.settings.retry_after) from exc


async def answer_job(state: ServiceState, job: Job) -> JobResult:
    """Run a job for the request's client; a refusal or a failed job raises :class:`Refused`.

    Every refusal is a :class:`PoolError` that carries its status and whether to send
    ``Retry-After`` (:mod:`vawmw.query.errors`): busy 503 and over the client's limits 429,
    both with ``Retry-After``; a query stopped at the time or memory limit 503 without it (the
    message says how to make the query cheaper); an external store that fails 502.
    """
    result = await _run(state, job)
    failure = job_refusal(result)
    if failure is not None:
        raise failure
    return result
