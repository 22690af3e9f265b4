"""The service answers a dereference from the release's prebuilt documents (issue 15, part 1),
and that answer is the dynamic path's, for every IRI: the same status, Content-Type, Vary,
Link and ETag, and an isomorphic graph (HTML: the same page).

Two services on the same release: one with its prebuilt documents, one on a copy without them
(the dynamic path, which queries the workers).
"""

from __future__ import annotations

import gzip
import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from vawmw.rdf import formats
from vawmw.release import layout
from vawmw.settings import ServiceSettings
from vawmw.testing.live import live_server
from vawmw.web.prebuild import stored

from tests.build.test_static_documents import document_paths, isomorphic

pytestmark = pytest.mark.slow
HEADERS = ("content-type", "vary", "link", "etag", "cache-control")


@pytest.fixture(scope="module")
def two_services(
    real_release: Path, documented_release: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Path, httpx.Client, httpx.Client]]:
    static_dir = documented_release
    dynamic_dir = tmp_path_factory.mktemp("prebuilt") / "dynamic"
    shutil.copytree(real_release, dynamic_dir, ignore=shutil.ignore_patterns("ld", "site"))
    with (
        live_server(ServiceSettings(release_dir=static_dir, workers=1)) as static_url,
        live_server(ServiceSettings(release_dir=dynamic_dir, workers=2)) as dynamic_url,
        httpx.Client(base_url=static_url, timeout=60) as static,
        httpx.Client(base_url=dynamic_url, timeout=60) as dynamic,
    ):
        yield static_dir, static, dynamic


def _same_answer(
    static: httpx.Response, dynamic: httpx.Response, fmt: formats.Format, context: bytes
) -> None:
    assert static.status_code == dynamic.status_code == 200
    for name in HEADERS:
        assert static.headers.get(name) == dynamic.headers.get(name), name
    if fmt is formats.HTML:
        assert static.content == dynamic.content
    else:
        assert isomorphic(static.content, dynamic.content, fmt, context)


def test_every_prebuilt_document_is_the_dynamic_answer(
    two_services: tuple[Path, httpx.Client, httpx.Client],
) -> None:
    release, static, dynamic = two_services
    paths = document_paths(release)
    context = (release / layout.CONTEXT_NAME).read_bytes()
    assert len(paths) > 100  # every /id/… subject, the ontology, the dataset, graphs, shapes
    for path in paths:
        for fmt in formats.RESOURCE_FORMATS:
            headers = {"Accept": fmt.media_type}
            static_answer = static.get(path, headers=headers)
            _same_answer(static_answer, dynamic.get(path, headers=headers), fmt, context)


@pytest.mark.parametrize(
    "accept",
    [
        "text/turtle;q=0.5, application/ld+json;q=0.9",
        "application/json",
        "text/plain",
        "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "*/*",
        "",
        "image/png",
        "application/rdf+xml;q=0, text/*;q=0.3",
    ],
)
@pytest.mark.parametrize("path", ["/id/", "/ontology", "/dataset", "/shapes"])
def test_negotiation_406_and_headers_match(
    two_services: tuple[Path, httpx.Client, httpx.Client], accept: str, path: str
) -> None:
    release, static, dynamic = two_services
    if path == "/id/":  # a described resource of the release, whatever its IRIs are
        path = next(p for p in document_paths(release) if p.startswith("/id/"))
    headers = {"Accept": accept} if accept else {}
    a, b = static.get(path, headers=headers), dynamic.get(path, headers=headers)
    assert a.status_code == b.status_code
    for name in HEADERS:
        assert a.headers.get(name) == b.headers.get(name), name
    if a.status_code == 406:
        assert a.text == b.text


def test_304_head_and_format_parameter_match(
    two_services: tuple[Path, httpx.Client, httpx.Client],
) -> None:
    release, static, dynamic = two_services
    url = next(p for p in document_paths(release) if p.startswith("/id/")) + "?format=ttl"
    for client in (static, dynamic):
        first = client.get(url)
        assert first.status_code == 200
        again = client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        head = client.head(url.partition("?")[0], headers={"Accept": "text/turtle"})
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == str(len(first.content))
    assert static.get(url).headers["etag"] == dynamic.get(url).headers["etag"]


def test_an_unknown_iri_still_gets_the_dynamic_404(
    two_services: tuple[Path, httpx.Client, httpx.Client],
) -> None:
    _release, static, dynamic = two_services
    a = static.get("/id/no-such-thing/x", headers={"Accept": "text/turtle"})
    b = dynamic.get("/id/no-such-thing/x", headers={"Accept": "text/turtle"})
    assert a.status_code == b.status_code == 404 and a.text == b.text


def test_documents_of_another_release_are_not_served(
    tmp_path: Path, real_release: Path, two_services: tuple[Path, httpx.Client, httpx.Client]
) -> None:
    """An index naming another release: the dynamic path answers (no stale document)."""
    release = tmp_path / "dist"
    shutil.copytree(real_release, release, ignore=shutil.ignore_patterns("ld", "site"))
    (release / layout.SITE_DIR_NAME).mkdir()
    layout.documents_index_path(release).write_text('{"release_id": "other"}', "utf-8")
    path = next(p for p in document_paths(two_services[0]) if p.startswith("/id/"))
    name = stored.file_name(path, formats.TURTLE)
    assert name is not None
    target = layout.documents_path(release) / name
    target.parent.mkdir(parents=True)
    target.write_bytes(gzip.compress(b"<urn:x> <urn:y> <urn:z> .\n"))
    with live_server(ServiceSettings(release_dir=release, workers=1)) as url:
        answer = httpx.get(url + path, headers={"Accept": "text/turtle"}, timeout=60)
    graph = list(ox.parse(answer.content, format=ox.RdfFormat.TURTLE))
    assert answer.status_code == 200 and ox.NamedNode("urn:x") not in {q.subject for q in graph}


def test_an_iri_served_at_two_paths_has_each_paths_page(
    two_services: tuple[Path, httpx.Client, httpx.Client],
) -> None:
    """The ontology's page at /ontology/<version> names that path as its alternates, whichever
    page was asked for first (the page cache once keyed on the IRI only, so the dynamic path
    answered with /ontology's page when that had been rendered first)."""
    release, static, dynamic = two_services
    versions = [p for p in document_paths(release) if p.startswith("/ontology/")]
    assert versions  # the release names its ontology's version IRI
    html = {"Accept": "text/html"}
    for client in (dynamic, static):
        assert client.get("/ontology", headers=html).status_code == 200
        for path in versions:
            page = client.get(path, headers=html)
            assert page.status_code == 200
            assert f'rel="alternate" type="text/turtle" href="{path}"' in page.text
