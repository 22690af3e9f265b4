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
        "503 without Retry-After (the message says how to make the query cheaper) at about the "
        "timeout or at the memory cap; worker killed; next query succeeds",
        ("tests/query/test_pool.py::test_slow_query_is_killed_with_503",),
    ),
    Case(
        9,
        "Queries",
        "Result above the row cap (or the byte cap)",
        "X-SPARQL-Truncated: true, rows = cap; never silent",
        ("tests/web/test_sparql_protocol.py::test_truncation_is_announced",),
    ),
    Case(
        10,
        "Queries",
        "Missing query, duplicated query, query + update",
        "400",
        ("tests/web/test_sparql_protocol.py::test_multiple_queries_400",),
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
        "503 + Retry-After (429 + Retry-After past one client's share); bounded queue; "
        "server RSS bounded",
        ("tests/query/test_pool.py::test_overload_is_refused_with_retry_after",),
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
        ("tests/query/test_pool.py::test_worker_killed_mid_query",),
    ),
    Case(
        16,
        "Build",
        "Malformed Turtle, SHACL violation, reasoning over budget, write error",
        "non-zero exit naming the file or cause; previous release intact and loadable",
        (
            "tests/build/test_pipeline.py::test_broken_turtle_exits_2_with_file_line_and_column",
            "tests/build/test_pipeline.py::test_shacl_violation_fails_and_names_the_focus_node",
            "tests/build/test_pipeline.py::test_failed_build_leaves_previous_release_intact",
            "tests/build/test_pipeline.py::test_unwritable_output_exits_3_with_the_cause",
            "tests/build/test_pipeline.py::test_write_failure_midway_keeps_previous_release",
            "tests/build/test_pipeline.py::test_runaway_closure_stops_at_the_budget",
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
    Case(
        19,
        "Queries",
        "SERVICE behind escapes the guard misread (ex:a\\#, ex:a\\', \\r line ends), "
        "sent straight to the worker pool with no guard",
        "0 connections reach a loopback listener: workers have no network namespace",
        (
            "tests/query/test_sandbox.py::test_service_on_the_pool_reaches_nothing",
            "tests/query/test_sandbox.py::test_service_over_http_reaches_nothing",
            "tests/query/test_sandbox.py::test_vawmw_query_reaches_nothing",
            "tests/query/test_sandbox.py::test_pool_workers_run_without_network_and_say_so",
            "tests/query/test_guard.py::test_bypasses_of_the_old_guard_are_refused",
            "tests/query/test_guard.py::test_hidden_service_is_refused",
        ),
    ),
    Case(
        20,
        "Queries",
        "64 KiB of a.a.a.… + \\u0041 (the guard's old ReDoS)",
        "the guard's work grows linearly (steps(2n) <= 2.2 steps(n)); 1.3 ms, was 24-30 s",
        (
            "tests/query/test_guard.py::test_the_guard_is_linear",
            "tests/query/test_guard.py::test_the_reported_redos_input_takes_linear_steps",
        ),
    ),
    Case(
        21,
        "Queries",
        "The W3C SPARQL 1.0 and 1.1 query-syntax suites through /sparql",
        "positive: 200, SERVICE 400 by design, an unknown function 400 naming it; negative: 400",
        (
            "tests/web/test_w3c_syntax.py::test_positive_syntax",
            "tests/web/test_w3c_syntax.py::test_negative_syntax",
            "tests/query/test_guard.py::test_an_unsupported_function_is_a_400_naming_it",
        ),
    ),
    Case(
        22,
        "HTTP",
        "Clients that ask for large answers and never read them",
        "server memory bounded by the answer-byte budget (503 + Retry-After past it); "
        "a stalled reader is disconnected after the send timeout",
        (
            "tests/web/test_bounds.py::test_clients_that_never_read_stay_within_the_byte_budget",
            "tests/web/test_bounds.py::test_the_byte_budget_admits_what_fits_and_one_oversized_answer_alone",
            "tests/web/test_bounds.py::test_a_client_that_stops_reading_is_disconnected",
            "tests/web/test_bounds.py::test_html_results_view_is_capped",
        ),
    ),
    Case(
        23,
        "HTTP",
        "One client floods with slow queries while another sends cheap ones",
        "the flooder gets 429 + Retry-After; the other's queries keep getting 200; "
        "a spoofed X-Forwarded-For changes nothing",
        (
            "tests/query/test_fairness.py::test_a_flooding_client_gets_429_while_another_is_served",
            "tests/query/test_fairness.py::test_a_spent_query_time_budget_gives_429_with_the_refill_time",
            "tests/query/test_fairness.py::test_spoofed_forwarded_for_does_not_escape_the_limits",
            "tests/query/test_fairness.py::test_waiting_clients_are_served_round_robin",
        ),
    ),
    Case(
        24,
        "HTTP",
        "Slowloris: partial heads, heads a line at a time, bodies a byte a second",
        "408 and the connection closed after the header or body timeout; oversized heads 414 / 431",
        (
            "tests/web/test_bounds.py::test_a_partial_head_is_closed",
            "tests/web/test_bounds.py::test_a_head_sent_a_line_at_a_time_is_closed",
            "tests/web/test_bounds.py::test_a_body_sent_a_byte_at_a_time_is_closed",
            "tests/web/test_bounds.py::test_head_limits_follow_the_query_cap",
            "tests/web/test_bounds.py::test_requests_beyond_limit_concurrency_get_503_with_retry_after",
        ),
    ),
    Case(
        25,
        "Pages",
        "javascript: and //host IRIs in HTML results and pages",
        "shown as text, never a link; CSP, frame-ancestors and nosniff on every page",
        (
            "tests/web/test_safe_html.py::test_editor_results_never_link_javascript",
            "tests/web/test_safe_html.py::test_editor_results_never_link_another_host",
            "tests/web/test_security_headers.py::test_html_pages_send_the_policy",
            "tests/web/test_security_headers.py::test_every_answer_says_nosniff",
        ),
    ),
    Case(
        26,
        "Pages",
        "A request with Host: evil.example, then an ordinary visitor",
        "no page the visitor gets names evil.example;"
        " trusted hosts and the public URL are settings",
        (
            "tests/web/test_caching.py::test_a_forged_host_never_reaches_another_visitor",
            "tests/web/test_security_headers.py::test_trusted_hosts_refuse_other_hosts",
        ),
    ),
    Case(
        27,
        "HTTP",
        "An Accept header of thousands of ranges",
        "at most 64 ranges or 4 KiB are read, each value parsed once",
        (
            "tests/web/test_accept_bounds.py::test_at_most_64_ranges_are_read",
            "tests/web/test_accept_bounds.py::test_http_406_for_a_type_past_the_bound",
        ),
    ),
    Case(
        28,
        "HTTP",
        "If-None-Match: * on a broken query; RAND(), NOW(), UUID(), BNODE() queries",
        "no 304 unless the query succeeds; Cache-Control: no-store and no ETag when the "
        "answer is not deterministic",
        (
            "tests/web/test_caching.py::test_no_304_for_a_query_that_does_not_parse",
            "tests/web/test_caching.py::test_non_deterministic_answers_are_not_stored",
        ),
    ),
    Case(
        29,
        "HTTP",
        "An editor 503; a client that hangs up mid-body",
        "Retry-After passed through; one info log line, no traceback",
        (
            "tests/web/test_page_defects.py::test_editor_503_passes_retry_after_on",
            "tests/web/test_page_defects.py::test_client_gone_mid_body_is_one_info_line",
        ),
    ),
    Case(
        30,
        "Availability",
        "12 slow queries at a 2 s timeout admitted together (both workers killed at once),"
        " five times, /health and /health/ready polled throughout",
        "/health 200 in every poll (respawning workers are not a failure); a warm spare keeps"
        " at least one live worker; /health/ready 503 only while no worker is idle",
    ),
    Case(
        31,
        "Availability",
        "One of three replicas behind nginx (deploy/run-nginx) SIGKILLed half-way through 20 s"
        " of GET queries at concurrency 8",
        "0 failed requests (nginx retries the dropped ones on another replica); restarted, the"
        " replica takes traffic again",
        ("tests/deploy/test_failover.py::test_killing_a_replica_under_load_fails_no_request",),
    ),
    Case(
        32,
        "Availability",
        "--backend: the store is down; a query runs past our timeout on the store",
        "/health 200, /health/ready 503 with the reason; Virtuoso stops the abandoned query"
        " when we close the connection (Oxigraph server does not: README, External stores)",
        (
            "tests/remote/test_readiness.py::"
            "test_a_store_that_does_not_answer_is_not_ready_but_the_process_is_live",
            "tests/remote/test_readiness.py::test_a_store_that_answers_is_ready",
            "tests/remote/test_readiness.py::test_virtuoso_stops_a_query_we_gave_up_on",
        ),
    ),
)

BY_NUMBER: Final = {case.number: case for case in CASES}
