"""``vawmw load`` against real external stores: Virtuoso and Oxigraph server (tests/stores.py).

Expected values come from the release manifest (triples per named graph) and from the report:
footnote 1 lists the 27 States that contributed, and paragraph 26 names the reporting States
party to ILO Convention No. 97.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import pyoxigraph as ox
import pytest
from vawmw.cli import main
from vawmw.rdf.namespaces import GRAPH_INFERRED, ID, VAWMW
from vawmw.remote import client as remote
from vawmw.remote import loader
from vawmw.testing.service import refused_port

from tests.report_facts import REPORTING_STATES

if TYPE_CHECKING:
    from tests.stores import StoreServer

# The store fixtures (tests/stores.py) as a plugin: importing them would trip ruff's F811.
pytest_plugins = ["tests.stores"]


# Footnote 1 of A/78/292: the States whose contributions the report draws on.
# Paragraph 26: the reporting States party to the Migration for Employment Convention (No. 97).
C097_PARTIES = {"DZA", "CYP", "GTM", "PHL", "PRT", "MDA", "TKM"}


def manifest_counts(release: Path) -> dict[str, int]:
    graphs: dict[str, int] = json.loads((release / "release.json").read_text("utf-8"))["graphs"]
    return graphs


def store_counts(server: StoreServer, release: Path) -> dict[str, int]:
    with remote.SparqlClient(30) as client:
        return loader.count_graphs(client, server.query_endpoint, manifest_counts(release))


# -- batching, without a server ----------------------------------------------------------------


def _n(value: str) -> ox.NamedNode:
    return ox.NamedNode("http://example.org/" + value)


def test_batches_keep_triples_sharing_a_blank_node_together() -> None:
    first, second, third = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    linked = [
        ox.Triple(_n("s"), _n("p"), first),
        ox.Triple(first, _n("q"), second),
        ox.Triple(second, _n("r"), ox.Literal("x")),
    ]
    alone = [ox.Triple(third, _n("q"), ox.Literal("y"))]
    plain = [ox.Triple(_n(f"s{i}"), _n("p"), ox.Literal(str(i))) for i in range(7)]
    out = list(loader.batches(plain[:3] + linked[:1] + plain[3:] + alone + linked[1:], 2))

    assert sorted(map(str, (t for batch in out for t in batch))) == sorted(
        map(str, plain + linked + alone)
    )
    holding = [batch for batch in out if any(t in batch for t in linked)]
    assert len(holding) == 1 and all(t in holding[0] for t in linked)
    assert all(len(batch) <= 2 for batch in out if not any(t in batch for t in linked))


def test_insert_uses_a_template_when_a_blank_node_occurs() -> None:
    plain = ox.Triple(_n("s"), _n("p"), ox.Literal("o"))
    blank = ox.Triple(ox.BlankNode("b0"), _n("p"), ox.Literal("o"))
    assert loader.insert_data("http://g", [plain]).startswith("INSERT DATA {")
    assert loader.insert_data("http://g", [plain, blank]).endswith("WHERE {}")


# -- loading into each store -------------------------------------------------------------------


def test_load_twice_by_graph_store_keeps_the_manifest_counts(
    store_server: StoreServer, repo_release: Path
) -> None:
    for _ in range(2):
        report = loader.load_release(repo_release, store_server.target(), batch_size=5_000)
        assert {load.method for load in report.graphs} == {loader.GRAPH_STORE}
        assert report.fallback_reason is None
    assert store_counts(store_server, repo_release) == manifest_counts(repo_release)


BLANK_SUBJECTS = (
    "SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {{ GRAPH <{}> {{ ?b ?p ?o FILTER(isBlank(?b)) }} }}"
)


def test_update_fallback_replaces_the_graphs(store_server: StoreServer, repo_release: Path) -> None:
    with refused_port() as port:
        refused = f"http://127.0.0.1:{port}/no-graph-store"
        target = loader.Target(store_server.query_endpoint, store_server.update_endpoint, refused)
        report = loader.load_release(repo_release, target, batch_size=1_000)
    assert report.fallback_reason is not None and refused in report.fallback_reason
    assert {load.method for load in report.graphs} == {loader.UPDATE}
    again = loader.load_release(repo_release, store_server.target(graph_store=False))
    assert again.counts == manifest_counts(repo_release)
    assert store_counts(store_server, repo_release) == manifest_counts(repo_release)
    # Small batches did not split a blank node into two: as many blank nodes as in the release.
    release_store = ox.Store.read_only(str(repo_release / "store"))
    for graph in manifest_counts(repo_release):
        solutions = release_store.query(BLANK_SUBJECTS.format(graph))
        assert isinstance(solutions, ox.QuerySolutions)
        expected = int(next(iter(solutions))["n"].value)
        rows = remote.select(store_server.query_endpoint, BLANK_SUBJECTS.format(graph))
        assert int(rows[0]["n"]) == expected, graph


def test_reporting_states_are_queryable_after_loading(
    store_server: StoreServer, repo_release: Path
) -> None:
    loader.load_release(repo_release, store_server.target())
    rows = remote.select(
        store_server.query_endpoint,
        f"SELECT DISTINCT ?state WHERE {{ GRAPH <{GRAPH_INFERRED}> "
        f"{{ ?state a <{VAWMW}ReportingState> }} }}",
    )
    assert {row["state"].removeprefix(ID + "state/") for row in rows} == REPORTING_STATES


def test_a_join_over_party_statuses_answers_paragraph_26(
    store_server: StoreServer, repo_release: Path
) -> None:
    loader.load_release(repo_release, store_server.target())
    rows = remote.select(
        store_server.query_endpoint,
        f"""SELECT DISTINCT ?state WHERE {{
          GRAPH ?g {{ ?status <{VAWMW}concernsInstrument> <{ID}instrument/ilo-c097> ;
                       <{VAWMW}hasRatificationStatus> <{ID}ratification-status/party> ;
                       <{VAWMW}concernsState> ?state }}
          GRAPH <{GRAPH_INFERRED}> {{ ?state a <{VAWMW}ReportingState> }} }}""",
    )
    assert {row["state"].removeprefix(ID + "state/") for row in rows} == C097_PARTIES


def test_a_release_without_a_store_loads_from_the_nquads_dump(
    oxigraph_server: StoreServer, repo_release: Path, tmp_path: Path
) -> None:
    dump_only = tmp_path / "dist"
    dump_only.mkdir()
    for name in ("release.json", "vawmw.nq"):
        shutil.copy(repo_release / name, dump_only / name)
    report = loader.load_release(dump_only, oxigraph_server.target())
    assert report.counts == manifest_counts(repo_release)


# -- the command line --------------------------------------------------------------------------


def test_cli_load_succeeds_and_prints_the_counts(
    store_server: StoreServer, repo_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["load", "--endpoint", store_server.query_endpoint, "--release", str(repo_release)]
    argv += ["--update-endpoint", store_server.update_endpoint]
    argv += ["--graph-store", store_server.graph_store]
    assert main(argv) == 0
    err = capsys.readouterr().err
    data = manifest_counts(repo_release)["https://w3id.org/vawmw/graph/data"]
    assert "graph-store" in err and str(data) in err


def test_cli_load_fails_with_the_status_the_message_and_the_graph(
    oxigraph_server: StoreServer, repo_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Oxigraph's /query does not take application/sparql-update: HTTP 415, said by the server.
    argv = ["load", "--endpoint", oxigraph_server.query_endpoint, "--release", str(repo_release)]
    assert main(argv) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "load failed" in err
    assert "HTTP 415" in err and "application/sparql-update" in err
    assert "graph <https://w3id.org/vawmw/graph/" in err


def test_cli_load_fails_clearly_when_nothing_listens(
    repo_release: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with refused_port() as port:
        endpoint = f"http://127.0.0.1:{port}/sparql"
        assert main(["load", "--endpoint", endpoint, "--release", str(repo_release)]) == 1
    err = " ".join(capsys.readouterr().err.split())
    assert "load failed" in err and endpoint in err


def test_cli_load_without_a_release_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["load", "--endpoint", "http://127.0.0.1:9/sparql", "--release", str(tmp_path)]
    assert main(argv) == 4  # README: 4, no release (1 is for a failed check or load)
    assert "no release in" in capsys.readouterr().err


# -- the protocol choices, against a scripted server -------------------------------------------


class ScriptedStore:
    """An httpx transport that answers as told and records every request."""

    def __init__(self, answers: dict[tuple[str, str], int]) -> None:
        self.answers = answers
        self.seen: list[tuple[str, str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        body = request.content.decode("utf-8")
        self.seen.append((request.method, request.url.path, body))
        status = self.answers.get((request.method, request.url.path), 200)
        if (
            request.url.path == "/sparql"
            and request.method == "POST"
            and b"query=" in request.content
        ):
            return httpx.Response(
                200,
                json={
                    "head": {"vars": ["n"]},
                    "results": {"bindings": [{"n": {"type": "literal", "value": "2"}}]},
                },
            )
        return httpx.Response(status, text=f"scripted {status}")


def two_triples() -> ox.Store:
    store = ox.Store()
    graph = ox.NamedNode("http://example.org/g")
    store.add(ox.Quad(_n("a"), _n("p"), ox.Literal("1"), graph))
    store.add(ox.Quad(_n("b"), _n("p"), ox.Literal("2"), graph))
    return store


def scripted_load(
    answers: dict[tuple[str, str], int], batch_size: int = 1
) -> tuple[loader.LoadReport, ScriptedStore]:
    script = ScriptedStore(answers)
    target = loader.Target("http://s.test/sparql", "http://s.test/update", "http://s.test/store")
    with remote.SparqlClient(transport=httpx.MockTransport(script)) as client:
        report = loader.load_store(
            two_triples(), {"http://example.org/g": 2}, target, client, batch_size
        )
    return report, script


def test_graph_store_put_then_post() -> None:
    report, script = scripted_load({})
    assert [(m, p) for m, p, _ in script.seen[:2]] == [("PUT", "/store"), ("POST", "/store")]
    assert report.graphs[0].method == loader.GRAPH_STORE and report.fallback_reason is None


@pytest.mark.parametrize("status", [401, 403, 404, 405, 413, 415, 501])
def test_a_refused_graph_store_falls_back_to_update(status: int) -> None:
    report, script = scripted_load({("PUT", "/store"): status})
    updates = [body for method, path, body in script.seen if path == "/update"]
    assert updates[0] == "DROP SILENT GRAPH <http://example.org/g>"
    assert all(body.startswith("INSERT DATA") for body in updates[1:]) and len(updates) == 3
    assert report.graphs[0].method == loader.UPDATE
    assert report.fallback_reason is not None and f"HTTP {status}" in report.fallback_reason


def test_a_graph_store_failing_midway_is_redone_by_update() -> None:
    report, script = scripted_load({("POST", "/store"): 405})
    assert [(m, p) for m, p, _ in script.seen[:2]] == [("PUT", "/store"), ("POST", "/store")]
    assert [p for _, p, _ in script.seen[2:5]] == ["/update"] * 3
    assert report.graphs[0].method == loader.UPDATE


def test_a_server_error_is_not_a_fallback() -> None:
    with pytest.raises(loader.LoadError) as caught:
        scripted_load({("PUT", "/store"): 500})
    message = str(caught.value)
    assert "graph <http://example.org/g> failed (it was not changed)" in message
    assert "HTTP 500: scripted 500" in message
