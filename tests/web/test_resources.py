"""Dereferencing: /id/… and /ontology by content negotiation.

The checks that also run on the external stores are in tests/web/api_checks.py.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web import api_checks as checks
from tests.web.api_checks import PHL_PATH

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")


@pytest.mark.parametrize(
    "media_type",
    ["text/turtle", "application/ld+json", "application/n-triples", "application/rdf+xml"],
)
def test_resource_description(client: httpx.Client, media_type: str) -> None:
    checks.resource_description(client, media_type)


def test_incoming_links(client: httpx.Client) -> None:
    checks.incoming_links(client)


def test_default_is_turtle(client: httpx.Client) -> None:
    checks.default_is_turtle(client)


def test_html_page(client: httpx.Client) -> None:
    checks.html_page(client)


def test_unknown_iri_404(client: httpx.Client) -> None:
    checks.unknown_iri_404(client)


def test_not_acceptable_406(client: httpx.Client) -> None:
    response = client.get(PHL_PATH, headers={"accept": "application/pdf"})
    assert response.status_code == 406


def test_vary_link_etag_304(client: httpx.Client) -> None:
    checks.vary_link_etag_304(client)


@pytest.mark.parametrize(
    "path",
    [
        '/id/state/PHL"',
        "/id/state/PHL%22",
        "/id/state/PHL}",
        "/id/state/PHL%7D",
        "/id/state/PHL>",
        "/id/state/PHL%3E",
        "/id/state/PHL%3E%20%7D%20UNION%20%7B%20?s%20?p%20?o",
        "/id/..%2f..%2fetc%2fpasswd",
        "/id/%2e%2e/%2e%2e/release.json",
        "/id/state/PHL%",
        "/id/state/PHL%zz",
        "/id/state/\u00e9",
        "/id/",
        "/id/state/PHL\\",
        "/id/state/PHL%00",
    ],
)
def test_injection_attempts_are_404(client: httpx.Client, path: str) -> None:
    checks.injection_attempts_are_404(client, path)


def test_ontology(client: httpx.Client) -> None:
    checks.ontology(client)


def test_hash_iri_resolves_to_ontology_html(client: httpx.Client) -> None:
    checks.hash_iri_resolves_to_ontology_html(client)
