"""Jobs answered by an external SPARQL 1.1 store (``vawmw serve --backend QUERY_URL``).

:class:`RemoteBackend` is a :class:`~vawmw.query.runner.JobRunner`: it runs the jobs of
:mod:`vawmw.query.jobs` (:class:`QueryJob`, :class:`DescribeJob`, :class:`GraphJob`) against a
remote query endpoint that holds the release (loaded with ``vawmw load``) and answers with the
same :class:`JobResult` as the worker pool, so the routes, their checks and their limits do not
change:

* the query guard runs in the route before anything is sent; the backend only sees queries
  that the embedded store would also have been given. Here the guard is the only layer against
  ``SERVICE``: the embedded store's workers also run without network (:mod:`vawmw.query.sandbox`),
  but the external store evaluates queries in its own process, with whatever network it has.
  That is accepted: such a store is the operator's own, and its federation (if any) is
  configured, and can be switched off, there;
* SELECT / ASK are fetched as ``application/sparql-results+json``, CONSTRUCT / DESCRIBE as
  N-Triples, parsed, cut at the row cap and re-serialized into the negotiated format by the
  same code as the embedded store's answers (:mod:`vawmw.query.answers`), so
  ``X-SPARQL-Truncated`` and every format behave as with the embedded store. At most
  ``4 x max_result_bytes`` of the remote answer is read: more is cut and flagged as truncated.
  The parsing runs on a thread, and every pyoxigraph iterator it makes is used up or dropped
  there (pyoxigraph's iterators may not be dropped on another thread);
* the default graph: the embedded store answers with the union of its graphs. Stores differ
  here (Virtuoso's default graph is every graph it holds, system graphs included; Oxigraph
  server's is an empty graph of its own unless started with ``--union-default-graph``), so a
  query without FROM and without protocol dataset is sent with the release's graphs (and the
  extra graphs) as ``default-graph-uri`` and ``named-graph-uri``: the same dataset as the
  embedded store, on every store. Protocol dataset parameters are passed through as given;
  a query with its own FROM / FROM NAMED is sent as it is;
* relative IRIs in a query resolve against our endpoint (a ``BASE`` is put before the query,
  on its first line; a BASE of the query's own still wins);
* resource descriptions (:mod:`vawmw.query.describe`, the same algorithm as the embedded
  store's) are fetched with three SELECT queries (outgoing, incoming, labels of the linked
  resources); the IRI enters them only as a validated ``pyoxigraph.NamedNode``;
* at most ``workers`` requests run at once and ``wait_queue_size`` wait (else
  :class:`PoolBusy`), admitted fairly between clients as on the worker pool
  (:mod:`vawmw.query.fairness`: per-client limits and query-time budget, round-robin); a request
  that takes longer than ``query_timeout`` is abandoned (:class:`QueryTimeout`); a store that
  cannot be reached or fails gives :class:`BackendError` (502); a store's 400 becomes a
  ``bad_request`` result with the store's own message, HTML removed.
"""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import partial
from typing import Final

import httpx
import pyoxigraph as ox

from vawmw.query.answers import boolean_answer, graph_answer, solutions_answer, triples_answer
from vawmw.query.describe import LABELS, Description
from vawmw.query.errors import BackendError, PoolBusy, QueryTimeout
from vawmw.query.fairness import CLIENT, FairScheduler
from vawmw.query.jobs import DescribeJob, Job, JobResult, QueryJob
from vawmw.query.prefixes import missing_prologue
from vawmw.query.runner import Readiness
from vawmw.query.syntax import readable
from vawmw.rdf import formats
from vawmw.rdf.serialize import Term
from vawmw.remote import client as remote
from vawmw.remote.probe import PROBE_TIMEOUT, StoreProbe
from vawmw.settings import ServiceSettings

__all__ = ["BackendError", "RemoteBackend", "graph_answer_from", "iri_term", "results_answer_from"]

