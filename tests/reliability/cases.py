"""The cases of issue 8 (hostile input), as RELIABILITY.md's table lists them.

Each test of ``tests/reliability/`` carries ``@pytest.mark.reliability(N)`` and may record what
it saw with the ``observe`` fixture; ``bench/reliability_table.py`` runs them (and the tests
named in ``ALSO``, which live elsewhere) and writes the table from the JUnit XML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Case:
    number: int
    area: str
    title: str
    expected: str
    also: tuple[str, ...] = ()  # node ids of tests outside tests/reliability that cover it


CASES: Final = (
    Case(1, "Queries", "Malformed SPARQL", "400 with line and column; no trace, no path"),
    Case(
        2,
        "Queries",
        "Update as update=, sparql-update body, or inside query=",
        "403 (400 with query=); store and dumps unchanged",
    ),
    Case(
        3,
        "Queries",
        "SERVICE in any form (lowercase, SILENT, variable, \\u0053 escape)",
        "400; zero requests reach a loopback listener",
    ),
    Case(
        4,
        "Queries",
        "FROM / FROM NAMED <file:///etc/passwd> or <http://127.0.0.1:…>",
        "evaluated over an empty graph; no file content; zero outbound requests",
    ),
    Case(
        5,
        "Queries",
        "Query over the size cap (GET, POST, lying Content-Length, chunked)",
        "414 (GET) / 413 (POST) before the body is read",
    ),
    Case(6, "Queries", "10,000 nested { or ( (and long operator chains)", "400; server alive"),
    Case(
        7,
        "Queries",
        "Catastrophic or huge REGEX",
        "finishes or times out; /health answers meanwhile (< 1 s)",
    ),
    Case(
        8,
        "Queries",
        "Cartesian product, (<p>|!<p>)* path on a large graph, a string-doubling memory bomb",
        "503 + Retry-After at about the timeout; worker killed; next query succeeds",
        ("tests/test_workers.py::test_slow_query_is_killed_with_503",),
    ),
    Case(
        9,
        "Queries",
        "Result above the row cap (or the byte cap)",
        "X-SPARQL-Truncated: true, rows = cap; never silent",
        ("tests/test_sparql_protocol.py::test_truncation_is_announced",),
    ),
    Case(
        10,
        "Queries",
        "Missing query, duplicated query, query + update",
        "400",
        ("tests/test_sparql_protocol.py::test_multiple_queries_400",),
    ),
    Case(11, "Queries", "Accept that fits nothing; */*", "406; */* gives the default format"),
    Case(
        12,
        "HTTP",
        "100,000 form fields, a 10 MB field, pathological Content-Type / multipart boundary",
        "fast 413 / 400 / 415; Starlette and python-multipart limits hold",
    ),
    Case(
        13,
        "HTTP",
        "More concurrent slow queries than workers",
        "503 + Retry-After; bounded queue; server RSS bounded",
        ("tests/test_workers.py::test_overload_is_refused_with_retry_after",),
    ),
    Case(
        14,
        "HTTP",
        "Linked-data paths: unknown IRI, ..%2f, odd Unicode, injection characters",
        "404 (400 when HTTP itself refuses the request line), never 500",
    ),
    Case(
        15,
        "HTTP",
        "Worker SIGKILLed mid-query",
        "503 for that request; pool respawns; next query succeeds",
        ("tests/test_workers.py::test_worker_killed_mid_query",),
    ),
    Case(
        16,
        "Build",
        "Malformed Turtle, SHACL violation, reasoning over budget, write error",
        "non-zero exit naming the file or cause; previous release intact and loadable",
        (
            "tests/test_release.py::test_broken_turtle_exits_2_with_file_line_and_column",
            "tests/test_release.py::test_shacl_violation_fails_and_names_the_focus_node",
            "tests/test_release.py::test_failed_build_leaves_previous_release_intact",
            "tests/test_release.py::test_unwritable_output_exits_3_with_the_cause",
            "tests/test_release.py::test_write_failure_midway_keeps_previous_release",
            "tests/test_release.py::test_runaway_closure_stops_at_the_budget",
        ),
    ),
    Case(
        17,
        "Fuzzing",
        "schemathesis on the OpenAPI schema; hypothesis SPARQL and IRI paths",
        "no 5xx except the designed 503",
    ),
    Case(
        18,
        "Load",
        "bench/load.py: 60 s, concurrency 32, query mix",
        "no errors beyond designed 503; RSS at the end within 20 % of the start",
    ),
)

BY_NUMBER: Final = {case.number: case for case in CASES}
