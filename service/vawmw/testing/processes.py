"""Memory, children and CPU time of a process, from Linux's ``/proc``."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Final

_CLOCK_TICKS: Final = os.sysconf("SC_CLK_TCK")


def status_bytes(pid: int, field: str) -> int:
    """A memory field of ``/proc/PID/status`` (``VmRSS``, ``VmHWM``, …), in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(f"no {field} for process {pid}")


def rss_bytes(pid: int) -> int:
    """Resident set size of a process."""
    return status_bytes(pid, "VmRSS")


def peak_rss_bytes(pid: int) -> int:
    """The high-water mark of a process's resident memory."""
    return status_bytes(pid, "VmHWM")


def child_pids(pid: int) -> set[int]:
    """Direct children of a process (all its threads')."""
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(OSError):
            children.update(int(c) for c in (task / "children").read_text().split())
    return children


def children_rss_bytes(pid: int) -> int:
    """Resident memory of a process's direct children together (e.g. its query workers)."""
    total = 0
    for child in child_pids(pid):
        with contextlib.suppress(OSError, LookupError):
            total += rss_bytes(child)
    return total


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time a process has used so far."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    # The command name (field 2) may hold spaces; the fields after its ")" are fixed.
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _CLOCK_TICKS


def wait_until_busy(pid: int, *, cpu: float = 0.2, timeout: float = 60.0) -> None:
    """Return once the process has used ``cpu`` more seconds of CPU than when called.

    An idle query worker waits in a blocking read and uses no CPU, so this is the event "the
    worker is running a query", seen from outside the service. TimeoutError after
    ``timeout`` seconds (a bound on the wait, not a measurement).
    """
    start = cpu_seconds(pid)
    deadline = time.monotonic() + timeout
    while cpu_seconds(pid) - start < cpu:
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} did not start working within {timeout:g} s")
        time.sleep(0.02)


def wait_until_gone(pid: int, *, timeout: float = 60.0) -> None:
    """Return once the process has exited (a zombie counts: it runs no more)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            state = (
                Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
            )
        except (FileNotFoundError, ProcessLookupError):
            return
        if state in ("Z", "X"):
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"process {pid} still runs after {timeout:g} s")
        time.sleep(0.02)
