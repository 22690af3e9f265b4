"""The row cap and the byte cap, written once for every backend (vawmw.query.answers)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pyoxigraph as ox
from vawmw.query.answers import (
    boolean_answer,
    fit_to_bytes,
    solutions_answer,
    take,
    triples_answer,
)
from vawmw.rdf.serialize import Term

EX = "http://example.org/"


def test_take_reads_at_most_one_item_past_the_cap() -> None:
    pulled: list[int] = []

    def numbers() -> Iterator[int]:
        for n in range(1_000):
            pulled.append(n)
            yield n

    assert take(numbers(), 3) == ([0, 1, 2], True)
    assert len(pulled) == 4  # the fourth only says "there is more"
    assert take(iter(range(3)), 3) == ([0, 1, 2], False)
    assert take(iter(range(5)), None) == ([0, 1, 2, 3, 4], False)
    assert take(iter(range(5)), 0) == ([], True)


def test_fit_to_bytes_keeps_the_longest_prefix_that_fits() -> None:
    items = [f"item{i:03d}" for i in range(100)]  # 7 bytes each

    def serialize(part: object) -> bytes:
        assert isinstance(part, list)
        return "".join(part).encode()

    body, kept = fit_to_bytes(items, serialize, 100)
    assert len(body) <= 100 and body == serialize(items[:kept])
    assert kept >= 13  # at most one item shorter than the most that fits (14 x 7 = 98)
    assert fit_to_bytes(items, serialize, 10_000) == (serialize(items), 100)
    assert fit_to_bytes(items, serialize, 3) == (b"", 0)


def _rows(n: int) -> list[list[Term | None]]:
    return [[ox.NamedNode(f"{EX}{i}"), ox.Literal(str(i))] for i in range(n)]


def test_a_select_answer_is_cut_at_the_row_cap() -> None:
    result = solutions_answer(["s", "o"], iter(_rows(10)), "json", 4, 10**6)
    bindings = json.loads(result.body)["results"]["bindings"]
    assert [b["o"]["value"] for b in bindings] == ["0", "1", "2", "3"]
    assert (result.rows, result.truncated, result.result_format) == (4, True, "json")
    assert result.media_type == "application/sparql-results+json"
    whole = solutions_answer(["s", "o"], iter(_rows(4)), "csv", 4, 10**6)
    assert (whole.rows, whole.truncated, whole.media_type) == (4, False, "text/csv")


def test_a_select_answer_is_cut_at_the_byte_cap() -> None:
    result = solutions_answer(["s", "o"], iter(_rows(200)), "tsv", None, 2_000)
    assert len(result.body) <= 2_000 and result.truncated and 0 < result.rows < 200
    lines = result.body.decode().splitlines()
    assert len(lines) == result.rows + 1  # the header, then exactly the rows it counts


def test_an_answer_already_cut_by_the_store_is_truncated() -> None:
    result = solutions_answer(["s", "o"], iter(_rows(3)), "json", 10, 10**6, cut=True)
    assert (result.rows, result.truncated) == (3, True)


def test_an_unknown_format_falls_back_per_kind() -> None:
    assert solutions_answer(["s"], iter([]), "turtle", None, 100).result_format == "json"
    triple = ox.Triple(ox.NamedNode(EX + "s"), ox.NamedNode(EX + "p"), ox.Literal("o"))
    graph = triples_answer(iter([triple] * 3), "csv", 2, 10**6)
    assert (graph.result_format, graph.media_type) == ("turtle", "text/turtle")
    assert (graph.rows, graph.truncated) == (2, True)
    store = ox.Store()
    ask = store.query("ASK {}")
    assert isinstance(ask, ox.QueryBoolean)
    answer = boolean_answer(ask, "csv")  # CSV cannot say true or false
    assert (answer.result_format, json.loads(answer.body)["boolean"]) == ("json", True)
