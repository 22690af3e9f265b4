"""Fixtures of the reliability tests: the real release (built once), a synthetic one, servers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from vawmw.settings import ServiceSettings

from tests.conftest import live_server
from tests.reliability.support import (
    REPO,
    LoopbackListener,
    ReleaseDigest,
    release_digest,
    write_synthetic_release,
)

QUERY_TIMEOUT = 2.0  # seconds: short, so the pathological cases stay quick
ROW_CAP = 100


@pytest.fixture(autouse=True)
def _reliability_case(request: pytest.FixtureRequest) -> None:
    """Put the case number in the JUnit XML (user properties), for bench/reliability_table.py."""
    # Every test here is marked ``reliability`` (tests/conftest.py); a case names its number.
    for marker in request.node.iter_markers("reliability"):
        if marker.args:
            request.node.user_properties.append(("case", str(marker.args[0])))
            return


@pytest.fixture
def observe(request: pytest.FixtureRequest) -> Callable[[str], None]:
    """Record what a test saw; the reliability table shows it in its 'observed' column."""

    def record(text: str) -> None:
        request.node.user_properties.append(("observed", text))

    return record


@pytest.fixture(scope="session")
def real_digest(real_release: Path) -> ReleaseDigest:
    return release_digest(real_release)


@pytest.fixture(scope="session")
def real_settings(real_release: Path) -> ServiceSettings:
    return ServiceSettings(
        release_dir=real_release,
        queries_dir=REPO / "queries",
        workers=2,
        query_timeout=QUERY_TIMEOUT,
        max_rows=ROW_CAP,
        retry_after=3,
    )


@pytest.fixture(scope="session")
def real_server(real_settings: ServiceSettings) -> Iterator[str]:
    """The service over the real release, with a 2 s query timeout and a 100-row cap."""
    with live_server(real_settings) as url:
        yield url


@pytest.fixture(scope="session")
def synthetic_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synthetic") / "dist"
    write_synthetic_release(directory)
    return directory


@pytest.fixture(scope="session")
def synthetic_settings(synthetic_release: Path) -> ServiceSettings:
    return ServiceSettings(
        release_dir=synthetic_release,
        queries_dir=REPO / "queries",
        workers=2,
        query_timeout=QUERY_TIMEOUT,
        max_rows=ROW_CAP,
        retry_after=3,
    )


@pytest.fixture
def listener() -> Iterator[LoopbackListener]:
    """A loopback TCP listener: any outbound request the service made would land here."""
    server = LoopbackListener()
    yield server
    server.close()
