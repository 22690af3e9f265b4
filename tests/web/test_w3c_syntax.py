"""The W3C SPARQL 1.0 and 1.1 query syntax suites, sent to ``/sparql`` of the running service.

A positive syntax test must get 200, or one of the designed refusals: 400 for ``SERVICE`` (the
service is not federated), and 400 naming the function for a call the engine cannot evaluate.
A negative syntax test must get 400, except where Oxigraph's parser is known to accept it
(``UPSTREAM_ACCEPTS``, an expected failure with its reason). Update syntax tests are skipped:
the service is read-only, and its refusal of updates is tested elsewhere. Never a 500.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib.collection import Collection
from vawmw.settings import ServiceSettings

from tests.conftest import live_server

SUITES = Path(__file__).resolve().parents[2].parent / "shared" / "w3c-sparql-syntax"
if not SUITES.is_dir():
    pytest.skip(f"the W3C SPARQL syntax suites are not at {SUITES}", allow_module_level=True)

MF = rdflib.Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
FEDERATION_SUITE = "syntax-fed"

# Negative tests that Oxigraph's parser accepts, with the reason.
UPSTREAM_ACCEPTS = {
    "syntax-sparql3/syn-bad-26.rq": (
        "Oxigraph reads 'FILTER (?x<?a&&?b>?y)' as two comparisons; by the longest-match rule "
        "of the SPARQL tokenizer '<?a&&?b>' is an IRI, which makes the query invalid"
    ),
}
# Positive tests that call a function the engine does not have, and that function (as the
# tests' prefixes expand it).
UNSUPPORTED_FUNCTIONS = {
    "syntax-sparql1/syntax-expr-05.rq": "<http://example.org/ns#myFunc>",
    "syntax-sparql1/syntax-order-05.rq": "<http://example.org/ns#func>",
    "syntax-sparql1/syntax-order-06.rq": "<http://example.org/ns#func2>",
    "syntax-sparql2/syntax-function-01.rq": "<http://example.org/name>",
    "syntax-sparql2/syntax-function-02.rq": "<http://example.org/name>",
    "syntax-sparql2/syntax-function-03.rq": "<http://example.org/name>",
    "syntax-sparql2/syntax-function-04.rq": "<http://example.org/name>",
    "syntax-query/syntax-select-expr-04.rq": "<http://example/function>",
}


class UpstreamAccepts(Exception):
    """A negative syntax test answered 200 because Oxigraph's parser accepts it."""


@dataclass(frozen=True)
class SyntaxTest:
    name: str  # "<suite folder>/<query file>"
    kind: str  # the manifest's test type, e.g. PositiveSyntaxTest11
    path: Path

    @property
    def positive(self) -> bool:
        return self.kind.startswith("Positive")


def _syntax_tests() -> list[SyntaxTest]:
    tests: list[SyntaxTest] = []
    for manifest in sorted(SUITES.rglob("manifest.ttl")):
        graph = rdflib.Graph().parse(manifest, format="turtle")
        for entries in graph.objects(None, MF.entries):
            for test in Collection(graph, entries):
                kind = str(graph.value(test, rdflib.RDF.type)).rsplit("#", 1)[-1]
                action = Path(str(graph.value(test, MF.action)).removeprefix("file://"))
                tests.append(SyntaxTest(f"{manifest.parent.name}/{action.name}", kind, action))
    return tests


def _params(positive: bool) -> list[object]:
    params: list[object] = []
    for test in TESTS:
        if test.positive != positive:
            continue
        marks: list[pytest.MarkDecorator] = []
        if "Update" in test.kind:
            marks.append(pytest.mark.skip(reason="the service is read-only"))
        if test.name in UPSTREAM_ACCEPTS:
            reason = UPSTREAM_ACCEPTS[test.name]
            marks.append(pytest.mark.xfail(raises=UpstreamAccepts, strict=True, reason=reason))
        params.append(pytest.param(test, id=test.name, marks=marks))
    return params


TESTS = _syntax_tests()


@pytest.fixture(scope="module")
def endpoint(settings: ServiceSettings) -> Iterator[httpx.Client]:
    with live_server(settings) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http


def _send(endpoint: httpx.Client, test: SyntaxTest) -> httpx.Response:
    return endpoint.post(
        "/sparql",
        content=test.path.read_bytes(),
        headers={"Content-Type": "application/sparql-query"},
    )


def test_the_suites_are_there() -> None:
    positive = [test for test in TESTS if test.positive]
    assert len(positive) > 200
    assert len(TESTS) - len(positive) > 70
    names = {test.name for test in TESTS}
    assert set(UPSTREAM_ACCEPTS) <= names
    assert set(UNSUPPORTED_FUNCTIONS) <= names


@pytest.mark.parametrize("test", _params(positive=True))
def test_positive_syntax(endpoint: httpx.Client, test: SyntaxTest) -> None:
    response = _send(endpoint, test)
    if test.name in UNSUPPORTED_FUNCTIONS:
        assert response.status_code == 400, response.text
        assert f"the function {UNSUPPORTED_FUNCTIONS[test.name]} " in response.text
    elif test.name.startswith(FEDERATION_SUITE + "/"):
        assert response.status_code == 400, response.text
        assert "SERVICE" in response.text
    else:
        assert response.status_code == 200, response.text


@pytest.mark.parametrize("test", _params(positive=False))
def test_negative_syntax(endpoint: httpx.Client, test: SyntaxTest) -> None:
    response = _send(endpoint, test)
    if response.status_code == 200 and test.name in UPSTREAM_ACCEPTS:
        raise UpstreamAccepts(UPSTREAM_ACCEPTS[test.name])
    assert response.status_code == 400, response.text
