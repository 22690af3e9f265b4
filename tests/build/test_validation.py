"""SHACL results as the build reports them: focus node, path, message, source file."""

from __future__ import annotations

from pathlib import Path

from vawmw.build.sources import parse_turtle
from vawmw.build.validation import VIOLATION, validate_shapes, violations

DATA = """
@prefix vawmw: <https://w3id.org/vawmw/ontology#> .
<https://w3id.org/vawmw/id/work/orphan> a vawmw:CitedWork .
"""
SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix vawmw: <https://w3id.org/vawmw/ontology#> .
<https://w3id.org/vawmw/shapes#CitedWorkShape> a sh:NodeShape ;
    sh:targetClass vawmw:CitedWork ;
    sh:property [ sh:path [ sh:inversePath vawmw:referencesWork ] ; sh:minCount 1 ;
                  sh:message "Cite the work from a footnote with vawmw:referencesWork."@en ] .
"""


def test_a_violation_names_focus_inverse_path_message_and_file(tmp_path: Path) -> None:
    (tmp_path / "data.ttl").write_text(DATA)
    (tmp_path / "shapes.ttl").write_text(SHAPES)
    focus = "https://w3id.org/vawmw/id/work/orphan"
    results = validate_shapes(
        parse_turtle(tmp_path / "data.ttl"),
        parse_turtle(tmp_path / "shapes.ttl"),
        {focus: ["graph/works.ttl"]},
    )
    (result,) = violations(results)
    assert result.severity == VIOLATION
    assert result.focus_node == focus
    assert result.path == "^https://w3id.org/vawmw/ontology#referencesWork"
    assert result.message == "Cite the work from a footnote with vawmw:referencesWork."
    assert result.source_files == ("graph/works.ttl",)
    assert "graph/works.ttl" in result.describe()
