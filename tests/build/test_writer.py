"""The atomic release writer (vawmw.build.writer): staging, checksums, one swap."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from vawmw.build.writer import ReleaseWriteError, staged_release


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


def test_a_finished_release_replaces_the_old_one_whole(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old.txt").write_text("the previous release\n", encoding="utf-8")
    with staged_release(out) as staged:
        (staged.path / "a.nq").write_bytes(b"<a> <b> <c> .\n")
        staged.record("a.nq")
        staged.copy_queries({"q.rq": b"ASK {}\n"})
        staged.finish(version="1.2.3", issued="2024-01-01", graphs={"g": 1})
    assert sorted(p.name for p in out.iterdir()) == [
        "SHA256SUMS",
        "a.nq",
        "queries",
        "release.json",
    ]
    assert _leftovers(tmp_path) == []
    sums = (out / "SHA256SUMS").read_text(encoding="utf-8")
    digest_a = hashlib.sha256(b"<a> <b> <c> .\n").hexdigest()
    digest_q = hashlib.sha256(b"ASK {}\n").hexdigest()
    assert sums == f"{digest_a}  a.nq\n{digest_q}  queries/q.rq\n"  # sorted, sha256sum format
    manifest = json.loads((out / "release.json").read_text(encoding="utf-8"))
    assert manifest == {
        "version": "1.2.3",
        "issued": "2024-01-01",
        "graphs": {"g": 1},
        "files": {"a.nq": digest_a, "queries/q.rq": digest_q},
        "release_id": hashlib.sha256(sums.encode()).hexdigest()[:20],
    }


def test_an_error_inside_leaves_the_old_release_and_no_staging(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / "old.txt").write_text("the previous release\n", encoding="utf-8")
    with pytest.raises(ValueError, match="stop"), staged_release(out) as staged:
        (staged.path / "half.nq").write_bytes(b"")
        raise ValueError("stop")
    assert [p.name for p in out.iterdir()] == ["old.txt"]
    assert _leftovers(tmp_path) == []


def test_a_disk_error_inside_is_a_release_write_error(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with pytest.raises(ReleaseWriteError, match="No space left") as raised, staged_release(out):
        raise OSError(28, "No space left on device")
    assert isinstance(raised.value.__cause__, OSError)
    assert not out.exists()
    assert _leftovers(tmp_path) == []


def test_an_unwritable_parent_is_a_release_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    with pytest.raises(ReleaseWriteError, match="a-file"), staged_release(blocker / "dist"):
        pass
    assert blocker.read_text(encoding="utf-8") == "not a directory\n"
