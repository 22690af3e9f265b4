"""A release anyone may read (issue 14, "Permissions"): directories 0755, files 0644.

``dist/`` was created 0700 (``tempfile.mkdtemp``), so nginx running as another user could not
read the dumps. The modes are set whatever the umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from vawmw.build.writer import staged_release


def _modes(root: Path) -> Iterator[tuple[Path, int]]:
    yield root, stat.S_IMODE(root.stat().st_mode)
    for path in sorted(root.rglob("*")):
        if not path.is_symlink():
            yield path, stat.S_IMODE(path.stat().st_mode)


def _check(root: Path) -> None:
    for path, mode in _modes(root):
        expected = 0o755 if path.is_dir() else 0o644
        assert mode == expected, f"{path.relative_to(root.parent)}: {oct(mode)}"


def test_a_release_is_readable_by_everyone_whatever_the_umask(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    previous = os.umask(0o077)  # the strictest usual umask: nothing for group and others
    try:
        with staged_release(out) as staged:
            (staged.path / "vawmw.ttl").write_text("", encoding="utf-8")
            (staged.path / "store").mkdir()
            (staged.path / "store" / "000001.sst").write_bytes(b"x")
            staged.record("vawmw.ttl")
            staged.finish(version="0", issued="2024-01-01", graphs={})
    finally:
        os.umask(previous)
    _check(out)


def test_the_built_release_is_readable_by_everyone(real_release: Path) -> None:
    if os.environ.get("VAWMW_TEST_RELEASE"):
        pytest.skip("$VAWMW_TEST_RELEASE names a release built elsewhere, not by this code")
    _check(real_release)
