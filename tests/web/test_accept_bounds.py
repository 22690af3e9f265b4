"""Accept parsing is bounded (the first 64 ranges, 4 KiB) and cached per header value.

It runs on the event loop for every request, so its work must not grow with the header: the
proof here counts the media ranges built, never the time taken.
"""

from __future__ import annotations

import itertools

import httpx
import pytest
from vawmw.rdf import formats
from vawmw.web import negotiation

STATES = "SELECT ?s WHERE { ?s a <https://w3id.org/vawmw/ontology#State> }"
RANGES = 64  # the issue: the first 64 ranges are read
CHARS = 4096  # or the first 4 KiB
_unique = itertools.count()


def accept_with(total: int, acceptable_at: int | None, acceptable: str = "text/csv") -> str:
    """``total`` ranges that fit nothing, but ``acceptable`` at index ``acceptable_at``."""
    tag = next(_unique)  # a value never parsed before in this process: no cache hit
    ranges = [f"x{tag}/y{i};q=0.5" for i in range(total)]
    if acceptable_at is not None:
        ranges[acceptable_at] = acceptable
    return ",".join(ranges)


@pytest.fixture
def built(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Every MediaRange the parser builds from now on."""
    made: list[object] = []

    class Counted(negotiation.MediaRange):
        def __init__(self, type: str, subtype: str, q: float) -> None:
            super().__init__(type, subtype, q)
            made.append(self)

    monkeypatch.setattr(negotiation, "MediaRange", Counted)
    return made


def test_at_most_64_ranges_are_read(built: list[object]) -> None:
    ranges = negotiation.parse_accept(accept_with(5_000, None))
    assert len(ranges) == RANGES
    assert len(built) == RANGES


def test_a_type_past_the_bound_is_not_seen(built: list[object]) -> None:
    header = accept_with(5_000, 1_000)
    assert negotiation.negotiate(header, formats.RESULTS_FORMATS) is None
    assert len(built) <= RANGES
    within = accept_with(5_000, 10)
    chosen = negotiation.negotiate(within, formats.RESULTS_FORMATS)
    assert chosen is not None and chosen.name == "csv"


def test_at_most_4_kib_are_read(built: list[object]) -> None:
    # 30 ranges of 200 characters: only those that end within the first 4096 characters count
    tag = next(_unique)
    ranges = [f"x{tag}/" + "y" * 180 + f"{i:03d};q=0.5" for i in range(30)]
    assert all(len(r) >= 190 for r in ranges)
    ranges[25] = "text/csv;" + "a=b;" * 47  # starts past 4096 characters
    header = ",".join(ranges)
    assert header.index("text/csv") > CHARS
    assert negotiation.negotiate(header, formats.RESULTS_FORMATS) is None
    read = negotiation.parse_accept(header)
    assert 1 <= len(read) <= CHARS // 190 + 1
    assert all(r.type == f"x{tag}" and len(r.subtype) == 183 for r in read)  # none read half


def test_a_header_is_parsed_once(built: list[object]) -> None:
    header = accept_with(20, 3)
    first = negotiation.parse_accept(header)
    count = len(built)
    assert count == 20
    for _ in range(5):
        assert negotiation.parse_accept(header) == first
    assert len(built) == count  # later requests with the same header reuse the first parse


def test_cache_stays_bounded(built: list[object]) -> None:
    """Many distinct headers: the cache keeps a bounded number, and the answers stay right."""
    headers = [accept_with(3, 1) for _ in range(negotiation.ACCEPT_CACHE_SIZE + 50)]
    for header in headers:
        chosen = negotiation.negotiate(header, formats.RESULTS_FORMATS)
        assert chosen is not None and chosen.name == "csv"
    built.clear()
    negotiation.parse_accept(headers[0])  # the oldest was evicted: parsed again
    assert len(built) == 3


def test_http_406_for_a_type_past_the_bound(client: httpx.Client) -> None:
    # Short ranges, so that the header stays under the service's 16 KiB cap on header fields.
    ranges = [f"x/{i}" for i in range(1_500)]
    ranges[1_000] = "application/sparql-results+json"
    past = ",".join(ranges)
    assert len(past) < 16 * 1024
    response = client.get("/sparql", params={"query": STATES}, headers={"accept": past})
    assert response.status_code == 406
    ranges[1_000], ranges[5] = ranges[5], "text/csv"
    response = client.get("/sparql", params={"query": STATES}, headers={"accept": ",".join(ranges)})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
