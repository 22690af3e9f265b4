"""The HTTP process binds, then drops its network, then serves (service/vawmw/web/serving.py).

It answers bounded queries itself (service/vawmw/query/inprocess.py), so it must be as unable
to reach the network as the query workers: a SERVICE to a loopback listener that counts
connections must reach nothing, while the socket bound before the namespace changed keeps
accepting clients. Checked in a fresh process that runs the same sequence as ``vawmw serve``,
and on ``vawmw serve`` itself.
"""

from __future__ import annotations

import multiprocessing
import os
import socket
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
import pytest
from vawmw.query.sandbox import SandboxStatus
from vawmw.settings import ServiceSettings
from vawmw.testing.service import served_process
from vawmw.web.serving import isolate_for, listening_socket, per_process

from tests.reliability.support import LoopbackListener

STATE: Final = "https://w3id.org/vawmw/id/state/PHL"


def _serve_once(conn: Connection, release_dir: str, listener_url: str) -> None:
    """In a fresh process: bind, isolate, try SERVICE, then answer one client on the socket."""
    sock = listening_socket("127.0.0.1", 0)
    conn.send(sock.getsockname()[1])
    status = isolate_for(ServiceSettings(release_dir=Path(release_dir)))
    store = ox.Store()
    try:
        result = store.query(f"SELECT * {{ SERVICE <{listener_url}> {{ ?s ?p ?o }} }}")
        list(result)  # type: ignore[call-overload]
        service = "answered"
    except OSError as error:
        service = f"failed: {error}"
    try:
        socket.create_connection(("127.0.0.1", int(listener_url.rsplit(":", 1)[1].strip("/"))), 5)
        connect = "connected"
    except OSError as error:
        connect = f"failed: {error.errno}"
    client, _ = sock.accept()
    client.sendall(client.recv(100).upper())
    client.close()
    conn.send((status, service, connect))


def test_a_socket_bound_before_isolation_still_serves_and_service_reaches_nothing(
    release_dir: Path,
) -> None:
    listener = LoopbackListener()
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_serve_once, args=(child, str(release_dir), listener.url))
    process.start()
    try:
        assert parent.poll(60)
        port = parent.recv()
        with socket.create_connection(("127.0.0.1", port), timeout=30) as talk:
            talk.sendall(b"hello")
            assert talk.recv(100) == b"HELLO"
        assert parent.poll(60)
        status, service, connect = parent.recv()
    finally:
        process.join(30)
        listener.close()
    assert isinstance(status, SandboxStatus)
    if not status.isolated:
        pytest.skip(f"network namespaces are not permitted here: {status.detail}")
    assert service.startswith("failed")
    assert connect.startswith("failed")
    assert listener.connections == 0


def test_over_an_external_store_the_network_is_kept() -> None:
    settings = ServiceSettings(backend_url="http://127.0.0.1:1/sparql")
    status = isolate_for(settings)
    assert not status.isolated
    assert "--backend" in status.detail


def test_several_processes_share_a_clients_query_time() -> None:
    settings = ServiceSettings(http_workers=3, client_query_seconds=60.0, client_max_waiting=4)
    one = per_process(settings, 3)
    assert one.http_workers == 1
    assert one.client_query_seconds * 3 == pytest.approx(60.0)
    assert one.client_max_waiting == 2  # ceil(4 / 3)
    assert per_process(settings, 1) == settings


def _net(pid: int | str) -> int:
    return os.stat(f"/proc/{pid}/ns/net").st_ino


def _group(pid: int) -> list[int]:
    """Process ids whose process group is ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if os.getpgid(int(entry)) == pid:
                    found.append(int(entry))
            except ProcessLookupError:
                continue
    return found


def _log_once_started(path: Path, processes: int, timeout: float = 60.0) -> str:
    """The server's log once every HTTP process said whether it dropped its network (the
    first to start answers before the others have)."""
    deadline = time.monotonic() + timeout
    while True:
        log = path.read_text(encoding="utf-8", errors="replace")
        if log.count("this HTTP process:") >= processes or time.monotonic() > deadline:
            return log
        time.sleep(0.2)


@pytest.mark.parametrize("http_workers", [1, 2])
def test_vawmw_serve_answers_from_processes_without_network(
    release_dir: Path, tmp_path: Path, http_workers: int
) -> None:
    options = ("--workers", "1", "--spare-workers", "0", "--http-workers", str(http_workers))
    with served_process(release_dir, *options, root=tmp_path) as served:
        query = f"SELECT ?p ?o {{ <{STATE}> ?p ?o }}"
        with httpx.Client(base_url=served.url, timeout=30) as http:
            answers = [
                http.get("/sparql", params={"query": query}, headers={"Accept": "text/csv"})
                for _ in range(4)
            ]
        log = served.log_path.read_text(encoding="utf-8", errors="replace")
        namespaces = {pid: _net(pid) for pid in _group(served.pid)}
    assert {a.status_code for a in answers} == {200}
    assert len({a.text for a in answers}) == 1
    if "network dropped" not in log:
        pytest.skip("network namespaces are not permitted here")
    assert log.count("network dropped") == http_workers
    mine = _net("self")
    # Every process of the group but a supervising parent (which evaluates nothing) is isolated.
    isolated = [pid for pid, net in namespaces.items() if net != mine]
    assert len(isolated) >= http_workers + http_workers  # HTTP processes and their workers
