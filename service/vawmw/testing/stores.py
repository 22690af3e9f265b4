"""Real external SPARQL stores on loopback: OpenLink Virtuoso and Oxigraph server.

* Virtuoso (Debian ``virtuoso-opensource``: ``virtuoso-t``, ``isql-vt``), with its database,
  temporary database and log in a given directory; :func:`grant_sparql_update` lets the
  anonymous ``SPARQL`` user write, which opens both SPARQL Update on ``/sparql`` and the Graph
  Store on ``/sparql-graph-crud``.
* Oxigraph server (PyPI ``oxigraph``: ``oxigraph serve``), with ``/query``, ``/update`` and
  ``/store``.

:func:`launch_virtuoso` and :func:`launch_oxigraph` start a server without waiting (Virtuoso
boots in about 10 s, while the caller does something else); :meth:`Launch.wait` waits until it
answers. :func:`running_virtuoso` and :func:`running_oxigraph` do both, as context managers.
A store that is not installed or does not come up raises :class:`StoreUnavailableError`, whose
message gives the reason and the end of the server's log. ``.ci/install-stores`` installs both.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx

from vawmw.remote.loader import Target
from vawmw.testing.service import free_port

VIRTUOSO_INI: Final = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
VIRTUOSO_START_TIMEOUT: Final = 90.0
OXIGRAPH_START_TIMEOUT: Final = 30.0
INSTALL_HINT: Final = "run .ci/install-stores"


class StoreUnavailableError(Exception):
    """The store could not be installed or started; the message says why."""


@dataclass(frozen=True)
class StoreServer:
    """A running external store: its SPARQL endpoints, process id and data directory."""

    name: str
    query_endpoint: str
    update_endpoint: str
    graph_store: str
    pid: int
    data_dir: Path

    def target(self, graph_store: bool = True) -> Target:
        return Target(
            self.query_endpoint, self.update_endpoint, self.graph_store if graph_store else None
        )


def _tail(path: Path, lines: int = 8) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return " | ".join(text.strip().splitlines()[-lines:])


class Launch:
    """A server process that has been started but is not known to answer yet."""

    def __init__(
        self,
        name: str,
        command: list[str],
        data_dir: Path,
        probe_url: str,
        server: StoreServer,
        sql_port: int | None = None,
    ) -> None:
        self.name = name
        self.probe_url = probe_url
        self.log_path = data_dir / f"{name}.out"
        self.sql_port = sql_port
        self._ready = False
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command,
                cwd=data_dir,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.server = dataclasses.replace(server, pid=self.process.pid, data_dir=data_dir)

    def wait(self, timeout: float) -> StoreServer:
        """Wait until the query endpoint answers ``ASK {}``; raise StoreUnavailableError."""
        if self._ready:
            return self.server
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as http:
            while True:
                if self.process.poll() is not None:
                    raise StoreUnavailableError(
                        f"{self.name} exited with status {self.process.returncode} while starting:"
                        f" {_tail(self.log_path)}"
                    )
                try:
                    answer = http.get(self.probe_url, params={"query": "ASK {}"})
                    if answer.status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise StoreUnavailableError(
                        f"{self.name} did not answer {self.probe_url} within {timeout:g} s:"
                        f" {_tail(self.log_path)}"
                    )
                time.sleep(0.2)
        self._ready = True
        return self.server

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


# -- Virtuoso --------------------------------------------------------------------------------


def virtuoso_config(
    template: str, directory: Path, sql_port: int, http_port: int, buffers: int | None = None
) -> str:
    """The packaged ``virtuoso.ini`` with every file in ``directory`` and loopback ports.

    The file keys are replaced section by section ([Database] and [TempDatabase] both have a
    DatabaseFile and a TransactionFile). ``buffers`` sets NumberOfBuffers (8 kB pages) and
    MaxDirtyBuffers (three quarters of it) for larger data sets.
    """
    file_keys = {
        "DatabaseFile",
        "ErrorLogFile",
        "LockFile",
        "TransactionFile",
        "xa_persistent_file",
    }
    section = ""
    lines: list[str] = []
    for line in template.splitlines():
        header = re.match(r"^\s*\[(.+?)\]", line)
        if header:
            section = header.group(1).strip()
        match = re.match(r"^(\s*)([A-Za-z_]+)(\s*=\s*)(.*)$", line)
        if match:
            key, value = match.group(2), match.group(4)
            if section in ("Database", "TempDatabase") and key in file_keys:
                line = f"{key} = {directory / Path(value.split(';')[0].strip()).name}"
            elif section == "Parameters" and key == "ServerPort":
                line = f"ServerPort = {sql_port}"
            elif section == "HTTPServer" and key == "ServerPort":
                line = f"ServerPort = 127.0.0.1:{http_port}"
            elif section == "Parameters" and key == "DirsAllowed":
                line = f"DirsAllowed = ., {directory}, /usr/share/virtuoso-opensource-7/vad"
            elif section == "Parameters" and buffers and key == "NumberOfBuffers":
                line = f"NumberOfBuffers = {buffers}"
            elif section == "Parameters" and buffers and key == "MaxDirtyBuffers":
                line = f"MaxDirtyBuffers = {buffers * 3 // 4}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def launch_virtuoso(directory: Path, buffers: int | None = None) -> Launch:
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None or not VIRTUOSO_INI.is_file():
        raise StoreUnavailableError(
            "Virtuoso is not installed (virtuoso-t, isql-vt or "
            f"{VIRTUOSO_INI} missing; Debian package virtuoso-opensource): {INSTALL_HINT}"
        )
    directory.mkdir(parents=True, exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(
        virtuoso_config(
            VIRTUOSO_INI.read_text(encoding="utf-8"), directory, sql_port, http_port, buffers
        ),
        encoding="utf-8",
    )
    base = f"http://127.0.0.1:{http_port}"
    server = StoreServer(
        "virtuoso",
        f"{base}/sparql",
        f"{base}/sparql",
        f"{base}/sparql-graph-crud",
        0,
        directory,
    )
    return Launch(
        "virtuoso",
        [binary, "+configfile", str(ini), "+foreground"],
        directory,
        f"{base}/sparql",
        server,
        sql_port,
    )


def grant_sparql_update(launch: Launch) -> None:
    """Let the anonymous SPARQL user write: SPARQL Update and the Graph Store need it."""
    isql = shutil.which("isql-vt") or "isql-vt"
    port = str(launch.sql_port)
    done = subprocess.run(
        [isql, port, "dba", "dba", 'exec=GRANT SPARQL_UPDATE TO "SPARQL";'],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 or "Error" in done.stdout + done.stderr:
        raise StoreUnavailableError(
            f"isql-vt could not grant SPARQL_UPDATE (status {done.returncode}):"
            f" {(done.stdout + done.stderr).strip()[-400:]}"
        )


@contextlib.contextmanager
def running_virtuoso(directory: Path, buffers: int | None = None) -> Iterator[StoreServer]:
    launch = launch_virtuoso(directory, buffers)
    try:
        server = launch.wait(VIRTUOSO_START_TIMEOUT)
        grant_sparql_update(launch)
        yield server
    finally:
        launch.stop()


# -- Oxigraph server -------------------------------------------------------------------------


def oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return (
        str(beside) if beside.is_file() and os.access(beside, os.X_OK) else shutil.which("oxigraph")
    )


def launch_oxigraph(directory: Path) -> Launch:
    binary = oxigraph_binary()
    if binary is None:
        raise StoreUnavailableError(
            "the oxigraph CLI is not installed (PyPI package oxigraph): " + INSTALL_HINT
        )
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = StoreServer(
        "oxigraph", f"{base}/query", f"{base}/update", f"{base}/store", 0, directory
    )
    return Launch(
        "oxigraph",
        [binary, "serve", "--location", str(directory / "db"), "--bind", f"127.0.0.1:{port}"],
        directory,
        f"{base}/query",
        server,
    )


@contextlib.contextmanager
def running_oxigraph(directory: Path) -> Iterator[StoreServer]:
    launch = launch_oxigraph(directory)
    try:
        yield launch.wait(OXIGRAPH_START_TIMEOUT)
    finally:
        launch.stop()


def launch_oxigraph_holding(directory: Path, files: list[Path]) -> Launch:
    """Oxigraph server, read-only, holding ``files`` in its default graph (loaded first with
    ``oxigraph load``): a stand-in for another organisation's endpoint (tests/federation)."""
    binary = oxigraph_binary()
    if binary is None:
        raise StoreUnavailableError(
            "the oxigraph CLI is not installed (PyPI package oxigraph): " + INSTALL_HINT
        )
    directory.mkdir(parents=True, exist_ok=True)
    location = str(directory / "db")
    loaded = subprocess.run(
        [binary, "load", "--location", location, "--file", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if loaded.returncode != 0:
        raise StoreUnavailableError(f"oxigraph load failed: {loaded.stderr.strip()[-400:]}")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = StoreServer("oxigraph", f"{base}/query", "", "", 0, directory)
    return Launch(
        "oxigraph",
        [binary, "serve-read-only", "--location", location, "--bind", f"127.0.0.1:{port}"],
        directory,
        f"{base}/query",
        server,
    )


@contextlib.contextmanager
def running_oxigraph_holding(directory: Path, files: list[Path]) -> Iterator[StoreServer]:
    launch = launch_oxigraph_holding(directory, files)
    try:
        yield launch.wait(OXIGRAPH_START_TIMEOUT)
    finally:
        launch.stop()
