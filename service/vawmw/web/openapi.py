"""The OpenAPI description (``/openapi.json``, shown by ``/docs``), made true to what is served.

FastAPI's generated description is corrected in one place, after the routes are known:

* ``/sparql`` reads its parameters from the request itself, so FastAPI sees none; its GET
  parameters (``query``, ``default-graph-uri``, ``named-graph-uri``, ``format``) and its two POST
  bodies (form-encoded, ``application/sparql-query``) are written here, from the SPARQL 1.1
  Protocol.
* Each operation's 200 lists the media types the route really answers (:data:`ANSWERS`), never
  FastAPI's default ``application/json`` for a route that answers 406 to it.
* FastAPI's 422 is removed: no route validates its input with FastAPI (path parameters are
  plain strings), so it never happens; a bad request gets 400 (RELIABILITY.md, status table).

``tests/web/test_openapi.py`` asks each route for each media type the description claims.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.release import layout

__all__ = ["ANSWERS", "EXAMPLES", "install"]

_RDF_DESCRIPTION: Final = (formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML)
_SPARQL: Final = (*formats.RESULTS_FORMATS, *formats.GRAPH_FORMATS)
# "METHOD path" -> the formats its 200 answers come in (by Accept or format=).
ANSWERS: Final[dict[str, tuple[Format, ...]]] = {
    "GET /sparql": (*_SPARQL, formats.HTML),
    "POST /sparql": _SPARQL,
    "GET /ontology": formats.RESOURCE_FORMATS,
    "GET /id/{rest}": formats.RESOURCE_FORMATS,
    "GET /context.jsonld": (formats.JSONLD,),
    "GET /dataset": formats.RESOURCE_FORMATS,
    "GET /dataset/{rest}": formats.RESOURCE_FORMATS,
    "GET /graph/{name}": formats.RESOURCE_FORMATS,
    "GET /ontology/{version}": formats.RESOURCE_FORMATS,
    "GET /shapes": formats.RESOURCE_FORMATS,
    "GET /shapes/{rest}": formats.RESOURCE_FORMATS,
    "GET /dumps/": (formats.JSON_DOC, formats.HTML),
    "GET /dumps/{name}": (
        formats.TRIG,
        formats.NQUADS,
        formats.TURTLE,
        formats.JSONLD,
        formats.TEXT,
        formats.JSON_DOC,
    ),
    "GET /.well-known/void": _RDF_DESCRIPTION,
    "GET /queries": (formats.JSON_DOC, formats.HTML),
    "GET /health": (formats.JSON_DOC,),
    "GET /health/ready": (formats.JSON_DOC,),
}
# Path parameters: an example value each (Swagger UI fills it in; the tests use it).
EXAMPLES: Final = {
    "/id/{rest}": {"rest": "state/PHL"},
    "/dataset/{rest}": {"rest": "class-partition/foaf-Organization"},
    "/graph/{name}": {"name": "data"},
    "/ontology/{version}": {"version": "0.2.0"},  # the ontology's owl:versionInfo
    "/shapes/{rest}": {"rest": "violations"},
    "/dumps/{name}": {"name": layout.TURTLE_NAME},
}
_GRAPH_URI: Final = {"type": "array", "items": {"type": "string", "format": "uri"}}
_SPARQL_PARAMETERS: Final[Sequence[tuple[str, str, dict[str, Any]]]] = (
    (
        "query",
        "The SPARQL 1.1 query. Without it, GET answers the Service Description (a browser "
        "gets the editor). The usual prefixes are predeclared.",
        {"type": "string", "example": "SELECT * WHERE { ?s ?p ?o } LIMIT 10"},
    ),
    (
        "default-graph-uri",
        "A graph of the query's default graph (repeatable); replaces the union of all graphs.",
        _GRAPH_URI,
    ),
    ("named-graph-uri", "A graph the query may name with GRAPH (repeatable).", _GRAPH_URI),
    (
        "format",
        "The answer's format, instead of Accept: json, xml, csv, tsv, turtle, ntriples, "
        "jsonld, rdfxml, trig, nquads, or html (the editor showing the results).",
        {"type": "string"},
    ),
)


def _content(offers: Sequence[Format]) -> dict[str, dict[str, Any]]:
    return {fmt.media_type: {"schema": {"type": "string"}} for fmt in offers}


def _sparql_get(operation: dict[str, Any]) -> None:
    operation["parameters"] = [
        {
            "name": name,
            "in": "query",
            "required": False,
            "description": text,
            "schema": schema,
            **({"explode": True} if schema.get("type") == "array" else {}),
        }
        for name, text, schema in _SPARQL_PARAMETERS
    ]


def _sparql_post(operation: dict[str, Any]) -> None:
    fields = {name: {"description": text, **schema} for name, text, schema in _SPARQL_PARAMETERS}
    operation["requestBody"] = {
        "required": True,
        "content": {
            formats.FORM_TYPE: {
                "schema": {"type": "object", "properties": fields, "required": ["query"]}
            },
            formats.SPARQL_QUERY_TYPE: {
                "schema": {"type": "string", "example": "ASK { ?s ?p ?o }"}
            },
        },
    }


def _correct(path: str, method: str, operation: dict[str, Any]) -> None:
    responses = operation.setdefault("responses", {})
    responses.pop("422", None)
    offers = ANSWERS.get(f"{method.upper()} {path}")
    if offers is not None:
        responses.setdefault("200", {"description": "OK"})["content"] = _content(offers)
    for parameter in operation.get("parameters", ()):
        example = EXAMPLES.get(path, {}).get(parameter.get("name", ""))
        if example is not None:
            parameter["example"] = example
    if path == "/sparql":
        (_sparql_get if method == "get" else _sparql_post)(operation)


def install(app: FastAPI) -> None:
    """Give ``app`` the corrected description (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                summary=app.summary,
                routes=app.routes,
            )
            for path, operations in schema.get("paths", {}).items():
                for method, operation in operations.items():
                    _correct(path, method, operation)
            schemas = schema.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            if "components" in schema and not schemas:
                schema["components"].pop("schemas", None)
                if not schema["components"]:
                    del schema["components"]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
