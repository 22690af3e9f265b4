"""The shape of the code: the import layers, short functions, and bench/ apart from tests/.

* The import contracts of ``pyproject.toml`` (``[tool.importlinter]``) hold for the package, and
  each would catch the import it forbids (a copy of the package with one planted import).
* No function of ``service/vawmw`` has a body longer than 60 lines after its docstring,
  except the data tables named in :data:`DATA_TABLES`, each with its reason.
* Nothing in ``bench/`` imports ``tests``: the launchers both use live in ``vawmw.testing``.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

REPO: Final = Path(__file__).resolve().parents[1]
PACKAGE: Final = REPO / "service" / "vawmw"
MAX_BODY_LINES: Final = 60

# "module path:function name" -> why it may be longer. A data table reads best as one literal;
# splitting it would only scatter the data. Empty while no function is a table.
DATA_TABLES: Final[dict[str, str]] = {}


# --------------------------------------------------------------------------- import layers


def _lint_imports(source_root: Path) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the repository's contracts over the package in ``source_root``."""
    code = (
        "import sys\n"
        "from importlinter.cli import lint_imports\n"
        "sys.exit(lint_imports(no_cache=True, no_logo=True))\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,  # where pyproject.toml holds the contracts
        env={**os.environ, "PYTHONPATH": str(source_root)},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def import_linter() -> None:
    if importlib.util.find_spec("importlinter") is None:
        pytest.skip("import-linter is not installed (pip install '.[test]' installs it)")


@pytest.mark.usefixtures("import_linter")
def test_the_import_contracts_hold() -> None:
    done = _lint_imports(REPO / "service")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


# Each rule of the issue, broken on purpose in a copy of the package: (file, import, contract).
PLANTED: Final = [
    ("rdf/namespaces.py", "import vawmw.settings", "layers"),
    ("query/guard.py", "import vawmw.web.negotiation", "layers"),
    ("release/manifest.py", "import vawmw.web", "layers"),
    ("web/pages/layout.py", "import vawmw.web.routes", "vawmw.web.pages never imports"),
    ("web/app.py", "import vawmw.testing.live", "layers"),
]


@pytest.mark.usefixtures("import_linter")
@pytest.mark.parametrize(
    ("module", "statement", "contract"), PLANTED, ids=[p[0] + "+" + p[1] for p in PLANTED]
)
def test_a_forbidden_import_breaks_a_contract(
    tmp_path: Path, module: str, statement: str, contract: str
) -> None:
    copy = tmp_path / "vawmw"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{statement}\n", encoding="utf-8")
    done = _lint_imports(tmp_path)
    assert done.returncode != 0, done.stdout
    broken = done.stdout.split("Broken contracts", 1)[-1]
    assert contract in broken
    assert statement.split()[-1] in broken  # the report names the forbidden module


# --------------------------------------------------------------------------- function length


def _functions(tree: ast.AST) -> Iterator[ast.FunctionDef | ast.AsyncFunctionDef]:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def body_lines(function: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines from the first statement after the docstring to the function's last line."""
    body = function.body
    if ast.get_docstring(function, clean=False) is not None:
        body = body[1:]
    if not body:
        return 0
    end = function.end_lineno if function.end_lineno is not None else body[-1].lineno
    return end - body[0].lineno + 1


def long_functions(root: Path) -> dict[str, int]:
    """Every function under ``root`` longer than the rule allows: "path:name" -> body lines."""
    found: dict[str, int] = {}
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for function in _functions(tree):
            lines = body_lines(function)
            if lines > MAX_BODY_LINES:
                found[f"{path.relative_to(root.parent).as_posix()}:{function.name}"] = lines
    return found


def test_body_lines_start_after_the_docstring() -> None:
    source = (
        "def f():\n"
        '    """Doc,\n    two lines."""\n'
        "    a = 1\n"
        "    return a\n"
        "def g():\n"
        '    """Only a docstring."""\n'
        "async def h():\n"
        "    x = 1\n"
        "\n"
        "    return x\n"
    )
    counts = {f.name: body_lines(f) for f in _functions(ast.parse(source))}
    assert counts == {"f": 2, "g": 0, "h": 3}


def test_no_function_is_longer_than_60_lines() -> None:
    found = long_functions(PACKAGE)
    offenders = {name: lines for name, lines in found.items() if name not in DATA_TABLES}
    assert offenders == {}, "shorten these (body lines after the docstring): " + ", ".join(
        f"{name} {lines}" for name, lines in sorted(offenders.items())
    )


def test_every_excepted_table_exists_and_needs_its_exception() -> None:
    found = long_functions(PACKAGE)
    stale = sorted(name for name in DATA_TABLES if name not in found)
    assert stale == [], "no longer long (or gone): drop them from DATA_TABLES"
    assert all(reason.strip() for reason in DATA_TABLES.values())


# --------------------------------------------------------------------------- bench apart


def _imported_modules(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            yield node.module


def test_bench_imports_nothing_from_tests() -> None:
    offenders = {
        path.name: module
        for path in sorted((REPO / "bench").glob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module == "tests" or module.startswith("tests.")
    }
    assert offenders == {}


def test_nothing_in_the_package_imports_the_tests() -> None:
    offenders = {
        path.relative_to(PACKAGE).as_posix(): module
        for path in sorted(PACKAGE.rglob("*.py"))
        for module in _imported_modules(ast.parse(path.read_text(encoding="utf-8")))
        if module.split(".")[0] in ("tests", "bench", "pytest")
    }
    assert offenders == {}
