"""The JSON-LD context: ``/context.jsonld``, where ``https://w3id.org/vawmw/context.jsonld``
redirects (deploy/w3id/.htaccess).

The file is the release's (built from its ontology, :mod:`vawmw.rdf.jsonld`), so it changes
with the ontology and one ETag per release holds. CORS comes from the application's middleware:
a JSON-LD processor in a browser loads the context from another origin.
"""

from __future__ import annotations

from typing import Final

from fastapi import APIRouter, Request, Response

from vawmw.rdf import formats, jsonld
from vawmw.rdf.formats import Format
from vawmw.release import layout
from vawmw.web import http
from vawmw.web.http import NotFound
from vawmw.web.routes import service_state

router = APIRouter(tags=["Linked data"])

# The path of the context here: the IRI's path under the namespace, as for /id/… and /ontology.
CONTEXT_PATH: Final = "/" + jsonld.CONTEXT_IRI.rsplit("/", 1)[1]
# JSON-LD 1.1, section 6.1: the link relation that gives plain JSON its context.
CONTEXT_REL: Final = "http://www.w3.org/ns/json-ld#context"


def context_link(request: Request, fmt: Format) -> str | None:
    """The ``Link`` to the context when a graph goes out as JSON-LD to a client that asked for
    plain JSON (a JSON-LD processor ignores the link on application/ld+json)."""
    accept = request.headers.get("accept", "").lower()
    if fmt is not formats.JSONLD or "application/ld+json" in accept:
        return None
    return f'<{CONTEXT_PATH}>; rel="{CONTEXT_REL}"; type="{formats.JSONLD.media_type}"'


@router.get(CONTEXT_PATH, summary="The JSON-LD context of the compact JSON-LD served here")
async def context(request: Request) -> Response:
    state = service_state(request)
    path = state.release.directory / layout.CONTEXT_NAME
    if not path.is_file():
        raise NotFound("this release has no JSON-LD context")
    answer = http.conditional_get(
        request,
        state.validators,
        (formats.JSONLD,),
        message="the context is available as JSON-LD only",
    )
    return answer.respond(path.read_bytes())
