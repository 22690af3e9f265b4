"""Issue 8, case 18: bench/load.py works (a few seconds here; the 60 s run is in RELIABILITY.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.reliability.support import REPO

Observe = Callable[[str], None]


@pytest.mark.reliability(18)
def test_load_bench_smoke(real_release: Path, tmp_path: Path, observe: Observe) -> None:
    out = tmp_path / "load.json"
    command = [
        sys.executable,
        str(REPO / "bench" / "load.py"),
        "--release",
        str(real_release),
        "--duration",
        "3",
        "--warmup",
        "1",
        "--concurrency",
        "8",
        "--json",
        str(out),
    ]
    completed = subprocess.run(command, cwd=REPO, capture_output=True, timeout=300, check=False)
    assert completed.returncode == 0, completed.stderr.decode()[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))
    assert figures["unexpected"] == 0
    assert figures["ok"] > 0
    assert figures["healthy_at_end"]
    observe(
        f"smoke run (3 s, concurrency 8): {figures['requests']} requests, "
        f"statuses {figures['statuses']}, p99 {figures['latency_ms']['p99']} ms, "
        f"server RSS {figures['server_rss_growth_pct']:+} %"
    )
