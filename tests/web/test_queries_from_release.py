"""Defect 2: /queries ignored If-None-Match and read the working tree's queries/ on every request,
while its ETag was per release. The queries now come from the release (the build copies them
there), so one ETag per release holds, and a client's current copy gets 304."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
WORKING_TREE_QUERY = "# title: Only in the working tree\nASK {}\n"


@pytest.fixture(scope="module")
def drifting(
    settings: ServiceSettings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    """A service whose working-tree queries/ folder differs from the release's queries."""
    folder = tmp_path_factory.mktemp("working-tree-queries")
    (folder / "other.rq").write_text(WORKING_TREE_QUERY, encoding="utf-8")
    with live_server(settings, queries_dir=folder) as url:
        yield url, folder


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_queries_honour_if_none_match(client: httpx.Client, accept: str) -> None:
    first = client.get("/queries", headers={"accept": accept})
    assert first.status_code == 200
    again = client.get(
        "/queries", headers={"accept": accept, "if-none-match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]
    star = client.get("/queries", headers={"accept": accept, "if-none-match": "*"})
    assert star.status_code == 304


def test_the_listing_is_the_releases_not_the_working_trees(drifting: tuple[str, Path]) -> None:
    url, folder = drifting
    listing = httpx.get(url + "/queries", headers={"accept": "application/json"}).json()
    titles = [item["title"] for item in listing["queries"]]
    assert titles == ["All States"]  # tests/helpers_release.py puts queries/states.rq there
    # a query added to the working tree while the release is served changes nothing
    (folder / "later.rq").write_text("# title: Added later\nASK {}\n", encoding="utf-8")
    again = httpx.get(url + "/queries", headers={"accept": "application/json"}).json()
    assert [item["title"] for item in again["queries"]] == ["All States"]


def test_the_editor_offers_the_releases_queries(drifting: tuple[str, Path]) -> None:
    url, _ = drifting
    page = httpx.get(url + "/sparql", headers={"accept": BROWSER}).text
    assert "All States" in page
    assert "Only in the working tree" not in page
