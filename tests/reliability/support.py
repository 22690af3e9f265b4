"""Tools of the reliability tests: raw HTTP, a loopback listener, checksums, ``vawmw serve``."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import multiprocessing
import select
import socket
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
from vawmw.release.layout import CHECKSUMS_NAME, MANIFEST_NAME
from vawmw.release.manifest import ReleaseInfo, open_read_only
from vawmw.settings import ServiceSettings
from vawmw.testing import service
from vawmw.testing.processes import rss_bytes

from tests.helpers_release import BULK, write_release

__all__ = ["rss_bytes"]

REPO: Final = Path(__file__).resolve().parents[2]
NEXT: Final = BULK + "next"
VALUE: Final = BULK + "value"
# Over the synthetic graph (a ring of SYNTHETIC_NODES items), these run far past any timeout.
CARTESIAN: Final = (
    f"SELECT (COUNT(*) AS ?n) WHERE {{ ?a <{VALUE}> ?x . ?b <{VALUE}> ?y . ?c <{VALUE}> ?z }}"
)
ANY_PATH: Final = f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s (<{NEXT}>|!<{NEXT}>)* ?o }}"
SYNTHETIC_NODES: Final = 5000


# --------------------------------------------------------------------------- releases


def write_synthetic_release(directory: Path, nodes: int = SYNTHETIC_NODES) -> ReleaseInfo:
    """The test release plus a ring of ``nodes`` items, each with a value and a next item."""
    info = write_release(directory, bulk=nodes)
    store = ox.Store(str(info.store_path))
    data = ox.NamedNode("https://w3id.org/vawmw/graph/data")
    store.bulk_extend(
        ox.Quad(
            ox.NamedNode(f"{BULK}item/{i}"),
            ox.NamedNode(NEXT),
            ox.NamedNode(f"{BULK}item/{(i + 1) % nodes}"),
            data,
        )
        for i in range(nodes)
    )
    store.flush()
    del store
    return info


@dataclasses.dataclass(frozen=True)
class ReleaseDigest:
    """What "nothing lost" compares: the dump files and the store's content."""

    files: dict[str, str]
    store: str
    quads: int


def release_digest(directory: Path) -> ReleaseDigest:
    """SHA-256 of every release file and of the store's sorted N-Quads."""
    files = {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(directory.iterdir())
        if path.is_file()
    }
    store = open_read_only(ReleaseInfo.load(directory))
    lines = sorted(str(quad) for quad in store.quads_for_pattern(None, None, None, None))
    del store
    digest = hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()
    return ReleaseDigest(files=files, store=digest, quads=len(lines))


def checksums_verify(directory: Path) -> bool:
    """True when every file named in SHA256SUMS still has its checksum."""
    for line in (directory / CHECKSUMS_NAME).read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        if hashlib.sha256((directory / name).read_bytes()).hexdigest() != digest:
            return False
    return (directory / MANIFEST_NAME).is_file()


# --------------------------------------------------------------------------- raw HTTP


@dataclasses.dataclass(frozen=True)
class RawAnswer:
    status: int
    head: bytes
    seconds: float
    sent: int


def _status(data: bytes) -> int:
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) > 1 and line[1].isdigit() else 0


def raw_exchange(
    url: str, head: bytes, parts: Iterable[bytes] = (), *, pause: float = 0.0, wait: float = 10.0
) -> RawAnswer:
    """Send ``head`` then ``parts`` one by one, stopping as soon as the server answers.

    ``sent`` counts the bytes written before the answer came: the proof that the server did not
    wait for (or buffer) the rest of the body.
    """
    host, port = url.removeprefix("http://").rsplit(":", 1)
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(head)
        sent = len(head)
        for part in parts:
            readable, _, _ = select.select([sock], [], [], pause)
            if readable:  # the server has answered: stop sending
                break
            try:
                sock.sendall(part)
            except OSError:  # the server answered and closed the connection
                break
            sent += len(part)
        data = b""
        deadline = time.monotonic() + wait
        while b"\r\n\r\n" not in data and time.monotonic() < deadline:
            readable, _, _ = select.select([sock], [], [], max(deadline - time.monotonic(), 0))
            if not readable:
                break
            try:
                chunk = sock.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data += chunk
    return RawAnswer(_status(data), data[:2048], time.monotonic() - started, sent)


# --------------------------------------------------------------------------- loopback listener


class LoopbackListener:
    """A TCP listener on 127.0.0.1 that counts every connection made to it."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port: int = self._socket.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="loopback-listener", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            with contextlib.suppress(OSError):
                conn.recv(4096)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}")
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self._socket.close()


# --------------------------------------------------------------------------- processes


@contextlib.contextmanager
def served_process(settings: ServiceSettings, *extra: str) -> Iterator[tuple[str, int]]:
    """``vawmw serve`` with these settings' limits in its own process; yields (URL, pid)."""
    options = (
        *("--query-timeout", str(settings.query_timeout)),
        *("--workers", str(settings.workers)),
        *("--max-rows", str(settings.max_rows)),
        *extra,
    )
    with service.served_process(settings.release_dir, *options, root=REPO) as served:
        yield served.url, served.pid


def query_worker_pids() -> set[int]:
    """The live query workers of the servers this test process runs (``live_server``)."""
    return {
        child.pid
        for child in multiprocessing.active_children()
        if child.name == "vawmw-query-worker" and child.pid is not None
    }


def wait_for_workers(url: str, workers: int, timeout: float = 60.0) -> None:
    """Return once ``/health`` reports ``workers`` live workers (a bound on the wait only)."""
    deadline = time.monotonic() + timeout
    while httpx.get(url + "/health", timeout=10).json()["workers_alive"] != workers:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the pool did not get back to {workers} workers")
        time.sleep(0.05)
