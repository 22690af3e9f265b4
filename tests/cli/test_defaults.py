"""Issue 12, defect 5: each default of ``vawmw serve`` has one source, ServiceSettings.

The command line used to repeat some defaults (``dist``, ``127.0.0.1``) beside those of
ServiceSettings; changing a ServiceSettings default must change what ``vawmw serve`` runs with.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from vawmw.cli import EXIT_OK, main
from vawmw.settings import ServiceSettings

# A value for each default, different from the shipped one.
CHANGED: dict[str, object] = {
    "host": "127.0.0.2",
    "port": 8123,
    "query_timeout": 7.5,
    "max_rows": 17,
    "workers": 3,
    "queue_size": 5,
    "client_max_waiting": 9,
    "send_timeout": 11.0,
    "html_max_rows": 23,
}


def test_serve_takes_every_default_from_service_settings(
    release_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in CHANGED.items():
        assert getattr(ServiceSettings, name) != value, name
        monkeypatch.setattr(ServiceSettings, name, value)
    started: list[ServiceSettings] = []
    monkeypatch.setattr("vawmw.web.app.run", started.append)
    assert main(["serve", "--release", str(release_dir)]) == EXIT_OK
    (settings,) = started
    assert {name: getattr(settings, name) for name in CHANGED} == CHANGED


def test_every_release_option_defaults_to_the_settings_release_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setattr(ServiceSettings, "release_dir", elsewhere)
    monkeypatch.chdir(tmp_path)
    # No release there: the message names the directory each command looked in.
    assert main(["query", "ASK {}"]) != EXIT_OK
    assert str(elsewhere) in " ".join(capsys.readouterr().err.split())
    assert main(["load", "--endpoint", "http://127.0.0.1:9/sparql"]) != EXIT_OK
    assert str(elsewhere) in " ".join(capsys.readouterr().err.split())
