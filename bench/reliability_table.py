"""Write RELIABILITY.md's table of cases from a test run.

    python bench/reliability_table.py                 # run the tests, then rewrite the table
    python bench/reliability_table.py --junit run.xml # rewrite it from an earlier JUnit XML

The tests of ``tests/reliability/`` carry ``@pytest.mark.reliability(N)`` (written into the
JUnit XML as the user property ``case``) and record what they saw as ``observed``; the cases,
their expectations and the tests elsewhere that also cover them are in
``bench/reliability_cases.py``. The table goes between the two marker comments of the file.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO)]

from bench.reliability_cases import CASES  # noqa: E402

START = "<!-- reliability-table:start (written by bench/reliability_table.py) -->"
END = "<!-- reliability-table:end -->"


@dataclass
class Outcome:
    node: str
    result: str  # passed, failed, error, skipped, xfail
    seconds: float
    case: int | None = None
    observed: list[str] = field(default_factory=list)


def _node_id(testcase: ET.Element) -> str:
    module = testcase.get("classname", "").replace(".", "/")
    return f"{module}.py::{testcase.get('name', '')}"


def read_junit(path: Path) -> list[Outcome]:
    outcomes = []
    for testcase in ET.parse(path).getroot().iter("testcase"):
        result = "passed"
        for child in testcase:
            if child.tag in ("failure", "error"):
                result = "failed" if child.tag == "failure" else "error"
            elif child.tag == "skipped":
                reason = child.get("type", "") + child.get("message", "")
                result = "xfail" if "xfail" in reason else "skipped"
        outcome = Outcome(_node_id(testcase), result, float(testcase.get("time", "0") or 0))
        for prop in testcase.iter("property"):
            if prop.get("name") == "case":
                outcome.case = int(prop.get("value", "0"))
            elif prop.get("name") == "observed":
                outcome.observed.append(prop.get("value", ""))
        outcomes.append(outcome)
    return outcomes


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(outcomes: list[Outcome]) -> str:
    lines = [
        "| # | area | case | expected | observed | tests |",
        "|---|---|---|---|---|---|",
    ]
    for case in CASES:
        own = [o for o in outcomes if o.case == case.number]
        # A parametrized test counts once per parameter set.
        also = [o for o in outcomes if o.node.split("[")[0] in case.also]
        counted = own + also
        passed = sum(1 for o in counted if o.result == "passed")
        failed = [o for o in counted if o.result in ("failed", "error")]
        xfails = [o for o in counted if o.result == "xfail"]
        observed: list[str] = []
        for o in own:
            for text in o.observed:
                if text not in observed:
                    observed.append(text)
        shown = observed[:3]
        if len(observed) > 3:
            shown.append(f"(+{len(observed) - 3} more)")
        if not counted:
            verdict = "not run"
        elif failed:
            verdict = f"**FAIL** {len(failed)} of {len(counted)}"
        else:
            verdict = f"pass {passed}/{passed}"
        if xfails:
            verdict += f", {len(xfails)} known bug (xfail)"
        if also:
            names = dict.fromkeys(o.node.split("::")[1].split("[")[0] for o in also)
            verdict += "; also " + ", ".join(f"`{name}`" for name in names)
        lines.append(
            f"| {case.number} | {case.area} | {_cell(case.title)} | {_cell(case.expected)} | "
            f"{_cell('; '.join(shown) or '—')} | {_cell(verdict)} |"
        )
    total = sum(o.seconds for o in outcomes)
    lines.append("")
    lines.append(
        f"{len(outcomes)} tests, {sum(o.result == 'passed' for o in outcomes)} passed, "
        f"{sum(o.result in ('failed', 'error') for o in outcomes)} failed, "
        f"{sum(o.result == 'xfail' for o in outcomes)} xfail; {total:.0f} s of test time."
    )
    return "\n".join(lines)


def run_tests(junit: Path) -> int:
    nodes = sorted({node for case in CASES for node in case.also})
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        f"--junitxml={junit}",
        "tests/reliability",
        *nodes,
    ]
    return subprocess.run(command, cwd=REPO, check=False).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--junit", type=Path, help="an existing JUnit XML (skip the test run)")
    parser.add_argument("--out", type=Path, default=REPO / "RELIABILITY.md")
    args = parser.parse_args(argv)
    status = 0
    if args.junit is None:
        with tempfile.TemporaryDirectory() as scratch:
            junit = Path(scratch) / "reliability.xml"
            status = run_tests(junit)
            table = render(read_junit(junit))
    else:
        table = render(read_junit(args.junit))
    text = args.out.read_text(encoding="utf-8") if args.out.exists() else f"{START}\n{END}\n"
    if START not in text or END not in text:
        raise SystemExit(f"{args.out} has no {START} … {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    args.out.write_text(f"{head}{START}\n{table}\n{END}{tail}", encoding="utf-8")
    print(table)
    return status


if __name__ == "__main__":
    sys.exit(main())
