"""Is the external store answering? A cheap ``ASK {}``, cached briefly (readiness with --backend).

Readiness is polled often (a load balancer, a Kubernetes probe every few seconds, several
replicas), so one probe answers every caller for :data:`CACHE_SECONDS`, and only one is in
flight at a time. It has its own connection, so it never waits behind the queries that fill the
backend's connections, and a short timeout: a store too slow to answer ``ASK {}`` within it is
not ready for a query either.

The probe also learns which store answers (the ``Server`` header): the backend cancels a query
past its timeout in the way that store allows (:mod:`vawmw.remote.cancel`).
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Final

import httpx

from vawmw.rdf import formats

__all__ = ["CACHE_SECONDS", "PROBE_TIMEOUT", "ProbeResult", "StoreProbe"]

CACHE_SECONDS: Final = 1.0
PROBE_TIMEOUT: Final = 2.0


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    detail: str
    server: str  # the store's Server header ("" when unknown)


class StoreProbe:
    """``ASK {}`` against ``endpoint``, at most once per :data:`CACHE_SECONDS`."""

    def __init__(self, endpoint: str, timeout: float = PROBE_TIMEOUT) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._http: httpx.AsyncClient | None = None
        self._last: tuple[float, ProbeResult] | None = None
        self._lock = asyncio.Lock()
        self.server = ""

    async def start(self) -> None:
        self._http = httpx.AsyncClient(
            timeout=httpx.Timeout(self.timeout),
            limits=httpx.Limits(max_connections=1),
            follow_redirects=False,
        )

    async def close(self) -> None:
        if self._http is not None:
            await self._http.aclose()
        self._http = None

    async def check(self) -> ProbeResult:
        """The store's state, probed now or at most :data:`CACHE_SECONDS` ago."""
        async with self._lock:  # callers that arrive during a probe share its answer
            last = self._last
            if last is not None and time.monotonic() - last[0] < CACHE_SECONDS:
                return last[1]
            result = await self._probe()
            self._last = (time.monotonic(), result)
            return result

    async def _probe(self) -> ProbeResult:
        http = self._http
        if http is None:
            return ProbeResult(False, "the backend connection is not running", self.server)
        headers = {"Accept": formats.JSON.media_type}
        try:
            response = await http.get(self.endpoint, params={"query": "ASK {}"}, headers=headers)
        except httpx.TimeoutException:
            message = f"the SPARQL store did not answer ASK {{}} within {self.timeout:g} s"
            return ProbeResult(False, message, self.server)
        except httpx.TransportError as error:
            detail = str(error) or type(error).__name__
            return ProbeResult(False, f"the SPARQL store is unreachable: {detail}", self.server)
        self.server = response.headers.get("server", self.server)
        if not response.is_success:
            message = f"the SPARQL store answered ASK {{}} with HTTP {response.status_code}"
            return ProbeResult(False, message, self.server)
        return ProbeResult(True, "the SPARQL store answers", self.server)
