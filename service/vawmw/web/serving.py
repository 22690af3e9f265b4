"""Running the service: bind the socket, drop the network, then serve, in one or more processes.

The HTTP process evaluates the jobs that provably cannot run long itself
(:mod:`vawmw.query.inprocess`), so it must be unable to reach the network, as the query workers
are (:mod:`vawmw.query.sandbox`). It binds its listening socket first, then moves into an
empty network namespace, and only then opens the store and starts threads: a socket keeps the
namespace it was created in, so the listening socket and every connection accepted from it
keep working, while any new socket (a ``SERVICE`` call) finds no route, loopback included.
Where namespaces are not allowed, or over an external store (``--backend``, which needs the
network), the process keeps its network and every job goes to the pool.

With ``http_workers`` above 1 the parent binds the socket and starts that many child
interpreters that share it (the kernel spreads connections between them); each child drops its
network and runs the whole application with its own pool. The parent evaluates nothing, and
stops the children when it is told to stop or when one of them ends. The per-client budgets of
query time are divided between the children, so a client's total stays as configured; running
and waiting limits are per child (at least one each).
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import math
import os
import pickle
import signal
import socket
import subprocess
import sys
import time
from typing import Final

import uvicorn

from vawmw.query.sandbox import SandboxStatus, isolate_network
from vawmw.settings import ServiceSettings

__all__ = ["child_main", "isolate_for", "listening_socket", "per_process", "serve"]

log = logging.getLogger("vawmw.serving")
_BACKLOG: Final = 2048  # uvicorn's default


def listening_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port``, bound as uvicorn binds it."""
    family, kind, proto, _name, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.listen(_BACKLOG)
    sock.set_inheritable(True)
    return sock


def isolate_for(settings: ServiceSettings) -> SandboxStatus:
    """Drop this process's network, unless an external store answers its queries."""
    if settings.backend_url:
        return SandboxStatus(False, "queries go to an external store (--backend): network kept")
    return isolate_network()


def per_process(settings: ServiceSettings, processes: int) -> ServiceSettings:
    """The settings of one of ``processes`` HTTP processes: a client's query time divided."""
    if processes <= 1:
        return settings
    return dataclasses.replace(
        settings,
        http_workers=1,
        client_query_seconds=settings.client_query_seconds / processes,
        client_max_waiting=math.ceil(settings.client_max_waiting / processes),
    )


def _serve_here(settings: ServiceSettings, sock: socket.socket) -> None:
    """Drop the network, then run the application on ``sock`` until interrupted."""
    from vawmw.web.app import server_config  # after isolating: nothing has started threads

    network = isolate_for(settings)
    config = server_config(settings, network=network)
    where = "answered in-process when bounded" if network.isolated else "all sent to the pool"
    logging.getLogger("uvicorn.error").info(
        "this HTTP process: network %s (%s); queries %s",
        "dropped" if network.isolated else "kept",
        network.detail,
        where,
    )
    uvicorn.Server(config).run(sockets=[sock])


def child_main() -> None:
    """Body of one of several HTTP processes: settings on stdin, the socket's fd in argv."""
    settings = pickle.load(sys.stdin.buffer)  # written by our own parent (_supervise)
    if not isinstance(settings, ServiceSettings):
        raise SystemExit("vawmw.web.serving: expected ServiceSettings on stdin")
    sock = socket.socket(fileno=int(sys.argv[1]))
    _serve_here(settings, sock)


def _start_child(settings: ServiceSettings, sock: socket.socket) -> subprocess.Popen[bytes]:
    code = "from vawmw.web.serving import child_main; child_main()"
    child = subprocess.Popen(
        [sys.executable, "-c", code, str(sock.fileno())],
        stdin=subprocess.PIPE,
        pass_fds=(sock.fileno(),),
    )
    if child.stdin is not None:
        child.stdin.write(pickle.dumps(settings))
        child.stdin.close()
    return child


def _supervise(settings: ServiceSettings, sock: socket.socket) -> None:
    """Run ``settings.http_workers`` children on ``sock``; stop them all when one ends or on
    SIGTERM / SIGINT."""
    stopping: list[int] = []

    def stop(signum: int, _frame: object) -> None:
        stopping.append(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
    processes = max(1, settings.http_workers)
    children = [_start_child(per_process(settings, processes), sock) for _ in range(processes)]
    sock.close()  # the children hold it
    ended: int | None = None
    try:
        while not stopping and ended is None:
            time.sleep(0.2)
            ended = next((c.returncode for c in children if c.poll() is not None), None)
    finally:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    if ended is not None and not stopping:  # a child stopped on its own: the service is down
        raise SystemExit(ended or 1)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


def serve(settings: ServiceSettings) -> None:
    """Serve the release until interrupted (see the module docstring)."""
    sock = listening_socket(settings.host, settings.port)
    if settings.http_workers > 1 or _threads() > 1:
        # A process with threads (a build just ran here) cannot enter a new user namespace:
        # a fresh interpreter serves instead.
        _supervise(settings, sock)
    else:
        _serve_here(settings, sock)
