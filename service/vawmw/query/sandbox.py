"""Take the network away from a process that evaluates SPARQL.

pyoxigraph evaluates ``SERVICE <http://…>`` by making the HTTP request itself, so a process
that runs client queries could be turned into an HTTP client aimed at anything it can reach
(server-side request forgery). The query guard (:mod:`vawmw.query.guard`) refuses SERVICE in
the text, but a text check is only as good as its tokenizer. :func:`isolate_network` removes the
means instead: it moves the calling process into a new, empty network namespace (inside a new
user namespace, so no privilege is needed). There the only interface is a loopback that is
down, so every TCP or UDP connection fails with ``ENETUNREACH`` — to the Internet, to the LAN
and to services on this machine's own 127.0.0.1 alike. Files, pipes and socket pairs the
process already holds keep working; the current uid and gid are mapped to themselves, so file
access is unchanged.

Limits:

* it must run while the process has a single thread (the kernel refuses a new user namespace
  otherwise, and a network namespace would apply to the calling thread only), that is, before
  a store is opened (RocksDB starts threads) and before any ``threading.Thread``;
* it is Linux only, and needs unprivileged user namespaces (or root); where they are not
  allowed (``user.max_user_namespaces=0``, a container's seccomp profile) it changes nothing and
  says why in the returned :class:`SandboxStatus`: it never raises;
* Unix-domain sockets bound to a path stay reachable (they live in the file system); the
  engine only fetches ``http(s)`` URLs, which need TCP.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

__all__ = ["SandboxStatus", "isolate_network", "network_attempts"]

CLONE_NEWUSER: Final = 0x10000000
CLONE_NEWNET: Final = 0x40000000
_PROC_SELF: Final = Path("/proc/self")


@dataclass(frozen=True)
class SandboxStatus:
    """Whether the process lost its network, and how (or why not), in one line."""

    isolated: bool
    detail: str


def _thread_count() -> int:
    return len(os.listdir(_PROC_SELF / "task"))


def _net_namespace() -> int:
    return os.stat(_PROC_SELF / "ns" / "net").st_ino


def _unshare(flags: int) -> int:
    """``unshare(2)``: 0, or the errno it failed with."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(ctypes.c_int(flags)) == 0:
        return 0
    return ctypes.get_errno()


def _why(code: int) -> str:
    reasons = {
        errno.EPERM: "not permitted (unprivileged user namespaces are disabled or blocked here)",
        errno.EINVAL: "refused by the kernel (no namespace support, or the process has threads)",
        errno.ENOSPC: "the limit on user namespaces is reached (sysctl user.max_user_namespaces)",
        errno.ENOSYS: "unshare(2) is not available",
    }
    return f"unshare failed: {reasons.get(code, os.strerror(code))}"


def _map_ids(uid: int, gid: int) -> str:
    """Map our uid and gid to themselves inside the new user namespace; '' or what failed."""
    try:
        (_PROC_SELF / "setgroups").write_text("deny", encoding="ascii")
        (_PROC_SELF / "uid_map").write_text(f"{uid} {uid} 1", encoding="ascii")
        (_PROC_SELF / "gid_map").write_text(f"{gid} {gid} 1", encoding="ascii")
    except OSError as error:
        # Still isolated: the kernel checks file access with the unchanged real ids.
        return f"; the uid/gid map could not be written ({error.strerror})"
    return ""


def isolate_network() -> SandboxStatus:
    """Move this process into a new, empty network namespace; never raises.

    Call it first thing in a fresh process (see the module docstring for why).
    """
    if not sys.platform.startswith("linux"):
        return SandboxStatus(False, f"network namespaces need Linux, this is {sys.platform}")
    try:
        threads = _thread_count()
        before = _net_namespace()
    except OSError as error:
        return SandboxStatus(False, f"/proc is not readable ({error.strerror})")
    if threads > 1:
        return SandboxStatus(False, f"the process already runs {threads} threads")
    uid, gid = os.getuid(), os.getgid()
    code = _unshare(CLONE_NEWUSER | CLONE_NEWNET)
    if code == 0:
        how = "new user and network namespaces" + _map_ids(uid, gid)
    elif os.geteuid() == 0 and _unshare(CLONE_NEWNET) == 0:
        how = "new network namespace (as root, user namespaces unavailable)"
    else:
        return SandboxStatus(False, _why(code))
    try:
        moved = _net_namespace() != before
    except OSError as error:
        return SandboxStatus(False, f"/proc/self/ns/net is not readable ({error.strerror})")
    if not moved:
        return SandboxStatus(False, "unshare returned but the network namespace did not change")
    return SandboxStatus(True, how)


def network_attempts() -> int:
    """How many IPv4 packets this network namespace could not route; 0 if unknown.

    In an isolated process nothing is routable, so every attempt to connect or send over IPv4
    — a SERVICE call, a DNS lookup — adds one here: the count going up while a job ran proves
    that the job tried to reach the network, even when SERVICE SILENT hid the failure. (IPv6
    attempts fail earlier, for want of an address, and are not counted.)
    """
    try:
        lines = (_PROC_SELF / "net" / "snmp").read_text(encoding="ascii").splitlines()
    except OSError:
        return 0
    # The file holds pairs of lines: "Ip: Forwarding … OutNoRoutes …", then "Ip: 1 … 0 …".
    for names, values in zip(lines[::2], lines[1::2], strict=False):
        if names.startswith("Ip:"):
            fields = dict(zip(names.split(), values.split(), strict=False))
            return int(fields.get("OutNoRoutes", "0"))
    return 0
