"""HEAD wherever GET works (issue 14, "HEAD"): same status and headers, no body, over httpx.

Link checkers and crawlers send HEAD; the service answered 405 on every route. A HEAD must
carry the headers of the GET (Content-Length included) and no body; on ``/sparql`` with a query
it runs the query; ``Allow`` on ``/sparql`` lists GET, HEAD and POST.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote

import httpx
import pytest

# Every route the issue names, with an Accept that picks one representation.
PATHS: Final = (
    ("/", "text/html"),
    ("/sparql", "text/turtle"),
    ("/sparql", "text/html"),
    ("/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o } LIMIT 2"), "application/json"),
    ("/id/state/PHL", "text/turtle"),
    ("/id/state/PHL", "text/html"),
    ("/ontology", "text/turtle"),
    ("/ontology", "text/html"),
    ("/.well-known/void", "text/turtle"),
    ("/dumps/", "application/json"),
    ("/dumps/vawmw.ttl", "*/*"),
    ("/dashboard", "text/html"),
    ("/queries", "application/json"),
    ("/health", "application/json"),
)
# Headers that differ between two answers by nature, not by method.
VOLATILE: Final = frozenset({"date", "server"})


def _comparable(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in VOLATILE}


@pytest.mark.parametrize(("path", "accept"), PATHS)
def test_head_answers_as_get_without_a_body(server_url: str, path: str, accept: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        got = client.get(path, headers={"Accept": accept})
        head = client.head(path, headers={"Accept": accept})
    assert got.status_code == 200, got.text
    assert head.status_code == 200
    assert head.content == b""
    assert _comparable(head) == _comparable(got)
    if "content-length" in got.headers:  # the length of the body a GET sends
        assert int(head.headers["content-length"]) == len(got.content)


def test_head_on_sparql_runs_the_query(server_url: str) -> None:
    """A query that fails as GET fails as HEAD: the query is run, not skipped."""
    bad = "/sparql?query=" + quote("SELECT * WHERE { ?s ?p }")
    with httpx.Client(base_url=server_url, timeout=30) as client:
        got = client.get(bad, headers={"Accept": "application/sparql-results+json"})
        head = client.head(bad, headers={"Accept": "application/sparql-results+json"})
    assert got.status_code == 400
    assert head.status_code == 400
    assert head.content == b""


def test_head_keeps_conditional_get(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        etag = client.head("/id/state/PHL", headers={"Accept": "text/turtle"}).headers["etag"]
        again = client.head(
            "/id/state/PHL", headers={"Accept": "text/turtle", "If-None-Match": etag}
        )
    assert again.status_code == 304


def test_allow_on_sparql_lists_get_head_and_post(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        refused = client.put("/sparql", content=b"")
    assert refused.status_code == 405
    allowed = {m.strip() for m in refused.headers["allow"].split(",")}
    assert allowed == {"GET", "HEAD", "POST"}
    assert refused.headers["content-type"].startswith("text/plain")


def test_allow_on_a_get_route_lists_get_and_head(server_url: str) -> None:
    with httpx.Client(base_url=server_url, timeout=30) as client:
        refused = client.post("/ontology", content=b"")
    assert refused.status_code == 405
    assert {m.strip() for m in refused.headers["allow"].split(",")} == {"GET", "HEAD"}
