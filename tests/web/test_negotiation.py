"""Accept parsing and format choice (RFC 9110 §12.5.1: q-values, wildcards, specificity)."""

from __future__ import annotations

import pytest
from vawmw.rdf import formats
from vawmw.web import negotiation as n


def test_parse_accept() -> None:
    ranges = n.parse_accept("text/html;level=1;q=0.7, */*;q=0.1, application/json, bad, q=x")
    assert [(r.type, r.subtype, r.q) for r in ranges] == [
        ("text", "html", 0.7),
        ("*", "*", 0.1),
        ("application", "json", 1.0),
    ]


def test_parse_accept_bad_q_is_zero_and_q_is_clamped() -> None:
    ranges = n.parse_accept("text/csv;q=abc, text/tab-separated-values;q=7")
    assert [r.q for r in ranges] == [0.0, 1.0]


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("application/sparql-results+xml", "xml"),
        ("text/csv;q=0.9, text/tab-separated-values", "tsv"),
        ("text/*;q=0.5, application/sparql-results+json;q=0.4", "csv"),
        ("application/json", "json"),
        ("application/xml", "xml"),
        ("text/*", "csv"),  # the text/xml alias does not capture the wildcard
        ("image/png", None),
        ("application/sparql-results+json;q=0", None),
        ("*/*, application/sparql-results+json;q=0", "xml"),  # the specific q=0 wins
    ],
)
def test_negotiate_results(accept: str | None, expected: str | None) -> None:
    chosen = n.negotiate(accept, formats.RESULTS_FORMATS)
    assert (chosen.name if chosen else None) == expected


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "html"),
        ("application/ld+json, text/turtle;q=0.5", "jsonld"),
        ("application/rdf+xml", "rdfxml"),
        ("application/n-triples", "ntriples"),
        ("text/turtle;q=0.2, text/html;q=0.2", "turtle"),  # ties: server order
        ("application/*", "jsonld"),
    ],
)
def test_negotiate_resources(accept: str, expected: str) -> None:
    chosen = n.negotiate(accept, formats.RESOURCE_FORMATS)
    assert chosen is not None and chosen.name == expected


@pytest.mark.parametrize(
    ("value", "offers", "expected"),
    [
        ("json", formats.RESULTS_FORMATS, "json"),
        ("json", formats.GRAPH_FORMATS, "jsonld"),
        ("xml", formats.GRAPH_FORMATS, "rdfxml"),
        ("csv", formats.RESULTS_FORMATS, "csv"),
        ("TSV", formats.RESULTS_FORMATS, "tsv"),
        ("turtle", formats.GRAPH_FORMATS, "turtle"),
        ("n3", formats.GRAPH_FORMATS, "turtle"),
        ("application/sparql-results+xml", formats.RESULTS_FORMATS, "xml"),
        ("text/turtle", formats.GRAPH_FORMATS, "turtle"),
        ("turtle", formats.RESULTS_FORMATS, None),
        ("pdf", formats.RESULTS_FORMATS, None),
    ],
)
def test_format_parameter(
    value: str, offers: tuple[formats.Format, ...], expected: str | None
) -> None:
    chosen = n.format_from_param(value, offers)
    assert (chosen.name if chosen else None) == expected


def test_content_types_carry_utf8_for_text() -> None:
    assert formats.CSV.content_type == "text/csv; charset=utf-8"
    assert formats.JSON.content_type == "application/sparql-results+json"
    assert formats.NTRIPLES.content_type == "application/n-triples; charset=utf-8"
