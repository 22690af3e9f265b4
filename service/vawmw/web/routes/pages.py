"""The pages for people: home, dashboard, and the HTML of resources and the ontology.

* ``GET /`` — what this is, the counts, links, how to cite.
* ``GET /dashboard`` — five server-side SVG charts, each computed by SPARQL on the worker pool.
* ``/id/…`` and ``/ontology`` asked for HTML — :func:`resource_html`, called by the linked-data
  routes with the resource's description.
* ``/static/…`` — the site's CSS and JavaScript; ``/static/yasgui/…`` — YASGUI's bundle.

The handlers gather data and call the renderers of :mod:`vawmw.web.pages`. A rendered page is
kept in the application's bounded cache (``ServiceState.pages``) under the key of the one
validator formula (:meth:`vawmw.web.http.Validators.key`): what is cached and what is
revalidated never disagree, and nothing of the request's Host enters a cached page.
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable, Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

from vawmw.query.jobs import QueryJob
from vawmw.rdf import formats
from vawmw.rdf.results import Row, parse_select
from vawmw.web import negotiation, security
from vawmw.web.http import NotFound, Refused, ShortAnswer, revalidate
from vawmw.web.pages import dashboard
from vawmw.web.pages.description import is_state
from vawmw.web.pages.home import COUNTS_QUERY, STATES_QUERY, render_home
from vawmw.web.pages.layout import STATIC, Alternate, error_page
from vawmw.web.pages.ontology import ontology_page
from vawmw.web.pages.resource import resource_page
from vawmw.web.pages.resource_queries import EXAMPLES_QUERY, provenance_query, state_query
from vawmw.web.routes import ServiceState, answer_job, service_state

router = APIRouter(tags=["Pages"])

YASGUI_FILES: Final = {
    "yasgui.min.js": "text/javascript; charset=utf-8",
    "yasgui.min.css": "text/css; charset=utf-8",
}
YASGUI_PACKAGE: Final = Path("@zazuko") / "yasgui" / "build"
NODE_MODULES_ENV: Final = "VAWMW_NODE_MODULES"
# The home page answers HTML, and sends RDF clients to the dataset's description.
_HOME_OFFERS: Final = (formats.HTML, *formats.GRAPH_FORMATS[:4])


def install(app: FastAPI) -> None:
    """Add the pages to ``app``: call before the SPARQL router (this one answers HTML first)."""
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")


def node_modules(marker: Path = YASGUI_PACKAGE / "yasgui.min.js") -> Path | None:
    """Where ``npm ci`` put the packages: $VAWMW_NODE_MODULES when set (and then only there),
    else the source checkout's or the working directory's ``node_modules``; the first that
    holds ``marker`` (a file of the package wanted: YASGUI's bundle by default)."""
    override = os.environ.get(NODE_MODULES_ENV)
    if override is not None:
        candidates = [Path(override)] if override else []
    else:
        candidates = [
            Path(__file__).resolve().parents[4] / "node_modules",
            Path.cwd() / "node_modules",
        ]
    for candidate in candidates:
        if (candidate / marker).is_file():
            return candidate
    return None


def yasgui_available() -> bool:
    return node_modules() is not None


# --------------------------------------------------------------------------- failures


class PageRefused(ShortAnswer):
    """A page's query was refused or failed: the refusal, as an HTML page in the layout."""

    def __init__(self, state: ServiceState, refused: Refused) -> None:
        super().__init__(refused.message)
        self.state = state
        self.refused = refused

    def response(self) -> Response:
        return html_error(self.state, self.refused)


def html_error(state: ServiceState, refused: Refused) -> HTMLResponse:
    """A refusal for a browser: its status, message and headers (``Retry-After``) in a page."""
    title = HTTPStatus(refused.status).phrase
    document = error_page(title, refused.message, state.release)
    return HTMLResponse(document, status_code=refused.status, headers=refused.headers)


async def select(state: ServiceState, query: str) -> list[Row]:
    """Run a SELECT of a page (all graphs as the default graph); its rows, or PageRefused."""
    job = QueryJob(query=query, result_format="json", max_rows=None)
    try:
        result = await answer_job(state, job)
    except Refused as refused:
        raise PageRefused(state, refused) from refused
    return parse_select(result.body)[1]


# --------------------------------------------------------------------------- cached pages


def _validated(
    request: Request, state: ServiceState, variant: str, resource: str
) -> dict[str, str]:
    """The headers of a page (ETag by the one formula); 304 when the client's copy is current."""
    headers = {"Vary": "Accept", **state.validators.headers(variant, resource)}
    revalidate(request, headers)
    return headers


async def _cached(state: ServiceState, key: str, render: Callable[[], Awaitable[str]]) -> str:
    return await state.pages.get_or_compute(key, render)


def _html(document: str, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    return HTMLResponse(document, headers=dict(headers or {}))


@router.get("/", summary="Home page", include_in_schema=False)
async def home(request: Request) -> Response:
    state = service_state(request)
    fmt = negotiation.negotiate(request.headers.get("accept"), _HOME_OFFERS)
    if fmt is not None and fmt.kind == "rdf":
        return RedirectResponse("/.well-known/void", status_code=303, headers={"Vary": "Accept"})
    headers = _validated(request, state, "home-html", "/")
    key = state.validators.key("home-html", "/")
    return _html(await _cached(state, key, lambda: _render_home(state)), headers)


async def _render_home(state: ServiceState) -> str:
    counts = await select(state, COUNTS_QUERY)
    states = await select(state, STATES_QUERY)
    # Cached for every visitor: the public URL when set, else a path, never the request's Host.
    public = state.settings.public_url
    endpoint = security.check_public_url(public) + "/sparql" if public else "/sparql"
    return render_home(state.release, counts, states, endpoint=endpoint, base_iri=state.iri_base)


@router.get("/dashboard", summary="Charts computed by SPARQL", include_in_schema=False)
async def dashboard_page(request: Request) -> Response:
    state = service_state(request)
    headers = _validated(request, state, "dashboard-html", "/dashboard")
    key = state.validators.key("dashboard-html", "/dashboard")
    return _html(await _cached(state, key, lambda: _render_dashboard(state)), headers)


async def _render_dashboard(state: ServiceState) -> str:
    sections = [
        dashboard.render_chart(spec, await select(state, spec.query)) for spec in dashboard.CHARTS
    ]
    return dashboard.render_dashboard(sections, state.release)


async def resource_html(
    state: ServiceState,
    iri: str,
    triples: list[ox.Triple],
    *,
    ontology: bool,
    alternates: Sequence[Alternate] = (),
) -> Response:
    """The HTML answer for a resource (or the ontology); called by the linked-data routes,
    which add the validators. ``alternates`` name the path asked for, which the key holds too:
    one IRI can be served at two paths (the ontology at /ontology and /ontology/<version>)."""
    variant = "ontology-html" if ontology else "resource-html"
    paths = " ".join(sorted({a.href for a in alternates}))
    key = state.validators.key(variant, f"{iri} {paths}")
    try:
        document = await _cached(
            state, key, lambda: _render_resource(state, iri, triples, ontology, alternates)
        )
    except PageRefused as refused:
        return refused.response()
    return _html(document)


async def _render_resource(
    state: ServiceState,
    iri: str,
    triples: list[ox.Triple],
    ontology: bool,
    alternates: Sequence[Alternate],
) -> str:
    if ontology:
        examples = await select(state, EXAMPLES_QUERY)
        return ontology_page(state.release, iri, triples, examples, alternates)
    provenance = await select(state, provenance_query(iri))
    state_rows = await select(state, state_query(iri)) if is_state(triples, iri) else None
    return resource_page(
        state.release,
        iri,
        triples,
        base=state.iri_base,
        provenance=provenance,
        state=state_rows,
        incoming_limit=state.settings.max_incoming_links,
        alternates=alternates,
    )


# --------------------------------------------------------------------------- YASGUI bundle


def npm_file(
    request: Request, package: Path, files: dict[str, str], name: str, what: str
) -> Response:
    """One file of an npm package that ``npm ci`` installed, from a fixed list of names."""
    root = node_modules(package / next(iter(files)))
    if name not in files or root is None:
        raise NotFound(f"{what} is not installed: run `npm ci` in the repository root.")
    state = service_state(request)
    return FileResponse(
        root / package / name,
        media_type=files[name],
        headers={"Cache-Control": f"public, max-age={state.settings.cache_max_age}"},
    )


@router.get("/static/yasgui/{name}", include_in_schema=False)
async def yasgui_file(request: Request, name: str) -> Response:
    return npm_file(request, YASGUI_PACKAGE, YASGUI_FILES, name, "YASGUI")
