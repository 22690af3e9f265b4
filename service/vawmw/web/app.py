"""The HTTP service: ``create_app(settings)`` and ``run(settings)`` (used by ``vawmw serve``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from vawmw.query.inprocess import InProcessRunner
from vawmw.query.pool import WorkerPool
from vawmw.query.runner import JobRunner
from vawmw.query.sandbox import SandboxStatus
from vawmw.rdf import jsonld
from vawmw.release import layout
from vawmw.release.manifest import ReleaseInfo
from vawmw.remote.backend import RemoteBackend
from vawmw.settings import ServiceSettings
from vawmw.web import http, openapi, security
from vawmw.web.budget import BoundedAnswers
from vawmw.web.connection import ConnectionBounds, HeadLimits, protocol_for
from vawmw.web.routes import ServiceState
from vawmw.web.routes import context as context_routes
from vawmw.web.routes import docs as docs_routes
from vawmw.web.routes import guide as guide_routes
from vawmw.web.routes import health as health_routes
from vawmw.web.routes import minted as minted_routes
from vawmw.web.routes import pages as page_routes
from vawmw.web.routes import release as release_routes
from vawmw.web.routes import resources as resource_routes
from vawmw.web.routes import sparql as sparql_routes

_KEEP_ALIVE_SECONDS = 5  # an idle keep-alive connection is closed after this (uvicorn's default)
EXPOSED_HEADERS = [
    "ETag",
    "Link",
    "Retry-After",
    "Vary",
    "X-SPARQL-Max-Rows",
    "X-SPARQL-Truncated",
]


def create_app(settings: ServiceSettings, *, network: SandboxStatus | None = None) -> FastAPI:
    """Build the application for one release; the query workers start with the app's lifespan.

    ``network`` says whether this process has lost its network (:mod:`vawmw.web.serving`):
    only then are the jobs that provably cannot run long answered in-process
    (:mod:`vawmw.query.inprocess`).
    """
    release = ReleaseInfo.load(settings.release_dir)
    pool: JobRunner
    if settings.backend_url:  # the same API over an external SPARQL store
        names = list(release.graphs)
        names.extend(iri for iri, _ in settings.extra_graphs if iri not in names)
        pool = RemoteBackend(settings, names)
    else:
        pool = WorkerPool(settings)
        if settings.in_process and network is not None and network.isolated:
            pool = InProcessRunner(settings, pool)
    state = ServiceState.create(settings, release, pool)
    # An external store's answers are serialized here: they name the release's context too.
    jsonld.install_context_file(release.directory / layout.CONTEXT_NAME)

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
        redoc_url=None,  # ReDoc needs a CDN, inline styles and blob: workers (web/security.py)
        docs_url=None,  # FastAPI's Swagger UI comes from a CDN: web/routes/docs.py serves ours
    )
    app.state.service = state  # the caches live here: one set per application
    # Refusals, 304s and the router's 404/405 become responses; HEAD answers wherever GET does.
    http.install(app, release)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "HEAD", "POST"],
        allow_headers=["*"],
        expose_headers=EXPOSED_HEADERS,
        max_age=3600,
    )
    security.install(app, settings)  # Host check and security headers, outside CORS
    app.include_router(docs_routes.router)  # /docs and its assets, before the /static mount
    openapi.install(app)  # the description corrected to what the routes answer
    page_routes.install(app)  # before the SPARQL router: browsers asking for HTML
    app.include_router(sparql_routes.router)
    app.include_router(resource_routes.router)
    app.include_router(context_routes.router)  # /context.jsonld, which compact JSON-LD names
    app.include_router(minted_routes.router)  # the dataset, graph, version and shape IRIs
    app.include_router(guide_routes.router)  # docs/GUIDE.md as a page
    app.include_router(release_routes.router)
    app.include_router(health_routes.router)
    return app


def server_config(
    settings: ServiceSettings, *, log_level: str = "info", network: SandboxStatus | None = None
) -> uvicorn.Config:
    """The uvicorn configuration of the service (also used by the tests).

    The application is wrapped in :class:`vawmw.web.budget.BoundedAnswers` (the client's
    identity, the answer-byte budget, answers sent in chunks) and served by
    :class:`vawmw.web.connection.BoundedH11Protocol`: uvicorn's h11 protocol with head and body
    read timeouts, a send timeout, 414/431 for oversized heads and ``limit_concurrency`` with
    ``Retry-After``. h11, not httptools: httptools answers a long GET with a bare 400 before the
    application sees it. uvloop, when installed, still drives the event loop.

    The head limit (``h11_max_incomplete_event_size``) follows the query cap: a GET query up to
    ``max_query_bytes``, percent-encoded, fits (:class:`vawmw.web.connection.HeadLimits`).
    ``X-Forwarded-For`` and ``X-Forwarded-Proto`` are believed only from ``trusted_proxies``
    (none by default: uvicorn's default trusts every loopback peer, so a client on the same
    host could pose as any other).
    """
    trusted = list(settings.trusted_proxies)
    return uvicorn.Config(
        BoundedAnswers(create_app(settings, network=network), settings),
        host=settings.host,
        port=settings.port,
        proxy_headers=bool(trusted),
        forwarded_allow_ips=trusted,
        log_level=log_level,
        http=protocol_for(ConnectionBounds.from_settings(settings)),
        h11_max_incomplete_event_size=HeadLimits.from_settings(settings).head,
        limit_concurrency=settings.limit_concurrency,
        timeout_keep_alive=_KEEP_ALIVE_SECONDS,
    )


def run(settings: ServiceSettings) -> None:
    """Serve the release until interrupted: bind, drop the network, serve (web/serving.py)."""
    from vawmw.web.serving import serve  # it imports this module

    serve(settings)
