"""Answering a dereference from the release's prebuilt documents (``ld/``), with no query.

A release never changes while it is served, so each IRI has one answer per format, rendered at
build time (:mod:`vawmw.web.prebuild`). With ``--graph`` extras or ``--backend`` a description
can differ from the release's, so the documents are not used there; nor when their index names
another release. A path without a document (an IRI the release does not describe, a path no file
can name) goes on to the dynamic path, which answers it (404 with its suggestion, or the rare
document that could not be written) exactly as before.

The answer is the dynamic path's: the same negotiation (406 with the same message, ``Vary`` and
``Link``), the same ``Link`` alternates and context link, the one ETag formula
(:class:`vawmw.web.http.Validators`) and 304, the same Content-Type; HEAD is the application's.
The documents are stored compressed (:mod:`vawmw.web.prebuild.stored`); N-Quads is answered
from the N-Triples file.
"""

from __future__ import annotations

import gzip
import json
import zlib
from functools import lru_cache
from pathlib import Path

from fastapi import Request, Response

from vawmw.rdf import formats
from vawmw.release import layout
from vawmw.web import http, negotiation
from vawmw.web.prebuild import stored
from vawmw.web.routes import ServiceState
from vawmw.web.routes.context import context_link

__all__ = ["alternates_link", "answer", "documents_dir", "read_document"]


@lru_cache(maxsize=4)  # one per release served; the index is read once
def _current(directory: Path, release_id: str) -> bool:
    try:
        index = json.loads(layout.documents_index_path(directory).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(index, dict) and index.get("release_id") == release_id


def documents_dir(state: ServiceState) -> Path | None:
    """The release's prebuilt documents when they are this service's answers, else None."""
    settings = state.settings
    if settings.extra_graphs or settings.backend_url:
        return None
    directory = state.release.directory
    if not _current(directory, state.release.release_id):
        return None
    return layout.documents_path(directory)


def raw_path(request: Request) -> str:
    """The path as sent, still percent-encoded (what names the IRI and the file)."""
    return bytes(request.scope.get("raw_path") or b"").decode("latin-1") or request.url.path


def read_document(file: Path) -> bytes | None:
    """A stored document's bytes, decompressed, or None when there is none (or a folder of
    that name). Decompressed here whatever the client accepts: the answer is then the dynamic
    path's, byte for byte, ETag included (a compressed body would need an ETag of its own); a
    document of a few KB decompresses in microseconds."""
    try:
        return gzip.decompress(file.read_bytes())
    except OSError:  # no such file; gzip.BadGzipFile is an OSError too
        return None
    except (EOFError, zlib.error):  # a truncated or damaged file: the dynamic path answers
        return None


def alternates_link(path: str) -> str:
    return ", ".join(
        f'<{path}>; rel="alternate"; type="{f.media_type}"' for f in formats.RESOURCE_FORMATS
    )


def answer(request: Request, state: ServiceState) -> Response | None:
    """The prebuilt answer to a linked-data GET, a 406 or 304 (raised), or None: no document."""
    directory = documents_dir(state)
    if directory is None:
        return None
    path = raw_path(request)
    headers = {"Vary": "Accept", "Link": alternates_link(path)}
    fmt = http.negotiate(
        request,
        formats.RESOURCE_FORMATS,
        message=negotiation.RESOURCE_MESSAGE,
        requested=request.query_params.get("format"),
        headers=headers,
    )
    name = stored.file_name(path, fmt)
    body = None if name is None else read_document(directory / name)
    if body is None:
        return None
    link = context_link(request, fmt)
    if link is not None:
        headers["Link"] += ", " + link
    headers.update(state.validators.headers(fmt.name, http.resource_of(request)))
    http.revalidate(request, headers)
    return Response(body, media_type=fmt.content_type, headers=headers)
