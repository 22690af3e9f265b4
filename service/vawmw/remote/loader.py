"""``vawmw load``: push a built release's named graphs into an existing SPARQL 1.1 store.

Each named graph of the release is *replaced* in the target store, so loading twice leaves the
same triples as loading once:

* Graph Store Protocol first (when a ``--graph-store`` URL is given): ``PUT ?graph=G`` with the
  first batch as N-Triples, ``POST ?graph=G`` with each further batch. A 415 is retried once as
  ``text/turtle`` (N-Triples is Turtle).
* SPARQL Update otherwise, or when the Graph Store is unavailable or refused (no connection, 401,
  403, 404, 405, 413, 415, 501): ``DROP SILENT GRAPH <G>``, then ``INSERT DATA`` in batches. A
  batch the server rejects (400, 413) is split in halves and sent again, down to 64 triples.

Batches never split the triples that share a blank node: blank node labels are scoped to one
request, so a split would turn one blank node into two. After loading, the triples of every graph
are counted through the query endpoint and compared with the release's manifest.

The triples are read from the release's Oxigraph store (``dist/store``), or from
``dist/vawmw.nq`` when there is no store.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import pyoxigraph as ox
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from vawmw.rdf import formats
from vawmw.release.layout import MANIFEST_NAME, NQUADS_NAME, STORE_DIR_NAME
from vawmw.remote import client as remote

DEFAULT_BATCH_SIZE: Final = 5_000
MIN_SPLIT: Final = 64  # a rejected INSERT of this many triples or fewer is an error, not a size
GRAPH_STORE: Final = "graph-store"
UPDATE: Final = "update"

# Errors of the Graph Store after which SPARQL Update is tried instead.
_GSP_FALLBACK: Final = (
    remote.EndpointUnreachableError,
    remote.PermissionDeniedError,
    remote.OperationUnsupportedError,
    remote.PayloadTooLargeError,
    remote.UnsupportedMediaTypeError,
)

ProgressCallback = Callable[[str, int], None]


class LoadError(Exception):
    """Loading stopped; the message names the graph, the HTTP status and the server's words."""

    def __init__(self, message: str, graph: str | None = None) -> None:
        super().__init__(message)
        self.graph = graph


@dataclass(frozen=True)
class Target:
    """Where to load: the query endpoint, and optionally an update endpoint and a graph store."""

    query_endpoint: str
    update_endpoint: str | None = None
    graph_store: str | None = None

    @property
    def update_url(self) -> str:
        return self.update_endpoint or self.query_endpoint


@dataclass(frozen=True)
class GraphLoad:
    graph: str
    triples: int
    method: str
    requests: int
    seconds: float


@dataclass
class LoadReport:
    graphs: list[GraphLoad] = field(default_factory=list)
    fallback_reason: str | None = None
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def triples(self) -> int:
        return sum(load.triples for load in self.graphs)


@dataclass(frozen=True)
class ReleaseSource:
    """The graphs to load (IRI -> triples, from the manifest) and a store holding them."""

    graphs: dict[str, int]
    store: ox.Store
    description: str


