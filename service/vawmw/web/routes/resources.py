"""Linked data: every IRI under the canonical base is served at the same path here.

``https://w3id.org/vawmw/id/state/PHL`` is served at ``/id/state/PHL``, the ontology at
``/ontology``, whatever this service's own address is (``ServiceState.iri_base``): the IRIs are
the release's, the address is ``public_url``'s.
"""

from __future__ import annotations

import re
from typing import Final

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from vawmw.query.jobs import DescribeJob, GraphJob, Job
from vawmw.rdf import formats, namespaces
from vawmw.rdf.formats import Format
from vawmw.web import http
from vawmw.web.http import Refused
from vawmw.web.routes import ServiceState, answer_job, pages, service_state

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
    iri = state.iri_base + path.lstrip("/")
    try:
        ox.NamedNode(iri)
    except ValueError:
        return None
    return iri


def _alternates(request: Request, offers: tuple[Format, ...]) -> str:
    # The raw, still percent-encoded path: a header must stay ASCII whatever the IRI holds.
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return ", ".join(f'<{path}>; rel="alternate"; type="{f.media_type}"' for f in offers)


async def _serve(
    request: Request, state: ServiceState, iri: str, *, whole_graph: str | None = None
) -> Response:
    offers = formats.RESOURCE_FORMATS
    headers = {"Vary": "Accept", "Link": _alternates(request, offers)}
    fmt = http.negotiate(
        request,
        offers,
        message="available as Turtle, JSON-LD, N-Triples, RDF/XML and HTML",
        requested=request.query_params.get("format"),  # ?format=ttl|jsonld|nt|rdf: downloads
        headers=headers,
    )
    variant = formats.NTRIPLES.name if fmt is formats.HTML else fmt.name
    job: Job = (
        GraphJob(whole_graph, variant)
        if whole_graph is not None
        else DescribeJob(iri, variant, state.settings.max_incoming_links)
    )
    result = await answer_job(state, job)
    if result.rows == 0:
        shown = iri if len(iri) <= MAX_IRI_IN_MESSAGE else iri[:MAX_IRI_IN_MESSAGE] + "…"
        raise Refused(404, f"no description of <{shown}> in this release", {"Vary": "Accept"})
    # Validators only once the description exists: a 304 says it does, and is unchanged.
    headers.update(state.validators.headers(fmt.name, http.resource_of(request)))
    http.revalidate(request, headers)
    if fmt is not formats.HTML:
        return Response(result.body, media_type=fmt.content_type, headers=headers)
    triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    page = await pages.resource_html(state, iri, triples, ontology=whole_graph is not None)
    if page.status_code == 200:
        page.headers.update(headers)
    return page


@router.get("/ontology", summary="The ontology (all formats by content negotiation)")
async def ontology(request: Request) -> Response:
    state = service_state(request)
    return await _serve(
        request, state, namespaces.ONTOLOGY_IRI, whole_graph=namespaces.GRAPH_ONTOLOGY
    )


@router.get("/id/{rest:path}", summary="Describe one resource of the knowledge graph")
async def resource(request: Request, rest: str) -> Response:
    del rest  # the raw (undecoded) path is what names the IRI
    state = service_state(request)
    iri = resource_iri(state, request)
    if iri is None:
        raise Refused(404, "not an IRI served here", {"Vary": "Accept"})
    return await _serve(request, state, iri)
