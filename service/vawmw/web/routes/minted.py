"""The release's other minted IRIs, each served at its own path as ``/id/…`` is.

- ``/dataset`` and everything under it (class and property partitions, distributions,
  linksets, link targets): their description from the release's VoID file (``void.ttl``),
  which is where they are stated; the embedded store does not hold it.
- ``/graph/{name}``: the named graph's VoID entry (its triple count, the dataset it belongs
  to) and ``void:dataDump`` links to the release dumps that carry it by name (TriG, N-Quads).
  Not the graph itself: ``graph/data`` is about a megabyte of Turtle and its page would list
  thousands of triples, while a link checker or a crawler wants to know what the IRI names;
  nor a 303 to a dump, since every dump holds all graphs, so the IRI would seem to name the
  whole dataset.
- ``/ontology/{version}``: the ontology, when the path is its ``owl:versionIRI`` (the
  release holds one version); any other version is 404.
- ``/shapes``: the shapes graph (the shapes are hash IRIs, ``…/shapes#StateShape``); its page
  has a section per shape. ``/shapes/…`` (the SHACL report's nodes): their description.

Every answer negotiates as ``/id/…`` does (Turtle, JSON-LD, N-Triples, RDF/XML, HTML; 406
otherwise) and carries the same ``Vary``, ``Link``, ``ETag`` and ``Cache-Control``; a 304
answers a current copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from vawmw.query.describe import describe_store
from vawmw.query.jobs import DescribeJob, GraphJob
from vawmw.rdf import formats, namespaces
from vawmw.release import layout
from vawmw.web import http, negotiation, prebuilt
from vawmw.web.http import NotFound
from vawmw.web.pages.layout import Alternate
from vawmw.web.pages.shapes import shapes_page
from vawmw.web.routes import ServiceState, answer_job, pages, service_state
from vawmw.web.routes.context import context_link
from vawmw.web.routes.resources import describe, resource_iri

router = APIRouter(tags=["Linked data"])

OWL_VERSION_IRI: Final = namespaces.OWL + "versionIRI"
VOID_DATA_DUMP: Final = namespaces.VOID + "dataDump"
SHAPES_IRI: Final = namespaces.BASE + "shapes"
# The dumps that keep each graph's name (the others merge graphs).
GRAPH_DUMPS: Final = (layout.TRIG_NAME, layout.NQUADS_NAME)
_MESSAGE: Final = negotiation.RESOURCE_MESSAGE


@dataclass(frozen=True)
class VoidIndex:
    """The release's VoID description in memory (a few hundred triples), with dump links."""

    store: ox.Store
    subjects: frozenset[str]

    def describes(self, iri: str) -> bool:
        return iri in self.subjects


@lru_cache(maxsize=4)  # one per release served; a release never changes while it is served
def void_index(directory: Path, release_id: str) -> VoidIndex:
    del release_id  # part of the cache key only
    store = ox.Store()
    path = directory / layout.VOID_NAME
    if path.is_file():
        store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    graphs = {
        q.subject.value
        for q in store.quads_for_pattern(None, ox.NamedNode(namespaces.VOID_TRIPLES), None)
        if isinstance(q.subject, ox.NamedNode)
        and q.subject.value.startswith(namespaces.BASE + "graph/")
    }
    for graph in graphs:
        for name in GRAPH_DUMPS:
            dump = ox.NamedNode(f"{namespaces.BASE}dumps/{name}")
            store.add(ox.Quad(ox.NamedNode(graph), ox.NamedNode(VOID_DATA_DUMP), dump))
    subjects = frozenset(q.subject.value for q in store if isinstance(q.subject, ox.NamedNode))
    return VoidIndex(store, subjects)


def _alternates(request: Request) -> list[Alternate]:
    # The raw, still percent-encoded path: a header must stay ASCII whatever the IRI holds.
    path = request.scope.get("raw_path", b"").decode("latin-1") or request.url.path
    return [Alternate(path, f.media_type) for f in formats.RESOURCE_FORMATS]


def _link_header(request: Request) -> dict[str, str]:
    links = ", ".join(
        f'<{a.href}>; rel="alternate"; type="{a.media_type}"' for a in _alternates(request)
    )
    return {"Link": links}


def _negotiate(request: Request) -> formats.Format:
    headers = {"Vary": "Accept", **_link_header(request)}
    requested = request.query_params.get("format")  # ?format=ttl|jsonld|nt|rdf: downloads
    return http.negotiate(
        request, formats.RESOURCE_FORMATS, message=_MESSAGE, requested=requested, headers=headers
    )


