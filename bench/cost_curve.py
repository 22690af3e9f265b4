"""The cost curve: load time, disk, memory and query latency from 10 k to 10 M triples.

    python bench/cost_curve.py [--sizes 10k 1M 10M] [--backends embedded oxigraph-server virtuoso]
                               [--release DIST] [--work DIR] [--json FILE]
                               [--benchmarks BENCHMARKS.md] [--query-budget 20]

For each size, bench/generate.py writes that many synthetic triples merged with the real release
(``DIST``, built first when missing), and each backend gets, in one run:

* ``embedded``        -- pyoxigraph ``Store(path).bulk_load`` into an on-disk store (what
                         ``vawmw build`` does), in a child process; then the query mix through
                         pyoxigraph directly, in another child process opening the store
                         read-only (as the service's workers do);
* ``oxigraph-server`` -- ``oxigraph serve`` (PyPI ``oxigraph``), loaded over HTTP by
                         ``vawmw.remote.loader`` (``vawmw load``: Graph Store PUT, then POST
                         batches);
* ``virtuoso``        -- Virtuoso 7 (Debian ``virtuoso-opensource``), loaded the same way, with
                         NumberOfBuffers sized for the data (the packaged 10,000 buffers are 80 MB).

Measured: load time (and triples per second), store size on disk (allocated blocks; Virtuoso
after a checkpoint), peak RSS of the loading process and of the serving process (``ru_maxrss``
of the embedded children, ``VmHWM`` of the servers), and p50 / p99 latency of a query mix --
two of whose queries scan all the data (``aggregate``, ``regex``) and three of which touch a
bounded part of it (``point``, ``join``, ``optional-order``). External stores are queried over
plain SPARQL HTTP (JSON results, parsed), the embedded store through pyoxigraph (solutions
materialized). Each query runs warm: 3 untimed runs, then up to 200 timed runs (bounded ones)
or 20 (scans), within ``--query-budget`` seconds each. Query parameters rotate over the
synthetic reports so no two consecutive runs ask the same thing.

``--through-service`` also runs the same mix through our HTTP service, for each size and
backend: ``vawmw serve`` (``python -m vawmw.cli serve``, 2 workers) on loopback, asked by
HTTP POST to ``/sparql`` (form-encoded, JSON results, parsed; one request at a time, same run
counts), with ``--query-timeout`` 120 s and ``--max-rows`` 1,000,000 so no scan is cut. The
embedded store is served from a release directory made beside it (its ``store/`` a link to the
bulk-loaded store, a ``release.json`` giving the merged graphs' sizes); an external store is
served with ``--release DIST --backend QUERY_URL`` once loaded. A truncated or failed answer
stops that backend's service measurement.

``--benchmarks`` rewrites the part of that file between ``<!-- cost-curve:start -->`` and
``<!-- cost-curve:end -->`` (creating the file or the markers when missing) with the tables.
Servers, stores and generated files live under ``--work`` (a temporary directory by default)
and are removed at the end unless ``--keep``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

REPO: Final = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "service"), str(REPO)]

import httpx  # noqa: E402
import pyoxigraph as ox  # noqa: E402
from vawmw.rdf.namespaces import GRAPH_DATA, GRAPH_INFERRED, ID, PREFIXES, VAWMW  # noqa: E402
from vawmw.remote import client as remote  # noqa: E402
from vawmw.remote import loader  # noqa: E402
from vawmw.testing.processes import peak_rss_bytes as peak_rss  # noqa: E402
from vawmw.testing.service import ServiceStartError, served_process  # noqa: E402
from vawmw.testing.stores import (  # noqa: E402
    StoreServer,
    StoreUnavailableError,
    running_oxigraph,
    running_virtuoso,
)

from bench.generate import generate, parse_size  # noqa: E402
from bench.sections import write_section  # noqa: E402

START: Final = "<!-- cost-curve:start -->"
END: Final = "<!-- cost-curve:end -->"
BACKENDS: Final = ("embedded", "oxigraph-server", "virtuoso")
QUERIES: Final = ("point", "join", "optional-order", "aggregate", "regex")
SCANS: Final = ("aggregate", "regex")
BATCH: Final = 50_000
HTTP_TIMEOUT: Final = 900.0
SERVICE_QUERY_TIMEOUT: Final = 120.0
SERVICE_MAX_ROWS: Final = 1_000_000
SERVICE_START_TIMEOUT: Final = 120.0


# -- the query mix -----------------------------------------------------------------------------


def query_text(name: str, report: int) -> str:
    """One query of the mix, with its parameter drawn from synthetic report ``report``."""
    key = f"SYN-{report:05d}"
    v, prov, dct, rdfs = VAWMW, PREFIXES["prov"], PREFIXES["dcterms"], PREFIXES["rdfs"]
    rdf_type = PREFIXES["rdf"] + "type"
    if name == "point":
        n = 1 + report % 15
        subject = f"{ID}statistic/{key}/{4 + n % 6}-{n}"
        return f"SELECT ?g ?p ?o WHERE {{ GRAPH ?g {{ <{subject}> ?p ?o }} }}"
    if name == "join":
        return f"""SELECT ?measure ?state ?name ?work WHERE {{
  GRAPH <{GRAPH_DATA}> {{
    ?para <{dct}isPartOf> <{ID}report/{key}> .
    ?measure <{prov}wasDerivedFrom> ?para ; <{rdf_type}> <{v}StateMeasure> ;
             <{v}isReportedBy> ?state .
    ?state <{rdfs}label> ?name }}
  GRAPH <{GRAPH_INFERRED}> {{ ?measure <{v}citesWork> ?work }} }}"""
    if name == "optional-order":
        return f"""SELECT ?statistic ?value ?year WHERE {{
  GRAPH <{GRAPH_DATA}> {{
    ?para <{dct}isPartOf> <{ID}report/{key}> .
    ?statistic <{prov}wasDerivedFrom> ?para ; <{rdf_type}> <{v}Statistic> ;
               <{v}hasNumericValue> ?value .
    OPTIONAL {{ ?statistic <{v}hasReferenceYear> ?year }} }} }}
