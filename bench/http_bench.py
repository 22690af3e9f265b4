"""HTTP benchmark of the vawmw-kg SPARQL service against its peers, all on loopback.

    python bench/http_bench.py [--release DIST] [--duration 5] [--runs 3] [--concurrency 1 8]
                               [--json results.json] [--markdown results.md]
                               [--benchmarks BENCHMARKS.md]

Without --release the release is built first (``vawmw build`` into a scratch directory). Then
these servers are started over the same data, each on a free loopback port:

* ``vawmw``          -- ``vawmw serve --workers 2`` (this repository's service);
* ``vawmw-2http``    -- the same with ``--http-workers 2 --workers 1`` (two HTTP processes);
* ``vawmw-pool``     -- the same with ``--no-in-process`` (every query on the pool; not default);
* ``nginx+static``   -- ``deploy/run-nginx RELEASE PORT``: prebuilt linked data, dereference only
                        (default when the script exists);
* ``vawmw+nginx``    -- the same service behind nginx with ``deploy/nginx.conf`` (proxy_cache);
* ``vawmw-queue32``  -- the service with a wait queue of 32 (diagnostic, not default; only at
                        concurrency > 1);
* ``oxigraph``       -- ``oxigraph serve-read-only --union-default-graph`` over the dump;
* ``rdflib-endpoint``-- ``rdflib-endpoint serve`` over the dump (RDFLib in-memory store);
* ``plain-fastapi``  -- bench/plain_fastapi.py: FastAPI calling pyoxigraph in-process.

Every workload is checked once on every server (status 200, same number of result rows), then
measured with wrk: for each run, workload and concurrency the servers are measured back to back,
so a ratio between two servers compares numbers taken within seconds of each other. Each cell
reports the median over the runs of successful requests per second and wrk's p50 / p99 latency.
Every run is bounded (``--duration`` seconds) and every server is stopped at the end.
``--benchmarks`` rewrites the part of that file between ``<!-- http-bench:start -->`` and
``<!-- http-bench:end -->`` (creating the file or the markers when missing) with the tables.

Needs ``wrk`` and ``nginx`` (Debian packages) and the PyPI packages ``oxigraph`` (the CLI) and
``rdflib-endpoint`` in the same environment as the service.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Final

_ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(_ROOT / "service"), str(_ROOT)]

from vawmw.testing.service import free_port, serve_command, stop_group  # noqa: E402

from bench.sections import write_section  # noqa: E402

REPO: Final = Path(__file__).resolve().parent.parent
BIN: Final = Path(sys.executable).parent
STATE_IRI: Final = "https://w3id.org/vawmw/id/state/PHL"
PROLOGUE: Final = (
    "PREFIX vawmw: <https://w3id.org/vawmw/ontology#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
)
SPARQL_JSON: Final = "application/sparql-results+json"
FORM: Final = "application/x-www-form-urlencoded"

OURS: Final = "vawmw"
OURS_2HTTP: Final = "vawmw-2http"
OURS_POOL: Final = "vawmw-pool"
NGINX: Final = "vawmw+nginx"
QUEUE32: Final = "vawmw-queue32"
STATIC: Final = "nginx+static"
OXIGRAPH: Final = "oxigraph"
RDFLIB: Final = "rdflib-endpoint"
PLAIN: Final = "plain-fastapi"
SERVERS: Final = (OURS, OURS_2HTTP, OURS_POOL, NGINX, QUEUE32, STATIC, OXIGRAPH, RDFLIB, PLAIN)
OUR_VARIANTS: Final = (OURS, OURS_2HTTP)
DEREFERENCING: Final = frozenset({OURS, OURS_2HTTP, OURS_POOL, NGINX, QUEUE32, STATIC})
STATIC_ONLY: Final = frozenset({STATIC})  # serves linked data only: no SPARQL without upstreams
MIX: Final = ("join", "regex", "aggregate", "optional")
SPARQL_WORKLOADS: Final = ("point", "join", "regex", "aggregate", "optional", "repeated")
START: Final = "<!-- http-bench:start -->"
END: Final = "<!-- http-bench:end -->"


# --------------------------------------------------------------------------- workloads


@dataclass(frozen=True)
class Workload:
    """One kind of request; ``query`` None means a dereference of ``path``."""

    name: str
    title: str
    query: str | None
    method: str = "POST"
    path: str = ""
    accept: str = SPARQL_JSON


AGGREGATE_QUERY: Final = (
    PROLOGUE + "SELECT ?state (COUNT(DISTINCT ?measure) AS ?measures) WHERE {\n"
    "  ?measure a vawmw:StateMeasure ; vawmw:isReportedBy ?state .\n"
    "} GROUP BY ?state ORDER BY DESC(?measures) ?state"
)

WORKLOADS: Final = (
    Workload(
        "point",
        "point lookup: every triple of one State (PHL)",
        f"SELECT ?p ?o WHERE {{ <{STATE_IRI}> ?p ?o }}",
    ),
    Workload(
        "join",
        "3-way join: State measures with their State's and category's labels",
        PROLOGUE + "SELECT ?measure ?stateLabel ?categoryLabel WHERE {\n"
        "  ?measure vawmw:isReportedBy ?state ; vawmw:hasCategory ?category .\n"
        "  ?state vawmw:hasIsoAlpha3Code ?iso ; rdfs:label ?stateLabel .\n"
        "  ?category skos:prefLabel ?categoryLabel .\n}",
    ),
    Workload(
        "regex",
        "REGEX filter over every label",
        PROLOGUE + "SELECT ?s ?label WHERE {\n"
        '  ?s rdfs:label ?label FILTER(REGEX(STR(?label), "domestic|traffick", "i"))\n}',
    ),
    Workload("aggregate", "GROUP BY / COUNT: measures per reporting State", AGGREGATE_QUERY),
    Workload(
        "optional",
        "OPTIONAL + ORDER BY + LIMIT: risk statements with their stage",
        PROLOGUE + "SELECT ?statement ?risk ?stage WHERE {\n"
        "  ?statement a vawmw:RiskStatement ; vawmw:describesRisk ?risk .\n"
        "  OPTIONAL { ?statement vawmw:concernsStage ?stage }\n"
        "} ORDER BY ?statement ?risk ?stage LIMIT 25",
    ),
    Workload(
        "deref",
        "dereference GET /id/state/PHL (Accept: text/turtle)",
        None,
        method="GET",
        path="/id/state/PHL",
        accept="text/turtle",
    ),
    Workload(
        "repeated",
        "the same cacheable GET ?query= (the aggregate) again and again",
        AGGREGATE_QUERY,
        method="GET",
    ),
)


# --------------------------------------------------------------------------- servers


@dataclass
class Server:
    """A started server: where its SPARQL endpoint is, and the process that runs it."""

    name: str
    base: str
    sparql_path: str
    process: subprocess.Popen[bytes]
    log: Path

    def request_path(self, workload: Workload) -> str:
        if workload.query is None:
            return workload.path
        if workload.method == "GET":
            return self.sparql_path + "?" + urllib.parse.urlencode({"query": workload.query})
        return self.sparql_path

    def serves(self, workload: Workload) -> bool:
        if self.name in STATIC_ONLY:
            return workload.query is None
        return workload.query is not None or self.name in DEREFERENCING


class Fleet:
    """Starts servers in their own process groups and always stops them."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.servers: dict[str, Server] = {}

    def start(
        self,
        name: str,
        command: Sequence[str],
        port: int,
        sparql_path: str,
        *,
        env: dict[str, str] | None = None,
        ready_path: str | None = None,
    ) -> Server:
        log = self.workdir / f"{name}.log"
        with log.open("wb") as out:
            process = subprocess.Popen(
                list(command),
                cwd=REPO,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, **(env or {})},
                start_new_session=True,  # its own process group: stopping it stops its workers
            )
        server = Server(name, f"http://127.0.0.1:{port}", sparql_path, process, log)
        self.servers[name] = server
        wait_ready(server, ready_path)
        return server

    def stop_all(self) -> None:
        for server in reversed(list(self.servers.values())):
            stop_group(server.process, grace=15)
        self.servers.clear()


