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
