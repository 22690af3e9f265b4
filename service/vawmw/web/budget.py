"""Bounded answers: the client's identity, the bytes in flight, answers sent in chunks.

:class:`BoundedAnswers` wraps the whole application (``vawmw.web.app.server_config``):

* it sets :data:`vawmw.query.fairness.CLIENT` for the request (the peer address as uvicorn gives it:
  the ``X-Forwarded-For`` client only when the peer is a trusted proxy);
* it refuses a request whose head is over the head limit with 431 (the limit follows the query
  cap; header fields may use what the request line leaves of it: :mod:`vawmw.web.connection`);
* it holds every answer's bytes against one :class:`ByteBudget` for all connections, from the
  moment the body is handed over until its last piece is in the connection's buffer. A new answer
  that does not fit is replaced by 503 with ``Retry-After``. An answer larger than the whole
  budget is sent only when nothing else is in flight, so the total stays within
  max(budget, largest answer);
* it sends a large body in :data:`CHUNK` pieces. uvicorn writes each ``send`` to the socket's
  buffer at once and only waits for the client before the *next* one, so a 30 MB body sent in
  one piece sat whole in the transport buffer of a client that never read. In pieces, at most
  two of them wait in the transport; the rest is the body held here (and counted), until the
  connection's send timeout (:mod:`vawmw.web.connection`) drops a client that stopped reading.
"""

from __future__ import annotations

from typing import Final

from starlette.requests import ClientDisconnect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vawmw.query.fairness import CLIENT, client_key
from vawmw.settings import ServiceSettings
from vawmw.web.connection import HeadLimits

__all__ = ["CHUNK", "BoundedAnswers", "ByteBudget"]

CHUNK: Final = 64 * 1024
# Headers of the refused answer's representation that the 503 must not repeat.
_REPRESENTATION: Final = frozenset(
    {
        b"content-type",
        b"content-length",
        b"content-encoding",
        b"content-disposition",
        b"content-language",
        b"content-location",
        b"etag",
        b"cache-control",
        b"last-modified",
        b"expires",
        b"link",
        b"x-sparql-max-rows",
        b"x-sparql-truncated",
    }
)


class ByteBudget:
    """Bytes of answers held by the process until sent, over all connections."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.peak = 0

    def try_take(self, size: int) -> bool:
        """Reserve ``size`` bytes if they fit (or if nothing else is in flight)."""
        if self.used and self.used + size > self.limit:
            return False
        self.take(size)
        return True

    def take(self, size: int) -> None:
        """Reserve ``size`` bytes unconditionally (the rest of an answer already started)."""
        self.used += size
        self.peak = max(self.peak, self.used)

    def give(self, size: int) -> None:
        self.used -= size


def _header_bytes(scope: Scope) -> int:
    return sum(len(name) + len(value) + 4 for name, value in scope.get("headers", []))


def _line_bytes(scope: Scope) -> int:
    """About the request line: method, path, query string, version."""
    return len(scope.get("raw_path", b"")) + len(scope.get("query_string", b"")) + 20


async def _plain(send: Send, status: int, text: str, headers: list[tuple[bytes, bytes]]) -> None:
    body = text.encode("utf-8") + b"\n"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode("ascii")),
                (b"cache-control", b"no-store"),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": body, "more_body": False})


class _Sender:
    """The ``send`` of one request: budget, chunks, and the 503 when the budget is spent."""

    def __init__(self, send: Send, budget: ByteBudget, retry_after: int) -> None:
        self._send = send
        self._budget = budget
        self._retry_after = retry_after
        self._start: Message | None = None
        self._refused = False

    async def __call__(self, message: Message) -> None:
        if self._refused:
            return
        if message["type"] == "http.response.start":
            self._start = message  # sent with the first body, once it is known to fit
            return
        if message["type"] != "http.response.body":
            await self._send(message)
            return
        body: bytes = message.get("body", b"")
        more = bool(message.get("more_body", False))
        start, self._start = self._start, None
        if start is not None:
            if not self._budget.try_take(len(body)):
                self._refused = True
                await self._refuse(start)
                return
            await self._send(start)
        else:
            self._budget.take(len(body))
        try:
            await self._send_chunks(body, more)
        finally:
            self._budget.give(len(body))

    async def _send_chunks(self, body: bytes, more: bool) -> None:
        if len(body) <= CHUNK:
            await self._send({"type": "http.response.body", "body": body, "more_body": more})
            return
        view = memoryview(body)
        for offset in range(0, len(body), CHUNK):
            piece = bytes(view[offset : offset + CHUNK])
            last = offset + CHUNK >= len(body)
            await self._send(
                {"type": "http.response.body", "body": piece, "more_body": more or not last}
            )

    async def _refuse(self, start: Message) -> None:
        kept = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() not in _REPRESENTATION
        ]  # CORS, Vary and the security headers stay
        kept.append((b"retry-after", str(self._retry_after).encode("ascii")))
        text = "the service is busy sending other answers; retry later"
        await _plain(self._send, 503, text, kept)


class BoundedAnswers:
    """ASGI middleware around the application (see the module)."""

    def __init__(self, app: ASGIApp, settings: ServiceSettings) -> None:
        self.app = app
        self.budget = ByteBudget(settings.max_bytes_in_flight)
        self.retry_after = settings.retry_after
        self.head = HeadLimits.from_settings(settings)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # A line over its limit is the route's 414; the header fields get what a line leaves.
        allowance = self.head.head - min(_line_bytes(scope), self.head.request_line)
        if _header_bytes(scope) > allowance:
            text = f"the request head exceeds {self.head.head} bytes"
            await _plain(send, 431, text, [(b"connection", b"close")])
            return
        client = scope.get("client")
        token = CLIENT.set(client_key(client[0] if client else None))
        try:
            await self.app(scope, receive, _Sender(send, self.budget, self.retry_after))
        except ClientDisconnect:
            return  # the client left, or a read timeout closed the connection: no one to answer
        finally:
            CLIENT.reset(token)
