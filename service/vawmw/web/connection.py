"""Bounds per connection, enforced in uvicorn's h11 protocol (what an ASGI app cannot see).

uvicorn (0.54, h11) has a keep-alive timeout but no time limit on a request head that arrives
slowly, none on a body that trickles, none on a send to a client that stopped reading, and it
answers an oversized head with a bare 400. :class:`BoundedH11Protocol` adds, per connection:

* ``header_timeout``: the request head must arrive whole within this many seconds of the
  connection opening or of the previous answer's end. Past it: 408 (or a plain close when not
  one byte of a head came) — partial headers no longer hold a connection forever;
* ``body_timeout``: the whole body must arrive within this many seconds of the head; past it:
  408 and close — a body sent a byte a second no longer holds one either;
* ``send_timeout``: a send that makes no progress for this many seconds (the transport's buffer
  stayed above its high-water mark: the client is not reading) aborts the connection, which
  drops the answer and frees its memory;
* head size: the request line may hold a GET query up to the query cap, percent-encoded (three
  bytes per byte), plus the path and the other parameters; the whole head that line plus
  :data:`HEADER_FIELD_BYTES` (:class:`HeadLimits`). A head that grows past it before it is
  complete gets 414 when its request line is the long part, else 431 (instead of h11's 400).
  Complete heads are checked by the application (414 for a long query, 431 for header fields
  over what the request line leaves: :class:`vawmw.web.budget.BoundedAnswers`);
* ``limit_concurrency``: uvicorn's own refusal has no ``Retry-After``; here a request beyond
  the limit (requests in progress or connections open) gets 503 with ``Retry-After``, and a
  connection beyond twice the limit is closed at once, so the heads being read are bounded in
  number as well as in size.
"""

from __future__ import annotations

import asyncio
import dataclasses
import http
import logging
from typing import Any, ClassVar, Final, cast

import h11
from uvicorn._types import ASGI3Application, ASGIReceiveCallable, ASGISendCallable, Scope
from uvicorn.config import Config
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.server import ServerState

from vawmw.settings import ServiceSettings

__all__ = [
    "HEADER_FIELD_BYTES",
    "BoundedH11Protocol",
    "ConnectionBounds",
    "HeadLimits",
    "PairedWrites",
    "protocol_for",
]

log = logging.getLogger("vawmw.connection")
# Method, path, "?" and " HTTP/1.1" around the query string, and the other parameters.
_LINE_EXTRA: Final = 8 * 1024
# Header fields beside the longest request line; a shorter line leaves them more of the head.
HEADER_FIELD_BYTES: Final = 16 * 1024


@dataclasses.dataclass(frozen=True)
class HeadLimits:
    """Sizes of a request head: its request line, and the whole head (request line and header
    fields: the header fields may use what the request line leaves)."""

    request_line: int
    head: int

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> HeadLimits:
        line = 3 * settings.max_query_bytes + _LINE_EXTRA
        return cls(request_line=line, head=line + HEADER_FIELD_BYTES)


@dataclasses.dataclass(frozen=True)
class ConnectionBounds:
    """The per-connection limits of :class:`BoundedH11Protocol`."""

    header_timeout: float = 10.0
    body_timeout: float = 30.0
    send_timeout: float = 30.0
    retry_after: int = 5
    request_line_bytes: int = 3 * 64 * 1024 + _LINE_EXTRA
    head_bytes: int = 3 * 64 * 1024 + _LINE_EXTRA + HEADER_FIELD_BYTES

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> ConnectionBounds:
        head = HeadLimits.from_settings(settings)
        return cls(
            header_timeout=settings.header_timeout,
            body_timeout=settings.body_timeout,
            send_timeout=settings.send_timeout,
            retry_after=settings.retry_after,
            request_line_bytes=head.request_line,
            head_bytes=head.head,
        )


def protocol_for(bounds: ConnectionBounds) -> type[BoundedH11Protocol]:
    """The protocol class for uvicorn's ``http=``, with ``bounds``."""
    return cast(
        "type[BoundedH11Protocol]",
        type("BoundedH11Protocol", (BoundedH11Protocol,), {"bounds": bounds}),
    )


