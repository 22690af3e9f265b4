"""The names of a release's files, each written once.

A release directory (``dist/`` by default) is written by :mod:`vawmw.build.pipeline` and holds::

    release.json     manifest: version, release_id, issued, graphs (IRI -> triples),
                     files (name -> sha256, the queries as ``queries/NAME.rq``)
    SHA256SUMS       checksums of every file below but the store, ``sha256sum -c`` format
    vawmw.trig       all named graphs        vawmw.nq     the same as N-Quads
    vawmw.ttl        ontology + data + inferred merged     vawmw.jsonld  the same as JSON-LD
    void.ttl         VoID + DCAT description of the dataset
    context.jsonld   the JSON-LD context of the dumps' and the service's compact JSON-LD
    queries/         the competency queries of the sources' queries/, byte for byte
    store/           the embedded on-disk Oxigraph store with the same quads

and, after ``vawmw build`` has rendered them (:mod:`vawmw.web.prebuild`), derived files that
SHA256SUMS does not list (like the store, they follow from the files above)::

    ld/              every dereferenceable IRI's documents, gzip-compressed, at the IRI's path
                     under the namespace plus the format's extension and ``.gz``:
                     ``ld/id/state/PHL.ttl.gz``, ``.jsonld.gz``, ``.nt.gz`` (N-Triples and
                     N-Quads), ``.rdf.gz``, ``.html.gz`` (the path kept as sent, percent-escapes
                     and all)
    site/            the pages and files that need no query either: home, dashboard, VoID in
                     each format, the context, the listings, the site's static files, and
                     ``documents.json``, the index that says which release they were built from,
                     and ``formats.json``, the formats deploy/run-nginx negotiates
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

MANIFEST_NAME: Final = "release.json"
CHECKSUMS_NAME: Final = "SHA256SUMS"
STORE_DIR_NAME: Final = "store"
QUERIES_DIR_NAME: Final = "queries"
QUERY_SUFFIX: Final = ".rq"

TRIG_NAME: Final = "vawmw.trig"
NQUADS_NAME: Final = "vawmw.nq"
TURTLE_NAME: Final = "vawmw.ttl"
JSONLD_NAME: Final = "vawmw.jsonld"
VOID_NAME: Final = "void.ttl"
# Built from the ontology; served at /context.jsonld (https://w3id.org/vawmw/context.jsonld).
CONTEXT_NAME: Final = "context.jsonld"

# Prebuilt documents (vawmw.web.prebuild; served by the service and by deploy/run-nginx).
DOCUMENTS_DIR_NAME: Final = "ld"
SITE_DIR_NAME: Final = "site"
DOCUMENTS_INDEX_NAME: Final = "documents.json"
# The resource formats and the file that holds each (read by deploy/run-nginx).
FORMATS_NAME: Final = "formats.json"
# A path segment of a prebuilt document: RFC 3986 path characters and percent escapes, never
# "." or ".." (a file name must not climb out of ld/); deploy/conneg.js applies the same rule.
_DOCUMENT_SEGMENT: Final = re.compile(r"^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})+$")

# The RDF dumps, in the order the VoID description lists them.
DUMP_NAMES: Final = (TRIG_NAME, NQUADS_NAME, TURTLE_NAME, JSONLD_NAME)

# A file name safe in a URL path and in a SHA256SUMS line (no space, slash or newline).
SAFE_NAME: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


def query_entry(file_name: str) -> str:
    """The manifest's and SHA256SUMS' name of a query file: ``queries/NAME.rq``."""
    return f"{QUERIES_DIR_NAME}/{file_name}"


def query_file_name(entry: str) -> str | None:
    """The file name of a manifest entry under ``queries/``, or None for any other entry."""
    folder, separator, name = entry.partition("/")
    if folder != QUERIES_DIR_NAME or not separator or not SAFE_NAME.match(name):
        return None
    return name if name.endswith(QUERY_SUFFIX) else None


def manifest_path(directory: Path) -> Path:
    return directory / MANIFEST_NAME


def store_path(directory: Path) -> Path:
    return directory / STORE_DIR_NAME


def documents_path(directory: Path) -> Path:
    return directory / DOCUMENTS_DIR_NAME


def site_path(directory: Path) -> Path:
    return directory / SITE_DIR_NAME


def documents_index_path(directory: Path) -> Path:
    return site_path(directory) / DOCUMENTS_INDEX_NAME


def document_name(path: str, extension: str) -> str | None:
    """The file, relative to ``ld/``, of the document at the raw request ``path`` (``/id/x``)
    in the format whose extension is given; None when the path cannot name a file (an empty,
    ``.`` or ``..`` segment, a character outside RFC 3986's path characters)."""
    segments = path.removeprefix("/").split("/")
    if not all(_DOCUMENT_SEGMENT.match(s) and s not in (".", "..") for s in segments):
        return None
    return "/".join(segments) + "." + extension
