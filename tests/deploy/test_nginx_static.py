"""deploy/run-nginx: the release's linked data served by Debian's nginx with no Python
(issue 15): content negotiation with q-values as the service's, 406, HEAD, 304, Vary, Link;
/sparql proxied to the services given, or 503 without; linked data up with Python down."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import httpx
import pyoxigraph as ox
import pytest
from vawmw.rdf import formats
from vawmw.testing.service import free_port, served_process, stop_group
from vawmw.web import negotiation
from vawmw.web.routes import pages
from vawmw.web.routes import release as release_routes

from tests.build.test_static_documents import document_paths, read_stored

REPO = Path(__file__).resolve().parents[2]
RUN_NGINX = REPO / "deploy" / "run-nginx"
MODULE = Path("/usr/lib/nginx/modules/ngx_http_js_module.so")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (Path("/usr/sbin/nginx").is_file() and MODULE.is_file()),
        reason="needs Debian's nginx and libnginx-mod-http-js (.ci/install-nginx)",
    ),
]

# Accept headers and what the service's rules give for them (RFC 9110 12.5.1: the most
# specific range sets the q, the highest q wins; aliases only when named exactly).
ACCEPTS = [
    ("text/turtle", formats.TURTLE),
    ("application/ld+json;q=0.5, text/turtle;q=0.4", formats.JSONLD),
    ("text/*;q=0.9, text/turtle;q=0.1", formats.HTML),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", formats.HTML),
    ("application/json", formats.JSONLD),
    ("text/plain", formats.NTRIPLES),
    ("*/*", formats.TURTLE),
    ("", formats.TURTLE),
    ("application/rdf+xml;q=abc, application/n-triples;q=0.2", formats.NTRIPLES),
    ("image/png", None),
    ("text/turtle;q=0", None),
]


@contextlib.contextmanager
def nginx(release: Path, *upstreams: str) -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile() as log:  # never a pipe nobody reads
        process = subprocess.Popen(
            [str(RUN_NGINX), str(release), str(port), *upstreams],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_for(url, process, log)
            yield url
        finally:
            stop_group(process)


def _wait_for(url: str, process: subprocess.Popen[bytes], log: IO[bytes]) -> None:
    deadline = time.monotonic() + 20
    while True:
        try:
            httpx.get(url + "/context.jsonld", timeout=2)
            return
        except httpx.TransportError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                output = log.read().decode(errors="replace")
                raise RuntimeError(f"run-nginx did not start: {output}") from None
            time.sleep(0.1)


@contextlib.contextmanager
def socket_get(url: str, path: str, headers: dict[str, str]) -> Iterator[httpx.Response]:
    """A GET whose Accept-Encoding is exactly ``headers``' (httpx adds its own otherwise), the
    body left as sent."""
    with httpx.Client() as client:
        request = client.build_request("GET", url + path, headers=headers)
        response = client.send(request, stream=True)
        try:
            yield response
        finally:
            response.close()


@pytest.fixture(scope="module")
def release(documented_release: Path) -> Path:
    return documented_release


@pytest.fixture(scope="module")
def resource(release: Path) -> str:
    """A described resource of the release (whatever its IRIs are)."""
    return next(p for p in document_paths(release) if p.startswith("/id/"))


@pytest.fixture(scope="module")
def static_url(release: Path) -> Iterator[str]:
    with nginx(release) as url:
        yield url


@pytest.mark.parametrize(("accept", "expected"), ACCEPTS)
def test_negotiation_follows_the_rules(
    static_url: str, resource: str, accept: str, expected: formats.Format | None
) -> None:
    # The service's function agrees with the rule-derived expectation, and so does nginx.
    assert negotiation.negotiate(accept or None, formats.RESOURCE_FORMATS) is expected
    headers = {"Accept": accept} if accept else {}
    answer = httpx.get(static_url + resource, headers=headers)
    assert "Accept" in answer.headers.get("vary", "")
    if expected is None:
        assert answer.status_code == 406 and "Turtle" in answer.text
        return
    assert answer.status_code == 200
    assert answer.headers["content-type"].split(";")[0] == expected.media_type
    assert 'rel="alternate"' in answer.headers["link"]


def test_head_304_and_format_parameter(static_url: str, resource: str) -> None:
    url = static_url + resource
    full = httpx.get(url, headers={"Accept": "text/turtle"})
    head = httpx.head(url, headers={"Accept": "text/turtle"})
    assert head.status_code == 200 and head.content == b""
    # httpx accepts gzip: both carry the stored (compressed) document's length.
    assert full.headers["content-encoding"] == head.headers["content-encoding"] == "gzip"
    assert head.headers["content-length"] == full.headers["content-length"]
    again = httpx.get(url, headers={"Accept": "text/turtle", "If-None-Match": full.headers["etag"]})
    assert again.status_code == 304
    download = httpx.get(url + "?format=nt", headers={"Accept": "text/html"})
    assert download.headers["content-type"].startswith("application/n-triples")


def test_compressed_documents_reach_every_client(
    static_url: str, release: Path, resource: str
) -> None:
    """A client that does not accept gzip gets the document decompressed; one that does gets
    the stored bytes; the same document either way, told apart by Vary: Accept-Encoding."""
    expected = read_stored(release, resource, "ttl")
    accept = {"Accept": "text/turtle"}
    with socket_get(static_url, resource, {**accept, "Accept-Encoding": "identity"}) as plain:
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        assert plain.read() == expected
    packed = httpx.get(static_url + resource, headers={**accept, "Accept-Encoding": "gzip"})
    assert packed.headers["content-encoding"] == "gzip" and packed.content == expected
    for answer in (plain, packed):
        assert "Accept-Encoding" in answer.headers["vary"] and "Accept" in answer.headers["vary"]


def test_nquads_is_the_ntriples_document(static_url: str, release: Path, resource: str) -> None:
    answer = httpx.get(static_url + resource, headers={"Accept": "application/n-quads"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == formats.NQUADS.content_type
    assert answer.content == read_stored(release, resource, "nt")
    quads = list(ox.parse(answer.content, format=ox.RdfFormat.N_QUADS))
    assert quads and all(q.graph_name == ox.DefaultGraph() for q in quads)


def test_the_offers_named_in_conneg_js_are_the_routes() -> None:
    """conneg.js holds no format table (formats.js, from the release, does); the home page's
    and the VoID's offers it names are the routes' own."""
    script = (REPO / "deploy" / "conneg.js").read_text("utf-8")
    assert "import FORMATS from 'formats.js'" in script
    assert "text/turtle" not in script and "application/n-triples" not in script

    def names(variable: str) -> list[str]:
        line = next(x for x in script.splitlines() if x.startswith(f"var {variable} = ["))
        return [n.strip(" '") for n in line.partition("[")[2].partition("]")[0].split(",")]

    assert names("HOME") == [f.name for f in pages._HOME_OFFERS]
    assert names("VOID") == [f.name for f in release_routes._VOID_FORMATS]
    assert [f.name for f in release_routes._LISTING_FORMATS] == ["jsondoc", "html"]


def test_dynamic_routes_answer_503_without_upstreams(static_url: str) -> None:
    answer = httpx.get(static_url + "/sparql", params={"query": "ASK {}"})
    assert answer.status_code == 503 and "linked data" in answer.text
    assert (
        httpx.get(static_url + "/id/no-such-thing/x", headers={"Accept": "text/turtle"}).status_code
        == 503
    )


def test_python_down_linked_data_up(release: Path, resource: str) -> None:
    with (
        served_process(release, "--workers", "1", root=REPO) as service,
        nginx(release, service.url) as url,
    ):
        sparql = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert sparql.status_code == 200
        os.killpg(service.pid, signal.SIGKILL)  # every Python process of the service
        time.sleep(0.5)
        answer = httpx.get(url + resource, headers={"Accept": "text/turtle"})
        assert answer.status_code == 200
        assert answer.content == read_stored(release, resource, "ttl")
        down = httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=30)
        assert down.status_code in (502, 503) and "not answering" in down.text