# Virtuoso answers N-Triples as text/plain, its old media type.
_PLAIN: Final = formats.TEXT.media_type
_RDF_ACCEPT: Final = (
    f"{formats.NTRIPLES.media_type}, {_PLAIN};q=0.9, {formats.TURTLE.media_type};q=0.5"
)
# What the store may answer a SELECT / ASK with: CSV is lossy (no term types), so not read.
_READABLE_RESULTS: Final = (formats.JSON, formats.XML, formats.TSV)
_LABEL_TERMS: Final = " ".join(str(label) for label in LABELS)
_LABEL_BATCH: Final = 100
# Characters that never occur in an IRI we put between < and > (RFC 3987 and SPARQL IRIREF).
_UNSAFE_IRI: Final = re.compile(r'[\x00-\x20<>"{}|^`\\]')


def _subject(term: object) -> ox.NamedNode | ox.BlankNode:
    if not isinstance(term, ox.NamedNode | ox.BlankNode):
        raise BackendError(f"the SPARQL store sent an unexpected subject: {term!r}")
    return term


def _named(term: object) -> ox.NamedNode:
    if not isinstance(term, ox.NamedNode):
        raise BackendError(f"the SPARQL store sent an unexpected predicate: {term!r}")
    return term


def _object(term: object) -> Term:
    if not isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        raise BackendError(f"the SPARQL store sent an unexpected term: {term!r}")
    return term


def iri_term(iri: str) -> str:
    """``<iri>`` for a SPARQL query, after strict validation; ValueError when not an IRI."""
    if _UNSAFE_IRI.search(iri):
        raise ValueError(f"not an IRI: {iri[:200]!r}")
    node = ox.NamedNode(iri)  # raises ValueError on anything that is not an absolute IRI
    term = str(node)
    if not (term.startswith("<") and term.endswith(">")) or _UNSAFE_IRI.search(term[1:-1]):
        raise ValueError(f"not an IRI: {iri[:200]!r}")
    return term


class _Rejected(Exception):
    """Internal: the store answered 400 (the message is the store's, as plain text)."""


