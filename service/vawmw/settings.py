"""Settings of the HTTP service (``vawmw serve``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vawmw.release import layout


@dataclass(frozen=True)
class ServiceSettings:
    """Everything the service needs to know to start.

    Limits (see RELIABILITY.md for the promise they make to clients): ``query_timeout`` seconds
    per query (and as long again at most waiting for a worker), ``max_rows`` rows per answer and
    ``max_result_bytes`` bytes per answer (more is cut and flagged ``X-SPARQL-Truncated``),
    ``max_query_bytes`` per query, ``workers`` queries at once with ``wait_queue_size`` waiting,
    ``worker_memory_mb`` of address space per worker process beyond its stack. ``spare_workers``
    more processes stand by, warm, to take the place of a killed one (they never raise how many
    queries run at once).

    ``extra_graphs`` are (graph IRI, RDF file) pairs served as extra named graphs beside the
    release. The release store stays read-only: when extras are given, each worker process
    copies the release quads and the extra graphs into its own in-memory store and answers
    from that copy (meant for small data: the W3C protocol suite and integration tests).

    ``backend_url``, when set, is the SPARQL 1.1 query endpoint of an external store that holds
    the release (loaded with ``vawmw load``); jobs then run there (:mod:`vawmw.remote.backend`)
    instead of in worker processes, with the same limits. The manifest still comes from
    ``release_dir``; with a backend, ``extra_graphs`` only name graphs the store already holds.

    Per connection, per client and in total (RELIABILITY.md, "What each status means"):

    * ``trusted_proxies``: addresses or networks (``10.0.0.0/8``) of reverse proxies whose
      ``X-Forwarded-For`` / ``X-Forwarded-Proto`` are believed. Default none: the client is
      the peer address, and any forwarded header is ignored.
    * A client (one IPv4 address, one IPv6 /64) may have ``client_max_running`` queries
      running (default ``client_running_limit``: half the workers, at least one, so that one
      client never holds every worker) and ``client_max_waiting`` more waiting; it may use
      ``client_query_seconds`` of query time per ``client_window_seconds`` (a token bucket
      refilled continuously). Over either: 429 with ``Retry-After``. Waiting clients are
      served round-robin.
    * ``max_bytes_in_flight``: answer bytes the main process holds until they are sent, over
      all connections; a new answer beyond it gets 503 with ``Retry-After``.
    * ``send_timeout``: a connection whose send makes no progress for this many seconds (the
      client stopped reading) is closed and its answer dropped.
    * ``limit_concurrency``: requests in progress (and open connections) before 503 with
      ``Retry-After``; connections beyond twice that are closed at once.
    * ``header_timeout``: seconds for a request head to arrive whole (from the connection's
      start or the end of the previous answer); ``body_timeout``: seconds for the whole body
      after the head. Past either the connection gets 408 and is closed.
    * ``html_max_rows`` / ``html_max_bytes``: what the editor's HTML results view shows at
      most (long values shortened, a link to the full results).

    Pages (RELIABILITY.md, "Pages"; :mod:`vawmw.web.security`):

    * ``public_url``: the service's address for clients (``https://kg.example.org``, an
      absolute http(s) URL). The service description, the editor and the base IRI of queries
      use it, never the request's ``Host``. Default none: those URLs are built from the
      request, and their ETags then name its origin. Cached pages link relatively either way.
    * ``trusted_hosts``: the ``Host`` values accepted (``kg.example.org``,
      ``*.example.org``); any other gets 400. Default ``("*",)``: any host.
    """

    release_dir: Path = Path("dist")
    host: str = "127.0.0.1"
    port: int = 8000
    query_timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 2
    # HTTP processes sharing the listening socket (vawmw.web.serving), each with its own pool.
    http_workers: int = 1
    # Answer the jobs that provably cannot run long in the HTTP process (vawmw.query.inprocess),
    # when it could drop its network; False sends every job to the pool.
    in_process: bool = True
    # Warm processes beyond ``workers`` (vawmw.query.pool): a killed worker's place is taken
    # at once, so a kill never leaves the pool with no worker ready.
    spare_workers: int = 1
    queue_size: int | None = None
    extra_graphs: list[tuple[str, Path]] = field(default_factory=list)
    queries_dir: Path = Path(layout.QUERIES_DIR_NAME)
    max_query_bytes: int = 64 * 1024
    max_nesting: int = 200
    max_form_fields: int = 20
    max_incoming_links: int = 500
    max_result_bytes: int = 32 * 1024 * 1024
    worker_memory_mb: int | None = 2048
    retry_after: int = 5
    cache_max_age: int = 3600
    backend_url: str | None = None
    # -- per connection, per client and in total (RELIABILITY.md, "Bounds") --------------
    trusted_proxies: tuple[str, ...] = ()
    client_max_running: int | None = None
    client_max_waiting: int = 4
    client_query_seconds: float = 60.0
    client_window_seconds: float = 60.0
    max_bytes_in_flight: int = 128 * 1024 * 1024
    send_timeout: float = 30.0
    limit_concurrency: int = 200
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    html_max_rows: int = 1000
    html_max_bytes: int = 1024 * 1024
    # -- pages (RELIABILITY.md, "Pages") --------------------------------------------------
    public_url: str | None = None
    trusted_hosts: tuple[str, ...] = ("*",)

    @property
    def wait_queue_size(self) -> int:
        """How many requests may wait for a busy pool before the service refuses more."""
        # Measured (BENCHMARKS.md): with 2 x workers, concurrency 8 already drew 60-87 % 503s.
        return self.queue_size if self.queue_size is not None else 8 * self.workers

    @property
    def client_running_limit(self) -> int:
        """Queries one client may have running at once."""
        if self.client_max_running is not None:
            return self.client_max_running
        return max(1, self.workers // 2)  # one client never takes every worker

    @property
    def worker_stack_bytes(self) -> int:
        """Stack of the thread that evaluates queries in a worker.

        The engine recurses over the query tree, at up to about 1 KiB of stack per byte of query
        text (a chain of ``!`` or ``MINUS {}``); 4 KiB per byte of the size cap, between 64 MiB
        and 1 GiB, keeps every query within the cap from overflowing it. It is address space
        reserved, not memory used.
        """
        return min(max(4 * self.max_query_bytes * 1024, 64 * 1024**2), 1024**3)
