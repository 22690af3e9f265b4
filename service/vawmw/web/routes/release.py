"""Release routes: /dumps/, /.well-known/void, /queries, /health."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Final
from urllib.parse import quote

import pyoxigraph as ox
from fastapi import APIRouter, Request, Response
from fastapi.responses import FileResponse, JSONResponse

from vawmw.release.manifest import CHECKSUMS_NAME, MANIFEST_NAME, STORE_DIR_NAME
from vawmw.web import negotiation
from vawmw.web.negotiation import Format
from vawmw.web.routes import (
    ServiceState,
    cache_headers,
    error,
    etag_for,
    if_none_match,
    not_modified,
    service_state,
)

router = APIRouter(tags=["Release"])

VOID_NAME: Final = "void.ttl"
_LISTING_FORMATS: Final = (negotiation.JSON_DOC, negotiation.HTML)
_VOID_FORMATS: Final = (
    negotiation.TURTLE,
    negotiation.JSONLD,
    negotiation.NTRIPLES,
    negotiation.RDFXML,
)
_SAFE_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_MEDIA_TYPES: Final = {
    ".trig": "application/trig",
    ".nq": "application/n-quads",
    ".ttl": "text/turtle; charset=utf-8",
    ".jsonld": "application/ld+json",
    ".nt": "application/n-triples",
    ".rdf": "application/rdf+xml",
    ".json": "application/json",
    ".gz": "application/gzip",
}
_OX_FORMATS: Final = {
    "turtle": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _served_files(state: ServiceState) -> dict[str, str]:
    """Release files that may be downloaded: name → sha256 (never the store directory)."""
    return {
        name: digest
        for name, digest in state.release.files.items()
        if _SAFE_NAME.match(name) and name != STORE_DIR_NAME
    }


def _choose(request: Request, offers: tuple[Format, ...]) -> Format | None:
    return negotiation.negotiate(request.headers.get("accept"), offers)


@router.get("/dumps", include_in_schema=False)
@router.get("/dumps/", summary="The release files with their SHA-256 checksums")
async def dumps(request: Request) -> Response:
    state = service_state(request)
    fmt = _choose(request, _LISTING_FORMATS)
    if fmt is None:
        return error(406, "the listing is available as JSON and HTML")
    headers = {"Vary": "Accept", **cache_headers(state, f"dumps-{fmt.name}")}
    if if_none_match(request, etag_for(state, f"dumps-{fmt.name}")):
        return not_modified(headers)
    release = state.release
    entries = []
    for name, digest in sorted(_served_files(state).items()):
        path = release.directory / name
        size = path.stat().st_size if path.is_file() else None
        entries.append({"name": name, "sha256": digest, "size": size, "url": f"/dumps/{name}"})
    if fmt.name == "html":
        rows = "".join(
            f'<tr><td><a href="{html.escape(str(e["url"]), quote=True)}">'
            f"{html.escape(str(e['name']))}</a></td><td>{e['size']}</td>"
            f"<td><code>{html.escape(str(e['sha256']))}</code></td></tr>"
            for e in entries
        )
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Downloads'
            "</title></head><body>"
            f"<h1>Release {html.escape(release.version)}</h1>"
            f"<p>Release id <code>{html.escape(release.release_id)}</code>, issued "
            f"{html.escape(release.issued)}. Checksums: "
            f'<a href="/dumps/{CHECKSUMS_NAME}">{CHECKSUMS_NAME}</a>.</p>'
            "<table><tr><th>file</th><th>bytes</th><th>SHA-256</th></tr>"
            f"{rows}</table></body></html>\n"
        )
        return Response(page, media_type=fmt.content_type, headers=headers)
    document = {
        "version": release.version,
        "release_id": release.release_id,
        "issued": release.issued,
        "files": entries,
    }
    return JSONResponse(document, headers=headers)


@router.get("/dumps/{name}", summary="Download one release file")
async def dump_file(request: Request, name: str) -> Response:
    state = service_state(request)
    allowed = {*_served_files(state), CHECKSUMS_NAME, MANIFEST_NAME}
    if name not in allowed or not _SAFE_NAME.match(name):
        return error(404, "no such file in this release")
    directory = state.release.directory.resolve()
    path = (directory / name).resolve()
    if path.parent != directory or not path.is_file():
        return error(404, "no such file in this release")
    headers = cache_headers(state, f"file-{name}")
    if if_none_match(request, etag_for(state, f"file-{name}")):
        return not_modified(headers)
    media_type = _MEDIA_TYPES.get(path.suffix, "application/octet-stream")
    if name == CHECKSUMS_NAME:
        media_type = "text/plain; charset=utf-8"
    return FileResponse(path, media_type=media_type, headers=headers, filename=name)


@router.get("/.well-known/void", summary="VoID / DCAT description of the dataset")
async def well_known_void(request: Request) -> Response:
    state = service_state(request)
    fmt = _choose(request, _VOID_FORMATS)
    headers = {"Vary": "Accept"}
    if fmt is None:
        return error(406, "VoID is available as Turtle, JSON-LD, N-Triples and RDF/XML", headers)
    path = state.release.directory / VOID_NAME
    if not path.is_file():
        return error(404, "this release has no VoID description", headers)
    headers.update(cache_headers(state, f"void-{fmt.name}"))
    if if_none_match(request, etag_for(state, f"void-{fmt.name}")):
        return not_modified(headers)
    data = path.read_bytes()
    if fmt.name != "turtle":
        triples = [q.triple for q in ox.parse(data, format=ox.RdfFormat.TURTLE)]
        data = ox.serialize(triples, format=_OX_FORMATS[fmt.name]) or b""
    return Response(data, media_type=fmt.content_type, headers=headers)


def read_query_file(path: Path) -> dict[str, str]:
    """A query of the repository's queries/ folder with its ``# title:`` / ``# description:``."""
    text = path.read_text(encoding="utf-8")
    meta = {"name": path.stem, "title": path.stem, "description": "", "query": text}
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#"):
            continue
        key, sep, value = stripped.lstrip("#").strip().partition(":")
        if sep and key.strip().lower() in ("title", "description"):
            meta[key.strip().lower()] = value.strip()
    meta["run"] = "/sparql?query=" + quote(text, safe="")
    return meta


