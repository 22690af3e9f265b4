"""Settings of the HTTP service (``vawmw serve``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from service import namespaces


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs to know to start.

    Limits (see RELIABILITY.md for the promise they make to clients): ``query_timeout`` seconds
    per query (and as long again at most waiting for a worker), ``max_rows`` rows per answer and
    ``max_result_bytes`` bytes per answer (more is cut and flagged ``X-SPARQL-Truncated``),
    ``max_query_bytes`` per query, ``workers`` queries at once with ``wait_queue_size`` waiting,
    ``worker_memory_mb`` of address space per worker process beyond its stack.

    ``extra_graphs`` are (graph IRI, RDF file) pairs served as extra named graphs beside the
    release. The release store stays read-only: when extras are given, each worker process
    copies the release quads and the extra graphs into its own in-memory store and answers
    from that copy (meant for small data: the W3C protocol suite and integration tests).

    ``backend_url``, when set, is the SPARQL 1.1 query endpoint of an external store that holds
    the release (loaded with ``vawmw load``); jobs then run there (:mod:`service.remote_backend`)
    instead of in worker processes, with the same limits. The manifest still comes from
    ``release_dir``; with a backend, ``extra_graphs`` only name graphs the store already holds.
    """

    release_dir: Path = Path("dist")
    base_iri: str = namespaces.BASE
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    queue_size: int | None = None
    extra_graphs: list[tuple[str, Path]] = field(default_factory=list)
    queries_dir: Path = Path("queries")
    max_query_bytes: int = 64 * 1024
    max_nesting: int = 200
    max_form_fields: int = 20
    max_incoming_links: int = 500
    max_result_bytes: int = 32 * 1024 * 1024
    worker_memory_mb: int | None = 2048
    retry_after: int = 5
    cache_max_age: int = 3600
    backend_url: str | None = None

    @property
    def wait_queue_size(self) -> int:
        """How many requests may wait for a busy pool before the service refuses more."""
        # Measured (BENCHMARKS.md): with 2 x workers, concurrency 8 already drew 60-87 % 503s.
        return self.queue_size if self.queue_size is not None else 8 * self.workers

    @property
    def worker_stack_bytes(self) -> int:
        """Stack of the thread that evaluates queries in a worker.

        The engine recurses over the query tree, at up to about 1 KiB of stack per byte of query
        text (a chain of ``!`` or ``MINUS {}``); 4 KiB per byte of the size cap, between 64 MiB
        and 1 GiB, keeps every query within the cap from overflowing it. It is address space
        reserved, not memory used.
        """
        return min(max(4 * self.max_query_bytes * 1024, 64 * 1024**2), 1024**3)
