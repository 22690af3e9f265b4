"""Jobs answered by an external SPARQL 1.1 store (``vawmw serve --backend QUERY_URL``).

:class:`RemoteBackend` runs the jobs of :mod:`vawmw.query.engine` (:class:`QueryJob`,
:class:`DescribeJob`, :class:`GraphJob`) against a remote query endpoint that holds the release
(loaded with ``vawmw load``) and answers with the same :class:`JobResult` as the worker pool,
so the routes, their checks and their limits do not change:

* the query guard runs in the route before anything is sent; the backend only sees queries
  that the embedded store would also have been given. Here the guard is the only layer against
  ``SERVICE``: the embedded store's workers also run without network (:mod:`vawmw.query.sandbox`),
  but the external store evaluates queries in its own process, with whatever network it has.
  That is accepted: such a store is the operator's own, and its federation (if any) is
  configured, and can be switched off, there;
* SELECT / ASK are fetched as ``application/sparql-results+json``, CONSTRUCT / DESCRIBE as
  N-Triples, parsed, cut at the row cap and re-serialized by the engine's serializers into the
  negotiated format (so ``X-SPARQL-Truncated`` and every format behave as with the embedded
  store). At most ``4 x max_result_bytes`` of the remote answer is read: more is cut and
  flagged as truncated;
* the default graph: the embedded store answers with the union of its graphs. Stores differ
  here (Virtuoso's default graph is every graph it holds, system graphs included; Oxigraph
  server's is an empty graph of its own unless started with ``--union-default-graph``), so a
  query without FROM and without protocol dataset is sent with the release's graphs (and the
  extra graphs) as ``default-graph-uri`` and ``named-graph-uri``: the same dataset as the
  embedded store, on every store. Protocol dataset parameters are passed through as given;
  a query with its own FROM / FROM NAMED is sent as it is;
* relative IRIs in a query resolve against our endpoint (a ``BASE`` is put before the query,
  on its first line; a BASE of the query's own still wins);
* resource descriptions are built with three SELECT queries (outgoing, incoming, labels of the
  linked resources); the IRI enters them only as a validated ``pyoxigraph.NamedNode``;
* at most ``workers`` requests run at once and ``wait_queue_size`` wait (else
  :class:`PoolBusy`), admitted fairly between clients as on the worker pool
  (:mod:`vawmw.query.fairness`: per-client limits and query-time budget, round-robin); a request
  that takes longer than ``query_timeout`` is abandoned (:class:`QueryTimeout`); a store that
  cannot be reached or fails gives :class:`BackendError` (502); a store's 400 becomes a
  ``bad_request`` result with the store's own message, HTML removed.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from collections.abc import Iterable, Sequence
from typing import ClassVar, Final

import httpx
import pyoxigraph as ox

from vawmw.query.engine import (
    RDF_FORMATS,
    RESULTS_FORMATS,
    DescribeJob,
    GraphJob,
    Job,
    JobResult,
    QueryJob,
    fit_to_bytes,
    media_type_of,
    serialize_solutions,
    serialize_triples,
)
from vawmw.query.errors import PoolBusy, PoolError, QueryTimeout
from vawmw.query.fairness import CLIENT, FairScheduler
from vawmw.remote import client as remote
from vawmw.settings import ServiceSettings

__all__ = ["BackendError", "RemoteBackend", "iri_term"]

_GRAPH_FORMATS: Final = frozenset(RDF_FORMATS)
_RDF_ACCEPT: Final = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.5"
_LABELS: Final = (
    "<http://www.w3.org/2000/01/rdf-schema#label>",
    "<http://www.w3.org/2004/02/skos/core#prefLabel>",
)
_LABEL_BATCH: Final = 100
# Characters that never occur in an IRI we put between < and > (RFC 3987 and SPARQL IRIREF).
_UNSAFE_IRI: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')


_Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple


def _subject(term: object) -> ox.NamedNode | ox.BlankNode:
    if not isinstance(term, ox.NamedNode | ox.BlankNode):
        raise BackendError(f"the SPARQL store sent an unexpected subject: {term!r}")
    return term


def _named(term: object) -> ox.NamedNode:
    if not isinstance(term, ox.NamedNode):
        raise BackendError(f"the SPARQL store sent an unexpected predicate: {term!r}")
    return term


def _object(term: object) -> _Term:
    if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        raise BackendError(f"the SPARQL store sent an unexpected term: {term!r}")
    return term


class BackendError(PoolError):
    """The external store could not be reached or failed: 502, no ``Retry-After``."""

    status: ClassVar[int] = 502
    retry: ClassVar[bool] = False


class _Cut(Exception):
    """Internal: the remote answer was longer than we read."""


def iri_term(iri: str) -> str:
    """``<iri>`` for a SPARQL query, after strict validation; ValueError when not an IRI."""
    if _UNSAFE_IRI.search(iri):
        raise ValueError(f"not an IRI: {iri[:200]!r}")
    node = ox.NamedNode(iri)  # raises ValueError on anything that is not an absolute IRI
    term = str(node)
    if not (term.startswith("<") and term.endswith(">")) or _UNSAFE_IRI.search(term[1:-1]):
        raise ValueError(f"not an IRI: {iri[:200]!r}")
    return term


class RemoteBackend:
    """The query pool's stand-in over an external SPARQL 1.1 query endpoint."""

    def __init__(self, settings: ServiceSettings, graph_names: Sequence[str]) -> None:
        if not settings.backend_url:
            raise ValueError("RemoteBackend needs settings.backend_url")
        self.settings = settings
        self.endpoint = settings.backend_url
        self.graph_names = tuple(graph_names)
        self.max_read_bytes = 4 * settings.max_result_bytes + 64 * 1024
        self._http: httpx.AsyncClient | None = None
        self._scheduler = FairScheduler.from_settings(settings, settings.workers)

    # -- the pool's interface ---------------------------------------------------------------

    @property
    def alive(self) -> int:
        """Request slots open to the store (0 before start and after close)."""
        return self.settings.workers if self._http is not None else 0

    @property
    def waiting(self) -> int:
        return self._scheduler.waiting

    async def start(self) -> None:
        timeout = self.settings.query_timeout
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(remote.CONNECT_TIMEOUT, timeout)),
            limits=httpx.Limits(max_connections=self.settings.workers),
            follow_redirects=False,
        )

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        self._http = None

    async def run(
        self, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        """Answer ``job`` for ``client`` (default: the current request's) from the store within
        ``timeout`` s (default: query_timeout); the time taken is charged to the client."""
        limit = self.settings.query_timeout if timeout is None else timeout
        if self._http is None:
            raise PoolBusy("the backend connection is not running")
        who = CLIENT.get() if client is None else client
        await self._scheduler.acquire(who, self.settings.query_timeout)
        loop = asyncio.get_running_loop()
        began = loop.time()
        try:
            async with asyncio.timeout(limit):
                if isinstance(job, QueryJob):
                    return await self._query(job)
                if isinstance(job, DescribeJob):
                    return await self._describe(job)
                return await self._graph(job)
        except TimeoutError as error:
            raise QueryTimeout(limit) from error
        finally:
            self._scheduler.release(who, loop.time() - began)

    # -- HTTP -------------------------------------------------------------------------------

    def _dataset(
        self, default_graphs: Iterable[str] | None, named_graphs: Iterable[str] | None
    ) -> list[tuple[str, str]]:
        params = [("default-graph-uri", iri) for iri in default_graphs or ()]
        params += [("named-graph-uri", iri) for iri in named_graphs or ()]
        return params

    def _whole_dataset(self) -> list[tuple[str, str]]:
        return self._dataset(self.graph_names, self.graph_names)

    async def _post(
        self, query: str, dataset: list[tuple[str, str]], accept: str
    ) -> tuple[str, bytes, bool]:
        """POST the query; (media type, body, cut) with at most max_read_bytes of body."""
        http = self._http
        if http is None:
            raise PoolBusy("the backend connection is not running")
        form = httpx.QueryParams([("query", query), *dataset])
        try:
            async with http.stream(
                "POST",
                self.endpoint,
                content=str(form).encode("ascii"),
                headers={
                    "Accept": accept,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            ) as response:
                if not response.is_success:
                    await response.aread()
                    self._raise_for(response)
                chunks: list[bytes] = []
                size, cut = 0, False
                async for chunk in response.aiter_bytes():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > self.max_read_bytes:
                        cut = True
                        break
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
                body = b"".join(chunks)
                return media_type.lower(), body[: self.max_read_bytes], cut
        except httpx.TimeoutException as error:
            raise TimeoutError from error  # becomes QueryTimeout in run()
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
            detail = str(error) or type(error).__name__
            message = f"the SPARQL store at {self.endpoint} is unreachable: {detail}"
            raise BackendError(message) from error
        except httpx.UnsupportedProtocol as error:
            raise BackendError(f"the backend is not an http(s) URL: {error}") from error

    def _raise_for(self, response: httpx.Response) -> None:
        message = remote.server_message(response)
        status = response.status_code
        if status == 400:
            raise _Rejected(message)
        raise BackendError(f"the SPARQL store answered HTTP {status}: {message}")

    # -- jobs -------------------------------------------------------------------------------

    async def _query(self, job: QueryJob) -> JobResult:
        if job.default_graphs is not None or job.named_graphs is not None:
            dataset = self._dataset(job.default_graphs, job.named_graphs)
        elif job.union_default_graph:
            dataset = self._whole_dataset()
        else:
            dataset = []
        query = job.query
        if job.base_iri:  # relative IRIs resolve against our endpoint, as with the embedded store;
            # on the query's first line so that the store's line numbers stay right
            query = f"BASE {iri_term(job.base_iri)} {query}"
        graph_form = job.result_format in _GRAPH_FORMATS
        accept = _RDF_ACCEPT if graph_form else remote.SPARQL_JSON
        try:
            media_type, body, cut = await self._post(query, dataset, accept)
        except _Rejected as rejected:
            return JobResult(error="bad_request", message=str(rejected))
        max_bytes = self.settings.max_result_bytes
        if graph_form:
            return await asyncio.to_thread(_graph_answer, job, media_type, body, cut, max_bytes)
        return await asyncio.to_thread(_results_answer, job, media_type, body, cut, max_bytes)

    async def _select(self, query: str) -> list[list[object]]:
        """Rows of a SELECT the backend itself wrote, over the whole dataset."""
        try:
            media_type, body, cut = await self._post(
                query, self._whole_dataset(), remote.SPARQL_JSON
            )
        except _Rejected as rejected:
            message = f"the SPARQL store refused a description query: {rejected}"
            raise BackendError(message) from rejected
        if cut:
            raise BackendError("the SPARQL store's answer is too large")
        variables, rows = _parse_solutions(media_type, body, None)
        del variables
        return rows

    async def _describe(self, job: DescribeJob) -> JobResult:
        try:
            node_term = iri_term(job.iri)
        except ValueError as error:
            return JobResult(error="bad_request", message=str(error))
        node = ox.NamedNode(job.iri)
        seen: dict[ox.Triple, None] = {}
        linked: dict[ox.NamedNode, None] = {}
        outgoing = await self._select(f"SELECT ?p ?o WHERE {{ {node_term} ?p ?o }}")
        for row in outgoing:
            predicate, obj = _named(row[0]), _object(row[1])
            seen.setdefault(ox.Triple(node, predicate, obj))
            linked.setdefault(predicate)
            if isinstance(obj, ox.NamedNode):
                linked.setdefault(obj)
        own = len(outgoing)
        limit = job.incoming_limit + own + 1
        incoming_rows = await self._select(
            f"SELECT ?s ?p WHERE {{ ?s ?p {node_term} }} LIMIT {int(limit)}"
        )
        incoming = 0
        for row in incoming_rows:
            subject, predicate = _subject(row[0]), _named(row[1])
            triple = ox.Triple(subject, predicate, node)
            if triple in seen:
                continue
            if incoming >= job.incoming_limit:
                break
            seen.setdefault(triple)
            incoming += 1
            linked.setdefault(predicate)
            if isinstance(subject, ox.NamedNode):
                linked.setdefault(subject)
        others = [other for other in linked if other != node]
        for start in range(0, len(others), _LABEL_BATCH):
            values = " ".join(iri_term(o.value) for o in others[start : start + _LABEL_BATCH])
            query = (
                f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
                f"VALUES ?p {{ {' '.join(_LABELS)} }} ?x ?p ?l }}"
            )
            for row in await self._select(query):
                seen.setdefault(ox.Triple(_subject(row[0]), _named(row[1]), _object(row[2])))
        name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
        if own + incoming == 0:
            return JobResult(b"", media_type_of(name), name, rows=0)
        body = await asyncio.to_thread(serialize_triples, list(seen), name)
        return JobResult(body, media_type_of(name), name, rows=own + incoming)

    async def _graph(self, job: GraphJob) -> JobResult:
        try:
            graph = iri_term(job.graph)
        except ValueError as error:
            return JobResult(error="bad_request", message=str(error))
        query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}"
        try:
            media_type, body, cut = await self._post(query, [], _RDF_ACCEPT)
        except _Rejected as rejected:
            message = f"the SPARQL store refused a graph query: {rejected}"
            raise BackendError(message) from rejected
        if cut:
            raise BackendError("the graph is too large to serve from the SPARQL store")
        triples = list(dict.fromkeys(_parse_triples(media_type, body)))
        name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
        data = await asyncio.to_thread(serialize_triples, triples, name)
        return JobResult(data, media_type_of(name), name, rows=len(triples))


class _Rejected(Exception):
    """Internal: the store answered 400 (the message is the store's, as plain text)."""


# --------------------------------------------------------------------------- parsing (threads)


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    found = ox.QueryResultsFormat.from_media_type(media_type) if media_type else None
    if found is None or found == ox.QueryResultsFormat.CSV:
        raise BackendError(f"the SPARQL store answered in an unexpected format: {media_type!r}")
    return found


def _parse_solutions(
    media_type: str, body: bytes, cap: int | None, cut: bool = False
) -> tuple[list[str], list[list[object]]]:
    """Variables and up to ``cap`` (+1, to detect more) rows; a cut answer ends at its last
    complete row."""
    try:
        parsed = ox.parse_query_results(body, _results_format(media_type))
    except SyntaxError as error:
        raise BackendError(f"the SPARQL store sent invalid results: {error}") from error
    if isinstance(parsed, ox.QueryBoolean):
        raise BackendError("the SPARQL store answered a SELECT with a boolean")
    variables = [v.value for v in parsed.variables]
    rows: list[list[object]] = []
    try:
        for solution in itertools.islice(parsed, None if cap is None else cap + 1):
            rows.append([solution[i] for i in range(len(variables))])
    except SyntaxError as error:
        if not cut:
            raise BackendError(f"the SPARQL store sent invalid results: {error}") from error
    return variables, rows


def _results_answer(
    job: QueryJob, media_type: str, body: bytes, cut: bool, max_bytes: int
) -> JobResult:
    fmt = _results_format(media_type)
    if not cut:
        try:
            parsed = ox.parse_query_results(body, fmt)
        except SyntaxError as error:
            raise BackendError(f"the SPARQL store sent invalid results: {error}") from error
        if isinstance(parsed, ox.QueryBoolean):
            name = job.result_format if job.result_format in ("json", "xml") else "json"
            data = parsed.serialize(format=RESULTS_FORMATS[name]) or b""
            return JobResult(data, media_type_of(name), name, rows=1)
    cap = job.max_rows
    variables, rows = _parse_solutions(media_type, body, cap, cut)
    truncated = cut
    if cap is not None and len(rows) > cap:
        rows, truncated = rows[:cap], True
    name = job.result_format if job.result_format in RESULTS_FORMATS else "json"
    data, kept = fit_to_bytes(
        rows, lambda part: serialize_solutions(variables, part, name), max_bytes
    )
    truncated = truncated or kept < len(rows)
    return JobResult(data, media_type_of(name), name, rows=kept, truncated=truncated)


def _rdf_format(media_type: str) -> ox.RdfFormat:
    if media_type in ("text/plain", ""):
        return ox.RdfFormat.N_TRIPLES
    found = ox.RdfFormat.from_media_type(media_type)
    if found is None:
        raise BackendError(f"the SPARQL store answered in an unexpected format: {media_type!r}")
    return found


def _parse_triples(media_type: str, body: bytes) -> list[ox.Triple]:
    try:
        return [
            q if isinstance(q, ox.Triple) else q.triple
            for q in ox.parse(body, format=_rdf_format(media_type))
        ]
    except SyntaxError as error:
        raise BackendError(f"the SPARQL store sent invalid RDF: {error}") from error


def _graph_answer(
    job: QueryJob, media_type: str, body: bytes, cut: bool, max_bytes: int
) -> JobResult:
    rdf_format = _rdf_format(media_type)
    if cut:
        if rdf_format != ox.RdfFormat.N_TRIPLES:
            raise BackendError("the SPARQL store's answer is too large")
        body = body[: body.rfind(b"\n") + 1]
    cap = job.max_rows
    try:
        parsed = ox.parse(body, format=rdf_format)
        items = list(itertools.islice(parsed, None if cap is None else cap + 1))
    except SyntaxError as error:
        raise BackendError(f"the SPARQL store sent invalid RDF: {error}") from error
    triples = [q if isinstance(q, ox.Triple) else q.triple for q in items]
    truncated = cut or (cap is not None and len(triples) > cap)
    if cap is not None:
        triples = triples[:cap]
    name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
    data, kept = fit_to_bytes(triples, lambda part: serialize_triples(list(part), name), max_bytes)
    truncated = truncated or kept < len(triples)
    return JobResult(data, media_type_of(name), name, rows=kept, truncated=truncated)
