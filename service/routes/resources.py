"""Linked data: every IRI under the base is served at the same path (/id/…, /ontology)."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from typing import Final

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response

from service import negotiation
from service.negotiation import Format
from service.routes import (
    ServiceState,
    cache_headers,
    error,
    etag_for,
    if_none_match,
    job_error,
    not_modified,
    run_job,
    service_state,
)
from service.workers import DescribeJob, GraphJob, JobResult

router = APIRouter(tags=["Linked data"])

# RFC 3986 path characters plus well-formed percent escapes; nothing else reaches the engine.
_SAFE_PATH: Final = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-Fa-f]{2})+$")
_RDF_TYPE: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_LABELS: Final = (
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2000/01/rdf-schema#label",
)
_COMMENTS: Final = (
    "http://www.w3.org/2004/02/skos/core#definition",
    "http://www.w3.org/2000/01/rdf-schema#comment",
)
_CLASS_TYPES: Final = frozenset(
    {"http://www.w3.org/2002/07/owl#Class", "http://www.w3.org/2000/01/rdf-schema#Class"}
)
_PROPERTY_TYPES: Final = frozenset(
    {
        "http://www.w3.org/2002/07/owl#ObjectProperty",
        "http://www.w3.org/2002/07/owl#DatatypeProperty",
        "http://www.w3.org/2002/07/owl#AnnotationProperty",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
    }
)


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
    path = request.url.path
    return ", ".join(f'<{path}>; rel="alternate"; type="{f.media_type}"' for f in formats)


async def _serve(
    request: Request, state: ServiceState, iri: str, *, whole_graph: str | None = None
) -> Response:
    formats = negotiation.RESOURCE_FORMATS
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
        return error(404, f"no description of <{iri}> in this release", {"Vary": "Accept"})
    headers.update(cache_headers(state, fmt.name))
    if if_none_match(request, etag_for(state, fmt.name)):
        return not_modified(headers)
    if fmt.name == "html":
        triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
        base = state.settings.base_iri
        page = render_page(iri, triples, base, ontology=whole_graph is not None)
        return Response(page, media_type=fmt.content_type, headers=headers)
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


# --------------------------------------------------------------------------- HTML


def _local_link(iri: str, base: str) -> str:
    """Links to resources of this dataset stay on this server."""
    if iri.startswith(base):
        return "/" + iri[len(base) :]
    return iri


def _key(term: object) -> str:
    """The IRI (or blank node id) of a subject; quoted triples by their N-Triples form."""
    if isinstance(term, ox.NamedNode | ox.BlankNode):
        return term.value
    return str(term)


def _label_map(triples: list[ox.Triple]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for predicate in reversed(_LABELS):  # skos:prefLabel wins over rdfs:label
        for t in triples:
            obj = t.object
            if t.predicate.value != predicate or not isinstance(obj, ox.Literal):
                continue
            if obj.language in ("", "en") or _key(t.subject) not in labels:
                labels[_key(t.subject)] = obj.value
    return labels


def _term_html(term: object, labels: dict[str, str], base: str) -> str:
    if isinstance(term, ox.NamedNode):
        text = labels.get(term.value, term.value)
        href = html.escape(_local_link(term.value, base), quote=True)
        return f'<a href="{href}" title="{html.escape(term.value)}">{html.escape(text)}</a>'
    if isinstance(term, ox.Literal):
        lang = f' <small lang="en">@{html.escape(term.language)}</small>' if term.language else ""
        return f"{html.escape(term.value)}{lang}"
    return html.escape(str(term))


def _page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head><body>{body}</body></html>\n"
    )


def render_page(iri: str, triples: list[ox.Triple], base: str, *, ontology: bool = False) -> str:
    """A plain server-rendered page of a resource (or of the ontology)."""
    labels = _label_map(triples)
    if ontology:
        return _ontology_page(iri, triples, labels)
    title = labels.get(iri, iri)
    outgoing: dict[str, list[object]] = defaultdict(list)
    incoming: list[ox.Triple] = []
    for t in triples:
        if isinstance(t.subject, ox.NamedNode) and t.subject.value == iri:
            outgoing[t.predicate.value].append(t.object)
        elif isinstance(t.object, ox.NamedNode) and t.object.value == iri:
            incoming.append(t)
    types = list(outgoing.get(_RDF_TYPE, []))
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p><code>{html.escape(iri)}</code></p>"]
    if types:
        parts.append("<p>Type: " + ", ".join(_term_html(o, labels, base) for o in types) + "</p>")
    parts.append("<h2>Properties</h2><table><tr><th>property</th><th>value</th></tr>")
    for predicate in sorted(outgoing):
        for obj in outgoing[predicate]:
            parts.append(
                f"<tr><td>{_term_html(ox.NamedNode(predicate), labels, base)}</td>"
                f"<td>{_term_html(obj, labels, base)}</td></tr>"
            )
    parts.append("</table>")
    if incoming:
        parts.append("<h2>Incoming links</h2><table><tr><th>from</th><th>property</th></tr>")
        for t in sorted(incoming, key=lambda t: (t.predicate.value, _key(t.subject))):
            parts.append(
                f"<tr><td>{_term_html(t.subject, labels, base)}</td>"
                f"<td>{_term_html(t.predicate, labels, base)}</td></tr>"
            )
        parts.append("</table>")
    return _page(title, "\n".join(parts))


def _ontology_page(iri: str, triples: list[ox.Triple], labels: dict[str, str]) -> str:
    types: dict[str, set[str]] = defaultdict(set)
    comments: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == _RDF_TYPE and isinstance(t.object, ox.NamedNode):
            types[_key(t.subject)].add(t.object.value)
        elif t.predicate.value in _COMMENTS and isinstance(t.object, ox.Literal):
            comments.setdefault(_key(t.subject), t.object.value)
    title = labels.get(iri, "Ontology")
    parts = [f"<h1>{html.escape(title)}</h1>", f"<p><code>{html.escape(iri)}</code></p>"]
    for heading, wanted in (("Classes", _CLASS_TYPES), ("Properties", _PROPERTY_TYPES)):
        terms = sorted(s for s, kinds in types.items() if kinds & wanted)
        parts.append(f"<h2>{heading}</h2><dl>")
        for term in terms:
            anchor = term.rsplit("#", 1)[1] if "#" in term else ""
            parts.append(
                f'<dt id="{html.escape(anchor, quote=True)}">'
                f"{html.escape(labels.get(term, term))} <code>{html.escape(term)}</code></dt>"
                f"<dd>{html.escape(comments.get(term, ''))}</dd>"
            )
        parts.append("</dl>")
    return _page(title, "\n".join(parts))
