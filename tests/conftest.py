"""Shared fixtures of the service tests: a tiny release and the real app on a loopback port."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
import rdflib
from vawmw.rdf import namespaces
from vawmw.settings import ServiceSettings
from vawmw.testing.live import live_server
from vawmw.testing.service import free_port

from tests.helpers_release import write_release

__all__ = ["ONTOLOGY_VERSION", "REPO", "free_port", "live_server"]

REPO = Path(__file__).resolve().parents[1]
TESTS: Final = REPO / "tests"


def _ontology_version() -> str:
    """The owl:versionInfo the repository's ontology states: a release built from it mints
    ``/ontology/{version}``. Read from the source, so a version bump needs no test edit."""
    graph = rdflib.Graph().parse(REPO / "ontology" / "vawmw.ttl")
    predicate = rdflib.URIRef(namespaces.OWL + "versionInfo")
    return str(graph.value(rdflib.URIRef(namespaces.ONTOLOGY_IRI), predicate))


ONTOLOGY_VERSION: Final = _ontology_version()


# --------------------------------------------------------------------------- markers
# Applied here by folder and by fixture, so that a new test gets them without thinking of it.
# The inner loop: pytest -m "not slow and not stores and not browser" (README, "Set up").

FOLDER_MARKERS: Final = {"browser": "browser", "reliability": "reliability"}
# Fixtures that start Virtuoso or Oxigraph server (tests/stores.py).
STORE_FIXTURES: Final = frozenset({"store_launches", "virtuoso", "oxigraph_server", "store_server"})
EXTERNAL_BACKENDS: Final = frozenset({"virtuoso", "oxigraph"})  # of the ``backend`` fixture
# The repository's own release: a build of about 20 s before the first test that needs it.
SLOW_FIXTURES: Final = frozenset({"real_release", "repo_release", "documented_release"})
# Measured with --durations on this 2-core machine: modules, and tests, of a second or more.
SLOW_MODULES: Final = {
    "build/test_reasoning.py": "the OWL 2 RL closure of the repository's graph, 10-20 s a test",
    "build/test_pipeline.py": "each test builds a release (reasoning and SHACL): 10 s in all",
    "content/test_shapes.py": "pyshacl on every failing fixture: 13 s in all",
    "content/test_report_series.py": "builds releases of a second report: 5 s in all",
    "release/test_release_queries.py": "builds releases twice over: 4 s in all",
    "reliability/test_build.py": "failed builds of the repository's sources: 3 s in all",
}
SLOW_TESTS: Final = {  # module -> tests (every parametrization) that wait out timeouts
    "web/test_bounds.py": (
        "test_clients_that_never_read_stay_within_the_byte_budget",  # vawmw serve, 16 s
        "test_a_client_that_stops_reading_is_disconnected",
        "test_head_limits_follow_the_query_cap",
        "test_a_partial_head_is_closed",
        "test_a_head_sent_a_line_at_a_time_is_closed",
        "test_a_body_sent_a_byte_at_a_time_is_closed",
    ),
    "reliability/test_http.py": ("test_overload_is_refused_and_memory_stays_bounded",),
    "reliability/test_queries.py": (
        "test_runaway_query_503_at_the_timeout",
        "test_memory_hungry_query_is_stopped",
    ),
    "query/test_pool.py": (
        "test_overload_is_refused_with_retry_after",
        "test_repeated_timeouts_do_not_exhaust_the_pool",
        "test_slow_query_is_killed_with_503",
        "test_worker_killed_mid_query",
    ),
    "query/test_fairness.py": (
        "test_forwarded_for_from_a_trusted_proxy_names_the_client",
        "test_spoofed_forwarded_for_does_not_escape_the_limits",
        "test_a_spent_query_time_budget_gives_429_with_the_refill_time",
        "test_a_flooding_client_gets_429_while_another_is_served",
    ),
    "query/test_sandbox.py": (
        "test_vawmw_query_reaches_nothing",
        "test_vawmw_query_still_reads_the_release",
        "test_isolated_process_cannot_reach_loopback_but_reads_the_release",
        "test_a_threaded_process_is_refused_and_keeps_its_network",
    ),
    "query/test_guard.py": ("test_w3c_queries_read_alike_by_the_guard_and_the_parsers",),
    "remote/test_backend.py": ("test_remote_failures",),
    "web/test_page_defects.py": ("test_editor_503_passes_retry_after_on",),
}


def markers_for(item: pytest.Item) -> list[str]:
    """The markers a test gets from where it lives and what it uses."""
    found: list[str] = []
    if item.path.is_relative_to(TESTS):
        folder = item.path.relative_to(TESTS).parts[0]
        if folder in FOLDER_MARKERS:
            found.append(FOLDER_MARKERS[folder])
    fixtures = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    backend = callspec.params.get("backend") if callspec is not None else None
    if fixtures & STORE_FIXTURES or backend in EXTERNAL_BACKENDS:
        found.append("stores")
    module = item.path.relative_to(TESTS).as_posix() if item.path.is_relative_to(TESTS) else ""
    name = getattr(item, "originalname", item.name)
    if fixtures & SLOW_FIXTURES or module in SLOW_MODULES or name in SLOW_TESTS.get(module, ()):
        found.append("slow")
    return found


@pytest.hookimpl(tryfirst=True)  # before -m and -k deselect by these markers
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    checked: set[str] = set()
    for item in items:
        for name in markers_for(item):
            item.add_marker(name)
        if isinstance(item, pytest.Function) and item.path.is_relative_to(TESTS):
            module = item.path.relative_to(TESTS).as_posix()
            if module in SLOW_TESTS and module not in checked:
                checked.add(module)
                _check_slow_names(module, item.module)


def _check_slow_names(module: str, code: object) -> None:
    """A renamed test must not leave the inner loop silently."""
    missing = [name for name in SLOW_TESTS[module] if not hasattr(code, name)]
    if missing:
        raise pytest.UsageError(f"SLOW_TESTS of tests/conftest.py: {module} has no {missing}")


@pytest.fixture(scope="session")
def release_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("release") / "dist"
    write_release(directory)
    return directory


@pytest.fixture(scope="session")
def queries_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("queries")
    (directory / "states.rq").write_text(
        "# title: All States\n# description: Every State with its label.\n"
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?state ?label WHERE { ?state a <https://w3id.org/vawmw/ontology#State> ;"
        " rdfs:label ?label }\n",
        encoding="utf-8",
    )
    (directory / "notes.txt").write_text("not a query\n", encoding="utf-8")
    return directory


@pytest.fixture(scope="session")
def settings(release_dir: Path, queries_dir: Path) -> ServiceSettings:
    return ServiceSettings(release_dir=release_dir, queries_dir=queries_dir, workers=2, max_rows=10)


@pytest.fixture(scope="session")
def server_url(settings: ServiceSettings) -> Iterator[str]:
    with live_server(settings) as url:
        yield url


@pytest.fixture(scope="session")
def client(server_url: str) -> Iterator[httpx.Client]:
    """An HTTP client on the running service (starlette's TestClient is not used: it warns)."""
    with httpx.Client(base_url=server_url, timeout=60) as http:
        yield http


@pytest.fixture(scope="session")
def real_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The repository's own release, built once per session; checked unchanged at the end.

    $VAWMW_TEST_RELEASE names an already built release to use instead (saves the build).
    """
    from vawmw.build.pipeline import build_release

    from tests.reliability.support import release_digest

    given = os.environ.get("VAWMW_TEST_RELEASE")
    if given:
        directory = Path(given)
    else:
        directory = tmp_path_factory.mktemp("real") / "dist"
        report = build_release(REPO, directory)
        assert report.release is not None
    before = release_digest(directory)
    yield directory
    assert release_digest(directory) == before, "the release changed while it was served"


@pytest.fixture(scope="session")
def documented_release(real_release: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's release with its prebuilt documents (``ld/``, ``site/``)
    written afresh, as ``vawmw build`` writes them; rendered once per session."""
    import shutil

    from vawmw.release import layout
    from vawmw.web.prebuild.writer import write_documents

    target = tmp_path_factory.mktemp("documented") / "dist"
    ignored = shutil.ignore_patterns(layout.DOCUMENTS_DIR_NAME, layout.SITE_DIR_NAME)
    shutil.copytree(real_release, target, ignore=ignored)
    write_documents(target)
    return target


# --------------------------------------------------------------------------- backends


@dataclasses.dataclass(frozen=True)
class Backend:
    """Where the service answers from: the embedded store or an external one (``--backend``)."""

    name: str
    url: str | None = None  # the external store's query endpoint
    graph_store: str | None = None

    def load_graphs(self, graphs: dict[str, Path]) -> None:
        """Put these N-Triples files into the external store as named graphs (replaced)."""
        from vawmw.remote import client as remote

        if self.graph_store is None:
            return
        with remote.SparqlClient(timeout=60) as sparql:
            for iri, path in graphs.items():
                sparql.put_graph(self.graph_store, iri, path.read_bytes(), "application/n-triples")


BACKENDS = ["embedded", "virtuoso", "oxigraph"]


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, release_dir: Path) -> Backend:
    """Each backend in turn, the external ones holding the test release (loaded per module,
    since other tests load other data into the same stores).

    The store fixtures come from tests/stores.py: a module using this fixture declares
    ``pytest_plugins = ["tests.stores"]``. A store that is not installed or does not start is
    skipped with the reason.
    """
    from vawmw.remote import client as remote
    from vawmw.remote import loader

    if request.param == "embedded":
        return Backend("embedded")
    fixture = "virtuoso" if request.param == "virtuoso" else "oxigraph_server"
    server = request.getfixturevalue(fixture)
    try:
        loader.load_release(release_dir, server.target(), timeout=60)
    except (loader.LoadError, remote.RemoteError) as failure:
        pytest.skip(f"the test release could not be loaded into {request.param}: {failure}")
    return Backend(request.param, server.query_endpoint, server.graph_store)
