"""Defect 4: ``--base-iri`` broke every linked-data route; the option is gone.

With ``--base-iri http://localhost:8000/`` the service looked up ``http://localhost:8000/ontology``
and ``http://localhost:8000/id/state/PHL``, which no release holds: both gave 404. The IRIs a
release serves are its canonical ones (``https://w3id.org/vawmw/…``) at this host's paths,
whatever the service's own address; that address is ``public_url``, a different setting.
So ``--base-iri`` is refused with a message that names ``--public-url``.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import rdflib
from vawmw.rdf import namespaces
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

LOCAL = "http://localhost:8000/"
TURTLE = {"accept": "text/turtle"}


@pytest.fixture(scope="module")
def local_base(settings: ServiceSettings) -> Iterator[str]:
    with live_server(settings, public_url=LOCAL) as url:
        yield url


@pytest.mark.parametrize(
    ("path", "iri"),
    [
        ("/ontology", namespaces.ONTOLOGY_IRI),
        ("/id/state/PHL", namespaces.ID + "state/PHL"),
    ],
)
def test_linked_data_routes_serve_the_canonical_iris(local_base: str, path: str, iri: str) -> None:
    response = httpx.get(local_base + path, headers=TURTLE)
    assert response.status_code == 200, response.text[:200]
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    assert (rdflib.URIRef(iri), None, None) in graph
    assert not any(str(term).startswith(LOCAL) for triple in graph for term in triple)


def test_the_html_page_links_locally(local_base: str) -> None:
    page = httpx.get(local_base + "/id/state/PHL", headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Philippines" in page.text


def test_the_service_description_names_the_canonical_dataset(local_base: str) -> None:
    description = httpx.get(local_base + "/sparql", headers=TURTLE)
    graph = rdflib.Graph().parse(data=description.text, format="turtle")
    sd = rdflib.Namespace(namespaces.PREFIXES["sd"])
    assert set(graph.objects(None, sd.defaultDataset)) == {rdflib.URIRef(namespaces.DATASET_IRI)}


def test_base_iri_is_refused_and_points_to_public_url(capsys: pytest.CaptureFixture[str]) -> None:
    from vawmw.cli import EXIT_BAD_INPUT, main

    assert main(["serve", "--base-iri", LOCAL, "--port", "0"]) == EXIT_BAD_INPUT
    said = capsys.readouterr()
    assert "--public-url" in said.out + said.err
