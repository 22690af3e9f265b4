"""Issue 8, case 17: fuzzing. No answer may be a 5xx, except the designed 503s.

Short here (a few seconds each); ``python bench/fuzz.py`` runs the same tests as a long
campaign by raising ``VAWMW_FUZZ_EXAMPLES``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.core.result import Ok

from tests.reliability.conftest import QUERY_TIMEOUT

Observe = Callable[[str], None]
EXAMPLES = int(os.environ.get("VAWMW_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=os.environ.get("VAWMW_FUZZ_RANDOM") is None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


class Tally:
    """Statuses seen, and the answers that break the rule."""

    def __init__(self) -> None:
        self.statuses: dict[int, int] = {}
        self.bad: list[str] = []

    def check(self, response: httpx.Response, what: str) -> None:
        self.record(response.status_code, "retry-after" in response.headers, what, response.text)

    def record(self, status: int, retry_after: bool, what: str, text: str = "") -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1
        # Designed: busy (with Retry-After), or a query stopped at its time or memory limit
        # (no Retry-After: the message says how to make it cheaper).
        stopped = "make the query cheaper" in text
        designed = status == 503 and (retry_after or stopped)
        if status >= 500 and not designed:
            self.bad.append(f"{status} for {what!r}")

    def summary(self) -> str:
        return ", ".join(f"{n} x {code}" for code, n in sorted(self.statuses.items()))


@pytest.fixture(scope="module")
def http(real_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=real_server, timeout=3 * QUERY_TIMEOUT + 10) as client:
        yield client


# --------------------------------------------------------------------------- SPARQL strings

KEYWORDS = [
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "FILTER", "OPTIONAL", "UNION", "MINUS",
    "GRAPH", "BIND", "VALUES", "SERVICE", "SILENT", "FROM", "NAMED", "LIMIT", "OFFSET",
    "ORDER BY", "GROUP BY", "HAVING", "DISTINCT", "REDUCED", "AS", "EXISTS", "NOT", "IN",
    "PREFIX", "BASE", "INSERT", "DELETE", "LOAD", "CLEAR", "DATA", "a", "REGEX", "STR",
    "CONCAT", "COUNT", "SUM", "IRI", "BNODE", "UUID", "NOW", "SAMPLE", "GROUP_CONCAT",
]  # fmt: skip
TERMS = [
    "?s", "?p", "?o", "?x", "$y", "<https://w3id.org/vawmw/id/state/PHL>", "<file:///etc/passwd>",
    "<http://127.0.0.1:1/>", "<>", "<#x>", "vawmw:State", "rdfs:label", "_:b", "[]", "()",
    '"text"', '"x"@en', '"1"^^xsd:integer', "1", "-1.5e3", "true", "'''long'''", r'"\u0022"',
    r"\u0053ERVICE", "<<( ?s ?p ?o )>>",
]  # fmt: skip
PUNCTUATION = [*"{}()[].;,*+?/|^!=<>&-", "&&", "||", "!=", "<=", "^^", "@en", "#\n", "\n"]
PROLOGUE = (
    "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
)

token = st.one_of(st.sampled_from(KEYWORDS), st.sampled_from(TERMS), st.sampled_from(PUNCTUATION))
sparql_like = st.lists(token, min_size=1, max_size=40).map(" ".join)
shaped = st.builds(
    lambda form, body, tail: f"{PROLOGUE}{form} {{ {body} }} {tail}",
    st.sampled_from(
        ["SELECT *", "SELECT ?s", "ASK", "CONSTRUCT", "DESCRIBE ?s", "SELECT DISTINCT *"]
    ),
    sparql_like,
    st.sampled_from(["", "LIMIT 5", "ORDER BY ?s LIMIT 3", "OFFSET 2", "GROUP BY ?s"]),
)
queries = st.one_of(shaped, sparql_like, st.text(max_size=300))


@pytest.mark.reliability(17)
def test_fuzzed_sparql_never_5xx(http: httpx.Client, observe: Observe) -> None:
    tally = Tally()

    @FUZZ
    @given(query=queries, how=st.sampled_from(["get", "direct", "form"]))
    def probe(query: str, how: str) -> None:
        if how == "get":
            response = http.get("/sparql", params={"query": query})
        elif how == "direct":
            response = http.post(
                "/sparql",
                content=query.encode("utf-8", "surrogatepass"),
                headers={"content-type": "application/sparql-query"},
            )
        else:
            response = http.post("/sparql", data={"query": query})
        tally.check(response, query)

    probe()
    assert tally.bad == []
    observe(f"{sum(tally.statuses.values())} queries: {tally.summary()}")


# --------------------------------------------------------------------------- IRI paths

segment = st.one_of(
    st.sampled_from(["state", "PHL", "..", ".", "%2e%2e", "%2f", "%00", "%", "%zz", "report"]),
    st.text(max_size=20),
)


@pytest.mark.reliability(17)
def test_fuzzed_resource_paths_never_5xx(http: httpx.Client, observe: Observe) -> None:
    tally = Tally()

    @FUZZ
    @given(
        parts=st.lists(segment, min_size=1, max_size=5),
        encode=st.booleans(),
        accept=st.sampled_from(["text/turtle", "text/html", "application/ld+json", "*/*", "x/y"]),
    )
    def probe(parts: list[str], encode: bool, accept: str) -> None:
        path = "/".join(quote(p, safe="%") if encode else quote(p, safe="%/.") for p in parts)
        url = httpx.URL(str(http.base_url).rstrip("/") + "/id/" + path)
        response = http.get(url, headers={"accept": accept})
        tally.check(response, str(url))

    probe()
    assert tally.bad == []
    observe(f"{sum(tally.statuses.values())} paths: {tally.summary()}")


# --------------------------------------------------------------------------- OpenAPI


@pytest.mark.reliability(17)
def test_openapi_schema_fuzzing_never_5xx(real_server: str, observe: Observe) -> None:
    schema = schemathesis.openapi.from_url(real_server + "/openapi.json")
    tally = Tally()
    operations = 0
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operation = result.ok()
        operations += 1

        @FUZZ
        @given(case=operation.as_strategy())
        def probe(case: schemathesis.Case[Any]) -> None:
            response = case.call(base_url=real_server, timeout=3 * QUERY_TIMEOUT + 10)
            headers = {name.lower() for name in response.headers}
            tally.record(response.status_code, "retry-after" in headers, repr(case), response.text)

        probe()
    assert operations >= 5
    assert tally.bad == []
    observe(f"{operations} operations, {sum(tally.statuses.values())} calls: {tally.summary()}")
