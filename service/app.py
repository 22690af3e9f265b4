"""The HTTP service: ``create_app(settings)`` and ``run(settings)`` (used by ``vawmw serve``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from service.remote_backend import RemoteBackend
from service.routes import ServiceState
from service.routes import pages as page_routes
from service.routes import release as release_routes
from service.routes import resources as resource_routes
from service.routes import sparql as sparql_routes
from service.settings import ServiceSettings
from service.store import ReleaseInfo
from service.workers import WorkerPool

EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Retry-After",
    "Vary",
    "X-SPARQL-Max-Rows",
    "X-SPARQL-Truncated",
]


def create_app(settings: ServiceSettings) -> FastAPI:
    """Build the application for one release; the query workers start with the app's lifespan."""
    release = ReleaseInfo.load(settings.release_dir)
    pool: WorkerPool | RemoteBackend
    if settings.backend_url:  # the same API over an external SPARQL store
        names = list(release.graphs)
        names.extend(iri for iri, _ in settings.extra_graphs if iri not in names)
        pool = RemoteBackend(settings, names)
    else:
        pool = WorkerPool(settings)
    state = ServiceState(settings=settings, release=release, pool=pool)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await pool.start()
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="vawmw-kg",
        summary="Linked data and a read-only SPARQL 1.1 endpoint for report A/78/292",
        version=release.version,
        lifespan=lifespan,
    )
    app.state.service = state
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )
    page_routes.install(app)  # before the SPARQL router: browsers asking for HTML
    app.include_router(sparql_routes.router)
    app.include_router(resource_routes.router)
    app.include_router(release_routes.router)
    return app


def server_config(settings: ServiceSettings, *, log_level: str = "info") -> uvicorn.Config:
    """The uvicorn configuration of the service (also used by the tests).

    h11 refuses request heads above 16 KiB by default; the limit is raised so that a long GET
    query reaches the endpoint and gets a proper 414 (and queries up to the cap are served).
    h11 is chosen explicitly: httptools, though faster, answers such a GET with a bare 400
    before the application sees it. uvloop, when installed, still drives the event loop.
    """
    return uvicorn.Config(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        proxy_headers=True,
        log_level=log_level,
        http="h11",
        h11_max_incomplete_event_size=4 * settings.max_query_bytes + 16 * 1024,
    )


def run(settings: ServiceSettings) -> None:
    """Serve the release until interrupted."""
    uvicorn.Server(server_config(settings)).run()
