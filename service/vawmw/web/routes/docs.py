"""``/docs``: the OpenAPI description in Swagger UI, served from here, never from a CDN.

* ``GET /docs`` — the page: Swagger UI's stylesheet and bundle from ``/static/swagger-ui/…``,
  started by ``/static/docs.js`` (a file, so no inline script needs a hash in the policy).
* ``GET /static/swagger-ui/{name}`` — the files of npm's ``swagger-ui-dist`` (package.json pins
  it), found in ``node_modules`` as YASGUI's are (:func:`vawmw.web.routes.pages.node_modules`).

Without ``npm ci`` the page says so and links the OpenAPI JSON, which needs nothing.
FastAPI's own ``/docs`` (assets from a CDN) is switched off in :func:`vawmw.web.app.create_app`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from vawmw.web.routes.pages import node_modules, npm_file

router = APIRouter()

DOCS_PATH: Final = "/docs"
SWAGGER_PACKAGE: Final = Path("swagger-ui-dist")
SWAGGER_FILES: Final = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
}
_PAGE: Final = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vawmw-kg API (OpenAPI)</title>
<link rel="stylesheet" href="/static/swagger-ui/swagger-ui.css">
<link rel="alternate" type="application/json" href="/openapi.json">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/static/swagger-ui/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body>
</html>
"""
_MISSING: Final = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>vawmw-kg API (OpenAPI)</title></head>
<body>
<h1>vawmw-kg API</h1>
<p>Swagger UI is not installed here: run <code>npm ci</code> in the repository root.
The OpenAPI description itself is at <a href="/openapi.json">/openapi.json</a>.</p>
</body>
</html>
"""


def _swagger_root() -> Path | None:
    return node_modules(SWAGGER_PACKAGE / "swagger-ui-bundle.js")


@router.get(DOCS_PATH, include_in_schema=False)
async def docs_page() -> HTMLResponse:
    return HTMLResponse(_PAGE if _swagger_root() is not None else _MISSING)


@router.get("/static/swagger-ui/{name}", include_in_schema=False)
async def swagger_file(request: Request, name: str) -> Response:
    return npm_file(request, SWAGGER_PACKAGE, SWAGGER_FILES, name, "Swagger UI")
