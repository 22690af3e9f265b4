"""The killable query pool: N worker processes, each with its own read-only view of the release.

* Processes are started with the ``spawn`` context (the server has threads; ``fork`` is unsafe);
  each runs :func:`vawmw.query.worker.worker_main`.
* A job that runs past ``query_timeout`` has its worker SIGKILLed and replaced; the caller gets
  :class:`QueryTimeout`. A worker that dies mid-job gives :class:`WorkerCrashed` and is replaced.
  A job that needs more memory than a worker may use gives :class:`QueryTooCostly`, also when
  the engine aborted the process on a failed allocation (SIGABRT under the memory cap).
* At most ``workers`` jobs run and ``wait_queue_size`` wait, each for at most ``query_timeout``;
  beyond that :class:`PoolBusy`. Nothing else queues, so memory stays bounded under load.
  Admission is fair between clients (:mod:`vawmw.query.fairness`): each has a limit on running and
  waiting jobs and a query-time budget (else :class:`ClientOverLimit`), and waiting clients are
  served round-robin. The errors say their HTTP status (:mod:`vawmw.query.errors`).
* The event loop never blocks on a process: spawning, reaping and reading run on threads.
* ``spare_workers`` more processes stand by, warm (:attr:`ServiceSettings.spare_workers`): the
  scheduler still runs at most ``workers`` jobs, so one process is idle while every slot is busy.
  When a job's worker is killed (timeout, crash), the next job starts on the spare at once
  instead of waiting for a respawn. While replacements start, the last idle worker is kept
  back (a job waits for a replacement instead of taking it), so kills at the timeout never
  leave the pool with no live worker, however slowly processes start: the hostile run of
  issue 16 (12 slow queries, both workers killed together, again and again) used to leave
  none for seconds.
* Liveness (:attr:`WorkerPool.serving`) is not the count of live workers: a pool whose workers
  are being respawned is serving. Only a pool that is closed, or that has no worker and cannot
  start one, is down. Readiness (:meth:`WorkerPool.readiness`) says whether a query sent now
  is taken at once: a warm worker idle (the spare counts) and room in the wait queue.
* Each worker has no network (:mod:`vawmw.query.sandbox`: an empty network namespace), so a
  ``SERVICE`` the query guard missed reaches nothing. Each worker says at start-up whether it is
  isolated; :attr:`WorkerPool.network` holds the answer and the pool logs it once (a warning
  where namespaces are not allowed: then the guard is the only layer).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import signal
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Final

from vawmw.query.errors import (
    CHEAPER,
    PoolBusy,
    PoolError,
    QueryTimeout,
    QueryTooCostly,
    WorkerCrashed,
)
from vawmw.query.fairness import CLIENT, FairScheduler
from vawmw.query.jobs import Job, JobResult
from vawmw.query.runner import Readiness
from vawmw.query.sandbox import SandboxStatus
from vawmw.query.worker import WorkerLimits, WorkerReady, worker_main
from vawmw.settings import ServiceSettings

__all__ = ["WorkerPool", "worker_limits"]

log = logging.getLogger("vawmw.workers")
_START_TIMEOUT: Final = 120.0
_REAP_TIMEOUT: Final = 5.0
# Consecutive failed spawns, with no live worker, after which the pool says it is down.
_FAILED_SPAWNS_DOWN: Final = 3


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

    def exit_code(self) -> int | None:
        """The exit code of the process once it ended (blocking: call on a thread)."""
        with contextlib.suppress(OSError, ValueError, AssertionError):
            self.process.join(_REAP_TIMEOUT)
        return self.process.exitcode

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
        self._standing: set[_Worker] = set()  # the workers in ``_idle``, for readiness
        self._workers: set[_Worker] = set()
        self._failed_spawns = 0
        self._pending = 0  # respawns under way
        self._respawned = asyncio.Event()  # set (and replaced) whenever a respawn ends
        self._size = settings.workers + max(0, settings.spare_workers)
        self._scheduler = FairScheduler.from_settings(settings, settings.workers)
        # One thread per running job (reading its answer), plus spawns and reaps.
        self._threads = ThreadPoolExecutor(
            max_workers=2 * self._size + 2, thread_name_prefix="vawmw-pool"
        )
        self._background: set[asyncio.Future[None]] = set()
        self._closed = False
        # Whether the workers lost their network (None until one has started).
        self.network: SandboxStatus | None = None
        self._network_lock = threading.Lock()

    @property
    def live_processes(self) -> int:
        """Worker processes alive now, spares included."""
        return sum(1 for worker in self._workers if worker.process.is_alive())

    @property
    def alive(self) -> int:
        """Job slots with a live process behind them (at most ``workers``; spares apart)."""
        return min(self.live_processes, self.settings.workers)

    @property
    def spares_ready(self) -> int:
        """Live processes beyond the ``workers`` slots: the warm spares standing by."""
        return max(0, self.live_processes - self.settings.workers)

    @property
    def serving(self) -> bool:
        if self._idle is None or self._closed:
            return False
        return self.live_processes > 0 or self._failed_spawns < _FAILED_SPAWNS_DOWN

    async def readiness(self) -> Readiness:
        if not self.serving:
            return Readiness(False, "the query pool is not running")
        idle = self._idle_live()
        if idle == 0:
            return Readiness(False, "every query worker is busy or restarting")
        if self._keeps_back(idle - 1):
            return Readiness(False, "query workers are restarting; the last one is kept back")
        if self._scheduler.waiting >= self.settings.wait_queue_size:
            return Readiness(False, "the wait queue is full")
        return Readiness(True, f"{idle} query worker(s) idle")

    @property
    def waiting(self) -> int:
        """Requests waiting for a worker now."""
        return self._scheduler.waiting

    @property
    def network_isolated(self) -> bool:
        """True when every worker started so far runs without network."""
        return self.network is not None and self.network.isolated

    def _note_network(self, status: SandboxStatus) -> None:
        """Keep the first status, or the first loss of isolation, and log it once."""
        with self._network_lock:
            known = self.network
            if known is not None and (status.isolated or not known.isolated):
                return
            self.network = status
        if status.isolated:
            log.info("query workers have no network access (%s)", status.detail)
        else:
            log.warning(
                "query workers can reach the network: %s; SERVICE is refused by the query guard"
                " only",
                status.detail,
            )

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
            ready = parent.recv() if parent.poll(_START_TIMEOUT) else None
        except (EOFError, OSError) as error:
            worker.signal_kill()
            worker.reap()
            message = f"a query worker failed to start (exit code {process.exitcode})"
            raise PoolError(message) from error
        if not isinstance(ready, WorkerReady):
            worker.signal_kill()
            worker.reap()
            raise PoolError("a query worker did not start")
        self._note_network(ready.network)
        return worker

    async def _spawn(self) -> _Worker:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self._threads, self._spawn_blocking)
        self._workers.add(worker)
        return worker

    def _stand_by(self, worker: _Worker) -> None:
        """Put ``worker`` among the idle ones."""
        if self._idle is not None:
            self._standing.add(worker)
            self._idle.put_nowait(worker)

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        workers = await asyncio.gather(*(self._spawn() for _ in range(self._size)))
        for worker in workers:
            self._stand_by(worker)

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

    def _idle_live(self) -> int:
        return sum(1 for worker in self._standing if worker.process.is_alive())

    def _keeps_back(self, others_idle: int) -> bool:
        """Whether a job must leave the last idle worker alone (``others_idle``: the idle live
        workers beside it) until replacements have started: then a kill at the timeout never
        takes the last live worker, however slowly processes start."""
        spare = self.settings.spare_workers > 0
        return spare and self._pending > 0 and others_idle == 0

    async def _take_worker(self, deadline: float) -> _Worker:
        """An idle, live worker. The scheduler admitted the job, so a worker is idle or being
        respawned; wait for it until ``deadline`` (loop time)."""
        if self._idle is None or self._closed:
            raise PoolBusy("the query pool is not running")
        loop = asyncio.get_running_loop()
        try:
            while True:
                remaining = max(deadline - loop.time(), 0.001)
                worker = await asyncio.wait_for(self._idle.get(), remaining)
                self._standing.discard(worker)
                if not worker.process.is_alive():
                    self._replace(worker)  # died while idle (e.g. killed from outside)
                elif self._keeps_back(self._idle_live()):
                    self._stand_by(worker)
                    respawned = self._respawned
                    await asyncio.wait_for(respawned.wait(), max(deadline - loop.time(), 0.001))
                else:
                    return worker
        except TimeoutError as error:
            raise PoolBusy("no query worker became free in time") from error

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
            self._pending += 1
            self._background_task(loop.create_task(self._respawn()))

    async def _respawn(self) -> None:
        delay = 0.5
        try:
            while not self._closed:
                try:
                    worker = await self._spawn()
                except PoolError as error:
                    self._failed_spawns += 1
                    log.error("respawning a query worker failed: %s", error)
                    await asyncio.sleep(delay)
                    delay = min(delay * 2, 30.0)
                    continue
                self._failed_spawns = 0
                self._stand_by(worker)
                return
        finally:
            self._pending -= 1
            self._respawned.set()  # wake the jobs that waited for a replacement
            self._respawned = asyncio.Event()

    async def run(
        self, job: Job, timeout: float | None = None, client: str | None = None
    ) -> JobResult:
        """Run ``job`` for ``client`` (default: the current request's, :data:`CLIENT`) on a
        free worker within ``timeout`` seconds (default: query_timeout).

        The time the job ran is charged to the client's query-time budget.
        """
        limit = self.settings.query_timeout if timeout is None else timeout
        if self._idle is None or self._closed:
            raise PoolBusy("the query pool is not running")
        who = CLIENT.get() if client is None else client
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.settings.query_timeout
        await self._scheduler.acquire(who, self.settings.query_timeout)
        used = 0.0
        try:
            worker = await self._take_worker(deadline)
            began = loop.time()
            try:
                result = await self._execute(worker, job, limit)
            finally:
                used = loop.time() - began
        finally:
            self._scheduler.release(who, used)
        if result.error == "resources":
            raise QueryTooCostly(f"the query was stopped: {result.message}; {CHEAPER}")
        return result

    async def _execute(self, worker: _Worker, job: Job, limit: float) -> JobResult:
        """Send ``job`` to ``worker`` and wait for its answer; kill the worker past ``limit``."""
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
            raise QueryTimeout(limit) from error
        except (EOFError, OSError) as error:
            raise await self._crash_cause(worker) from error
        finally:
            if healthy and self._idle is not None:
                self._stand_by(worker)
            else:
                self._replace(worker)
        return result

    async def _crash_cause(self, worker: _Worker) -> PoolError:
        """Why a worker died under a job. Rust aborts the process (SIGABRT) when an allocation
        fails under the memory cap, or on a stack overflow: the query's own cost, and retrying
        would fail again. Anything else (a kill from outside) is the worker's loss."""
        loop = asyncio.get_running_loop()
        code = await loop.run_in_executor(self._threads, worker.exit_code)
        if code == -signal.SIGABRT and self._limits.memory_bytes is not None:
            message = "the query was stopped: it needs more memory than a query may use"
            return QueryTooCostly(f"{message}; {CHEAPER}")
        return WorkerCrashed("the query worker stopped unexpectedly")

    def pids(self) -> Iterable[int]:
        """Process ids of the live workers (for tests and monitoring)."""
        return [w.process.pid for w in self._workers if w.process.pid is not None]
