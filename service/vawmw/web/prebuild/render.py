"""Rendering documents with the service's own code: one application per process, whose jobs
run in this process (:class:`~vawmw.web.prebuild.runner.StoreRunner`).

Every document is what the service answers: a described resource's RDF formats come from the
same :func:`~vawmw.query.describe.describe_store` the workers run (the route does nothing else
with them), collected once and serialized in each format by the same
:func:`~vawmw.query.answers.graph_answer`; every other answer, each HTML page included, from a
GET through the application itself (in process, no socket), keeping only 200s.
tests/web/test_prebuilt.py compares every document with the dynamic path's answer.
"""

from __future__ import annotations

import dataclasses
import gzip
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import pyoxigraph as ox
from fastapi import FastAPI

from vawmw.query.answers import graph_answer
from vawmw.query.describe import describe_store
from vawmw.query.jobs import DescribeJob
from vawmw.rdf import formats
from vawmw.rdf.formats import Format
from vawmw.release.manifest import ReleaseInfo, open_read_only
from vawmw.settings import ServiceSettings
from vawmw.web.app import create_app
from vawmw.web.prebuild import stored
from vawmw.web.prebuild.paths import RoutedPath
from vawmw.web.prebuild.runner import StoreRunner
from vawmw.web.routes import ServiceState

__all__ = [
    "RDF_FORMATS",
    "NameOf",
    "NotSameBytes",
    "Renderer",
    "Written",
    "local_app",
    "render",
    "write_document",
]

# The resource formats but HTML (which always goes through the application).
RDF_FORMATS: Final = tuple(f for f in formats.RESOURCE_FORMATS if f is not formats.HTML)
# Highest compression: written once, read many times (level 9 costs ~1 ms a document more).
_LEVEL: Final = 9


class NotSameBytes(ValueError):
    """Two formats stored as one file (:data:`stored.SAME_BYTES`) gave different bytes."""


_ORIGIN: Final = "http://localhost"


@dataclass
class Written:
    """What was written: files, their bytes as stored, and the documents' bytes."""

    files: int = 0
    size: int = 0
    content: int = 0

    def add(self, other: Written) -> None:
        self.files += other.files
        self.size += other.size
        self.content += other.content


def local_app(release_dir: Path) -> tuple[FastAPI, ox.Store]:
    """The service's application on ``release_dir``, its jobs answered in this process."""
    release = ReleaseInfo.load(release_dir)
    store = open_read_only(release)
    app = create_app(ServiceSettings(release_dir=release_dir))
    state = app.state.service
    if not isinstance(state, ServiceState):
        raise TypeError("create_app put no ServiceState on app.state.service")
    # The pool create_app made is never started: this one answers instead, in this process.
    app.state.service = dataclasses.replace(state, pool=StoreRunner(store))
    return app, store


def write_file(target: Path, body: bytes) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)
    return len(body)


class Renderer:
    """Writes the documents of paths under ``out``: ``out/<document_name>``."""

    def __init__(self, app: FastAPI, store: ox.Store, client: httpx.AsyncClient) -> None:
        self.app = app
        self.store = store
        self.client = client

    @property
    def incoming_limit(self) -> int:
        return int(self.app.state.service.settings.max_incoming_links)

    async def get(self, path: str, fmt: Format) -> bytes | None:
        """The body of a 200 for ``path`` asked in ``fmt``, or None."""
        answer = await self.client.get(path, headers={"Accept": fmt.media_type})
        return answer.content if answer.status_code == 200 else None

    def describe(self, routed: RoutedPath) -> list[tuple[Format, bytes]]:
        """The description in every RDF format, collected once: the workers' own
        :func:`describe_store` in N-Triples, whose triples (read back in order, blank node
        labels kept) then go to the serializer it uses (:func:`graph_answer`) for the others."""
        job = DescribeJob(routed.iri, formats.NTRIPLES.name, self.incoming_limit)
        result = describe_store(self.store, job)
        if not result.rows:
            return []
        triples = [q.triple for q in ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES)]
        return [
            (fmt, result.body)
            if fmt is formats.NTRIPLES
            else (fmt, graph_answer(triples, fmt.name, result.rows).body)
            for fmt in RDF_FORMATS
        ]

    async def bodies(self, routed: RoutedPath) -> list[tuple[Format, bytes]]:
        found: list[tuple[Format, bytes]] = []
        if routed.described:
            found = self.describe(routed)
        else:
            for fmt in RDF_FORMATS:
                body = await self.get(routed.path, fmt)
                if body is None:
                    break
                found.append((fmt, body))
        if len(found) < len(RDF_FORMATS):
            return []  # no description: the route answers 404 in every format
        _check_same_bytes(routed, dict(found))
        page = await self.get(routed.path, formats.HTML)
        if page is not None:
            found.append((formats.HTML, page))
        return found


def _check_same_bytes(routed: RoutedPath, bodies: dict[Format, bytes]) -> None:
    """Fail the build rather than serve one format's file for another that differs."""
    for fmt, kept in stored.SAME_BYTES.items():
        if fmt in bodies and kept in bodies and bodies[fmt] != bodies[kept]:
            raise NotSameBytes(f"{routed.path}: {fmt.name} is not byte-identical to {kept.name}")


def write_document(target: Path, body: bytes) -> int:
    """Write ``body`` compressed (deterministic: no time stamp); the bytes written."""
    return write_file(target, gzip.compress(body, compresslevel=_LEVEL, mtime=0))


NameOf = Callable[[str, Format], str | None]


async def render(
    release_dir: Path, paths: Sequence[RoutedPath], out: Path, name_of: NameOf
) -> Written:
    """Render ``paths`` of the release into ``out``; ``name_of(path, format)`` names files."""
    app, store = local_app(release_dir)
    written = Written()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=_ORIGIN) as client:
        renderer = Renderer(app, store, client)
        for routed in paths:
            for fmt, body in await renderer.bodies(routed):
                name = name_of(routed.path, fmt)
                if name is None or fmt in stored.SAME_BYTES:
                    continue
                try:
                    written.size += write_document(out / name, body)
                except (IsADirectoryError, NotADirectoryError, FileExistsError):
                    continue  # a path that is also another's folder: served dynamically
                written.files += 1
                written.content += len(body)
    del store  # closed before the caller renames the folder into place
    return written
