"""``/sparql``: the SPARQL 1.1 Protocol (query only), its Service Description, and the editor.

* ``GET /sparql`` asked for HTML without a query: the editor (YASGUI when ``npm ci`` has put it
  in ``node_modules``, otherwise a plain form that works with and without JavaScript);
  ``GET /sparql?query=…&format=html``: the editor with the query's results as a table.
* ``GET /sparql`` without any parameter, asked for RDF: the Service Description.
* Everything else: the protocol. GET and POST both run :func:`vawmw.web.protocol.execute`, as
  does the editor: one function executes the protocol, whoever asks.

The pages are printed by :mod:`vawmw.web.pages.editor`; the description is built by
:mod:`vawmw.web.service_description`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final
from urllib.parse import parse_qsl

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from vawmw.rdf import formats
from vawmw.web import http, negotiation, protocol, security, service_description
from vawmw.web.cache import LruCache
from vawmw.web.http import Refused
from vawmw.web.pages import editor
from vawmw.web.routes import ServiceState, service_state
from vawmw.web.routes import pages as page_routes

router = APIRouter(tags=["SPARQL"])

# What GET /sparql without a query offers: the description's formats, and the editor for
# browsers (the description has no HTML of its own: a browser gets the editor, which shows it).
_EDITOR_OR_DESCRIPTION: Final = (*service_description.FORMATS, formats.HTML)
# The editor reads at most this many URL parameters to decide what to show.
_PAGE_FIELDS: Final = 50
# Endpoint URLs kept per application: one per origin the service is reached by.
_ENDPOINT_CACHE_SIZE: Final = 64


@router.get(
    "/sparql",
    name="sparql",
    summary="SPARQL 1.1 query via GET (?query=); without a query: the service description",
    response_class=Response,
)
async def sparql_get(request: Request) -> Response:
    params = _page_params(request)
    names = {name for name, _ in params}
    wants_page = [v.lower() for n, v in params if n in ("format", "output")] == ["html"]
    if "query" in names and "update" not in names and wants_page:
        return await _editor_with_results(request, service_state(request))
    if not names & {"query", "update"} and not wants_page and _wants_editor(request):
        return _editor(request, service_state(request))
    return await _protocol(request)


@router.post(
    "/sparql",
    name="sparql_post",
    summary="SPARQL 1.1 query via POST (form-encoded or application/sparql-query)",
    response_class=Response,
)
async def sparql_post(request: Request) -> Response:
    return await _protocol(request)


async def _protocol(request: Request) -> Response:
    """The SPARQL 1.1 Protocol (query operation only: the service is read-only)."""
    state = service_state(request)
    call = await protocol.collect(request, state.settings)
    if call.method == "GET" and not call.params:
        return _service_description(request, state)
    answer = await protocol.execute(state, call, base_iri=_endpoint(request, state))
    headers = {"Vary": "Accept", "X-SPARQL-Max-Rows": str(state.settings.max_rows)}
    if answer.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    # Validators only now, after the query succeeded: a 304 (also for If-None-Match: *) says
    # that this query has an answer and that it is unchanged; a failed query got its error.
    if not answer.deterministic:
        headers["Cache-Control"] = "no-store"
    elif request.method == "GET":
        # Relative IRIs of the query resolved against the endpoint's URL: per origin.
        origin = security.request_origin(request, state.settings)
        resource = http.resource_of(request)
        headers.update(state.validators.headers(answer.fmt.name, resource, origin))
        http.revalidate(request, headers)
    return Response(answer.body, media_type=answer.fmt.content_type, headers=headers)


def _endpoint(request: Request, state: ServiceState) -> str:
    """The endpoint's absolute URL (its public URL when configured).

    Kept per application and per what the URL is built from (the scope's scheme, server and
    root path, the Host header): building it takes a route lookup, about 5 % of a point
    lookup's time in the HTTP process (BENCHMARKS.md).
    """
    scope = request.scope
    parts = (scope.get("scheme"), scope.get("server"), scope.get("root_path"))
    key = repr((*parts, scope.get("app_root_path"), request.headers.get("host")))
    cache: LruCache[str] | None = getattr(request.app.state, "sparql_endpoints", None)
    if cache is None:
        cache = request.app.state.sparql_endpoints = LruCache(_ENDPOINT_CACHE_SIZE)
    url = cache.get(key)
    if url is None:
        url = security.public_url_for(request, state.settings, "sparql")
        cache.put(key, url)
    return url


# --------------------------------------------------------------------------- description


def _description(request: Request, state: ServiceState) -> service_description.Description:
    return service_description.Description(
        endpoint=_endpoint(request, state),
        void=security.public_url_for(request, state.settings, "well_known_void"),
        counts=state.release.graphs,
        graph_names=state.graph_names,
    )


def _description_body(request: Request, state: ServiceState, fmt: formats.Format) -> bytes:
    """The description in ``fmt``, kept per format and origin in the application's cache."""
    origin = security.request_origin(request, state.settings)
    key = state.validators.key(fmt.name, "/sparql", origin)
    body = state.descriptions.get(key)
    if body is None:
        body = service_description.serialize(_description(request, state), fmt)
        state.descriptions.put(key, body)
    return body


