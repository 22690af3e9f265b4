"""The killable query pool: N worker processes, each with its own read-only view of the release.

* Processes are started with the ``spawn`` context (the server has threads; ``fork`` is unsafe).
* A job that runs past ``query_timeout`` has its worker SIGKILLed and replaced; the caller gets
  :class:`QueryTimeout`. A worker that dies mid-job gives :class:`WorkerCrashed` and is replaced.
* At most ``workers`` jobs run and ``wait_queue_size`` wait; beyond that :class:`PoolBusy`.
* Results cross the pipe already serialized (bytes + media type + row count + truncation flag).
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import io
import itertools
import json
import logging
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from service import namespaces
from service import store as release_store
from service.settings import ServiceSettings

__all__ = [
    "DescribeJob",
    "GraphJob",
    "JobResult",
    "PoolBusy",
    "PoolError",
    "QueryJob",
    "QueryTimeout",
    "WorkerCrashed",
    "WorkerPool",
]

log = logging.getLogger("vawmw.workers")
# --------------------------------------------------------------------------- jobs and answers


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query from a client; ``result_format`` names a negotiation.Format."""

    query: str
    result_format: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    max_rows: int | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class DescribeJob:
    """The description of one resource: its triples, labels around it, incoming links."""

    iri: str
    result_format: str
    incoming_limit: int = 500


@dataclass(frozen=True)
class GraphJob:
    """A whole named graph of the release (e.g. the ontology)."""

    graph: str
    result_format: str


@dataclass(frozen=True)
class JobResult:
    """A serialized answer, or an error the HTTP layer maps to a status."""

    body: bytes = b""
    media_type: str = ""
    result_format: str = ""
    rows: int = 0
    truncated: bool = False
    error: str | None = None  # "syntax", "bad_request", "engine"
    message: str = ""


# --------------------------------------------------------------------------- the engine

_RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
_RDF_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
_LABELS = (
    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
    ox.NamedNode("http://www.w3.org/2004/02/skos/core#prefLabel"),
)
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _media_type(name: str) -> str:
    if name in _RESULTS_FORMATS:
        return _RESULTS_FORMATS[name].media_type.split(";")[0]
    return _RDF_FORMATS[name].media_type


def _used_prefixes(triples: list[ox.Triple]) -> dict[str, str]:
    """The project prefixes the triples use. ``id:`` is left out: its local names hold
    slashes, which Turtle must escape with backslashes, so full IRIs read better."""
    iris = {
        term.value
        for t in triples
        for term in (t.subject, t.predicate, t.object)
        if isinstance(term, ox.NamedNode)
    }
    return {
        name: namespace
        for name, namespace in namespaces.PREFIXES.items()
        if name != "id" and any(iri.startswith(namespace) for iri in iris)
    }


def _serialize_triples(triples: list[ox.Triple], name: str) -> bytes:
    rdf_format = _RDF_FORMATS.get(name, ox.RdfFormat.TURTLE)
    prefixes = _used_prefixes(triples) if name in ("turtle", "trig", "rdfxml") else None
    if rdf_format.supports_datasets:  # TriG / N-Quads: the triples go to the default graph
        quads: list[ox.Quad] = [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
        data = ox.serialize(quads, format=rdf_format, prefixes=prefixes)
    else:
        data = ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    return data or b""


def _term_json(term: object) -> dict[str, object]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, object] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _term_json(term.subject),
                "predicate": _term_json(term.predicate),
                "object": _term_json(term.object),
            },
        }
    raise TypeError(f"unexpected term {term!r}")


