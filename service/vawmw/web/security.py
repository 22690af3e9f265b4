"""Security headers on every response, the Host check, and URLs that never come from the Host.

Every response carries ``X-Content-Type-Options: nosniff``, a Content-Security-Policy and
``X-Frame-Options: DENY``. The policy of every page (:data:`PAGE_POLICY`) allows scripts,
styles, fonts and connections to this origin only, images also as ``data:``, no framing and no
``<base>``. The pages have no inline script and no ``style`` attribute.

Two exceptions, each as narrow as it can be (never ``'unsafe-inline'`` or ``'unsafe-eval'``):

* ``/sparql``, the editor (:data:`EDITOR_POLICY`). YASGUI 4.6.2, served from this server's
  ``node_modules`` at ``/static/yasgui/…``, sets three fixed inline styles: the column
  resizer of its result table adds a ``<style>`` with its layout CSS when it draws a table
  and another (``*{cursor:col-resize!important}``) while a column is dragged; the syntax
  error tooltip underlines the expected tokens with ``style='text-decoration:underline'``.
  Those three texts, and only they, are allowed by their SHA-256 hashes
  (``style-src-elem``, and ``style-src-attr`` with ``'unsafe-hashes'``). Without them the
  result table's column grips lose their layout. The browser tests run the editor under this
  policy and fail on any violation (``tests/browser/test_csp.py``); another YASGUI version
  needs its hashes checked again (``tests/test_security_headers.py`` recomputes them).
* ``/docs`` has no exception: Swagger UI comes from npm's ``swagger-ui-dist``, served from here,
  and is started by a script file (:mod:`vawmw.web.routes.docs`), so it runs under the site's
  policy (``tests/browser/test_docs.py`` sees no violation). FastAPI's ReDoc page (``/redoc``)
  would need a CDN, Google Fonts, inline styles and ``blob:`` workers: it is switched off.

The ``Host`` of a request is chosen by the client. Nothing cached (in memory, or with an ETag
shared by every client) may depend on it: pages use relative links, and the absolute URLs that
must be absolute (the Service Description, the base IRI of queries) come from
``ServiceSettings.public_url`` when it is set (:func:`public_url_for`). Without it they are
built from the request, and their ETags name the origin (:func:`request_origin`), so a
validator never crosses from one Host to another. ``ServiceSettings.trusted_hosts`` lists the
Host values accepted at all (Starlette's TrustedHostMiddleware; ``*`` accepts any).
"""

from __future__ import annotations

from typing import Final
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from starlette.datastructures import MutableHeaders
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from vawmw.settings import ServiceSettings

PAGE_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'"
)
# YASGUI 4.6.2's fixed inline styles (see the module doc): the column resizer's layout CSS and
# its drag cursor, as <style> elements; the syntax error tooltip's underline, as an attribute.
YASGUI_STYLE_ELEMENTS: Final = (
    "'sha256-zCK2EVMoPc04mRF/g5CotUvxbJPWS+8V0b+s9ptqQIk='",  # .grip-resizable{…} …
    "'sha256-c0O6TmFAkgpNbHxKAa1BrveWHHopjEtC47i0PzMudxg='",  # *{cursor:col-resize!important}
)
YASGUI_STYLE_ATTRIBUTES: Final = (
    "'sha256-EntWS0hFrz2vH7susM+dPUxvHlL6sBswmM8K80E5oUk='",  # text-decoration:underline
)
EDITOR_POLICY: Final = (
    "default-src 'self'; img-src 'self' data:; "
    f"style-src-elem 'self' {' '.join(YASGUI_STYLE_ELEMENTS)}; "
    f"style-src-attr 'unsafe-hashes' {' '.join(YASGUI_STYLE_ATTRIBUTES)}; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    """ASGI middleware: the security headers on every HTTP response (see the module doc)."""

    def __init__(self, app: ASGIApp, *, policies: dict[str, str]) -> None:
        self.app = app
        self.policies = policies  # path → its own Content-Security-Policy

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.policies.get(scope.get("path", ""), PAGE_POLICY)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Content-Security-Policy"] = policy
                headers["X-Frame-Options"] = "DENY"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def check_public_url(url: str) -> str:
    """``url`` without its trailing slash, or ValueError unless it is an absolute http(s) URL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"the public URL must be an absolute http(s) URL, not {url!r}")
    return url.rstrip("/")


def install(app: FastAPI, settings: ServiceSettings) -> None:
    """Add the Host check and the security headers to ``app`` (call after other middleware)."""
    if settings.public_url is not None:
        check_public_url(settings.public_url)
    app.add_middleware(
        TrustedHostMiddleware, allowed_hosts=list(settings.trusted_hosts), www_redirect=False
    )
    policies = {"/sparql": EDITOR_POLICY}
    app.add_middleware(SecurityHeaders, policies=policies)  # outermost: on every answer


def public_url_for(request: Request, settings: ServiceSettings, name: str) -> str:
    """The absolute URL of route ``name``: under ``public_url`` when set, else the request's."""
    if settings.public_url is not None:
        return check_public_url(settings.public_url) + str(request.app.url_path_for(name))
    return str(request.url_for(name))


def request_origin(request: Request, settings: ServiceSettings) -> str | None:
    """What a representation holding :func:`public_url_for` URLs varies on beyond the release.

    With ``public_url`` the representation is the same for every Host (None); without it, it
    holds the request's origin, which then enters its validators and cache keys
    (:meth:`vawmw.web.http.Validators.key`).
    """
    if settings.public_url is not None:
        return None
    return str(request.base_url)