@router.get("/queries", summary="Example queries of the project, with links that run them")
async def queries(request: Request) -> Response:
    state = service_state(request)
    fmt = _choose(request, _LISTING_FORMATS)
    if fmt is None:
        return error(406, "the list is available as JSON and HTML")
    headers = {"Vary": "Accept", **cache_headers(state, f"queries-{fmt.name}")}
    folder = state.settings.queries_dir
    files = sorted(folder.glob("*.rq")) if folder.is_dir() else []
    items = [read_query_file(path) for path in files]
    if fmt.name == "html":
        body = "".join(
            f'<li><a href="{html.escape(i["run"], quote=True)}">{html.escape(i["title"])}</a>'
            f"<p>{html.escape(i['description'])}</p>"
            f"<pre>{html.escape(i['query'])}</pre></li>"
            for i in items
        )
        page = (
            '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Example queries'
            f"</title></head><body><h1>Example queries</h1><ul>{body}</ul></body></html>\n"
        )
        return Response(page, media_type=fmt.content_type, headers=headers)
    return JSONResponse({"queries": items}, headers=headers)


@router.get("/health", summary="Liveness: is the release store open")
async def health(request: Request) -> Response:
    state = service_state(request)
    alive = state.pool.alive
    document = {
        "status": "ok" if alive > 0 else "unavailable",
        "store_open": alive > 0,
        "release_version": state.release.version,
        "release_id": state.release.release_id,
        "workers_alive": alive,
        "workers": state.settings.workers,
    }
    return JSONResponse(
        document, status_code=200 if alive else 503, headers={"Cache-Control": "no-store"}
    )
