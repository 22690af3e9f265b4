"""One seam for query backends: vawmw.query.runner.JobRunner."""

from __future__ import annotations

import subprocess
import sys

from vawmw.query.pool import WorkerPool
from vawmw.query.runner import JobRunner
from vawmw.remote.backend import RemoteBackend
from vawmw.settings import ServiceSettings


def test_the_pool_and_the_remote_store_are_job_runners() -> None:
    settings = ServiceSettings(backend_url="http://127.0.0.1:9/sparql")
    runners: list[JobRunner] = [WorkerPool(settings), RemoteBackend(settings, [])]
    for runner in runners:
        assert isinstance(runner, JobRunner)
        assert (runner.alive, runner.waiting) == (0, 0)  # nothing runs before start()


def test_the_remote_backend_needs_nothing_of_the_process_pool() -> None:
    """Another store is one more class: it shares the jobs, answers and errors, not the pool."""
    code = (
        "import sys, vawmw.remote.backend; "
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('vawmw.'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    loaded = set(done.stdout.split())
    assert {"vawmw.query.jobs", "vawmw.query.describe", "vawmw.query.errors"} <= loaded
    assert not loaded & {"vawmw.query.pool", "vawmw.query.worker", "vawmw.query.engine"}
    assert not any(name.startswith("vawmw.web") for name in loaded)