def _term_xml(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{xml_escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{xml_escape(term.value)}</bnode>"
    if isinstance(term, ox.Literal):
        attrs = ""
        if term.language:
            attrs = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype.value not in (_XSD_STRING, _RDF_LANG_STRING):
            attrs = f" datatype={quoteattr(term.datatype.value)}"
        return f"<literal{attrs}>{xml_escape(term.value)}</literal>"
    if isinstance(term, ox.Triple):
        return (
            f"<triple><subject>{_term_xml(term.subject)}</subject>"
            f"<predicate>{_term_xml(term.predicate)}</predicate>"
            f"<object>{_term_xml(term.object)}</object></triple>"
        )
    raise TypeError(f"unexpected term {term!r}")


def _term_csv(term: object) -> str:
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)


def _term_tsv(term: object) -> str:
    return str(term).replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def serialize_solutions(variables: list[str], rows: list[list[object]], name: str) -> bytes:
    """SELECT results in the SPARQL 1.1 JSON / XML / CSV / TSV formats."""
    if name == "xml":
        parts = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">']
        parts.append(
            "<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in variables) + "</head>"
        )
        parts.append("<results>")
        for row in rows:
            cells = "".join(
                f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>"
                for v, t in zip(variables, row, strict=True)
                if t is not None
            )
            parts.append(f"<result>{cells}</result>")
        parts.append("</results></sparql>\n")
        return "\n".join(parts).encode("utf-8")
    if name in ("csv", "tsv"):
        buffer = io.StringIO()
        if name == "csv":
            writer = csv.writer(buffer, lineterminator="\r\n")
            writer.writerow(variables)
            for row in rows:
                writer.writerow(["" if t is None else _term_csv(t) for t in row])
        else:
            buffer.write("\t".join(f"?{v}" for v in variables) + "\n")
            for row in rows:
                buffer.write("\t".join("" if t is None else _term_tsv(t) for t in row) + "\n")
        return buffer.getvalue().encode("utf-8")
    document = {
        "head": {"vars": variables},
        "results": {
            "bindings": [
                {v: _term_json(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows
            ]
        },
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _graph_list(iris: tuple[str, ...]) -> list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]:
    return [ox.NamedNode(iri) for iri in iris]


def _run_query(dataset: ox.Store, job: QueryJob) -> JobResult:
    options: dict[str, object] = {}
    if job.default_graphs is not None or job.named_graphs is not None:
        options["default_graph"] = _graph_list(job.default_graphs or ())
        options["named_graphs"] = [ox.NamedNode(iri) for iri in job.named_graphs or ()]
    elif job.union_default_graph:
        options["use_default_graph_as_union"] = True
    result = dataset.query(job.query, base_iri=job.base_iri, **options)  # type: ignore[arg-type]
    cap = job.max_rows
    if isinstance(result, ox.QueryBoolean):
        name = job.result_format if job.result_format in ("json", "xml") else "json"
        body = result.serialize(format=_RESULTS_FORMATS[name]) or b""
        return JobResult(body, _media_type(name), name, rows=1)
    if isinstance(result, ox.QuerySolutions):
        name = job.result_format if job.result_format in _RESULTS_FORMATS else "json"
        variables = [v.value for v in result.variables]
        rows: list[list[object]] = []
        truncated = False
        for solution in result:
            if cap is not None and len(rows) >= cap:
                truncated = True
                break
            rows.append([solution[i] for i in range(len(variables))])
        body = serialize_solutions(variables, rows, name)
        return JobResult(body, _media_type(name), name, rows=len(rows), truncated=truncated)
    name = job.result_format if job.result_format in _RDF_FORMATS else "turtle"
    triples = list(itertools.islice(result, None if cap is None else cap + 1))
    truncated = cap is not None and len(triples) > cap
    if truncated:
        triples = triples[:cap]
    body = _serialize_triples(triples, name)
    return JobResult(body, _media_type(name), name, rows=len(triples), truncated=truncated)


def _describe(dataset: ox.Store, job: DescribeJob) -> JobResult:
    node = ox.NamedNode(job.iri)
    seen: dict[ox.Triple, None] = {}
    linked: dict[ox.NamedNode, None] = {}
    own = 0
    for quad in dataset.quads_for_pattern(node, None, None, None):
        seen.setdefault(quad.triple)
        own += 1
        linked.setdefault(quad.predicate)
        if isinstance(quad.object, ox.NamedNode):
            linked.setdefault(quad.object)
    incoming = 0
    for quad in dataset.quads_for_pattern(None, None, node, None):
        if quad.triple in seen:
            continue
        if incoming >= job.incoming_limit:
            break
        seen.setdefault(quad.triple)
        incoming += 1
        linked.setdefault(quad.predicate)
        if isinstance(quad.subject, ox.NamedNode):
            linked.setdefault(quad.subject)
    for other in linked:
        if other == node:
            continue
        for label in _LABELS:
            for quad in dataset.quads_for_pattern(other, label, None, None):
                seen.setdefault(quad.triple)
    name = job.result_format if job.result_format in _RDF_FORMATS else "turtle"
    if own + incoming == 0:
        return JobResult(b"", _media_type(name), name, rows=0)
    body = _serialize_triples(list(seen), name)
    return JobResult(body, _media_type(name), name, rows=own + incoming)


def _graph(dataset: ox.Store, job: GraphJob) -> JobResult:
    graph = ox.NamedNode(job.graph)
    quads = dataset.quads_for_pattern(None, None, None, graph)
    triples = list(dict.fromkeys(quad.triple for quad in quads))
    name = job.result_format if job.result_format in _RDF_FORMATS else "turtle"
    return JobResult(_serialize_triples(triples, name), _media_type(name), name, rows=len(triples))


def run_job(dataset: ox.Store, job: QueryJob | DescribeJob | GraphJob) -> JobResult:
    """Run one job, mapping the engine's errors to an error result (never raising)."""
    try:
        if isinstance(job, QueryJob):
            return _run_query(dataset, job)
        if isinstance(job, DescribeJob):
            return _describe(dataset, job)
        return _graph(dataset, job)
    except SyntaxError as error:
        return JobResult(error="syntax", message=str(error.msg if error.msg else error))
    except ValueError as error:
        return JobResult(error="bad_request", message=str(error))
    except (OSError, RuntimeError, TypeError) as error:
        log.warning("query evaluation failed: %s", error)
        return JobResult(error="engine", message="the query could not be evaluated")


# --------------------------------------------------------------------------- the pool

Job = QueryJob | DescribeJob | GraphJob
_START_TIMEOUT = 120.0


class PoolError(Exception):
    """A job could not be answered by the pool."""


class PoolBusy(PoolError):
    """Every worker is busy and the wait queue is full."""


class QueryTimeout(PoolError):
    """The job ran past the time limit; its worker was killed."""


class WorkerCrashed(PoolError):
    """The worker died while running the job."""


def open_dataset(release_dir: str, extra_graphs: list[tuple[str, str]]) -> ox.Store:
    """The store a worker answers from (see :class:`ServiceSettings` about extra graphs)."""
    info = release_store.ReleaseInfo.load(Path(release_dir))
    store = release_store.open_read_only(info)
    if not extra_graphs:
        return store
    memory = ox.Store()
    memory.extend(store.quads_for_pattern(None, None, None, None))
    for graph_iri, file_name in extra_graphs:
        rdf_format = ox.RdfFormat.from_extension(Path(file_name).suffix.lstrip("."))
        memory.load(path=file_name, format=rdf_format, to_graph=ox.NamedNode(graph_iri))
    return memory


def _worker_main(conn: Connection, release_dir: str, extra_graphs: list[tuple[str, str]]) -> None:
    """Body of a worker process: open the store, then answer jobs until the pipe closes."""
    dataset = open_dataset(release_dir, extra_graphs)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(run_job(dataset, job))


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """A fixed-size pool of query processes with a bounded wait queue."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._extras = [(iri, str(path)) for iri, path in settings.extra_graphs]
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._waiting = 0
        self._threads = ThreadPoolExecutor(
            max_workers=2 * settings.workers + 2, thread_name_prefix="vawmw-pool"
        )
        self._respawns: set[asyncio.Task[None]] = set()
        self._closed = False

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.is_alive())

    def _spawn_blocking(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=_worker_main,
            args=(child, str(self.settings.release_dir), self._extras),
            name="vawmw-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            if not parent.poll(_START_TIMEOUT) or parent.recv() != "ready":
                raise PoolError("a query worker did not start")
        except (EOFError, OSError) as error:
            worker.kill()
            message = f"a query worker failed to start (exit code {process.exitcode})"
            raise PoolError(message) from error
        return worker

    async def _spawn(self) -> _Worker:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self._threads, self._spawn_blocking)
        self._workers.add(worker)
        return worker

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self.settings.workers)))
        for worker in workers:
            self._idle.put_nowait(worker)

    async def close(self) -> None:
        self._closed = True
        for task in list(self._respawns):
            task.cancel()
        for worker in list(self._workers):
            worker.kill()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def _acquire(self) -> _Worker:
        if self._idle is None or self._closed:
            raise PoolBusy("the query pool is not running")
        if self._idle.empty() and self._waiting >= self.settings.wait_queue_size:
            raise PoolBusy("all query workers are busy and the wait queue is full")
        self._waiting += 1
        deadline = asyncio.get_running_loop().time() + self.settings.query_timeout
        try:
            while True:
                remaining = deadline - asyncio.get_running_loop().time()
                worker = await asyncio.wait_for(self._idle.get(), max(remaining, 0.001))
                if worker.process.is_alive():
                    return worker
                self._replace(worker)  # died while idle (e.g. killed from outside)
        except TimeoutError as error:
            raise PoolBusy("no query worker became free in time") from error
        finally:
            self._waiting -= 1

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` and start a new one in the background."""
        self._workers.discard(worker)
        worker.kill()
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._respawn())
        self._respawns.add(task)
        task.add_done_callback(self._respawns.discard)

    async def _respawn(self) -> None:
        delay = 0.5
        while not self._closed:
            try:
                worker = await self._spawn()
            except PoolError as error:
                log.error("respawning a query worker failed: %s", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
                continue
            if self._idle is not None:
                self._idle.put_nowait(worker)
            return

    async def run(self, job: Job, timeout: float | None = None) -> JobResult:
        """Run ``job`` on a free worker within ``timeout`` seconds (default: query_timeout)."""
        limit = self.settings.query_timeout if timeout is None else timeout
        worker = await self._acquire()
        loop = asyncio.get_running_loop()
        healthy = False
        try:
            worker.conn.send(job)
            result = await asyncio.wait_for(
                loop.run_in_executor(self._threads, worker.conn.recv), limit
            )
        except TimeoutError as error:
            raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped") from error
        except (EOFError, OSError) as error:
            raise WorkerCrashed("the query worker stopped unexpectedly") from error
        else:
            if not isinstance(result, JobResult):
                raise WorkerCrashed("the query worker sent an unexpected answer")
            healthy = True
            return result
        finally:
            if healthy and self._idle is not None:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)

    def pids(self) -> Iterable[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]
