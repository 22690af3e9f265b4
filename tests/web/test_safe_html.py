"""Links on the pages: only http(s) IRIs are clickable, and no local path leaves the host.

IRIs reach the pages from the graph and from anyone's query (``IRI("javascript:…")``): a link
to a ``javascript:`` IRI runs script on this origin when clicked, and a path that starts with
``//`` points to another host (``https://w3id.org/vawmw//evil.example/x`` → ``//evil.example/x``).
"""

from __future__ import annotations

import html.parser

import httpx
import pyoxigraph as ox
import pytest
from vawmw.rdf import namespaces as ns
from vawmw.web.pages import layout as pages_html
from vawmw.web.pages.resource import render_resource

JAVASCRIPT_IRI = "javascript:alert(document.domain)"
UNSAFE_IRIS = [
    JAVASCRIPT_IRI,
    "JavaScript:alert(1)",
    "data:text/html,%3Cscript%3Ealert(1)%3C/script%3E",
    "vbscript:msgbox(1)",
    "urn:x-evil:1",
]
# IRIs under the dataset's base whose naive local path would start with // or /\ (another
# host for a browser, which also drops tabs and newlines and reads \ as /).
ESCAPING_IRIS = [
    ns.BASE + "/evil.example/x",
    ns.BASE + "\\evil.example/x",
    ns.BASE + "\t/evil.example/x",
]


class Links(html.parser.HTMLParser):
    """Every link target (``<a href>``, ``<area href>``) of a document."""

    def __init__(self, document: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.feed(document)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("a", "area"):
            self.hrefs.extend(value or "" for name, value in attrs if name == "href")


def unsafe_hrefs(document: str) -> list[str]:
    """hrefs that run script, use another scheme than http(s), or leave for another host."""
    bad = []
    for href in Links(document).hrefs:
        cleaned = href.strip().replace("\t", "").replace("\n", "").replace("\r", "")
        scheme = cleaned.partition(":")[0].lower() if ":" in cleaned.split("/")[0] else ""
        other_scheme = scheme not in ("", "http", "https")
        other_host = cleaned.startswith(("//", "/\\", "\\", "http://evil.", "https://evil."))
        if other_scheme or other_host:
            bad.append(href)
    return bad


# --------------------------------------------------------------------------- service/vawmw/web/pages/layout.py


@pytest.mark.parametrize("iri", UNSAFE_IRIS)
def test_only_http_iris_are_links(iri: str) -> None:
    assert pages_html.iri_href(iri) is None
    shown = pages_html.iri_link(iri)
    assert "<a " not in shown and "href" not in shown
    assert pages_html.esc(iri) in shown  # still shown, as text


@pytest.mark.parametrize("iri", ESCAPING_IRIS)
def test_no_local_path_leaves_the_host(iri: str) -> None:
    href = pages_html.iri_href(iri)
    assert href is not None
    assert not href.replace("\t", "").startswith(("//", "/\\"))
    assert unsafe_hrefs(pages_html.iri_link(iri)) == []


def test_ordinary_links_are_unchanged() -> None:
    assert pages_html.iri_href(ns.ID + "state/PHL") == "/id/state/PHL"
    assert pages_html.iri_href(ns.ID + "a//b") == "/id/a//b"  # a doubled slash further in is fine
    assert pages_html.iri_href("https://example.org/x") == "https://example.org/x"
    assert pages_html.iri_href("http://www.wikidata.org/entity/Q1") == (
        "https://www.wikidata.org/wiki/Q1"
    )


def test_resource_page_shows_unsafe_objects_as_text() -> None:
    subject = ox.NamedNode(ns.ID + "state/PHL")
    see_also = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#seeAlso")
    triples = [ox.Triple(subject, see_also, ox.NamedNode(iri)) for iri in UNSAFE_IRIS]
    triples += [ox.Triple(subject, see_also, ox.NamedNode(ns.BASE + "/evil.example/x"))]
    _, body = render_resource(subject.value, triples, base=ns.BASE)
    assert unsafe_hrefs(body) == []
    assert pages_html.esc(JAVASCRIPT_IRI) in body


# --------------------------------------------------------------------------- the editor's results


@pytest.mark.parametrize(
    "query",
    [
        f'SELECT ?x WHERE {{ BIND(IRI("{JAVASCRIPT_IRI}") AS ?x) }}',
        f'SELECT (IRI("{JAVASCRIPT_IRI}") AS ?x) {{}}',
        f'CONSTRUCT {{ <{ns.ID}s> <{ns.ID}p> ?x }} WHERE {{ BIND(IRI("{JAVASCRIPT_IRI}") AS ?x) }}',
    ],
)
def test_editor_results_never_link_javascript(client: httpx.Client, query: str) -> None:
    response = client.get("/sparql", params={"query": query, "format": "html"})
    assert response.status_code == 200, response.text[:300]
    assert unsafe_hrefs(response.text) == []
    assert "javascript:alert(document.domain)" in response.text  # shown as text


@pytest.mark.parametrize(
    "iri", [ns.BASE + "/evil.example/x", ns.BASE + "id//evil.example/x", ns.BASE + "//evil.example"]
)
def test_editor_results_never_link_another_host(client: httpx.Client, iri: str) -> None:
    query = f'SELECT ?x WHERE {{ BIND(IRI("{iri}") AS ?x) }}'
    response = client.get("/sparql", params={"query": query, "format": "html"})
    assert response.status_code == 200, response.text[:300]
    assert 'href="//' not in response.text
    assert unsafe_hrefs(response.text) == []