ORDER BY DESC(?value) LIMIT 10"""
    if name == "aggregate":
        return f"""SELECT ?type (COUNT(?measure) AS ?n) WHERE {{
  GRAPH <{GRAPH_DATA}> {{ ?measure <{v}hasMeasureType> ?type }} }}
GROUP BY ?type ORDER BY DESC(?n)"""
    if name == "regex":
        word = ("traffick", "shelter", "hotline", "inspector")[report % 4]
        return f"""SELECT (COUNT(*) AS ?n) WHERE {{
  GRAPH <{GRAPH_DATA}> {{ ?m <{rdf_type}> <{v}StateMeasure> ; <{rdfs}label> ?label }}
  FILTER(REGEX(?label, "{word}", "i")) }}"""
    raise ValueError(name)


def measure_mix(run: Callable[[str], int], reports: int, budget: float) -> dict[str, Latency]:
    """Time every query of the mix with ``run`` (which returns the number of result rows)."""
    rng = random.Random(11)
    usable = max(1, reports - 1)  # the last report may be cut short
    out: dict[str, Latency] = {}
    for name in QUERIES:
        keys = [rng.randrange(usable) for _ in range(256)]
        for key in keys[:3]:
            run(query_text(name, key))
        limit = 20 if name in SCANS else 200
        samples: list[float] = []
        rows: list[int] = []
        started = time.perf_counter()
        for key in keys[3 : 3 + limit]:
            text = query_text(name, key)
            before = time.perf_counter()
            rows.append(run(text))
            samples.append((time.perf_counter() - before) * 1000)
            if time.perf_counter() - started > budget:
                break
        out[name] = Latency.of(samples, rows)
    return out


@dataclass
class Latency:
    runs: int
    p50_ms: float
    p99_ms: float
    rows_median: float

    @classmethod
    def of(cls, samples: list[float], rows: list[int]) -> Latency:
        ordered = sorted(samples)
        p99 = ordered[min(len(ordered) - 1, math.ceil(0.99 * len(ordered)) - 1)]
        return cls(len(samples), statistics.median(samples), p99, statistics.median(rows))


@dataclass
class Result:
    size: str
    synthetic: int
    triples: int
    backend: str
    load_seconds: float | None = None
    disk_bytes: int | None = None
    load_rss_bytes: int | None = None
    serve_rss_bytes: int | None = None
    latency: dict[str, Latency] = field(default_factory=dict)
    service_latency: dict[str, Latency] = field(default_factory=dict)
    note: str = ""


# -- measuring processes -----------------------------------------------------------------------


def disk_usage(path: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(path):
        for name in files:
            with_stat = Path(root) / name
            if with_stat.is_file() and not with_stat.is_symlink():
                total += with_stat.stat().st_blocks * 512
    return total


def self_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def child(*args: str) -> dict[str, object]:
    """Run this script's hidden subcommand in a fresh interpreter; return its JSON answer."""
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")
    answer: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return answer


