"""Write a release's prebuilt documents (``ld/``) and pages (``site/``) beside its files.

Rendering is spread over processes (each opens the store read-only, as the service's workers
do); the folders are written under temporary names and renamed into place at the end, with the
index (``site/documents.json``) that names the release they belong to, so a reader never takes
half a set, or another release's, for this one's.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path
from typing import Final

import httpx

from vawmw.build.writer import DIRECTORY_MODE, FILE_MODE
from vawmw.rdf.namespaces import BASE
from vawmw.release import layout
from vawmw.release.manifest import ReleaseInfo
from vawmw.web.prebuild import stored
from vawmw.web.prebuild.paths import RoutedPath, candidate_iris, routed_paths
from vawmw.web.prebuild.render import Renderer, Written, local_app, render
from vawmw.web.prebuild.site import render_site
from vawmw.web.routes.minted import void_index

__all__ = ["DocumentsReport", "read_index", "write_documents"]

PARTIAL: Final = ".partial"
# Below this many paths one process renders them all (starting another costs about a second).
_PATHS_PER_PROCESS: Final = 200


@dataclass(frozen=True)
class DocumentsReport:
    """What was written: paths, files, bytes stored and the documents' own bytes (documents and
    site), and how long it took."""

    paths: int
    files: int
    size: int
    content: int
    seconds: float


def _render_part(release_dir: str, paths: list[RoutedPath], out: str) -> tuple[int, int, int]:
    written = asyncio.run(render(Path(release_dir), paths, Path(out), stored.file_name))
    return written.files, written.size, written.content


async def _render_site(release_dir: Path, out: Path) -> Written:
    app, store = local_app(release_dir)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as client:
        written = await render_site(Renderer(app, store, client), out)
    del store
    return written


def _paths(release_dir: Path) -> list[RoutedPath]:
    release = ReleaseInfo.load(release_dir)
    _app, store = local_app(release_dir)
    iris = candidate_iris(store.quads_for_pattern(None, None, None, None), BASE)
    iris |= candidate_iris(void_index(release_dir, release.release_id).store, BASE)
    del store
    return routed_paths(iris)


def _render_documents(
    release_dir: Path, paths: Sequence[RoutedPath], out: Path, workers: int
) -> Written:
    parts = max(1, min(workers, len(paths) // _PATHS_PER_PROCESS))
    if parts == 1:
        return asyncio.run(render(release_dir, paths, out, stored.file_name))
    chunks = [list(paths[index::parts]) for index in range(parts)]
    written = Written()
    # spawn, not fork: the caller may run threads (the command line's status display).
    with ProcessPoolExecutor(parts, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(_render_part, str(release_dir), c, str(out)) for c in chunks]
        for future in futures:
            written.add(Written(*future.result()))
    return written


def _publish_modes(root: Path) -> None:
    """Readable by everyone (nginx runs as another user), whatever the umask."""
    root.chmod(DIRECTORY_MODE)
    for path in root.rglob("*"):
        path.chmod(DIRECTORY_MODE if path.is_dir() else FILE_MODE)


def _swap(partial: Path, final: Path) -> None:
    if final.exists():
        shutil.rmtree(final)
    partial.rename(final)


def _write_json(path: Path, document: object) -> None:
    path.write_text(json.dumps(document, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def write_documents(release_dir: Path, workers: int | None = None) -> DocumentsReport:
    """Render every prebuilt document and page of the release in ``release_dir``."""
    started = time.perf_counter()
    release = ReleaseInfo.load(release_dir)
    documents = layout.documents_path(release_dir)
    site = layout.site_path(release_dir)
    ld_partial = documents.with_name(documents.name + PARTIAL)
    site_partial = site.with_name(site.name + PARTIAL)
    for partial in (ld_partial, site_partial):
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir()
    paths = _paths(release_dir)
    count = workers if workers is not None else min(2, os.cpu_count() or 1)
    written = _render_documents(release_dir, paths, ld_partial, count)
    written.add(asyncio.run(_render_site(release_dir, site_partial)))
    index = {
        "release_id": release.release_id,
        "paths": len(paths),
        "files": written.files,
        "bytes": written.size,
        "content_bytes": written.content,
    }
    _write_json(site_partial / layout.FORMATS_NAME, stored.table())
    _write_json(site_partial / layout.DOCUMENTS_INDEX_NAME, index)
    for partial in (ld_partial, site_partial):
        _publish_modes(partial)
    # ld/ first, the index (in site/) last: a reader that finds the index finds ld/ whole.
    shutil.rmtree(site, ignore_errors=True)
    _swap(ld_partial, documents)
    _swap(site_partial, site)
    seconds = time.perf_counter() - started
    return DocumentsReport(len(paths), written.files, written.size, written.content, seconds)


def read_index(release_dir: Path) -> dict[str, object] | None:
    """The index of the release's prebuilt documents, or None when absent or unreadable."""
    try:
        document = json.loads(layout.documents_index_path(release_dir).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return document if isinstance(document, dict) else None