class RemoteBackend:
    """A :class:`~vawmw.query.runner.JobRunner` over an external SPARQL 1.1 query endpoint."""

    def __init__(self, settings: ServiceSettings, graph_names: Sequence[str]) -> None:
        if not settings.backend_url:
            raise ValueError("RemoteBackend needs settings.backend_url")
        self.settings = settings
        self.endpoint = settings.backend_url
        self.graph_names = tuple(graph_names)
        self.max_read_bytes = 4 * settings.max_result_bytes + 64 * 1024
        self._http: httpx.AsyncClient | None = None
        self._scheduler = FairScheduler.from_settings(settings, settings.workers)
        self.probe = StoreProbe(self.endpoint, min(PROBE_TIMEOUT, settings.query_timeout))

    # -- the runner's interface -------------------------------------------------------------

    @property
    def alive(self) -> int:
        """Request slots open to the store (0 before start and after close)."""
        return self.settings.workers if self._http is not None else 0

    @property
    def waiting(self) -> int:
        return self._scheduler.waiting

    @property
    def serving(self) -> bool:
        """Started and not closed: liveness does not depend on the store (restarting this
        process would not bring a store back); readiness does."""
        return self._http is not None

    async def readiness(self) -> Readiness:
        if self._http is None:
            return Readiness(False, "the backend connection is not running")
        if self._scheduler.waiting >= self.settings.wait_queue_size:
            return Readiness(False, "the wait queue is full")
        probed = await self.probe.check()
        return Readiness(probed.ok, probed.detail)

    async def start(self) -> None:
        timeout = self.settings.query_timeout
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout, connect=min(remote.CONNECT_TIMEOUT, timeout)),
            limits=httpx.Limits(max_connections=self.settings.workers),
            follow_redirects=False,
        )
        await self.probe.start()

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        self._http = None
        await self.probe.close()

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
                return await self._graph(job.graph, job.result_format)
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
        headers = {"Accept": accept, "Content-Type": formats.FORM_TYPE}
        try:
            async with http.stream(
                "POST", self.endpoint, content=str(form).encode("ascii"), headers=headers
            ) as response:
                if not response.is_success:
                    await response.aread()
                    self._raise_for(response)
                body, cut = await self._read(response)
                media_type = response.headers.get("content-type", "").split(";")[0].strip()
                return media_type.lower(), body, cut
        except httpx.TimeoutException as error:
            raise TimeoutError from error  # becomes QueryTimeout in run()
        except (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError) as error:
            detail = str(error) or type(error).__name__
            message = f"the SPARQL store at {self.endpoint} is unreachable: {detail}"
            raise BackendError(message) from error
        except httpx.UnsupportedProtocol as error:
            raise BackendError(f"the backend is not an http(s) URL: {error}") from error

    async def _read(self, response: httpx.Response) -> tuple[bytes, bool]:
        """At most max_read_bytes of the body, and whether there was more."""
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.max_read_bytes:
                return b"".join(chunks)[: self.max_read_bytes], True
        return b"".join(chunks), False

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
        # On the query's first line, so that the store's line numbers stay right: relative IRIs
        # resolve against our endpoint and the usual prefixes are predeclared, as embedded.
        query = missing_prologue(job.query) + job.query
        if job.base_iri:
            query = f"BASE {iri_term(job.base_iri)} {query}"
        graph_form = formats.ALL_FORMATS[job.result_format].kind == "rdf"
        accept = _RDF_ACCEPT if graph_form else formats.JSON.media_type
        try:
            media_type, body, cut = await self._post(query, dataset, accept)
        except _Rejected as rejected:
            # Oxigraph server words its errors as pyoxigraph does: made readable the same way;
            # another store's message (Virtuoso's "line 1: syntax error …") passes unchanged.
            return JobResult(error="bad_request", message=readable(str(rejected), query))
        max_bytes = self.settings.max_result_bytes
        answer = graph_answer_from if graph_form else results_answer_from
        work = partial(answer, job, media_type, body, cut, max_bytes)
        return await asyncio.to_thread(_on_this_thread, work)

    async def _select(self, query: str) -> list[list[Term | None]]:
        """Rows of a SELECT the backend itself wrote (for a description), over the whole
        dataset. The answers are small: parsed on the event loop's thread, whose iterators
        are then dropped on that same thread."""
        try:
            media_type, body, cut = await self._post(
                query, self._whole_dataset(), formats.JSON.media_type
            )
        except _Rejected as rejected:
            message = f"the SPARQL store refused a description query: {rejected}"
            raise BackendError(message) from rejected
        if cut:
            raise BackendError("the SPARQL store's answer is too large")
        _variables, rows = _parse_solutions(media_type, body)
        return list(rows)

    async def _describe(self, job: DescribeJob) -> JobResult:
        try:
            node_term = iri_term(job.iri)
        except ValueError as error:
            return JobResult(error="bad_request", message=str(error))
        description = Description(job.iri, job.incoming_limit)
        node = description.node
        own = await self._select(f"SELECT ?p ?o WHERE {{ {node_term} ?p ?o }}")
        description.add_own(ox.Triple(node, _named(p), _object(o)) for p, o in own)
        limit = description.incoming_fetch_limit
        incoming = await self._select(f"SELECT ?s ?p WHERE {{ ?s ?p {node_term} }} LIMIT {limit}")
        description.add_incoming(ox.Triple(_subject(s), _named(p), node) for s, p in incoming)
        others = description.linked
        for start in range(0, len(others), _LABEL_BATCH):
            values = " ".join(iri_term(o.value) for o in others[start : start + _LABEL_BATCH])
            query = (
                f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {values} }} "
                f"VALUES ?p {{ {_LABEL_TERMS} }} ?x ?p ?l }}"
            )
            labels = await self._select(query)
            description.add_labels(
                ox.Triple(_subject(x), _named(p), _object(label)) for x, p, label in labels
            )
        return await asyncio.to_thread(description.answer, job.result_format)

    async def _graph(self, graph_iri: str, format_name: str) -> JobResult:
        try:
            graph = iri_term(graph_iri)
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
        triples = list(dict.fromkeys(_parse_triples(media_type, body, cut=False)))
        return await asyncio.to_thread(graph_answer, triples, format_name, len(triples))


# --------------------------------------------------------------------------- parsing (threads)


