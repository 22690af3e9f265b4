"""The external SPARQL stores as pytest fixtures, each started once per test session.

The launchers are in :mod:`vawmw.testing.stores` (shared with ``bench/cost_curve.py``). The
session fixture :func:`store_launches` starts Virtuoso and Oxigraph server without waiting, so
Virtuoso boots (about 10 s) while the release is being built; :func:`virtuoso` and
:func:`oxigraph_server` wait until their server answers. A server that is not installed or does
not come up makes its tests skip, with the reason (and the end of the server's log) in the skip
message. A module that uses them declares ``pytest_plugins = ["tests.stores"]``; every test
that uses one is marked ``stores`` (tests/conftest.py).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from vawmw.testing.stores import (
    OXIGRAPH_START_TIMEOUT,
    VIRTUOSO_START_TIMEOUT,
    Launch,
    StoreServer,
    StoreUnavailableError,
    grant_sparql_update,
    launch_oxigraph,
    launch_virtuoso,
)

from tests.conftest import REPO

__all__ = ["StoreServer"]


# -- pytest fixtures -------------------------------------------------------------------------

Launches = dict[str, "Launch | StoreUnavailableError"]


@pytest.fixture(scope="session")
def store_launches(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Launches]:
    """Start both servers now; the fixtures below wait for them when a test needs one."""
    launches: Launches = {}
    for name, launcher in (("virtuoso", launch_virtuoso), ("oxigraph", launch_oxigraph)):
        try:
            launches[name] = launcher(tmp_path_factory.mktemp(name))
        except (StoreUnavailableError, OSError) as error:
            launches[name] = StoreUnavailableError(str(error))
    yield launches
    for launch in launches.values():
        if isinstance(launch, Launch):
            launch.stop()


def _ready(launches: Launches, name: str, timeout: float) -> Launch:
    launch = launches[name]
    if isinstance(launch, StoreUnavailableError):
        pytest.skip(f"{name} unavailable: {launch}")
    try:
        launch.wait(timeout)
    except StoreUnavailableError as error:
        pytest.skip(f"{name} unavailable: {error}")
    return launch


@pytest.fixture(scope="session")
def virtuoso(store_launches: Launches) -> StoreServer:
    launch = _ready(store_launches, "virtuoso", VIRTUOSO_START_TIMEOUT)
    try:
        grant_sparql_update(launch)
    except (StoreUnavailableError, subprocess.TimeoutExpired) as error:
        pytest.skip(f"virtuoso started but refuses updates: {error}")
    return launch.server


@pytest.fixture(scope="session")
def oxigraph_server(store_launches: Launches) -> StoreServer:
    return _ready(store_launches, "oxigraph", OXIGRAPH_START_TIMEOUT).server


@pytest.fixture(scope="session", params=["virtuoso", "oxigraph"])
def store_server(request: pytest.FixtureRequest) -> StoreServer:
    """Each external store in turn."""
    fixture = "virtuoso" if request.param == "virtuoso" else "oxigraph_server"
    server: StoreServer = request.getfixturevalue(fixture)
    return server


@pytest.fixture(scope="session")
def repo_release(store_launches: Launches, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's own release, built once (about 20 s, while Virtuoso boots)."""
    from vawmw.build.pipeline import BuildError, build_release
    from vawmw.build.sources import SourceLayoutError, SourceSyntaxError

    out = tmp_path_factory.mktemp("repo-release") / "dist"
    try:
        build_release(REPO, out)
    except (BuildError, SourceSyntaxError, SourceLayoutError) as error:
        pytest.skip(f"the repository's release does not build, so nothing to load: {error}")
    return out
