"""From an engine's results to a :class:`JobResult`: the format, the row cap and the byte cap.

Every backend (the worker's embedded store, an external store) builds its answers here, so an
answer is cut the same way everywhere: at most ``max_rows`` rows (the job's cap), then as many
of those as fit in ``max_bytes`` once serialized, and ``truncated`` says when anything was left
out (the routes send ``X-SPARQL-Truncated``). Nothing is ever cut silently.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

import pyoxigraph as ox

from vawmw.query.jobs import JobResult
from vawmw.rdf import formats
from vawmw.rdf.serialize import Term, serialize_solutions, serialize_triples

__all__ = [
    "boolean_answer",
    "fit_to_bytes",
    "graph_answer",
    "solutions_answer",
    "take",
    "triples_answer",
]

T = TypeVar("T")
Row = Sequence[Term | None]


def take(items: Iterable[T], cap: int | None) -> tuple[list[T], bool]:
    """At most ``cap`` of ``items`` (all when None), and whether there were more. Reads at most
    ``cap + 1`` items, so a lazy iterator past the cap is never evaluated."""
    if cap is None:
        return list(items), False
    head = list(itertools.islice(items, cap + 1))
    return head[:cap], len(head) > cap


def fit_to_bytes(
    items: Sequence[T], serialize: Callable[[Sequence[T]], bytes], max_bytes: int
) -> tuple[bytes, int]:
    """Serialize ``items``, dropping trailing items until the answer fits in ``max_bytes``.

    Returns the body and how many items it holds (fewer than ``len(items)`` means truncated).
    """
    count = len(items)
    body = serialize(items)
    while len(body) > max_bytes and count > 0:
        # Scale by the overshoot, and always drop at least one more item.
        count = min(count - 1, int(count * max_bytes / len(body) * 0.95))
        count = max(count, 0)
        body = serialize(items[:count])
    return body, count


def boolean_answer(result: ox.QueryBoolean, format_name: str) -> JobResult:
    """An ASK answer, in JSON or XML (the formats that can say true or false)."""
    fmt = formats.named(format_name, formats.BOOLEAN_FORMATS, formats.JSON)
    results_format = fmt.results_format or ox.QueryResultsFormat.JSON
    body = result.serialize(format=results_format) or b""
    return JobResult(body, fmt.media_type, fmt.name, rows=1)


def solutions_answer(
    variables: Sequence[str],
    rows: Iterable[Row],
    format_name: str,
    max_rows: int | None,
    max_bytes: int,
    cut: bool = False,
    link: str | None = None,
) -> JobResult:
    """A SELECT answer cut at ``max_rows`` and ``max_bytes``; ``cut`` says the rows are already
    incomplete (an external store's answer was longer than was read). A cut answer carries
    ``link`` in its head (JSON and XML), for the clients that never see the headers."""
    fmt = formats.named(format_name, formats.RESULTS_FORMATS, formats.JSON)
    kept_rows, more = take(rows, max_rows)

    def serialize(part: Sequence[Row]) -> bytes:
        cut_here = cut or more or len(part) < len(kept_rows)
        return serialize_solutions(variables, part, fmt, link if cut_here else None)

    body, kept = fit_to_bytes(kept_rows, serialize, max_bytes)
    truncated = cut or more or kept < len(kept_rows)
    return JobResult(body, fmt.media_type, fmt.name, rows=kept, truncated=truncated)


def triples_answer(
    triples: Iterable[ox.Triple],
    format_name: str,
    max_rows: int | None,
    max_bytes: int,
    cut: bool = False,
) -> JobResult:
    """A CONSTRUCT / DESCRIBE answer cut at ``max_rows`` triples and ``max_bytes``."""
    fmt = formats.named(format_name, formats.GRAPH_FORMATS, formats.TURTLE)
    kept_triples, more = take(triples, max_rows)
    body, kept = fit_to_bytes(kept_triples, lambda part: serialize_triples(part, fmt), max_bytes)
    truncated = cut or more or kept < len(kept_triples)
    return JobResult(body, fmt.media_type, fmt.name, rows=kept, truncated=truncated)


def graph_answer(triples: Sequence[ox.Triple], format_name: str, rows: int) -> JobResult:
    """A whole graph or a resource description, never cut; ``rows`` is what it counts (0 means
    there is nothing to say: the routes answer 404)."""
    fmt = formats.named(format_name, formats.GRAPH_FORMATS, formats.TURTLE)
    return JobResult(serialize_triples(triples, fmt), fmt.media_type, fmt.name, rows=rows)
