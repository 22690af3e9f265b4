"""A bounded load test of the service on loopback: a query mix at fixed concurrency.

    python bench/load.py [--duration 60] [--concurrency 32] [--release dist] [--json out.json]

Starts ``vawmw serve`` (building the release first if ``--release`` holds none) on a free
loopback port, warms it up, then runs ``--concurrency`` clients for ``--duration`` seconds
(and at most ``--max-requests`` requests), each sending the next request of a fixed mix as soon
as the last one is answered: the competency queries of ``queries/`` (GET and POST), resource
lookups under ``/id/``, ``/health``, ``/.well-known/void`` and the service description.

It reports requests per second, p50 / p95 / p99 latency, the answers by status, and the
resident memory of the server process (and of its query workers) after the warm-up and at the
end. Exit status 1 when an answer is neither 2xx nor the designed 503 + Retry-After (or 429),
or when the server's memory at the end is more than 20 % above its memory at the start.
Everything goes to 127.0.0.1 only; the server is stopped at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "service")]

import httpx  # noqa: E402
from vawmw.testing.processes import children_rss_bytes, rss_bytes  # noqa: E402
from vawmw.testing.service import ServiceStartError, served_process  # noqa: E402

MIB = 1024 * 1024
RESOURCE_QUERY = (
    "SELECT DISTINCT ?s WHERE { ?s a ?type "
    'FILTER(STRSTARTS(STR(?s), "https://w3id.org/vawmw/id/")) } LIMIT 400'
)


@dataclass
class Request:
    kind: str
    method: str
    path: str
    params: dict[str, str] = field(default_factory=dict)
    data: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    unexpected: list[str] = field(default_factory=list)


def serve_options(args: argparse.Namespace) -> tuple[str, ...]:
    return (
        *("--workers", str(args.workers)),
        *("--query-timeout", str(args.query_timeout)),
        # One generator stands for many clients: one client may fill the shared queue (the
        # pool's 503 is what this run measures), and its time budget never runs out.
        *("--client-max-running", str(args.workers)),
        *("--client-max-waiting", str(8 * args.workers)),
        *("--client-query-seconds", "1000000"),
    )


def request_mix(url: str) -> list[Request]:
    """The fixed mix: weights are repetitions in the list."""
    queries = [p.read_text(encoding="utf-8") for p in sorted((REPO / "queries").glob("*.rq"))]
    answer = httpx.get(
        url + "/sparql",
        params={"query": RESOURCE_QUERY},
        headers={"accept": "application/sparql-results+json"},
        timeout=60,
    )
    answer.raise_for_status()
    base = "https://w3id.org/vawmw/"
    resources = [
        row["s"]["value"].removeprefix(base) for row in answer.json()["results"]["bindings"]
    ]
    mix: list[Request] = []
    json_accept = {"accept": "application/sparql-results+json"}
    for query in queries:
        mix.append(Request("query GET", "GET", "/sparql", {"query": query}, None, json_accept))
        mix.append(Request("query POST", "POST", "/sparql", {}, {"query": query}, json_accept))
    for path in resources[: max(len(queries), 1) * 2]:
        accept = random.Random(path).choice(["text/turtle", "application/ld+json", "text/html"])
        mix.append(Request("resource", "GET", "/" + path, headers={"accept": accept}))
    mix += [Request("health", "GET", "/health")] * 4
    mix += [Request("void", "GET", "/.well-known/void")] * 2
    mix += [Request("service description", "GET", "/sparql", headers={"accept": "text/turtle"})]
    return mix


async def client(
    http: httpx.AsyncClient, mix: list[Request], seed: int, stop: float, budget: list[int], t: Tally
) -> None:
    rng = random.Random(seed)
    while time.monotonic() < stop and budget[0] > 0:
        budget[0] -= 1
        item = rng.choice(mix)
        started = time.monotonic()
        try:
            response = await http.request(
                item.method, item.path, params=item.params, data=item.data, headers=item.headers
            )
            status = str(response.status_code)
            designed = response.status_code in (429, 503) and "retry-after" in response.headers
            if not (response.is_success or designed):
                t.unexpected.append(f"{status} {item.kind} {item.path}")
        except httpx.HTTPError as error:
            status = type(error).__name__
            t.unexpected.append(f"{status} {item.kind} {item.path}")
        elapsed = time.monotonic() - started
        t.latencies.append(elapsed)
        t.by_kind.setdefault(item.kind, []).append(elapsed)
        t.statuses[status] += 1


async def drive(url: str, mix: list[Request], seconds: float, args: argparse.Namespace) -> Tally:
    tally = Tally()
    limits = httpx.Limits(
        max_connections=args.concurrency, max_keepalive_connections=args.concurrency
    )
    timeout = httpx.Timeout(3 * args.query_timeout + 30)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) as http:
        stop = time.monotonic() + seconds
        budget = [args.max_requests]
        await asyncio.gather(
            *(client(http, mix, i, stop, budget, tally) for i in range(args.concurrency))
        )
    return tally


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds under load")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds before measuring")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--max-requests", type=int, default=2_000_000, help="a hard bound")
    parser.add_argument("--release", type=Path, default=REPO / "dist")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--query-timeout", type=float, default=30.0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args(argv)

    # The first run may build the release: up to ten minutes to start.
    serving = served_process(args.release, *serve_options(args), root=REPO, start_timeout=600)
    try:
        with serving as served:
            url, pid = served.url, served.pid
            mix = request_mix(url)
            asyncio.run(drive(url, mix, args.warmup, args))
            rss_start, workers_start = rss_bytes(pid) / MIB, children_rss_bytes(pid) / MIB
            started = time.monotonic()
            tally = asyncio.run(drive(url, mix, args.duration, args))
            elapsed = time.monotonic() - started
            rss_end, workers_end = rss_bytes(pid) / MIB, children_rss_bytes(pid) / MIB
            healthy = httpx.get(url + "/health", timeout=10).status_code == 200
    except ServiceStartError as error:
        raise SystemExit(str(error)) from error

    total = len(tally.latencies)
    ok = sum(n for status, n in tally.statuses.items() if status.startswith("2"))
    figures = {
        "duration_s": round(elapsed, 1),
        "concurrency": args.concurrency,
        "workers": args.workers,
        "requests": total,
        "requests_per_s": round(total / elapsed, 1) if elapsed else 0.0,
        "ok": ok,
        "statuses": dict(sorted(tally.statuses.items())),
        "unexpected": len(tally.unexpected),
        "latency_ms": {
            name: round(1000 * percentile(tally.latencies, q), 1)
            for name, q in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99))
        }
        | {"max": round(1000 * max(tally.latencies, default=0.0), 1)},
        "p99_ms_by_kind": {
            kind: round(1000 * percentile(values, 0.99), 1)
            for kind, values in sorted(tally.by_kind.items())
        },
        "mean_ms": round(1000 * statistics.fmean(tally.latencies), 1) if total else 0.0,
        "server_rss_mib": {"start": round(rss_start, 1), "end": round(rss_end, 1)},
        "workers_rss_mib": {"start": round(workers_start, 1), "end": round(workers_end, 1)},
        "healthy_at_end": healthy,
    }
    growth = (rss_end - rss_start) / rss_start if rss_start else 0.0
    figures["server_rss_growth_pct"] = round(100 * growth, 1)
    print(json.dumps(figures, indent=2))
    for line in tally.unexpected[:20]:
        print("unexpected:", line, file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    failed = bool(tally.unexpected) or growth > 0.20 or not healthy or total == 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