def _clear_frames(error: BaseException) -> None:
    """Drop the locals of every frame in ``error``'s tracebacks (its causes included)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _on_this_thread(answer: Callable[[], JobResult]) -> JobResult:
    """``answer()``, run on a worker thread.

    pyoxigraph's parsed results may only be dropped on the thread that made them (else
    "PyQuerySolutions is unsendable, but is being dropped on another thread"). A failure's
    traceback holds the frames that hold them, and the error travels to the event loop, so
    those frames are cleared here first.
    """
    try:
        return answer()
    except BaseException as error:
        _clear_frames(error)
        raise


def _results_format(media_type: str) -> ox.QueryResultsFormat:
    fmt = formats.by_media_type(media_type, _READABLE_RESULTS) if media_type else None
    if fmt is None or fmt.results_format is None:
        raise BackendError(f"the SPARQL store answered in an unexpected format: {media_type!r}")
    return fmt.results_format


def _parse_results(media_type: str, body: bytes) -> ox.QuerySolutions | ox.QueryBoolean:
    try:
        return ox.parse_query_results(body, _results_format(media_type))
    except SyntaxError as error:
        raise BackendError(f"the SPARQL store sent invalid results: {error}") from error


def _rows(solutions: ox.QuerySolutions, width: int, cut: bool) -> Iterator[list[Term | None]]:
    """The rows, read lazily; a cut answer ends at its last complete row."""
    try:
        for solution in solutions:
            yield [solution[i] for i in range(width)]
    except SyntaxError as error:
        if not cut:
            raise BackendError(f"the SPARQL store sent invalid results: {error}") from error


def _parse_solutions(
    media_type: str, body: bytes, cut: bool = False
) -> tuple[list[str], Iterator[list[Term | None]]]:
    """Variables and the rows (lazily) of a SELECT answer."""
    parsed = _parse_results(media_type, body)
    if isinstance(parsed, ox.QueryBoolean):
        raise BackendError("the SPARQL store answered a SELECT with a boolean")
    variables = [v.value for v in parsed.variables]
    return variables, _rows(parsed, len(variables), cut)


def results_answer_from(
    job: QueryJob, media_type: str, body: bytes, cut: bool, max_bytes: int
) -> JobResult:
    """The answer to a SELECT / ASK ``job`` from the store's answer (``body``, in ``media_type``;
    ``cut`` when longer than was read), in the job's format and within its caps."""
    if not cut:
        parsed = _parse_results(media_type, body)
        if isinstance(parsed, ox.QueryBoolean):
            return boolean_answer(parsed, job.result_format)
    variables, rows = _parse_solutions(media_type, body, cut)
    return solutions_answer(variables, rows, job.result_format, job.max_rows, max_bytes, cut)


def _rdf_format(media_type: str) -> ox.RdfFormat:
    if media_type in (_PLAIN, ""):
        return ox.RdfFormat.N_TRIPLES
    fmt = formats.by_media_type(media_type, formats.GRAPH_FORMATS)
    if fmt is None or fmt.rdf_format is None:
        raise BackendError(f"the SPARQL store answered in an unexpected format: {media_type!r}")
    return fmt.rdf_format


def _parse_triples(media_type: str, body: bytes, cut: bool) -> Iterator[ox.Triple]:
    """The triples (lazily) of a graph answer; a cut answer is read up to its last complete
    line, which only N-Triples allows."""
    rdf_format = _rdf_format(media_type)
    if cut:
        if rdf_format != ox.RdfFormat.N_TRIPLES:
            raise BackendError("the SPARQL store's answer is too large")
        body = body[: body.rfind(b"\n") + 1]
    try:
        for item in ox.parse(body, format=rdf_format):
            yield item if isinstance(item, ox.Triple) else item.triple
    except SyntaxError as error:
        raise BackendError(f"the SPARQL store sent invalid RDF: {error}") from error


def graph_answer_from(
    job: QueryJob, media_type: str, body: bytes, cut: bool, max_bytes: int
) -> JobResult:
    """The answer to a CONSTRUCT / DESCRIBE ``job`` from the store's answer, in the job's format
    and within its caps."""
    triples = _parse_triples(media_type, body, cut)
    return triples_answer(triples, job.result_format, job.max_rows, max_bytes, cut)
