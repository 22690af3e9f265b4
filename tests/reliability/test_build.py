"""Issue 8, case 16: a failed build exits non-zero, says why, and leaves the last release usable.

tests/build/test_pipeline.py checks each failure's message in detail; here every failure kind is run
against an existing release, which must stay byte-identical *and* keep answering queries.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from vawmw.build import reasoning
from vawmw.cli import EXIT_BAD_INPUT, EXIT_CHECK_FAILED, EXIT_OK, EXIT_WRITE_FAILED, main
from vawmw.release.manifest import ReleaseInfo, open_read_only

from tests.build_fixtures import copy_mini_sources
from tests.reliability.support import checksums_verify, release_digest

Observe = Callable[[str], None]


def _break_turtle(sources: Path, _monkeypatch: pytest.MonkeyPatch) -> str:
    path = sources / "graph" / "states.ttl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[5] = '    rdfs:label "Philippines@en ;'
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "states.ttl:6:"


def _violate_shape(sources: Path, _monkeypatch: pytest.MonkeyPatch) -> str:
    path = sources / "graph" / "states.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"LBN"', '"lb"'), encoding="utf-8")
    return "graph/states.ttl"


def _exceed_budget(_sources: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    original = reasoning.owl_rl_closure

    def tight(graph: object, budget_factor: int = 1) -> reasoning.Closure:
        del budget_factor
        return original(graph, budget_factor=1)  # type: ignore[arg-type]

    monkeypatch.setattr(reasoning, "owl_rl_closure", tight)
    return "budget"


def _disk_full(_sources: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vawmw.build.pipeline.describe_release", full)
    return "No space left on device"


FAILURES: dict[str, tuple[Callable[[Path, pytest.MonkeyPatch], str], int]] = {
    "malformed Turtle": (_break_turtle, EXIT_BAD_INPUT),
    "SHACL violation": (_violate_shape, EXIT_CHECK_FAILED),
    "reasoning over budget": (_exceed_budget, EXIT_CHECK_FAILED),
    "disk full (ENOSPC) while writing": (_disk_full, EXIT_WRITE_FAILED),
}


def _answers(directory: Path) -> int:
    store = open_read_only(ReleaseInfo.load(directory))
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert isinstance(result, ox.QuerySolutions)
    count = next(iter(result))[0]
    del store
    return int(count.value)


@pytest.mark.reliability(16)
@pytest.mark.parametrize("name", list(FAILURES))
def test_failed_build_keeps_the_previous_release(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    observe: Observe,
    name: str,
) -> None:
    sources = copy_mini_sources(tmp_path)
    out = tmp_path / "dist"
    assert main(["--root", str(sources), "build", "--out", str(out)]) == EXIT_OK
    before = release_digest(out)
    quads = _answers(out)
    capsys.readouterr()

    breaker, expected_exit = FAILURES[name]
    cause = breaker(sources, monkeypatch)
    code = main(["--root", str(sources), "build", "--out", str(out)])
    err = " ".join(capsys.readouterr().err.split())

    assert code == expected_exit
    assert cause in err
    assert release_digest(out) == before
    assert checksums_verify(out)
    assert _answers(out) == quads == before.quads
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "sources"]  # no leftovers
    observe(f"exit {code}, names '{cause}'; release unchanged, store answers {quads} quads")


@pytest.mark.reliability(16)
def test_output_under_a_regular_file_fails_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], observe: Observe
) -> None:
    sources = copy_mini_sources(tmp_path)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n", encoding="utf-8")
    code = main(["--root", str(sources), "build", "--out", str(blocker / "dist")])
    err = " ".join(capsys.readouterr().err.split())
    assert code == EXIT_WRITE_FAILED
    assert "a-file" in err
    assert blocker.read_text(encoding="utf-8") == "not a directory\n"
    observe(f"exit {code}, names the path; the file in the way is untouched")
