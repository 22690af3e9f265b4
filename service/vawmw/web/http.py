"""What every route says the same way: plain-text refusals, retry advice, the one validator
formula, and conditional GET (negotiate → 406 → ETag → 304).

**Validators.** An answer of this service depends on the release, on the extra graphs served
beside it (``--graph``), on the service's own code, on the representation chosen (the variant)
and on the resource asked for (path and query). :meth:`Validators.key` is a digest of all of
them, and the only way an ETag or a cache key is made, so a change to any of them changes the
ETag: a cache in front never serves a stale answer for a changed input. A representation that
holds absolute URLs taken from the request (no ``public_url``) adds its origin, so that a
validator never crosses from one Host to another (:func:`vawmw.web.security.request_origin`).

**Short answers.** A handler that must stop early raises :class:`Refused` (a plain-text error:
the message only, never a stack trace or a file path) or :class:`NotModified` (304); the
application turns them into responses in one place (:func:`install`). So every route answers
406, 304 and errors alike, and the handlers stay straight-line code. A 404, a handler's
(:class:`NotFound`) or the router's, has one form: an HTML page in the site's layout for
browsers (with the resource a mistyped path likely meant), plain text for everyone else; a 405
lists in ``Allow`` every method the path answers.

**HEAD** is answered wherever GET is, by one mechanism (:class:`HeadAsGet`): the request runs
as a GET and only the body is dropped, so the headers (``Content-Length`` included) are the
GET's. A HEAD on ``/sparql`` with a query runs the query.

**Conditional GET.** :func:`conditional_get` negotiates the format (406 when none fits), adds
the validators and answers 304 when the client's copy is current; it returns the headers of
the full answer. A later HEAD can use it unchanged and send the headers without a body.
Answers that come from a query call :func:`negotiate` first and :func:`revalidate` only once
the query succeeded: a 304 says that the query has an answer, and that it is unchanged.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from fastapi import FastAPI, Request, Response
from fastapi.responses import HTMLResponse, PlainTextResponse
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import vawmw
from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.web import negotiation
from vawmw.web.pages.layout import ReleaseMeta, not_found_page

__all__ = [
    "HeadAsGet",
    "Negotiated",
    "NotFound",
    "NotModified",
    "Refused",
    "ShortAnswer",
    "Validators",
    "allowed_methods",
    "conditional_get",
    "error",
    "extras_digest",
    "install",
    "negotiate",
    "resource_of",
    "retry_headers",
    "revalidate",
    "wants_html",
]

_READ_CHUNK: Final = 1024 * 1024
# The methods a 405 may list in Allow (HEAD follows GET).
_METHODS: Final = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS")


def error(status: int, message: str, headers: Mapping[str, str] | None = None) -> Response:
    """A plain-text error: the message only, never a stack trace or a file path."""
    return PlainTextResponse(message + "\n", status_code=status, headers=dict(headers or {}))


def retry_headers(seconds: int) -> dict[str, str]:
    """``Retry-After``: when the client may try again."""
    return {"Retry-After": str(seconds)}


class ShortAnswer(Exception):
    """An answer given before the handler's end; the application sends :meth:`response`."""

    def response(self) -> Response:
        raise NotImplementedError


