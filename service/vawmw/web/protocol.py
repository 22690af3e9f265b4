"""The SPARQL 1.1 Protocol's query operation, executed in one place for ``/sparql`` and the editor.

:func:`collect` reads a request's protocol parameters (URL and body), checked for size and
encoding; :func:`execute` checks the query (:mod:`vawmw.query.guard`), chooses the result
format, runs the query on the service's job runner and returns its :class:`Answer`. Every
refusal on the way is a :class:`vawmw.web.http.Refused` with its status: the ``/sparql`` route
sends it as plain text, the editor shows its message on the page.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Final
from urllib.parse import parse_qsl

import pyoxigraph as ox
from fastapi import Request
from starlette.requests import ClientDisconnect

from vawmw.query import guard as sparql_guard
from vawmw.query.guard import GuardError
from vawmw.query.jobs import QueryJob
from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.settings import ServiceSettings
from vawmw.web import negotiation
from vawmw.web.http import Refused
from vawmw.web.routes import ServiceState, answer_job

__all__ = ["Answer", "Call", "collect", "execute", "refusing", "url_params"]

logger = logging.getLogger(__name__)

# Functions whose value changes from one evaluation to the next: such a query's answer must not
# be cached. A plain scan of the text (comments and strings included) errs towards no-store;
# so does any \u escape, which could spell one of the names.
_VOLATILE: Final = re.compile(r"\b(?:RAND|NOW|UUID|STRUUID|BNODE)\s*\(|\\[uU]", re.IGNORECASE)


@dataclass(frozen=True)
class Call:
    """One protocol request: its method (GET or POST), its parameters and its Accept header."""

    method: str
    params: Sequence[tuple[str, str]]
    accept: str | None

    def values(self, key: str) -> list[str]:
        return [value for name, value in self.params if name == key]


@dataclass(frozen=True)
class Answer:
    """A query that succeeded: its text, the format of its answer, the answer itself."""

    query: str
    fmt: Format
    body: bytes
    truncated: bool

    @property
    def deterministic(self) -> bool:
        """False when the answer may differ on the next evaluation (RAND(), NOW() …)."""
        return _VOLATILE.search(self.query) is None


@contextlib.contextmanager
def refusing() -> Iterator[None]:
    """The protocol's refusals as :class:`Refused`: a guard's, and a client gone mid-body."""
    try:
        yield
    except GuardError as exc:
        raise Refused(exc.status, exc.message) from exc
    except ClientDisconnect as exc:
        raise Refused(400, "the client disconnected before the end of the request") from exc


# --------------------------------------------------------------------------- parameters


def _parse_params(text: str, limit: int) -> list[tuple[str, str]]:
    """application/x-www-form-urlencoded pairs; too many fields → 400, bad UTF-8 → 400."""
    try:
        return parse_qsl(text, keep_blank_values=True, max_num_fields=limit, errors="strict")
    except UnicodeDecodeError as exc:
        raise GuardError(400, "the parameters are not valid UTF-8") from exc
    except ValueError as exc:
        raise GuardError(400, f"too many parameters (at most {limit})") from exc


def url_params(request: Request, settings: ServiceSettings) -> list[tuple[str, str]]:
    """The parameters in the request's URL, checked for length, count and encoding."""
    raw_query = request.scope.get("query_string", b"")
    with refusing():
        if len(raw_query) > 3 * settings.max_query_bytes + 4096:
            raise GuardError(414, "the request URI is too long; POST the query instead")
        return _parse_params(raw_query.decode("latin-1"), settings.max_form_fields)


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


