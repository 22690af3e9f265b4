"""The jobs a query backend answers, and the answer it gives.

Jobs are plain frozen dataclasses of strings and numbers: they cross process boundaries (the
worker pool pickles them) and reach external stores (:mod:`vawmw.remote.backend`). Formats are
named by :attr:`vawmw.rdf.formats.Format.name`; the backend serializes the answer itself, so
:attr:`JobResult.body` is ready to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = [
    "DescribeJob",
    "ErrorKind",
    "GraphJob",
    "Job",
    "JobResult",
    "QueryJob",
]

# Why a job failed inside the backend (the HTTP layer maps each to a status): the query is
# malformed ("syntax"), asks for something refused ("bad_request") or unknown to the engine
# ("unsupported"); the engine failed ("engine"); or the query needs more than a worker may use
# ("resources").
ErrorKind = Literal["syntax", "bad_request", "unsupported", "engine", "resources"]


@dataclass(frozen=True)
class QueryJob:
    """A SPARQL query from a client; ``result_format`` names a ``vawmw.rdf.formats.Format``."""

    query: str
    result_format: str
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    union_default_graph: bool = True
    max_rows: int | None = None
    base_iri: str | None = None


@dataclass(frozen=True)
class DescribeJob:
    """The description of one resource: its triples, labels around it, incoming links."""

    iri: str
    result_format: str
    incoming_limit: int = 500


@dataclass(frozen=True)
class GraphJob:
    """A whole named graph of the release (e.g. the ontology)."""

    graph: str
    result_format: str


@dataclass(frozen=True)
class JobResult:
    """A serialized answer, or an error (:data:`ErrorKind`) the HTTP layer maps to a status."""

    body: bytes = b""
    media_type: str = ""
    result_format: str = ""
    rows: int = 0
    truncated: bool = False
    error: ErrorKind | None = None
    message: str = ""


Job = QueryJob | DescribeJob | GraphJob
