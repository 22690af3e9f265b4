"""Release routes: /dumps/, /.well-known/void, /queries, /health."""

from __future__ import annotations

import hashlib
import html.parser
import json
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import rdflib
from vawmw.rdf import namespaces as ns
from vawmw.release.manifest import ReleaseInfo

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


def test_dumps_listing_json(client: httpx.Client, release_dir: Path) -> None:
    release = ReleaseInfo.load(release_dir)
    response = client.get("/dumps/", headers={"accept": "application/json"})
    assert response.status_code == 200
    document = response.json()
    assert document["release_id"] == release.release_id
    listed = {entry["name"]: entry for entry in document["files"]}
    dumps = {"vawmw.trig", "vawmw.nq", "vawmw.ttl", "vawmw.jsonld", "void.ttl"}
    assert set(listed) == dumps | {"queries/states.rq"}  # the release carries its queries
    for name, entry in listed.items():
        content = (release_dir / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(content).hexdigest()
        assert entry["size"] == len(content)
    assert "store" not in listed


def test_dumps_listing_html(client: httpx.Client) -> None:
    response = client.get("/dumps/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="/dumps/vawmw.trig"' in response.text


def test_download_matches_checksum(client: httpx.Client, release_dir: Path) -> None:
    sums: dict[str, str] = {}
    for line in (release_dir / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ", 1)
        sums[name] = digest
    for name, digest in sums.items():
        response = client.get(f"/dumps/{name}")
        assert response.status_code == 200
        assert hashlib.sha256(response.content).hexdigest() == digest
    trig = client.get("/dumps/vawmw.trig")
    assert trig.headers["content-type"].startswith("application/trig")
    assert "etag" in trig.headers
    assert (
        client.get("/dumps/vawmw.trig", headers={"if-none-match": trig.headers["etag"]}).status_code
        == 304
    )
    assert client.get("/dumps/SHA256SUMS").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/dumps/store",
        "/dumps/store/CURRENT",
        "/dumps/..%2frelease.json",
        "/dumps/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/dumps/../store",
        "/dumps/.hidden",
        "/dumps/nothing.ttl",
    ],
)
def test_dump_traversal_404(client: httpx.Client, path: str) -> None:
    assert client.get(path).status_code == 404


def test_void(client: httpx.Client) -> None:
    void = rdflib.URIRef("http://rdfs.org/ns/void#Dataset")
    for media_type in ("text/turtle", "application/ld+json", "application/n-triples"):
        response = client.get("/.well-known/void", headers={"accept": media_type})
        assert response.status_code == 200
        assert response.headers["content-type"].split(";")[0] == media_type
        graph = rdflib.Graph().parse(data=response.content, format=media_type)
        assert (rdflib.URIRef(ns.DATASET_IRI), rdflib.RDF.type, void) in graph
    assert client.get("/.well-known/void", headers={"accept": "image/png"}).status_code == 406


def test_health(client: httpx.Client, release_dir: Path) -> None:
    release = ReleaseInfo.load(release_dir)
    response = client.get("/health")
    assert response.status_code == 200
    document = response.json()
    assert document["status"] == "ok"
    assert document["store_open"] is True
    assert document["release_version"] == release.version
    assert document["release_id"] == release.release_id


def test_queries_listing(client: httpx.Client) -> None:
    response = client.get("/queries", headers={"accept": "application/json"})
    assert response.status_code == 200
    items = response.json()["queries"]
    assert [item["title"] for item in items] == ["All States"]
    assert items[0]["description"] == "Every State with its label."
    run = items[0]["run"]
    query = parse_qs(urlsplit(run).query)["query"][0]
    assert "SELECT ?state ?label" in query
    result = client.get(run)
    assert result.status_code == 200
    labels = {b["label"]["value"] for b in json.loads(result.content)["results"]["bindings"]}
    assert labels == {"Peru", "Philippines"}


class _Links(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links.extend(v for k, v in attrs if tag == "a" and k == "href" and v)


def test_queries_html(client: httpx.Client) -> None:
    response = client.get("/queries", headers={"accept": "text/html"})
    assert response.status_code == 200
    parser = _Links()
    parser.feed(response.text)
    assert any(link.startswith("/sparql?query=") for link in parser.links)


def test_openapi_docs(client: httpx.Client) -> None:
    assert client.get("/docs").status_code == 200
    assert "/sparql" in client.get("/openapi.json").json()["paths"]
