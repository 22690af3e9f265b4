"""The release as the service sees it: its manifest, its queries and its read-only store.

A release directory is written by :mod:`vawmw.build.pipeline`; :mod:`vawmw.release.layout`
names its files. The service only reads a release; it never writes one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph

from vawmw.release import layout

# What reading a damaged manifest raises: unreadable, not UTF-8 or JSON (ValueError), a key
# missing, a value of the wrong shape.
_DAMAGED = (OSError, ValueError, KeyError, TypeError, AttributeError)


class ReleaseError(Exception):
    """The directory holds no usable release; the message says what to do."""


class ReleaseNotFoundError(ReleaseError, FileNotFoundError):
    """The directory holds no complete release."""


class ReleaseUnreadableError(ReleaseError):
    """A release is there but cannot be read: a damaged manifest, an unreadable store."""


class ReleaseQuery(NamedTuple):
    """One competency query the release carries: its file name and its text."""

    name: str
    text: str


@dataclass(frozen=True)
class ReleaseInfo:
    """What a release says about itself."""

    directory: Path
    version: str
    release_id: str
    issued: str
    graphs: dict[str, int]
    files: dict[str, str]
    sources: str | None = None  # the digest of the sources it was built from, when recorded

    @property
    def store_path(self) -> Path:
        return layout.store_path(self.directory)

    @property
    def queries_dir(self) -> Path:
        """The folder of the release's queries (absent when the sources had none)."""
        return self.directory / layout.QUERIES_DIR_NAME

    @property
    def query_names(self) -> list[str]:
        """The file names of the queries the manifest lists, sorted."""
        names = (layout.query_file_name(entry) for entry in self.files)
        return sorted(name for name in names if name is not None)

    def queries(self) -> list[ReleaseQuery]:
        """The release's competency queries, sorted by file name, line ends and all."""
        try:
            return [
                ReleaseQuery(name, (self.queries_dir / name).read_bytes().decode("utf-8"))
                for name in self.query_names
            ]
        except (OSError, UnicodeDecodeError) as error:
            raise ReleaseUnreadableError(
                f"a query of the release in {self.directory} cannot be read: {error}"
            ) from error

    @property
    def etag(self) -> str:
        """A strong HTTP entity tag: the data are immutable within one release."""
        return f'"{self.release_id}"'

    @classmethod
    def load(cls, directory: Path) -> ReleaseInfo:
        require_release(directory)
        manifest_path = layout.manifest_path(directory)
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            return cls(
                directory=directory,
                version=str(manifest["version"]),
                release_id=str(manifest["release_id"]),
                issued=str(manifest["issued"]),
                graphs={str(k): int(v) for k, v in manifest["graphs"].items()},
                files={str(k): str(v) for k, v in manifest["files"].items()},
                sources=None if manifest.get("sources") is None else str(manifest["sources"]),
            )
        except _DAMAGED as error:
            raise ReleaseUnreadableError(
                f"{manifest_path} is damaged ({type(error).__name__}: {error}); "
                "run `vawmw build` again"
            ) from error


def require_release(directory: Path, *, store: bool = True) -> None:
    """Raise :class:`ReleaseNotFoundError` unless ``directory`` holds a manifest (and a store)."""
    if not layout.manifest_path(directory).is_file() or (
        store and not layout.store_path(directory).is_dir()
    ):
        raise ReleaseNotFoundError(f"no release in {directory} (run `vawmw build`)")


def open_read_only(release: ReleaseInfo) -> pyoxigraph.Store:
    """Open the release's store without write access; many processes may do so at once."""
    try:
        return pyoxigraph.Store.read_only(str(release.store_path))
    except OSError as error:
        raise ReleaseUnreadableError(
            f"the store of the release in {release.directory} cannot be opened: {error}"
        ) from error
