"""Defect 3: the /sparql ETag ignored the --graph extras (and the query, and the service).

An ETag must change whenever the answer can: with the release, the extra graphs' contents, the
service's version, the representation and the resource asked for. Before the fix it was the
release id plus the format, so two services on one release with different extra graphs gave
the same ETag for different answers, and a cache in front served stale results.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import vawmw
from vawmw.settings import ServiceSettings
from vawmw.web.http import Validators

from tests.conftest import live_server

EXTRA = "http://example.org/extra"
EXTRA_QUERY = f"SELECT ?o WHERE {{ GRAPH <{EXTRA}> {{ ?s ?p ?o }} }}"
STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#State> }"
JSON = {"accept": "application/sparql-results+json"}
PUBLIC = "https://kg.example.org"


def _extra_graph(directory: Path, value: str) -> Path:
    directory.mkdir(exist_ok=True)
    path = directory / "extra.nt"
    path.write_text(f'<http://example.org/s> <http://example.org/p> "{value}" .\n', "utf-8")
    return path


def _answer(url: str, query: str) -> httpx.Response:
    response = httpx.get(url + "/sparql", params={"query": query}, headers=JSON, timeout=60)
    assert response.status_code == 200, response.text[:300]
    return response


def test_different_extra_graphs_give_different_etags(
    settings: ServiceSettings, tmp_path: Path
) -> None:
    first, second = (
        _extra_graph(tmp_path / "one", "first"),
        _extra_graph(tmp_path / "two", "second"),
    )
    # One public URL: the answers do not depend on the port each service happens to get.
    same = {"public_url": PUBLIC, "workers": 1}
    with live_server(settings, extra_graphs=[(EXTRA, first)], **same) as one:
        answer_one = _answer(one, EXTRA_QUERY)
    with live_server(settings, extra_graphs=[(EXTRA, second)], **same) as two:
        answer_two = _answer(two, EXTRA_QUERY)
        # the other service's validator must not revalidate this service's answer
        again = httpx.get(
            two + "/sparql",
            params={"query": EXTRA_QUERY},
            headers={**JSON, "if-none-match": answer_one.headers["etag"]},
            timeout=60,
        )
    values = [a.json()["results"]["bindings"][0]["o"]["value"] for a in (answer_one, answer_two)]
    assert values == ["first", "second"]  # the answers differ …
    assert answer_one.headers["etag"] != answer_two.headers["etag"]  # … so must the ETags
    assert again.status_code == 200 and again.json()["results"]["bindings"][0]["o"]["value"] == (
        "second"
    )


def test_each_query_has_its_own_etag(client: httpx.Client) -> None:
    """A validator of one query never revalidates another query's answer."""
    states = client.get("/sparql", params={"query": STATES}, headers=JSON)
    assert states.status_code == 200
    other = "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#ReportingState> }"
    response = client.get(
        "/sparql",
        params={"query": other},
        headers={**JSON, "if-none-match": states.headers["etag"]},
    )
    assert response.status_code == 200
    assert response.headers["etag"] != states.headers["etag"]


def test_the_etag_changes_with_the_service_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers change when the code does: a new version, new validators for the same inputs."""
    before = Validators.of("r1", [], 60).etag("json", "/sparql?query=x")
    monkeypatch.setattr(vawmw, "__version__", vawmw.__version__ + ".post1")
    after = Validators.of("r1", [], 60).etag("json", "/sparql?query=x")
    assert before != after


def test_every_input_enters_the_validator(tmp_path: Path) -> None:
    graph = _extra_graph(tmp_path, "a")
    base = Validators.of("r1", [(EXTRA, graph)], 60)
    etag = base.etag("json", "/sparql?query=x")
    assert etag.startswith('"r1-') and etag.endswith('"')
    variations = {
        Validators.of("r2", [(EXTRA, graph)], 60).etag("json", "/sparql?query=x"),  # release
        Validators.of("r1", [], 60).etag("json", "/sparql?query=x"),  # no extras
        Validators.of("r1", [(EXTRA + "2", graph)], 60).etag("json", "/sparql?query=x"),
        base.etag("csv", "/sparql?query=x"),  # variant
        base.etag("json", "/sparql?query=y"),  # resource
        base.etag("json", "/sparql?query=x", "http://other.example/"),  # origin
    }
    graph.write_text('<http://example.org/s> <http://example.org/p> "b" .\n', "utf-8")
    variations.add(Validators.of("r1", [(EXTRA, graph)], 60).etag("json", "/sparql?query=x"))
    assert etag not in variations and len(variations) == 7
    # the same inputs, the same validator
    assert Validators.of("r1", [(EXTRA, tmp_path / "gone.nt")], 60).etag("json", "/") == (
        Validators.of("r1", [(EXTRA, tmp_path / "gone.nt")], 60).etag("json", "/")
    )
