"""The atomic release writer: a staging directory beside the release, checksums, one swap.

A release is written into a temporary sibling directory and renamed into place only when
complete, so a failed build leaves the previous release untouched and no reader ever sees
half a release. Every failure to write (disk full, permissions, a file where a directory
should be) comes out as :class:`ReleaseWriteError`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from vawmw.release import layout

# The release is public: everyone may read it, only its builder may change it.
DIRECTORY_MODE: Final = 0o755
FILE_MODE: Final = 0o644


class ReleaseWriteError(Exception):
    """The release could not be written; the previous release, if any, is unchanged."""


class StagedRelease:
    """A release being written: its staging directory and the checksums of its files."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.files: dict[str, str] = {}

    def record(self, name: str) -> str:
        """Checksum a file written into the staging directory; it goes into SHA256SUMS."""
        digest = sha256_file(self.path / name)
        self.files[name] = digest
        return digest

    def copy_queries(self, queries: Mapping[str, bytes]) -> None:
        """Write the competency queries, byte for byte, under ``queries/``."""
        folder = self.path / layout.QUERIES_DIR_NAME
        folder.mkdir()
        for name, data in sorted(queries.items()):
            (folder / name).write_bytes(data)
            self.record(layout.query_entry(name))

    def finish(
        self, *, version: str, issued: str, graphs: Mapping[str, int], sources: str | None = None
    ) -> None:
        """Write SHA256SUMS and the manifest, whose release id is the checksums' digest;
        ``sources`` is the digest of the sources the release was built from."""
        checksums = "".join(f"{digest}  {name}\n" for name, digest in sorted(self.files.items()))
        (self.path / layout.CHECKSUMS_NAME).write_text(checksums, encoding="utf-8")
        manifest = {
            "version": version,
            "release_id": hashlib.sha256(checksums.encode()).hexdigest()[:20],
            "issued": issued,
            "graphs": dict(graphs),
            "files": dict(sorted(self.files.items())),
            **({} if sources is None else {"sources": sources}),
        }
        (self.path / layout.MANIFEST_NAME).write_text(
            json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
        )


@contextmanager
def staged_release(out_dir: Path) -> Iterator[StagedRelease]:
    """A fresh staging directory, swapped into ``out_dir`` when the block ends normally.

    On any exception the staging directory is removed and ``out_dir`` is left as it was; an
    ``OSError`` becomes :class:`ReleaseWriteError`, anything else propagates unchanged.
    """
    out_dir = out_dir.resolve()
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.building-", dir=out_dir.parent))
    except OSError as error:
        raise ReleaseWriteError(str(error)) from error
    complete = False
    try:
        yield StagedRelease(staging)
        _make_readable(staging)
        _swap_into_place(staging, out_dir)
        complete = True
    except OSError as error:
        raise ReleaseWriteError(str(error)) from error
    finally:
        if not complete:
            shutil.rmtree(staging, ignore_errors=True)


def _make_readable(staging: Path) -> None:
    """Directories 0755, files 0644, whatever the umask: a web server running as another user
    (nginx serving the dumps) must read the release; ``mkdtemp`` makes the directory 0700."""
    staging.chmod(DIRECTORY_MODE)
    for root, directories, files in os.walk(staging):
        for name in directories:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(DIRECTORY_MODE)
        for name in files:
            path = Path(root, name)
            if not path.is_symlink():
                path.chmod(FILE_MODE)


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with renames, so no reader sees half a release."""
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.retired-", dir=out_dir.parent))
    retired.rmdir()
    out_dir.rename(retired)
    try:
        staging.rename(out_dir)
    except OSError:
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
