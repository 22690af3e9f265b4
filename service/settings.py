"""Settings of the HTTP service (``vawmw serve``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from service import namespaces


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs to know to start.

    ``extra_graphs`` are (graph IRI, RDF file) pairs served as extra named graphs beside the
    release. The release store stays read-only: when extras are given, each worker process
    copies the release quads and the extra graphs into its own in-memory store and answers
    from that copy (meant for small data: the W3C protocol suite and integration tests).
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
    retry_after: int = 5
    cache_max_age: int = 3600

    @property
    def wait_queue_size(self) -> int:
        """How many requests may wait for a busy pool before the service refuses more."""
        return self.queue_size if self.queue_size is not None else 2 * self.workers
