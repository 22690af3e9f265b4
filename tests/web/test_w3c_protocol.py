"""The W3C SPARQL 1.1 Protocol test suite (manifest.ttl) against the running service.

The service is read-only, so the positive update_* tests do not apply and are skipped; every
query_* and bad_* test (bad_update_* included: a 4xx is expected) must pass, on each backend:
the embedded store, and the same service over Virtuoso and over Oxigraph server
(``serve --backend``), which then hold data1-3.nt as the named graphs the manifest names.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS
from vawmw.settings import ServiceSettings

from tests.conftest import Backend, live_server

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql11-protocol"
if not (SUITE / "manifest.ttl").is_file():
    pytest.skip(f"the W3C protocol suite is not at {SUITE}", allow_module_level=True)

# The store fixtures (tests/stores.py) as a plugin, for the ``backend`` fixture of conftest.py.
pytest_plugins = ["tests.stores"]

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = rdflib.Namespace("http://www.w3.org/2011/http#")
HTS = rdflib.Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = rdflib.Namespace("http://www.w3.org/2011/content#")
UT = rdflib.Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULTS_TYPES = {"application/sparql-results+json", "application/sparql-results+xml"}
TABULAR_TYPES = RESULTS_TYPES | {"text/csv", "text/tab-separated-values"}
RDF_TYPES = {"application/rdf+xml", "text/turtle", "application/n-triples"}


@dataclass
class ProtocolRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    status_classes: set[int]
    expected_boolean: bool | None
    expected_format: str | None


@dataclass
class ProtocolTest:
    name: str
    title: str
    requests: list[ProtocolRequest]
    graphs: dict[str, Path] = field(default_factory=dict)


def _request(graph: rdflib.Graph, node: rdflib.term.Node) -> ProtocolRequest:
    method = str(graph.value(node, HT.methodName))
    path = str(graph.value(node, HT.absolutePath))
    assert path.startswith("/sparql/")
    path = "/sparql" + path[len("/sparql") + 1 :]
    headers: dict[str, str] = {}
    header_list = graph.value(node, HT.headers)
    if header_list is not None:
        for header in Collection(graph, header_list):
            headers[str(graph.value(header, HT.fieldName))] = str(
                graph.value(header, HT.fieldValue)
            )
    body: bytes | None = None
    body_node = graph.value(node, HT.body)
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding.lower())
    response = graph.value(node, HT.resp)
    classes = {
        int(str(status).rsplit("StatusCode", 1)[1][0])
        for status in graph.objects(response, MF.expectedStatus)
    }
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    return ProtocolRequest(
        method,
        path,
        headers,
        body,
        classes,
        None if boolean is None else str(boolean) == "true",
        None if fmt is None else str(fmt),
    )


def load_manifest() -> list[ProtocolTest]:
    graph = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests: list[ProtocolTest] = []
    entries = graph.value(manifest, MF.entries)
    assert entries is not None
    for entry in Collection(graph, entries):
        action = graph.value(entry, MF.action)
        request_list = graph.value(action, HT.requests)
        assert request_list is not None
        requests = [_request(graph, node) for node in Collection(graph, request_list)]
        graphs = {
            str(graph.value(data, RDFS.label)): SUITE / Path(str(graph.value(data, UT.graph))).name
            for data in graph.objects(entry, UT.graphData)
        }
        name = str(entry).rsplit("#", 1)[1]
        tests.append(ProtocolTest(name, str(graph.value(entry, MF.name)), requests, graphs))
    return tests


TESTS = load_manifest()


@pytest.fixture(scope="module")
def w3c_url(settings: ServiceSettings, backend: Backend) -> Iterator[str]:
    extras: dict[str, Path] = {}
    for test in TESTS:
        extras.update(test.graphs)
    backend.load_graphs(extras)  # external stores hold them; the embedded one reads the files
    with live_server(settings, extra_graphs=sorted(extras.items()), backend_url=backend.url) as url:
        yield url


def _media_type(response: httpx.Response) -> str:
    header: str = response.headers.get("content-type", "")
    return header.split(";")[0].strip()


def _boolean(response: httpx.Response) -> bool:
    media_type = _media_type(response)
    if media_type == "application/sparql-results+json":
        value = json.loads(response.content)["boolean"]
        assert isinstance(value, bool)
        return value
    assert media_type == "application/sparql-results+xml"
    root = ET.fromstring(response.content)
    element = root.find("{http://www.w3.org/2005/sparql-results#}boolean")
    assert element is not None
    return element.text == "true"


def test_manifest_is_complete() -> None:
    names = {test.name for test in TESTS}
    assert len(TESTS) == 34
    assert {"query_post_form", "bad_query_syntax", "update_post_direct"} <= names


@pytest.mark.parametrize("test", TESTS, ids=[test.name for test in TESTS])
def test_protocol(test: ProtocolTest, w3c_url: str) -> None:
    if test.name.startswith("update_"):
        pytest.skip("SPARQL Update does not apply: the service is read-only")
    with httpx.Client(base_url=w3c_url, timeout=30) as http:
        for req in test.requests:
            response = http.request(
                req.method, w3c_url + req.path, headers=req.headers, content=req.body
            )
            assert response.status_code // 100 in req.status_classes, (
                test.name,
                response.status_code,
                response.text,
            )
            if req.expected_format == "boolean":
                assert _media_type(response) in RESULTS_TYPES
            elif req.expected_format == "tabular":
                assert _media_type(response) in TABULAR_TYPES
            elif req.expected_format == "RDF":
                assert _media_type(response) in RDF_TYPES
                rdflib.Graph().parse(data=response.content, format=_media_type(response))
            if req.expected_boolean is not None:
                assert _boolean(response) is req.expected_boolean
