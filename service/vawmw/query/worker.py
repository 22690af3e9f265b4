"""The body of one query worker process: open the release, then answer jobs until told to stop.

The pool (:mod:`vawmw.query.pool`) starts each worker with :func:`worker_main`, sends it jobs
over a pipe and reads back :class:`~vawmw.query.jobs.JobResult` answers computed by
:func:`vawmw.query.engine.run_job`. Each worker protects itself against hostile queries:

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

import resource
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

import pyoxigraph as ox

from vawmw.query.engine import DEFAULT_MAX_RESULT_BYTES, TOO_MUCH_MEMORY, run_job
from vawmw.query.jobs import Job, JobResult, QueryJob
from vawmw.query.sandbox import SandboxStatus, isolate_network, network_attempts
from vawmw.rdf import jsonld
from vawmw.release import layout
from vawmw.release import manifest as release_store

__all__ = ["WorkerLimits", "WorkerReady", "open_dataset", "worker_main"]

_NO_NETWORK: Final = "federated queries (SERVICE) are not supported: this service has no network"


@dataclass(frozen=True)
class WorkerLimits:
    """What one worker process may use: memory, stack, and bytes per answer."""

    memory_bytes: int | None = 2 * 1024**3
    stack_bytes: int = 256 * 1024**2
    max_result_bytes: int = DEFAULT_MAX_RESULT_BYTES


@dataclass(frozen=True)
class WorkerReady:
    """A worker's first message: its store is open, and whether it lost its network."""

    network: SandboxStatus


def open_dataset(release_dir: str, extra_graphs: list[tuple[str, str]]) -> ox.Store:
    """The store a worker answers from (see :class:`ServiceSettings` about extra graphs)."""
    info = release_store.ReleaseInfo.load(Path(release_dir))
    store = release_store.open_read_only(info)
    # Compact JSON-LD answers name the release's context; pyld finds it here, offline.
    jsonld.install_context_file(Path(release_dir) / layout.CONTEXT_NAME)
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
        return JobResult(error="resources", message=TOO_MUCH_MEMORY)


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
