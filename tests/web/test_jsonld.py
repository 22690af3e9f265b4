"""Compact JSON-LD on the service (issue 14, "JSON-LD no one can frame"): pyld frames the nodes
of /id/… and /ontology by @type, the context resolves over HTTP, and plain JSON gets the
context's Link header."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pyld import jsonld as pyld
from vawmw.settings import ServiceSettings
from vawmw.testing.live import live_server

CONTEXT_IRI = "https://w3id.org/vawmw/context.jsonld"
CONTEXT_REL = "http://www.w3.org/ns/json-ld#context"
PHL = "https://w3id.org/vawmw/id/state/PHL"
LD = {"Accept": "application/ld+json"}


@pytest.fixture(scope="module")
def real_url(settings: ServiceSettings, real_release: Path) -> Iterator[str]:
    with live_server(settings, release_dir=real_release) as url:
        yield url


def _loader(base: str) -> Any:
    """The w3id redirect, done by hand: the context IRI is fetched from the live service."""

    def load(url: str, options: object = None) -> dict[str, Any]:
        assert url == CONTEXT_IRI, f"pyld asked for {url}"
        response = httpx.get(base + "/context.jsonld", headers=LD)
        response.raise_for_status()
        return {"contextUrl": None, "documentUrl": url, "document": response.json()}

    return load


def test_the_context_resolves_over_http(real_url: str, real_release: Path) -> None:
    origin = {"Origin": "https://example.org"}
    response = httpx.get(real_url + "/context.jsonld", headers=origin)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.content == (real_release / "context.jsonld").read_bytes()
    etag = response.headers["etag"]
    again = httpx.get(real_url + "/context.jsonld", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_pyld_frames_a_state_by_its_type(real_url: str) -> None:
    response = httpx.get(real_url + "/id/state/PHL", headers=LD)
    assert response.status_code == 200
    document = response.json()
    assert document["@context"] == CONTEXT_IRI
    frame = {"@context": CONTEXT_IRI, "@type": "vawmw:ReportingState"}
    options = {"documentLoader": _loader(real_url), "omitGraph": False}
    framed = pyld.frame(document, frame, options)
    ids = {node["@id"] for node in pyld.expand(framed, options)}
    assert PHL in ids


def test_pyld_frames_the_ontology_classes(real_url: str) -> None:
    document = httpx.get(real_url + "/ontology", headers=LD).json()
    frame = {"@context": CONTEXT_IRI, "@type": "owl:Class"}
    options = {"documentLoader": _loader(real_url), "omitGraph": False}
    framed = pyld.frame(document, frame, options)
    ids = {node.get("@id") for node in pyld.expand(framed, options)}  # classes: IRIs, blanks
    assert "https://w3id.org/vawmw/ontology#ReportingState" in ids


def test_plain_json_gets_the_context_link(real_url: str) -> None:
    response = httpx.get(real_url + "/id/state/PHL", headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert f'</context.jsonld>; rel="{CONTEXT_REL}"' in response.headers["link"]
    ld = httpx.get(real_url + "/id/state/PHL", headers=LD)
    assert CONTEXT_REL not in ld.headers["link"]  # application/ld+json carries its @context
