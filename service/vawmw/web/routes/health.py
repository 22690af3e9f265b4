"""Health routes: ``/health`` (liveness) and ``/health/ready`` (readiness).

Two questions, two answers, as a load balancer or Kubernetes asks them:

* ``/health``: is this process up and serving? 200 while it is, also while query workers are
  being respawned (a worker killed at a timeout is the pool working, not the process failing);
  503 only when the job runner is closed or cannot start any worker: then restarting the
  process is the remedy. Before issue 16 it answered 503 whenever no worker was alive, which a
  burst of timeouts caused for about a second while the process served.
* ``/health/ready``: would a query sent now be taken at once? 200 when a warm worker is idle
  (the spare counts) and the wait queue has room, or, with ``--backend``, when the store answers
  a cheap ``ASK {}`` (probed at most once a second); 503 with ``Retry-After`` otherwise. Take a
  replica out of rotation on it, never restart one on it.

Neither runs a query of the caller's or reads a request parameter, and neither is cached.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from vawmw.query.inprocess import InProcessRunner
from vawmw.query.pool import WorkerPool
from vawmw.query.runner import JobRunner
from vawmw.web.routes import service_state

router = APIRouter(tags=["Release"])

_NO_STORE: Final = {"Cache-Control": "no-store"}


def _worker_pool(runner: JobRunner) -> WorkerPool | None:
    """The worker pool behind ``runner`` (None with an external store)."""
    if isinstance(runner, InProcessRunner):
        runner = runner.inner
    return runner if isinstance(runner, WorkerPool) else None


@router.get("/health", summary="Liveness: is the process up and serving")
async def health(request: Request) -> Response:
    state = service_state(request)
    pool = state.pool
    serving = pool.serving
    document: dict[str, object] = {
        "status": "ok" if serving else "unavailable",
        "store_open": serving,
        "release_version": state.release.version,
        "release_id": state.release.release_id,
        "workers_alive": pool.alive,
        "workers": state.settings.workers,
    }
    workers = _worker_pool(pool)
    if workers is not None:
        document["spare_workers"] = state.settings.spare_workers
        document["spares_ready"] = workers.spares_ready
    return JSONResponse(document, status_code=200 if serving else 503, headers=_NO_STORE)


@router.get("/health/ready", summary="Readiness: would a query sent now be taken at once")
async def ready(request: Request) -> Response:
    state = service_state(request)
    readiness = await state.pool.readiness()
    document = {
        "status": "ready" if readiness.ready else "not ready",
        "detail": readiness.detail,
        "workers_alive": state.pool.alive,
        "waiting": state.pool.waiting,
    }
    headers = dict(_NO_STORE)
    if not readiness.ready:
        headers["Retry-After"] = str(state.settings.retry_after)
    status = 200 if readiness.ready else 503
    return JSONResponse(document, status_code=status, headers=headers)