class Refused(ShortAnswer):
    """A refusal: HTTP ``status``, a plain-text ``message`` and extra ``headers``."""

    def __init__(self, status: int, message: str, headers: Mapping[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = dict(headers or {})

    def response(self) -> Response:
        return error(self.status, self.message, self.headers)


class NotModified(ShortAnswer):
    """304: the client's copy is current; ``headers`` are the full answer's validators."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        super().__init__("not modified")
        self.headers = dict(headers)

    def response(self) -> Response:
        return Response(status_code=304, headers=self.headers)


class NotFound(Refused):
    """404; ``suggestion`` is a local path a browser is offered instead (a likely typo's fix)."""

    def __init__(self, message: str, *, suggestion: str | None = None) -> None:
        super().__init__(404, message, {"Vary": "Accept"})
        self.suggestion = suggestion


def wants_html(request: Request) -> bool:
    """True when the client prefers an HTML page to plain text (a browser; not curl's */*)."""
    offers = (formats.TEXT, formats.HTML)
    return negotiation.negotiate(request.headers.get("accept"), offers) is formats.HTML


def not_found(request: Request, exc: NotFound, release: ReleaseMeta) -> Response:
    """The one 404: a page in the site's layout for browsers, plain text otherwise."""
    if wants_html(request):
        document = not_found_page(exc.message, release, suggestion=exc.suggestion)
        return HTMLResponse(document, status_code=404, headers=exc.headers)
    hint = f" (did you mean {exc.suggestion}?)" if exc.suggestion else ""
    return error(404, exc.message + hint, exc.headers)


def allowed_methods(request: Request) -> str:
    """The ``Allow`` value of the request's path: the methods some route fully matches with,
    HEAD wherever GET (:class:`HeadAsGet`). The router is asked, method by method, as FastAPI
    nests included routers: a fixed number of matches per refused request."""
    methods: set[str] = set()
    for method in _METHODS:
        scope = {
            "type": "http",
            "path": request.scope["path"],
            "root_path": request.scope.get("root_path", ""),
            "method": method,
            "headers": [],
            "query_string": b"",
        }
        if any(r.matches(scope)[0] is Match.FULL for r in request.app.router.routes):
            methods.add(method)
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app: FastAPI, release: ReleaseMeta) -> None:
    """Make ``app`` send the :class:`ShortAnswer` a handler raises, answer the router's errors
    (404, 405) in the same forms, and answer HEAD wherever it answers GET."""

    async def short_answer(request: Request, exc: Exception) -> Response:
        if isinstance(exc, NotFound):
            return not_found(request, exc, release)
        if isinstance(exc, ShortAnswer):
            return exc.response()
        raise exc  # only ShortAnswer is registered for this handler

    async def router_error(request: Request, exc: Exception) -> Response:
        if not isinstance(exc, HTTPException):
            raise exc  # only HTTPException is registered for this handler
        if exc.status_code == 404:
            return not_found(request, NotFound("nothing is served at this address"), release)
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
            message = f"{request.method} is not allowed here; allowed: {headers['Allow']}"
            return error(405, message, headers)
        return error(exc.status_code, str(exc.detail), headers)

    app.add_exception_handler(ShortAnswer, short_answer)
    app.add_exception_handler(HTTPException, router_error)
    app.add_middleware(HeadAsGet)


class HeadAsGet:
    """ASGI middleware: HEAD runs as GET and its body is dropped (the headers stay the GET's).

    One mechanism for every route, present and future: no route needs to list HEAD, and a HEAD
    can never answer differently from its GET.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # A copy: the server's own scope (its access log) keeps saying HEAD.
        await self.app({**scope, "method": "GET"}, receive, headers_only)


# --------------------------------------------------------------------------- validators


def extras_digest(extra_graphs: Iterable[tuple[str, Path]]) -> str:
    """A digest of the extra graphs: each graph's IRI and its file's bytes, in order.

    With an external store (``backend_url``) the graphs are only named and their file may be
    absent here: its path stands in for its content.
    """
    digest = hashlib.sha256()
    for iri, path in extra_graphs:
        part = hashlib.sha256()
        try:
            with path.open("rb") as data:
                while chunk := data.read(_READ_CHUNK):
                    part.update(chunk)
        except OSError:
            part = hashlib.sha256(b"unread:" + str(path).encode("utf-8", "surrogateescape"))
        digest.update(hashlib.sha256(iri.encode("utf-8")).digest() + part.digest())
    return digest.hexdigest()


@dataclass(frozen=True)
class Validators:
    """Every input of an answer besides the request, and how long caches may keep answers."""

    release_id: str
    extras: str  # extras_digest() of the --graph files
    version: str  # the service's version: answers change when the code does
    max_age: int

    @classmethod
    def of(
        cls, release_id: str, extra_graphs: Iterable[tuple[str, Path]], max_age: int
    ) -> Validators:
        return cls(release_id, extras_digest(extra_graphs), vawmw.__version__, max_age)

    def key(self, variant: str, resource: str, origin: str | None = None) -> str:
        """The one formula: a digest of every input an answer can vary on.

        ``variant`` names the representation (the format, and whatever else a page shows
        differently), ``resource`` the path and query asked for, ``origin`` the request's
        origin when the representation holds URLs built from it.
        """
        parts = (self.release_id, self.extras, self.version, variant, resource, origin or "")
        digest = hashlib.sha256()
        for part in parts:  # length-prefixed: no two inputs run together
            data = part.encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "big") + data)
        return digest.hexdigest()[:32]

    def etag(self, variant: str, resource: str, origin: str | None = None) -> str:
        """A strong entity tag; it names the release, for people reading the headers."""
        return f'"{self.release_id}-{self.key(variant, resource, origin)}"'

    def headers(self, variant: str, resource: str, origin: str | None = None) -> dict[str, str]:
        """``ETag`` and ``Cache-Control`` of a cacheable answer."""
        return {
            "ETag": self.etag(variant, resource, origin),
            "Cache-Control": f"public, max-age={self.max_age}",
        }


def resource_of(request: Request) -> str:
    """The resource asked for: the raw path and query, as the client sent them."""
    path = request.scope.get("raw_path") or request.url.path.encode("utf-8")
    query = request.scope.get("query_string", b"")
    raw = bytes(path) + (b"?" + bytes(query) if query else b"")
    return raw.decode("latin-1")


# --------------------------------------------------------------------------- conditional GET


def negotiate(
    request: Request,
    offers: Sequence[Format],
    *,
    message: str,
    requested: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Format:
    """The format to answer in: ``requested`` (a ``format=`` value) when given, else the one
    the Accept header prefers. None fits: :class:`Refused` 406 with ``message``."""
    if requested is not None:
        fmt = negotiation.format_from_param(requested, offers)
    else:
        fmt = negotiation.negotiate(request.headers.get("accept"), offers)
    if fmt is None:
        raise Refused(406, message, headers)
    return fmt


def if_none_match(request: Request, etag: str) -> bool:
    """True when the client's If-None-Match names ``etag`` (weak comparison) or is ``*``."""
    header = request.headers.get("if-none-match")
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for candidate in header.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == wanted:
            return True
    return False


def revalidate(request: Request, headers: Mapping[str, str]) -> None:
    """Raise :class:`NotModified` when the client holds the answer whose ``ETag`` is given."""
    etag = headers.get("ETag")
    if etag is not None and if_none_match(request, etag):
        raise NotModified(headers)


@dataclass(frozen=True)
class Negotiated:
    """The representation to send: its format, and the headers of the full answer."""

    fmt: Format
    headers: dict[str, str]

    def respond(self, body: bytes | str, status: int = 200) -> Response:
        return Response(
            body, status_code=status, media_type=self.fmt.content_type, headers=self.headers
        )


def conditional_get(
    request: Request,
    validators: Validators,
    offers: Sequence[Format],
    *,
    message: str,
    variant: str = "",
    origin: str | None = None,
    requested: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> Negotiated:
    """Negotiate → 406 → ETag → 304, for an answer that exists whatever the request.

    ``variant`` adds what else the representation varies on (beyond its format), ``origin``
    the request's origin when it holds URLs built from it, ``headers`` the route's own (they
    are sent with the 406 as well).
    """
    answer_headers = {"Vary": "Accept", **(headers or {})}
    fmt = negotiate(request, offers, message=message, requested=requested, headers=answer_headers)
    full_variant = f"{fmt.name}-{variant}" if variant else fmt.name
    answer_headers.update(validators.headers(full_variant, resource_of(request), origin))
    revalidate(request, answer_headers)
    return Negotiated(fmt, answer_headers)