def _service_description(request: Request, state: ServiceState) -> Response:
    """GET /sparql without a query: the SPARQL 1.1 Service Description of the endpoint."""
    answer = http.conditional_get(
        request,
        state.validators,
        service_description.FORMATS,
        message="the service description is available as Turtle, JSON-LD, RDF/XML and "
        "N-Triples (browsers get the SPARQL editor)",
        origin=security.request_origin(request, state.settings),  # it holds absolute URLs
    )
    return answer.respond(_description_body(request, state, answer.fmt))


# --------------------------------------------------------------------------- editor


def _page_params(request: Request) -> list[tuple[str, str]]:
    """The URL's parameters as far as they say which page to show (the protocol checks them)."""
    raw = request.scope.get("query_string", b"").decode("latin-1")
    try:
        return parse_qsl(raw, keep_blank_values=True, max_num_fields=_PAGE_FIELDS, errors="strict")
    except (UnicodeDecodeError, ValueError):
        return []


def _wants_editor(request: Request) -> bool:
    fmt = negotiation.negotiate(request.headers.get("accept"), _EDITOR_OR_DESCRIPTION)
    return fmt is formats.HTML


def _editor_context(request: Request, state: ServiceState) -> editor.EditorContext:
    settings = state.settings
    return editor.EditorContext(
        endpoint=_endpoint(request, state),
        description=_description_body(request, state, formats.TURTLE).decode("utf-8"),
        examples=state.examples,
        max_rows=settings.max_rows,
        timeout=settings.query_timeout,
        yasgui=page_routes.yasgui_available(),
        plain=dict(_page_params(request)).get("ui") == "plain",
    )


def _editor_page(
    request: Request,
    state: ServiceState,
    *,
    query: str,
    results: str,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """The editor with a query and its results (or its refusal); never stored by caches."""
    context = _editor_context(request, state)
    document = editor.render_editor(context, state.release, query=query, results=results)
    return HTMLResponse(document, status_code=status, headers={"Vary": "Accept", **(headers or {})})


def _editor(request: Request, state: ServiceState) -> Response:
    """The editor, empty: the same for every visitor of one origin (it shows the endpoint)."""
    context = _editor_context(request, state)
    answer = http.conditional_get(
        request,
        state.validators,
        (formats.HTML,),
        message="the editor is an HTML page",
        variant="plain" if context.plain or not context.yasgui else "yasgui",
        origin=security.request_origin(request, state.settings),
    )
    return answer.respond(editor.render_editor(context, state.release))


async def _editor_with_results(request: Request, state: ServiceState) -> Response:
    """The editor with the results of its query as a table (no JavaScript needed).

    The query goes through the protocol like any other (same checks, limits, runner), asked for
    JSON results or N-Triples; the answer is then printed as an HTML table, capped.
    """
    settings = state.settings
    query = next((value for name, value in _page_params(request) if name == "query"), "")
    try:
        params = protocol.url_params(request, settings)
        forwarded = [(n, v) for n, v in params if n not in ("format", "output", "ui")]
        call = protocol.Call("GET", forwarded, editor.RESULT_ACCEPT)
        answer = await protocol.execute(state, call, base_iri=_endpoint(request, state))
    except Refused as refused:  # shown on the page, with its Retry-After passed on
        message = editor.message_html(refused.message)
        return _editor_page(
            request,
            state,
            query=query,
            results=message,
            status=refused.status,
            headers=refused.headers,
        )
    results = editor.results_html(
        answer.body,
        answer.fmt.media_type,
        truncated=answer.truncated,
        view=editor.ResultsView(settings.html_max_rows, settings.html_max_bytes),
        raw_params=forwarded,
    )
    return _editor_page(request, state, query=query, results=results)
