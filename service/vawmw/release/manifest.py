"""The release as the service sees it: its manifest and its read-only Oxigraph store.

A release directory (``dist/`` by default) is written by :mod:`vawmw.build.pipeline` and holds::

    release.json     manifest: version, release_id, issued, graphs (IRI -> triples),
                     files (name -> sha256)
    SHA256SUMS       checksums of the dump files, ``sha256sum`` format
    vawmw.trig       all named graphs        vawmw.nq     the same as N-Quads
    vawmw.ttl        ontology + data + inferred merged     vawmw.jsonld  the same as JSON-LD
    void.ttl         VoID + DCAT description of the dataset
    store/           the embedded on-disk Oxigraph store with the same quads

The service only reads a release; it never writes one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pyoxigraph

MANIFEST_NAME: Final = "release.json"
STORE_DIR_NAME: Final = "store"
CHECKSUMS_NAME: Final = "SHA256SUMS"


class ReleaseNotFoundError(FileNotFoundError):
    """The directory holds no complete release."""


@dataclass(frozen=True)
class ReleaseInfo:
    """What a release says about itself."""

    directory: Path
    version: str
    release_id: str
    issued: str
    graphs: dict[str, int]
    files: dict[str, str]

    @property
    def store_path(self) -> Path:
        return self.directory / STORE_DIR_NAME

    @property
    def etag(self) -> str:
        """A strong HTTP entity tag: the data are immutable within one release."""
        return f'"{self.release_id}"'

    @classmethod
    def load(cls, directory: Path) -> ReleaseInfo:
        manifest_path = directory / MANIFEST_NAME
        if not manifest_path.is_file() or not (directory / STORE_DIR_NAME).is_dir():
            raise ReleaseNotFoundError(f"no release in {directory} (run `vawmw build`)")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        return cls(
            directory=directory,
            version=str(manifest["version"]),
            release_id=str(manifest["release_id"]),
            issued=str(manifest["issued"]),
            graphs={str(k): int(v) for k, v in manifest["graphs"].items()},
            files={str(k): str(v) for k, v in manifest["files"].items()},
        )


def open_read_only(release: ReleaseInfo) -> pyoxigraph.Store:
    """Open the release's store without write access; many processes may do so at once."""
    return pyoxigraph.Store.read_only(str(release.store_path))