def wait_ready(server: Server, ready_path: str | None, timeout: float = 300.0) -> None:
    """Poll the server until it answers (any HTTP status) or give up after ``timeout`` s."""
    url = server.base + (ready_path if ready_path is not None else server.sparql_path)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} exited ({server.process.returncode}):\n{tail}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.25)
    raise RuntimeError(f"{server.name} did not answer at {url} within {timeout:.0f} s")


def nginx_config(template: str, listen: int, upstream: int) -> str:
    """deploy/nginx.conf with its two loopback addresses moved to the given ports."""
    if "listen 127.0.0.1:8080;" not in template or "server 127.0.0.1:8000;" not in template:
        raise RuntimeError("deploy/nginx.conf no longer has the addresses this script rewrites")
    return template.replace("listen 127.0.0.1:8080;", f"listen 127.0.0.1:{listen};").replace(
        "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"
    )


# wrk sends every request from one loopback address, which stands here for many clients: the
# per-client limits (RELIABILITY.md) are lifted explicitly, so the pool's own limits are measured.
BENCH_CLIENT_LIMITS = [
    "--client-max-running", "2",
    "--client-max-waiting", "1000",
    "--client-query-seconds", "1000000",
]  # fmt: skip


def start_fleet(fleet: Fleet, release: Path, names: Sequence[str]) -> None:
    work = fleet.workdir
    python = sys.executable
    dump = release / "vawmw.nq"
    ours_port = free_port()
    # The root has no sources: the release is served as it is, never rebuilt from a checkout
    # that other work is changing (vawmw serve rebuilds a release whose sources changed).
    root = work
    serve = serve_command(root, release, ours_port, ("--workers", "2", *BENCH_CLIENT_LIMITS))
    if OURS in names or NGINX in names:
        log(f"starting {OURS} (vawmw serve --workers 2)")
        fleet.start(OURS, serve, ours_port, "/sparql")
    if OURS_2HTTP in names:
        log(f"starting {OURS_2HTTP} (vawmw serve --http-workers 2 --workers 1)")
        port = free_port()
        options = ("--http-workers", "2", "--workers", "1", *BENCH_CLIENT_LIMITS)
        fleet.start(OURS_2HTTP, serve_command(root, release, port, options), port, "/sparql")
    if OURS_POOL in names:
        log(f"starting {OURS_POOL} (vawmw serve --no-in-process: every query on the pool)")
        port = free_port()
        options = ("--no-in-process", "--workers", "2", *BENCH_CLIENT_LIMITS)
        fleet.start(OURS_POOL, serve_command(root, release, port, options), port, "/sparql")
    if STATIC in names:
        start_static(fleet, release)
    if NGINX in names:
        log(f"starting {NGINX} (deploy/nginx.conf)")
        prefix = work / "nginx"
        (prefix / "logs").mkdir(parents=True)
        (prefix / "tmp").mkdir()
        port = free_port()
        template = (REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8")
        conf = prefix / "nginx.conf"
        conf.write_text(nginx_config(template, port, ours_port), encoding="utf-8")
        directives = "daemon off; pid nginx.pid;" + (" user root;" if os.geteuid() == 0 else "")
        command = [nginx_binary(), "-p", str(prefix), "-c", str(conf), "-e", "stderr"]
        fleet.start(NGINX, [*command, "-g", directives], port, "/sparql")
    if QUEUE32 in names:
        log(f"starting {QUEUE32} (the service with ServiceSettings.queue_size=32)")
        port = free_port()
        code = (
            "from pathlib import Path\n"
            "from vawmw.web.app import run\n"
            "from vawmw.settings import ServiceSettings\n"
            f"run(ServiceSettings(release_dir=Path({str(release)!r}), host='127.0.0.1',"
            f" port={port}, workers=2, queue_size=32, queries_dir=Path('queries'),"
            " client_max_running=2, client_max_waiting=1000, client_query_seconds=1e6))\n"
        )
        fleet.start(QUEUE32, [python, "-c", code], port, "/sparql")
    if OXIGRAPH in names:
        log(f"loading {dump.name} into an Oxigraph store for {OXIGRAPH}")
        location = work / "oxigraph-store"
        oxigraph = str(BIN / "oxigraph")
        subprocess.run(
            [oxigraph, "load", "--location", str(location), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
        port = free_port()
        command = [oxigraph, "serve-read-only", "--location", str(location)]
        command += ["--bind", f"127.0.0.1:{port}", "--union-default-graph"]
        fleet.start(OXIGRAPH, command, port, "/query")
    if PLAIN in names:
        log(f"loading {dump.name} into an Oxigraph store for {PLAIN}")
        location = work / "plain-store"
        subprocess.run(
            [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(dump)],
            check=True,
            capture_output=True,
        )
        port = free_port()
        command = [python, "-m", "uvicorn", "bench.plain_fastapi:app"]
        command += ["--host", "127.0.0.1", "--port", str(port)]
        fleet.start(PLAIN, command, port, "/sparql", env={"PLAIN_FASTAPI_STORE": str(location)})
    if RDFLIB in names:
        log(f"starting {RDFLIB} (parses {dump.name} into RDFLib's in-memory Dataset)")
        port = free_port()
        command = [str(BIN / "rdflib-endpoint"), "serve", "--host", "127.0.0.1"]
        fleet.start(RDFLIB, [*command, "--port", str(port), str(dump)], port, "/")


def start_static(fleet: Fleet, release: Path) -> None:
    """``deploy/run-nginx RELEASE_DIR PORT``: the release's linked data with no Python."""
    script = REPO / "deploy" / "run-nginx"
    if not script.exists():
        raise RuntimeError(f"{STATIC} needs {script} (deploy/run-nginx RELEASE_DIR PORT)")
    log(f"starting {STATIC} (deploy/run-nginx, no upstream)")
    port = free_port()
    fleet.start(STATIC, [str(script), str(release), str(port)], port, "/", ready_path="/")


def nginx_binary() -> str:
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found is None:
        raise RuntimeError("nginx is not installed (apt-get install -y nginx)")
    return found


# --------------------------------------------------------------------------- checking


def send(server: Server, workload: Workload) -> tuple[int, bytes, dict[str, str]]:
    """One request as wrk will send it; returns status, body and headers."""
    body = None
    headers = {"Accept": workload.accept}
    if workload.method == "POST":
        body = urllib.parse.urlencode({"query": workload.query or ""}).encode("ascii")
        headers["Content-Type"] = FORM
    request = urllib.request.Request(
        server.base + server.request_path(workload),
        data=body,
        headers=headers,
        method=workload.method,
    )
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, response.read(), dict(response.headers.items())
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers.items())


def rows_of(workload: Workload, body: bytes) -> int:
    """Solutions in a SPARQL JSON answer, or triples in a Turtle one."""
    if workload.query is None:
        import pyoxigraph  # the service's own dependency; only needed for this count

        return sum(1 for _ in pyoxigraph.parse(body, format=pyoxigraph.RdfFormat.TURTLE))
    document = json.loads(body)
    return len(document["results"]["bindings"])


def check(servers: Sequence[Server]) -> dict[str, dict[str, int]]:
    """Every workload once on every server: status 200 and the same row count everywhere."""
    rows: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    for workload in WORKLOADS:
        rows[workload.name] = {}
        for server in servers:
            if not server.serves(workload):
                continue
            status, body, _ = send(server, workload)
            if status != 200:
                problems.append(f"{server.name} {workload.name}: HTTP {status} {body[:200]!r}")
                continue
            rows[workload.name][server.name] = rows_of(workload, body)
        if len(set(rows[workload.name].values())) > 1:
            problems.append(f"{workload.name}: servers disagree on rows {rows[workload.name]}")
    nginx = next((s for s in servers if s.name == NGINX), None)
    if nginx is not None:
        for workload in WORKLOADS:
            if workload.method == "GET":
                send(nginx, workload)
                _, _, headers = send(nginx, workload)
                cache = {k.lower(): v for k, v in headers.items()}.get("x-cache-status")
                if cache != "HIT":
                    problems.append(f"{NGINX} {workload.name}: X-Cache-Status {cache}, not HIT")
    if problems:
        raise RuntimeError("the servers do not answer alike:\n  " + "\n  ".join(problems))
    return rows


# --------------------------------------------------------------------------- measuring

LUA_DONE: Final = """
done = function(summary, latency, requests)
  io.write(string.format(
    "WRK-RESULT {\\"requests\\":%d,\\"duration_us\\":%d,\\"status\\":%d,\\"connect\\":%d,"
    .. "\\"read\\":%d,\\"write\\":%d,\\"timeout\\":%d,\\"p50_us\\":%d,\\"p99_us\\":%d}\\n",
    summary.requests, summary.duration, summary.errors.status, summary.errors.connect,
    summary.errors.read, summary.errors.write, summary.errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def lua_string(text: str) -> str:
    """A Lua string literal (the texts here are URL-encoded ASCII, so this is enough)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrk_script(server: Server, workload: Workload) -> str:
    lines = [
        f"wrk.method = {lua_string(workload.method)}",
        f"wrk.path = {lua_string(server.request_path(workload))}",
        f'wrk.headers["Accept"] = {lua_string(workload.accept)}',
    ]
    if workload.method == "POST":
        body = urllib.parse.urlencode({"query": workload.query or ""})
        lines += [
            f"wrk.body = {lua_string(body)}",
            f'wrk.headers["Content-Type"] = {lua_string(FORM)}',
        ]
    return "\n".join(lines) + "\n" + LUA_DONE


@dataclass(frozen=True)
class Sample:
    """One wrk run."""

    ok_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int


def run_wrk(
    server: Server, workload: Workload, concurrency: int, seconds: float, workdir: Path
) -> Sample:
    script = workdir / f"{server.name}-{workload.name}.lua"
    script.write_text(wrk_script(server, workload), encoding="ascii")
    command = ["wrk", "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "--timeout", "30s"]
    command += ["-s", str(script), server.base]
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    match = re.search(r"^WRK-RESULT (\{.*\})$", done.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk failed on {server.name}/{workload.name}: {done.stderr}")
    raw = json.loads(match.group(1))
    elapsed = raw["duration_us"] / 1e6
    errors = raw["status"] + raw["connect"] + raw["read"] + raw["write"] + raw["timeout"]
    ok = raw["requests"] - raw["status"]
    return Sample(
        ok_per_s=ok / elapsed,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        requests=raw["requests"],
        errors=errors,
    )


@dataclass
class Cell:
    """All runs of one server x workload x concurrency."""

    server: str
    workload: str
    concurrency: int
    samples: list[Sample] = field(default_factory=list)

    def median(self, attribute: str) -> float:
        return float(statistics.median(float(getattr(s, attribute)) for s in self.samples))


def measure(
    servers: Sequence[Server],
    concurrencies: Sequence[int],
    runs: int,
    seconds: float,
    workdir: Path,
) -> dict[tuple[str, str, int], Cell]:
    cells: dict[tuple[str, str, int], Cell] = {}
    plan = [
        (workload, concurrency, server)
        for workload in WORKLOADS
        for concurrency in concurrencies
        for server in servers
        if server.serves(workload) and not (server.name == QUEUE32 and concurrency == 1)
    ]
    log(f"warming up {len(plan)} cells (1 s each)")
    for workload, concurrency, server in plan:
        run_wrk(server, workload, concurrency, 1, workdir)
    total = len(plan) * runs
    log(f"measuring {total} runs of {seconds:g} s (about {total * (seconds + 0.3) / 60:.0f} min)")
    for run in range(1, runs + 1):
        for workload, concurrency, server in plan:
            sample = run_wrk(server, workload, concurrency, seconds, workdir)
            key = (server.name, workload.name, concurrency)
            cells.setdefault(key, Cell(*key)).samples.append(sample)
            log(
                f"run {run}/{runs} c={concurrency} {workload.name:9} {server.name:16}"
                f" {sample.ok_per_s:9.1f} req/s  p50 {sample.p50_ms:8.2f} ms"
                f"  p99 {sample.p99_ms:8.2f} ms  errors {sample.errors}"
            )
    return cells


# --------------------------------------------------------------------------- targets


@dataclass(frozen=True)
class Target:
    """``ours`` / ``peer`` throughput ratio (geomean over ``workloads``) at least ``threshold``;
    ``peer_workloads`` when the peer is measured on other workloads (nginx+static)."""

    name: str
    ours: str
    peer: str
    workloads: tuple[str, ...]
    threshold: float
    peer_workloads: tuple[str, ...] | None = None


def targets(present: Sequence[str]) -> list[Target]:
    """The issue's targets for every variant of our service that was measured."""
    out = []
    for ours in (name for name in OUR_VARIANTS if name in present):
        out += [
            Target(f"{ours}: point lookups vs rdflib-endpoint", ours, RDFLIB, ("point",), 2.5),
            Target(f"{ours}: join/regex/aggregate/optional vs rdflib-endpoint (geomean)", ours,
                   RDFLIB, MIX, 10),
            Target(f"{ours}: every SPARQL workload vs plain FastAPI (geomean)", ours, PLAIN,
                   SPARQL_WORKLOADS, 0.9),
        ]  # fmt: skip
    out += [
        Target("repeated query, nginx cache vs oxigraph serve", NGINX, OXIGRAPH, ("repeated",),
               1.0),
        Target("nginx+static dereference vs oxigraph serve point lookups", STATIC, OXIGRAPH,
               ("deref",), 1.0, peer_workloads=("point",)),
    ]  # fmt: skip
    return out


# p99 latency targets at concurrency 8 (ms): point lookups and dereferencing.
P99_TARGETS: Final = (("point", 5.0), ("deref", 5.0))


def geomean(values: Sequence[float]) -> float:
    if not values or any(v <= 0 for v in values):
        return 0.0
    return math.exp(sum(math.log(v) for v in values) / len(values))


def ratio(
    cells: dict[tuple[str, str, int], Cell],
    ours: str,
    peer: str,
    workloads: Sequence[str],
    concurrency: int,
    peer_workloads: Sequence[str] | None = None,
) -> float | None:
    """Median over runs of the geometric mean of per-workload throughput ratios in that run."""
    pairs = [
        (cells.get((ours, w, concurrency)), cells.get((peer, v, concurrency)))
        for w, v in zip(workloads, peer_workloads or workloads, strict=True)
    ]
    if any(a is None or b is None for a, b in pairs):
        return None
    runs = min(len(a.samples) for a, _ in pairs if a is not None)
    per_run = []
    for run in range(runs):
        values = []
        for a, b in pairs:
            assert a is not None and b is not None
            peer_rate = b.samples[run].ok_per_s
            values.append(a.samples[run].ok_per_s / peer_rate if peer_rate else math.inf)
        per_run.append(geomean(values))
    return statistics.median(per_run)


# --------------------------------------------------------------------------- report


def versions(release: Path) -> dict[str, str]:
    def dist(name: str) -> str:
        try:
            return importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    def first_line(command: Sequence[str]) -> str:
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
        except OSError:
            return "not installed"
        return (done.stdout + done.stderr).strip().splitlines()[0]

    manifest = json.loads((release / "release.json").read_text(encoding="utf-8"))
    return {
        "vawmw release": f"{manifest['version']} ({manifest['release_id']})",
        "python": platform.python_version(),
        "pyoxigraph": dist("pyoxigraph"),
        "oxigraph (CLI server)": first_line([str(BIN / "oxigraph"), "--version"]),
        "rdflib-endpoint": dist("rdflib-endpoint"),
        "rdflib": dist("rdflib"),
        "fastapi": dist("fastapi"),
        "starlette": dist("starlette"),
        "uvicorn": dist("uvicorn"),
        "nginx": first_line([nginx_binary(), "-v"]),
        "wrk": first_line(["wrk", "--version"]),
    }


def machine() -> dict[str, str]:
    memory = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": str(len(os.sched_getaffinity(0))),
        "cpu": model,
        "memory": memory,
        "kernel": platform.release(),
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def markdown(
    cells: dict[tuple[str, str, int], Cell],
    concurrencies: Sequence[int],
    servers: Sequence[str],
    rows: dict[str, dict[str, int]],
    info: dict[str, dict[str, str]],
    settings: dict[str, object],
) -> str:
    out: list[str] = []
    for title, values in info.items():
        out += [f"### {title}", "", "| | |", "|---|---|"]
        out += [f"| {key} | {value} |" for key, value in values.items()]
        out.append("")
    out += [
        "### Settings",
        "",
        ", ".join(f"{key} = {value}" for key, value in settings.items()),
        "",
        "### Workloads (rows in each answer, checked equal on every server before measuring)",
        "",
        "| workload | what | rows |",
        "|---|---|---|",
    ]
    for workload in WORKLOADS:
        counts = sorted(set(rows.get(workload.name, {}).values()))
        shown = ", ".join(str(n) for n in counts) + (" triples" if workload.query is None else "")
        out.append(f"| {workload.name} | {workload.title} | {shown} |")
    out += ["", "### Throughput: successful requests per second (median of runs)", ""]
    for concurrency in concurrencies:
        present = [s for s in servers if any(k[0] == s and k[2] == concurrency for k in cells)]
        out += [f"concurrency {concurrency}:", ""]
        out.append("| workload | " + " | ".join(present) + " |")
        out.append("|---|" + "---:|" * len(present))
        for workload in WORKLOADS:
            row = []
            for server in present:
                cell = cells.get((server, workload.name, concurrency))
                row.append("—" if cell is None else f"{cell.median('ok_per_s'):,.0f}")
            out.append(f"| {workload.name} | " + " | ".join(row) + " |")
        out.append("")
    out += [
        "### Every cell: median req/s, p50 and p99 latency (ms), errors over all runs",
        "",
        "| workload | c | server | req/s | p50 ms | p99 ms | errors / requests |",
        "|---|---:|---|---:|---:|---:|---:|",
    ]
    for workload in WORKLOADS:
        for concurrency in concurrencies:
            for server in servers:
                cell = cells.get((server, workload.name, concurrency))
                if cell is None:
                    continue
                errors = sum(s.errors for s in cell.samples)
                requests = sum(s.requests for s in cell.samples)
                out.append(
                    f"| {workload.name} | {concurrency} | {server} "
                    f"| {cell.median('ok_per_s'):,.1f} | {cell.median('p50_ms'):.2f} "
                    f"| {cell.median('p99_ms'):.2f} | {errors} / {requests} |"
                )
    out += [
        "",
        "### Targets (throughput ratio; median over runs of the per-run ratio)",
        "",
        "| target | threshold | " + " | ".join(f"c={c}" for c in concurrencies) + " | verdict |",
        "|---|---:|" + "---:|" * len(concurrencies) + "---|",
    ]
    for target in targets(servers):
        measured = [
            ratio(cells, target.ours, target.peer, target.workloads, c, target.peer_workloads)
            for c in concurrencies
        ]
        texts = ["n/a" if v is None else f"{v:.2f}x" for v in measured]
        verdict = ", ".join(
            f"c={c} "
            + ("not measured" if v is None else "MET" if v >= target.threshold else "MISSED")
            for c, v in zip(concurrencies, measured, strict=True)
        )
        out.append(
            f"| {target.name} | ≥ {target.threshold:g}x | " + " | ".join(texts) + f" | {verdict} |"
        )
    out += ["", "p99 latency at the highest concurrency (target < 5 ms):", ""]
    top = max(concurrencies)
    for name in (n for n in servers if n in DEREFERENCING):
        for workload, limit in P99_TARGETS:
            cell = cells.get((name, workload, top))
            if cell is not None:
                p99 = cell.median("p99_ms")
                verdict = "MET" if p99 < limit else "MISSED"
                out.append(f"- {name}, {workload}, c={top}: p99 {p99:.2f} ms ({verdict})")
    posted = ("point", *MIX)
    diagnostics = [
        (
            "vawmw-queue32 vs plain FastAPI, SPARQL workloads (geomean)",
            QUEUE32,
            PLAIN,
            SPARQL_WORKLOADS,
        ),
        ("vawmw-queue32 vs rdflib-endpoint, point", QUEUE32, RDFLIB, ("point",)),
        ("vawmw-queue32 vs rdflib-endpoint, mix (geomean)", QUEUE32, RDFLIB, MIX),
        ("vawmw+nginx vs vawmw, POSTed queries (not cached; geomean)", NGINX, OURS, posted),
    ]
    out += ["", "Other ratios (not targets):", ""]
    for title, ours, peer, names in diagnostics:
        for concurrency in concurrencies:
            value = ratio(cells, ours, peer, names, concurrency)
            if value is not None:
                out.append(f"- {title}, c={concurrency}: {value:.2f}x")
    for ours in OUR_VARIANTS:
        for name in SPARQL_WORKLOADS:
            for concurrency in concurrencies:
                value = ratio(cells, ours, PLAIN, (name,), concurrency)
                if value is not None:
                    out.append(f"- {ours} vs plain FastAPI, {name}, c={concurrency}: {value:.2f}x")
    for variant in (OURS_2HTTP, OURS_POOL):
        for name in (*SPARQL_WORKLOADS, "deref"):
            for concurrency in concurrencies:
                value = ratio(cells, variant, OURS, (name,), concurrency)
                if value is not None:
                    out.append(f"- {variant} vs {OURS}, {name}, c={concurrency}: {value:.2f}x")
    return "\n".join(out) + "\n"


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def interrupt_as_exit() -> Iterator[None]:
    """SIGTERM behaves like Ctrl-C, so the servers are stopped either way."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def build_release(out: Path) -> None:
    log(f"building the release into {out} (vawmw build)")
    command = [sys.executable, "-m", "vawmw.cli", "--root", str(REPO), "build", "--out", str(out)]
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"vawmw build failed ({done.returncode}):\n{done.stderr[-3000:]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--release", type=Path, help="a built release (default: build one)")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8])
    default = [name for name in SERVERS if name not in (QUEUE32, STATIC, OURS_POOL)]
    if (REPO / "deploy" / "run-nginx").exists():
        default.append(STATIC)
    parser.add_argument("--servers", nargs="+", choices=SERVERS, default=default)
    parser.add_argument("--json", type=Path, help="write every sample here")
    parser.add_argument("--markdown", type=Path, help="write the tables here (also printed)")
    parser.add_argument("--benchmarks", type=Path, help="e.g. BENCHMARKS.md: update its section")
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        parser.error("wrk is not installed (apt-get install -y wrk)")

    with tempfile.TemporaryDirectory(prefix="vawmw-http-bench-") as scratch, interrupt_as_exit():
        workdir = Path(scratch)
        release = args.release.resolve() if args.release else workdir / "dist"
        if args.release is None:
            build_release(release)
        info = {"Machine": machine(), "Versions": versions(release)}
        fleet = Fleet(workdir)
        try:
            start_fleet(fleet, release, args.servers)
            servers = [fleet.servers[name] for name in SERVERS if name in fleet.servers]
            servers = [s for s in servers if s.name in args.servers]
            log("checking that every server answers every workload alike")
            rows = check(servers)
            cells = measure(servers, args.concurrency, args.runs, args.duration, workdir)
        finally:
            fleet.stop_all()
        info["Machine"]["load average at end"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
    settings: dict[str, object] = {
        "runs": args.runs,
        "seconds per run": args.duration,
        "load generator": "wrk -t1 (one thread), keep-alive, --timeout 30s",
        "query requests": "POST form-encoded, Accept: application/sparql-results+json",
    }
    text = markdown(cells, args.concurrency, [s.name for s in servers], rows, info, settings)
    print(text)
    if args.markdown:
        args.markdown.write_text(text, encoding="utf-8")
    if args.benchmarks:
        write_section(args.benchmarks, START, END, text)
    if args.json:
        payload = {
            "info": info,
            "settings": settings,
            "rows": rows,
            "cells": [
                {
                    **{k: v for k, v in asdict(cell).items() if k != "samples"},
                    "samples": [asdict(s) for s in cell.samples],
                }
                for cell in cells.values()
            ],
        }
        args.json.write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
