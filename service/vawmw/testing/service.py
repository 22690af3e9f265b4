"""``vawmw serve`` as a process on a free loopback port (for the tests and the benchmarks)."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx

import vawmw

LOOPBACK: Final = "127.0.0.1"
# The directory that holds this very ``vawmw``: a served process imports the same code.
SOURCE_ROOT: Final = Path(vawmw.__file__).resolve().parents[1]


class ServiceStartError(RuntimeError):
    """The service did not start; the message holds the end of its log."""


def free_port() -> int:
    """A TCP port free on the loopback interface now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def refused_port() -> Iterator[int]:
    """A loopback port that refuses connections for as long as the block runs.

    The socket stays bound without listening: the kernel answers every connection with a
    reset, and no other process (a service the test starts next, say) can be given the port.
    A port merely free "now" may be handed to that very service, which then queries itself.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        yield sock.getsockname()[1]


def tail(path: Path, characters: int = 2000) -> str:
    """The end of a log file, or nothing when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()[-characters:]
    except OSError:
        return ""


@dataclass(frozen=True)
class ServedProcess:
    """``vawmw serve`` running in its own process group."""

    url: str
    pid: int
    log_path: Path


def serve_command(root: Path, release_dir: Path, port: int, options: tuple[str, ...]) -> list[str]:
    """The ``vawmw serve`` command line, run with this interpreter."""
    return [
        sys.executable,
        "-m",
        "vawmw.cli",
        "--root",
        str(root),
        "serve",
        "--release",
        str(release_dir),
        "--host",
        LOOPBACK,
        "--port",
        str(port),
        *options,
    ]


def stop_group(process: subprocess.Popen[bytes], grace: float = 30.0) -> None:
    """SIGTERM the process group of ``process`` (it and its query workers), then SIGKILL."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)


def wait_until_answers(
    process: subprocess.Popen[bytes], url: str, log_path: Path, timeout: float
) -> None:
    """Poll ``url`` until it answers 200; raise ServiceStartError when the process exits or
    ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=2.0) as http:
        while True:
            if process.poll() is not None:
                raise ServiceStartError(
                    f"vawmw serve exited with status {process.returncode}: {tail(log_path)}"
                )
            with contextlib.suppress(httpx.HTTPError):
                if http.get(url).status_code == 200:
                    return
            if time.monotonic() > deadline:
                raise ServiceStartError(
                    f"vawmw serve did not answer {url} within {timeout:g} s: {tail(log_path)}"
                )
            time.sleep(0.2)


@contextlib.contextmanager
def served_process(
    release_dir: Path,
    *options: str,
    root: Path,
    log_path: Path | None = None,
    start_timeout: float = 90.0,
) -> Iterator[ServedProcess]:
    """``vawmw serve --release RELEASE_DIR OPTIONS…`` in its own process group, on a free
    loopback port, from ``root`` (the repository: its ``queries/``; a missing release is built
    from it). Yields once ``/health`` answers 200; stops the whole group at the end.

    Its output goes to ``log_path`` (default: a temporary file, removed at the end), never to
    a pipe nobody reads, which would stall a server that logs a lot.
    """
    port = free_port()
    with contextlib.ExitStack() as stack:
        if log_path is None:
            scratch = stack.enter_context(tempfile.TemporaryDirectory(prefix="vawmw-serve-"))
            log_path = Path(scratch) / "serve.log"
        python_path = os.pathsep.join(
            filter(None, (str(SOURCE_ROOT), os.environ.get("PYTHONPATH")))
        )
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                serve_command(root, release_dir, port, options),
                cwd=root,
                env={**os.environ, "PYTHONPATH": python_path},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own group: stopping it stops its workers
            )
        stack.callback(stop_group, process)
        url = f"http://{LOOPBACK}:{port}"
        wait_until_answers(process, url + "/health", log_path, start_timeout)
        yield ServedProcess(url, process.pid, log_path)