def open_release(directory: Path) -> ReleaseSource:
    """Read ``release.json`` and open the release's store (or parse ``vawmw.nq``)."""
    manifest_path = directory / MANIFEST_NAME
    if not manifest_path.is_file():
        raise LoadError(
            f"no release in {directory}: {MANIFEST_NAME} is missing (run `vawmw build`)"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    graphs = {str(iri): int(size) for iri, size in manifest["graphs"].items()}
    if (directory / STORE_DIR_NAME).is_dir():
        store = ox.Store.read_only(str(directory / STORE_DIR_NAME))
        return ReleaseSource(graphs, store, str(directory / STORE_DIR_NAME))
    dump = directory / NQUADS_NAME
    if not dump.is_file():
        raise LoadError(f"{directory} holds neither {STORE_DIR_NAME}/ nor {NQUADS_NAME}")
    store = ox.Store()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    return ReleaseSource(graphs, store, str(dump))


def graph_triples(store: ox.Store, graph: str) -> Generator[ox.Triple, None, None]:
    """The triples of ``graph``, streamed. Close the generator on the thread that made it
    (:func:`contextlib.closing`): it holds a pyoxigraph ``QuadIter``, which may not be dropped
    on another thread, and a failed load's traceback would otherwise keep it alive until some
    thread's garbage collection drops it ("QuadIter is unsendable, but is being dropped on
    another thread")."""
    for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
        yield ox.Triple(quad.subject, quad.predicate, quad.object)


def batches(triples: Iterable[ox.Triple], size: int) -> Iterator[list[ox.Triple]]:
    """Cut ``triples`` into lists of about ``size``, keeping blank-node-connected triples together.

    Triples without a blank node stream through; those with one are held back, grouped by the
    connected components of their blank nodes and packed last (a component larger than ``size``
    makes one batch of its own).
    """
    if size < 1:
        raise ValueError("the batch size must be at least 1")
    plain: list[ox.Triple] = []
    parent: dict[str, str] = {}
    held: list[tuple[str, ox.Triple]] = []

    def find(label: str) -> str:
        root = label
        while parent[root] != root:
            root = parent[root]
        while parent[label] != root:
            parent[label], label = root, parent[label]
        return root

    for triple in triples:
        nodes = [t.value for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if not nodes:
            plain.append(triple)
            if len(plain) >= size:
                yield plain
                plain = []
            continue
        for label in nodes:
            parent.setdefault(label, label)
        if len(nodes) == 2:
            first, second = find(nodes[0]), find(nodes[1])
            if first != second:
                parent[second] = first
        held.append((nodes[0], triple))

    components: dict[str, list[ox.Triple]] = {}
    for label, triple in held:
        components.setdefault(find(label), []).append(triple)
    current = plain
    for component in components.values():
        if current and len(current) + len(component) > size:
            yield current
            current = []
        current.extend(component)
        if len(current) >= size:
            yield current
            current = []
    if current:
        yield current


def n_triples(triples: list[ox.Triple]) -> bytes:
    return "".join(f"{triple} .\n" for triple in triples).encode("utf-8")


def insert_data(graph: str, triples: list[ox.Triple]) -> str:
    """``INSERT DATA``; or ``INSERT {…} WHERE {}`` when a blank node occurs.

    Both give each blank node label one fresh node for the whole request. Virtuoso 7 refuses
    blank nodes in ``INSERT DATA`` ("not allowed in a constant clause") but takes the template.
    """
    body = "".join(f"  {triple} .\n" for triple in triples)
    if any(
        isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples
    ):
        return f"INSERT {{ GRAPH <{graph}> {{\n{body}}} }} WHERE {{}}"
    return f"INSERT DATA {{ GRAPH <{graph}> {{\n{body}}} }}"


class Loader:
    """Loads graphs into one target; remembers when the Graph Store had to be given up."""

    def __init__(
        self,
        target: Target,
        client: remote.SparqlClient,
        batch_size: int = DEFAULT_BATCH_SIZE,
        on_progress: ProgressCallback = lambda _graph, _triples: None,
    ) -> None:
        self.target = target
        self.client = client
        self.batch_size = batch_size
        self.on_progress = on_progress
        self.report = LoadReport()
        self._use_graph_store = target.graph_store is not None
        self._content_type = formats.NTRIPLES.media_type
        self._insert_limit = batch_size  # lowered when the server rejects a batch as too big
        self._touched: set[str] = set()  # graphs that some request has already changed

    def load_graph(self, graph: str, triples: Iterable[ox.Triple]) -> GraphLoad:
        """Replace ``graph`` in the target by ``triples``."""
        started = time.perf_counter()
        graph_store = self.target.graph_store if self._use_graph_store else None
        if graph_store is not None:
            try:
                sent, requests = self._load_graph_store(graph_store, graph, triples)
            except _GSP_FALLBACK as error:
                self._use_graph_store = False
                self.report.fallback_reason = (
                    f"the Graph Store was not usable, so SPARQL Update is used instead: {error}"
                )
                # ``triples`` may be half spent: the caller retries with a fresh iterator.
                raise _Retry from error
            method = GRAPH_STORE
        else:
            sent, requests = self._load_update(graph, triples)
            method = UPDATE
        load = GraphLoad(graph, sent, method, requests, time.perf_counter() - started)
        self.report.graphs.append(load)
        return load

    def _load_graph_store(
        self, graph_store: str, graph: str, triples: Iterable[ox.Triple]
    ) -> tuple[int, int]:
        sent = requests = 0
        for batch in _at_least_one(batches(triples, self.batch_size)):
            body = n_triples(batch)
            write = self.client.put_graph if requests == 0 else self.client.post_graph
            try:
                try:
                    write(graph_store, graph, body, self._content_type)
                except remote.UnsupportedMediaTypeError:
                    if self._content_type == formats.TURTLE.media_type:
                        raise
                    self._content_type = formats.TURTLE.media_type
                    write(graph_store, graph, body, self._content_type)
            except _GSP_FALLBACK:
                raise
            except remote.RemoteError as error:
                raise self._error(graph, error) from error
            self._touched.add(graph)
            requests += 1
            sent += len(batch)
            self.on_progress(graph, len(batch))
        return sent, requests

    def _load_update(self, graph: str, triples: Iterable[ox.Triple]) -> tuple[int, int]:
        url = self.target.update_url
        try:
            self.client.update(url, f"DROP SILENT GRAPH <{graph}>")
        except remote.RemoteError as error:
            raise self._error(graph, error) from error
        self._touched.add(graph)
        sent = 0
        requests = 1
        for batch in batches(triples, self.batch_size):
            chunks = (
                [batch] if len(batch) <= self._insert_limit else batches(batch, self._insert_limit)
            )
            for chunk in chunks:
                try:
                    requests += self._insert(url, graph, chunk)
                except remote.RemoteError as error:
                    raise self._error(graph, error) from error
                sent += len(chunk)
        return sent, requests

    def _insert(self, url: str, graph: str, batch: list[ox.Triple]) -> int:
        """INSERT DATA one batch; halve it while the server rejects it as too big (400, 413).

        Virtuoso's SPARQL parser, for one, runs out of stack on a few thousand triples in one
        request ("SP030: ... memory exhausted") and answers 400.
        """
        try:
            self.client.update(url, insert_data(graph, batch))
        except (remote.RequestRejectedError, remote.PayloadTooLargeError):
            if len(batch) <= MIN_SPLIT:
                raise
            halves = list(batches(batch, len(batch) // 2))
            if len(halves) < 2:
                raise
            self._insert_limit = min(self._insert_limit, len(batch) // 2)
            return sum(self._insert(url, graph, half) for half in halves)
        self.on_progress(graph, len(batch))
        return 1

    def _error(self, graph: str, error: remote.RemoteError) -> LoadError:
        state = (
            "it is partly loaded now; run the load again to replace it"
            if graph in self._touched
            else "it was not changed"
        )
        return LoadError(f"graph <{graph}> failed ({state}): {error}", graph)


class _Retry(Exception):
    """Internal: the Graph Store was given up; load this graph again with SPARQL Update."""


def _at_least_one(chunks: Iterator[list[ox.Triple]]) -> Iterator[list[ox.Triple]]:
    """An empty graph still gets one (empty) PUT, which clears it."""
    empty = True
    for chunk in chunks:
        empty = False
        yield chunk
    if empty:
        yield []


def load_store(
    source: ox.Store,
    graphs: Mapping[str, int],
    target: Target,
    client: remote.SparqlClient,
    batch_size: int = DEFAULT_BATCH_SIZE,
    on_progress: ProgressCallback = lambda _graph, _triples: None,
    on_graph: Callable[[str], None] = lambda _graph: None,
    verify: bool = True,
) -> LoadReport:
    """Replace each of ``graphs`` in ``target`` by its triples in ``source``; then count them."""
    loader = Loader(target, client, batch_size, on_progress)
    for graph in graphs:
        on_graph(graph)
        try:
            with closing(graph_triples(source, graph)) as triples:
                loader.load_graph(graph, triples)
        except _Retry:
            on_graph(graph)  # starts again from zero, by SPARQL Update
            with closing(graph_triples(source, graph)) as triples:
                loader.load_graph(graph, triples)
    report = loader.report
    report.counts = count_graphs(client, target.query_endpoint, graphs)
    if verify:
        wrong = {g: (report.counts[g], n) for g, n in graphs.items() if report.counts[g] != n}
        if wrong:
            lines = "; ".join(
                f"<{g}> has {have} triples, the release {want}" for g, (have, want) in wrong.items()
            )
            raise LoadError(f"the store does not hold the release after loading: {lines}")
    return report


def count_graphs(
    client: remote.SparqlClient, query_endpoint: str, graphs: Iterable[str]
) -> dict[str, int]:
    """Triples per named graph, counted by the store."""
    counts: dict[str, int] = {}
    for graph in graphs:
        try:
            rows = client.select(
                query_endpoint,
                f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}",
            )
        except remote.RemoteError as error:
            raise LoadError(f"counting the triples of <{graph}> failed: {error}", graph) from error
        counts[graph] = int(rows[0]["n"]) if rows and "n" in rows[0] else 0
    return counts


def load_release(
    release_dir: Path,
    target: Target,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = remote.DEFAULT_TIMEOUT,
    on_progress: ProgressCallback = lambda _graph, _triples: None,
    on_graph: Callable[[str], None] = lambda _graph: None,
) -> LoadReport:
    """Load every named graph of the release in ``release_dir`` into ``target``."""
    source = open_release(release_dir)
    with remote.SparqlClient(timeout) as client:
        return load_store(
            source.store, source.graphs, target, client, batch_size, on_progress, on_graph
        )


def load_with_progress(
    release_dir: Path,
    target: Target,
    console: Console,
    batch_size: int = DEFAULT_BATCH_SIZE,
    timeout: float = remote.DEFAULT_TIMEOUT,
) -> LoadReport:
    """:func:`load_release` with a rich progress bar per graph and a summary table."""
    source = open_release(release_dir)
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[str, TaskID] = {
            graph: progress.add_task(_short(graph), total=size)
            for graph, size in source.graphs.items()
        }

        def on_graph(graph: str) -> None:
            progress.reset(tasks[graph], total=source.graphs[graph])

        def on_progress(graph: str, triples: int) -> None:
            progress.advance(tasks[graph], triples)

        with remote.SparqlClient(timeout) as client:
            report = load_store(
                source.store,
                source.graphs,
                target,
                client,
                batch_size,
                on_progress=on_progress,
                on_graph=on_graph,
            )
    if report.fallback_reason:
        console.print(Text(report.fallback_reason, style="yellow"), soft_wrap=True)
    table = Table(title=f"loaded {source.description} into {target.query_endpoint}")
    for column in ("graph", "method", "requests", "triples sent", "triples in store", "seconds"):
        table.add_column(column, justify="left" if column in ("graph", "method") else "right")
    for load in report.graphs:
        table.add_row(
            _short(load.graph),
            load.method,
            str(load.requests),
            str(load.triples),
            str(report.counts.get(load.graph, "?")),
            f"{load.seconds:.2f}",
        )
    console.print(table)
    return report


def _short(graph: str) -> str:
    return graph.rstrip("/").rsplit("/", 1)[-1]