def _conditional(request: Request, state: ServiceState, fmt: formats.Format) -> http.Negotiated:
    """Validators and 304 once the answer is known to exist (as ``/id/…`` does)."""
    headers = _link_header(request)
    link = context_link(request, fmt)  # plain JSON asked: where its context is
    if link is not None:
        headers["Link"] += ", " + link
    return http.conditional_get(
        request,
        state.validators,
        formats.RESOURCE_FORMATS,
        message=_MESSAGE,
        requested=request.query_params.get("format"),
        headers=headers,
    )


def _not_found(iri: str) -> NotFound:
    return NotFound(f"no description of <{iri}> in this release")


async def _void_answer(request: Request, iri: str) -> Response:
    state = service_state(request)
    built = prebuilt.answer(request, state)  # rendered at build time: no lookup
    if built is not None:
        return built
    index = void_index(state.release.directory, state.release.release_id)
    fmt = _negotiate(request)  # 406 before 404, as /id/… answers
    if not index.describes(iri):
        raise _not_found(iri)
    answer = _conditional(request, state, fmt)
    variant = formats.NTRIPLES.name if fmt is formats.HTML else fmt.name
    job = DescribeJob(iri, variant, state.settings.max_incoming_links)
    result = describe_store(index.store, job)  # a few hundred triples: no worker needed
    if answer.fmt is not formats.HTML:
        return answer.respond(result.body)
    triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    others = [a for a in _alternates(request) if a.media_type != formats.HTML.media_type]
    page = await pages.resource_html(state, iri, triples, ontology=False, alternates=others)
    if page.status_code == 200:
        page.headers.update(answer.headers)
    return page


def _path_iri(request: Request) -> str:
    iri = resource_iri(service_state(request), request)
    if iri is None:
        raise NotFound("not an IRI served here")
    return iri


@router.get("/dataset", summary="The dataset's VoID and DCAT description")
async def dataset(request: Request) -> Response:
    return await _void_answer(request, namespaces.DATASET_IRI)


@router.get("/dataset/{rest:path}", summary="A part of the dataset's VoID description")
async def dataset_part(request: Request, rest: str) -> Response:
    del rest  # the raw (undecoded) path is what names the IRI
    return await _void_answer(request, _path_iri(request))


@router.get("/graph/{name}", summary="A named graph: its VoID entry and where to download it")
async def graph(request: Request, name: str) -> Response:
    del name
    return await _void_answer(request, _path_iri(request))


@router.get("/ontology/{version}", summary="A version of the ontology (its owl:versionIRI)")
async def ontology_version(request: Request, version: str) -> Response:
    del version
    state = service_state(request)
    built = prebuilt.answer(request, state)  # rendered at build time: no lookup
    if built is not None:
        return built
    iri = _path_iri(request)
    _negotiate(request)  # 406 before the lookup
    found = await answer_job(
        state, DescribeJob(iri, formats.NTRIPLES.name, state.settings.max_incoming_links)
    )
    stated = ox.Triple(
        ox.NamedNode(namespaces.ONTOLOGY_IRI), ox.NamedNode(OWL_VERSION_IRI), ox.NamedNode(iri)
    )
    quads = list(ox.parse(found.body, format=ox.RdfFormat.N_TRIPLES)) if found.rows else []
    if not any(quad.triple == stated for quad in quads):
        raise _not_found(iri)
    return await describe(
        request, state, namespaces.ONTOLOGY_IRI, whole_graph=namespaces.GRAPH_ONTOLOGY
    )


@router.get("/shapes", summary="The SHACL shapes (all formats by content negotiation)")
async def shapes(request: Request) -> Response:
    state = service_state(request)
    built = prebuilt.answer(request, state)  # rendered at build time: no query
    if built is not None:
        return built
    fmt = _negotiate(request)
    if fmt is not formats.HTML:
        return await describe(request, state, SHAPES_IRI, whole_graph=namespaces.GRAPH_SHAPES)
    result = await answer_job(state, GraphJob(namespaces.GRAPH_SHAPES, formats.NTRIPLES.name))
    if result.rows == 0:
        raise _not_found(SHAPES_IRI)
    answer = _conditional(request, state, fmt)
    triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
    others = [a for a in _alternates(request) if a.media_type != formats.HTML.media_type]
    document = shapes_page(state.release, SHAPES_IRI, triples, others)
    return HTMLResponse(document, headers=answer.headers)


@router.get("/shapes/{rest:path}", summary="A node of the SHACL report's description")
async def shapes_node(request: Request, rest: str) -> Response:
    del rest
    state = service_state(request)
    return await describe(request, state, _path_iri(request))
