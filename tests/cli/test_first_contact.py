"""Issue 14, "The CLI", "Stale releases" and "Build output": what a first-time user of the
``vawmw`` command sees.

The expectations come from the issue: help without markup and every ``serve`` option with its
help and default; a wrong folder says to run from the repository root or pass ``--root``; a
busy port has its own exit code, documented in the README, and suggests ``--port``; a release
whose sources changed is rebuilt by ``vawmw serve``; each SHACL warning is one line that says
whether the shipped data is expected to give it; log lines do not end in ``cli.py:NNN``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import socket
from pathlib import Path

import pytest
from vawmw import cli
from vawmw.build.pipeline import build_release
from vawmw.build.validation import ShapeResult
from vawmw.release.layout import manifest_path
from vawmw.settings import ServiceSettings

from tests.conftest import REPO

MINI = REPO / "tests" / "fixtures" / "mini"
EXIT_CANNOT_LISTEN = 5  # the README's "Exit codes" line


def _help(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        cli.main([*argv, "--help"])
    assert stopped.value.code == 0
    return capsys.readouterr().out


def test_top_level_help_has_no_markup_and_lists_the_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = _help(capsys)
    assert "``" not in text and "`" not in text  # reStructuredText / Markdown left raw
    assert "repository root" in text
    for code in range(6):
        assert re.search(rf"^\s+{code}\s+\S", text, re.MULTILINE), code


def _serve_parser() -> argparse.ArgumentParser:
    commands = next(
        action
        for action in cli._parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    parser = commands.choices["serve"]
    assert isinstance(parser, argparse.ArgumentParser)
    return parser


def test_every_serve_option_has_help_that_gives_its_default() -> None:
    missing = [
        action.option_strings[-1]
        for action in _serve_parser()._actions
        if action.option_strings != ["-h", "--help"]
        and action.help != argparse.SUPPRESS  # a removed option, kept to say what replaces it
        and not (action.help and "default" in action.help)
    ]
    assert missing == []
    serve_help = _serve_parser().format_help()
    assert "`" not in serve_help
    assert f"(default {ServiceSettings.port})" in serve_help


def test_the_wrong_folder_says_where_to_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main(["--root", str(tmp_path), "validate"])
    message = " ".join(capsys.readouterr().err.split())
    assert code == cli.EXIT_BAD_INPUT
    assert "repository root" in message and "--root" in message


def test_readme_documents_the_exit_code_of_a_busy_port() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    codes = readme[readme.index("Exit codes:") :]
    codes = codes[: codes.index("A failed build")]
    assert f"{EXIT_CANNOT_LISTEN} " in codes and "--port" in codes
    assert cli.EXIT_CANNOT_LISTEN == EXIT_CANNOT_LISTEN


def test_a_busy_port_exits_with_its_own_code_and_suggests_port(
    release_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    started: list[ServiceSettings] = []
    monkeypatch.setattr("vawmw.web.app.run", started.append)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = cli.main(
            ["serve", "--release", str(release_dir), "--host", "127.0.0.1", "--port", str(port)]
        )
    message = " ".join(capsys.readouterr().err.split())
    assert code == EXIT_CANNOT_LISTEN
    assert started == []
    assert f"port {port}" in message and "--port" in message


# --------------------------------------------------------------------------- stale releases


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the mini fixture tree that a test may edit."""
    root = tmp_path / "tree"
    shutil.copytree(MINI, root)
    return root


def _serve(root: Path, release: Path, monkeypatch: pytest.MonkeyPatch, *extra: str) -> None:
    """``vawmw --root ROOT serve --release RELEASE`` with the server replaced."""
    started: list[ServiceSettings] = []
    monkeypatch.setattr("vawmw.web.app.run", started.append)
    argv = ["--root", str(root), "serve", "--release", str(release), "--port", "0", *extra]
    assert cli.main(argv) == cli.EXIT_OK
    assert len(started) == 1


