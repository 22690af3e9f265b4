"""A long fuzzing campaign against the service: the tests of tests/reliability/test_fuzz.py, longer.

    python bench/fuzz.py [--examples 5000] [--seeded]

Builds the release once, starts the service on a loopback port (2 s query timeout, 100-row
cap, as in the tests) and runs, each with ``--examples`` generated inputs: hypothesis-generated
SPARQL (token soup, shaped queries, raw Unicode) by GET, direct POST and form POST; generated
``/id/…`` paths; and schemathesis over the app's OpenAPI schema. Any 5xx other than the
designed 503 + Retry-After fails, and hypothesis prints the smallest input that shows it.
Random by default (a new campaign each run); ``--seeded`` repeats the test suite's examples.
Bounded: at most ``--examples`` requests per generator, a few minutes for the default.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=5000, help="inputs per generator")
    parser.add_argument("--seeded", action="store_true", help="the suite's fixed examples")
    args = parser.parse_args(argv)
    env = {**os.environ, "VAWMW_FUZZ_EXAMPLES": str(args.examples)}
    if not args.seeded:
        env["VAWMW_FUZZ_RANDOM"] = "1"
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-p",
        "no:cacheprovider",
        "-q",
        "--durations=0",
        "tests/reliability/test_fuzz.py",
    ]
    return subprocess.run(command, cwd=REPO, env=env, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
