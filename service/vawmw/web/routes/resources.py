"""Linked data: every IRI under the base is served at the same path (/id/…, /ontology)."""

from __future__ import annotations

import re
from typing import Final

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from vawmw.query.pool import DescribeJob, GraphJob, JobResult
from vawmw.web import negotiation
from vawmw.web.negotiation import Format
from vawmw.web.routes import (
    ServiceState,
    cache_headers,
    error,
    etag_for,
    if_none_match,
    job_error,
    not_modified,
    pages,
    run_job,
    service_state,
)

router = APIRouter(tags=["Linked data"])

# A 404 repeats the IRI asked for, shortened: a path may be as long as the server accepts.
MAX_IRI_IN_MESSAGE: Final = 200

# RFC 3986 path characters plus well-formed percent escapes; nothing else reaches the engine.
_SAFE_PATH: Final = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$")


def resource_iri(state: ServiceState, request: Request) -> str | None:
    """The IRI a request path names, or None when the path cannot be a served IRI."""
    raw = request.scope.get("raw_path") or request.url.path.encode("ascii", "replace")
    try:
        path = raw.decode("ascii")
    except UnicodeDecodeError:
        return None
    if not _SAFE_PATH.match(path):
        return None
    iri = state.settings.base_iri + path.lstrip("/")
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


def _alternates(request: Request, formats: tuple[Format, ...]) -> str:
    # The raw, still percent-encoded path: a header must stay ASCII whatever the IRI holds.
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return ", ".join(f'<{path}>; rel="alternate"; type="{f.media_type}"' for f in formats)


async def _serve(
    request: Request, state: ServiceState, iri: str, *, whole_graph: str | None = None
) -> Response:
    formats = negotiation.RESOURCE_FORMATS
    requested = request.query_params.get("format")  # ?format=ttl|jsonld|nt|rdf: download links
    if requested is not None:
        fmt = negotiation.format_from_param(requested, formats)
    else:
        fmt = negotiation.negotiate(request.headers.get("accept"), formats)
    headers = {"Vary": "Accept", "Link": _alternates(request, formats)}
    if fmt is None:
        return error(406, "available as Turtle, JSON-LD, N-Triples, RDF/XML and HTML", headers)
    variant = "ntriples" if fmt.name == "html" else fmt.name
    if whole_graph is not None:
        job: DescribeJob | GraphJob = GraphJob(whole_graph, variant)
    else:
        job = DescribeJob(iri, variant, state.settings.max_incoming_links)
    result = await run_job(state, job)
    if not isinstance(result, JobResult):
        return result
    failure = job_error(result)
    if failure is not None:
        return failure
    if result.rows == 0:
        shown = iri if len(iri) <= MAX_IRI_IN_MESSAGE else iri[:MAX_IRI_IN_MESSAGE] + "…"
        return error(404, f"no description of <{shown}> in this release", {"Vary": "Accept"})
    headers.update(cache_headers(state, fmt.name))
    if if_none_match(request, etag_for(state, fmt.name)):
        return not_modified(headers)
    if fmt.name == "html":
        triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
        page = await pages.resource_html(state, iri, triples, ontology=whole_graph is not None)
        if page.status_code == 200:
            page.headers.update(headers)
        return page
    return Response(result.body, media_type=fmt.content_type, headers=headers)


@router.get("/ontology", summary="The ontology (all formats by content negotiation)")
async def ontology(request: Request) -> Response:
    state = service_state(request)
    iri = state.settings.base_iri + "ontology"
    return await _serve(request, state, iri, whole_graph=state.settings.base_iri + "graph/ontology")


@router.get("/id/{rest:path}", summary="Describe one resource of the knowledge graph")
async def resource(request: Request, rest: str) -> Response:
    del rest  # the raw (undecoded) path is what names the IRI
    state = service_state(request)
    iri = resource_iri(state, request)
    if iri is None:
        return error(404, "not an IRI served here", {"Vary": "Accept"})
    return await _serve(request, state, iri)
