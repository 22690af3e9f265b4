"""vawmw.release.layout names every file of a release, and only it spells those names."""

from __future__ import annotations

import ast
from pathlib import Path

from vawmw.build.pipeline import build_release
from vawmw.release import layout

from tests.build_fixtures import copy_mini_sources

PACKAGE = Path(__file__).resolve().parents[2] / "service" / "vawmw"
FILE_NAMES = {
    layout.MANIFEST_NAME,
    layout.CHECKSUMS_NAME,
    layout.VOID_NAME,
    layout.CONTEXT_NAME,
    *layout.DUMP_NAMES,
}
# Plain words, also JSON keys and URL paths: only their use as a path counts.
FOLDER_NAMES = {layout.STORE_DIR_NAME, layout.QUERIES_DIR_NAME}


def test_a_built_release_holds_exactly_what_the_layout_names(tmp_path: Path) -> None:
    sources = copy_mini_sources(tmp_path)
    (sources / "queries").mkdir()
    (sources / "queries" / "q.rq").write_text("ASK {}\n", encoding="utf-8")
    out = tmp_path / "dist"
    build_release(sources, out)
    assert {p.name for p in out.iterdir()} == FILE_NAMES | FOLDER_NAMES
    assert (out / layout.STORE_DIR_NAME).is_dir()
    assert [p.name for p in (out / layout.QUERIES_DIR_NAME).iterdir()] == ["q.rq"]


def _spelled_names(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and node.value in FILE_NAMES:
            found.append((node.lineno, str(node.value)))
        operands: list[ast.expr] = []
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            operands = [node.left, node.right]  # directory / "store"
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Path":
            operands = list(node.args)  # Path("queries")
        found.extend(
            (operand.lineno, str(operand.value))
            for operand in operands
            if isinstance(operand, ast.Constant) and operand.value in FOLDER_NAMES
        )
    return found


def test_no_module_but_the_layout_spells_a_release_file_name() -> None:
    spelled = {
        f"{path.relative_to(PACKAGE)}:{line}": name
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != PACKAGE / "release" / "layout.py"
        for line, name in _spelled_names(ast.parse(path.read_text(encoding="utf-8")))
    }
    assert spelled == {}
