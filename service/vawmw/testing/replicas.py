"""Replicas of ``vawmw serve`` that can be killed and restarted on the same port, and nginx in
front of them (``deploy/run-nginx``): the failover test of issue 16 (tests/deploy).

A :class:`Replica` keeps its port across restarts, because the balancer's upstream list names
it. Each runs in its own process group (the server and its query workers), so a SIGKILL of the
group is what a crashed machine looks like to nginx: connections reset, nothing answers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

from vawmw.testing.service import (
    LOOPBACK,
    ServiceStartError,
    free_port,
    serve_command,
    stop_group,
    tail,
    wait_until_answers,
)

__all__ = ["Replica", "running_nginx"]


class Replica:
    """``vawmw serve --release RELEASE OPTIONS…`` on a fixed loopback port, restartable.

    ``root`` is the directory it runs from; one without sources makes ``vawmw serve`` serve the
    release as it is (three replicas must not rebuild one release at the same time).
    """

    def __init__(self, release_dir: Path, options: tuple[str, ...], root: Path, log: Path) -> None:
        self.release_dir = release_dir
        self.options = options
        self.root = root
        self.log_path = log
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self, timeout: float = 90.0) -> None:
        """Start it (its output appended to the log) and wait until /health answers 200."""
        command = serve_command(self.root, self.release_dir, self.port, self.options)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                command,
                cwd=self.root,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.starts += 1
        wait_until_answers(self.process, self.url + "/health", self.log_path, timeout)

    def kill(self) -> None:
        """SIGKILL its whole process group, as a crash would, and reap it."""
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(30)

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)

    def requests_logged(self, path_prefix: str = "/sparql") -> int:
        """Requests for ``path_prefix`` in its access log, over all its runs."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return 0
        return sum(1 for line in text.splitlines() if f'"GET {path_prefix}' in line)


@contextlib.contextmanager
def running_nginx(
    run_nginx: Path, release_dir: Path, upstreams: list[str], log: Path, timeout: float = 30.0
) -> Iterator[str]:
    """``deploy/run-nginx RELEASE_DIR PORT UPSTREAM…`` in its own process group; yields its URL
    once it answers; stopped (SIGTERM, then SIGKILL) at the end."""
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(run_nginx), str(release_dir), str(port), *upstreams],
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://{LOOPBACK}:{port}"
    try:
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2.0) as http:
            while True:
                if process.poll() is not None:
                    raise ServiceStartError(f"run-nginx exited ({process.returncode}): {tail(log)}")
                with contextlib.suppress(httpx.HTTPError):
                    if http.get(url + "/health").status_code == 200:
                        break
                if time.monotonic() > deadline:
                    raise ServiceStartError(f"nginx did not answer within {timeout:g} s")
                time.sleep(0.1)
        yield url
    finally:
        stop_group(process, grace=10)