def test_serve_rebuilds_a_release_whose_sources_changed(
    tree: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release = tmp_path / "dist"
    build_release(tree, release)
    before = json.loads(manifest_path(release).read_text(encoding="utf-8"))
    assert before["sources"]  # release.json records the digest of its sources

    _serve(tree, release, monkeypatch)  # unchanged sources: served as they are
    assert "rebuilding" not in capsys.readouterr().err
    assert json.loads(manifest_path(release).read_text(encoding="utf-8")) == before

    states = tree / "graph" / "states.ttl"
    states.write_text(
        states.read_text(encoding="utf-8").replace("@en", "@en-GB", 1), encoding="utf-8"
    )
    _serve(tree, release, monkeypatch)
    err = " ".join(capsys.readouterr().err.split())
    after = json.loads(manifest_path(release).read_text(encoding="utf-8"))
    assert "changed" in err and "rebuilding" in err and "--rebuild" in err
    assert after["sources"] != before["sources"]
    assert after["release_id"] != before["release_id"]  # the edited data is what is served


def test_rebuild_forces_a_build_of_an_up_to_date_release(
    tree: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    release = tmp_path / "dist"
    build_release(tree, release)
    capsys.readouterr()
    _serve(tree, release, monkeypatch, "--rebuild")
    assert "Writing the release" in capsys.readouterr().err


def test_the_sources_digest_is_reproducible_and_independent_of_the_folder(
    tree: Path, tmp_path: Path
) -> None:
    other = tmp_path / "elsewhere" / "copy"
    shutil.copytree(tree, other)
    first, second = tmp_path / "one", tmp_path / "two"
    build_release(tree, first)
    build_release(other, second)
    assert manifest_path(first).read_bytes() == manifest_path(second).read_bytes()


# --------------------------------------------------------------------------- build output


def test_each_shacl_warning_is_one_line_marked_expected_or_new(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A shape the mini data misses, at warning severity, and a list that expects one focus.
    (tree / "shapes" / "warn.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/vawmw/shape/test> a sh:NodeShape ;\n"
        "  sh:targetSubjectsOf rdfs:label ;\n"
        "  sh:property [ sh:path rdfs:seeAlso ; sh:minCount 1 ; sh:severity sh:Warning ;\n"
        '    sh:message "Add rdfs:seeAlso\\n   with a page about it."@en ] .\n',
        encoding="utf-8",
    )
    assert cli.main(["--root", str(tree), "validate"]) == cli.EXIT_OK
    lines = [line for line in capsys.readouterr().err.splitlines() if line.startswith("Warning")]
    assert lines, "the test shape gives no warning"
    focus = re.match(r"Warning: <([^>]+)>", lines[0])
    assert focus is not None
    (tree / "shapes" / "expected-warnings.tsv").write_text(
        f"# test\n{focus.group(1)}\thttp://www.w3.org/2000/01/rdf-schema#seeAlso\tno page\n",
        encoding="utf-8",
    )
    assert cli.main(["--root", str(tree), "validate"]) == cli.EXIT_OK
    err = capsys.readouterr().err
    warnings = [line for line in err.splitlines() if line.startswith("Warning")]
    assert len(warnings) == len(lines)  # one line each: the message is on it, not below
    assert all("Add rdfs:seeAlso with a page about it." in line for line in warnings)
    assert sum("(expected: no page)" in line for line in warnings) == 1
    assert sum("(new: not in shapes/expected-warnings.tsv)" in line for line in warnings) == (
        len(warnings) - 1
    )
    assert f"{len(warnings)} SHACL warning(s), 1 of them expected" in " ".join(err.split())
    assert not re.search(r"cli\.py:\d+", err)  # rich's log handler no longer shows the path


def test_shipped_expected_warnings_name_real_shapes_results() -> None:
    # Each line of the shipped list parses into a focus node, a path and a reason.
    text = (REPO / "shapes" / "expected-warnings.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if not line.startswith("#")]
    assert rows and all(len(row) == 3 and all(row) for row in rows)
    result = ShapeResult("Warning", rows[0][0], rows[0][1], "m", "s", "")
    assert result.key == (rows[0][0], rows[0][1])
