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

from vawmw.query.jobs import DescribeJob, GraphJob, Job, QueryJob
from vawmw.rdf import formats, namespaces
from vawmw.rdf.formats import Format
from vawmw.rdf.results import parse_select
from vawmw.web import http, negotiation, prebuilt
from vawmw.web.http import NotFound, Refused
from vawmw.web.pages.layout import Alternate
from vawmw.web.routes import ServiceState, answer_job, pages, service_state
from vawmw.web.routes.context import context_link
from vawmw.web.suggest import MAX_SUBJECTS, subjects_query

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


def _alternates(request: Request, offers: tuple[Format, ...]) -> list[Alternate]:
    # The raw, still percent-encoded path: a header must stay ASCII whatever the IRI holds.
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return [Alternate(path, f.media_type) for f in offers]


def _link_header(alternates: list[Alternate]) -> str:
    return ", ".join(f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in alternates)


async def _subjects(state: ServiceState) -> list[str]:
    job = QueryJob(query=subjects_query(namespaces.ID), result_format="json", max_rows=MAX_SUBJECTS)
    result = await answer_job(state, job)
    return [str(row["s"].value) for row in parse_select(result.body)[1] if "s" in row]


async def _not_found(state: ServiceState, iri: str, fmt: Format) -> NotFound:
    """The 404 of a resource; a browser is offered the IRI that differs only in case."""
    shown = iri if len(iri) <= MAX_IRI_IN_MESSAGE else iri[:MAX_IRI_IN_MESSAGE] + "…"
    message = f"no description of <{shown}> in this release"
    suggestion = None
    if fmt is formats.HTML and iri.startswith(namespaces.ID):
        try:
            found = await state.subjects.suggest(iri, lambda: _subjects(state))
        except Refused:  # the store is busy: a 404 without a suggestion
            found = None
        suggestion = "/" + found.removeprefix(state.iri_base) if found else None
    return NotFound(message, suggestion=suggestion)


async def _serve(
    request: Request, state: ServiceState, iri: str, *, whole_graph: str | None = None
) -> Response:
    built = prebuilt.answer(request, state)  # the release's own answer, rendered at build time
    if built is not None:
        return built
    offers = formats.RESOURCE_FORMATS
    alternates = _alternates(request, offers)
    headers = {"Vary": "Accept", "Link": _link_header(alternates)}
    fmt = http.negotiate(
        request,
        offers,
        message=negotiation.RESOURCE_MESSAGE,
        requested=request.query_params.get("format"),  # ?format=ttl|jsonld|nt|rdf: downloads
        headers=headers,
    )
    link = context_link(request, fmt)  # plain JSON asked: where its context is
    if link is not None:
        headers["Link"] += ", " + link
    variant = formats.NTRIPLES.name if fmt is formats.HTML else fmt.name
    job: Job = (
        GraphJob(whole_graph, variant)
        if whole_graph is not None
        else DescribeJob(iri, variant, state.settings.max_incoming_links)
    )
    result = await answer_job(state, job)
    if result.rows == 0:
        raise await _not_found(state, iri, fmt)
    # Validators only once the description exists: a 304 says it does, and is unchanged.
    headers.update(state.validators.headers(fmt.name, http.resource_of(request)))
    http.revalidate(request, headers)
    if fmt is not formats.HTML:
        return Response(result.body, media_type=fmt.content_type, headers=headers)
    triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    others = [a for a in alternates if a.media_type != formats.HTML.media_type]
    page = await pages.resource_html(
        state, iri, triples, ontology=whole_graph is not None, alternates=others
    )
    if page.status_code == 200:
        page.headers.update(headers)
    return page


async def describe(
    request: Request, state: ServiceState, iri: str, *, whole_graph: str | None = None
) -> Response:
    """The linked-data answer for ``iri``, or for a whole graph named by it, as ``/id/…`` gives
    it (also used by :mod:`vawmw.web.routes.minted`)."""
    return await _serve(request, state, iri, whole_graph=whole_graph)


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
        raise NotFound("not an IRI served here")
    return await _serve(request, state, iri)
