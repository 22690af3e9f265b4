"""Release routes: /dumps/, /.well-known/void, /queries (/health: :mod:`.health`).

Everything here comes from the release directory, which never changes while it is served: the
files, the VoID description and the competency queries the build copied into the release
(``ServiceState.examples``), so one ETag per release and representation holds.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from vawmw.rdf import formats
from vawmw.release import layout
from vawmw.web import http
from vawmw.web.http import NotFound
from vawmw.web.pages.files import DumpFile, QueryExample, render_dumps, render_queries
from vawmw.web.routes import ServiceState, service_state

router = APIRouter(tags=["Release"])

_LISTING_FORMATS: Final = (formats.JSON_DOC, formats.HTML)
_VOID_FORMATS: Final = (formats.TURTLE, formats.JSONLD, formats.NTRIPLES, formats.RDFXML)


def _downloadable(name: str) -> bool:
    """A release file anyone may download: a top-level file or a query (never the store)."""
    if name == layout.STORE_DIR_NAME:
        return False
    return layout.SAFE_NAME.match(name) is not None or layout.query_file_name(name) is not None


def _dump_files(state: ServiceState) -> list[DumpFile]:
    """The release files that may be downloaded, with their sizes, as SHA256SUMS lists them."""
    files = []
    for name, digest in sorted(state.release.files.items()):
        if _downloadable(name):
            path = state.release.directory / name
            files.append(DumpFile(name, digest, path.stat().st_size if path.is_file() else None))
    return files


@router.get("/dumps", include_in_schema=False)
@router.get("/dumps/", summary="The release files with their SHA-256 checksums")
async def dumps(request: Request) -> Response:
    state = service_state(request)
    answer = http.conditional_get(
        request,
        state.validators,
        _LISTING_FORMATS,
        message="the listing is available as JSON and HTML",
    )
    files = _dump_files(state)
    if answer.fmt is formats.HTML:
        return answer.respond(render_dumps(state.release, files, layout.CHECKSUMS_NAME))
    release = state.release
    document = {
        "version": release.version,
        "release_id": release.release_id,
        "issued": release.issued,
        "files": [
            {"name": f.name, "sha256": f.sha256, "size": f.size, "url": f.href} for f in files
        ],
    }
    return JSONResponse(document, headers=answer.headers)


@router.get("/dumps/{name:path}", summary="Download one release file")
async def dump_file(request: Request, name: str) -> Response:
    state = service_state(request)
    allowed = {f.name for f in _dump_files(state)} | {layout.CHECKSUMS_NAME, layout.MANIFEST_NAME}
    directory = state.release.directory.resolve()
    path = (directory / name).resolve()
    if name not in allowed or not path.is_relative_to(directory) or not path.is_file():
        raise NotFound("no such file in this release")
    headers = state.validators.headers("file", http.resource_of(request))
    http.revalidate(request, headers)
    media_type = _media_type(name)
    return FileResponse(path, media_type=media_type, headers=headers, filename=path.name)


def _media_type(name: str) -> str:
    if name == layout.CHECKSUMS_NAME:
        return formats.TEXT.content_type
    if layout.query_file_name(name) is not None:
        return formats.SPARQL_QUERY_TYPE
    fmt = formats.by_extension(name.rpartition(".")[2])
    return fmt.content_type if fmt is not None else "application/octet-stream"


@router.get("/.well-known/void", summary="VoID / DCAT description of the dataset")
async def well_known_void(request: Request) -> Response:
    state = service_state(request)
    path = state.release.directory / layout.VOID_NAME
    if not path.is_file():
        raise NotFound("this release has no VoID description")
    answer = http.conditional_get(
        request,
        state.validators,
        _VOID_FORMATS,
        message="VoID is available as Turtle, JSON-LD, N-Triples and RDF/XML",
    )
    data = path.read_bytes()
    if answer.fmt is not formats.TURTLE and answer.fmt.rdf_format is not None:
        triples = [quad.triple for quad in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        data = ox.serialize(triples, format=answer.fmt.rdf_format) or b""
    return answer.respond(data)


def _query_document(query: QueryExample) -> dict[str, str]:
    """A query for scripts: its text, and a link that runs it on the endpoint."""
    return {
        "name": query.name,
        "title": query.title,
        "description": query.description,
        "query": query.query,
        "run": "/sparql?query=" + quote(query.query, safe=""),
    }


@router.get("/queries", summary="Example queries of the project, with links that run them")
async def queries(request: Request) -> Response:
    state = service_state(request)
    answer = http.conditional_get(
        request,
        state.validators,
        _LISTING_FORMATS,
        message="the list is available as JSON and HTML",
    )
    if answer.fmt is formats.HTML:
        return answer.respond(render_queries(state.release, state.examples))
    document = {"queries": [_query_document(query) for query in state.examples]}
    return JSONResponse(document, headers=answer.headers)
