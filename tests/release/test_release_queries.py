"""Issue 12, defect 2 at its root: the release carries its competency queries.

``vawmw build`` copies ``queries/*.rq`` into the release byte for byte, checksums them with the
dumps, and :class:`ReleaseInfo` hands them out; so a release's queries change only with its
release id, and the service never reads the working tree's ``queries/``.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from vawmw.cli import EXIT_BAD_INPUT, EXIT_OK, main
from vawmw.release.manifest import ReleaseInfo, ReleaseQuery

from tests.build_fixtures import copy_mini_sources

REPO = Path(__file__).resolve().parents[2]

# Bytes a careless copy would change: CRLF line ends, non-ASCII text, no final newline.
AWKWARD = '# title: Lo\u0302 & co\r\nSELECT ?s WHERE { ?s ?p "Sa\u0303o Tome\u0301" }'.encode()


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    root = copy_mini_sources(tmp_path)
    queries = root / "queries"
    queries.mkdir()
    (queries / "states.rq").write_text("SELECT ?s WHERE { ?s a ?c }\n", encoding="utf-8")
    (queries / "awkward.rq").write_bytes(AWKWARD)
    (queries / "notes.txt").write_text("not a query\n", encoding="utf-8")
    return root


def _build(root: Path, out: Path) -> int:
    return main(["--root", str(root), "build", "--out", str(out)])


def test_the_release_holds_every_query_unchanged(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    copied = {path.name: path.read_bytes() for path in (out / "queries").iterdir()}
    assert copied == {
        "states.rq": b"SELECT ?s WHERE { ?s a ?c }\n",
        "awkward.rq": AWKWARD,
    }


def test_the_queries_are_checksummed_with_the_dumps(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    manifest = json.loads((out / "release.json").read_text(encoding="utf-8"))
    sums = dict(
        reversed(line.split("  ", 1))
        for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    )
    for name in ("states.rq", "awkward.rq"):
        digest = hashlib.sha256((sources / "queries" / name).read_bytes()).hexdigest()
        assert manifest["files"][f"queries/{name}"] == digest
        assert sums[f"queries/{name}"] == digest
    assert not any("notes.txt" in name for name in manifest["files"])


def test_release_info_gives_the_queries_by_name(sources: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    assert _build(sources, out) == EXIT_OK
    release = ReleaseInfo.load(out)
    assert release.queries() == [
        ReleaseQuery("awkward.rq", AWKWARD.decode()),
        ReleaseQuery("states.rq", "SELECT ?s WHERE { ?s a ?c }\n"),
    ]
    assert release.queries_dir == out / "queries"
    # The release, not the working tree: deleting the sources changes nothing.
    shutil.rmtree(sources / "queries")
    assert [query.name for query in ReleaseInfo.load(out).queries()] == ["awkward.rq", "states.rq"]


def test_every_competency_query_of_the_repository_is_carried(tmp_path: Path) -> None:
    root = copy_mini_sources(tmp_path)
    shutil.copytree(REPO / "queries", root / "queries")
    out = tmp_path / "dist"
    assert _build(root, out) == EXIT_OK
    expected = {
        path.name: path.read_bytes().decode("utf-8") for path in (REPO / "queries").glob("*.rq")
    }
    assert len(expected) >= 30  # the repository's competency questions
    assert dict(ReleaseInfo.load(out).queries()) == expected


def test_two_builds_with_queries_are_byte_identical(sources: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    assert _build(sources, first) == EXIT_OK
    assert _build(sources, second) == EXIT_OK
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    names = [name for name in names if not name.startswith("store/")]
    assert "queries/awkward.rq" in names
    assert "release.json" in names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_editing_a_query_changes_the_release_id(sources: Path, tmp_path: Path) -> None:
    assert _build(sources, tmp_path / "before") == EXIT_OK
    (sources / "queries" / "states.rq").write_text("ASK {}\n", encoding="utf-8")
    assert _build(sources, tmp_path / "after") == EXIT_OK
    before = ReleaseInfo.load(tmp_path / "before")
    after = ReleaseInfo.load(tmp_path / "after")
    assert before.release_id != after.release_id
    assert before.etag != after.etag


def test_sources_without_queries_give_a_release_without_queries(tmp_path: Path) -> None:
    root = copy_mini_sources(tmp_path)
    assert _build(root, tmp_path / "dist") == EXIT_OK
    assert ReleaseInfo.load(tmp_path / "dist").queries() == []


def test_a_query_name_unfit_for_a_checksum_line_is_refused(
    sources: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sources / "queries" / "two words.rq").write_text("ASK {}\n", encoding="utf-8")
    assert _build(sources, tmp_path / "dist") == EXIT_BAD_INPUT
    assert "two words.rq" in " ".join(capsys.readouterr().err.split())
    assert not (tmp_path / "dist").exists()
