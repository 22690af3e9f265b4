"""The SPARQL 1.1 Protocol endpoint (query only) and its Service Description."""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from typing import Final
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from starlette.requests import ClientDisconnect

from vawmw.query import guard as sparql_guard
from vawmw.query.guard import GuardError
from vawmw.query.pool import JobResult, QueryJob
from vawmw.web import negotiation, security
from vawmw.web.negotiation import Format
from vawmw.web.routes import (
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

router = APIRouter(tags=["SPARQL"])
logger = logging.getLogger(__name__)

# Functions whose value changes from one evaluation to the next: such a query's answer must not
# be cached. A plain scan of the text (comments and strings included) errs towards no-store;
# so does any \u escape, which could spell one of the names.
_VOLATILE: Final = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(|\\[uU]", re.IGNORECASE)

FORM_TYPE = "application/x-www-form-urlencoded"
QUERY_TYPE = "application/sparql-query"
UPDATE_TYPE = "application/sparql-update"
_SD = "http://www.w3.org/ns/sparql-service-description#"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_RESULT_FORMAT_IRIS = (
    ox.QueryResultsFormat.JSON.iri,
    ox.QueryResultsFormat.XML.iri,
    ox.QueryResultsFormat.CSV.iri,
    ox.QueryResultsFormat.TSV.iri,
    ox.RdfFormat.TURTLE.iri,
    ox.RdfFormat.N_TRIPLES.iri,
    ox.RdfFormat.JSON_LD.iri,
    ox.RdfFormat.RDF_XML.iri,
    ox.RdfFormat.TRIG.iri,
    ox.RdfFormat.N_QUADS.iri,
)


def _parse_params(text: str, limit: int) -> list[tuple[str, str]]:
    """application/x-www-form-urlencoded pairs; too many fields → 400, bad UTF-8 → 400."""
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=limit, errors="strict")
    except UnicodeDecodeError as exc:
        raise GuardError(400, "the parameters are not valid UTF-8") from exc
    except ValueError as exc:
        raise GuardError(400, f"too many parameters (at most {limit})") from exc


async def _read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it exceeds ``limit`` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise GuardError(413, f"the request body exceeds {limit} bytes")
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise GuardError(413, f"the request body exceeds {limit} bytes")
            chunks.append(chunk)
    except ClientDisconnect:
        # Nobody is left to answer: one line in the log, not a traceback.
        logger.info("client %s disconnected after %d bytes of the body", _peer(request), size)
        raise
    return b"".join(chunks)


def _peer(request: Request) -> str:
    return f"{request.client.host}:{request.client.port}" if request.client else "unknown"


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GuardError(400, "the request body is not valid UTF-8") from exc


def _content_type(request: Request) -> tuple[str, str | None]:
    header = request.headers.get("content-type", "")
    media_type, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return media_type.strip().lower(), charset


async def _collect(request: Request, state: ServiceState) -> list[tuple[str, str]]:
    """All protocol parameters of the request (URL and body), checked for size and encoding."""
    settings = state.settings
    raw_query = request.scope.get("query_string", b"")
    if len(raw_query) > 3 * settings.max_query_bytes + 4096:
        raise GuardError(414, "the request URI is too long; POST the query instead")
    url_params = _parse_params(raw_query.decode("latin-1"), settings.max_form_fields)
    if request.method == "GET":
        return url_params
    media_type, charset = _content_type(request)
    if charset is not None and charset not in ("utf-8", "utf8", "us-ascii"):
        raise GuardError(415, f"only UTF-8 is accepted, not charset={charset}")
    if media_type == FORM_TYPE:
        body = await _read_body(request, 3 * settings.max_query_bytes + 4096)
        body_params = _parse_params(_decode(body), settings.max_form_fields)
        if len(url_params) + len(body_params) > settings.max_form_fields:
            raise GuardError(400, f"too many parameters (at most {settings.max_form_fields})")
        return url_params + body_params
    if media_type == UPDATE_TYPE:
        raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
    if media_type == QUERY_TYPE:
        if any(key in ("query", "update") for key, _ in url_params):
            raise GuardError(400, "a direct POST carries the query in the body, not the URL")
        body = await _read_body(request, settings.max_query_bytes)
        return [*url_params, ("query", _decode(body))]
    raise GuardError(
        415, f"POST needs Content-Type {FORM_TYPE} or {QUERY_TYPE}, not {media_type or 'none'}"
    )


def _values(params: Sequence[tuple[str, str]], key: str) -> list[str]:
    return [value for name, value in params if name == key]


def _graph_iris(values: list[str], name: str) -> tuple[str, ...]:
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise GuardError(400, f"{name} is not an absolute IRI: {value!r}") from exc
    return tuple(values)


def _choose_format(
    params: Sequence[tuple[str, str]], accept: str | None, form: str | None
) -> Format | None:
    if form == "ASK":
        offers: Sequence[Format] = negotiation.BOOLEAN_FORMATS
    elif form in ("CONSTRUCT", "DESCRIBE"):
        offers = negotiation.GRAPH_FORMATS
    else:
        offers = negotiation.RESULTS_FORMATS
    requested = _values(params, "format") or _values(params, "output")
    if requested:
        return negotiation.format_from_param(requested[0], offers)
    return negotiation.negotiate(accept, offers)


@router.get(
    "/sparql",
    name="sparql",
    summary="SPARQL 1.1 query via GET (?query=); without a query: the service description",
    response_class=Response,
)
async def sparql_get(request: Request) -> Response:
    return await sparql(request)


@router.post(
    "/sparql",
    name="sparql_post",
    summary="SPARQL 1.1 query via POST (form-encoded or application/sparql-query)",
    response_class=Response,
)
async def sparql_post(request: Request) -> Response:
    return await sparql(request)


async def sparql(request: Request) -> Response:
    """The SPARQL 1.1 Protocol (query operation only: the service is read-only)."""
    state = service_state(request)
    settings = state.settings
    try:
        params = await _collect(request, state)
        queries, updates = _values(params, "query"), _values(params, "update")
        if len(queries) > 1 or len(updates) > 1 or (queries and updates):
            raise GuardError(400, "give exactly one query parameter (and no update)")
        if updates:
            raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
        if not queries:
            if request.method == "GET" and not params:
                return service_description(request, state)
            raise GuardError(400, "missing query: send query= or an application/sparql-query body")
        query = queries[0]
        if len(query.encode("utf-8")) > settings.max_query_bytes:
            status = 414 if request.method == "GET" else 413
            raise GuardError(status, f"the query exceeds {settings.max_query_bytes} bytes")
        check = sparql_guard.check_query(query, max_nesting=settings.max_nesting)
        fmt = _choose_format(params, request.headers.get("accept"), check.form)
        if fmt is None:
            return error(406, "none of the acceptable media types can represent this result")
        default_graphs = _graph_iris(_values(params, "default-graph-uri"), "default-graph-uri")
        named_graphs = _graph_iris(_values(params, "named-graph-uri"), "named-graph-uri")
    except GuardError as exc:
        return error(exc.status, exc.message)
    except ClientDisconnect:
        return error(400, "the client disconnected before the end of the request")
    protocol_dataset = bool(default_graphs or named_graphs)
    job = QueryJob(
        query=query,
        result_format=fmt.name,
        default_graphs=default_graphs if protocol_dataset else None,
        named_graphs=named_graphs if protocol_dataset else None,
        union_default_graph=not check.has_dataset_clause,
        max_rows=settings.max_rows,
        # Relative IRIs resolve against the endpoint (its public URL when configured).
        base_iri=security.public_url_for(request, settings, "sparql"),
    )
    result = await run_job(state, job)
    if not isinstance(result, JobResult):
        return result
    failure = job_error(result)
    if failure is not None:
        return failure
    actual = negotiation.ALL_FORMATS.get(result.result_format, fmt)
    headers = {"Vary": "Accept", "X-SPARQL-Max-Rows": str(settings.max_rows)}
    if result.truncated:
        headers["X-SPARQL-Truncated"] = "true"
    return _answer(request, state, query, actual, result.body, headers)


def _answer(
    request: Request,
    state: ServiceState,
    query: str,
    fmt: Format,
    body: bytes,
    headers: dict[str, str],
) -> Response:
    """The answer to a query that succeeded, with its validators.

    Validators are compared only now, after the query ran: a 304 (also for ``If-None-Match:
    *``) says that this query has an answer and that it is unchanged, so a query that fails
    gets its error instead. An answer that may differ on the next evaluation (RAND(), NOW() …)
    gets no ETag and ``no-store``. Only GET answers are cacheable.
    """
    if _VOLATILE.search(query):
        headers["Cache-Control"] = "no-store"
    elif request.method == "GET":
        variant = security.host_variant(request, state.settings, fmt.name)
        headers.update(cache_headers(state, variant))
        if if_none_match(request, etag_for(state, variant)):
            return not_modified(headers)
    return Response(body, media_type=fmt.content_type, headers=headers)


# --------------------------------------------------------------------------- service description


def _description_triples(request: Request, state: ServiceState) -> list[ox.Triple]:
    settings = state.settings
    endpoint = ox.NamedNode(security.public_url_for(request, settings, "sparql"))
    base = settings.base_iri
    dataset = ox.NamedNode(base + "dataset")
    void_url = ox.NamedNode(security.public_url_for(request, settings, "well_known_void"))
    sd = {
        name: ox.NamedNode(_SD + name)
        for name in (
            "Service",
            "endpoint",
            "supportedLanguage",
            "SPARQL11Query",
            "resultFormat",
            "feature",
            "UnionDefaultGraph",
            "BasicFederatedQuery",
            "defaultDataset",
            "Dataset",
            "defaultGraph",
            "namedGraph",
            "NamedGraph",
            "name",
            "graph",
            "Graph",
        )
    }
    void_triples = ox.NamedNode("http://rdfs.org/ns/void#triples")
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    triples = [
        ox.Triple(endpoint, _RDF_TYPE, sd["Service"]),
        ox.Triple(endpoint, sd["endpoint"], endpoint),
        ox.Triple(endpoint, sd["supportedLanguage"], sd["SPARQL11Query"]),
        ox.Triple(endpoint, sd["feature"], sd["UnionDefaultGraph"]),
        ox.Triple(endpoint, sd["defaultDataset"], dataset),
        ox.Triple(dataset, _RDF_TYPE, sd["Dataset"]),
        ox.Triple(dataset, see_also, void_url),
    ]
    triples.extend(
        ox.Triple(endpoint, sd["resultFormat"], ox.NamedNode(iri)) for iri in _RESULT_FORMAT_IRIS
    )
    default_graph = ox.BlankNode("defaultGraph")
    total = sum(state.release.graphs.values())
    triples += [
        ox.Triple(dataset, sd["defaultGraph"], default_graph),
        ox.Triple(default_graph, _RDF_TYPE, sd["Graph"]),
        ox.Triple(default_graph, void_triples, ox.Literal(str(total), datatype=_XSD_INTEGER)),
    ]
    for index, name in enumerate(state.graph_names):
        named = ox.BlankNode(f"namedGraph{index}")
        graph = ox.BlankNode(f"graph{index}")
        triples += [
            ox.Triple(dataset, sd["namedGraph"], named),
            ox.Triple(named, _RDF_TYPE, sd["NamedGraph"]),
            ox.Triple(named, sd["name"], ox.NamedNode(name)),
            ox.Triple(named, sd["graph"], graph),
            ox.Triple(graph, _RDF_TYPE, sd["Graph"]),
        ]
        if name in state.release.graphs:
            count = str(state.release.graphs[name])
            triples.append(ox.Triple(graph, void_triples, ox.Literal(count, datatype=_XSD_INTEGER)))
    return triples


_XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
_SD_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "ntriples": ox.RdfFormat.N_TRIPLES,
}