def _refusal(status: int, text: str, retry_after: int | None = None) -> bytes:
    body = text.encode("utf-8") + b"\n"
    lines = [
        f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}",
        "content-type: text/plain; charset=utf-8",
        f"content-length: {len(body)}",
        "connection: close",
    ]
    if retry_after is not None:
        lines.append(f"retry-after: {retry_after}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


class BoundedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with read, send and size bounds (see the module)."""

    bounds: ClassVar[ConnectionBounds] = ConnectionBounds()

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        # uvicorn's own check would answer 503 without Retry-After: refused in _admit instead.
        self._limit = self.limit_concurrency
        self.limit_concurrency = None
        self._application: ASGI3Application = self.app
        self.app = self._admit
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._send_timer: asyncio.TimerHandle | None = None
        self._line_bytes = 0
        self._line_done = False

    # -- the connection -----------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.transport = cast(asyncio.Transport, PairedWrites(transport, self.loop))
        if self._limit is not None and len(self.connections) > 2 * self._limit:
            log.warning("refused a connection: %d open", len(self.connections))
            self.transport.abort()
            return
        self._await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        for timer in (self._head_timer, self._body_timer, self._send_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = self._send_timer = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            self._track_line(data)
        super().data_received(data)
        self._follow_state()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._follow_state()

    # -- reading: head and body deadlines -----------------------------------------------------

    def _await_head(self) -> None:
        self._line_bytes = 0
        self._line_done = False
        self._head_timer = self.loop.call_later(self.bounds.header_timeout, self._head_expired)

    def _track_line(self, data: bytes) -> None:
        if self._line_done:
            return
        end = data.find(b"\n")
        self._line_bytes += len(data) if end < 0 else end
        self._line_done = end >= 0

    def _follow_state(self) -> None:
        """Arm or cancel the deadlines after h11 has seen new data (or a new cycle began)."""
        state = self.conn.their_state
        if state is h11.IDLE:
            if self._head_timer is None:
                self._await_head()
            return
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        if state is h11.SEND_BODY:
            if self._body_timer is None:
                self._body_timer = self.loop.call_later(
                    self.bounds.body_timeout, self._body_expired
                )
        elif self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None

    def _head_expired(self) -> None:
        self._head_timer = None
        if self.conn.their_state is not h11.IDLE or self.transport.is_closing():
            return
        if self._line_bytes or self._line_done:  # part of a head came: say why we close
            seconds = self.bounds.header_timeout
            self._close(_refusal(408, f"the request head did not arrive within {seconds:g} s"))
        else:
            self._close(b"")

    def _body_expired(self) -> None:
        self._body_timer = None
        if self.conn.their_state is not h11.SEND_BODY or self.transport.is_closing():
            return
        seconds = self.bounds.body_timeout
        started = self.cycle is not None and self.cycle.response_started
        text = f"the request body did not arrive within {seconds:g} s"
        self._close(b"" if started else _refusal(408, text))

    def _close(self, last_words: bytes) -> None:
        if last_words:
            self.transport.write(last_words)
        if isinstance(self.transport, PairedWrites):
            self.transport.flush()  # the last words go now: what is left is the client's to read
        if self.transport.get_write_buffer_size():
            self.transport.abort()  # the client does not read: do not wait for it
        else:
            self.transport.close()

    # -- head size ----------------------------------------------------------------------------

    def send_400_response(self, msg: str) -> None:
        buffered, _ = self.conn.trailing_data
        if len(buffered) <= self.bounds.head_bytes:
            super().send_400_response(msg)
            return
        if not self._line_done or self._line_bytes > self.bounds.request_line_bytes:
            text = "the request line is too long; POST the query instead"
            self._close(_refusal(414, text))
        else:
            text = f"the request head exceeds {self.bounds.head_bytes} bytes"
            self._close(_refusal(431, text))

    # -- writing: send timeout ----------------------------------------------------------------

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._send_timer is None:
            self._send_timer = self.loop.call_later(self.bounds.send_timeout, self._send_expired)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _send_expired(self) -> None:
        self._send_timer = None
        log.info(
            "closed a connection from %s: the client took nothing for %g s",
            self.client[0] if self.client else "?",
            self.bounds.send_timeout,
        )
        self.transport.abort()

    # -- requests beyond limit_concurrency ----------------------------------------------------

    async def _admit(
        self, scope: Scope, receive: ASGIReceiveCallable, send: ASGISendCallable
    ) -> None:
        limit = self._limit
        if limit is not None and (len(self.connections) > limit or len(self.tasks) > limit):
            retry = str(self.bounds.retry_after).encode("ascii")
            body = b"the server has too many requests in progress; retry later\n"
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"text/plain; charset=utf-8"),
                        (b"content-length", str(len(body)).encode("ascii")),
                        (b"connection", b"close"),
                        (b"retry-after", retry),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        await self._application(scope, receive, send)


# Bodies up to this size are joined to the head they follow; a copy of this much is cheap.
PAIRED_BYTES: Final = 64 * 1024


class PairedWrites:
    """A transport that sends a response's head in one system call with its first body bytes.

    uvicorn writes the head of an answer, then its body, in two calls. A replica killed between
    the two leaves a proxy holding a head with no body: too late for it to retry the request on
    another replica (nginx's ``proxy_next_upstream`` stops once a head has come), so the client
    sees a failure. Here each write is held until the next one, or the end of the event loop's
    turn, and goes out with it: an answer of up to :data:`PAIRED_BYTES` leaves whole or not at
    all (a longer one is streamed and cannot). At most one chunk is ever held, so the byte
    budget and flow control still see every other byte at once.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None
        self._flush_handle: asyncio.Handle | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not data:
            return
        if self._held is None:
            self._held = bytes(data)
            self._flush_handle = self._loop.call_soon(self._flush)
            return
        held = self._held
        self._drop_held()
        if len(data) > PAIRED_BYTES:  # a copy of a big body would double what it holds
            self._transport.write(held)
            self._transport.write(data)
            return
        self._transport.write(held + bytes(data))

    def get_write_buffer_size(self) -> int:
        held = len(self._held) if self._held is not None else 0
        return self._transport.get_write_buffer_size() + held

    def close(self) -> None:
        self.flush()
        self._transport.close()

    def abort(self) -> None:
        self._drop_held()
        self._transport.abort()

    def flush(self) -> None:
        """Send what is held now."""
        self._flush()

    def _flush(self) -> None:
        held = self._held
        self._drop_held()
        if held is not None and not self._transport.is_closing():
            self._transport.write(held)

    def _drop_held(self) -> None:
        self._held = None
        if self._flush_handle is not None:
            self._flush_handle.cancel()
            self._flush_handle = None

    def __getattr__(self, name: str) -> Any:
        # Everything else (extra info, reading, is_closing) is the socket transport's own.
        return getattr(self._transport, name)
