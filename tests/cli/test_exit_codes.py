"""Issue 12, defect 5: the CLI maps each error to its own exit code and message.

README, "The command line": 1 a check failed, 2 bad input, 3 the release could not be written,
4 no release (or an unreadable one). Before the fix every OSError became 3 ("could not write
the release", even for ``vawmw query @missing.rq``) and a missing release gave 1.

``vawmw query`` drops the process's network once it has a query and a release, so in-process
runs here stop before that point; the one run that gets further is a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from vawmw.cli import (
    EXIT_BAD_INPUT,
    EXIT_CHECK_FAILED,
    EXIT_NO_RELEASE,
    EXIT_OK,
    EXIT_WRITE_FAILED,
    main,
)

from tests.build_fixtures import copy_mini_sources

REPO = Path(__file__).resolve().parents[2]


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    return " ".join(capsys.readouterr().err.split())


def test_the_exit_codes_are_distinct() -> None:
    codes = [EXIT_OK, EXIT_CHECK_FAILED, EXIT_BAD_INPUT, EXIT_WRITE_FAILED, EXIT_NO_RELEASE]
    assert codes == [0, 1, 2, 3, 4]


def test_a_missing_query_file_is_bad_input(
    release_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.rq"
    code = main(["query", f"@{missing}", "--release", str(release_dir)])
    err = _err(capsys)
    assert code == EXIT_BAD_INPUT
    assert "missing.rq" in err
    assert "could not read the query" in err
    assert "write" not in err


def test_a_query_file_that_is_not_utf8_is_bad_input(
    release_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    latin1 = tmp_path / "latin1.rq"
    latin1.write_bytes('SELECT * WHERE { ?s ?p "S\u00e3o Tom\u00e9" }'.encode("latin-1"))
    assert main(["query", f"@{latin1}", "--release", str(release_dir)]) == EXIT_BAD_INPUT
    assert "UTF-8" in _err(capsys)


def test_query_without_a_release_exits_4_and_says_to_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["query", "ASK {}", "--release", str(tmp_path / "nothing")])
    err = _err(capsys)
    assert code == EXIT_NO_RELEASE
    assert "vawmw build" in err
    assert "nothing" in err


def test_query_with_a_damaged_manifest_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    release = tmp_path / "dist"
    (release / "store").mkdir(parents=True)
    (release / "release.json").write_text('{"version": "1.0"', encoding="utf-8")  # cut short
    assert main(["query", "ASK {}", "--release", str(release)]) == EXIT_NO_RELEASE
    assert "release.json" in _err(capsys)


def test_load_without_a_release_exits_4_before_any_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Port 9 (discard) on loopback: a request, were one sent, would fail as a load error (1).
    argv = ["load", "--endpoint", "http://127.0.0.1:9/sparql", "--release", str(tmp_path)]
    assert main(argv) == EXIT_NO_RELEASE
    assert "vawmw build" in _err(capsys)


def test_an_unreadable_source_is_bad_input_not_a_write_failure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = copy_mini_sources(tmp_path)
    (sources / "graph" / "gone.ttl").symlink_to(tmp_path / "nowhere.ttl")  # dangling link
    code = main(["--root", str(sources), "build", "--out", str(tmp_path / "dist")])
    err = _err(capsys)
    assert code == EXIT_BAD_INPUT
    assert "gone.ttl" in err
    assert "could not read the sources" in err
    assert not (tmp_path / "dist").exists()


def test_a_bad_graph_option_is_a_command_line_error(
    release_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:  # as run() ends the process
        sys.exit(main(["serve", "--release", str(release_dir), "--graph", "no-equals-sign"]))
    assert stopped.value.code == EXIT_BAD_INPUT
    assert "IRI=FILE" in _err(capsys)


def test_vawmw_query_at_a_missing_file_in_its_own_process(tmp_path: Path) -> None:
    """The installed command's exit status and message, as a shell sees them."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join((str(REPO / "service"), str(REPO)))}
    done = subprocess.run(
        [sys.executable, "-m", "vawmw.cli", "query", "@missing.rq", "--release", "dist"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == EXIT_BAD_INPUT
    assert "missing.rq" in done.stderr
    assert "could not write the release" not in done.stderr
