"""CPU time per request of each server, the measure that bounds throughput on a busy machine.

    python bench/cpu_per_request.py --release DIST [--workloads point deref] [--rounds 3]
                                    [--servers vawmw vawmw-pool plain-fastapi rdflib-endpoint]

req/s on a shared 2-core machine moves with whatever else runs; the CPU a server spends per
answered request does not (much). For each round, workload and server (interleaved), wrk sends
requests at concurrency 8 for ``--duration`` seconds while the CPU time (user + system, from
/proc) of the server's whole process group is read before and after; the HTTP process (the
group's leader, or its child interpreters) and the query workers (multiprocessing children)
are reported apart. Medians over the rounds.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Final

sys.path[:0] = [str(Path(__file__).resolve().parents[1])]

from bench.http_bench import (  # noqa: E402
    SERVERS,
    WORKLOADS,
    Fleet,
    Server,
    interrupt_as_exit,
    log,
    start_fleet,
    wrk_script,
)

TICK: Final = os.sysconf("SC_CLK_TCK")


def group_cpu(pgid: int) -> tuple[float, float]:
    """CPU seconds used so far by the HTTP process(es) and by the query workers of a group."""
    http = workers = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.getpgid(int(entry)) != pgid:
                continue
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{entry}/cmdline").read_bytes()
        except (ProcessLookupError, FileNotFoundError):
            continue
        seconds = (int(fields[11]) + int(fields[12])) / TICK
        if b"spawn_main" in command:
            workers += seconds
        elif b"resource_tracker" not in command:
            http += seconds
    return http, workers


def measure(server: Server, workload_name: str, seconds: float, work: Path) -> tuple[float, ...]:
    workload = next(w for w in WORKLOADS if w.name == workload_name)
    script = work / f"cpu-{server.name}-{workload.name}.lua"
    script.write_text(wrk_script(server, workload), encoding="ascii")
    before = group_cpu(server.process.pid)
    command = ["wrk", "-t1", "-c8", f"-d{seconds:g}s", "-s", str(script), server.base]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    after = group_cpu(server.process.pid)
    pattern = r"WRK-RESULT \{\"requests\":(\d+),\"duration_us\":(\d+),\"status\":(\d+)"
    found = re.search(pattern, done.stdout)
    if found is None:
        raise RuntimeError(f"wrk failed: {done.stderr}")
    requests, micros, bad = (int(x) for x in found.groups())
    ok = max(requests - bad, 1)
    http_ms = (after[0] - before[0]) / ok * 1000
    workers_ms = (after[1] - before[1]) / ok * 1000
    return ok / (micros / 1e6), http_ms, workers_ms


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--release", type=Path, required=True)
    parser.add_argument("--servers", nargs="+", choices=SERVERS, default=["vawmw", "vawmw-pool"])
    parser.add_argument("--workloads", nargs="+", default=["point"])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=4.0)
    args = parser.parse_args()
    samples: dict[tuple[str, str], list[tuple[float, ...]]] = {}
    with tempfile.TemporaryDirectory(prefix="vawmw-cpu-") as scratch, interrupt_as_exit():
        fleet = Fleet(Path(scratch))
        try:
            start_fleet(fleet, args.release.resolve(), args.servers)
            for _ in range(args.rounds):
                for workload in args.workloads:
                    for name in args.servers:
                        server = fleet.servers[name]
                        if not server.serves(next(w for w in WORKLOADS if w.name == workload)):
                            continue
                        sample = measure(server, workload, args.duration, Path(scratch))
                        samples.setdefault((workload, name), []).append(sample)
                        log(f"{workload} {name}: {sample[0]:.0f} req/s, HTTP {sample[1]:.3f} ms"
                            f" + workers {sample[2]:.3f} ms CPU per request")  # fmt: skip
        finally:
            fleet.stop_all()
    print("| workload | server | req/s | CPU ms/request: HTTP process | query workers | total |")
    print("|---|---|---:|---:|---:|---:|")
    for (workload, name), runs in samples.items():
        rate, http, workers = (statistics.median(s[i] for s in runs) for i in range(3))
        cpu = f"{http:.3f} | {workers:.3f} | {http + workers:.3f}"
        print(f"| {workload} | {name} | {rate:,.0f} | {cpu} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