async def _body_params(
    request: Request, settings: ServiceSettings, url: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The parameters a POST adds in its body (form-encoded, or the query itself)."""
    media_type, charset = _content_type(request)
    if charset is not None and charset not in ("utf-8", "utf8", "us-ascii"):
        raise GuardError(415, f"only UTF-8 is accepted, not charset={charset}")
    if media_type == formats.FORM_TYPE:
        body = await _read_body(request, 3 * settings.max_query_bytes + 4096)
        params = _parse_params(_decode(body), settings.max_form_fields)
        if len(url) + len(params) > settings.max_form_fields:
            raise GuardError(400, f"too many parameters (at most {settings.max_form_fields})")
        return params
    if media_type == formats.SPARQL_UPDATE_TYPE:
        raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
    if media_type == formats.SPARQL_QUERY_TYPE:
        if any(key in ("query", "update") for key, _ in url):
            raise GuardError(400, "a direct POST carries the query in the body, not the URL")
        body = await _read_body(request, settings.max_query_bytes)
        return [("query", _decode(body))]
    raise GuardError(
        415,
        f"POST needs Content-Type {formats.FORM_TYPE} or {formats.SPARQL_QUERY_TYPE}, "
        f"not {media_type or 'none'}",
    )


async def collect(request: Request, settings: ServiceSettings) -> Call:
    """The protocol request: every parameter (URL and body), checked for size and encoding."""
    params = url_params(request, settings)
    if request.method == "POST":
        with refusing():
            params += await _body_params(request, settings, params)
    return Call(request.method, params, request.headers.get("accept"))


# --------------------------------------------------------------------------- execution


def _the_query(call: Call, settings: ServiceSettings) -> str:
    queries, updates = call.values("query"), call.values("update")
    if len(queries) > 1 or len(updates) > 1 or (queries and updates):
        raise GuardError(400, "give exactly one query parameter (and no update)")
    if updates:
        raise GuardError(403, "this service is read-only: SPARQL Update is not accepted")
    if not queries:
        raise GuardError(400, "missing query: send query= or an application/sparql-query body")
    if len(queries[0].encode("utf-8")) > settings.max_query_bytes:
        status = 414 if call.method == "GET" else 413
        raise GuardError(status, f"the query exceeds {settings.max_query_bytes} bytes")
    return queries[0]


def _graph_iris(call: Call, name: str) -> tuple[str, ...]:
    values = call.values(name)
    for value in values:
        try:
            ox.NamedNode(value)
        except ValueError as exc:
            raise GuardError(400, f"{name} is not an absolute IRI: {value!r}") from exc
    return tuple(values)


def _choose_format(call: Call, form: str | None) -> Format:
    if form == "ASK":
        offers: Sequence[Format] = formats.BOOLEAN_FORMATS
    elif form in ("CONSTRUCT", "DESCRIBE"):
        offers = formats.GRAPH_FORMATS
    else:
        offers = formats.RESULTS_FORMATS
    requested = call.values("format") or call.values("output")
    if requested:
        fmt = negotiation.format_from_param(requested[0], offers)
    else:
        fmt = negotiation.negotiate(call.accept, offers)
    if fmt is None:
        raise GuardError(406, "none of the acceptable media types can represent this result")
    return fmt


def _job(call: Call, settings: ServiceSettings, base_iri: str) -> QueryJob:
    """The job for the call's query, checked by the guard; the answer's format is negotiated."""
    query = _the_query(call, settings)
    check = sparql_guard.check_query(query, max_nesting=settings.max_nesting)
    fmt = _choose_format(call, check.form)
    default_graphs = _graph_iris(call, "default-graph-uri")
    named_graphs = _graph_iris(call, "named-graph-uri")
    protocol_dataset = bool(default_graphs or named_graphs)
    return QueryJob(
        query=query,
        result_format=fmt.name,
        default_graphs=default_graphs if protocol_dataset else None,
        named_graphs=named_graphs if protocol_dataset else None,
        union_default_graph=not check.has_dataset_clause,
        max_rows=settings.max_rows,
        base_iri=base_iri,
    )


async def execute(state: ServiceState, call: Call, *, base_iri: str) -> Answer:
    """Run the call's query; any refusal (guard, format, runner, failed query) is Refused.

    ``base_iri`` is what relative IRIs in the query resolve against: the endpoint's URL.
    """
    with refusing():
        job = _job(call, state.settings, base_iri)
    result = await answer_job(state, job)
    fmt = formats.ALL_FORMATS.get(result.result_format) or formats.ALL_FORMATS[job.result_format]
    return Answer(job.query, fmt, result.body, result.truncated)
