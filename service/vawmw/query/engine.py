"""Query execution inside one worker process: the jobs, their answers and their serialization.

The HTTP process never evaluates SPARQL itself: it sends a job (:class:`QueryJob`,
:class:`DescribeJob`, :class:`GraphJob`) to a worker process (see :mod:`vawmw.query.pool`), and
:func:`worker_main` answers it with a :class:`JobResult` whose body is already serialized.

Each worker protects itself against hostile queries:

* evaluation runs on a thread with a large stack (:attr:`WorkerLimits.stack_bytes`): the engine
  recurses over the query tree, and a long chain of ``&&``, ``UNION``, ``MINUS`` or ``BIND``
  (a few thousand, well within the size cap) overflows a default 8 MiB stack and kills the
  process with SIGSEGV;
* its address space is capped (:attr:`WorkerLimits.memory_bytes`), so a query that builds huge
  strings or groups fails alone instead of exhausting the machine;
* a serialized answer larger than :attr:`WorkerLimits.max_result_bytes` is cut to fewer rows
  and flagged as truncated, never cut silently;
* it has no network: before anything else (before the store opens and before any thread
  starts) it moves itself into an empty network namespace (:mod:`vawmw.query.sandbox`), so a
  ``SERVICE`` that got past the query guard cannot reach anything, loopback included. A job
  that tried (the namespace's unroutable-packet count rose) is answered as a bad request, like
  the guard's refusal. Whether the worker is isolated is reported in its :class:`WorkerReady`
  handshake; where namespaces are not allowed it runs without, and the guard is the only layer.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import re
import resource
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final, TypeVar
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

from vawmw.query.sandbox import SandboxStatus, isolate_network, network_attempts
from vawmw.rdf import namespaces
from vawmw.release import manifest as release_store

__all__ = [
    "DescribeJob",
    "GraphJob",
    "Job",
    "JobResult",
    "QueryJob",
    "WorkerLimits",
    "WorkerReady",
    "open_dataset",
    "run_job",
    "serialize_solutions",
    "worker_main",
]

log = logging.getLogger("vawmw.engine")
_TOO_MUCH_MEMORY: Final = "the query needs more memory than a query may use"
_NO_NETWORK: Final = "federated queries (SERVICE) are not supported: this service has no network"
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
    error: str | None = None  # "syntax", "bad_request", "unsupported", "engine", "resources"
    message: str = ""


Job = QueryJob | DescribeJob | GraphJob


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker process may use: memory, stack, and bytes per answer."""

    memory_bytes: int | None = 2 * 1024**3
    stack_bytes: int = 256 * 1024**2
    max_result_bytes: int = 32 * 1024**2


@dataclass(frozen=True)
class WorkerReady:
    """A worker's first message: its store is open, and whether it lost its network."""

    network: SandboxStatus


# --------------------------------------------------------------------------- the engine