def service_description(request: Request, state: ServiceState) -> Response:
    """GET /sparql without a query: the SPARQL 1.1 Service Description of the endpoint."""
    fmt = negotiation.negotiate(request.headers.get("accept"), negotiation.DESCRIPTION_FORMATS)
    if fmt is None:
        return error(406, "the service description is available as Turtle, JSON-LD, RDF/XML, HTML")
    # It holds the endpoint's absolute URL: per origin unless public_url is set.
    variant = security.host_variant(request, state.settings, f"sd-{fmt.name}")
    headers = {"Vary": "Accept", **cache_headers(state, variant)}
    if if_none_match(request, etag_for(state, variant)):
        return not_modified(headers)
    triples = _description_triples(request, state)
    prefixes = {"sd": _SD, "void": "http://rdfs.org/ns/void#"}
    turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    if fmt.name == "html":
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            "<title>SPARQL endpoint</title></head><body><h1>SPARQL endpoint</h1>"
            "<p>Send SPARQL 1.1 queries with <code>?query=</code> (GET) or POST. "
            'Example queries: <a href="../queries">/queries</a>. '
            'Dataset description: <a href="../.well-known/void">VoID</a>.</p>'
            '<form method="get"><textarea name="query" rows="10" cols="80">'
            "SELECT * WHERE { ?s ?p ?o } LIMIT 10</textarea><br>"
            '<button type="submit">Run</button></form>'
            f"<h2>Service description</h2><pre>{html.escape(turtle.decode('utf-8'))}</pre>"
            "</body></html>\n"
        )
        return Response(page, media_type=fmt.content_type, headers=headers)
    body = ox.serialize(triples, format=_SD_RDF_FORMATS[fmt.name], prefixes=prefixes) or b""
    return Response(body, media_type=fmt.content_type, headers=headers)