def embedded_load(nquads: str, store_dir: str) -> None:
    started = time.perf_counter()
    store = ox.Store(store_dir)
    store.bulk_load(path=nquads, format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds = time.perf_counter() - started
    count = len(store)
    del store
    print(json.dumps({"seconds": seconds, "rss": self_rss(), "quads": count}))


def embedded_queries(store_dir: str, reports: int, budget: float) -> None:
    store = ox.Store.read_only(store_dir)

    def run(text: str) -> int:
        result = store.query(text)
        rows = 0
        assert isinstance(result, ox.QuerySolutions)
        for solution in result:
            for variable in result.variables:
                solution[variable]
            rows += 1
        return rows

    mix = measure_mix(run, reports, budget)
    print(json.dumps({"latency": {k: asdict(v) for k, v in mix.items()}, "rss": self_rss()}))


def http_runner(client: remote.SparqlClient, endpoint: str) -> Callable[[str], int]:
    def run(text: str) -> int:
        document = client.query(endpoint, text).json()
        results = document["results"]
        assert isinstance(results, dict)
        return len(results["bindings"])

    return run


# -- through our HTTP service ------------------------------------------------------------------


class ServiceError(RuntimeError):
    """``vawmw serve`` did not start, or answered a query with an error or a cut answer."""


@contextlib.contextmanager
def running_service(
    release_dir: Path, log_path: Path, backend_url: str | None = None
) -> Iterator[str]:
    """``vawmw serve`` on a free loopback port; yields its SPARQL endpoint URL."""
    options = [
        *("--query-timeout", str(SERVICE_QUERY_TIMEOUT)),
        *("--max-rows", str(SERVICE_MAX_ROWS)),
        # One client times the mix; its per-client time budget must not run out mid-run.
        *("--client-query-seconds", "1000000"),
    ]
    if backend_url:
        options += ["--backend", backend_url]
    serving = served_process(
        release_dir, *options, root=REPO, log_path=log_path, start_timeout=SERVICE_START_TIMEOUT
    )
    try:
        with serving as served:
            yield served.url + "/sparql"
    except ServiceStartError as error:
        raise ServiceError(str(error)) from error


def service_runner(http: httpx.Client, endpoint: str) -> Callable[[str], int]:
    def run(text: str) -> int:
        answer = http.post(
            endpoint,
            data={"query": text},
            headers={"Accept": "application/sparql-results+json"},
        )
        if answer.status_code != 200:
            raise ServiceError(f"HTTP {answer.status_code}: {answer.text[:300]}")
        if answer.headers.get("X-SPARQL-Truncated"):
            raise ServiceError("answer truncated (X-SPARQL-Truncated)")
        results = answer.json()["results"]
        assert isinstance(results, dict)
        return len(results["bindings"])

    return run


def measure_service(
    result: Result,
    release_dir: Path,
    log_path: Path,
    reports: int,
    budget: float,
    backend_url: str | None = None,
) -> None:
    """The query mix through ``vawmw serve``; a failure goes to the result's note."""
    try:
        with (
            running_service(release_dir, log_path, backend_url) as endpoint,
            httpx.Client(timeout=SERVICE_QUERY_TIMEOUT + 30) as http,
        ):
            result.service_latency = measure_mix(service_runner(http, endpoint), reports, budget)
    except (ServiceError, httpx.HTTPError) as error:
        result.note += f"; through vawmw serve failed: {error}"[:300]


def embedded_release(release: Path, store_dir: Path, graphs: dict[str, int], out: Path) -> Path:
    """A release directory serving ``store_dir``: its manifest names the merged graphs."""
    out.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    manifest["graphs"] = graphs
    manifest["release_id"] = f"cost-curve-{out.name}"
    manifest["files"] = {}  # no dumps beside this store; only /sparql is measured
    (out / "release.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    link = out / "store"
    if not link.exists():
        link.symlink_to(store_dir.resolve(), target_is_directory=True)
    return out


# -- one backend at one size -------------------------------------------------------------------


def bench_embedded(
    result: Result, nquads: Path, store_dir: Path, reports: int, budget: float, queries: bool
) -> None:
    loaded = child("_embedded-load", str(nquads), str(store_dir))
    result.load_seconds = float(str(loaded["seconds"]))
    result.load_rss_bytes = int(str(loaded["rss"]))
    result.disk_bytes = disk_usage(store_dir)
    if not queries:
        return
    served = child("_embedded-queries", str(store_dir), str(reports), str(budget))
    latency = served["latency"]
    assert isinstance(latency, dict)
    result.latency = {name: Latency(**values) for name, values in latency.items()}
    result.serve_rss_bytes = int(str(served["rss"]))


def bench_server(
    result: Result,
    server: StoreServer,
    source: Path,
    graphs: dict[str, int],
    reports: int,
    budget: float,
    settle: Callable[[], None] = lambda: None,
    service: tuple[Path, Path] | None = None,
) -> None:
    """Load ``server`` from ``source``, then time the mix; ``service`` = (release, log) also
    times it through ``vawmw serve --backend`` on that server."""
    store = ox.Store.read_only(str(source))
    with remote.SparqlClient(HTTP_TIMEOUT) as client:
        started = time.perf_counter()
        report = loader.load_store(store, graphs, server.target(), client, BATCH)
        result.load_seconds = time.perf_counter() - started
        methods = sorted({load.method for load in report.graphs})
        result.note = f"loaded by {', '.join(methods)}"
        settle()
        result.load_rss_bytes = peak_rss(server.pid)
        result.disk_bytes = disk_usage(server.data_dir)
        result.latency = measure_mix(http_runner(client, server.query_endpoint), reports, budget)
    result.serve_rss_bytes = peak_rss(server.pid)
    del store
    if service is not None:
        measure_service(result, *service, reports, budget, server.query_endpoint)


def virtuoso_checkpoint(server: StoreServer) -> Callable[[], None]:
    def settle() -> None:
        ini = (server.data_dir / "virtuoso.ini").read_text()
        port = next(
            line.split("=")[1].strip()
            for line in ini.splitlines()
            if line.startswith("ServerPort") and ":" not in line
        )
        subprocess.run(
            ["isql-vt", port, "dba", "dba", "exec=checkpoint;"],
            capture_output=True,
            timeout=600,
            check=True,
        )

    return settle


def virtuoso_buffers(triples: int) -> int:
    """8 kB buffers: about 100 bytes per triple, at least the packaged 10,000, at most 4 GB."""
    return max(10_000, min(500_000, triples * 100 // 8192))


# -- the run -----------------------------------------------------------------------------------


def run(args: argparse.Namespace) -> list[Result]:
    work = Path(args.work or tempfile.mkdtemp(prefix="cost-curve-"))
    work.mkdir(parents=True, exist_ok=True)
    release = args.release
    if not (release / "release.json").is_file():
        subprocess.run(
            [sys.executable, "-m", "vawmw.cli", "build", "--out", str(release)],
            cwd=REPO,
            check=True,
        )
    results: list[Result] = []
    try:
        for size_text in args.sizes:
            size = parse_size(size_text)
            nquads = work / f"synthetic-{size_text}.nq"
            sidecar = generate(size, release, nquads)
            graphs = sidecar["graphs"]
            assert isinstance(graphs, dict)
            reports = int(str(sidecar["reports"]))
            triples = sum(graphs.values())
            log(f"{size_text}: {triples} triples in {nquads} ({reports} synthetic reports)")
            store_dir = work / f"embedded-{size_text}"
            # The embedded store is built first at every size: it is also the loader's source.
            embedded = Result(size_text, size, triples, "embedded")
            started = time.perf_counter()
            try:
                bench_embedded(
                    embedded,
                    nquads,
                    store_dir,
                    reports,
                    args.query_budget,
                    queries="embedded" in args.backends,
                )
            except RuntimeError as error:
                embedded.note = f"failed: {error}"[:300]
            if (
                "embedded" in args.backends
                and args.through_service
                and embedded.latency
                and store_dir.is_dir()
            ):
                served_from = embedded_release(
                    release, store_dir, graphs, work / f"release-{size_text}"
                )
                measure_service(
                    embedded,
                    served_from,
                    work / f"serve-embedded-{size_text}.log",
                    reports,
                    args.query_budget,
                )
            if "embedded" in args.backends:
                results.append(embedded)
                log(f"  embedded: {time.perf_counter() - started:.0f} s {summary(embedded)}")
            for backend in args.backends:
                if backend == "embedded" or not store_dir.is_dir():
                    continue
                result = Result(size_text, size, triples, backend)
                results.append(result)
                started = time.perf_counter()
                service = (
                    (release, work / f"serve-{backend}-{size_text}.log")
                    if args.through_service
                    else None
                )
                try:
                    if backend == "oxigraph-server":
                        with running_oxigraph(work / f"oxigraph-{size_text}") as server:
                            bench_server(
                                result,
                                server,
                                store_dir,
                                graphs,
                                reports,
                                args.query_budget,
                                service=service,
                            )
                    else:
                        buffers = virtuoso_buffers(triples)
                        with running_virtuoso(work / f"virtuoso-{size_text}", buffers) as server:
                            bench_server(
                                result,
                                server,
                                store_dir,
                                graphs,
                                reports,
                                args.query_budget,
                                virtuoso_checkpoint(server),
                                service,
                            )
                        result.note += f"; NumberOfBuffers {buffers}"
                except (StoreUnavailableError, loader.LoadError, remote.RemoteError) as error:
                    result.note = f"failed: {error}"[:300]
                log(f"  {backend}: {time.perf_counter() - started:.0f} s {summary(result)}")
                if args.json:
                    save_json(args.json, results)
            nquads.unlink(missing_ok=True)
            if not args.keep:
                for leftover in work.glob(f"*-{size_text}"):
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover, ignore_errors=True)
                    else:
                        leftover.unlink(missing_ok=True)
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)
    return results


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def summary(result: Result) -> str:
    point = result.latency.get("point")
    served = result.service_latency.get("point")
    through = f", through serve {served.p50_ms:.2f} ms" if served else ""
    return (
        f"load {result.load_seconds or 0:.1f} s, disk {mb(result.disk_bytes)} MB, "
        f"rss {mb(result.load_rss_bytes)}/{mb(result.serve_rss_bytes)} MB, "
        f"point p50 {point.p50_ms if point else float('nan'):.2f} ms{through} {result.note}"
    )


def save_json(path: Path, results: list[Result]) -> None:
    path.write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n", encoding="utf-8")


# -- the tables --------------------------------------------------------------------------------


def mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1e6:,.0f}"


def ms(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:,.0f}"


def ratio(now: float | None, before: float | None) -> str:
    if now is None or before is None or before <= 0:
        return ""
    return f" (x{now / before:.1f})"


def markdown(results: list[Result], command: str) -> str:
    sizes = list(dict.fromkeys(r.size for r in results))
    by = {(r.size, r.backend): r for r in results}
    backends = list(dict.fromkeys(r.backend for r in results))
    lines = [
        "## Cost curve: 10 k to 10 M triples",
        "",
        f"`{command}` — {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, pyoxigraph {ox.__version__}. Data: bench/generate.py's "
        "synthetic reports merged with the real release. (xn) is the ratio to the row of the "
        "size before it. The first latency table is of the query alone: the embedded store "
        "through pyoxigraph in-process, the external stores through plain SPARQL HTTP. "
        + (
            "The second is the same mix through our HTTP service (`vawmw serve`, "
            "`--through-service`)."
            if any(r.service_latency for r in results)
            else "Run with `--through-service` for the same mix through `vawmw serve`."
        ),
        "",
        "| size (total triples) | backend | load s | triples/s | disk MB "
        "| peak RSS load / serve MB |",
        "|---|---|--:|--:|--:|--:|",
    ]
    for backend in backends:
        previous: Result | None = None
        for size in sizes:
            r = by.get((size, backend))
            if r is None:
                continue
            rate = f"{r.triples / r.load_seconds:,.0f}" if r.load_seconds else "-"
            load = f"{r.load_seconds:,.1f}" if r.load_seconds is not None else "-"
            before = previous or Result("", 0, 0, "")
            lines.append(
                f"| {size} ({r.triples:,}) | {backend} | {load}"
                f"{ratio(r.load_seconds, before.load_seconds)} | {rate} | "
                f"{mb(r.disk_bytes)}{ratio(r.disk_bytes, before.disk_bytes)} | "
                f"{mb(r.load_rss_bytes)} / {mb(r.serve_rss_bytes)}"
                f"{ratio(r.serve_rss_bytes, before.serve_rss_bytes)} |"
            )
            previous = r
    lines += [
        "",
        "p50 / p99 latency in ms (runs per cell: up to 200 for the bounded queries, 20 for the "
        "scans; with fewer than 100 runs p99 is the slowest run):",
        "",
        "| size | backend | " + " | ".join(QUERIES) + " |",
        "|---|---|" + "--:|" * len(QUERIES),
    ]
    for backend in backends:
        for size in sizes:
            r = by.get((size, backend))
            if r is None or not r.latency:
                continue
            cells = [
                f"{ms(r.latency[q].p50_ms)} / {ms(r.latency[q].p99_ms)}" if q in r.latency else "-"
                for q in QUERIES
            ]
            lines.append(f"| {size} | {backend} | " + " | ".join(cells) + " |")
    lines += service_table(results, sizes, backends, by)
    notes = [f"- {r.size} {r.backend}: {r.note}" for r in results if r.note]
    if notes:
        lines += ["", *notes]
    lines += [
        "",
        "Queries: `point` all quads of one statistic (GRAPH ?g); `join` the measures of one "
        "report with their State's label and the works they cite (data ⋈ inferred graph); "
        "`optional-order` one report's statistics, OPTIONAL reference year, ORDER BY value "
        "LIMIT 10; `aggregate` measures per measure type over all the data; `regex` a "
        "case-insensitive REGEX over every measure's label (COUNT).",
    ]
    return "\n".join(lines) + "\n"


def service_table(
    results: list[Result],
    sizes: list[str],
    backends: list[str],
    by: dict[tuple[str, str], Result],
) -> list[str]:
    """p50 / p99 through ``vawmw serve``, with the ratio of its p50 to the direct p50."""
    if not any(r.service_latency for r in results):
        return []
    lines = [
        "",
        "Through `vawmw serve` (HTTP POST /sparql, form-encoded, JSON results parsed; one "
        "request at a time; same queries and run counts): p50 / p99 in ms, and (xn) the "
        "service's p50 over the direct p50 of the same run — the cost of our layer:",
        "",
        "| size | backend | " + " | ".join(QUERIES) + " |",
        "|---|---|" + "--:|" * len(QUERIES),
    ]
    for backend in backends:
        for size in sizes:
            r = by.get((size, backend))
            if r is None or not r.service_latency:
                continue
            cells = []
            for q in QUERIES:
                served, direct = r.service_latency.get(q), r.latency.get(q)
                if served is None:
                    cells.append("-")
                    continue
                times = f"{ms(served.p50_ms)} / {ms(served.p99_ms)}"
                if direct is not None and direct.p50_ms > 0:
                    times += f" (x{served.p50_ms / direct.p50_ms:.1f})"
                cells.append(times)
            lines.append(f"| {size} | {backend} | " + " | ".join(cells) + " |")
    return lines


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_embedded-load":
        embedded_load(argv[1], argv[2])
        return 0
    if argv and argv[0] == "_embedded-queries":
        embedded_queries(argv[1], int(argv[2]), float(argv[3]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sizes", nargs="+", default=["10k", "1M", "10M"])
    parser.add_argument("--backends", nargs="+", choices=BACKENDS, default=list(BACKENDS))
    parser.add_argument("--release", type=Path, default=REPO / "dist")
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep stores and generated files")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--benchmarks", type=Path, default=None, help="e.g. BENCHMARKS.md")
    parser.add_argument("--query-budget", type=float, default=20.0, help="seconds per query")
    parser.add_argument(
        "--through-service",
        action="store_true",
        help="also time the query mix through `vawmw serve` (HTTP POST /sparql)",
    )
    args = parser.parse_args(argv)
    results = run(args)
    if args.json:  # also when only the embedded store ran (saved per backend otherwise)
        save_json(args.json, results)
    command = "python bench/cost_curve.py " + " ".join(argv)
    section = markdown(results, command.strip())
    print(section)
    if args.benchmarks:
        write_section(args.benchmarks, START, END, section)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