RESULTS_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
RDF_FORMATS = {
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


def media_type_of(name: str) -> str:
    if name in RESULTS_FORMATS:
        return RESULTS_FORMATS[name].media_type.split(";")[0]
    return RDF_FORMATS[name].media_type


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


def serialize_triples(triples: list[ox.Triple], name: str) -> bytes:
    rdf_format = RDF_FORMATS.get(name, ox.RdfFormat.TURTLE)
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


def serialize_solutions(variables: list[str], rows: Sequence[Sequence[object]], name: str) -> bytes:
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


T = TypeVar("T")


def fit_to_bytes(
    items: Sequence[T], serialize: Callable[[Sequence[T]], bytes], max_bytes: int
) -> tuple[bytes, int]:
    """Serialize ``items``, dropping trailing items until the answer fits in ``max_bytes``.

    Returns the body and how many items it holds (fewer than ``len(items)`` means truncated).
    """
    count = len(items)
    body = serialize(items)
    while len(body) > max_bytes and count > 0:
        # Scale by the overshoot, and always drop at least one more item.
        count = min(count - 1, int(count * max_bytes / len(body) * 0.95))
        count = max(count, 0)
        body = serialize(items[:count])
    return body, count


def _run_query(dataset: ox.Store, job: QueryJob, max_bytes: int) -> JobResult:
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
        body = result.serialize(format=RESULTS_FORMATS[name]) or b""
        return JobResult(body, media_type_of(name), name, rows=1)
    if isinstance(result, ox.QuerySolutions):
        name = job.result_format if job.result_format in RESULTS_FORMATS else "json"
        variables = [v.value for v in result.variables]
        rows: list[list[object]] = []
        truncated = False
        for solution in result:
            if cap is not None and len(rows) >= cap:
                truncated = True
                break
            rows.append([solution[i] for i in range(len(variables))])
        body, kept = fit_to_bytes(
            rows, lambda part: serialize_solutions(variables, part, name), max_bytes
        )
        truncated = truncated or kept < len(rows)
        return JobResult(body, media_type_of(name), name, rows=kept, truncated=truncated)
    name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
    triples = list(itertools.islice(result, None if cap is None else cap + 1))
    truncated = cap is not None and len(triples) > cap
    if truncated:
        triples = triples[:cap]
    body, kept = fit_to_bytes(triples, lambda part: serialize_triples(list(part), name), max_bytes)
    truncated = truncated or kept < len(triples)
    return JobResult(body, media_type_of(name), name, rows=kept, truncated=truncated)


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
    name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
    if own + incoming == 0:
        return JobResult(b"", media_type_of(name), name, rows=0)
    body = serialize_triples(list(seen), name)
    return JobResult(body, media_type_of(name), name, rows=own + incoming)


def _graph(dataset: ox.Store, job: GraphJob) -> JobResult:
    graph = ox.NamedNode(job.graph)
    quads = dataset.quads_for_pattern(None, None, None, graph)
    triples = list(dict.fromkeys(quad.triple for quad in quads))
    name = job.result_format if job.result_format in RDF_FORMATS else "turtle"
    return JobResult(serialize_triples(triples, name), media_type_of(name), name, rows=len(triples))


# pyoxigraph raises a bare RuntimeError for a call it cannot evaluate: a function it does not
# know (any IRI, or a cast it lacks such as xsd:byte) or a wrong number of arguments. Older
# releases say "The custom function", newer ones "The function".
_UNSUPPORTED_CALL: Final = re.compile(
    r"The (?:custom )?function (<[^<>\s]*>) "
    r"(is not supported|requires between \d+ and \d+ arguments, but \d+ were given)"
)


def _runtime_error(error: RuntimeError) -> JobResult:
    """An unsupported call is the query's fault (400, naming the function); any other
    RuntimeError is the engine's (500)."""
    match = _UNSUPPORTED_CALL.fullmatch(str(error))
    if match is None:
        log.warning("query evaluation failed: %s", error)
        return JobResult(error="engine", message="the query could not be evaluated")
    function, problem = match.groups()
    if problem == "is not supported":
        problem = "is not supported by this service"
    return JobResult(error="unsupported", message=f"the function {function} {problem}")


def run_job(dataset: ox.Store, job: Job, max_result_bytes: int = 32 * 1024**2) -> JobResult:
    """Run one job, mapping the engine's errors to an error result (never raising)."""
    try:
        if isinstance(job, QueryJob):
            return _run_query(dataset, job, max_result_bytes)
        if isinstance(job, DescribeJob):
            return _describe(dataset, job)
        return _graph(dataset, job)
    except SyntaxError as error:
        return JobResult(error="syntax", message=str(error.msg if error.msg else error))
    except MemoryError:
        return JobResult(error="resources", message=_TOO_MUCH_MEMORY)
    except RecursionError:
        return JobResult(error="resources", message="the query or its answer is nested too deeply")
    except ValueError as error:
        return JobResult(error="bad_request", message=str(error))
    except RuntimeError as error:  # after RecursionError, its subclass
        return _runtime_error(error)
    except (OSError, TypeError) as error:
        log.warning("query evaluation failed: %s", error)
        return JobResult(error="engine", message="the query could not be evaluated")


# --------------------------------------------------------------------------- the worker process


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


def _limit_memory(limit: int | None) -> None:
    if limit is None:
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _answer(dataset: ox.Store, job: Job, limits: WorkerLimits) -> JobResult:
    try:
        return run_job(dataset, job, limits.max_result_bytes)
    except MemoryError:  # raised outside the engine, e.g. while building the answer
        return JobResult(error="resources", message=_TOO_MUCH_MEMORY)


def _serve(conn: Connection, dataset: ox.Store, limits: WorkerLimits, isolated: bool) -> None:
    """Answer jobs until the pipe closes.

    In an isolated worker, a query that tried to reach the network is answered as a bad
    request: the engine reports a failed SERVICE call as a generic OSError (a 500), and SERVICE
    SILENT as an empty success. Nothing else in the worker's own namespace sends packets, so
    its count of unroutable packets rising across a job proves that this job tried.
    """
    attempts = network_attempts() if isolated else 0
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        answer = _answer(dataset, job, limits)
        if isolated and isinstance(job, QueryJob):
            seen, attempts = attempts, network_attempts()
            if attempts > seen:
                answer = JobResult(error="bad_request", message=_NO_NETWORK)
        try:
            conn.send(answer)
        except MemoryError:
            conn.send(JobResult(error="resources", message="the answer is too large to send"))
        except (BrokenPipeError, EOFError):
            return


def worker_main(
    conn: Connection,
    release_dir: str,
    extra_graphs: list[tuple[str, str]],
    limits: WorkerLimits,
) -> None:
    """Body of a worker process: drop the network, open the store, then answer jobs until the
    pipe closes; the first message on the pipe is a :class:`WorkerReady`.

    The jobs run on a thread with ``limits.stack_bytes`` of stack (see the module docstring);
    the main thread only waits for it.
    """
    # First: a new user namespace needs a single-threaded process, and RocksDB starts threads.
    network = isolate_network()
    dataset = open_dataset(release_dir, extra_graphs)
    threading.stack_size(limits.stack_bytes)
    thread = threading.Thread(
        target=_serve,
        args=(conn, dataset, limits, network.isolated),
        name="vawmw-engine",
        daemon=True,
    )
    thread.start()  # its stack is reserved before the address space is capped
    _limit_memory(limits.memory_bytes)
    conn.send(WorkerReady(network))
    thread.join()
