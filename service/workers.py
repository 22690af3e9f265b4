"""The killable query pool: N worker processes, each with its own read-only view of the release.

* Processes are started with the ``spawn`` context (the server has threads; ``fork`` is unsafe);
  each runs :func:`service.engine.worker_main`.
* A job that runs past ``query_timeout`` has its worker SIGKILLed and replaced; the caller gets
  :class:`QueryTimeout`. A worker that dies mid-job gives :class:`WorkerCrashed` and is replaced.
  A job that needs more memory than a worker may use gives :class:`QueryTooCostly`.
* At most ``workers`` jobs run and ``wait_queue_size`` wait, each for at most ``query_timeout``;
  beyond that :class:`PoolBusy`. Nothing else queues, so memory stays bounded under load.
* The event loop never blocks on a process: spawning, reaping and reading run on threads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Final

from service.engine import (
    READY,
    DescribeJob,
    GraphJob,
    Job,
    JobResult,
    QueryJob,
    WorkerLimits,
    worker_main,
)
from service.settings import ServiceSettings

__all__ = [
    "DescribeJob",
    "GraphJob",
    "JobResult",
    "PoolBusy",
    "PoolError",
    "QueryJob",
    "QueryTimeout",
    "QueryTooCostly",
    "WorkerCrashed",
    "WorkerPool",
]

log = logging.getLogger("vawmw.workers")
_START_TIMEOUT: Final = 120.0
_REAP_TIMEOUT: Final = 5.0


class PoolError(Exception):
    """A job could not be answered by the pool."""


class PoolBusy(PoolError):
    """Every worker is busy and the wait queue is full."""


class QueryTimeout(PoolError):
    """The job ran past the time limit; its worker was killed."""


class WorkerCrashed(PoolError):
    """The worker died while running the job."""


class QueryTooCostly(PoolError):
    """The job needed more memory (or nesting) than a worker may use."""


def worker_limits(settings: ServiceSettings) -> WorkerLimits:
    """The per-process limits of the workers, from the service settings."""
    memory = settings.worker_memory_mb
    stack = settings.worker_stack_bytes
    return WorkerLimits(
        memory_bytes=None if memory is None else memory * 1024 * 1024 + stack,
        stack_bytes=settings.worker_stack_bytes,
        max_result_bytes=settings.max_result_bytes,
    )


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    conn: Connection

    def signal_kill(self) -> None:
        """SIGKILL the process; returns at once (reap with :meth:`reap`)."""
        with contextlib.suppress(OSError, ValueError, AttributeError):
            self.process.kill()

    def reap(self) -> None:
        """Wait for the killed process and release its pipe (blocking: call on a thread)."""
        with contextlib.suppress(OSError, ValueError, AssertionError):
            self.process.join(_REAP_TIMEOUT)
        self.conn.close()


class WorkerPool:
    """A fixed-size pool of query processes with a bounded wait queue."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self._context = multiprocessing.get_context("spawn")
        self._extras = [(iri, str(path)) for iri, path in settings.extra_graphs]
        self._limits = worker_limits(settings)
        self._idle: asyncio.Queue[_Worker] | None = None
        self._workers: set[_Worker] = set()
        self._waiting = 0
        # One thread per running job (reading its answer), plus spawns and reaps.
        self._threads = ThreadPoolExecutor(
            max_workers=2 * settings.workers + 2, thread_name_prefix="vawmw-pool"
        )
        self._background: set[asyncio.Future[None]] = set()
        self._closed = False

    @property
    def alive(self) -> int:
        return sum(1 for worker in self._workers if worker.process.is_alive())

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return self._waiting

    def _spawn_blocking(self) -> _Worker:
        parent, child = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_main,
            args=(child, str(self.settings.release_dir), self._extras, self._limits),
            name="vawmw-query-worker",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        try:
            if not parent.poll(_START_TIMEOUT) or parent.recv() != READY:
                worker.signal_kill()
                worker.reap()
                raise PoolError("a query worker did not start")
        except (EOFError, OSError) as error:
            worker.signal_kill()
            worker.reap()
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
        for task in list(self._background):
            task.cancel()
        for worker in list(self._workers):
            worker.signal_kill()
        for worker in list(self._workers):
            worker.reap()
        self._workers.clear()
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def _acquire(self) -> _Worker:
        if self._idle is None or self._closed:
            raise PoolBusy("the query pool is not running")
        if self._idle.empty() and self._waiting >= self.settings.wait_queue_size:
            raise PoolBusy("all query workers are busy and the wait queue is full")
        self._waiting += 1
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.query_timeout
        try:
            while True:
                remaining = deadline - loop.time()
                worker = await asyncio.wait_for(self._idle.get(), max(remaining, 0.001))
                if worker.process.is_alive():
                    return worker
                self._replace(worker)  # died while idle (e.g. killed from outside)
        except TimeoutError as error:
            raise PoolBusy("no query worker became free in time") from error
        finally:
            self._waiting -= 1

    def _background_task(self, awaitable: asyncio.Future[None]) -> None:
        task = asyncio.ensure_future(awaitable)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker``, reap it on a thread and start a new one, without blocking."""
        self._workers.discard(worker)
        worker.signal_kill()
        loop = asyncio.get_running_loop()
        with contextlib.suppress(RuntimeError):  # the executor is shut down when closing
            self._background_task(loop.run_in_executor(self._threads, worker.reap))
        if not self._closed:
            self._background_task(loop.create_task(self._respawn()))

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
            if not isinstance(result, JobResult):
                raise WorkerCrashed("the query worker sent an unexpected answer")
            healthy = True
        except TimeoutError as error:
            raise QueryTimeout(f"the query ran longer than {limit:g} s and was stopped") from error
        except (EOFError, OSError) as error:
            raise WorkerCrashed("the query worker stopped unexpectedly") from error
        finally:
            if healthy and self._idle is not None:
                self._idle.put_nowait(worker)
            else:
                self._replace(worker)
        if result.error == "resources":
            raise QueryTooCostly(f"the query was stopped: {result.message}")
        return result

    def pids(self) -> Iterable[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]
